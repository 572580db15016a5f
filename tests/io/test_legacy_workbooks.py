""".xls, .xlsb and .ods exports are read (python-calamine) like an .xlsx: the same sheet rules,
header, values as text, empty rows and row accounting. Before, every one of them was refused
with "save it as .xlsx in Excel or WPS" (found by a new user with a ticket system's .xls).

The workbooks in tests/data/workbooks are written by tools/make_legacy_workbooks.py (xlwt,
pyxlsbwriter, odfpy: none of them is needed to run the tests)."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from voiceofcustomer.errors import InputError
from voiceofcustomer.io.readers import input_sheet, open_table

BOOKS = Path(__file__).parents[1] / "data" / "workbooks"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read(path, **kwargs):
    source = open_table(path, **kwargs)
    return source, pd.concat(list(source.chunks()), ignore_index=True)


@pytest.mark.parametrize("suffix", [".xls", ".xlsb", ".ods"])
def test_a_legacy_workbook_reads_as_the_same_xlsx_does(suffix):
    xlsx, xlsx_rows = _read(BOOKS / "tickets.xlsx", sheet="投诉")
    other, rows = _read(BOOKS / f"tickets{suffix}", sheet="投诉")
    assert other.columns == xlsx.columns == ["工单编号", "受理时间", "联系电话", "区县", "投诉内容", "满意度"]
    assert (other.text_col, other.id_col) == ("投诉内容", "工单编号")
    assert other.counts == xlsx.counts == {"records": 5, "rows": 5, "empty_rows": 1, "bad": 0, "blank_lines": 0}
    pd.testing.assert_frame_equal(rows, xlsx_rows)
    first = rows.iloc[0]
    assert first["工单编号"] == "007"  # text keeps its zeros
    assert first["联系电话"] == "13800138000"  # a number stored as a float in .xls/.ods, not 13800138000.0
    assert first["受理时间"] == "2026-07-01 08:30:00"
    assert rows.iloc[1]["受理时间"] == "2026-07-02 00:00:00"  # a date cell, as the .xlsx path gives it
    assert rows.iloc[1]["满意度"] == "4.5"
    assert rows.iloc[2][other.columns].tolist() == [""] * 6  # the empty row between rows is a row
    assert rows["ticket_id"].tolist() == ["007", "G0102", "tickets:3", "G0104", "G0105"]


@pytest.mark.parametrize("suffix", [".xls", ".xlsb", ".ods"])
def test_sheet_choice_is_the_xlsx_rule(suffix):
    path = BOOKS / f"tickets{suffix}"
    with pytest.raises(InputError) as err:
        open_table(path)
    assert str(err.value) == (f"{path}: workbook has 2 sheets (投诉, 说明); choose one with sheet= (every workbook "
                              f"given), or for this file only give it as {path}:SHEET")
    with pytest.raises(InputError, match=r"no sheet '3月'; its sheets are: 投诉, 说明; sheet= applies"):
        open_table(path, sheet="3月")
    assert input_sheet(f"{path}:投诉") == (path, "投诉")
    source, rows = _read(f"{path}:投诉")
    assert source.sheet == "投诉" and len(rows) == 5


def test_the_long_text_sheet_is_aside_and_its_texts_are_put_back():
    source, rows = _read(BOOKS / "tickets_spill.xls")  # sheets: tickets, voc_long_texts
    assert source.columns == ["编号", "内容"]
    assert rows["内容"].tolist() == ["开头和后面的部分。", "短的投诉。"]


def test_columns_before_the_first_cell_are_kept_as_in_the_xlsx():
    """calamine starts each row at the sheet's first cell (column B here); openpyxl from column A."""
    xlsx, xlsx_rows = _read(BOOKS / "offset.xlsx")
    xls, rows = _read(BOOKS / "offset.xls")
    assert xls.columns == xlsx.columns == ["column_1", "编号", "内容"]
    pd.testing.assert_frame_equal(rows, xlsx_rows)


def test_an_xls_that_is_tab_separated_text_is_read_as_tsv(tmp_path):
    """Ticket systems save tab-separated text (often GBK) under the name .xls."""
    path = tmp_path / "工单.xls"
    path.write_bytes("工单编号\t投诉内容\r\n007\t宽带很慢\r\n\r\n008\t信号差\r\n".encode("gbk"))
    source, rows = _read(path)
    assert (source.kind, source.encoding) == ("tsv", "gb18030")
    assert rows["投诉内容"].tolist() == ["宽带很慢", "信号差"] and rows["ticket_id"].tolist() == ["007", "008"]
    path.write_bytes("工单编号,投诉内容\n007,宽带很慢\n".encode())
    assert _read(path)[1]["投诉内容"].tolist() == ["宽带很慢"]
    with pytest.raises(InputError, match=r"is comma-separated text named \.xls, not a workbook, so sheet='投诉'"):
        open_table(path, sheet="投诉")


@pytest.mark.parametrize("name, content, message", [
    ("a.xls", "<html><body><table><tr><td>工单编号</td></tr></table>".encode(),
     "is a web page (HTML) saved as .xls, not a workbook; open it in Excel or WPS, save it as .xlsx"),
    ("a.xls", "\ufeff<?xml version='1.0'?><Workbook/>".encode(), "is an XML file saved as .xls"),
    ("a.xls", "只有一行文字\n".encode(), "is text, not an old Excel (.xls) workbook, and its first line names no columns"),
    ("a.xls", OLE + b"\x00" * 600, "cannot be read as an old Excel (.xls) workbook (Cannot detect file format); it "
                                    "may be damaged or password-protected: open it in Excel or WPS, save it as .xlsx"),
    ("a.xls", b"\x09\x00\x04\x00" + b"\x00" * 100, "is not a workbook that can be read"),  # Excel 2.1 (BIFF2)
    ("a.ods", b"PK\x03\x04" + b"\x00" * 100, "cannot be read as an OpenDocument (.ods) workbook"),
])
def test_what_calamine_cannot_read_is_refused_in_one_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        open_table(path)
    assert str(err.value).startswith(f"{path}: {message}"), str(err.value)
    assert "\n" not in str(err.value)


def test_an_xls_named_xlsx_is_told_to_be_renamed_and_a_wps_file_is_still_refused(tmp_path):
    misnamed = tmp_path / "工单.xlsx"
    shutil.copy(BOOKS / "tickets.xls", misnamed)
    with pytest.raises(InputError, match=r"is an old Excel \(\.xls\) workbook saved under the name \.xlsx; rename it"):
        open_table(misnamed)
    et = tmp_path / "工单.et"  # a real WPS .et could not be tried: refused even when it is an .xls inside
    shutil.copy(BOOKS / "tickets.xls", et)
    with pytest.raises(InputError, match=r"WPS \(\.et\) files cannot be read; open it in Excel or WPS, save it as"):
        open_table(et)
