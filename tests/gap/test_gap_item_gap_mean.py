"""The product spec's dimension score (the mean of its items' gaps) beside voc gap's (the mean over respondents of
each one's mean over the items they answered): dimensions.csv item_gap_mean, summary.json dimension_gaps, and a
line on the page when the two differ by 0.005 or more.

A researcher measured tangibles −0.302 against −0.298 as the mean of its item gaps, with a 不适用 answer: the
two are equal only with complete data. responses_skipped_items.csv: k2 answered T2 不适用, k4 left R1 blank;
responses_complete_three_items.csv: every answer given.
"""

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"


def _run(tmp_path, responses: str, *extra):
    out = tmp_path / responses
    res = CliRunner().invoke(main, ["gap", str(DATA / responses), "--codebook", str(DATA / "codebook_three_items.csv"),
                                    "-o", str(out), *extra])
    assert res.exit_code == 0, res.output
    return (pd.read_csv(out / "dimensions.csv").set_index("dimension"),
            json.loads((out / "summary.json").read_text(encoding="utf-8")),
            (out / "gap_report.html").read_text(encoding="utf-8"), out)


def test_with_skipped_answers_the_item_gap_mean_is_beside_the_dimension_gap_and_said(tmp_path):
    dims, summary, page, out = _run(tmp_path, "responses_skipped_items.csv")
    # T1 gaps −2, 0, 0, −2, −1 (mean −1.0); T2 0, −3, −1, 0 (k2 不适用: mean −1.0) → item gap mean −1.0;
    # respondents' tangibles gaps −1, 0, −1.5, −1.5, −0.5 → gap −0.9
    assert dims.at["tangibles", "gap"] == pytest.approx(-0.9)
    assert dims.at["tangibles", "item_gap_mean"] == pytest.approx(-1.0)
    # R1 has one item: each respondent's gap is the item's (−1, −1, 0, −2; k4's blank left out of both)
    assert dims.at["reliability", "gap"] == dims.at["reliability", "item_gap_mean"] == pytest.approx(-1.0)
    assert list(dims.columns[:5]) == ["gap", "alpha_e", "alpha_p", "n_items", "item_gap_mean"]  # the first as before
    assert summary["dimension_gaps"]["tangibles"] == {"gap": pytest.approx(-0.9), "item_gap_mean": pytest.approx(-1.0)}
    assert "注：有形性 -0.900 与 -1.000：维度差距（差距 P−E）是各受访者维度差距的平均" in page
    assert "可靠性 -1.000 与" not in page  # only the dimensions that differ are named
    assert "各题差距均值" in page  # the column's heading


def test_with_complete_answers_the_two_are_equal_and_nothing_is_said(tmp_path):
    dims, summary, page, out = _run(tmp_path, "responses_complete_three_items.csv", "--by", "store")
    assert (dims["gap"] - dims["item_gap_mean"]).abs().max() < 1e-12
    assert dims.at["tangibles", "item_gap_mean"] == pytest.approx(-1.3)  # T1 −1.0, T2 −1.6
    for d, both in summary["dimension_gaps"].items():
        assert both["gap"] == pytest.approx(both["item_gap_mean"]), d
    assert "各题差距均值是该维度各题差距的平均" not in page
    seg = pd.read_csv(out / "dimensions_by_store.csv")
    assert "item_gap_mean" in seg.columns
    assert (seg["gap"] - seg["item_gap_mean"]).abs().max() < 1e-12
