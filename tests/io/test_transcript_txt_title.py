"""A .txt transcript's first line that is a title (no colon, no speaker, no sentence): the session's title, as a
.docx's heading is, never a statement; only the first non-empty line, never a turn, a header field or a sentence."""

import pytest

from voiceofcustomer.io.transcript import read_transcript
from voiceofcustomer.text.split import split_inputs

TURNS = ["主持人：大家觉得家里宽带稳定吗？", "孙女士：晚上看电视老是卡顿。", "周先生：我家还行，就是装机等了一个礼拜。"]


def _txt(path, *lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("header", [[], ["时间：2026年11月3日", "地点：城区营业厅二楼会议室"]])
def test_the_first_line_of_a_txt_that_is_a_title_is_the_sessions_title(tmp_path, header):
    # before: the line was read as preamble and lost, session_title empty
    path = _txt(tmp_path / "城区座谈.txt", "2026年11月 城区宽带用户座谈会纪要", "", *header, *TURNS)
    st = next(split_inputs([path], kind="transcript"))
    assert set(st["session_title"]) == {"2026年11月 城区宽带用户座谈会纪要"}
    assert st["text"].tolist() == ["大家觉得家里宽带稳定吗？", "晚上看电视老是卡顿。", "我家还行，就是装机等了一个礼拜。"]
    assert st["role"].tolist() == ["moderator", "participant", "participant"]


def test_a_speech_to_text_export_with_a_title_line_keeps_its_title_and_its_turns(tmp_path, data_dir):
    lines = (data_dir / "transcript_stt_moderator_clear.txt").read_text(encoding="utf-8").splitlines()
    path = _txt(tmp_path / "asr.txt", "城区宽带用户座谈会 录音转写", *lines)
    tr = read_transcript(path)
    assert tr.meta["title"] == "城区宽带用户座谈会 录音转写"
    assert [t.speaker for t in tr.turns][:3] == ["说话人1", "说话人2", "说话人3"] and len(tr.turns) == 12
    assert tr.meta["moderator_detected"][0] == "说话人1"


@pytest.mark.parametrize("first", [
    "以下为录音整理稿，仅供内部参考。",  # a sentence of preamble
    "[录音开始]",  # a stage direction
    "2026-11-03",  # a date: no words
])
def test_a_first_line_that_is_no_title_is_not_taken(tmp_path, first):
    tr = read_transcript(_txt(tmp_path / "fg.txt", first, *TURNS))
    assert not tr.meta.get("title") and len(tr.turns) == 3


def test_only_the_first_line_and_the_headers_title_wins(tmp_path):
    tr = read_transcript(_txt(tmp_path / "a.txt", "座谈会名称：城区宽带第2场", "城区宽带用户座谈会纪要", *TURNS))
    assert tr.meta["title"] == "城区宽带第2场"
    tr = read_transcript(_txt(tmp_path / "b.txt", "2026年11月 城区宽带用户座谈会纪要", "座谈会名称：城区宽带第2场", *TURNS))
    assert tr.meta["title"] == "城区宽带第2场"
