"""Addressee and device markers (``LabelModel(addressee=..., device_marker=...)``)."""

import numpy as np
import pytest

from voiceofcustomer.labels.model import LabelModel, corpus_context
from voiceofcustomer.text.noise import ADDRESSEE_TOKEN, DEVICE_TOKEN


@pytest.fixture(scope="module")
def corpus(corpus_parts):
    return corpus_parts("a", "r")  # written statements, and posts to handset makers' accounts (part r)


@pytest.fixture(scope="module")
def fitted(corpus):
    kw = dict(label_structure=0.0, joint_none=False)
    ctx = corpus_context(corpus)
    marked = LabelModel(addressee=True, device_marker=True, **kw).fit(corpus["text"].tolist(), corpus, context=ctx)
    plain = LabelModel(addressee=False, device_marker=False, **kw).fit(corpus["text"].tolist(), corpus, context=ctx)
    return marked, plain


def test_markers_reach_the_features_only_when_switched_on():
    on = LabelModel(addressee=True, device_marker=True)
    off = LabelModel(addressee=False, device_marker=False)
    text = "@某手机客服 华为手机又黑屏了"
    assert ADDRESSEE_TOKEN in on._prep(text) and DEVICE_TOKEN in on._prep(text)
    assert ADDRESSEE_TOKEN not in off._prep(text) and DEVICE_TOKEN not in off._prep(text)
    # a marker character in the customer's own text is dropped: only the model puts markers there
    assert on._prep(f"宽带{ADDRESSEE_TOKEN}断了") == "宽带断了"


def test_the_stance_head_never_reads_a_marker(fitted):
    marked, _ = fitted
    cols = marked._marker_columns()
    assert cols.size > 0  # the corpus parts hold handles of handset makers and brand names
    assert np.all(marked.heads_["stance"].coef_[:, cols] == 0)
    assert np.any(marked.heads_["issue"].coef_[:, cols] != 0)
    # the same statement with and without an addressee: stance probabilities do not move
    a = marked.predict_proba(["屏幕老是自己乱跳，烦死了"])["stance"]
    b = marked.predict_proba(["@某手机客服 屏幕老是自己乱跳，烦死了"])["stance"]
    assert np.allclose(a, b, atol=0.02)


def test_an_addressee_marker_moves_the_issue_towards_other(fitted):
    marked, _ = fitted
    classes = marked.classes_["issue"]
    text = "手机信号老是断断续续的，重启也没用"
    p_op = marked.predict_proba([f"@中国联通客服 {text}"])["issue"][0, classes.index("other")]
    p_maker = marked.predict_proba([f"@某手机客服 {text}"])["issue"][0, classes.index("other")]
    assert p_maker > p_op + 0.05


def test_a_content_free_reply_to_a_makers_account_is_still_a_filler(fitted):
    marked, _ = fitted
    pred = marked.predict(["@某手机客服 谢谢", "@某手机客服 已私信"])
    assert list(pred["servqual"]) == ["none", "none"] and list(pred["issue"]) == ["other", "other"]


def test_a_post_to_a_makers_account_that_names_no_operator_is_about_their_product(fitted):
    marked, _ = fitted
    text = "手机信号老是断断续续的，重启也没用"
    rule = marked.predict([f"@某手机客服 {text}", f"@某手机客服 {text}", f"@中国联通客服 {text}"],
                          ["", "换了张联通卡也一样", ""])
    assert list(rule["issue"]) == ["other", "signal", "signal"]  # the operator named: the model decides
    assert rule.loc[0, "servqual"] == "reliability"
    marked.third_party_rule = False
    try:
        off = marked.predict([f"@某手机客服 {text}"])
    finally:
        marked.third_party_rule = True
    assert off.loc[0, "issue"] == "signal"  # the rule, not the addressee marker, made it other
