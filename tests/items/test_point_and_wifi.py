"""A quote supports an item when it is about the item's point, not only its thing; home WiFi is the broadband's, not the
mobile signal's (written quotes: tests/data/items/point_and_wifi_quotes.csv).

Before: 装机师傅上门说线不够就走了 supported IB102 该运营商让客户在线上快速预约装机 (装机, its object, and the labels: 2.0)
though it says nothing of booking online, and 家里WiFi信号差 supported IB039 该运营商在室内提供稳定的手机信号 (信号, and
家里 names IB039's place) though it is about the router.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import load_item_bank, match_bank
from voiceofcustomer.items.evidence import SupportScorer

DATA = Path(__file__).resolve().parents[1] / "data"
QUOTES = pd.read_csv(DATA / "items" / "point_and_wifi_quotes.csv", dtype=str).fillna("")


@pytest.fixture(scope="module")
def scorer():
    return SupportScorer().fit(load_item_bank())


@pytest.mark.parametrize("row", QUOTES.to_dict("records"), ids=list(QUOTES.text))
def test_a_quote_supports_the_item_of_its_point_and_medium(scorer, row):
    labels = {k: row[k] for k in ("servqual", "issue", "stance")}
    if row["not_item"]:
        assert not scorer.score(row["not_item"], row["text"], labels).supports(1.5)
    if row["item"]:
        assert scorer.score(row["item"], row["text"], labels).supports(1.5)


def test_matched_items_follow_the_point_and_the_medium():
    st = QUOTES.assign(statement_id=[f"s{i}" for i in range(len(QUOTES))], speaker=[f"p{i}" for i in range(len(QUOTES))],
                       demand="delivery")
    got = dict(zip(st.text, match_bank(st, load_item_bank()).item_id))
    for row in QUOTES.itertuples():
        assert got[row.text] != row.not_item, row.text
        if row.item:
            assert got[row.text] == row.item, row.text


def test_the_bank_has_a_home_wifi_item_of_the_broadband():
    item = load_item_bank().set_index("item_id").loc["IB200"]
    assert item.issue == "broadband" and "WiFi" in item.p_text and "路由器" in item.keywords
