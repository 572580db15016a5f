import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceofcustomer.text.segment import Segmenter, blank_zh, is_content_word


@pytest.fixture(scope="module")
def seg():
    return Segmenter()


@pytest.mark.parametrize("text, word", [
    ("我想办理携号转网", "携号转网"),
    ("家里的光猫一直闪红灯", "光猫"),
    ("副卡每个月扣十块钱", "副卡"),
    ("出国前办了停机保号", "停机保号"),
    ("买了个流量包还是不够用", "流量包"),
])
def test_domain_terms_are_one_word(seg, text, word):
    assert word in seg(text)


def test_plain_jieba_splits_what_the_dictionary_joins():
    plain = Segmenter(dictionary=False, backend="jieba")
    assert "携号转网" not in plain("我想办理携号转网")


def test_backends_agree_with_the_same_dictionary(seg):
    ref = Segmenter(backend="jieba")
    for text in ["我家宽带晚上老掉线，装维师傅三天了还没上门！", "5G套餐128元，流量不够用", "营业厅排队一个多小时"]:
        assert seg.cut(text) == ref.cut(text)


def test_pickle_round_trip_keeps_behaviour(seg):
    text = "携号转网被拒了三次"
    assert seg(text)  # builds the private tokenizer
    clone = pickle.loads(pickle.dumps(seg))
    assert clone(text) == seg(text)


def test_tokens_str_and_whitespace(seg):
    assert seg.tokens_str("宽带  很慢") == " ".join(seg("宽带很慢"))
    assert "  " not in seg.tokens_str("宽带  很慢") and seg.tokens_str("宽带  很慢").startswith("宽带 ")
    assert seg("") == [] and seg.cut("") == []


def test_content_words_filter():
    assert not is_content_word("的")
    assert not is_content_word("，")
    assert not is_content_word("2026")
    assert not is_content_word("  ")
    assert is_content_word("宽带")
    assert is_content_word("掉线")


def test_spacy_pipe_yields_docs_of_words(seg):
    nlp = blank_zh(seg)
    docs = list(nlp.pipe(["我想办理携号转网", "光猫坏了"]))
    assert [t.text for t in docs[0]] == seg("我想办理携号转网")
    assert docs[1].text == "光猫坏了"


_SEG = Segmenter()


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("携号转网光猫宽带信号慢了吗的 \n，。！5GAPP12abc營業廳")), max_size=50))
def test_segmentation_loses_no_characters(text):
    seg = _SEG
    assert "".join(seg.cut(text)) == text
    assert "".join(seg(text)) == "".join(text.split())


def test_caching_segmenter_cuts_each_text_once():
    import pickle

    from voiceofcustomer.text.segment import Segmenter

    seg = Segmenter(cache=True)
    calls = []
    cut = seg._cut
    seg._tokenizer = lambda text: calls.append(text) or cut(text)
    first = seg("宽带晚上经常断网")
    first.append("changed by the caller")
    assert seg("宽带晚上经常断网") == Segmenter()("宽带晚上经常断网")  # a copy: callers cannot spoil the cache
    assert calls == ["宽带晚上经常断网"]
    clone = pickle.loads(pickle.dumps(Segmenter(cache=True)))
    assert clone.cache and clone._memo == {}


def test_part_of_speech_tags_are_the_same_with_both_backends_and_know_the_domain_words():
    """``Segmenter.tag`` (what theme key phrases are filtered by): rjieba and jieba's posseg agree,
    and a telecom dictionary word keeps the dictionary's tag (jieba's posseg alone says ``x``)."""
    fast, reference = Segmenter(), Segmenter(backend="jieba")
    for text in ["营业厅里头排队", "携号转网太难了", "我家宽带咋个老是断", "光猫坏了师傅上门"]:
        assert fast.tag(text, hmm=False) == reference.tag(text, hmm=False), text
    assert ("携号转网", "n") in reference.tag("携号转网太难了", hmm=False)
    assert ("里头", "f") in fast.tag("营业厅里头排队")
