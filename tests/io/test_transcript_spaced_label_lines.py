"""Machine-transcription exports whose speakers are named in words with spaces between them (transcript QA pass):
``Tom Lee 00:00:15`` / ``00:01:12 TOM LEE`` alone on a line, the words on the lines below, as 飞书妙记 or 腾讯会议
label a speaker by an account's name.

Before: such a line was no speaker's label (a label line's speaker held no space), so it and the words below it
were joined to the moderator's turn above — every participant's words were counted, quoted and labelled as the
moderator's, and a file of such turns was not taken for a transcript at all. A label line led by its time
(``00:12:31 张女士``, as the pattern's docstring has it) was read as a turn of ``00`` saying ``12:31 张女士``.
"""

from pathlib import Path

import pytest

from voiceofcustomer.io.transcript import looks_like_transcript, parse_transcript, read_transcript
from voiceofcustomer.text.split import detect_kind


def test_speakers_named_in_words_on_label_lines_have_turns_of_their_own(data_dir):
    path = data_dir / "transcript_spaced_label_lines.txt"
    assert detect_kind(path) == "transcript"
    tr = read_transcript(path)
    assert [(t.speaker, t.role) for t in tr.turns] == [
        ("主持人", "moderator"), ("Tom Lee", "participant"), ("Mary Chen", "participant"), ("主持人", "moderator"),
        ("TOM LEE", "participant"), ("ANNA WU", "participant")]
    assert tr.turns[1].text == "我住在学校附近的出租屋，宽带一到晚上九点就卡。\n打游戏延迟特别高。"
    assert not any("00:" in t.text or "Lee" in t.text for t in tr.turns)


@pytest.mark.parametrize("label", ["Tom Lee 00:00:15", "TOM LEE 00:00:15", "00:00:15 Tom Lee", "[00:00:15] TOM LEE",
                                   "Tom Lee  (00:15)", "Mary Jane Watson 00:00:15", "Tom Lee（学生） 00:00:15"])
def test_one_label_line_of_a_name_in_words_is_a_speaker(label):
    lines = ["主持人 00:00:01", "大家觉得宽带怎么样？", label, "晚上老掉线。", "主持人 00:00:30", "还有呢？"]
    turns = parse_transcript(lines, Path("x.txt")).turns
    assert [t.role for t in turns] == ["moderator", "participant", "moderator"]
    assert turns[1].speaker in ("Tom Lee", "TOM LEE", "Mary Jane Watson") and turns[1].text == "晚上老掉线。"


@pytest.mark.parametrize("line", ["Good Morning 00:00:15", "PLEASE NOTE 00:00:15", "China Mobile 10:30",
                                  "Step 2 00:00:15"])
def test_words_and_a_time_that_name_no_one_stay_in_the_turn(line):
    lines = ["主持人 00:00:01", "大家觉得宽带怎么样？", "说话人2 00:00:10", "晚上老掉线。", line, "后面也一样。"]
    turns = parse_transcript(lines, Path("x.txt")).turns
    assert [t.speaker for t in turns] == ["主持人", "说话人2"]
    assert line in turns[1].text


def test_a_label_line_led_by_its_time_names_the_speaker():
    lines = ["00:00:01 主持人", "大家好，今天聊聊宽带。", "00:00:03 说话人2", "我家宽带晚上经常掉线。",
             "00:00:09 主持人", "还有吗？", "00:00:12 张女士", "信号也不好。"]
    assert looks_like_transcript(lines)
    turns = parse_transcript(lines, Path("x.txt")).turns
    assert [(t.speaker, t.role, t.text) for t in turns] == [
        ("主持人", "moderator", "大家好，今天聊聊宽带。"), ("说话人2", "participant", "我家宽带晚上经常掉线。"),
        ("主持人", "moderator", "还有吗？"), ("张女士", "participant", "信号也不好。")]


def test_full_names_that_label_two_lines_each_are_the_speakers_without_a_header():
    lines = ["王建国 00:00:01", "大家好，今天聊聊宽带。", "李秀英 00:00:03", "我家宽带晚上经常掉线。",
             "王建国 00:00:09", "还有吗？", "李秀英 00:00:12", "信号也不好。"]
    assert looks_like_transcript(lines)
    assert [t.speaker for t in parse_transcript(lines, Path("x.txt")).turns] == ["王建国", "李秀英", "王建国", "李秀英"]
