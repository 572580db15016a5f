"""``tag_table``: what ``voc tag`` does, as one library call.

Why a library function: the click command, the Python API, a review page or a
distributed engine all need the same steps: choose the reader for the input,
reuse the labels of an earlier output, tag in chunks, write atomically. Each step
is a small private function so that one can be replaced without touching the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.tagging import DEFAULT_REVIEW_BELOW, PreviousLabels, tag_chunks
from voiceofcustomer.statements import NEEDS_REVIEW, TEXT, TICKET_ID

__all__ = ["TagSummary", "tag_table"]


@dataclass
class TagSummary:
    """What :func:`tag_table` did: counts to print and the rows it skipped.

    Attributes:
        output: the file written.
        rows: rows written (every input row, or every statement of a transcript).
        needs_review: rows flagged ``needs_review``.
        reused: rows whose labels came from ``reuse`` (0 without it).
        tagged: rows the model labelled.
        bad_rows: ``(file, line, reason)`` of rows skipped with ``on_bad_rows="skip"``.
        long_cells: texts longer than an Excel cell (full text in the spill sheet).
    """

    output: Path
    rows: int = 0
    needs_review: int = 0
    reused: int = 0
    tagged: int = 0
    bad_rows: list[tuple[str, int, str]] = field(default_factory=list)
    long_cells: int = 0


def _open_input(path: Path, *, text_col, id_col, encoding, sheet, on_bad_rows, chunksize):
    """``(chunks, text column, bad-row list)`` for a transcript (split into statements) or a table."""
    from voiceofcustomer.io.readers import open_table
    from voiceofcustomer.text.split import SplitSummary, detect_kind, split_inputs

    if detect_kind(path, encoding) == "transcript":
        summary = SplitSummary()
        chunks = split_inputs([path], kind="transcript", encoding=encoding, summary=summary)
        return chunks, TEXT, summary.bad_rows, ()
    source = open_table(path, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                        on_bad_rows=on_bad_rows, chunksize=chunksize)
    # the reader adds _row and ticket_id; a ticket_id the input has itself (voc split) stays
    added = ("_row",) if TICKET_ID in source.columns else ("_row", TICKET_ID)
    return source.chunks(), source.text_col, source.bad_rows, added


def _previous(reuse: str | Path | None, output: Path, text_col: str | None) -> PreviousLabels | None:
    if reuse is None:
        return None
    reuse = Path(reuse)
    if reuse.resolve() == output.resolve():
        raise InputError(f"{output}: --reuse must be an earlier output, not the file being written; write to a new name")
    return PreviousLabels.read(reuse, text_col=text_col)


def _write(tagged: Iterator[pd.DataFrame], output: Path, summary: TagSummary) -> None:
    from voiceofcustomer.io.writers import TableWriter

    with TableWriter(output, sheet_name="tagged") as writer:
        for chunk in tagged:
            summary.needs_review += int(chunk[NEEDS_REVIEW].sum())
            writer.write(chunk)
    summary.rows = writer.rows
    summary.long_cells = writer.long_cells


def tag_table(input: str | Path, output: str | Path, *, text_col: str | None = None, id_col: str | None = None,
              encoding: str | None = None, sheet: str | None = None, on_bad_rows: str = "error",
              reuse: str | Path | None = None, review_below: float = DEFAULT_REVIEW_BELOW,
              n_jobs: int | None = None, model_path: str | Path | None = None, chunksize: int = 5000,
              progress: Callable[[int], None] | None = None) -> TagSummary:
    """Label every row of ``input`` and write ``output`` (CSV/XLSX/Parquet/JSONL, atomically).

    Every input row comes back, in order, with all its columns plus the four labels,
    their ``*_conf``, ``needs_review`` and ``note``; a transcript is split into
    statements first. With ``reuse`` (an earlier output), texts labelled there keep
    their labels and only new texts are tagged.

    Raises:
        InputError, ColumnError, BadRowError: the input cannot be read as asked.
    """
    input, output = Path(input), Path(output)
    previous = _previous(reuse, output, text_col)
    chunks, text_used, bad_rows, added = _open_input(input, text_col=text_col, id_col=id_col, encoding=encoding,
                                              sheet=sheet, on_bad_rows=on_bad_rows, chunksize=chunksize)
    summary = TagSummary(output=output)
    stats: dict = {}
    tagged = tag_chunks(chunks, text_used, model_path=model_path, review_below=review_below, n_jobs=n_jobs,
                        drop_columns=added, previous=previous, stats=stats, progress=progress)
    _write(tagged, output, summary)
    summary.reused, summary.tagged = stats.get("reused", 0), stats.get("tagged", 0)
    summary.bad_rows = [b if len(b) == 3 else (str(input), *b) for b in bad_rows]
    return summary
