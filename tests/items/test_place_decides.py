"""The place a quote names decides between items of one subject, and only there.

Fixture: ``tests/data/items/place_decides_quotes.csv`` (written for these tests; labels as the shipped model
gives them, fixed here so the test is about the matcher): ``item_id`` the item each quote supports, ``before``
the one it went to before this rule.

Before: 山里就一座基站，手机信号时好时坏 went to IB093 迅速处理客户反映的信号问题 (信号 and 基站, two words of one
subject, 2.5) and not to IB199 户外各处都能收到手机信号 (信号 and both labels, 2.0), whose place 山里 it names — a named
place counted nothing above the floor; and a named place broke a tie between items of any subject, or one the other
item's own hit names: 拆机单早就办结了…要求退费 went to 办结销号手续 (拆机) instead of 退还多收的费用, 装机人员上门…
to 线上快速预约装机 instead of 三个工作日内装好新宽带 (装机 is a hit of both).
"""

from pathlib import Path

import pandas as pd
import pytest

from test_signal_places import matched_quotes
from voiceofcustomer.items.candidates import PLACE_MARGIN, load_item_bank, match_bank

QUOTES = Path(__file__).resolve().parents[2] / "tests" / "data" / "items" / "place_decides_quotes.csv"


@pytest.fixture(scope="module")
def matched():
    return matched_quotes(QUOTES)


def test_each_quote_supports_the_item_of_its_subject_and_place(matched):
    assert matched.got.tolist() == matched.item_id.tolist(), matched[["text", "item_id", "got"]].to_string()


def test_a_place_outweighs_one_more_word_of_the_subject_for_another_dimension(matched):
    # 基站 is no word of IB199's, yet the village, mountain or highway the quote names is its place
    base = matched[matched.text.str.contains("基站")]
    assert len(base) == 4 and "IB093" not in set(base.got)


def test_a_place_does_not_outweigh_the_words_of_the_need(matched):
    # 反映 and 处理 are what IB093 asks: a lead of a whole word more stays with it, village or not
    row = matched[matched.text.str.startswith("村里信号差")].iloc[0]
    assert row.got == "IB093" and PLACE_MARGIN < 1.0


def test_a_tie_goes_to_the_named_item_only_within_one_subject_and_when_the_place_tells_them_apart(matched):
    moved = matched[matched.before != matched.item_id]
    assert set(moved.before) >= {"IB061", "IB102"}
    assert not set(moved.got) & {"IB061", "IB102"}
    # 10000 names the hotline item's place and is no hit of the queue item: the tie still goes to the hotline
    assert matched.loc[matched.text.str.startswith("打10000"), "got"].item() == "IB080"


def test_the_support_score_is_that_of_the_item_chosen():
    quotes = pd.read_csv(QUOTES, dtype=str).head(1)
    from voiceofcustomer.items.evidence import SupportScorer

    bank = load_item_bank()
    m = match_bank(quotes, bank)
    labels = quotes.iloc[0][["servqual", "issue", "stance"]].to_dict()
    s = SupportScorer().fit(bank).score(m.item_id[0], quotes.text[0], labels)
    assert m.item_id[0] == "IB199" and m.support_score[0] == pytest.approx(s.score)
