"""Transcripts and tickets counted together (``voc analyze fg.docx tickets.xlsx``): the trend (by_period, the
alerts, the report's chart) counts the tickets, dated when each customer called; a focus group's statements,
whose only date is their session's, are counted in every other table and said apart. Before, the session
dated them: one afternoon's statements made a month of their own beside the tickets' months (QA: 2026-09
held 25 statements beside 300 tickets a month, read as a rise from nothing)."""
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import DataQualityError
from voiceofcustomer.freq.tables import count_table, frequencies, make_tally, period_labels

DATA = Path(__file__).resolve().parents[1] / "data"
MIXED = DATA / "tagged_focus_group_and_tickets.csv"
#: a focus group of 2026-09-18 (1 moderator, 3 participants: 2 billing, 1 signal) and 4 split tickets of
#: October and November (TK1: 3 billing sentences, TK2 billing, TK3 signal and a staff sentence, TK4 broadband)
SPLIT = DATA / "tagged_focus_group_and_split_tickets.csv"


def _notes(result):
    return result.tables["notes"].set_index("note")


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _check_trend(result):
    notes = _notes(result)
    assert notes.at["transcript statements not in the trend", "count"] == 3
    assert notes.at["no date", "count"] == 0  # the focus group's statements are not rows with no date
    assert notes.at["periods", "count"] == 2
    by_period = result.tables["by_period"]
    assert sorted(set(by_period["period"])) == ["2026-10", "2026-11"]  # no month of the session (2026-09)
    issue = by_period.query("field == 'issue'").set_index(["period", "label"])
    assert issue.loc[("2026-10", "billing"), ["count", "tickets"]].tolist() == [4, 2]
    assert issue.loc[("2026-11", "signal"), ["count", "tickets"]].tolist() == [1, 1]
    assert issue.loc[("2026-11", "billing"), "count"] == 0
    # every other table counts them
    overall = result.tables["overall"].set_index(["field", "label"])
    assert overall.loc[("issue", "billing"), ["count", "tickets"]].tolist() == [6, 2]
    assert overall.loc[("issue", "signal"), ["count", "tickets"]].tolist() == [2, 1]
    assert result.rows_counted == 9


def test_the_trend_counts_tickets_and_the_focus_group_is_said_apart():
    _check_trend(frequencies(_read(SPLIT), date_col="受理时间"))


def test_a_focus_groups_statements_are_no_ticket():
    """ticket_id is blank on a transcript's rows: they were one "ticket" in the tickets column (billing 3 tickets
    for TK1, TK2 and the focus group; 5 tickets counted for 4)."""
    result = frequencies(_read(SPLIT))
    assert _notes(result).at["tickets counted", "count"] == 4
    overall = result.tables["overall"].set_index(["field", "label"])
    assert overall.loc[("issue", "billing"), ["count", "tickets"]].tolist() == [6, 2]


def test_partitions_merged_as_the_dask_engine_merges_them(tmp_path):
    """The Dask engine tallies each partition on a worker and merges the tallies in order: the same tables."""
    from voiceofcustomer.engines.dask import _tally_partition

    rows = _read(SPLIT)
    parts = [tmp_path / "a_fg.csv", tmp_path / "b_tickets.csv"]
    rows.iloc[:6].to_csv(parts[0], index=False)  # the focus group and TK1's first two sentences
    rows.iloc[6:].to_csv(parts[1], index=False)
    opts = dict(date_col="受理时间", period="month", text_col="text", source=str(tmp_path))
    total = make_tally(**opts)
    total.across_files = True
    for p in parts:
        tally, _ = _tally_partition(str(p), {}, opts, True)
        total.merge(tally)
    _check_trend(total.result())
    local, _ = count_table(tmp_path, date_col="受理时间")
    _check_trend(local)


def test_a_date_of_its_own_is_kept_and_a_ticket_without_one_has_no_date():
    result, _ = count_table(MIXED, date_col="受理时间")
    notes = _notes(result)
    # two participants' statements of the transcript have no 受理时间; the third has one of its own (kept)
    assert notes.at["transcript statements not in the trend", "count"] == 2
    assert notes.at["no date", "count"] == 1  # tk-4: a ticket with no date
    issue = result.tables["by_period"].query("field == 'issue'").set_index(["period", "label"])["count"]
    assert issue[("2026-11", "broadband")] == 1  # tk-3 alone: not the transcript's 宽带 (its session 2026-11-03)
    assert issue[("2026-11", "signal")] == 0
    assert issue[("2026-10", "attitude")] == 1  # its own 受理时间 2026-10-20


def test_trend_dates_leaves_out_a_focus_groups_rows_without_a_date():
    from voiceofcustomer.freq.tables import trend_dates

    rows = pd.DataFrame({"受理时间": ["", "2026-10-20", "坏日期", None, "", ""],
                         "session_date": ["2026-11-03", "2026-11-03", "2026-11-03", "", "十一月初", ""],
                         "role": ["participant", "participant", "participant", "", "participant", "participant"]})
    dates, apart = trend_dates(rows, "受理时间")
    # a header date, a date of its own (kept), an unreadable one (kept: no date), a ticket, a header
    # without a date, a transcript without a header date
    assert apart.tolist() == [True, False, False, False, True, True]
    assert period_labels(dates, "month").tolist() == ["", "2026-10", "", "", "", ""]
    # the sessions asked for as the dates: nothing apart
    assert not trend_dates(rows, "session_date")[1].any()


def test_focus_groups_alone_with_a_ticket_date_column_are_told_to_count_by_session():
    rows = _read(SPLIT).iloc[:4]
    with pytest.raises(DataQualityError, match="focus-group statements.*date_col='session_date'"):
        frequencies(rows, date_col="受理时间")
    by_session = frequencies(rows, date_col="session_date").tables["by_period"]
    assert set(by_session["period"]) == {"2026-09"}


def test_cli_freq_says_the_focus_group_is_not_in_the_trend(tmp_path):
    res = CliRunner().invoke(main, ["freq", str(SPLIT), "--date-col", "受理时间", "-o", str(tmp_path / "f")])
    assert res.exit_code == 0, res.output
    assert "3 focus-group statements not in by_period or the alerts: the trend counts tickets by '受理时间'" \
        in res.output
    notes = pd.read_csv(tmp_path / "f" / "notes.csv").set_index("note")
    assert notes.at["transcript statements not in the trend", "count"] == 3
    assert "未计入时间趋势的座谈会陈述" in (tmp_path / "f" / "charts.html").read_text(encoding="utf-8")
