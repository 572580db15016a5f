"""model_text: Weibo/IM noise never reaches the models; idempotent."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceofcustomer.text.noise import NUMBER_TOKEN, model_text

_PIECES = st.sampled_from(["@中国联通客服", "#宽带故障#", "http://t.cn/A6x9Kp", "[泪流满面]", "！！！", "？？", "138****5678",
                           "宽带", "又断了", "，", "话费", " ", "www.10086.cn", "订单号2026110212345", "～～", "😡", "iPhone"])


@given(st.lists(_PIECES, max_size=12).map("".join))
@settings(max_examples=200, deadline=None)
def test_model_text_is_idempotent_and_clean(text):
    once = model_text(text)
    assert model_text(once) == once
    assert "@" not in once and "http" not in once and "t.cn" not in once and "[" not in once
    assert "！！" not in once and "？？" not in once and "*" not in once


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_model_text_is_idempotent_on_any_text(text):
    once = model_text(text)
    assert model_text(once) == once


def test_numbers_become_one_word_and_hashtag_words_stay():
    assert model_text("手机138****5678，订单20261102123456") == f"手机 {NUMBER_TOKEN} ，订单 {NUMBER_TOKEN}"
    assert model_text("@中国联通客服138****5678") == NUMBER_TOKEN
    assert model_text("#宽带故障# @中国联通客服 [怒] 又断了！！！http://t.cn/A6x9Kp") == "宽带故障 又断了！"


def test_a_plural_pronoun_after_at_keeps_its_words():
    from voiceofcustomer.text.noise import ADDRESSEE_TOKEN, mark_addressees

    # "@你们…" inside a sentence is the customer's sentence, not an account: only the "@" goes
    assert model_text("私信没人回，公开@你们才有人理") == "私信没人回，公开 你们才有人理"
    assert ADDRESSEE_TOKEN not in mark_addressees("公开@我們才有人理") and "才有人理" in mark_addressees("公开@我們才有人理")
    # a real account's name still goes, "@我…" included (often a user's name)
    assert model_text("@我要说 太差了") == "太差了" and ADDRESSEE_TOKEN in mark_addressees("@我要说 太差了")


def _every_pattern(text: str) -> str:
    """model_text without its shortcuts: every substitution on every text."""
    import re

    from voiceofcustomer.text import noise

    if not text:
        return ""
    t = noise.LINK.sub(" ", text)
    t = noise.HASHTAG.sub(r" \1 ", t)
    t = noise.MASKED_NUMBER.sub(f" {NUMBER_TOKEN} ", t)
    t = noise.HANDLE.sub(" ", t)
    t = noise.EMOTICON.sub(" ", t)
    t = re.sub(rf"(?:{NUMBER_TOKEN}\s*){{2,}}", f"{NUMBER_TOKEN} ", t)
    t = noise.REPEATED_PUNCT.sub(r"\1", t)
    return noise.SPACES.sub(" ", t).strip()


_EDGE = st.sampled_from(["HTTP://ABC", "WWW.A.COM", "x.COM/a", "http://x", "a.cn/b", "www.", "#", "##", "1#2", "12345678", "123456",
                         "***", "1***", NUMBER_TOKEN, " ", "\n", "。", "..", "@", "[泪]", "号", "码"])


@given(st.lists(st.one_of(_PIECES, _EDGE, st.text(max_size=4)), max_size=10).map("".join))
@settings(max_examples=400, deadline=None)
def test_shortcuts_give_the_same_text_as_every_pattern(text):
    assert model_text(text) == _every_pattern(text)


def test_handles_of_others_become_one_marker_operators_stay_for_model_text():
    from voiceofcustomer.text.noise import ADDRESSEE_TOKEN, mark_addressees

    marked = mark_addressees("@某手机客服 @中国联通客服 @北京联通 @小李 屏幕又黑了")
    assert marked.count(ADDRESSEE_TOKEN) == 2  # the handset maker and a person, not the two operator accounts
    assert "@中国联通客服" in marked and "@北京联通" in marked and "某手机" not in marked and "小李" not in marked
    assert ADDRESSEE_TOKEN not in model_text("@某手机客服 屏幕又黑了")  # themes never see a marker
    assert mark_addressees("没有账号的帖子") == "没有账号的帖子"


def test_traditional_operator_handles_stay_operators():
    from voiceofcustomer.text.noise import ADDRESSEE_TOKEN, DEVICE_TOKEN, mark_addressees, mark_devices

    # the marking runs before the Simplified conversion: 中國電信 must read as 中国电信 does
    assert ADDRESSEE_TOKEN not in mark_addressees("網課上到一半斷網 @中國電信 這寬帶還能不能行了")
    assert ADDRESSEE_TOKEN not in mark_addressees("@中國聯通客服 話費又多扣了")
    assert ADDRESSEE_TOKEN in mark_addressees("@某手機客服 又黑屏了")
    assert mark_devices("華為手機沒信號").count(DEVICE_TOKEN) == 1


@pytest.mark.parametrize("text, context, expected", [
    ("手机信号总是断断续续 @某手机客服", "", True),               # a maker's account, nothing of the operator
    ("谢谢", "@某旅游网客服 订单退款呢？ ｜ 请私信订单号", True),     # the account is in the thread
    ("手机信号总是断断续续 @某手机客服", "联通卡换到别的手机也一样", False),  # the operator named in the thread
    ("@某手机客服 流量跑得特别快", "", False),                     # an operator service named
    ("@中国联通客服 信号差", "", False),                          # the operator's own account
    ("@中國電信 網速太慢", "", False),                            # the same, in Traditional characters
    ("私信发了一周都没回，公开@你们才有人理", "", False),           # "@你们" is not an account
    ("华为手机没信号", "", False),                                 # a brand without a handle: not decided here
    ("", "", False),
])
def test_third_party_only(text, context, expected):
    from voiceofcustomer.text.noise import third_party_only

    assert third_party_only(text, context) is expected


def test_device_makers_get_one_shared_marker_after_their_name():
    from voiceofcustomer.text.noise import DEVICE_TOKEN, mark_devices

    assert mark_devices("华为手机和iPhone都搜不到信号").count(DEVICE_TOKEN) == 2
    assert mark_devices("华为手机") == f"华为 {DEVICE_TOKEN} 手机"
    assert DEVICE_TOKEN not in mark_devices("宽带又断了，营业厅也不管")


@given(st.lists(st.one_of(_PIECES, st.sampled_from(["VIVO", "Vivo", "iPhone", "IPHONE", "华为", "三星", "HTC", "İ"]),
                          st.text(max_size=4)), max_size=10).map("".join))
@settings(max_examples=300, deadline=None)
def test_device_marker_shortcut_gives_the_same_text_as_the_full_pattern(text):
    from voiceofcustomer.text.noise import DEVICE_BRAND, DEVICE_TOKEN, mark_devices

    assert mark_devices(text) == DEVICE_BRAND.sub(lambda m: f"{m.group(0)} {DEVICE_TOKEN} ", text)
