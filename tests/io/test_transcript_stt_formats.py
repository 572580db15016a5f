"""Transcripts as speech-to-text tools and interview notes write them (QA pass): a label line whose time has
milliseconds (00:00:03.250, SRT's 00:00:03,250) or is a span (00:00:03-00:00:14, [00:00:03 --> 00:00:14]), the words
on the label's own line (说话人1 00:00:03 我先说吧…), and an interview's 访谈时间 in the header."""

from pathlib import Path

import pytest

from voiceofcustomer.io.transcript import looks_like_transcript, parse_transcript

WORDS = ["大家好，聊聊营业厅。", "排队太久了。", "网速慢。"]


def _labelled(times):
    lines = []
    for k, (t, w) in enumerate(zip(times, WORDS), 1):
        lines += [f"说话人{k} {t}", w, ""]
    return lines


@pytest.mark.parametrize("times", [
    ["00:00:03.250", "00:00:15.100", "00:01:02.000"],
    ["00:00:03,250", "00:00:15,100", "00:01:02,000"],
    ["00:00:03-00:00:14", "00:00:15-00:00:20", "00:01:02-00:01:10"],
    ["[00:00:03 --> 00:00:14]", "[00:00:15 --> 00:00:20]", "[00:01:02 --> 00:01:10]"],
])
def test_label_lines_with_milliseconds_or_spans(times):
    lines = _labelled(times)
    assert looks_like_transcript(lines)
    tr = parse_transcript(lines, Path("x.txt"))
    assert [(t.speaker, t.text) for t in tr.turns] == [("说话人1", WORDS[0]), ("说话人2", WORDS[1]), ("说话人3", WORDS[2])]
    assert not tr.meta.get("preamble")


def test_words_on_the_label_line():
    lines = ["主持人：王敏", "参与者：张女士、李先生", "", "王敏 00:00:03 大家好，聊聊营业厅。", "张女士 00:00:15.5 排队太久了。",
             "李先生 00:01:02 网速慢。", "我是 10:30 到的。"]
    tr = parse_transcript(lines, Path("x.txt"))
    assert [(t.speaker, t.role, t.text) for t in tr.turns] == [
        ("王敏", "moderator", "大家好，聊聊营业厅。"), ("张女士", "participant", "排队太久了。"),
        ("李先生", "participant", "网速慢。\n我是 10:30 到的。")]  # a time without seconds in words is words
    lines = [f"说话人{k} 00:0{k}:03 {w}" for k, w in enumerate(WORDS, 1)]
    assert looks_like_transcript(lines)
    assert [t.speaker for t in parse_transcript(lines, Path("x.txt")).turns] == ["说话人1", "说话人2", "说话人3"]


def test_times_in_words_stay_words():
    lines = ["主持人：王敏", "参与者：张女士、李先生", "", "王敏：大家几点去的营业厅？", "张女士：我 10:30 到的，等到 11:45 才办完。",
             "李先生：下午 3:00-4:00 人少。"]
    assert [t.text for t in parse_transcript(lines, Path("x.txt")).turns][1:] == ["我 10:30 到的，等到 11:45 才办完。",
                                                                                 "下午 3:00-4:00 人少。"]


def test_an_interviews_date_and_place_are_header():
    tr = parse_transcript(["用户访谈记录", "访谈时间：2026年3月20日", "访谈地点：天津市河西区营业厅", "访谈员：刘洋",
                           "受访者：张女士（公司职员）", "", "【刘洋】您好，请说说您的套餐。", "【张女士】一百二十九的5G套餐。"],
                          Path("x.txt"))
    assert tr.meta["date"] == "2026年3月20日" and tr.meta["city"] == "天津" and tr.meta["preamble"] == ["用户访谈记录"]
    assert [(t.speaker, t.role) for t in tr.turns] == [("刘洋", "moderator"), ("张女士", "participant")]
