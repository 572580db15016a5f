"""An export and its grown successor in one folder (tagged_oct + tagged_oct_nov): each row counted once, and said.

tests/data/tagged_oct.csv holds 6 tagged rows (TK1003 twice, word for word: one ticket repeating
itself); tagged_oct_nov.csv the same 6 rows and 3 new ones (one of them TK1003 again, with new words).
"""

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq.tables import count_table


@pytest.fixture
def grown(data_dir, tmp_path):
    folder = tmp_path / "tagged"
    folder.mkdir()
    shutil.copy(data_dir / "tagged_oct.csv", folder)
    # the successor as Parquet, as voc tag writes big outputs: the typed reader must find the repeats too
    pd.read_csv(data_dir / "tagged_oct_nov.csv", dtype=str, keep_default_na=False).astype(
        {f"{f}_conf": float for f in ("servqual", "demand", "issue", "stance")}).to_parquet(
        folder / "tagged_oct_nov.parquet", index=False)
    return folder


def _notes(result):
    return result.tables["notes"].set_index("note")["count"]


def test_rows_of_an_earlier_file_are_counted_once_and_said(grown, data_dir, tmp_path):
    result, _ = count_table(grown, by=["区县"])
    alone, _ = count_table(data_dir / "tagged_oct_nov.csv", by=["区县"])
    notes = _notes(result)
    assert notes["rows read"] == 15
    assert notes["rows repeated from an earlier file excluded"] == 6
    assert notes["duplicates excluded"] == 1  # TK1003's repeat inside tagged_oct.csv, as before
    assert result.rows_counted == alone.rows_counted == 8  # not 5 + 8
    detail = result.tables["notes"].set_index("note").at["rows repeated from an earlier file excluded", "detail"]
    assert "tagged_oct_nov.parquet: 6 of 9 rows" in detail and "工单编号" in detail
    for name in ("overall", "by_区县"):
        pd.testing.assert_frame_equal(result.tables[name], alone.tables[name])


def test_the_summary_says_what_was_left_out(grown, tmp_path):
    res = CliRunner().invoke(main, ["freq", str(grown), "-o", str(tmp_path / "freq")])
    assert res.exit_code == 0, res.output
    assert "counted 8 of 15 statements" in res.output
    assert "6 repeated from an earlier file" in res.output
    line = next(x for x in res.output.splitlines() if x.startswith("note:"))
    assert "tagged_oct_nov.parquet" in line and "6 of its 9 rows" in line and "counted once" in line


def test_partitions_that_share_no_row_are_counted_as_before(data_dir, tmp_path):
    folder = tmp_path / "months"
    folder.mkdir()
    both = pd.read_csv(data_dir / "tagged_oct_nov.csv", dtype=str, keep_default_na=False)
    both.iloc[:6].to_csv(folder / "oct.csv", index=False)
    both.iloc[6:].to_csv(folder / "nov.csv", index=False)  # TK1003 again, with other words: a new statement
    result, _ = count_table(folder)
    notes = _notes(result)
    assert notes["rows repeated from an earlier file excluded"] == 0
    assert result.rows_counted == 8
    res = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "freq")])
    assert res.exit_code == 0 and "note:" not in res.output and "repeated" not in res.output, res.output


def test_one_file_has_no_such_row(data_dir):
    result, _ = count_table(data_dir / "tagged_oct.csv")
    assert "rows repeated from an earlier file excluded" not in _notes(result).index


def test_files_without_an_id_count_the_same_words_in_two_exports_as_two_tickets(data_dir, tmp_path):
    # Found in a QA pass: with no id column any text an earlier file had was taken for that row read
    # again, so the same short complaint in October's and November's exports was counted once. Without
    # an id nothing says they are one row: two exports' identical words are two tickets; within a file
    # the duplicate rule stays (one source: a line it repeats is a copy).
    folder = tmp_path / "months"
    folder.mkdir()
    rows = pd.read_csv(data_dir / "tagged_oct.csv", dtype=str, keep_default_na=False).drop(columns=["工单编号"])
    rows.iloc[:4].to_csv(folder / "oct.csv", index=False)  # rows 3 and 4: one text twice, a copy
    rows.iloc[[0, 1, 4, 5]].to_csv(folder / "nov.csv", index=False)  # 2 texts October had, 2 new
    result, _ = count_table(folder)
    notes = _notes(result)
    assert notes["rows read"] == 8
    assert notes["duplicates excluded"] == 1  # the copy inside oct.csv only
    assert notes["rows repeated from an earlier file excluded"] == 0
    assert result.rows_counted == 7
    detail = result.tables["notes"].set_index("note").at["rows repeated from an earlier file excluded", "detail"]
    assert "no id column" in detail and "give the later one alone" in detail
    broadband = result.tables["overall"].set_index(["field", "label"]).at[("issue", "broadband"), "count"]
    assert broadband == 2  # 宽带晚上老掉线… in both months
    res = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "freq")])
    assert res.exit_code == 0, res.output
    assert "counted 7 of 8 statements" in res.output and "repeated from an earlier file" not in res.output
    assert "note: the files have no id column, so a text an earlier file also has was counted again" in res.output


def test_the_note_names_the_file_read_before_when_the_names_sort_the_months_backwards(data_dir, tmp_path):
    """A team's tag_oct.parquet and tag_nov.parquet: 'nov' sorts before 'oct', so November was read first and the
    note said 'tag_oct.parquet repeats 12 of its 590 rows from an earlier file', October being the earlier month;
    now it names the file read before it and the order (name order) it was read in."""
    folder = tmp_path / "tagged"
    folder.mkdir()
    shutil.copy(data_dir / "tagged_oct.csv", folder / "tag_oct.csv")
    shutil.copy(data_dir / "tagged_oct_nov.csv", folder / "tag_nov.csv")
    res = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "freq")])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("note:"))
    assert "tag_oct.csv repeats 6 of its 6 rows from an earlier file (same 工单编号 and text)" in line, line
    assert "counted once, in the file read first (tag_nov.csv, read before it in name order)" in line
    assert "tagged_2026-10, tagged_2026-11" in line


def test_several_tagged_files_are_one_input_read_in_name_order_as_their_folder(grown, data_dir, tmp_path):
    """An analyst's two monthly tagged files given as two paths (voc freq b a): 'Got unexpected extra argument',
    with no word of what to do. Now several paths are one input, read in name order as a folder holding them is,
    whatever the order they are given in: the same tables and notes as the folder's."""
    oct_, nov = grown / "tagged_oct.csv", grown / "tagged_oct_nov.parquet"
    res = CliRunner().invoke(main, ["freq", str(nov), str(oct_), "-o", str(tmp_path / "two"), "--by", "区县"])
    assert res.exit_code == 0, res.output
    assert "counted 8 of 15 statements" in res.output and "6 repeated from an earlier file" in res.output
    line = next(x for x in res.output.splitlines() if x.startswith("note:"))
    assert "tagged_oct_nov.parquet repeats 6 of its 9 rows" in line
    assert "(tagged_oct.csv, read before it in name order)" in line
    ref = CliRunner().invoke(main, ["freq", str(grown), "-o", str(tmp_path / "folder"), "--by", "区县"])
    assert ref.exit_code == 0, ref.output
    for name in sorted(p.name for p in (tmp_path / "folder").glob("*.csv")):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "folder" / name).read_bytes(), name
    # the library: a list of paths, a file named twice (alone and in its folder) read once
    result, _ = count_table([oct_, grown], by=["区县"])
    assert result.rows_read == 15 and result.rows_counted == 8
