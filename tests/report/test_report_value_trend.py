"""Each --by value's trend on the report page, as ``by_period_<col>`` counts it.

``voc analyze --by 地市 --period month`` wrote frequencies/by_period_地市.csv (each city's months, each against the
city's own month before) but the page had no section for it: 按时间 pools the cities, so 杭州's broadband 1 → 3 and
宁波's 3 → 1 read as 4 and 4, change 0. Now a section 按地市的时间趋势 has every city's months, a 环比 row under each
city, the incomplete-month warning of 按时间, and a chart of one panel a city.

tests/data/tagged_city_months.csv: 12 tickets, 杭州 and 宁波, October (from the 2nd) and November (to the 27th):
broadband 杭州 1 → 3, 宁波 3 → 1; billing 1 and 1 in each city each month.
"""

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.freq.tables import frequencies
from voiceofcustomer.report.page import build_report

LABELS_SHOWN = ["signal", "broadband", "install_repair", "billing", "handling", "marketing", "attitude", "efficiency",
                "notification", "security", "environment", "other"]


def _tagged(data_dir) -> pd.DataFrame:
    return pd.read_csv(data_dir / "tagged_city_months.csv", dtype=str, keep_default_na=False)


def _page(tmp_path, df, *, by=("地市",), period="month") -> str:
    freq = frequencies(df, by=list(by), date_col="受理时间", period=period)
    out = build_report(df, tmp_path / "index.html", freq=freq, date_col="受理时间", period=period, by=list(by))
    return out.read_text(encoding="utf-8")


def _section(page: str) -> str | None:
    m = re.search(r"<section id='by-period-col-1'>(.*?)</section>", page, flags=re.S)
    return m.group(1) if m else None


def _rows(section: str) -> dict[tuple[str, str], dict[str, str]]:
    """``(city, period or 环比 …) → {label: the number shown}`` of the section's table."""
    out = {}
    for row in re.findall(r"<tr(?: class='change')?><td>(.*?)</tr>", section, flags=re.S):
        city, rest = row.split("</td>", 1)
        when, cells = rest.split("</td>", 1)
        shown = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td class='n'>(.*?)</td>", cells)]
        out[(city, when.replace("<td>", ""))] = dict(zip(LABELS_SHOWN, shown))
    return out


def test_each_city_has_its_months_and_its_own_change(data_dir, tmp_path):
    page = _page(tmp_path, _tagged(data_dir))
    section = _section(page)
    assert section is not None and "<h2>按地市的时间趋势（受理时间）</h2>" in section
    rows = _rows(section)
    assert rows[("杭州", "2026-10")]["broadband"] == "1" and rows[("杭州", "2026-11")]["broadband"] == "3"
    assert rows[("宁波", "2026-10")]["broadband"] == "3" and rows[("宁波", "2026-11")]["broadband"] == "1"
    hz, nb = rows[("杭州", "环比：2026-11 较 2026-10")], rows[("宁波", "环比：2026-11 较 2026-10")]
    assert (hz["broadband"], hz["billing"], hz["signal"]) == ("+2（+200%）", "0", "0")
    assert (nb["broadband"], nb["billing"]) == ("-2（-67%）", "0")
    # the cities add up to 按时间's month, which pools them: broadband 4 and 4
    trend = re.search(r"<section id='by-period'>(.*?)</section>", page, flags=re.S).group(1)
    assert re.search(r"<tr><td>2026-11</td>(?:<td class='n'>.*?</td>){1}<td class='n'><a [^>]*>4</a>", trend)
    # the first and last months are not whole (2 October … 27 November): said as 按时间 says it
    assert "不完整时期的条数不能和完整时期直接比较" in section
    assert "环比一行是该地市最近一个月与它自己上一个月相比的增减" in section
    # a number lists its tickets: 杭州's November broadband is GD1007–GD1009
    data = json.loads(re.search(r'<script type="application/json" id="voc-data">(.*?)</script>', page,
                                flags=re.S).group(1))
    ids = [data["st"][str(i)][0] for i in data["cells"]["pv|地市|issue|broadband|杭州|2026-11"]]
    assert sorted(ids) == ["GD1007", "GD1008", "GD1009"]
    assert "pv|地市|issue|broadband|杭州|2026-11" in section  # the chart's point opens the same cell
    assert "<a href=\"#by-period-col-1\">地市·时间</a>" in page


def test_a_value_is_text_in_the_table_and_the_chart(data_dir, tmp_path):
    df = _tagged(data_dir)
    df.loc[df["工单编号"] == "GD1012", "地市"] = "<b>x</b>"
    page = _page(tmp_path, df)
    section = _section(page)
    assert "<td>&lt;b&gt;x&lt;/b&gt;</td><td>2026-11</td>" in section
    assert "<b>x</b>" not in page  # plotly reads <b> in a panel's title as markup: escaped there too
    panels = [json.loads(f'"{t}"') for t in re.findall(r'"text":"((?:[^"\\]|\\.)*)"', section)]
    assert "&lt;b&gt;x&lt;/b&gt;" in panels and "杭州" in panels, panels  # plotly shows an entity as the character


def test_no_section_without_a_trend_per_value(data_dir, tmp_path):
    df = _tagged(data_dir)
    assert _section(_page(tmp_path, df, by=())) is None
    freq = frequencies(df, by=["地市"])  # no period: no by_period_地市
    page = build_report(df, tmp_path / "p.html", freq=freq, by=["地市"]).read_text(encoding="utf-8")
    assert _section(page) is None and "地市·时间" not in page
    # whole months: no warning
    df.loc[df["工单编号"] == "GD1001", "受理时间"] = "2026-10-01 09:00:00"
    df.loc[df["工单编号"] == "GD1012", "受理时间"] = "2026-11-30 16:00:00"
    assert "不完整时期" not in _section(_page(tmp_path, df))


@pytest.mark.slow
def test_the_panels_draw_in_chromium_with_a_value_as_typed(data_dir, tmp_path, browser_page):
    df = _tagged(data_dir)
    df.loc[df["地市"] == "宁波", "地市"] = "<b>x</b>"
    _page(tmp_path, df)
    page = browser_page.page
    page.goto((tmp_path / "index.html").as_uri())
    page.wait_for_load_state("load")
    chart = page.locator("#chart-by-period-col-1")
    assert chart.locator(".main-svg").count() >= 1
    assert chart.locator(".scatterlayer .trace").count() == 2 * 2  # two panels, broadband and billing in each
    titles = chart.locator(".annotation-text").all_text_contents()
    assert "<b>x</b>" in titles and "杭州" in titles, titles  # as typed, not bold
    shot = Path(os.environ.get("VOC_SCREENSHOT_DIR", tmp_path)) / "report_value_trend.png"
    chart.screenshot(path=str(shot))
    page.locator('a.drill[data-cell="pv|地市|issue|broadband|杭州|2026-11"]').click()
    assert page.locator("#drill-list .st").count() == 3
    assert not browser_page.errors, browser_page.errors


def test_a_group_is_text_in_the_by_column_chart(data_dir, tmp_path):
    """The 按地市 section's stacked bars named each trace by the city as it came (``name=str(col)``): plotly reads
    ``<b>x</b>`` in a legend as markup, so a city so named showed bold; now every chart's data names are escaped."""
    df = _tagged(data_dir)
    df.loc[df["工单编号"] == "GD1012", "地市"] = "<b>x</b>"
    df = df.rename(columns={"地市": "<i>市</i>"})
    page = _page(tmp_path, df, by=("<i>市</i>",))
    decoded = [json.loads(f'"{t}"') for t in re.findall(r'"(?:name|text)":"((?:[^"\\]|\\.)*)"', page)]
    assert "&lt;b&gt;x&lt;/b&gt;" in decoded, decoded  # the legend entry of the city, shown as typed
    assert not any("<b>" in t or "<i>" in t for t in decoded), [t for t in decoded if "<" in t]
    assert any("各&lt;i&gt;市&lt;/i&gt;的问题类别" in t for t in decoded)  # the chart's title names the column as typed
