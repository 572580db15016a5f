"""Evidence and wording are about the item's object (a user's pass: IB040 在电梯里保持通话畅通 was
supported by quotes about a bedroom and an office; NEW-N001 / N004 said what, of nothing, and passed
every check; the coverage sheet's support counted 107 against 94 statements with no word of what).

Fixture: ``tests/data/items/object_evidence.txt`` (written for these tests: signal in an elevator, a
bedroom, an office and a car park; two wishes whose object the customer said before 希望).
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.items.candidates import candidate_items, check_item, load_item_bank
from voiceofcustomer.items.evidence import SupportScorer

ROOT = Path(__file__).resolve().parents[2]
FOCUS_GROUP = ROOT / "tests" / "data" / "items" / "object_evidence.txt"
SIGNAL = {"servqual": "reliability", "issue": "signal", "stance": "complaint"}


@pytest.fixture(scope="module")
def scorer():
    return SupportScorer().fit(load_item_bank())


@pytest.mark.parametrize("quote", ["我家卧室里手机信号特别差，打电话老是断", "我们公司办公室信号太弱了，通话经常断"])
def test_a_quote_about_another_place_does_not_support_the_elevator_item(scorer, quote):
    # same issue, same dimension, 信号 / 通话 / 断: before, 2.5 and 3.5 — support for 在电梯里保持通话畅通
    assert not scorer.score("IB040", quote, SIGNAL).supports(scorer.threshold)


@pytest.mark.parametrize("quote", ["一进电梯就没信号，电话直接断了", "轿厢里信号断断续续，电话打不出去"])
def test_a_quote_naming_the_elevator_or_a_declared_synonym_supports_it(scorer, quote):
    assert scorer.score("IB040", quote, SIGNAL).supports(scorer.threshold)


def test_the_office_quote_supports_the_indoor_item_the_bank_declares_it_for(scorer):
    assert "办公室" in load_item_bank().set_index("item_id").loc["IB039", "object"]
    assert scorer.score("IB039", "我们公司办公室信号太弱了，通话经常断", SIGNAL).supports(scorer.threshold)


def _balcony_bank(**object_col):
    return pd.DataFrame({"item_id": ["X1"], "servqual": ["reliability"], "demand": ["delivery"], "issue": ["signal"],
                         "e_text": ["优秀的电信运营商应当在阳台提供稳定的信号"], "p_text": ["该运营商在阳台提供稳定的信号"],
                         "keywords": [["信号", "稳定"]], **object_col})


def test_the_object_and_its_synonyms_are_the_banks_data():
    """A bank of one's own (--bank) declares its own: no object column, no requirement."""
    declared = SupportScorer().fit(_balcony_bank(object=["阳台|露台"]))
    assert declared.score("X1", "露台上信号很差", SIGNAL).supports(declared.threshold)
    assert not declared.score("X1", "厨房里信号很差", SIGNAL).supports(declared.threshold)
    plain = SupportScorer().fit(_balcony_bank())
    assert plain.score("X1", "厨房里信号很差", SIGNAL).supports(plain.threshold)


def test_a_bank_file_without_the_object_column_is_read(tmp_path):
    path = tmp_path / "bank.csv"
    _balcony_bank().assign(keywords="信号|稳定").to_csv(path, index=False)
    bank = load_item_bank(path)
    assert bank.loc[0, "object"] == [] and bank.loc[0, "keywords"] == ["信号", "稳定"]


def test_each_bank_object_is_named_by_its_item():
    bank = load_item_bank()
    named = bank[bank["object"].map(len) > 0]
    assert {"IB039", "IB040", "IB041"} <= set(named.item_id)
    for r in named.itertuples():
        assert r.object[0] in r.p_text, r.item_id
        assert len(set(r.object)) == len(r.object), r.item_id


@pytest.mark.parametrize("p_text", ["该运营商公开透明", "该运营商一视同仁", "该运营商更加人性化", "该运营商一步到位"])
def test_an_item_with_no_object_is_flagged_in_chinese(p_text):
    failed = [c for c in check_item("", p_text) if c.code != "no_comparison"]  # 更加人性化: than what, too
    assert [c.code for c in failed] == ["no_object"], failed
    assert failed[0].message.startswith("未写明评价对象：") and p_text[4:] in failed[0].message


@pytest.mark.parametrize("p_text", ["该运营商的收费标准公开透明", "该运营商对新老客户一视同仁", "该营业厅内干净整洁",
                                    "该运营商提供备用联系人", "该运营商田里、山里打得通电话"])
def test_an_item_that_names_its_object_is_not_flagged_for_it(p_text):
    assert not [c for c in check_item("", p_text) if c.code == "no_object"]


def _same_need_two_areas():
    rows = [("s1", "A", "老人、年轻人都一样，希望可以一视同仁", "empathy", "delivery", "other", "suggestion"),
            ("s2", "B", "对老客户和新客户希望可以一视同仁", "empathy", "business", "billing", "suggestion"),
            ("s3", "C", "对老客户和新客户都希望可以一视同仁", "empathy", "business", "billing", "suggestion")]
    df = pd.DataFrame(rows, columns=["statement_id", "speaker", "text", "servqual", "demand", "issue", "stance"])
    df["session"] = "fg"
    return df


def test_coverage_support_counts_the_rows_statements_that_back_its_candidates():
    """A composed item takes its statements' commonest area (business); its statement labelled delivery is
    in the delivery row's statements, and backs no candidate of that row."""
    res = candidate_items(_same_need_two_areas(), bank=load_item_bank().iloc[:0])
    assert res.items.support.tolist() == [3] and res.items.demand.tolist() == ["business"]
    cov = res.coverage.set_index(["servqual", "demand"])
    assert cov.loc[("empathy", "business"), ["candidates", "support", "statements"]].tolist() == [1, 2, 2]
    assert cov.loc[("empathy", "delivery"), ["candidates", "support", "statements"]].tolist() == [0, 0, 1]
    assert cov.loc[("empathy", "(all)"), ["candidates", "support", "statements"]].tolist() == [1, 2, 3]
    assert (res.coverage.support <= res.coverage.statements).all()


@pytest.mark.slow
def test_voc_analyze_then_voc_items_on_the_focus_group(tmp_path):
    """As the README runs it: every quote shown for a place names it; the objectless wishes are flagged;
    the coverage sheet's support is within its statements and the readme sheet says what it counts."""
    runner = CliRunner()
    res = runner.invoke(main, ["analyze", str(FOCUS_GROUP), "-o", str(tmp_path / "rep"), "-q"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "items.xlsx"
    res = runner.invoke(main, ["items", str(tmp_path / "rep" / "statements.xlsx"), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    book = pd.read_excel(out, sheet_name=None, dtype={"checks": str})
    items = book["items"].set_index("item_id")
    bank = load_item_bank().set_index("item_id")
    for item_id in items.index.intersection(bank.index[bank["object"].map(len) > 0]):
        for quote in items.loc[item_id, "evidence"].split(" | "):
            assert any(o in quote for o in bank.loc[item_id, "object"]), (item_id, quote)
    elevator = items.loc["IB040", "evidence"]
    assert "电梯" in elevator and "卧室" not in elevator and "办公室" not in elevator
    composed = items[items.p_text.isin(["该运营商公开透明", "该运营商一视同仁"])]
    assert len(composed) == 2 and composed.checks.str.startswith("未写明评价对象").all()
    cov = book["coverage"]
    assert (cov.support <= cov.statements).all()
    assert book["readme"]["说明"].str.contains("support = 其中支持这些候选题目之一的陈述数").any()
