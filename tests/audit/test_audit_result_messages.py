"""A result outside its item's range says what happened to it and what to write, as other bad results do."""

from pathlib import Path

import pytest

from voiceofcustomer.audit import read_checklist, read_visits, score_audit

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"


@pytest.fixture(scope="module")
def result():
    return score_audit(read_checklist(DATA / "checklist.csv"), read_visits(DATA / "visits_out_of_range.csv"))


def test_points_above_the_items_full_marks_say_its_full_marks_and_what_to_write(result):
    # B1 is scored out of 5 (满分 5): before, 'score 12 outside 0–5', nothing of the score or the fix
    problem = result.problems.set_index("item_id").loc["B1", "problem"]
    assert problem == ("score 12 is outside 0–5 (the item's 满分 is 5); left out of the visit's score (write the "
                       "points out of 5, or 不适用 if it does not apply)")
    assert result.problems.set_index("item_id").loc["B1", "row"] == 4


def test_a_number_on_a_pass_fail_item_is_said_as_not_yes_or_no(result):
    # A2 is pass/fail (no 满分): before, 'score 2 outside 0–1', a range the checklist never gives
    problem = result.problems.set_index("item_id").loc["A2", "problem"]
    assert problem == ("result '2' on a pass/fail item (no 满分) is not 是/否 (1/0); left out of the visit's score "
                       "(write 是/否, or 不适用 if it does not apply)")


def test_the_results_left_out_are_out_of_the_score(result):
    v = result.visits.iloc[0]
    assert v["score"] == pytest.approx(100.0)  # core weights: A1 20 + C1 20, both 是; A2 and B1 left out
    assert v["n_items"] == 2  # the two scored
