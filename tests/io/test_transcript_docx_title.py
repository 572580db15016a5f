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


def _hand_set_docx(path, title, *, bold, centred, turns=None):
    """A first paragraph set as a title by hand: Normal style, its run bold and/or the paragraph centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    p = d.add_paragraph()
    p.add_run(title).bold = bold
    if centred:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in turns or ["主持人：大家觉得家里宽带稳定吗？", "孙女士：晚上看电视老是卡顿。", "周先生：我家还行，就是装机等了一个礼拜。"]:
        d.add_paragraph(line)
    d.save(path)
    return path


@pytest.mark.parametrize("bold,centred", [(True, True), (True, False), (False, True)])
def test_a_bold_or_centred_first_paragraph_is_the_sessions_title(tmp_path, bold, centred):
    # before: no title — bold, the paragraph became the label '城区宽带用户座谈会：' (a would-be turn, kept as
    # preamble); centred only, it was preamble
    path = _hand_set_docx(tmp_path / "城区座谈.docx", "城区宽带用户座谈会", bold=bold, centred=centred)
    tr = read_transcript(path)
    assert tr.meta["title"] == "城区宽带用户座谈会"
    assert [t.speaker for t in tr.turns] == ["主持人", "孙女士", "周先生"]
    st = next(split_inputs([path]))
    assert set(st["session_title"]) == {"城区宽带用户座谈会"}
    assert "城区宽带用户座谈会" not in " ".join(st["text"])


def test_a_centred_title_in_a_centred_style_is_the_title(tmp_path):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    style = d.styles.add_style("封面标题", 1)  # a paragraph style of the team's template, centred, not a heading
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("2026年11月 城区宽带用户座谈会", style="封面标题")
    d.add_paragraph("主持人：大家觉得家里宽带稳定吗？")
    d.add_paragraph("孙女士：晚上看电视老是卡顿。")
    d.save(tmp_path / "fg.docx")
    assert read_transcript(tmp_path / "fg.docx").meta["title"] == "2026年11月 城区宽带用户座谈会"


@pytest.mark.parametrize("name", ["张女士", "主持人", "说话人1"])
def test_a_bold_name_alone_first_still_starts_a_turn(tmp_path, name):
    path = _hand_set_docx(tmp_path / "fg.docx", name, bold=True, centred=False,
                          turns=["大家觉得家里宽带稳定吗？", "孙女士：晚上看电视老是卡顿。", "周先生：我家还行。"])
    tr = read_transcript(path)
    assert "title" not in tr.meta
    assert (tr.turns[0].speaker, tr.turns[0].text) == (name, "大家觉得家里宽带稳定吗？")


def test_only_the_first_paragraph_is_taken_for_a_title(tmp_path):
    # a bold line among the turns is no title: a bold label opens a turn as before
    path = _hand_set_docx(tmp_path / "fg.docx", "城区宽带用户座谈会", bold=False, centred=False,
                          turns=["主持人：大家觉得家里宽带稳定吗？", "孙女士：晚上看电视老是卡顿。"])
    d = docx.Document(path)
    p = d.add_paragraph()
    p.add_run("宽带装机体验").bold = True
    p.alignment = 1
    d.add_paragraph("周先生：我家还行。")
    d.save(path)
    tr = read_transcript(path)
    assert "title" not in tr.meta  # an unstyled, plain first line of a .docx stays preamble
