"""What a store-check manager reads after a round of visits (mystery-shopping manager QA, four defects).

The fixture ``visits_store_codes.csv`` (written for these tests, invented stores) holds two rounds: the first from
2026-03-28 to 2026-04-03, the second in June; 城东营业厅 (code A01) is renamed 城东旗舰营业厅 in June; 李强's visit to
湖滨营业厅 on 2026-04-02 is sent twice (C2 corrected from 5 to 4 points); 瓜沥营业厅 is visited on 2026-04-03 by two
checkers (two real visits); the checkers wrote comments (备注) beside some items.
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report
from voiceofcustomer.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
BOOK = DATA / "reverse_checklist.csv"
VISITS = DATA / "visits_store_codes.csv"


def _score(path, **read):
    book = read_checklist(BOOK)
    return score_audit(book, read_visits(path, checklist=book, **read))


def _csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args):
    res = CliRunner().invoke(main, ["audit", *map(str, args), "--checklist", str(BOOK)])
    return res


# -- 1. comments ---------------------------------------------------------------------------------------------
# Before: 评语 / 备注 were read and written nowhere: no table had the checker's reason beside the failed item.

def test_comments_are_written_beside_the_failed_items_as_text(tmp_path):
    r = _score(VISITS)
    failed = r.failed.set_index(["store", "date", "item_id"])
    assert failed.loc[("城东旗舰营业厅", "2026-03-28", "A2"), "note"] == "店员没有道别，直接转身"
    assert failed.loc[("城东旗舰营业厅", "2026-03-28", "C2"), "result"] == "3"
    assert failed.loc[("湖滨营业厅", "2026-04-02", "C1"), "note"] == "取号后等了25分钟"
    assert failed.loc[("瓜沥营业厅", "2026-04-03", "D1"), "note"] == "地面有纸屑"  # 王敏 failed it, 赵雪 passed
    assert ("城东旗舰营业厅", "2026-03-28", "A1") not in failed.index  # passed items are not listed
    assert r.visits.set_index("visit_id").loc["A01@2026-03-28", "note"] == \
        "A2：店员没有道别，直接转身；C2：<b>套餐</b>资费讲了两遍才讲清"

    out = tmp_path / "audit"
    page = write_audit_report(r, out).read_text(encoding="utf-8")
    assert "<h3>失分项与评语</h3>" in page
    assert "<td>离店道别</td><td>否</td><td>店员没有道别，直接转身</td>" in page
    assert "&lt;b&gt;套餐&lt;/b&gt;资费讲了两遍才讲清" in page and "<b>套餐" not in page  # text, never HTML
    table = pd.read_csv(out / "failed_items.csv", dtype=str, keep_default_na=False)
    assert "<b>套餐</b>资费讲了两遍才讲清" in table["note"].tolist()
    sheet = pd.read_excel(out / "audit_report.xlsx", sheet_name="失分项", dtype=str, engine="openpyxl")
    assert "取号后等了25分钟" in sheet["评语/备注"].tolist()


def test_a_wide_sheets_visit_and_item_comments_are_kept(tmp_path):
    path = _csv(tmp_path, "visits.csv", "门店,门店类型,暗访日期,A1,A2,A2备注,B1,C1,C2,C3,D1,评语\n"
                                        "湖滨营业厅,旗舰店,2026-02-03,是,否,未道别,否,否,5,否,是,排队的人多\n"
                                        "瓜沥营业厅,社区店,2026-02-05,是,是,,否,,5,否,是,服务热情\n")
    r = _score(path)
    failed = r.failed.set_index("item_id")["note"]
    assert failed.to_dict() == {"A2": "未道别；排队的人多", "C1": "排队的人多"}
    notes = r.visits.set_index("store")["note"]
    assert notes["湖滨营业厅"] == "排队的人多；A2：未道别" and notes["瓜沥营业厅"] == "服务热情"  # no failed item


# -- 2. a visit submitted twice --------------------------------------------------------------------------------
# Before: 李强's visit sent twice was one visit with 7 problem lines 'item scored twice in one visit; the first
# result is used' (C2 5 points, the uncorrected answer); by 暗访编号 it counted twice in the store's mean.

def test_a_visit_submitted_twice_is_scored_once_and_the_dropped_rows_are_named():
    r = _score(VISITS)
    assert not r.problems["problem"].str.contains("scored twice").any()
    dup = r.problems[r.problems["problem"].str.startswith("duplicate visit")]
    assert dup["row"].tolist() == [9] and dup["visit_id"].tolist() == ["B02@2026-04-02"]
    assert ("rows 9–15 repeat the visit to 湖滨营业厅 on 2026-04-02 by 李强 in rows 16–22 (6 of 7 results the "
            "same)") in dup["problem"].iloc[0]
    assert r.settings["duplicates"] == [{"store": "湖滨营业厅", "date": "2026-04-02", "auditor": "李强",
                                         "dropped": {"file": VISITS.name, "rows": "9–15"},
                                         "kept": {"file": VISITS.name, "rows": "16–22"}, "same": 6, "of": 7}]
    v = r.visits.set_index("visit_id")
    assert v.loc["B02@2026-04-02", "score"] == 76.0  # the later submission: C2 4 of 5 points
    # two checkers at one store on one day are two visits, both kept
    guali = r.visits[r.visits["store"] == "瓜沥营业厅"]
    assert sorted(guali["visit_id"]) == ["C03@2026-04-03@王敏", "C03@2026-04-03@赵雪", "C03@2026-06-26"]
    st = r.stores.set_index(["store", "wave"])
    assert st.loc[("瓜沥营业厅", "2026-04"), "n_visits"] == 2 and st.loc[("瓜沥营业厅", "2026-04"), "score"] == 81.25


def test_a_wide_sheet_row_sent_twice_by_visit_id_counts_once(tmp_path):
    path = _csv(tmp_path, "visits.csv", "暗访编号,门店,门店类型,暗访日期,暗访员,A1,A2,B1,C1,C2,C3,D1\n"
                                        "V1,湖滨营业厅,旗舰店,2026-02-03,王敏,是,否,否,否,5,否,是\n"
                                        "V2,湖滨营业厅,旗舰店,2026-02-09,王敏,是,是,否,是,5,否,是\n"
                                        "V3,湖滨营业厅,旗舰店,2026-02-03,王敏,是,否,否,否,5,否,是\n"
                                        "V4,湖滨营业厅,旗舰店,2026-02-03,李强,是,否,否,否,5,否,是\n")
    r = _score(path)
    assert sorted(r.visits["visit_id"]) == ["V2", "V3", "V4"]  # V1 = V3 (same day, same checker): V3 is later
    assert r.problems["row"].tolist() == [2] and "row 2 repeats the visit" in r.problems["problem"].iloc[0]
    assert r.stores["n_visits"].tolist() == [3]


# -- 3. store codes ---------------------------------------------------------------------------------------------
# Before: 城东营业厅 (A01) and 城东旗舰营业厅 (A01) were two stores: one gone, one new in June without a change.

def test_a_store_code_column_keys_the_store_and_shows_its_latest_name(tmp_path):
    r = _score(VISITS)
    assert "城东营业厅" not in set(r.stores["store"])
    st = r.stores.set_index(["store", "wave"])
    assert st.loc[("城东旗舰营业厅", "2026-06"), "change"] == 18.0  # 100 − 82
    assert r.settings["stores_renamed"] == {"A01": ["城东营业厅", "城东旗舰营业厅"]}
    assert "2026-06" not in r.settings["stores_new"]
    page = write_audit_report(r, tmp_path / "audit").read_text(encoding="utf-8")
    assert "更名的门店：城东营业厅 → 城东旗舰营业厅（编码 A01）" in page

    res = _run(VISITS, "-o", tmp_path / "cli")
    assert res.exit_code == 0, res.output
    assert "1 store renamed, one store by its code (城东营业厅 → 城东旗舰营业厅)" in res.output


def test_two_codes_of_one_name_stay_two_stores_and_a_file_without_codes_beside_one_stops(tmp_path):
    path = _csv(tmp_path, "v.csv", "门店编码,门店,门店类型,暗访日期,A1,A2,B1,C1,C2,C3,D1\n"
                                   "A01,城东营业厅,旗舰店,2026-02-03,是,否,否,否,5,否,是\n"
                                   "K09,城东营业厅,旗舰店,2026-02-03,是,是,否,是,5,否,是\n")
    r = _score(path)
    assert sorted(r.stores["store"]) == ["城东营业厅（A01）", "城东营业厅（K09）"]
    other = _csv(tmp_path, "w.csv", "门店,门店类型,暗访日期,A1,A2,B1,C1,C2,C3,D1\n"
                                    "城东营业厅,旗舰店,2026-05-03,是,否,否,否,5,否,是\n")
    res = _run(path, other, "-o", tmp_path / "out")
    assert res.exit_code != 0 and "Traceback" not in res.output
    assert f"{other}: no store code (门店编码) column, but {path} has one" in res.output


# -- 4. a round over a month end ---------------------------------------------------------------------------------
# Before: without a 批次 column the round of 2026-03-28 … 2026-04-03 was scored as waves 2026-03 and 2026-04, each
# store ranked in the month of its visit, without a word; a wave column named otherwise (暗访轮次) was not read.

def test_a_round_over_a_month_end_is_said_and_a_wave_column_can_be_named(tmp_path):
    r = _score(VISITS)
    assert r.settings["month_splits"] == [{"from": "2026-03-28", "to": "2026-04-03",
                                           "waves": {"2026-03": 1, "2026-04": 3}}]
    res = _run(VISITS, "-o", tmp_path / "a")
    assert res.exit_code == 0, res.output
    assert ("warning: the visits of 2026-03-28 to 2026-04-03 are one round (no gap over two weeks) but are scored as 2 "
            "waves, the months of their dates (2026-03: 1 visit, 2026-04: 3 visits); if they are one wave, add a "
            "批次 column (or name yours with --wave-col)") in res.output
    page = (tmp_path / "a" / "audit_report.html").read_text(encoding="utf-8")
    assert "有一轮暗访跨越月末被分成两个批次：2026-03-28 至 2026-04-03（2026-03 1 次、2026-04 3 次）" in page

    lines = VISITS.read_text(encoding="utf-8").splitlines()
    rounds = [x + ",第二轮" if "-06-" in x else x + ",第一轮" for x in lines[1:]]
    path = _csv(tmp_path, "rounds.csv", "\n".join([lines[0] + ",暗访轮次", *rounds]) + "\n")
    r = _score(path, wave_column="暗访轮次")
    assert r.settings["waves"] == ["第一轮", "第二轮"] and r.settings["month_splits"] == []
    first = r.stores[r.stores["wave"] == "第一轮"]  # March's and April's visits ranked together
    assert sorted(first["store"]) == ["城东旗舰营业厅", "湖滨营业厅", "瓜沥营业厅"]
    assert first["n_in_tier"].tolist() == [2, 2, 1]
    assert r.settings["stores_new"] == {} and r.settings["stores_not_visited"] == {}
    res = _run(path, "-o", tmp_path / "b", "--wave-col", "暗访轮次")
    assert res.exit_code == 0 and "warning" not in res.output and "in 2 waves" in res.output
    res = _run(path, "-o", tmp_path / "c", "--wave-col", "季度")
    assert res.exit_code != 0 and "Traceback" not in res.output
    assert f"{path}: no column '季度' as --wave-col names; columns are: 门店编码, 门店" in res.output


def test_visits_spread_over_every_month_are_not_said_to_straddle(tmp_path):
    days = ["2026-10-03", "2026-10-12", "2026-10-20", "2026-10-29", "2026-11-04", "2026-11-12", "2026-11-21",
            "2026-11-28"]
    path = _csv(tmp_path, "v.csv", "门店,门店类型,暗访日期,A1,A2,B1,C1,C2,C3,D1\n"
                + "".join(f"湖滨营业厅,旗舰店,{d},是,否,否,否,5,否,是\n" for d in days))
    assert _score(path).settings["month_splits"] == []
