"""A .docx transcript whose first paragraph is a heading (Heading 1 or Word's Title): the session's title, never a
statement; a header's 座谈会名称 line wins."""

import docx
import pytest

from voiceofcustomer.io.transcript import read_transcript
from voiceofcustomer.text.split import split_inputs


def _docx(path, style, header=()):
    d = docx.Document()
    if style == "Title":
        d.add_heading("2026年11月 城区宽带用户座谈会", level=0)  # Word's Title style
    else:
        d.add_heading("2026年11月 城区宽带用户座谈会", level=1)
    for line in header:
        d.add_paragraph(line)
    d.add_paragraph("主持人：大家觉得家里宽带稳定吗？")
    d.add_paragraph("孙女士：晚上看电视老是卡顿。")
    d.add_paragraph("周先生：我家还行，就是装机等了一个礼拜。")
    d.save(path)
    return path


@pytest.mark.parametrize("style", ["Heading 1", "Title"])
def test_the_heading_above_the_turns_is_the_sessions_title(tmp_path, style):
    # before: the heading was read as preamble and lost (no column held it), a Title-styled one likewise
    path = _docx(tmp_path / "城区座谈.docx", style)
    st = next(split_inputs([path]))
    assert set(st["session_title"]) == {"2026年11月 城区宽带用户座谈会"}
    assert st["text"].tolist() == ["大家觉得家里宽带稳定吗？", "晚上看电视老是卡顿。", "我家还行，就是装机等了一个礼拜。"]
    assert set(st["session"]) == {"城区座谈"} and set(st["section"]) == {""}


def test_a_title_line_of_the_header_wins_over_the_heading(tmp_path):
    path = _docx(tmp_path / "fg.docx", "Heading 1", header=["座谈会名称：城区宽带第2场", "城市：天津"])
    tr = read_transcript(path)
    assert tr.meta["title"] == "城区宽带第2场" and tr.meta["city"] == "天津"
    assert set(next(split_inputs([path]))["session_title"]) == {"城区宽带第2场"}
