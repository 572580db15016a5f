"""voc survey says what the workbook left out: "5 items" alone did not tell a questionnaire designer that 40
candidates were still undecided and 7 rejected, so nothing seemed dropped without a word only if they counted.

Now the summary line ends "; left out: N undecided, M rejected" and the undecided rows are named (10 at most),
and load_reviewed gives them in ``attrs["left_out"]``. An empty row of the sheet is no item and not counted.
"""

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.items.survey import load_reviewed

from test_survey import COLUMNS, ROWS, _workbook


def _undecided(k: int) -> tuple:
    return (f"U{k:02d}", "empathy", f"优秀的电信运营商应当提供第{k}种套餐", f"该运营商提供第{k}种套餐", "", "", "")


def test_load_reviewed_keeps_the_rows_it_left_out(tmp_path):
    rows = ROWS + [("",) * len(COLUMNS)]  # an empty row at the end of the sheet
    items = load_reviewed(_workbook(tmp_path / "items.xlsx", rows))
    assert len(items) == 5
    assert items.attrs["left_out"] == {"undecided": [{"row": 6, "item_id": "M01"}],
                                       "rejected": [{"row": 4, "item_id": "S01"}, {"row": 8, "item_id": "S02"}]}


def test_the_summary_counts_the_undecided_and_rejected_rows_and_names_the_undecided(tmp_path):
    book = _workbook(tmp_path / "items.xlsx", ROWS + [_undecided(k) for k in range(1, 13)])
    res = CliRunner().invoke(main, ["survey", str(book), "-o", str(tmp_path / "survey"), "--format", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == ("5 items (3 with edited wording; tangibles 2, reliability 2, assurance 1); "
                        "left out: 13 undecided, 2 rejected")
    assert lines[1] == ("  undecided (decision blank), not in the survey: M01 (row 6), U01 (row 10), U02 (row 11), "
                        "U03 (row 12), U04 (row 13), U05 (row 14), U06 (row 15), U07 (row 16), U08 (row 17), "
                        "U09 (row 18) and 3 more; set decision to accept, edit or reject to field or drop them")
    codebook = pd.read_csv(tmp_path / "survey" / "codebook.csv", encoding="utf-8-sig")
    assert not codebook["item_id"].str.startswith("U").any()


def test_a_workbook_with_every_row_decided_says_none_left_out(tmp_path):
    decided = [r[:4] + ("reject" if r[4] == "" else r[4],) + r[5:] for r in ROWS]
    res = CliRunner().invoke(main, ["survey", str(_workbook(tmp_path / "items.xlsx", decided)), "-o",
                                    str(tmp_path / "survey"), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0].endswith("; left out: 0 undecided, 3 rejected")
    assert "undecided (decision blank)" not in res.output
