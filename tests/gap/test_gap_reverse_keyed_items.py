"""Which items voc gap asks about reverse keying: one rule for every dimension (questionnaire analyst QA).

Fixture (written for these tests): ``responses_reverse_check.csv``, 30 respondents, and
``codebook_reverse_check.csv`` — two dimensions of four items. T4 (这家营业厅的设备陈旧过时) is reverse-worded and
not marked reverse: its answers run against T1–T3 (corrected item–total r −0.85 on E, −0.90 on P). R4 hangs
with R1–R3 by chance only (r −0.01 on E, −0.04 on P): no correlation on 30 respondents."""

from pathlib import Path

import pytest

from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"


def _run(reverse=None):
    book = read_codebook(DATA / "codebook_reverse_check.csv")
    if reverse:
        book.loc[book["item_id"] == reverse, "reverse"] = True
    r = gap_analysis(read_responses(DATA / "responses_reverse_check.csv"), book)
    return r, [w for w in r.summary["warnings"] if w["kind"] == "negative_item_rest"]


# Before: a dimension of three or more items was warned of at any r that showed negative — R4's
# 'item R4 (reliability) correlates negatively with the rest of its dimension (E r = -0.01, P r = -0.04); is it
# reverse-worded but not marked reverse?' — where a pair of items was only from r = −0.20.

def test_a_weak_negative_item_is_not_asked_about_reverse_keying():
    r, said = _run()
    items = r.items.set_index("item_id")
    assert round(items.loc["R4", "r_item_rest_e"], 2) == -0.01 and round(items.loc["R4", "r_item_rest_p"], 2) == -0.04
    assert [w["message"].split(" ")[1] for w in said] == ["T4"]


def test_a_reverse_keyed_item_is_named_with_its_r_its_alpha_and_what_to_do():
    r, said = _run()
    items, dims = r.items.set_index("item_id"), r.dimensions.set_index("dimension")
    e, p = items.loc["T4", "r_item_rest_e"], items.loc["T4", "r_item_rest_p"]
    assert e <= -0.20 and p <= -0.20
    a_e, a_p = dims.loc["tangibles", "alpha_e"], dims.loc["tangibles", "alpha_p"]
    w_e, w_p = items.loc["T4", "alpha_e_if_deleted"], items.loc["T4", "alpha_p_if_deleted"]
    assert w_e > a_e and w_p > a_p
    assert said[0]["message"] == (
        f"item T4 (tangibles) correlates negatively with the rest of its dimension (corrected item–total E r = {e:.2f}, "
        f"its E α {a_e:.2f} → {w_e:.2f} without it; P r = {p:.2f}, its P α {a_p:.2f} → {w_p:.2f} without it; -0.20 or "
        "lower); is it reverse-worded but not marked reverse? If so, set reverse to true for it in the codebook; if "
        "not, read its wording beside the dimension's other items")
    assert said[0]["message_zh"].startswith(f"题目 T4（有形性）与同维度其余题目负相关（校正后题总相关 E r = {e:.2f}，"
                                            f"删除该题后 E α 由 {a_e:.2f} 升至 {w_e:.2f}；")
    assert said[0]["message_zh"].endswith("如是，请在编码表中把它的 reverse 改为 true；如不是，请对照同维度其他题目核对它的措辞")


def test_marked_reverse_the_same_item_is_scored_with_the_rest_and_not_warned_of():
    r, said = _run(reverse="T4")
    assert said == []
    assert r.items.set_index("item_id").loc["T4", "r_item_rest_p"] > 0.8


@pytest.mark.parametrize("item", ["T1", "R1"])
def test_reverse_set_on_a_positively_worded_item_is_asked_to_be_unset(item):
    _, said = _run(reverse=item)
    named = {w["message"].split(" ")[1]: w["message"] for w in said}
    assert named[item].endswith("it is marked reverse: is its wording really reversed, or is reverse set on the "
                                "wrong item? If its wording is not reversed, set reverse to false for it in the codebook")
