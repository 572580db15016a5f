"""The review flag's rule, the joint none decision and the secondary issue."""

import numpy as np
import pytest

from voiceofcustomer.labels.model import LabelModel, load_model
from voiceofcustomer.labels.tagging import label_frame
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS, review_score


def test_review_score_is_the_geometric_mean_of_the_four_confidences():
    confs = np.array([[0.9, 0.9, 0.9, 0.9], [0.99, 0.99, 0.99, 0.5], [0.6, 0.6, 0.6, 0.6], [0.0, 1.0, 1.0, 1.0]])
    s = review_score(confs)
    np.testing.assert_allclose(s[:3], [0.9, (0.99 ** 3 * 0.5) ** 0.25, 0.6], rtol=1e-9)
    assert s[3] < 0.05  # a field with no confidence at all still flags the row
    # one weak field among three sure ones is less doubtful than four middling ones (the min rule said the reverse)
    assert s[1] > s[2]
    assert len(review_score(np.zeros((0, 4)))) == 0


def test_label_frame_flags_by_review_score():
    codes = np.zeros((2, 4), dtype=np.uint8)
    confs = np.array([[0.99, 0.99, 0.99, 0.5], [0.6, 0.6, 0.6, 0.6]])
    out = label_frame(codes, confs, np.array([False, False]), review_below=0.7)
    assert out["needs_review"].tolist() == [False, True]


def _model_with_classes():
    m = LabelModel()
    m.classes_ = {f: list(LABELS[f]) for f in FIELDS}
    return m


def _proba(field, **p):
    labels = list(LABELS[field])
    rest = (1 - sum(p.values())) / (len(labels) - len(p))
    return np.array([[p.get(lab, rest) for lab in labels]])


def test_joint_none_needs_all_three_heads_to_agree():
    m = _model_with_classes()
    # servqual alone leans to none, but demand and issue see a clear topic: content wins
    proba = {"servqual": _proba("servqual", none=0.45, reliability=0.35),
             "demand": _proba("demand", none=0.05, delivery=0.8),
             "issue": _proba("issue", other=0.05, broadband=0.8), "stance": _proba("stance", neutral=0.5)}
    idx = m._joint_none(proba)
    assert LABELS["servqual"][idx["servqual"][0]] == "reliability"
    assert LABELS["demand"][idx["demand"][0]] == "delivery"
    # servqual leans to a dimension, but demand and issue say nothing about service: none wins
    proba = {"servqual": _proba("servqual", none=0.35, assurance=0.4),
             "demand": _proba("demand", none=0.85), "issue": _proba("issue", other=0.9),
             "stance": _proba("stance", neutral=0.9)}
    idx = m._joint_none(proba)
    assert LABELS["servqual"][idx["servqual"][0]] == "none" and LABELS["demand"][idx["demand"][0]] == "none"


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_issue_2_on_a_written_multi_issue_thread(model):
    # two complaints in two clauses (until the 7 Dec 2026 model the first post also ended 「，打客服也没人管」: a third
    # clause that left the second issue at 0.198 against ISSUE_2_MIN_PROB 0.2 after the guide audit 2026-12c, 0.243 before)
    thread = ["这个月话费莫名其妙多扣了三十块，而且家里宽带晚上老是掉线",
              "家里宽带晚上老是掉线，看个视频都卡",
              "好的谢谢",
              "营业厅的工作人员很耐心，帮我把套餐的问题解释清楚了，点赞"]
    pred = model.predict(thread, ["", thread[0], thread[1], ""], issue_2=True)
    first = pred.iloc[0]
    assert {first["issue"], first["issue_2"]} == {"billing", "broadband"}
    assert pred["issue_2"].tolist()[1:] == ["", "", ""]  # one issue, a filler, praise (issue other)
    assert "issue_2" not in model.predict(thread).columns


def test_voc_tag_issue_2_column_on_a_written_thread(tmp_path):
    import pandas as pd

    from voiceofcustomer.errors import InputError
    from voiceofcustomer.labels.workflow import tag_table

    rows = pd.DataFrame({
        "conv": ["a", "a", "b", "b"],
        "text": ["这个月话费莫名其妙多扣了三十块，而且家里宽带晚上老是掉线", "好的谢谢",
                 "家里宽带晚上老是掉线，看个视频都卡", ""]})
    src = tmp_path / "thread.csv"
    rows.to_csv(src, index=False)
    out = tmp_path / "tagged.csv"
    tag_table(src, out, text_col="text", thread_col="conv", n_jobs=1, issue_2=True)
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert got.columns.tolist().index("issue_2") == got.columns.tolist().index("needs_review") + 1
    assert {got.loc[0, "issue"], got.loc[0, "issue_2"]} == {"billing", "broadband"}
    assert got["issue_2"].tolist()[1:] == ["", "", ""]
    plain = tmp_path / "plain.csv"
    tag_table(src, plain, text_col="text", thread_col="conv", n_jobs=1)
    assert "issue_2" not in pd.read_csv(plain).columns
    with pytest.raises(InputError, match="issue_2=True cannot be combined with reuse="):
        tag_table(src, tmp_path / "again.csv", text_col="text", n_jobs=1, issue_2=True, reuse=plain)


def test_card_says_which_fields_meet_the_unflagged_targets():
    """The model card's sentence on issue 9's targets is computed from the curve's row, not written once:
    it said "stance only" after servqual and demand had reached 80 % unflagged."""
    from voiceofcustomer.labels.train import _review_targets_met

    row = {"flagged": 0.41, "servqual": 0.81, "demand": 0.80, "issue": 0.77, "stance": 0.91}
    assert _review_targets_met(row).startswith("on servqual, demand, stance; not on issue")
    assert _review_targets_met({**row, "issue": 0.85}) == "on every field"
    assert _review_targets_met({**row, "servqual": 0.79, "demand": 0.7, "stance": 0.79, "issue": 0.84}).startswith(
        "on no field:")
    assert _review_targets_met({**row, "flagged": 0.51}) == "on no field (more than half flagged)"
