"""The ``voc`` command line: thin wrappers over the library.

Each command parses options, calls one library function and turns the library's
:class:`~voiceofcustomer.errors.VocError` into a one-line message with exit status 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.labels.taxonomy import DEFAULT_REVIEW_BELOW

from voiceofcustomer import __version__

from voiceofcustomer.cli.support import (  # noqa: F401  (re-exported for command modules and tests)
    EXIT_USER_ERROR,
    Stopped,
    UserError,
    VocGroup,
    by_option,
    library_call,
    list_bad_rows,
    moderator_option,
    note_detected_moderators,
    note_city_from_title,
    note_no_group,
    staff_section_option,
    customer_section_option,
    output_file,
    output_folder,
    outputs_written,
    plural,
    stopped,
    titles_said,
    totals_set_aside,
    warn_long_cells,
    warn_no_moderator,
    warn_same_transcripts,
    warn_unlisted_speakers,
    with_reader_options,
)
from voiceofcustomer.cli.support import info as _info
from voiceofcustomer.cli.support import progress_bar as _progress
from voiceofcustomer.cli.support import report_bad_rows as _report_bad_rows


@click.group(cls=VocGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="voc")
def main():
    """voiceofcustomer: Chinese customer feedback → SERVQUAL labels, themes, frequencies, items.

    Example:

        voc demo
    """


@main.command("split")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Statements table: .csv, .xlsx, .parquet or .jsonl.")
@click.option("--kind", type=click.Choice(["auto", "transcript", "tickets", "survey"]), default="auto",
              show_default=True,
              help="auto: a .txt/.docx of speaker turns is a transcript, and so is a sheet or CSV of one turn a row "
                   "under a title row 序号 | 发言人 | 发言内容; a table with a column 提交答卷时间 or 答卷编号 is a "
                   "survey; other files are tickets. survey: a table of a survey's open answers, one answer a row, "
                   "counted by voc freq as 其他文本 (source_kind other), not as tickets.")
@with_reader_options(per_file=True)
@click.option("--group", help="Customer group for transcripts without one in the header (e.g. public, business).")
@click.option("--city", help="City of the session(s).")
@click.option("--session", help="Session id (default: from the header or the file name).")
@moderator_option
@staff_section_option
@customer_section_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@library_call
def split_cmd(inputs, output, kind, text_col, id_col, encoding, sheet, on_bad_rows, group, city, session, moderators,
              staff_sections, customer_sections, quiet):
    """Split transcripts and ticket files into a table of cleaned, segmented statements.

    Example:

        voc split corpora/samples/focus_group_public_tianjin.txt corpora/samples/tickets.csv -o statements.csv
    """
    from voiceofcustomer.io.readers import check_sheet_option
    from voiceofcustomer.text.split import SplitSummary, split_inputs
    from voiceofcustomer.io.writers import TableWriter

    check_sheet_option(inputs, sheet)
    output_file(output, example="statements.csv")
    summary = SplitSummary()
    with _progress(quiet, desc="split") as bar, TableWriter(output) as writer:
        for chunk in split_inputs(inputs, kind=kind, text_col=text_col, id_col=id_col, encoding=encoding,
                                  sheet=sheet, group=group, city=city, session=session, moderators=moderators,
                                  staff_sections=staff_sections, customer_sections=customer_sections,
                                  on_bad_rows=on_bad_rows, summary=summary, progress=bar.update):
            writer.write(chunk)
    with outputs_written(output):  # a stop from here on: OUTPUT is this run's, whole (not 'left as they were')
        warn_long_cells(writer.long_cells, output)
        warn_no_moderator(summary.no_moderator)
        note_no_group(summary.no_group)
        note_city_from_title(summary.city_from_title)
        note_detected_moderators(summary.detected_moderators)
        warn_unlisted_speakers(summary.unlisted_speakers)
        warn_same_transcripts(summary.same_transcripts)
        _report_bad_rows(summary.bad_rows, output, quiet)
        _info(quiet, f"wrote {plural(summary.statements, 'statement')} ({plural(summary.turns, 'turn')}, "
                     f"{plural(summary.rows - summary.answers, 'ticket row')}"
                     + (f", {plural(summary.answers, 'survey answer')}" if summary.answers else "")
                     + f"; {plural(summary.duplicates, 'duplicate')} flagged, "
                     f"{summary.empty:,} empty, {plural(summary.boilerplate, 'boilerplate line')} dropped"
                     + (f"; {summary.garbled:,} garbled (mojibake, 锟斤拷, ???), noted and not counted: check the "
                        "file's encoding (--encoding gbk or utf-8)" if summary.garbled else "")
                     + (f"; {summary.staff:,} of staff sections (处理过程, 处理结果, 回访 …) in "
                        f"{plural(summary.staff_tickets, 'ticket')}, kept with role staff and not counted"
                        if summary.staff else "")
                     + f"{totals_set_aside(summary.totals_rows, summary.header_rows)}"
                     + f"{titles_said(summary.title_rows)}) to {output}")


@main.command("train")
@click.argument("corpus", required=False, type=click.Path(path_type=Path, exists=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for labels.joblib, metrics.json and the model card README.md.")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds for the model card (1: none).")
@click.option("--add", "add", multiple=True, type=click.Path(path_type=Path),
              help="Review project file(s) (voc review --db): also learn the team's decisions.")
@click.option("--weight", type=click.IntRange(min=1), default=3, show_default=True,
              help="With --add --method refit: how many times one team decision counts.")
@click.option("--method", type=click.Choice(["adapter", "refit"]), default="adapter", show_default=True,
              help="With --add: adapter = keep the corpus model and fit a team adapter on the decisions "
                   "(measured better, docs/review.md); refit = retrain on the corpus plus the decisions.")
@click.option("--min-examples", default=5, show_default=True,
              help="With --add and a codebook: decided statements each value of a team field needs.")
@click.option("--convention-map/--no-convention-map", default=None,
              help="With --add --method adapter: also try an adapter whose labels may follow the model's "
                   "choice (a team that codes one of the guide's classes as another; docs/review.md). "
                   "Default: only for a field where the decisions show such a recoding.")
@click.option("--embeddings", type=click.Choice(["none", "use"]), default="none", show_default=True,
              help="use: add packaged Universal Sentence Encoder vectors as features (the accurate variant; "
                   "about 10x slower to tag, see models/README.md). Tag with it via `voc tag --model`.")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def train_cmd(corpus, out_dir, folds, add, weight, method, min_examples, convention_map, embeddings, quiet):
    """Train the label model from a labelled corpus (deterministic, fixed seeds).

    With --add, train on the corpus (default: the shipped one) plus a review
    project's decisions; the model card reports agreement on the team's held-out decisions.
    A project opened with `voc review --codebook` also trains one classifier per team field.

    Example:

        voc train corpora/labelled -o models/

        voc train --add review.sqlite -o my-model/

        voc train corpora/labelled --embeddings use -o models-accurate/
    """
    from voiceofcustomer.labels.train import train_model

    output_folder(out_dir)
    if convention_map is not None and (not add or method != "adapter"):
        flag = "--convention-map" if convention_map else "--no-convention-map"
        raise UserError(f"{flag} needs --add (a review project) and --method adapter")
    weight_given = click.get_current_context().get_parameter_source("weight") != click.core.ParameterSource.DEFAULT
    if weight_given and (not add or method != "refit"):  # the adapter fits on the decisions once: no weight to read
        raise UserError("--weight needs --add (a review project) and --method refit; the default adapter method "
                        "weighs nothing: drop --weight, or add --method refit")
    if add:
        from voiceofcustomer.review.teach import train_with_decisions

        m = train_with_decisions(add, out_dir, corpus=corpus, weight=weight, method=method, min_examples=min_examples,
                                 convention_map="auto" if convention_map is None else convention_map,
                                 progress=None if quiet else lambda msg: _info(False, msg))
        held = m["team_held_out"]
        with outputs_written(out_dir):  # a stop from here on: the output is this run's, whole
            from voiceofcustomer.review.teach import no_agreement_reason, taught_what

            _info(quiet, f"{taught_what(m)[0]} → {out_dir}"
                         + ("; team held-out macro-F1 " + ", ".join(
                             f"{f} {held['before'][f]['macro_f1']:.2f}→{held['after'][f]['macro_f1']:.2f}"
                             for f in held["after"]) if held else ""))
            from voiceofcustomer.review.teach import adapter_use_note

            used = adapter_use_note(m)
            if used:  # the card's "Used for: no field", said where it is read
                click.echo(f"note: {used} (see {Path(out_dir) / 'README.md'})", err=True)
            if not held:  # why, with the numbers the split gave (25 decisions look like enough)
                click.echo(f"note: no team agreement measured: {no_agreement_reason(m)[0]}", err=True)
            if held:
                from voiceofcustomer.review.teach import MIN_DISTINCT_HELD_OUT

                distinct = held.get("n_test_distinct", held["n_test"])
                if distinct < MIN_DISTINCT_HELD_OUT:
                    click.echo(f"warning: the team held-out agreement rests on {distinct} distinct texts (fewer "
                               f"than {MIN_DISTINCT_HELD_OUT}): too few to trust; code more and teach again "
                               f"(see {Path(out_dir) / 'README.md'})", err=True)
            from voiceofcustomer.review.teach import disagreement_note

            split = disagreement_note(m)
            if split:  # the later coder's decisions were taught: say so before anyone tags with the model
                click.echo(f"warning: {split[0]}", err=True)
            for f, h in (m.get("team_held_out_custom") or {}).items():
                if not h.get("skipped"):
                    _info(quiet, f"team field {f}: held-out macro-F1 {h['before']['macro_f1']:.2f} (most frequent "
                                 f"value) → {h['after']['macro_f1']:.2f}, kappa {h['after']['kappa']:.2f}")
        return
    if corpus is None:
        raise UserError("give a labelled CORPUS, or --add a review project to teach the shipped corpus")

    params = {"embeddings": "use"} if embeddings == "use" else None
    metrics = train_model(corpus, out_dir, folds=folds, model_params=params,
                          progress=None if quiet else lambda m: _info(False, m))
    cv = metrics.get("cv", {})
    with outputs_written(out_dir):  # a stop from here on: the output is this run's, whole
        _info(quiet, f"trained on {plural(metrics['n_statements'], 'statement')} → {out_dir}"
                     + ("; CV macro-F1 " + ", ".join(f"{f} {r['macro_f1']:.3f}" for f, r in cv.items()) if cv else ""))


@main.command("tag")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Tagged table: .csv (UTF-8 with BOM), .xlsx, .parquet or .jsonl (--engine dask: a folder).")
@with_reader_options(per_file=True)
@click.option("--review-below", default=DEFAULT_REVIEW_BELOW, show_default=True, type=click.FloatRange(0, 1),
              help="Flag needs_review when the geometric mean of the four calibrated confidences is below this (default chosen on "
                   "real posts: see models/README.md for the coverage/accuracy curve).")
@click.option("--model", "model_path", type=click.Path(path_type=Path), help="Model file or folder (default: shipped).")
@click.option("--jobs", default=0, help="Worker processes (default: all cores).")
@click.option("--chunk-size", default=5000, show_default=True, help="Rows per chunk (memory stays flat).")
@click.option("--reuse", "reuse_path", type=click.Path(path_type=Path),
              help="An earlier `voc tag` output: texts labelled there keep their labels; only new texts are tagged. "
                   "Refused when its Parquet/Excel file records another model than this run's.")
@click.option("--restart", is_flag=True, help="Discard an interrupted run of this output instead of continuing it.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: worker processes on this machine; dask: a Dask cluster (INPUT may be a folder or glob "
                   "of CSV/Parquet partitions; the output is a partitioned Parquet folder).")
@click.option("--scheduler", help="With --engine dask: address of a running scheduler, e.g. tcp://10.0.0.5:8786 "
                                  "(default: a local cluster of 2 worker processes).")
@click.option("--thread-col", help="Column whose equal values make one thread (conversation, ticket): each row is "
                                   "labelled with the earlier rows of its thread as context. Without it, the "
                                   "sentences of a voc split ticket are one thread per ticket.")
@click.option("--adapt", is_flag=True,
              help="First fit the model to this input (reads up to 20,000 rows once more and refits, about a minute): "
                   "the corpus statements that read like the input count more. Deterministic; off by default, see "
                   "docs/benchmarks.md for what it changes on real posts.")
@click.option("--adapt-method", type=click.Choice(["weights", "self-training"]), default="weights", show_default=True,
              help="With --adapt: weights = importance weights of the corpus statements; self-training = also learn "
                   "the input's confidently labelled rows.")
@click.option("--issue-2", "issue_2", is_flag=True,
              help="Add an issue_2 column: a second issue when a statement carries two (empty otherwise).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@library_call
def tag_cmd(input_path, output, text_col, id_col, encoding, sheet, on_bad_rows, review_below, model_path, jobs,
            chunk_size, reuse_path, restart, engine, scheduler, thread_col, adapt, adapt_method, issue_2, quiet):
    """Label every row with SERVQUAL dimension, demand area, issue category and stance.

    Every input row comes back, in order, with all its columns plus the labels,
    their confidences (*_conf) and needs_review. For a grown export, --reuse the
    previous output: nothing is tagged twice and no row is lost. An interrupted run
    continues where it stopped when the same command is run again.

    Example:

        voc tag corpora/samples/tickets.csv -o tickets_tagged.xlsx

        voc tag tickets_november.csv -o tagged_november.parquet --reuse tagged_october.parquet

        voc tag 'exports/*.parquet' -o tagged_dataset --engine dask --scheduler tcp://10.0.0.5:8786

        voc tag weibo_threads.csv -o tagged.csv --thread-col conversation_id

        voc tag tickets.csv -o tagged.csv --issue-2
    """
    from voiceofcustomer.io.readers import check_sheet_option
    from voiceofcustomer.labels.workflow import partial_dir, tag_table, unfinished_rows

    check_sheet_option([input_path], sheet)
    if engine == "local":
        output_file(output, example="tagged.csv")
    else:
        output_folder(output)
    try:
        with _progress(quiet, desc="tag") as bar:
            res = tag_table(input_path, output, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                            on_bad_rows=on_bad_rows, reuse=reuse_path, review_below=review_below,
                            n_jobs=jobs or None, model_path=model_path, chunksize=chunk_size, progress=bar.update,
                            restart=restart, engine=engine, scheduler=scheduler, thread_col=thread_col,
                            adapt=adapt and adapt_method, issue_2=issue_2)
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: say what the next run continues from
        kept = unfinished_rows(output) if engine == "local" and not getattr(exc, "outputs_written", ()) else 0
        if not kept:
            raise
        raise Stopped(exc, f"; {output} was not written. The {kept:,} rows tagged so far are kept in "
                           f"{partial_dir(output)}: run the same command again to continue, or add --restart to "
                           "start over") from None
    with outputs_written(output):  # a stop from here on: OUTPUT is this run's, whole (not 'left as they were')
        warn_long_cells(res.long_cells, output)
        _report_bad_rows(res.bad_rows, output, quiet)
        reused = f", {res.reused:,} with labels reused from {reuse_path}" if reuse_path is not None else ""
        resumed = f"; continued after {res.resumed_chunks} finished chunks" if res.resumed_chunks else ""
        # need review: the counted statements flagged, as the report's 需复核 (the rows that are no statement are
        # flagged for their placeholder labels and said apart)
        uncounted = [f"{plural(res.empty_rows, 'empty row')}, not counted"] if res.empty_rows else []
        if res.staff_rows:
            uncounted.append(f"{plural(res.staff_rows, 'staff-section row')} (处理过程, 处理结果, 回访 … of a ticket), "
                             "kept, not labelled or counted")
        if res.garbled_rows:
            uncounted.append(f"{plural(res.garbled_rows, 'row')} whose text looks garbled (mojibake, 锟斤拷, ???), "
                             "not counted: check the file's encoding (--encoding gbk or utf-8)")
        _info(quiet, f"tagged {plural(res.rows, 'row')} ({res.needs_review:,} of the counted statements need review"
                     f"{reused}{resumed}{''.join('; ' + u for u in uncounted)}"
                     f"{totals_set_aside(res.totals_rows, res.header_rows)}{titles_said(res.title_rows)}) → {output}")
        for note in res.notes:
            click.echo(f"note: {note}", err=True)


@main.command("evaluate")
@click.argument("labelled", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder for the results.")
@click.option("--model", "model_path", type=click.Path(path_type=Path), help="Model file or folder (default: shipped).")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def evaluate_cmd(labelled, out_dir, model_path, quiet):
    """Per-field precision/recall/F1, macro-F1 and confusion matrices, model vs keyword baseline.

    LABELLED is a .csv (UTF-8 or GBK), .xlsx, .jsonl or a folder of .jsonl with text, servqual, demand, issue,
    stance (or the report's names: 投诉内容 …, SERVQUAL维度, 需求类别, 问题类别, 陈述类型) holding the taxonomy's ids.

    Example:

        voc evaluate my_labelled_sample.csv -o eval/
    """
    from voiceofcustomer.labels.model import load_model
    from voiceofcustomer.labels.evaluate import evaluate

    output_folder(out_dir)
    summary = evaluate(labelled, out_dir, model=load_model(model_path))
    with outputs_written(out_dir):  # a stop from here on: the output is this run's, whole
        for f, d in summary["fields"].items():
            _info(quiet, f"{f:9s} macro-F1  model {d['model']['macro_f1']:.3f}   keyword baseline "
                         f"{d['keyword_baseline']['macro_f1']:.3f}")
        _info(quiet, f"details in {out_dir}")
from voiceofcustomer.cli.gap import gap_cmd  # noqa: E402
main.add_command(gap_cmd)


@main.command("items")
@click.argument("analysed", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="Workbook to write (.xlsx).")
@with_reader_options
@click.option("--bank", type=click.Path(path_type=Path), help="Item bank CSV (default: corpora/item_bank.csv).")
@click.option("--min-support", default=1, show_default=True, help="Statements needed for a candidate.")
@click.option("--e-style", type=click.Choice(["servqual", "wish"]), default="servqual", show_default=True,
              help="Expectation wording: servqual (优秀的营业厅应当…) or wish (您期望营业厅…).")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def items_cmd(analysed, output, text_col, id_col, encoding, sheet, on_bad_rows, bank, min_support, e_style, quiet):
    """Candidate SERVQUAL questionnaire items (expectation and perception forms) with evidence.

    ANALYSED is any table voc tag or voc themes wrote: tagged statements, a ticket export
    tagged directly (its text column is found by name, or give --text-col), or
    statement_topics.csv (then items carry their theme). Review the workbook
    (decision: accept/edit/reject), then run voc survey.

    Example:

        voc items report/statements.xlsx -o items.xlsx
    """
    from voiceofcustomer.items.candidates import (candidate_items, items_workbook_path, load_item_bank,
                                                  no_item_as_worded, write_items_workbook)
    from voiceofcustomer.io.readers import check_sheet_option
    from voiceofcustomer.statements import open_statements

    check_sheet_option([analysed], sheet)
    output_file(output, example="items.xlsx")
    items_workbook_path(output)  # before the work: a .csv name is refused as the library refuses it
    source = open_statements(analysed, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                             on_bad_rows=on_bad_rows)
    statements = source.read()
    _report_bad_rows([(str(analysed), line, reason) for line, reason in source.bad_rows], output, quiet)
    from voiceofcustomer.labels.taxonomy import FIELDS

    unlabelled = [f for f in FIELDS if f not in statements.columns]
    if unlabelled:  # a `voc split` table: say which file and the command that labels it
        raise UserError(f"{analysed}: no label columns ({', '.join(unlabelled)}); label it first with "
                        f"`voc tag {analysed} -o tagged.xlsx`, then run `voc items tagged.xlsx -o {output}`")
    result = candidate_items(statements, bank=load_item_bank(bank) if bank else None,
                             min_support=min_support, e_style=e_style)
    write_items_workbook(result, output)
    with outputs_written(output):  # a stop from here on: the output is this run's, whole
        failing = int((result.items["checks"] != "ok").sum()) if len(result.items) else 0
        missing = result.coverage[(result.coverage["demand"] == "(all)") & (result.coverage["status"] != "ok")]
        weak = int((result.items["support_strength"] == "weak").sum()) if len(result.items) else 0
        composed = int((result.items["source"] == "composed").sum()) if len(result.items) else 0
        last = int(no_item_as_worded(result.items).sum())
        unusable = (f", {last} of them composed wordings that are no item as they stand, listed last to rewrite "
                    "or reject" if last else "")
        _info(quiet, f"{len(result.items)} candidate items ({composed} composed for needs the bank lacks, {weak} with "
                     f"weak support, {failing} fail a quality check{unusable}, see 'checks') → {output}")
        if len(missing):
            _info(quiet, "no evidence for: " + ", ".join(missing["servqual"]))
from voiceofcustomer.cli.survey import survey_cmd  # noqa: E402
main.add_command(survey_cmd)
from voiceofcustomer.cli.freq import freq_cmd  # noqa: E402
main.add_command(freq_cmd)


@main.command("analyze")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path), help="Report folder.")
@click.option("--kind", type=click.Choice(["auto", "transcript", "tickets", "survey"]), default="auto",
              show_default=True, help="As voc split's --kind (survey: a table of a survey's open answers).")
@with_reader_options(per_file=True)
@click.option("--group", help="Customer group for transcripts without one in the header.")
@click.option("--city", help="City of the session(s).")
@moderator_option
@staff_section_option
@customer_section_option
@by_option
@click.option("--date-col", help="Date column of tickets (default: found by name, e.g. 受理时间).")
@click.option("--period", type=click.Choice(["week", "month"]), default="month", show_default=True)
@click.option("--review-below", default=DEFAULT_REVIEW_BELOW, show_default=True, type=click.FloatRange(0, 1),
              help="Flag needs_review when the geometric mean of the four calibrated confidences is below this.")
@click.option("--embedding", help="Theme embedding backend (default: the best measured one).")
@click.option("--seed", default=42, show_default=True, help="Random seed of the themes: same input and seed, same topics.")
@click.option("--jobs", default=0, help="Tagging worker processes (default: all cores).")
@click.option("--title", help="Report title.")
@click.option("--thread-col", help="Ticket column whose equal values make one thread: rows are labelled with the "
                                   "earlier rows of their thread as context (default: each ticket's sentences are "
                                   "one thread; transcripts always use the moderator's question and the speaker's "
                                   "previous statement).")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def analyze_cmd(inputs, out_dir, kind, text_col, id_col, encoding, sheet, on_bad_rows, group, city, moderators,
                staff_sections, customer_sections, by,
                date_col, period, review_below, embedding, seed, jobs, title, thread_col, quiet):
    """Run split → tag → themes → freq → items and write one report folder.

    Writes index.html (open it in a browser), statements.xlsx, frequencies.xlsx, items.xlsx
    and themes/. Every stage option (--on-bad-rows, --review-below, --by, --date-col,
    --seed, --jobs) is passed to its stage.

    Example:

        voc analyze focus_group.docx tickets.csv -o report/ --by 渠道 --date-col 受理时间
    """
    from voiceofcustomer.analyze import analyze
    from voiceofcustomer.cli.support import cli_words
    from voiceofcustomer.io.readers import check_sheet_option

    check_sheet_option(inputs, sheet)
    res = analyze(inputs, out_dir, kind=kind, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                  on_bad_rows=on_bad_rows, group=group, city=city, by=by, date_col=date_col, period=period,
                  review_below=review_below, embedding=embedding, seed=seed, n_jobs=jobs or None, title=title,
                  thread_col=thread_col, moderators=moderators, staff_sections=staff_sections,
                  customer_sections=customer_sections, words=cli_words,  # its notes: a voc freq command
                  progress=None if quiet else lambda m: _info(False, m))
    with outputs_written(res.out_dir):  # a stop from here on: the output is this run's, whole
        warn_long_cells(res.long_cells, res.out_dir / "statements.xlsx")
        warn_no_moderator(res.summary.no_moderator)
        note_no_group(res.summary.no_group)
        note_city_from_title(res.summary.city_from_title)
        note_detected_moderators(res.summary.detected_moderators)
        warn_unlisted_speakers(res.summary.unlisted_speakers)
        warn_same_transcripts(res.summary.same_transcripts)
        list_bad_rows(res.summary.bad_rows, res.files.get("statements.skipped.csv"))
        _info(quiet, f"{plural(res.n_statements, 'statement')}, {plural(res.n_topics, 'theme')}, "
                     f"{plural(res.n_items, 'candidate item')}{titles_said(res.summary.title_rows)}")
        click.echo(f"report: {res.out_dir / 'index.html'}")


@main.command("demo")
@click.option("-o", "--output", "out_dir", default="voc-demo-report", show_default=True,
              type=click.Path(path_type=Path), help="Report folder.")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def demo_cmd(out_dir, quiet):
    """Analyse the shipped sample focus groups and tickets, score the sample store checks
    (audit/), and print where the report is.

    Example:

        voc demo -o voc-demo-report
    """
    from voiceofcustomer.analyze import demo, demo_inputs
    from voiceofcustomer.cli.support import cli_words

    _info(quiet, "inputs: " + ", ".join(p.name for p in demo_inputs()) + " (+ sample store checks for the audit)")
    res = demo(out_dir, progress=None if quiet else lambda m: _info(False, m), words=cli_words)
    with outputs_written(res.out_dir):  # a stop from here on: the output is this run's, whole
        _info(quiet, f"{plural(res.n_statements, 'statement')}, {plural(res.n_topics, 'theme')}, "
                     f"{plural(res.n_items, 'candidate item')}")
        click.echo(f"report: {(res.out_dir / 'index.html').resolve()}")

from voiceofcustomer.cli.themes import themes_cmd  # noqa: E402
main.add_command(themes_cmd)

from voiceofcustomer.cli.audit import audit_cmd  # noqa: E402
main.add_command(audit_cmd)

from voiceofcustomer.cli.review import agreement_cmd, export_cmd, review_cmd  # noqa: E402
for _cmd in (review_cmd, agreement_cmd, export_cmd):
    main.add_command(_cmd)
