"""The filler rule's shortcut gives the same answer as the full pattern."""

from hypothesis import given, settings
from hypothesis import strategies as st

from voiceofcustomer.labels.model import _FILLER_WORDS, _content_free
from voiceofcustomer.text.noise import ADDRESSEE_TOKEN, NUMBER_TOKEN

_PIECES = st.sampled_from(["好的", "谢谢", "已私信", "嗯嗯", NUMBER_TOKEN, "，", "！", " ", "ok", "1234", "客服", "亲",
                           ADDRESSEE_TOKEN, "宽带", "断", "é", "²", "ﾟ", "了", "号", "码", "麻烦你们", "😊", "_",
                           "我的手机", "订单号", "：", "手机号码", "被盗"])


@given(st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=8).map("".join))
@settings(max_examples=500, deadline=None)
def test_content_free_equals_the_full_filler_pattern(text):
    assert _content_free(text) == (not _FILLER_WORDS.sub("", text).strip())


def test_content_free_examples():
    assert _content_free("好的谢谢！") and _content_free(f"已私信 {NUMBER_TOKEN}") and _content_free(f"{ADDRESSEE_TOKEN} 谢谢")
    assert not _content_free("宽带又断了") and not _content_free("谢谢，但是话费不对")
