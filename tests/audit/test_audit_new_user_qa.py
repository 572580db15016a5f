"""voc audit as a store-check team fills its sheets (new-user QA pass).

Hand-made sheets mix date forms, mistype a store's tier, leave checkpoints out and write
scores as "8分". Each case is worked by hand on the fixture of tests/data/audit (core-store
weights A1 20, A2 10, B1 10 (out of 5 points), C1 20 (veto); province A1 10, A2 10, B1 20, C1 20).
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.audit import read_checklist, read_visits, score_audit, weights_from_gap
from voiceofcustomer.cli import main
from voiceofcustomer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
HEADER = "门店,门店类型,日期,编号,得分\n"


@pytest.fixture(scope="module")
def checklist():
    return read_checklist(DATA / "checklist.csv")


def _visits(tmp_path, rows: str, name="v.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


# -- one visit, its date written two ways ----------------------------------------------------------
# Before: the visit key was the date *text*, so "2026-10-05" and "2026/10/5" in the rows of one visit
# made two visits (one of 3 items, one of 1), the store got 2 visits and a wrong mean; Excel dates
# gave visit ids such as "S1@2026-10-05 00:00:00".

def test_one_visit_is_one_visit_whatever_form_its_date_is_written_in(tmp_path, checklist):
    path = _visits(tmp_path, "S1,核心店,2026-10-05,A1,是\nS1,核心店,2026-10-05,A2,否\n"
                             "S1,核心店,2026/10/5,B1,4\nS1,核心店,2026年10月5日,C1,是\n")
    r = score_audit(checklist, read_visits(path))
    assert r.visits["visit_id"].tolist() == ["S1@2026-10-05"]
    assert r.visits["score"].iloc[0] == pytest.approx(80.0, abs=0.005)     # (20+0+8+20)/60
    assert r.stores["n_visits"].tolist() == [1]
    assert r.visits["date"].tolist() == ["2026-10-05"]


def test_excel_dates_give_plain_visit_ids(tmp_path, checklist):
    df = pd.read_csv(DATA / "visits.csv", dtype=str, keep_default_na=False)
    df["日期"] = pd.to_datetime(df["日期"])
    df.to_excel(tmp_path / "v.xlsx", index=False)
    r = score_audit(checklist, read_visits(tmp_path / "v.xlsx"))
    assert "S1@2026-10-05" in set(r.visits["visit_id"]) and not r.visits["date"].str.contains(":").any()


# -- a store's tier mistyped in one row --------------------------------------------------------------
# Before: the row became a visit of its own in the other tier, the store was ranked in both tiers
# and its change between waves compared scores of different tiers.

def test_a_store_with_two_tiers_in_one_wave_stops_with_both_rows(tmp_path, checklist):
    path = _visits(tmp_path, "S1,核心店,2026-10-05,A1,是\nS1,核心店,2026-10-05,A2,否\n"
                             "S1,省内,2026-10-05,B1,4\nS1,核心店,2026-10-05,C1,是\n")
    with pytest.raises(InputError) as err:
        score_audit(checklist, read_visits(path))
    msg = str(err.value)
    assert "S1" in msg and "row 2" in msg and "row 4" in msg and "核心店" in msg and "省内" in msg
    res = CliRunner().invoke(main, ["audit", str(path), "--checklist", str(DATA / "checklist.csv"),
                                    "-o", str(tmp_path / "out")])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_store_may_change_tier_between_waves(tmp_path, checklist):
    path = _visits(tmp_path, "S1,省内,2026-10-05,A1,是\nS1,核心店,2026-11-05,A1,是\n")
    r = score_audit(checklist, read_visits(path))
    assert len(r.stores) == 2


# -- a checkpoint left out of a visit ----------------------------------------------------------------
# Before: an item with no row in a visit was scored like 不适用, without a word: a checker who skipped
# the failed veto item gave the store full marks.

def test_checkpoints_missing_from_a_visit_are_listed(tmp_path, checklist):
    path = _visits(tmp_path, "S1,核心店,2026-10-05,A1,是\nS1,核心店,2026-10-05,A2,否\n"
                             "S1,核心店,2026-10-05,B1,4\n"
                             "S3,省内,2026-10-07,A1,否\nS3,省内,2026-10-07,A2,是\nS3,省内,2026-10-07,B1,不适用\n"
                             "S3,省内,2026-10-07,C1,是\n")
    r = score_audit(checklist, read_visits(path))
    missing = r.problems[r.problems["problem"].str.contains("no result")]
    assert missing[["visit_id", "item_id"]].values.tolist() == [["S1@2026-10-05", "C1"]]
    assert pd.isna(missing["row"].iloc[0])
    v = r.visits.set_index("visit_id")
    assert v.loc["S1@2026-10-05", "n_missing"] == 1 and v.loc["S3@2026-10-07", "n_missing"] == 0
    assert v.loc["S1@2026-10-05", "score"] == pytest.approx(70.0, abs=0.005)  # (20+0+8)/40, as before
    res = CliRunner().invoke(main, ["audit", str(path), "--checklist", str(DATA / "checklist.csv"),
                                    "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "visit S1@2026-10-05, item C1: no result" in res.stderr and "<NA>" not in res.stderr
    listed = pd.read_csv(tmp_path / "out" / "problems.csv", encoding="utf-8-sig", dtype=str)
    assert "C1" in set(listed["item_id"])


def test_an_item_without_weight_in_a_tier_is_not_missing(tmp_path):
    (tmp_path / "c.csv").write_text("方面,编号,权重_省内,权重_核心店\n服务,A1,10,10\n服务,X1,0,10\n", encoding="utf-8")
    path = _visits(tmp_path, "S3,省内,2026-10-07,A1,是\n")
    r = score_audit(read_checklist(tmp_path / "c.csv"), read_visits(path))
    assert r.problems.empty


# -- scores written with their unit ------------------------------------------------------------------

@pytest.mark.parametrize("cell, expected", [("4分", 580 / 6), ("4 分", 580 / 6), ("3.5分", 95.0)])
def test_scores_with_the_unit_fen_are_read(tmp_path, checklist, cell, expected):
    path = _visits(tmp_path, f"S1,核心店,2026-10-05,A1,是\nS1,核心店,2026-10-05,A2,是\n"
                             f"S1,核心店,2026-10-05,B1,{cell}\nS1,核心店,2026-10-05,C1,是\n")
    r = score_audit(checklist, read_visits(path))
    assert r.problems.empty
    assert r.visits["score"].iloc[0] == pytest.approx(expected, abs=0.005)   # (20+10+10·x/5+20)/60: 58/60, 57/60


# -- --weights-from a file that is not voc gap's dimension table ---------------------------------------
# Before: items.csv (one row per item, also with dimension and gap columns) was taken silently, the last
# item of each dimension deciding its factor; a codebook gave a KeyError traceback; gap_report.xlsx
# asked for --sheet, which names a sheet of the *visits*.

@pytest.fixture(scope="module")
def gap_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("gap") / "gap"
    gap = DATA.parent / "gap"
    res = CliRunner().invoke(main, ["gap", str(gap / "responses.csv"), "--codebook", str(gap / "codebook.csv"),
                                    "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out


def _audit(tmp_path, weights_from):
    return CliRunner().invoke(main, ["audit", str(DATA / "visits.csv"), "--checklist", str(DATA / "checklist.csv"),
                                     "-o", str(tmp_path / "out"), "--weights-from", str(weights_from)])


def test_weights_from_the_folder_the_dimension_table_or_the_workbook_agree(tmp_path, gap_out):
    from voiceofcustomer.audit.scoring import read_gap_dimensions

    factors = []
    for source in (gap_out, gap_out / "dimensions.csv", gap_out / "gap_report.xlsx"):
        dims = read_gap_dimensions(source)
        factors.append(weights_from_gap(read_checklist(DATA / "checklist.csv"), dims)[1]["factors"])
    assert factors[0] == factors[1] == factors[2]
    res = _audit(tmp_path, gap_out / "gap_report.xlsx")
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("name, message", [("items.csv", "one row per dimension"),
                                           ("respondents.csv", "dimension, gap")])
def test_weights_from_another_table_is_refused_in_one_line(tmp_path, gap_out, name, message):
    res = _audit(tmp_path, gap_out / name)
    assert res.exit_code == 2, res.output
    assert message in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_weights_from_a_codebook_is_refused(tmp_path):
    res = _audit(tmp_path, DATA.parent / "gap" / "codebook.csv")
    assert res.exit_code == 2 and "gap" in res.output and len(res.output.strip().splitlines()) == 1


# -- FILE.xlsx:SHEET -------------------------------------------------------------------------------------
# Before: voc audit visits.xlsx:6月 said "file not found" (the other commands read the form), a checklist
# workbook with two sheets could not be read at all (--sheet is the visits'), and a missing sheet came out
# as pandas' "Worksheet named … not found".

def _book(path, sheets: dict):
    with pd.ExcelWriter(path) as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name, index=False)
    return path


def test_visits_and_checklist_workbooks_take_the_file_sheet_form(tmp_path):
    visits = pd.read_csv(DATA / "visits.csv", dtype=str, keep_default_na=False)
    book = pd.read_csv(DATA / "checklist.csv", dtype=str, keep_default_na=False)
    v = _book(tmp_path / "visits.xlsx", {"说明": pd.DataFrame({"x": ["暗访说明"]}), "6月": visits})
    c = _book(tmp_path / "checklist.xlsx", {"说明": pd.DataFrame({"x": ["检查表说明"]}), "检查表": book})
    res = CliRunner().invoke(main, ["audit", f"{v}:6月", "--checklist", f"{c}:检查表", "-o", str(tmp_path / "out"),
                                    "-q"])
    assert res.exit_code == 0, res.output
    plain = CliRunner().invoke(main, ["audit", str(DATA / "visits.csv"), "--checklist", str(DATA / "checklist.csv"),
                                      "-o", str(tmp_path / "plain"), "-q"])
    assert plain.exit_code == 0, plain.output
    assert (pd.read_csv(tmp_path / "out" / "stores.csv").equals(pd.read_csv(tmp_path / "plain" / "stores.csv")))

    res = CliRunner().invoke(main, ["audit", f"{v}:7月", "--checklist", f"{c}:检查表", "-o", str(tmp_path / "o2")])
    assert res.exit_code == 2 and res.output.strip() == f"Error: {v}: no sheet '7月'; its sheets are: 说明, 6月"
    res = CliRunner().invoke(main, ["audit", f"{v}:6月", "--checklist", str(c), "-o", str(tmp_path / "o2")])
    assert res.exit_code == 2 and res.output.strip() == (
        f"Error: {c}: workbook has 2 sheets (说明, 检查表); choose one by giving the checklist as {c}:SHEET")
    assert not (tmp_path / "o2").exists()


def test_visits_in_an_old_excel_workbook_read_as_their_csv(tmp_path, checklist):
    """An .xls of the visits (Excel 97-2003; scores stored as numbers) was refused as 'unsupported visit results
    file type'; its sheet is chosen by the .xlsx rules and its rows read as the CSV's."""
    xls = DATA.parent / "workbooks" / "visits.xls"  # sheets 6月 and 说明
    with pytest.raises(InputError, match=r"workbook has 2 sheets \(6月, 说明\); choose one with sheet="):
        read_visits(xls)
    visits = read_visits(f"{xls}:6月")
    pd.testing.assert_frame_equal(visits.drop(columns="file"), read_visits(DATA / "visits.csv").drop(columns="file"))
    assert score_audit(checklist, visits).stores.equals(score_audit(checklist, read_visits(DATA / "visits.csv")).stores)
    res = CliRunner().invoke(main, ["audit", str(xls), "--sheet", "6月", "--checklist", str(DATA / "checklist.csv"),
                                    "-o", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 0, res.output


def test_a_visits_row_with_too_many_fields_names_its_line(tmp_path):
    """QA (bad-input sweep): 'Error tokenizing data. C error: Expected 6 fields in line 5, saw 9; fix that row'."""
    lines = (DATA / "visits.csv").read_text(encoding="utf-8").splitlines()
    width = len(lines[0].split(","))
    lines[3] += ",x,y,z"
    path = tmp_path / "visits.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_visits(path)
    assert str(info.value) == (f"{path}: line 4: has {width + 3} fields, expected {width}; fix the row (a value with a "
                               "comma in it needs quotes around it)")


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_visits_or_checklist_with_two_columns_of_one_name_are_refused(tmp_path, ext):
    """QA (bad-input sweep): visits with two 得分 columns (a re-score pasted beside the first) were scored on the
    first and a checklist with two 编号 columns read the first, silently (pandas named the second 得分.1)."""
    visits = pd.read_csv(DATA / "visits.csv", dtype=str, keep_default_na=False)
    visits.insert(len(visits.columns), "得分_again", visits["得分"])
    path = tmp_path / f"visits.{ext}"
    if ext == "csv":
        visits.to_csv(path, index=False)
        path.write_text(path.read_text(encoding="utf-8").replace("得分_again", "得分", 1), encoding="utf-8")
    else:
        visits.rename(columns={"得分_again": "得分"}).to_excel(path, index=False)
    with pytest.raises(InputError, match=rf"visits\.{ext}: column '得分' appears more than once; keep one of them"):
        read_visits(path)
    lines = (DATA / "checklist.csv").read_text(encoding="utf-8").splitlines()
    column = lines[0].split(",")[1]
    checklist = tmp_path / "checklist.csv"
    checklist.write_text("\n".join([lines[0] + f",{column}", *(ln + ",X" for ln in lines[1:])]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"checklist\.csv: column '{column}' appears more than once"):
        read_checklist(checklist)


def test_visits_saved_by_excel_as_unicode_text_under_a_csv_name(tmp_path):
    """QA (bad-input sweep): visits in Excel's "Unicode text" (UTF-16, tab-separated) named .csv 'lack column(s)
    store, tier, …; columns are: 门店\\t门店类型\\t…'."""
    frame = pd.read_csv(DATA / "visits.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "visits.csv"
    path.write_bytes(b"\xff\xfe" + frame.to_csv(sep="\t", index=False, lineterminator="\r\n").encode("utf-16-le"))
    assert read_visits(path).equals(read_visits(DATA / "visits.csv"))
