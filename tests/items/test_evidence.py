"""The support scorer: polarity, topic and the issue's three failure cases."""

import pickle

import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from voiceofcustomer.items.candidates import candidate_items, load_item_bank
from voiceofcustomer.items.evidence import SupportScorer


@pytest.fixture(scope="module")
def scorer():
    return SupportScorer().fit(load_item_bank())


@pytest.mark.parametrize("item, quote, direction", [
    # issue 12: too many posters is evidence against "attractive brochures"
    ("IB004", "营业厅的宣传海报贴得太多了，到处都是", -1),
    ("IB004", "门口发传单的一直塞给我宣传单，烦死了", -1),
    ("IB004", "想了解新套餐，可是厅里连本宣传手册都没有", 1),
    # too many verification codes is not support for login security
    ("IB130", "登录要输好多次验证码，太烦了", -1),
    ("IB130", "我的网上账户被人盗用了，密码也被改了", 1),
    # an excess of the failure itself is the failure: support
    ("IB079", "排队的人太多了，等了一个小时", 1),
    ("IB126", "希望别再打电话推销了", 1),
    # reminders: missing one supports, a flood of them is against
    ("IB158", "流量用完了也不提醒，一下扣了五十块", 1),
    ("IB158", "流量提醒短信一天发好几条，太烦了", -1),
])
def test_polarity(scorer, item, quote, direction):
    assert scorer.score(item, quote).direction == direction


@pytest.mark.parametrize("quote", ["发票要去营业厅才能开，太麻烦", "app老是闪退，营业厅里的人也不管",
                                   "电子发票在app上找不到"])
def test_invoice_and_app_quotes_do_not_support_weekend_hours(scorer, quote):
    # 营业 inside 营业厅 is no hit for "该营业厅在周末正常营业"
    labels = {"servqual": "empathy", "issue": "other", "stance": "complaint"}
    assert not scorer.score("IB161", quote, labels).supports(scorer.threshold)
    assert scorer.score("IB161", "周末营业厅不开门，上班族根本没时间去", labels).supports(scorer.threshold)


def test_labels_add_to_the_score_and_neutral_mentions_do_not_support(scorer):
    bare = scorer.score("IB045", "家里宽带一到晚上就断网")
    labelled = scorer.score("IB045", "家里宽带一到晚上就断网",
                            {"servqual": "reliability", "issue": "broadband", "stance": "complaint"})
    assert labelled.score == bare.score + 1.0
    neutral = scorer.score("IB004", "宣传册放在门口桌上", {"servqual": "tangibles", "stance": "neutral"})
    assert neutral.direction == 0


def test_scorer_is_a_fitted_picklable_stage():
    with pytest.raises(NotFittedError):
        SupportScorer().score("IB004", "宣传手册")
    s = pickle.loads(pickle.dumps(SupportScorer().fit(load_item_bank())))
    assert s.score("IB004", "宣传手册都没有").direction == 1


def _posters():
    rows = [("s1", "A", "营业厅的宣传海报贴得太多了，到处都是", "tangibles", "information", "environment", "complaint"),
            ("s2", "B", "登录要输好多次验证码，太烦了", "assurance", "attribute", "security", "complaint"),
            ("s3", "C", "发票要去营业厅才能开，太麻烦", "empathy", "channel", "other", "complaint"),
            ("s4", "D", "app老是闪退，营业厅里的人也不管", "empathy", "channel", "other", "complaint"),
            ("s5", "E", "周末营业厅不开门，上班族根本没时间去", "empathy", "channel", "other", "complaint"),
            ("s6", "F", "希望周末也能开门，平时要上班", "empathy", "channel", "other", "suggestion"),
            ("s7", "G", "宣传单页印得太粗糙了，字都看不清", "tangibles", "information", "environment", "complaint")]
    df = pd.DataFrame(rows, columns=["statement_id", "speaker", "text", "servqual", "demand", "issue", "stance"])
    df["session"] = "fg"
    return df


def test_candidates_count_only_supporting_statements():
    items = candidate_items(_posters()).items.set_index("item_id")
    brochures = items.loc["IB004"]
    assert brochures.support == 1 and brochures.against == 1 and "s7" in brochures.evidence
    assert "s1" not in brochures.evidence and brochures.support_strength == "weak"
    assert "IB130" not in items.index  # login security: only a contradicting quote
    weekend = items.loc["IB161" if "IB161" in items.index else "IB152"]  # 周末营业 / 方便的营业时间
    assert weekend.support == 2 and weekend.support_strength == "strong"
    assert not any(s in weekend.evidence for s in ("s3", "s4"))


def test_best_quotes_prefer_higher_scores_and_different_speakers():
    df = pd.DataFrame({"statement_id": ["a", "b", "c", "d"], "speaker": ["P1", "P1", "P2", "P3"],
                       "text": ["家里宽带老掉线，断网是常事，很不稳定", "宽带又断网了", "宽带晚上掉线", "宽带断网"],
                       "servqual": "reliability", "demand": "delivery", "issue": "broadband", "stance": "complaint"})
    res = candidate_items(df, evidence_k=2)
    top = res.items.set_index("item_id").loc["IB045"]
    shown = [e.split(":")[0] for e in top.evidence.split(" | ")]
    assert shown[0] == "a" and "b" not in shown  # best first, then another speaker
