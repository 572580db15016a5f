"""The visit sheet's store and date columns as coordinators head them, and the message when they are not found.

Before: a sheet headed 门店名称 and 暗访时间 (the commonest headers of a store-check form) stopped with "visits.csv:
visit results lack column(s) store, date or wave; columns are: 城市, 门店名称, tier, 暗访时间, auditor, note,
item_id, score" — the tool's own names for the columns it had renamed (tier, auditor, item_id, score: the
sheet has none), no guess of the column meant, and nothing of what to name them.
"""

import pytest

from voiceofcustomer.audit import read_checklist, read_visits, score_audit
from voiceofcustomer.errors import ColumnError

DATA = "tests/data/audit/"


@pytest.fixture
def checklist():
    return read_checklist(DATA + "weight_not_applicable_checklist.csv")


def test_store_name_and_visit_time_headers_are_read(checklist):
    visits = read_visits(DATA + "visits_store_name_header.csv", checklist=checklist)
    r = score_audit(checklist, visits)
    v = r.visits.set_index("store")
    assert list(v.index) == ["朝阳旗舰店", "东城社区店"]
    assert list(v["date"]) == ["2026-10-03", "2026-11-03"]
    assert list(v["score"]) == [68.89, 73.33]


def test_a_missing_column_names_the_sheets_own_headers_and_what_to_write(checklist):
    with pytest.raises(ColumnError) as err:
        read_visits(DATA + "visits_unknown_headers.csv", checklist=checklist)
    msg = str(err.value)
    assert "lack column(s) store (门店; is it '店名'?), date (暗访日期) or wave (批次); rename" in msg
    assert msg.endswith("columns are: 城市, 店名, 门店类型, 到店时段, E1, E3, W2, S1")  # as the sheet heads them
    assert "auditor" not in msg and "item_id" not in msg and "tier" not in msg
    assert "rename" in msg
