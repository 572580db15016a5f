"""The joint servqual/demand/issue decision with the corpus's label co-occurrence (``label_structure``)."""

import numpy as np
import pandas as pd
import pytest

from voiceofcustomer.labels.model import LabelModel, label_pmi
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS


def _proba(field, **p):
    labels = list(LABELS[field])
    rest = (1 - sum(p.values())) / (len(labels) - len(p))
    return np.array([[p.get(lab, rest) for lab in labels]])


def _labels(rows):
    return pd.DataFrame(rows, columns=["servqual", "demand", "issue", "stance"])


def _model(labels, weight):
    m = LabelModel(label_structure=weight)
    m.classes_ = {f: list(LABELS[f]) for f in FIELDS}
    m.label_pmi_ = label_pmi(labels, m.classes_)
    return m


# a corpus where signal faults are reliability/delivery and price complaints empathy/business
CORPUS = _labels([("reliability", "delivery", "signal", "complaint")] * 40
                 + [("empathy", "business", "billing", "complaint")] * 40
                 + [("assurance", "attribute", "security", "complaint")] * 20
                 + [("none", "none", "other", "neutral")] * 10)


def test_pmi_is_positive_for_seen_triples_and_negative_for_unseen():
    m = _model(CORPUS, 0.5)
    sq, dm, iss = (m.classes_[f] for f in ("servqual", "demand", "issue"))
    pmi = m.label_pmi_
    seen = pmi[sq.index("reliability"), dm.index("delivery"), iss.index("signal")]
    unseen = pmi[sq.index("assurance"), dm.index("delivery"), iss.index("signal")]
    assert seen > 0 > unseen
    # weights count like repeated rows
    w = label_pmi(CORPUS.iloc[:2], m.classes_, sample_weight=np.array([3.0, 1.0]))
    assert np.isfinite(w).all()


def test_co_occurrence_settles_a_field_the_head_is_unsure_of():
    # the issue head is sure it is signal, the servqual head wavers between assurance and reliability
    proba = {"servqual": _proba("servqual", assurance=0.42, reliability=0.38),
             "demand": _proba("demand", delivery=0.7),
             "issue": _proba("issue", signal=0.8),
             "stance": _proba("stance", complaint=0.9)}
    off = _model(CORPUS, 0.0)
    assert off._joint_labels(proba) == {}  # switched off: per-head argmax (or joint_none) decides
    idx = _model(CORPUS, 0.5)._joint_labels(proba)
    assert LABELS["servqual"][idx["servqual"][0]] == "reliability"
    assert LABELS["issue"][idx["issue"][0]] == "signal"
    # a head that is sure is not overruled by the prior
    proba["servqual"] = _proba("servqual", assurance=0.9)
    idx = _model(CORPUS, 0.5)._joint_labels(proba)
    assert LABELS["servqual"][idx["servqual"][0]] == "assurance"


def test_none_triple_pays_for_the_stance_it_forces():
    # all three heads lean slightly to "nothing about service", but the stance head sees praise
    base = {"servqual": _proba("servqual", none=0.40, responsiveness=0.35),
            "demand": _proba("demand", none=0.40, function=0.35),
            "issue": _proba("issue", other=0.6)}
    m = _model(CORPUS, 0.5)
    neutral = m._joint_labels({**base, "stance": _proba("stance", neutral=0.9)})
    praise = m._joint_labels({**base, "stance": _proba("stance", praise=0.97)})
    assert LABELS["servqual"][neutral["servqual"][0]] == "none"
    assert LABELS["servqual"][praise["servqual"][0]] != "none"


def test_blocks_give_the_same_answer_as_one_pass(monkeypatch):
    rng = np.random.default_rng(0)
    n = 50
    proba = {f: rng.dirichlet(np.ones(len(LABELS[f])), size=n) for f in FIELDS}
    m = _model(CORPUS, 0.5)
    whole = m._joint_labels(proba)
    import voiceofcustomer.labels.model as mod
    monkeypatch.setattr(mod, "_JOINT_BLOCK", 7)
    blocked = m._joint_labels(proba)
    for f in whole:
        np.testing.assert_array_equal(whole[f], blocked[f])


@pytest.mark.parametrize("weight", [0.0, 0.5])
def test_a_fitted_model_records_the_structure_and_predicts(weight):
    texts = ["信号太差了打不了电话", "地下室一点信号都没有", "套餐太贵了不划算", "这个价格比别家贵多了",
             "好的谢谢", "收到"] * 3
    labels = _labels([("reliability", "delivery", "signal", "complaint")] * 2
                     + [("empathy", "business", "billing", "complaint")] * 2
                     + [("none", "none", "other", "neutral")] * 2)
    labels = pd.concat([labels] * 3, ignore_index=True)
    m = LabelModel(label_structure=weight, min_df=1, context_weight=0.0).fit(texts, labels)
    assert m.label_pmi_.shape == tuple(len(m.classes_[f]) for f in ("servqual", "demand", "issue"))
    pred = m.predict(["信号差", "太贵了"])
    assert pred["issue"].tolist() == ["signal", "billing"]
