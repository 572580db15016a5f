"""voc gap's warnings as a new user reads them (new-user pass, 7 Dec 2026): counts of one respondent, and a
dimension of two items whose answers run against each other."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"


def _said(result, kind):
    return [w for w in result.summary["warnings"] if w["kind"] == kind]


# -- "(in 1 respondents)" ----------------------------------------------------------------------------------
# Before: one bad cell, one 不适用 and one blank, each in one respondent's row, were said '(in 1 respondents)'.

def test_one_respondent_is_said_in_the_singular():
    df = pd.read_csv(DATA / "responses.csv", dtype=str, keep_default_na=False)
    df.loc[0, "P_T1"], df.loc[1, "P_R1"], df.loc[2, "E_S1"] = "9", "不适用", ""
    r = gap_analysis(df, read_codebook(DATA / "codebook.csv"))
    said = {k: _said(r, k)[0]["message"] for k in ("invalid_ratings", "not_applicable_answers", "missing_answers")}
    assert all("(in 1 respondent)" in m for m in said.values()), said
    df.loc[1, "P_T1"] = "12"
    r = gap_analysis(df, read_codebook(DATA / "codebook.csv"))
    assert "(in 2 respondents)" in _said(r, "invalid_ratings")[0]["message"]


# -- a dimension of two items ------------------------------------------------------------------------------
# Before: in a dimension of two items both were warned of, each 'correlates negatively with the rest of its
# dimension (P r = -0.02); is it reverse-worded but not marked reverse?' — with two items each one's item–rest r
# is their correlation, the same number, which cannot tell which is reversed; and −0.02 is no correlation.

BOOK = pd.DataFrame({"item_id": ["T1", "T2", "R1", "R2", "R3"],
                     "dimension": ["tangibles"] * 2 + ["reliability"] * 3,
                     "e_text": list("甲乙丙丁戊"), "p_text": list("甲乙丙丁戊"), "reverse": ["false"] * 5})
T1 = [1, 2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6]
R = [[2, 3, 3, 4, 5, 5, 6, 2, 3, 4, 5, 6], [1, 3, 3, 5, 5, 6, 7, 2, 2, 4, 6, 6], [2, 2, 4, 4, 5, 6, 7, 1, 3, 5, 5, 6]]


def _pair(t2, reverse=("false", "false")):
    book = BOOK.assign(reverse=[*reverse, "false", "false", "false"])
    p = {"P_T1": T1, "P_T2": t2, **{f"P_R{i + 1}": x for i, x in enumerate(R)}}
    df = pd.DataFrame({**{f"E_{i}": [7] * 12 for i in BOOK["item_id"]}, **p})
    return gap_analysis(df, book)


def test_a_pair_with_no_correlation_is_not_warned_of():
    r = _pair([2, 7, 4, 4, 5, 2, 3, 2, 6, 2, 7, 4])
    assert r.items.set_index("item_id").loc["T1", "r_item_rest_p"] == pytest.approx(np.corrcoef(
        T1, [2, 7, 4, 4, 5, 2, 3, 2, 6, 2, 7, 4])[0, 1])
    assert round(r.items.set_index("item_id").loc["T1", "r_item_rest_p"], 2) == -0.03
    assert _said(r, "negative_item_rest") == []


@pytest.mark.parametrize("reverse, ask", [(("false", "false"), "is one of them reverse-worded but not marked reverse?"),
                                          (("false", "true"), "T2 is marked reverse: is that the item whose wording "
                                                              "is reversed?")])
def test_a_pair_against_each_other_is_one_warning_of_both(reverse, ask):
    t2 = [8 - x for x in T1] if reverse[1] == "false" else T1  # recoded, the reverse-marked T2 runs against T1
    r = _pair(t2, reverse)
    said = _said(r, "negative_item_rest")
    assert len(said) == 1
    assert said[0]["message"] == ("items T1 and T2 (tangibles) correlate negatively with each other (P r = -1.00); "
                                  "with two items in the dimension this cannot tell which of them is reversed — "
                                  f"read both: {ask}")
    assert said[0]["message_zh"].startswith("题目 T1 与 T2（有形性）负相关（P r = -1.00）；维度只有这两道题")
