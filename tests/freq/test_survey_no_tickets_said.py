"""voc freq over a survey's open answers (split with --kind survey, tagged): no row is a ticket, and the summary line
said 'counted 3 of 3 statements in 0 tickets (…)' — as if the tickets had been lost. Now the ticket phrase is said only
when there are tickets; with tickets beside the answers it is their count. Fixture
tests/data/survey_ids/tagged_wenjuan_nov.csv (written earlier)."""

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data" / "survey_ids"


def test_a_survey_is_not_said_to_be_in_0_tickets(tmp_path):
    res = CliRunner().invoke(main, ["freq", str(DATA / "tagged_wenjuan_nov.csv"), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "counted 3 of 3 statements (0 moderator" in res.output and "ticket" not in res.output.split("→")[0]


def test_tickets_beside_the_answers_are_counted(tmp_path):
    rows = pd.read_csv(DATA / "tagged_wenjuan_nov.csv", dtype=str, keep_default_na=False)
    ticket = rows.iloc[[0]].assign(statement_id="GD1-s01", source="工单.csv", source_kind="ticket", ticket_id="GD1")
    pd.concat([rows, ticket]).to_csv(tmp_path / "mixed.csv", index=False)
    res = CliRunner().invoke(main, ["freq", str(tmp_path / "mixed.csv"), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0 and "counted 4 of 4 statements in 1 ticket (" in res.output


def test_a_survey_alone_has_no_ticket_columns(tmp_path):
    # with no counted ticket, every table carried tickets 0, ticket_n 0 and empty ticket shares, and the notes a
    # 'tickets counted 0' row: columns a questionnaire designer cannot read; now as a table with no ticket_id
    res = CliRunner().invoke(main, ["freq", str(DATA / "tagged_wenjuan_nov.csv"), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    for name in ("overall", "issue_x_servqual"):
        cols = pd.read_csv(tmp_path / "out" / f"{name}.csv").columns
        assert not [c for c in cols if c.startswith("ticket")], (name, list(cols))
    notes = pd.read_csv(tmp_path / "out" / "notes.csv")["note"].tolist()
    assert "tickets counted" not in notes and "rows counted" in notes


def test_tickets_beside_the_answers_keep_their_columns(tmp_path):
    rows = pd.read_csv(DATA / "tagged_wenjuan_nov.csv", dtype=str, keep_default_na=False)
    ticket = rows.iloc[[0]].assign(statement_id="GD1-s01", source="工单.csv", source_kind="ticket", ticket_id="GD1")
    pd.concat([rows, ticket]).to_csv(tmp_path / "mixed.csv", index=False)
    res = CliRunner().invoke(main, ["freq", str(tmp_path / "mixed.csv"), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    overall = pd.read_csv(tmp_path / "out" / "overall.csv")
    assert {"tickets", "ticket_share"} <= set(overall.columns)
    assert overall.set_index(["field", "label"]).at[("issue", "billing"), "tickets"] == 1
