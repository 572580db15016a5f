"""voc freq over several tagged files takes a row whose id and text an earlier file had for that row read again (an
export and its grown successor side by side). A survey's answer numbers are its own (two surveys both have an
answer 1, voc split's ticket_id since 7 Dec 2026), so answer 1 of survey_a and answer 1 of survey_b both writing
希望资费再便宜一点。 were taken for one answer read twice: 3 of 4 answers counted. Now a survey's answer is keyed by its
source file too; a ticket id is the ticket system's (GD001 in two exports is one ticket), and the same file given
twice is still read twice.

Fixtures tests/data/survey_ids/tagged_survey_a.csv, tagged_survey_b.csv (written): two surveys split and tagged,
answers 1 and 2 each (answer 1 the same words), and the same ticket GD001 in each file."""

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq.tables import count_table


@pytest.fixture
def surveys(data_dir, tmp_path):
    folder = tmp_path / "tagged"
    folder.mkdir()
    shutil.copy(data_dir / "survey_ids" / "tagged_survey_a.csv", folder)
    # the second as Parquet, as voc tag writes big outputs: the typed reader keys its rows the same way
    pd.read_csv(data_dir / "survey_ids" / "tagged_survey_b.csv", dtype=str, keep_default_na=False).to_parquet(
        folder / "tagged_survey_b.parquet", index=False)
    return folder


def _notes(result):
    return result.tables["notes"].set_index("note")["count"]


def test_answer_1_of_two_surveys_is_two_answers_and_a_ticket_in_two_files_one(surveys):
    result, _ = count_table(surveys)
    assert _notes(result)["rows repeated from an earlier file excluded"] == 1  # GD001 read again, not answer 1
    assert result.rows_counted == 5
    billing = result.tables["overall"].set_index(["field", "label"]).at[("issue", "billing"), "count"]
    assert billing == 3  # 希望资费再便宜一点。 of both surveys and GD001 once


def test_the_same_survey_given_twice_is_read_twice(data_dir, tmp_path):
    folder = tmp_path / "twice"
    folder.mkdir()
    for name in ("tagged_survey_a.csv", "tagged_survey_a_again.csv"):
        shutil.copy(data_dir / "survey_ids" / "tagged_survey_a.csv", folder / name)
    result, _ = count_table(folder)
    assert _notes(result)["rows repeated from an earlier file excluded"] == 3
    assert result.rows_counted == 3


def test_the_summary_says_only_the_ticket_was_read_again(surveys, tmp_path):
    res = CliRunner().invoke(main, ["freq", str(surveys), "-o", str(tmp_path / "freq")])
    assert res.exit_code == 0, res.output
    assert "counted 5 of 6 statements" in res.output and "1 repeated from an earlier file" in res.output
