"""An item wording that compares with nothing is flagged 比较对象不明 (no_comparison): 该运营商给客户更多的套餐选择
passed every check, though a respondent rating it on the 7-point scale has no anchor for 更多 (more than what: before,
other operators, the plan they have?). 更 in a word that is no comparative (更新, 更换, 更正, 变更, 更衣室) is not flagged,
nor a comparative that names what it compares with (比同行更低, 与以前相比更快). Written wordings:
tests/data/items/comparative_wordings.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import check_item, load_item_bank, suggest_wording

DATA = Path(__file__).resolve().parents[1] / "data"
WORDINGS = pd.read_csv(DATA / "items" / "comparative_wordings.csv", dtype=str)


@pytest.mark.parametrize("row", WORDINGS.to_dict("records"), ids=list(WORDINGS.p_text))
def test_a_comparative_with_nothing_compared_is_flagged(row):
    codes = [c.code for c in check_item("", row["p_text"])]
    assert ("no_comparison" in codes) == (row["flagged"] == "yes"), (row["why"], codes)
    if row["flagged"] == "no":
        assert codes == [], codes  # and passes every other check: 与以前相比 is no second idea


def test_the_message_quotes_the_comparative_and_says_what_to_write():
    (check,) = [c for c in check_item("", "该运营商让客户办理业务更加方便") if c.code == "no_comparison"]
    assert check.message.startswith("比较对象不明：“更加方便”是比较，却没有说和什么比")
    assert "比其他运营商" in check.message
    # no mechanical rewrite: what to compare with is the designer's choice
    assert suggest_wording("", "该运营商给客户更多的套餐选择") == ("", "无法自动改写：比较对象不明，请按检查说明人工修改")


def test_no_bank_item_compares_with_nothing():
    bank = load_item_bank()
    flagged = {r.item_id: r.p_text for r in bank.itertuples()
               if any(c.code == "no_comparison" for c in check_item(r.e_text, r.p_text))}
    assert flagged == {}
