"""voc gap on a fielded survey as a service-quality researcher exports it (researcher QA pass 3).

Each case worked by hand on the tiny fixture of tests/data/gap (see tests/gap/test_gap.py for its
hand computation).
"""

import io
from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"


@pytest.fixture(scope="module")
def book():
    return read_codebook(DATA / "codebook.csv")


def _kinds(result):
    return {w["kind"]: w["count"] for w in result.summary["warnings"]}


# -- N/A in a response file ---------------------------------------------------------------------------
# "N/A" is a no-opinion answer (gap.wjx.NOT_APPLICABLE), like 不适用. Before: pandas read N/A, NA and
# #N/A as empty cells when the file was read, so an N/A answer was counted among the blank answers
# (missing_answers), not the no-opinion ones, n_not_applicable said 0, and Excel's #N/A in a rating cell
# — a formula error — passed unlisted; an N/A in the importance points stayed a blank (0 points).

@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_na_answers_are_no_opinion_answers_in_a_file(tmp_path, book, ext):
    df = pd.read_csv(DATA / "responses.csv", dtype=str, keep_default_na=False)
    df.loc[0, "P_T1"] = "N/A"
    df.loc[1, "E_R1"] = "NA"
    df.loc[2, "E_S1"] = ""        # a blank stays a blank
    df.loc[2, "P_A1"] = "#N/A"    # a formula error is no answer: listed
    df.loc[1, "W_empathy"] = "N/A"  # no points given: a blank, as before
    path = tmp_path / f"responses.{ext}"
    df.to_csv(path, index=False) if ext == "csv" else df.to_excel(path, index=False)
    r = gap_analysis(read_responses(path), book)
    kinds = _kinds(r)
    assert r.summary["n_not_applicable"] == 2 and kinds["not_applicable_answers"] == 2
    assert kinds["missing_answers"] == 1
    assert r.problems[["row", "column", "value"]].values.tolist() == [[4, "P_A1", "#N/A"]]
    items = r.items.set_index("item_id")
    assert items.loc["T1", "n"] == 2 and items.loc["T1", "gap"] == pytest.approx((0 - 3) / 2)
    assert r.summary["n_weighted"] == 3  # r2's blank W_empathy is 0 points (90 of 100, rescaled)


# -- an item marked reverse that runs against the rest ------------------------------------------------------
# Before: the warning asked "is it reverse-worded but not marked reverse?" of an item that *is* marked reverse
# (reverse set on a positively worded item: its recoded answers run against the rest) — the wrong way round.

def test_a_negative_item_marked_reverse_is_asked_about_its_reverse_mark():
    book = pd.DataFrame({"item_id": ["X1", "X2", "X3", "X4"], "dimension": ["tangibles"] * 4,
                         "e_text": ["甲", "乙", "丙", "丁"], "p_text": ["甲1", "乙1", "丙1", "丁1"],
                         "reverse": ["false", "false", "true", "false"]})
    p = [[2, 2, 2, 6], [4, 4, 4, 2], [6, 6, 6, 4], [3, 3, 3, 7], [5, 5, 5, 3]]  # X1–X3 agree, X4 runs against
    df = pd.DataFrame({f"{k}_X{j + 1}": [row[j] if k == "P" else 7 for row in p] for k in "EP" for j in range(4)})
    r = gap_analysis(df, book)
    said = {m.split(" ")[1]: m for w in r.summary["warnings"] if w["kind"] == "negative_item_rest"
            for m in [w["message"]]}
    assert said["X3"].endswith("it is marked reverse: is its wording really reversed, or is reverse set on the "
                               "wrong item? If its wording is not reversed, set reverse to false for it in the codebook")
    assert said["X4"].endswith("is it reverse-worded but not marked reverse? If so, set reverse to true for it in the "
                               "codebook; if not, read its wording beside the dimension's other items")


# -- straight-liners named by their ids ----------------------------------------------------------------------
# Before: "… (rows 8); kept" — the row alone, where the speeders' warning beside it names each row's
# respondent id (a Qualtrics ResponseId, 问卷星's 序号), which is what a researcher screens them out by.

def test_straight_liners_are_named_by_row_and_id(tmp_path, book):
    df = pd.read_csv(DATA / "responses.csv", dtype=str, keep_default_na=False)
    df = df.rename(columns={"respondent_id": "ResponseId"})
    for c in df.columns[df.columns.str.match(r"^[EP]_")]:
        df.loc[2, c] = "7" if c.startswith("E_") else "5"
    r = gap_analysis(df, book)
    message = next(w["message"] for w in r.summary["warnings"] if w["kind"] == "straight_lining")
    assert "(rows 4 [r3]); kept" in message
    anonymous = gap_analysis(df.drop(columns="ResponseId"), book)
    assert "(rows 4); kept" in next(w["message"] for w in anonymous.summary["warnings"] if w["kind"] == "straight_lining")


# -- the page's reverse column in Chinese --------------------------------------------------------------------
# Before: the 各题 table of gap_report.html read "反向题 False" and "True" under its Chinese headings; the
# CSV and xlsx keep true/false for scripts.

def test_the_page_says_which_items_are_reverse_coded_in_chinese(tmp_path, book):
    from voiceofcustomer.gap.report import write_gap_report

    write_gap_report(gap_analysis(read_responses(DATA / "responses.csv"), book), tmp_path)
    page = (tmp_path / "gap_report.html").read_text(encoding="utf-8")
    items = pd.read_html(io.StringIO(page), match="反向题")[0].set_index("题号")
    assert items["反向题"].to_dict() == {"T1": "否", "T2": "是", "R1": "否", "S1": "否", "A1": "否", "M1": "否"}
    assert pd.read_csv(tmp_path / "items.csv")["reverse"].tolist() == [False, True, False, False, False, False]
