"""A quote that names an item's subject and not what the item asks is no evidence for it (written quotes:
tests/data/items/topic_not_point_quotes.csv; found by a questionnaire designer on 210 written tickets and written
focus groups). An item that asks the operator to tell the customer something (提醒, 通知, 告知, 告诉) takes a quote
only when it names the telling (流量总是不够用 is no evidence for 在流量快用完时提醒客户), one about the hours of a
service (全天候, 周末, 晚上 …) only when it names the hours (报修了三次 none for 全天候的故障报修服务), one that asks a
promise kept about a thing (按约定发放优惠返还的话费, 按合同约定收取月费) not by the promise alone (合同上写着可用率…) nor by
the offer (优惠), and the call centre's 请您耐心等待 is a script, no wait to get through (IB081)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items import evidence
from voiceofcustomer.items.candidates import load_item_bank, match_bank
from voiceofcustomer.items.evidence import SupportScorer

DATA = Path(__file__).resolve().parents[1] / "data"
QUOTES = pd.read_csv(DATA / "items" / "topic_not_point_quotes.csv", dtype=str).fillna("")


@pytest.fixture(scope="module")
def scorer():
    return SupportScorer().fit(load_item_bank())


def test_the_repair_reported_three_times_supports_the_repair_that_holds():
    """Its rows are checked item by item, and by the item each matches best, with the venue quotes
    (tests/items/test_venue_and_need.py); the repair reported three times went to 全天候的故障报修服务."""
    row = QUOTES[QUOTES.text == "报修了三次，到现在一直没解决"].assign(statement_id="s0", speaker="p0", demand="delivery")
    assert list(match_bank(row, load_item_bank()).item_id) == ["IB047"]


def test_a_telling_or_hours_item_needs_its_words_unless_the_bank_declares_a_need(scorer):
    needs = dict(zip(scorer.items_["item_id"], scorer.needs_))
    assert needs["IB158"] == needs["IB169"] == needs["IB176"] == evidence.TELL_WORDS
    assert needs["IB184"] == needs["IB161"] == evidence.HOURS_WORDS
    assert "宣传" in needs["IB143"]  # declared: 多宣传一下防骗 asks IB143's telling
    assert needs["IB048"][0] == "准确"  # declared need kept
    assert needs["IB083"] == ()  # 24小时内修复: a time limit, no hours of service


def test_a_promise_word_weighs_as_a_generic_word_for_an_item_about_the_thing_promised(scorer):
    labels = {"servqual": "reliability", "issue": "broadband", "stance": "complaint"}
    assert scorer.score("IB068", "合同上写着可用率百分之九十九点九，专线断了两天也没有赔偿", labels).score == 0
    # an item whose point is the promise itself keeps its weight
    assert scorer.score("IB034", "答应三天给答复，结果一周都没消息",
                        {"servqual": "reliability", "issue": "handling", "stance": "complaint"}).supports(1.5)
