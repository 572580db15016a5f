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
