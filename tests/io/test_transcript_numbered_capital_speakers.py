"""Speakers labelled ``Participant 3：`` (the English of 参与者3：) and names written in capitals (``TOM：``,
``MODERATOR：``, ``M:``), found in a transcript QA pass.

Before: ``Participant 1：…`` was no turn (a role word and a number with a space between them is no name),
so every participant's words were joined to the moderator's turn and the file was not even taken for a
transcript; ``TOM：…`` / ``LILY：…`` unlisted in a header were joined to the turn above the same way. The
other side: a word in capitals that labels a line in someone's words (``QQ：``, ``APN：``) stays in the turn,
and one such name alone is no evidence that the transcript writes its speakers in capitals.
"""

from pathlib import Path

import pandas as pd

from voiceofcustomer.io.transcript import looks_like_transcript, parse_transcript, read_transcript
from voiceofcustomer.text.split import detect_kind, split_inputs


def test_numbered_participants_in_english_are_speakers(data_dir):
    path = data_dir / "transcript_numbered_participants.txt"
    tr = read_transcript(path)
    assert [(t.speaker, t.role) for t in tr.turns] == [
        ("Moderator", "moderator"), ("Participant 1", "participant"), ("Participant 2", "participant"),
        ("Participant 3", "participant"), ("MODERATOR", "moderator"), ("Respondent2", "participant"),
        ("Participant 1", "participant")]
    assert tr.turns[3].text == "网速还可以，资费有点贵。"
    assert detect_kind(path, None) == "transcript"
    rows = pd.concat(split_inputs([path]), ignore_index=True)  # auto: read as a transcript
    said = rows[rows["role"] == "participant"]
    assert set(said["speaker"]) == {"Participant 1", "Participant 2", "Participant 3", "Respondent2"}


def test_names_in_capitals_are_speakers_and_a_capital_label_in_a_turn_stays_in_it(data_dir):
    tr = read_transcript(data_dir / "transcript_capital_names.txt")
    assert [(t.speaker, t.role) for t in tr.turns] == [
        ("MODERATOR", "moderator"), ("TOM", "participant"), ("LILY", "participant"), ("M", "moderator"),
        ("TOM", "participant"), ("MODERATOR ZHANG", "moderator")]
    assert tr.turns[2].text == "我这边还好，就是流量用得太快。\n我常用的几个：\nQQ：视频老卡。\nAPN：设置过也没用。"
    assert tr.turns[4].text == "上周排了一个小时。"


def test_capital_names_without_a_capital_moderator_need_two_names_on_three_lines():
    body = ["M: 信号怎么样？", "TOM：地下车库没信号。", "LILY：还行。", "M: 营业厅呢？", "TOM：排了一小时。"]
    assert [t.speaker for t in parse_transcript(body, Path("x.txt")).turns] == ["M", "TOM", "LILY", "M", "TOM"]
    assert looks_like_transcript(body)
    # one name in capitals, once, in the words of a transcript of Chinese names: a label, not a speaker
    lines = ["主持人：信号怎么样？", "张女士：地下车库没信号，", "CCTV：也看不了。", "李先生：还行。"]
    turns = parse_transcript(lines, Path("x.txt")).turns
    assert [t.speaker for t in turns] == ["主持人", "张女士", "李先生"]
    lines = ["主持人：信号怎么样？", "张女士：我说两个：", "TOM：就是我儿子，说流量不够。", "李先生：还行。"]
    assert [t.speaker for t in parse_transcript(lines, Path("x.txt")).turns] == ["主持人", "张女士", "李先生"]
