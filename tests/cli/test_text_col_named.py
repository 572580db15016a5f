"""--text-col names the text even when the table has a column called ``text`` too.

A tagged export can carry a ``text`` column of its own (a ticket system's handling note, 处理备注);
``--text-col 投诉内容`` must make 投诉内容 the text every command reads, and the file's own ``text``
go out beside it as ``text_input`` (as ``voc split`` renames it), never read in its place.
"""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer import statements as S
from voiceofcustomer.cli.main import main

NAME = "tagged_text_beside_complaint.csv"


@pytest.fixture
def export(data_dir):
    return data_dir / NAME


@pytest.fixture
def columns(export):
    raw = pd.read_csv(export, encoding="utf-8-sig", dtype=str)
    return raw["投诉内容"].tolist(), raw["text"].tolist()


def test_the_named_column_is_the_text_and_the_files_own_text_is_kept(export, columns):
    complaints, notes = columns
    source = S.open_statements(export, text_col="投诉内容")
    df = source.read()
    assert df["text"].tolist() == complaints
    assert df["text_input"].tolist() == notes  # nothing of the file dropped
    assert source.text_col == "投诉内容" and "text_input" in source.file_columns
    assert list(df.columns) == source.columns and len(df) == len(complaints)
    # the tool's own tables (no column named otherwise) read as before
    assert "text_input" not in S.open_statements(export, text_col="text").columns


def test_an_in_memory_table_is_read_the_same_way(export, columns):
    complaints, notes = columns
    raw = pd.read_csv(export, encoding="utf-8-sig", dtype=str)
    df = S.as_statements(raw, text_col="投诉内容")
    assert df["text"].tolist() == complaints and df["text_input"].tolist() == notes
    assert raw["text"].tolist() == notes  # the caller's frame is not changed


def test_themes_model_frame_reads_the_named_column(export, columns):
    from voiceofcustomer.themes.model import as_statements_frame
    from voiceofcustomer.themes.pipeline import load_inputs

    complaints, notes = columns
    raw = pd.read_csv(export, encoding="utf-8-sig", dtype=str)
    frame = as_statements_frame(raw, "投诉内容")
    assert frame["text"].tolist() == complaints and frame["text_input"].tolist() == notes
    assert load_inputs([export], text_col="投诉内容")["text"].tolist() == complaints


def test_voc_items_quotes_the_named_column(export, columns, tmp_path):
    complaints, notes = columns
    out = tmp_path / "items.xlsx"
    res = CliRunner().invoke(main, ["items", str(export), "-o", str(out), "--text-col", "投诉内容",
                                    "--min-support", "1", "-q"])
    assert res.exit_code == 0, res.output
    sheet = pd.read_excel(out, sheet_name="items").to_string()
    assert any(c in sheet for c in complaints)
    assert not any(n in sheet for n in notes)


def test_voc_agreement_shows_the_named_column(export, columns, tmp_path):
    complaints, notes = columns
    other = pd.read_csv(export, encoding="utf-8-sig", dtype=str)
    other.loc[0, "issue"] = "signal"  # the second coder disagrees on the first ticket
    b = tmp_path / "b.csv"
    other.to_csv(b, index=False, encoding="utf-8-sig")
    out = tmp_path / "agreement.xlsx"
    res = CliRunner().invoke(main, ["agreement", str(export), str(b), "--text-col", "投诉内容", "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = pd.read_excel(out, sheet_name="disagreements")
    assert rows["text"].tolist() == [complaints[0]]


def test_voc_review_holds_the_named_column(export, columns, tmp_path):
    from voiceofcustomer.review.project import open_project

    complaints, notes = columns
    store = open_project([export], tmp_path / "review.sqlite", text_col="投诉内容")
    try:
        assert sorted(store.statements_frame()["text"]) == sorted(complaints)
    finally:
        store.close()


def test_voc_freq_examples_are_the_named_column(export, columns, tmp_path):
    """voc freq read the named column already (its tally reads the source's text_col): kept as a guard."""
    complaints, notes = columns
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(export), "-o", str(out), "--text-col", "投诉内容", "-q"])
    assert res.exit_code == 0, res.output
    overall = pd.read_csv(out / "overall.csv", encoding="utf-8-sig").to_string()
    assert any(c in overall for c in complaints) and not any(n in overall for n in notes)


def test_the_column_a_tag_output_remembers_wins_too(data_dir, tmp_path):
    """voc tag X --text-col 投诉内容 -o out.parquet: voc review and the rest read 投诉内容 without the option."""
    from voiceofcustomer.labels.workflow import tag_table

    raw = pd.read_csv(data_dir / NAME, encoding="utf-8-sig", dtype=str)
    export = tmp_path / "export.csv"
    raw[["工单编号", "受理时间", "text", "投诉内容"]].to_csv(export, index=False)
    out = tmp_path / "tagged.parquet"
    tag_table(export, out, text_col="投诉内容", n_jobs=1)
    df = S.read_statements(out)
    assert df["text"].tolist() == raw["投诉内容"].tolist() and df["text_input"].tolist() == raw["text"].tolist()
