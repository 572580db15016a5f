"""voc freq --alerts: an injected spike is flagged, stable series are not."""

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.freq.alerts import benjamini_hochberg, spike_alerts
from voiceofcustomer.freq.tables import frequencies

WEEKS = pd.date_range("2026-09-07", periods=10, freq="W-MON")  # Mondays: one date per week
ISSUES = {"signal": "reliability", "broadband": "reliability", "billing": "reliability", "attitude": "assurance"}


def _tickets(spike: int = 0, seed: int = 5) -> pd.DataFrame:
    """Ten weeks of tagged tickets in three districts; ``spike`` extra billing tickets in 南开 in the last week."""
    rng = np.random.default_rng(seed)
    rows = []
    for w, day in enumerate(WEEKS):
        for district, rate in (("和平", 12), ("南开", 8), ("河西", 20)):
            for issue in ISSUES:
                n = rng.poisson(rate)
                if spike and w == len(WEEKS) - 1 and district == "南开" and issue == "billing":
                    n += spike
                for _ in range(n):
                    rows.append({"ticket_id": f"T{len(rows)}", "区县": district, "受理时间": day.strftime("%Y-%m-%d"),
                                 "text": "工单", "servqual": ISSUES[issue], "demand": "delivery", "issue": issue,
                                 "stance": "complaint", "issue_conf": 0.9})
    return pd.DataFrame(rows)


def test_injected_spike_is_flagged_and_stable_series_are_not():
    res = frequencies(_tickets(spike=25), by=["区县"], date_col="受理时间", period="week", alerts=True)
    alerts = res.tables["alerts"]
    flagged = alerts[alerts["flagged"]]
    cells = set(zip(flagged["field"], flagged["label"], flagged["segment_col"], flagged["segment"]))
    assert ("issue", "billing", "区县", "南开") in cells
    # only cells that contain the spiked tickets rise: billing among issues; 南开 or the overall total
    assert {lab for f, lab, _, _ in cells if f == "issue"} == {"billing"}
    assert all(seg in ("南开", "") for _, _, _, seg in cells)
    row = flagged[(flagged["label"] == "billing") & (flagged["segment"] == "南开")].iloc[0]
    # the week is named as by_period names it, so the two tables join on it
    latest_week = res.tables["by_period"]["period"].max()
    assert row["period"] == latest_week == "{}-W{:02d}".format(*WEEKS[-1].isocalendar()[:2])
    assert row["baseline_periods"] == 8 and row["count"] >= 25 and row["q_value"] <= 0.05
    assert "alerts" in set(res.tables["notes"]["note"])


def test_stable_series_raise_no_alert():
    res = frequencies(_tickets(spike=0), by=["区县"], date_col="受理时间", period="week", alerts=True)
    assert not res.tables["alerts"]["flagged"].any()


def test_alerts_need_a_date_column():
    with pytest.raises(InputError, match="alerts= needs date_col="):
        frequencies(_tickets().rename(columns={"受理时间": "收到"}), by=["区县"], alerts=True)
    found = frequencies(_tickets(spike=25), by=["区县"], period="week", alerts=True)  # 受理时间, by its name
    assert found.date_col == "受理时间" and found.tables["alerts"]["flagged"].any()


def test_test_statistics():
    # BH: known values (R: p.adjust(c(.01,.04,.03,.5), "BH") = .04 .0533 .0533 .5)
    assert np.allclose(benjamini_hochberg([0.01, 0.04, 0.03, 0.5]), [0.04, 0.0533333, 0.0533333, 0.5], atol=1e-6)
    # one cell, 4 baseline periods of 2 each (s = 8), latest 10: P(Bin(18, 1/5) >= 10)
    periods = [pd.Period(f"2026-0{m}", "M") for m in range(1, 6)]
    counts = pd.DataFrame({"field": "issue", "label": "billing", "segment_col": "(all)", "segment": "",
                           "period": periods, "count": [2, 2, 2, 2, 10]})
    out = spike_alerts(counts, periods)
    from scipy.stats import binom

    assert out.loc[0, "p_value"] == pytest.approx(binom.sf(9, 18, 0.2))
    assert out.loc[0, "baseline_mean"] == 2 and out.loc[0, "ratio"] == 5
    # below the minimum count: not tested at all
    assert spike_alerts(counts.assign(count=[0, 0, 0, 0, 4]), periods).empty


def test_cli_alerts_table_and_report_section(tmp_path):
    src = tmp_path / "tagged.csv"
    _tickets(spike=25).to_csv(src, index=False)
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(src), "-o", str(out), "--by", "区县", "--period", "week",
                                    "--date-col", "受理时间", "--alerts"])
    assert res.exit_code == 0, res.output
    assert "alerts:" in res.output
    table = pd.read_csv(out / "alerts.csv", encoding="utf-8-sig")
    assert table["flagged"].any()
    html = (out / "charts.html").read_text(encoding="utf-8")
    assert 'id="alerts"' in html and "南开" in html


def test_a_cell_new_in_the_latest_period_is_tested_and_written(tmp_path):
    # 区县 滨海 has no tickets before the last week: its baseline is 0 and its ratio has no value
    # (it was inf, and writing frequencies.xlsx failed)
    new = _tickets(spike=0)
    last = WEEKS[-1].strftime("%Y-%m-%d")
    extra = pd.DataFrame([{**new.iloc[0].to_dict(), "ticket_id": f"N{i}", "区县": "滨海", "受理时间": last,
                           "issue": "signal", "servqual": "reliability"} for i in range(12)])
    src = tmp_path / "tagged.csv"
    pd.concat([new, extra], ignore_index=True).to_csv(src, index=False)
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(src), "-o", str(out), "--by", "区县", "--period", "week",
                                    "--date-col", "受理时间", "--alerts"])
    assert res.exit_code == 0, res.output
    table = pd.read_excel(out / "frequencies.xlsx", sheet_name=None)
    alerts = next(t for name, t in table.items() if "alert" in name.lower() or "预警" in name)
    row = alerts[(alerts["segment"] == "滨海") & (alerts["label"] == "signal")].iloc[0]
    assert row["count"] == 12 and row["baseline_mean"] == 0 and pd.isna(row["ratio"]) and row["flagged"]
    html = (out / "charts.html").read_text(encoding="utf-8")
    assert "<td>新出现</td>" in html and "nan" not in html.split('id="alerts"')[1].split("</table>")[0]


def test_a_partial_first_week_is_no_baseline():
    """QA: a month's export starts inside a week (Sunday 1 November); that one day entered the baseline as a
    week, lowered every cell's baseline mean and flagged ordinary weeks (25 cells instead of 9 on a team's
    November). A partial first period is now left out of the baseline: the same alerts as without its rows."""
    days = pd.date_range("2026-11-01", "2026-11-29", freq="D")  # Sun 1 (W44, 1 day) … Sun 29 (W48, whole)
    rows = []
    for day in days:
        for _ in range(13 if day >= pd.Timestamp("2026-11-23") else 10):  # the last week a little higher
            rows.append({"ticket_id": f"T{len(rows)}", "受理时间": f"{day:%Y-%m-%d} 10:00", "text": "工单",
                         "servqual": "reliability", "demand": "delivery", "issue": "signal", "stance": "complaint",
                         "issue_conf": 0.9})
    df = pd.DataFrame(rows)
    whole = df[df["受理时间"] >= "2026-11-02"]
    got = frequencies(df, date_col="受理时间", period="week", alerts=True).tables
    want = frequencies(whole, date_col="受理时间", period="week", alerts=True).tables["alerts"]
    pd.testing.assert_frame_equal(got["alerts"], want)
    assert not got["alerts"]["flagged"].any()  # 91 against 70 a week: ratio 1.3, not tested
    note = got["notes"].set_index("note").loc["partial periods", "detail"]
    assert note.startswith("the first week 2026-W44 has dates 2026-11-01 … 2026-11-01 only (1 of 7 days)")
    assert "leave a partial first week out of the baseline" in note


def test_dates_that_are_period_starts_make_no_partial_periods():
    """Dates of the periods' first days only (Mondays here; months as 2026-11) cannot tell a partial period."""
    notes = frequencies(_tickets(), date_col="受理时间", period="week").tables["notes"]
    assert "partial periods" not in notes["note"].tolist()
    months = _tickets().assign(受理时间=lambda d: d["受理时间"].str[:7])
    assert "partial periods" not in frequencies(months, date_col="受理时间", period="month").tables["notes"]["note"].tolist()


def test_too_few_periods_say_the_alerts_were_not_tested(tmp_path):
    # two months of tickets (a complaint team's November and December) with --alerts: the table was empty and the
    # run said 'alerts: 0 of 0 tested label × segment cells rising', which reads as 'nothing is rising'
    two = _tickets(spike=0).assign(受理时间=lambda d: np.where(d.index % 2 == 0, "2026-11-01", "2026-12-31"))
    src = tmp_path / "tagged.csv"
    two.to_csv(src, index=False)
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(src), "-o", str(out), "--by", "区县", "--alerts"])
    assert res.exit_code == 0, res.output
    assert "0 of 0 tested" not in res.output
    line = next(l for l in res.output.splitlines() if l.startswith("alerts not tested:"))
    assert "2 months (2026-11 … 2026-12)" in line and "at least 3 earlier" in line and "4 months" in line
    assert "--period week" in line  # the command's flag, not period='week'
    notes = pd.read_csv(out / "notes.csv", encoding="utf-8-sig").set_index("note")
    assert notes.at["alerts not tested", "count"] == 2
    html = (out / "charts.html").read_text(encoding="utf-8")
    assert ("未检验：数据只有 2 个时期，本期至少要与 3 个更早的时期比较，所以没有检验任何单元格，预警表为空——这并不说明没有上升。"
            "请提供 4 个月或以上的数据，或按周统计（--period week）") in html and "0 of 0 tested" not in html
    # from Python: the same row, in Python's words; enough periods: no such row
    res = frequencies(two, by=["区县"], date_col="受理时间", alerts=True)
    assert "period='week'" in res.tables["notes"].set_index("note").at["alerts not tested", "detail"]
    weekly = frequencies(_tickets(spike=0), by=["区县"], date_col="受理时间", period="week", alerts=True)
    assert "alerts not tested" not in set(weekly.tables["notes"]["note"])


def _split_tickets(latest_billing: int = 5) -> pd.DataFrame:
    """A split ticket export (statement_id, ticket_id) of ten weeks: 南开's billing tickets are 2 a week, each cut
    into 3 statements, and ``latest_billing`` in the last week; 和平's signal tickets (one statement each) are 2 a
    week and 10 in the last."""
    rows = []
    for w, day in enumerate(WEEKS):
        last = w == len(WEEKS) - 1
        for district, issue, per_ticket, n in (("南开", "billing", 3, latest_billing if last else 2),
                                               ("和平", "signal", 1, 10 if last else 2)):
            for t in range(n):
                tid = f"{district}{w}-{t}"
                for s in range(per_ticket):
                    rows.append({"statement_id": f"{tid}-s{s + 1:02d}", "ticket_id": tid, "区县": district,
                                 "受理时间": day.strftime("%Y-%m-%d"), "text": f"工单{tid}第{s + 1}句",
                                 "servqual": "reliability", "demand": "function", "issue": issue,
                                 "stance": "complaint", "is_duplicate": "False"})
    return pd.DataFrame(rows)


def _issue_cell(alerts, label, segment):
    t = alerts[(alerts["field"] == "issue") & (alerts["label"] == label) & (alerts["segment"] == segment)]
    return t.iloc[0]


def test_split_tickets_are_alerted_by_tickets_not_statements():
    # 南开's billing: 5 tickets (15 statements) against 2 a week (6 statements): as statements p = 0.003, flagged;
    # as tickets p = 0.076, not — three sentences of one ticket are one customer complaining
    res = frequencies(_split_tickets(), by=["区县"], date_col="受理时间", period="week", alerts=True)
    alerts = res.tables["alerts"]
    assert list(alerts.columns[6:8]) == ["count", "tickets"]
    billing = _issue_cell(alerts, "billing", "南开")
    assert (billing["count"], billing["tickets"], billing["baseline_mean"]) == (15, 5, 2.0)
    assert not billing["flagged"] and billing["p_value"] == pytest.approx(0.0757, abs=1e-3)
    signal = _issue_cell(alerts, "signal", "和平")  # a rise of tickets is still one
    assert (signal["count"], signal["tickets"]) == (10, 10) and signal["flagged"]
    detail = res.tables["notes"].set_index("note").at["alerts", "detail"]
    assert "counted in tickets" in detail and "count gives the cell's statements" in detail


def test_a_ticket_split_over_chunks_is_one_ticket_in_the_alerts():
    df = _split_tickets(latest_billing=8)
    whole = frequencies(df, by=["区县"], date_col="受理时间", period="week", alerts=True).tables["alerts"]
    chunks = [df.iloc[i:i + 7] for i in range(0, len(df), 7)]  # 7 rows a chunk: tickets of 3 cut apart
    split = frequencies(chunks, by=["区县"], date_col="受理时间", period="week", alerts=True).tables["alerts"]
    pd.testing.assert_frame_equal(whole, split)
    assert _issue_cell(whole, "billing", "南开")[["count", "tickets"]].tolist() == [24, 8]


def test_focus_groups_beside_tickets_leave_the_alerts_in_tickets():
    df = _split_tickets()
    fg = pd.DataFrame({"statement_id": [f"FG-t{i:04d}-s01" for i in range(30)], "ticket_id": "", "区县": "南开",
                       "受理时间": "", "text": [f"座谈会第{i}句" for i in range(30)], "servqual": "reliability",
                       "demand": "function", "issue": "billing", "stance": "complaint", "is_duplicate": "False",
                       "role": "participant", "session_date": "2026-11-09"})
    res = frequencies(pd.concat([df.assign(role="", session_date=""), fg], ignore_index=True), by=["区县"],
                      date_col="受理时间", period="week", alerts=True)
    billing = _issue_cell(res.tables["alerts"], "billing", "南开")
    # the focus group is not in the trend (its only date is the session's): the alerts count the tickets alone
    assert (billing["count"], billing["tickets"], billing["flagged"]) == (15, 5, False)
    # a dated statement without a ticket and no focus group's (a comment added to the table) counts as one
    other = fg.head(3).assign(statement_id=["C1", "C2", "C3"], role="", session_date="",
                              受理时间=WEEKS[-1].strftime("%Y-%m-%d"))
    res = frequencies(pd.concat([df.assign(role="", session_date=""), fg, other], ignore_index=True), by=["区县"],
                      date_col="受理时间", period="week", alerts=True)
    billing = _issue_cell(res.tables["alerts"], "billing", "南开")
    assert (billing["count"], billing["tickets"]) == (18, 8)
    assert "a statement without a ticket that is counts as one" in res.tables["notes"].set_index("note").at[
        "alerts", "detail"]


def test_the_run_and_the_charts_say_the_alerts_count_tickets(tmp_path):
    path = tmp_path / "split.csv"
    _split_tickets().to_csv(path, index=False)
    out = CliRunner().invoke(main, ["freq", str(path), "-o", str(tmp_path / "f"), "--by", "区县", "--period", "week",
                                    "--date-col", "受理时间", "--alerts"])
    assert out.exit_code == 0, out.output
    assert "rising in the latest week, counted in tickets (alerts.csv)" in out.output
    page = (tmp_path / "f" / "charts.html").read_text(encoding="utf-8")
    assert "<th>工单数</th><th>陈述数</th><th>基线均值（工单）</th>" in page and "按工单计：一张工单拆成几句同类陈述只计一次" in page
    assert list(pd.read_csv(tmp_path / "f" / "alerts.csv").columns[6:8]) == ["count", "tickets"]


def test_partitions_merged_as_the_dask_engine_merges_them_count_a_ticket_once():
    from voiceofcustomer.freq.tables import make_tally

    df = _split_tickets(latest_billing=8)
    opts = dict(by="区县", date_col="受理时间", period="week", alerts=True)
    def tally():
        t = make_tally(**opts)
        t.id_name, t.one_source = "statement_id", False  # as frequencies() and feed_tally() set them up
        return t

    one = tally()
    one.add(df)
    cut = len(df) - 12  # inside a 3-statement billing ticket of the last week (南开9-7)
    assert df["ticket_id"].iloc[cut - 1] == df["ticket_id"].iloc[cut]
    first, second = tally(), tally()
    first.add(df.iloc[:cut])
    second.add(df.iloc[cut:].reset_index(drop=True))
    merged = first.merge(second).result().tables["alerts"]
    pd.testing.assert_frame_equal(one.result().tables["alerts"], merged)
    assert _issue_cell(merged, "billing", "南开")[["count", "tickets"]].tolist() == [24, 8]
