"""An export's header row repeated among its rows (the pages or months of an export pasted into one file) comes
out with its reason and is never counted as a complaint.

Before: ``工单编号,受理时间,区县,投诉内容`` in the middle of a GBK export was read as a ticket whose text is
投诉内容: voc tag labelled it (a complaint about efficiency), voc freq counted it, by_区县.csv had a district named
区县, and the date note called 受理时间 an unparseable date (found in a new-user QA pass on a hand-made export).
"""

import pandas as pd
import pytest

from voiceofcustomer.freq.tables import count_table
from voiceofcustomer.io.readers import HEADER_NOTE, ROW_NOTE, header_rows, open_table
from voiceofcustomer.labels.workflow import tag_table
from voiceofcustomer.statements import counted_mask
from voiceofcustomer.text.split import SplitSummary, split_inputs

COLUMNS = ["工单编号", "受理时间", "区县", "投诉内容"]
FIXTURE = "tickets_repeated_header.csv"  # 5 tickets, the header again after the third


def _notes(source):
    df = pd.concat(list(source.chunks()), ignore_index=True)
    return df.get(ROW_NOTE, pd.Series([None] * len(df))).tolist()


def test_the_repeated_header_of_a_gbk_export_is_noted(data_dir):
    source = open_table(data_dir / FIXTURE)
    assert _notes(source) == [None, None, None, HEADER_NOTE, None, None]
    assert source.counts["header_rows"] == 1


@pytest.mark.parametrize("row", [
    ["工单编号", "受理时间", "区县", "投诉内容"],
    ["工单编号", "", "", "投诉内容"],  # cells left empty
    [" 工单编号 ", "受理时间", "区县", "投诉内容 "],
])
def test_header_rows(row):
    df = pd.DataFrame([row], columns=COLUMNS, dtype=object)
    assert header_rows(df, COLUMNS, "投诉内容").tolist() == [True]


def test_a_header_of_latin_names_and_a_renamed_second_column():
    columns = ["ID", "Content", "content_2"]  # the reader names a second `content` content_2
    df = pd.DataFrame([["id", "CONTENT", "content"]], columns=columns, dtype=object)
    assert header_rows(df, columns, "Content").tolist() == [True]


@pytest.mark.parametrize("row", [
    ["GD9", "2026-11-02", "东城区", "投诉内容"],  # a ticket whose text is the column's name
    ["", "", "", "投诉内容"],  # the text's name alone: not two cells named
    ["工单编号", "受理时间", "东城区", "投诉内容"],  # a district beside the names
    ["工单编号", "受理时间", "区县", "宽带掉线"],
])
def test_not_header_rows(row):
    df = pd.DataFrame([row], columns=COLUMNS, dtype=object)
    assert header_rows(df, COLUMNS, "投诉内容").tolist() == [False]


def test_a_table_of_one_column_has_none():
    df = pd.DataFrame({"内容": ["内容", "宽带掉线"]}, dtype=object)
    assert header_rows(df, ["内容"], "内容").tolist() == [False, False]


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_the_workbook_and_parquet_readers_note_it(tmp_path, suffix):
    path = tmp_path / f"export{suffix}"
    df = pd.DataFrame([["GD1", "2026-11-02", "东城区", "宽带总掉线"], COLUMNS, ["GD2", "2026-12-01", "西城区", "话费多扣"]],
                      columns=COLUMNS)
    df.to_excel(path, index=False) if suffix == ".xlsx" else df.to_parquet(path)
    assert _notes(open_table(path)) == [None, HEADER_NOTE, None]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_tag_and_freq_set_it_aside(data_dir, tmp_path, suffix):
    out = tmp_path / f"tagged{suffix}"
    summary = tag_table(data_dir / FIXTURE, out, n_jobs=1)
    assert summary.rows == 6 and summary.header_rows == 1 and summary.totals_rows == 0
    df = pd.concat(list(open_table(out).chunks()), ignore_index=True)
    header = df.iloc[3]
    assert header["投诉内容"] == "投诉内容" and header["note"] == HEADER_NOTE
    assert (header["servqual"], header["issue"], header["stance"]) == ("none", "other", "neutral")
    result, _ = count_table(out, by=["区县"])
    notes = result.tables["notes"].set_index("note")["count"]
    assert result.rows_read == 6 and result.rows_counted == 5
    assert notes["repeated header rows excluded"] == 1
    assert result.tables["overall"].query("field == 'issue'")["count"].sum() == 5
    assert "区县" not in set(result.tables["by_区县"]["区县"])


def test_split_leaves_its_text_out(data_dir):
    summary = SplitSummary()
    df = pd.concat(list(split_inputs([data_dir / FIXTURE], summary=summary)), ignore_index=True)
    header = df.iloc[3]
    assert header["text"] == "" and header["note"] == HEADER_NOTE and header["text_raw"] == "投诉内容"
    assert counted_mask(df).tolist() == [True, True, True, False, True, True]
    assert (summary.set_aside, summary.empty) == (1, 0)


def test_counted_mask_leaves_a_noted_header_row_out():
    df = pd.DataFrame({"text": ["宽带总掉线", "投诉内容"], "note": ["", HEADER_NOTE]})
    assert counted_mask(df).tolist() == [True, False]
