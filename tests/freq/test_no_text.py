"""Rows with no text are not customer statements: they stay in the tagged table with their note
and placeholder labels, and are never counted (QA: a ticket export's empty cells and a focus-group
turn that was only [听不清] were counted as issue=other / servqual=none, in every denominator, and
could be shown as an empty example quote)."""

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq import tables as T
from voiceofcustomer.freq.tables import count_table, frequencies
from voiceofcustomer.labels.tagging import tag_chunks
from voiceofcustomer.text.split import split_inputs

NO_TEXT = "rows with no text excluded"


def _workbook(data_dir, path):
    """The written ticket CSV as a workbook, plus a text cell holding a formula with no saved value."""
    df = pd.read_csv(data_dir / "tickets_no_text.csv", dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append(list(row))
    ws.append(["N007", "2026-07-04 09:00:00", "南开区", "营业厅", '=CONCAT("宽带", "断线")'])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    """voc split + voc tag (library) of the written tickets (CSV and workbook) and focus group."""
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "data"
    book = _workbook(data, tmp_path_factory.mktemp("no_text") / "tickets_formula.xlsx")
    inputs = [data / "tickets_no_text.csv", book, data / "transcript_inaudible.txt"]
    chunks = list(split_inputs(inputs))
    return pd.concat(list(tag_chunks(chunks, "text", n_jobs=1)), ignore_index=True)


def _empty_ids(df):
    return set(df.loc[df["text"].fillna("").str.strip() == "", "statement_id"])


def _said(df):
    """The customer statements: neither the moderator's, nor without text, nor a repeat."""
    return df[~df["statement_id"].isin(_empty_ids(df)) & (df["role"] != "moderator") & ~df["is_duplicate"]]


def test_rows_with_no_text_stay_in_the_tagged_table_but_are_not_counted(tagged):
    by_id = tagged.set_index("statement_id")
    empty = _empty_ids(tagged)
    # the CSV's empty and blank cells and its [听不清]-only ticket, the workbook's and its formula cell,
    # the focus group's [听不清] and （笑）[笑] turns: kept, with their note and placeholder labels
    assert sorted(i for i in empty if i.startswith("tickets_no_text:")) == [
        "tickets_no_text:2-s01", "tickets_no_text:4-s01", "tickets_no_text:5-s01"]
    assert {"transcript_inaudible-t0003-s01", "transcript_inaudible-t0004-s01", "tickets_formula:7-s01"} <= empty
    assert len(empty) == 9
    rows = by_id.loc[sorted(empty)]
    assert (rows["issue"] == "other").all() and (rows["servqual"] == "none").all()
    assert (rows["stance"] == "neutral").all() and rows["needs_review"].all()
    assert "holds a formula with no saved value" in by_id.loc["tickets_formula:7-s01", "note"]
    assert (rows.drop(index="tickets_formula:7-s01")["note"] == "empty text").all()

    res = frequencies(tagged, by=["group"])
    said = _said(tagged)
    assert res.rows_counted == len(said)
    overall = res.tables["overall"]
    assert (overall["n"] == len(said)).all()  # no denominator holds them
    for field, label in (("issue", "other"), ("servqual", "none"), ("demand", "none"), ("stance", "neutral")):
        row = overall[(overall["field"] == field) & (overall["label"] == label)].iloc[0]
        assert row["count"] == int((said[field] == label).sum()), (field, label)
    by_group = res.tables["by_group"]
    for group, n in said.groupby(said["group"].replace("", "(blank)")).size().items():
        assert (by_group.loc[by_group["group"] == group, "n"] == n).all(), group
    quoted = {e.statement_id for cell in res.examples.values() for e in cell}
    assert quoted and not quoted & empty
    assert all(e.text.strip() for cell in res.examples.values() for e in cell)
    notes = res.tables["notes"].set_index("note")["count"]
    assert notes[NO_TEXT] == 9 and notes["rows counted"] == len(said)


def test_voc_freq_says_how_many_rows_had_no_text(tagged, tmp_path):
    path = tmp_path / "tagged.csv"
    tagged.to_csv(path, index=False, encoding="utf-8-sig")
    res = CliRunner().invoke(main, ["freq", str(path), "-o", str(tmp_path / "freq"), "--examples", "20"])
    assert res.exit_code == 0, res.output
    overall = pd.read_csv(tmp_path / "freq" / "overall.csv", encoding="utf-8-sig", keep_default_na=False)
    quoted = " | ".join(overall["examples"])
    assert [sid for sid in sorted(_empty_ids(tagged)) if f"{sid}:" in quoted] == []  # no empty example quote
    assert (overall["n"] == len(_said(tagged))).all()
    assert f"counted {len(_said(tagged))} of {len(tagged)} statements (2 moderator, 9 with no text, 3 duplicates" \
        in res.output
    notes = pd.read_csv(tmp_path / "freq" / "notes.csv", encoding="utf-8-sig").set_index("note")
    assert notes.loc[NO_TEXT, "count"] == 9 and "[听不清]" in notes.loc[NO_TEXT, "detail"]
    assert notes.loc["rows counted", "count"] == len(_said(tagged))


@pytest.mark.parametrize("string_type", [pa.string(), pa.large_string(), pa.dictionary(pa.int32(), pa.string())])
def test_typed_parquet_reader_finds_the_rows_with_no_text(tmp_path, monkeypatch, string_type):
    """voc freq's fast Parquet reader tests blank texts in Arrow; it must find the rows the text
    reader finds (every whitespace Python strips, the ideographic space included)."""
    texts = ["宽带断线", None, "", " ", "\u3000", "\t\n", "\u200b", " 信号差 ", "\u00a0\u2003", "营业厅排队"] * 30
    n = len(texts)
    df = pd.DataFrame({"statement_id": [f"s{i}" for i in range(n)], "text": texts,
                       "is_duplicate": ["False"] * n, "issue": ["other"] * n, "servqual": ["none"] * n,
                       "demand": ["none"] * n, "stance": ["neutral"] * n, "issue_conf": [0.5] * n})
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.set_column(1, pa.field("text", string_type), table.column("text").cast(string_type))
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=64)
    calls = []
    real = T._typed_batches
    monkeypatch.setattr(T, "_TYPED_BATCH", 100)
    monkeypatch.setattr(T, "_typed_batches", lambda *a, **k: calls.append(1) or real(*a, **k))
    typed, _ = count_table(path)
    assert calls, "the typed reader was not used"
    monkeypatch.setattr(T, "_typed_parquet", lambda source, tally: None)
    text, _ = count_table(path)
    blank = sum(1 for t in texts if t is None or not t.strip())
    assert blank == 6 * 30  # "\u200b" is not whitespace: a text, as the tagger sees it
    for res in (typed, text):
        assert res.rows_counted == n - blank
        assert res.tables["notes"].set_index("note").loc[NO_TEXT, "count"] == blank
