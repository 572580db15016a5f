"""Readers for ticket exports and focus-group transcripts.

Readers are generators of pandas chunks so a ten-million-row export never sits
in memory at once. Every chunk carries ``_row`` (1-based data row number) and
``ticket_id``; original columns come through as text, untouched.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from voiceofcustomer.errors import BadRowError, ColumnError, InputError

__all__ = [
    "TableSource",
    "open_table",
    "detect_encoding",
    "read_text_lines",
    "TEXT_COLUMN_NAMES",
    "ID_COLUMN_NAMES",
    "TABLE_SUFFIXES",
    "check_input_file",
    "open_workbook",
    "read_statements",
]

TEXT_COLUMN_NAMES = (
    "内容", "投诉内容", "问题描述", "诉求内容", "工单内容", "反映内容", "投诉描述", "来电内容",
    "受理内容", "留言", "留言内容", "意见", "评论", "text", "content", "comment", "description",
)
ID_COLUMN_NAMES = ("工单编号", "工单号", "投诉编号", "流水号", "单号", "编号", "id", "ticket_id", "statement_id")
TABLE_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet",
                  ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "txt"}
_SAMPLE_BYTES = 256 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_PARQUET_MAGIC = b"PAR1"


def check_input_file(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: file not found; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file; give the file inside it")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty; export the data again")


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
        raise InputError(f"{path}: cannot tell the text encoding; give it with --encoding (e.g. --encoding gbk)")
    return best.encoding


def _decode_error(path: Path, encoding: str, where: str) -> InputError:
    other = "gbk" if encoding.lower().startswith("utf") else "utf-8"
    return InputError(f"{path}: {where}: cannot decode as {encoding}; try --encoding {other}")


def read_text_lines(path: Path, encoding: str | None = None) -> list[str]:
    """All lines of a small text file (a transcript), decoded with the detected encoding."""
    check_input_file(path)
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
        raise InputError(f"{path}: file has no text; export the data again")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass
class TableSource:
    """An opened ticket export: where the text and ids are, and a chunk generator.

    ``bad_rows`` collects ``(line, reason)`` of rows skipped with ``on_bad_rows="skip"``.
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

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Yield DataFrames of at most ``chunksize`` rows with the original columns
        (as text) plus ``_row`` and ``ticket_id``."""
        raw = {"csv": self._csv_rows, "tsv": self._csv_rows, "xlsx": self._xlsx_rows,
               "parquet": None, "jsonl": self._jsonl_rows, "txt": self._txt_rows}[self.kind]
        if raw is None:
            yield from self._parquet_chunks()
            return
        buf: list[list] = []
        rows: list[int] = []
        for row_no, values in raw():
            buf.append(values)
            rows.append(row_no)
            if len(buf) >= self.chunksize:
                yield self._frame(buf, rows)
                buf, rows = [], []
        if buf:
            yield self._frame(buf, rows)

    # -- helpers -------------------------------------------------------------------
    def _frame(self, values: list[list] | pd.DataFrame, rows: list[int]) -> pd.DataFrame:
        df = values if isinstance(values, pd.DataFrame) else pd.DataFrame(values, columns=self.columns, dtype=object)
        df.insert(0, "_row", rows)
        stem = self.path.stem
        if self.id_col:
            ids = df[self.id_col].map(lambda v: None if v is None or str(v).strip() == "" else str(v).strip())
            fallback = pd.Series([f"{stem}:{r}" for r in rows], index=df.index)
            df["ticket_id"] = ids.fillna(fallback) if ids.isna().any() else ids
        else:
            df["ticket_id"] = [f"{stem}:{r}" for r in rows]
        return df

    def _bad(self, line: int, reason: str) -> None:
        if self.on_bad_rows == "skip":
            self.bad_rows.append((line, reason))
            return
        raise BadRowError(f"{self.path}: line {line}: {reason}; fix the row or use --on-bad-rows skip")

    def _csv_rows(self):
        width = len(self.columns)
        try:
            with open(self.path, encoding=self.encoding, newline="") as fh:
                reader = csv.reader(fh, delimiter=self.delimiter or ",")
                next(reader)  # header
                row_no = 0
                start = reader.line_num + 1
                for values in reader:
                    if not values or all(not v.strip() for v in values):
                        start = reader.line_num + 1
                        continue
                    row_no += 1
                    if len(values) != width:
                        if len(values) > width and all(not v.strip() for v in values[width:]):
                            values = values[:width]  # trailing empty fields from spreadsheet exports
                        else:
                            self._bad(start, f"has {len(values)} fields, expected {width} ({', '.join(self.columns)})")
                            start = reader.line_num + 1
                            continue
                    yield row_no, values
                    start = reader.line_num + 1
        except UnicodeDecodeError:
            raise _decode_error(self.path, self.encoding, f"near line {start}") from None
        except csv.Error as exc:
            raise BadRowError(f"{self.path}: line {start}: {exc}; fix the quoting or use --on-bad-rows skip") from None

    def _xlsx_rows(self):
        wb = open_workbook(self.path)
        try:
            ws = wb[self.sheet] if self.sheet else wb.worksheets[0]
            it = ws.iter_rows(values_only=True)
            next(it, None)
            width = len(self.columns)
            row_no = 0
            for values in it:
                if values is None or all(v is None or str(v).strip() == "" for v in values):
                    continue
                row_no += 1
                vals = [None if v is None else str(v) for v in values[:width]]
                vals += [None] * (width - len(vals))
                yield row_no, vals
        finally:
            wb.close()

    def _jsonl_rows(self):
        try:
            with open(self.path, encoding=self.encoding) as fh:
                row_no = 0
                for line_no, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    row_no += 1
                    try:
                        obj = json.loads(line)
                        if not isinstance(obj, dict):
                            raise ValueError("not a JSON object")
                    except ValueError as exc:
                        self._bad(line_no, f"is not a JSON object ({exc})")
                        continue
                    yield row_no, [None if obj.get(c) is None else str(obj.get(c)) for c in self.columns]
        except UnicodeDecodeError:
            raise _decode_error(self.path, self.encoding, "a line") from None

    def _txt_rows(self):
        try:
            with open(self.path, encoding=self.encoding) as fh:
                for line_no, line in enumerate(fh, 1):
                    if line.strip():
                        yield line_no, [line.rstrip("\r\n")]
        except UnicodeDecodeError:
            raise _decode_error(self.path, self.encoding, "a line") from None

    def _parquet_chunks(self):
        import pyarrow.parquet as pq

        row = 0
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=self.chunksize, columns=self.columns):
            yield self._frame(_parquet_as_text(batch, self.columns), list(range(row + 1, row + 1 + batch.num_rows)))
            row += batch.num_rows


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
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(f"{path}: cannot open as an Excel workbook ({type(exc).__name__}); save it again as .xlsx") from None


def _pick(columns: list[str], wanted: str | None, names: tuple[str, ...], path: Path, what: str,
          required: bool) -> str | None:
    if wanted is not None:
        if wanted in columns:
            return wanted
        raise ColumnError(f"{path}: no column {wanted!r} for {what}; columns are: {', '.join(columns)}")
    lower = {c.strip().lower(): c for c in columns}
    hits = [lower[n.lower()] for n in names if n.lower() in lower]
    if len(hits) == 1:
        return hits[0]
    if not required:
        return None
    if not hits and len(columns) == 1:
        return columns[0]
    flag = "--text-col" if what == "the text" else "--id-col"
    reason = "several candidates" if hits else "no column with a known name"
    raise ColumnError(f"{path}: cannot tell which column holds {what} ({reason}); "
                      f"give it with {flag}; columns are: {', '.join(columns)}")


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


def open_table(path: str | Path, *, text_col: str | None = None, id_col: str | None = None,
               encoding: str | None = None, sheet: str | None = None, on_bad_rows: str = "error",
               chunksize: int = 20_000) -> TableSource:
    """Open a ticket export (CSV/TSV/XLSX/Parquet/JSONL/TXT) and find its text and id columns.

    Raises InputError/ColumnError with a one-line message that says what to do.
    """
    path = Path(path)
    check_input_file(path)
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: unsupported file type {path.suffix!r}; use .csv, .tsv, .xlsx, .parquet, .jsonl or .txt")
    if on_bad_rows not in ("error", "skip"):
        raise InputError(f"--on-bad-rows must be 'error' or 'skip', not {on_bad_rows!r}")
    with open(path, "rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
    common = dict(path=path, kind=kind, on_bad_rows=on_bad_rows, chunksize=chunksize)

    if kind == "xlsx":
        if not sample.startswith(_ZIP_MAGIC):
            raise InputError(f"{path}: is not an Excel .xlsx file; if it is CSV, rename it to .csv")
        wb = open_workbook(path)
        try:
            names = wb.sheetnames
            if sheet is None and len(names) > 1:
                raise InputError(f"{path}: workbook has {len(names)} sheets ({', '.join(names)}); choose one with --sheet")
            if sheet is not None and sheet not in names:
                raise InputError(f"{path}: no sheet {sheet!r}; sheets are: {', '.join(names)}")
            ws = wb[sheet] if sheet else wb.worksheets[0]
            header = next(ws.iter_rows(values_only=True, max_row=1), None)
        finally:
            wb.close()
        if not header or all(h is None for h in header):
            raise InputError(f"{path}: sheet {sheet or names[0]!r} is empty; put a header row and data in it")
        columns = _dedupe_header([None if h is None else str(h) for h in header])
        return TableSource(columns=columns, text_col=_pick(columns, text_col, TEXT_COLUMN_NAMES, path, "the text", True),
                           id_col=_pick(columns, id_col, ID_COLUMN_NAMES, path, "the id", False), sheet=sheet, **common)

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
        return TableSource(columns=columns, text_col=_pick(columns, text_col, TEXT_COLUMN_NAMES, path, "the text", True),
                           id_col=_pick(columns, id_col, ID_COLUMN_NAMES, path, "the id", False), **common)

    enc = encoding or detect_encoding(path, sample)
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

    if kind == "txt":
        return TableSource(columns=["text"], text_col="text", id_col=None, encoding=enc, **common)

    if kind == "jsonl":
        first = next((ln for ln in head_text.splitlines() if ln.strip()), "")
        try:
            obj = json.loads(first)
            if not isinstance(obj, dict):
                raise ValueError
        except ValueError:
            raise InputError(f"{path}: line 1 is not a JSON object; JSON Lines needs one object per line") from None
        columns = list(obj.keys())
        return TableSource(columns=columns, text_col=_pick(columns, text_col, TEXT_COLUMN_NAMES, path, "the text", True),
                           id_col=_pick(columns, id_col, ID_COLUMN_NAMES, path, "the id", False), encoding=enc, **common)

    delimiter = "\t" if kind == "tsv" else ","
    if kind == "csv":
        first_line = head_text.splitlines()[0] if head_text.splitlines() else ""
        counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
        if counts[","] == 0 and max(counts.values()) > 0:
            delimiter = max(counts, key=counts.get)
    try:
        header = next(csv.reader(io.StringIO(head_text), delimiter=delimiter))
    except (StopIteration, csv.Error):
        raise InputError(f"{path}: cannot read a header row; the first line must name the columns") from None
    columns = _dedupe_header(header)
    return TableSource(columns=columns, text_col=_pick(columns, text_col, TEXT_COLUMN_NAMES, path, "the text", True),
                       id_col=_pick(columns, id_col, ID_COLUMN_NAMES, path, "the id", False),
                       encoding=enc, delimiter=delimiter, **common)


def read_statements(path: str | Path) -> pd.DataFrame:
    """Read a whole statements table written by ``voc split``/``voc tag``/``voc themes``
    (CSV with or without BOM, XLSX, Parquet, JSONL), with pandas' type inference.

    For analysis-size tables (reports, items); batch tagging streams instead.
    """
    path = Path(path)
    check_input_file(path)
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    try:
        if kind in ("csv", "tsv"):
            enc = detect_encoding(path)
            df = pd.read_csv(path, encoding=enc, sep="\t" if kind == "tsv" else ",", keep_default_na=False,
                             na_values=[""], low_memory=False)
        elif kind == "xlsx":
            df = pd.read_excel(path)
        elif kind == "parquet":
            df = pd.read_parquet(path)
        elif kind == "jsonl":
            df = pd.read_json(path, lines=True, dtype=False)
        else:
            raise InputError(f"{path}: a statements table must be .csv, .xlsx, .parquet or .jsonl")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read as a statements table ({str(exc).splitlines()[0][:120]})") from None
    if "text" not in df.columns:
        raise ColumnError(f"{path}: no 'text' column; give a statements table from `voc split`/`voc tag`")
    for col in ("text", "text_raw", "statement_id"):
        if col in df.columns:
            df[col] = df[col].fillna("").astype(str)
    return df
