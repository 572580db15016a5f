"""A 问卷星 export as it downloads, with what respondents do to it (questionnaire-designer QA pass):
skipped questions exported as (跳过)/(空)/-3, importance points typed as 30分, a respondent who
answered the expectation page only. Worked by hand below."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses
from voiceofcustomer.gap.wjx import scale_numbers

CODEBOOK = pd.DataFrame({"item_id": ["T1", "R1"], "dimension": ["tangibles", "reliability"],
                         "e_text": ["优秀的营业厅应当整洁明亮", "优秀的电信运营商应当提供稳定的宽带"],
                         "p_text": ["该营业厅整洁明亮", "该运营商提供稳定的宽带"], "reverse": ["false", "false"]})
WEIGHTS = ["有形性：看得见的部分", "可靠性：兑现承诺", "响应性：及时服务", "保证性：专业与礼貌", "移情性：关心客户"]
HEADER = (["序号", "提交答卷时间", "所用时间", "来源", "1、您本次评价的是哪一家营业厅？",
           "2(优秀的营业厅应当整洁明亮)", "2(优秀的电信运营商应当提供稳定的宽带)", "3(该营业厅整洁明亮)", "3(该运营商提供稳定的宽带)"]
          + [f"4({w})" for w in WEIGHTS])
# 序号, time, duration, source, store, E_T1, E_R1, P_T1, P_R1, W × 5
ROWS = [
    [1, "2026/11/3 10:00:00", "300秒", "微信", "和平路营业厅", "非常同意", "6分", "5分", "同意", 40, 60, 0, 0, 0],
    [2, "2026/11/3 10:10:00", "310秒", "微信", "和平路营业厅", "(跳过)", "6分", "(空)", "5分",
     "30分", "70分", "0分", "0分", "0分"],
    [3, "2026/11/3 10:20:00", "320秒", "微信", "南开大学城厅", 5, 5, "", "", 50, 50, 0, 0, 0],  # the E page only
    [4, "2026/11/3 10:30:00", "330秒", "微信", "南开大学城厅", -3, 4, -3, 6, 50, 50, 0, 0, 0],
]
# By hand (d = P − E): r1 T −2, R 0; r2 R −1 (T skipped); r3 no pair; r4 R +2 (T skipped).
# Item gaps: T −2 (n 1), R (0 − 1 + 2)/3 = 1/3 (n 3); SQ = mean(−2, 1/3) = −5/6; Σ(P − E) = −5/3.
# Weighted: r1 0.4·(−2) + 0.6·0 = −0.8; r2 and r4 have a gap for R only, so their share of R is 1: −1 and 2.
# sq_weighted = (−0.8 − 1 + 2)/3 = 1/15.


@pytest.fixture
def export(tmp_path):
    (tmp_path / "codebook.csv").write_text(CODEBOOK.to_csv(index=False), encoding="utf-8-sig")
    df = pd.DataFrame(ROWS, columns=HEADER)
    df.to_excel(tmp_path / "wjx.xlsx", index=False)
    df.to_csv(tmp_path / "wjx.csv", index=False, encoding="gbk")
    return tmp_path


@pytest.mark.parametrize("name", ["wjx.xlsx", "wjx.csv"])
def test_wjx_export_with_skips_points_as_text_and_an_e_only_respondent(export, name):
    r = gap_analysis(read_responses(export / name), read_codebook(export / "codebook.csv"))
    items = r.items.set_index("item_id")
    assert items.loc["T1", ["n", "gap"]].tolist() == [1, -2]
    assert items.loc["R1", "n"] == 3 and items.loc["R1", "gap"] == pytest.approx(1 / 3)
    assert r.summary["sq"] == pytest.approx(-5 / 6)
    assert r.summary["sq_sum"] == pytest.approx(-5 / 3)
    # 30分 are points (they made r2's importance 'not a number' and left r2 out of the weighted SQ: 0.6)
    assert r.summary["sq_weighted"] == pytest.approx(1 / 15)
    assert r.summary["n_weighted"] == 3
    # (跳过), (空) and -3 are 问卷星's skipped answers: blank, not problems ('not a number', 'outside 1–7')
    assert r.problems.empty, r.problems
    kinds = {w["kind"]: w for w in r.summary["warnings"]}
    assert kinds["missing_answers"]["count"] == 6  # r2's two, r3's two P, r4's two
    # r3 answered only E: no gap anywhere, so not counted as used (an empty row in respondents.csv before)
    assert r.summary["n_used"] == 3 and r.summary["n_respondents"] == 4
    assert list(r.respondents["row"]) == [2, 3, 5]
    assert kinds["respondents_without_pairs"]["count"] == 1 and "rows 4 [3]" in kinds["respondents_without_pairs"]["message"]


def test_segment_counts_leave_out_the_e_only_respondent(export, tmp_path):
    out = tmp_path / "gap"
    res = CliRunner().invoke(main, ["gap", str(export / "wjx.csv"), "--codebook", str(export / "codebook.csv"),
                                    "-o", str(out), "--by", "营业厅"])
    assert res.exit_code == 0, res.output
    sq = pd.read_csv(out / "sq_by_营业厅.csv", encoding="utf-8-sig").set_index("segment")
    assert sq.loc["南开大学城厅", "n_respondents"] == 1  # r4; r3 (E only) was counted as a second
    assert sq.loc["和平路营业厅", "n_respondents"] == 2
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["n_problems"] == 0
    assert "3 of 4 respondents" in res.output


def test_numeric_export_skipped_marker_is_blank():
    values, na = scale_numbers(pd.Series([7, -3, 5]))
    assert values.isna().tolist() == [False, True, False] and not na.any()


def test_a_real_bad_answer_is_still_a_problem(export):
    df = pd.DataFrame(ROWS, columns=HEADER)
    df.iloc[0, 5] = "很好"
    df.iloc[0, 9] = "四十"
    df.to_csv(export / "bad.csv", index=False, encoding="gbk")
    r = gap_analysis(read_responses(export / "bad.csv"), read_codebook(export / "codebook.csv"))
    assert sorted(r.problems["value"]) == ["四十", "很好"]


def test_an_item_reworded_on_the_platform_is_named_by_its_wording_and_the_loose_column(export):
    # The designer reworded T1's expectation in 问卷星 after the import. The error said 'missing column E_T1'
    # and listed E_/P_ names the export never had; the reworded column was not mentioned.
    df = pd.DataFrame(ROWS, columns=HEADER).rename(columns={HEADER[5]: "2(营业厅应当保持干净、明亮、整齐有序)"})
    df.to_csv(export / "reworded.csv", index=False, encoding="gbk")
    res = CliRunner().invoke(main, ["gap", str(export / "reworded.csv"), "--codebook", str(export / "codebook.csv"),
                                    "-o", str(export / "gap")])
    assert res.exit_code == 2
    line = res.output.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "E_T1 '优秀的营业厅应当整洁明亮'" in line and "'2(营业厅应当保持干净、明亮、整齐有序)'" in line
    assert "P_T1" not in line  # its P column matched


def test_importance_warnings_name_the_rows_and_the_sums(export):
    # 'do not sum to 100: 1; rescaled to 100' left the designer to hunt for who gave 50 points to every dimension
    rows = [list(r) for r in ROWS]
    rows[0][9:14] = [50, 50, 50, 50, 50]
    rows[3][9:14] = ["", "", "", "", ""]
    pd.DataFrame(rows, columns=HEADER).to_csv(export / "points.csv", index=False, encoding="gbk")
    r = gap_analysis(read_responses(export / "points.csv"), read_codebook(export / "codebook.csv"))
    kinds = {w["kind"]: w["message"] for w in r.summary["warnings"]}
    assert "rows 2 [1]: sums 250" in kinds["importance_rescaled"]
    assert "rows 5 [4]" in kinds["importance_unusable"]
