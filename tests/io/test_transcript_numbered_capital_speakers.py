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

from voiceofcustomer.io.transcript import looks_like_transcript, parse_transcript, read_transcript, unlisted_speakers
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


def test_names_of_two_words_in_capitals_are_speakers_and_listed_whole(data_dir):
    """``TOM LEE：…`` was no turn where ``TOM：…`` was one: every such turn was joined to the turn above (the
    moderator's introduction held three participants' words), and the header's ``TOM LEE（留学生）`` was listed as
    two people, TOM and LEE（留学生）. Capital words that are no name (PLEASE NOTE：, CHINA MOBILE：) and an English
    sentence (``My point is:``) stay in the turn (found in a transcript QA pass)."""
    path = data_dir / "transcript_capital_full_names.txt"
    tr = read_transcript(path)
    assert [(t.speaker, t.role) for t in tr.turns] == [
        ("MODERATOR", "moderator"), ("TOM LEE", "participant"), ("MARY CHEN", "participant"),
        ("ANNA LIU", "participant"), ("MODERATOR", "moderator"), ("TOM LEE", "participant"),
        ("MARY CHEN", "participant"), ("ANNA LIU", "participant"), ("MODERATOR", "moderator")]
    assert tr.meta["header_participants"] == ["TOM LEE（留学生）", "MARY CHEN（外企HR）"]
    assert tr.turns[5].text == ("要护照，营业厅的人不太会看外国证件。\n营业厅门口贴着：\nPLEASE NOTE：外籍人士请到三号窗口。\n"
                                "CHINA MOBILE：欢迎您。")
    assert tr.turns[6].text == "App没有英文版，账单看不懂。\nMy point is: 英文服务太少了。"
    assert unlisted_speakers(tr) == ["ANNA LIU"]
    rows = pd.concat(split_inputs([path]), ignore_index=True)
    tom = rows[rows["speaker"] == "TOM LEE"]
    assert set(tom["speaker_attrs"]) == {"留学生"} and set(tom["prompt_turn"]) == {1, 5}


def test_names_of_two_words_in_capitals_need_the_transcript_to_write_its_speakers_so():
    body = ["M: 信号怎么样？", "TOM LEE：地下车库没信号。", "MARY CHEN：还行。", "M: 营业厅呢？", "TOM LEE：排了一小时。"]
    assert [t.speaker for t in parse_transcript(body, Path("x.txt")).turns] == ["M", "TOM LEE", "MARY CHEN", "M", "TOM LEE"]
    assert looks_like_transcript(body)
    # once, in the words of a transcript of Chinese names: a label, not a speaker
    lines = ["主持人：信号怎么样？", "张女士：我家那边的几个：", "TOM LEE：就是我儿子，说流量不够。", "李先生：还行。"]
    assert [t.speaker for t in parse_transcript(lines, Path("x.txt")).turns] == ["主持人", "张女士", "李先生"]
    # with the moderator in capitals, capital words that are no name stay in the turn
    lines = ["MODERATOR：信号怎么样？", "TOM：还行。", "GOOD MORNING：这是开机画面。", "HONG KONG：漫游太贵。",
             "ATTENTION PLEASE：请关机。"]
    turns = parse_transcript(lines, Path("x.txt")).turns
    assert [t.speaker for t in turns] == ["MODERATOR", "TOM"] and turns[1].text.count("\n") == 3
