"""An id column given (``--id-col 工单编号`` / ``id_col=``) wins over a raw export's own ``statement_id`` column (a
system column beside the ticket number), which goes out as ``statement_id_input``; a table ``voc split`` wrote keeps
its per-statement ids."""

import csv

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer import statements as S
from voiceofcustomer.cli.main import main


def test_id_col_given_wins_over_an_exports_statement_id(data_dir):
    src = S.open_statements(data_dir / "tagged_export_both_ids.csv", id_col="工单编号")
    df = src.read()
    assert df["statement_id"].tolist() == ["GD1001", "GD1002", "GD1003", "GD1001"]
    assert df["statement_id_input"].tolist() == ["S-0001", "S-0002", "S-0003", "S-0004"]
    assert df["ticket_id"].tolist() == ["GD1001", "GD1002", "GD1003", "GD1001"]
    # without the option the file's statement_id is the id, as before
    assert S.read_statements(data_dir / "tagged_export_both_ids.csv")["statement_id"].tolist()[:2] == ["S-0001",
                                                                                                      "S-0002"]


def test_id_col_given_wins_in_a_frame_too(data_dir):
    df = pd.read_csv(data_dir / "tagged_export_both_ids.csv", dtype=str)
    out = S.as_statements(df, id_col="工单编号")
    assert out["statement_id"].tolist() == ["GD1001", "GD1002", "GD1003", "GD1001"]
    assert out["statement_id_input"].tolist()[0] == "S-0001"


def test_a_split_table_keeps_its_statement_ids(tmp_path):
    p = tmp_path / "statements.csv"
    pd.DataFrame({"statement_id": ["t:1-s01", "t:1-s02"], "sent": ["1", "2"], "ticket_id": ["GD9", "GD9"],
                  "工单编号": ["GD9", "GD9"], "text": ["网速慢。", "客服不理。"]}).to_csv(p, index=False)
    df = S.read_statements(p, id_col="工单编号")
    assert df["statement_id"].tolist() == ["t:1-s01", "t:1-s02"]
    assert "statement_id_input" not in df.columns


def test_voc_freq_reads_id_col(data_dir, tmp_path):
    """voc freq --id-col was accepted and never used: the duplicate rule ran on the whole file as one source (the
    same words in GD1001 and GD1003 taken for a copy) and examples quoted the system ids S-0001 …"""
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(data_dir / "tagged_export_both_ids.csv"), "--id-col", "工单编号",
                                    "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    notes = {r["note"]: r for r in csv.DictReader(open(out / "notes.csv", encoding="utf-8-sig"))}
    assert notes["duplicates excluded"]["count"] == "1"  # GD1001 twice, not GD1003
    assert "工单编号" in notes["duplicates excluded"]["detail"]
    assert notes["rows counted"]["count"] == "3"
    overall = pd.read_csv(out / "overall.csv", dtype=str)
    ex = overall.loc[(overall["field"] == "issue") & (overall["label"] == "broadband"), "examples"].iloc[0]
    assert "GD1001" in ex and "S-000" not in ex
