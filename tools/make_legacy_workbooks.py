"""Write the small workbook fixtures in tests/data/workbooks/ that the readers' tests of .xls,
.xlsb and .ods read (python-calamine, a runtime dependency, reads them; nothing here is).

The same invented tickets go into tickets.xlsx (openpyxl), tickets.xls (xlwt: Excel 97-2003
BIFF8, what many ticket systems export), tickets.xlsb (pyxlsbwriter) and tickets.ods (odfpy),
each with the sheets 投诉 and 说明, so the tests compare every format's rows with the .xlsx's.
tickets_spill.xls has one data sheet and a voc_long_texts sheet as voc's writer makes it;
offset.xlsx and offset.xls start in column B (column A empty);
responses.xls and visits.xls hold tests/data/gap/responses.csv and tests/data/audit/visits.csv.

The writers are needed only to run this script, not by the tests or voc (so CI stays light):
    pip install --target /tmp/fixlibs xlwt==1.3.0 odfpy==1.4.1 pyxlsbwriter==0.1.0
    PYTHONPATH=/tmp/fixlibs python tools/make_legacy_workbooks.py
"""
import csv
import datetime
from pathlib import Path

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from pyxlsbwriter import XlsbWriter

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "workbooks"

HEADER = ["工单编号", "受理时间", "联系电话", "区县", "投诉内容", "满意度"]
TICKETS = [
    ["007", datetime.datetime(2026, 7, 1, 8, 30), 13800138000, "南开区", "家里宽带一到晚上就断线，重启光猫也没用。", 3],
    ["G0102", datetime.date(2026, 7, 2), 13912345678, None, "营业厅只开了一个窗口，排队等了四十分钟。", 4.5],
    [None, None, None, None, None, None],  # an empty row between rows: a row of its own
    ["G0104", datetime.datetime(2026, 7, 3, 16, 20), None, "河西区", "这个月话费多扣了十五元，查不到是什么费用。", None],
    ["G0105", datetime.datetime(2026, 7, 4, 9, 5), 4008000000, "和平区", None, 1],  # no text
]
NOTES = [["说明"], ["测试用的工单，内容为虚构。"]]
SHEETS = {"投诉": [HEADER, *TICKETS], "说明": NOTES}

# voc's writer keeps the start of a text over Excel's cell limit in the cell and the whole text,
# in parts, in voc_long_texts (sheet, row, column, part, text); short parts stand in for long ones
SPILL = {"tickets": [["编号", "内容"], ["S1", "开头"], ["S2", "短的投诉。"]],
         "voc_long_texts": [["sheet", "row", "column", "part", "text"],
                            ["tickets", 1, "内容", 1, "开头"], ["tickets", 1, "内容", 2, "和后面的部分。"]]}


# column A left empty: the readers see it, as openpyxl does (calamine starts a row at its first cell)
OFFSET = {"Sheet1": [[None, "编号", "内容"], [None, "A1", "宽带很慢"], [None, None, None], [None, "A3", "信号差"]]}


def rows_of(path: Path, numbers: bool) -> list[list]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if numbers:  # ratings as numbers, as a survey tool's export has them
        rows = [rows[0]] + [[int(v) if v.isdigit() else v for v in r] for r in rows[1:]]
    return rows


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        for row in ws.iter_rows():
            for cell in row:
                if type(cell.value) is datetime.date:
                    cell.number_format = "yyyy-mm-dd"
    wb.save(path)


def write_xls(path: Path, sheets: dict[str, list[list]]) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    date, stamp = xlwt.easyxf(num_format_str="yyyy-mm-dd"), xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if isinstance(v, datetime.datetime):
                    ws.write(i, j, v, stamp)
                elif isinstance(v, datetime.date):
                    ws.write(i, j, v, date)
                elif v is not None:
                    ws.write(i, j, v)
    wb.save(str(path))


def write_xlsb(path: Path, sheets: dict[str, list[list]]) -> None:
    with XlsbWriter(str(path)) as w:
        for name, rows in sheets.items():
            w.add_sheet(name)
            width = max(len(r) for r in rows)
            w.write_sheet([r + [None] * (width - len(r)) for r in rows])


def _ods_cell(v) -> TableCell:
    if v is None:
        return TableCell()
    if isinstance(v, str):
        cell = TableCell(valuetype="string")
    elif isinstance(v, datetime.datetime):
        cell = TableCell(valuetype="date", datevalue=v.isoformat())
    elif isinstance(v, datetime.date):
        cell = TableCell(valuetype="date", datevalue=v.isoformat())
    else:
        cell = TableCell(valuetype="float", value=repr(v))
    cell.addElement(P(text=str(v)))
    return cell


def write_ods(path: Path, sheets: dict[str, list[list]]) -> None:
    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for r in rows:
            tr = TableRow()
            for v in r:
                tr.addElement(_ods_cell(v))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write_xlsx(OUT / "tickets.xlsx", SHEETS)
    write_xls(OUT / "tickets.xls", SHEETS)
    write_xlsb(OUT / "tickets.xlsb", SHEETS)
    write_ods(OUT / "tickets.ods", SHEETS)
    write_xls(OUT / "tickets_spill.xls", SPILL)
    write_xlsx(OUT / "offset.xlsx", OFFSET)
    write_xls(OUT / "offset.xls", OFFSET)
    data = OUT.parent
    write_xls(OUT / "responses.xls", {"Sheet1": rows_of(data / "gap" / "responses.csv", numbers=True)})
    write_xls(OUT / "visits.xls", {"6月": rows_of(data / "audit" / "visits.csv", numbers=True), "说明": NOTES})
    for p in sorted(OUT.iterdir()):
        print(f"{p.relative_to(OUT.parents[2])}: {p.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
