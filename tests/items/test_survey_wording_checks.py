"""voc survey reads the designer's own wording with the checks voc items gives the candidates.

A candidate's wording comes with its checks (the `checks` column of items.xlsx), and the review app's items view checks
an edit as it is typed; an edit typed in Excel — or an item of the designer's own — reached questionnaire.docx and
问卷星 unread: until 8 Dec 2026 `E: 优秀的营业厅应当保持厅内干净整洁、设施齐全` / `P: 该营业厅内干净整洁、设施齐全`
(two things in one question) and `该营业厅让客户不用排队` (a negative wording) were fielded without a word. Now the
summary names each such item, its row and the check it fails (in the checks' Chinese), and fields it as written: the
designer may keep it. Checks written for composed wordings (no_object, fragment … — `_NO_STATEMENT`) are not applied
to the designer's words, and `negative` not to an item marked reverse (its wording is negative on purpose)."""

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.items.survey import load_reviewed

COLUMNS = ["item_id", "servqual", "e_text", "p_text", "decision", "edited_text", "reverse", "checks"]
ROWS = [
    ("T01", "tangibles", "优秀的营业厅应当保持厅内干净整洁", "该营业厅内干净整洁", "修改",
     "E：优秀的营业厅应当保持厅内干净整洁、设施齐全\nP：该营业厅内干净整洁、设施齐全", "", "ok"),
    ("T02", "tangibles", "优秀的营业厅应当为等候的客户提供充足的座椅", "该营业厅为等候的客户提供充足的座椅", "accept", "", "", "ok"),
    ("R01", "reliability", "优秀的电信运营商应当保持家庭宽带连接稳定", "该运营商保持家庭宽带连接稳定", "accept", "", "", "ok"),
    ("R02", "reliability", "优秀的电信运营商应当准确计算每月的话费", "该运营商准确计算每月的话费", "edit",
     "该运营商每月账单准确无误", "", "ok"),  # a fragment to the composed-wording check: not said
    ("S01", "responsiveness", "优秀的营业厅应当缩短排队时间", "该营业厅缩短排队时间", "采纳",
     "该营业厅让客户不用排队", "", "ok"),
    ("S02", "responsiveness", "优秀的电信运营商应当及时处理投诉", "该运营商及时处理投诉", "edit",
     "该运营商从不拖延处理投诉", "是", "ok"),  # reverse: negative on purpose
]
# the designer's own item: no checks of voc items in its row
OWN = ("OWN1", "移情性", "优秀的电信运营商应当及时通知停机并且退还多收的费用", "该运营商及时通知停机并且退还多收的费用",
       "采纳", "", "", "")


def _workbook(path):
    rows = ROWS + [OWN]
    pd.DataFrame(rows, columns=COLUMNS).to_excel(path, sheet_name="items", index=False)
    return path


def test_load_reviewed_gives_the_checks_the_designers_wording_fails(tmp_path):
    items = load_reviewed(_workbook(tmp_path / "items.xlsx"))
    said = {c["item_id"]: (c["row"], c["wording"], [k.code for k in c["checks"]]) for c in items.attrs["checks"]}
    assert said == {"T01": (2, "edited", ["double_barrelled", "symbol"]),
                    "S01": (6, "edited", ["negative"]),
                    "OWN1": (8, "own", ["double_barrelled"])}
    assert set(items["item_id"]) == {"T01", "T02", "R01", "R02", "S01", "S02", "OWN1"}  # fielded as written


def test_voc_survey_names_them_and_fields_them(tmp_path):
    res = CliRunner().invoke(main, ["survey", str(_workbook(tmp_path / "items.xlsx")), "-o", str(tmp_path / "survey"),
                                    "--format", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    at = lines.index("  3 items whose wording is the reviewer's own fail a check of voc items (fielded as written; "
                     "read them again, or reword them in edited_text):")
    assert lines[at + 1] == ("    T01 (row 2, edited): 一题两问：“内干净整洁”、“设施齐全”是两件事，请拆成两题，每题只问一件事；"
                             "含标点或符号：“、”，题目只写一句关于服务的陈述，请删去符号及其后的残句")
    assert lines[at + 2].startswith("    S01 (row 6, edited): 否定表述：“让客户不用排队”里有否定字眼“不”")
    assert lines[at + 3].startswith("    OWN1 (row 8, own item): 一题两问：")
    codebook = pd.read_csv(tmp_path / "survey" / "codebook.csv", encoding="utf-8-sig")
    assert "该营业厅内干净整洁、设施齐全" in set(codebook["p_text"])


def test_candidates_accepted_as_written_are_not_checked_again(tmp_path):
    rows = [r for r in ROWS if not r[5]]
    path = tmp_path / "items.xlsx"
    pd.DataFrame(rows, columns=COLUMNS).to_excel(path, sheet_name="items", index=False)
    assert load_reviewed(path).attrs["checks"] == []
    res = CliRunner().invoke(main, ["survey", str(path), "-o", str(tmp_path / "survey"), "--format", "csv"])
    assert res.exit_code == 0 and "fail a check" not in res.output
