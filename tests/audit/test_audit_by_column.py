"""voc audit --by 城市: store and visit scores averaged per value of a column the visits carry, per wave.

Before: a 城市 column was read and ignored without a word; --by did not exist. By hand from
tests/data/audit/by_city_wide.csv (weights 旗舰店 A1 10, A2 10, B1 20, C1 10; 社区店 A1 20, B1 20, C1 10, veto C1):
北京 第一批 — 东城旗舰店 100 and 80 (its A1 否), 北苑社区店 (0 + 0 + 10) / 50 = 20: visits 66.67, stores (90 + 20) / 2
= 55.00; 上海 第一批 南湖社区店 100; 第二批 its C1 否 vetoes the visit: 0.
"""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit
from voiceofcustomer.cli import main
from voiceofcustomer.errors import ColumnError

DATA = "tests/data/audit/"
CHECKLIST = DATA + "item_results_checklist.csv"


def test_scores_are_averaged_per_city_and_wave():
    book = read_checklist(CHECKLIST)
    r = score_audit(book, read_visits(DATA + "by_city_wide.csv", checklist=book, by="城市"))
    assert r.groups.values.tolist() == [
        ["上海", "第一批", 1, 1, 100.0, 100.0, 0],
        ["北京", "第一批", 2, 3, 55.0, 66.67, 0],
        ["上海", "第二批", 1, 1, 0.0, 0.0, 1]]
    assert list(r.groups.columns) == ["城市", "wave", "n_stores", "n_visits", "store_score", "visit_score",
                                      "vetoed_visits"]
    assert r.visits["城市"].tolist() == ["北京", "北京", "北京", "上海", "上海"]


def test_the_cli_writes_the_table_and_the_report(tmp_path):
    out = tmp_path / "audit"
    run = CliRunner().invoke(main, ["audit", DATA + "by_city_wide.csv", "--checklist", CHECKLIST, "-o", str(out),
                                    "--by", "城市"])
    assert run.exit_code == 0, run.output
    table = pd.read_csv(out / "scores_by_城市.csv", encoding="utf-8-sig")
    assert table.loc[table["城市"] == "北京", ["store_score", "visit_score"]].values.tolist() == [[55.0, 66.67]]
    sheet = pd.read_excel(out / "audit_report.xlsx", sheet_name="按城市", engine="openpyxl")
    assert list(sheet.columns) == ["城市", "批次", "门店数", "暗访次数", "门店平均得分", "暗访平均得分", "被否决次数"]
    page = (out / "audit_report.html").read_text(encoding="utf-8")
    assert "<h3>按城市汇总</h3>" in page and "<td>北京</td><td>2</td><td>3</td><td>55.00</td><td>66.67</td>" in page


def test_a_by_column_the_sheet_lacks_is_named_with_the_columns_it_has(tmp_path):
    with pytest.raises(ColumnError) as err:
        read_visits(DATA + "by_city_wide.csv", checklist=read_checklist(CHECKLIST), by="区域")
    assert str(err.value) == ("tests/data/audit/by_city_wide.csv: no column '区域' for by=; give by= one of the "
                              "columns, checking the spelling: 城市, 门店, 门店类型, 批次, 日期, A1, A2, B1, C1")
    run = CliRunner().invoke(main, ["audit", DATA + "by_city_wide.csv", "--checklist", CHECKLIST, "-o", str(tmp_path / "audit"),
                                    "--by", "区域"])
    assert run.exit_code != 0 and "Traceback" not in run.output
    assert "no column '区域' for --by" in run.output and len(run.output.strip().splitlines()) == 1
