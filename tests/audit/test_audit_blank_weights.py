"""Results for items a store's tier gives no weight (a blank 权重 cell), as an auditor new to voc audit meets them.

Fixtures (written for these tests, invented stores): ``blank_weights_checklist.csv`` — A2 and C1 have no 权重_社区店,
C2 no 权重_旗舰店 (blank cells) — and ``blank_weights_visits.csv``, one row per visit as checkers fill it (4分, ５,
10分, 不适用, a blank): 河西 (旗舰店) records C2 ８, 湖滨 (社区店) C1 否, 江北 (社区店) A2 4 and C1 是."""

from pathlib import Path

from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, write_audit_report
from voiceofcustomer.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
BOOK = DATA / "blank_weights_checklist.csv"
VISITS = DATA / "blank_weights_visits.csv"


def _score():
    book = read_checklist(BOOK)
    return score_audit(book, read_visits(VISITS, checklist=book))


def test_the_scores_use_each_tiers_weights_a_blank_one_as_0():
    v = _score().visits.set_index("store")
    # 河西: A1 4/5·10 + A2 10 + B1 10 + C1 20 = 48 of 50; 湖滨: 10 + 10 + C2 15 = 35 of 35;
    # 江北: A1 6 + B1 0 (未佩戴工牌: 是) + C2 7/10·15 = 16.5 of 35, vetoed; 城南: 10 + 9 + 10 of 30 (C1 不适用)
    assert v["raw_score"].to_dict() == {"河西营业厅": 96.0, "湖滨营业厅": 100.0, "江北营业厅": 47.14, "城南营业厅": 96.67}


# Before: the four results recorded for items without a weight in their store's tier (河西's C2 ８, 湖滨's C1 否,
# 江北's A2 4 and C1 是) scored nothing and nothing said so: the summary line read '4 visits of 4 stores in 1 wave(s);
# 1 vetoed; report: …', the page neither — a 权重 cell left blank by mistake drops an item from a tier's scores unseen.
def test_results_for_items_without_a_weight_in_the_tier_are_said(tmp_path):
    r = _score()
    assert r.settings["unweighted_results"] == [{"tier": "旗舰店", "item_id": "C2", "n": 1},
                                                {"tier": "社区店", "item_id": "A2", "n": 1},
                                                {"tier": "社区店", "item_id": "C1", "n": 2}]
    page = write_audit_report(r, tmp_path / "a").read_text(encoding="utf-8")
    assert ("以下检查项在该门店类别的权重为空（或 0），暗访员记录的结果不计分（权重留空即为 0；如该项在此类门店应计分，请在检查清单中"
            "填写其权重后重新运行）：旗舰店 C2（1 项结果）、社区店 A2（1 项结果）、社区店 C1（2 项结果）。") in page
    res = CliRunner().invoke(main, ["audit", str(VISITS), "--checklist", str(BOOK), "-o", str(tmp_path / "b")])
    assert res.exit_code == 0, res.output
    assert ("; 4 results for items without a weight in their store's tier not scored (旗舰店: C2; 社区店: A2, C1; a "
            "blank 权重 cell is 0: fill it if the item counts in that tier)") in res.stderr


def test_items_a_tier_does_not_weigh_left_empty_are_neither_said_nor_problems(tmp_path):
    visits = tmp_path / "v.csv"  # C2 left empty at the 旗舰店, A2 and C1 at the 社区店: nothing recorded for them
    visits.write_text("门店,门店类型,暗访日期,A1,A2,B1,C1,C2\n河西营业厅,旗舰店,2026-11-05,4,5,否,是,\n"
                      "湖滨营业厅,社区店,2026-11-06,5,,否,,10\n", encoding="utf-8")
    b = read_checklist(BOOK)
    r = score_audit(b, read_visits(visits, checklist=b))
    assert r.settings["unweighted_results"] == [] and r.problems.empty
