"""``voc analyze``: the whole pipeline in one call — split → tag → themes → freq → items → report.

Meant for analysis-size inputs (focus groups, up to some 10^5 tickets): the
statements are held in memory once, each stage adds its columns, and every
output is written atomically into one folder.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from voiceofcustomer.errors import ColumnError, InputError
from voiceofcustomer.statements import PROMPT_TURN, SOURCE
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.text.split import SplitSummary, split_inputs
from voiceofcustomer.labels.tagging import DEFAULT_REVIEW_BELOW, tag_chunks

__all__ = ["analyze", "AnalyzeResult", "demo_inputs"]

_DATE_COLUMNS = ("受理时间", "投诉时间", "创建时间", "日期", "date", "created_at", "时间")


@dataclass
class AnalyzeResult:
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    n_statements: int = 0
    n_topics: int = 0
    n_items: int = 0
    summary: SplitSummary | None = None


def _step(progress, message: str) -> None:
    if progress:
        progress(message)


def analyze(inputs: Sequence[str | Path], out_dir: str | Path, *, kind: str = "auto", text_col: str | None = None,
            id_col: str | None = None, encoding: str | None = None, sheet: str | None = None,
            group: str | None = None, city: str | None = None, by: Sequence[str] = (),
            date_col: str | None = None, period: str = "month", embedding: str | None = None,
            review_below: float = DEFAULT_REVIEW_BELOW, n_jobs: int | None = None, seed: int = 42,
            title: str | None = None, thread_col: str | None = None,
            progress: Callable[[str], None] | None = None) -> AnalyzeResult:
    """Run every stage and write ``index.html``, ``statements.xlsx``, ``frequencies.xlsx``,
    ``items.xlsx`` and the themes outputs (``themes/``) into ``out_dir``.

    Statements are labelled with context: a transcript statement with the moderator question
    it answers and the speaker's previous statement; ticket rows, with ``thread_col``, with the
    earlier rows of their thread (the column must be in every ticket input)."""
    from voiceofcustomer.freq.tables import frequencies, write_frequencies
    from voiceofcustomer.items.candidates import candidate_items, write_items_workbook
    from voiceofcustomer.report.page import build_report
    from voiceofcustomer.io.writers import write_table

    if not inputs:
        raise InputError("no input files; give transcripts (.txt/.docx) and/or ticket exports")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = AnalyzeResult(out_dir=out_dir)

    _step(progress, "split: reading and splitting inputs")
    summary = SplitSummary()
    seg = Segmenter()
    chunks = list(split_inputs(inputs, kind=kind, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                               group=group, city=city, segmenter=seg, summary=summary))
    result.summary = summary

    _step(progress, f"tag: labelling {summary.statements} statements")
    from voiceofcustomer.labels.context import CONTEXT_COL, ThreadContext, with_transcript_context

    chunks = list(with_transcript_context(chunks))
    if thread_col:
        threads = ThreadContext()
        for chunk in chunks:
            if chunk[PROMPT_TURN].notna().any():
                continue  # transcripts keep their question context
            if thread_col not in chunk.columns:
                raise ColumnError(f"{chunk[SOURCE].iloc[0] if len(chunk) else 'input'}: no thread column "
                                  f"{thread_col!r}; columns are: {', '.join(map(str, chunk.columns))}")
            chunk[CONTEXT_COL] = threads.contexts(chunk[thread_col].tolist(), chunk["text"].tolist())
    tagged = pd.concat(list(tag_chunks(chunks, "text", review_below=review_below, n_jobs=n_jobs,
                                       drop_columns=(), context_col=CONTEXT_COL)), ignore_index=True)
    result.n_statements = len(tagged)

    date_col = date_col or next((c for c in _DATE_COLUMNS if c in tagged.columns), None)
    topics = None
    _step(progress, "themes: finding topics")
    try:
        from voiceofcustomer.themes import ThemeModel, write_themes
    except ImportError:  # themes stage not available in this build
        ThemeModel = None
    if ThemeModel is not None:
        model = ThemeModel(embedding=embedding, seed=seed) if embedding else ThemeModel(seed=seed)
        themed = model.fit_transform(tagged)
        tagged = themed.statements
        topics = themed.topics
        result.files.update({f"themes/{k}": v for k, v in write_themes(themed, out_dir / "themes").items()})
        result.n_topics = int((topics["topic"] >= 0).sum()) if "topic" in topics else 0

    _step(progress, "freq: counting labels")
    groupings = [c for c in ("group", "city", *by) if c in tagged.columns and tagged[c].fillna("").astype(str).ne("").any()]
    groupings += [c for c in ("渠道", "区县", "channel") if c in tagged.columns and c not in groupings]
    freq = frequencies(tagged, by=list(dict.fromkeys(groupings)), date_col=date_col,
                       period=period if date_col else None)
    freq_files = write_frequencies(freq, out_dir / "frequencies")
    result.files.update({f"frequencies/{Path(p).name}": p for p in freq_files.values()})
    if (out_dir / "frequencies" / "frequencies.xlsx").exists():
        (out_dir / "frequencies" / "frequencies.xlsx").replace(out_dir / "frequencies.xlsx")
        result.files["frequencies.xlsx"] = out_dir / "frequencies.xlsx"

    _step(progress, "items: candidate questionnaire items")
    items = candidate_items(tagged)
    write_items_workbook(items, out_dir / "items.xlsx")
    result.files["items.xlsx"] = out_dir / "items.xlsx"
    result.n_items = len(items.items)

    _step(progress, "report: writing statements.xlsx and index.html")
    write_table(tagged, out_dir / "statements.xlsx")
    result.files["statements.xlsx"] = out_dir / "statements.xlsx"
    meta = {
        "标题": title or "客户之声分析报告",
        "输入": ", ".join(Path(p).name for p in inputs),
        "规模": f"{summary.turns} 个发言轮次，{summary.rows} 条工单 → {summary.statements} 条陈述"
                f"（重复 {summary.duplicates}，空 {summary.empty}，网页杂项行 {summary.boilerplate}）",
        "生成时间": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }
    links = {name: str(Path(p).relative_to(out_dir)) for name, p in result.files.items()
             if Path(p).is_relative_to(out_dir)}
    build_report(tagged, out_dir / "index.html", topics=topics, items=items, meta=meta, date_col=date_col,
                 period=period, files=links)
    result.files["index.html"] = out_dir / "index.html"
    return result


def demo_inputs() -> list[Path]:
    """The sample inputs shipped in ``corpora/samples`` (written by this team)."""
    from voiceofcustomer.resources import data_path

    root = data_path("corpora", "samples")
    files = sorted(p for p in root.iterdir() if p.suffix.lower() in (".txt", ".docx", ".csv", ".xlsx"))
    if not files:
        raise InputError(f"{root}: no sample inputs found; reinstall from a complete checkout")
    return files
