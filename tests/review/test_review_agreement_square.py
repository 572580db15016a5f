"""voc agreement's confusion tables are square: one coder used praise, the other never did."""

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.review.agreement import agreement_from_project, agreement_from_tables

DATA = Path(__file__).parent.parent / "data" / "review"
A, B = DATA / "coder_a_praise.csv", DATA / "coder_b_no_praise.csv"


def test_a_value_one_coder_never_used_is_on_both_axes_in_the_taxonomys_order(tmp_path):
    # coder_a wrote praise on P1, coder_b neutral: the table was 4 rows × 3 columns (no praise column)
    res = agreement_from_tables(A, B)
    tab = res.confusion[("stance", "coder_a_praise", "coder_b_no_praise")]
    assert list(tab.index) == list(tab.columns) == ["complaint", "suggestion", "praise", "neutral"]
    assert tab.loc["praise", "praise"] == 0 and tab.loc["praise", "neutral"] == 1
    assert int(tab.to_numpy().trace()) == 4  # the diagonal is the agreement: 4 of 5
    servqual = res.confusion[("servqual", "coder_a_praise", "coder_b_no_praise")]
    assert list(servqual.index) == list(servqual.columns) == ["reliability", "assurance", "empathy", "none"]


def test_the_workbook_holds_the_square_table(tmp_path):
    out = tmp_path / "agreement.xlsx"
    r = CliRunner().invoke(main, ["agreement", str(A), str(B), "-o", str(out)])
    assert r.exit_code == 0, r.output
    sheets = pd.read_excel(out, sheet_name=None, index_col=0, engine="openpyxl")
    (stance,) = [t for name, t in sheets.items() if "_stance_" in name]
    assert list(stance.index) == list(stance.columns) == ["complaint", "suggestion", "praise", "neutral"]


def test_a_project_pair_gets_the_union_of_both_coders_labels(project):
    project.decide("t:1-s01", {"stance": "praise"}, "wang")
    project.decide("t:1-s01", {"stance": "complaint"}, "li")
    project.decide("t:2-s01", {"stance": "complaint"}, "wang")
    project.decide("t:2-s01", {"stance": "complaint"}, "li")
    tab = agreement_from_project(project.path, model=False).confusion[("stance", "li", "wang")]
    assert list(tab.index) == list(tab.columns) == ["complaint", "praise"]
    assert tab.loc["complaint", "praise"] == 1 and tab.loc["praise", "complaint"] == 0
