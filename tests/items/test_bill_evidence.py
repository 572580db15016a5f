"""A quote about a bill is evidence for IB048 该运营商准确计算每月的话费 only when it says the charge is wrong, and a
quote of an old customer's bill is no evidence for IB194's plan for old customers.

IB048 asked nothing of a bill but 话费|扣费|账单|多扣 and the billing label, so a bill quote no other item took landed
on it: on this fixture 7 quotes, b4, b8, b9 (多扣, 没开过, 不一样) and b1 账单上的字太小了，老人根本看不清 (legibility),
b6 账单每个月都是月底才出来 (timeliness), b10 查账单要跑营业厅 (channel), c3 账单只发到他手机上 (delivery). With
IB048 asking for a wrong charge (its need: 多扣, 没开过, 不一样 …) alone, b1 moved to IB194 该运营商为老年客户设计实用的套餐
(老人 and the billing label): IB194 now names its thing, a plan (套餐, 资费, 老年卡 …). Fixture
tests/data/items/bill_statements.csv (written for this test)."""
from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import candidate_items

DATA = Path(__file__).resolve().parents[1] / "data" / "items" / "bill_statements.csv"


@pytest.fixture(scope="module")
def assigned():
    res = candidate_items(pd.read_csv(DATA, dtype=str, keep_default_na=False))
    return res.assignments.set_index("statement_id")["item_id"]


def test_only_a_wrong_charge_is_evidence_for_accurate_billing(assigned):
    # 多扣了二十块钱, 一项增值业务我从来没开过, 套餐名称和我办的不一样
    assert sorted(assigned[assigned == "IB048"].index) == ["b4", "b8", "b9"]


@pytest.mark.parametrize("sid", ["b1", "b6", "b10", "c1", "c3"])
def test_a_bill_quote_of_another_need_is_on_no_unrelated_bank_item(assigned, sid):
    assert assigned[sid] == "" or assigned[sid].startswith("NEW-"), assigned[sid]  # no item, or one composed for it


def test_the_plan_item_takes_a_plan_not_an_old_customers_bill(assigned):
    assert assigned["p1"] == "IB194"
    assert assigned.get("b1") != "IB194"
