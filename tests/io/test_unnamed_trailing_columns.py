"""A value to the right of a table's named columns is a bad row, not a column of its own.

Before: in a workbook whose one row had a complaint split over two cells (投诉内容 '光猫一直亮红灯', the next cell
'已经断网两天', and the row's 处理状态 pushed into column G, which has no name), the reader took the unnamed column
G for a column ``column_7``: the row was labelled on half its text, its status read as the complaint's end, and
nothing was said — while README and docs/io.md say values beyond the named Excel columns make the row bad (found in a
new-user QA pass on a hand-made export). A CSV saved from such a sheet (Excel pads every row to the used range:
``…,投诉内容,`` and ``…,光猫一直亮红灯,已经断网两天``) did the same.
"""

import openpyxl
import pandas as pd
import pytest

from voiceofcustomer.errors import BadRowError
from voiceofcustomer.io.readers import open_table

COLUMNS = ["工单编号", "受理时间", "区县", "投诉内容", "处理状态"]


def _workbook(path, *, slipped: bool):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(["QA7201", "2026-11-02", "东城区", "家里卧室手机信号只有一格", "已办结"])
    ws.append(["QA7202", "2026-11-04", "东城区", "光猫一直亮红灯", "已经断网两天", "处理中"] if slipped
              else ["QA7202", "2026-11-04", "东城区", "光猫一直亮红灯", "处理中"])
    if not slipped:
        ws.cell(row=1, column=8).value = None  # a cell touched and left empty: the used range grows, nothing in it
        ws.cell(row=3, column=8).value = ""
    wb.save(path)
    return path


def _rows(source) -> pd.DataFrame:
    return pd.concat(list(source.chunks()), ignore_index=True)


def test_a_value_beyond_the_named_columns_of_a_workbook_is_a_bad_row(tmp_path):
    path = _workbook(tmp_path / "export.xlsx", slipped=True)
    source = open_table(path)
    assert source.columns == COLUMNS
    with pytest.raises(BadRowError, match=r"row 3: has a value in column F \('处理中'\) beyond the 5 named columns"):
        _rows(source)
    skipping = open_table(path, on_bad_rows="skip")
    assert _rows(skipping)["工单编号"].tolist() == ["QA7201"]
    assert [line for line, _ in skipping.bad_rows] == [3]


def test_empty_cells_to_the_right_of_a_workbook_are_no_column(tmp_path):
    source = open_table(_workbook(tmp_path / "export.xlsx", slipped=False))
    assert source.columns == COLUMNS
    assert _rows(source)["处理状态"].tolist() == ["已办结", "处理中"]


def test_a_csv_saved_from_such_a_sheet(data_dir):
    path = data_dir / "tickets_padded_columns.csv"
    source = open_table(path, on_bad_rows="skip")
    assert source.columns == ["工单编号", "受理时间", "区县", "投诉内容"]
    df = _rows(source)
    assert df["工单编号"].tolist() == ["QA7101", "QA7102", "QA7104"]
    assert [line for line, _ in source.bad_rows] == [4]
    with pytest.raises(BadRowError, match="line 4: has 5 fields, expected 4"):
        _rows(open_table(path))
