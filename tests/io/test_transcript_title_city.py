"""A transcript whose title alone names its city (``2026年11月 宽带用户座谈会（杭州）``, no 城市 line): its statements
are that city's, marked ``city_from_title`` for the note — before, every statement's city was empty, and ``--by city``
and the report's city comparisons lost the session without a word. A header's 城市, ``--city`` and 地点 win."""

import docx
import pytest

from voiceofcustomer.io.transcript import parse_transcript, read_transcript
from voiceofcustomer.text.split import SplitSummary, split_inputs

TURNS = ["主持人：大家觉得家里宽带稳定吗？", "孙女士：晚上看电视老是卡顿。", "周先生：我家还行，就是装机等了一个礼拜。"]


def test_the_title_line_of_a_txt_names_the_city(data_dir):
    path = data_dir / "focus_group_city_in_title.txt"
    tr = read_transcript(path)
    assert tr.meta["title"] == "2026年11月 宽带用户座谈会（杭州）"
    assert tr.meta["city"] == "杭州" and tr.meta["city_from_title"] is True
    summary = SplitSummary()
    st = next(split_inputs([path], summary=summary))
    assert set(st["city"]) == {"杭州"} and summary.city_from_title == [(str(path), "杭州")]


@pytest.mark.parametrize("header", [["座谈会名称：政企客户座谈会 · 天津"], ["主题：武汉公众用户座谈会"]])
def test_the_headers_title_line_names_the_city(tmp_path, header):
    tr = parse_transcript(header + ["主持人：马丽"] + TURNS, tmp_path / "fg.txt")
    assert tr.meta["city"] in ("天津", "武汉") and tr.meta["city_from_title"]


def test_a_docx_heading_names_the_city(tmp_path):
    d = docx.Document()
    d.add_heading("杭州市萧山区宽带用户座谈会", level=1)
    for line in TURNS:
        d.add_paragraph(line)
    d.save(tmp_path / "fg.docx")
    tr = read_transcript(tmp_path / "fg.docx")
    assert tr.meta["city"] == "杭州" and tr.meta["city_from_title"]


@pytest.mark.parametrize("header, given, city", [
    (["城市：宁波"], None, "宁波"),  # the header's 城市 wins
    (["地点：宁波市海曙区营业厅二楼"], None, "宁波"),  # so does its 地点
    ([], "宁波", "宁波"),  # and --city
])
def test_what_names_the_city_otherwise_wins_over_the_title(tmp_path, header, given, city):
    lines = ["座谈会名称：宽带用户座谈会（杭州）", *header, "主持人：马丽", *TURNS]
    tr = parse_transcript(lines, tmp_path / "fg.txt", city=given)
    assert tr.meta["city"] == city and "city_from_title" not in tr.meta


@pytest.mark.parametrize("title", ["杭州、宁波两地宽带用户座谈会", "中山路营业厅用户座谈会", "2026年11月 城区宽带用户座谈会"])
def test_a_title_naming_two_cities_or_none_names_no_city(tmp_path, title):
    tr = parse_transcript([title, "主持人：马丽", *TURNS], tmp_path / "fg.txt")
    assert tr.meta["title"] == title and tr.meta.get("city", "") == "" and "city_from_title" not in tr.meta
