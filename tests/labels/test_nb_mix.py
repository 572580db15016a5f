"""The Complement Naive Bayes head mixed into each field's probabilities (``nb_weight``)."""

import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.naive_bayes import ComplementNB

from voiceofcustomer.labels.model import LabelModel, corpus_context, load_corpus, load_model, save_model
from voiceofcustomer.labels.taxonomy import FIELDS

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus():
    # two written parts: enough classes per field, small enough to fit in seconds
    parts = [load_corpus(REPO / "corpora" / "labelled" / f"part_{p}.jsonl") for p in ("a", "k")]
    import pandas as pd

    return pd.concat(parts, ignore_index=True).sort_values("id", kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def fitted(corpus):
    ctx = corpus_context(corpus)
    kw = dict(label_structure=0.0, joint_none=False)
    plain = LabelModel(nb_weight=0.0, **kw).fit(corpus["text"].tolist(), corpus, context=ctx)
    mixed = LabelModel(nb_weight=0.5, **kw).fit(corpus["text"].tolist(), corpus, context=ctx)
    return plain, mixed


TEXTS = ["家里宽带天天晚上断网，看视频一直卡", "营业员态度很差，问两句就不耐烦", "这个月话费莫名其妙多扣了五十块",
         "建议把营业厅的排队叫号改成线上预约", "地下车库一点信号都没有"]


def test_without_nb_the_probabilities_are_the_regressions(fitted):
    plain, _ = fitted
    assert plain.nb_heads_ == {}
    X = plain.transform_texts(TEXTS, field="issue")
    assert np.array_equal(plain.predict_proba(TEXTS)["issue"], plain.heads_["issue"].predict_proba(X))


def test_nb_mix_is_the_geometric_mixture_of_regression_and_complement_nb(corpus, fitted):
    plain, mixed = fitted
    assert set(mixed.nb_heads_) == set(FIELDS)
    for f in FIELDS:
        X = mixed.transform_texts(TEXTS, field=f)
        X_train = mixed.transform_texts(corpus["text"].tolist(), corpus_context(corpus), field=f)
        nb = ComplementNB(alpha=mixed.nb_alpha).fit(X_train, corpus[f].to_numpy())  # unslimmed reference
        lr = mixed.heads_[f].predict_proba(X)
        want = np.exp(0.5 * np.log(lr + 1e-12) + 0.5 * np.log(nb.predict_proba(X) + 1e-12))
        want /= want.sum(axis=1, keepdims=True)
        got = mixed.predict_proba(TEXTS)[f]
        assert np.allclose(got.sum(axis=1), 1.0)
        assert np.allclose(got, want, atol=1e-5)
        # the regression heads are the same with or without the NB head: only the mixture differs
        assert np.array_equal(plain.heads_[f].coef_, mixed.heads_[f].coef_)
    assert not np.allclose(plain.predict_proba(TEXTS)["issue"], mixed.predict_proba(TEXTS)["issue"])


def test_nb_heads_are_slim_and_survive_save_and_load(fitted, tmp_path):
    _, mixed = fitted
    nb = mixed.nb_heads_["issue"]
    assert nb.feature_log_prob_.dtype == np.float32 and not hasattr(nb, "feature_count_")
    save_model(mixed, tmp_path / "labels.joblib")
    back = load_model(tmp_path)
    a, b = mixed.predict(TEXTS), back.predict(TEXTS)
    assert a.equals(b)


def test_nb_mix_is_deterministic(corpus, fitted):
    _, mixed = fitted
    again = LabelModel(nb_weight=0.5, label_structure=0.0, joint_none=False).fit(
        corpus["text"].tolist(), corpus, context=corpus_context(corpus))
    for f in FIELDS:
        assert np.array_equal(mixed.nb_heads_[f].feature_log_prob_, again.nb_heads_[f].feature_log_prob_)
    assert pickle.dumps(mixed.predict(TEXTS)) == pickle.dumps(again.predict(TEXTS))
