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
    UserError,
    _report_bad_rows,
    _info,
    _progress,
    library_call,
    reader_options,
    with_reader_options,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
@click.option("--kind", type=click.Choice(["auto", "transcript", "tickets"]), default="auto", show_default=True,
              help="auto: a .txt/.docx of speaker turns is a transcript, other files are tickets.")
@with_reader_options
@click.option("--group", help="Customer group for transcripts without one in the header (e.g. public, business).")
@click.option("--city", help="City of the session(s).")
@click.option("--session", help="Session id (default: from the header or the file name).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@library_call
def split_cmd(inputs, output, kind, text_col, id_col, encoding, sheet, on_bad_rows, group, city, session, quiet):
    """Split transcripts and ticket files into a table of cleaned, segmented statements.

    Example:

        voc split corpora/samples/focus_group_public_tianjin.txt corpora/samples/tickets.csv -o statements.csv
    """
    from voiceofcustomer.text.split import SplitSummary, split_inputs
    from voiceofcustomer.io.writers import TableWriter

    summary = SplitSummary()
    with _progress(quiet, desc="split") as bar, TableWriter(output) as writer:
        for chunk in split_inputs(inputs, kind=kind, text_col=text_col, id_col=id_col, encoding=encoding,
                                  sheet=sheet, group=group, city=city, session=session,
                                  on_bad_rows=on_bad_rows, summary=summary, progress=bar.update):
            writer.write(chunk)
    _report_bad_rows(summary.bad_rows, output, quiet)
    _info(quiet, f"wrote {summary.statements} statements ({summary.turns} turns, {summary.rows} ticket rows; "
                 f"{summary.duplicates} duplicates flagged, {summary.empty} empty, "
                 f"{summary.boilerplate} boilerplate lines dropped) to {output}")


@main.command("train")
@click.argument("corpus", type=click.Path(path_type=Path, exists=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for labels.joblib, metrics.json and the model card README.md.")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds for the model card (1: none).")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def train_cmd(corpus, out_dir, folds, quiet):
    """Train the label model from a labelled corpus (deterministic, fixed seeds).

    Example:

        voc train corpora/labelled -o models/
    """
    from voiceofcustomer.labels.train import train_model

    metrics = train_model(corpus, out_dir, folds=folds, progress=None if quiet else lambda m: _info(False, m))
    cv = metrics.get("cv", {})
    _info(quiet, f"trained on {metrics['n_statements']} statements → {out_dir}"
                 + ("; CV macro-F1 " + ", ".join(f"{f} {r['macro_f1']:.3f}" for f, r in cv.items()) if cv else ""))


@main.command("tag")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Tagged table: .csv (UTF-8 with BOM), .xlsx, .parquet or .jsonl.")
@with_reader_options
@click.option("--review-below", default=DEFAULT_REVIEW_BELOW, show_default=True, type=click.FloatRange(0, 1),
              help="Flag needs_review when any field's calibrated confidence is below this (default chosen on "
                   "real posts: see models/README.md for the coverage/accuracy curve).")
@click.option("--model", "model_path", type=click.Path(path_type=Path), help="Model file or folder (default: shipped).")
@click.option("--jobs", default=0, help="Worker processes (default: all cores).")
@click.option("--chunk-size", default=5000, show_default=True, help="Rows per chunk (memory stays flat).")
@click.option("--reuse", "reuse_path", type=click.Path(path_type=Path),
              help="An earlier `voc tag` output: texts labelled there keep their labels; only new texts are tagged.")
@click.option("--thread-col", help="Column whose equal values make one thread (conversation, ticket): each row is "
                                   "labelled with the earlier rows of its thread as context.")
@click.option("--adapt", is_flag=True,
              help="First fit the model to this input (self-training on its confidently labelled rows; reads up to "
                   "20,000 rows once more). Deterministic; off by default, see models/README.md for what it changes.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@library_call
def tag_cmd(input_path, output, text_col, id_col, encoding, sheet, on_bad_rows, review_below, model_path, jobs,
            chunk_size, reuse_path, thread_col, adapt, quiet):
    """Label every row with SERVQUAL dimension, demand area, issue category and stance.

    Every input row comes back, in order, with all its columns plus the labels,
    their confidences (*_conf) and needs_review. For a grown export, --reuse the
    previous output: nothing is tagged twice and no row is lost.

    Example:

        voc tag corpora/samples/tickets.csv -o tickets_tagged.xlsx

        voc tag tickets_november.csv -o tagged_november.parquet --reuse tagged_october.parquet

        voc tag weibo_threads.csv -o tagged.csv --thread-col conversation_id
    """
    from voiceofcustomer.io.readers import open_table
    from voiceofcustomer.text.split import detect_kind, split_inputs
    from voiceofcustomer.labels.tagging import PreviousLabels, tag_chunks
    from voiceofcustomer.io.writers import TableWriter

    if reuse_path is not None and reuse_path.resolve() == output.resolve():
        raise UserError(f"{output}: --reuse must be an earlier output, not the file being written; "
                        "write to a new name")
    previous = PreviousLabels.read(reuse_path, text_col=text_col) if reuse_path else None
    stats: dict = {}

    def read():
        if detect_kind(input_path, encoding) == "transcript":
            from voiceofcustomer.labels.context import CONTEXT_COL, with_transcript_context

            chunks = split_inputs([input_path], kind="transcript", encoding=encoding)
            if thread_col is None:  # a focus group: the moderator's question and the speaker's last statement
                return with_transcript_context(chunks), "text", [], CONTEXT_COL
            return chunks, "text", [], None
        source = open_table(input_path, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                            on_bad_rows=on_bad_rows, chunksize=chunk_size)
        return source.chunks(), source.text_col, source.bad_rows, None

    adapt_dir = None
    if adapt:
        import tempfile

        from voiceofcustomer.labels.adapt import adapt_to_chunks

        adapt_dir = tempfile.TemporaryDirectory(prefix="voc-adapt-")
        chunks, text_col_used, _, context_col = read()
        adapted = Path(adapt_dir.name) / "labels.joblib"
        st = adapt_to_chunks(chunks, text_col_used, adapted, model_path=model_path, thread_col=thread_col,
                             context_col=context_col)
        _info(quiet, f"adapted the model to {st['input_rows']} input rows ({st['pseudo_labelled']} confidently "
                     "labelled rows joined the corpus)")
        model_path = adapted
    chunks, text_col_used, bad_rows, context_col = read()
    n_review = 0
    with _progress(quiet, desc="tag") as bar, TableWriter(output, sheet_name="tagged") as writer:
        for tagged in tag_chunks(chunks, text_col_used, model_path=model_path, review_below=review_below,
                                 n_jobs=jobs or None, previous=previous, stats=stats, progress=bar.update,
                                 thread_col=thread_col, context_col=context_col):
            n_review += int(tagged["needs_review"].sum())
            writer.write(tagged)
    if adapt_dir is not None:
        adapt_dir.cleanup()
    _report_bad_rows([(str(input_path), line, reason) for line, reason in bad_rows], output, quiet)
    reused = f", {stats['reused']} with labels reused from {reuse_path}" if previous is not None else ""
    _info(quiet, f"tagged {writer.rows} rows ({n_review} need review{reused}) → {output}")


@main.command("evaluate")
@click.argument("labelled", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder for the results.")
@click.option("--model", "model_path", type=click.Path(path_type=Path), help="Model file or folder (default: shipped).")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def evaluate_cmd(labelled, out_dir, model_path, quiet):
    """Per-field precision/recall/F1, macro-F1 and confusion matrices, model vs keyword baseline.

    LABELLED is a .jsonl/.csv (or folder of .jsonl) with text, servqual, demand, issue, stance.

    Example:

        voc evaluate my_labelled_sample.csv -o eval/
    """
    from voiceofcustomer.labels.model import load_model
    from voiceofcustomer.labels.evaluate import evaluate

    summary = evaluate(labelled, out_dir, model=load_model(model_path))
    for f, d in summary["fields"].items():
        _info(quiet, f"{f:9s} macro-F1  model {d['model']['macro_f1']:.3f}   keyword baseline "
                     f"{d['keyword_baseline']['macro_f1']:.3f}")
    _info(quiet, f"details in {out_dir}")
from voiceofcustomer.cli.gap import gap_cmd  # noqa: E402
main.add_command(gap_cmd)


@main.command("items")
@click.argument("analysed", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="Workbook to write (.xlsx).")
@click.option("--bank", type=click.Path(path_type=Path), help="Item bank CSV (default: corpora/item_bank.csv).")
@click.option("--min-support", default=1, show_default=True, help="Statements needed for a candidate.")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def items_cmd(analysed, output, bank, min_support, quiet):
    """Candidate SERVQUAL questionnaire items (expectation and perception forms) with evidence.

    ANALYSED is a tagged statements table (voc tag; with topic/topic_label from voc themes
    when available). Review the workbook (decision: accept/edit/reject), then run voc survey.

    Example:

        voc items report/statements.xlsx -o items.xlsx
    """
    from voiceofcustomer.items.candidates import candidate_items, load_item_bank, write_items_workbook
    from voiceofcustomer.io.readers import read_statements

    if output.suffix.lower() != ".xlsx":
        raise UserError(f"{output}: items are written as an Excel workbook; use a .xlsx name")
    result = candidate_items(read_statements(analysed), bank=load_item_bank(bank) if bank else None,
                             min_support=min_support)
    write_items_workbook(result, output)
    failing = int((result.items["checks"] != "ok").sum()) if len(result.items) else 0
    missing = result.coverage[(result.coverage["demand"] == "(all)") & (result.coverage["status"] != "ok")]
    _info(quiet, f"{len(result.items)} candidate items ({failing} fail a quality check, see 'checks') → {output}")
    if len(missing):
        _info(quiet, "no evidence for: " + ", ".join(missing["servqual"]))
from voiceofcustomer.cli.survey import survey_cmd  # noqa: E402
main.add_command(survey_cmd)
from voiceofcustomer.cli.freq import freq_cmd  # noqa: E402
main.add_command(freq_cmd)


@main.command("analyze")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path), help="Report folder.")
@click.option("--kind", type=click.Choice(["auto", "transcript", "tickets"]), default="auto", show_default=True)
@with_reader_options
@click.option("--group", help="Customer group for transcripts without one in the header.")
@click.option("--city", help="City of the session(s).")
@click.option("--by", default="", help="Extra grouping columns for the frequencies, comma-separated.")
@click.option("--date-col", help="Date column of tickets (default: found by name, e.g. 受理时间).")
@click.option("--period", type=click.Choice(["week", "month"]), default="month", show_default=True)
@click.option("--embedding", help="Theme embedding backend (default: the best measured one).")
@click.option("--title", help="Report title.")
@click.option("--thread-col", help="Ticket column whose equal values make one thread: rows are labelled with the "
                                   "earlier rows of their thread as context (transcripts always use the moderator's "
                                   "question and the speaker's previous statement).")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def analyze_cmd(inputs, out_dir, kind, text_col, id_col, encoding, sheet, on_bad_rows, group, city, by, date_col,
                period, embedding, title, thread_col, quiet):
    """Run split → tag → themes → freq → items and write one report folder.

    Writes index.html (open it in a browser), statements.xlsx, frequencies.xlsx, items.xlsx
    and themes/.

    Example:

        voc analyze focus_group.docx tickets.csv -o report/
    """
    from voiceofcustomer.analyze import analyze

    res = analyze(inputs, out_dir, kind=kind, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                  group=group, city=city, by=[b for b in by.split(",") if b.strip()], date_col=date_col,
                  period=period, embedding=embedding, title=title, thread_col=thread_col,
                  progress=None if quiet else lambda m: _info(False, m))
    _info(quiet, f"{res.n_statements} statements, {res.n_topics} themes, {res.n_items} candidate items")
    click.echo(f"report: {res.out_dir / 'index.html'}")


@main.command("demo")
@click.option("-o", "--output", "out_dir", default="voc-demo-report", show_default=True,
              type=click.Path(path_type=Path), help="Report folder.")
@click.option("-q", "--quiet", is_flag=True)
@library_call
def demo_cmd(out_dir, quiet):
    """Analyse the shipped sample focus groups and tickets and print where the report is.

    Example:

        voc demo -o voc-demo-report
    """
    from voiceofcustomer.analyze import analyze, demo_inputs

    inputs = demo_inputs()
    _info(quiet, "inputs: " + ", ".join(p.name for p in inputs))
    res = analyze(inputs, out_dir, title="客户之声示例报告（示例数据）",
                  progress=None if quiet else lambda m: _info(False, m))
    _info(quiet, f"{res.n_statements} statements, {res.n_topics} themes, {res.n_items} candidate items")
    click.echo(f"report: {(res.out_dir / 'index.html').resolve()}")

from voiceofcustomer.cli.themes import themes_cmd  # noqa: E402
main.add_command(themes_cmd)
