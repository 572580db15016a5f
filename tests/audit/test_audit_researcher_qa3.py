"""voc audit on store-check sheets as a service-quality researcher's team writes them (researcher QA pass 3).

Worked by hand on the fixture of tests/data/audit (province weights A1 10, A2 10, B1 20 (out of 5
points), C1 20 (veto); core-store A1 20, A2 10, B1 10, C1 20).
"""

from pathlib import Path

import pytest

from voiceofcustomer.audit import read_checklist, read_visits, score_audit

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
HEADER = "门店,门店类型,日期,编号,得分\n"


@pytest.fixture(scope="module")
def checklist():
    return read_checklist(DATA / "checklist.csv")


def _visits(tmp_path, rows: str):
    path = tmp_path / "v.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


# -- a failed item written as the negation of a pass word ----------------------------------------------
# Before: 达标 and 通过 passed, 未达标 and 不通过 failed, but 不达标 and 未通过 were "not a score": the item was
# left out of the visit's score, and a 不达标 on the veto item C1 vetoed nothing (the store kept 100).

@pytest.mark.parametrize("fail, ok", [("不达标", "达标"), ("未通过", "通过"), ("不符合", "符合"), ("✘", "✔")])
def test_negated_pass_words_fail_and_a_failed_veto_item_vetoes(tmp_path, checklist, fail, ok):
    path = _visits(tmp_path, f"S3,省内,2026-10-07,A1,{fail}\nS3,省内,2026-10-07,A2,{ok}\n"
                             f"S3,省内,2026-10-07,B1,5\nS3,省内,2026-10-07,C1,{ok}\n"
                             f"S4,省内,2026-10-08,A1,{ok}\nS4,省内,2026-10-08,A2,{ok}\n"
                             f"S4,省内,2026-10-08,B1,5\nS4,省内,2026-10-08,C1,{fail}\n")
    r = score_audit(checklist, read_visits(path))
    assert r.problems.empty, r.problems["problem"].tolist()
    v = r.visits.set_index("store")
    assert v.loc["S3", "score"] == pytest.approx(100 * 50 / 60, abs=0.005)  # (0+10+20+20)/60: A1 failed
    assert v.loc["S4", "raw_score"] == pytest.approx(100 * 40 / 60, abs=0.005)  # C1 failed …
    assert bool(v.loc["S4", "vetoed"]) and v.loc["S4", "score"] == 0  # … and vetoes the visit


# -- a result cell left empty ----------------------------------------------------------------------------
# Before: problems.csv said "result '' is not a score, pass/fail (是/否) or 不适用" — naming no fix, where an
# item with no row at all says it is left out of the score and to add the result or 不适用. Both now say so.

def test_an_empty_result_says_what_it_is_and_what_to_do(tmp_path, checklist):
    # 还行 is no result word (部分 was this test's word until it was read as a partial result: test_audit_partial.py)
    path = _visits(tmp_path, "S3,省内,2026-10-07,A1,是\nS3,省内,2026-10-07,A2,\nS3,省内,2026-10-07,B1,还行\n"
                             "S3,省内,2026-10-07,C1,是\n")
    r = score_audit(checklist, read_visits(path))
    said = dict(zip(r.problems["item_id"], r.problems["problem"]))
    assert said["A2"] == ("no result (an empty cell); left out of its score like 不适用 (add the result, "
                          "or 不适用 if it does not apply)")
    assert said["B1"].startswith("result '还行' is not a score") and "write the points, 是/否" in said["B1"]
    assert r.visits["score"].iloc[0] == pytest.approx(100.0)  # A1 and C1 only, as before
