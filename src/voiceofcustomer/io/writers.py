"""Table writers: streaming, atomic (temp file + rename), format from the extension.

CSV is written as UTF-8 with BOM so Excel opens Chinese text correctly. Text
cells that begin with ``= + - @`` are prefixed with ``'`` in CSV and Excel output
so a spreadsheet never runs them as formulas (CSV injection).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer.errors import InputError, VocError

__all__ = ["TableWriter", "write_table", "neutralize_formulas", "atomic_path", "OUTPUT_SUFFIXES"]

OUTPUT_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl"}
_EXCEL_MAX_ROWS = 1_048_575
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with = + - @ (tab, CR) with a quote; numbers are left alone."""
    out = None
    for col in df.columns:
        s = df[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            # only the (rare) columns holding such a cell are copied and rewritten
            if not _any_formula(s):
                continue
            out = df.copy() if out is None else out
            out[col] = s.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return df.copy() if out is None else out


_FORMULA_AT_START = re.compile("(?:^|\x00)[" + re.escape("".join(FORMULA_START)) + "]")


def _any_formula(s: pd.Series) -> bool:
    """Whether any text cell of ``s`` starts like a formula (one regex scan for all-text columns)."""
    values = s.to_numpy(dtype=object)
    try:
        return _FORMULA_AT_START.search("\x00".join(values)) is not None
    except TypeError:  # None, NaN or numbers among the texts
        return any(isinstance(v, str) and v.startswith(FORMULA_START) for v in values)


class atomic_path:
    """Context manager giving a temp path next to ``target``; renamed onto it on success, removed on error."""

    def __init__(self, target: str | Path):
        self.target = Path(target)

    def __enter__(self) -> Path:
        parent = self.target.parent
        if str(parent) and not parent.exists():
            parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=parent or ".")
        os.close(fd)
        self.tmp = Path(tmp)
        return self.tmp

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)
        return False


def _jsonable(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


class TableWriter:
    """Write DataFrame chunks to CSV/XLSX/Parquet/JSONL, atomically.

    Usage::

        with TableWriter("out.csv") as w:
            for chunk in chunks:
                w.write(chunk)
    """

    def __init__(self, path: str | Path, *, sheet_name: str = "statements"):
        self.path = Path(path)
        self.format = OUTPUT_SUFFIXES.get(self.path.suffix.lower())
        if self.format is None:
            raise InputError(f"{self.path}: unsupported output type {self.path.suffix!r}; use .csv, .xlsx, .parquet or .jsonl")
        self.sheet_name = sheet_name
        self.rows = 0
        self._columns: list[str] | None = None
        self._atomic = atomic_path(self.path)
        self._handle = None

    def __enter__(self):
        self._tmp = self._atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self._finish()
            else:
                self._abort()
        finally:
            self._atomic.__exit__(exc_type, exc, tb)
        return False

    def write(self, df: pd.DataFrame) -> None:
        if self._columns is None:
            self._columns = list(df.columns)
            self._open(df)
        elif list(df.columns) != self._columns:
            df = df.reindex(columns=self._columns)
        if self.format in ("csv", "xlsx"):
            df = neutralize_formulas(df)
        getattr(self, f"_write_{self.format}")(df)
        self.rows += len(df)

    # -- per format ------------------------------------------------------------------
    def _open(self, df: pd.DataFrame) -> None:
        if self.format == "csv":
            self._handle = open(self._tmp, "w", encoding="utf-8-sig", newline="")
            df.iloc[:0].to_csv(self._handle, index=False)
        elif self.format == "jsonl":
            self._handle = open(self._tmp, "w", encoding="utf-8")
        elif self.format == "xlsx":
            import xlsxwriter

            self._book = xlsxwriter.Workbook(str(self._tmp), {"constant_memory": True, "strings_to_formulas": False,
                                                              "strings_to_urls": False, "nan_inf_to_errors": True})
            self._sheet = self._book.add_worksheet(self.sheet_name[:31])
            bold = self._book.add_format({"bold": True})
            for j, c in enumerate(self._columns):
                self._sheet.write_string(0, j, str(c), bold)
            self._sheet.freeze_panes(1, 0)
            self._xrow = 1
        elif self.format == "parquet":
            self._pq_writer = None

    def _write_csv(self, df):
        df.to_csv(self._handle, index=False, header=False)

    def _write_jsonl(self, df):
        for rec in df.to_dict("records"):
            self._handle.write(json.dumps({k: _jsonable(v) for k, v in rec.items()}, ensure_ascii=False) + "\n")

    def _write_xlsx(self, df):
        if self._xrow + len(df) > _EXCEL_MAX_ROWS:
            raise VocError(f"{self.path}: more than {_EXCEL_MAX_ROWS:,} rows do not fit in Excel; write .csv or .parquet instead")
        for values in df.itertuples(index=False, name=None):
            for j, v in enumerate(values):
                v = _jsonable(v)
                if v is None:
                    continue
                if isinstance(v, bool):
                    self._sheet.write_boolean(self._xrow, j, v)
                elif isinstance(v, (int, float)):
                    self._sheet.write_number(self._xrow, j, v)
                else:
                    self._sheet.write_string(self._xrow, j, str(v))
            self._xrow += 1

    def _write_parquet(self, df):
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._pq_writer is None:
            table = pa.Table.from_pandas(df, preserve_index=False)
            self._schema = table.schema
            self._pq_writer = pq.ParquetWriter(str(self._tmp), self._schema)
        else:
            table = pa.Table.from_pandas(df, schema=self._schema, preserve_index=False, safe=False)
        self._pq_writer.write_table(table)

    def _finish(self):
        if self._columns is None:
            raise VocError(f"{self.path}: nothing to write")
        if self.format in ("csv", "jsonl"):
            self._handle.close()
        elif self.format == "xlsx":
            self._book.close()
        elif self.format == "parquet" and self._pq_writer is not None:
            self._pq_writer.close()

    def _abort(self):
        try:
            if self._handle is not None:
                self._handle.close()
            if self.format == "xlsx" and self._columns is not None:
                self._book.close()
            if self.format == "parquet" and getattr(self, "_pq_writer", None) is not None:
                self._pq_writer.close()
        except Exception:  # noqa: BLE001 - the temp file is deleted anyway; keep the original error
            pass


def write_table(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "statements") -> Path:
    """Write one DataFrame atomically; the format comes from the extension."""
    with TableWriter(path, sheet_name=sheet_name) as w:
        w.write(df)
    return Path(path)
