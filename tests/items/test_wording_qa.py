"""The wording of candidate items as a questionnaire designer reads it (the items-wording QA pass).

Every phrase here is written for the test: an E derived from a P edit, need phrases read from a
wish, and the wording checks that name what cannot be composed well instead of leaving it "ok".
"""

import pytest

from voiceofcustomer.items.candidates import load_item_bank
from voiceofcustomer.items.survey import expectation_form


@pytest.mark.parametrize("p, e", [
    # a topic of its own before the predicate: 应当 cannot go before the noun phrase
    ("该运营商每月的话费计算准确无误", "优秀的电信运营商应当做到每月的话费计算准确无误"),
    ("该运营商员工的言行赢得客户信赖", "优秀的电信运营商应当做到员工的言行赢得客户信赖"),
    ("该运营商宣传的网速与实际相符", "优秀的电信运营商应当做到宣传的网速与实际相符"),
    ("该营业厅内光线明亮", "优秀的营业厅应当保持厅内光线明亮"),
    # the operator's action before 的 stays as it was
    ("该运营商用真实的宣传吸引客户", "优秀的电信运营商应当用真实的宣传吸引客户"),
    ("该运营商设计实用的套餐", "优秀的电信运营商应当设计实用的套餐"),
    ("该运营商准确计算每月的话费", "优秀的电信运营商应当准确计算每月的话费"),
])
def test_expectation_of_a_perception_that_opens_on_a_topic(p, e):
    assert expectation_form(p) == e


def test_no_bank_perception_derives_an_expectation_with_yingdang_before_a_noun_phrase():
    """A designer's one-line P edit gets its E derived; over the bank's own P wordings the
    derivation must never put 应当 straight before a topic (应当每月的…, 应当内…)."""
    bad = []
    for r in load_item_bank().itertuples():
        e = expectation_form(r.p_text)
        rest = e.split("应当", 1)[1]
        if rest.startswith("内") or (e != r.e_text and not rest.startswith("做到") and "的" in rest[:6]
                                     and "应当" in e[:12]):
            bad.append((r.item_id, e))
    assert bad == []


@pytest.mark.parametrize("text, phrase", [
    # 主要是 holds no wish cue; 要是/如果 with no 能/可以/有 after it is a condition, not a wish
    ("我觉得主要是门口的台阶太高了，推车进不去", None),
    ("我主要是看每个月的单子，上面就一个总数", None),
    ("你要是说有五百兆，那晚上也得有五百兆", None),
    ("我们开店的要是关门这么早，早就没客人了", None),
    ("要是能开到晚上八点就好了", "开到晚上八点"),
    # 给 as the verb: what is given is provided (the verb was stripped as a filler: 一个清单)
    ("最好每个月给我一个清单，列清楚扣了哪些钱", "每个月提供清单"),
    ("希望尽快给个说法", None),  # still a request to act, not a need
    # 里面 is one word: 在微信里面点… lost 里 and read 在微信面点…
    ("要是能在微信里面点一下就续费就好了", "在微信点一下就续费"),
    ("要是能有个热水壶、有个充电的地方就好了", "提供热水壶、充电的地方"),
])
def test_need_phrase_reads_only_wishes(text, phrase):
    from voiceofcustomer.items.compose import need_phrase

    assert need_phrase(text) == phrase


@pytest.mark.parametrize("p, code, words", [
    ("该营业厅合在一起算", "change", "“合在一起”"),
    ("该运营商换成多给点通话时长", "change", "“换成”"),
    ("该运营商改到周末上门", "change", "“改到”"),
    ("该运营商换一家运营商", "subject_twice", "“该运营商…运营商”"),
    ("该营业厅比别的营业厅人少", "subject_twice", "“该营业厅…营业厅”"),
    ("该运营商别让人等这么久", "deixis", "“这么”"),
    ("该运营商派个懂行的来", "spoken", "“派个”"),
    ("该运营商说明啥叫流量包", "spoken", "“啥”"),
    ("该运营商写简单点", "spoken", "“简单点”"),
    ("该运营商收银和外卖平台", "fragment", "只是半句话"),
    ("该运营商每个季度结账的时候", "fragment", "只是半句话"),
    ("该运营商像银行那样", "fragment", "只是半句话"),
    ("该运营商村口、河边打得通电话", "fragment", "只是半句话"),
])
def test_wording_that_states_no_attribute_is_flagged(p, code, words):
    from voiceofcustomer.items.candidates import check_item

    assert any(c.code == code and words in c.message for c in check_item("", p)), check_item("", p)


def test_wording_checks_pass_every_bank_item():
    """The checks name what a composed item got wrong; the written bank (all of its items) passes them."""
    from voiceofcustomer.items.candidates import check_item

    failed = {r.item_id: check_item(r.e_text, r.p_text) for r in load_item_bank().itertuples()}
    assert {k: v for k, v in failed.items() if v} == {}


def test_a_composed_item_that_states_no_attribute_comes_out_flagged_with_its_evidence():
    """Flagged, not dropped: the candidate and its quote stay for the designer to rewrite."""
    import pandas as pd

    from voiceofcustomer.items.candidates import candidate_items

    st = pd.DataFrame([
        {"statement_id": "s1", "speaker": "甲", "session": "x", "text": "能不能派个懂行的来，每次来的都不会修",
         "servqual": "assurance", "demand": "function", "issue": "other", "stance": "suggestion"},
        {"statement_id": "s2", "speaker": "乙", "session": "x", "text": "希望营业厅里能提供饮用水",
         "servqual": "tangibles", "demand": "function", "issue": "other", "stance": "suggestion"},
    ])
    items = candidate_items(st).items.set_index("p_text")
    row = items.loc["该运营商派个懂行的来"]
    assert row.source == "composed" and "口语表述：“派个”是口语" in row.checks and "spoken" in row.check_codes
    assert row.evidence.startswith("s1: ")


@pytest.mark.parametrize("p, double", [
    ("该运营商及时处理客户的报修", False),  # 及时 is one word, not 及 joining two ideas
    ("该运营商及时通知停机检修", False),
    ("该运营商提供账单及发票", True),
])
def test_jishi_is_no_conjunction(p, double):
    from voiceofcustomer.items.candidates import check_item

    assert any(c.code == "double_barrelled" for c in check_item("", p)) is double
