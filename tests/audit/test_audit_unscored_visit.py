"""A visit whose every result is 不适用 has no score, and the run says so (store-audit QA lead).

Before: such a visit came out of voc audit with an empty score and no word anywhere — problems.csv,
stderr and the report were silent — and its store's score for the wave was the mean of its other visits
(or empty, the store unranked). The score stays empty (never a number made up); the run names the visit
and says what to do.
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
HEADER = "门店,门店类型,日期,编号,得分\n"
ROWS = ("南湖营业厅,省内,2026-11-03,A1,不适用\n南湖营业厅,省内,2026-11-03,A2,不适用\n"
        "南湖营业厅,省内,2026-11-03,B1,无此项\n南湖营业厅,省内,2026-11-03,C1,/\n"
        "南湖营业厅,省内,2026-11-17,A1,是\n南湖营业厅,省内,2026-11-17,A2,是\n"
        "南湖营业厅,省内,2026-11-17,B1,4\n南湖营业厅,省内,2026-11-17,C1,是\n"
        "北站营业厅,省内,2026-11-05,A1,不适用\n北站营业厅,省内,2026-11-05,A2,不适用\n"
        "北站营业厅,省内,2026-11-05,B1,不适用\n北站营业厅,省内,2026-11-05,C1,不适用\n"
        "东门营业厅,省内,2026-11-06,A1,是\n东门营业厅,省内,2026-11-06,A2,否\n"
        "东门营业厅,省内,2026-11-06,B1,5\n东门营业厅,省内,2026-11-06,C1,是\n")


@pytest.fixture
def visits(tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_a_visit_of_only_not_applicable_items_is_named_with_what_to_do(visits):
    r = score_audit(read_checklist(DATA / "checklist.csv"), read_visits(visits))
    v = r.visits.set_index("visit_id")
    assert pd.isna(v.loc["南湖营业厅@2026-11-03", "score"]) and pd.isna(v.loc["北站营业厅@2026-11-05", "score"])
    assert v.loc["南湖营业厅@2026-11-17", "score"] == pytest.approx(100 * 56 / 60, abs=0.005)  # B1 4 of 5

    said = r.problems[r.problems["item_id"].isna()].set_index("visit_id")
    assert sorted(said.index) == ["北站营业厅@2026-11-05", "南湖营业厅@2026-11-03"]
    assert said["row"].isna().all() and (said["file"] == "visits.csv").all()
    nanhu, beizhan = said.loc["南湖营业厅@2026-11-03", "problem"], said.loc["北站营业厅@2026-11-05", "problem"]
    assert nanhu.startswith("no score for the visit to 南湖营业厅 on 2026-11-03: all 4 of its results are 不适用, "
                            "so its score is empty (not 0)")
    assert "the store's score for wave 2026-11 is that of its other 1 visit(s)" in nanhu
    assert "the store has no score for wave 2026-11 and is not ranked" in beizhan
    assert nanhu.endswith("check the visit's results in the sheet, and if the store really had none of the items, "
                          "leave the visit out")

    stores = r.stores.set_index("store")
    assert stores.loc["南湖营业厅", "score"] == pytest.approx(93.33)  # the other visit's, as the note says
    assert pd.isna(stores.loc["北站营业厅", "score"]) and pd.isna(stores.loc["北站营业厅", "rank_in_tier"])


def test_items_its_tier_does_not_weigh_are_said_as_such(tmp_path):
    checklist = tmp_path / "checklist.csv"
    checklist.write_text("方面,编号,检查项目,权重_旗舰店,权重_社区店\n服务意识,A1,主动问候,10,10\n"
                         "环境设施,B1,叫号机正常,10,0\n", encoding="utf-8")
    path = tmp_path / "visits.csv"
    path.write_text(HEADER + "西街社区店,社区店,2026-11-08,A1,不适用\n西街社区店,社区店,2026-11-08,B1,是\n",
                    encoding="utf-8")
    r = score_audit(read_checklist(checklist), read_visits(path))
    (problem,) = r.problems["problem"]
    assert "its 1 result(s) other than 不适用 are for items with no weight in tier 社区店" in problem
    assert pd.isna(r.visits["score"].iloc[0])


def test_voc_audit_says_it(visits, tmp_path):
    from voiceofcustomer.cli.main import main

    res = CliRunner().invoke(main, ["audit", str(visits), "--checklist", str(DATA / "checklist.csv"),
                                    "-o", str(tmp_path / "audit")])
    assert res.exit_code == 0, res.output
    assert "  visit 北站营业厅@2026-11-05: no score for the visit to 北站营业厅 on 2026-11-05" in res.output
    assert "item <NA>" not in res.output and "item nan" not in res.output
    assert "; 2 without a score (every result 不适用, or for items the tier does not weigh: see problems.csv)" in res.output
    problems = pd.read_csv(tmp_path / "audit" / "problems.csv", encoding="utf-8-sig")
    assert problems["problem"].str.startswith("no score for the visit").sum() == 2
