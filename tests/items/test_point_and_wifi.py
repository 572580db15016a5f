"""A quote supports an item when it is about the item's point, not only its thing; home WiFi is the broadband's, not the
mobile signal's; a scam is security's (written quotes: tests/data/items/point_and_wifi_quotes.csv and
point_quality_quotes.csv; ``not_item``: the items, ``|``-separated, the quote must not support).

Before: 装机师傅上门说线不够就走了 supported IB102 该运营商让客户在线上快速预约装机 (装机, its object, and the labels: 2.0)
though it says nothing of booking online, and 家里WiFi信号差 supported IB039 该运营商在室内提供稳定的手机信号 (信号, and
家里 names IB039's place) though it is about the router. 收到一条短信说我的积分月底就要清零，让点链接兑换，一看就是诈骗 supported IB070
该运营商准确累计客户的消费积分 (积分, 清零, 兑换: 3.0), a fraudster's bait and no account of the points; 营业厅的自助机老是坏的
supported IB010 该营业厅配备外观整洁的自助服务终端 (自助, its object, and the labels: 2.0), a breakdown and not the look;
希望账单能写得清楚一点 supported IB018 该运营商提供版面清楚的纸质账单 (账单, 清楚: 2.0), which asks nothing of paper;
自助机的屏幕点了没反应 IB027 屏幕清洁 (3.0) and 电子账单每个月都发到一个不用的邮箱 IB019 一目了然的电子账单 had the same fault.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.items.candidates import load_item_bank, match_bank
from voiceofcustomer.items.evidence import SupportScorer

DATA = Path(__file__).resolve().parents[1] / "data"
QUOTES = pd.concat([pd.read_csv(DATA / "items" / f, dtype=str).fillna("")
                    for f in ("point_and_wifi_quotes.csv", "point_quality_quotes.csv")], ignore_index=True)


@pytest.fixture(scope="module")
def scorer():
    return SupportScorer().fit(load_item_bank())


@pytest.mark.parametrize("row", QUOTES.to_dict("records"), ids=list(QUOTES.text))
def test_a_quote_supports_the_item_of_its_point_and_medium(scorer, row):
    labels = {k: row[k] for k in ("servqual", "issue", "stance")}
    for item in filter(None, row["not_item"].split("|")):
        assert not scorer.score(item, row["text"], labels).supports(1.5), item
    if row["item"]:
        assert scorer.score(row["item"], row["text"], labels).supports(1.5)


def test_matched_items_follow_the_point_and_the_medium():
    st = QUOTES.assign(statement_id=[f"s{i}" for i in range(len(QUOTES))], speaker=[f"p{i}" for i in range(len(QUOTES))],
                       demand="delivery")
    got = dict(zip(st.text, match_bank(st, load_item_bank()).item_id))
    for row in QUOTES.itertuples():
        assert got[row.text] not in row.not_item.split("|"), row.text
        if row.item:
            assert got[row.text] == row.item, row.text


def test_the_bank_has_a_home_wifi_item_of_the_broadband():
    item = load_item_bank().set_index("item_id").loc["IB200"]
    assert item.issue == "broadband" and "WiFi" in item.p_text and "路由器" in item.keywords


def test_a_scam_is_matched_to_security_or_nothing():
    bank = load_item_bank()
    scams = QUOTES[QUOTES.not_item == "IB070"]
    st = scams.assign(statement_id=[f"s{i}" for i in range(len(scams))], speaker=[f"p{i}" for i in range(len(scams))],
                      demand="attribute")
    issue = dict(zip(bank.item_id, bank.issue))
    for text, item in zip(st.text, match_bank(st, bank).item_id):
        assert item == "" or issue[item] == "security", (text, item)
