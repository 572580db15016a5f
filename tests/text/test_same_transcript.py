"""One focus group given twice (saved as .txt and as .docx): both are kept, and the run says so."""
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.text.split import SplitSummary, split_inputs

DATA = Path(__file__).resolve().parents[1] / "data"
TXT = DATA / "focus_group_saved_twice.txt"


def _as_docx(tmp_path, lines):
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    path = tmp_path / "focus_group_saved_twice.docx"
    d.save(path)
    return path


def test_the_same_transcript_as_txt_and_docx_is_kept_and_noted(tmp_path):
    docx_path = _as_docx(tmp_path, TXT.read_text(encoding="utf-8").splitlines())
    summary = SplitSummary()
    df = pd.concat(split_inputs([TXT, docx_path], summary=summary))
    assert sorted(df["session"].unique()) == ["东湖第2场", "东湖第2场#2"]  # both kept: nothing dropped
    assert summary.same_transcripts == [(str(TXT), str(docx_path), "东湖第2场", "东湖第2场#2")]


def test_another_session_of_the_same_name_is_not_taken_for_the_same_transcript(tmp_path):
    lines = TXT.read_text(encoding="utf-8").splitlines()
    other = _as_docx(tmp_path, [line.replace("四十分钟", "一个小时") for line in lines])
    summary = SplitSummary()
    df = pd.concat(split_inputs([TXT, other], summary=summary))
    assert df["session"].nunique() == 2
    assert summary.same_transcripts == []


def test_cli_split_warns_in_one_line_naming_both_files(tmp_path):
    docx_path = _as_docx(tmp_path, TXT.read_text(encoding="utf-8").splitlines())
    res = CliRunner().invoke(main, ["split", str(TXT), str(docx_path), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.output
    said = [line for line in res.output.splitlines() if "same turns" in line]
    assert len(said) == 1
    assert str(TXT) in said[0] and str(docx_path) in said[0] and "give one of them" in said[0]
    assert pd.read_csv(tmp_path / "s.csv")["session"].nunique() == 2
