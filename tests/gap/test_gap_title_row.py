"""A survey export saved with a title row above its header (analyst QA, 7 Dec 2026).

The workbook and CSV are written by the tests from ``side_headers/tencent_export.csv`` (six answers, one P_T3 of 12)
with the title 2026年营业厅服务质量调查 数据导出 in row 1, merged across the columns in the workbook."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"
TITLE = "2026年营业厅服务质量调查 数据导出"


def _titled(path: Path, source: Path) -> Path:
    df = pd.read_csv(source, dtype=str, keep_default_na=False)
    if path.suffix == ".csv":
        path.write_text(TITLE + "," * (len(df.columns) - 1) + "\n" + source.read_text(encoding="utf-8"),
                        encoding="utf-8")
        return path
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(df.columns))
    ws.append(list(df.columns))
    for r in df.itertuples(index=False):
        ws.append([v or None for v in r])
    wb.save(path)
    return path


# Before: the title was read as a question merged over the header's cells ('2026年营业厅服务质量调查 数据导出—【期望】
# 营业厅员工着装整齐' …) and the run stopped: 'no column of this survey-platform export matches the wording of E_T3 …'.
@pytest.mark.parametrize("name", ["titled.xlsx", "titled.csv"])
def test_a_title_row_above_a_platform_exports_header_is_skipped_and_said(tmp_path, name):
    path = _titled(tmp_path / name, DATA / "side_headers" / "tencent_export.csv")
    r = gap_analysis(read_responses(path), read_codebook(DATA / "side_headers" / "codebook.csv"))
    assert sorted(r.summary["column_mapping"].values()) == ["E_T1", "E_T2", "E_T3", "P_T1", "P_T2", "P_T3"]
    assert r.summary["n_respondents"] == 6 and r.items.set_index("item_id")["n"].to_dict() == {"T1": 6, "T2": 5, "T3": 4}
    assert r.problems[["row", "respondent", "column", "value"]].values.tolist() == [[8, "6", "P_T3", "12"]]
    said = [w for w in r.summary["warnings"] if w["kind"] == "title_row_skipped"]
    assert [w["message"] for w in said] == [f"row 1 is a title ('{TITLE}'), not the header: the header is row 2, the "
                                            "first respondent row 3"]
    assert not [w for w in r.summary["warnings"] if w["kind"] == "header_rows_skipped"]


def test_a_title_over_a_renamed_files_header_is_skipped_too(tmp_path):
    path = _titled(tmp_path / "titled.csv", DATA / "responses.csv")
    plain = gap_analysis(read_responses(DATA / "responses.csv"), read_codebook(DATA / "codebook.csv"))
    r = gap_analysis(read_responses(path), read_codebook(DATA / "codebook.csv"))
    assert r.summary["sq"] == pytest.approx(plain.summary["sq"]) and r.summary["n_used"] == plain.summary["n_used"]
    assert (r.respondents["row"] - 1).tolist() == plain.respondents["row"].tolist()  # rows of the sheet
    assert r.respondents["respondent"].tolist() == plain.respondents["respondent"].tolist()
