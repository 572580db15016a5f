"""Need phrases and item checks on the way real customers write (written for these tests).

Real posts end sentences with ASCII '.', trail off with '~' and '…', carry @handles, links and tags,
address the agent (你), report what happened (屏蔽了) and swear; a composed item cut from such a post
read "该运营商尽快升级光猫.昨天…" or "该运营商退钱别坑爹" and passed every check (examples written
for these tests, as every text here is).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceofcustomer.items.candidates import check_item
from voiceofcustomer.items.compose import need_phrase


@pytest.mark.parametrize("text, wanted", [
    # the sentence ends at an ASCII '.', '~' or '…', not at the next one
    ("希望尽快开通千兆宽带.昨天营业厅的人也没说清楚", "尽快开通千兆宽带"),
    ("希望能免费升级光猫~ 北京·海淀...", "免费升级光猫"),
    ("希望能用短信提醒流量余额…等了好久", "用短信提醒流量余额"),
    # a decimal point is no sentence end, and an amount is no need
    ("希望和58.50元的套餐费一起扣", None),
    # the handles, links and tags of a post are not the customer's words
    ("@某某电信客服 希望能提前通知停机 http://t.cn/AbCdE12", "提前通知停机"),
    ("#宽带吐槽# 希望能提供上门测速", "提供上门测速"),
    ("希望能提供上门测速@某某客服", "提供上门测速"),
    # a request to act after the handle goes: it names nothing
    ("希望尽快解决@某某客服", None),
    ("希望贵司尽快处理", None),
])
def test_need_phrase_reads_a_real_posts_sentence(text, wanted):
    assert need_phrase(text) == wanted


@pytest.mark.parametrize("text", [
    "希望赶紧退钱别坑爹",                 # abuse
    "建议改名叫骗子公司",                 # abuse
    "建议大家都别办这个套餐",             # advice to other customers, not a need of the operator
    "不知道有人冒充客服打电话",           # what someone else did
    "希望骚扰电话早就拦下了才对",          # an action done
    "希望你们客服你先查一下",             # someone addressed
    "希望能在不通知的情况下别停机",        # a condition
    "能不能提醒他交费",                   # someone talked about
])
def test_a_clause_that_names_no_need_of_the_operator_gives_none(text):
    assert need_phrase(text) is None


def test_a_real_posts_question_is_composed_and_flagged_not_dropped():
    """请问, 第几 and A还是B ask as 什么 does: the phrase is taken when no clause gives one without, and its
    item says why it cannot be fielded as it stands."""
    phrase = need_phrase("希望告知请问第几天能装好宽带")
    assert phrase == "告知请问第几天能装好宽带"
    assert any(c.code == "question" and "“请问”" in c.message for c in check_item("", "该运营商" + phrase))
    assert need_phrase("希望告知第几天能装好，希望提前通知停网") == "提前通知停网"


def test_spam_and_fraud_are_service_subjects_not_abuse():
    assert need_phrase("希望能拦截垃圾短信") == "拦截垃圾短信"
    assert not check_item("", "该运营商有效拦截诈骗电话")


@pytest.mark.parametrize("p_text, code, words", [
    ("该运营商尽快升级光猫.昨天", "symbol", "“.”"),
    ("该运营商修好~ 上海", "symbol", "“~ ”"),
    ("该运营商退钱别坑爹", "abusive", "“坑爹”"),
    ("该运营商让客户省心点", "spoken", "“省心点”"),
    ("该运营商有点效率", "spoken", "“有点”"),
    ("该运营商想个办法", "spoken", "“想个”"),
])
def test_an_item_cut_from_a_real_post_fails_a_check_that_says_why(p_text, code, words):
    assert any(c.code == code and words in c.message for c in check_item("", p_text)), check_item("", p_text)


_NOISE = st.sampled_from(["@某某客服", "@某某电信客服 ", "http://t.cn/Ab12", "#吐槽#", "[哭]", ".", "~", "…", "...",
                          " ", "！！", "138****5678"])
_WISH = st.sampled_from(["希望", "建议", "能不能", "最好能"])
_NEED = st.sampled_from(["提前通知停机", "提供上门测速", "开通千兆宽带", "显示剩余流量", "拦截垃圾短信"])


@given(st.lists(_NOISE, max_size=3), _WISH, _NEED, st.lists(_NOISE, max_size=3))
@settings(max_examples=200, deadline=None)
def test_a_need_phrase_never_holds_a_posts_noise(before, wish, need, after):
    text = "".join(before) + wish + need + "".join(after)
    phrase = need_phrase(text)
    assert phrase is None or not re.search(r"[^\w\u3400-\u9fff]|http|t\.cn|号码", phrase), (text, phrase)
    if phrase is not None:
        assert need in phrase or phrase in need
