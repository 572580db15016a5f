"""voc audit as a service-quality manager new to it reads it (new-user pass, 7 Dec 2026).

Fixture ``visits_two_checkers_problems.csv`` (invented): S1 visited on 2026-10-05 by 王敏 (B1 scored 12 of 满分 5,
C1 '好') and by 李强 (A1 否, B1 4, and an item D9 the checklist lacks); S2 with a 部分, an empty cell and no C1 row;
S3 with every result 不适用 but a '2' on the pass/fail C1."""

import re
from pathlib import Path

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report
from voiceofcustomer.audit.report import PROBLEM_ZH
from voiceofcustomer.errors import said_in

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"


def _score(path, book=DATA / "checklist.csv"):
    book = read_checklist(book)
    return score_audit(book, read_visits(path, checklist=book))


def _table(page: str, heading: str) -> list[list[str]]:
    table = page[page.index(heading):]
    table = table[:table.index("</table>")]
    return [re.findall(r"<t[dh]>(.*?)</t[dh]>", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


# Before: the page's 未计分的记录 table, under Chinese headings, gave problems.csv's English ("item_id not in the
# checklist", "score 12 is outside 0–5 …"), where the gap page says its reasons in Chinese.
def test_the_pages_unscored_records_say_their_reasons_in_chinese(tmp_path):
    r = _score(DATA / "visits_two_checkers_problems.csv")
    rows = _table(write_audit_report(r, tmp_path / "out").read_text(encoding="utf-8"), "<h2>未计分的记录")
    said = {(row[1], row[3]): row[4] for row in rows[1:]}
    assert said[("10", "D9")] == "检查清单中没有这个编号；该行未计分（请核对编号）"
    assert said[("4", "B1")] == "得分 12 超出 0–5（该项满分 5）；未计入该次暗访得分（请写 5 分以内的得分，不适用则写“不适用”）"
    assert said[("5", "C1")].startswith("结果“好”不是分数、是/否或不适用")
    assert said[("11", "A1")].startswith("结果“部分”（部分达标）与不适用项一样未计入该次暗访得分")
    assert said[("12", "A2")].startswith("没有结果（空白单元格）")
    assert said[("17", "C1")].startswith("结果“2”不是是/否（1/0）")
    assert said[("", "C1")].startswith("该次暗访没有这一项的记录")
    assert said[("", "")].startswith("S3 2026-10-07 的暗访没有得分：其 3 项结果都是“不适用”，所以得分留空（不是 0），"
                                     "门店在批次 2026-10 没有得分，不参加排名")
    assert not any(re.search(r"[a-z]{3,}", p) for p in said.values() if "--partial" not in p), said
    problems = (tmp_path / "out" / "problems.csv").read_text(encoding="utf-8-sig")
    assert "item_id not in the checklist" in problems  # the machine's table keeps its English


def test_a_visit_submitted_twice_and_an_item_scored_twice_are_said_in_chinese(tmp_path):
    sent = tmp_path / "v.csv"
    sent.write_text("门店,门店类型,暗访日期,暗访员,A1,A2,B1,C1\n河西营业厅,旗舰店,2026-11-05,李强,是,否,否,是\n"
                    "河西营业厅,旗舰店,2026-11-05,李强,是,是,否,是\n", encoding="utf-8")
    r = _score(sent, DATA / "two_visits_one_day_checklist.csv")
    assert said_in(r.problems["problem"].iloc[0], PROBLEM_ZH) == (
        "重复提交的暗访：第 2 行与第 3 行是同一次暗访（河西营业厅，2026-11-05，李强）的两次提交（4 项中 3 项结果相同）；"
        "较早的一份不计，按较晚提交的一份计分")
    assert said_in("item scored twice in one visit; the first result is used", PROBLEM_ZH) == \
        "同一次暗访中该项有两个结果；按第一个计分"


# Before: 失分项与评语 listed both visits of S1 on 2026-10-05 as 'S1 | 2026-10-05 | A1 …', the checkers unnamed, and
# the two rows of 河西营业厅 on 2026-11-05 of a sheet of one row per visit (no checker column) alike.
def test_failed_items_name_the_checker_or_the_row_of_two_visits_on_one_day(tmp_path):
    r = _score(DATA / "visits_two_checkers_problems.csv")
    rows = _table(write_audit_report(r, tmp_path / "a").read_text(encoding="utf-8"), "<h3>失分项与评语")
    assert rows[0] == ["门店", "日期", "暗访员", "编号", "检查项目", "结果", "评语/备注"]
    assert [row[:4] for row in rows[1:]] == [["S1", "2026-10-05", "李强", "A1"], ["S1", "2026-10-05", "李强", "B1"],
                                             ["S1", "2026-10-05", "王敏", "A2"]]
    assert r.failed["auditor"].tolist() == ["李强", "李强", "王敏"]
    r = _score(DATA / "two_visits_one_day_wide.csv", DATA / "two_visits_one_day_checklist.csv")
    rows = _table(write_audit_report(r, tmp_path / "b").read_text(encoding="utf-8"), "<h3>失分项与评语")
    assert rows[0] == ["门店", "日期", "行", "编号", "检查项目", "结果", "评语/备注"]
    assert [(row[2], row[3]) for row in rows[1:]] == [("2", "A2"), ("3", "A1"), ("3", "B1"), ("3", "C1")]


# Before: 王敏's visit read n_items 2, n_missing 0 of a checklist of 4 — its B1 12 (满分 5) and C1 '好', left out,
# were counted nowhere in visits.csv.
def test_unreadable_and_out_of_range_results_are_counted_in_n_invalid(tmp_path):
    r = _score(DATA / "visits_two_checkers_problems.csv")
    v = r.visits.set_index("visit_id")[["n_items", "n_missing", "n_invalid", "n_partial"]]
    assert v.to_dict("index") == {
        "S1@2026-10-05@王敏": {"n_items": 2, "n_missing": 0, "n_invalid": 2, "n_partial": 0},
        "S1@2026-10-05@李强": {"n_items": 4, "n_missing": 0, "n_invalid": 0, "n_partial": 0},
        "S2@2026-10-06": {"n_items": 1, "n_missing": 2, "n_invalid": 0, "n_partial": 1},
        # its three 不适用 are not items checked (n_not_applicable 3): 0 + 0 + 1 + 3 = the 4 items 省内 weighs
        "S3@2026-10-07": {"n_items": 0, "n_missing": 0, "n_invalid": 1, "n_partial": 0}}
    write_audit_report(r, tmp_path / "out")
    import pandas as pd
    sheet = pd.read_excel(tmp_path / "out" / "audit_report.xlsx", sheet_name="暗访明细", engine="openpyxl")
    assert sheet["无效结果项数"].tolist() == [2, 0, 0, 1]


# Before: audit_report.xlsx's 问题 sheet showed problems.csv's English ('item_id not in the checklist', 'score 12 is
# outside 0–5 …') under its Chinese headings (行, 编号, 问题), where the page says the same reasons in Chinese.
def test_the_workbooks_problems_sheet_says_the_pages_chinese_reasons(tmp_path):
    import pandas as pd

    r = _score(DATA / "visits_two_checkers_problems.csv")
    write_audit_report(r, tmp_path / "out")
    sheet = pd.read_excel(tmp_path / "out" / "audit_report.xlsx", sheet_name="问题", engine="openpyxl", dtype=str)
    said = sheet["问题"].tolist()
    assert said == [said_in(p, PROBLEM_ZH) for p in r.problems["problem"]]
    assert "检查清单中没有这个编号；该行未计分（请核对编号）" in said
    assert "得分 12 超出 0–5（该项满分 5）；未计入该次暗访得分（请写 5 分以内的得分，不适用则写“不适用”）" in said
    assert not any(re.search(r"[a-z]{3,}", p) for p in said if "--partial" not in p), said
    problems = pd.read_csv(tmp_path / "out" / "problems.csv", dtype=str)
    assert "item_id not in the checklist" in problems["problem"].tolist()  # the machine's table keeps its English
