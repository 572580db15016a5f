"""A focus group's turns kept in a spreadsheet or CSV, one turn a row under a title row (序号 | 发言人 | 发言内容 |
备注), is a transcript: speakers, their attributes and the moderator's role are kept, as in a Word table of turns.
Before 7 Dec 2026 such a sheet was read as tickets: no speaker, the moderator's questions counted as customers'
statements, every attribute lost (or, with --kind transcript, 'transcripts must be .txt or .docx')."""

import csv
from pathlib import Path

import openpyxl
import pytest

from voiceofcustomer.errors import InputError
from voiceofcustomer.io.transcript import read_transcript
from voiceofcustomer.text.split import detect_kind, split_inputs

DATA = Path(__file__).parent.parent / "data" / "focus_group_turns.csv"


def _xlsx(path, rows, title="发言记录"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def _rows():
    with open(DATA, encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_a_workbook_of_turns_is_a_transcript_with_speakers_and_attributes(tmp_path):
    path = _xlsx(tmp_path / "fg3.xlsx", _rows())
    assert detect_kind(path) == "transcript"
    df = next(split_inputs([path]))
    said = df[["speaker", "speaker_attrs", "role", "text"]].values.tolist()
    assert said[0] == ["主持人", "", "moderator", "大家好，请先简单介绍一下自己。"]
    assert ["周大爷", "退休工人，68岁", "participant", "营业厅只有一个窗口开着，我等了快一个小时。"] in said
    # a row without a speaker goes on with the turn above; the 备注 column is no one's words
    qiu = df[(df.speaker == "邱女士") & (df.text.str.contains("营业厅|周末"))]
    assert qiu.text.tolist() == ["营业厅九点半才开门，我上班前去不了。", "周末也不开门，很不方便。"]
    assert qiu.turn.nunique() == 1
    assert not df.text.str.contains("语速快").any()
    assert set(df[df.role == "moderator"].speaker) == {"主持人"}
    asked = df.turn[df.text == "家里的手机信号呢？"].tolist()
    assert df.prompt_turn[df.text.str.startswith("我家卧室")].tolist() == asked


def test_a_csv_of_turns_is_a_transcript(tmp_path):
    assert detect_kind(DATA) == "transcript"
    tr = read_transcript(DATA)
    assert [(t.speaker, t.role) for t in tr.turns][:3] == [("主持人", "moderator"), ("周大爷", "participant"),
                                                          ("邱女士", "participant")]
    assert len(tr.turns) == 8


def test_a_named_sheet_of_a_workbook_is_read(tmp_path):
    path = _xlsx(tmp_path / "two.xlsx", _rows(), title="第三场")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("说明").append(["本表为座谈会记录"])
    wb.save(path)
    assert detect_kind(path, sheet="第三场") == "transcript"
    df = next(split_inputs([f"{path}:第三场"]))
    assert "周大爷" in set(df.speaker)


def test_a_ticket_sheet_of_one_customer_a_row_stays_tickets(tmp_path):
    """姓名 | 内容 of customers who each wrote once is a ticket export, not a focus group."""
    path = _xlsx(tmp_path / "t.xlsx", [("序号", "姓名", "内容"), (1, "张三", "宽带断网三天了。"),
                                       (2, "李四", "话费多扣了二十元。"), (3, "王五", "营业厅排队太久。")])
    assert detect_kind(path) == "tickets"
    df = next(split_inputs([path]))
    assert len(df) == 3 and df.role.eq("").all() | df.role.isna().all()


def test_a_sheet_without_turn_columns_given_as_a_transcript_says_what_to_do(tmp_path):
    path = _xlsx(tmp_path / "x.xlsx", [("工单编号", "投诉内容"), ("A1", "宽带断网三天了。")])
    with pytest.raises(InputError, match=r"x\.xlsx: is no table of turns: its first row should name .*发言人"):
        next(split_inputs([path], kind="transcript"))


# A sheet of turns names its focus group's customer group as a researcher writes it: in rows above the title row
# (客户群：公众用户, or 客户群 | 公众用户, as a .txt's header) or in a 客户群 column. Before 7 Dec 2026 such rows made the
# sheet no table of turns (read as tickets: every turn a customer's row), a 客户群 column did the same, and a sheet
# naming no group gave statements of no group without a word; now voc split says so in one line and how to give it.

_TURNS = [("序号", "发言人", "发言内容"), (1, "主持人（马丽）", "大家觉得网速怎么样？"), (2, "张女士（退休教师）", "晚上看电视经常卡。"),
          (3, "李先生", "地下车库没信号。"), (4, "主持人（马丽）", "营业厅呢？"), (5, "张女士（退休教师）", "排队太久。"),
          (6, "李先生", "态度还行。")]


@pytest.mark.parametrize("head", [
    [("武昌公众用户座谈会记录",), ("客户群：公众用户",), ("城市", "武汉")],
    [("武昌公众用户座谈会记录",), ("客户群", "公众用户"), ("城市：武汉",), ()],  # an empty row before the titles
])
def test_rows_above_the_title_row_are_the_sessions_header(tmp_path, head):
    path = _xlsx(tmp_path / "fg.xlsx", [*head, *_TURNS])
    assert detect_kind(path) == "transcript"
    tr = read_transcript(path)
    assert (tr.meta["group"], tr.meta["city"], tr.meta["title"]) == ("public", "武汉", "武昌公众用户座谈会记录")
    assert [(t.speaker, t.role) for t in tr.turns][:3] == [("马丽", "moderator"), ("张女士", "participant"),
                                                          ("李先生", "participant")]
    assert "preamble" not in tr.meta


def test_a_group_column_of_one_value_is_the_sessions_group(tmp_path):
    rows = [(*r[:1], "客户群" if i == 0 else "对公用户", *r[1:]) for i, r in enumerate(_TURNS)]
    path = _xlsx(tmp_path / "fg.xlsx", rows)
    assert detect_kind(path) == "transcript"
    df = next(split_inputs([path]))
    assert set(df["group"]) == {"business"}
    assert not df["text"].str.contains("对公用户").any()


def test_a_row_above_the_titles_that_is_no_header_leaves_the_sheet_tickets(tmp_path):
    path = _xlsx(tmp_path / "t.xlsx", [("宽带断网三天了，一直没人修。",), *_TURNS])
    assert detect_kind(path) == "tickets"


# a sheet naming no group is noted in one line: tests/cli/test_no_group_note.py, as a .txt or .docx is
