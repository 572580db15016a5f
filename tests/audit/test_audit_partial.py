"""Partial results (部分, 部分达标, △) in a store check (mystery-shopping convention: partial compliance earns a share of
the item's points, usually half).

Before: 部分 was read as "not a score", left out of the visit's score with a message saying it was none, and the
summary line, summary.json and the report said nothing of it. Now ``partial=`` (``voc audit --partial 0.5``) counts
it as that share; without it the results are left out as before, each listed with what to do, and counted in the
summary, summary.json, visits.csv (``n_partial``) and the report.

tests/data/audit/visits_partial.csv, worked out by hand (checklist.csv: core-store weights A1 20, A2 10, B1 10 of
5 points, C1 20 veto; province weights A1 10, A2 10, B1 20 of 5 points, C1 20 veto):
- S1 (core): A2 部分 — counted at 0.5: (20 + 5 + 8 + 20) / 60 = 88.33; left out: (20 + 8 + 20) / 50 = 96
- S2 (core): A1 部分达标 — at 0.5: (10 + 10 + 10 + 20) / 60 = 83.33; left out: 40 / 40 = 100
- S3 (province): B1 部分 (a points item: half its 5 points), C1 △ on the veto item — at 0.5: raw (10 + 10 + 10 + 10)
  / 60 = 66.67, vetoed (C1 not fully achieved) to 0; left out: (10 + 10) / 20 = 100, not vetoed
"""

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit
from voiceofcustomer.cli import main
from voiceofcustomer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
VISITS = DATA / "visits_partial.csv"


def _score(**kwargs):
    return score_audit(read_checklist(DATA / "checklist.csv"), read_visits(VISITS), **kwargs)


def test_partial_results_count_at_the_share_given():
    r = _score(partial=0.5)
    v = r.visits.set_index("visit_id")
    assert v.loc["S1@2026-10-05", "score"] == pytest.approx(88.33, abs=0.005)
    assert v.loc["S2@2026-10-06", "score"] == pytest.approx(83.33, abs=0.005)
    assert v.loc["S3@2026-10-07", "raw_score"] == pytest.approx(66.67, abs=0.005)
    assert v.loc["S3@2026-10-07", "score"] == 0.0 and v.loc["S3@2026-10-07", "veto_items"] == "C1"
    assert v["n_partial"].tolist() == [1, 1, 2] and v["n_items"].tolist() == [4, 4, 4]
    assert r.problems.empty
    assert r.settings["partial"] == 0.5 and r.settings["n_partial"] == 4
    assert _score(partial=1).visits.set_index("visit_id").loc["S2@2026-10-06", "score"] == 100.0


def test_without_a_share_partial_results_are_left_out_and_said():
    r = _score()
    v = r.visits.set_index("visit_id")
    assert v["score"].tolist() == [96.0, 100.0, 100.0]  # today's scores: left out like 不适用
    assert not v.loc["S3@2026-10-07", "vetoed"]
    assert v["n_partial"].tolist() == [1, 1, 2]
    assert r.settings["partial"] is None and r.settings["n_partial"] == 4
    assert r.problems["item_id"].tolist() == ["A2", "A1", "B1", "C1"]
    assert r.problems["problem"].str.contains("(partial) left out of the visit's score", regex=False).all()
    assert r.problems["problem"].str.contains("--partial 0.5").all()
    assert not r.problems["problem"].str.contains("is not a score").any()


@pytest.mark.parametrize("share", [-0.1, 1.5, float("nan")])
def test_a_share_outside_0_to_1_is_refused(share):
    with pytest.raises(InputError, match="from 0 to 1") as e:
        _score(partial=share)
    assert e.value.params == ("partial",)


def test_voc_audit_says_how_partial_results_were_scored(tmp_path):
    args = ["audit", str(VISITS), "--checklist", str(DATA / "checklist.csv"), "-o"]
    r = CliRunner().invoke(main, [*args, str(tmp_path / "a")])
    assert r.exit_code == 0, r.output
    assert "4 partial results (部分) left out of the score" in r.output and "--partial 0.5" in r.output
    page = (tmp_path / "a" / "audit_report.html").read_text(encoding="utf-8")
    assert "有 4 项“部分”（部分达标）的结果未计入得分" in page
    assert json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))["n_partial"] == 4

    r = CliRunner().invoke(main, [*args, str(tmp_path / "b"), "--partial", "0.5"])
    assert r.exit_code == 0, r.output
    assert "4 partial results (部分) counted as 0.5 of their item's points" in r.output
    page = (tmp_path / "b" / "audit_report.html").read_text(encoding="utf-8")
    assert "“部分”（部分达标）的结果按该项分值的 50% 计分（共 4 项）" in page
    summary = json.loads((tmp_path / "b" / "summary.json").read_text(encoding="utf-8"))
    assert summary["partial"] == 0.5 and summary["n_partial"] == 4
    sheet = pd.read_excel(tmp_path / "b" / "audit_report.xlsx", sheet_name="暗访明细")
    assert sheet["部分达标项数"].tolist() == [1, 1, 2]

    r = CliRunner().invoke(main, [*args, str(tmp_path / "c"), "--partial", "2"])
    assert r.exit_code != 0 and "from 0 to 1" in r.output and "Traceback" not in r.output
