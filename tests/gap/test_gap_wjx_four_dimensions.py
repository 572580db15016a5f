"""voc gap on the 问卷星 export of a questionnaire that measures four dimensions (no tangibles item, so its 比重题 has
four rows): the points are read into the four dimensions they were given for, and nothing is said of the fifth.

Fixture (tests/data/gap/wjx_four_dimensions, written): codebook.csv and questionnaire_wjx.txt as ``voc survey`` wrote
them from tests/data/survey_no_tangibles.csv, and export.csv, 12 answers as 问卷星 downloads them by option text
(``2(优秀的电信运营商应当提供稳定的宽带)``, ``4(可靠性：准确可靠地兑现承诺：…)``), each respondent giving the four
dimensions 40 / 30 / 20 / 10 points on average (reliability … empathy)."""
from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DIR = Path(__file__).resolve().parents[1] / "data" / "gap" / "wjx_four_dimensions"
MEASURED = ["reliability", "responsiveness", "assurance", "empathy"]
POINTS = [40.0, 30.0, 20.0, 10.0]


def _kinds(res):
    return {w["kind"] for w in res.summary["warnings"]}


def _two_row_header(tmp_path) -> Path:
    """The same answers downloaded with the question on one header row and the matrix's rows (the 比重题's
    dimension names alone) on the next, as 问卷星's 分组 export heads them."""
    df = pd.read_csv(DIR / "export.csv", dtype=str, encoding="utf-8-sig")
    titles = {"2": "2、您认为一家优秀的电信运营商应当做到以下各项吗？", "3": "3、您目前使用的电信运营商实际做到以下各项了吗？",
              "4": "4、请把100分分配给以下四个方面，越重要的方面分数越高（合计100分）"}
    top, sub, last = [], [], None
    for c in df.columns:
        q, _, row = c.partition("(")
        if q in titles and row:
            top.append(titles[q] if q != last else "")
            sub.append(row[:-1].split("：")[0] if q == "4" else row[:-1])
            last = q
        else:
            top.append(c)
            sub.append("")
            last = None
    path = tmp_path / "export_two_rows.csv"
    pd.DataFrame([sub, *df.to_numpy().tolist()], columns=top).to_csv(path, index=False, encoding="utf-8-sig")
    return path


@pytest.mark.parametrize("form", ["option text", "two header rows"])
def test_the_four_rows_of_points_are_the_four_dimensions(tmp_path, form):
    path = DIR / "export.csv" if form == "option text" else _two_row_header(tmp_path)
    res = gap_analysis(read_responses(path), read_codebook(DIR / "codebook.csv"), by="营业厅")
    mapped = {v: k for k, v in res.summary["column_mapping"].items() if v.startswith("W_")}
    assert sorted(mapped) == sorted(f"W_{d}" for d in MEASURED)
    for d in MEASURED:  # each dimension's points from its own row, not a neighbour's
        assert {"reliability": "可靠性", "responsiveness": "响应性", "assurance": "保证性",
                "empathy": "移情性"}[d] in mapped[f"W_{d}"]
    assert res.dimensions.set_index("dimension")["importance"].round(6).loc[MEASURED].tolist() == POINTS
    assert res.summary["sq_weighted"] is not None and res.summary["n_used"] == 12
    assert not {"dimensions_without_items", "no_importance", "unmapped_columns"} & _kinds(res)


def test_what_voc_gap_warns_of_points_for_a_dimension_without_items_and_of_none(tmp_path):
    # docs/gap.md says both: points for tangibles, which the codebook has no items for, or no points at all
    df = pd.read_csv(DIR / "export.csv", dtype=str, encoding="utf-8-sig")
    weights = [c for c in df.columns if c.startswith("4(")]
    five = df.copy()
    five.insert(df.columns.get_loc(weights[0]), "4(有形性：营业厅的环境与设施、员工的仪表、宣传资料等看得见、摸得着的部分)", "0")
    five.to_csv(tmp_path / "five.csv", index=False, encoding="utf-8-sig")
    res = gap_analysis(read_responses(tmp_path / "five.csv"), read_codebook(DIR / "codebook.csv"))
    said = {w["kind"]: w["message"] for w in res.summary["warnings"]}
    assert said["dimensions_without_items"] == ("the codebook has no items for tangibles; SQ averages the 4 "
                                                "dimensions it has; the importance points for tangibles are left "
                                                "out and each respondent's points for the 4 are rescaled to sum to "
                                                "100")
    assert res.summary["sq_weighted"] is not None
    df.drop(columns=weights).to_csv(tmp_path / "none.csv", index=False, encoding="utf-8-sig")
    res = gap_analysis(read_responses(tmp_path / "none.csv"), read_codebook(DIR / "codebook.csv"))
    said = {w["kind"]: w["message"] for w in res.summary["warnings"]}
    assert said["no_importance"] == "no W_<dimension> importance columns; the weighted SQ is not computed"
    assert "dimensions_without_items" in said and res.summary["sq_weighted"] is None
