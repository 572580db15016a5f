import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceofcustomer.text.normalize import BoilerplateReport, drop_boilerplate, is_boilerplate, normalize


@pytest.mark.parametrize("raw, clean", [
    ("監(jiān)管部門", "监管部门"),
    ("監（jiān）管", "监管"),
    ("監(jian1)管", "监管"),
    ("老人（78岁）投訴", "老人（78岁）投诉"),
    ("无线网络(WiFi)很慢", "无线网络(WiFi)很慢"),
    ("５Ｇ套餐１２８元", "5G套餐128元"),
    ("网速太慢了！！！", "网速太慢了！！！"),
    ("客服　　態度   很差", "客服态度很差"),
    ("call  10086   ok", "call 10086 ok"),
    ("", ""),
])
def test_normalize_examples(raw, clean):
    assert normalize(raw) == clean


def test_chinese_punctuation_is_kept():
    assert normalize("什么？好的，行。“对”") == "什么？好的，行。“对”"


@pytest.mark.parametrize("line", ["第 3 页 / 共 33 页", "第3页", "12 / 33", "点击下载APP，查看更多投诉", "全文下载", "扫码关注公众号",
                                  "版权所有 © 2026 某网", "免责声明：本文仅供参考", "转载请注明出处"])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["我下载APP以后就扣费了，为什么", "宽带第三次坏了", "页面打不开", "点击了半天也没反应"])
def test_real_statements_are_not_boilerplate(line):
    # a complaint *about* downloading an app is speech, not a download notice
    assert not is_boilerplate(line)


def test_drop_boilerplate_counts():
    rep = BoilerplateReport()
    kept = drop_boilerplate(["真的很慢", "第 1 页 / 共 2 页", "版权所有"], rep)
    assert kept == ["真的很慢"] and rep.count == 2


_ALPHABET = st.sampled_from(list("網絡寬帶監管投訴营业厅信号慢差好的了吗ａｂｃＡＢＣ１２３abc123 　\t\n，。！？（）()“”jiānmǎ78岁-:：/"))


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_normalize_is_idempotent_on_any_unicode(text):
    once = normalize(text)
    assert normalize(once) == once


def test_remembered_clean_texts_are_not_cleaned_again(monkeypatch):
    from voiceofcustomer.text import normalize as N

    cleaned = N.normalize("寬帶網絡不穩定")
    calls = []
    real = N._opencc()

    class Counting:
        def convert(self, text):
            calls.append(text)
            return real.convert(text)

    monkeypatch.setattr(N, "_opencc", lambda: Counting())
    with N.remember_clean_texts():
        assert N.normalize("寬帶網絡不穩定") == cleaned
        assert N.normalize(cleaned) == cleaned  # the model's second pass: a lookup
    assert len(calls) == 1
    assert N.normalize(cleaned) == cleaned and len(calls) == 2  # outside the block: cleaned as always
