"""Property: what the writers write, the tool's own readers read back unchanged (issue 14).

Every output format (CSV, TSV, XLSX, Parquet, JSONL), arbitrary Unicode (no lone
surrogates: they cannot be encoded at all), control characters, texts starting with
``= + - @`` (neutralised for spreadsheets, restored on reading) and texts longer
than an Excel cell. NUL is left out for CSV/TSV only: a text file with NUL bytes is
refused as binary by design (see docs/io.md, Inputs).
"""

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voiceofcustomer.io.readers import open_table, read_statements
from voiceofcustomer.io.writers import EXCEL_CELL_LIMIT, TableWriter

_CHARS = st.characters(exclude_categories=("Cs",))
_LEAD = st.sampled_from(["", "", "=", "+", "-", "@", "'=", "''+", "'", "\t", "\r", "\n", " ", "_x000D_"])
_SHORT = st.builds(lambda lead, body: lead + body, _LEAD, st.text(_CHARS, max_size=40))
_LONG = st.builds(lambda unit, n: unit * n, st.text(_CHARS, min_size=1, max_size=6),
                  st.integers(min_value=EXCEL_CELL_LIMIT // 6, max_value=EXCEL_CELL_LIMIT // 2))
_TEXT = st.one_of(_SHORT, _SHORT, _SHORT, _SHORT, _LONG)
_ROWS = st.lists(st.tuples(_TEXT, _SHORT), min_size=1, max_size=5)

_EXAMPLES = {"csv": 25, "tsv": 15, "jsonl": 15, "parquet": 15, "xlsx": 15}


def _frame(rows, fmt):
    if fmt in ("csv", "tsv"):
        rows = [(a.replace("\x00", ""), b.replace("\x00", "")) for a, b in rows]
    return pd.DataFrame({"statement_id": [f"id-{i:05d}-x" for i in range(len(rows))],
                         "text": [a for a, _ in rows], "comment_in": [b for _, b in rows]})


def _check(fmt, rows, chunk):
    frame = _frame(rows, fmt)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"out.{fmt}"
        with TableWriter(path) as w:
            for start in range(0, len(frame), chunk):
                w.write(frame.iloc[start:start + chunk])
        n_long = sum(len(v.encode("utf-16-le")) // 2 > EXCEL_CELL_LIMIT for v in frame[["statement_id", "text", "comment_in"]].to_numpy().ravel())
        assert w.rows == len(frame) and w.long_cells == (n_long if fmt == "xlsx" else 0)
        src = open_table(path, text_col="text", id_col="statement_id", chunksize=3)
        back = pd.concat(list(src.chunks()), ignore_index=True)
        assert src.counts["records"] == src.counts["rows"] == len(frame) and not src.bad_rows
        for col in frame.columns:
            assert back[col].fillna("").tolist() == frame[col].tolist(), col
        assert back["_row"].tolist() == list(range(1, len(frame) + 1))
        whole = read_statements(path)
        assert whole["text"].tolist() == frame["text"].tolist()
        assert len(whole) == len(frame)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx", "parquet", "jsonl"])
def test_written_tables_read_back_unchanged(fmt):
    @settings(max_examples=_EXAMPLES[fmt], deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(rows=_ROWS, chunk=st.integers(min_value=1, max_value=4))
    def run(rows, chunk):
        _check(fmt, rows, chunk)

    run()


@pytest.mark.slow
@pytest.mark.soak
@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx", "parquet", "jsonl"])
def test_written_tables_read_back_unchanged_long_run(fmt):
    @settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
    @given(rows=_ROWS, chunk=st.integers(min_value=1, max_value=4))
    def run(rows, chunk):
        _check(fmt, rows, chunk)

    run()
