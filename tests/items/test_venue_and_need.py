"""A store item takes no quote about the installer at the home (and the other way round), and the hotline item
about getting through takes no quote about a call that got through and solved nothing (written quotes:
tests/data/items/venue_need_quotes.csv). The call centre is a venue too: a clerk who does not know the business is
evidence for the store's staff knowledge (IB115), not for choosing a plan freely (IB128, whose 合约 caught 咨询合约问题)
nor for the call centre's staff (IB134), and a script asking for patience (请您耐心等待) none for the store's staff
answering patiently (IB123) (found by a questionnaire designer on 210 written tickets)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import load_item_bank, match_bank
from voiceofcustomer.items.evidence import SupportScorer

DATA = Path(__file__).resolve().parents[1] / "data"
# and the quotes that name an item's subject and not what it asks (tests/items/test_topic_not_point.py)
QUOTES = pd.concat([pd.read_csv(DATA / "items" / name, dtype=str)
                    for name in ("venue_need_quotes.csv", "topic_not_point_quotes.csv")], ignore_index=True).fillna("")


@pytest.fixture(scope="module")
def scorer():
    return SupportScorer().fit(load_item_bank())


@pytest.mark.parametrize("row", QUOTES.to_dict("records"), ids=list(QUOTES.text))
def test_a_quote_supports_no_item_of_another_venue_or_need(scorer, row):
    labels = {k: row[k] for k in ("servqual", "issue", "stance")}
    if row["not_item"]:
        assert not scorer.score(row["not_item"], row["text"], labels).supports(1.5)
    if row["item"]:
        assert scorer.score(row["item"], row["text"], labels).supports(1.5)


def test_matched_items_follow_the_venue_and_the_need():
    st = QUOTES.assign(statement_id=[f"s{i}" for i in range(len(QUOTES))], speaker=[f"p{i}" for i in range(len(QUOTES))],
                       demand="delivery")
    got = dict(zip(st.text, match_bank(st, load_item_bank()).item_id))
    for row in QUOTES.itertuples():
        assert got[row.text] != row.not_item, row.text
        if row.item:
            assert got[row.text] == row.item, row.text


def test_a_statement_naming_both_venues_stays_with_the_store():
    s = SupportScorer().fit(load_item_bank())
    labels = {"servqual": "assurance", "issue": "attitude", "stance": "complaint"}
    assert s.score("IB114", "营业厅的人说会派师傅上门，那个营业员态度很差", labels).supports(1.5)


def test_a_bank_without_need_or_object_columns_loads(tmp_path):
    bank = load_item_bank()[["item_id", "servqual", "demand", "issue", "e_text", "p_text"]].assign(keywords="")
    bank["keywords"] = load_item_bank()["keywords"].map("|".join)
    path = tmp_path / "bank.csv"
    bank.to_csv(path, index=False)
    own = load_item_bank(path)
    assert (own["need"].map(len) == 0).all() and (own["object"].map(len) == 0).all()
    labels = {"servqual": "responsiveness", "issue": "efficiency", "stance": "complaint"}
    assert SupportScorer().fit(own).score("IB080", "打10000号也没人解决", labels).supports(1.5)  # no need declared
