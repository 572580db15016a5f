"""voc gap on an export whose header is two rows under merged cells, and on one with columns without a header."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"
TWO_ROWS = DATA / "wjx_two_row_header.csv"

#: by hand from the fixture (T2 reverse: 8 − x; r3's P_M1 '很好' and r4's E_A1 '(跳过)' missing)
ITEM_GAPS = {"T1": -1.5, "T2": -2.25, "R1": -1.5, "S1": -2.25, "A1": -2 / 3, "M1": -4 / 3}


@pytest.fixture(scope="module")
def book():
    return read_codebook(DATA / "codebook.csv")


def _merged_workbook(path: Path) -> None:
    """The fixture as the sheet it was saved from: each question merged over its statements, the other
    columns merged down over both header rows."""
    rows = list(pd.read_csv(TWO_ROWS, header=None, dtype=str, keep_default_na=False).itertuples(index=False))
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append([int(v) if v.isdigit() else (v or None) for v in r])
    top = list(rows[0])
    start = None
    for j, h in enumerate(top + ["end"]):
        if h and start is not None and j - 1 > start:
            ws.merge_cells(start_row=1, start_column=start + 1, end_row=1, end_column=j)
        if h:
            start = j
        if h and j < len(top) and not rows[1][j]:
            ws.merge_cells(start_row=1, start_column=j + 1, end_row=2, end_column=j + 1)
    wb.save(path)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_header_of_two_rows_under_merged_questions_is_read_as_one(book, kind, tmp_path):
    # Before: 'keep one of each (df.loc[:, ~df.columns.duplicated()]) or rename the others' — row 1's empty
    # cells under a merged question read as columns named ''.
    path = TWO_ROWS
    if kind == "xlsx":
        path = tmp_path / "export.xlsx"
        _merged_workbook(path)
    res = gap_analysis(read_responses(path), book, by="营业厅")
    gaps = res.items.set_index("item_id")["gap"]
    for item, gap in ITEM_GAPS.items():
        assert gaps[item] == pytest.approx(gap)
    assert res.items.set_index("item_id").loc["A1", "n"] == 3
    assert res.dimensions.set_index("dimension").loc["tangibles", "gap"] == pytest.approx(-1.875)
    assert res.summary["n_used"] == 4
    assert res.summary["column_mapping"]["2、您认为一家优秀的电信运营商应当做到以下各项吗？—营业厅应该整洁明亮"] == "E_T1"
    assert res.summary["column_mapping"]["4、请把100分分配给以下五个方面—可靠性"] == "W_reliability"
    # rows as the sheet numbers them: the header is rows 1–2, respondent 3 is row 5
    assert res.problems[["row", "column", "value"]].values.tolist() == [[5, "P_M1", "很好"]]
    assert "header_rows_skipped" not in {w["kind"] for w in res.summary["warnings"]}  # no Qualtrics row
    assert set(res.segments["营业厅"].sq["segment"]) == {"东湖店", "光谷店"}


def test_the_cli_reads_the_two_row_header(tmp_path):
    out = tmp_path / "gap"
    run = CliRunner().invoke(main, ["gap", str(TWO_ROWS), "--codebook", str(DATA / "codebook.csv"), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "4 of 4 respondents" in run.output
    assert "duplicated" not in run.output


def test_empty_columns_without_a_header_are_no_columns(book, tmp_path):
    # A sheet saved as CSV with two empty columns at its right: before, the same 'keep one of each
    # (df.loc[:, ~df.columns.duplicated()])' stop; now they are not read, and a headerless column that holds
    # something is named by its place.
    lines = (DATA / "responses.csv").read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "trailing.csv"
    path.write_text("\n".join(f"{line},,{'备注' if i == 1 else ''}" for i, line in enumerate(lines)) + "\n",
                    encoding="utf-8-sig")
    plain = gap_analysis(read_responses(DATA / "responses.csv"), book)
    read = read_responses(path)
    n = len(pd.read_csv(DATA / "responses.csv", nrows=0).columns)
    assert list(read.columns[n:]) == [f"column {n + 2} (no header)"]
    res = gap_analysis(read, book)
    assert res.summary["sq"] == pytest.approx(plain.summary["sq"])
    assert res.summary["n_used"] == plain.summary["n_used"]
