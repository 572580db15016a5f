"""voc survey on a review workbook a questionnaire designer edited (designer QA pass 2): the expectation a
one-line edit derives reads as Chinese."""

import pandas as pd
import pytest

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
