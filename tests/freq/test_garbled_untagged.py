"""voc freq leaves out the garbled rows of a table tagged before voc tag noted them (words, no note): they were
counted until the file was tagged again. tests/data/tagged_before_garbled_note.csv: GD2002 is UTF-8 read as GBK,
GD2003 锟斤拷, both labelled and with an empty note, as voc tag wrote them then."""

import csv

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.freq.tables import frequencies

FILE = "tagged_before_garbled_note.csv"


def test_voc_freq_leaves_out_garbled_rows_without_a_note(data_dir, tmp_path):
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(data_dir / FILE), "-o", str(out)])
    assert res.exit_code == 0, res.output
    notes = {r["note"]: r["count"] for r in csv.DictReader(open(out / "notes.csv", encoding="utf-8-sig"))}
    assert notes["garbled rows excluded"] == "2" and notes["rows counted"] == "2"
    assert "counted 2 of 4" in res.output and "2 whose text looks garbled" in res.output
    overall = pd.read_csv(out / "overall.csv", dtype=str)
    ex = " ".join(overall["examples"].fillna(""))
    assert "GD2002" not in ex and "GD2003" not in ex and "GD2001" in ex


def test_frequencies_of_a_frame_too(data_dir):
    df = pd.read_csv(data_dir / FILE, dtype=str, keep_default_na=False).drop(columns=["note"])  # no note column
    result = frequencies(df)
    assert result.rows_counted == 2
    notes = result.tables["notes"].set_index("note")["count"]
    assert notes["garbled rows excluded"] == 2
