"""Two coders' tables compared on what the labels mean, not how they are spelt.

A coder working in Chinese writes the taxonomy's Chinese names (移情性, 投诉/不满) where the other copy holds
the ids `voc tag` writes (empathy, complaint): until 8 Dec 2026 each such row was a disagreement, and two coders
who agreed on every row got agree=0.0%, κ 0 and α below zero."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.review.agreement import agreement_from_tables

IDS = ["S1", "S2", "S3", "S4", "S5", "S6"]
TEXTS = ["营业厅排队太久", "宽带晚上老掉线", "客服态度很好", "希望多开几个窗口", "账单多扣了钱", "师傅上门很准时"]
SERVQUAL = ["responsiveness", "reliability", "assurance", "tangibles", "reliability", "empathy"]
STANCE = ["complaint", "complaint", "praise", "suggestion", "complaint", "praise"]
SERVQUAL_ZH = ["响应性", "可靠性", "保证性", "有形性", "可靠性", "移情性"]
STANCE_ZH = ["投诉/不满", "投诉", "表扬", "建议", "不满", "表扬"]  # the full name, or one of its two words


def _tables(tmp_path, servqual_b, stance_b):
    a = pd.DataFrame({"statement_id": IDS, "text": TEXTS, "servqual": SERVQUAL, "stance": STANCE})
    b = a.assign(servqual=servqual_b, stance=stance_b)
    a.to_excel(tmp_path / "coder_a.xlsx", index=False)
    b.to_excel(tmp_path / "coder_b.xlsx", index=False)
    return tmp_path / "coder_a.xlsx", tmp_path / "coder_b.xlsx"


def test_chinese_label_names_agree_with_the_ids_they_name(tmp_path):
    res = agreement_from_tables(*_tables(tmp_path, SERVQUAL_ZH, STANCE_ZH))
    for f in ("servqual", "stance"):
        row = res.pairs[res.pairs.field == f].iloc[0]
        assert row.n == 6 and row.agree == 1.0 and row.kappa == 1.0, f
    assert res.disagreements.empty


def test_a_real_disagreement_in_chinese_is_still_one_and_says_the_ids(tmp_path):
    servqual_b = SERVQUAL_ZH[:5] + ["保证性"]  # S6: empathy against 保证性 (assurance)
    res = agreement_from_tables(*_tables(tmp_path, servqual_b, STANCE))
    row = res.pairs[res.pairs.field == "servqual"].iloc[0]
    assert row.agree == pytest.approx(5 / 6)
    d = res.disagreements
    assert d[["statement_id", "value_a", "value_b"]].values.tolist() == [["S6", "empathy", "assurance"]]


def test_ids_typed_with_capitals_or_spaces_are_the_ids(tmp_path):
    res = agreement_from_tables(*_tables(tmp_path, [" Responsiveness", "RELIABILITY", "assurance ", "Tangibles",
                                                    "reliability", "empathy"], STANCE))
    assert res.pairs[res.pairs.field == "servqual"].iloc[0].agree == 1.0


def test_a_value_that_is_no_label_is_named_and_compared_as_written(tmp_path):
    servqual_b = SERVQUAL_ZH[:5] + ["移情"]  # a typo: no label of servqual
    a, b = _tables(tmp_path, servqual_b, STANCE)
    res = agreement_from_tables(a, b)
    assert res.disagreements[["statement_id", "value_b"]].values.tolist() == [["S6", "移情"]]
    assert any("'移情'" in n and "servqual" in n and "移情性" in n for n in res.notes), res.notes
    out = CliRunner().invoke(main, ["agreement", str(a), str(b)])
    assert out.exit_code == 0
    assert "servqual  coder_a vs coder_b: n=6  agree=83.3%" in out.output
    assert "'移情'" in out.output


def test_rows_one_coder_skipped_are_said_not_dropped_without_a_word(tmp_path):
    """A coder who left rows blank (or deleted them from the copy) is compared on the rest, and the command says
    so: until 8 Dec 2026 `n=4` of 6 statements came without a word of the 2 that were not compared."""
    a = pd.DataFrame({"statement_id": IDS, "text": TEXTS, "servqual": SERVQUAL, "stance": STANCE})
    b = a.assign(servqual=SERVQUAL[:4] + [None, ""]).iloc[:5]  # S5 left blank, S6 deleted; stance of S6 gone too
    a.to_excel(tmp_path / "coder_a.xlsx", index=False)
    b.to_excel(tmp_path / "coder_b.xlsx", index=False)
    res = agreement_from_tables(tmp_path / "coder_a.xlsx", tmp_path / "coder_b.xlsx")
    assert res.pairs.set_index("field")["n"].to_dict() == {"servqual": 4, "stance": 5}
    assert f"{tmp_path / 'coder_b.xlsx'}: 1 statement of coder_a.xlsx is not in it (S6): compared on the 5 both hold" \
        in res.notes
    assert f"{tmp_path / 'coder_b.xlsx'}: servqual blank in 1 row (S5): compared on the rows both coded" in res.notes
    out = CliRunner().invoke(main, ["agreement", str(tmp_path / "coder_a.xlsx"), str(tmp_path / "coder_b.xlsx")])
    assert out.exit_code == 0 and "is not in it (S6)" in out.output and "servqual blank in 1 row (S5)" in out.output
