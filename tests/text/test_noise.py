"""model_text: Weibo/IM noise never reaches the models; idempotent."""

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
