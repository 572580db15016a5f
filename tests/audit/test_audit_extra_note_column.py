"""A second comment column — 附加说明, 补充说明, 其他备注 — beside the sheet's 备注.

Before: only a column headed exactly 备注 / 说明 / 评语 … was read as the visit's comment; a coordinator's extra
column 附加说明 ('当天下雨') was read nowhere and said nowhere: visits.csv and the 失分项 table showed '店员请假'
alone. Now every column whose header ends in 备注 / 说明 / 评语 / 扣分原因 and names no checklist item is the
visit's comment too, joined by ；.
"""

from voiceofcustomer.audit import read_checklist, read_visits, score_audit

DATA = "tests/data/audit/"


def test_every_comment_column_is_the_visits_comment():
    book = read_checklist(DATA + "weight_not_applicable_checklist.csv")
    r = score_audit(book, read_visits(DATA + "visits_extra_note_column.csv", checklist=book))
    v = r.visits.set_index("store")
    assert v.loc["朝阳旗舰店", "note"] == "E1：地面有水渍；店员请假；当天下雨"
    assert v.loc["东城社区店", "note"] == ""
    failed = r.failed[r.failed["store"] == "朝阳旗舰店"].set_index("item_id")
    assert failed.loc["E1", "note"] == "地面有水渍；店员请假；当天下雨"  # the item's own comment first
    assert failed.loc["S1", "note"] == "店员请假；当天下雨"
