"""``voc analyze``: the whole pipeline in one call — split → tag → themes → freq → items → report.

Meant for analysis-size inputs (focus groups, up to some 10^5 tickets): the
statements are held in memory once, each stage adds its columns, and every
output is written into a temporary folder that replaces the report folder only
when the report is complete (:mod:`voiceofcustomer.report.folder`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import pandas as pd

from voiceofcustomer.errors import InputError, no_by_column, no_column
from voiceofcustomer.statements import CITY, GROUP, LABEL_COLUMNS, NOTE, SECTION, TEXT, TOPIC, own_columns
from voiceofcustomer.text.normalize import remember_clean_texts
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.text.split import SplitSummary, split_inputs
from voiceofcustomer.labels.tagging import DEFAULT_REVIEW_BELOW, tag_chunks
from voiceofcustomer.report.folder import OutputFolder, check_output_folder

if TYPE_CHECKING:  # imported by the stages when they run
    from voiceofcustomer.freq.tables import FreqResult
    from voiceofcustomer.items.candidates import ItemCandidates

__all__ = ["analyze", "AnalyzeResult", "demo_inputs", "demo", "demo_audit"]



@dataclass
class AnalyzeResult:
    """What :func:`analyze` wrote, and the tables it wrote them from.

    Attributes:
        out_dir: the report folder; ``files``: ``{name: path}`` of every file written there.
        statements: every statement, one row each, with its labels, ``needs_review`` and theme
            (``topic``, ``subtopic``, ``topic_label`` …): the table of ``statements.xlsx``.
        frequencies: the counts of ``frequencies.xlsx`` and the page
            (:class:`~voiceofcustomer.freq.tables.FreqResult`, as ``voc.frequencies`` gives them;
            ``.tables["overall"]``, ``.tables["by_<col>"]`` …).
        themes: themes and sub-themes, the table of ``themes/topics.csv`` (None when the themes
            stage is not installed).
        items: the candidate questionnaire items of ``items.xlsx``
            (:class:`~voiceofcustomer.items.candidates.ItemCandidates`).

    The tables are the ones the files were written from, kept with the result (the statements
    are held in memory for the run anyway): no reading back, no Excel dtypes or cell limits.
    """

    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    n_statements: int = 0
    n_topics: int = 0
    n_items: int = 0
    summary: SplitSummary | None = None
    long_cells: int = 0  # texts over Excel's cell limit in statements.xlsx (kept whole in voc_long_texts)
    # the tables (not in the repr: a notebook shows the result without printing 10^5 rows)
    statements: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    frequencies: FreqResult | None = field(default=None, repr=False, compare=False)
    themes: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    items: ItemCandidates | None = field(default=None, repr=False, compare=False)


def _step(progress, message: str) -> None:
    if progress:
        progress(message)


def analyze(inputs: Sequence[str | Path], out_dir: str | Path, *, kind: str = "auto",
            text_col: str | Sequence[str] | None = None,
            id_col: str | Sequence[str] | None = None, encoding: str | None = None, sheet: str | None = None,
            on_bad_rows: str = "error", group: str | None = None, city: str | None = None, by: Sequence[str] = (),
            date_col: str | None = None, period: str = "month", embedding: str | None = None,
            review_below: float = DEFAULT_REVIEW_BELOW, n_jobs: int | None = None, seed: int = 42,
            title: str | None = None, thread_col: str | None = None, moderators: Sequence[str] = (),
            staff_sections: Sequence[str] = (), customer_sections: Sequence[str] = (), progress: Callable[[str], None] | None = None,
            extra_outputs: Callable[[Path], dict[str, Path]] | None = None,
            words: Callable[[str, Sequence[str]], str] | None = None) -> AnalyzeResult:
    """Run every stage and write ``index.html``, ``statements.xlsx``, ``frequencies.xlsx``,
    ``items.xlsx`` and the themes outputs (``themes/``) into ``out_dir``.

    The report is built in a temporary folder beside ``out_dir`` and put in place only when
    every file is written (:class:`~voiceofcustomer.report.folder.OutputFolder`): a run that
    fails or is interrupted leaves ``out_dir`` as it was (absent, or the earlier complete
    report), and a finished run leaves exactly its own files there (the files of an earlier
    run it did not write are removed; files of yours in the folder are never touched).
    ``extra_outputs`` is called with the folder being built and returns ``{name: path}`` of
    further files it wrote there (e.g. the demo's audit report), linked from the page.
    Rows skipped with ``on_bad_rows="skip"`` are listed in ``statements.skipped.csv``.
    The notes of ``frequencies.xlsx`` (and ``result.frequencies``) say how to count what they leave
    out as a caller of this function can: ``voc.frequencies(result.statements, include_duplicates=True)``
    (:data:`RECOUNT`); ``words(text, params)`` says that call as another front end does (the command
    line: ``cli.support.cli_words``, which makes it ``voc freq statements.xlsx … --include-duplicates``).

    Statements are labelled with context: a transcript statement with the moderator question
    it answers (and the question before it) and the speaker's previous statement; the sentences
    of a ticket with the earlier sentences of the same ticket, or, with ``thread_col``, with the
    earlier rows of their thread
    (the column must be in every ticket input). ``moderators`` are
    transcript speaker labels whose turns are the moderator's (``说话人1`` of a machine transcription);
    ``staff_sections`` section labels of a ticket's text written by staff, besides 处理过程, 处理结果, 工单回访 …
    (:mod:`voiceofcustomer.text.sections`): their sentences are kept with the role ``staff``, never counted;
    ``customer_sections`` labels of the customer's words besides 投诉内容, 客户反映 … (a 【…】 label in no list is
    a field of the ticket, not counted, unless named here).

    Every option of a stage is an option here (``on_bad_rows`` of the readers,
    ``review_below``/``n_jobs`` of tagging, ``seed``/``embedding`` of themes, ``by``/
    ``date_col``/``period`` of frequencies). Skipped rows are in ``result.summary.bad_rows``.

    Returns:
        An :class:`AnalyzeResult`: the files written, and the tables they hold —
        ``result.statements`` (labels and themes), ``result.frequencies``, ``result.themes``,
        ``result.items``.
    """
    if not inputs:
        raise InputError("no input files; give transcripts (.txt/.docx) and/or ticket exports")
    _check_inputs(inputs, kind=kind, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                  on_bad_rows=on_bad_rows)
    out_dir = Path(out_dir)
    check_output_folder(out_dir)
    result = AnalyzeResult(out_dir=out_dir)
    seg = Segmenter(cache=True)  # one segmentation per text, shared by split and themes

    with remember_clean_texts():  # normalised once: the label model does not clean split's texts again
        _step(progress, "split: reading and splitting inputs")
        summary = SplitSummary()
        chunks = list(split_inputs(inputs, kind=kind, text_col=text_col, id_col=id_col, encoding=encoding,
                                   sheet=sheet, on_bad_rows=on_bad_rows, group=group, city=city, segmenter=seg,
                                   summary=summary, moderators=moderators, staff_sections=staff_sections,
                                   customer_sections=customer_sections))
        result.summary = summary
        by = list(dict.fromkeys(b.strip() for b in by if b and b.strip()))
        # a misspelt by=, date_col= or thread_col= is told before the labelling, which takes minutes on a large input
        _check_columns(list(dict.fromkeys([*(c for ch in chunks for c in ch.columns), *LABEL_COLUMNS, NOTE])), by,
                       date_col, inputs, thread_col)

        _step(progress, f"tag: labelling {summary.statements} statements")
        from voiceofcustomer.labels.context import CONTEXT_COL, with_context

        chunks = with_context(chunks, TEXT, thread_col)
        tagged = pd.concat(list(tag_chunks(chunks, TEXT, review_below=review_below, n_jobs=n_jobs,
                                           drop_columns=(), context_col=CONTEXT_COL)), ignore_index=True)
    result.n_statements = len(tagged)
    _check_columns(list(tagged.columns), by, date_col, inputs)
    from voiceofcustomer.freq.tables import date_column

    date_col = date_col or date_column(tagged.columns)

    # Every file goes into a temporary folder, put in place as out_dir at the very end.
    folder = OutputFolder(out_dir, "analyze", legacy=report_file_names)
    with folder as build:
        _step(progress, "themes: finding topics")
        tagged, topics = _themes(tagged, build, result, embedding=embedding, seed=seed, segmenter=seg,
                                 thread_col=thread_col, progress=progress)

        _step(progress, "freq: counting labels")
        freq = _frequencies(tagged, build, result, by=by, date_col=date_col, period=period, words=words)

        _step(progress, "items: candidate questionnaire items")
        from voiceofcustomer.items.candidates import candidate_items, write_items_workbook

        items = candidate_items(tagged)
        write_items_workbook(items, build / "items.xlsx")
        result.files["items.xlsx"] = build / "items.xlsx"
        result.n_items = len(items.items)

        if extra_outputs is not None:
            result.files.update(extra_outputs(build))
        if summary.bad_rows:
            from voiceofcustomer.io.writers import write_table

            skipped = build / "statements.skipped.csv"
            write_table(pd.DataFrame(summary.bad_rows, columns=["file", "line", "reason"]), skipped)
            result.files["statements.skipped.csv"] = skipped
        _step(progress, "report: writing statements.xlsx and index.html")
        _report(tagged, build, result, freq=freq, topics=topics, items=items, inputs=inputs, title=title,
                date_col=date_col, period=period, by=by)
        built = result.files
    result.statements, result.frequencies, result.items = tagged, freq, items
    result.files = {name: (folder.final(p) if Path(p).is_relative_to(build) else Path(p))
                    for name, p in built.items()}
    return result


def report_file_names(folder: Path) -> set[str]:
    """The files an earlier ``voc analyze`` (one without the folder's record) wrote in ``folder``."""
    from voiceofcustomer.audit.report import AUDIT_FILES
    from voiceofcustomer.freq.tables import frequency_file_names
    from voiceofcustomer.themes.pipeline import theme_file_names

    names = {"index.html", "statements.xlsx", "frequencies.xlsx", "items.xlsx", "statements.skipped.csv"}
    names |= {f"themes/{n}" for n in theme_file_names(folder / "themes")}
    names |= {f"frequencies/{n}" for n in frequency_file_names(folder / "frequencies",
                                                               workbook=folder / "frequencies.xlsx")}
    names |= {f"audit/{n}" for n in AUDIT_FILES}  # voc demo
    return names


def _check_columns(columns: list, by: list[str], date_col: str | None, inputs: Sequence[str | Path],
                   thread_col: str | None = None) -> None:
    """Fail early, naming the inputs and the parameter, when ``by``, ``date_col`` or ``thread_col`` names a column
    the statements (``columns``) lack (:func:`~voiceofcustomer.errors.no_column`: the closest of the inputs' own
    columns)."""
    from voiceofcustomer.io.readers import inputs_shown

    # the inputs' own columns (渠道名称 …) and a transcript's group and city, not the tool's (statement_id,
    # tokens, servqual …)
    mine = set(own_columns(columns))  # also not a coded.xlsx's servqual_zh, decided, model_servqual …
    own = [x for x in columns if x in mine or x in (GROUP, CITY)] or columns
    for c in by:
        if c not in columns:
            raise no_by_column(f"{inputs_shown(inputs)}: ", c, own)
    for name, col in (("date_col", date_col), ("thread_col", thread_col)):
        if col is not None and col not in columns:
            raise no_column(f"{inputs_shown(inputs)}: ", col, own, name)


def _themes(tagged: pd.DataFrame, into: Path, result: AnalyzeResult, *, embedding, seed, segmenter, thread_col=None,
            progress=None):
    """Fit the theme model; ``(statements with topic columns, topics table or None)``."""
    try:
        from voiceofcustomer.themes import ThemeModel, write_themes
    except ImportError:  # themes stage not available in this build
        return tagged, None
    # the longest stage (about a minute for a 2,000-turn transcript): say what it is doing
    # a thread's follow-up posts take its theme, as they took its subject when tagged
    kwargs = dict(random_state=seed, segmenter=segmenter, thread_col=thread_col,
                  progress=(lambda m: _step(progress, f"themes: {m}")) if progress else None)
    if embedding:
        kwargs["embedding"] = embedding
    model = ThemeModel(**kwargs)
    themed = model.fit_transform(tagged)
    # statement_topics.csv with the statements' own columns before the topic columns, as voc themes writes it
    written = write_themes(model, into / "themes", statements=tagged)
    result.files.update({f"themes/{k}": v for k, v in written.items()})
    topics = model.topics_
    result.themes = model.topic_tree()  # as topics.csv: each theme followed by its sub-themes
    top = pd.to_numeric(topics[TOPIC], errors="coerce") if TOPIC in topics else pd.Series(dtype=float)
    level = topics["level"] if "level" in topics else pd.Series(1, index=topics.index)
    result.n_topics = int(((top >= 0) & (level == 1)).sum())
    return themed, topics


#: The call a note of :func:`analyze` sends its reader to, to count what the counts leave out: ``analyze`` has
#: none of ``voc.frequencies``' ``include_moderator`` / ``include_duplicates`` (``freq.tables.NOTE_PARAMS``), so the
#: notes name them in a call of it on the statements analyze returns (and wrote to statements.xlsx).
RECOUNT = "voc.frequencies()"


def _recount_words(detail: str, words: Callable[[str, Sequence[str]], str] | None) -> str:
    """A note's ``use include_duplicates=True`` as a caller of :func:`analyze` follows it (:data:`RECOUNT`),
    said by ``words`` when given (the command line's ``voc freq statements.xlsx … --include-duplicates``)."""
    from voiceofcustomer.errors import reword_params
    from voiceofcustomer.freq.tables import NOTE_PARAMS

    said = reword_params(detail, NOTE_PARAMS,
                         lambda name, value: f"voc.frequencies(result.statements, {name}={value or 'True'})")
    return said if words is None or said == detail else words(said, (RECOUNT,))


def _frequencies(tagged: pd.DataFrame, into: Path, result: AnalyzeResult, *, by, date_col, period, words=None):
    """Count once; the report shows this very result, so the page and frequencies.xlsx agree."""
    from voiceofcustomer.freq.tables import frequencies, write_frequency_files

    def used(c: str) -> bool:
        return c in tagged.columns and tagged[c].fillna("").astype(str).ne("").any()

    groupings = [c for c in (GROUP, CITY, SECTION) if used(c)] + list(by)
    groupings += [c for c in ("渠道", "区县", "channel") if c in tagged.columns]
    freq = frequencies(tagged, by=list(dict.fromkeys(groupings)), date_col=date_col,
                       period=period if date_col else None)
    # its notes said include_duplicates=True, a parameter analyze() does not take (nor voc analyze a flag)
    freq.tables["notes"]["detail"] = [_recount_words(d, words) for d in freq.tables["notes"]["detail"]]
    written = write_frequency_files(freq, into / "frequencies")
    for p in written.values():
        result.files[f"frequencies/{Path(p).name}"] = Path(p)
    moved = into / "frequencies" / "frequencies.xlsx"
    if moved.exists():  # the workbook sits next to statements.xlsx and items.xlsx
        moved.replace(into / "frequencies.xlsx")
        result.files.pop("frequencies/frequencies.xlsx", None)
        result.files["frequencies.xlsx"] = into / "frequencies.xlsx"
    return freq


def _report(tagged, into: Path, result: AnalyzeResult, *, freq, topics, items, inputs, title, date_col, period,
            by=()):
    from voiceofcustomer.io.writers import TableWriter
    from voiceofcustomer.report.page import build_report

    summary = result.summary
    with TableWriter(into / "statements.xlsx") as writer:
        writer.write(tagged)
    result.long_cells = writer.long_cells
    result.files["statements.xlsx"] = into / "statements.xlsx"
    meta = {
        "标题": title or "客户之声分析报告",
        "输入": ", ".join(Path(p).name for p in inputs),
        # an export's totals and repeated header rows are no ticket (said in the brackets); a part of no input is left out
        "规模": "，".join(part for part, n in ((f"{summary.turns} 个发言轮次", summary.turns),
                                             (f"{summary.rows - summary.set_aside} 条工单", summary.rows)) if n)
                + f" → {summary.statements} 条陈述"
                f"（重复 {summary.duplicates}，空 {summary.empty}，网页杂项行 {summary.boilerplate}"
                + (f"，合计行 {summary.totals_rows}（不是工单，不计）" if summary.totals_rows else "")
                + (f"，重复的表头行 {summary.header_rows}（不是工单，不计）" if summary.header_rows else "")
                + (f"，乱码 {summary.garbled}（不计，见 note：检查文件编码）" if summary.garbled else "") + "）",
        # an export read by the header under its title row (2026年10月全省投诉工单明细 merged across A1:F1), as voc audit's page
        **({"标题行": "；".join(f"{t['file']} 第 {t['title_row']} 行是标题（“{t['title']}”），不是表头：表头是第 "
                               f"{t['header_row']} 行" for t in summary.title_rows)} if summary.title_rows else {}),
        **({"未读入": f"格式有误的行 {len(summary.bad_rows)} 条（--on-bad-rows skip 跳过，不在任何统计中；逐条列在 "
                      "statements.skipped.csv，改好后重新运行）"} if summary.bad_rows else {}),
        "生成时间": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }
    links = {name: Path(p).relative_to(into).as_posix() for name, p in result.files.items()
             if Path(p).is_relative_to(into) and Path(p).exists()}
    build_report(tagged, into / "index.html", freq=freq, topics=topics, items=items, meta=meta, date_col=date_col,
                 period=period, files=links, by=by)  # each --by column has its section, as its by_<col>.csv
    result.files["index.html"] = into / "index.html"


def _check_inputs(inputs, *, kind, text_col, id_col, encoding, sheet, on_bad_rows="error") -> None:
    """Open every input (header, encoding, columns, a first row with content; a transcript's
    speaker turns) before any output or progress: a missing, binary, empty or header-only
    file fails here with its one-line message."""
    from voiceofcustomer.io.readers import check_input_file, input_sheet, open_table
    from voiceofcustomer.io.transcript import TURN_TABLE_SUFFIXES, read_transcript
    from voiceofcustomer.text.split import detect_kind

    for p in inputs:
        path, path_sheet = input_sheet(p, sheet)
        check_input_file(path)
        k = detect_kind(path, encoding, path_sheet) if kind == "auto" else kind
        if k in ("tickets", "survey"):
            open_table(path, text_col=text_col, id_col=id_col, encoding=encoding, sheet=path_sheet,
                       on_bad_rows=on_bad_rows).check_rows()
        elif path.suffix.lower() in (".txt", ".docx", *TURN_TABLE_SUFFIXES):
            read_transcript(path, encoding=encoding, sheet=path_sheet)


def demo_inputs() -> list[Path]:
    """The sample inputs shipped in ``corpora/samples`` (written by this team)."""
    from voiceofcustomer.resources import data_path

    root = data_path("corpora", "samples")
    files = sorted(p for p in root.iterdir() if p.suffix.lower() in (".txt", ".docx", ".csv", ".xlsx")
                   and not p.name.startswith(_AUDIT_PREFIX))
    if not files:
        raise InputError(f"{root}: no sample inputs found; reinstall from a complete checkout")
    return files


_AUDIT_PREFIX = "audit_"  # corpora/samples/audit_*.csv are store-check samples, not feedback


def demo_audit(out_dir: str | Path) -> Path:
    """Score the shipped sample store checks (``corpora/samples/audit_visits.csv`` against
    ``audit_checklist.csv``) into ``out_dir``; returns the HTML report's path."""
    from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report
    from voiceofcustomer.resources import data_path

    root = data_path("corpora", "samples")
    checklist, visits = root / f"{_AUDIT_PREFIX}checklist.csv", root / f"{_AUDIT_PREFIX}visits.csv"
    if not (checklist.exists() and visits.exists()):
        raise InputError(f"{root}: sample store checks missing; reinstall from a complete checkout")
    return write_audit_report(score_audit(read_checklist(checklist), read_visits(visits)), out_dir)


def demo(out_dir: str | Path, *, progress: Callable[[str], None] | None = None,
         words: Callable[[str, Sequence[str]], str] | None = None) -> AnalyzeResult:
    """The demo report: the sample focus groups and tickets through :func:`analyze`, plus a
    mystery-shopping audit of the sample visits in ``out_dir/audit/``, linked from the page
    (``words`` as :func:`analyze` takes it)."""

    def audit(build: Path) -> dict[str, Path]:
        _step(progress, "audit: scoring the sample store checks")
        return {"audit/audit_report.html（暗访评分）": demo_audit(build / "audit")}

    return analyze(demo_inputs(), out_dir, title="客户之声示例报告（示例数据）", progress=progress,
                   extra_outputs=audit, words=words)
