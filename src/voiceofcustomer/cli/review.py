"""``voc review``, ``voc agreement`` and ``voc export``: the review workbench commands."""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.cli.support import (UserError, info, library_call, output_file, outputs_written,
                                         plural, tagged_text_col_option, tagged_text_cols_option,
                                         with_reader_options)


@click.command("review")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(path_type=Path),
              help="Project file (SQLite; default: review.sqlite beside the first input). Reopen it to resume.")
@click.option("--coder", default=None, help="Who decides (recorded with every decision; default: $USER).")
@click.option("--speakers", type=click.Path(path_type=Path),
              help="CSV with speaker, speaker_attrs (and optionally session): attributes shown beside each quote.")
@click.option("--items", "items_path", type=click.Path(path_type=Path),
              help="items.xlsx from `voc items`: decide the candidate items in the items view.")
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path),
              help="YAML file of the team's own label fields (see docs/review.md); stored in the project.")
@click.option("--write-dir", type=click.Path(path_type=Path, file_okay=False),
              help="The folder the page's Teach and Save-curated buttons may write into (default: the project "
                   "file's folder).")
@click.option("--port", default=0, show_default=True, help="Port on 127.0.0.1 (0: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; just print the URL.")
@tagged_text_cols_option
@with_reader_options(skip=("text_col", "encoding", "sheet", "on_bad_rows"), per_file=True)
@library_call
def review_cmd(inputs, db, coder, speakers, items_path, codebook_path, write_dir, port, no_browser, text_col,
               id_col):
    """Review and correct labels in a local web page (keyboard-first), saved to a project file.

    INPUT is a `voc tag` output (or any tagged statements table). The page runs on
    127.0.0.1 only and needs the printed URL (it carries a session token). Keys:
    1-9 choose, Tab moves between fields, Enter accepts, Backspace undoes, / searches.
    Ctrl-C stops the server; every accepted row is already saved. The model page
    (/model) teaches the model with the team's decisions (as `voc train --add`), the
    themes page saves a curated theme set (as `voc themes --save-curated`); both write
    only inside the project file's folder, or inside --write-dir.

    Example:

        voc review tickets_tagged.xlsx --coder wang

        voc review tickets_tagged.xlsx --codebook docs/codebook_example.yaml --coder wang

        voc review hotline_tagged.csv callback_tagged.csv --text-col 客户原话 --text-col 回访实录
    """
    import getpass
    import webbrowser

    from voiceofcustomer.review.app import serve
    from voiceofcustomer.review.project import open_project

    coder = coder or getpass.getuser() or "coder"
    if write_dir is not None and not write_dir.is_dir():
        raise UserError(f"{write_dir}: --write-dir must be an existing folder")
    store = open_project(list(inputs), db, speakers=speakers, items=items_path, codebook=codebook_path,
                         progress=lambda m: info(False, m), text_col=text_col, id_col=id_col)
    book = store.codebook()
    team = f"; team fields {', '.join(book.ids)}" if book else ""
    n_items = store.item_count()
    if items_path or n_items:  # say what --items gave, or what a reopened project holds: decided in the items view
        added = f" ({store.items_added} new)" if items_path else ""
        team += f"; {plural(n_items, 'candidate item')}{added} in the items view"
    uncounted = len(store) - store.counted_count()
    if uncounted:  # they count nowhere, so they are not in the queue (the page's "also moderator turns, repeats and empty rows")
        team += (f"; {plural(uncounted, 'moderator turn, repeat or empty row', 'moderator turns, repeats and empty rows')}"
                 " not in the queue")
    info(False, f"project {store.path}: {plural(len(store), 'statement')} ({store.added:,} new); coder {coder}{team}")

    def ready(url: str) -> None:
        click.echo(f"review: {url}")
        click.echo("press Ctrl-C to stop (decisions are saved as you go)", err=True)
        if not no_browser:
            webbrowser.open(url)

    try:
        serve(store, coder=coder, port=port, on_ready=ready, title=store.path.name, write_root=write_dir)
    finally:
        store.close()
    info(False, f"stopped; {store.path} holds every decision")


@click.command("agreement")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Excel workbook with the confusion tables and the disagreeing rows.")
@click.option("--key", help="With two tables: the column that matches rows (default: their ids when both have an id "
                            "column such as statement_id or 工单编号, else text).")
@click.option("--no-model", is_flag=True, help="Project file: compare coders only, not the model.")
@tagged_text_col_option
@library_call
def agreement_cmd(inputs, output, key, no_model, text_col):
    """Cohen's kappa and Krippendorff's alpha per label: coder vs coder and model vs coder.

    INPUTS is a review project file (voc review --db), or two labelled tables
    (e.g. two coders' copies of one sheet) matched by their ids (statement_id, or an id
    column such as 工单编号), else by text, or by --key.

    Example:

        voc agreement review.sqlite -o agreement.xlsx

        voc agreement coder_a.xlsx coder_b.xlsx

        voc agreement coder_a.csv coder_b.csv --text-col 工单摘要
    """
    from voiceofcustomer.review.agreement import agreement_from_project, agreement_from_tables, reported

    if output is not None:
        output_file(output, example="agreement.xlsx")
    if len(inputs) == 1:
        if text_col is not None:  # a project's texts were read when it was made (voc review --text-col)
            raise click.UsageError("--text-col names the text column of two labelled tables; a project file "
                                   "keeps the texts it was made with, so leave --text-col out")
        res = agreement_from_project(inputs[0], model=not no_model)
        if res.pairs.empty:
            raise UserError(f"{inputs[0]}: no statement was coded by two coders yet, so nothing can be compared; "
                            "have a second coder decide the same statements (voc review --coder NAME)"
                            + (", or leave out --no-model to compare the model with each coder" if no_model else ""))
        if res.left_out:
            info(False, f"{plural(res.left_out, 'decided moderator turn or repeat', 'decided moderator turns or repeats')} "
                        f"left out: {'it counts' if res.left_out == 1 else 'they count'} nowhere")
    elif len(inputs) == 2:
        res = agreement_from_tables(inputs[0], inputs[1], key=key, text_col=text_col)
        for note in res.notes:
            info(False, note)
    else:
        raise click.UsageError("give one project file or two labelled tables")
    def num(v) -> str:  # κ and α are undefined when a coder used one value only: "–", as the review page shows
        return "–" if v != v else f"{reported(v, 3):.3f}"

    for r in res.pairs.itertuples(index=False):
        click.echo(f"{r.field:9s} {r.coder_a} vs {r.coder_b}: n={r.n}  agree={r.agree:.1%}  "
                   f"kappa={num(r.kappa)}  alpha={num(r.alpha)}")
    for r in res.overall.itertuples(index=False):
        click.echo(f"{r.field:9s} all coders ({r.coders}): units={r.units}  alpha={num(r.alpha)}")
    if output:
        res.write(output)
        with outputs_written(output):  # a stop from here on: the output is this run's, whole
            n = res.disagreement_counts()
            parts = [f"{n['between_coders']:,} between coders, on {plural(n['coder_statements'], 'statement')}"]
            if n["with_model"]:
                parts.append(f"{n['with_model']:,} of the model and a coder")
            info(False, f"{plural(n['rows'], 'disagreeing row')} ({'; '.join(parts)}) and confusion tables → {output}")


@click.command("export")
@click.argument("project", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help=".xlsx/.csv/.parquet/.jsonl (one row per statement) or .qdpx (REFI-QDA for NVivo, "
                   "ATLAS.ti, MAXQDA, QualCoder).")
@click.option("--items", "items_only", is_flag=True,
              help="Export the decided candidate items instead (an items sheet for `voc survey`).")
@library_call
def export_cmd(project, output, items_only):
    """Export a review project's coded statements (labels, theme, speaker attributes, quote, and the
    input's own columns such as a ticket export's 受理时间, 区县, 渠道).

    Example:

        voc export review.sqlite -o coded.xlsx

        voc export review.sqlite -o coded.qdpx

        voc export review.sqlite --items -o items_reviewed.xlsx && voc survey items_reviewed.xlsx -o survey/
    """
    from voiceofcustomer.review.export import coded_counts, export_items, export_project, items_counts

    output_file(output, example="coded.xlsx")
    (export_items if items_only else export_project)(project, output)
    with outputs_written(output):  # a stop from here on: the output is this run's, whole
        if items_only:  # the numbers of the page's items view: its 已决定 N / items, and each card's decision
            n = items_counts(output)
            info(False, f"wrote {output}: {plural(n['items'], 'candidate item')}, {n['decided']:,} decided (the page's "
                        f"已决定 {n['decided']:,} / {n['items']:,}): {n['accept']:,} accepted, {n['edit']:,} edited, "
                        f"{n['reject']:,} rejected; {n['undecided']:,} undecided")
            return
        # the numbers a researcher checks against the page: its 我已标注 N / counted, per coder
        n = coded_counts(project)
        by = ", ".join(f"{c} {k:,} / {n['counted']:,}" for c, k in n["coders"].items())
        info(False, f"wrote {output}: {plural(n['rows'], 'statement')} ({n['counted']:,} that count), "
                    f"{n['decided']:,} decided" + (f"; by coder, decided of those that count (the page's 我已标注): {by}"
                                                  if by else " (no coder yet)"))
