"""voc audit as a store-check team runs it (store-check QA pass): a CSV exported with blank lines above its
header names each row by its line, and a store that changes tier between waves is marked beside its change.
"""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report
from voiceofcustomer.cli import main
from voiceofcustomer.errors import InputError

from test_audit_team_sheets import HEADER, _write  # a visits header; a file written for one test

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
CHECKLIST = "方面,编号,检查项目,权重_省内,一票否决\n服务意识,A1,主动问候,10,\n服务意识,A2,微笑服务,10,\n主动营销,M1,推荐新业务,20,\n"


# -- blank lines above a CSV's header -----------------------------------------------------------------
# A visits CSV exported with blank lines above its header (tests/data/audit/visits_blank_lines_above.csv:
# lines 1 and 2 blank, the header on line 3, a blank line 6 between the records).
# Before: with two blank lines above the header every row was named as if the header were line 1 — '好' on
# line 5 was 'row 3', Z9 on line 8 'row 5' (pandas skipped the blank lines, the inner one too); with one
# blank line the run stopped with 'row 2 looks like the header …, under blank rows', though blank lines
# above the header are skipped (docs/audit.md).

def test_problems_name_the_lines_of_a_csv_with_blank_lines_above_its_header(tmp_path):
    book = read_checklist(_write(tmp_path, "c.csv", CHECKLIST))
    r = score_audit(book, read_visits(DATA / "visits_blank_lines_above.csv"))
    assert r.problems[["row", "item_id"]].values.tolist() == [[8, "Z9"], [5, "A2"], [11, "M1"]]
    # 北街: A1 是, M1 是 (A2 unreadable, left out) → 30 / 30; 南门: A1 是, A2 否 (M1 12 out of range) → 10 / 20
    assert r.visits.set_index("store")["score"].to_dict() == {"北街营业厅": 100.0, "南门营业厅": 50.0}
    res = CliRunner().invoke(main, ["audit", str(DATA / "visits_blank_lines_above.csv"), "--checklist",
                                    str(tmp_path / "c.csv"), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "row 5 (visit 北街营业厅@2026-10-05, item A2)" in res.output
    problems = pd.read_csv(tmp_path / "out" / "problems.csv", encoding="utf-8-sig")
    assert problems["row"].tolist() == [8, 5, 11]


@pytest.mark.parametrize("blank", ["\n", "\n\n", "\n \n\n"])
def test_one_or_more_blank_lines_above_the_header_are_skipped_and_rows_keep_their_lines(tmp_path, blank):
    n = blank.count("\n")
    book = read_checklist(_write(tmp_path, "c.csv", CHECKLIST))
    path = _write(tmp_path, "v.csv", blank + HEADER + "S1,省内,2026-10-05,A1,是\n\nS1,省内,2026-10-05,A2,好\n"
                                                      "S1,省内,2026-10-05,M1,是\n")
    rows = read_visits(path)
    assert rows["row"].tolist() == [n + 2, n + 4, n + 5]   # the header is line n + 1; line n + 3 is blank
    assert score_audit(book, rows).problems["row"].tolist() == [n + 4]


def test_stopping_messages_name_the_line_under_blank_lines(tmp_path):
    # each message that names a row of a visits CSV with two blank lines above its header (the header is line 3)
    cases = {"S1,省内,2026-10-05,A1,是\nS1,省内,2026-13-45,A2,是\n": r"row 5: date '2026-13-45' is not a date",
             "S1,省内,2026-10-05,A1,是\nS1,省外,2026-10-05,A2,是\n":
                 r"'S1' is 省内 in row 4 but 省外 in row 5 \(wave 2026-10\)"}
    for body, message in cases.items():
        with pytest.raises(InputError, match=message):
            score_audit(read_checklist(_write(tmp_path, "c.csv", CHECKLIST)),
                        read_visits(_write(tmp_path, "v.csv", "\n\n" + HEADER + body)))
    path = _write(tmp_path, "w.csv", "\n\n门店,门店类型,批次,日期,编号,得分\nS1,省内,第一批,2026-10-05,A1,是\n"
                                     "S1,省内,,2026-10-05,A2,是\n")
    with pytest.raises(InputError, match=r"row 5: empty wave"):
        read_visits(path)


@pytest.mark.parametrize("body, message", [
    ("服务,A1,10,\n服务,A2,abc,\n", r"row 5: weight '权重_省内' = 'abc'"),
    ("服务,A1,10,\n服务,A2,10,重点\n", r"row 5: veto \(一票否决\) '重点'"),
    ("服务,A1,10,\n服务,,10,\n", r"row 5: empty item_id"),
    (",A1,10,\n服务,A2,10,\n", r"row 4: empty aspect"),
])
def test_checklist_messages_name_the_line_under_blank_lines(tmp_path, body, message):
    path = _write(tmp_path, "c.csv", "\n\n方面,编号,权重_省内,一票否决\n" + body)
    with pytest.raises(InputError, match=message):
        read_checklist(path)


def test_checklist_max_score_message_names_the_line_under_blank_lines(tmp_path):
    path = _write(tmp_path, "c.csv", "\n\n方面,编号,权重_省内,满分\n服务,A1,10,5分\n\n服务,A2,10,五分\n")
    with pytest.raises(InputError, match=r"row 6: max_score '五分' is not a positive number"):
        read_checklist(path)


def test_a_wide_visit_csv_under_blank_lines_names_each_visits_line(tmp_path):
    # the sheet as checkers fill it (one column per item), exported with a blank line above the header
    book = read_checklist(_write(tmp_path, "c.csv", CHECKLIST))
    path = _write(tmp_path, "v.csv", "\n门店,门店类型,日期,A1,A2,M1\nS1,省内,2026-10-05,是,好,是\n\n"
                                     "S2,省内,2026-10-06,是,是,\n")
    r = score_audit(book, read_visits(path, checklist=book))
    assert r.problems[["row", "item_id"]].values.tolist() == [[3, "A2"], [5, "M1"]]


def test_rows_with_a_cell_more_than_the_header_and_blank_lines_between_keep_their_lines(tmp_path):
    # a 备注 column the header does not name, and blank lines between the records: pandas could not read the
    # blank lines kept (the rows' field count is set by the first one), and the rows were read without them
    # Before: the rows were named 2 and 3 (lines 3 and 5)
    book = read_checklist(_write(tmp_path, "c.csv", CHECKLIST))
    path = _write(tmp_path, "v.csv", HEADER + "\nS1,省内,2026-10-05,A1,是,复查\n\nS1,省内,2026-10-05,A2,好,\n"
                                              "S1,省内,2026-10-05,M1,是,\n")
    rows = read_visits(path)
    assert rows["row"].tolist() == [3, 5, 6] and rows["score"].tolist() == ["是", "好", "是"]
    assert score_audit(book, rows).problems["row"].tolist() == [5]


def test_a_header_under_blank_lines_and_a_title_is_read_under_the_title(tmp_path):
    # a blank line, a title, then the header: row 3 (CSV line and sheet row alike), under the title of row 2.
    # Before 7 Dec 2026 (survey29) this stopped with 'row 3 looks like the header …, under a title ('10月暗访结果')'.
    said = {"file": "v.csv", "title": "10月暗访结果", "header_row": 3, "title_row": 2}
    rows = read_visits(_write(tmp_path, "v.csv", "\n10月暗访结果\n" + HEADER + "S1,省内,2026-10-05,A1,是\n"))
    assert rows["row"].tolist() == [4] and rows.attrs["title_rows"] == [said]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A2"] = "10月暗访结果"
    for j, v in enumerate(HEADER.strip().split(","), 1):
        ws.cell(3, j, v)
    for j, v in enumerate(["S1", "省内", "2026-10-05", "A1", "是"], 1):
        ws.cell(4, j, v)
    wb.save(tmp_path / "v.xlsx")
    rows = read_visits(tmp_path / "v.xlsx")
    assert rows["row"].tolist() == [4] and rows.attrs["title_rows"] == [{**said, "file": "v.xlsx"}]


# -- a store that changes tier between waves ----------------------------------------------------------
# 北街营业厅 is a 普通店 in October and a 核心店-低客流 from November (tests/data/audit/traffic_*): its November score
# is weighed by the new tier's weights and ranked among that tier's stores, so its change (+11.14) compares
# scores under two sets of weights. Before: stores.csv, the 门店排名 sheet and the page showed the change
# without a word of the move — a reader could not tell it from a store that got better.

TRAFFIC = [DATA / "traffic_2026-10.csv", DATA / "traffic_2026-11_gbk.csv", DATA / "traffic_2026-12_wide.csv"]


def test_a_store_that_changes_tier_is_marked_beside_its_change(tmp_path):
    book = read_checklist(DATA / "traffic_checklist.csv")
    r = score_audit(book, read_visits(TRAFFIC, checklist=book))
    stores = r.stores.set_index(["store", "wave"])
    assert list(r.stores.columns[r.stores.columns.get_loc("change"):][:2]) == ["change", "tier_change"]
    assert stores["tier_change"].to_dict() == {
        ("北街营业厅", "2026-10"): "", ("河西营业厅", "2026-10"): "", ("北街营业厅", "2026-11"): "普通店→核心店-低客流",
        ("河西营业厅", "2026-11"): "", ("北街营业厅", "2026-12"): "", ("河西营业厅", "2026-12"): "",
        ("南门营业厅", "2026-12"): ""}
    write_audit_report(r, tmp_path / "out")
    out = tmp_path / "out"
    csv_stores = pd.read_csv(out / "stores.csv", encoding="utf-8-sig", keep_default_na=False)
    marked = csv_stores[csv_stores["tier_change"] != ""]
    assert marked[["store", "wave", "change", "tier_change"]].values.tolist() == [
        ["北街营业厅", "2026-11", "11.14", "普通店→核心店-低客流"]]
    sheet = pd.read_excel(out / "audit_report.xlsx", sheet_name="门店排名", dtype=str, engine="openpyxl").fillna("")
    assert list(sheet.columns[sheet.columns.get_loc("较上批次变化"):][:2]) == ["较上批次变化", "类别变化"]
    assert sheet.loc[sheet["类别变化"] != "", ["门店", "批次", "类别变化"]].values.tolist() == [
        ["北街营业厅", "2026-11", "普通店→核心店-低客流"]]
    page = (out / "audit_report.html").read_text(encoding="utf-8")
    assert "<th>类别变化</th>" in page and "<td>普通店→核心店-低客流</td>" in page
    november = page.split("<h2>批次 2026-11</h2>")[1].split("<h2>")[0]
    assert "北街营业厅（普通店→核心店-低客流）" in november   # the note under the wave's table says what it means
    assert "北街营业厅（" not in page.split("<h2>批次 2026-12</h2>")[1]


def test_a_tier_change_is_to_the_stores_previous_wave_even_when_it_missed_one(tmp_path):
    # S1 is checked in 第一批 (省内) and 第三批 (省外), not in 第二批: the change and the mark are to 第一批
    book = read_checklist(_write(tmp_path, "c.csv", "方面,编号,权重_省内,权重_省外\n服务,A1,10,10\n服务,A2,10,30\n"))
    path = _write(tmp_path, "v.csv", "门店,门店类型,批次,编号,得分\nS1,省内,第一批,A1,是\nS1,省内,第一批,A2,否\n"
                                     "S2,省内,第二批,A1,是\nS2,省内,第二批,A2,是\nS1,省外,第三批,A1,是\nS1,省外,第三批,A2,否\n"
                                     "S2,省内,第三批,A1,是\nS2,省内,第三批,A2,是\n")
    stores = score_audit(book, read_visits(path)).stores.set_index(["store", "wave"])
    # S1: 第一批 10 / 20 = 50, 第三批 10 / 40 = 25 — the same results, weighed by 省外's weights
    assert stores.loc[("S1", "第三批"), ["score", "change", "tier_change"]].tolist() == [25.0, -25.0, "省内→省外"]
    assert stores.loc[("S2", "第三批"), "tier_change"] == "" and stores.loc[("S1", "第一批"), "tier_change"] == ""


# -- blank rows above the header as Excel saves them, and a tab-separated .csv --------------------------------
# Found in a store-check QA pass: Excel saves a sheet's blank rows above the header as lines of commas (',,,,'),
# which stopped the run with 'row 3 looks like the header …, under blank rows; delete the rows above it' where
# empty lines are skipped; and in a tab-separated .csv (Excel's "Unicode text") the line of a header under a
# title was looked for with commas, never found, and named as if no blank line stood above it (row 2, not 4).

@pytest.mark.parametrize("blank", [",,,,\n,,,,\n", ",,,,\n\n", " , ,,,\n\t\n"])
def test_lines_of_separators_above_the_header_are_blank_lines(tmp_path, blank):
    book = read_checklist(_write(tmp_path, "c.csv", "\n,,,,\n" + CHECKLIST))
    path = _write(tmp_path, "v.csv", blank + HEADER + "S1,省内,2026-10-05,A1,是\n,,,,\nS1,省内,2026-10-05,A2,好\n"
                                                      "S1,省内,2026-10-05,M1,是\n")
    rows = read_visits(path)
    assert rows["row"].tolist() == [4, 6, 7]  # the header is line 3; line 5 is blank
    assert score_audit(book, rows).problems["row"].tolist() == [6]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_a_header_under_a_title_in_a_tab_separated_csv_is_named_by_its_line(tmp_path, encoding):
    text = "\n\n10月暗访结果\t\t\t\t\n" + (HEADER + "S1,省内,2026-10-05,A1,是\n").replace(",", "\t")
    path = tmp_path / "v.csv"
    path.write_bytes(text.encode(encoding))
    rows = read_visits(path)  # before 7 Dec 2026 (survey29): 'row 4 looks like the header …, under a title'
    assert rows["row"].tolist() == [5] and rows.attrs["title_rows"][0]["header_row"] == 4
