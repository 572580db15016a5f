"""voc audit on the sheets a store-check team keeps (second new-user QA pass).

The checklist merges the 方面 cells of an aspect, marks veto items with ★, writes 满分 as "5分" and
weights as "10%"; the waves come in separate files (an .xlsx and a GBK CSV), named 第2期 … 第10期;
a checker types a store's name with a space. Every number is worked by hand in the comments.
"""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit
from voiceofcustomer.cli import main
from voiceofcustomer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
HEADER = "门店,门店类型,日期,编号,得分\n"


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


# -- the checklist as a team keeps it ----------------------------------------------------------------
# Before: the items under a merged 方面 cell fell into an aspect named '' (a sub-score of its own in
# aspects.csv and the report); ★ in 一票否决 was read as 'not a veto' without a word; 满分 5分 and a
# weight 10% stopped the run, and 核心店权重 / 权重(核心店) were not taken as weight columns.

def test_items_under_a_merged_aspect_cell_take_its_aspect(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["方面", "编号", "检查项目", "权重_省内", "一票否决"])
    for row in (["服务意识", "A1", "问候", 10, ""], [None, "A2", "微笑", 10, ""],
                ["服务结果", "C1", "办理准确", 20, "是"], [None, "C2", "票据齐全", 20, ""]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    ws.merge_cells("A4:A5")
    wb.save(tmp_path / "c.xlsx")
    book = read_checklist(tmp_path / "c.xlsx")
    assert book["aspect"].tolist() == ["服务意识", "服务意识", "服务结果", "服务结果"]
    path = _write(tmp_path, "v.csv", HEADER + "S3,省内,2026-10-07,A1,是\nS3,省内,2026-10-07,A2,否\n"
                                              "S3,省内,2026-10-07,C1,是\nS3,省内,2026-10-07,C2,否\n")
    r = score_audit(book, read_visits(path))
    assert sorted(r.aspects["aspect"]) == ["服务意识", "服务结果"]
    assert r.aspects.set_index("aspect")["score"].to_dict() == {"服务意识": 50.0, "服务结果": 50.0}


def test_a_checklist_whose_first_aspect_is_blank_stops_with_its_row(tmp_path):
    path = _write(tmp_path, "c.csv", "方面,编号,权重_省内\n,A1,10\n服务,A2,10\n")
    with pytest.raises(InputError, match=r"row 2: empty aspect"):
        read_checklist(path)


def test_veto_marks_are_read_and_an_unknown_mark_stops(tmp_path):
    path = _write(tmp_path, "c.csv", "方面,编号,权重_省内,一票否决\n服务,A1,10,★\n服务,A2,10,√\n服务,A3,10,否\n"
                                     "服务,A4,10,\n服务,A5,10,×\n")
    assert read_checklist(path)["veto"].tolist() == [True, True, False, False, False]
    path = _write(tmp_path, "c2.csv", "方面,编号,权重_省内,一票否决\n服务,A1,10,\n服务,A2,10,重点\n")
    with pytest.raises(InputError, match=r"row 3: veto \(一票否决\) '重点'"):
        read_checklist(path)


def test_a_star_veto_item_vetoes_the_visit(tmp_path):
    book = _write(tmp_path, "c.csv", "方面,编号,权重_省内,一票否决\n服务,A1,10,\n服务,C1,20,★\n")
    path = _write(tmp_path, "v.csv", HEADER + "S3,省内,2026-10-07,A1,是\nS3,省内,2026-10-07,C1,否\n")
    r = score_audit(read_checklist(book), read_visits(path))
    assert r.visits["vetoed"].tolist() == [True] and r.visits["score"].tolist() == [0.0]
    assert r.visits["raw_score"].iloc[0] == pytest.approx(100 / 3, abs=0.005)   # 10 of 30 before the veto


@pytest.mark.parametrize("header", ["核心店权重", "权重(核心店)", "权重（核心店）", "权重_核心店"])
def test_weight_columns_named_as_teams_name_them(tmp_path, header):
    path = _write(tmp_path, "c.csv", f"方面,编号,{header},满分\n服务,A1,20%,\n环境,B1,10%,5分\n")
    book = read_checklist(path)
    assert book["weight:核心店"].tolist() == [20.0, 10.0] and book["max_score"].tolist() == [1.0, 5.0]
    visits = _write(tmp_path, "v.csv", HEADER + "S1,核心店,2026-10-05,A1,是\nS1,核心店,2026-10-05,B1,4分\n")
    r = score_audit(book, read_visits(visits))
    assert r.visits["score"].iloc[0] == pytest.approx(280 / 3, abs=0.005)   # (20 + 10·4/5) / 30


def test_an_unreadable_max_score_names_its_row(tmp_path):
    path = _write(tmp_path, "c.csv", "方面,编号,权重_省内,满分\n服务,A1,10,5\n服务,A2,10,五分\n")
    with pytest.raises(InputError, match=r"row 3: max_score '五分'"):
        read_checklist(path)


# -- the waves in separate files -----------------------------------------------------------------------
# Before: 'voc audit 10月.xlsx 12月.csv' stopped with "Got unexpected extra argument": the change between
# waves needed the team to paste an .xlsx sheet and a GBK CSV into one file by hand.

CHECKLIST = "方面,编号,权重_省内,一票否决\n服务,A1,10,\n服务,A2,10,\n结果,C1,20,是\n"


def _two_waves(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append(["门店", "门店类型", "日期", "编号", "得分"])
    for row in (["S1", "省内", "2026-10-05", "A1", "是"], ["S1", "省内", "2026-10-05", "A2", "否"],
                ["S1", "省内", "2026-10-05", "C1", "是"], ["S2", "省内", "2026-10-06", "A1", "是"],
                ["S2", "省内", "2026-10-06", "A2", "是"], ["S2", "省内", "2026-10-06", "C1", "是"]):
        ws.append(row)
    wb.create_sheet("汇总").append(["门店", "得分"])
    wb.save(tmp_path / "10月.xlsx")
    _write(tmp_path, "12月.csv", HEADER + "S1,省内,2026/12/3,A1,是\nS1,省内,2026/12/3,A2,是\nS1,省内,2026/12/3,C1,是\n"
                                         "S2,省内,2026/12/4,A1,是\nS2,省内,2026/12/4,A2,是\nS2,省内,2026/12/4,C1,否\n"
                                         "S2,省内,2026/12/4,X9,是\n", encoding="gbk")
    return _write(tmp_path, "c.csv", CHECKLIST)


def test_waves_in_separate_files_are_scored_together(tmp_path):
    book = _two_waves(tmp_path)
    res = CliRunner().invoke(main, ["audit", str(tmp_path / "10月.xlsx"), str(tmp_path / "12月.csv"), "--sheet", "明细",
                                    "--checklist", str(book), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    stores = pd.read_csv(tmp_path / "out" / "stores.csv", encoding="utf-8-sig").set_index(["store", "wave"])
    # S1: 30/40 = 75 in October, 100 in December; S2: 100, then vetoed (C1 否) to 0
    assert stores["score"].to_dict() == {("S1", "2026-10"): 75.0, ("S1", "2026-12"): 100.0,
                                         ("S2", "2026-10"): 100.0, ("S2", "2026-12"): 0.0}
    assert stores.loc[("S1", "2026-12"), "change"] == 25.0 and stores.loc[("S2", "2026-12"), "change"] == -100.0
    problems = pd.read_csv(tmp_path / "out" / "problems.csv", encoding="utf-8-sig", dtype=str)
    assert problems[["file", "row", "item_id"]].values.tolist() == [["12月.csv", "8", "X9"]]
    assert "12月.csv row 8 (visit S2@2026-12-04, item X9)" in res.stderr


def test_a_tier_conflict_across_files_names_both_files(tmp_path):
    book = read_checklist(_write(tmp_path, "c.csv", CHECKLIST.replace("权重_省内", "权重_省内,权重_省外")
                                 .replace(",10,", ",10,10,").replace(",20,", ",20,20,")))
    a = _write(tmp_path, "a.csv", HEADER + "S1,省内,2026-10-05,A1,是\n")
    b = _write(tmp_path, "b.csv", HEADER + "S1,省外,2026-10-20,A1,是\n")
    with pytest.raises(InputError, match=r"省内 in a.csv row 2 but 省外 in b.csv row 2"):
        score_audit(book, read_visits([a, b]))


# -- waves named 第9期, 第10期 / 第二批, 第三批 ----------------------------------------------------------------
# Before: waves were ordered by their names' text, 第10期 before 第9期 and 第三批 before 第二批, so each
# store's change was the earlier wave minus the later one: +25 came out as −25, without a word.

def test_waves_are_ordered_by_their_dates_not_their_names(tmp_path):
    book = read_checklist(_write(tmp_path, "c.csv", CHECKLIST))
    path = _write(tmp_path, "v.csv", "门店,门店类型,日期,批次,编号,得分\n"
                                     "S1,省内,2026-12-03,第10期,A1,是\nS1,省内,2026-12-03,第10期,A2,是\n"
                                     "S1,省内,2026-12-03,第10期,C1,是\n"
                                     "S1,省内,2026-10-05,第9期,A1,是\nS1,省内,2026-10-05,第9期,A2,否\n"
                                     "S1,省内,2026-10-05,第9期,C1,是\n")
    r = score_audit(book, read_visits(path))
    assert r.settings["waves"] == ["第9期", "第10期"]
    assert r.stores["wave"].tolist() == ["第9期", "第10期"] and r.stores["score"].tolist() == [75.0, 100.0]
    assert r.stores["change"].iloc[1] == 25.0


def test_waves_without_dates_are_ordered_by_the_numbers_in_their_names(tmp_path):
    book = read_checklist(_write(tmp_path, "c.csv", CHECKLIST))
    rows = "".join(f"S1,省内,{wave},{item},{result}\n"
                   for wave, results in (("第三批", "是是否"), ("第十批", "是否是"), ("第二批", "否否是"))
                   for item, result in zip(("A1", "A2", "C1"), results))
    r = score_audit(book, read_visits(_write(tmp_path, "v.csv", "门店,门店类型,批次,编号,得分\n" + rows)))
    assert r.settings["waves"] == ["第二批", "第三批", "第十批"]
    # 第二批 20/40 = 50; 第三批 vetoed (C1 否) = 0; 第十批 30/40 = 75
    assert r.stores["wave"].tolist() == ["第二批", "第三批", "第十批"]
    assert r.stores["score"].tolist() == [50.0, 0.0, 75.0] and r.stores["change"].tolist()[1:] == [-50.0, 75.0]


# -- a store's name typed with a stray space -------------------------------------------------------------
# Before: '河西 营业厅' in one row was a store of its own: a one-item visit ranked last of its tier (and
# counted in n_in_tier), while 河西营业厅's visit lacked that item; 'ＳＡ１' was 'not in the checklist'.

def test_a_name_typed_with_a_space_or_full_width_is_the_same_store_tier_and_item(tmp_path):
    book = read_checklist(_write(tmp_path, "c.csv", "方面,编号,权重_省内,权重_省外\n服务,SA1,10,10\n服务,A2,10,10\n"
                                                    "结果,C1,20,20\n"))
    path = _write(tmp_path, "v.csv", HEADER + "河西营业厅,省内,2026-10-05,ＳＡ１,是\n河西 营业厅,省内,2026-10-05,A2,否\n"
                                              "河西营业厅 ,省 内,2026-10-05,C1,是\n"
                                              "Store  B,省外,2026-10-06,SA 1,是\nStore B,省外,2026-10-06,A2,是\n"
                                              "Store B,省外,2026-10-06,C1,是\n")
    r = score_audit(book, read_visits(path))
    assert r.stores[["store", "tier", "score", "n_in_tier"]].values.tolist() == [["河西营业厅", "省内", 75.0, 1],
                                                                             ["Store B", "省外", 100.0, 1]]
    # 河西营业厅: (10 + 0 + 20) / 40. 'SA 1' (a space between two Latin characters) is kept: it is not the
    # checklist's SA1, so Store B's row 5 is listed and SA1 is missing from its visit: (10 + 20) / 30
    assert r.problems[["row", "item_id"]].fillna(0).values.tolist() == [[5, "SA 1"], [0, "SA1"]]


# -- 不适用 written as a slash or a dash ------------------------------------------------------------------
# Before: '/', '／' and '—', what a paper form's 'does not apply' is, were 'not a score', listed as problems.

@pytest.mark.parametrize("cell", ["/", "／", "—", "不涉及", "Ｎ／Ａ"])
def test_a_slash_or_a_dash_is_not_applicable(tmp_path, cell):
    book = read_checklist(_write(tmp_path, "c.csv", CHECKLIST))
    path = _write(tmp_path, "v.csv", HEADER + f"S1,省内,2026-10-05,A1,是\nS1,省内,2026-10-05,A2,{cell}\n"
                                              "S1,省内,2026-10-05,C1,否\n")
    r = score_audit(book, read_visits(path))
    assert r.problems.empty
    assert r.visits[["n_not_applicable", "raw_score"]].values.tolist() == [[1, pytest.approx(100 / 3, abs=0.005)]]


# -- one row per visit, one column per item -------------------------------------------------------------
# Before: the sheet as checkers fill it (a row per visit, the items across, a total at the end) stopped with
# 'visit results lack column(s) item_id, score'.

def test_a_sheet_with_one_column_per_item_is_read_as_its_rows(tmp_path):
    book = read_checklist(_write(tmp_path, "c.csv", "方面,编号,检查项目,权重_省内,一票否决\n服务,A1,主动问候,10,\n"
                                                    "服务,A2,微笑服务,10,\n结果,C1,办理准确,20,是\n"))
    path = _write(tmp_path, "v.csv", "门店,门店类型,暗访日期,暗访员,A1,微笑服务,办理准确,得分\n"
                                     "S1,省内,2026-10-05,张三,是,否,是,75\n"
                                     "S2,省内,2026-10-06,李四,是,,否,0\n", encoding="gbk")
    rows = read_visits(path, checklist=book)
    assert rows[["row", "store", "item_id", "score"]].values.tolist() == [
        [2, "S1", "A1", "是"], [2, "S1", "A2", "否"], [2, "S1", "C1", "是"],
        [3, "S2", "A1", "是"], [3, "S2", "A2", ""], [3, "S2", "C1", "否"]]
    r = score_audit(book, rows)
    assert r.visits["score"].tolist() == [75.0, 0.0]           # S1 (10 + 0 + 20) / 40; S2 vetoed by C1
    assert r.problems[["row", "item_id"]].values.tolist() == [[3, "A2"]]   # the blank cell is listed
    res = CliRunner().invoke(main, ["audit", str(path), "--checklist", str(tmp_path / "c.csv"),
                                    "-o", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 0, res.output
    with pytest.raises(InputError, match=r"lack column\(s\) item_id \(编号\), score \(得分\); .*one column per checklist item"):
        read_visits(_write(tmp_path, "v2.csv", "门店,门店类型,日期,X1\nS1,省内,2026-10-05,是\n"), checklist=book)
