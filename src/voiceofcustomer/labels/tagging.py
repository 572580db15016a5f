"""Batch tagging: every row back, in order, with four labels, confidences and a review flag.

Streams chunks through a small pool of worker processes (one model copy each),
keeping at most ``2 * n_jobs`` chunks in flight, so memory stays flat whatever
the size of the export.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import multiprocessing as mp
import os
import signal
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from voiceofcustomer.labels.context import transcript_rules
from voiceofcustomer.labels.model import LabelModel, load_model
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS, review_score
from voiceofcustomer.statements import ISSUE_2
from voiceofcustomer.io.writers import FORMULA_START
from voiceofcustomer.io.readers import (GARBLED_NOTE, HEADER_NOTE, ROW_NOTE, SET_ASIDE_NOTES, TOTALS_NOTE,
                                        carried_note)

__all__ = ["tag", "tag_chunks", "tag_counts", "predict_texts", "predict_arrays", "label_frame", "load_fast_model",
           "PreviousLabels",
           "LABEL_COLUMNS", "DEFAULT_REVIEW_BELOW", "custom_spec", "label_columns"]

LABEL_COLUMNS = [*FIELDS, *(f"{f}_conf" for f in FIELDS), "needs_review"]
from voiceofcustomer.labels.taxonomy import DEFAULT_REVIEW_BELOW  # noqa: E402  (chosen on real text)

_worker_model: LabelModel | None = None
# What a text with nothing in it is labelled (and always flagged for review).
EMPTY_LABELS = {"servqual": "none", "demand": "none", "issue": "other", "stance": "neutral"}
_LABEL_ARRAYS = {f: np.asarray(LABELS[f], dtype=object) for f in FIELDS}
_NO_CODE = 255  # a team field's code for an empty text (no value)


def _clean_texts(texts) -> list[str]:
    """The texts as strings, a missing one (None, NaN, and pd.NA of a ``string`` column or of
    ``convert_dtypes()``, which ``str`` would turn into the words '<NA>') as ''."""
    return ["" if t is None or t is pd.NA or (isinstance(t, float) and np.isnan(t)) else str(t) for t in texts]


def custom_spec(model: LabelModel) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``((field, value ids), ...)`` of the team's codebook fields ``model`` predicts (empty for the
    shipped model): small and picklable, it tells :func:`label_frame` how to name the extra codes."""
    book = getattr(model, "codebook_", None)
    if not book:
        return ()
    return tuple((f.id, f.value_ids) for f in book.fields if f.id in model.custom_fields)


def predict_arrays(texts: list, model: LabelModel, context: list | None = None, *, issue_2: bool = False):
    """Compact predictions: ``(codes, confs, empty)``.

    ``codes`` (n, 4) uint8 index into ``taxonomy.LABELS[field]`` (with ``issue_2``, a fifth
    column: the second issue's index, or ``len(LABELS["issue"])`` for none), ``confs`` (n, 4)
    float64 top-class probabilities (rounded to 4 places), ``empty`` (n,) bool. Small
    numpy arrays, so sending them back from a worker process costs almost nothing.
    ``context`` (one entry per text, optional) is passed on to the model as is.
    A model taught a codebook adds one column per team field (:func:`custom_spec`
    order; code 255 and confidence 0 for an empty text).
    """
    texts = _clean_texts(texts)
    n = len(texts)
    custom = custom_spec(model)
    width = len(FIELDS) + len(custom)
    empty = np.fromiter((not t.strip() for t in texts), dtype=bool, count=n)
    codes = np.zeros((n, width + bool(issue_2)), dtype=np.uint8)
    confs = np.zeros((n, width), dtype=np.float64)
    for j, f in enumerate(FIELDS):
        codes[:, j] = LABELS[f].index(EMPTY_LABELS[f])
    codes[:, len(FIELDS):width] = _NO_CODE
    if issue_2:
        codes[:, width] = len(LABELS["issue"])
    filled = np.flatnonzero(~empty)
    if len(filled):
        # Labels are a function of (text, context) alone: each distinct pair is predicted once
        # (exports repeat short turns such as thanks or "已私信" many times over).
        first: dict = {}
        kw = {"issue_2": True} if issue_2 else {}
        if context is None:
            inverse = np.fromiter((first.setdefault(texts[i], len(first)) for i in filled), dtype=np.int64,
                                  count=len(filled))
            pred = model.predict(list(first), **kw)
        else:
            inverse = np.fromiter((first.setdefault((texts[i], context[i]), len(first)) for i in filled),
                                  dtype=np.int64, count=len(filled))
            pred = model.predict([t for t, _ in first], context=[c for _, c in first], **kw)
        for j, (f, values) in enumerate([*((f, LABELS[f]) for f in FIELDS), *custom]):
            lookup = pd.Index(values)
            codes[filled, j] = lookup.get_indexer(pred[f].to_numpy(dtype=object))[inverse]
            confs[filled, j] = pred[f"{f}_conf"].to_numpy(dtype=float)[inverse]
        if issue_2:
            codes[filled, width] = pd.Index([*LABELS["issue"], ""]).get_indexer(
                pred[ISSUE_2].to_numpy(dtype=object))[inverse]
    return codes, confs, empty


def label_columns(custom: tuple = ()) -> list[str]:
    """The label columns of a tagged table: the four fields, the team's fields, their confidences, the flag."""
    names = [*FIELDS, *(f for f, _ in custom)]
    return [*names, *(f"{f}_conf" for f in names), "needs_review"]


def _needs_review(confs: np.ndarray, review_below: float) -> np.ndarray:
    """The four fields' calibrated confidences flag by their geometric mean (``review_score``); a
    team field (uncalibrated, after the four) flags on its own when it is below the threshold."""
    flag = review_score(confs[:, :len(FIELDS)]) < review_below
    if confs.shape[1] > len(FIELDS):
        flag |= (confs[:, len(FIELDS):] < review_below).any(axis=1)
    return flag


def label_frame(codes: np.ndarray, confs: np.ndarray, empty: np.ndarray,
                review_below: float = DEFAULT_REVIEW_BELOW, custom: tuple = ()) -> pd.DataFrame:
    """The label columns (``LABEL_COLUMNS`` + ``note``) from :func:`predict_arrays`' output.

    ``custom`` (:func:`custom_spec` of the model) names the team's fields after the four;
    their confidences count for ``needs_review`` like the standard fields'."""
    out = {}
    for j, f in enumerate(FIELDS):  # object columns: no per-chunk conversion to Arrow strings and back
        out[f] = pd.Series(_LABEL_ARRAYS[f][codes[:, j]], dtype=object, copy=False)
    for k, (f, values) in enumerate(custom):
        lookup = np.full(256, None, dtype=object)
        lookup[:len(values)] = values
        out[f] = pd.Series(lookup[codes[:, len(FIELDS) + k]], dtype=object, copy=False)
    for j, f in enumerate([*FIELDS, *(f for f, _ in custom)]):
        out[f"{f}_conf"] = confs[:, j]
    out["needs_review"] = _needs_review(confs, review_below) | empty if len(empty) else np.zeros(0, dtype=bool)
    extra = []
    if codes.shape[1] > confs.shape[1]:  # predicted with issue_2: its codes come last, without confidences
        out[ISSUE_2] = pd.Series(np.asarray([*LABELS["issue"], ""], dtype=object)[codes[:, confs.shape[1]]],
                                 dtype=object, copy=False)
        extra = [ISSUE_2]
    out["note"] = pd.Series(np.where(empty, "empty text", "").astype(object), dtype=object, copy=False)
    return pd.DataFrame(out, columns=label_columns(custom) + extra + ["note"])


def predict_texts(texts: list, model: LabelModel, review_below: float = DEFAULT_REVIEW_BELOW,
                  context: list | None = None) -> pd.DataFrame:
    """Labels for a list of texts; empty texts get other/none/neutral and ``needs_review``."""
    return label_frame(*predict_arrays(texts, model, context), review_below, custom_spec(model))


def tag(df: pd.DataFrame, text_col: str | None = None, *, model: LabelModel | None = None,
        review_below: float = DEFAULT_REVIEW_BELOW, thread_col: str | None = None) -> pd.DataFrame:
    """Return ``df`` with ``servqual``, ``demand``, ``issue``, ``stance``, their ``*_conf``,
    ``needs_review`` and ``note`` columns added (existing label columns are replaced), labelled
    as ``voc tag`` labels them (:func:`tag_chunks`, one process): a ``voc split`` transcript with
    its questions as context and the guide's transcript rules, a ``voc split`` ticket's sentences
    with the earlier sentences of their ticket, ``thread_col`` threads with their earlier rows.

    Args:
        df: one row per text; its index and other columns are kept (``df`` is not changed).
        text_col: the column with the texts; by default ``text``, else the one with a known
            name (内容、投诉内容 …) as ``voc tag`` finds it
            (:func:`voiceofcustomer.statements.statement_columns`).
        model: a loaded :class:`LabelModel`, or the folder (or ``labels.joblib``) that ``voc train``
            wrote, as ``voc tag --model`` takes it (default: the shipped one, loaded once).
        review_below: ``needs_review`` when the geometric mean of the four confidences is below it.
        thread_col: rows sharing its value are one thread (each gets the earlier rows as context).

    Raises:
        InputError: ``df`` is not a DataFrame (a Series, a path, a list of texts).
        ColumnError: no text column can be told, or ``text_col``/``thread_col`` is not a column.
    """
    from voiceofcustomer.statements import statement_columns, table_param

    # voc.open_statements, not pd.read_csv: a GBK export, a title row above the header, a workbook read as voc tag reads them
    df = table_param(df, "df", "voc.open_statements(path).read() (as voc tag reads it: a GBK export too), or label "
                               "the file as voc tag does with voc.tag_table(path, output)")
    text_col = statement_columns(df.columns, text_col=text_col)[0]
    if isinstance(model, (str, Path)):  # voc.tag(df, model="my-model/"), as voc tag --model my-model/
        model = load_model(model)
    elif model is not None and not isinstance(model, LabelModel):
        from voiceofcustomer.errors import InputError

        raise InputError(f"model= takes a model folder's path (what voc train -o wrote) or a loaded model, not "
                         f"{type(model).__name__}", params=("model",))
    if thread_col is not None and thread_col not in df.columns:
        from voiceofcustomer.errors import no_column

        raise no_column("", thread_col, df.columns, "thread_col")
    from voiceofcustomer.labels.context import CONTEXT_COL, with_context

    # The same path as voc tag: a focus group's question context and the guide's transcript
    # rules, the reader's note of an empty cell; one chunk, in this process.
    chunks = with_context([df.reset_index(drop=True)], text_col, thread_col)
    out = next(iter(tag_chunks(chunks, text_col, model=model or load_fast_model(), n_jobs=1,
                               review_below=review_below, drop_columns=(), context_col=CONTEXT_COL)))
    out.index = df.index
    return out


def _text_keys(texts: list) -> np.ndarray:
    """8-byte hashes of the texts as int64 (the labels are a function of the text alone)."""
    return np.array([int.from_bytes(hashlib.blake2b(("" if t is None else str(t)).encode("utf-8"), digest_size=8)
                                    .digest(), "little", signed=True) for t in texts], dtype=np.int64)


class PreviousLabels:
    """Labels of an earlier ``voc tag`` output, so that re-running on a grown export tags
    only the new texts: a text already labelled keeps its labels, nothing is tagged twice.

    Stored compactly (sorted 8-byte text hashes, one byte per label, float32 confidences):
    about 30 bytes a row, so ten million earlier rows fit in some 300 MB.
    """

    def __init__(self, keys: np.ndarray, codes: np.ndarray, confs: np.ndarray, source: str = ""):
        order = np.argsort(keys, kind="stable")
        self.keys, self.codes, self.confs, self.source = keys[order], codes[order], confs[order], source

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def read(cls, path: str | Path, *, text_col: str | None = None, encoding: str | None = None,
             sheet: str | None = None) -> "PreviousLabels":
        """Read an earlier tagged table: any shape ``voc tag`` writes, opened as every stage opens
        statements (:func:`voiceofcustomer.statements.open_statements`), so a tag export that
        keeps the user's column names (``投诉内容``) works as well as a tagged statements table."""
        from voiceofcustomer.errors import ColumnError
        from voiceofcustomer.statements import TEXT, open_statements

        source = open_statements(path, text_col=text_col, encoding=encoding, sheet=sheet, chunksize=50_000)
        missing = [c for c in LABEL_COLUMNS[:-1] if c not in source.columns]
        if missing:
            raise ColumnError(f"{path}: not a `voc tag` output (no {', '.join(missing)}); give the earlier tagged file")
        keys, codes, confs = [], [], []
        lookup = {f: {lab: i for i, lab in enumerate(LABELS[f])} for f in FIELDS}
        for chunk in source.chunks():
            ok = np.ones(len(chunk), dtype=bool)
            c = np.zeros((len(chunk), len(FIELDS)), dtype=np.uint8)
            for j, f in enumerate(FIELDS):
                mapped = chunk[f].map(lookup[f])
                ok &= mapped.notna().to_numpy()
                c[:, j] = mapped.fillna(0).astype(np.uint8).to_numpy()
            conf = chunk[[f"{f}_conf" for f in FIELDS]].apply(pd.to_numeric, errors="coerce").to_numpy(np.float32)
            ok &= ~np.isnan(conf).any(axis=1)
            # CSV/Excel outputs quote texts that start like a formula ('=…): undo that here
            texts = [t[1:] if isinstance(t, str) and t[:1] == "'" and t[1:2] in FORMULA_START else t
                     for t in chunk[TEXT].tolist()]
            keys.append(_text_keys(texts)[ok])
            codes.append(c[ok])
            confs.append(conf[ok])
        if not keys:
            return cls(np.zeros(0, np.int64), np.zeros((0, 4), np.uint8), np.zeros((0, 4), np.float32), str(path))
        return cls(np.concatenate(keys), np.concatenate(codes), np.concatenate(confs), str(path))

    def lookup(self, texts: list, review_below: float, contexts: list | None = None) -> tuple[np.ndarray, pd.DataFrame]:
        """``(found, labels)``: which texts were labelled before, and their label columns.

        A row with a context (a thread's or a split ticket's earlier turns, a focus-group question) is
        never found: an output records no context, so "请尽快处理。" labelled under a broadband ticket
        would lend its labels to the same words under a billing one."""
        keys = _text_keys(texts)
        pos = np.searchsorted(self.keys, keys).clip(0, max(len(self.keys) - 1, 0))
        found = (self.keys[pos] == keys) if len(self.keys) else np.zeros(len(keys), dtype=bool)
        if contexts is not None:
            found &= np.array([not str(c or "").strip() for c in contexts], dtype=bool)
        hit = pos[found]
        out = pd.DataFrame(index=range(int(found.sum())))
        for j, f in enumerate(FIELDS):
            out[f] = np.asarray(LABELS[f], dtype=object)[self.codes[hit, j]]
            out[f"{f}_conf"] = self.confs[hit, j].astype(float).round(4)
        confs = self.confs[hit].astype(float)
        out["needs_review"] = review_score(confs) < review_below if len(hit) else np.zeros(0, dtype=bool)
        empty = np.array([not str(t or "").strip() for t in np.asarray(texts, dtype=object)[found]], dtype=bool)
        out["needs_review"] |= empty
        out["note"] = np.where(empty, "empty text", "")
        return found, out[LABEL_COLUMNS + ["note"]]


def load_fast_model(model_path: str | Path | None = None) -> LabelModel:
    """The model with its exactly equal fast featuriser (what every tagging engine uses)."""
    return load_model(model_path).accelerated()


def _quiet_worker() -> None:
    """A worker process leaves Ctrl-C to the parent: in a terminal it reaches every process of the
    group, and each worker printed its own KeyboardInterrupt traceback, and workers so stopped while
    idle could leave the pool's shutdown waiting for ever. The parent stops the pool (SIGTERM), which
    ends a worker at once and without a word: SIGTERM is set back to the default here, since a forked
    worker inherits the handler that ``voc`` gives its main process (``cli.support.sigterm_as_interrupt``).
    (SIGTERM is not turned into an interrupt: a worker it ends while waiting for a task holds the
    task queue's lock, and the pool's shutdown would wait for it for ever.) A worker is forked with
    SIGTERM blocked (:func:`_worker_pool`): a stop that came before this line is taken here, by the default.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


@contextlib.contextmanager
def _worker_pool(ctx, n_jobs: int, init, initargs) -> Iterator:
    """``ctx.Pool(n_jobs, initializer=init)``, its workers forked (now and when the pool replaces one) with
    SIGTERM blocked until their initializer has set it back to the default (:func:`_quiet_worker`).

    Why: a forked worker inherits the handler ``voc`` gives its main process, which raises an interrupt
    (``cli.support.sigterm_as_interrupt``). A run that stopped as its workers started — a malformed row on
    an export's first lines, ``voc tag bad.csv`` — stopped the pool (SIGTERM) while a worker had not yet
    reached its initializer, and that worker printed a 20-line ``Terminated`` traceback under the run's
    one-line message. The pool's own threads, started here, keep the mask for the workers they fork."""
    masked = hasattr(signal, "pthread_sigmask")
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}) if masked else None
    try:
        pool = ctx.Pool(n_jobs, initializer=init, initargs=initargs)
    except BaseException:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
        raise
    with pool:
        if masked:  # a SIGTERM to this process meanwhile is raised here, and the pool is stopped
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
        yield pool


def _init_worker(model_path: str | None) -> None:
    global _worker_model
    _quiet_worker()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _worker_model = load_fast_model(model_path)


def _merge(chunk: pd.DataFrame, arrays, reuse, drop_columns, review_below, custom: tuple = ()) -> pd.DataFrame:
    """The chunk's own columns (minus ``drop_columns``) followed by the label columns."""
    pred = label_frame(*arrays, review_below, custom)
    if reuse is not None:
        found, known = reuse
        full = {}
        for c in pred.columns:
            new = pred[c].to_numpy()
            col = np.empty(len(chunk), dtype=new.dtype)
            col[np.flatnonzero(found)] = known[c].to_numpy(dtype=new.dtype)
            col[np.flatnonzero(~found)] = new
            full[c] = pd.Series(col, dtype=pred[c].dtype, copy=False)
        pred = pd.DataFrame(full, columns=pred.columns)
    _carry_reader_notes(chunk, pred)
    base = chunk.drop(columns=[c for c in (*drop_columns, *pred.columns, ROW_NOTE) if c in chunk.columns])
    return transcript_rules(pd.concat([base.reset_index(drop=True), pred], axis=1))  # focus groups (R7)


def _carry_reader_notes(chunk: pd.DataFrame, pred: pd.DataFrame) -> None:
    """An empty text's note says why when the reader knew (an Excel formula with no saved
    value): from the reader's ``_note`` column, or from the ``note`` of a ``voc split`` table.
    A ticket's staff section (``role`` ``staff``, read by the model as an empty text: :func:`_model_texts`) keeps
    the note ``voc split`` gave it, naming the section, or gets one."""
    from voiceofcustomer.statements import staff_note, staff_rows

    staff = staff_rows(chunk)
    if staff.any():
        given = (chunk["note"].to_numpy(dtype=object) if "note" in chunk.columns
                 else np.full(len(chunk), None, dtype=object))
        note = pred["note"].to_numpy(dtype=object).copy()
        for i in np.flatnonzero(staff):
            note[i] = given[i] if isinstance(given[i], str) and given[i].startswith("staff section") \
                else staff_note("")
        pred["note"] = pd.Series(note, index=pred.index, dtype=object)
        # its placeholder labels need no review: it is no customer statement (thousands in a ticket export)
        pred["needs_review"] = pred["needs_review"].to_numpy(dtype=bool) & ~staff
    for col in (ROW_NOTE, "note"):
        if col in chunk.columns:
            given = chunk[col].to_numpy(dtype=object)
            keep = np.fromiter((carried_note(v) for v in given), dtype=bool, count=len(given))
            if keep.any():
                note = pred["note"].to_numpy(dtype=object).copy()
                note[keep & (note == "empty text")] = given[keep & (note == "empty text")]
                pred["note"] = pd.Series(note, index=pred.index, dtype=object)


def _model_texts(chunk: pd.DataFrame, text_col: str) -> list:
    """The texts the model reads: a totals row's (``合计,,,,共330条``), a repeated header row's or a garbled text's
    (the reader's note, :func:`_mark_garbled`'s, or the ``note`` of an earlier output read again) as an empty text,
    so it gets an empty text's labels and ``needs_review``, and keeps its note; and a ticket's staff section
    (``role`` ``staff``: 【处理结果】已解决。), which is no customer statement: it is neither labelled nor counted.

    A ticket read whole (``voc tag`` on an export, not split) is labelled by its customer's sections only
    (:func:`voiceofcustomer.text.sections.ticket_sections`): 【工单回访】客户表示满意 made a broadband complaint
    praise. Its text is written out whole; a ticket of staff sections only is read as it is."""
    from voiceofcustomer.statements import customer_ticket_texts, staff_rows

    texts = customer_ticket_texts(chunk, text_col)
    for i in np.flatnonzero(staff_rows(chunk)):
        texts[i] = ""
    for col in (ROW_NOTE, "note"):
        if col in chunk.columns:
            for i in np.flatnonzero(np.isin(chunk[col].to_numpy(dtype=object), _NO_TEXT_NOTES)):
                texts[i] = ""
    return texts


#: the notes of rows whose text the model does not read (:func:`_model_texts`)
_NO_TEXT_NOTES = (*SET_ASIDE_NOTES, GARBLED_NOTE)


def _mark_garbled(chunk: pd.DataFrame, text_col: str) -> pd.DataFrame:
    """``chunk`` with the reader's note (``_note``) :data:`GARBLED_NOTE` on each row whose text looks garbled
    (:func:`voiceofcustomer.text.garbled.garbled_text`: mojibake, 锟斤拷, ``??????``) and has no note yet.

    Why: a GBK export's mojibake rows were labelled none/other/neutral with no note and counted in the
    frequencies; so noted, the row is labelled as an empty text, flagged, says what to do, and no stage counts
    it (:func:`voiceofcustomer.statements.counted_mask`)."""
    from voiceofcustomer.text.garbled import garbled_text

    if text_col not in chunk.columns:
        return chunk
    garbled = garbled_text(chunk[text_col])
    if not garbled.any():
        return chunk
    notes = (chunk[ROW_NOTE].to_numpy(dtype=object).copy() if ROW_NOTE in chunk.columns
             else np.full(len(chunk), None, dtype=object))
    given = chunk["note"].to_numpy(dtype=object) if "note" in chunk.columns else notes
    free = np.array([not isinstance(a, str) or not a for a in notes], dtype=bool) \
        & np.array([not carried_note(b) for b in given], dtype=bool)
    notes[garbled & free] = GARBLED_NOTE
    return chunk.assign(**{ROW_NOTE: pd.Series(notes, index=chunk.index, dtype=object)})


def tag_counts(merged: pd.DataFrame, text_col: str) -> dict[str, int]:
    """What a run's summary says of a tagged chunk: its ``rows``; ``needs_review``, the flagged rows among the
    statements that count (:func:`voiceofcustomer.statements.counted_mask`: the queue a reviewer works through,
    as the report's 需复核 counts them); the rows that are no statement to count, by why: ``empty_rows`` (no text),
    ``garbled_rows``, ``totals_rows``, ``header_rows``, ``staff_rows`` (a ticket's staff sections: role ``staff``).

    Why: the summary's "N need review" counted the empty and totals rows (flagged, since an empty text's labels
    are placeholders) while the report's 需复核 counted only the statements it counts, so the two disagreed."""
    from voiceofcustomer.statements import IS_DUPLICATE, NOTE, ROLE, TEXT, counted_mask, staff_rows

    cols = {TEXT: merged[text_col]} if text_col in merged.columns else {}
    cols.update({c: merged[c] for c in (ROLE, IS_DUPLICATE, NOTE) if c in merged.columns})
    counts = counted_mask(pd.DataFrame(cols, index=merged.index))
    note = merged["note"].to_numpy(dtype=object)
    totals, headers, garbled = note == TOTALS_NOTE, note == HEADER_NOTE, note == GARBLED_NOTE
    from voiceofcustomer.statements import blank_text

    empty = (blank_text(merged[text_col]) if text_col in merged.columns else np.zeros(len(merged), dtype=bool)) \
        & ~totals & ~headers & ~garbled
    return {"rows": len(merged), "needs_review": int((merged["needs_review"].to_numpy(dtype=bool) & counts).sum()),
            "empty_rows": int(empty.sum()), "garbled_rows": int(garbled.sum()),
            "staff_rows": int(staff_rows(merged).sum()),
            "totals_rows": int(totals.sum()), "header_rows": int(headers.sum())}


def _inputs(chunk: pd.DataFrame, text_col: str, context_col: str | None, reuse):
    texts = _model_texts(chunk, text_col)
    context = _clean_texts(chunk[context_col].tolist()) if context_col else None
    if reuse is None:
        return texts, context
    keep = np.flatnonzero(~reuse[0])
    return [texts[i] for i in keep], [context[i] for i in keep] if context is not None else None


def _run(model: LabelModel, job: tuple):
    """One chunk: compact arrays, or with a ``sink`` the merged chunk handed to it (in the worker)."""
    chunk, text_col, context_col, reuse, review_below, drop_columns, sink, *more = job
    texts, context = _inputs(chunk, text_col, context_col, reuse)
    arrays = predict_arrays(texts, model, context, issue_2=bool(more and more[0]))
    if sink is None:
        return arrays
    merged = _merge(chunk, arrays, reuse, drop_columns, review_below, custom_spec(model))
    return {**tag_counts(merged, text_col), "sink": sink(merged)}


def _predict_in_worker(job):
    return _run(_worker_model, job)


def tag_chunks(chunks: Iterable[pd.DataFrame], text_col: str, *, model_path: str | Path | None = None,
               review_below: float = DEFAULT_REVIEW_BELOW, n_jobs: int | None = None,
               drop_columns: tuple[str, ...] = ("_row", "ticket_id"), previous: PreviousLabels | None = None,
               stats: dict | None = None, progress: Callable[[int], None] | None = None,
               context_col: str | None = None, model: LabelModel | None = None,
               sink: Callable[[int, pd.DataFrame], object] | None = None, issue_2: bool = False) -> Iterator:
    """Tag a stream of chunks, yielding tagged chunks in input order.

    ``n_jobs`` worker processes (default: all cores) each load the model once;
    with ``n_jobs=1`` everything runs in this process (with ``model`` if given, e.g. a
    model already loaded on a Dask worker). With ``previous``, texts labelled in an
    earlier run keep their labels and only new texts are tagged; ``stats`` (a dict)
    receives the counts ``reused`` and ``tagged``. ``context_col`` names a column whose
    values go to the model alongside the texts (one per row): the context
    :func:`~voiceofcustomer.labels.context.with_context` computes over the whole stream (threads,
    split tickets, transcripts). Context columns are not written to the output. ``issue_2`` adds the ``issue_2`` column (a second issue,
    see :meth:`LabelModel.secondary_issue`); it cannot be combined with ``previous``.

    With ``sink`` (a picklable ``sink(i, tagged_chunk)``, e.g. a ``functools.partial``
    of a module-level function), each worker hands its tagged chunk ``i`` to the sink
    itself (for instance writing it to a part file) and this yields, in order,
    ``{"rows", "needs_review", "sink": <what the sink returned>}`` instead of the chunk:
    the parent process then only reads and dispatches, which keeps it from being the
    bottleneck. Without it, workers send back compact arrays (:func:`predict_arrays`)
    and the chunks are assembled here. At most ``2 * n_jobs`` chunks are in flight, so
    memory stays flat.
    """
    import functools

    from voiceofcustomer.statements import number_param

    # the CLI's FloatRange(0, 1): a library call got every row flagged, a string a TypeError
    review_below = number_param(review_below, "review_below", low=0, high=1, means="a geometric mean of confidences")
    if issue_2 and previous is not None and len(previous):
        from voiceofcustomer.errors import InputError

        raise InputError("issue_2=True cannot be combined with reuse= (an earlier output has no issue_2 to reuse); "
                         "tag the whole file with issue_2=True", params=("issue_2", "reuse"))
    n_jobs = n_jobs or os.cpu_count() or 1
    stats = stats if stats is not None else {}
    stats.setdefault("reused", 0)
    stats.setdefault("tagged", 0)

    ctx_col = context_col
    dropped = tuple(drop_columns) + ((ctx_col,) if ctx_col else ())

    def job(i: int, chunk: pd.DataFrame):
        chunk = _mark_garbled(chunk, text_col)
        reuse = None
        if previous is not None and len(previous):
            reuse = previous.lookup(_model_texts(chunk, text_col), review_below,
                                    chunk[ctx_col].tolist() if ctx_col and ctx_col in chunk.columns else None)
        n_reused = int(reuse[0].sum()) if reuse is not None else 0
        stats["reused"] += n_reused
        stats["tagged"] += len(chunk) - n_reused
        part = functools.partial(sink, i) if sink is not None else None
        return (chunk, text_col, ctx_col, reuse, review_below, dropped, part, issue_2)

    def finish(j: tuple, result):
        if sink is not None:
            n_reused = int(j[3][0].sum()) if j[3] is not None else 0
            out = {**result, "reused": n_reused, "tagged": result["rows"] - n_reused}
        else:
            out = _merge(j[0], result, j[3], dropped, review_below, custom)
        if progress:
            progress(len(j[0]))
        return out

    def check(spec: tuple) -> tuple:
        if spec and previous is not None and len(previous):
            from voiceofcustomer.errors import InputError

            raise InputError("reuse= keeps only the four taxonomy labels; a model taught a codebook "
                             f"({', '.join(f for f, _ in spec)}) must tag every row: run without reuse=",
                             params=("reuse",))
        return spec

    if n_jobs <= 1:
        model = model or load_fast_model(model_path)
        custom = check(custom_spec(model))
        for i, chunk in enumerate(chunks):
            j = job(i, chunk)
            yield finish(j, _run(model, j))
        return

    global _worker_model
    if "fork" in mp.get_all_start_methods():
        # Load (and warm up: segmenter dictionary) once here; forked workers share it.
        _worker_model = model or load_fast_model(model_path)
        custom = check(custom_spec(_worker_model))
        predict_arrays(["预热"], _worker_model)
        ctx, init, initargs = mp.get_context("fork"), _quiet_worker, ()
    else:
        custom = check(custom_spec(load_model(model_path)))  # fail here, with a clear message, not in a worker
        ctx, init, initargs = mp.get_context(), _init_worker, (str(model_path) if model_path else None,)
    with _worker_pool(ctx, n_jobs, init, initargs) as pool:
        pending: collections.deque = collections.deque()
        for i, chunk in enumerate(chunks):
            j = job(i, chunk)
            # with a sink the chunk itself travels; without, only its texts (the chunk stays here)
            sent = j
            if sink is None:
                texts, context = _inputs(j[0], text_col, ctx_col, j[3])
                sent = (pd.DataFrame({"t": texts, **({"c": context} if context is not None else {})}),
                        "t", "c" if context is not None else None, None, review_below, (), None, issue_2)
            pending.append((j, pool.apply_async(_predict_in_worker, (sent,))))
            while len(pending) > 2 * n_jobs:
                jj, res = pending.popleft()
                yield finish(jj, res.get())
        while pending:
            jj, res = pending.popleft()
            yield finish(jj, res.get())
