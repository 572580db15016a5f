"""How each checklist item did (items.csv, the 检查项目结果 sheet and the page's table per wave).

Before: there was no such table — a coordinator's action list ("which items fail most often") had to be counted by
hand from failed_items.csv. Numbers worked out by hand from tests/data/audit/item_results_*.csv (wave 第一批):
A1 旗舰店 否, 否; 社区店 是, 否 → all tiers 1 of 4 full, 3 of 4 at 0 points; B1 (满分 5) 旗舰店 5, 2 → mean 70 %,
社区店 0 and '好' (invalid) → all tiers 3 scored, 1/0.4/0 → 33.33 / 33.33 / 46.67; C1 (veto) 旗舰店 是, 否 (a veto
failure), 社区店 是 and no row (missing) → 66.67 / 33.33 / 66.67; A2 weighed by 旗舰店 alone: 是, 不适用.
"""

import pandas as pd
import pytest

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report

DATA = "tests/data/audit/"


@pytest.fixture(scope="module")
def result():
    return score_audit(read_checklist(DATA + "item_results_checklist.csv"),
                       read_visits(DATA + "item_results_visits.csv"))


def test_items_are_counted_per_tier_and_sorted_by_their_failed_share(result):
    first = result.items[result.items["wave"] == "第一批"]
    got = [tuple(r) for r in first[["item_id", "tier", "n_visits", "n_scored", "full_pct", "failed_pct", "mean_pct",
                                    "n_not_applicable", "n_missing", "n_invalid", "n_veto_failed"]].itertuples(index=False)]
    assert got == [
        ("A1", "全部", 4, 4, 25.0, 75.0, 25.0, 0, 0, 0, 0),
        ("A1", "旗舰店", 2, 2, 0.0, 100.0, 0.0, 0, 0, 0, 0),
        ("A1", "社区店", 2, 2, 50.0, 50.0, 50.0, 0, 0, 0, 0),
        ("B1", "全部", 4, 3, 33.33, 33.33, 46.67, 0, 0, 1, 0),   # ties C1 on failed share, lower mean first
        ("B1", "旗舰店", 2, 2, 50.0, 0.0, 70.0, 0, 0, 0, 0),
        ("B1", "社区店", 2, 1, 0.0, 100.0, 0.0, 0, 0, 1, 0),
        ("C1", "全部", 4, 3, 66.67, 33.33, 66.67, 0, 1, 0, 1),
        ("C1", "旗舰店", 2, 2, 50.0, 50.0, 50.0, 0, 0, 0, 1),
        ("C1", "社区店", 2, 1, 100.0, 0.0, 100.0, 0, 1, 0, 0),
        ("A2", "旗舰店", 2, 1, 100.0, 0.0, 100.0, 1, 0, 0, 0),   # 社区店 does not weigh it: no row of its own
    ]
    # every visit of the tier is accounted for: scored, 不适用, missing or invalid
    assert (first["n_scored"] + first["n_not_applicable"] + first["n_missing"] + first["n_invalid"]
            == first["n_visits"]).all()


def test_items_are_written_with_chinese_headings(result, tmp_path):
    html = write_audit_report(result, tmp_path / "audit")
    table = pd.read_csv(tmp_path / "audit" / "items.csv", encoding="utf-8-sig")
    assert table["item_id"].tolist()[:4] == ["A1", "A1", "A1", "B1"] and table["failed_pct"].iloc[0] == 75.0
    sheet = pd.read_excel(tmp_path / "audit" / "audit_report.xlsx", sheet_name="检查项目结果", engine="openpyxl")
    assert list(sheet.columns) == ["批次", "方面", "编号", "检查项目", "门店类别", "暗访次数", "计分次数", "满分占比(%)",
                                   "零分占比(%)", "平均得分率(%)", "不适用项数", "未记录项数", "无效结果项数",
                                   "部分达标项数", "否决次数"]
    page = html.read_text(encoding="utf-8")
    assert "各检查项目结果（按零分占比从高到低）" in page and "<td>主动问候</td><td>全部</td><td>4</td><td>4</td>" \
        "<td>25.00</td><td>75.00</td>" in page
