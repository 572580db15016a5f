"""A .txt or .docx transcript naming no customer group is noted in one line, as a sheet of turns is: before, only a
sheet of turns got the note, and a .txt's statements had no group without a word (voc split, voc analyze, voc
themes)."""

import docx
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli import main
from voiceofcustomer.text.split import SplitSummary, split_inputs

NOTE = ("note: {f}: a transcript naming no customer group, so its statements have none (the report compares no "
        "groups); give --group public (or business), or write 客户群：公众用户 as a line of its header")


def _notes(res):
    return [ln for ln in res.stderr.splitlines() if "customer group" in ln]


@pytest.mark.parametrize("name, what, where", [
    ("focus_group_no_group.txt", "a transcript", "as a line of its header"),
    ("focus_group_turns.csv", "a sheet of turns", "in a row above its title row"),  # noted since f96fbeb
])
def test_a_transcript_naming_no_group_is_noted_and_group_fills_it(data_dir, tmp_path, name, what, where):
    path = data_dir / name
    summary = SplitSummary()
    df = pd.concat(list(split_inputs([path], summary=summary)), ignore_index=True)
    assert summary.no_group == [str(path)] and set(df["group"]) == {""}
    out = tmp_path / "st.csv"
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert _notes(res) == [f"note: {path}: {what} naming no customer group, so its statements have none (the report "
                           f"compares no groups); give --group public (or business), or write 客户群：公众用户 {where}"]
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(out), "-q", "--group", "public"])
    assert res.exit_code == 0 and _notes(res) == []
    assert set(pd.read_csv(out, dtype=str)["group"]) == {"public"}


def test_a_transcript_whose_header_names_its_group_gets_no_note(data_dir, tmp_path):
    path = tmp_path / "fg.txt"
    path.write_text((data_dir / "focus_group_no_group.txt").read_text(encoding="utf-8").replace(
        "城市：武汉", "城市：武汉\n客户群：对公用户"), encoding="utf-8")
    summary = SplitSummary()
    df = pd.concat(list(split_inputs([path], summary=summary)), ignore_index=True)
    assert summary.no_group == [] and set(df["group"]) == {"business"}


def test_a_docx_transcript_naming_no_group_is_noted(data_dir, tmp_path):
    d = docx.Document()
    for line in (data_dir / "focus_group_no_group.txt").read_text(encoding="utf-8").splitlines():
        d.add_paragraph(line)
    path = tmp_path / "fg.docx"
    d.save(path)
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(tmp_path / "st.csv"), "-q"])
    assert res.exit_code == 0, res.output
    assert _notes(res) == [NOTE.format(f=path)]


def test_voc_themes_notes_it_too_without_an_option_it_lacks(data_dir, tmp_path):
    path = data_dir / "focus_group_no_group.txt"
    res = CliRunner().invoke(main, ["themes", str(path), "--embedding", "lsa", "-o", str(tmp_path / "th"), "-q"])
    assert res.exit_code == 0, res.output
    assert _notes(res) == [f"note: {path}: a transcript naming no customer group, so its statements have none (the "
                           "report compares no groups); write 客户群：公众用户 as a line of its header"]
