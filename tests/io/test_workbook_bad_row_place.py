"""A workbook's bad row is named by its row, as Excel shows it and as ``voc audit`` and ``voc gap`` name rows.

Before: the October export under its title row (tests/data/title_row/tickets_oct_title.xlsx: title in row 1, header
in row 2, a remark slipped into column G in row 7) stopped with 'tickets_oct_title.xlsx: line 7: has a value in
column G …', and with --on-bad-rows skip listed it as 'line 7', where a spreadsheet has rows, not lines. Now
'row 7'; a CSV's bad row keeps its line (the file's line 27 of tickets_gbk_bad_row.csv)."""

import pickle
import re

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli import main
from voiceofcustomer.errors import BadRowError
from voiceofcustomer.io.readers import open_table

SLIPPED = "has a value in column G ('备注挤到了右边') beyond the 6 named columns"


def test_the_library_names_a_workbooks_row(data_dir):
    from voiceofcustomer.io.readers import SheetRow, bad_row_place

    path = data_dir / "title_row" / "tickets_oct_title.xlsx"
    with pytest.raises(BadRowError, match=re.escape(f"tickets_oct_title.xlsx: row 7: {SLIPPED}")):
        list(open_table(path).chunks())
    skipping = open_table(path, on_bad_rows="skip")
    list(skipping.chunks())
    assert skipping.bad_rows[0][0] == 7 and bad_row_place(skipping.bad_rows[0][0]) == "row 7"
    # a Dask worker's bad rows come back to the client pickled: still a row
    assert bad_row_place(pickle.loads(pickle.dumps(skipping.bad_rows))[0][0]) == "row 7"
    assert (bad_row_place(27), bad_row_place("4-9"), bad_row_place(SheetRow(3))) == ("line 27", "lines 4-9", "row 3")


def test_split_lists_a_workbooks_row_and_a_csvs_line(data_dir, tmp_path):
    out = tmp_path / "s.csv"
    res = CliRunner().invoke(main, ["split", str(data_dir / "title_row" / "tickets_oct_title.xlsx"),
                                    str(data_dir / "tickets_gbk_bad_row.csv"), "-o", str(out),
                                    "--on-bad-rows", "skip"])
    assert res.exit_code == 0, res.output
    listed = [x for x in res.output.splitlines() if x.startswith("  ")]
    assert listed[0].endswith(f"tickets_oct_title.xlsx: row 7: {SLIPPED} (工单编号, 受理时间, 地市, 业务类型, 投诉内容, "
                              "处理结果): cells that slipped to the right, or a column with no name (name it in the "
                              "header row)"), listed
    assert "tickets_gbk_bad_row.csv: line 27: has 6 fields, expected 5" in listed[1], listed
    skipped = pd.read_csv(tmp_path / "s.skipped.csv", encoding="utf-8-sig")
    assert skipped["line"].tolist() == [7, 27]  # the number the user looks for, the sheet's row or the file's line


def test_freq_of_a_tagged_workbook_names_its_row(data_dir, tmp_path):
    # a tagged table kept as .xlsx, one row's note slipped one column to the right, under the header in row 1
    tagged = pd.read_csv(data_dir / "tagged_oct.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(tagged.columns))
    for i, row in enumerate(tagged.itertuples(index=False)):
        ws.append(list(row) + (["挪到右边的备注"] if i == 2 else []))
    wb.save(tmp_path / "tagged.xlsx")
    res = CliRunner().invoke(main, ["freq", str(tmp_path / "tagged.xlsx"), "-o", str(tmp_path / "f"),
                                    "--on-bad-rows", "skip"])
    assert res.exit_code == 0, res.output
    assert "tagged.xlsx: row 4: has a value in column O ('挪到右边的备注')" in res.output, res.output
