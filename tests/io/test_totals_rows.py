"""An export's totals row (合计,,,,共330条) comes out with its reason and is never counted as a complaint."""

import pandas as pd
import pytest

from voiceofcustomer.freq.tables import count_table
from voiceofcustomer.io.readers import ROW_NOTE, TOTALS_NOTE, open_table, totals_rows
from voiceofcustomer.labels.workflow import tag_table
from voiceofcustomer.statements import counted_mask
from voiceofcustomer.text.split import SplitSummary, split_inputs

COLUMNS = ["工单编号", "受理时间", "投诉内容", "区县"]


def _notes(source):
    df = pd.concat(list(source.chunks()), ignore_index=True)
    return df.get(ROW_NOTE, pd.Series([None] * len(df))).tolist()


def test_the_totals_row_of_a_gbk_export_is_noted(data_dir):
    source = open_table(data_dir / "tickets_totals_row.csv")
    assert _notes(source) == [None, None, None, None, TOTALS_NOTE]
    assert source.counts["totals_rows"] == 1


@pytest.mark.parametrize("row", [
    ["合计", "", "", "共330条"], ["总计", "", "", ""], ["", "", "合计：330", ""], ["", "", "Total 330", ""],
    ["小计", "", "330条", "12.5%"], ["汇总", "", "", "330"], ["", "", "共计 共330条", ""],
])
def test_totals_rows(row):
    df = pd.DataFrame([row], columns=COLUMNS, dtype=object)
    assert totals_rows(df, COLUMNS, "投诉内容").tolist() == [True]


@pytest.mark.parametrize("row", [
    ["GD9", "2026-10-15", "合计扣了我三百块话费", "东区"],  # a complaint that begins with 合计
    ["合计", "", "合计扣了我三百块话费", ""],
    ["合计", "", "", "东区"],  # a word beside the label: not only counts
    ["GD9", "", "合计", ""],  # a ticket's id
    ["", "", "共330条", ""],  # no totals label
])
def test_not_totals_rows(row):
    df = pd.DataFrame([row], columns=COLUMNS, dtype=object)
    assert totals_rows(df, COLUMNS, "投诉内容").tolist() == [False]


def test_the_parquet_reader_notes_it(tmp_path):
    path = tmp_path / "export.parquet"
    pd.DataFrame([["GD1", "2026-10-03", "宽带总掉线", "东区"], ["合计", None, None, "共1条"]],
                 columns=COLUMNS).to_parquet(path)
    assert _notes(open_table(path)) == [None, TOTALS_NOTE]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_tag_and_freq_set_it_aside(data_dir, tmp_path, suffix):
    out = tmp_path / f"tagged{suffix}"
    summary = tag_table(data_dir / "tickets_totals_row.csv", out, n_jobs=1)
    assert summary.rows == 5 and summary.totals_rows == 1
    tagged = open_table(out).chunks()
    df = pd.concat(list(tagged), ignore_index=True)
    last = df.iloc[-1]
    assert last["投诉内容"] == "共4条" and last["note"] == TOTALS_NOTE
    assert (last["servqual"], last["issue"]) == ("none", "other")
    assert df.iloc[2]["note"] in ("", None) and df.iloc[2]["issue"] != "other"  # 合计扣了我三百块… is a ticket
    result, _ = count_table(out)
    notes = result.tables["notes"].set_index("note")["count"]
    assert result.rows_read == 5 and result.rows_counted == 4
    assert notes["totals rows excluded"] == 1
    assert result.tables["overall"].query("field == 'issue'")["count"].sum() == 4


def test_split_leaves_its_text_out(data_dir):
    df = pd.concat(list(split_inputs([data_dir / "tickets_totals_row.csv"])), ignore_index=True)
    last = df.iloc[-1]
    assert last["text"] == "" and last["note"] == TOTALS_NOTE and last["text_raw"] == "共4条"
    assert counted_mask(df).tolist() == [True, True, True, True, False]


def test_split_summary_counts_it_as_a_totals_row_not_as_empty(tmp_path):
    """voc split's summary said '2 empty' of an export with one empty ticket and one totals row: the
    totals row is counted as voc tag counts it, and only the empty ticket is empty."""
    path = tmp_path / "export.csv"
    path.write_text("工单编号,投诉内容,区县\nGD1,宽带晚上总掉线,东区\nGD2,,西区\nGD3,营业厅排队太久,东区\n合计,共3条,\n",
                    encoding="utf-8")
    summary = SplitSummary()
    df = pd.concat(list(split_inputs([path], summary=summary)), ignore_index=True)
    assert (summary.rows, summary.statements, summary.empty, summary.totals_rows) == (4, 4, 1, 1)
    assert df["note"].tolist() == ["", "empty text", "", TOTALS_NOTE]


def test_voc_split_says_what_voc_tag_says_of_it(data_dir, tmp_path):
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    res = CliRunner().invoke(main, ["split", str(data_dir / "tickets_totals_row.csv"), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.output
    assert "0 empty" in res.output
    assert f"1 totals row (合计 …) set aside with the note '{TOTALS_NOTE}', not counted" in res.output


def test_counted_mask_leaves_a_noted_totals_row_out():
    df = pd.DataFrame({"text": ["宽带总掉线", "共330条"], "note": ["", TOTALS_NOTE]})
    assert counted_mask(df).tolist() == [True, False]
