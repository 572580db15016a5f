"""The Complement Naive Bayes head mixed into each field's probabilities (``nb_weight``)."""

import pickle

import numpy as np
import pytest
from sklearn.naive_bayes import ComplementNB

from voiceofcustomer.labels.model import LabelModel, corpus_context, load_model, save_model
from voiceofcustomer.labels.taxonomy import FIELDS


@pytest.fixture(scope="module")
def corpus(corpus_parts):
    return corpus_parts("a", "k")  # two written parts: enough classes per field


@pytest.fixture(scope="module")
def fitted(corpus):
    ctx = corpus_context(corpus)
    kw = dict(label_structure=0.0, joint_none=False)
    plain = LabelModel(nb_weight=0.0, **kw).fit(corpus["text"].tolist(), corpus, context=ctx)
    mixed = LabelModel(nb_weight=0.5, **kw).fit(corpus["text"].tolist(), corpus, context=ctx)
    return plain, mixed


TEXTS = ["家里宽带天天晚上断网，看视频一直卡", "营业员态度很差，问两句就不耐烦", "这个月话费莫名其妙多扣了五十块",
         "建议把营业厅的排队叫号改成线上预约", "地下车库一点信号都没有"]


def test_nb_mix_is_the_geometric_mixture_of_regression_and_complement_nb(corpus, fitted):
    plain, mixed = fitted
    for f in FIELDS:
        X = mixed.transform_texts(TEXTS, field=f)
        X_train = mixed.transform_texts(corpus["text"].tolist(), corpus_context(corpus), field=f)
        nb = ComplementNB(alpha=mixed.nb_alpha).fit(X_train, corpus[f].to_numpy())  # the reference NB head
        lr = plain.heads_[f].predict_proba(X)  # the same regression, without NB folded in
        want = np.exp(0.5 * np.log(lr) + 0.5 * np.log(nb.predict_proba(X)))
        want /= want.sum(axis=1, keepdims=True)
        got = mixed.predict_proba(TEXTS)[f]
        assert np.allclose(got.sum(axis=1), 1.0)
        assert np.allclose(got, want, atol=1e-5)
        # folded: one head of the same shape, so the model file and the tagging cost do not grow
        assert mixed.heads_[f].coef_.shape == plain.heads_[f].coef_.shape
    assert not np.allclose(plain.predict_proba(TEXTS)["issue"], mixed.predict_proba(TEXTS)["issue"])


def test_nb_fold_handles_a_binary_head():
    from sklearn.linear_model import LogisticRegression

    from voiceofcustomer.labels.model import _fold_nb

    rng = np.random.default_rng(0)
    X = rng.poisson(1.0, size=(60, 5)).astype(float)
    y = np.where(X[:, 0] > X[:, 1], "a", "b")
    lr = LogisticRegression().fit(X, y)
    nb = ComplementNB(alpha=0.3).fit(X, y)
    want = np.exp(0.3 * np.log(lr.predict_proba(X)) + 0.7 * np.log(nb.predict_proba(X)))
    want /= want.sum(axis=1, keepdims=True)
    _fold_nb(lr, nb, 0.7)
    assert np.allclose(lr.predict_proba(X), want, atol=1e-8)


def test_folded_model_survives_save_and_load(fitted, tmp_path):
    _, mixed = fitted
    save_model(mixed, tmp_path / "labels.joblib")
    back = load_model(tmp_path)
    a, b = mixed.predict(TEXTS), back.predict(TEXTS)
    assert a[list(FIELDS)].equals(b[list(FIELDS)])
    for f in FIELDS:  # the weights are stored in half precision
        np.testing.assert_allclose(a[f"{f}_conf"], b[f"{f}_conf"], atol=2e-3)


def test_nb_mix_is_deterministic(corpus, fitted):
    _, mixed = fitted
    again = LabelModel(nb_weight=0.5, label_structure=0.0, joint_none=False).fit(
        corpus["text"].tolist(), corpus, context=corpus_context(corpus))
    for f in FIELDS:
        assert np.array_equal(mixed.heads_[f].coef_, again.heads_[f].coef_)
    assert pickle.dumps(mixed.predict(TEXTS)) == pickle.dumps(again.predict(TEXTS))
