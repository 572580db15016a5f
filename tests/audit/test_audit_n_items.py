"""visits.csv's n_items counts the items the store's tier weighs that were scored, n_not_applicable those marked
不适用: with n_missing, n_invalid (and n_partial when partial results are left out) they are the items the tier
weighs, as docs/audit.md says.

Before: n_items counted every result cell, 不适用 and the empty cells of items the tier does not weigh alike — the
东城社区店 visit of a sheet with 6 item columns read n_items 6 and n_not_applicable 3 (its A2 不适用 and the blank
叫号系统正常 and 自助终端可用 a 社区店 does not have), where its tier weighs 4 and 3 were scored.
"""

from voiceofcustomer.audit import read_checklist, read_visits, score_audit

DATA = "tests/data/audit/"


def test_n_items_counts_the_scored_items_the_tier_weighs():
    book = read_checklist(DATA + "community_store_wide_checklist.csv")
    r = score_audit(book, read_visits(DATA + "community_store_wide_visits.csv", checklist=book))
    v = r.visits.set_index("store")[["n_items", "n_not_applicable", "n_missing", "n_invalid", "n_partial"]]
    assert v.to_dict("index") == {
        "东城社区店": {"n_items": 3, "n_not_applicable": 1, "n_missing": 0, "n_invalid": 0, "n_partial": 0},
        "西湖旗舰店": {"n_items": 5, "n_not_applicable": 1, "n_missing": 0, "n_invalid": 0, "n_partial": 0}}
    weighs = {"社区店": 4, "旗舰店": 6}
    for row in r.visits.itertuples():
        assert row.n_items + row.n_not_applicable + row.n_missing + row.n_invalid == weighs[row.tier]
    # the scores are as before: 东城 (10 + 8 + 20) / 40, 西湖 (10 + 0 + 10 + 10 + 20) / 60
    assert r.visits.set_index("store")["score"].to_dict() == {"东城社区店": 95.0, "西湖旗舰店": 83.33}
