"""Tickets in every table and chart of voc freq, and focus groups beside tickets per source kind.

A complaint team counts tickets: the by-district tables had a ``tickets`` count but no ticket share, and
charts.html drew statements only (a ticket cut into three billing sentences counted three times), so the
district charts disagreed with the team's headline. A researcher counting transcripts and tickets together
got one pooled count. Fixture (tests/data/tagged_split_tickets_by_district.csv): 江岸 TK1 (3 billing
statements), TK2 (billing, signal), TK3 (signal); 江汉 TK4 (billing), TK5 (broadband), TK6 (2 broadband)."""
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from voiceofcustomer.freq.charts import chart_figures
from voiceofcustomer.freq.tables import frequencies, write_frequencies

DATA = Path(__file__).resolve().parents[1] / "data"
SPLIT = DATA / "tagged_split_tickets_by_district.csv"
#: a focus group (3 participants: 2 billing, 1 signal; a moderator) and 4 split tickets (TK1: 3 billing
#: statements, TK2 billing, TK3 signal, TK4 broadband)
MIXED = DATA / "tagged_focus_group_and_split_tickets.csv"
OLD_COLUMNS = ["field", "label", "label_zh", "区县", "count", "tickets", "n", "share", "ci_low", "ci_high"]


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _cell(table, field, label, col=None, value=None):
    t = table[(table["field"] == field) & (table["label"] == label)]
    return t[t[col] == value].iloc[0] if col else t.iloc[0]


def test_by_district_tables_give_ticket_shares():
    res = frequencies(_read(SPLIT), by=["区县"], date_col="受理时间")
    by = res.tables["by_区县"]
    signal = _cell(by, "issue", "signal", "区县", "江岸")
    # 2 of 江岸's 6 statements, but 2 of its 3 tickets (TK2, TK3)
    assert (signal["count"], signal["n"], signal["tickets"], signal["ticket_n"]) == (2, 6, 2, 3)
    assert signal["share"] == pytest.approx(2 / 6) and signal["ticket_share"] == pytest.approx(2 / 3)
    assert 0 < signal["ticket_ci_low"] < 2 / 3 < signal["ticket_ci_high"] < 1
    broadband = _cell(by, "issue", "broadband", "区县", "江汉")
    assert (broadband["tickets"], broadband["ticket_n"]) == (2, 3)  # TK6's two statements: one ticket
    overall = _cell(res.tables["overall"], "issue", "billing")
    assert (overall["count"], overall["tickets"], overall["ticket_n"]) == (5, 3, 6)
    assert overall["ticket_share"] == pytest.approx(0.5)
    period = _cell(res.tables["by_period"], "issue", "billing", "period", "2026-10")
    assert (period["tickets"], period["ticket_n"], period["ticket_share"]) == (2, 2, 1.0)
    # the column ids stay where they were; the ticket columns are added before the examples
    assert list(by.columns) == [*OLD_COLUMNS, "ticket_n", "ticket_share", "ticket_ci_low", "ticket_ci_high",
                                "examples"]
    assert "ticket_share" in set(res.tables["notes"]["note"])


def test_ticket_shares_in_the_workbook_are_percentages(tmp_path):
    paths = write_frequencies(frequencies(_read(SPLIT), by=["区县"]), tmp_path / "out")
    ws = openpyxl.load_workbook(paths["workbook"])["by_区县"]
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("ticket_share") + 1).number_format == "0.0%"
    assert list(pd.read_csv(paths["by_区县"], encoding="utf-8-sig").columns[:10]) == OLD_COLUMNS


def test_charts_of_a_ticket_export_count_tickets():
    res = frequencies(_read(SPLIT), by=["区县"], date_col="受理时间")
    assert res.counts_tickets and res.tickets_counted == 6
    figs = {(name, fig.layout.title.text): fig for name, fig in chart_figures(res)}
    bars = next(f for (n, t), f in figs.items() if n == "overall" and t.startswith("问题类别"))
    assert "工单占比（按工单计" in bars.layout.title.text
    shares = dict(zip(bars.data[0].y, bars.data[0].x))
    assert shares["计费资费"] == pytest.approx(0.5)  # 3 of 6 tickets, not 5 of 10 statements
    heat = next(f for (n, t), f in figs.items() if n == "by_区县" and t.startswith("问题类别"))
    assert heat.layout.title.text == "问题类别按区县：各区县内的工单占比（格中为工单数）"
    rows, cols = list(heat.data[0].y), list(heat.data[0].x)
    r, c = rows.index("网络信号"), cols.index("江岸")
    assert heat.data[0].z[r][c] == pytest.approx(2 / 3) and heat.data[0].text[r][c] == 2
    lines = next(f for (n, t), f in figs.items() if n == "by_period" and t.startswith("问题类别"))
    assert lines.layout.title.text == "问题类别：各时期工单数"
    billing = next(tr for tr in lines.data if tr.name == "计费资费")
    assert list(billing.y) == [2, 1]  # TK1, TK2 in October (4 statements); TK4 in November


def test_charts_page_says_it_counts_tickets(tmp_path):
    paths = write_frequencies(frequencies(_read(SPLIT), by=["区县"]), tmp_path / "out")
    page = paths["charts"].read_text(encoding="utf-8")
    text = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert "来自 6 张工单；图中的数和占比按工单计" in text
    assert "<td>工单占比</td>" in text


def test_statements_alone_keep_their_charts():
    df = _read(SPLIT).drop(columns=["ticket_id"])
    res = frequencies(df, by=["区县"])
    assert not res.counts_tickets and "ticket_share" not in res.tables["overall"].columns
    titles = [fig.layout.title.text for _, fig in chart_figures(res)]
    assert "问题类别：陈述占比（95% Wilson 区间）" in titles
    assert "问题类别按区县：各区县内的占比（格中为陈述数）" in titles


def test_focus_groups_and_tickets_side_by_side():
    res = frequencies(_read(MIXED), date_col="受理时间")
    assert not res.counts_tickets and res.statements_without_ticket == 3 and res.tickets_counted == 4
    kinds = res.tables["by_source_kind"]
    fg = _cell(kinds, "issue", "billing", "source_kind", "focus_group")
    tk = _cell(kinds, "issue", "billing", "source_kind", "ticket")
    assert (fg["source_kind_zh"], fg["count"], fg["n"], fg["tickets"]) == ("座谈会", 2, 3, 0)
    assert (tk["source_kind_zh"], tk["count"], tk["tickets"], tk["ticket_n"]) == ("工单", 4, 2, 4)
    assert fg["share"] == pytest.approx(2 / 3) and tk["ticket_share"] == pytest.approx(0.5)
    notes = res.tables["notes"].set_index("note")["count"]
    assert notes["statements without a ticket"] == 3
    figs = [(n, f) for n, f in chart_figures(res) if n == "by_source_kind"]
    issue = next(f for _, f in figs if f.layout.title.text.startswith("问题类别"))
    fg_bar, tk_bar = issue.data
    assert fg_bar.name == "座谈会（陈述占比）" and tk_bar.name == "工单（工单占比）"
    assert dict(zip(fg_bar.y, fg_bar.x))["计费资费"] == pytest.approx(2 / 3)
    assert dict(zip(tk_bar.y, tk_bar.x))["计费资费"] == pytest.approx(0.5)
    overall = next(f for n, f in chart_figures(res) if n == "overall")
    assert "座谈会与工单合计" in overall.layout.title.text


def test_source_kinds_are_the_same_in_chunks():
    """The tickets before the first focus-group statement are counted in by_source_kind too."""
    df = _read(MIXED)
    tickets_first = pd.concat([df.iloc[4:], df.iloc[:4]], ignore_index=True)
    whole = frequencies(tickets_first).tables["by_source_kind"]
    chunked = frequencies([tickets_first.iloc[:3], tickets_first.iloc[3:7], tickets_first.iloc[7:]])
    pd.testing.assert_frame_equal(chunked.tables["by_source_kind"], whole)
    assert _cell(whole, "issue", "billing", "source_kind", "ticket")["count"] == 4


def test_one_kind_has_no_source_table():
    assert "by_source_kind" not in frequencies(_read(SPLIT)).tables
    fg = _read(MIXED).iloc[:4]  # the focus group alone, beside an empty ticket_id column
    assert "by_source_kind" not in frequencies(fg).tables


@pytest.mark.parametrize("first", ["tickets", "mixed"])
def test_source_kinds_of_merged_partitions(first):
    """The Dask engine tallies each partition apart and merges them: a partition of tickets alone beside one
    holding the focus group gives the by_source_kind of one tally fed both."""
    from voiceofcustomer.freq.tables import make_tally
    from voiceofcustomer.statements import STATEMENT_ID

    df = _read(MIXED)
    tickets, mixed = df.iloc[6:], df.iloc[:6]  # TK3, TK4 alone; the focus group with TK1, TK2
    parts = [tickets, mixed] if first == "tickets" else [mixed, tickets]

    def tally(*chunks):
        t = make_tally()
        t.id_name, t.one_source = STATEMENT_ID, False
        for c in chunks:
            t.add(c.reset_index(drop=True))
        return t

    merged = tally(parts[0]).merge(tally(parts[1])).result().tables["by_source_kind"]
    pd.testing.assert_frame_equal(merged, tally(*parts).result().tables["by_source_kind"])
    assert _cell(merged, "issue", "billing", "source_kind", "ticket")["tickets"] == 2
