"""Table writers: streaming, atomic (temp file + rename), format from the extension.

CSV/TSV is written as UTF-8 with BOM so Excel opens Chinese text correctly, with
CRLF line ends so that every field holding a delimiter, quote, ``\\r`` or ``\\n``
is quoted (the csv module quotes what the line terminator contains; with a bare
``\\n`` terminator a lone ``\\r`` would go out unquoted and read back as a row break).

Text cells that begin with ``= + - @`` (or tab/CR) are prefixed with ``'`` in CSV
and Excel output so a spreadsheet never runs them as formulas (CSV injection).
The prefix is reversible: a text that already starts with quotes followed by such a
character gets one more quote, and :func:`restore_formulas` removes exactly one, so
the tool's own readers give back the original text.

Excel holds at most 32,767 characters in a cell: longer texts keep their start in
the cell and go in full to the sheet ``voc_long_texts`` (which the readers use to
restore them); :attr:`TableWriter.long_cells` counts them so the CLI can warn.

A finished folder is put in place by one swap (:func:`swap_folders`: the old folder renamed aside,
the new one renamed in, the old one removed), with a Ctrl-C or SIGTERM held until the renames are
done (:func:`hold_interrupts`) and then delivered (:func:`deliver_held`, naming the folder in
``KeyboardInterrupt.outputs_written``): :class:`atomic_dir`, :func:`replace_folder` and
:class:`voiceofcustomer.report.folder.OutputFolder` all use it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import threading
import time
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer.errors import InputError, VocError

__all__ = ["TableWriter", "write_table", "neutralize_formulas", "neutralize_text", "restore_formulas",
           "atomic_path", "atomic_dir", "temp_sibling", "remove_stale_temporaries", "hold_interrupts", "deliver_held",
           "interrupts_held", "swap_folders", "replace_folder", "OUTPUT_SUFFIXES", "EXCEL_CELL_LIMIT",
           "LONG_TEXT_SHEET"]

OUTPUT_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl"}
_EXCEL_MAX_ROWS = 1_048_575
EXCEL_CELL_LIMIT = 32_767
LONG_TEXT_SHEET = "voc_long_texts"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_PREFIX = re.compile(r"'*[=+\-@\t\r]")
_HAS_PREFIX = re.compile(r"'+[=+\-@\t\r]")


def neutralize_text(v):
    """One text made safe for spreadsheets (reversibly); anything else is returned as is."""
    if isinstance(v, str) and _NEEDS_PREFIX.match(v):
        return "'" + v
    return v


def restore_formulas(v):
    """Undo :func:`neutralize_text`: drop the one quote it added; other values unchanged."""
    if isinstance(v, str) and v[:1] == "'" and _HAS_PREFIX.match(v):
        return v[1:]
    return v


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
            out[col] = s.map(neutralize_text)
    return df.copy() if out is None else out


_FORMULA_AT_START = re.compile("(?:^|\x00)['" + re.escape("".join(FORMULA_START)) + "]")


def _any_formula(s: pd.Series) -> bool:
    """Whether any text cell of ``s`` may need the prefix (one regex scan for all-text columns)."""
    values = s.to_numpy(dtype=object)
    try:
        return _FORMULA_AT_START.search("\x00".join(values)) is not None
    except TypeError:  # None, NaN or numbers among the texts
        return any(isinstance(v, str) and _NEEDS_PREFIX.match(v) for v in values)


# -- atomic writes ------------------------------------------------------------------------
_TMP_TAG = ".voc-tmp"
_LEGACY_TMP = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")
_LEGACY_MAX_AGE = 3600.0


def _tmp_pattern(target_name: str) -> re.Pattern:
    return re.compile(r"^\." + re.escape(target_name) + r"\.(?P<pid>\d+)-[0-9a-f]{8}" + re.escape(_TMP_TAG) + r"$")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's live process
    return True


def remove_stale_temporaries(target: str | Path) -> list[Path]:
    """Remove temporaries left beside ``target`` by killed runs; returns what was removed.

    Our temp names are ``.<target name>.<pid>-<random>.voc-tmp``: one whose process is
    gone is stale. Temporaries of older versions (``.<name>.XXXXXXXX.tmp``) are removed
    once they are an hour old.
    """
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        return []
    ours = _tmp_pattern(target.name)
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith("." + target.name + "."):
            continue
        m = ours.match(entry.name)
        stale = False
        if m:
            stale = not _pid_alive(int(m.group("pid")))
        else:
            legacy = _LEGACY_TMP.match(entry.name)
            if legacy and legacy.group("name") == target.name:
                try:
                    stale = now - entry.stat(follow_symlinks=False).st_mtime > _LEGACY_MAX_AGE
                except OSError:
                    stale = False
        if stale:
            try:
                if entry.is_dir(follow_symlinks=False):  # a folder of :class:`atomic_dir`
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


class atomic_path:
    """Context manager giving a temp path next to ``target``; renamed onto it on success.

    On any error (including Ctrl-C) the temp file is removed, folders this call created
    are removed again if still empty, and ``target`` stays exactly as it was. Temporaries
    left by killed runs to the same target are removed on entry.
    """

    def __init__(self, target: str | Path):
        self.target = Path(target)

    def __enter__(self) -> Path:
        if self.target.is_dir():  # os.replace would fail on it with the temp file's name (IsADirectoryError)
            raise InputError(f"{self.target}: is a folder; give the name of the file to write "
                             f"(e.g. {self.target / ('out' + (self.target.suffix or '.csv'))})")
        parent = self.target.parent
        self._created: list[Path] = []
        if str(parent) and not parent.exists():
            missing = [p for p in [parent, *parent.parents] if not p.exists()]
            parent.mkdir(parents=True, exist_ok=True)
            self._created = missing  # deepest first
        remove_stale_temporaries(self.target)
        name = f".{self.target.name}.{os.getpid()}-{secrets.token_hex(4)}{_TMP_TAG}"
        self.tmp = (parent if str(parent) else Path(".")) / name
        fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        return self.tmp

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.tmp, 0o666 & ~umask)  # outputs are ordinary files
                os.replace(self.tmp, self.target)
            except BaseException:
                self._cleanup()
                raise
        else:
            self._cleanup()
        return False

    def _cleanup(self) -> None:
        try:
            self.tmp.unlink(missing_ok=True)
        except OSError:
            pass
        for d in self._created:
            try:
                d.rmdir()  # only succeeds while empty
            except OSError:
                break


def temp_sibling(target: str | Path) -> Path:
    """A fresh hidden name beside ``target`` (``.NAME.PID-XXXXXXXX.voc-tmp``): where a folder
    output is built or an old one is put aside; :func:`remove_stale_temporaries` knows the form."""
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    return parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}{_TMP_TAG}"


# -- putting a finished folder in place, a stop held until it is ------------------------
@contextlib.contextmanager
def hold_interrupts(caught: list[int]):
    """Hold SIGINT during a few renames and the removal of what they replaced (milliseconds), noting
    it in ``caught``: the folder then holds the new output whole rather than half of it, with no
    temporary left beside it, and :func:`deliver_held` stops the run once it is.
    So is SIGTERM where a handler turns it into an exception (``voc`` does:
    ``cli.support.sigterm_as_interrupt``); where it has its default action it ends the process at
    once, as it always did."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = [signal.SIGINT] + ([signal.SIGTERM] if callable(signal.getsignal(signal.SIGTERM)) else [])
    try:
        previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in held}
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def deliver_held(caught: list[int], target: Path) -> None:
    """A Ctrl-C or SIGTERM held during the renames (:func:`hold_interrupts`), delivered now that
    ``target`` holds the new output whole: the run stops, as asked, with its output complete. The
    exception its handler raises (a ``KeyboardInterrupt``) names what was finished first:
    ``exc.outputs_written``, a list of paths (the CLI says so; before, the signal was dropped and the
    run went on and ended with status 0)."""
    for sig in dict.fromkeys(caught):
        handler = signal.getsignal(sig)
        try:
            if callable(handler):
                handler(sig, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(sig)
        except KeyboardInterrupt as exc:
            exc.outputs_written = [*getattr(exc, "outputs_written", ()), target]
            raise


@contextlib.contextmanager
def interrupts_held(target: str | Path):
    """Around the few renames and removals that put a finished output file ``target`` in place:
    a Ctrl-C or SIGTERM that comes during them waits for them (:func:`hold_interrupts`), then stops
    the run with ``outputs_written = [target]`` (:func:`deliver_held`), as
    :class:`~voiceofcustomer.report.folder.OutputFolder` does for a folder. On an error in the block the
    signal is dropped with the block's error."""
    caught: list[int] = []
    with hold_interrupts(caught):
        yield
    deliver_held(caught, Path(target))


def swap_folders(new: Path, target: Path, caught: list[int]) -> bool:
    """Put the finished folder ``new`` (a sibling of ``target``) in place as ``target``: the old folder
    renamed aside, ``new`` renamed in, the old one removed, so that ``target`` is at every moment the
    old output whole or the new one (a process killed between the renames leaves the old folder aside as
    ``.NAME.PID-XXXXXXXX.voc-tmp``, which the next run to ``target`` removes); an error in the second
    rename puts the old folder back. A Ctrl-C or SIGTERM during them waits in ``caught``
    (:func:`hold_interrupts`). False, with nothing changed, when ``target`` cannot be renamed (a mount
    point)."""
    aside = temp_sibling(target)
    with hold_interrupts(caught):
        try:
            os.rename(target, aside)
        except OSError:
            return False
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(aside, target)
            raise
        shutil.rmtree(aside, ignore_errors=True)  # held too: a stop then leaves no old folder aside
    return True


def _put_folder(new: Path, target: Path, caught: list[int]) -> None:
    """``new`` renamed in as ``target`` when there is none, else swapped with it (:func:`swap_folders`); a
    Ctrl-C or SIGTERM during the renames waits in ``caught``. :class:`InputError` when ``target`` cannot
    be renamed (a mount point); an :class:`OSError` leaves ``new`` and ``target`` as they were."""
    if not os.path.lexists(target):
        with hold_interrupts(caught):
            os.rename(new, target)
    elif not swap_folders(new, target, caught):
        raise InputError(f"{target}: cannot be renamed to put the new output in place (a mount point?); "
                         "choose another -o", zh=f"{target}：无法改名来放入新的输出（是挂载点？）；请换一个输出文件夹")


def replace_folder(new: str | Path, target: str | Path) -> None:
    """Put the finished folder ``new`` (beside ``target``) in place as ``target``, replacing the whole of
    an earlier ``target`` folder, so that ``target`` always holds the earlier output or the new one whole
    (:func:`swap_folders`). A Ctrl-C or SIGTERM during the renames waits for them, then stops the run
    with ``outputs_written = [target]`` (:func:`deliver_held`), as
    :class:`~voiceofcustomer.report.folder.OutputFolder` and :class:`atomic_dir` do. For an output that
    is wholly this command's (the Parquet dataset of ``voc tag --engine dask``); an :class:`OSError`
    leaves ``new`` and ``target`` as they were."""
    new, target = Path(new), Path(target)
    caught: list[int] = []
    _put_folder(new, target, caught)
    deliver_held(caught, target)


class atomic_dir:
    """Context manager giving a temp folder next to ``target``; it replaces ``target`` on success.

    For outputs that are a folder of files (a model, a curated theme set): whoever
    reads ``target`` sees the old folder or the complete new one, never a mix. On
    success the temp folder is put in place by :func:`replace_folder` (an existing
    ``target`` renamed aside, the temp folder renamed in, the old one removed); a
    Ctrl-C or SIGTERM during those renames waits for them, then stops the run with
    ``outputs_written = [target]``, the folder whole. On any error the temp folder is
    removed and ``target`` stays as it was. Temp folders left by killed runs (and an
    old folder a run killed between the renames left aside) are removed on entry.
    """

    def __init__(self, target: str | Path):
        self.target = Path(target)

    def __enter__(self) -> Path:
        if self.target.exists() and not self.target.is_dir():
            raise InputError(f"{self.target}: exists and is not a folder", zh=f"{self.target}：已存在，且不是文件夹")
        parent = self.target.parent
        if str(parent):
            parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.target)
        self.tmp = temp_sibling(self.target)
        self.tmp.mkdir(mode=0o700)
        return self.tmp

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return False
        caught: list[int] = []  # a Ctrl-C or SIGTERM during the renames, delivered once they are done
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o777 & ~umask)  # an ordinary folder
            _put_folder(self.tmp, self.target, caught)
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        deliver_held(caught, self.target)
        return False


# -- table writer -------------------------------------------------------------------------
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


def _utf16_len(s: str) -> int:
    """Excel counts its cell limit in UTF-16 units: characters beyond U+FFFF count twice."""
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)


def _excel_parts(s: str) -> list[str]:
    """Cut ``s`` into pieces that each fit in one Excel cell, never inside a character."""
    parts, start, units = [], 0, 0
    for i, ch in enumerate(s):
        width = 2 if ord(ch) > 0xFFFF else 1
        if units + width > EXCEL_CELL_LIMIT:
            parts.append(s[start:i])
            start, units = i, 0
        units += width
    parts.append(s[start:])
    return parts


class TableWriter:
    """Write DataFrame chunks to CSV/TSV/XLSX/Parquet/JSONL, atomically.

    ``rows`` counts rows written; ``long_cells`` counts Excel cells whose text was
    longer than 32,767 characters (kept in full in the ``voc_long_texts`` sheet).

    ``properties`` (name → text) are stored in the file where its format has a place for
    them: Parquet schema metadata, .xlsx custom document properties.

    Usage::

        with TableWriter("out.csv") as w:
            for chunk in chunks:
                w.write(chunk)
    """

    def __init__(self, path: str | Path, *, sheet_name: str = "statements", properties: dict[str, str] | None = None):
        self.path = Path(path)
        # provenance kept inside the file where the format has a place for it (Parquet schema
        # metadata, an .xlsx custom document property; CSV and JSON Lines have none): read back
        # with voiceofcustomer.io.readers.file_properties
        self.properties = dict(properties or {})
        self.format = OUTPUT_SUFFIXES.get(self.path.suffix.lower())
        if self.format is None:
            raise InputError(f"{self.path}: unsupported output type {self.path.suffix!r}; "
                             "use .csv, .tsv, .xlsx, .parquet or .jsonl")
        self.sheet_name = sheet_name
        self.rows = 0
        self.long_cells = 0
        self._columns: list[str] | None = None
        self._atomic = atomic_path(self.path)
        self._handle = None
        self._book = None
        self._pq_writer = None

    def __enter__(self):
        self._tmp = self._atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                self._finish()
            except BaseException as err:  # nothing (or a broken file) must not replace the target
                self._abort()
                self._atomic.__exit__(type(err), err, err.__traceback__)
                raise
            self._atomic.__exit__(None, None, None)
        else:
            self._abort()
            self._atomic.__exit__(exc_type, exc, tb)
        return False

    def write(self, df: pd.DataFrame) -> None:
        if self._columns is None:
            self._columns = list(df.columns)
            self._open(df)
        elif list(df.columns) != self._columns:
            df = df.reindex(columns=self._columns)
        if self.format in ("csv", "tsv", "xlsx"):
            df = neutralize_formulas(df)
        getattr(self, f"_write_{'csv' if self.format == 'tsv' else self.format}")(df)
        self.rows += len(df)

    # -- per format ------------------------------------------------------------------
    def _open(self, df: pd.DataFrame) -> None:
        if self.format in ("csv", "tsv"):
            self._sep = "\t" if self.format == "tsv" else ","
            self._handle = open(self._tmp, "w", encoding="utf-8-sig", newline="")
            df.iloc[:0].to_csv(self._handle, index=False, sep=self._sep, lineterminator="\r\n")
        elif self.format == "jsonl":
            self._handle = open(self._tmp, "w", encoding="utf-8", newline="\n")
        elif self.format == "xlsx":
            import xlsxwriter

            self._book = xlsxwriter.Workbook(str(self._tmp), {"constant_memory": True, "strings_to_formulas": False,
                                                              "strings_to_urls": False, "nan_inf_to_errors": True})
            self._sheet = self._book.add_worksheet(self.sheet_name[:31])
            for name, value in self.properties.items():
                self._book.set_custom_property(name, value)
            self._spill = None
            bold = self._book.add_format({"bold": True})
            self._bold = bold
            for j, c in enumerate(self._columns):
                self._sheet.write_string(0, j, str(c), bold)
            self._sheet.freeze_panes(1, 0)
            self._xrow = 1

    def _write_csv(self, df):
        df.to_csv(self._handle, index=False, header=False, sep=self._sep, lineterminator="\r\n")

    def _write_jsonl(self, df):
        for rec in df.to_dict("records"):
            self._handle.write(json.dumps({k: _jsonable(v) for k, v in rec.items()}, ensure_ascii=False) + "\n")

    def _spill_text(self, row: int, col: str, parts: list[str]) -> None:
        if self._spill is None:
            self._spill = self._book.add_worksheet(LONG_TEXT_SHEET)
            for j, c in enumerate(("sheet", "row", "column", "part", "text")):
                self._spill.write_string(0, j, c, self._bold)
            self._spill_row = 1
        for part, piece in enumerate(parts, 1):
            r = self._spill_row
            self._spill.write_string(r, 0, self.sheet_name[:31])
            self._spill.write_number(r, 1, row)
            self._spill.write_string(r, 2, str(col))
            self._spill.write_number(r, 3, part)
            self._spill.write_string(r, 4, piece)
            self._spill_row += 1

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
                    s = str(v)
                    if len(s) > EXCEL_CELL_LIMIT // 2 and _utf16_len(s) > EXCEL_CELL_LIMIT:
                        self.long_cells += 1
                        parts = _excel_parts(s)
                        self._spill_text(self._xrow, self._columns[j], parts)
                        s = parts[0]
                    self._sheet.write_string(self._xrow, j, s)
            self._xrow += 1

    def _write_parquet(self, df):
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._pq_writer is None:
            table = pa.Table.from_pandas(df, preserve_index=False)
            self._schema = with_properties(table.schema, self.properties)
            table = table.replace_schema_metadata(self._schema.metadata)
            self._pq_writer = pq.ParquetWriter(str(self._tmp), self._schema)
        else:
            table = pa.Table.from_pandas(df, schema=self._schema, preserve_index=False, safe=False)
        self._pq_writer.write_table(table)

    def _finish(self):
        if self._columns is None:
            raise VocError(f"{self.path}: nothing to write (no rows came in); the file was left as it was")
        if self.format in ("csv", "tsv", "jsonl"):
            self._handle.close()
        elif self.format == "xlsx":
            # a filter on every column: a reviewer's first move is needs_review = TRUE, or one 区县
            self._sheet.autofilter(0, 0, max(self._xrow - 1, 0), max(len(self._columns) - 1, 0))
            self._book.close()
        elif self.format == "parquet" and self._pq_writer is not None:
            self._pq_writer.close()

    def _abort(self):
        try:
            if self._handle is not None and not self._handle.closed:
                self._handle.close()
            if self._book is not None and not getattr(self._book, "fileclosed", False):
                self._book.close()
            if self._pq_writer is not None:
                self._pq_writer.close()
        except Exception:  # noqa: BLE001 - the temp file is deleted anyway; keep the original error
            pass


def with_properties(schema, properties: dict[str, str]):
    """A Parquet schema carrying ``properties`` in its key-value metadata (beside pandas' own)."""
    if not properties:
        return schema
    return schema.with_metadata({**(schema.metadata or {}), **{k.encode(): v.encode() for k, v in properties.items()}})


def write_table(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "statements") -> Path:
    """Write one DataFrame atomically; the format comes from the extension."""
    with TableWriter(path, sheet_name=sheet_name) as w:
        w.write(df)
    return Path(path)
