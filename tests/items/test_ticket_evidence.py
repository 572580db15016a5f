"""Evidence on a ticket export is about the business the item names (a complaint-team pass: IB180
该运营商让客户在线完成销户手续 had 12 supporting quotes, every one about 停机保号, none about closing an account).

The item named 销户 but declared no object, so 线上 / 跑 / 营业厅 / 手续 — words every channel complaint
shares — were support enough. Fixture: ``tests/data/items/suspend_number_tickets.csv`` (written for these
tests: twelve tickets about suspending a number, two about closing one, labelled as the shipped model
tags them).
"""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import candidate_items, load_item_bank
from voiceofcustomer.items.evidence import SupportScorer

TICKETS = Path(__file__).resolve().parents[2] / "tests" / "data" / "items" / "suspend_number_tickets.csv"
HANDLING = {"servqual": "empathy", "issue": "handling", "stance": "complaint"}


@pytest.fixture(scope="module")
def result():
    return candidate_items(pd.read_csv(TICKETS, dtype=str), text_col="投诉内容", id_col="工单号")


def _evidence_of(result, item_id: str) -> list[str]:
    items = result.items.set_index("item_id")
    return items.loc[item_id, "evidence_ids"].split(", ") if item_id in items.index else []


def test_tickets_about_suspending_a_number_are_no_evidence_for_closing_an_account_online(result):
    # before: 11 tickets, 9 of them about 停机保号
    assert _evidence_of(result, "IB180") == ["T013", "T014"]


def test_tickets_about_suspending_a_number_support_the_item_about_it(result):
    # before: the bank had no item about 停机保号; its tickets went to 出差流量包 (外地), 出国漫游提醒 (出国),
    # 手机营业厅稳定运行 (手机营业厅), 文字客服 (在线, read inside 在线上) and a composed 该运营商在线上申请
    suspend = pd.read_csv(TICKETS, dtype=str)["工单号"].head(12).tolist()
    assert _evidence_of(result, "IB198") == suspend
    assert set(result.items["item_id"]) == {"IB198", "IB180"}


@pytest.mark.parametrize("item_id", ["IB061", "IB106", "IB102", "IB185", "IB062", "IB100", "IB196", "IB176", "IB065",
                                     "IB179"])
def test_nor_for_another_item_that_shares_a_procedure_word(result, item_id):
    # with IB180 closed they went to 销号手续 (手续), 补卡手续 (手续), 线上预约装机 (线上) and the items of
    # 停机 in another sense (欠费停机, 缴费复机, 挂失停用)
    suspend = pd.read_csv(TICKETS, dtype=str)["工单号"].head(12).tolist()
    assert not set(_evidence_of(result, item_id)) & set(suspend)


@pytest.mark.parametrize("item_id", ["IB180", "IB061", "IB106", "IB102"])
def test_the_items_business_is_its_object_in_the_bank(item_id):
    obj = load_item_bank().set_index("item_id").loc[item_id, "object"]
    assert obj, item_id


def test_suspension_is_not_the_stop_of_a_number_for_arrears():
    scorer = SupportScorer().fit(load_item_bank())
    assert not scorer.score("IB185", "停机保号必须本人到营业厅办理，外地无法办理", HANDLING).supports(scorer.threshold)
    assert scorer.score("IB185", "欠费停机前没有任何提醒，电话突然打不出去", HANDLING).supports(scorer.threshold)


def test_on_line_is_no_online_chat():
    # 在线上办 is 在 + 线上: no hit of 在线, the word (and object) of 为听障客户提供文字客服
    scorer = SupportScorer().fit(load_item_bank())
    assert scorer.score("IB179", "要求停机保号能在线上办，不想跑营业厅", HANDLING).score == 0
    assert scorer.score("IB179", "听不见电话，希望有在线的文字客服", HANDLING).supports(scorer.threshold)


@pytest.mark.parametrize("quote", ["销户非得跑营业厅，线上办不了", "注销号码只能去营业厅，网上办不了", "销号还得本人跑一趟营业厅"])
def test_closing_an_account_by_its_synonyms_still_supports_it(quote):
    scorer = SupportScorer().fit(load_item_bank())
    assert scorer.score("IB180", quote, HANDLING).supports(scorer.threshold)
