"""A clerk who does not know the business is evidence that the store's staff lack knowledge (IB115), not that
customers cannot choose their plan freely (IB128, whose 合约 keyword caught 咨询合约问题); a call-centre script that asks
for patience (请您耐心等待) is no evidence for the store's staff answering patiently (IB123). Written quotes:
tests/data/items/staff_knowledge_quotes.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import load_item_bank, match_bank
from voiceofcustomer.items.evidence import SupportScorer

DATA = Path(__file__).resolve().parents[1] / "data"
QUOTES = pd.read_csv(DATA / "items" / "staff_knowledge_quotes.csv", dtype=str).fillna("")


@pytest.fixture(scope="module")
def scorer():
    return SupportScorer().fit(load_item_bank())


@pytest.mark.parametrize("row", QUOTES.to_dict("records"), ids=list(QUOTES.text))
def test_a_quote_supports_its_item_and_not_the_other(scorer, row):
    labels = {k: row[k] for k in ("servqual", "issue", "stance")}
    if row["not_item"]:
        assert not scorer.score(row["not_item"], row["text"], labels).supports(1.5)
    if row["item"]:
        assert scorer.score(row["item"], row["text"], labels).supports(1.5)


def test_each_quote_is_matched_to_its_item():
    st = QUOTES.assign(statement_id=[f"s{i}" for i in range(len(QUOTES))], speaker=[f"p{i}" for i in range(len(QUOTES))],
                       demand="delivery")
    got = dict(zip(st.text, match_bank(st, load_item_bank()).item_id))
    for row in QUOTES.itertuples():
        assert got[row.text] != row.not_item, row.text
        if row.item:
            assert got[row.text] == row.item, row.text
