"""voc audit on a team's sheets, follow-ups to the store-check QA pass: a title row above the header,
aspects in the checklist's order, a 批次 column in only some of the wave files, a third wave with a
store that changes tier and tiers named by traffic (核心店-高客流). Every number is worked by hand in the
comments.
"""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report
from voiceofcustomer.cli import main
from voiceofcustomer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
HEADER = "门店,门店类型,日期,编号,得分\n"
CHECKLIST_HEADER = ["方面", "编号", "检查项目", "权重_省内", "一票否决"]
CHECKLIST_ROWS = [["服务意识", "A1", "主动问候", 10, ""], ["服务意识", "A2", "微笑服务", 10, ""],
                  ["主动营销", "M1", "推荐新业务", 20, ""]]


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _checklist_xlsx(path, above):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in above:
        ws.append(row)
    ws.append(CHECKLIST_HEADER)
    for row in CHECKLIST_ROWS:
        ws.append(row)
    if above and above[0]:
        ws.merge_cells("A1:E1")
    wb.save(path)
    return path


# -- a title row or blank rows above the header ------------------------------------------------------
# Before: 'checklist lacks column(s) aspect, item_id; columns are: 2026年第四季度营业厅暗访检查表, Unnamed: 1,
# Unnamed: 2 …' — nothing said the header was two rows down. A CSV whose title line has no commas was read
# with its first cells taken as an index (every column shifted), then stopped with the title as the only column.

# Since 7 Dec 2026 (survey29) a title row above the header is read under the title, as voc gap reads it; blank rows
# alone above a workbook's header still stop with the header's row.

@pytest.mark.parametrize("above, header_row", [([["2026年第四季度营业厅暗访检查表"], []], 3),
                                               ([["2026年第四季度营业厅暗访检查表"]], 2)])
def test_a_checklist_workbook_with_a_title_above_its_header_is_read(tmp_path, above, header_row):
    book = read_checklist(_checklist_xlsx(tmp_path / "c.xlsx", above))
    assert book["item_id"].tolist() == ["A1", "A2", "M1"]
    assert book.attrs["title_rows"] == [{"file": "c.xlsx", "title": "2026年第四季度营业厅暗访检查表",
                                         "header_row": header_row, "title_row": 1}]


def test_a_checklist_workbook_with_blank_rows_above_its_header_names_the_header_row(tmp_path):
    with pytest.raises(InputError) as err:
        read_checklist(_checklist_xlsx(tmp_path / "c.xlsx", [[], []]))
    msg = str(err.value)
    assert "row 3 looks like the header (方面, 编号, 检查项目, 权重_省内 …), under blank rows" in msg
    assert "delete the rows above it" in msg and "Unnamed" not in msg and "\n" not in msg


@pytest.mark.parametrize("text, row", [("2026年第四季度营业厅暗访检查表,,,\n,,,\n", 3),   # as Excel saves it
                                       ("2026年第四季度营业厅暗访检查表\n\n", 3),          # typed: no commas, a blank line
                                       ("2026年第四季度营业厅暗访检查表\n", 2)])
def test_a_checklist_csv_with_a_title_line_is_read_under_it(tmp_path, text, row):
    path = _write(tmp_path, "c.csv", text + "方面,编号,权重_省内,一票否决\n服务,A1,10,\n服务,A2,10,是\n")
    book = read_checklist(path)
    assert book["item_id"].tolist() == ["A1", "A2"] and book["veto"].tolist() == [False, True]
    assert book.attrs["title_rows"][0]["header_row"] == row


def test_a_visit_sheet_with_a_title_row_is_read_under_it(tmp_path):
    book = read_checklist(_checklist_xlsx(tmp_path / "c.xlsx", []))
    path = _write(tmp_path, "v.csv", "10月暗访结果,,,,\n" + HEADER + "S1,省内,2026-10-05,A1,是\n")
    assert read_visits(path)[["store", "item_id", "row"]].values.tolist() == [["S1", "A1", 3]]
    wb = openpyxl.Workbook()  # the sheet as checkers fill it: one column per item, a title and a blank row above
    ws = wb.active
    for row in (["第四季度暗访明细"], [], ["门店", "门店类型", "日期", "A1", "A2", "M1"], ["S1", "省内", "2026-10-05", "是", "否", "是"]):
        ws.append(row)
    wb.save(tmp_path / "wide.xlsx")
    rows = read_visits(tmp_path / "wide.xlsx", checklist=book)
    assert rows[["item_id", "score", "row"]].values.tolist() == [["A1", "是", 4], ["A2", "否", 4], ["M1", "是", 4]]
    res = CliRunner().invoke(main, ["audit", str(tmp_path / "wide.xlsx"), "--checklist", str(tmp_path / "c.xlsx"),
                                    "-o", str(tmp_path / "out")])
    assert res.exit_code == 0 and "wide.xlsx: header in row 3, under the title '第四季度暗访明细' in row 1" in res.output


def test_a_header_under_a_title_with_an_empty_cell_is_read_too(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["2026年第四季度营业厅暗访检查表"], ["方面", "编号", None, "权重_省内"], ["服务", "A1", "问候", 10]):
        ws.append(row)
    wb.save(tmp_path / "c.xlsx")
    book = read_checklist(tmp_path / "c.xlsx")
    assert book["item_id"].tolist() == ["A1"] and book["weight:省内"].tolist() == [10.0]


def test_a_csv_whose_rows_have_a_cell_more_than_its_header_keeps_its_columns(tmp_path):
    # A 备注 column the header does not name: pandas took each row's first cell as an index, so 方面 read
    # A1, 编号 read 10 and 权重_省内 the note ('weight … is not a number'). The extra cells are now a column
    # of their own, not read.
    book = read_checklist(_write(tmp_path, "c.csv", "方面,编号,权重_省内\n服务,A1,10,重点\n服务,A2,30,\n"))
    assert book[["aspect", "item_id", "weight:省内"]].values.tolist() == [["服务", "A1", 10.0], ["服务", "A2", 30.0]]


# -- aspects in the checklist's order ------------------------------------------------------------------
# Before: 各方面得分 (store_aspects, the workbook sheet and the page) listed the aspects in the characters'
# order — 主动营销, 服务意识, 环境设施 — and aspects.csv in the order of each visit's rows.

def test_aspects_are_listed_in_the_checklists_order(tmp_path):
    book = read_checklist(_write(tmp_path, "c.csv", "方面,编号,权重_省内\n服务意识,A1,10\n环境设施,B1,10\n"
                                                    "主动营销,M1,10\n"))
    visits = _write(tmp_path, "v.csv", HEADER + "S1,省内,2026-10-05,M1,是\nS1,省内,2026-10-05,B1,否\n"
                                                "S1,省内,2026-10-05,A1,是\nS2,省内,2026-10-06,A1,否\n"
                                                "S2,省内,2026-10-06,M1,否\nS2,省内,2026-10-06,B1,是\n")
    r = score_audit(book, read_visits(visits))
    order = ["服务意识", "环境设施", "主动营销"]
    assert list(r.store_aspects.columns) == ["store", "tier", "wave", *order]
    assert r.aspects["aspect"].tolist() == order * 2
    assert r.aspects["visit_id"].tolist() == ["S1@2026-10-05"] * 3 + ["S2@2026-10-06"] * 3
    assert r.store_aspects.set_index("store").loc["S2", order].tolist() == [0.0, 100.0, 0.0]
    write_audit_report(r, tmp_path / "out")
    header = next(openpyxl.load_workbook(tmp_path / "out" / "audit_report.xlsx")["各方面得分"].iter_rows(values_only=True))
    assert list(header) == ["门店", "门店类别", "批次", *order]
    page = (tmp_path / "out" / "audit_report.html").read_text(encoding="utf-8")
    at = [page.index(f"<th>{a}</th>") for a in order]
    assert at == sorted(at)
    assert pd.read_csv(tmp_path / "out" / "aspects.csv", encoding="utf-8-sig")["aspect"].tolist() == order * 2


# -- a 批次 column in only some of the wave files --------------------------------------------------------
# Before: the file without the column got month waves (2026-12) beside the others' 第一批, 第二批: four waves
# in one report, S1's change taken between 第二批 and 2026-12 in an order nobody chose, without a word.

def test_a_wave_column_in_only_some_files_stops_naming_the_files_without_it(tmp_path):
    book = read_checklist(_write(tmp_path, "c.csv", "方面,编号,权重_省内\n服务,A1,10\n"))
    a = _write(tmp_path, "第一批.csv", "门店,门店类型,批次,日期,编号,得分\nS1,省内,第一批,2026-10-05,A1,是\n")
    b = _write(tmp_path, "第二批.csv", "门店,门店类型,批次,日期,编号,得分\nS1,省内,第二批,2026-11-05,A1,是\n")
    c = _write(tmp_path, "12月.csv", HEADER + "S1,省内,2026-12-05,A1,否\n")
    with pytest.raises(InputError, match=r"12月.csv: no wave \(批次\) column, but \S+第一批.csv, \S+第二批.csv have one; "
                                         r"add the column to it"):
        read_visits([a, b, c])
    res = CliRunner().invoke(main, ["audit", str(a), str(c), "--checklist", str(tmp_path / "c.csv"),
                                    "-o", str(tmp_path / "out")])
    assert res.exit_code != 0 and "12月.csv: no wave (批次) column, but" in res.output and "has one" in res.output
    # every file with the column, or none: read as before
    assert score_audit(book, read_visits([a, b])).settings["waves"] == ["第一批", "第二批"]
    d = _write(tmp_path, "10月.csv", HEADER + "S1,省内,2026-10-05,A1,是\n")
    assert score_audit(book, read_visits([d, c])).settings["waves"] == ["2026-10", "2026-12"]


def test_an_empty_wave_cell_stops_with_its_row(tmp_path):
    # Before: a wave named '' of its own — S1's visit of 2026-10-05 split in two (100 in 第一批, 0 in ''), and
    # '' ranked as a wave beside 第一批.
    path = _write(tmp_path, "v.csv", "门店,门店类型,批次,日期,编号,得分\nS1,省内,第一批,2026-10-05,A1,是\n"
                                     "S1,省内,,2026-10-05,A2,否\n")
    with pytest.raises(InputError, match=r"v.csv: row 3: empty wave \(批次\)"):
        read_visits(path)


# -- three waves, a store that changes tier, tiers named by traffic ------------------------------------
# The checklist weighs by traffic (权重_核心店-高客流, 权重(核心店-低客流), 普通店权重); 取号引导 weighs 0 in a
# 普通店 (no queue machine), so the wide December sheet leaves that cell blank for 南门营业厅. 北街营业厅 is a
# 普通店 in October and a 核心店-低客流 from November (typed 核心店－低客流 and 核心店 - 低客流).
# Before: the blank 取号引导 cell of 南门 was 'not a score' in problems.csv, and a change was rounded from
# the unrounded scores, so it was not the difference of the scores shown (97.27 − 73.64 came out 23.64).

def test_three_waves_tiers_by_traffic_and_a_store_that_changes_tier(tmp_path):
    files = [DATA / "traffic_2026-10.csv", DATA / "traffic_2026-11_gbk.csv", DATA / "traffic_2026-12_wide.csv"]
    res = CliRunner().invoke(main, ["audit", *map(str, files), "--checklist", str(DATA / "traffic_checklist.csv"),
                                    "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    stores = pd.read_csv(out / "stores.csv", encoding="utf-8-sig").set_index(["store", "wave"])
    # 北街, 普通店 (A1 10, E1 20, F1 10; C1 weighs 0): A1 否, E1 是, F1 5/10 → (0 + 20 + 5) / 40 = 62.5
    # 河西, 核心店-高客流 (10, 20, 20, 25): C1 否, F1 6/10 → (10 + 0 + 20 + 15) / 75 = 60
    # 北街, 核心店-低客流 (10, 10, 20, 15): C1 否, F1 7/10 → (10 + 0 + 20 + 10.5) / 55 = 73.636… → 73.64
    # 河西: all passed, F1 8/10 → (10 + 20 + 20 + 20) / 75 = 93.33;  December: 北街 (10 + 10 + 20 + 13.5) / 55
    # = 97.27, 河西 100, 南门 (普通店) E1 否: vetoed to 0 (raw (10 + 0 + 10) / 40 = 50, C1 not applicable)
    assert stores["score"].to_dict() == {
        ("北街营业厅", "2026-10"): 62.5, ("河西营业厅", "2026-10"): 60.0, ("北街营业厅", "2026-11"): 73.64,
        ("河西营业厅", "2026-11"): 93.33, ("北街营业厅", "2026-12"): 97.27, ("河西营业厅", "2026-12"): 100.0,
        ("南门营业厅", "2026-12"): 0.0}
    assert stores["tier"].xs("北街营业厅").tolist() == ["普通店", "核心店-低客流", "核心店-低客流"]
    # the change is the difference of the scores as shown, across the tier change too
    assert stores["change"].xs("北街营业厅").tolist()[1:] == [11.14, 23.63]
    assert stores["change"].xs("河西营业厅").tolist()[1:] == [33.33, 6.67]
    assert stores.loc[("南门营业厅", "2026-12"), "n_in_tier"] == 1   # 北街 left the 普通店 after October
    assert stores.loc[("北街营业厅", "2026-10"), "n_in_tier"] == 1
    problems = pd.read_csv(out / "problems.csv", encoding="utf-8-sig")
    assert problems.empty, problems.to_string()
    visits = pd.read_csv(out / "visits.csv", encoding="utf-8-sig").set_index("visit_id")
    # 南门's blank 取号引导 is no item of a 普通店 (it weighs 0 there): neither checked nor 不适用 (until 7 Dec 2026: 4, 1)
    assert visits.loc["南门营业厅@2026-12-07", ["raw_score", "n_items", "n_not_applicable", "n_missing"]].tolist() \
        == [50.0, 3, 0, 0]
    assert visits["n_items"].sum() == 7 + 8 + 4 * 3 - 1     # every result cell of the three files but that one


def test_empty_cell_of_an_item_weighted_in_the_tier_is_still_a_problem(tmp_path):
    book = read_checklist(DATA / "traffic_checklist.csv")
    path = _write(tmp_path, "v.csv", "门店,门店类型,日期,A1,取号引导,E1,推荐新业务\n河西营业厅,核心店-高客流,2026-12-04,是,,是,10\n")
    r = score_audit(book, read_visits(path, checklist=book))
    assert r.problems[["row", "item_id"]].values.tolist() == [[2, "C1"]]


# -- rounding as a team does by hand -----------------------------------------------------------------
# Before: pandas rounds half to even — a store's 98.125 was 98.12 in stores.csv, and the page showed one
# decimal by Python's format (71.25 as 71.2) where the tables have two.

def test_scores_round_half_up_and_the_page_shows_them_as_the_tables_do(tmp_path):
    book = read_checklist(_write(tmp_path, "c.csv", "方面,编号,权重_省内\n服务,A1,3\n服务,A2,77\n"))
    path = _write(tmp_path, "v.csv", HEADER + "S1,省内,2026-10-05,A1,否\nS1,省内,2026-10-05,A2,是\n"
                                              "S1,省内,2026-10-20,A1,是\nS1,省内,2026-10-20,A2,是\n")
    r = score_audit(book, read_visits(path))
    assert r.visits["score"].tolist() == [96.25, 100.0]             # 77 / 80, 80 / 80
    assert r.stores["score"].tolist() == [98.13]                    # (96.25 + 100) / 2 = 98.125
    write_audit_report(r, tmp_path / "out")
    page = (tmp_path / "out" / "audit_report.html").read_text(encoding="utf-8")
    assert "<td>98.13</td>" in page and "<td>96.25</td>" not in page  # the page lists stores, not visits
    assert pd.read_csv(tmp_path / "out" / "stores.csv", encoding="utf-8-sig")["score"].tolist() == [98.13]


# -- blank rows between the records ------------------------------------------------------------------
# Before: a blank row in a workbook's visits stopped the run ("row 3: date '' is not a date"), one between
# a checklist's aspects stopped it with "empty item_id", and after a CSV's blank line every row that
# problems.csv named was a line off (pandas skips blank lines when it counts rows).

def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(CHECKLIST_HEADER)
    ws.append(CHECKLIST_ROWS[0])
    ws.append(CHECKLIST_ROWS[1])
    ws.append([])                                        # between the aspects
    ws.append(["主动营销", "M1", "推荐新业务", 20, "重点"])   # row 5: an unknown veto mark
    wb.save(tmp_path / "c.xlsx")
    with pytest.raises(InputError, match=r"row 5: veto \(一票否决\) '重点'"):
        read_checklist(tmp_path / "c.xlsx")
    ws["E5"] = ""
    wb.save(tmp_path / "c.xlsx")
    book = read_checklist(tmp_path / "c.xlsx")
    assert book["item_id"].tolist() == ["A1", "A2", "M1"]
    rows = [["S1", "省内", "2026-10-05", "A1", "是"], [], ["S1", "省内", "2026-10-05", "A2", "好"],
            ["S1", "省内", "2026-10-05", "M1", "是"]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "v.xlsx")
    csv_path = _write(tmp_path, "v.csv", HEADER + "\n".join(",".join(r) for r in rows) + "\n")
    for path in (tmp_path / "v.xlsx", csv_path):
        r = score_audit(book, read_visits(path))
        assert r.problems[["row", "item_id"]].values.tolist() == [[4, "A2"]], path   # line 4, after the blank one
        assert r.visits["score"].tolist() == [100.0]   # A1 and M1 passed: (10 + 20) / 30


@pytest.mark.parametrize("name", ["门店类别", "门店级别", "门店等级"])
def test_the_tier_column_under_the_name_the_report_gives_it(tmp_path, name):
    # Before: 'lack column(s) tier' for 门店类别 — the heading voc audit's own report and workbook give it.
    path = _write(tmp_path, "v.csv", f"门店,{name},日期,编号,得分\nS1,省内,2026-10-05,A1,是\n")
    assert read_visits(path)["tier"].tolist() == ["省内"]
