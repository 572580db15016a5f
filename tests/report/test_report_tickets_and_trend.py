"""The report of transcripts and split tickets together (voc analyze fg.docx tickets.xlsx): a share is of
statements, so the label tables give the tickets beside it (计费资费 6 条陈述 / 2 张工单); the trend counts the
tickets and says the focus group's statements apart; the trend chart has one tick a period."""
import json
import re
from pathlib import Path

import pandas as pd

from voiceofcustomer.freq.tables import frequencies
from voiceofcustomer.report.page import build_report

DATA = Path(__file__).resolve().parents[1] / "data"
#: a focus group of 2026-09-18 (3 participants: 2 billing, 1 signal) and 4 split tickets of October and
#: November (TK1: 3 billing sentences, TK2 billing, TK3 signal, TK4 broadband)
SPLIT = DATA / "tagged_focus_group_and_split_tickets.csv"


def _page(tmp_path, df=None, date_col="受理时间"):
    df = pd.read_csv(SPLIT, dtype=str, keep_default_na=False) if df is None else df
    freq = frequencies(df, date_col=date_col)
    return build_report(df, tmp_path / "index.html", freq=freq, date_col=date_col).read_text(encoding="utf-8")


def _section(page: str, anchor: str) -> str:
    return re.search(rf"<section id=['\"]{anchor}['\"]>(.*?)</section>", page, flags=re.S).group(1)


def _drill(page: str) -> dict:
    return json.loads(re.search(r"<script[^>]*id=.voc-data.[^>]*>(.*?)</script>", page, flags=re.S).group(1))


def test_a_share_shows_its_statements_and_tickets(tmp_path):
    page = _page(tmp_path)
    issue = _section(page, "freq-issue")
    assert "<th>陈述数</th><th>工单数</th><th>占比（按陈述）</th>" in issue
    billing = re.search(r"<tr><td>计费资费</td>.*?</tr>", issue).group(0)
    assert ">6</a> 条陈述</td><td class='n tickets'>2 张工单</td>" in billing
    assert "66.7%" in billing  # 6 of the 9 statements with an issue: a share of statements
    assert "一张工单拆成几句同类陈述就计几次" in issue
    overview = _section(page, "overview")
    assert "计入统计的陈述来自 4 张工单和座谈会" in overview


def test_a_table_without_tickets_has_no_tickets_column(tmp_path):
    df = pd.read_csv(SPLIT, dtype=str, keep_default_na=False).drop(columns=["ticket_id"])
    page = _page(tmp_path, df)
    assert "工单数" not in page and "张工单" not in page
    assert "<th>陈述数</th><th>占比</th>" in _section(page, "freq-issue")


def test_the_trend_counts_tickets_and_says_the_focus_group_apart(tmp_path):
    page = _page(tmp_path)
    trend = _section(page, "by-period")
    assert "时间趋势只计工单（按受理时间）：座谈会陈述 3 条不计入趋势" in trend
    assert "<tr><td>2026-09</td>" not in trend  # the session's month is no period of the trend
    assert "<tr><td>2026-10</td>" in trend and "<tr><td>2026-11</td>" in trend
    cells = _drill(page)["cells"]
    assert len(cells["p|issue|billing|2026-10"]) == 4  # TK1's three sentences and TK2: no focus-group statement
    assert "p|issue|billing|2026-09" not in cells


def test_the_trend_chart_has_one_tick_a_period(tmp_path):
    """"2026-10" read as a date gave a date axis, ticked weekly under monthly points."""
    page = _page(tmp_path)
    chart = re.search(r'<div id="chart-period".*?</script>', page, flags=re.S).group(0)
    # the template's xaxis comes first, the chart's own last
    layout = re.findall(r'"xaxis":\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}', chart)[-1]
    assert '"type":"category"' in layout


def test_the_sessions_asked_for_as_dates_have_their_trend(tmp_path):
    df = pd.read_csv(SPLIT, dtype=str, keep_default_na=False).iloc[:4]
    trend = _section(_page(tmp_path, df, date_col="session_date"), "by-period")
    assert "<tr><td>2026-09</td>" in trend and "不计入趋势" not in trend
