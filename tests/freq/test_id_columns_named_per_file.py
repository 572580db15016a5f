"""voc freq over tagged exports with different id columns (a hotline's 工单编号, a survey's 答卷编号, given with
--id-col once each) named the first file's alone in its notes and summary: 'same 工单编号 and text' of a survey keyed
by its 答卷编号. Now, when the files' id columns differ, the notes name each with its files.

Fixtures tests/data/id_cols_per_file/tagged_hotline.csv, tagged_survey.csv (written); the test adds a copy of the
hotline export, whose rows are then repeated from an earlier file."""

import shutil

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq.tables import count_table

PER_FILE = "id — per file: 工单编号 (a_hotline.csv, c_hotline_again.csv), 答卷编号 (b_survey.csv) —"


def _folder(data_dir, tmp_path):
    folder = tmp_path / "tagged"
    folder.mkdir()
    here = data_dir / "id_cols_per_file"
    shutil.copy(here / "tagged_hotline.csv", folder / "a_hotline.csv")
    shutil.copy(here / "tagged_survey.csv", folder / "b_survey.csv")
    shutil.copy(here / "tagged_hotline.csv", folder / "c_hotline_again.csv")
    return folder


def test_the_notes_name_each_files_id_column(data_dir, tmp_path):
    result, _ = count_table(_folder(data_dir, tmp_path), id_col=["工单编号", "答卷编号"])
    notes = result.tables["notes"].set_index("note")
    assert notes.at["rows repeated from an earlier file excluded", "count"] == 2
    assert f"the same {PER_FILE} and text" in notes.at["rows repeated from an earlier file excluded", "detail"]
    assert f"the same {PER_FILE} word for word" in notes.at["duplicates excluded", "detail"]
    assert result.repeat_key == f"{PER_FILE} and text"


def test_the_summary_names_each_files_id_column_and_one_id_column_is_named_alone(data_dir, tmp_path):
    res = CliRunner().invoke(main, ["freq", str(_folder(data_dir, tmp_path)), "-o", str(tmp_path / "freq"),
                                    "--id-col", "工单编号", "--id-col", "答卷编号"])
    assert res.exit_code == 0, res.output
    assert f"(same {PER_FILE} and text)" in res.output
    (tmp_path / "tagged" / "b_survey.csv").unlink()  # the hotline's exports alone: its column, as before
    result, _ = count_table(tmp_path / "tagged", id_col="工单编号")
    assert result.repeat_key == "工单编号 and text"
