"""voc gap as a questionnaire designer uses it after fielding (new-user QA pass).

Answers exported as option text under the responses_template header, 不适用 answers,
5-point surveys and repeated respondent ids: each case worked by hand on the tiny
fixture of tests/data/gap (see tests/gap/test_gap.py for its hand computation).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses
from voiceofcustomer.items.survey import SCALE_LABELS

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"
RATINGS = [f"{k}_{i}" for i in ("T1", "T2", "R1", "S1", "A1", "M1") for k in "EP"]


@pytest.fixture(scope="module")
def book():
    return read_codebook(DATA / "codebook.csv")


@pytest.fixture
def plain():
    return read_responses(DATA / "responses.csv")


def _kinds(result):
    return {w["kind"]: w["count"] for w in result.summary["warnings"]}


def _as_text(df: pd.DataFrame, labels) -> pd.DataFrame:
    out = df.astype(object).copy()
    for c in RATINGS:
        out[c] = [labels[int(v) - 1] for v in df[c]]
    return out


# -- answers as option text under E_/P_ headers -------------------------------------------------------
# The docs tell a wjx user to rename the columns to the template's E_<id>/P_<id>; an export "按选项文本"
# then holds 非常同意 … under those headers. Before: every cell "not a number", and the run stopped with
# "no respondent gave both an E and a P answer".

def test_text_answers_under_template_headers_are_read_as_the_scale(plain, book, tmp_path):
    path = tmp_path / "responses.csv"
    _as_text(plain, SCALE_LABELS).to_csv(path, index=False, encoding="utf-8-sig")
    r = gap_analysis(read_responses(path), book)
    assert r.summary["sq"] == pytest.approx(-8 / 15)           # the hand-computed value of test_gap.py
    assert r.summary["sq_weighted"] == pytest.approx(-13 / 30)
    assert r.problems.empty


def test_not_applicable_answers_are_missing_not_errors(plain, book):
    df = plain.astype(object)
    df.loc[0, "P_T1"] = "不适用"
    df.loc[1, "E_R1"] = " 不清楚 "
    df.loc[2, "P_A1"] = "abc"  # a real error stays one
    r = gap_analysis(df, book)
    assert r.problems["column"].tolist() == ["P_A1"]
    kinds = _kinds(r)
    assert kinds["not_applicable_answers"] == 2 and kinds["invalid_ratings"] == 1
    assert "missing_answers" not in kinds  # no blank cell: 不适用 is counted on its own
    items = r.items.set_index("item_id")
    assert items.loc["T1", "n"] == 2 and items.loc["T1", "gap"] == pytest.approx((0 - 3) / 2)
    assert r.summary["n_not_applicable"] == 2


# -- 5-point surveys -----------------------------------------------------------------------------------
# The fixture's answers squeezed onto 1–5 (x → x − 1, capped): T2 is reverse-coded, so its recoded
# answers must stay on 1–5 (6 − x), not 8 − x, and its means must be ≤ 5.

def _five_point(plain):
    df = plain.copy()
    for c in RATINGS:
        df[c] = np.clip(df[c] - 1, 1, 5)
    return df


def test_a_five_point_survey_recodes_reverse_items_on_its_own_scale(plain, book):
    df = _five_point(plain)
    r = gap_analysis(df, book, scale=5)
    t2 = r.items.set_index("item_id").loc["T2"]
    # raw E_T2 = 1, 2, 1 and P_T2 = 2, 1, 1 → recoded 6 − x: 5, 4, 5 and 4, 5, 5
    assert t2["mean_e"] == pytest.approx(14 / 3) and t2["mean_p"] == pytest.approx(14 / 3)
    assert (r.items[["mean_e", "mean_p"]] <= 5).all().all()
    assert r.summary["scale"] == [1, 5]
    assert "scale_hint" not in _kinds(r)


def test_a_six_on_a_five_point_survey_is_out_of_range(plain, book):
    df = _five_point(plain).astype(object)
    df.loc[0, "E_T1"] = 6
    r = gap_analysis(df, book, scale=5)
    assert r.problems["column"].tolist() == ["E_T1"] and "outside 1–5" in r.problems["problem"].iloc[0]


def test_five_point_text_answers_use_the_five_point_labels(plain, book):
    labels5 = ["非常不同意", "不同意", "一般", "同意", "非常同意"]
    five = _five_point(plain)
    as_text = _as_text(five, labels5)
    by_text, by_number = gap_analysis(as_text, book, scale=5), gap_analysis(five, book, scale=5)
    np.testing.assert_allclose(by_text.items["gap"], by_number.items["gap"])
    np.testing.assert_allclose(by_text.items["mean_p"], by_number.items["mean_p"])


def test_five_point_answers_read_as_seven_point_get_a_hint(plain, book):
    big = pd.concat([_five_point(plain)] * 4, ignore_index=True)  # 12 respondents, 144 answers, all ≤ 5
    big.attrs["source"] = "responses.csv"
    r = gap_analysis(big, book)
    assert "scale_hint" in _kinds(r)
    assert "--scale 5" in next(w["message"] for w in r.summary["warnings"] if w["kind"] == "scale_hint")
    labels5 = ["非常不同意", "不同意", "一般", "同意", "非常同意"]
    as_text = _as_text(big, labels5)
    as_text.attrs["source"] = "responses.csv"
    assert "scale_hint" in _kinds(gap_analysis(as_text, book))
    assert "scale_hint" not in _kinds(gap_analysis(plain, book))  # answers up to 7: no hint


def test_cli_scale_option(tmp_path, plain):
    path = tmp_path / "r.csv"
    _five_point(plain).to_csv(path, index=False)
    res = CliRunner().invoke(main, ["gap", str(path), "--codebook", str(DATA / "codebook.csv"), "-o",
                                    str(tmp_path / "o"), "--scale", "5"])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["scale"] == [1, 5]
    bad = CliRunner().invoke(main, ["gap", str(path), "--codebook", str(DATA / "codebook.csv"), "-o",
                                    str(tmp_path / "o2"), "--scale", "1"])
    assert bad.exit_code == 2 and not (tmp_path / "o2").exists()

# -- repeated respondents ------------------------------------------------------------------------------
# A merged export (two downloads, or a double submission) repeats respondent ids. Before: every row was
# counted with no word about it.

def test_repeated_respondent_ids_are_warned_and_listed(plain, book):
    df = pd.concat([plain, plain.iloc[[1]]], ignore_index=True)
    df.attrs["source"] = "responses.csv"
    r = gap_analysis(df, book)
    kinds = _kinds(r)
    assert kinds["duplicate_respondents"] == 1
    message = next(w["message"] for w in r.summary["warnings"] if w["kind"] == "duplicate_respondents")
    assert "r2" in message and "rows 3, 5" in message
    dup = r.problems[r.problems["problem"].str.contains("also in row")]
    assert dup[["row", "respondent", "column"]].values.tolist() == [[5, "r2", "respondent_id"]]
    assert r.summary["n_respondents"] == 4  # still counted: which row is right is the researcher's call


# -- --by on a 问卷星 export ------------------------------------------------------------------------------
# Before: a segment column the codebook does not know (城市) was named "ignored" in a warning while
# --by used it, and --by with the export's own header of the store question said "missing column".

def _export(plain, book):
    out = pd.DataFrame({"序号": plain["respondent_id"], "1、您本次评价的是哪一家营业厅？": plain["store"],
                        "城市": ["天津", "上海", "天津"]})
    for k, text in (("E", "e_text"), ("P", "p_text")):
        for r in book.itertuples():
            out[f"{2 if k == 'E' else 3}({getattr(r, text)})"] = plain[f"{k}_{r.item_id}"]
    out.attrs["source"] = "wjx.xlsx"
    return out


def test_by_on_a_platform_export(plain, book):
    r = gap_analysis(_export(plain, book), book, by="城市,1、您本次评价的是哪一家营业厅？")
    assert set(r.segments) == {"城市", "营业厅"}
    assert set(r.segments["营业厅"].sq["segment"]) == {"S01", "S02"}
    unmapped = [w["message"] for w in r.summary["warnings"] if w["kind"] == "unmapped_columns"]
    assert not any("城市" in m for m in unmapped)


# -- straight-liners ----------------------------------------------------------------------------------
# A respondent who ticks one column down the whole E matrix and one down the whole P matrix (all 7s,
# or 7s then 4s) has not read the statements; SERVQUAL data cleaning looks for them. Before: no word.

def test_straight_liners_are_named_but_kept(plain, book):
    df = pd.concat([plain, plain.iloc[[0, 0]]], ignore_index=True).astype(object)
    df.loc[3, "respondent_id"], df.loc[4, "respondent_id"] = "r4", "r5"
    for i in ("T1", "T2", "R1", "S1", "A1", "M1"):
        df.loc[3, f"E_{i}"], df.loc[3, f"P_{i}"] = 7, 7      # r4: all 7 (T2 raw, before reverse-coding)
        df.loc[4, f"E_{i}"], df.loc[4, f"P_{i}"] = 7, 4      # r5: E all 7, P all 4
    df.loc[4, "P_M1"] = ""                                 # a skipped answer does not hide it
    df.attrs["source"] = "responses.csv"
    r = gap_analysis(df, book)
    message = next(w["message"] for w in r.summary["warnings"] if w["kind"] == "straight_lining")
    assert _kinds(r)["straight_lining"] == 2 and "rows 5 [r4], 6 [r5]" in message  # with their ids (QA pass 3)
    assert r.summary["n_used"] == 5
    assert "straight_lining" not in _kinds(gap_analysis(plain, book))


# -- a Qualtrics export ---------------------------------------------------------------------------------
# Qualtrics writes the question text in row 2 and {"ImportId": …} in row 3. Before: both were counted as
# respondents (n_respondents 5 of 3 people) with every cell listed as "not a number".

def test_the_extra_header_rows_of_a_qualtrics_export_are_skipped(plain, tmp_path):
    text = {c: f"Q - {c}" for c in plain.columns}
    ids = {c: '{"ImportId":"QID%d"}' % i for i, c in enumerate(plain.columns)}
    export = pd.concat([pd.DataFrame([text, ids]), plain.astype(object)], ignore_index=True)
    export.loc[3, "E_T1"] = 9  # respondent r2, file row 5
    path = tmp_path / "qualtrics.csv"
    export.to_csv(path, index=False)
    r = gap_analysis(read_responses(path), read_codebook(DATA / "codebook.csv"))
    assert r.summary["n_respondents"] == 3
    assert _kinds(r)["header_rows_skipped"] == 2
    assert r.problems[["row", "respondent", "column"]].values.tolist() == [[5, "r2", "E_T1"]]
    assert r.respondents["row"].tolist() == [4, 5, 6]


# -- the output folder is written as one piece ------------------------------------------------------------
# Before: each file was replaced on its own, so a second run with another --by left the first run's
# items_by_/dimensions_by_/sq_by_ tables beside the new numbers, and a run that failed half-way left
# new tables beside an old summary.json.

def _gap_cli(tmp_path, *args):
    return CliRunner().invoke(main, ["gap", str(DATA / "responses.csv"), "--codebook", str(DATA / "codebook.csv"),
                                     "-o", str(tmp_path / "gap"), "-q", *args])


def test_a_second_run_with_another_by_leaves_no_tables_of_the_first(tmp_path):
    assert _gap_cli(tmp_path, "--by", "store").exit_code == 0
    (tmp_path / "gap" / "notes.txt").write_text("mine", encoding="utf-8")
    assert _gap_cli(tmp_path, "--by", "group").exit_code == 0
    names = {p.name for p in (tmp_path / "gap").iterdir()}
    assert "items_by_group.csv" in names and not any("by_store" in n for n in names)
    assert (tmp_path / "gap" / "notes.txt").read_text(encoding="utf-8") == "mine"  # the user's file stays


def test_a_failing_write_leaves_the_earlier_report(tmp_path, monkeypatch):
    assert _gap_cli(tmp_path, "--by", "store").exit_code == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "gap").iterdir()}

    def broken(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("voiceofcustomer.gap.report.render_html", broken)  # the last file written
    res = _gap_cli(tmp_path, "--by", "group", "--listwise")
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "gap").iterdir()} == before


def test_a_folder_of_an_earlier_version_loses_its_old_segment_tables(tmp_path):
    from voiceofcustomer.gap.report import write_gap_report

    r = gap_analysis(read_responses(DATA / "responses.csv"), read_codebook(DATA / "codebook.csv"), by="store")
    out = tmp_path / "gap"
    out.mkdir()
    for name in ("items_by_city.csv", "sq_by_city.csv", "items.csv"):  # written by voc gap before the record
        (out / name).write_text("old", encoding="utf-8")
    write_gap_report(r, out)
    names = {p.name for p in out.iterdir()}
    assert "items_by_store.csv" in names and "items_by_city.csv" not in names and "sq_by_city.csv" not in names


# -- FILE.xlsx:SHEET --------------------------------------------------------------------------------------
# Before: voc gap responses.xlsx:第二轮 said "file not found", though split/tag/analyze read the form.

def test_responses_workbook_takes_the_file_sheet_form(plain, tmp_path):
    path = tmp_path / "responses.xlsx"
    with pd.ExcelWriter(path) as xw:
        plain.iloc[:1].to_excel(xw, sheet_name="第一轮", index=False)
        plain.to_excel(xw, sheet_name="第二轮", index=False)
    assert len(read_responses(f"{path}:第二轮")) == 3
    assert len(read_responses(f"{path}:第二轮", sheet="第一轮")) == 3  # the form wins over --sheet
    res = CliRunner().invoke(main, ["gap", f"{path}:第二轮", "--codebook", str(DATA / "codebook.csv"),
                                    "-o", str(tmp_path / "gap")])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "gap" / "summary.json").read_text(encoding="utf-8"))["n_respondents"] == 3
    res = CliRunner().invoke(main, ["gap", f"{path}:第三轮", "--codebook", str(DATA / "codebook.csv"),
                                    "-o", str(tmp_path / "g2")])
    assert res.exit_code == 2 and res.output.strip() == f"Error: {path}: no sheet '第三轮'; its sheets are: 第一轮, 第二轮"
    res = CliRunner().invoke(main, ["gap", str(path), "--codebook", str(DATA / "codebook.csv"), "-o", str(tmp_path / "g2")])
    assert res.exit_code == 2 and res.output.strip() == (
        f"Error: {path}: workbook has 2 sheets (第一轮, 第二轮); choose one with --sheet, or give the file as {path}:SHEET")


# -- speeders ---------------------------------------------------------------------------------------------
# 问卷星 exports 所用时间 (125秒, 2分5秒), Qualtrics Duration (in seconds). Before: the column was skipped and a
# respondent who clicked through in a fraction of the others' time counted like everyone else, unnamed.
# responses_timed.csv: 370, 380, 95, 400, 125, 420 s → median 375 s, a third of it 125 s: r3 (95 s) only.

def test_speeders_are_named_by_default_and_kept(book):
    r = gap_analysis(read_responses(DATA / "responses_timed.csv"), book)
    message = next(w["message"] for w in r.summary["warnings"] if w["kind"] == "speeders")
    assert _kinds(r)["speeders"] == 1 and "(rows 4 [r3])" in message and "125 s" in message and "375 s" in message
    sp = r.summary["speeders"]
    assert (sp["column"], sp["median_seconds"], sp["threshold_seconds"]) == ("所用时间", 375.0, 125.0)
    assert (sp["rows"], sp["respondents"], sp["dropped"]) == ([4], ["r3"], False)
    assert r.summary["n_used"] == 6 and "r3" in r.respondents["respondent"].tolist()
    assert r.summary["speeders"] is not None and gap_analysis(read_responses(DATA / "responses.csv"),
                                                             book).summary["speeders"] is None


def test_drop_speeders_leaves_them_out_and_says_so(book, tmp_path):
    r = gap_analysis(read_responses(DATA / "responses_timed.csv"), book, drop_speeders=True)
    assert r.summary["n_used"] == 5 and "r3" not in r.respondents["respondent"].tolist()
    assert r.summary["speeders"]["dropped"] and "left out" in next(
        w["message"] for w in r.summary["warnings"] if w["kind"] == "speeders")
    kept = gap_analysis(read_responses(DATA / "responses_timed.csv"), book)
    assert r.items.loc[0, "n"] == kept.items.loc[0, "n"] - 1
    res = CliRunner().invoke(main, ["gap", str(DATA / "responses_timed.csv"), "--codebook", str(DATA / "codebook.csv"),
                                    "-o", str(tmp_path / "gap"), "--drop-speeders"])
    assert res.exit_code == 0, res.output
    assert "warning: speeders, respondents who finished in under 125 s" in res.output
    assert "speeders left out: 1)" in res.output
    summary = json.loads((tmp_path / "gap" / "summary.json").read_text(encoding="utf-8"))
    assert summary["n_used"] == 5 and summary["speeders"]["respondents"] == ["r3"]
    assert "已剔除过快作答 1 人" in (tmp_path / "gap" / "gap_report.html").read_text(encoding="utf-8")


def test_qualtrics_duration_and_the_fraction_option(book, plain):
    df = pd.concat([plain] * 2, ignore_index=True)
    df["respondent_id"] = [f"q{i}" for i in range(1, 7)]
    df["Duration (in seconds)"] = [370, 380, 95, 400, 125, 420]
    r = gap_analysis(df, book, speeder_fraction=0.5)
    assert r.summary["speeders"]["respondents"] == ["q3", "q5"]  # under 187.5 s
    with pytest.raises(Exception, match="speeder_fraction= must be above 0 and below 1"):
        gap_analysis(df, book, speeder_fraction=1.5)


def test_unreadable_times_are_listed_and_drop_without_times_is_refused(book, plain, tmp_path):
    df = plain.copy()
    df["所用时间"] = ["6分10秒", "很快", ""]
    r = gap_analysis(df, book)
    assert r.problems[["row", "respondent", "column", "value"]].values.tolist() == [[3, "r2", "所用时间", "很快"]]
    assert _kinds(r)["unreadable_durations"] == 1 and r.summary["speeders"]["n_without_time"] == 2
    res = CliRunner().invoke(main, ["gap", str(DATA / "responses.csv"), "--codebook", str(DATA / "codebook.csv"),
                                    "-o", str(tmp_path / "gap"), "--drop-speeders"])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
    assert "no completion-time column (所用时间, 答题时长 or Duration (in seconds))" in res.output
    assert not (tmp_path / "gap").exists()


# -- a legacy Qualtrics export: the question-text row alone --------------------------------------------------
# Before: with no {"ImportId": …} row under it, the question-text row was read as a respondent: every E/P
# cell listed as "not a number", and n_respondents one too many.

def test_the_question_text_row_of_a_legacy_qualtrics_export_is_skipped(book):
    r = gap_analysis(read_responses(DATA / "qualtrics_legacy.csv"), book)
    assert r.summary["n_respondents"] == 3 and _kinds(r)["header_rows_skipped"] == 1
    assert r.problems[["row", "respondent", "column", "value"]].values.tolist() == [[4, "R_2b", "E_M1", "9"]]
    assert r.respondents["row"].tolist() == [3, 4, 5]


def test_a_first_respondent_who_typed_text_is_not_taken_for_a_header(plain, book, tmp_path):
    df = plain.astype(object)
    for c in RATINGS:
        df.loc[0, c] = "好"  # text, but the same in every column: answers, not questions
    path = tmp_path / "r.csv"
    df.to_csv(path, index=False)
    r = gap_analysis(read_responses(path), book)
    assert r.summary["n_respondents"] == 3 and "header_rows_skipped" not in _kinds(r)
    assert len(r.problems) == len(RATINGS)


@pytest.mark.parametrize("row, expected", [
    ("r3,S01,public,5,5,5,5,5,5,5,5,5,5,5,5,20,20,20,20,20,9,9",
     "line 4: has 22 fields, expected 20; fix the row (a value with a comma in it needs quotes around it)"),
    ('r3,"S01,public', "line 4: a quote opened here is never closed (it runs to the end of the file); close it or "
                       "remove it"),
])
def test_a_malformed_responses_row_is_said_as_the_readers_say_it(tmp_path, row, expected):
    """QA (bad-input sweep): pandas' words came through — 'Error tokenizing data. C error: Expected 20 fields in
    line 4, saw 22' and 'EOF inside string starting at row 3' (the row pandas counts from 0: line 4)."""
    lines = (DATA / "responses.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = row
    path = tmp_path / "responses.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_responses(path)
    assert str(info.value) == f"{path}: {expected}"


def test_responses_saved_by_excel_as_unicode_text_under_a_csv_name(tmp_path):
    """QA (bad-input sweep): Excel's "Unicode text" (UTF-16, tab-separated) saved as responses.csv was read as one
    column named 'respondent_id\\tstore\\t…', and every item's columns were missing."""
    frame = pd.read_csv(DATA / "responses.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "responses.csv"
    path.write_bytes(b"\xff\xfe" + frame.to_csv(sep="\t", index=False, lineterminator="\r\n").encode("utf-16-le"))
    got = read_responses(path)
    assert list(got.columns) == list(frame.columns) and len(got) == len(frame)
