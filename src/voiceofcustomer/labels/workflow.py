"""``tag_table``: what ``voc tag`` does, as one library call, resumable.

Why a library function: the click command, the Python API, a review page or a
distributed engine all need the same steps: choose the reader for the input,
reuse the labels of an earlier output, tag in chunks, write atomically. Each step
is a small private function so that one can be replaced without touching the others.

Why resumable: tagging ten million rows takes the better part of an hour; a run
killed at 90 % must not start again from zero. Every finished chunk is written as a
part file in a hidden folder beside the output (``.<name>.partial/``), and a small
state file there (``state.json``) records how many chunks are done, checked against
the input's size and mtime, the model file and the options. Re-running the same
command skips the finished chunks (they are read, not tagged) and continues; at the
end the parts are joined into a temporary file in that folder, which is renamed onto
the output, so a half-written output is never visible at the target path.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from voiceofcustomer import __version__
from voiceofcustomer.errors import ColumnError, InputError, VocError
from voiceofcustomer.labels.tagging import DEFAULT_REVIEW_BELOW, PreviousLabels, tag_chunks
from voiceofcustomer.labels.context import CONTEXT_COL
from voiceofcustomer.statements import (GARBLED_NOTED_PROPERTY, NEEDS_REVIEW, TEXT, TEXT_COL_PROPERTY, TICKET_ID,
                                        is_statements_table)

__all__ = ["TagSummary", "tag_table", "partial_dir", "unfinished_rows", "ENGINES"]

ENGINES = ("local", "dask")
_STATE = "state.json"


@dataclass
class TagSummary:
    """What :func:`tag_table` did: counts to print and the rows it skipped.

    Attributes:
        output: the file (or, with the Dask engine, the Parquet dataset folder) written.
        rows: rows written (every input row, or every statement of a transcript).
        needs_review: the statements that count (:func:`voiceofcustomer.statements.counted_mask`) flagged
            ``needs_review``: the ones a reviewer must label, as the report's 需复核 counts them. The rows that
            are no statement (below) are flagged too, for their placeholder labels, and not counted here.
        empty_rows: rows with no text (an empty cell, a formula with no saved value).
        garbled_rows: rows whose text looks garbled (mojibake, 锟斤拷, ``??????``): written with the note
            :data:`voiceofcustomer.io.readers.GARBLED_NOTE` (check the file's encoding) and an empty text's
            labels, flagged, never counted.
        staff_rows: a ticket's staff sections (``role`` ``staff``, from ``voc split``: 【处理结果】已解决。): written
            with an empty text's labels and a note naming the section, not flagged, never counted.
        reused: rows whose labels came from ``reuse`` (0 without it).
        tagged: rows the model labelled.
        resumed_chunks: chunks taken from an interrupted earlier run (not tagged again).
        bad_rows: ``(file, line, reason)`` of rows skipped with ``on_bad_rows="skip"``.
        long_cells: texts longer than an Excel cell (full text in the spill sheet).
        totals_rows: an export's totals rows (``合计,,,,共330条``) set aside: written with the note
            "a totals row, not a ticket" and an empty text's labels, never counted.
        header_rows: the export's header row repeated among its rows, set aside as a totals row is, with
            the note "a repeated header row, not a ticket".
        title_rows: ``[{"file", "title", "header_row", "title_row"}]`` of an export read by the header under its
            title row (``2026年10月全省投诉工单明细`` merged across A1:F1; :func:`~voiceofcustomer.io.readers.title_rows_of`).
        notes: things the user should know about the result (e.g. that the ``reuse`` file
            does not say which model labelled it).
    """

    output: Path
    rows: int = 0
    needs_review: int = 0
    reused: int = 0
    tagged: int = 0
    resumed_chunks: int = 0
    bad_rows: list[tuple[str, int, str]] = field(default_factory=list)
    long_cells: int = 0
    totals_rows: int = 0
    header_rows: int = 0
    empty_rows: int = 0
    garbled_rows: int = 0
    staff_rows: int = 0
    title_rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _open_input(path: Path, *, text_col, id_col, encoding, sheet, on_bad_rows, chunksize, thread_col=None):
    """``(chunks, text column, bad-row list, reader columns to drop, title rows)`` for a transcript or a table
    (title rows: :func:`~voiceofcustomer.io.readers.title_rows_of`).

    Every chunk carries :data:`~voiceofcustomer.labels.context.CONTEXT_COL`: for a focus
    group the moderator's question (and the one before it) and the speaker's previous statement; with
    ``thread_col`` the earlier rows of each row's thread, without it, for the sentences of a
    split ticket, the earlier sentences of their ticket. It is computed here, over every
    chunk in input order (also chunks an earlier run finished), so a resumed run sees
    the same context as an uninterrupted one.
    """
    chunks, text_used, bad_rows, added, titles = _read_input(path, text_col=text_col, id_col=id_col,
                                                             encoding=encoding, sheet=sheet, on_bad_rows=on_bad_rows,
                                                             chunksize=chunksize)
    from voiceofcustomer.labels.context import with_context

    return with_context(chunks, text_used, thread_col, f"{path}: "), text_used, bad_rows, added, titles


def _read_input(path: Path, *, text_col, id_col, encoding, sheet, on_bad_rows, chunksize):
    from voiceofcustomer.io.readers import open_table, title_rows_of
    from voiceofcustomer.text.split import SplitSummary, detect_kind, split_inputs

    if detect_kind(path, encoding, sheet) == "transcript":
        summary = SplitSummary()
        chunks = split_inputs([path], kind="transcript", encoding=encoding, sheet=sheet, summary=summary)
        return chunks, TEXT, summary.bad_rows, (), summary.title_rows
    opener = functools.partial(open_table, path, id_col=id_col, encoding=encoding, sheet=sheet,
                               on_bad_rows=on_bad_rows, chunksize=chunksize)
    try:
        source = opener(text_col=text_col)
    except ColumnError:
        source = None if text_col is not None else _tool_table(opener)
        if source is None:
            raise
    # the reader adds _row and ticket_id; a ticket_id the input has itself (voc split) stays
    added = ("_row",) if TICKET_ID in source.columns else ("_row", TICKET_ID)
    return source.chunks(), source.text_col, source.bad_rows, added, title_rows_of(path, source)


def _tool_table(opener) -> object | None:
    """A table a ``voc`` command wrote, opened on its own ``text`` column, else None.

    ``voc themes``' statement_topics.csv keeps a ticket export's text column (投诉内容) beside the
    tool's ``text``, so finding the text by name finds two; voc freq, items and themes read
    ``text`` there (:func:`voiceofcustomer.statements.open_statements`), and so does voc tag.
    """
    try:
        source = opener(text_col=TEXT)
    except ColumnError:
        return None
    return source if is_statements_table(source.columns) else None


def _previous(reuse: str | Path | None, output: Path, text_col: str | None,
              stamp: dict, notes: list[str]) -> PreviousLabels | None:
    """The earlier output's labels, if they come from the model this run uses.

    Why the check: after ``voc train --add`` (or an upgrade that ships a new model), a grown
    export tagged with ``--reuse`` kept the old model's labels for every old text and gave
    the new model's to the new ones — two conventions counted as one. The output records its
    model where the format can (Parquet, Excel); an unrecorded one is reused with a note.
    """
    if reuse is None:
        return None
    from voiceofcustomer.io.readers import file_properties

    reuse = Path(reuse)
    if reuse.resolve() == output.resolve():
        raise InputError(f"{output}: reuse= must be an earlier output, not the file being written; write to a new "
                         "name", params=("reuse",))
    previous = PreviousLabels.read(reuse, text_col=text_col)
    try:
        earlier = json.loads(file_properties(reuse).get(MODEL_PROPERTY, "null"))
    except ValueError:
        earlier = None
    if not isinstance(earlier, dict) or not earlier.get("blake2b"):
        notes.append(f"{reuse} does not record which model labelled it (a CSV or JSON Lines output cannot; "
                     f"Parquet and Excel outputs of this version do): its labels were kept as they are. If "
                     f"another model labelled it, run without --reuse")
    elif earlier["blake2b"] != stamp.get("blake2b"):
        raise InputError(f"{reuse}: labelled by {describe_model(earlier)}, but this run uses "
                         f"{describe_model(stamp)}; reusing its labels would mix two models in one output. "
                         "Run without reuse= to label every row with this model (or give model_path= the earlier "
                         "one)", params=("reuse", "model_path"))
    return previous


#: Where a tagged output records the model that labelled it (Parquet metadata, Excel property).
MODEL_PROPERTY = "voiceofcustomer.model"


def _listed(col):
    """A column option as JSON keeps it: several names (a tuple) as a list."""
    return list(col) if isinstance(col, tuple) else col


def output_properties(stamp: dict, text_col: str | None) -> dict[str, str]:
    """What a ``voc tag`` output records inside itself (Parquet metadata, Excel custom properties): the model
    that labelled it, that its garbled rows carry their note (``voc freq`` then trusts the notes), and its
    text column when that is not ``text`` (later commands find it without ``--text-col``)."""
    return {MODEL_PROPERTY: json.dumps(stamp, ensure_ascii=False), GARBLED_NOTED_PROPERTY: "1",
            **({TEXT_COL_PROPERTY: text_col} if text_col and text_col != TEXT else {})}


def model_stamp(model_path: str | Path | None, version: dict | None = None) -> dict:
    """The model that labels a run, as recorded in its output: content hash, where it came from
    and the date its ``metrics.json`` gives."""
    version = version if version is not None else _model_version(model_path)  # hashes the model file
    folder = Path(model_path) if model_path else None
    if folder is not None and not folder.is_dir():
        folder = folder.parent
    if folder is None:
        from voiceofcustomer.resources import model_dir

        metrics = model_dir() / "metrics.json"
    else:
        metrics = folder / "metrics.json"
    try:
        trained = json.loads(metrics.read_text(encoding="utf-8")).get("trained")
    except (OSError, ValueError, AttributeError):
        trained = None
    return {"blake2b": version.get("blake2b"), "model": str(model_path) if model_path else None,
            "trained": trained, "voiceofcustomer": __version__}


def describe_model(stamp: dict) -> str:
    """``the shipped model of voiceofcustomer 0.9 (trained 2026-12-05)`` / ``the model my-model (…)``."""
    name = (f"the model {stamp['model']}" if stamp.get("model")
            else f"the shipped model of voiceofcustomer {stamp.get('voiceofcustomer', '?')}")
    trained = f"trained {stamp['trained']}, " if stamp.get("trained") else ""
    return f"{name} ({trained}{str(stamp.get('blake2b') or '?')[:8]})"


# -- resume state -------------------------------------------------------------------------
def partial_dir(output: str | Path) -> Path:
    """The hidden folder beside ``output`` that holds an unfinished run's parts and state."""
    output = Path(output)
    return output.parent / f".{output.name}.partial"


def unfinished_rows(output: str | Path) -> int:
    """Rows an interrupted local run of ``output`` finished and kept for the next run (0: none)."""
    try:
        state = json.loads((partial_dir(output) / _STATE).read_text(encoding="utf-8"))
        return int(state["totals"]["rows"]) if state.get("done") else 0
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _file_id(path: Path | None) -> dict:
    if path is None:
        return {}
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _model_version(model_path) -> dict:
    """Which model labels the rows: the model file's identity and content hash."""
    from voiceofcustomer.labels.model import MODEL_FILE
    from voiceofcustomer.resources import model_dir

    path = Path(model_path) if model_path else model_dir() / MODEL_FILE
    if path.is_dir():
        path = path / MODEL_FILE
    if not path.exists():
        return {"path": str(path), "missing": True}  # load_model raises the clear error later
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return {"size": path.stat().st_size, "blake2b": h.hexdigest(), "voiceofcustomer": __version__}


def _write_json(path: Path, obj: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(obj, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:  # the state before stays as it was, with no half-written copy beside it
        tmp.unlink(missing_ok=True)
        raise


def _load_state(work: Path, key: dict, restart: bool, output: Path) -> dict:
    """The state of an unfinished run with the same ``key``, or a fresh one.

    A state from another input, model or options is refused unless ``restart``.
    """
    state_path = work / _STATE
    if work.exists() and restart:
        shutil.rmtree(work)
    if state_path.exists():
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except ValueError:
            state = None
        if state is None or state.get("key") != key:
            what = _difference(state.get("key", {}) if state else {}, key)
            raise InputError(f"{output}: an unfinished run in {work} was started with a different {what}; "
                             "re-run with restart=True to discard it and start again (or write to another output)",
                             params=("restart",))
        return state
    if work.exists():
        shutil.rmtree(work)  # parts without a state file: nothing finished can be trusted
    work.mkdir(parents=True)
    state = {"key": key, "done": 0, "totals": {"rows": 0, "needs_review": 0, "reused": 0, "tagged": 0}}
    try:
        _write_json(state_path, state)
    except BaseException:  # a full disk: nothing was started, so nothing is left beside the output
        shutil.rmtree(work, ignore_errors=True)
        raise
    return state


def _difference(old: dict, new: dict) -> str:
    names = {"input": "input file (size or modification time changed)", "model": "model", "reuse": "--reuse file"}
    for k in ("input", "model", "reuse"):
        if old.get(k) != new.get(k):
            return names[k]
    return "set of options (" + ", ".join(k for k in new if old.get(k) != new.get(k)) + ")"


# -- parts --------------------------------------------------------------------------------
_PART_FORMAT = {"csv": "csv", "jsonl": "jsonl", "parquet": "parquet", "xlsx": "parquet"}


def _part_path(work: Path, i: int, fmt: str) -> Path:
    return work / f"part-{i:06d}.{fmt}"


def _write_part(chunk: pd.DataFrame, path: Path) -> None:
    """One finished chunk as its own file (written to a temp name, then renamed)."""
    from voiceofcustomer.io.writers import TableWriter

    with TableWriter(path, sheet_name="tagged") as writer:
        writer.write(chunk)


def _write_part_at(work: str, fmt: str, start: int, i: int, chunk: pd.DataFrame) -> str:
    """Sink run in a worker process: chunk ``start + i`` to its part file; returns the CSV header."""
    path = _part_path(Path(work), start + i, fmt)
    _write_part(chunk, path)
    if fmt != "csv":
        return ""
    with open(path, "rb") as fh:  # the header exactly as the writer wrote it (BOM, quoting, line end)
        return fh.readline().decode("utf-8")


def _join_parts(work: Path, files: list[Path], header: str, output: Path, fmt: str,
                properties: dict[str, str] | None = None) -> tuple[Path, int]:
    """Join the part files into a temp file in ``work``, to be renamed to ``output``; returns it and
    how many texts went to the long-text sheet (xlsx). ``properties`` go into the file where its
    format has a place (Parquet, xlsx)."""
    from voiceofcustomer.io.writers import OUTPUT_SUFFIXES, with_properties

    out_fmt = OUTPUT_SUFFIXES[output.suffix.lower()]
    long_cells = 0
    tmp = work / f"joined.{output.suffix.lstrip('.')}.tmp"
    if out_fmt in ("csv", "jsonl"):
        head = header.encode("utf-8")
        with open(tmp, "wb") as out:
            for i, f in enumerate(files):
                with open(f, "rb") as fh:
                    if out_fmt == "csv" and i > 0:  # every part has the same header: keep the first
                        if fh.read(len(head)) != head:
                            raise InputError(f"{f}: unexpected part header; re-run with restart=True",
                                             params=("restart",))
                    shutil.copyfileobj(fh, out, 1 << 20)
    elif out_fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
        schema = with_properties(schema, properties or {})
        with pq.ParquetWriter(str(tmp), schema) as writer:
            for f in files:
                pf = pq.ParquetFile(f)
                for g in range(pf.num_row_groups):
                    writer.write_table(pf.read_row_group(g).cast(schema))
    else:  # xlsx: parts are Parquet; stream them through the workbook writer
        import pyarrow.parquet as pq

        from voiceofcustomer.io.writers import TableWriter

        with TableWriter(tmp.with_suffix(".xlsx"), sheet_name="tagged", properties=properties) as writer:
            for f in files:
                writer.write(pq.read_table(f).to_pandas())
        long_cells = writer.long_cells
        os.replace(tmp.with_suffix(".xlsx"), tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return tmp, long_cells


def _adapted_model(opened, work: Path, model_path, method: str) -> Path:
    """The model adapted to this input, kept beside the output's parts (so a resumed run
    tags with the very same model)."""
    from voiceofcustomer.labels.adapt import adapt_to_chunks
    from voiceofcustomer.labels.context import CONTEXT_COL

    target = work.parent / f".{work.name}.adapted.joblib"
    if not target.exists():
        chunks, text_used, *_ = opened()
        adapt_to_chunks(chunks, text_used, target, model_path=model_path, context_col=CONTEXT_COL, method=method)
    return target


def _skip_done(chunks: Iterable[pd.DataFrame], done: int, progress) -> Iterator[pd.DataFrame]:
    """Read past the chunks an earlier run finished (same chunk size, same input)."""
    it = iter(chunks)
    for _ in range(done):
        chunk = next(it, None)
        if chunk is None:
            return
        if progress:
            progress(len(chunk))
    yield from it


def tag_table(input: str | Path, output: str | Path, *, text_col: str | None = None, id_col: str | None = None,
              encoding: str | None = None, sheet: str | None = None, on_bad_rows: str = "error",
              reuse: str | Path | None = None, review_below: float = DEFAULT_REVIEW_BELOW,
              n_jobs: int | None = None, model_path: str | Path | None = None, chunksize: int = 5000,
              progress: Callable[[int], None] | None = None, restart: bool = False,
              engine: str = "local", scheduler: str | None = None, thread_col: str | None = None,
              adapt: bool | str = False, issue_2: bool = False,
              after_chunk: Callable[[int], None] | None = None) -> TagSummary:
    """Label every row of ``input`` and write ``output`` (CSV/XLSX/Parquet/JSONL, atomically).

    Every input row comes back, in order, with all its columns plus the four labels,
    their ``*_conf``, ``needs_review`` and ``note``; a transcript is split into
    statements first. With ``reuse`` (an earlier output), texts labelled there keep
    their labels and only new texts are tagged.

    An interrupted run (killed, even with ``kill -9``) continues from its last finished
    chunk when called again with the same arguments; ``restart=True`` discards it.
    ``engine="dask"`` tags a file, folder or glob of CSV/Parquet partitions on a Dask
    cluster into a partitioned Parquet dataset (see :mod:`voiceofcustomer.engines.dask`).
    ``thread_col``: rows sharing its value are one thread, each labelled with the earlier
    rows of its thread as context (a transcript always gets its moderator question, the one
    before it and the speaker's previous statement; without it, the sentences of a ``voc split`` ticket
    get the earlier sentences of their ticket). ``adapt``: first fit the model to this input
    (:mod:`voiceofcustomer.labels.adapt`, deterministic; ``True`` or ``"weights"``: importance weights,
    ``"self-training"``), then tag with the adapted model.
    ``issue_2``: also an ``issue_2`` column, a second issue when a statement carries two.
    ``after_chunk(i)`` is called once chunk ``i`` is safely stored (tests use it to
    simulate a crash).

    Raises:
        InputError, ColumnError, BadRowError: the input cannot be read as asked, or an
            unfinished run of different input/model/options is in the way.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    if engine == "dask":
        from voiceofcustomer.engines.dask import tag_dataset

        for name, given in (("reuse", reuse is not None), ("issue_2", issue_2), ("adapt", adapt),
                            ("thread_col", thread_col)):
            if given:
                why = " (a thread may span partitions)" if name == "thread_col" else ""
                raise InputError(f"{name}= works with the local engine only{why}; drop it or use engine='local'",
                                 params=(name, "engine"))

        return tag_dataset(input, output, text_col=text_col, id_col=id_col, encoding=encoding,
                           on_bad_rows=on_bad_rows, review_below=review_below, model_path=model_path,
                           chunksize=chunksize, scheduler=scheduler, progress=progress)
    from voiceofcustomer.io.readers import check_input_file, input_sheet
    from voiceofcustomer.io.writers import OUTPUT_SUFFIXES

    (input, sheet), output = input_sheet(input, sheet), Path(output)
    out_fmt = OUTPUT_SUFFIXES.get(output.suffix.lower())
    if out_fmt is None:
        raise InputError(f"{output}: unsupported output type {output.suffix!r}; use .csv, .xlsx, .parquet or .jsonl")
    check_input_file(input)
    version = _model_version(model_path)
    stamp, notes = model_stamp(model_path, version), []
    previous = _previous(reuse, output, text_col, stamp, notes)
    if adapt:
        stamp["adapt"] = "weights" if adapt is True else adapt
    opened = functools.partial(_open_input, input, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                               on_bad_rows=on_bad_rows, chunksize=chunksize, thread_col=thread_col)
    if adapt:
        model_path = _adapted_model(opened, partial_dir(output), model_path, "weights" if adapt is True else adapt)
    chunks, text_used, bad_rows, added, titles = opened()
    key = {"input": _file_id(input), "model": _model_version(model_path) if adapt else version,
           "reuse": _file_id(Path(reuse)) if reuse else None, "output": str(output.resolve()),
           # several names (one of them the file's) as the state file keeps them: a list, so a rerun continues
           "text_col": _listed(text_col), "id_col": _listed(id_col), "encoding": encoding, "sheet": sheet,
           "on_bad_rows": on_bad_rows, "review_below": review_below, "chunksize": chunksize,
           "thread_col": thread_col, "adapt": adapt, **({"issue_2": True} if issue_2 else {})}
    work = partial_dir(output)
    state = _load_state(work, key, restart, output)
    summary = TagSummary(output=output, resumed_chunks=state["done"], notes=notes, title_rows=titles)
    fmt = _PART_FORMAT[out_fmt]
    todo = _skip_done(chunks, state["done"], progress)
    totals = state["totals"]
    sink = functools.partial(_write_part_at, str(work), fmt, state["done"])
    try:
        for i, done in enumerate(tag_chunks(todo, text_used, model_path=model_path, review_below=review_below,
                                            n_jobs=n_jobs, previous=previous, progress=progress, sink=sink,
                                            drop_columns=added, context_col=CONTEXT_COL, issue_2=issue_2),
                                 start=state["done"]):
            if fmt == "csv" and "header" not in state:
                state["header"] = done["sink"]
            for k in ("rows", "needs_review", "reused", "tagged", "totals_rows", "header_rows", "empty_rows",
                      "garbled_rows", "staff_rows"):
                totals[k] = totals.get(k, 0) + done[k]
            state["done"] = i + 1
            _write_json(work / _STATE, state)  # a few hundred bytes: cheap to rewrite after every chunk
            if after_chunk:
                after_chunk(i)
    except BaseException as exc:  # Ctrl-C too
        # Nothing finished to resume from, or the input itself stopped the run (a malformed row, an
        # undecodable line: a VocError): the same command stops at the same place again, and every
        # fix (--on-bad-rows skip, --encoding, an edited export) changes the run's key, so the parts
        # could only be refused. Either way, leave no trace beside the output.
        if not state["done"] or isinstance(exc, VocError):
            shutil.rmtree(work, ignore_errors=True)
        raise
    if not state["done"]:
        raise VocError(f"{output}: nothing to write")
    joined, summary.long_cells = _join_parts(work, [_part_path(work, i, fmt) for i in range(state["done"])],
                                             state.get("header", ""), output, fmt,
                                             output_properties(stamp, text_used))
    from voiceofcustomer.io.writers import interrupts_held

    # a stop here waits for the rename and the parts' removal, then names the output as written: one
    # between them left the output beside a state saying it was not written ('… rows are kept')
    with interrupts_held(output):
        os.replace(joined, output)
        shutil.rmtree(work, ignore_errors=True)
        if adapt:
            Path(model_path).unlink(missing_ok=True)
    summary.rows, summary.needs_review = totals["rows"], totals["needs_review"]
    summary.reused, summary.tagged = totals["reused"], totals["tagged"]
    summary.totals_rows, summary.header_rows = totals.get("totals_rows", 0), totals.get("header_rows", 0)
    summary.empty_rows, summary.garbled_rows = totals.get("empty_rows", 0), totals.get("garbled_rows", 0)
    summary.staff_rows = totals.get("staff_rows", 0)
    summary.bad_rows = [b if len(b) == 3 else (str(input), *b) for b in bad_rows]
    return summary
