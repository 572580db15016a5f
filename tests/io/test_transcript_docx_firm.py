"""A .docx transcript as a research firm delivers it: a header table (座谈会名称 | …), a legend table mapping the
participants' codes to who they are (编号 | 称呼 | 身份, A1 | 张女士 | 退休教师), the discussion guide's section headings
as bold paragraphs, and an editor's tracked changes."""

import zipfile

import docx

from voiceofcustomer.io.transcript import read_transcript, speaker_attributes
from voiceofcustomer.text.split import split_inputs


def _table(d, rows):
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell


def _turn(d, name, words):
    p = d.add_paragraph()
    p.add_run(name).bold = True
    p.add_run(f"：{words}")


def _bold(d, text):
    d.add_paragraph().add_run(text).bold = True


def _firm_docx(path, legend_title=True, legend=True):
    d = docx.Document()
    d.add_heading("2026年11月 宽带用户座谈会记录", level=1)
    _table(d, [["座谈会名称", "宽带用户座谈会"], ["时间", "2026年11月3日"], ["主持人", "王敏"], ["参与者", "A1、A2"]])
    if legend:
        d.add_paragraph("参与者说明：")
        _table(d, ([["编号", "称呼", "身份"]] if legend_title else [])
               + [["A1", "张女士", "退休教师"], ["A2", "李先生", "个体户，45岁"]])
    _bold(d, "一、营业厅服务体验")
    _turn(d, "主持人（王）", "大家平时去营业厅办业务，排队的情况怎么样？")
    _turn(d, "A1", "我上个月去办宽带续费，排了快一个小时。")
    _turn(d, "A2", "我那边人少，但是业务员解释套餐说不清楚。")
    _bold(d, "二、宽带网络质量")
    _turn(d, "主持人（王）", "说说家里宽带网速怎么样？")
    _turn(d, "A2", "晚上八点以后网速特别慢。")
    d.add_paragraph("【座谈会结束】")
    d.save(path)
    return path


def test_a_legend_table_gives_the_codes_their_attributes_and_no_statements(tmp_path):
    # before: the legend's rows were A1's and A2's turns ('张女士退休教师' a statement of A1's, the first turn) and its
    # title row '编号 | 称呼 | 身份' the header's 编号 line: the session was named 称呼身份; no speaker had attributes
    for legend_title in (True, False):
        path = _firm_docx(tmp_path / f"fg_{legend_title}.docx", legend_title)
        tr = read_transcript(path)
        assert [(t.speaker, t.role) for t in tr.turns] == [
            ("王敏", "moderator"), ("A1", "participant"), ("A2", "participant"), ("王敏", "moderator"),
            ("A2", "participant")]
        assert tr.session == path.stem
        assert speaker_attributes(tr.meta) == {"A1": "张女士，退休教师", "A2": "李先生，个体户，45岁"}
        st = next(split_inputs([path]))
        assert not st["text"].str.contains("张女士|退休教师|称呼").any()
        assert dict(zip(st["speaker"], st["speaker_attrs"])) == {
            "王敏": "", "A1": "张女士，退休教师", "A2": "李先生，个体户，45岁"}


def test_a_bold_section_heading_is_the_section_not_words(tmp_path):
    # before: the bold 一、营业厅服务体验 became a speaker's label '一、营业厅服务体验：' — before the turns a preamble
    # line, and 二、宽带网络质量 the words '二、宽带网络质量：' at the end of A2's turn; no turn had a section
    tr = read_transcript(_firm_docx(tmp_path / "fg.docx", legend=False))
    assert [t.section for t in tr.turns] == ["营业厅服务体验"] * 3 + ["宽带网络质量"] * 2
    assert [t.text for t in tr.turns][2] == "我那边人少，但是业务员解释套餐说不清楚。"


def _tracked_docx(path):
    """Turns an editor revised with Track Changes on: words inserted (w:ins) and deleted (w:del), in a paragraph and
    in a cell of a table of turns."""
    d = docx.Document()
    d.add_paragraph("主持人：大家觉得营业厅排队怎么样？")
    d.add_paragraph("张女士：排队太久了。")
    d.add_paragraph("李先生：还可以。")
    _table(d, [["发言人", "发言内容"], ["赵阿姨", "人太多。"]])
    d.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode()
    mark = 'w:author="审校" w:date="2026-11-04T10:00:00Z"'
    for run, revised in [
            ("张女士：排队太久了。", f'<w:ins w:id="1" {mark}><w:r><w:t>取号机也坏了。</w:t></w:r></w:ins>'),
            ("人太多。", f'<w:ins w:id="2" {mark}><w:r><w:t>要等半天。</w:t></w:r></w:ins>'),
            ("李先生：还可以。", f'<w:del w:id="3" {mark}><w:r><w:delText>我记错了，</w:delText></w:r></w:del>')]:
        run = f"<w:r><w:t>{run}</w:t></w:r>"
        assert run in xml
        xml = xml.replace(run, run + revised)
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_tracked_changes_are_read_as_accepted(tmp_path):
    # before: the words an editor inserted with Track Changes were left out ('排队太久了。' without '取号机也坏了。',
    # the cell's '人太多。' without '要等半天。'): python-docx reads no run inside w:ins; deleted words stayed out
    tr = read_transcript(_tracked_docx(tmp_path / "fg.docx"))
    assert [(t.speaker, t.text) for t in tr.turns] == [
        ("主持人", "大家觉得营业厅排队怎么样？"), ("张女士", "排队太久了。取号机也坏了。"), ("李先生", "还可以。"),
        ("赵阿姨", "人太多。要等半天。")]


def test_a_bold_name_after_a_time_starts_the_turn(tmp_path):
    # before: '[00:12:35] **主持人** 大家觉得…' and '（00:13）**李先生**还可以吧。' (the time in plain type, the name in
    # bold, no colon) started no turn: above the first turn they were preamble and the three turns were lost
    d = docx.Document()
    d.add_paragraph("参与者：张女士（退休教师）、李先生（个体户）")
    for stamp, name, words in [("[00:12:35] ", "主持人", " 大家觉得营业厅排队怎么样？"), ("[00:12:50] ", "张女士", " 排队太久了。"),
                               ("（00:13）", "李先生", "还可以吧。"), ("", "[00:13:20] 张女士", " 取号机也坏了。"),
                               ("[00:13:40]", "李先生", "")]:
        p = d.add_paragraph()
        if stamp:
            p.add_run(stamp)
        p.add_run(name).bold = True
        if words:
            p.add_run(words)
    d.add_paragraph("网速也慢。")
    d.save(tmp_path / "fg.docx")
    tr = read_transcript(tmp_path / "fg.docx")
    assert [(t.speaker, t.role, t.text) for t in tr.turns] == [
        ("主持人", "moderator", "大家觉得营业厅排队怎么样？"), ("张女士", "participant", "排队太久了。"),
        ("李先生", "participant", "还可以吧。"), ("张女士", "participant", "取号机也坏了。"),
        ("李先生", "participant", "网速也慢。")]


def _legend_docx(path, legend):
    d = docx.Document()
    d.add_paragraph("座谈会名称：宽带用户座谈会")
    legend(d)
    for line in ["主持人：大家觉得营业厅排队怎么样？", "A1：排队太久了。", "A2：还可以吧。"]:
        d.add_paragraph(line)
    d.save(path)
    return path


def _legend_lines(d):
    for line in ["参与者：", "A1：张女士，退休教师，62岁", "A2：李先生（个体户）"]:
        d.add_paragraph(line)


def _legend_cell(d):
    _table(d, [["主持人", "王敏"], ["参与者", "A1 张女士（退休教师，62岁）\nA2 李先生 个体户"]])


def test_a_legend_written_in_the_header_gives_the_codes_their_attributes(tmp_path):
    # before: under 参与者： the lines 'A1：张女士，退休教师，62岁' / 'A2：李先生（个体户）' were A1's and A2's first turns
    # (statements); in a header table's cell 'A1 张女士（退休教师，62岁）' listed A1 and 张女士 apart, the attributes
    # 张女士's, and A1 had none
    for legend in (_legend_lines, _legend_cell):
        tr = read_transcript(_legend_docx(tmp_path / f"{legend.__name__}.docx", legend))
        assert [(t.speaker, t.text) for t in tr.turns][1:] == [("A1", "排队太久了。"), ("A2", "还可以吧。")]
        attrs = speaker_attributes(tr.meta)
        assert attrs["A1"] == "张女士，退休教师，62岁" and attrs["A2"].startswith("李先生，个体户")
        assert "张女士" not in attrs
