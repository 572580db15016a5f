"""A composed item that fails a check with a mechanical fix gets the rewritten wording beside it, never in place of it.

Before: 该运营商马上把网修好 and 该营业厅多摆几张桌子 were flagged (request_now, spoken) and nothing more — the designer
retyped each by hand. Now ``suggestion`` holds the wording with the request word or the spoken measure word deleted, as
``edited_text`` takes it (E: … / P: …), and ``suggestion_note`` what was deleted and which checks are still the
designer's; with no safe rewrite (一题两问: which half is the item is a choice) the note names the checks that failed.
"""

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import candidate_items, check_item, suggest_wording, write_items_workbook
from voiceofcustomer.items.compose import expectation_text
from voiceofcustomer.items.survey import edited_wording


def _item(p, style="servqual"):
    return expectation_text(p, style), p


@pytest.mark.parametrize("p,rewritten,deleted", [
    ("该运营商马上把网修好", "该运营商把网修好", "“马上”"),
    ("该运营商早日把基站建起来", "该运营商把基站建起来", "“早日”"),
    ("该营业厅修个坡道", "该营业厅修坡道", "“个”"),
    ("该营业厅多摆几张桌子", "该营业厅多摆桌子", "“几张”"),
    ("该运营商收费简单点", "该运营商收费简单", "“点”"),
    ("该运营商赶紧派个师傅上门", "该运营商派师傅上门", "“赶紧”、“个”"),
])
@pytest.mark.parametrize("style", ["servqual", "wish"])
def test_a_request_word_or_a_spoken_measure_word_is_deleted_in_a_suggestion(p, rewritten, deleted, style):
    e, p = _item(p, style)
    suggestion, note = suggest_wording(e, p)
    new_e = expectation_text(rewritten, style)
    assert suggestion == f"E: {new_e}\nP: {rewritten}"
    assert note.startswith(f"已删去{deleted}（") and "仍需人工修改" not in note
    # pasted into edited_text with decision edit, voc survey reads exactly that wording, and it passes every check
    assert edited_wording(suggestion, e, p) == (new_e, rewritten)
    assert check_item(new_e, rewritten) == []


def test_a_rewrite_that_leaves_a_check_says_which_is_still_the_designers():
    # 该运营商尽快修好 → 该运营商修好 names nothing mended: no item, so not offered (tests/items/test_item_quality.py)
    suggestion, note = suggest_wording(*_item("该运营商尽快修好宽带和电视"))
    assert suggestion.endswith("P: 该运营商修好宽带和电视")
    assert note.startswith("已删去“尽快”（写的是一次性要求）；仍需人工修改：一题两问")


@pytest.mark.parametrize("p,failed", [
    ("该营业厅的员工礼貌和专业", "一题两问"),            # splitting 和/及 is no mechanical fix
    ("该运营商营业时间延长到晚上九点", "写的是改法"),
    ("该运营商搞个优惠活动", "口语表述"),                # 搞 stays: deleting 个 alone would still be spoken
    ("该营业厅整个大厅干净整洁", "口语表述"),            # 整个 is no measure word to delete
])
def test_without_a_safe_rewrite_the_note_names_the_failed_checks_in_chinese(p, failed):
    e, p = _item(p)
    assert check_item(e, p)
    suggestion, note = suggest_wording(e, p)
    assert suggestion == ""
    assert note.startswith("无法自动改写：") and failed in note and note.endswith("请按检查说明人工修改")


def test_an_item_that_passes_every_check_has_no_suggestion():
    assert suggest_wording(*_item("该营业厅的员工礼貌待人")) == ("", "")


def _statements(texts):
    return pd.DataFrame({"statement_id": [f"s{i}" for i in range(len(texts))], "text": texts,
                         "speaker": [f"P{i}" for i in range(len(texts))], "servqual": "tangibles",
                         "demand": "delivery", "issue": "environment", "stance": "suggestion"})


def test_the_items_sheet_keeps_the_composed_wording_and_offers_the_rewrite_beside_it(tmp_path):
    res = candidate_items(_statements(["希望营业厅多摆几张桌子，填单的时候没地方写", "营业厅能不能多摆几张桌子"]))
    row = res.items[res.items.p_text == "该营业厅多摆几张桌子"].iloc[0]  # the wording as composed: never changed
    assert "spoken" in row.check_codes
    assert row.suggestion == "E: 优秀的营业厅应当多摆桌子\nP: 该营业厅多摆桌子"
    assert row.suggestion_note == "已删去“几张”（口语表述）"
    path = write_items_workbook(res, tmp_path / "items.xlsx")
    sheet = pd.read_excel(path, sheet_name="items", dtype=str, engine="openpyxl").fillna("")
    assert sheet.loc[sheet.item_id == row.item_id, ["p_text", "suggestion"]].values.tolist() == [
        ["该营业厅多摆几张桌子", row.suggestion]]
    assert (sheet.loc[sheet.checks == "ok", "suggestion"] == "").all()
    readme = " ".join(pd.read_excel(path, sheet_name="readme", engine="openpyxl")["说明"].astype(str))
    assert "suggestion" in readme and "suggestion_note" in readme
