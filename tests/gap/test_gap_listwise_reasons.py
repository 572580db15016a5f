"""--listwise says why the respondents it leaves out are incomplete: blank, 不适用 and invalid answers."""

from pathlib import Path

import pandas as pd

from voiceofcustomer.gap.analysis import gap_analysis, read_codebook

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"


def test_listwise_counts_blank_not_applicable_and_invalid_answers():
    book = read_codebook(DATA / "codebook.csv")
    items = book["item_id"].tolist()
    rows = []
    for odd in (None, ("E_R1", ""), ("P_S1", "不适用"), ("E_A1", "很好"), None):
        row = {"respondent_id": f"r{len(rows) + 1}", **{f"E_{i}": "6" for i in items}, **{f"P_{i}": "5" for i in items}}
        if odd:
            row[odd[0]] = odd[1]
        rows.append(row)
    res = gap_analysis(pd.DataFrame(rows), book, listwise=True)
    assert res.summary["n_used"] == 2
    warning = next(w for w in res.summary["warnings"] if w["kind"] == "listwise_dropped")
    # before: '(1 blank answers)' — the 不适用 and the invalid answer, two of the three left out, unsaid
    assert warning["message"] == ("listwise: left out 3 of 5 respondents with a missing or invalid E/P answer "
                                  "(answers: 1 blank, 1 不适用/不清楚, 1 invalid (problems.csv))")
    assert warning["message_zh"].endswith("（答案：留空 1 个，不适用/不清楚 1 个，无效 1 个（见 problems.csv））")
