"""Blank rows in a response file (analyst QA, 7 Dec 2026): no respondents, and every other row keeps its number.

The files are written by the tests from ``side_headers/tencent_export.csv`` (six answers; respondent 6 answered P_T3
12) with an empty line and a row of separators (,,,,,,, as Excel saves an empty row) after respondent 2."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "gap" / "side_headers"


def _with_blank_rows(path: Path) -> Path:
    lines = (DATA / "tencent_export.csv").read_text(encoding="utf-8").splitlines()
    lines = lines[:3] + ["", "," * (lines[0].count(","))] + lines[3:]
    if path.suffix == ".csv":
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    wb = openpyxl.Workbook()
    for line in lines:
        wb.active.append([v or None for v in line.split(",")] if line.strip(",") else [])
    wb.save(path)
    return path


# Before: pandas skipped the empty line, so respondent 6's 12 (row 9 of the file) was listed at row 8 and every row
# under the blank one a row up; the ,,,,,,, row was a respondent, 7 in all, 'with no item answered on both E and P
# (rows 4 [])'.
@pytest.mark.parametrize("name", ["blank.csv", "blank.xlsx"])
def test_blank_rows_are_no_respondents_and_rows_keep_their_numbers(tmp_path, name):
    r = gap_analysis(read_responses(_with_blank_rows(tmp_path / name)), read_codebook(DATA / "codebook.csv"))
    assert r.summary["n_respondents"] == 6 and r.summary["n_used"] == 6
    assert r.problems[["row", "respondent", "column", "value"]].values.tolist() == [[9, "6", "P_T3", "12"]]
    assert r.respondents[["row", "respondent"]].values.tolist() == [[2, "1"], [3, "2"], [6, "3"], [7, "4"], [8, "5"],
                                                                    [9, "6"]]
    assert not [w for w in r.summary["warnings"] if w["kind"] == "respondents_without_pairs"]


def test_a_frame_built_in_python_is_numbered_from_row_2():
    df = pd.read_csv(DATA / "tencent_export.csv", dtype=str, keep_default_na=False)
    r = gap_analysis(df, read_codebook(DATA / "codebook.csv"))
    assert r.respondents["row"].tolist() == [2, 3, 4, 5, 6, 7] and r.problems["row"].tolist() == [7]
