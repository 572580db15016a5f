"""A Word transcript whose turns are a table with a title row (发言人 | 内容, 序号 | 发言人 | 发言内容 | 备注,
角色 | 姓名 | 发言内容): each row is a turn, whoever speaks, and only the words' column is the speaker's words."""

import docx

from voiceofcustomer.io.transcript import read_transcript


def _docx(path, rows, paragraphs=()):
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    t = d.add_table(rows=0, cols=len(rows[0]))
    for r in rows:
        cells = t.add_row().cells
        for k, v in enumerate(r):
            cells[k].text = v
    d.save(str(path))
    return path


def test_every_row_is_a_turn_without_a_header(tmp_path):
    """QA: 王敏's first row, a full name no header listed and said once, was preamble: her turn lost."""
    tr = read_transcript(_docx(tmp_path / "a.docx", [("发言人", "内容"), ("王敏", "大家说说营业厅。"),
                                                     ("张女士", "排队太久了。"), ("李先生", "态度还行。")]))
    assert [(t.speaker, t.text) for t in tr.turns] == [("王敏", "大家说说营业厅。"), ("张女士", "排队太久了。"),
                                                       ("李先生", "态度还行。")]
    assert not tr.meta.get("preamble")


def test_a_notes_column_is_not_the_speakers_words(tmp_path):
    """QA: a 备注 column's 情绪激动 was read as 张女士's words, and the title row as a line of preamble."""
    rows = [("序号", "发言人", "发言内容", "备注"), ("1", "王敏", "大家说说营业厅。", ""),
            ("2", "张女士", "排队太久了。", "情绪激动"), ("3", "", "上次等了一个小时。", ""), ("4", "李先生", "态度还行。", "")]
    tr = read_transcript(_docx(tmp_path / "b.docx", rows, ["主持人：王敏", "参与者：张女士、李先生"]))
    assert [(t.speaker, t.role, t.text) for t in tr.turns] == [
        ("王敏", "moderator", "大家说说营业厅。"), ("张女士", "participant", "排队太久了。\n上次等了一个小时。"),
        ("李先生", "participant", "态度还行。")]
    assert not tr.meta.get("preamble")


def test_a_role_column_beside_names(tmp_path):
    rows = [("角色", "姓名", "发言内容"), ("主持人", "王敏", "大家说说营业厅。"), ("参与者", "张女士", "排队太久了。")]
    tr = read_transcript(_docx(tmp_path / "c.docx", rows))
    assert [(t.speaker, t.role) for t in tr.turns] == [("王敏", "moderator"), ("张女士", "participant")]
