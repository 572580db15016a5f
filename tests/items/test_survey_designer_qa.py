"""What a questionnaire designer does to the review workbook before voc survey (found in the
designer QA pass): Chinese decisions as the workbook's readme names them, a dimension changed in
the Chinese column, an item of their own, the same statement twice."""

import openpyxl
import pandas as pd
import pytest

from voiceofcustomer.errors import DataQualityError
from voiceofcustomer.items.survey import decision_of, load_reviewed

COLUMNS = ["item_id", "servqual", "servqual_zh", "e_text", "p_text", "decision", "edited_text", "reverse"]
ROWS = [
    ("R01", "reliability", "可靠性", "优秀的电信运营商应当提供稳定的宽带", "该运营商提供稳定的宽带", "", "", "false"),
    ("T01", "tangibles", "有形性", "优秀的营业厅应当整洁明亮", "该营业厅整洁明亮", "", "", "false"),
    ("S01", "responsiveness", "响应性", "优秀的电信运营商应当快速上门维修", "该运营商快速上门维修", "", "", "false"),
    ("A01", "assurance", "保证性", "优秀的营业厅应当准确解释资费", "该营业厅准确解释资费", "", "", "false"),
]


def _workbook(path, rows):
    df = pd.DataFrame(rows, columns=COLUMNS)
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        df.to_excel(xw, sheet_name="items", index=False)
    return path


def _decided(decisions):
    return [r[:5] + (d,) + r[6:] for r, d in zip(ROWS, decisions)]


def test_the_readme_words_decide_items(tmp_path):
    # The workbook's readme said 'accept（采纳）… reject（拒绝）'; 采纳 stopped voc survey as an unknown decision
    path = _workbook(tmp_path / "items.xlsx", _decided(["采纳", "删除", "是", "否"]))
    assert list(load_reviewed(path)["item_id"]) == ["R01", "S01"]


@pytest.mark.parametrize("word, decision", [("采纳", "accept"), ("保留", "accept"), ("是", "accept"),
                                            ("接受", "accept"), (" Accept ", "accept"), ("修改", "edit"),
                                            ("删除", "reject"), ("不采纳", "reject"), ("否", "reject"),
                                            ("拒绝", "reject"), (None, ""), ("maybe", None)])
def test_decision_words(word, decision):
    assert decision_of(word) == decision


def test_written_workbook_lets_chinese_decisions_be_typed(tmp_path):
    from voiceofcustomer.items.candidates import ItemCandidates, write_items_workbook

    items = pd.DataFrame([r[:5] + ("", "", "false") for r in ROWS], columns=COLUMNS)
    path = write_items_workbook(ItemCandidates(items=items, coverage=pd.DataFrame({"servqual": []}),
                                               assignments=pd.DataFrame()), tmp_path / "items.xlsx")
    ws = openpyxl.load_workbook(path)["items"]
    dv = next(v for v in ws.data_validations.dataValidation if "F2" in str(v.sqref))
    assert "采纳" in dv.formula1 and "删除" in dv.formula1
    assert dv.errorStyle == "warning"  # 接受 or 是 typed in Excel is not blocked


def test_a_dimension_changed_only_in_servqual_zh_is_refused(tmp_path):
    # The designer moved A01 to 移情性 in the Chinese column; the survey fielded it under 保证性 silently
    rows = _decided(["accept"] * 4)
    rows[3] = rows[3][:2] + ("移情性",) + rows[3][3:]
    with pytest.raises(DataQualityError) as exc:
        load_reviewed(_workbook(tmp_path / "items.xlsx", rows))
    msg = str(exc.value)
    assert "row 5" in msg and "A01" in msg and "'assurance'" in msg and "'移情性'" in msg and "\n" not in msg


def test_an_own_item_may_name_its_dimension_in_servqual_zh_alone(tmp_path):
    own = ("MY01", "", "有形性", "优秀的营业厅应当有干净的洗手间", "该营业厅有干净的洗手间", "接受", "", "")
    items = load_reviewed(_workbook(tmp_path / "items.xlsx", _decided(["accept", "", "", "reject"]) + [own]))
    assert dict(zip(items["item_id"], items["dimension"])) == {"MY01": "tangibles", "R01": "reliability"}


def test_both_dimension_columns_agreeing_in_either_language_pass(tmp_path):
    rows = _decided(["accept"] * 4)
    rows[0] = ("R01", "移情性", "移情性") + rows[0][3:]
    items = load_reviewed(_workbook(tmp_path / "items.xlsx", rows))
    assert items.set_index("item_id").loc["R01", "dimension"] == "empathy"


@pytest.mark.parametrize("edit, form", [("P: 该营业厅 整洁明亮。", "perception"), ("该营业厅整洁明亮", "expectation"),
                                        ("E: 优秀的营业厅应当整洁 明亮\nP: 该营业厅的地面干净", "expectation")])
def test_the_same_statement_twice_is_refused(tmp_path, edit, form):
    # An edit copying another item's wording went into the survey twice; voc gap then could not map the export
    rows = _decided(["accept", "accept", "reject", "edit"])
    rows[3] = rows[3][:6] + (edit, "")
    with pytest.raises(DataQualityError) as exc:
        load_reviewed(_workbook(tmp_path / "items.xlsx", rows))
    msg = str(exc.value)
    assert "row 5 (item A01)" in msg and "row 3 (item T01)" in msg and form in msg and "\n" not in msg
