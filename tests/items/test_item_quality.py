"""An item a respondent rates names an object and a quality or standard the service should meet; a rewrite is
offered only when it is such an item.

Before: 该运营商讲广州话 (composed from a focus-group wish) passed every wording check — it states a fact, with nothing
said of how the service should be, so there is nothing to rate on expectation and perception. And the suggestion
for 该运营商尽快修好 was 该运营商修好, itself failing 未写明评价对象 (what is mended?), offered with a note.
"""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import check_item, load_item_bank, suggest_wording
from voiceofcustomer.items.compose import expectation_text

ROOT = Path(__file__).resolve().parents[2]
# the checks that say a wording is no statement a respondent rates: a rewrite may not leave one
NO_STATEMENT = {"no_object", "no_quality", "object_left_out", "fragment", "clause_after_provide"}


def _codes(p):
    return [c.code for c in check_item(expectation_text(p) or "", p)]


@pytest.mark.parametrize("p", ["该运营商讲广州话", "该运营商卖手机", "该营业厅开在商场里", "该运营商用光纤", "该运营商收月租",
                               "该运营商有营业厅"])
def test_a_fact_with_no_quality_or_standard_is_flagged(p):
    assert _codes(p) == ["no_quality"]
    message = next(c.message for c in check_item("", p) if c.code == "no_quality")
    assert message.startswith(f"未写明服务标准：“{p[4:]}”只陈述了一件事")


@pytest.mark.parametrize("p", [
    "该营业厅的员工能用广州话接待客户",   # the staff, for the customer
    "该运营商提供免费的饮用水",           # a service provided
    "该营业厅配备雨伞架",
    "该运营商提前告知套餐到期时间",       # a standard (提前)
    "该运营商按约定时间上门",
    "该运营商的收费标准公开透明",         # a quality
    "该运营商严格管理代理点的销售行为",   # 严格管理 tagged as a name
    "该运营商派师傅上门",
    "该营业厅把等候时间缩短",             # a measure made better
])
def test_an_item_with_a_quality_standard_or_service_passes(p):
    assert "no_quality" not in _codes(p)


def test_no_bank_item_is_flagged():
    bank = load_item_bank()
    flagged = {r.p_text: [c.code for c in check_item(r.e_text, r.p_text)] for r in bank.itertuples()}
    assert len(bank) >= 199 and {p: c for p, c in flagged.items() if c} == {}


def test_the_gold_lists_good_composed_items_are_not_flagged():
    gold = pd.read_csv(ROOT / "tests" / "data" / "items" / "composed_wording_gold.csv", dtype=str)
    good = gold[gold.reads_well == "yes"].p_text
    assert len(good) >= 9 and {p: _codes(p) for p in good if _codes(p)} == {}


@pytest.mark.parametrize("p", ["该运营商尽快修好", "该运营商早日修好", "该运营商尽快解决", "该运营商马上回复", "该营业厅多摆几张",
                               "该运营商尽快上门"])
def test_a_rewrite_that_is_still_no_item_is_not_offered(p):
    e = expectation_text(p)
    suggestion, note = suggest_wording(e, p)
    assert suggestion == ""
    assert note.startswith("无法自动改写：") and note.endswith("请按检查说明人工修改")


def test_every_rewrite_offered_names_its_object_and_quality():
    gold = pd.read_csv(ROOT / "tests" / "data" / "items" / "composed_wording_gold.csv", dtype=str)
    wordings = list(gold.p_text) + ["该运营商尽快修好", "该运营商马上把网修好", "该营业厅修个坡道", "该运营商尽快上门",
                                    "该运营商赶紧派个师傅上门", "该运营商尽快修好宽带和电视"]
    offered = 0
    for p in wordings:
        e = expectation_text(p) or ""
        suggestion, _ = suggest_wording(e, p)
        if suggestion:
            offered += 1
            new_e, new_p = (line[3:] for line in suggestion.split("\n"))
            assert not {c.code for c in check_item(new_e, new_p)} & NO_STATEMENT, suggestion
    assert offered >= 4


def test_a_rewrite_may_leave_a_check_the_designer_trims():
    suggestion, note = suggest_wording(*(lambda p: (expectation_text(p), p))("该运营商尽快修好宽带和电视"))
    assert suggestion.endswith("P: 该运营商修好宽带和电视")
    assert note == "已删去“尽快”（写的是一次性要求）；仍需人工修改：一题两问"
