"""A repair made again and again is evidence for IB047 一次修好报修的故障 (reliability: the repair actually fixing the
fault, /work/shared/spec/taxonomy.md) whatever the statement's dimension label: 报修了三次还没修好 went to IB047 only
with the words 修好 and 报修, and 报修了三次，到现在一直没解决 labelled responsiveness to IB082 迅速上门处理报修的故障,
修了三次还是老问题 to no item; 报修了多次 counted against IB047, IB067 and IB082 (多次 is a cue of too much). A count of
calls or of visits to the store is no repair (written quotes: tests/data/items/repair_again_quotes.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import load_item_bank, match_bank
from voiceofcustomer.items import evidence
from voiceofcustomer.items.evidence import SupportScorer

DATA = Path(__file__).resolve().parents[1] / "data"
QUOTES = pd.read_csv(DATA / "items" / "repair_again_quotes.csv", dtype=str).fillna("")


@pytest.fixture(scope="module")
def matched():
    st = QUOTES.assign(statement_id=[f"s{i}" for i in range(len(QUOTES))], speaker=[f"p{i}" for i in range(len(QUOTES))],
                       demand="delivery")
    return match_bank(st, load_item_bank())


@pytest.mark.parametrize("i", range(len(QUOTES)), ids=[f"{r.text}-{r.servqual}" for r in QUOTES.itertuples()])
def test_a_repair_made_again_goes_to_the_repair_done_the_first_time(matched, i):
    if QUOTES.item[i]:
        assert matched.item_id[i] == QUOTES.item[i]
    if QUOTES.not_item[i]:
        assert matched.item_id[i] != QUOTES.not_item[i]


def test_a_repair_made_many_times_counts_against_no_repair_item(matched):
    assert matched.against["IB047"] == matched.against["IB067"] == matched.against["IB082"] == 0


def test_the_words_of_a_repair_made_again():
    assert evidence.repair_again("宽带坏了，师傅来了几趟都没修好") == "来了几趟"
    assert evidence.repair_again("网又断了，这是第二次报修了") == "第二次报修"
    assert evidence.repair_again("同一个故障反复报修") == "反复报修"
    # calls, the store, an installation, a plan changed: no repair
    for text in ("打了三次电话没人接", "客服电话打了好几次都没人接", "营业厅去了三次才办好", "装机师傅上门两次才装好",
                 "套餐又修改了一次，也没人通知", "营业厅重新装修了两次"):
        assert evidence.repair_again(text) is None, text


def test_without_labels_a_repair_made_again_is_evidence_alone():
    scorer = SupportScorer().fit(load_item_bank())
    s = scorer.score("IB047", "修了三次还是老问题，师傅每次都说好了")
    assert s.supports(1.5) and s.direction == 1 and "修了三次" in s.hits
    assert not scorer.score("IB047", "打了三次电话没人接").supports(1.5)
