"""readers.merged_down: the cells of a sheet merged down one column, which a reader gives their value in each row."""

import openpyxl

from voiceofcustomer.io.readers import merged_down


def test_merges_down_one_column_are_listed_others_not(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    for r in range(1, 8):
        ws.append([f"c{r}{k}" for k in "ABCD"])
    ws.merge_cells("A2:A4"), ws.merge_cells("C5:C7")  # down one column: listed
    ws.merge_cells("B2:D2")  # across columns: not listed
    wb.create_sheet("其他").merge_cells("A2:A3")
    wb.save(tmp_path / "v.xlsx")
    assert sorted(merged_down(tmp_path / "v.xlsx", "明细")) == [(1, 2, 4), (3, 5, 7)]
    assert merged_down(tmp_path / "v.xlsx", "其他") == [(1, 2, 3)]
