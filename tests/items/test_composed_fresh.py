"""Composed items read against a gold list written after the wording checks of the earlier passes were tuned
(``tests/data/items/composed_wording_fresh.csv``: wishes written for this test, each judged by hand — does the
item composed from it read well as it stands?). A suggestion taken literally (修个坡道, 尽快修好, 多摆几张桌子,
营业时间延长到晚上九点) passed every check before: 7 of the 13 that read badly were ``ok``.
"""

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import check_item
from voiceofcustomer.items.compose import compose_item, need_phrase

GOLD = pd.read_csv(Path(__file__).resolve().parents[2] / "tests" / "data" / "items" / "composed_wording_fresh.csv",
                   dtype=str).fillna("")


def _composed(text: str):
    phrase = need_phrase(text)
    return compose_item(phrase, [text]) if phrase else None


@pytest.mark.parametrize("text,kind", GOLD.loc[GOLD.reads_well == "no", ["text", "kind"]].itertuples(index=False))
def test_an_item_that_reads_badly_is_flagged_with_its_fault(text, kind):
    item = _composed(text)
    assert item is not None, text
    assert kind in {c.code for c in check_item(*item)}, (item, check_item(*item))


@pytest.mark.parametrize("text", GOLD.loc[GOLD.reads_well == "yes", "text"])
def test_an_item_that_reads_well_passes(text):
    item = _composed(text)
    assert item is not None and check_item(*item) == [], (item, item and check_item(*item))
