"""voc survey on a review workbook a questionnaire designer edited (designer QA pass 2): the expectation a
one-line edit derives reads as Chinese, and an edit that left E and P about two subjects is refused."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import DataQualityError
from voiceofcustomer.items.survey import expectation_form, load_reviewed

COLUMNS = ["item_id", "servqual", "e_text", "p_text", "decision", "edited_text", "reverse"]
ROWS = [
    ("A01", "assurance", "优秀的电信运营商应当让客服人员熟悉业务规则", "该运营商的客服人员熟悉业务规则", "accept", "", ""),
    ("T01", "tangibles", "优秀的营业厅应当有舒适的座椅", "该营业厅有舒适的座椅", "accept", "", ""),
]


def _workbook(path, edits):
    rows = [r[:4] + (("edit" if r[0] in edits else r[4]), edits.get(r[0], "")) + r[6:] for r in ROWS]
    pd.DataFrame(rows, columns=COLUMNS).to_excel(path, sheet_name="items", index=False)
    return path


# -- the store's people and parts named right after the subject -----------------------------------------------
# Before: 该营业厅员工熟悉业务规则 (a designer's one-line edit) gave 优秀的营业厅应当员工熟悉业务规则 — 应当 before
# the noun the rest is said of — and voc survey fielded it; 提供的宽带网速… likewise read 应当提供的宽带网速….

@pytest.mark.parametrize("p, e", [
    ("该营业厅员工熟悉业务规则", "优秀的营业厅应当做到员工熟悉业务规则"),
    ("该营业厅工作人员穿着整洁", "优秀的营业厅应当做到工作人员穿着整洁"),
    ("该营业厅环境整洁干净", "优秀的营业厅应当做到环境整洁干净"),
    ("该运营商客服热线容易打通", "优秀的电信运营商应当做到客服热线容易打通"),
    ("该运营商提供的宽带网速与宣传一致", "优秀的电信运营商应当做到提供的宽带网速与宣传一致"),
    # the operator's own action stays as it was
    ("该运营商用心对待每一位客户", "优秀的电信运营商应当用心对待每一位客户"),
    ("该营业厅提供充足的座椅", "优秀的营业厅应当提供充足的座椅"),
    ("该营业厅的员工始终礼貌待客", "优秀的营业厅应当做到员工始终礼貌待客"),
])
def test_expectation_of_a_perception_that_names_a_person_or_part_first(p, e):
    assert expectation_form(p) == e


def test_a_one_line_edit_fields_the_derived_expectation(tmp_path):
    items = load_reviewed(_workbook(tmp_path / "items.xlsx", {"A01": "该营业厅员工熟悉业务规则"}))
    row = items.set_index("item_id").loc["A01"]
    assert (row["e_text"], row["p_text"]) == ("优秀的营业厅应当做到员工熟悉业务规则", "该营业厅员工熟悉业务规则")


# -- an expectation and a perception about two subjects --------------------------------------------------------
# Before: a 'P:' edit that made an operator item a store item (P: 该营业厅的员工熟悉业务规则) kept the candidate's
# E, 优秀的电信运营商应当让客服人员熟悉业务规则; voc survey fielded the pair without a word and voc gap computed
# P − E across the store's staff and the operator's call-centre staff.

def test_a_perception_edit_that_changed_the_subject_is_refused(tmp_path):
    path = _workbook(tmp_path / "items.xlsx", {"A01": "P: 该营业厅的员工熟悉业务规则"})
    with pytest.raises(DataQualityError) as exc:
        load_reviewed(path)
    msg = str(exc.value)
    assert "row 2 (item A01)" in msg and "\n" not in msg
    assert "'优秀的电信运营商应当让客服人员熟悉业务规则'" in msg and "'该营业厅的员工熟悉业务规则'" in msg
    assert "E: 优秀的营业厅应当做到员工熟悉业务规则" in msg  # what to write


def test_an_expectation_edit_that_changed_the_subject_is_refused(tmp_path):
    path = _workbook(tmp_path / "items.xlsx", {"T01": "E: 优秀的电信运营商应当提供舒适的座椅"})
    with pytest.raises(DataQualityError, match=r"row 3 \(item T01\).*about the 电信运营商.*about the 营业厅"):
        load_reviewed(path)


def test_a_one_sided_edit_about_the_same_subject_still_passes(tmp_path):
    items = load_reviewed(_workbook(tmp_path / "items.xlsx", {"T01": "P: 该营业厅的等候座椅舒适",
                                                              "A01": "E: 您期望电信运营商让客服人员熟悉业务规则"}))
    assert items.set_index("item_id").loc["T01", "e_text"] == "优秀的营业厅应当有舒适的座椅"


def test_voc_survey_says_so_in_one_line_and_writes_nothing(tmp_path):
    path = _workbook(tmp_path / "items.xlsx", {"A01": "P: 该营业厅的员工熟悉业务规则"})
    res = CliRunner().invoke(main, ["survey", str(path), "-o", str(tmp_path / "survey")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "item A01" in lines[0] and "two things" in lines[0]
    assert not (tmp_path / "survey").exists()
