"""Transcripts with a participant named in Latin letters (researcher QA pass): ``Tom：我觉得…`` or
``Lily（留学生）: …`` in a Chinese transcript, once, and not in the header's 参与者.

Before: neither line was read as a turn — both were joined to the previous speaker's turn, so Tom's and
Lily's words were counted, quoted and labelled as 张女士's and 李先生's. The other side: a colon after a
Latin word in ordinary lines (a list of apps, Note：, a URL, APP：, English words) stays in the turn.
"""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.io.transcript import parse_transcript, read_transcript, unlisted_speakers
from voiceofcustomer.text.split import split_inputs


def test_a_latin_name_that_speaks_once_is_a_turn_of_its_own(data_dir):
    tr = read_transcript(data_dir / "transcript_latin_once.txt")
    assert [t.speaker for t in tr.turns] == ["王敏", "张女士", "Tom", "李先生", "王敏", "Lily", "张女士", "王敏"]
    assert tr.turns[1].text == "晚上八点以后老掉线。"
    assert tr.turns[2].text == "我觉得网速还行，就是晚上打游戏延迟高。" and tr.turns[2].role == "participant"
    assert tr.turns[5].text == "我去办过一次卡，要护照，排了半小时。"
    assert "Lily（留学生）" in tr.meta["participants"]            # the attribute is recorded as for 张女士（…）：
    assert unlisted_speakers(tr) == ["Tom", "Lily"]               # the researcher is told to check them


def test_the_statements_of_a_latin_name_are_theirs(data_dir):
    df = pd.concat(split_inputs([data_dir / "transcript_latin_once.txt"]), ignore_index=True)
    assert df.loc[df.text.str.contains("打游戏"), "speaker"].tolist() == ["Tom"]
    assert df.loc[df.text.str.contains("护照"), ["speaker", "speaker_attrs"]].values.tolist() == [["Lily", "留学生"]]
    assert not df.loc[df.speaker == "张女士", "text"].str.contains("Tom").any()


@pytest.mark.parametrize("label", ["Tom：", "Tom: ", "【Tom】", "Jean-Luc：", "Ｔｏｍ："])
def test_latin_names_in_the_forms_turns_take(label):
    lines = ["主持人：王敏", "参与者：张女士、李先生", "", "王敏：先说说宽带？", "张女士：晚上老掉线。",
             f"{label}我觉得还行。", "李先生：信号不好。"]
    tr = parse_transcript(lines, Path("x.txt"))
    assert [t.text for t in tr.turns] == ["先说说宽带？", "晚上老掉线。", "我觉得还行。", "信号不好。"]


def test_a_latin_name_listed_one_per_line_under_the_participants_keeps_its_attribute():
    # Before: the list ended at '2. Tom（留学生）' (not name-shaped), which went to the preamble
    lines = ["主持人：王敏", "参与者：", "1. 张女士（退休教师）", "2. Tom（留学生）", "", "王敏：先说说宽带？",
             "张女士：晚上老掉线。", "Tom：流量不够用。"]
    tr = parse_transcript(lines, Path("x.txt"))
    assert tr.meta["participants"] == ["张女士（退休教师）", "Tom（留学生）"] and "preamble" not in tr.meta
    assert [t.speaker for t in tr.turns] == ["王敏", "张女士", "Tom"]


def test_a_colon_after_latin_words_in_ordinary_lines_stays_in_the_turn(data_dir):
    tr = read_transcript(data_dir / "transcript_latin_colon_lines.txt")
    assert [t.speaker for t in tr.turns] == ["王敏", "张女士", "李先生", "王敏"]
    assert tr.turns[1].text.splitlines()[1:] == ["Netflix：根本看不了。", "Bilibili：晚上老卡。", "Wifi：家里的也老断。"]
    assert tr.turns[2].text.splitlines()[1:] == [
        "注意：营业厅九点才开门。", "时间：9:30到的，排到十点半。", "备注: 带身份证。", "Note：要先在网上预约。",
        "https://example.cn/a 这个网址也打不开。", "Http://example.cn/b：也一样。", "APP：闪退。", "iPhone：信号差一些。",
        "Remember: bring the ID card.", "下午3:00：人最多。"]
    assert unlisted_speakers(tr) == []
