from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.errors import InputError
from voiceofcustomer.io.transcript import (city_of_place, looks_like_transcript, parse_transcript, read_transcript,
                                          remove_stage_directions, speaker_attributes)


def test_header_is_metadata_and_turns_are_counted(data_dir):
    tr = read_transcript(data_dir / "transcript_small.txt")
    assert tr.meta["city"] == "天津" and tr.meta["group"] == "public" and tr.meta["moderator"] == "王敏"
    assert tr.meta["participants"] == ["张女士", "李先生", "赵阿姨"]
    speakers = [t.speaker for t in tr.turns]
    assert len(tr.turns) == 9
    assert speakers.count("王敏") == 4 and speakers.count("张女士") == 2 and speakers.count("李先生") == 2
    assert {t.role for t in tr.turns if t.speaker == "王敏"} == {"moderator"}
    assert {t.role for t in tr.turns if t.speaker != "王敏"} == {"participant"}
    multi = tr.turns[3]
    assert multi.speaker == "李先生" and "打游戏根本没法打" in multi.text and "报修了三次" in multi.text


def test_cli_group_and_city_fill_in_what_the_header_lacks(data_dir):
    tr = read_transcript(data_dir / "transcript_small.txt", group="business", city="北京")
    assert tr.meta["group"] == "public" and tr.meta["city"] == "天津"  # the header wins
    lines = ["主持人：大家说说宽带吧。", "张女士：晚上老掉线。", "李先生：信号不好。"]
    tr = parse_transcript(lines, Path("x.txt"), group="business", city="北京")
    assert tr.meta["group"] == "business" and tr.meta["city"] == "北京"


def test_the_place_in_the_header_gives_the_city_when_nothing_else_does():
    """QA: 地点：成都市武侯区… was not used; every statement's city was empty unless --city was given."""
    turns = ["主持人：大家说说宽带吧。", "张女士：晚上老掉线。", "李先生：信号不好。"]
    tr = parse_transcript(["地点：四川省成都市武侯区某社区活动室", "主持人：周敏", "", *turns], Path("x.txt"))
    assert tr.meta["city"] == "成都"
    tr = parse_transcript(["地点：四川省成都市武侯区", "", *turns], Path("x.txt"), city="绵阳")
    assert tr.meta["city"] == "绵阳"  # the researcher's --city wins over a guess from the place
    tr = parse_transcript(["城市：德阳", "地点：四川省成都市武侯区", "", *turns], Path("x.txt"))
    assert tr.meta["city"] == "德阳"  # and the header's 城市 over both
    assert [city_of_place(p) for p in ["广东省佛山市禅城区", "天津市和平区", "上海浦东", "内蒙古自治区呼和浩特市",
                                       "公司三楼会议室", "某县李家庄村委会", "购物中心市场部会议室"]] == \
        ["佛山", "天津", "上海", "呼和浩特", "", "", ""]


def test_voc_split_group_and_city_do_not_overwrite_the_header(tmp_path):
    """QA: ``--group``/``--city`` replaced 城市：天津 / 客户群：public on every row."""
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    with_header = tmp_path / "h.txt"
    with_header.write_text("城市：天津\n客户群：public\n主持人：李敏\n\n李敏：大家觉得宽带怎么样？\n"
                           "张先生：晚上经常断网。\n王女士：还行，就是有时候慢。\n", encoding="utf-8")
    no_header = tmp_path / "n.txt"
    no_header.write_text("主持人：营业厅怎么样？\n张先生：排队太久。\n王女士：态度还行。\n", encoding="utf-8")
    out = tmp_path / "st.csv"
    res = CliRunner().invoke(main, ["split", str(with_header), str(no_header), "-o", str(out), "-q",
                                    "--group", "business", "--city", "北京"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    got = df.groupby("session")[["group", "city"]].agg(set).to_dict("index")
    assert got == {"h": {"group": {"public"}, "city": {"天津"}}, "n": {"group": {"business"}, "city": {"北京"}}}


@pytest.mark.parametrize("line", ["M: 大家好", "Moderator：开始吧", "主持人：好的"])
def test_generic_moderator_names(tmp_path, line):
    path = tmp_path / "t.txt"
    path.write_text(f"{line}\n参与者1：我先说\n参与者2：我也说两句\n", encoding="utf-8")
    tr = read_transcript(path)
    assert tr.turns[0].role == "moderator" and tr.turns[1].speaker == "参与者1"


def test_stage_directions_removed_but_parentheses_kept():
    assert remove_stage_directions("我今年78岁了（笑）（78岁）") == "我今年78岁了（78岁）"
    assert remove_stage_directions("对（众人附和）就是") == "对就是"
    # a mark between two punctuation marks goes with the second: the quote read "我看重信号。。"
    assert remove_stage_directions("我看重信号。[笑声]。") == "我看重信号。"
    assert remove_stage_directions("好。（笑）（掌声）！下一个") == "好。下一个"
    assert remove_stage_directions("好（笑），然后。。") == "好，然后。。"  # the speaker's own punctuation stays


def test_docx_transcript(tmp_path, data_dir):
    import docx

    d = docx.Document()
    for line in (data_dir / "transcript_small.txt").read_text(encoding="utf-8").splitlines():
        d.add_paragraph(line)
    d.save(tmp_path / "t.docx")
    tr = read_transcript(tmp_path / "t.docx")
    assert len(tr.turns) == 9 and tr.meta["city"] == "天津"


def test_file_without_turns(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("宽带很慢\n信号不好\n", encoding="utf-8")
    assert not looks_like_transcript(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(InputError, match="no speaker turns"):
        read_transcript(path)


def test_speaker_attributes_from_the_header_reach_the_statements(tmp_path):
    from voiceofcustomer.io.transcript import parse_transcript, speaker_attributes
    from voiceofcustomer.text.segment import Segmenter
    from voiceofcustomer.text.split import DuplicateTracker, transcript_statements

    lines = ["参与者：张女士（退休教师）、老周（个体户）、李先生", "", "主持人：大家说说宽带吧。",
             "张女士：晚上老掉线。", "老周：店里的宽带还行。", "李先生：信号不好。"]
    tr = parse_transcript(lines, tmp_path / "fg.txt")
    assert speaker_attributes(tr.meta) == {"张女士": "退休教师", "老周": "个体户"}
    assert [t.speaker for t in tr.turns] == ["主持人", "张女士", "老周", "李先生"]  # 老周 known from the header
    df = transcript_statements(tr, Segmenter(), DuplicateTracker())
    assert df.set_index("speaker")["speaker_attrs"].to_dict() == {"主持人": "", "张女士": "退休教师", "老周": "个体户",
                                                                 "李先生": ""}


@pytest.mark.parametrize("header", [
    "主持人：李雯，客户服务部经理\n记录：张三、李四\n参与者：王女士，赵先生\n\n",
    "座谈会名称：宽带座谈\n主持人：李雯（客户部）\n记录：张三\n参与者：王女士、赵先生\n",
    "主持人：李雯 记录：张三 参与者：王女士、赵先生\n",
    "主持人：李雯\n\n",
])
def test_header_moderator_line_is_metadata_not_a_turn(header):
    body = "主持人：大家好，今天聊聊宽带。\n王女士：我家宽带老掉线。\n赵先生：对，我也是。\n"
    tr = parse_transcript((header + body).splitlines(), Path("x.txt"))
    assert [t.text for t in tr.turns] == ["大家好，今天聊聊宽带。", "我家宽带老掉线。", "对，我也是。"]
    assert tr.meta["moderator"] == "李雯"
    assert [t.role for t in tr.turns] == ["moderator", "participant", "participant"]
    assert not any("记录" in t.text or "参与者" in t.text for t in tr.turns)


def test_prompt_turn_points_to_the_moderator_question(tmp_path):
    from voiceofcustomer.statements import PROMPT_TURN
    from voiceofcustomer.text.split import split_inputs

    p = tmp_path / "fg.txt"
    p.write_text("主持人：李雯\n记录：张三\n\n主持人：大家对宽带安装有什么看法？\n王女士：装机等了一个礼拜。\n"
                 "主持人：好的。\n赵先生：对，我也是。\n主持人：那营业厅呢？\n王女士：排队太久。\n", encoding="utf-8")
    df = pd.concat(list(split_inputs([p], kind="transcript")))
    part = df[df["role"] == "participant"]
    assert part[PROMPT_TURN].tolist() == [1, 1, 5]  # "好的。" asks nothing, so 赵先生 still answers turn 1
    assert df[df["role"] == "moderator"][PROMPT_TURN].isna().all()


_SESSION = [("M", "大家好，今天聊聊宽带。"), ("P1", "我家宽带老掉线。"), ("P2", "对，我也是。"), ("M", "那营业厅呢？"),
            ("P1", "排队太久了，一个多小时。"), ("P2", "工作人员态度还行。"), ("M", "账单呢？"), ("P1", "上个月多扣了三十块。")]


@pytest.mark.parametrize("names,form", [
    (("主持人（王敏）", "张女士（退休教师）", "李先生（司机）"), "{s}：{t}"),  # attributes after the name
    (("主持人", "张女士", "李先生"), "【{s}】{t}"),                       # speaker in brackets
    (("Q", "A1", "A2"), "{s}：{t}"),                                   # interview notes
    (("主持人", "发言人1", "发言人2"), "{s}: {t}"),                      # numbered speakers, ASCII colon
    (("主持人", "受访者A", "受访者B"), "{s}：{t}"),
    (("主持人", "王大妈", "小刘"), "{s}：{t}"),                          # no header, 主持人 turns, plain names
])
def test_transcripts_without_a_header_in_common_forms_are_read_as_turns(tmp_path, names, form):
    from voiceofcustomer.text.split import detect_kind

    who = dict(zip(("M", "P1", "P2"), names))
    path = tmp_path / "fg.txt"
    path.write_text("\n".join(form.format(s=who[s], t=t) for s, t in _SESSION) + "\n", encoding="utf-8")
    assert detect_kind(path) == "transcript"
    tr = read_transcript(path)
    assert [t.text for t in tr.turns] == [t for _s, t in _SESSION]
    assert [t.role for t in tr.turns] == ["moderator" if s == "M" else "participant" for s, _t in _SESSION]
    if "（" in names[1]:
        from voiceofcustomer.io.transcript import speaker_attributes

        assert speaker_attributes(tr.meta) == {"张女士": "退休教师", "李先生": "司机"}


def test_lines_of_a_ticket_export_are_not_taken_for_turns(tmp_path):
    from voiceofcustomer.text.split import detect_kind

    path = tmp_path / "tickets.txt"
    path.write_text("客户反映宽带晚上经常掉线，要求上门检修。\n用户投诉：话费多扣三十元。\n来电咨询国际漫游资费。\n"
                    "客户称营业厅排队时间过长。\n", encoding="utf-8")
    assert detect_kind(path) == "tickets"


def test_voc_split_keeps_the_speaker_attributes_column(tmp_path):
    from voiceofcustomer.text.split import split_inputs

    path = tmp_path / "fg.txt"
    path.write_text("参与者：张女士（退休教师）、李先生\n\n主持人：大家说说宽带吧。\n张女士：晚上老掉线。\n李先生：信号不好。\n",
                    encoding="utf-8")
    df = pd.concat(list(split_inputs([path])), ignore_index=True)
    assert df.set_index("speaker")["speaker_attrs"].to_dict() == {"主持人": "", "张女士": "退休教师", "李先生": ""}


@pytest.mark.parametrize("sep", [" ", "  ", "\u3000", "、", "，", "；"])
def test_participant_list_separated_by_spaces_keeps_the_attributes(tmp_path, sep):
    """QA: ``参与者：王女士（退休教师） 老周（个体户） 小陈（学生）`` lost every attribute."""
    from voiceofcustomer.io.transcript import speaker_attributes
    from voiceofcustomer.text.split import split_inputs

    path = tmp_path / "fg.txt"
    path.write_text(f"主持人：李敏\n参与者：{sep.join(['王女士（退休教师）', '老周（个体户）', '小陈（学生）'])}\n\n"
                    "李敏：大家家里的宽带怎么样？\n王女士：晚上看电视老卡。\n老周：店里的还行。\n小陈：我主要用流量。\n",
                    encoding="utf-8")
    tr = read_transcript(path)
    assert speaker_attributes(tr.meta) == {"王女士": "退休教师", "老周": "个体户", "小陈": "学生"}
    df = pd.concat(list(split_inputs([path])), ignore_index=True)
    assert df.set_index("speaker")["speaker_attrs"].to_dict() == {"李敏": "", "王女士": "退休教师", "老周": "个体户",
                                                                 "小陈": "学生"}


def test_participant_names_separated_by_spaces(tmp_path):
    from voiceofcustomer.io.transcript import speaker_attributes

    tr = parse_transcript(["参与者：王女士 老周 李建国", "", "主持人：说说宽带吧。", "李建国：经常断网。"], Path("x.txt"))
    assert tr.meta["participants"] == ["王女士", "老周", "李建国"]
    assert [t.speaker for t in tr.turns] == ["主持人", "李建国"]  # 李建国 is known from the header
    tr = parse_transcript(["参与者：王女士 （退休教师）  老周 (个体户) 李建国", "", "主持人：说说宽带吧。"], Path("x.txt"))
    assert speaker_attributes(tr.meta) == {"王女士": "退休教师", "老周": "个体户"}  # a space before the attribute


@pytest.mark.parametrize("p1, p2", [("A1", "A2"), ("参与者3", "参与者4"), ("发言人2", "发言人5"), ("P1", "P2")])
def test_bracketed_speaker_codes_with_digits_are_turns(tmp_path, p1, p2):
    """QA: ``【A1】…`` was no turn (read as tickets; with --kind transcript one 主持人 turn)."""
    from voiceofcustomer.text.split import detect_kind

    path = tmp_path / "fg.txt"
    path.write_text(f"【主持人】大家对营业厅的服务有什么看法？\n【{p1}】营业厅排队时间太长了。\n"
                    f"【{p2}】工作人员态度还可以，就是办得慢。\n【1】号窗口总是没人。\n【主持人】还有别的吗？\n"
                    f"【{p1}】取号机经常坏。\n", encoding="utf-8")
    assert detect_kind(path) == "transcript"
    tr = read_transcript(path)
    assert [t.speaker for t in tr.turns] == ["主持人", p1, p2, "主持人", p1]
    assert [t.role for t in tr.turns] == ["moderator", "participant", "participant", "moderator", "participant"]
    assert tr.turns[2].text.endswith("【1】号窗口总是没人。")  # a number in brackets is not a speaker


def test_short_transcript_with_a_header_naming_the_moderator(tmp_path):
    """QA: two turns after ``主持人：李敏`` were read as three ticket rows (the header one of them)."""
    from voiceofcustomer.text.split import detect_kind

    path = tmp_path / "v1.txt"
    path.write_text("主持人：李敏\n\n李敏：大家觉得宽带怎么样？\n张先生：晚上经常断网。\n", encoding="utf-8")
    assert detect_kind(path) == "transcript"
    tr = read_transcript(path)
    assert tr.meta["moderator"] == "李敏"
    assert [(t.speaker, t.role) for t in tr.turns] == [("李敏", "moderator"), ("张先生", "participant")]


@pytest.mark.parametrize("text", [
    "主持人：李敏\n\n张先生：晚上经常断网。\n",                          # the named moderator never speaks
    "客户反映：宽带晚上掉线。\n用户投诉：话费多扣三十元。\n",
])
def test_short_files_without_the_named_moderator_speaking_stay_tickets(tmp_path, text):
    from voiceofcustomer.text.split import detect_kind

    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    assert detect_kind(path) == "tickets"


def test_participant_attributes_with_commas_stay_whole(tmp_path):
    """QA: ``张女士（退休教师，50岁）`` was split at the comma into ``张女士（退休教师`` and ``50岁）``:
    the attributes were lost and the fragments became "known speakers"."""
    from voiceofcustomer.io.transcript import speaker_attributes

    lines = ["项目：宽带满意度研究", "主持人：林晓", "参与者：张女士（退休教师，50岁）、刘先生（司机，42岁）、陈同学",
             "", "林晓：先说说宽带吧？", "张女士：晚上老卡。", "刘先生：还行。", "陈同学：流量不够用。"]
    tr = parse_transcript(lines, tmp_path / "fg.txt")
    assert tr.meta["participants"] == ["张女士（退休教师，50岁）", "刘先生（司机，42岁）", "陈同学"]
    assert speaker_attributes(tr.meta) == {"张女士": "退休教师，50岁", "刘先生": "司机，42岁"}


def test_interview_header_naming_interviewer_and_interviewee_is_not_a_turn(tmp_path):
    """QA: ``访谈员：周敏`` in the header of Q/A notes became the moderator's first turn and swallowed
    the next header line (``周敏日期：2026-10-20``); ``受访者：`` with the interviewee was lost."""
    lines = ["访谈记录", "受访者：赵先生（个体户，45岁）", "访谈员：周敏", "日期：2026-10-20", "",
             "Q：您平时主要用哪些业务？", "A：手机和宽带都用。", "Q：有没有不满意的地方？", "A：账单多扣了三十块。"]
    tr = parse_transcript(lines, tmp_path / "iv.txt")
    assert [(t.speaker, t.role) for t in tr.turns] == [("Q", "moderator"), ("A", "participant")] * 2
    assert tr.meta["moderator"] == "周敏" and tr.meta["date"] == "2026-10-20"
    assert tr.meta["participants"] == ["赵先生（个体户，45岁）"]


def test_interview_role_words_that_label_turns_stay_turns(tmp_path):
    lines = ["访谈员：您好，请问您平时用哪些业务？", "受访者：手机和宽带，还有个电视。", "访谈员：满意吗？",
             "受访者：宽带太慢了，晚上基本用不了。"]
    tr = parse_transcript(lines, tmp_path / "iv.txt")
    assert [(t.speaker, t.role) for t in tr.turns] == [("访谈员", "moderator"), ("受访者", "participant")] * 2
    assert tr.turns[1].text == "手机和宽带，还有个电视。"


def test_crosstalk_is_a_turn_of_its_own_not_the_previous_speakers():
    """QA: ``众人：是的`` and ``赵阿姨/张女士：人太多了`` were appended to the previous speaker's turn,
    so 李先生 was quoted saying what the whole room said."""
    lines = ["主持人：营业厅怎么样？", "张女士：排队太久。", "李先生：对，我上次排了一个小时。", "众人：是的，太久了。",
             "赵阿姨/张女士：（同时）人太多了！", "李先生：叫号机也老坏。"]
    tr = parse_transcript(lines, Path("x.txt"))
    assert [t.speaker for t in tr.turns] == ["主持人", "张女士", "李先生", "众人", "赵阿姨/张女士", "李先生"]
    assert tr.turns[2].text == "对，我上次排了一个小时。"
    assert {t.role for t in tr.turns[1:]} == {"participant"}
    assert remove_stage_directions("（同时）人太多了！") == "人太多了！"
    assert remove_stage_directions("（同时办的宽带）") == "（同时办的宽带）"


_MACHINE = ("说话人1 00:00:03\n大家好，今天聊聊宽带。哪位先说？\n说话人2 00:00:15\n我家宽带晚上老是断线。\n打客服也没用。\n"
            "说话人3 00:00:40\n我们小区也是，一直不稳定。\n说话人1 00:01:02\n维修师傅来得及时吗？\n"
            "说话人2 00:01:10\n第二天就来了，但是修完又坏了。\n")


@pytest.mark.parametrize("text", [
    _MACHINE,
    _MACHINE.replace("说话人", "发言人").replace(" 00:", "  00:"),                      # 发言人1  00:00:03
    _MACHINE.replace("说话人1 00:00:03", "说话人 1 00:03").replace("说话人2 00:00:15", "说话人 2 00:15"),
    "\n".join(f"[{ln.split()[1]}] {ln.split()[0]}" if ln.startswith("说话人") else ln for ln in _MACHINE.splitlines()),
])
def test_machine_transcription_export_speaker_line_then_words(tmp_path, text):
    """QA: the export of machine transcription services (``说话人1 00:00:03`` on its own line, the words
    below) was not taken for a transcript: the speaker lines became statements of a "ticket file"."""
    from voiceofcustomer.text.split import detect_kind

    path = tmp_path / "asr.txt"
    path.write_text(text, encoding="utf-8")
    assert detect_kind(path) == "transcript"
    tr = read_transcript(path, moderators=["说话人1", "发言人1"])
    assert [t.speaker[-1] for t in tr.turns] == ["1", "2", "3", "1", "2"]
    assert [t.role for t in tr.turns] == ["moderator", "participant", "participant", "moderator", "participant"]
    assert tr.turns[1].text.replace("\n", "") == "我家宽带晚上老是断线。打客服也没用。"
    assert not any(":" in t.text for t in tr.turns)


_DOCX_TURNS = [("郑洁", "各位好，先谈谈专线的稳定性吧？"), ("钱经理", "专线上个月断了两次，仓库发货全停了。"),
               ("吴总", "门店宽带倒是稳定，就是报装太慢。"), ("郑洁", "客户经理的服务怎么样？"),
               ("钱经理", "客户经理换了三个，都不熟悉我们。")]


def _docx_with(path, body):
    import docx

    d = docx.Document()
    d.add_paragraph("主持人：郑洁")
    d.add_paragraph("参与者：钱经理（物流公司IT主管）、吴总")
    body(d)
    d.add_paragraph("（座谈会结束）")
    d.save(path)
    return read_transcript(path)


def _bold_name_then_words(d):
    for who, words in _DOCX_TURNS:
        p = d.add_paragraph()
        p.add_run(who).bold = True
        p.add_run("  " + words)


def _bold_name_own_paragraph(d):
    for who, words in _DOCX_TURNS:
        d.add_paragraph().add_run(who).bold = True
        d.add_paragraph(words)


def _table_time_speaker_words(d):
    t = d.add_table(rows=1, cols=3)
    for cell, title in zip(t.rows[0].cells, ("时间", "发言人", "内容")):
        cell.text = title
    for i, (who, words) in enumerate(_DOCX_TURNS):
        cells = t.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = f"00:0{i}:10", who, words


def _table_speaker_words(d):
    t = d.add_table(rows=0, cols=2)
    for who, words in _DOCX_TURNS:
        cells = t.add_row().cells
        cells[0].text, cells[1].text = who, words


@pytest.mark.parametrize("body", [_bold_name_then_words, _bold_name_own_paragraph, _table_time_speaker_words,
                                  _table_speaker_words])
def test_docx_speakers_in_bold_or_in_a_table(tmp_path, body):
    """QA: a .docx with the speaker's name in bold (no colon, or alone in its paragraph) or with the
    turns in a table had no turns found; a two-column table was read bottom-up, before the header, and
    its moderator turns were attributed to participants."""
    tr = _docx_with(tmp_path / "fg.docx", body)
    assert [(t.speaker, remove_stage_directions(t.text.replace("\n", ""))) for t in tr.turns] == _DOCX_TURNS
    assert [t.role for t in tr.turns] == ["moderator", "participant", "participant", "moderator", "participant"]
    assert tr.meta["moderator"] == "郑洁"


def test_old_word_doc_gets_a_one_line_error_saying_what_to_do(tmp_path):
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    doc = tmp_path / "fg.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    for cmd in (["split", str(doc), "-o", str(tmp_path / "st.csv")], ["analyze", str(doc), "-o", str(tmp_path / "r")]):
        res = CliRunner().invoke(main, cmd)
        assert res.exit_code == 2 and "Traceback" not in res.output
        msg = res.stderr.strip()
        assert len(msg.splitlines()) == 1 and str(doc) in msg and "save it as .docx" in msg
    assert not (tmp_path / "st.csv").exists() and not (tmp_path / "r").exists()


@pytest.mark.parametrize("mod", ["主持人王敏", "主持人1", "王敏（主持人）", "主持人 [00:00:05]"])
def test_moderator_named_with_the_role_is_the_moderator(mod):
    """QA: ``主持人王敏：…`` / ``王敏（主持人）：…`` / ``主持人1：…`` were not taken for turns: the first
    question went to the preamble (lost), the next ones into the previous participant's turn, where
    they counted as a customer's statements; a time after the name (``张女士 [00:00:15]：``) was not read."""
    lines = [f"{mod}：各位好，先说说宽带？", "张女士 [00:00:15]：晚上老掉线。", "李先生：信号不好。",
             f"{mod}：营业厅呢？", "张女士：排队久。", "李先生：主持人说：这个要记下来。"]
    tr = parse_transcript(lines, Path("x.txt"))
    assert [(t.role, t.text) for t in tr.turns] == [
        ("moderator", "各位好，先说说宽带？"), ("participant", "晚上老掉线。"), ("participant", "信号不好。"),
        ("moderator", "营业厅呢？"), ("participant", "排队久。"), ("participant", "主持人说：这个要记下来。")]
    assert "preamble" not in tr.meta and "participants" not in tr.meta


def test_full_names_that_start_several_lines_are_speakers_without_a_header(tmp_path):
    """QA: a transcript whose speakers are full names (王建国：…, 李秀英：…) and which has no header
    listing them was taken for a ticket file: every line a "ticket", the names inside the texts."""
    from voiceofcustomer.text.split import detect_kind

    path = tmp_path / "fg.txt"
    path.write_text("王建国：大家好，今天聊聊宽带吧？\n李秀英：我家宽带晚上老掉线。\n欧阳娜娜：我们小区信号也不好。\n"
                    "王建国：那营业厅呢？\n李秀英：排队太久了。\n周末：营业厅人更多。\n欧阳娜娜：态度还可以。\n",
                    encoding="utf-8")
    assert detect_kind(path) == "transcript"
    tr = read_transcript(path, moderators=["王建国"])
    assert [t.speaker for t in tr.turns] == ["王建国", "李秀英", "欧阳娜娜", "王建国", "李秀英", "欧阳娜娜"]
    assert tr.turns[4].text == "排队太久了。\n周末：营业厅人更多。"  # a name-shaped word once is no speaker
    assert [t.role for t in tr.turns].count("moderator") == 2


def test_a_full_name_missing_from_the_header_who_speaks_once_is_a_turn_of_its_own(data_dir):
    """QA: 周志强, not in the header's 参与者, says one thing (周志强：我补充一句…): the line was
    joined to 李秀英's turn, so his words were counted as hers. A full name (and 欧阳娜娜 with an
    attribute) starting a line is a turn when the transcript's speakers are full names too."""
    tr = read_transcript(data_dir / "transcript_once_speaker.txt")
    assert [t.speaker for t in tr.turns] == ["王敏", "王建国", "李秀英", "周志强", "王敏", "王建国", "欧阳娜娜",
                                            "李秀英", "王敏"]
    assert tr.turns[2].text == "我家还行，就是装机等了一个星期。"
    assert tr.turns[3].text.startswith("我补充一句") and tr.turns[3].role == "participant"
    assert "欧阳娜娜（大学生）" in tr.meta["participants"]


def test_a_colon_in_ordinary_sentences_stays_in_the_turn(data_dir):
    """The other side of the rule above: a header word (时间：), a word that starts like a name
    (周末：, 高峰期：), a quote's lead-in (王敏说：) or a sentence with a colon starts no turn."""
    tr = read_transcript(data_dir / "transcript_colon_sentences.txt")
    assert [t.speaker for t in tr.turns] == ["王敏", "张女士", "李先生", "王敏"]
    assert tr.turns[1].text.splitlines()[1:] == ["时间：上周六上午，排了一个多小时。", "周末：人更多，根本没地方坐。"]
    assert tr.turns[2].text.splitlines() == ["我就说了一句：你们能不能多开一个窗口。", "王敏说：这个要记下来。",
                                             "高峰期：晚上七点到九点，网速慢得不行。"]


def test_minutes_header_fields_named_as_many_minutes_name_them(data_dir):
    """QA: a header of 会议时间、会议地点、记录员、参会人、用户类别 (the words of many minutes) ended
    at the first unknown word: 主持人：周敏 became a turn holding 记录员, 参会人 and 用户类别, every question
    of 周敏 was a participant's statement, and the session had no city, group or attributes."""
    tr = read_transcript(data_dir / "transcript_minutes_header.txt")
    assert tr.meta["moderator"] == "周敏" and tr.meta["city"] == "南京" and tr.meta["group"] == "public"
    assert tr.meta["date"] == "2026年11月3日上午9:30" and tr.meta["recorder"] == "林晓"
    assert speaker_attributes(tr.meta)["林先生"] == "出租车司机，42岁"
    assert [(t.speaker, t.role) for t in tr.turns] == [
        ("周敏", "moderator"), ("何同学", "participant"), ("黄阿姨", "participant"), ("周敏", "moderator"),
        ("林先生", "participant")]


def test_a_header_moderator_who_speaks_further_down_is_named_whatever_line_follows():
    """主持人：周敏 followed by a header line of a word voc does not know (备注：…) names the moderator
    when 周敏 starts turns below; it was taken for her first turn, and her questions for a participant's."""
    lines = ["主持人：周敏", "备注：录音已征得同意", "", "周敏：大家觉得套餐合适吗？", "黄阿姨：太复杂了。"]
    tr = parse_transcript(lines, Path("x.txt"))
    assert tr.meta["moderator"] == "周敏"
    assert [(t.speaker, t.role, t.text) for t in tr.turns] == [("周敏", "moderator", "大家觉得套餐合适吗？"),
                                                              ("黄阿姨", "participant", "太复杂了。")]


def test_section_headings_are_no_ones_words_and_name_the_turns_below(data_dir, tmp_path):
    """QA: a transcript whose moderator walks through the guide's areas marks each with a heading
    (一、业务需求, （二）服务信息, 第三部分 服务渠道, 话题四：服务功效, 1. 服务标准, 服务提供). Each heading
    was read as the last line of the previous speaker's turn: counted and labelled as words a
    participant said (a theme of its own was made of them), and the area it names was lost. Now the
    turns below a heading carry it in ``section``; a participant's numbered list stays in the turn."""
    from voiceofcustomer.text.split import split_inputs

    tr = read_transcript(data_dir / "transcript_sections.txt")
    texts = "\n".join(t.text for t in tr.turns)
    for heading in ("业务需求", "服务信息", "服务渠道", "服务功效", "服务标准", "服务提供"):
        assert heading not in texts
    by_turn = {(t.speaker, t.text.splitlines()[0]): t.section for t in tr.turns}
    assert by_turn[("王先生", "好的。")] == ""
    assert by_turn[("刘总", "司机的副卡流量不够，每个月月底就停了。")] == "业务需求"
    assert by_turn[("陈女士", "基本靠客户经理发微信，资费调整也没有书面通知。")] == "服务信息"
    assert by_turn[("刘总", "找客户经理，政企热线转了三个部门。")] == "服务渠道"
    assert by_turn[("陈女士", "变更法人材料交了三次。")] == "服务功效"
    assert by_turn[("刘总", "合同写四小时到场，上次等了一整天。")] == "服务标准"
    assert by_turn[("王先生", "装维师傅很专业。")] == "服务提供"
    # lists in a participant's words are his words, under the section he speaks in
    wang = [t for t in tr.turns if t.speaker == "王先生" and t.text.startswith("我说两点")][0]
    assert wang.text.splitlines() == ["我说两点：", "一、云存储用不上", "二、通话时长不够"]
    chen = [t for t in tr.turns if t.text.startswith("我补充三点意见")][0]
    assert chen.text.splitlines() == ["我补充三点意见", "1、报修要当天回复", "2、账单要准"]
    df = pd.concat(split_inputs([data_dir / "transcript_sections.txt"]), ignore_index=True)
    assert "section" in df.columns and not df["text"].isin(["一、业务需求", "（二）服务信息", "服务提供"]).any()
    assert df.loc[df["text"] == "装维师傅很专业。", "section"].tolist() == ["服务提供"]


def test_participants_listed_one_per_line_below_the_key_keep_their_attributes(tmp_path):
    """QA: minutes list the participants below 参与者： one per line (1. 王先生（个体户，40岁）), and a Word
    header table holds them on lines of one cell. Those lines were read as preamble: every participant but
    the one on the key's own line lost the attributes the report quotes them with."""
    import docx

    lines = ["座谈会名称：对公用户座谈会", "主持人：李雯", "参与者：", "1. 王先生（个体户，40岁）",
             "2. 刘总（物流公司经理，45岁）", "（3）陈女士（行政，35岁）、赵经理", "客户群：对公用户", "",
             "李雯：各位公司现在的套餐够不够用？", "刘总：司机的副卡流量不够。", "赵经理：我们还行。"]
    tr = parse_transcript(lines, Path("x.txt"))
    assert speaker_attributes(tr.meta) == {"王先生": "个体户，40岁", "刘总": "物流公司经理，45岁", "陈女士": "行政，35岁"}
    assert "赵经理" in tr.meta["participants"] and not tr.meta.get("preamble") and tr.meta["group"] == "business"
    assert [t.speaker for t in tr.turns] == ["李雯", "刘总", "赵经理"]

    d = docx.Document()
    table = d.add_table(rows=0, cols=2)
    for key, value in [("主持人", "李雯"), ("参与者", "王先生（个体户，40岁）\n刘总（物流公司经理，45岁）"), ("客户类型", "对公用户")]:
        row = table.add_row().cells
        row[0].text, row[1].text = key, value
    d.add_paragraph("李雯：各位公司现在的套餐够不够用？")
    d.add_paragraph("刘总：司机的副卡流量不够。")
    d.save(tmp_path / "fg.docx")
    tr = read_transcript(tmp_path / "fg.docx")
    assert speaker_attributes(tr.meta) == {"王先生": "个体户，40岁", "刘总": "物流公司经理，45岁"}
    assert tr.meta["group"] == "business"


def test_a_title_or_sentence_after_the_participants_is_not_a_participant():
    lines = ["参与者：王先生、刘总", "公众用户服务需求座谈会纪要", "本次座谈会共邀请三位用户。", "",
             "主持人：大家好。", "王先生：宽带老掉线。", "刘总：专线太贵。"]
    tr = parse_transcript(lines, Path("x.txt"))
    assert tr.meta["participants"] == ["王先生", "刘总"]
    assert tr.meta["preamble"] == ["公众用户服务需求座谈会纪要", "本次座谈会共邀请三位用户。"]


def test_a_docx_paragraph_in_a_heading_style_is_the_section_of_the_turns_below(tmp_path):
    """QA: a heading that is neither numbered nor an area's name (关于网络质量) but set in Word's Heading
    style was joined to the previous speaker's turn; the style says what it is. A heading-styled title
    above the header stays out of the sections."""
    import docx

    d = docx.Document()
    d.add_heading("对公用户座谈会记录", level=1)
    d.add_paragraph("主持人：李雯")
    d.add_paragraph("参与者：王先生、刘总")
    d.add_paragraph("李雯：先聊聊套餐。")
    d.add_paragraph("王先生：太贵了。")
    d.add_heading("关于网络质量", level=2)
    d.add_paragraph("李雯：网络怎么样？")
    d.add_paragraph("刘总：晚上卡。")
    d.save(tmp_path / "fg.docx")
    tr = read_transcript(tmp_path / "fg.docx")
    assert [(t.speaker, t.text, t.section) for t in tr.turns] == [
        ("李雯", "先聊聊套餐。", ""), ("王先生", "太贵了。", ""), ("李雯", "网络怎么样？", "关于网络质量"),
        ("刘总", "晚上卡。", "关于网络质量")]
    assert tr.meta["preamble"] == ["对公用户座谈会记录"]


def test_a_time_said_at_the_start_of_a_continued_line_is_kept():
    """QA: a line of a turn that opened on a time lost it ("9:30：人最多。" came out as "：人最多。");
    a recording's timestamp before the words still goes."""
    lines = ["主持人：营业厅什么时候人最多？", "张女士：周末吧，", "9:30：人最多。", "10:00 ：也多。", "[00:12:31] 下午好点。",
             "李先生：我同意。"]
    turns = parse_transcript(lines, Path("x.txt")).turns
    assert [t.speaker for t in turns] == ["主持人", "张女士", "李先生"]
    assert turns[1].text == "周末吧，\n9:30：人最多。\n10:00 ：也多。\n下午好点。"


@pytest.mark.parametrize("label", ["Host", "Interviewer", "Facilitator", "Moderator"])
def test_a_moderator_labelled_in_english_asks_and_a_header_in_english_names_her(label):
    """QA: Host：/Interviewer： turns were joined to the participant's turn before them (the first one,
    above every turn, was lost to the header's preamble) and Facilitator： was an unlisted participant;
    a header's Moderator：王敏 or Participants：… was not read (the key was over 8 characters)."""
    turns = parse_transcript([f"{label}：大家说说宽带吧。", "张女士：晚上老掉线。", f"{label}：还有呢？", "李先生：信号不好。"],
                             Path("x.txt")).turns
    assert [(t.speaker, t.role) for t in turns] == [(label, "moderator"), ("张女士", "participant"),
                                                    (label, "moderator"), ("李先生", "participant")]
    assert turns[1].text == "晚上老掉线。"
    tr = parse_transcript([f"{label}：王敏", "Participants：张女士、李先生", "", "王敏：大家说说宽带吧。",
                           "张女士：晚上老掉线。"], Path("x.txt"))
    assert tr.meta["moderator"] == "王敏" and tr.meta["participants"] == ["张女士", "李先生"]
    assert [(t.speaker, t.role) for t in tr.turns] == [("王敏", "moderator"), ("张女士", "participant")]


def test_a_transcript_whose_turns_run_over_many_lines_is_a_transcript(data_dir, tmp_path):
    """A focus group of four turns over seventeen lines was read as 21 tickets, its header lines among them
    ('主持人：王敏' a complaint), because fewer than 30 % of its lines start a turn; a header that names the
    moderator or participants who then speak says it is a transcript (found in a transcript QA pass)."""
    from voiceofcustomer.text.split import detect_kind, split_inputs

    path = data_dir / "transcript_latin_colon_lines.txt"
    assert detect_kind(path, None) == "transcript"
    rows = pd.concat(split_inputs([path]), ignore_index=True)
    assert rows["speaker"].unique().tolist() == ["王敏", "张女士", "李先生"] and not rows["text"].str.startswith("主持人").any()
    body = ["参与者：张女士、李先生", "", "主持人：大家好，先说说网络。", "张女士：我家宽带",
            *[f"第{i}件事是晚上老掉线" for i in range(8)], "李先生：我这边信号还行，", *[f"就是第{i}个营业厅排队久" for i in range(8)],
            "张女士：就这些。"]
    assert looks_like_transcript(body)
    # without a header, lines that mostly start no turn are still tickets
    assert not looks_like_transcript(body[2:])


def test_a_focus_groups_header_above_lines_that_start_no_turn_is_refused_not_read_as_tickets(tmp_path):
    """A .txt with a focus group's header whose turns no rule reads (here: '王女士说' lines) was read as tickets,
    one per line, the header's '主持人：林静' among the complaints, with no word said (found in a transcript QA
    pass); now it stops in one line that says what to check, and --kind tickets reads it as tickets."""
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main
    from voiceofcustomer.text.split import detect_kind

    path = tmp_path / "fg.txt"
    path.write_text("座谈会名称：宽带用户座谈会\n城市：南宁\n主持人：林静\n\n林静问大家网速怎么样。\n王女士说晚上特别慢。\n"
                    "陈先生说营业厅排队太久。\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"fg\.txt: has a focus group's header \(座谈会名称、城市、主持人\) but no speaker "
                                         r"turns were found .* kind='tickets'"):
        detect_kind(path)
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1 and "--kind tickets" in res.output
    assert not (tmp_path / "s.csv").exists()
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(tmp_path / "s.csv"), "--kind", "tickets", "-q"])
    assert res.exit_code == 0 and len(pd.read_csv(tmp_path / "s.csv")) == 6
    # tickets whose first line has a colon stay tickets
    path.write_text("时间：上周六，营业厅排队两个小时。\n地点：万达营业厅，没人管。\n宽带又断了。\n", encoding="utf-8")
    assert detect_kind(path) == "tickets"


def test_a_header_under_a_title_line_above_lines_that_start_no_turn_is_refused_not_read_as_tickets(tmp_path):
    """A .txt titled 2026年11月 用户座谈会（南京） above 主持人：王敏 / 参与者：… and prose with no turns was read as 5
    tickets, the title and the header lines among the complaints (found following the README as a new user): the
    title line a transcript may have hid the header; now it stops as a header on the first line does."""
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main
    from voiceofcustomer.text.split import detect_kind

    path = tmp_path / "fg.txt"
    path.write_text("2026年11月 用户座谈会（南京）\n主持人：王敏\n参与者：李先生、赵女士\n\n今天大家谈谈宽带。\n"
                    "宽带老掉线。\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"fg\.txt: has a focus group's header \(主持人、参与者\) but no speaker turns"):
        detect_kind(path)
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1 and "--kind tickets" in res.output
    assert not (tmp_path / "s.csv").exists()
    # a title above a header above turns is a transcript, as before; a title above tickets stays tickets
    path.write_text("2026年11月 用户座谈会（南京）\n主持人：王敏\n参与者：李先生、赵女士\n\n王敏：大家说说宽带吧。\n"
                    "李先生：晚上老掉线。\n赵女士：信号也不好。\n", encoding="utf-8")
    assert detect_kind(path) == "transcript"
    path.write_text("十一月投诉汇总\n宽带又断了。\n营业厅排队两个小时。\n", encoding="utf-8")
    assert detect_kind(path) == "tickets"


@pytest.mark.parametrize("name, content", [("empty.txt", b""), ("blank.txt", b"\n  \r\n"), ("empty.docx", b""),
                                           ("no_text.docx", None)])
def test_an_empty_transcript_is_saved_again_not_exported(tmp_path, name, content):
    """QA: an empty transcript was told 'export the data again', the advice for a ticket export; a transcript is
    typed or saved from Word or a transcription service, and a Word file without text was told nothing to do."""
    import docx

    from voiceofcustomer.text.split import detect_kind

    path = tmp_path / name
    if content is None:
        docx.Document().save(path)
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_transcript(path)
    assert str(err.value).startswith(f"{path}: ") and "\n" not in str(err.value)
    assert "export" not in str(err.value) and str(err.value).endswith(
        "save the transcript again (from Word or the transcription service) or give the file that holds it")
    if path.suffix == ".txt":  # not yet known to be a transcript: either
        with pytest.raises(InputError, match="save it again or give the file that holds the transcript or tickets$"):
            detect_kind(path)
