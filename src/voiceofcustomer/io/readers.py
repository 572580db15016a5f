"""Readers for ticket exports and focus-group transcripts.

Readers are generators of pandas chunks so a ten-million-row export never sits
in memory at once. Every chunk carries ``_row`` (1-based data row number) and
``ticket_id``; original columns come through as text, untouched.

Nothing is lost silently: every physical record of the input is either a row
(rows whose every field is empty included: they come out with empty values, and
the later stages give them a ``note``), or a bad row (an error naming its line,
or with ``on_bad_rows="skip"`` an entry in :attr:`TableSource.bad_rows`). An
unclosed quote that swallows later lines is caught and reported with the line it
starts on; the lines after that one are read again as rows. :attr:`TableSource.counts`
keeps the tally.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from voiceofcustomer.errors import BadRowError, ColumnError, InputError, column_guess
from voiceofcustomer.io.writers import LONG_TEXT_SHEET, restore_formulas

__all__ = [
    "TableSource",
    "open_table",
    "detect_encoding",
    "read_text_lines",
    "TEXT_COLUMN_NAMES",
    "TEXT_COLUMN_NAMES_MORE",
    "named_columns",
    "ID_COLUMN_NAMES",
    "answer_number_column",
    "TABLE_SUFFIXES",
    "check_input_file",
    "open_workbook",
    "read_statements",
    "CSV_FIELD_LIMIT",
    "unescape_excel",
    "ROW_NOTE",
    "FORMULA_NO_VALUE",
    "carried_note",
    "input_sheet",
    "workbook_sheet",
    "check_sheet_option",
    "inputs_shown",
    "title_rows_of",
    "SheetRow",
    "bad_row_place",
    "WORKBOOK_SUFFIXES",
    "refuse_other_spreadsheet",
    "CALAMINE_SUFFIXES",
    "read_excel_sheet",
    "merged_down",
    "file_properties",
    "parser_error",
    "check_unique_columns",
    "not_an_office_file",
    "csv_separator",
    "OWN_TEXT_COLUMN",
    "TOTALS_NOTE",
    "totals_rows",
    "HEADER_NOTE",
    "header_rows",
    "title_above_header",
    "SET_ASIDE_NOTES",
    "GARBLED_NOTE",
]

TEXT_COLUMN_NAMES = (
    "内容", "投诉内容", "问题描述", "诉求内容", "工单内容", "反映内容", "投诉描述", "来电内容",
    "受理内容", "留言", "留言内容", "意见", "评论", "text", "content", "comment", "description",
)
#: More names of the text column, looked at only when none of :data:`TEXT_COLUMN_NAMES` is
#: there: a table that holds one of those and one of these (投诉内容 beside 工单描述) reads as it did.
#: Other ticket systems' names, and Traditional forms.
TEXT_COLUMN_NAMES_MORE = (
    "客户诉求", "诉求", "工单描述", "问题详情", "投诉详情", "详细描述", "客户描述", "来电描述", "反馈内容", "意见内容",
    "评价内容", "內容", "投訴內容", "問題描述", "訴求內容", "工單內容", "留言內容", "評論", "意見",
)
ID_COLUMN_NAMES = ("工单编号", "工单号", "投诉编号", "流水号", "单号", "编号", "id", "ticket_id", "statement_id")
#: a survey platform's own number of an answer: 答卷编号, else 问卷星's 序号 beside its 提交答卷时间
_ANSWER_NUMBER, _WJX_NUMBER, _WJX_SUBMITTED = "答卷编号", "序号", "提交答卷时间"


def answer_number_column(columns) -> str | None:
    """The column of a survey export that numbers its answers as the platform does (``答卷编号``; in a 问卷星 export,
    ``序号`` beside ``提交答卷时间``), None when it has none: a survey's id when no id column is given or found by
    name (:data:`ID_COLUMN_NAMES`), so a researcher finds the answer in the platform by it (until 7 Dec 2026 it was
    the row, ``survey:1``, while a ticket export's 工单编号 was its id; ``voc tag`` and ``voc freq`` on the export
    itself needed ``--id-col 答卷编号`` until later that day). A lone ``序号`` is not taken: a ticket export's row
    number is no ticket's id."""
    names = [str(c).strip() for c in columns]
    if _ANSWER_NUMBER in names:
        return str(list(columns)[names.index(_ANSWER_NUMBER)])
    if _WJX_NUMBER in names and _WJX_SUBMITTED in names:
        return str(list(columns)[names.index(_WJX_NUMBER)])
    return None


#: Input suffix -> reader kind (``xlsx``: any workbook, opened by :func:`open_workbook`).
TABLE_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xlsx", ".xlsb": "xlsx",
                  ".ods": "xlsx", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl",
                  ".txt": "txt"}
_SAMPLE_BYTES = 256 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, and password-protected .xlsx
#: Workbooks openpyxl cannot open, read with python-calamine (ticket systems often export .xls)
CALAMINE_SUFFIXES = {".xls": "old Excel (.xls)", ".xlsb": "binary Excel (.xlsb)", ".ods": "OpenDocument (.ods)"}
#: Spreadsheets no reader here opens (a WPS .et could not be tried on a real one: refused)
_OTHER_SPREADSHEETS = {".et": "WPS (.et)", ".numbers": "Numbers (.numbers)"}
_PARQUET_MAGIC = b"PAR1"
# The csv module refuses fields over 128 KiB by default; texts of several MB are real
# (pasted logs, whole letters). 64 Mi characters is what one field may hold here; the
# reader streams line by line, so only that field needs the memory.
CSV_FIELD_LIMIT = 64 * 1024 * 1024
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
#: A chunk column the reader adds only when it has something to say about a row (e.g. an Excel
#: text cell holding a formula without a saved value): the row's ``note`` instead of "empty text".
ROW_NOTE = "_note"
FORMULA_NO_VALUE = "holds a formula with no saved value"
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


#: A letter of any script (Chinese characters included): what a text has and a number does not.
#: A value that is a number, an amount or a date and nothing else (1000, 3.5, 2026-06-01, 10:30, 12%):
#: a text column of only such values is no text. Punctuation or emoji alone (，, 😀) is a post, kept.
_NUMBERISH = r"[\d\s.,:/\-+%()]*\d[\d\s.,:/\-+%()]*"
#: The tool's own name for the text column (``voc split``'s tables; a .txt's lines): a column named so is the
#: text by the user's choice, read as given as a column given with ``text_col=`` is — never refused as numbers.
OWN_TEXT_COLUMN = "text"

_SHEET_SPEC = re.compile(r"^(.+\.(?:xls[xmb]?|ods)):([^:/\\]+)$", re.IGNORECASE)


def input_sheet(path: str | Path, sheet: str | None = None) -> tuple[Path, str | None]:
    """``(file, sheet)`` of an input: ``tickets.xlsx:投诉`` names the sheet of that workbook
    (it wins over ``--sheet``, which applies to every workbook given); any other path is the
    file itself with ``sheet``. A file that really is named ``x.xlsx:y`` stays that file."""
    p = Path(path)
    if not p.exists():
        m = _SHEET_SPEC.match(str(path))
        if m and Path(m.group(1)).is_file():
            return Path(m.group(1)), m.group(2)
    return p, sheet


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", *CALAMINE_SUFFIXES)


def inputs_shown(paths: Iterable[str | Path]) -> str:
    """The inputs as a message names them before its colon: ``a.csv``, ``a.csv, b.csv, c.csv and 2 more``."""
    files = [str(p) for p in paths]
    return ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")


def check_sheet_option(paths: Iterable[str | Path], sheet: str | None) -> None:
    """``--sheet`` chooses a sheet of the workbooks given: refused in one line naming the input(s)
    when none of ``paths`` is a workbook (``voc tag tickets.csv --sheet 2月``), instead of being
    ignored while the user expects a sheet to be chosen. A folder or pattern of partitions may
    hold workbooks and passes; so does a path that is not a file (its reader says what is wrong)."""
    if sheet is None:
        return
    files = [input_sheet(p)[0] for p in paths]
    if not files or any(f.suffix.lower() in WORKBOOK_SUFFIXES or not f.is_file() for f in files):
        return
    if len(files) == 1:
        raise InputError(f"{files[0]}: is not an Excel workbook, so sheet={sheet!r} does not apply; leave sheet= "
                         "out (it chooses a sheet of a workbook: .xlsx, .xls, .xlsb, .ods)", params=("sheet",))
    raise InputError(f"{inputs_shown(files)}: none is an Excel workbook, so sheet={sheet!r} does not apply; leave sheet= out "
                     "(it chooses a sheet of the workbooks among them: .xlsx, .xls, .xlsb, .ods)", params=("sheet",))


def workbook_sheet(path: Path, wb, sheet: str | None, *, choose: str | None = None, hint: str = "") -> str:
    """The name of the sheet of workbook ``wb`` (opened from ``path``) to read: ``sheet``, or its
    only data sheet. One line naming the file and its sheets when it has none with data, when
    ``sheet`` is None and it has several (``choose`` says how to pick one; default: ``sheet=`` or
    ``FILE.xlsx:SHEET``), or when it has no sheet ``sheet`` (``hint`` is added). Every reader of
    workbooks (tickets, survey responses, audit visits and checklists) says the same."""
    names = [ws.title for ws in _data_sheets(wb)]
    if not names:
        raise InputError(f"{path}: workbook has no sheets with data; save it again as .xlsx")
    if sheet is None and len(names) > 1:
        raise InputError(f"{path}: workbook has {len(names)} sheets ({', '.join(names)}); choose one "
                         f"{choose or f'with sheet=, or give the file as {path}:SHEET'}", params=("sheet",))
    if sheet is not None and sheet not in wb.sheetnames:
        raise InputError(f"{path}: no sheet {sheet!r}; its sheets are: {', '.join(names)}{hint}", params=("sheet",))
    return sheet or names[0]


def carried_note(value) -> bool:
    """True for a row note a reader gave (it stays the row's ``note`` through split and tag)."""
    return isinstance(value, str) and (FORMULA_NO_VALUE in value or value in SET_ASIDE_NOTES or value == GARBLED_NOTE)


#: The note of a row that sums the export up (``合计,,,,共330条``, ``总计：330``): no ticket. The reader gives it
#: (:func:`totals_rows`), ``voc split`` leaves the row's text empty, ``voc tag`` labels it as an empty text and keeps
#: this note, and :func:`voiceofcustomer.statements.counted_mask` never counts a row that has it.
TOTALS_NOTE = "a totals row, not a ticket"
#: a totals label, alone or with its count: 合计, 总计：330, 共计 共330条, Total 330
_TOTALS_LABEL = re.compile(r"(?:合计|合計|总计|總計|小计|小計|共计|共計|汇总|匯總|total|grand total|subtotal|sum)"
                           r"\s*[:：]?\s*(?:共?\s*\d[\d,，.]*\s*(?:条|條|件|单|單|笔|筆|张|張|个|個)?)?", re.IGNORECASE)
#: what the other cells of a totals row may hold: a count (共330条, 330条) or a number (330, 1,234.5, 98%)
_TOTALS_OTHER = re.compile(r"共?\s*\d[\d,，.]*\s*(?:条|條|件|单|單|笔|筆|张|張|个|個)?|" + _NUMBERISH)


def totals_rows(df: pd.DataFrame, columns: list[str], text_col: str | None) -> np.ndarray:
    """Which rows of ``df`` (the input's ``columns`` as text) are an export's totals row, not a ticket: its text
    cell, or its first cell, is a totals label (合计/总计/小计/共计/汇总/Total, alone or with a count: 合计：330,
    共计 共330条) and every other cell is empty or a count or a number (``合计,,,,共330条``). Conservative: a
    complaint that begins with 合计 (合计扣了我三百块…) is a ticket, and so is a row with any other word in it."""
    out = np.zeros(len(df), dtype=bool)
    if not len(df) or not columns:
        return out
    at = [c for c in dict.fromkeys([text_col, columns[0]]) if c is not None and c in df.columns]
    label = np.zeros(len(df), dtype=bool)
    for c in at:
        v = df[c].astype("string").str.strip()
        label |= v.str.fullmatch(_TOTALS_LABEL.pattern, case=False).fillna(False).to_numpy(dtype=bool)
    for i in np.flatnonzero(label):  # rare: a few rows of an export at most
        cells = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
                 for v in df.iloc[i][columns].tolist()]
        out[i] = all(not v or _TOTALS_OTHER.fullmatch(v) or (columns[j] in at and _TOTALS_LABEL.fullmatch(v))
                     for j, v in enumerate(cells))
    return out


#: The note of a row that repeats the header row (``工单编号,受理时间,区县,投诉内容`` again among the rows: the pages or
#: months of an export pasted into one file): no ticket, set aside as a totals row is (:func:`header_rows`).
HEADER_NOTE = "a repeated header row, not a ticket"
#: The notes of rows that are no ticket: ``voc split`` gives them no text, ``voc tag`` an empty text's labels with
#: the note, and :func:`voiceofcustomer.statements.counted_mask` never counts them.
SET_ASIDE_NOTES = (TOTALS_NOTE, HEADER_NOTE)
#: The note of a ticket whose text looks garbled (:func:`voiceofcustomer.text.garbled.looks_garbled`: mojibake,
#: 锟斤拷, ``??????``): a ticket, but no words to label or count. ``voc split`` gives it no text (its ``text_raw``
#: keeps what was there), ``voc tag`` an empty text's labels, ``needs_review`` and this note, and
#: :func:`voiceofcustomer.statements.counted_mask` never counts it.
GARBLED_NOTE = ("the text looks garbled (mojibake, 锟斤拷 or ???: characters lost to a wrong encoding), not counted; "
                "check the file's encoding (--encoding gbk or utf-8) or export it again")


def _header_names(column: str) -> set[str]:
    """What a repeated header row holds in ``column``'s cell: its name, or for a name the reader made
    unique (``投诉内容_2`` of a second 投诉内容) the name the header gives, case aside."""
    names = {column.casefold()}
    m = re.fullmatch(r"(.+)_\d+", column)
    if m:
        names.add(m.group(1).casefold())
    return names


def header_rows(df: pd.DataFrame, columns: list[str], text_col: str | None) -> np.ndarray:
    """Which rows of ``df`` (the input's ``columns`` as text) repeat the header row, not a ticket: the text cell
    holds the text column's name and every other cell is empty or its own column's name, two cells or more named
    so (``工单编号,受理时间,区县,投诉内容`` in the middle of an export whose pages or months were pasted together).
    Conservative: a row with any other value (a ticket whose text is 投诉内容 beside its id and date) is a ticket,
    and a table of one column has no such row."""
    out = np.zeros(len(df), dtype=bool)
    if not len(df) or len(columns) < 2 or text_col is None or text_col not in df.columns:
        return out
    text_names = _header_names(text_col)
    v = df[text_col].astype("string").str.strip().str.casefold()
    names = [_header_names(c) for c in columns]
    for i in np.flatnonzero(v.isin(text_names).fillna(False).to_numpy(dtype=bool)):  # rare: a few rows at most
        cells = ["" if x is None or (isinstance(x, float) and np.isnan(x)) else str(x).strip().casefold()
                 for x in df.iloc[i][columns].tolist()]
        named = [c in n for c, n in zip(cells, names)]
        out[i] = sum(named) >= 2 and all(ok or not c for ok, c in zip(named, cells))
    return out


def title_above_header(header: list[str], second: list[str], names_columns) -> str | None:
    """The title of a sheet whose row 1 is a title — alone in its first cell, often merged across
    (``2026年营业厅服务质量调查 数据导出``, ``2026年11月门店暗访评分表``) — over the header in row 2, or None.
    ``header`` and ``second`` are the cells of rows 1 and 2 as text (``""`` for an empty cell);
    ``names_columns(second)`` says whether row 2 names the table's columns (a survey's ``E_``/``P_`` and
    序号, a store check's 门店, 编号, 得分 …). One rule for ``voc gap`` and ``voc audit``: a title there
    stopped the run, or was read as a column's name."""
    filled = [h for h in header if h]
    if len(filled) != 1 or not header or not header[0]:
        return None
    return header[0] if names_columns(second) else None


def title_rows_of(path: str | Path, source: "TableSource | None") -> list[dict]:
    """The title row ``source`` (a table opened from ``path``) was read under, as runs say it (``voc audit``'s
    shape): ``[{"file", "title", "header_row", "title_row"}]``, or ``[]`` for a table whose header is row 1."""
    if source is None or source.title is None:
        return []
    return [{"file": Path(path).name, "title": source.title, "header_row": source.header_row,
             "title_row": source.header_row - 1}]


def ticket_title(first: list, second: list, text_col: str | tuple[str, ...] | None) -> str | None:
    """The title of a ticket export whose row 1 is a title (``2026年10月全省投诉工单明细`` alone in A1, often merged
    across the columns, as a ticket system's Excel export or a sheet saved as CSV has it) over the header in row 2,
    or None: :func:`title_above_header`, row 2 naming two columns or more, one of them the text (``text_col``, or a
    name of :data:`TEXT_COLUMN_NAMES` / :data:`TEXT_COLUMN_NAMES_MORE`). Why: the title was read as the only column's
    name and every row stopped the run ('has a value in column B … beyond the 1 named columns'), where ``voc gap``
    and ``voc audit`` read such a sheet."""
    def cells(row):
        return ["" if c is None else str(c).strip().lstrip("\ufeff") for c in (row or ())]

    wanted = (text_col,) if isinstance(text_col, str) else tuple(text_col or ())

    def names_columns(row):
        filled = [c for c in row if c]
        if len(filled) < 2:
            return False
        if wanted:
            return any(w in row for w in wanted)
        return bool(named_columns(filled, TEXT_COLUMN_NAMES) or named_columns(filled, TEXT_COLUMN_NAMES_MORE))

    return title_above_header(cells(first), cells(second), names_columns)


def unescape_excel(v):
    """Decode Excel's ``_xHHHH_`` escapes (control characters, ``\\r``; ``_x005F_`` is ``_``),
    which openpyxl's read-only mode leaves in the text."""
    if isinstance(v, str) and "_x" in v:
        return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), v)
    return v


def _raise_field_limit() -> None:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)


def refuse_other_spreadsheet(path: Path) -> None:
    """Raise a one-line InputError saying how to convert a spreadsheet this reader cannot open
    (WPS ``.et``, ``.numbers``); nothing for other files."""
    what = _OTHER_SPREADSHEETS.get(Path(path).suffix.lower())
    if what:
        raise InputError(f"{path}: {what} files cannot be read; open it in Excel or WPS, save it as .xlsx "
                         "(or as .csv), and give that file")


def file_properties(path: str | Path) -> dict[str, str]:
    """What a voc writer stored inside a file (``TableWriter(properties=…)``): a Parquet file's
    schema metadata or an .xlsx workbook's custom document properties; ``{}`` for other formats,
    other tools' files, or a file that cannot be read that way (the table reader says why later).
    Reads only the footer or ``docProps/custom.xml``, never the rows."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if TABLE_SUFFIXES.get(suffix) == "parquet":
            import pyarrow.parquet as pq

            meta = pq.read_schema(path).metadata or {}
            return {k.decode("utf-8", "replace"): v.decode("utf-8", "replace") for k, v in meta.items()
                    if k != b"pandas"}
        if suffix in (".xlsx", ".xlsm"):
            import zipfile
            import xml.etree.ElementTree as ET

            with zipfile.ZipFile(path) as book:
                if "docProps/custom.xml" not in book.namelist():
                    return {}
                root = ET.fromstring(book.read("docProps/custom.xml"))
            return {p.get("name"): "".join(p.itertext()) for p in root if p.get("name")}
    except Exception:  # noqa: BLE001 - not ours, or unreadable: the reader names the problem itself
        return {}
    return {}


def parser_error(path: Path, exc: Exception) -> InputError:
    """pandas' ``ParserError`` of a CSV read with ``pandas.read_csv`` as the readers here say a bad row:
    the line and what is wrong with it, not the parser's words ('Error tokenizing data. C error: Expected
    6 fields in line 5, saw 9', 'EOF inside string starting at row 3')."""
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if fields:
        want, line, saw = fields.groups()
        return InputError(f"{path}: line {line}: has {saw} fields, expected {want}; fix the row (a value with a "
                          "comma in it needs quotes around it)")
    quote = re.search(r"EOF inside string starting at row (\d+)", text)
    if quote:  # pandas counts rows from 0 at the header: row N is line N + 1
        return InputError(f"{path}: line {int(quote.group(1)) + 1}: a quote opened here is never closed (it runs to "
                          "the end of the file); close it or remove it")
    return InputError(f"{path}: {text}; fix that row")


#: The part every file of a kind has: what tells a .docx or .xlsx from another zip.
_OFFICE_PARTS = {"docx": ("word/document.xml", "a Word document", ".docx"),
                 "xlsx": ("xl/workbook.xml", "an Excel workbook", ".xlsx")}


def not_an_office_file(path: Path, kind: str, exc: BaseException) -> InputError:
    """The one line for a .docx or .xlsx (``kind``) its library could not open: what the file is
    instead, from its first bytes — a zip of other files (named; unzip it), an old .doc/.xls or a
    protected file, or text — and what to do; else the library's complaint. It said '(KeyError)' for a
    zip of a CSV named .docx."""
    import zipfile

    part, what, suffix = _OFFICE_PARTS[kind]
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SAMPLE_BYTES)
    except OSError:
        head = b""
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if not n.endswith("/")]
        except (zipfile.BadZipFile, OSError, ValueError):
            return InputError(f"{path}: is a damaged or incomplete zip file, not {what}; copy or export it again")
        if part not in names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            return InputError(f"{path}: is a zip archive of other files ({shown or 'none'}), not {what}; unzip it "
                              "and give the file inside")
    elif head.startswith(_OLE_MAGIC):
        old = "a Word 97–2003 (.doc)" if kind == "docx" else "an old Excel (.xls)"
        return InputError(f"{path}: is {old} file or a password-protected one, not {suffix}; open it in Office or WPS, "
                          f"save it as {suffix} without a password, and give that file")
    elif head and b"\x00" not in head[:4096]:
        return InputError(f"{path}: is text, not {what}; if it is a transcript or CSV, rename it to .txt or .csv")
    return InputError(f"{path}: cannot open as {what} ({type(exc).__name__}); save it again as {suffix}")


def csv_separator(path: Path, encoding: str, default: str = ",") -> str:
    """``\t`` for a .csv whose first line has tabs and no comma — Excel's "Unicode text" (UTF-16,
    tab-separated) saved or renamed as .csv — else ``default``; as :func:`open_table` tells them apart.
    Read as commas, its header was one column named 'respondent_id\tstore\t…'."""
    try:
        with open(path, encoding=encoding, newline="") as fh:
            first = next((ln for ln in fh if ln.strip()), "")
    except (UnicodeDecodeError, LookupError, OSError):
        return default  # the reader says what is wrong
    return "\t" if "," not in first and "\t" in first else default


def check_unique_columns(path: Path, header: Iterable) -> None:
    """One line when the header row (as the file has it, before pandas makes ``得分.1`` of a second
    ``得分``) names two columns alike: which one holds the values would be a guess. The survey
    response, audit visit and checklist readers say it the same way."""
    seen = set()
    for h in header:
        h = ("" if h is None else str(h)).strip().lstrip("\ufeff").strip()
        if h and h in seen:
            raise ColumnError(f"{path}: column {h!r} appears more than once; keep one of them")
        seen.add(h)


#: what to do about an empty input, said after what is wrong: a table or tickets are exported again
EXPORT_AGAIN = "export the data again"


def check_input_file(path: Path, redo: str = EXPORT_AGAIN) -> None:
    """Raise a one-line InputError unless ``path`` is a readable, non-empty file (``redo``: what to do about an
    empty one — a transcript is not exported, it is saved again)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file; give the file inside it")
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or type(exc).__name__)
        raise InputError(f"{path}: cannot be read ({reason}); check its permissions") from None
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty; {redo}")


def detect_encoding(path: Path, sample: bytes | None = None) -> str:
    """Guess a text file's encoding from its first bytes: UTF-8 (with or without
    BOM) or GB18030 (a superset of GBK/GB2312), else charset-normalizer's best guess.

    Raises InputError for files that are binary, not text.
    """
    if sample is None:
        with open(path, "rb") as fh:
            sample = fh.read(_SAMPLE_BYTES)
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if sample.startswith(_ZIP_MAGIC):
        raise InputError(f"{path}: is a zip/Excel/Word file, not text; save it with the right extension (.xlsx or .docx)")
    if b"\x00" in sample:
        raise InputError(f"{path}: looks like a binary file, not text; export it as CSV, Excel, Parquet or JSONL")
    cut = sample
    for _ in range(4):  # the sample may end in the middle of a multi-byte character
        try:
            cut.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start < len(cut) - 4:
                break
            cut = cut[:-1]
    for candidate in ("gb18030", "big5"):
        cut = sample
        for _ in range(4):
            try:
                cut.decode(candidate)
                return candidate
            except UnicodeDecodeError as exc:
                if exc.start < len(cut) - 4:
                    break
                cut = cut[:-1]
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise InputError(f"{path}: cannot tell the text encoding; give it with encoding= (e.g. encoding='gbk')",
                         params=("encoding",))
    return best.encoding


def _decode_error(path: Path, encoding: str, where: str) -> InputError:
    """The encoding to try is the one the file's first bytes suggest, when it is another one
    (a GBK file given ``encoding="big5"`` was told to try utf-8); else the usual other one."""
    import codecs

    other = "gbk" if encoding.lower().startswith("utf") else "utf-8"
    try:
        guess = detect_encoding(path)
        given = codecs.lookup(encoding).name
        if codecs.lookup(guess).name != given:
            other = "gbk" if guess == "gb18030" and given != "gbk" else guess  # the name users know
    except (InputError, LookupError, OSError):
        pass
    return InputError(f"{path}: {where}: cannot decode as {encoding}; try encoding={other!r}", params=("encoding",))


def read_text_lines(path: Path, encoding: str | None = None, redo: str = EXPORT_AGAIN) -> list[str]:
    """All lines of a small text file (a transcript), decoded with the detected encoding (``redo``: what to do
    about an empty one, as :func:`check_input_file`)."""
    check_input_file(path, redo)
    enc = encoding or detect_encoding(path)
    try:
        with open(path, encoding=enc, newline="") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        with open(path, "rb") as fh:
            line = fh.read()[: exc.start].count(b"\n") + 1
        raise _decode_error(path, enc, f"line {line}") from None
    except LookupError:
        raise InputError(f"{path}: unknown encoding {enc!r}; use e.g. utf-8, gbk, gb18030") from None
    if not text.strip():
        raise InputError(f"{path}: file has no text; {redo}")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


class SheetRow(int):
    """A bad row's number in a workbook (.xlsx, .xls …): the sheet's row as Excel shows it, which messages call
    ``row 7`` as ``voc audit`` and ``voc gap`` do; a text file's bad row is its line (a plain int, ``line 7``).
    An int, so the ``line`` column of ``*.skipped.csv`` holds the number either way (:func:`bad_row_place`)."""

    __slots__ = ()


def bad_row_place(line: int | str) -> str:
    """Where a bad row is, as messages say it: ``row 7`` of a workbook (:class:`SheetRow`), ``line 7`` of a text
    file, ``lines 4-9`` of a record spanning lines. Until 7 Dec 2026 a workbook's row 7 was 'line 7'."""
    if isinstance(line, SheetRow):
        return f"row {int(line)}"
    return f"lines {line}" if isinstance(line, str) else f"line {line}"


@dataclass
class TableSource:
    """An opened ticket export: where the text and ids are, and a chunk generator.

    ``bad_rows`` collects ``(line, reason)`` of rows skipped with ``on_bad_rows="skip"`` (a workbook's line is
    its sheet row, a :class:`SheetRow`: :func:`bad_row_place`).
    ``counts`` tallies, after :meth:`chunks` has run, the physical records read
    (``records``), the rows produced (``rows``, of which ``empty_rows`` have no content),
    the ``bad`` records and the ``blank_lines`` between records;
    ``records == rows + bad`` always holds, else the reader raises.
    """

    path: Path
    kind: str
    columns: list[str]
    text_col: str
    id_col: str | None
    encoding: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    on_bad_rows: str = "error"
    chunksize: int = 20_000
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    #: names the header gives more than one column -> their positions (1-based); read as NAME, NAME_2, …
    repeated: dict[str, list[int]] = field(default_factory=dict)
    _notes: dict[int, str] = field(default_factory=dict, repr=False)  # row -> note, until its chunk is made
    _formula_note: str = field(default="", repr=False)  # first text cell with a formula and no value
    #: the text column was found by one of the names of an export (投诉内容, content …), not given nor named
    #: ``text``: a column of numbers only is refused (:meth:`_look_for_words`)
    text_found: bool = False
    _no_words: list = field(default_factory=list, repr=False)  # [texts with a value, an example]; [] once a word is read
    #: the prefix of the ticket ids made for an export without an id column (``<prefix>:<row>``;
    #: default the file's stem; ``split_inputs`` tells apart inputs that share a stem)
    id_prefix: str | None = None
    #: the sheet row (CSV line) of the header: 2 under a title row (``2026年10月全省投诉工单明细`` alone in A1,
    #: often merged across; :func:`ticket_title`), else 1
    header_row: int = 1
    #: that title, or None
    title: str | None = None

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Yield DataFrames of at most ``chunksize`` rows with the original columns
        (as text) plus ``_row`` and ``ticket_id``.

        Raises InputError naming the input when it has no data rows or only empty ones
        (after the rows were yielded, so an atomic writer leaves its target alone).
        """
        self.counts = {"records": 0, "rows": 0, "empty_rows": 0, "bad": 0, "blank_lines": 0}
        self.bad_rows.clear()
        self._no_words = [0, None] if self.text_found and self.text_col != OWN_TEXT_COLUMN else []
        if self.kind == "parquet":  # whole record batches, column by column (10⁷-row files)
            for frame, rows in self._parquet_rows():
                n = len(frame)
                self.counts["records"] += n
                self.counts["rows"] += n
                empty = np.ones(n, dtype=bool)
                for c in frame.columns:
                    v = frame[c]
                    empty &= (v.isna() | v.astype(str).str.strip().eq("")).to_numpy(dtype=bool)
                self.counts["empty_rows"] += int(empty.sum())
                yield self._look_for_words(self._frame(frame, rows))
            self._check_counts()
            return
        raw = {"csv": self._csv_rows, "tsv": self._csv_rows, "xlsx": self._xlsx_rows,
               "jsonl": self._jsonl_rows, "txt": self._txt_rows}[self.kind]
        buf: list[list] = []
        rows: list[int] = []
        for row_no, values in raw():
            self.counts["rows"] += 1
            if _blank_row(values):
                self.counts["empty_rows"] += 1
            buf.append(values)
            rows.append(row_no)
            if len(buf) >= self.chunksize:
                yield self._look_for_words(self._frame(buf, rows))
                buf, rows = [], []
        if buf:
            yield self._look_for_words(self._frame(buf, rows))
        self._check_counts()

    def check_rows(self) -> None:
        """Read up to the first row with content, so that an input without one fails now,
        before any output or progress, with the error :meth:`chunks` would give at its end
        (no data rows, only empty rows, all rows malformed) — or a bad row before it with
        ``on_bad_rows="error"``. Reads a few lines for CSV/TSV/JSONL/TXT; a Parquet file's
        row count was checked when it was opened."""
        if self.kind == "parquet":
            return
        raw = {"csv": self._csv_rows, "tsv": self._csv_rows, "xlsx": self._xlsx_rows,
               "jsonl": self._jsonl_rows, "txt": self._txt_rows}[self.kind]
        counts, bad = dict(self.counts), list(self.bad_rows)
        self.counts = {"records": 0, "rows": 0, "empty_rows": 0, "bad": 0, "blank_lines": 0}
        rows = raw()
        try:
            for _row, values in rows:
                if not _blank_row(values):
                    return
        finally:
            rows.close()
            self.counts, self.bad_rows[:] = counts, bad
        for _ in self.chunks():  # nothing with content: the whole input is read for the same message
            pass
        self.counts, self.bad_rows[:] = counts, bad

    # -- helpers -------------------------------------------------------------------
    def _look_for_words(self, df: pd.DataFrame) -> pd.DataFrame:
        """Note whether the text column found by its name has held a word yet (a letter or a Chinese
        character), until it has: a column of numbers only (1000, 2026-06-01, 13800138000) found by an
        export's name (投诉内容, content …) is a wrong guess, and its rows were labelled none/other with no
        word said (see :meth:`_check_counts`). A column given (``text_col=``) or named ``text``
        (:data:`OWN_TEXT_COLUMN`: the tool's own tables, a .txt's lines, a table the user named so) is the
        user's choice and is read as given, whether or not the table has a ``statement_id``."""
        if self._no_words and self.text_col in df.columns:
            texts = df[self.text_col].dropna().astype(str).str.strip()
            texts = texts[texts != ""]
            if not texts.str.fullmatch(_NUMBERISH).all():
                self._no_words = []
            elif len(texts):
                self._no_words[0] += len(texts)
                self._no_words[1] = self._no_words[1] or texts.iloc[0]
        return df

    def _check_counts(self) -> None:
        c = self.counts
        c["bad"] = len(self.bad_rows)
        if c["records"] != c["rows"] + c["bad"]:  # a reader bug, never the user's data
            raise InputError(f"{self.path}: read {c['records']} records but produced {c['rows']} rows and "
                             f"{c['bad']} bad rows; please report this with the file")
        if c["rows"] == 0:
            what = f"all {c['bad']} data rows are malformed" if c["bad"] else "has a header but no data rows"
            raise InputError(f"{self.path}: {what}; nothing to do, no output was written")
        if c["empty_rows"] == c["rows"] and self._formula_note:
            raise InputError(f"{self.path}: the text cells (e.g. {self._formula_note}) {FORMULA_NO_VALUE}: the "
                             "workbook was never opened and saved in a spreadsheet program; open and save it in "
                             "Excel or LibreOffice, or export the values, and read it again")
        if c["empty_rows"] == c["rows"]:
            raise InputError(f"{self.path}: all {c['rows']} data rows are empty; nothing to do, "
                             "no output was written; check the export")
        if self._no_words and self._no_words[0]:
            raise ColumnError(f"{self.path}: column {self.text_col!r} holds no words, only numbers (e.g. "
                              f"{self._no_words[1][:40]!r}, in all {self._no_words[0]} rows with a value), so it "
                              "is not the text; give the column that holds the text with text_col=; nothing was "
                              f"written; columns are: {', '.join(self.columns)}", params=("text_col",))

    def _frame(self, values: list[list] | pd.DataFrame, rows: list[int]) -> pd.DataFrame:
        df = values if isinstance(values, pd.DataFrame) else pd.DataFrame(values, columns=self.columns, dtype=object)
        totals = totals_rows(df, self.columns, self.text_col)
        if totals.any():  # a totals row (合计,,,,共330条) is said, never read as a ticket
            self.counts["totals_rows"] = self.counts.get("totals_rows", 0) + int(totals.sum())
            for r in np.asarray(rows)[totals]:
                self._notes.setdefault(int(r), TOTALS_NOTE)
        headers = header_rows(df, self.columns, self.text_col)
        if headers.any():  # the header row again (pages of an export pasted together): said, never a ticket
            self.counts["header_rows"] = self.counts.get("header_rows", 0) + int(headers.sum())
            for r in np.asarray(rows)[headers]:
                self._notes.setdefault(int(r), HEADER_NOTE)
        df.insert(0, "_row", rows)
        if self._notes:
            notes = [self._notes.pop(r, None) for r in rows]
            if any(notes):
                df[ROW_NOTE] = pd.Series(notes, index=df.index, dtype=object)
        stem = self.id_prefix or self.path.stem
        if "ticket_id" in self.columns and self.id_col != "ticket_id":
            return df  # the input's own ticket_id (a statements table): never overwritten
        if self.id_col:
            ids = df[self.id_col].map(lambda v: None if v is None or str(v).strip() == "" else str(v).strip())
            fallback = pd.Series([f"{stem}:{r}" for r in rows], index=df.index)
            df["ticket_id"] = ids.fillna(fallback) if ids.isna().any() else ids
        else:
            df["ticket_id"] = [f"{stem}:{r}" for r in rows]
        return df

    def _bad(self, line: int | str, reason: str) -> None:
        if self.on_bad_rows == "skip":
            self.bad_rows.append((line, reason))
            return
        raise BadRowError(f"{self.path}: {bad_row_place(line)}: {reason}; fix the row or use on_bad_rows='skip'",
                          params=("on_bad_rows",))

    def _swallowed(self, values: list[str]) -> int:
        """How many lines inside a quoted field look like whole records of this table
        (an unclosed quote ran over them); 0 when the field is ordinary multi-line text.

        A line looks like a record when it splits into exactly as many fields as the
        header and, if the table has an id column, its id has the shape of this record's
        id (letters, digits and punctuation in the same order, e.g. ``GD001``/``GD017``).
        Without an id column only tables of three or more columns are checked.
        """
        width = len(self.columns)
        id_pos = self.columns.index(self.id_col) if self.id_col else None
        if width < 2 or (id_pos is None and width < 3):
            return 0
        delim = self.delimiter or ","
        own_shape = None
        for value in values:
            if ("\n" not in value and "\r" not in value) or value.count(delim) < width - 1:
                continue  # cheap test first: a swallowed row brings its delimiters along
            if id_pos is not None and own_shape is None:
                own_shape = _shape(values[id_pos]) if id_pos < len(values) else ""
                if not own_shape:
                    return 0
            lines = [ln for ln in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:] if ln.strip()]
            if not lines:
                continue
            looks = 0
            for ln in lines:
                fields = next(csv.reader([ln], delimiter=delim), [])
                if len(fields) != width or (id_pos is not None and _shape(fields[id_pos]) != own_shape):
                    break
                looks += 1
            else:
                return looks
        return 0

    def _csv_rows(self):
        """Records of a CSV/TSV file. A record broken by a stray quote is one bad row, its
        first line (where the quote opens); its other lines are read again as records, so
        one unclosed quote never takes the valid rows after it along."""
        width = len(self.columns)
        _raise_field_limit()
        lines = None
        try:
            with open(self.path, encoding=self.encoding, newline="") as fh:
                lines = _RecordLines(fh, self.delimiter or ",")
                try:
                    for _ in range(self.header_row):  # the header (and a title above it)
                        next(lines.reader)
                except (StopIteration, csv.Error):
                    return
                row_no = 0
                while True:
                    lines.begin()
                    try:
                        values = next(lines.reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:
                        start, end = lines.start, lines.end
                        self.counts["records"] += 1
                        row_no += 1
                        msg = str(exc)
                        if "field larger than field limit" in msg:
                            reason = (f"a field longer than {CSV_FIELD_LIMIT:,} characters starts here; "
                                      "if a quote is not closed, close it, else shorten the text")
                        elif "unexpected end of data" in msg:
                            reason = (f"a quote opened here is never closed (it runs to the end of the file, "
                                      f"line {end})")
                        else:
                            reason = f"quote problem ({msg}); a quote opened here is probably not closed"
                        if end > start:
                            lines.read_again()  # the stray quote is on the first line: the rest are records
                        self._bad(start, reason)
                        continue
                    start, end = lines.start, lines.end
                    if not values:  # a line with nothing on it: not a record
                        self.counts["blank_lines"] += end - start + 1
                        continue
                    self.counts["records"] += 1
                    row_no += 1
                    if len(values) != width:
                        if len(values) > width and all(not v.strip() for v in values[width:]):
                            values = values[:width]  # trailing empty fields from spreadsheet exports
                        elif len(values) < width and all(not v.strip() for v in values):
                            values = [""] * width  # an empty row with fewer separators
                    if end > start:
                        looks = self._swallowed(values)
                        if looks or len(values) != width:
                            lines.read_again()
                            if looks:
                                self._bad(start, f"a quote opened here is probably not closed (it runs to line {end} "
                                          f"and takes in {looks} lines that look like rows)")
                            else:
                                self._bad(start, f"a quote opened here runs to line {end} and the row then has "
                                          f"{len(values)} fields, expected {width}; the quote is probably not closed")
                            continue
                    if len(values) != width:
                        self._bad(start, f"has {len(values)} fields, expected {width} ({', '.join(self.columns)})")
                        continue
                    # a quote can only start a cell the writer quoted: most rows have none at all
                    yield row_no, [restore_formulas(v) for v in values] if "'" in "".join(values) else values
        except UnicodeDecodeError:
            raise _decode_error(self.path, self.encoding, f"near line {lines.start if lines else 1}") from None

    def _xlsx_rows(self):
        wb = open_workbook(self.path)
        formulas = None
        try:
            ws = wb[self.sheet] if self.sheet else _data_sheets(wb)[0]
            spilled = _spilled_texts(wb, ws.title)
            it = ws.iter_rows(values_only=True)
            for _ in range(self.header_row):  # the header (and a title above it)
                next(it, None)
            below = self.header_row  # a data row's sheet row is its number below the header plus this
            width = len(self.columns)
            text_j = self.columns.index(self.text_col)
            formulas = _UncachedFormulas(self.path, wb, ws, text_j + 1)
            unescape = _unescape_for(wb)
            row_no = 0
            pending: list[int] = []  # empty rows are held back: trailing ones are formatting, not records
            for sheet_row, values in enumerate(it, 1):
                row_no += 1
                if values is None or all(v is None or str(v).strip() == "" for v in values):
                    if formulas(sheet_row + below):  # =A2 never calculated: not an empty row
                        self._notes[row_no] = formulas.note(sheet_row + below)
                    else:
                        pending.append(row_no)
                        continue
                for r in pending:
                    self.counts["records"] += 1
                    yield r, [""] * width
                pending = []
                self.counts["records"] += 1
                if len(values) > width and any(v is not None and str(v).strip() for v in values[width:]):
                    from openpyxl.utils import get_column_letter

                    j = next(j for j, v in enumerate(values[width:], width) if v is not None and str(v).strip())
                    self._bad(SheetRow(row_no + below), f"has a value in column {get_column_letter(j + 1)} "
                              f"({str(values[j]).strip()[:20]!r}) beyond the {width} named columns "
                              f"({', '.join(self.columns)}): cells that slipped to the right, or a column "
                              "with no name (name it in the header row)")
                    continue
                vals = [None if v is None else restore_formulas(unescape(str(v))) for v in values[:width]]
                vals += [None] * (width - len(vals))
                if vals[text_j] is None and row_no not in self._notes and formulas(sheet_row + below):
                    self._notes[row_no] = formulas.note(sheet_row + below)
                if spilled:
                    for j, c in enumerate(self.columns):
                        full = spilled.get((sheet_row, c))
                        if full is not None:
                            vals[j] = restore_formulas(full)
                yield row_no, vals
            self.counts["blank_lines"] += len(pending)
        finally:
            if formulas is not None:
                self._formula_note = formulas.first_note
                formulas._close()
            wb.close()

    def _jsonl_rows(self):
        try:
            with open(self.path, encoding=self.encoding, newline="") as fh:
                row_no = 0
                for line_no, line in enumerate(_lf_lines(fh), 1):
                    if not line.strip():
                        self.counts["blank_lines"] += 1
                        continue
                    row_no += 1
                    self.counts["records"] += 1
                    try:
                        obj = json.loads(line)
                        if not isinstance(obj, dict):
                            raise ValueError("not a JSON object")
                    except ValueError as exc:
                        self._bad(line_no, f"is not a JSON object ({str(exc)[:80]})")
                        continue
                    extra = [k for k in obj if k not in self.columns and obj[k] not in (None, "")]
                    if extra:
                        self._bad(line_no, f"has keys not on line 1 ({', '.join(map(str, extra[:5]))}); "
                                  "every line needs the same keys")
                        continue
                    yield row_no, [None if obj.get(c) is None else str(obj.get(c)) for c in self.columns]
        except UnicodeDecodeError:
            raise _decode_error(self.path, self.encoding, "a line") from None

    def _txt_rows(self):
        try:
            with open(self.path, encoding=self.encoding, newline="") as fh:
                for line_no, line in enumerate(_lf_lines(fh), 1):
                    line = line.rstrip("\r\n")
                    if line.strip():
                        self.counts["records"] += 1
                        yield line_no, [line]
                    else:
                        self.counts["blank_lines"] += 1
        except UnicodeDecodeError:
            raise _decode_error(self.path, self.encoding, "a line") from None

    def _parquet_rows(self):
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(self.path, pre_buffer=False)  # pre-buffering keeps every row group read: memory grows
        row = 0
        try:
            for batch in pf.iter_batches(batch_size=self.chunksize, columns=self.columns):
                yield _parquet_as_text(batch, self.columns), list(range(row + 1, row + 1 + batch.num_rows))
                row += batch.num_rows
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read row {row + 1} of the Parquet file ({str(exc)[:120]}); "
                             "export it again") from None
        if row != pf.metadata.num_rows:
            raise InputError(f"{self.path}: the Parquet file says {pf.metadata.num_rows} rows but {row} could be "
                             "read; export it again")


class _RecordLines:
    """The lines of a CSV file for ``csv.reader``, keeping those of the record being read
    so that a record broken by a stray quote can be read again from its second line.

    ``start``/``end`` are the first and last line of the last record read (1-based; the
    header is line 1).
    """

    def __init__(self, fh, delimiter: str):
        self._fh = iter(fh)
        self._delimiter = delimiter
        self._again: list[str] = []  # lines to hand out again, last first
        self._kept: list[str] = []
        self.start = 1
        self.reader = self._reader()

    @property
    def end(self) -> int:
        return self.start + len(self._kept) - 1

    def begin(self) -> None:
        """A new record starts after the lines of the last one."""
        self.start += len(self._kept)
        self._kept.clear()

    def read_again(self) -> None:
        """Drop the last record's first line; its other lines are read again (by a new
        reader: the old one may have seen the end of the file)."""
        self._again.extend(reversed(self._kept[1:]))
        self.start += 1
        self._kept.clear()
        self.reader = self._reader()

    def _reader(self):
        return csv.reader(self._lines(), delimiter=self._delimiter, strict=True)

    def _lines(self):  # a generator: a Python-level __next__ per line costs half the read time
        again, kept = self._again, self._kept
        while again:
            line = again.pop()
            kept.append(line)
            yield line
        for line in self._fh:
            kept.append(line)
            yield line


def _blank_row(values: list) -> bool:
    """True when every cell is None or whitespace (one join for a row of strings)."""
    try:
        return not "".join(values).strip()
    except TypeError:  # numbers, dates, None (spreadsheets, JSON)
        return all(v is None or not str(v).strip() for v in values)


def _shape(value: str) -> str:
    """``GD0017`` → ``A9``: runs of letters and digits collapsed, other characters kept."""
    value = value.strip()
    if not value or any(ch.isspace() for ch in value):
        return ""
    return re.sub(r"[^\W\d_]+", "A", re.sub(r"\d+", "9", value))


def _lf_lines(fh):
    """Lines split at ``\\n`` only (a lone ``\\r`` inside a line is text, not a line break)."""
    tail = ""
    while True:
        block = fh.read(1 << 16)
        if not block:
            break
        block = tail + block
        lines = block.split("\n")
        tail = lines.pop()
        for ln in lines:
            yield ln + "\n"
    if tail:
        yield tail


def _unescape_for(wb):
    """:func:`unescape_excel` for an openpyxl workbook; nothing to undo in what calamine gives (it
    decodes an .xlsx's escapes, and .xls, .xlsb and .ods have none: _x0041_ there is text)."""
    return (lambda v: v) if isinstance(wb, _CalamineBook) else unescape_excel


def _spilled_texts(wb, sheet_name: str) -> dict[tuple[int, str], str]:
    """Full texts the writer moved to the long-text sheet, by (sheet row, column)."""
    if LONG_TEXT_SHEET not in wb.sheetnames or sheet_name == LONG_TEXT_SHEET:
        return {}
    parts: dict[tuple[int, str], list[tuple[int, str]]] = {}
    it = wb[LONG_TEXT_SHEET].iter_rows(values_only=True)
    if next(it, None) is None:
        return {}
    unescape = _unescape_for(wb)
    for rec in it:
        if rec is None or len(rec) < 5 or rec[0] != sheet_name or rec[1] is None:
            continue
        parts.setdefault((int(rec[1]), str(rec[2])), []).append((int(rec[3] or 0), unescape(rec[4] or "")))
    return {k: "".join(t for _, t in sorted(v)) for k, v in parts.items()}


class _UncachedFormulas:
    """Which cells of the text column hold a formula with no saved value (a workbook written by
    a program, e.g. openpyxl, and never opened in Excel: read for values, such a cell is empty).

    Asked only for rows whose text cell is empty, in row order. The first question scans the
    sheet's XML for formula elements (one pass over the compressed part, no parsing); only a
    sheet that has formulas is then read a second time, for formulas, up to the row asked
    about. A workbook without empty text cells costs nothing."""

    def __init__(self, path: Path, wb, ws, column: int):
        self._path, self._wb, self._ws, self._column = path, wb, ws, column
        # python-calamine (.xls, .xlsb, .ods) gives no formulas: such a cell is just empty there
        self._has_formulas: bool | None = False if isinstance(wb, _CalamineBook) else None
        self._rows = None  # the text column's cells, read with formulas
        self._next = 2  # sheet row of the next tuple of self._rows (row 1 is the header)
        self._cell = None
        self._book = None
        self.first_note = ""  # the first such cell (e.g. B2), for the message when every row is one

    def __call__(self, sheet_row: int) -> bool:
        if self._has_formulas is None:
            self._has_formulas = _sheet_has_formulas(self._wb, self._ws)
        if not self._has_formulas:
            return False
        if self._rows is None:
            import openpyxl

            self._book = openpyxl.load_workbook(self._path, read_only=True, data_only=False)
            self._rows = self._book[self._ws.title].iter_rows(min_row=2, min_col=self._column, max_col=self._column)
        while self._next <= sheet_row:
            cells = next(self._rows, None)
            if cells is None:
                self._has_formulas = False
                self._close()
                return False
            self._cell = cells[0] if cells else None
            self._next += 1
        return self._cell is not None and getattr(self._cell, "data_type", None) == "f"

    def note(self, sheet_row: int) -> str:
        from openpyxl.utils import get_column_letter

        self.first_note = self.first_note or f"{get_column_letter(self._column)}{sheet_row}"
        return (f"text cell {get_column_letter(self._column)}{sheet_row} {FORMULA_NO_VALUE} "
                f"({str(self._cell.value)[:40]}; the workbook was never opened and saved in a spreadsheet program); "
                "open and save it in Excel or LibreOffice, or export the values, and read it again")

    def _close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None

    def __del__(self):
        self._close()


def _sheet_has_formulas(wb, ws) -> bool:
    """Whether the sheet's XML has a formula element, by a scan of its bytes (True when the
    part cannot be found: then the formulas are looked up)."""
    archive, part = getattr(wb, "_archive", None), getattr(ws, "_worksheet_path", None)
    if archive is None or not part:
        return True
    try:
        with archive.open(part) as fh:
            tail = b""
            while block := fh.read(1 << 20):
                if _FORMULA_TAG.search(tail + block):
                    return True
                tail = block[-32:]
    except (KeyError, OSError, ValueError):
        return True
    return False


def _data_sheets(wb) -> list:
    """The workbook's sheets without the long-text spill sheet the writer adds."""
    return [ws for ws in wb.worksheets if ws.title != LONG_TEXT_SHEET]


def _check_parquet_text(path: Path, field, columns: list[str]) -> None:
    """One line when a Parquet file's text column holds lists, records, maps or bytes, not text: read
    as text each cell became Python's spelling of it (``['宽带' '断网']``, ``{'x': 1}``, ``b'…'``),
    which was labelled and written back in place of the user's value."""
    import pyarrow as pa

    t = field.type
    if pa.types.is_nested(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t) \
            or pa.types.is_fixed_size_binary(t):
        raise ColumnError(f"{path}: column {field.name!r} holds {t} values, not text; give the column that holds "
                          f"the text with text_col=, or export the file again with the text as a string column; "
                          f"columns are: {', '.join(columns)}", params=("text_col",))


def _parquet_as_text(batch, columns: list[str]) -> pd.DataFrame:
    """A record batch as object columns of ``str`` (``None`` for nulls), like the other readers.

    Column by column rather than cell by cell (a ten-million-row file has 10⁸ cells):
    text columns come straight from Arrow; others go through pandas and ``str``.
    """
    import pyarrow as pa

    out = {}
    texts = [pa.types.is_string(c.type) or pa.types.is_large_string(c.type) for c in batch.columns]
    others = batch.select([i for i, t in enumerate(texts) if not t]).to_pandas() if not all(texts) else None
    for name, col, is_text in zip(columns, batch.columns, texts):
        if is_text:
            out[name] = col.to_numpy(zero_copy_only=False).astype(object, copy=False)
        else:  # through pandas with the file's metadata (nullable integers stay integers)
            values = others[name].astype(object).to_numpy()
            missing = pd.isna(values)
            text = np.array(list(map(str, values)), dtype=object) if len(values) else np.zeros(0, dtype=object)
            text[missing] = None
            out[name] = text
    return pd.DataFrame({n: pd.Series(v, dtype=object, copy=False) for n, v in out.items()}, columns=columns)


def open_workbook(path: Path):
    """A workbook to read values from: openpyxl's read-only workbook for .xlsx/.xlsm, a
    :class:`_CalamineBook` (python-calamine) for .xls, .xlsb and .ods, which offers the same
    calls. One line naming the file when it cannot be opened."""
    path = Path(path)
    if path.suffix.lower() in CALAMINE_SUFFIXES:
        return _CalamineBook(path)
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise not_an_office_file(path, "xlsx", exc) from None


def read_excel_sheet(path: Path, sheet: str, **kwargs) -> pd.DataFrame:
    """``pandas.read_excel`` of one sheet with the engine :func:`open_workbook` uses for the file
    (openpyxl for .xlsx/.xlsm, python-calamine for .xls, .xlsb and .ods)."""
    path = Path(path)
    if path.suffix.lower() not in CALAMINE_SUFFIXES:
        return pd.read_excel(path, sheet_name=sheet, engine="openpyxl", **kwargs)
    try:
        with open(path, "rb") as fh:  # a file object: calamine goes by the content, as _CalamineBook does
            return pd.read_excel(fh, sheet_name=sheet, engine="calamine", **kwargs)
    except BaseException as exc:
        if not _calamine_failure(exc):
            raise
        raise _unreadable_workbook(path, exc) from None


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def merged_down(path: Path, sheet: str) -> list[tuple[int, int, int]]:
    """The cells of an .xlsx/.xlsm sheet merged down one column: ``(column, first_row, last_row)``, 1-based as
    Excel numbers them; merges over several columns are not listed, and nothing for other files (.xls, .ods:
    python-calamine does not say). Why: a visit's 门店, 类型 and 日期 merged over its rows keep their value in the
    first row only, and every other row read as a blank (``row 3: date '' is not a date``)."""
    path = Path(path)
    if path.suffix.lower() in CALAMINE_SUFFIXES:
        return []
    import zipfile

    from openpyxl.utils import column_index_from_string

    wb = open_workbook(path)
    try:
        inner = getattr(wb[sheet], "_worksheet_path", None)
    finally:
        wb.close()
    if not inner:
        return []
    with zipfile.ZipFile(path) as z:
        xml = z.read(inner)
    out = []
    for c1, r1, c2, r2 in _MERGE_REF.findall(xml[xml.rfind(b"<mergeCells"):] if b"<mergeCells" in xml else b""):
        if c1 == c2 and int(r2) > int(r1):
            out.append((column_index_from_string(c1.decode()), int(r1), int(r2)))
    return out


def _calamine_failure(exc: BaseException) -> bool:
    """An error of python-calamine (a Rust panic on a damaged file is a BaseException)."""
    from python_calamine import CalamineError

    return isinstance(exc, CalamineError) or type(exc).__name__ == "PanicException"


def _unreadable_workbook(path: Path, exc: BaseException) -> InputError:
    from python_calamine import PasswordError

    what = CALAMINE_SUFFIXES.get(path.suffix.lower(), "Excel")
    if isinstance(exc, PasswordError):
        return InputError(f"{path}: the {what} workbook is password-protected; open it in Excel or WPS, save it "
                          "as .xlsx without a password (or as .csv), and give that file")
    reason = " ".join(str(exc).split())[:100] or type(exc).__name__
    return InputError(f"{path}: cannot be read as {_a(what)} workbook ({reason}); it may be damaged or "
                      "password-protected: open it in Excel or WPS, save it as .xlsx (or as .csv), and give that file")


def _a(what: str) -> str:
    """``what`` with its article: an old Excel (.xls), a binary Excel (.xlsb)."""
    return f"{'an' if what[:1].lower() in 'aeiou' else 'a'} {what}"


class _CalamineBook:
    """A workbook openpyxl cannot open (.xls, .xlsb, .ods), read with python-calamine and offered
    through the calls the readers make of an openpyxl read-only workbook: ``sheetnames``,
    ``worksheets`` (their ``title``), ``wb[name].iter_rows(values_only=True, max_row=…)`` and
    ``close()``. Values come as openpyxl gives them (:func:`_calamine_value`). The format is
    told from the file's content, so an .xlsx saved under the name .xls is read too.

    calamine reads a whole sheet into memory when it is opened (``wb[name]``; the rows are then
    handed out one by one). An .xls sheet has at most 65,536 rows × 256 columns, so that is
    bounded; an .xlsb or .ods sheet is not (docs/io.md says so). python-calamine gives no
    formulas: a formula cell without a saved value reads as empty, with no row note."""

    def __init__(self, path: Path):
        import python_calamine

        self._path = path
        try:
            with open(path, "rb") as fh:
                self._book = python_calamine.CalamineWorkbook.from_filelike(fh)
            self.sheetnames = [m.name for m in self._book.sheets_metadata
                               if m.typ == python_calamine.SheetTypeEnum.WorkSheet]  # no chart sheets
        except BaseException as exc:
            if not _calamine_failure(exc):
                raise
            raise _unreadable_workbook(path, exc) from None
        self.worksheets = [_CalamineSheet(self, name) for name in self.sheetnames]

    def __getitem__(self, name: str) -> "_CalamineSheet":
        if name not in self.sheetnames:
            raise KeyError(name)
        return _CalamineSheet(self, name)

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None


class _CalamineSheet:
    def __init__(self, book: _CalamineBook, title: str):
        self._book, self.title = book, title

    def iter_rows(self, values_only: bool = True, max_row: int | None = None):
        """Rows from the sheet's row 1 on, each from column A (as openpyxl's), as tuples."""
        try:
            sheet = self._book._book.get_sheet_by_name(self.title)
            start = sheet.start
        except BaseException as exc:
            if not _calamine_failure(exc):
                raise
            raise _unreadable_workbook(self._book._path, exc) from None
        if start is None:  # an empty sheet (calamine's row iterator needs a cell)
            return
        # calamine's rows start at row 1 (those above the first cell come empty), but each row
        # starts at the first column with a cell: the columns before it are put back as empty
        lead = None
        for i, row in enumerate(sheet.iter_rows()):
            if max_row is not None and i >= max_row:
                return
            if lead is None:
                lead = (None,) * max(0, sheet.end[1] + 1 - len(row))
            yield lead + tuple(map(_calamine_value, row))


def _calamine_value(v):
    """A python-calamine cell value as openpyxl gives the same cell of an .xlsx: None for an empty
    cell (calamine gives ""), a whole number as int (.xls and .ods store every number as a float:
    13800138000 read "13800138000.0"; as openpyxl, from 10¹⁵ on a float stays one), a date as a
    datetime at midnight (``2026-01-02 00:00:00``, as the .xlsx path gives it)."""
    t = type(v)
    if t is str:
        return v if v else None
    if t is float and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if t is datetime.date:
        return datetime.datetime(v.year, v.month, v.day)
    return v


def named_columns(columns: Iterable[str], names: tuple[str, ...]) -> list[str]:
    """The columns whose name (case and surrounding spaces aside) is one of ``names``, in the order of
    ``names``; for the text (:data:`TEXT_COLUMN_NAMES`), the names of :data:`TEXT_COLUMN_NAMES_MORE`
    when none of the usual ones is there, then a name made of such names (``客户诉求/投诉内容``). The one rule for a file's columns and a DataFrame's
    (:func:`voiceofcustomer.statements.statement_columns`)."""
    lower = {str(c).strip().lower(): c for c in columns}
    hits = [lower[n.lower()] for n in names if n.lower() in lower]
    if not hits and names is TEXT_COLUMN_NAMES:  # only when none of the usual names is there
        hits = [lower[n.lower()] for n in TEXT_COLUMN_NAMES_MORE if n.lower() in lower]
    if not hits and names is TEXT_COLUMN_NAMES:  # 客户诉求/投诉内容, 投诉内容（客户原话）: a name made of known names
        known = {n.lower() for n in (*TEXT_COLUMN_NAMES, *TEXT_COLUMN_NAMES_MORE)}
        hits = [c for key, c in lower.items()
                if len(parts := [p for p in _NAME_PARTS.split(key) if p.strip()]) > 1
                and any(p.strip() in known for p in parts)]
    return hits


#: what parts a column's name is made of: 客户诉求/投诉内容, 投诉内容（客户原话）, 诉求 | 内容
_NAME_PARTS = re.compile(r"[/／|｜、\\()（）\[\]【】]")


def _pick(columns: list[str], wanted: str | tuple[str, ...] | None, names: tuple[str, ...], path: Path, what: str,
          required: bool, guessed: str | None = None) -> str | None:
    """The column for ``what``: ``wanted`` (of several wanted, the one the file has), else the one with a known
    name (for the text, a name
    of :data:`TEXT_COLUMN_NAMES_MORE` when none of :data:`TEXT_COLUMN_NAMES` is there). ``guessed``: the
    encoding the file was read with when it was detected, not given, and is not UTF: the
    message then says that garbled names mean another encoding (a Big5 file reads as GB18030)."""
    hint = (f"; the file was read as {guessed} (detected): if these names look garbled, give its encoding "
            "(e.g. encoding='big5')") if guessed and not guessed.lower().startswith("utf") else ""
    if isinstance(wanted, tuple):  # several given (a survey's and a ticket export's): the one this file has
        here = [w for w in wanted if w in columns]
        if len(here) == 1:
            return here[0]
        given = ", ".join(repr(w) for w in wanted)
        param = "text_col" if what == "the text" else "id_col"
        if here:
            raise ColumnError(f"{path}: has {' and '.join(repr(w) for w in here)}, several of the columns given for "
                              f"{what} ({given}), so which holds it is not clear; read this file in a run of its own "
                              "with one of them", params=("encoding",))
        guess = next((g for g in (column_guess(w, columns) for w in wanted) if g), "")
        raise ColumnError(f"{path}: no column for {what} among those given ({given}){guess}; give its column with one "
                          f"more {param}=; columns are: {', '.join(columns)}{hint}", params=(param, "encoding"))
    if wanted is not None:
        if wanted in columns:
            return wanted
        raise ColumnError(f"{path}: no column {wanted!r} for {what}{column_guess(wanted, columns)}; columns are: "
                          f"{', '.join(columns)}{hint}",
                          params=("encoding",))
    hits = named_columns(columns, names)
    if len(hits) == 1:
        return hits[0]
    if not hits and names is ID_COLUMN_NAMES:  # a survey platform's export: its answer number (答卷编号)
        return answer_number_column(columns)
    if not required:
        return None
    if not hits and len(columns) == 1:
        return columns[0]
    param = "text_col" if what == "the text" else "id_col"
    reason = "several candidates" if hits else "no column with a known name"
    raise ColumnError(f"{path}: cannot tell which column holds {what} ({reason}); "
                      f"give it with {param}=; columns are: {', '.join(columns)}{hint}", params=(param, "encoding"))


def _picked(path: Path, header: list, columns: list[str], text_col: str | None, id_col: str | None,
            guessed: str | None = None) -> dict[str, str | None]:
    """``text_col`` and ``id_col`` of a table whose header row is ``header`` (as the file has it) and
    ``columns`` (:func:`_dedupe_header`'s names). One line when the column found by its name (not given)
    has a name the header gives two columns: the first was read and the other, named ``NAME_2``, went through as a column of
    the user's, so a file whose text was in the second 投诉内容 was labelled on the first, silently."""
    picked = {"text_col": _pick(columns, text_col, TEXT_COLUMN_NAMES, path, "the text", True, guessed=guessed),
              "id_col": _pick(columns, id_col, ID_COLUMN_NAMES, path, "the id", False)}
    raw = [(h or "").strip().lstrip("\ufeff") or f"column_{i + 1}" for i, h in enumerate(header)]
    repeated: dict[str, list[int]] = {}
    for j, h in enumerate(raw):
        repeated.setdefault(h, []).append(j + 1)
    repeated = {h: at for h, at in repeated.items() if len(at) > 1}
    for param, col in picked.items():
        if col is None or col not in repeated or {"text_col": text_col, "id_col": id_col}[param] is not None:
            continue  # given by name: chosen
        first, second = repeated[col][:2]
        what = "the text" if param == "text_col" else "the id"
        raise ColumnError(f"{path}: columns {first} and {second} are both named {col!r}, so which holds {what} is "
                          f"not clear; rename one in the file, or give {param}={col!r} for the first or "
                          f"{param}={columns[second - 1]!r} for the second", params=(param,))
    return {**picked, "repeated": repeated}


def _names_tab_columns(head_text: str, text_col: str | None) -> bool:
    """Whether a .txt's first line is a header of tab-separated columns, one of them the text
    (``text_col``, or a known name such as 投诉内容): what Excel writes when a sheet is saved as
    "Unicode text" (UTF-16) or "text (tab delimited)". Otherwise the file is one ticket per line."""
    first = head_text.split("\n", 1)[0].rstrip("\r")
    fields = [f.strip().strip('"') for f in first.split("\t")]
    if len(fields) < 2:
        return False
    if text_col is not None:
        return any(c in fields for c in ((text_col,) if isinstance(text_col, str) else text_col))
    known = {n.lower() for n in (*TEXT_COLUMN_NAMES, *TEXT_COLUMN_NAMES_MORE)}
    return any(f.lower() in known for f in fields)


def _named_header(header) -> list:
    """The header row without its trailing cells that name no column. A spreadsheet writes such cells when a cell
    to the right of the table holds something (Excel pads every row of a sheet, and of a CSV saved from it, to the
    used range), so a complaint whose end slipped into the next cell, or a stray note, made an unnamed column
    ``column_7`` that carried it silently; a value there is beyond the named columns, a bad row, as in a CSV whose
    header is shorter than the row. Unnamed columns between named ones stay (``column_1``)."""
    n = len(header)
    while n and (header[n - 1] is None or not str(header[n - 1]).strip().lstrip("\ufeff")):
        n -= 1
    return list(header[:n])


def _dedupe_header(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(header):
        h = (h or "").strip().lstrip("\ufeff") or f"column_{i + 1}"
        if h in seen:
            seen[h] += 1
            h = f"{h}_{seen[h]}"
        else:
            seen[h] = 1
        out.append(h)
    return out


def _ole_named_xlsx(path: Path) -> str:
    """The message for an .xlsx that is an OLE container: an .xls under the wrong name (calamine
    opens it) or, most often, a password-protected workbook."""
    import python_calamine

    try:
        with open(path, "rb") as fh:
            python_calamine.CalamineWorkbook.from_filelike(fh).close()
    except BaseException as exc:
        if not _calamine_failure(exc):
            raise
        return (f"{path}: is an old Excel (.xls) workbook or a password-protected one, not .xlsx; open it in Excel "
                "or WPS, save it as .xlsx without a password (or as .csv), and give that file")
    return f"{path}: is an old Excel (.xls) workbook saved under the name .xlsx; rename it to .xls and give that file"


def _text_named_workbook(path: Path, suffix: str, head_text: str, sheet: str | None) -> str:
    """``tsv`` or ``csv`` for a text table saved under a workbook's name (ticket systems write
    tab-separated text and call it .xls), from its first line; a one-line error for an HTML or
    XML page (an HTML table named .xls) and for text that is no table."""
    start = head_text.lstrip()
    if start.startswith("<"):
        page = "a web page (HTML)" if re.search(r"<(html|table|body|meta)\b", start[:4096], re.IGNORECASE) else "an XML file"
        raise InputError(f"{path}: is {page} saved as {suffix}, not a workbook; open it in Excel or WPS, save it "
                         "as .xlsx (or as .csv), and give that file")
    first = start.split("\n", 1)[0]
    if "\t" not in first and "," not in first:
        raise InputError(f"{path}: is text, not {_a(CALAMINE_SUFFIXES[suffix])} workbook, and its first line names no "
                         "columns (no tab or comma); open it in Excel or WPS, save it as .xlsx (or as .csv), and "
                         "give that file")
    kind = "tsv" if "\t" in first else "csv"
    if sheet is not None:
        raise InputError(f"{path}: is {'tab' if kind == 'tsv' else 'comma'}-separated text named {suffix}, not a "
                         f"workbook, so sheet={sheet!r} does not apply; leave sheet= out", params=("sheet",))
    return kind


def given_columns(col: str | Sequence[str] | None) -> str | tuple[str, ...] | None:
    """``text_col`` or ``id_col`` as the readers take it: None, one name, or a tuple of two or more names (given for
    inputs whose text, or id, is in different columns: each file reads the one it has)."""
    if col is None or isinstance(col, str):
        return col
    names = tuple(dict.fromkeys(str(c) for c in col))
    return names[0] if len(names) == 1 else names or None


def open_table(path: str | Path, *, text_col: str | Sequence[str] | None = None,
               id_col: str | Sequence[str] | None = None,
               encoding: str | None = None, sheet: str | None = None, on_bad_rows: str = "error",
               chunksize: int = 20_000) -> TableSource:
    """Open a ticket export (CSV/TSV, a workbook: XLSX, XLS, XLSB, ODS; Parquet/JSONL/TXT) and find
    its text and id columns. An .xls that holds tab- or comma-separated text is read as such.
    ``text_col`` may name several columns (``["您对我们的服务还有什么建议？", "投诉内容"]``, inputs of one run whose
    text is in different columns): the file's text is the one of them it has; ``id_col`` likewise
    (``["工单编号", "受理流水"]``: the file's ids are in the one of them it has).

    Raises InputError/ColumnError with a one-line message that says what to do.
    """
    text_col, id_col = given_columns(text_col), given_columns(id_col)
    given = sheet
    path, sheet = input_sheet(path, sheet)
    named_here = sheet is not given  # FILE.xlsx:SHEET
    check_input_file(path)
    suffix = path.suffix.lower()
    kind = TABLE_SUFFIXES.get(suffix)
    if kind is None:
        refuse_other_spreadsheet(path)
        raise InputError(f"{path}: unsupported file type {path.suffix!r}; use .csv, .tsv, .xlsx, .xls, .xlsb, .ods, "
                         ".parquet, .jsonl or .txt")
    if on_bad_rows not in ("error", "skip"):
        raise InputError(f"on_bad_rows= must be 'error' or 'skip', not {on_bad_rows!r}", params=("on_bad_rows",))
    with open(path, "rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
    named_as = None  # the suffix of a workbook on a text file (ticket systems write tab-separated text as .xls)
    if kind == "xlsx" and suffix in CALAMINE_SUFFIXES and not sample.startswith((_OLE_MAGIC, _ZIP_MAGIC)):
        named_as, kind = suffix, "tsv"  # or csv: told from the first line below
    common = dict(path=path, kind=kind, on_bad_rows=on_bad_rows, chunksize=chunksize, text_found=text_col is None)

    if kind == "xlsx":
        if suffix not in CALAMINE_SUFFIXES and sample.startswith(_OLE_MAGIC):
            raise InputError(_ole_named_xlsx(path))
        if suffix not in CALAMINE_SUFFIXES and not sample.startswith(_ZIP_MAGIC):
            raise InputError(f"{path}: is not an Excel .xlsx file; if it is CSV, rename it to .csv")
        wb = open_workbook(path)
        try:
            ws = wb[workbook_sheet(path, wb, sheet, choose=f"with sheet= (every workbook given), or for this file only "
                                                           f"give it as {path}:SHEET",
                                   hint="" if named_here else f"; sheet= applies to every workbook given: name this "
                                                              f"file's sheet as {path}:SHEET")]
            top = list(ws.iter_rows(values_only=True, max_row=2))
            unescape = _unescape_for(wb)
        finally:
            wb.close()
        header = top[0] if top else None
        title = ticket_title(header, top[1], text_col) if len(top) > 1 else None
        if title is not None:  # a title in row 1 (merged across), the header in row 2
            common.update(header_row=2, title=title)
            header = top[1]
        header = _named_header(header or ())
        if not header:
            raise InputError(f"{path}: sheet {ws.title!r} is empty; put a header row and data in it")
        header = [None if h is None else unescape(str(h)) for h in header]
        columns = _dedupe_header(header)
        return TableSource(columns=columns, sheet=sheet, **common,
                           **_picked(path, header, columns, text_col, id_col))

    if kind == "parquet":
        import pyarrow.parquet as pq

        if not sample.startswith(_PARQUET_MAGIC):
            raise InputError(f"{path}: is not a Parquet file; check the file or its extension")
        try:
            meta = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises ArrowInvalid/OSError for broken files
            raise InputError(f"{path}: cannot read as Parquet ({exc}); export it again") from None
        columns = list(meta.schema_arrow.names)
        if meta.metadata.num_rows == 0:
            raise InputError(f"{path}: Parquet file has no rows; export the data again")
        text = _pick(columns, text_col, TEXT_COLUMN_NAMES, path, "the text", True)
        _check_parquet_text(path, meta.schema_arrow.field(text), columns)
        return TableSource(columns=columns, text_col=text,
                           id_col=_pick(columns, id_col, ID_COLUMN_NAMES, path, "the id", False), **common)

    try:
        enc = encoding or detect_encoding(path, sample)
    except InputError:
        if named_as:  # binary, but no workbook calamine reads (e.g. Excel 2.1–4.0, before the OLE container)
            raise InputError(f"{path}: is not a workbook that can be read ({CALAMINE_SUFFIXES[named_as]} files are, "
                             "from Excel 97 on); open it in Excel or WPS, save it as .xlsx (or as .csv), and give that "
                             "file") from None
        raise
    try:
        head_text = sample.decode(enc, errors="strict" if len(sample) < _SAMPLE_BYTES else "ignore")
    except UnicodeDecodeError:
        raise _decode_error(path, enc, "the first lines") from None
    except LookupError:
        raise InputError(f"{path}: unknown encoding {enc!r}; use e.g. utf-8, gbk, gb18030") from None
    if enc == "utf-8-sig":
        head_text = head_text.lstrip("\ufeff")
    if not head_text.strip():
        raise InputError(f"{path}: file has no text; export the data again")
    if named_as:
        kind = common["kind"] = _text_named_workbook(path, named_as, head_text, sheet)

    if kind == "txt":
        if not _names_tab_columns(head_text, text_col):
            return TableSource(columns=[OWN_TEXT_COLUMN], text_col=OWN_TEXT_COLUMN, id_col=None, encoding=enc,
                               **common)
        kind = common["kind"] = "tsv"  # Excel's "Unicode text" / "text (tab delimited)" is a .txt

    if kind == "jsonl":
        try:  # the whole first line (it may be longer than the sample; U+2028 is not a line break)
            with open(path, encoding=enc, newline="") as fh:
                first = next((ln for ln in _lf_lines(fh) if ln.strip()), "")
        except UnicodeDecodeError:
            raise _decode_error(path, enc, "line 1") from None
        try:
            obj = json.loads(first)
            if not isinstance(obj, dict):
                raise ValueError
        except ValueError:
            raise InputError(f"{path}: line 1 is not a JSON object; JSON Lines needs one object per line") from None
        columns = list(obj.keys())
        return TableSource(columns=columns, text_col=_pick(columns, text_col, TEXT_COLUMN_NAMES, path, "the text", True,
                                                           guessed=None if encoding else enc),
                           id_col=_pick(columns, id_col, ID_COLUMN_NAMES, path, "the id", False), encoding=enc, **common)

    delimiter = "\t" if kind == "tsv" else ","
    if kind == "csv":
        first_line = head_text.splitlines()[0] if head_text.splitlines() else ""
        counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
        if counts[","] == 0 and max(counts.values()) > 0:
            delimiter = max(counts, key=counts.get)
    _raise_field_limit()
    try:
        top = csv.reader(io.StringIO(head_text), delimiter=delimiter, strict=True)
        header = next(top)
    except (StopIteration, csv.Error):
        raise InputError(f"{path}: cannot read a header row; the first line must name the columns") from None
    try:
        second = next(top, None)
    except csv.Error:  # a quote problem in line 2 is the reader's to report
        second = None
    title = ticket_title(header, second, text_col) if second is not None else None
    if title is not None:  # a sheet with a title row saved as CSV: 2026年11月投诉工单明细,,,,, over the header
        common.update(header_row=2, title=title)
        header = second
    if any("\n" in h or "\r" in h for h in header):
        raise InputError(f"{path}: line 1: a quote in the header row is not closed; the first line must name the columns")
    header = _named_header(header) or header
    columns = _dedupe_header(header)
    return TableSource(columns=columns, encoding=enc, delimiter=delimiter, **common,
                       **_picked(path, header, columns, text_col, id_col, guessed=None if encoding else enc))


def read_statements(path: str | Path, **kwargs) -> pd.DataFrame:
    """Moved to :func:`voiceofcustomer.statements.read_statements` (kept for earlier callers)."""
    from voiceofcustomer.statements import read_statements as _read

    return _read(path, **kwargs)
