"""The report page in a real headless Chromium: loads without console errors, charts
render, a drill-down lists the statements, and injected markup stays inert."""

import os
from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.labels.taxonomy import LABELS
from voiceofcustomer.report.page import build_report, counted_rows

INJECTED = '<script>alert("xss")</script><img src=x onerror="alert(2)">'


def _tagged() -> pd.DataFrame:
    rows = []
    texts = [("宽带晚上老掉线，修了三次还没好", "broadband", "reliability", "complaint", "public"),
             ("营业厅排队一个多小时" + INJECTED, "efficiency", "responsiveness", "complaint", "public"),
             ("=SUM(A1:A9) 话费多扣了30元", "billing", "reliability", "complaint", "business"),
             ("希望套餐到期前能提醒一下", "notification", "empathy", "suggestion", "business"),
             ("装维师傅很耐心，点赞", "other", "assurance", "praise", "public")]
    for i, (text, issue, sq, stance, group) in enumerate(texts, 1):
        rows.append({"statement_id": f"s{i}", "speaker": f"用户{i}", "role": "participant", "group": group,
                     "text": text, "issue": issue, "servqual": sq, "demand": "delivery", "stance": stance,
                     "needs_review": i == 2, "is_duplicate": False, "受理时间": f"2026-0{6 + i % 3}-0{i}"})
    rows.append({**rows[0], "statement_id": "m1", "role": "moderator", "text": "大家好"})
    return pd.DataFrame(rows)


def test_counted_rows_leave_out_moderator_and_duplicates():
    df = _tagged()
    df.loc[1, "is_duplicate"] = True
    assert counted_rows(df)["statement_id"].tolist() == ["s1", "s3", "s4", "s5"]


def test_rows_with_no_text_are_not_counted_in_the_report(tmp_path):
    """QA: a [听不清]-only turn (text blank after cleaning, tagged other/none/neutral) was counted: in
    "计入统计的陈述", in 其他 and 无, and in the share of 未归类 in the themes table."""
    df = _tagged()
    empty = {**df.iloc[0].to_dict(), "statement_id": "s6", "text": "", "issue": "other", "servqual": "none",
             "demand": "none", "stance": "neutral", "needs_review": True, "note": "empty text"}
    df = pd.concat([df, pd.DataFrame([empty])], ignore_index=True)
    df["topic"] = [0, 0, 1, 1, -1, -1, -1]  # themes set the empty row aside (未归类), as they do
    topics = pd.DataFrame({"topic": [-1, 0, 1], "label": ["未归类", "宽带", "话费"], "share": [3 / 7, 2 / 7, 2 / 7],
                           "representative_texts": ["", "宽带晚上老掉线", "希望套餐到期前能提醒一下"]})
    assert "s6" not in counted_rows(df)["statement_id"].tolist()
    page = build_report(df, tmp_path / "index.html", topics=topics).read_text(encoding="utf-8")
    shown = _cell_numbers(page)
    assert shown["all"] == 5 and shown["o|issue|other"] == 1 and shown["review"] == 1
    assert "o|servqual|none" not in shown and "o|stance|neutral" not in shown  # 0: no link
    assert shown["t|-1"] == 1
    assert "s6" not in {r[0] for r in _drill(page)["st"].values()}
    assert "主持人发言 1 条、无文字的行 1 条" in page and "重复陈述 0 条（共 2 条）" in page


def test_the_report_names_an_exports_totals_row_among_the_rows_left_out(tmp_path):
    """未计入 said '主持人发言 1 条、无文字的行 0 条、重复陈述 0 条（共 2 条）' of a table with a totals row
    (合计,,,,共330条): its parts did not add up to the total, and the row left out was not named."""
    from voiceofcustomer.io.readers import TOTALS_NOTE

    df = _tagged()
    totals = {**df.iloc[0].to_dict(), "statement_id": "s6", "text": "", "issue": "other", "servqual": "none",
              "demand": "none", "stance": "neutral", "needs_review": True, "note": TOTALS_NOTE}
    df = pd.concat([df, pd.DataFrame([totals])], ignore_index=True)
    page = build_report(df, tmp_path / "index.html").read_text(encoding="utf-8")
    assert "无文字的行 0 条（如只有[听不清]的发言、空白单元格）、重复陈述 0 条、导出文件的合计行 1 条（合计/总计，不是工单）（共 2 条）" in page


def test_rows_that_are_no_ticket_are_named_among_those_left_out(tmp_path):
    """QA (new-user pass): an export's totals row (合计,,,,共4条) was left out of the counts but not named in the
    未计入 line, whose parts then added up to less than its total ('主持人发言 0 条、无文字的行 0 条、重复陈述 0 条（共
    1 条）'); a repeated header row is named the same way."""
    from voiceofcustomer.io.readers import HEADER_NOTE, TOTALS_NOTE

    df = _tagged()
    aside = [{**df.iloc[0].to_dict(), "statement_id": sid, "text": "", "issue": "other", "servqual": "none",
              "demand": "none", "stance": "neutral", "needs_review": True, "note": note}
             for sid, note in (("t1", TOTALS_NOTE), ("h1", HEADER_NOTE))]
    df = pd.concat([df, pd.DataFrame(aside)], ignore_index=True)
    page = build_report(df, tmp_path / "index.html").read_text(encoding="utf-8")
    assert _cell_numbers(page)["all"] == 5
    assert ("主持人发言 1 条、无文字的行 0 条（如只有[听不清]的发言、空白单元格）、重复陈述 0 条、导出文件的合计行 1 条"
            "（合计/总计，不是工单）、重复出现的表头行 1 条（不是工单）（共 3 条）") in page


def test_report_html_escapes_input(tmp_path):
    out = build_report(_tagged(), tmp_path / "index.html", date_col="受理时间")
    page = out.read_text(encoding="utf-8")
    assert INJECTED not in page  # neither raw in the HTML nor raw inside the JSON block
    assert "\\u003cscript\\u003ealert" in page


@pytest.mark.slow
def test_report_in_headless_chromium(tmp_path, browser_page):
    out = build_report(_tagged(), tmp_path / "index.html", date_col="受理时间")
    page = browser_page.page
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    # every chart drew its SVG
    for chart in ("chart-issue", "chart-servqual", "chart-group", "chart-period"):
        assert page.locator(f"#{chart} .main-svg").count() >= 1, chart
        assert page.locator(f"#{chart} .bars path, #{chart} .scatterlayer path").count() >= 1, chart
    # drill-down from a number lists the statements behind it, as text
    page.locator('a.drill[data-cell="o|issue|efficiency"]').click()
    panel = page.locator("#drill")
    assert "open" in panel.get_attribute("class")
    items = page.locator("#drill-list .st")
    assert items.count() == 1
    assert INJECTED in items.first.locator(".txt").inner_text()
    assert page.locator("#drill-list script, #drill-list img").count() == 0
    # a chart bar drills down too
    page.evaluate("window.vocShow('o|issue|broadband', 'x')")
    assert "宽带晚上老掉线" in page.locator("#drill-list").inner_text()
    shot = Path(os.environ.get("VOC_SCREENSHOT_DIR", tmp_path)) / "report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.locator('a.drill[data-cell="o|issue|efficiency"]').click()
    page.screenshot(path=str(shot), full_page=False)
    assert not browser_page.errors, browser_page.errors
    assert not browser_page.dialogs, browser_page.dialogs
    assert shot.stat().st_size > 10_000


def test_theme_tables_per_group_and_area_link_to_statements(tmp_path):
    df = _tagged()
    df["topic"] = [0, 0, 1, 1, 0, -1]
    topics = pd.DataFrame({"topic": [-1, 0, 1], "label": ["未归类", "宽带 · 掉线", "话费 · 提醒"], "share": [0, .6, .4],
                           "representative_texts": ["", "宽带晚上老掉线", "希望套餐到期前能提醒一下"]})
    page = build_report(df, tmp_path / "index.html", topics=topics).read_text(encoding="utf-8")
    assert 'data-cell="tc|group|0|public"' in page and 'data-cell="tc|group|1|business"' in page
    assert "按讨论领域" not in page  # a single discussion area (delivery) gives no table


def _cell_numbers(page: str) -> dict[str, int]:
    """``data-cell`` key → the number shown on its link."""
    import re

    return {m.group(1): int(m.group(2)) for m in re.finditer(r'data-cell="([^"]+)"[^>]*>(\d+)</a>', page)}


def test_report_shows_the_frequencies_it_is_given(tmp_path):
    from voiceofcustomer.freq.tables import frequencies

    df = _tagged()
    df.loc[2, "is_duplicate"] = True
    # a FreqResult counting duplicates too: the page must show its numbers, not recount its own
    freq = frequencies(df, by=["group"], include_duplicates=True)
    page = build_report(df, tmp_path / "index.html", freq=freq).read_text(encoding="utf-8")
    shown = _cell_numbers(page)
    overall = freq.tables["overall"]
    for r in overall[overall["count"] > 0].itertuples():
        assert shown[f"o|{r.field}|{r.label}"] == r.count, (r.field, r.label)
    assert shown["o|issue|billing"] == 1  # the duplicate row, left out by the page's own rule
    by_group = freq.tables["by_group"]
    for r in by_group[(by_group["count"] > 0) & (by_group["field"] == "issue")].itertuples():
        assert shown[f"g|issue|{r.label}|{r.group}"] == r.count
    assert shown["all"] == freq.rows_counted == 5


def test_report_numbers_are_read_from_the_freq_result_not_recounted():
    from voiceofcustomer.freq.tables import frequencies
    from voiceofcustomer.report.page import report_numbers

    df = _tagged()
    df["受理时间"] = ["2026-06-01", "2026-06-02", "2026-07-01", "2026-07-02", "2026-07-03", "2026-07-04"]
    freq = frequencies(df, by=["group"], date_col="受理时间", period="month")
    # numbers no recount of ``df`` could give: the step must copy them from the tables
    for name in ("overall", "by_group", "by_period"):
        t = freq.tables[name]
        t.loc[(t["field"] == "issue") & (t["label"] == "billing") & (t["count"] > 0), "count"] = 77
    numbers = report_numbers(freq, group_col="group", date_col="受理时间")
    issue = numbers.labels["issue"].set_index("label")
    assert issue.loc["billing", "count"] == 77 and issue.loc["broadband", "count"] == 1
    assert list(issue.index) == list(LABELS["issue"])  # every label, taxonomy order, 0 where absent
    assert issue.loc["signal", "count"] == 0
    assert numbers.by_group.groups == ["business", "public"]
    assert numbers.by_group.counts["issue"].loc["billing", "business"] == 77
    assert numbers.by_group.counts["servqual"].loc["empathy", "business"] == 1
    assert numbers.by_period.counts.loc["2026-07", "billing"] == 77
    assert (numbers.rows_read, numbers.rows_counted) == (freq.rows_read, freq.rows_counted)


def test_render_report_shows_the_numbers_it_is_given():
    from voiceofcustomer.freq.tables import frequencies
    from voiceofcustomer.report.page import render_report, report_numbers, report_rows

    df = _tagged()
    freq = frequencies(df, by=["group"])
    numbers = report_numbers(freq)
    numbers.labels["stance"].loc[numbers.labels["stance"]["label"] == "praise", "count"] = 41
    numbers.by_group.counts["servqual"].loc["assurance", "public"] = 42
    page = render_report(numbers, report_rows(df, freq))
    shown = _cell_numbers(page)
    assert shown["o|stance|praise"] == 41 and shown["g|servqual|assurance|public"] == 42
    assert shown["o|issue|broadband"] == 1  # untouched numbers as the tables have them
    assert 'id="by-period"' not in page  # no date column: no period section


def _drill(page: str) -> dict:
    import json
    import re

    return json.loads(re.search(r"<script[^>]*id=.voc-data.[^>]*>(.*?)</script>", page, flags=re.S).group(1))


def test_theme_shares_are_of_the_statements_the_numbers_link_to(tmp_path):
    """QA: the themes table showed 未归类 with 9 statements and 50.0 % — the share came from topics.csv,
    which counts the moderator turns the number leaves out (9 of 35 counted is 25.7 %)."""
    import re

    df = _tagged()
    df["topic"] = [0, 0, 1, 1, -1, -1]  # the moderator row (m1) is unassigned, as themes set it aside
    topics = pd.DataFrame({"topic": [-1, 0, 1], "label": ["未归类", "宽带", "话费"], "share": [2 / 6, 2 / 6, 2 / 6],
                           "representative_texts": ["", "宽带晚上老掉线", "希望套餐到期前能提醒一下"]})
    page = build_report(df, tmp_path / "index.html", topics=topics).read_text(encoding="utf-8")
    rows = re.findall(r'data-cell="t\|(-?\d)"[^>]*>(\d+)</a></td><td class=\'n\'>([\d.]+)%', page)
    assert {t: (int(n), float(sh)) for t, n, sh in rows} == {"-1": (1, 20.0), "0": (2, 40.0), "1": (2, 40.0)}


def test_drill_down_names_the_speaker_with_attributes_group_and_city(tmp_path):
    """QA: a quote in the drill-down said only "参与者1 · business": the speaker's attributes from the
    header (便利店店主) and the city were in statements.xlsx but not where researchers quote from."""
    df = _tagged()
    df["speaker_attrs"] = ["退休教师，50岁", "", "", "", "", ""]
    df["city"] = "天津"
    data = _drill(build_report(df, tmp_path / "index.html").read_text(encoding="utf-8"))
    rows = {r[0]: r for r in data["st"].values()}
    who, where = data["columns"].index("who"), data["columns"].index("where")
    assert rows["s1"][who] == "用户1（退休教师，50岁）" and rows["s1"][where] == "公众用户 · 天津"
    assert rows["s3"][who] == "用户3" and rows["s3"][where] == "对公用户 · 天津"


def test_the_page_names_a_group_in_chinese(tmp_path):
    """QA: a transcript whose header says 客户群：公众客户 showed 'public' on the Chinese page; a group the
    user named otherwise is shown as it was written."""
    from voiceofcustomer.freq.tables import frequencies

    df = _tagged()
    df.loc[4, "group"] = "老年用户"
    df["topic"] = [0, 0, 1, 1, 0, -1]
    topics = pd.DataFrame({"topic": [-1, 0, 1], "label": ["未归类", "宽带 · 掉线", "话费 · 提醒"], "share": [0, .6, .4],
                           "representative_texts": ["", "宽带晚上老掉线", "希望套餐到期前能提醒一下"]})
    page = build_report(df, tmp_path / "index.html", freq=frequencies(df, by=["group"]),
                        topics=topics).read_text(encoding="utf-8")
    for name in ("公众用户", "对公用户", "老年用户"):
        assert page.count(f"<th>{name}</th>") == 3  # the issue and SERVQUAL tables by group, the themes by group
    assert "<th>public</th>" not in page and "<th>business</th>" not in page
    rows = {r[0]: r for r in _drill(page)["st"].values()}
    assert rows["s5"][_drill(page)["columns"].index("where")] == "老年用户"


def test_themes_per_section_of_the_guide_in_the_moderators_order_and_in_the_quotes(tmp_path):
    """QA: a transcript's section headings (一、业务需求 …) were lost, so the report could give themes per
    discussion area only by the model's demand label. With a ``section`` column the report has a theme ×
    section table in the order the moderator took them, each cell a link, and a quote says its section."""
    import re

    df = _tagged()
    df["topic"] = [0, 0, 1, 1, 0, -1]
    df["section"] = ["服务渠道", "服务渠道", "业务需求", "服务提供", "", "服务提供"]  # s5: before the first heading
    topics = pd.DataFrame({"topic": [-1, 0, 1], "label": ["未归类", "宽带 · 掉线", "话费 · 提醒"], "share": [0, .6, .4],
                           "representative_texts": ["", "宽带晚上老掉线", "希望套餐到期前能提醒一下"]})
    page = build_report(df, tmp_path / "index.html", topics=topics).read_text(encoding="utf-8")
    table = page[page.index("按讨论环节"):]
    assert re.findall(r"<th>([^<]+)</th>", table)[1:5] == ["服务渠道", "业务需求", "服务提供", "（小标题之前）"]
    cells = _cell_numbers(page)
    assert cells["tc|section|0|服务渠道"] == 2 and cells["tc|section|1|业务需求"] == 1
    data = _drill(page)
    rows = {r[0]: r for r in data["st"].values()}
    assert rows["s3"][data["columns"].index("where")] == "对公用户 · 业务需求"


def _chart_keys(page: str) -> set[str]:
    """The cells the charts' bars open (their ``customdata``)."""
    import json
    import re

    keys: set[str] = set()
    for data in re.findall(r'"customdata":(\[[^\]]*\])', page):
        keys |= {k for k in json.loads(data) if isinstance(k, str)}
    return keys


def _nav_anchors(page: str) -> tuple[list[str], set[str]]:
    """The page's menu (anchors, in order) and the ids of its sections."""
    import re

    nav = re.search(r"<nav>(.*?)</nav>", page, flags=re.S).group(1)
    return re.findall(r'href="#([^"]+)"', nav), set(re.findall(r"<section id=['\"]([^'\"]+)['\"]", page))


def test_a_bar_of_the_chart_by_group_opens_the_statements_of_its_group(tmp_path):
    """QA (complaint-team pass): a bar of the chart 各客户群的问题类别 opened its group's cell by the name the
    page gives the group (g|issue|broadband|公众用户), while the cell is keyed by the group's id (…|public):
    a click on any named group's bar listed nothing."""
    from voiceofcustomer.freq.tables import frequencies

    df = _tagged()
    page = build_report(df, tmp_path / "index.html", freq=frequencies(df, by=["group"])).read_text(encoding="utf-8")
    cells = _drill(page)["cells"]
    bars = {k for k in _chart_keys(page) if k.startswith("g|")}
    assert "g|issue|broadband|public" in bars and "g|issue|billing|business" in bars
    assert bars <= set(cells), sorted(bars - set(cells))


def _tickets() -> pd.DataFrame:
    df = _tagged().iloc[:5].drop(columns=["group", "speaker", "role"])
    df["地市"] = ["广州", "广州", "深圳", "", "深圳"]
    return df


def test_a_by_column_of_a_ticket_export_has_its_section(tmp_path):
    """QA (complaint-team pass): `voc analyze tickets.csv --by 地市` wrote frequencies/by_地市.csv, but the
    report page had no word of 地市 — its counts by the column asked for were in no table or chart — and
    its menu's 客户群 led nowhere (a ticket export has no customer group, so the page has no such section)."""
    from voiceofcustomer.freq.tables import frequencies

    df = _tickets()
    freq = frequencies(df, by=["地市"])
    page = build_report(df, tmp_path / "index.html", freq=freq, by=["地市"]).read_text(encoding="utf-8")
    assert "<h2>按地市</h2>" in page
    shown = _cell_numbers(page)
    t = freq.tables["by_地市"]
    for r in t[(t["count"] > 0) & t["field"].isin(["issue", "servqual"])].itertuples():
        key = "（未填）" if r.地市 == "(blank)" else r.地市
        assert shown[f"b|地市|{r.field}|{r.label}|{key}"] == r.count, r
    assert shown["b|地市|issue|billing|深圳"] == 1 and shown["b|地市|issue|notification|（未填）"] == 1
    cells = _drill(page)["cells"]
    rows = _drill(page)["st"]
    assert [rows[str(i)][0] for i in cells["b|地市|issue|broadband|广州"]] == ["s1"]
    assert {k for k in _chart_keys(page) if k.startswith("b|")} <= set(cells)
    anchors, sections = _nav_anchors(page)
    assert anchors == ["overview", "freq-issue", "freq-servqual", "by-col-1"] and set(anchors) <= sections
    assert '<a href="#by-col-1">地市</a>' in page


def test_the_menu_leads_only_to_sections_the_page_has(tmp_path):
    """QA (complaint-team pass): the menu always offered 客户群, 时间, 主题 and 候选题目; a page without them
    (an export with no customer group, no date column) had links that went nowhere."""
    page = build_report(_tickets().drop(columns=["受理时间"]), tmp_path / "index.html").read_text(encoding="utf-8")
    anchors, sections = _nav_anchors(page)
    assert anchors == ["overview", "freq-issue", "freq-servqual"] and set(anchors) <= sections
    page = build_report(_tagged(), tmp_path / "index.html", date_col="受理时间").read_text(encoding="utf-8")
    anchors, sections = _nav_anchors(page)
    assert anchors == ["overview", "freq-issue", "freq-servqual", "by-group", "by-period"]
    assert set(anchors) <= sections


def test_the_page_names_a_focus_group_with_its_title(tmp_path):
    # the page named no session's title (session_title of voc split: a header's 座谈会名称, a .docx heading, a .txt's
    # title line): a quote's source said only 公众用户 · 天津, and --by session headed its columns FG01, FG02
    from voiceofcustomer.freq.tables import frequencies

    df = _tagged()
    df["session"] = ["FG01", "FG01", "FG02", "FG02", "FG02", "FG01"]
    df["session_title"] = ["2026年11月 城区宽带用户座谈会"] * 2 + [""] * 3 + ["2026年11月 城区宽带用户座谈会"]
    df["city"] = "天津"
    page = build_report(df, tmp_path / "index.html", freq=frequencies(df, by=["session"]),
                        by=["session"]).read_text(encoding="utf-8")
    assert "<p class='meta'>座谈会场次：FG01（2026年11月 城区宽带用户座谈会）、FG02</p>" in page
    data = _drill(page)
    rows = {r[0]: r for r in data["st"].values()}
    where = data["columns"].index("where")
    assert rows["s1"][where] == "2026年11月 城区宽带用户座谈会 · 公众用户 · 天津"
    assert rows["s3"][where] == "对公用户 · 天津"
    section = page[page.index("按session"):]
    assert section.count("<th>FG01（2026年11月 城区宽带用户座谈会）</th>") == 2 and section.count("<th>FG02</th>") == 2


def test_a_ticket_export_has_no_sessions_line(tmp_path):
    df = _tagged().drop(columns=["role"])
    df["session"] = "tickets"
    assert "座谈会场次" not in build_report(df, tmp_path / "index.html").read_text(encoding="utf-8")


def test_drill_down_names_a_survey_answer_and_a_ticket_as_the_quotes_do(tmp_path):
    """A split survey's answers have the platform's answer number as ticket_id (答卷编号 17): the drill-down's who
    column showed a bare '17' (and a ticket a bare 'GD001'), which names nothing beside the row's file:row id; now
    答卷 17 and 工单 GD001, as the item evidence quotes name them (statements.record_label); an answer of a survey
    without numbers keeps its row (answers:1). Fixture tests/data/items/quoted_survey_answers.csv (written)."""
    df = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "items" / "quoted_survey_answers.csv", dtype=str,
                     keep_default_na=False)
    data = _drill(build_report(df, tmp_path / "index.html").read_text(encoding="utf-8"))
    who = data["columns"].index("who")
    assert {r[0]: r[who] for r in data["st"].values()} == {
        "wjx_answers:1-s01": "答卷 17", "wjx_answers:2-s01": "答卷 23", "answers:1-s01": "answers:1",
        "tickets:2-s01": "工单 GD001"}
