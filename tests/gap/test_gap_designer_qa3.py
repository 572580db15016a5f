"""voc gap as a questionnaire designer at a provincial operator meets it the first time (designer QA pass 3):
a response file typed by hand with a header typo, and the report page read in Chinese."""

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import ColumnError
from voiceofcustomer.gap.analysis import gap_analysis


# Before: a GBK response file of 34 columns whose P_Q16 was typed P_Q61 stopped with 'missing column P_Q16; …;
# columns are: respondent_id, 营业厅, E_Q01, … P_Q12 …' — the list stopped after 30 columns, before P_Q61, so the
# message never showed the column that was meant. Now it names the E_/P_ columns no codebook item has, each with
# the missing column it most likely is.

def test_a_header_typo_is_named_with_the_column_it_should_be(data_dir, tmp_path):
    gap_dir = data_dir / "gap"
    res = CliRunner().invoke(main, ["gap", str(gap_dir / "responses_typo_header_gbk.csv"), "--codebook",
                                    str(gap_dir / "codebook_sixteen.csv"), "-o", str(tmp_path / "gap")])
    assert res.exit_code == 2, res.output
    line = res.output.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert "responses_typo_header_gbk.csv: missing column P_Q16;" in line
    assert "P_Q61 (is it P_Q16?)" in line and "rename it" in line
    assert not (tmp_path / "gap").exists()


def test_stray_columns_are_paired_with_their_own_side():
    book = pd.DataFrame({"item_id": ["A1", "A2"], "dimension": ["tangibles"] * 2, "e_text": ["甲", "乙"],
                         "p_text": ["甲1", "乙1"]})
    df = pd.DataFrame({"E_A1": [6, 7], "e_a2": [6, 5], "P_A1": [5, 4], "P-A2": [4, 4]})
    try:
        gap_analysis(df, book)
    except ColumnError as e:
        said = str(e)
    else:
        raise AssertionError("no error")
    assert "missing columns E_A2, P_A2" in said
    assert "e_a2 (is it E_A2?)" in said and "P-A2 (is it P_A2?)" in said
