"""voc gap: SERVQUAL gap analysis of survey responses.

The tiny data set in tests/data/gap/ is worked by hand below; the statistics are checked
against independent implementations (scipy, pingouin) on random data.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import ColumnError, DataQualityError, InputError
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses, validate_codebook
from voiceofcustomer.gap.stats import cronbach_alpha, group_tests, vs_rest
from voiceofcustomer.gap.report import write_gap_report

DIMS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
ITEM_COLUMNS = ["item_id", "dimension", "n", "mean_e", "mean_p", "gap", "ci_low", "ci_high", "p_value"]
DIMENSION_COLUMNS = ["dimension", "gap", "alpha_e", "alpha_p", "n_items"]


@pytest.fixture
def gap_dir(data_dir):
    return data_dir / "gap"


@pytest.fixture
def codebook(gap_dir):
    return read_codebook(gap_dir / "codebook.csv")


@pytest.fixture
def responses(gap_dir):
    return read_responses(gap_dir / "responses.csv")


@pytest.fixture
def runner():
    return CliRunner()


def _write(tmp_path, df, name="responses.csv"):
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def _kinds(result):
    return {w["kind"]: w["count"] for w in result.summary["warnings"]}


# -- the hand-computed example -------------------------------------------------------------------
# After recoding T2 (8 − x), the per-respondent gaps P − E are
#            T1  T2  R1  S1  A1  M1   W (importance points)
#     r1     -1  -1  -3   0  +1  -2   20 20 20 20 20
#     r2      0  +2  -1  -3   0  +1   40 30 10 10 10
#     r3     -3  -1   0  -1  +2   0   10 10 10 10 10  (sums to 50: rescaled to 20 each)
# Dimension gap per respondent (tangibles = mean of T1, T2):
#     r1: -1 -3  0  1 -2    r2: 1 -1 -3 0 1    r3: -2 0 -1 2 0
# Dimension gaps: tangibles -2/3, reliability -4/3, responsiveness -4/3, assurance 1, empathy -1/3
# SQ = mean of the five = (-2 - 4 - 4 + 3 - 1) / 15 = -8/15
# Weighted: r1 = mean(-1,-3,0,1,-2) = -1; r2 = .4(1) + .3(-1) + .1(-3) + .1(0) + .1(1) = -0.1;
#           r3 = mean(-2,0,-1,2,0) = -0.2; weighted SQ = (-1 - 0.1 - 0.2) / 3 = -13/30


def test_hand_computed_gaps_sq_and_weighted_sq(responses, codebook):
    r = gap_analysis(responses, codebook)
    assert list(r.items.columns[:9]) == ITEM_COLUMNS
    assert list(r.dimensions.columns[:5]) == DIMENSION_COLUMNS
    items = r.items.set_index("item_id")
    assert items["gap"].to_dict() == pytest.approx({"T1": -4 / 3, "T2": 0, "R1": -4 / 3, "S1": -4 / 3, "A1": 1,
                                                    "M1": -1 / 3})
    assert (items["n"] == 3).all()
    dims = r.dimensions.set_index("dimension")
    assert list(dims.index) == DIMS
    assert dims["gap"].tolist() == pytest.approx([-2 / 3, -4 / 3, -4 / 3, 1, -1 / 3])
    assert dims["n_items"].tolist() == [2, 1, 1, 1, 1]
    assert r.summary["sq"] == pytest.approx(-8 / 15)
    assert r.summary["sq_weighted"] == pytest.approx(-13 / 30)
    assert r.summary["n_respondents"] == 3 and r.summary["missing_policy"] == "pairwise"
    assert r.respondents["sq_weighted"].tolist() == pytest.approx([-1, -0.1, -0.2])
    # importance: mean share of 100 points (r3's 10s count as 20 after rescaling)
    assert dims.loc["tangibles", "importance"] == pytest.approx((20 + 40 + 20) / 3)
    assert _kinds(r)["importance_rescaled"] == 1


def test_reverse_items_are_recoded_before_anything(responses, codebook):
    r = gap_analysis(responses, codebook)
    t2 = r.items.set_index("item_id").loc["T2"]
    # raw E_T2 = 2, 3, 1 and P_T2 = 3, 1, 2 → recoded 6, 5, 7 and 5, 7, 6
    assert t2["mean_e"] == pytest.approx(6) and t2["mean_p"] == pytest.approx(6) and bool(t2["reverse"])
    flipped = codebook.assign(reverse=False)
    assert gap_analysis(responses, flipped).items.set_index("item_id").loc["T2", "mean_e"] == pytest.approx(2)


def test_chinese_dimension_names_and_reverse_words(tmp_path, responses):
    cb = pd.DataFrame({"item_id": ["T1", "T2", "R1", "S1", "A1", "M1"],
                       "dimension": ["有形性", "有形性", "可靠性", "响应性", "保证性", "移情性"],
                       "reverse": ["否", "是", "", "no", "0", "FALSE"]})
    r = gap_analysis(responses, validate_codebook(cb))
    assert r.summary["sq"] == pytest.approx(-8 / 15)


# -- statistics against independent implementations ----------------------------------------------


def _random_survey(n=120, seed=7, missing=0.05):
    rng = np.random.default_rng(seed)
    items, rows = [], {}
    for d, dim in enumerate(DIMS):
        trait = rng.normal(0, 1, n)
        for j in range(4):
            item = f"{dim[:3]}{j}"
            items.append({"item_id": item, "dimension": dim, "reverse": "false"})
            rows[f"E_{item}"] = np.clip(np.rint(5.5 + trait + rng.normal(0, 0.8, n)), 1, 7)
            rows[f"P_{item}"] = np.clip(np.rint(4.8 + 0.8 * trait + rng.normal(0, 1, n) + 0.1 * d), 1, 7)
    df = pd.DataFrame(rows)
    mask = rng.random(df.shape) < missing
    df = df.mask(mask)
    df["store"] = rng.choice(["A", "B", "C"], n)
    return df, validate_codebook(pd.DataFrame(items))


def test_paired_t_test_and_ci_match_scipy():
    df, cb = _random_survey()
    r = gap_analysis(df, cb)
    for row in r.items.itertuples():
        pair = df[[f"E_{row.item_id}", f"P_{row.item_id}"]].dropna()
        ref = stats.ttest_rel(pair.iloc[:, 1], pair.iloc[:, 0])
        ci = ref.confidence_interval(0.95)
        assert row.n == len(pair)
        assert row.p_value == pytest.approx(ref.pvalue, rel=1e-9)
        assert row.t == pytest.approx(ref.statistic, rel=1e-9)
        assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)
        assert row.gap == pytest.approx(pair.iloc[:, 1].mean() - pair.iloc[:, 0].mean())


def test_cronbach_alpha_matches_pingouin():
    pg = pytest.importorskip("pingouin")
    df, cb = _random_survey()
    r = gap_analysis(df, cb)
    for dim in DIMS:
        ids = cb.loc[cb["dimension"] == dim, "item_id"].tolist()
        row = r.dimensions.set_index("dimension").loc[dim]
        for side, col in (("E", "alpha_e"), ("P", "alpha_p")):
            block = df[[f"{side}_{i}" for i in ids]]
            assert row[col] == pytest.approx(pg.cronbach_alpha(block, nan_policy="listwise")[0], rel=1e-9)
            # α-if-item-deleted is computed on the respondents who answered all the dimension's items
            complete = block.dropna()
            for i in ids:
                ref = pg.cronbach_alpha(complete.drop(columns=f"{side}_{i}"))[0]
                got = r.items.set_index("item_id").loc[i, f"alpha_{side.lower()}_if_deleted"]
                assert got == pytest.approx(ref, rel=1e-9)


def test_cronbach_alpha_edge_cases():
    alpha, deleted, n = cronbach_alpha(np.array([[1.0], [2.0], [3.0]]))
    assert np.isnan(alpha) and n == 3  # one item: undefined
    alpha, deleted, n = cronbach_alpha(np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]]))
    assert np.isfinite(alpha) and np.isnan(deleted).all()  # two items: deleting one leaves no scale
    alpha, _, _ = cronbach_alpha(np.full((4, 3), 5.0))
    assert np.isnan(alpha)  # nobody varies


def test_segment_tests_match_scipy_and_pingouin():
    pg = pytest.importorskip("pingouin")
    rng = np.random.default_rng(3)
    groups = np.repeat(np.array(["A", "B", "C", "D"]), [30, 50, 20, 1])
    x = rng.normal(0, 1, len(groups)) + (groups == "C") * 1.5 * rng.random(len(groups))
    x[[0, 40]] = np.nan
    tests = group_tests({"overall": x}, groups).iloc[0]
    ok = ~np.isnan(x) & (groups != "D")  # D has one respondent: left out
    frame = pd.DataFrame({"x": x[ok], "g": groups[ok]})
    ref = stats.f_oneway(*[g["x"] for _, g in frame.groupby("g")])
    assert tests["anova_p"] == pytest.approx(ref.pvalue, rel=1e-9)
    welch = pg.welch_anova(data=frame, dv="x", between="g")
    assert tests["welch_f"] == pytest.approx(welch["F"].iloc[0], rel=1e-9)
    assert tests["welch_p"] == pytest.approx(welch["p_unc"].iloc[0] if "p_unc" in welch else welch["p-unc"].iloc[0],
                                             rel=1e-9)
    assert tests["n_segments"] == 3 and tests["n_segments_excluded"] == 1
    p = vs_rest(x, groups)
    for g in "ABC":
        mine, rest = x[(groups == g) & ~np.isnan(x)], x[(groups != g) & ~np.isnan(x)]
        assert p[g] == pytest.approx(stats.ttest_ind(mine, rest, equal_var=False).pvalue, rel=1e-7)
    assert np.isnan(p["D"])


def test_segments_tables_and_a_real_difference_is_found():
    df, cb = _random_survey(n=300, missing=0)
    bad = df["store"] == "B"
    for c in [c for c in df.columns if c.startswith("P_rel")]:
        df.loc[bad, c] = (df.loc[bad, c] - 2).clip(1, 7)
    r = gap_analysis(df, cb, by="store")
    seg = r.segments["store"]
    assert set(seg.items["segment"]) == {"A", "B", "C"} and list(seg.items.columns[1:10]) == ITEM_COLUMNS
    assert list(seg.dimensions.columns[1:6]) == DIMENSION_COLUMNS
    tests = seg.tests.set_index("scope")
    assert list(tests.index) == DIMS + ["overall"]
    assert tests.loc["reliability", "significant"] and tests.loc["reliability", "welch_p"] < 1e-6
    rel = seg.dimensions[seg.dimensions["dimension"] == "reliability"].set_index("segment")
    assert rel.loc["B", "p_vs_rest"] < 1e-6
    # a segment's table is the overall analysis of its respondents alone
    alone = gap_analysis(df[df["store"] == "A"].reset_index(drop=True), cb)
    mine = seg.items[seg.items["segment"] == "A"].drop(columns="segment").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, alone.items)
    assert seg.sq.set_index("segment").loc["A", "sq"] == pytest.approx(alone.summary["sq"])


def test_a_profile_question_s_segments_in_the_questionnaire_s_order():
    """`voc gap --by 年龄段` listed 18-24岁 before 18岁以下 and 10年以上 before 1年至3年 (sorted by name); the survey's
    own profile questions now keep its options' order, an answer it does not offer after them, other columns by name."""
    df, cb = _random_survey(n=160, missing=0)
    rng = np.random.default_rng(3)
    df["年龄段"] = rng.choice(["65岁及以上", "18-24岁", "18岁以下", "35-44岁", "未填写"], len(df))
    df["使用年限"] = rng.choice(["10年以上", "1年至3年", "不足1年", "3年以上至5年"], len(df))
    r = gap_analysis(df, cb, by=["年龄段", "使用年限", "store"])
    order = lambda col: list(dict.fromkeys(r.segments[col].sq["segment"]))
    assert order("年龄段") == ["18岁以下", "18-24岁", "35-44岁", "65岁及以上", "未填写"]
    assert order("使用年限") == ["不足1年", "1年至3年", "3年以上至5年", "10年以上"]
    assert order("store") == ["A", "B", "C"]
    # the numbers are the segment's own, whatever its place in the list
    young = r.segments["年龄段"].sq.set_index("segment").loc["18岁以下"]
    alone = gap_analysis(df[df["年龄段"] == "18岁以下"].drop(columns=["年龄段", "使用年限"]).reset_index(drop=True), cb)
    assert young["sq"] == pytest.approx(alone.summary["sq"]) and young["n_respondents"] == (df["年龄段"] == "18岁以下").sum()


# -- bad data: reported, not hidden ----------------------------------------------------------------


def _with_fourth(responses, **cells):
    r4 = responses.iloc[[0]].copy()
    r4["respondent_id"] = "r4"
    for k, v in cells.items():
        r4[k] = v
    out = pd.concat([responses.astype(object), r4.astype(object)], ignore_index=True)
    out.attrs["source"] = "responses.csv"
    return out


def test_out_of_range_and_non_numbers_are_listed_and_treated_as_missing(responses, codebook):
    df = _with_fourth(responses, E_T1=9, P_R1="abc", P_A1=0)
    r = gap_analysis(df, codebook)
    probs = r.problems.set_index("column")
    assert set(probs.index) == {"E_T1", "P_R1", "P_A1"}
    assert probs.loc["E_T1", "respondent"] == "r4" and probs.loc["E_T1", "row"] == 5
    assert probs.loc["P_R1", "problem"] == "not a number" and "outside 1–7" in probs.loc["E_T1", "problem"]
    assert _kinds(r)["invalid_ratings"] == 3
    items = r.items.set_index("item_id")
    assert items.loc["T1", "n"] == 3 and items.loc["T1", "gap"] == pytest.approx(-4 / 3)
    assert items.loc["T2", "n"] == 4


def test_missing_answers_pairwise_by_default_listwise_on_request(responses, codebook):
    df = _with_fourth(responses, P_S1=np.nan)
    pair = gap_analysis(df, codebook)
    assert pair.items.set_index("item_id")["n"].to_dict() == {"T1": 4, "T2": 4, "R1": 4, "S1": 3, "A1": 4, "M1": 4}
    assert _kinds(pair)["missing_answers"] == 1 and "pairwise" in pair.summary["missing_policy_note"]
    whole = gap_analysis(df, codebook, listwise=True)
    base = gap_analysis(responses, codebook)
    assert whole.summary["missing_policy"] == "listwise" and whole.summary["n_used"] == 3
    assert _kinds(whole)["listwise_dropped"] == 1
    pd.testing.assert_frame_equal(whole.items, base.items)
    assert whole.summary["sq_weighted"] == pytest.approx(-13 / 30)


def test_listwise_with_nobody_complete_is_an_error(responses, codebook):
    df = responses.copy()
    df["P_T1"] = np.nan
    with pytest.raises(DataQualityError, match="listwise"):
        gap_analysis(df, codebook, listwise=True)


def test_no_valid_answer_at_all_is_an_error(responses, codebook):
    df = responses.copy()
    df[[c for c in df.columns if c[:2] in ("E_", "P_")]] = 0
    with pytest.raises(DataQualityError, match="no respondent gave both"):
        gap_analysis(df, codebook)


def test_importance_problems(responses, codebook):
    df = responses.astype({f"W_{d}": object for d in DIMS})
    df.loc[0, "W_empathy"] = np.nan  # partly blank: counts as 0 → 80 points → rescaled
    df.loc[1, "W_tangibles"] = -5  # invalid: this respondent has no usable weights
    r = gap_analysis(df, codebook)
    k = _kinds(r)
    assert k["importance_partly_blank"] == 1 and k["invalid_importance"] == 1 and k["importance_unusable"] == 1
    assert k["importance_rescaled"] == 2
    assert r.summary["n_weighted"] == 2 and np.isnan(r.respondents.loc[1, "sq_weighted"])
    # r1: weights .25 on the first four dimensions → (-1 - 3 + 0 + 1) / 4
    assert r.respondents.loc[0, "sq_weighted"] == pytest.approx(-0.75)
    assert r.summary["sq_weighted"] == pytest.approx((-0.75 - 0.2) / 2)


def test_without_importance_columns_weighted_sq_is_none(responses, codebook):
    r = gap_analysis(responses.drop(columns=[f"W_{d}" for d in DIMS]), codebook)
    assert r.summary["sq_weighted"] is None and "no_importance" in _kinds(r)
    assert r.summary["sq"] == pytest.approx(-8 / 15)


def test_missing_rating_column_names_it(responses, codebook):
    with pytest.raises(ColumnError, match="P_R1"):
        gap_analysis(responses.drop(columns="P_R1"), codebook)


def test_some_importance_columns_missing_names_them(responses, codebook):
    with pytest.raises(ColumnError, match="W_empathy"):
        gap_analysis(responses.drop(columns="W_empathy"), codebook)


def test_missing_segment_column_names_it(responses, codebook):
    with pytest.raises(ColumnError, match="region"):
        gap_analysis(responses, codebook, by="store,region")


@pytest.mark.parametrize("rows, message", [
    ({"item_id": ["a"], "dimension": ["speed"], "reverse": ["false"]}, "unknown dimension 'speed'"),
    ({"item_id": ["a", "a"], "dimension": ["empathy"] * 2, "reverse": ["false"] * 2}, "already used"),
    ({"item_id": ["a"], "dimension": ["empathy"], "reverse": ["maybe"]}, "reverse must be true or false"),
    ({"item_id": [""], "dimension": ["empathy"], "reverse": ["false"]}, "empty item_id"),
    ({"item": ["a"], "dimension": ["empathy"]}, "no column 'item_id'"),
])
def test_bad_codebooks(rows, message):
    with pytest.raises(InputError, match=message):
        validate_codebook(pd.DataFrame(rows))


def test_codebook_without_some_dimensions_and_unused_columns_warn(responses, codebook):
    r = gap_analysis(responses, codebook[codebook["dimension"] != "empathy"])
    k = _kinds(r)
    assert k["dimensions_without_items"] == 1 and k["unused_columns"] == 2
    assert r.summary["sq"] == pytest.approx((-2 / 3 - 4 / 3 - 4 / 3 + 1) / 4)
    # weights of the four dimensions are renormalised: r2 → (.4·1 − .3 − .3 + 0) / .9
    assert r.respondents.loc[1, "sq_weighted"] == pytest.approx(-0.2 / 0.9)


def test_read_responses_errors(tmp_path, gap_dir):
    (tmp_path / "dup.csv").write_text("E_T1,E_T1\n1,2\n", encoding="utf-8")
    with pytest.raises(ColumnError, match="more than once"):
        read_responses(tmp_path / "dup.csv")
    (tmp_path / "head.csv").write_text("E_T1,P_T1\n", encoding="utf-8")
    with pytest.raises(InputError, match="no data rows"):
        read_responses(tmp_path / "head.csv")
    with pytest.raises(InputError, match="not found"):
        read_responses(tmp_path / "nope.csv")
    (tmp_path / "r.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="unsupported"):
        read_responses(tmp_path / "r.json")


def test_gbk_and_xlsx_responses_keep_segment_text(tmp_path, gap_dir, codebook):
    df = pd.read_csv(gap_dir / "responses.csv", dtype=str)
    df["store"] = ["天津001", "天津001", "北京002"]
    df.to_csv(tmp_path / "gbk.csv", index=False, encoding="gbk")
    df.assign(store=["007", "007", "010"]).to_excel(tmp_path / "r.xlsx", index=False)
    r = gap_analysis(read_responses(tmp_path / "gbk.csv"), codebook, by="store")
    assert set(r.segments["store"].sq["segment"]) == {"天津001", "北京002"}
    x = gap_analysis(read_responses(tmp_path / "r.xlsx"), codebook, by="store")
    assert set(x.segments["store"].sq["segment"]) == {"007", "010"}
    assert x.summary["sq"] == pytest.approx(-8 / 15)


def test_an_old_excel_export_reads_as_its_csv(data_dir, gap_dir, codebook):
    """A survey tool's .xls export (Excel 97-2003, ratings stored as numbers) was refused with
    'unsupported response file type'; it now gives the frame the same answers as CSV give."""
    xls = read_responses(data_dir / "workbooks" / "responses.xls")
    pd.testing.assert_frame_equal(xls, read_responses(gap_dir / "responses.csv"))
    assert xls.attrs["source"] == str(data_dir / "workbooks" / "responses.xls")
    assert gap_analysis(xls, codebook).summary["sq"] == pytest.approx(-8 / 15)


# -- report files and the command line -----------------------------------------------------------


def test_report_files(tmp_path, responses, codebook):
    r = gap_analysis(responses, codebook, by=["store", "group"])
    write_gap_report(r, tmp_path / "out")
    out = tmp_path / "out"
    for name in ["items.csv", "dimensions.csv", "summary.json", "problems.csv", "respondents.csv",
                 "gap_report.xlsx", "gap_report.html", "items_by_store.csv", "dimensions_by_group.csv",
                 "sq_by_store.csv", "segment_tests.csv"]:
        assert (out / name).is_file(), name
    items = pd.read_csv(out / "items.csv", encoding="utf-8-sig")
    assert list(items.columns[:9]) == ITEM_COLUMNS
    assert items["gap"].tolist() == pytest.approx([-4 / 3, 0, -4 / 3, -4 / 3, 1, -1 / 3])
    assert list(pd.read_csv(out / "dimensions.csv", encoding="utf-8-sig").columns[:5]) == DIMENSION_COLUMNS
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {"sq", "sq_weighted", "n_respondents", "missing_policy", "warnings"} <= set(summary)
    sheets = pd.read_excel(out / "gap_report.xlsx", sheet_name=None)
    assert {"summary", "items", "dimensions", "items_by_store", "segment_tests", "problems"} <= set(sheets)
    page = (out / "gap_report.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js inline
    assert page.count("Plotly.newPlot") >= 1 + 5 + 1 + 2  # overview, one per dimension, IPA, one per --by


def test_the_report_page_names_each_data_warning_in_chinese(tmp_path, responses, codebook):
    """The page is in Chinese; its 数据提示 were English sentences alone (found in a QA pass)."""
    import html
    import re
    from pathlib import Path

    from voiceofcustomer.gap import analysis
    from voiceofcustomer.gap.report import WARNING_TITLES

    raised = set(re.findall(r'warn\("([a-z_]+)"', Path(analysis.__file__).read_text(encoding="utf-8")))
    assert raised and raised <= set(WARNING_TITLES)  # every warning the analysis can give has its title
    cb = codebook.copy()
    df = responses.copy()
    df.loc[0, df.columns[df.columns.str.startswith("E_")][0]] = 9  # outside the 7-point scale
    r = gap_analysis(df, cb)
    kinds = [w["kind"] for w in r.summary["warnings"]]
    assert "invalid_ratings" in kinds
    write_gap_report(r, tmp_path)
    page = (tmp_path / "gap_report.html").read_text(encoding="utf-8")
    for kind in kinds:
        assert f"<b>{html.escape(WARNING_TITLES[kind])}</b>" in page


def test_html_escapes_user_text(tmp_path, responses, codebook):
    evil = "<script>alert(1)</script>"
    cb = codebook.copy()
    cb.loc[0, "e_text"] = evil
    df = responses.copy()
    df["store"] = [evil, evil, "<b>x</b>"]
    df.attrs["source"] = evil
    write_gap_report(gap_analysis(df, cb, by="store"), tmp_path)
    page = (tmp_path / "gap_report.html").read_text(encoding="utf-8")
    assert evil not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_cli_writes_report_and_warns(runner, tmp_path, gap_dir):
    df = pd.read_csv(gap_dir / "responses.csv", dtype=str)
    df.loc[1, "E_T1"] = "9"
    df.loc[2, "P_M1"] = ""
    src = _write(tmp_path, df)
    res = runner.invoke(main, ["gap", str(src), "--codebook", str(gap_dir / "codebook.csv"), "-o",
                               str(tmp_path / "out"), "--by", "store,group"])
    assert res.exit_code == 0, res.output
    assert "outside 1–7" in res.stderr and "blank E/P answers" in res.stderr and "r2" in res.stderr
    assert "rescaled" in res.stderr and "SQ" in res.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["missing_policy"] == "pairwise" and summary["n_problems"] == 1
    problems = pd.read_csv(tmp_path / "out" / "problems.csv", encoding="utf-8-sig", dtype=str)
    assert problems.iloc[0][["respondent", "column"]].tolist() == ["r2", "E_T1"]
    quiet = runner.invoke(main, ["gap", str(src), "--codebook", str(gap_dir / "codebook.csv"), "-o",
                                 str(tmp_path / "q"), "--listwise", "-q"])
    assert quiet.exit_code == 0 and "SQ " not in quiet.stderr and "listwise" in quiet.stderr


@pytest.mark.parametrize("case, message", [
    ("missing column", "P_R1"),
    ("unknown dimension", "unknown dimension 'speed'"),
    ("missing --by column", "region"),
    ("missing file", "not found"),
])
def test_cli_fatal_problems_exit_2_with_one_line(runner, tmp_path, gap_dir, case, message):
    responses = gap_dir / "responses.csv"
    codebook = gap_dir / "codebook.csv"
    extra = []
    if case == "missing column":
        responses = _write(tmp_path, pd.read_csv(responses, dtype=str).drop(columns="P_R1"))
    elif case == "unknown dimension":
        cb = pd.read_csv(codebook, dtype=str)
        cb.loc[2, "dimension"] = "speed"
        codebook = _write(tmp_path, cb, "codebook.csv")
    elif case == "missing --by column":
        extra = ["--by", "region"]
    else:
        responses = tmp_path / "nope.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = runner.invoke(main, ["gap", str(responses), "--codebook", str(codebook), "-o", str(tmp_path / "o"),
                                   *extra])
    assert res.exit_code == 2, res.output
    assert message in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_cli_help_has_example(runner):
    res = runner.invoke(main, ["gap", "--help"])
    assert res.exit_code == 0 and "Example" in res.output
