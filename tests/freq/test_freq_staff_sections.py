"""Frequencies of a split ticket export: a ticket's staff sections (role ``staff``: 【处理结果】已解决。) are left out
and said, not counted as moderator statements nor in any share (QA: 已解决 / 客户表示满意 were counted)."""

import pandas as pd

from voiceofcustomer.freq.tables import frequencies


def _tagged():
    rows = [  # ticket, role, issue, text
        ("T1", "", "billing", "话费又多扣了钱。"), ("T1", "", "billing", "账单看不懂。"),
        ("T1", "", "billing", "套餐扣费不清楚。"), ("T1", "staff", "other", "【处理结果】已解决。"),
        ("T2", "", "billing", "这个月多扣了五十块。"), ("T2", "staff", "other", "【工单回访】客户表示满意。"),
        ("T3", "", "broadband", "宽带晚上掉线。"), ("T3", "staff", "other", "回访情况：客户认可。"),
    ]
    df = pd.DataFrame(rows, columns=["ticket_id", "role", "issue", "text"])
    df["statement_id"] = [f"x:{t[1:]}-s{i:02d}" for i, t in enumerate(df["ticket_id"], 1)]
    df["servqual"], df["demand"] = "reliability", "function"
    df["stance"] = ["complaint"] * 3 + ["neutral", "complaint", "neutral", "complaint", "neutral"]
    for f in ("servqual", "demand", "issue", "stance"):
        df[f"{f}_conf"] = 0.9
    df["区县"] = ["江岸"] * 4 + ["江汉"] * 2 + ["江岸"] * 2
    return df


def test_staff_sections_are_left_out_and_said():
    res = frequencies(_tagged(), by=["区县"])
    notes = res.tables["notes"].set_index("note")["count"]
    assert notes["staff sections excluded"] == 3 and notes["rows counted"] == 5
    assert notes["moderator statements excluded"] == 0
    overall = res.tables["overall"].set_index(["field", "label"])
    assert overall.loc[("issue", "billing"), ["count", "n"]].tolist() == [4, 5]
    assert overall.loc[("issue", "other"), "count"] == 0  # 已解决 is counted nowhere
    assert overall.loc[("stance", "neutral"), "count"] == 0
    # include_moderator counts the moderator's words, never the staff's
    assert frequencies(_tagged(), include_moderator=True).rows_counted == 5


def test_tickets_are_counted_beside_statements():
    """count and share are of statements: T1's three statements about billing count three times; ``tickets``
    says in how many tickets a label is (billing: T1 and T2), and the notes how many tickets were counted."""
    res = frequencies(_tagged(), by=["区县"])
    assert res.tables["notes"].set_index("note")["count"]["tickets counted"] == 3
    overall = res.tables["overall"].set_index(["field", "label"])
    assert overall.loc[("issue", "billing"), ["count", "tickets", "n"]].tolist() == [4, 2, 5]
    assert overall.loc[("issue", "broadband"), ["count", "tickets"]].tolist() == [1, 1]
    assert overall.loc[("issue", "other"), ["count", "tickets"]].tolist() == [0, 0]
    by = res.tables["by_区县"].set_index(["field", "label", "区县"])
    assert by.loc[("issue", "billing", "江岸"), ["count", "tickets"]].tolist() == [3, 1]
    assert by.loc[("issue", "billing", "江汉"), ["count", "tickets"]].tolist() == [1, 1]
    assert list(res.tables["overall"].columns[:6]) == ["field", "label", "label_zh", "count", "tickets", "n"]


def test_an_export_tagged_row_by_row_has_no_tickets_column():
    """One row a ticket (no statement_id beside ticket_id): its count is of tickets already."""
    df = _tagged().drop(columns=["statement_id"]).rename(columns={"ticket_id": "工单编号"})
    df["工单编号"] = [f"{t}-{i}" for i, t in enumerate(df["工单编号"])]
    assert "tickets" not in frequencies(df).tables["overall"].columns
