"""Transcripts whose speakers are named in Latin words with spaces between them (focus-group QA pass):
``Tom Lee：…``, ``Mary Chen（学生）：…``, ``Anna K.: …``, ``Dr. Wang：…``, ``J. Smith:``, ``Kevin 张：`` and a
moderator written ``Moderator Zhang：``, listed in the header's 参与者 or not.

Before: no such line was a turn (a speaker label held no space) — each was joined to the previous speaker's
turn, so Tom Lee's words were counted, quoted and labelled as 张女士's; the header's ``参与者：Mary Chen、…``
listed ``Mary`` and ``Chen``, and ``主持人：Zhang Wei`` named ``Zhang`` the moderator. The other side: a colon
after English words that are no name (``Apple Music：``, ``China Mobile：``, ``My point is:``, ``Step 1:``)
stays in the turn.
"""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.io.transcript import parse_transcript, read_transcript, unlisted_speakers
from voiceofcustomer.text.split import detect_kind, split_inputs

HEADER = ["主持人：王敏", "参与者：张女士、李先生", ""]


def _turns(*lines: str):
    return parse_transcript([*HEADER, "王敏：先说说宽带？", "张女士：晚上老掉线。", *lines, "李先生：信号不好。"],
                            Path("x.txt")).turns


def test_speakers_named_in_latin_words_have_turns_of_their_own(data_dir):
    tr = read_transcript(data_dir / "transcript_latin_full_names.txt")
    assert [(t.speaker, t.role) for t in tr.turns] == [
        ("Moderator Zhang", "moderator"), ("Mary Chen", "participant"), ("张女士", "participant"),
        ("Tom Lee", "participant"), ("Dr. Wang", "participant"), ("Zhang Wei", "moderator"),
        ("Anna K.", "participant"), ("J. Smith", "participant"), ("Kevin 张", "participant"),
        ("Mary Chen", "participant"), ("Zhang Wei", "moderator")]
    assert tr.turns[2].text == "家里还行，就是电视老卡。"
    assert tr.turns[3].text == "我觉得流量不够用，每个月都要加包。"
    assert tr.turns[6].text == "我去办过一次卡，要护照，排了半小时。"
    assert tr.meta["moderator"] == "Zhang Wei"
    assert tr.meta["header_participants"] == ["Mary Chen（留学生）", "Dr. Wang（大学老师）", "张女士（退休教师）"]
    assert "J. Smith（交换生）" in tr.meta["participants"]
    assert unlisted_speakers(tr) == ["Tom Lee", "Anna K.", "J. Smith", "Kevin 张"]  # each once, to be checked


def test_the_statements_of_a_latin_full_name_are_theirs(data_dir):
    df = pd.concat(split_inputs([data_dir / "transcript_latin_full_names.txt"]), ignore_index=True)
    assert df.loc[df.text.str.contains("加包"), "speaker"].tolist() == ["Tom Lee"]
    assert df.loc[df.text.str.contains("资费说明"), ["speaker", "speaker_attrs"]].values.tolist() == [
        ["Dr. Wang", "大学老师"]]
    assert df.loc[df.text.str.contains("耐心"), ["speaker", "speaker_attrs"]].values.tolist() == [
        ["J. Smith", "交换生"]]
    assert not df.loc[df.speaker == "张女士", "text"].str.contains("流量").any()


@pytest.mark.parametrize("line, speaker", [
    ("Tom Lee：我觉得还行。", "Tom Lee"),
    ("Tom Lee: 我觉得还行。", "Tom Lee"),
    ("Tom　Lee：我觉得还行。", "Tom Lee"),             # a full-width space
    ("Ｔｏｍ Ｌｅｅ：我觉得还行。", "Tom Lee"),          # full-width letters
    ("Mary Jane Watson：我觉得还行。", "Mary Jane Watson"),
    ("Jean-Luc Martin：我觉得还行。", "Jean-Luc Martin"),
    ("Sean O'Brien：我觉得还行。", "Sean O'Brien"),       # O'Brien: _LATIN_NAME missed a one-letter prefix
    ("Mary Chen（学生）：我觉得还行。", "Mary Chen"),
    ("Mary Chen (学生): 我觉得还行。", "Mary Chen"),
    ("Anna K.: 我觉得还行。", "Anna K."),
    ("J. Smith: 我觉得还行。", "J. Smith"),
    ("Dr. Wang：我觉得还行。", "Dr. Wang"),
    ("Dr.Wang：我觉得还行。", "Dr.Wang"),
    ("Ms. Li：我觉得还行。", "Ms. Li"),
    ("Kevin 张：我觉得还行。", "Kevin 张"),
    ("Kevin张：我觉得还行。", "Kevin张"),
    ("张 Kevin：我觉得还行。", "张 Kevin"),
    ("Tony老师：我觉得还行。", "Tony老师"),
    ("【Tom Lee】我觉得还行。", "Tom Lee"),
    ("[00:12:31] Tom Lee：我觉得还行。", "Tom Lee"),
    ("Tom Lee [00:12:31]：我觉得还行。", "Tom Lee"),
])
def test_latin_full_names_in_the_forms_note_takers_write(line, speaker):
    turns = _turns(line)
    assert [t.speaker for t in turns] == ["王敏", "张女士", speaker, "李先生"]
    assert turns[1].text == "晚上老掉线。" and turns[2].text == "我觉得还行。" and turns[2].role == "participant"


@pytest.mark.parametrize("label", ["Moderator Zhang", "Moderator 王敏", "Host Li", "Interviewer A",
                                   "Facilitator Mary Chen", "主持人 Jessica"])
def test_a_moderator_written_with_her_name_asks(label):
    turns = parse_transcript([f"{label}：大家说说宽带吧。", "张女士：晚上老掉线。", f"{label}：还有呢？",
                              "Tom Lee：流量不够。"], Path("x.txt")).turns
    assert [(t.speaker, t.role) for t in turns] == [(label, "moderator"), ("张女士", "participant"),
                                                    (label, "moderator"), ("Tom Lee", "participant")]
    assert turns[1].text == "晚上老掉线。"


def test_a_header_lists_and_names_latin_full_names():
    tr = parse_transcript(["主持人：Mary Jane Watson", "", "Mary Jane Watson：各位好，说说宽带。",
                           "张女士：晚上老掉线。", "Mary Jane Watson：还有呢？", "李先生：信号不好。"], Path("x.txt"))
    assert tr.meta["moderator"] == "Mary Jane Watson" and "preamble" not in tr.meta  # a name, not her words
    assert [t.role for t in tr.turns] == ["moderator", "participant", "moderator", "participant"]
    # a list with 、: a space inside an entry is part of the name
    tr = parse_transcript(["主持人：王敏", "参与者：Tom Lee、Mary Chen（学生）", "", "王敏：各位好。",
                           "Tom Lee：流量不够。", "Mary Chen：宿舍信号差。"], Path("x.txt"))
    assert tr.meta["participants"] == ["Tom Lee", "Mary Chen（学生）"] and unlisted_speakers(tr) == []
    # names one per line below 参与者：
    tr = parse_transcript(["主持人：王敏", "参与者：", "1. Mary Chen（留学生）", "2. 李先生（司机）", "",
                           "王敏：各位好。", "Mary Chen：宿舍信号差。"], Path("x.txt"))
    assert tr.meta["participants"] == ["Mary Chen（留学生）", "李先生（司机）"] and "preamble" not in tr.meta
    # a list separated by spaces alone: Tom Lee is one name when a turn starts with it
    tr = parse_transcript(["主持人：王敏", "参与者：Tom Lee Lily", "", "王敏：各位好。", "Tom Lee：流量不够。",
                           "Lily：我也是。"], Path("x.txt"))
    assert tr.meta["participants"] == ["Tom Lee", "Lily"] and unlisted_speakers(tr) == []


def test_a_listed_latin_full_name_speaks_english_too():
    lines = ["主持人：王敏", "参与者：张女士、Tom Lee", "", "王敏：先说说宽带？", "张女士：晚上老掉线。",
             "Tom Lee: I think the price is OK.", "张女士：就是贵。"]
    assert [t.speaker for t in parse_transcript(lines, Path("x.txt")).turns] == ["王敏", "张女士", "Tom Lee", "张女士"]


def test_a_file_of_latin_full_names_is_read_as_a_transcript(tmp_path):
    path = tmp_path / "group.txt"
    path.write_text("\n".join(["主持人：王敏", "", "王敏：各位好，说说宽带。", "Tom Lee：宿舍晚上很慢。",
                               "Mary Chen：流量不够用。", "Anna K.: 营业厅人多。", "Tom Lee：资费也贵。",
                               "Mary Chen：客服电话打不通。"]), encoding="utf-8")
    assert detect_kind(path) == "transcript"  # was tickets: only 王敏's line was a turn


def test_a_colon_after_english_words_that_are_no_name_stays_in_the_turn(data_dir):
    tr = read_transcript(data_dir / "transcript_latin_words_colon_lines.txt")
    assert [t.speaker for t in tr.turns] == ["王敏", "张女士", "李先生", "王敏"]
    assert tr.turns[1].text.splitlines()[1:] == ["Apple Music：会员太贵。", "Tencent Video：晚上老卡。", "Wi Fi：家里的也老断。"]
    assert tr.turns[2].text.splitlines()[1:] == [
        "My point is: 网速太慢。", "Step 1: 先在APP上预约。", "Good Morning：早上营业厅人少。", "China Mobile：信号好一些。",
        "Customer Service：电话总打不通。", "Hong Kong：漫游太贵。", "Note: 要带身份证。", "Tom 说：营业厅九点开门。",
        "iPhone 15：信号差一些。", "Remember: bring the ID card.", "下午3:00：人最多。", "https://example.cn/a：打不开。"]
    assert unlisted_speakers(tr) == []


@pytest.mark.parametrize("line", ["Tom Lee: I think so.", "Happy New Year：大家好。", "Thank You：谢谢。",
                                  "New York：那边漫游贵。", "Tom 的：也一样。", "Step 2：再交钱。"])
def test_english_words_in_a_turn_are_not_a_speaker_unlisted(line):
    turns = _turns(line)
    assert [t.speaker for t in turns] == ["王敏", "张女士", "李先生"]
    assert turns[1].text == f"晚上老掉线。\n{line}"
