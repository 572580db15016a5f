"""The report's trend says what changed from last month, as ``by_period.csv`` does.

A complaint team's two months (October and November tickets, ``voc analyze oct.xlsx nov.csv --date-col 受理时间``)
gave a 按时间 table of counts per month only: 宽带网络 4 then 10, 计费资费 6 then 3, and no word of the change, which
only ``frequencies/by_period.csv`` (change, change_pct) held. Now a row under the months says it for the latest month
(环比：2026-11 较 2026-10 · +6（+150%）, −3（−50%）), from those same columns, and a line says when the first or last
month is not whole."""

import re
from pathlib import Path

import pandas as pd

from voiceofcustomer.freq.tables import frequencies
from voiceofcustomer.report.page import build_report

DATA = Path(__file__).resolve().parents[1] / "data" / "report"
#: 25 tickets: October 4 broadband (温州), 6 billing (宁波), 2 signal (杭州), dated 1–6 October; November
#: 10 broadband, 3 billing, dated 1–10 November (so November is not whole)
TAGGED = DATA / "tagged_oct_nov_tickets.csv"


def _trend(tmp_path, df):
    freq = frequencies(df, by=["地市"], date_col="受理时间", period="month")
    page = build_report(df, tmp_path / "index.html", freq=freq, date_col="受理时间", by=["地市"])
    html = page.read_text(encoding="utf-8")
    return re.search(r"<section id='by-period'>(.*?)</section>", html, flags=re.S).group(1), freq


def _cells(row_html: str) -> list[str]:
    return re.findall(r"<td class='n'>(.*?)</td>", row_html)


def test_the_latest_month_has_its_change_from_the_month_before(tmp_path):
    df = pd.read_csv(TAGGED, dtype=str, keep_default_na=False)
    trend, freq = _trend(tmp_path, df)
    row = re.search(r"<tr class='change'><td>环比：2026-11 较 2026-10</td>(.*?)</tr>", trend)
    assert row, trend
    cells = dict(zip(["signal", "broadband", "install_repair", "billing"], _cells(row.group(1))))
    assert cells == {"signal": "-2（-100%）", "broadband": "+6（+150%）", "install_repair": "0", "billing": "-3（-50%）"}
    # the same numbers as by_period.csv
    bp = freq.tables["by_period"]
    nov = bp[(bp["field"] == "issue") & (bp["period"].astype(str) == "2026-11")].set_index("label")
    assert nov.loc["broadband", "change"] == 6 and abs(nov.loc["broadband", "change_pct"] - 1.5) < 1e-9
    assert "环比一行是最近一个月与上一个月相比的增减" in trend
    assert "不完整时期的条数不能和完整时期直接比较" in trend  # November's tickets end on the 10th


def test_whole_months_say_no_partial_and_one_month_has_no_change_row(tmp_path):
    df = pd.read_csv(TAGGED, dtype=str, keep_default_na=False)
    # every ticket of a month moved so that the dates span both months whole (1st and last day present)
    df.loc[df["statement_id"] == "GD0012", "受理时间"] = "2026-10-31 18:00:00"
    df.loc[df["statement_id"] == "GD0025", "受理时间"] = "2026-11-30 18:00:00"
    trend, _ = _trend(tmp_path, df)
    assert "<tr class='change'><td>环比：2026-11 较 2026-10</td>" in trend
    assert "不完整时期" not in trend
    october = df[df["受理时间"].str.startswith("2026-10")]
    trend, _ = _trend(tmp_path, october)
    assert "class='change'" not in trend and "环比" not in trend


def test_a_month_with_a_few_tickets_of_the_month_before_is_said_to_be_no_trend(tmp_path):
    """November's export alone held 12 October tickets handled late: its page read 环比 宽带网络 +186（+18600%）.
    The counts of both months are now given, and a line says that such a change reflects the export's dates."""
    df = pd.read_csv(TAGGED, dtype=str, keep_default_na=False)
    nov = df[df["受理时间"].str.startswith("2026-11") | df["statement_id"].isin(["GD0001"])]
    trend, _ = _trend(tmp_path, nov)
    assert "两期各计 1 条（2026-10）和 13 条（2026-11）" in trend
    assert "两期的条数相差五倍以上" in trend
    trend, _ = _trend(tmp_path, df)
    assert "两期各计 12 条（2026-10）和 13 条（2026-11）" in trend and "相差五倍" not in trend
