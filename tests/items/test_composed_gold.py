"""Composed items as a questionnaire designer reads them, against a hand-judged gold list.

``tests/data/items/composed_wording_gold.csv``: every item ``voc items`` composed on the test
transcripts (``tests/data/focus_group_*.txt``) and the shipped samples (``corpora/samples``), before
and after the rewrites below, judged by hand — reads well yes/no, what kind of fault, why. A wording
that reads badly must be rewritten by composition or flagged by ``check_item`` (never "ok"); one
that reads well must pass. The two kinds the checks missed: an object left in the customer's
earlier words (该运营商至少提前三天通知, 该运营商默认关掉, 该运营商提供清单) and the customer's own
action under the operator (该运营商在手机上先约好时间, 该运营商能够及时充值).
"""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceofcustomer.items.candidates import check_item, load_item_bank
from voiceofcustomer.items.compose import compose_item, customer_action, need_phrase

ROOT = Path(__file__).resolve().parents[2]
GOLD = pd.read_csv(ROOT / "tests" / "data" / "items" / "composed_wording_gold.csv", dtype=str).fillna("")
# Read badly and still "ok" (none since 7 Dec 2026: 该运营商讲广州话, a fact with no quality or standard, is no_quality).
KNOWN_MISSES = set()


def test_gold_wordings_that_read_badly_are_flagged():
    unflagged = {r.p_text for r in GOLD[GOLD.reads_well == "no"].itertuples() if not check_item("", r.p_text)}
    rewritten = {r.p_text for r in GOLD[GOLD.reads_well == "no"].itertuples()
                 if ((GOLD.statement_id == r.statement_id) & (GOLD.reads_well == "yes")).any()}
    assert unflagged - rewritten == KNOWN_MISSES


def test_gold_wordings_that_read_well_pass():
    good = GOLD[GOLD.reads_well == "yes"]
    assert len(good) >= 8
    assert {r.p_text: check_item("", r.p_text) for r in good.itertuples() if check_item("", r.p_text)} == {}


@pytest.fixture(scope="module")
def gold_statements():
    """The gold items' statements, split from the written transcripts and samples as voc split does."""
    from voiceofcustomer.text.split import split_inputs

    inputs = sorted((ROOT / "tests" / "data").glob("focus_group_*.txt")) + [
        ROOT / "corpora" / "samples" / name
        for name in ("focus_group_business_shanghai.txt", "focus_group_public_tianjin.txt", "tickets.csv")]
    statements = pd.concat(split_inputs(inputs)).set_index("statement_id")["text"]
    return statements[statements.index.isin(GOLD.statement_id)]


def test_each_gold_statement_composes_an_item_that_reads_well_or_is_flagged(gold_statements):
    """From the statement itself: the need phrase composed into a P, which is a gold wording that
    reads well or fails a check (the rewrites: 给我们留一个X → 提供X, 约好时间 → 预约时间 under
    支持客户, 测速…晚上来测给我们看 no longer 晚上来测给看)."""
    assert set(gold_statements.index) == set(GOLD.statement_id)
    good = set(GOLD.loc[GOLD.reads_well == "yes", "p_text"])
    unread = {}
    for sid, text in gold_statements.items():
        phrase = need_phrase(text)
        assert phrase, sid
        _, p = compose_item(phrase, [text])
        if p not in good and not check_item("", p):
            unread[sid] = p
    assert unread == {}  # 该运营商讲广州话 was, until no_quality


@pytest.mark.parametrize("text, phrase, p", [
    # the customer's steps, in written words, under 支持客户
    ("能不能在网上先约好时间，到了就办", "在网上先预约时间", "该运营商支持客户在网上先预约时间"),
    ("最好能在手机营业厅排上号", "在手机营业厅取号", "该运营商支持客户在手机营业厅取号"),
    # what is left for the customer is provided
    ("能不能给我们留个专属的维修电话", "提供专属的维修电话", "该运营商提供专属的维修电话"),
])
def test_composition_rewrites(text, phrase, p):
    assert need_phrase(text) == phrase
    assert compose_item(phrase, [text])[1] == p
    assert check_item("", p) == []


@pytest.mark.parametrize("p, code, words", [
    ("该运营商至少提前三天通知", "object_left_out", "没有说通知什么"),
    ("该运营商一个小时内回复", "object_left_out", "没有说回复什么"),
    ("该运营商默认关掉", "object_left_out", "没有说关掉什么"),
    ("该运营商晚上来测", "object_left_out", "没有说测什么"),
    ("该运营商结转到下个月", "object_left_out", "没有说结转什么"),
    ("该运营商提供统一的清单", "object_left_out", "没有说是什么的清单"),
    ("该运营商一起想办法", "object_left_out", "没有说是什么的办法"),
    # 希望故障处理完了能告诉我们原因 composed as 告知原因 (its 故障 in the dropped clause): the reason of what?
    ("该运营商告知原因", "object_left_out", "没有说是什么的原因"),
    ("该运营商及时告知进度", "object_left_out", "没有说是什么的进度"),
    ("该运营商主动说明理由", "object_left_out", "没有说是什么的理由"),
    ("该运营商能够及时充值", "customer_action", "“充值”是客户自己的动作，不是该运营商做的事"),
    ("该运营商在手机上先约好时间", "customer_action", "“约”是客户自己的动作，不是该运营商做的事"),
    ("该营业厅在镇上办", "customer_action", "“办”是客户自己的动作，不是该营业厅做的事"),
    ("该营业厅提供人从头跟到尾", "clause_after_provide", "“人从头跟到尾”"),
    ("该运营商提供地方一报就有人管", "clause_after_provide", "“地方一报就有人管”"),
    ("该运营商告知找谁", "question", "“谁”"),
    ("该运营商先看看户型", "spoken", "“看看”"),
    ("该运营商做双路由", "spoken", "“做”"),
])
def test_wording_that_leaves_out_its_object_or_doer_is_flagged(p, code, words):
    assert any(c.code == code and words in c.message for c in check_item("", p)), check_item("", p)


@pytest.mark.parametrize("p", [
    "该运营商至少提前三天通知计划内的维护", "该运营商在一个小时内回复客户的咨询", "该运营商默认关闭附加业务",
    "该运营商把剩余流量结转到下个月", "该运营商提供话费清单", "该运营商支持客户及时充值",
    "该运营商在客户缴费后立即恢复通话", "该营业厅提供专人全程陪同办理", "该运营商做到账单清楚",
    "该运营商在故障修复后告知客户故障原因", "该运营商及时告知维修进度", "该运营商主动说明停机的理由",
])
def test_the_same_wording_with_its_object_or_doer_named_passes(p):
    assert check_item("", p) == []


_PLACES = ["在手机上", "在网上", "在微信里", "在镇上", "在手机营业厅", ""]
_STEPS = ["充值", "缴费", "预约装机", "取号", "办", "点一下就续费", "约好时间", "排上号", "查询话费"]
_ADVERBS = ["", "能够", "可以", "及时", "先"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_ADVERBS), st.sampled_from(_PLACES), st.sampled_from(_STEPS),
       st.sampled_from(["该运营商", "该营业厅"]))
def test_a_customer_step_is_flagged_under_the_operator_and_not_under_zhichi_kehu(adverb, place, step, subject):
    flagged = [c for c in check_item("", f"{subject}{adverb}{place}{step}") if c.code == "customer_action"]
    # 查询 is the operator's step too: the customer's only at a place of self-service
    assert bool(flagged) is bool(place or not step.startswith("查询")), (adverb, place, step)
    assert customer_action(f"{place}{step}")
    assert not [c for c in check_item("", f"{subject}支持客户{adverb}{place}{step}") if c.code == "customer_action"]


_TIMES = ["", "至少提前三天", "一个小时内", "每个月", "及时", "主动", "晚上"]
_VERBS_OBJECTS = [("通知", "客户"), ("回复", "客户的咨询"), ("告知", "维修进度"), ("显示", "排队人数"),
                  ("关闭", "附加业务"), ("提供", "话费清单"), ("推送", "账单")]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_TIMES), st.sampled_from(_VERBS_OBJECTS))
def test_a_verb_without_its_object_is_flagged_and_with_it_is_not(time, verb_object):
    verb, obj = verb_object
    left_out = [c.message for c in check_item("", f"该运营商{time}{verb}") if c.code == "object_left_out"]
    assert left_out == [f"缺少宾语：“{time}{verb}”没有说{verb}什么（对象在客户前面的话里），请写明"]
    assert not [c for c in check_item("", f"该运营商{time}{verb}{obj}") if c.code == "object_left_out"]


def test_bank_items_pass_the_new_checks_even_with_a_modal_after_the_subject():
    """No bank wording reads as an object left out or a customer's step, as written or with 能够 after
    the subject (an edit a designer might make)."""
    bad = {}
    for r in load_item_bank().itertuples():
        for p in (r.p_text, r.p_text.replace("该运营商", "该运营商能够", 1)):
            new = [c for c in check_item("", p) if c.code in ("object_left_out", "customer_action",
                                                               "clause_after_provide", "question")]
            if new:
                bad[p] = new
    assert bad == {}


@pytest.mark.parametrize("p, flagged", [
    ("该运营商办理业务迅速", False),  # the operator's step too: only at a place of self-service is it the customer's
    ("该运营商管理好代理点的销售行为", False),
    ("该运营商在周末办理业务", False),
    ("该运营商在手机上查询话费", True),
    ("该运营商在网上办理过户", True),
    ("该运营商缴费", True),  # the customer's alone
])
def test_steps_either_may_take_are_the_customers_only_at_a_place_of_self_service(p, flagged):
    assert any(c.code == "customer_action" for c in check_item("", p)) is flagged
