"""Agreement statistics match scikit-learn's Cohen's kappa and the krippendorff reference package."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from voiceofcustomer.review.agreement import (agreement_from_project, agreement_from_tables, cohen_kappa,
                                              krippendorff_alpha_nominal, reported)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kappa_matches_sklearn(seed):
    rng = np.random.default_rng(seed)
    a = rng.choice(["x", "y", "z", "w"], 150)
    b = np.where(rng.random(150) < 0.6, a, rng.choice(["x", "y", "z"], 150))
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alpha_matches_the_reference_implementation_with_missing_codes(seed):
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 5, 120)
    data = np.array([np.where(rng.random(120) < p, truth, rng.integers(0, 5, 120)) for p in (0.8, 0.6, 0.7)],
                    dtype=float)
    data[rng.random(data.shape) < 0.25] = np.nan
    units = [[None if np.isnan(v) else int(v) for v in data[:, j]] for j in range(data.shape[1])]
    ref = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(units) == pytest.approx(ref, abs=1e-12)


def test_project_agreement_coder_vs_coder_and_model(project):
    ids = [f"t:{i}-s01" for i in range(1, 11)]
    for i, sid in enumerate(ids):
        project.decide(sid, {"issue": "billing" if i < 6 else "signal"}, "wang")
        project.decide(sid, {"issue": "billing" if i < 4 else "signal"}, "li")
    res = agreement_from_project(project.path)
    row = res.pairs[(res.pairs.field == "issue") & (res.pairs.coder_a == "li") & (res.pairs.coder_b == "wang")].iloc[0]
    li = ["billing"] * 4 + ["signal"] * 6
    wang = ["billing"] * 6 + ["signal"] * 4
    assert row.n == 10 and row.kappa == pytest.approx(cohen_kappa_score(li, wang))
    dis = res.disagreements[(res.disagreements.field == "issue") & (res.disagreements.coder_a == "li")]
    assert sorted(dis.statement_id) == sorted(ids[4:6])
    assert ("issue", "model", "li") in res.confusion
    assert res.confusion[("issue", "li", "wang")].loc["billing", "billing"] == 4
    assert set(res.overall.field) == {"servqual", "demand", "issue", "stance"}


def test_two_tables(tmp_path):
    a = pd.DataFrame({"statement_id": ["1", "2", "3", "4"], "text": ["甲", "乙", "丙", "丁"],
                      "issue": ["billing", "signal", "signal", "other"], "stance": ["complaint"] * 4})
    b = a.assign(issue=["billing", "signal", "billing", "other"])
    a.to_csv(tmp_path / "a.csv", index=False)
    b.to_csv(tmp_path / "b.csv", index=False)
    res = agreement_from_tables(tmp_path / "a.csv", tmp_path / "b.csv")
    issue = res.pairs[res.pairs.field == "issue"].iloc[0]
    assert issue.kappa == pytest.approx(cohen_kappa_score(a.issue, b.issue))
    assert res.disagreements.statement_id.tolist() == ["3"]
    out = res.write(tmp_path / "agree.xlsx")
    assert "disagreements" in pd.ExcelFile(out).sheet_names


def test_model_disagreements_carry_the_models_confidence_surest_first(project):
    sts = project.statements_frame().set_index("statement_id")
    ids = sts.index[:12].tolist()
    for sid in ids:  # a coder who disagrees with the model on every issue
        wrong = "billing" if sts.loc[sid, "issue"] != "billing" else "signal"
        project.decide(sid, {"issue": wrong}, "wang")
    res = agreement_from_project(project.path)
    dis = res.disagreements
    mine = dis[(dis.field == "issue") & (dis.coder_a == "model") & (dis.coder_b == "wang")]
    assert sorted(mine.statement_id) == sorted(ids)
    want = sts.loc[mine.statement_id, "issue_conf"].to_numpy(dtype=float)
    np.testing.assert_allclose(mine.model_conf.to_numpy(dtype=float), want)
    assert (np.diff(mine.model_conf.to_numpy(dtype=float)) <= 0).all() and len(set(want)) > 1  # surest first
    res_no_model = agreement_from_project(project.path, model=False)
    assert res_no_model.disagreements.empty or res_no_model.disagreements.model_conf.isna().all()


# -- two coder tables without statement_id (QA: matched nothing, printed alpha=nan, exit 0) ------------
CODED = {"text": ["宽带晚上老掉线", "营业厅排队太久", "资费贵了二十元", "客服态度差", "信号不好"],
         "servqual": ["reliability", "responsiveness", "reliability", "empathy", "reliability"],
         "demand": ["function", "channel", "business", "channel", "function"],
         "issue": ["broadband", "efficiency", "billing", "attitude", "signal"],
         "stance": ["complaint"] * 5}


def test_tables_without_ids_are_matched_on_text(tmp_path):
    a = pd.DataFrame(CODED)
    c = a.assign(issue=["broadband", "efficiency", "marketing", "attitude", "signal"]).iloc[::-1]  # another order
    a.to_csv(tmp_path / "a.csv", index=False)
    c.to_csv(tmp_path / "c.csv", index=False)
    res = agreement_from_tables(tmp_path / "a.csv", tmp_path / "c.csv")
    issue = res.pairs[res.pairs.field == "issue"].iloc[0]
    assert issue.n == 5 and issue.agree == pytest.approx(0.8)
    assert res.disagreements.statement_id.tolist() == ["资费贵了二十元"]

    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    out = CliRunner().invoke(main, ["agreement", str(tmp_path / "a.csv"), str(tmp_path / "c.csv")])
    assert out.exit_code == 0 and "issue     a vs c: n=5  agree=80.0%" in out.output


def test_tables_with_their_own_ids_are_still_matched_on_them(tmp_path):
    a = pd.DataFrame(CODED).assign(工单编号=["T1", "T2", "T3", "T4", "T5"])
    b = a.assign(text=a.text + "（复核）")  # a coder who touched the texts: the ids still match
    a.to_csv(tmp_path / "a.csv", index=False)
    b.to_csv(tmp_path / "b.csv", index=False)
    res = agreement_from_tables(tmp_path / "a.csv", tmp_path / "b.csv")
    assert res.pairs[res.pairs.field == "issue"].iloc[0].n == 5


def test_no_shared_statement_is_a_one_line_error_that_says_what_to_do(tmp_path):
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    a = pd.DataFrame(CODED).assign(行号=range(1, 6))  # not an id column the readers know by name
    a.to_csv(tmp_path / "a.csv", index=False)
    a.assign(text=[f"完全不同的话{i}" for i in range(5)]).to_csv(tmp_path / "d.csv", index=False)
    res = CliRunner().invoke(main, ["agreement", str(tmp_path / "a.csv"), str(tmp_path / "d.csv")])
    assert res.exit_code == 2
    assert len(res.output.strip().splitlines()) == 1 and "nan" not in res.output
    assert "no text of one table is in the other" in res.output and "--key" in res.output
    ok = CliRunner().invoke(main, ["agreement", str(tmp_path / "a.csv"), str(tmp_path / "d.csv"), "--key", "行号"])
    assert ok.exit_code == 0 and "n=5" in ok.output, ok.output  # as the message says: --key


def test_a_project_with_one_coder_and_no_model_says_what_to_do(project):
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    project.decide("t:1-s01", {"issue": "billing"}, "wang")
    res = CliRunner().invoke(main, ["agreement", str(project.path), "--no-model"])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
    assert "no statement was coded by two coders" in res.output and "--no-model" in res.output


def test_rows_that_share_a_key_are_each_compared_not_only_the_last(tmp_path):
    # two coders' copies of a split ticket export matched on --key 工单编号 (as the message above suggests):
    # a ticket's first sentence was left out, silently, with the coders' disagreement on it
    # (found in the complaint-team QA pass)
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    a = pd.DataFrame({"工单编号": ["T1", "T1", "T2", "T3", "T3"],
                      "text": ["这个月话费多扣了五十块。", "希望给个说法。", "宽带晚上老掉线。", "营业厅排队太久。",
                               "营业厅排队太久。"],  # T3: the same row exported twice
                      "issue": ["billing", "billing", "broadband", "efficiency", "efficiency"],
                      "stance": ["complaint"] * 5})
    b = a.assign(issue=["notification", "billing", "broadband", "efficiency", "efficiency"])
    a.to_csv(tmp_path / "wang.csv", index=False)
    b.to_csv(tmp_path / "li.csv", index=False)
    res = agreement_from_tables(tmp_path / "wang.csv", tmp_path / "li.csv", key="工单编号")
    issue = res.pairs[res.pairs.field == "issue"].iloc[0]
    assert issue.n == 4 and issue.agree == pytest.approx(0.75)  # T1, T1#2, T2, and T3 once
    assert res.disagreements.statement_id.tolist() == ["T1"]
    out = CliRunner().invoke(main, ["agreement", str(tmp_path / "wang.csv"), str(tmp_path / "li.csv"),
                                    "--key", "工单编号"])
    assert out.exit_code == 0 and "issue     wang vs li: n=4  agree=75.0%" in out.output, out.output
    assert "1 row shares a 工单编号 with a row of other text: matched in table order as T1#2" in out.output
    assert "1 row with the 工单编号 and text of an earlier row compared once" in out.output


def test_a_table_with_no_label_columns_says_what_to_give(tmp_path):
    """QA (bad-input sweep): the message named the missing columns but not what to give instead."""
    from voiceofcustomer.errors import ColumnError
    from voiceofcustomer.review.agreement import agreement_from_tables

    pd.DataFrame({"statement_id": ["s1"], "text": ["宽带断网"], "issue": ["broadband"]}).to_csv(tmp_path / "b.csv",
                                                                                          index=False)
    pd.DataFrame({"statement_id": ["s1"], "text": ["宽带断网"]}).to_csv(tmp_path / "c.csv", index=False)
    with pytest.raises(ColumnError, match=r"c\.csv: no label columns \(servqual, demand, issue, stance\); give "
                                          r"tables labelled by `voc tag` or exported from a review project"):
        agreement_from_tables(tmp_path / "c.csv", tmp_path / "b.csv")


def test_kappa_and_alpha_carry_no_float_noise_nor_negative_zero():
    """QA: agreement exactly at chance came out as κ = -3.469447e-17 (printed -0.000)."""
    a = ["y", "y", "y", "z", "y"]
    b = ["x", "x", "z", "x", "y"]
    k = cohen_kappa(a, b)
    assert k == 0 and not np.signbit(k)
    assert reported(-3.469446951953614e-17) == 0 and not np.signbit(reported(-1e-17))
    assert not np.signbit(reported(-0.0004, 3)) and np.isnan(reported(float("nan")))


def test_the_disagreeing_rows_are_told_between_coders_and_with_the_model(tmp_path):
    # wang kept the model's stance of 3 statements, li made them all neutral and one's issue other: voc agreement
    # said "8 disagreeing rows and confusion tables" — 4 rows of the two coders (on 3 statements) and 4 of the
    # model against li — while voc train --add said the coders disagree on 3 statements
    from click.testing import CliRunner
    from review_fixtures import tagged_frame

    from voiceofcustomer.cli.main import main
    from voiceofcustomer.review.store import create_project

    df = tagged_frame()
    store = create_project(df, tmp_path / "review.sqlite")
    rows = df.set_index("statement_id")
    sids = [s for s in rows.index if rows.loc[s, "stance"] != "neutral" and rows.loc[s, "issue"] != "other"][:3]
    for i, sid in enumerate(sids):  # a coder's decision on a row is the fields of their latest: given together
        store.decide(sid, {"stance": rows.loc[sid, "stance"], "issue": rows.loc[sid, "issue"]}, "wang")
        store.decide(sid, {"stance": "neutral", "issue": "other" if i == 0 else rows.loc[sid, "issue"]}, "li")
    store.close()
    out = tmp_path / "agreement.xlsx"
    r = CliRunner().invoke(main, ["agreement", str(tmp_path / "review.sqlite"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert (f"8 disagreeing rows (4 between coders, on 3 statements; 4 of the model and a coder) and confusion "
            f"tables → {out}") in r.output, r.output
    assert len(pd.read_excel(out, sheet_name="disagreements")) == 8
    r = CliRunner().invoke(main, ["agreement", str(tmp_path / "review.sqlite"), "--no-model", "-o", str(out)])
    assert f"4 disagreeing rows (4 between coders, on 3 statements) and confusion tables → {out}" in r.output, r.output
