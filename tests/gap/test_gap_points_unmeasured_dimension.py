"""voc gap with importance points for a dimension no item measures (W_tangibles in a survey of four dimensions).

SERVQUAL's weights are each respondent's points / 100 over the dimensions rated: the points for tangibles are left
out and the rest rescaled to sum to 1, so the four dimensions' importance sums to 100.

Fixture (tests/data/gap/points_unmeasured, written): one item per dimension R1, S1, A1, M1; gaps P − E and points
(W_tangibles first) worked by hand:

    a  -2  0  1 -1   20 40 20 10 10  → 40 20 10 10 of 80: .5 .25 .125 .125 → -1 + 0 + .125 - .125 = -1
    b   0 -2  0  2    0 25 25 25 25  → .25 each                                    → 0
    c  -1 -1 -1 -1  100  0  0  0  0  → nothing for the four: no weights, left out of the weighted SQ
    d   0  0  0  1   50 10 10 10 20  → of 50: .2 .2 .2 .4                           → .4

weighted SQ = (-1 + 0 + .4) / 3 = -0.2; importance = mean share × 100 over a, b, d."""
from pathlib import Path

import pytest

from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DIR = Path(__file__).resolve().parents[1] / "data" / "gap" / "points_unmeasured"
MEASURED = ["reliability", "responsiveness", "assurance", "empathy"]


@pytest.fixture
def result():
    return gap_analysis(read_responses(DIR / "responses.csv"), read_codebook(DIR / "codebook.csv"))


def test_weighted_sq_equals_the_hand_computation(result):
    # (it did before too: each respondent's weighted gap divided by the shares of the dimensions they have a gap for)
    assert result.respondents["sq_weighted"].tolist()[:2] == pytest.approx([-1, 0])
    assert result.respondents["sq_weighted"].tolist()[3] == pytest.approx(0.4)
    assert result.summary["sq_weighted"] == pytest.approx(-0.2)
    assert result.summary["n_weighted"] == 3


def test_the_measured_dimensions_importance_sums_to_100(result):
    importance = result.dimensions.set_index("dimension")["importance"].loc[MEASURED]
    # before: each a share of a total with tangibles in it (a's reliability 40 of 100, c's zeros counted):
    # 18.75 + 13.75 + 11.25 + 13.75 = 57.5
    assert importance.tolist() == pytest.approx([(50 + 25 + 20) / 3, (25 + 25 + 20) / 3, (12.5 + 25 + 20) / 3,
                                                 (12.5 + 25 + 40) / 3])
    assert importance.sum() == pytest.approx(100)


def test_the_warnings_say_what_became_of_the_points(result):
    said = {w["kind"]: w for w in result.summary["warnings"]}
    assert said["dimensions_without_items"]["message"] == (
        "the codebook has no items for tangibles; SQ averages the 4 dimensions it has; the importance points for "
        "tangibles are left out and each respondent's points for the 4 are rescaled to sum to 100")
    assert said["dimensions_without_items"]["message_zh"].endswith(
        "；有形性的重要性分值不计，每名受访者给这 4 个维度的分值按比例换算为合计 100")
    assert said["importance_only_unmeasured"]["count"] == 1
    assert said["importance_only_unmeasured"]["message"] == (
        "respondents who gave all their importance points to tangibles, which no item measures: 1 (rows 4 [c]); "
        "left out of the weighted SQ")
    # their points sum to 100 as the 比重题 asked: nothing rescaled, nothing unusable
    assert "importance_rescaled" not in said and "importance_unusable" not in said
