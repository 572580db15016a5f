"""Two ticket exports without an id column, both named 工单.csv (a/工单.csv, b/工单.csv), split each in its own run and
tagged, have the ids voc split makes from the row: 工单:1, 工单:2, 工单:3 in both. voc freq over the two took a row
of b whose made id and words a row of a had (工单:1 宽带晚上经常断网。, 工单:3 这个月话费多扣了二十元。) for that row
read again, and 工单:2 of both for one ticket: counted 4 of 6 statements in 3 tickets. Such an id names a row of its
file, not a ticket, so now it is not checked against earlier files and each file's 工单:2 is its own ticket: 6 of 6
in 6 tickets, and the notes and the summary say the rows were not checked (voc
themes: tests/themes/test_made_ids_across_inputs.py).

Fixtures tests/data/made_ids/tagged_a.csv, tagged_b.csv (written)."""

import shutil

from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq.tables import count_table


def _folder(data_dir, tmp_path, *names):
    folder = tmp_path / "tagged"
    folder.mkdir()
    for name in names:
        shutil.copy(data_dir / "made_ids" / name, folder / name)
    return folder


def test_made_ids_of_two_exports_are_two_files_tickets(data_dir, tmp_path):
    result, _ = count_table(_folder(data_dir, tmp_path, "tagged_a.csv", "tagged_b.csv"))
    notes = result.tables["notes"].set_index("note")
    assert notes.at["rows repeated from an earlier file excluded", "count"] == 0
    assert result.rows_counted == 6 and result.tickets_counted == 6
    assert result.made_id_rows == 6
    assert "6 rows of tickets whose ids voc split made from their row" in notes.at[
        "rows repeated from an earlier file excluded", "detail"]
    broadband = result.tables["overall"].set_index(["field", "label"]).at[("issue", "broadband"), "tickets"]
    assert broadband == 2  # 工单:1 宽带晚上经常断网。 of a and of b


def test_the_summary_says_made_ids_were_not_checked(data_dir, tmp_path):
    res = CliRunner().invoke(main, ["freq", str(_folder(data_dir, tmp_path, "tagged_a.csv", "tagged_b.csv")), "-o",
                                    str(tmp_path / "freq")])
    assert res.exit_code == 0, res.output
    assert "counted 6 of 6 statements in 6 tickets" in res.output
    assert "note: tickets of an export without an id column (ids voc split made from the row, 工单:3) were not " \
           "checked against earlier files" in res.output


def test_a_ticket_systems_id_in_two_files_is_still_one_ticket(data_dir, tmp_path):
    folder = _folder(data_dir, tmp_path, "tagged_a.csv")
    gd = (data_dir / "made_ids" / "tagged_b.csv").read_text(encoding="utf-8").replace(",工单:", ",GD00")
    (folder / "tagged_b.csv").write_text(gd, encoding="utf-8")
    (folder / "tagged_c.csv").write_text(gd, encoding="utf-8")  # GD001 … again: read again, left out
    result, _ = count_table(folder)
    assert result.tables["notes"].set_index("note").at["rows repeated from an earlier file excluded", "count"] == 3
    assert result.rows_counted == 6 and result.made_id_rows == 3

