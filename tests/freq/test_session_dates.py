"""A focus group's statements have no value in a ticket export's date column: voc freq --date-col
dates them by their transcript header's date (session_date), and says how many."""
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq.tables import count_table, period_labels

DATA = Path(__file__).resolve().parents[1] / "data"
MIXED = DATA / "tagged_focus_group_and_tickets.csv"


def _notes(result):
    return result.tables["notes"].set_index("note")


def test_statements_with_no_date_are_dated_by_their_session():
    result, _ = count_table(MIXED, date_col="受理时间")
    notes = _notes(result)
    # two participants' statements of the transcript have no 受理时间; the third has one of its own (kept)
    assert notes.at["dated from the session date", "count"] == 2
    assert notes.at["no date", "count"] == 1  # tk-4: a ticket with no date and no session
    issue = result.tables["by_period"].query("field == 'issue'").set_index(["period", "label"])["count"]
    assert issue[("2026-11", "broadband")] == 2  # the transcript's 宽带 (its session 2026-11-03) and tk-3
    assert issue[("2026-11", "signal")] == 1
    assert issue[("2026-10", "attitude")] == 1  # its own 受理时间 2026-10-20, not the session's


def test_only_an_empty_date_cell_takes_the_session_date():
    from voiceofcustomer.freq.tables import session_dated

    rows = pd.DataFrame({"受理时间": ["", "2026-10-20", "坏日期", None, ""],
                         "session_date": ["2026-11-03", "2026-11-03", "2026-11-03", "", "十一月初"]})
    dates, held = session_dated(rows, "受理时间")
    assert held.tolist() == [True, False, False, False, False]
    assert period_labels(dates, "month").tolist() == ["2026-11", "2026-10", "", "", ""]


def test_cli_freq_says_how_many_were_dated_by_their_session(tmp_path):
    res = CliRunner().invoke(main, ["freq", str(MIXED), "--date-col", "受理时间", "-o", str(tmp_path / "f")])
    assert res.exit_code == 0, res.output
    assert "2 statements with no date in '受理时间' dated by their focus group's date (session_date" in res.output
    notes = pd.read_csv(tmp_path / "f" / "notes.csv").set_index("note")
    assert notes.at["dated from the session date", "count"] == 2
