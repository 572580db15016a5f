"""Sentences that open with mild praise and then name a problem, colloquial complaint words in 挺…的
frames, and plans named with a signal fault (guide R46–R48, corpus part T). Written for this test; none
is a corpus line. Before part T the shipped model got 11 of the 38 non-control sentences wrong, mostly
as praise."""

import json
from pathlib import Path

import pytest

from voiceofcustomer.labels.model import load_model

PROBE = Path(__file__).resolve().parents[1] / "data" / "stance_probe.jsonl"
#: The customer's verdict 满意 / 不满意 (guide R49, corpus part X), written for this test before part X.
SATISFACTION = PROBE.with_name("satisfaction_probe.jsonl")


def _labelled(path: Path):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pred = load_model().predict([r["text"] for r in rows])
    return [(r, p) for r, (_, p) in zip(rows, pred.iterrows())]


@pytest.fixture(scope="module")
def labelled():
    return _labelled(PROBE)


def _wrong(r, p):
    return p["stance"] != r["stance"] or (r["issue"] is not None and p["issue"] != r["issue"])


def test_mixed_and_colloquial_complaints_are_complaints(labelled):
    probe = [(r, p) for r, p in labelled if r["shape"] != "control"]
    wrong = [(r["text"], p["stance"], p["issue"]) for r, p in probe if _wrong(r, p)]
    assert len(probe) == 38
    assert len(wrong) <= 4, wrong


def test_praise_and_hedged_controls_keep_their_stance(labelled):
    controls = [(r, p) for r, p in labelled if r["shape"] == "control"]
    assert controls and all(not _wrong(r, p) for r, p in controls), [(r["text"], p["stance"]) for r, p in controls]


def test_a_verdict_of_not_satisfied_is_a_complaint():
    """Found by a complaint team on a ticket export: 「客户再次来电，表示对处理结果不满意。」 was ``praise``:
    the model took 满意 for the verdict. Before part X the shipped model got 3 of the 13 negated verdicts
    wrong (that one, 很不满意 and 非常不满意 with nothing else complaining), all as praise; with part X, 1
    (「说实话我对你们这次的处理很不满意。」: the segmenter cuts 不满意 into 不 / 满意, so the word 满意 still
    counts for praise)."""
    labelled = _labelled(SATISFACTION)
    negated = [(r, p) for r, p in labelled if r["shape"] == "negated_satisfaction"]
    assert len(negated) == 13
    wrong = [(r["text"], p["stance"], p["issue"]) for r, p in negated if _wrong(r, p)]
    assert len(wrong) <= 1, wrong
    assert "客户再次来电，表示对处理结果不满意。" not in [w[0] for w in wrong]
    controls = [(r, p) for r, p in labelled if r["shape"] == "control"]
    assert controls and all(not _wrong(r, p) for r, p in controls), [(r["text"], p["stance"]) for r, p in controls]
