"""A survey built by hand on a platform heads each statement's two questions with the side they ask (analyst QA).

Fixture (written for these tests): ``side_headers/tencent_export.csv``, six answers to a 腾讯问卷-style survey whose
columns are ``1.营业厅环境整洁明亮(期望)`` / ``1.营业厅环境整洁明亮(感知)``, ``2.…（期望）`` in full-width brackets and
``【期望】营业厅员工着装整齐``; answers typed as 4分, full-width ６ and ４, ７分, 非常同意, 不适用, a blank and a 12.
``side_headers/codebook.csv`` words the items as ``voc survey`` does (优秀的营业厅应该… / 这家营业厅…)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "gap" / "side_headers"


# Before: voc gap stopped on the first column: "column '1.营业厅环境整洁明亮(期望)' matches E_T1 and P_T1 equally
# well; rename it to the E_/P_ id it holds" (with E and P worded alike), or found no column for any item (worded as
# voc survey words them) — six columns to rename by hand.
def test_a_header_naming_its_side_is_that_items_e_or_p_column():
    r = gap_analysis(read_responses(DATA / "tencent_export.csv"), read_codebook(DATA / "codebook.csv"))
    assert r.summary["column_mapping"] == {
        "1.营业厅环境整洁明亮(期望)": "E_T1", "1.营业厅环境整洁明亮(感知)": "P_T1",
        "2.营业厅指引标识清楚（期望）": "E_T2", "2.营业厅指引标识清楚（感知）": "P_T2",
        "【期望】营业厅员工着装整齐": "E_T3", "【感知】营业厅员工着装整齐": "P_T3"}
    items = r.items.set_index("item_id")
    # every answer counted or with its reason: 4分, ６, ７分, 非常同意 read; 不适用, the blank and the 12 are not pairs
    assert items["n"].to_dict() == {"T1": 6, "T2": 5, "T3": 4}
    assert items.loc["T1", "mean_e"] == pytest.approx(37 / 6) and items.loc["T2", "mean_e"] == pytest.approx(6.6)
    assert (items.loc["T3", "mean_e"], items.loc["T3", "mean_p"]) == (pytest.approx(6.75), pytest.approx(4.0))
    assert r.problems[["row", "column", "value"]].values.tolist() == [[7, "P_T3", "12"]]
    assert r.summary["n_not_applicable"] == 1


def test_identical_e_and_p_wording_is_told_apart_by_the_side(tmp_path):
    book = read_codebook(DATA / "codebook.csv")
    book["e_text"] = book["p_text"] = ["营业厅环境整洁明亮", "营业厅指引标识清楚", "营业厅员工着装整齐"]
    r = gap_analysis(read_responses(DATA / "tencent_export.csv"), book)
    assert sorted(r.summary["column_mapping"].values()) == ["E_T1", "E_T2", "E_T3", "P_T1", "P_T2", "P_T3"]
    res = CliRunner().invoke(main, ["gap", str(DATA / "tencent_export.csv"), "--codebook", str(DATA / "codebook.csv"),
                                    "-o", str(tmp_path / "gap")])
    assert res.exit_code == 0, res.output
    assert "6 columns matched to the codebook by their wording" in res.stderr


def test_a_header_without_a_side_word_is_matched_as_before():
    from voiceofcustomer.gap.wjx import _side
    assert _side("7(优秀的营业厅应当整洁)") == (None, "7(优秀的营业厅应当整洁)")
    assert _side("营业厅期望很高") == (None, "营业厅期望很高")
    assert _side("3.员工着装整齐—期望值") == ("E", "3.员工着装整齐")
    assert _side("感知：员工着装整齐") == ("P", "员工着装整齐")


# Before: on a 腾讯问卷 export the warning said 'export columns not matched to the codebook, ignored: 编号,
# 开始答题时间, 结束答题时间, 答题时长' — 编号 names the respondents, and 答题时长 is how long each took, yet answer 4
# (18秒, where the median is 3分10秒) was not screened and --drop-speeders stopped: 'no completion-time column'.
def test_a_tencent_export_names_its_respondents_and_screens_its_speeders():
    r = gap_analysis(read_responses(DATA / "tencent_timed.csv"), read_codebook(DATA / "codebook.csv"),
                     drop_speeders=True)
    assert not [w for w in r.summary["warnings"] if w["kind"] == "unmapped_columns"]
    sp = r.summary["speeders"]
    assert (sp["column"], sp["n"], sp["rows"], sp["respondents"], sp["median_seconds"]) == ("答题时长", 1, [5], ["4"], 190)
    assert (r.summary["n_used"], r.summary["n_respondents"]) == (5, 6)
