"""Interview notes as questions and answers (QA pass): 问：/答： labels, numbered questions Q1：/Q2：, full-width
Ｑ：/Ａ：, and 【张女士 00:03:12】 with the time inside the brackets."""

from pathlib import Path

from voiceofcustomer.io.transcript import looks_like_transcript, parse_transcript


def _turns(lines):
    return [(t.speaker, t.role, t.text) for t in parse_transcript(lines, Path("x.txt")).turns]


def test_wen_da_notes_are_turns():
    """QA: no turn at all: the file was read as tickets (or 'no speaker turns found')."""
    lines = ["访谈记录", "", "问：您现在用的什么套餐？", "答：一百二十九的5G套餐。", "问：满意吗？", "答：信号不太稳定。"]
    assert looks_like_transcript(lines)
    assert _turns(lines) == [("问", "moderator", "您现在用的什么套餐？"), ("答", "participant", "一百二十九的5G套餐。"),
                             ("问", "moderator", "满意吗？"), ("答", "participant", "信号不太稳定。")]


def test_a_line_starting_with_wen_in_someones_words_stays_there():
    lines = ["主持人：大家说说。", "张女士：我去营业厅，", "问：为什么要排这么久？", "没人理我。", "李先生：态度还行。"]
    assert _turns(lines)[1] == ("张女士", "participant", "我去营业厅，\n问：为什么要排这么久？\n没人理我。")


def test_numbered_questions_are_the_interviewers():
    """QA: Q1：/Q2： were participants, the interviewer's questions counted as customer statements."""
    lines = ["Q1：您现在用的什么套餐？", "A：一百二十九的5G套餐。", "B：我是公司办的。", "Q2：满意吗？", "A：信号不太稳定。"]
    assert [(s, r) for s, r, _ in _turns(lines)] == [("Q1", "moderator"), ("A", "participant"), ("B", "participant"),
                                                     ("Q2", "moderator"), ("A", "participant")]


def test_full_width_labels_are_a_transcript():
    """QA: Ｑ：/Ａ：/Ｂ： parsed as turns, but the file was not told a transcript (read as tickets)."""
    assert looks_like_transcript(["Ｑ：大家好，说说营业厅。", "Ａ：排队太久。", "Ｂ：态度还行。", "Ｑ：还有呢？"])


def test_a_time_inside_the_brackets():
    """QA: 【张女士 00:03:12】… gave no turns."""
    lines = ["【张女士 00:03:12】排队太久。", "【主持人 00:03:40】还有呢？", "【李先生 00:04:02】态度还行。"]
    assert looks_like_transcript(lines)
    assert _turns(lines) == [("张女士", "participant", "排队太久。"), ("主持人", "moderator", "还有呢？"),
                             ("李先生", "participant", "态度还行。")]
