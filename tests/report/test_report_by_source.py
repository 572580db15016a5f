"""The report of transcripts and split tickets together sets the focus groups beside the tickets (voc analyze
fg.docx tickets.xlsx): a researcher compares what participants said with what customers called about, not
one pooled count; the focus groups in statements, the tickets in tickets."""
import json
import re
from pathlib import Path

import pandas as pd

from voiceofcustomer.freq.tables import frequencies
from voiceofcustomer.report.page import build_report

#: a focus group (3 participants: 2 billing, 1 signal; a moderator) and 4 split tickets (TK1: 3 billing
#: statements, TK2 billing, TK3 signal, TK4 broadband)
MIXED = Path(__file__).resolve().parents[1] / "data" / "tagged_focus_group_and_split_tickets.csv"


def test_report_sets_focus_groups_beside_tickets(tmp_path):
    df = pd.read_csv(MIXED, dtype=str, keep_default_na=False)
    freq = frequencies(df, date_col="受理时间")
    page = build_report(df, tmp_path / "index.html", freq=freq, date_col="受理时间").read_text(encoding="utf-8")
    section = re.search(r"<section id='by-source'>(.*?)</section>", page, flags=re.S).group(1)
    assert "<th>座谈会陈述数</th><th>座谈会占比（按陈述）</th><th>工单数</th><th>工单占比（按工单）</th>" in section
    billing = re.search(r"<tr><td>计费资费</td>.*?</tr>", section).group(0)
    assert re.sub(r"<[^>]+>", "", billing) == "计费资费2 条陈述66.7%2 张工单50.0%"
    cells = json.loads(re.search(r"<script[^>]*id=.voc-data.[^>]*>(.*?)</script>", page, flags=re.S).group(1))["cells"]
    assert len(cells["k|issue|billing|focus_group"]) == 2 and len(cells["k|issue|billing|ticket"]) == 4
    # a ticket export alone has no such section
    alone = df[df["ticket_id"] != ""]
    page = build_report(alone, tmp_path / "alone.html", freq=frequencies(alone)).read_text(encoding="utf-8")
    assert "id='by-source'" not in page


DATA = Path(__file__).resolve().parents[1] / "data"


def _section(df, path):
    page = build_report(df, path, freq=frequencies(df)).read_text(encoding="utf-8")
    section = re.search(r"<section id='by-source'>(.*?)</section>", page, flags=re.S).group(1)
    cells = json.loads(re.search(r"<script[^>]*id=.voc-data.[^>]*>(.*?)</script>", page, flags=re.S).group(1))["cells"]
    return page, section, cells


def test_report_shows_other_texts_beside_focus_groups_and_tickets(tmp_path):
    """A survey's open answers beside a focus group and tickets are 其他文本, as voc freq's charts show them: the
    report's 按来源 had 座谈会 and 工单 only, and its 座谈会 links listed the survey's answers too (网络信号 · 座谈会
    said 1 and listed 2). Fixture: a focus group's 2 (billing, signal), a survey's 3 (attitude, signal, handling),
    tickets TK1 (2 billing) and TK3 (signal)."""
    df = pd.read_csv(DATA / "tagged_tickets_focus_group_and_survey.csv", dtype=str, keep_default_na=False)
    page, section, cells = _section(df, tmp_path / "index.html")
    assert "<h2>按来源（座谈会 / 工单 / 其他文本）</h2>" in section
    assert ("<th>座谈会陈述数</th><th>座谈会占比（按陈述）</th><th>工单数</th><th>工单占比（按工单）</th>"
            "<th>其他文本陈述数</th><th>其他文本占比（按陈述）</th>") in section
    signal = re.search(r"<tr><td>网络信号</td>.*?</tr>", section).group(0)
    assert re.sub(r"<[^>]+>", "", signal) == "网络信号1 条陈述50.0%1 张工单50.0%1 条陈述33.3%"
    assert [len(cells[f"k|issue|signal|{k}"]) for k in ("focus_group", "ticket", "other")] == [1, 1, 1]
    assert len(cells["k|issue|attitude|other"]) == 1 and not cells["k|issue|attitude|focus_group"]
    assert ">座谈会 / 工单 / 其他文本</a>" in page  # the page's navigation names the three


def test_report_of_tickets_and_a_survey_has_no_focus_group_column(tmp_path):
    """voc split of a survey and of tickets, tagged: no focus group, so no 座谈会 column of zeros (the report had
    one, and no column for the survey's 3 answers)."""
    df = pd.read_csv(DATA / "tagged_split_tickets_and_survey.csv", dtype=str, keep_default_na=False)
    _page, section, cells = _section(df, tmp_path / "index.html")
    assert "<h2>按来源（工单 / 其他文本）</h2>" in section
    assert "座谈会" not in section
    billing = re.search(r"<tr><td>计费资费</td>.*?</tr>", section).group(0)
    assert re.sub(r"<[^>]+>", "", billing) == "计费资费1 张工单50.0%1 条陈述33.3%"
    assert not any(k.endswith("|focus_group") for k in cells)
