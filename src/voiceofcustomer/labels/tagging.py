"""Batch tagging: every row back, in order, with four labels, confidences and a review flag.

Streams chunks through a small pool of worker processes (one model copy each),
keeping at most ``2 * n_jobs`` chunks in flight, so memory stays flat whatever
the size of the export.
"""

from __future__ import annotations

import collections
import hashlib
import multiprocessing as mp
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from voiceofcustomer.labels.context import ThreadContext
from voiceofcustomer.labels.model import LabelModel, load_model
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS
from voiceofcustomer.io.writers import FORMULA_START

__all__ = ["tag", "tag_chunks", "predict_texts", "PreviousLabels", "LABEL_COLUMNS", "DEFAULT_REVIEW_BELOW"]

LABEL_COLUMNS = [*FIELDS, *(f"{f}_conf" for f in FIELDS), "needs_review"]
from voiceofcustomer.labels.taxonomy import DEFAULT_REVIEW_BELOW  # noqa: E402  (chosen on real text)

_worker_model: LabelModel | None = None


def predict_texts(texts: list, model: LabelModel, review_below: float = DEFAULT_REVIEW_BELOW,
                  context: list | None = None) -> pd.DataFrame:
    """Labels for a list of texts (``context``: each text's earlier turns as one string, or None);
    empty texts get other/none/neutral and ``needs_review``."""
    texts = ["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t) for t in texts]
    empty = np.array([not t.strip() for t in texts], dtype=bool)
    out = pd.DataFrame(index=range(len(texts)), columns=LABEL_COLUMNS + ["note"])
    filled = [t for t, e in zip(texts, empty) if not e]
    if filled:
        ctx = None if context is None else [c for c, e in zip(context, empty) if not e]
        pred = model.predict(filled, ctx)
        for c in pred.columns:
            out.loc[~empty, c] = pred[c].to_numpy()
    out.loc[empty, ["servqual", "demand", "issue", "stance"]] = ["none", "none", "other", "neutral"]
    for f in FIELDS:
        out.loc[empty, f"{f}_conf"] = 0.0
        out[f"{f}_conf"] = out[f"{f}_conf"].astype(float)
    confs = out[[f"{f}_conf" for f in FIELDS]].to_numpy(dtype=float)
    out["needs_review"] = (confs.min(axis=1) < review_below) | empty
    out["note"] = np.where(empty, "empty text", "")
    return out


def tag(df: pd.DataFrame, text_col: str = "text", *, model: LabelModel | None = None,
        review_below: float = DEFAULT_REVIEW_BELOW, thread_col: str | None = None) -> pd.DataFrame:
    """Return ``df`` with ``servqual``, ``demand``, ``issue``, ``stance``, their ``*_conf``,
    ``needs_review`` and ``note`` columns added (existing label columns are replaced)."""
    if text_col not in df.columns:
        from voiceofcustomer.errors import ColumnError

        raise ColumnError(f"no column {text_col!r}; columns are: {', '.join(map(str, df.columns))}")
    if thread_col is not None and thread_col not in df.columns:
        from voiceofcustomer.errors import ColumnError

        raise ColumnError(f"no thread column {thread_col!r}; columns are: {', '.join(map(str, df.columns))}")
    model = model or load_model()
    context = ThreadContext().contexts(df[thread_col].tolist(), df[text_col].tolist()) if thread_col else None
    pred = predict_texts(df[text_col].tolist(), model, review_below, context)
    base = df.drop(columns=[c for c in pred.columns if c in df.columns]).reset_index(drop=True)
    out = pd.concat([base, pred], axis=1)
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
        """Read an earlier tagged table (any format ``voc tag`` writes)."""
        from voiceofcustomer.errors import ColumnError
        from voiceofcustomer.io.readers import open_table

        source = open_table(path, text_col=text_col, encoding=encoding, sheet=sheet, chunksize=50_000)
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
                     for t in chunk[source.text_col].tolist()]
            keys.append(_text_keys(texts)[ok])
            codes.append(c[ok])
            confs.append(conf[ok])
        if not keys:
            return cls(np.zeros(0, np.int64), np.zeros((0, 4), np.uint8), np.zeros((0, 4), np.float32), str(path))
        return cls(np.concatenate(keys), np.concatenate(codes), np.concatenate(confs), str(path))

    def lookup(self, texts: list, review_below: float) -> tuple[np.ndarray, pd.DataFrame]:
        """``(found, labels)``: which texts were labelled before, and their label columns."""
        keys = _text_keys(texts)
        pos = np.searchsorted(self.keys, keys).clip(0, max(len(self.keys) - 1, 0))
        found = (self.keys[pos] == keys) if len(self.keys) else np.zeros(len(keys), dtype=bool)
        hit = pos[found]
        out = pd.DataFrame(index=range(int(found.sum())))
        for j, f in enumerate(FIELDS):
            out[f] = np.asarray(LABELS[f], dtype=object)[self.codes[hit, j]]
            out[f"{f}_conf"] = self.confs[hit, j].astype(float).round(4)
        confs = self.confs[hit].astype(float)
        out["needs_review"] = confs.min(axis=1) < review_below if len(hit) else np.zeros(0, dtype=bool)
        empty = np.array([not str(t or "").strip() for t in np.asarray(texts, dtype=object)[found]], dtype=bool)
        out["needs_review"] |= empty
        out["note"] = np.where(empty, "empty text", "")
        return found, out[LABEL_COLUMNS + ["note"]]


def _init_worker(model_path: str | None) -> None:
    global _worker_model
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _worker_model = load_model(model_path)


def _predict_in_worker(args) -> pd.DataFrame:
    texts, review_below, context = args
    return predict_texts(texts, _worker_model, review_below, context)


def tag_chunks(chunks: Iterable[pd.DataFrame], text_col: str, *, model_path: str | Path | None = None,
               review_below: float = DEFAULT_REVIEW_BELOW, n_jobs: int | None = None,
               drop_columns: tuple[str, ...] = ("_row", "ticket_id"), previous: PreviousLabels | None = None,
               stats: dict | None = None, progress: Callable[[int], None] | None = None,
               thread_col: str | None = None, context_col: str | None = None) -> Iterator[pd.DataFrame]:
    """Tag a stream of chunks, yielding tagged chunks in input order.

    ``n_jobs`` worker processes (default: all cores) each load the model once;
    with ``n_jobs=1`` everything runs in this process. With ``previous``, texts
    labelled in an earlier run keep their labels and only new texts are tagged;
    ``stats`` (a dict) receives the counts ``reused`` and ``tagged``. With ``thread_col``,
    rows sharing its value are one thread and each row is labelled with the earlier turns
    as context (computed here, in input order, by :class:`ThreadContext`); ``context_col``
    gives ready-made context strings instead (dropped from the output).
    """
    n_jobs = n_jobs or os.cpu_count() or 1
    stats = stats if stats is not None else {}
    stats.setdefault("reused", 0)
    stats.setdefault("tagged", 0)

    threads = ThreadContext() if thread_col else None

    def todo(chunk: pd.DataFrame):
        if thread_col and thread_col not in chunk.columns:
            from voiceofcustomer.errors import ColumnError

            raise ColumnError(f"no thread column {thread_col!r}; columns are: {', '.join(map(str, chunk.columns))}")
        texts = chunk[text_col].tolist()
        context = (threads.contexts(chunk[thread_col].tolist(), texts) if threads is not None
                   else chunk[context_col].fillna("").astype(str).tolist() if context_col else None)
        if previous is None or not len(previous):
            return texts, context, None
        found, known = previous.lookup(texts, review_below)
        context = None if context is None else [c for c, f in zip(context, found) if not f]
        return [t for t, f in zip(texts, found) if not f], context, (found, known)

    def merge(chunk: pd.DataFrame, pred: pd.DataFrame, reuse) -> pd.DataFrame:
        if reuse is not None:
            found, known = reuse
            full = pd.DataFrame(index=range(len(chunk)), columns=pred.columns)
            full.loc[np.flatnonzero(found)] = known.to_numpy()
            full.loc[np.flatnonzero(~found)] = pred.to_numpy()
            pred = full.astype({c: pred[c].dtype for c in pred.columns})
            stats["reused"] += int(found.sum())
        stats["tagged"] += len(chunk) - (int(reuse[0].sum()) if reuse is not None else 0)
        base = chunk.drop(columns=[c for c in (*drop_columns, *pred.columns, context_col) if c in chunk.columns])
        merged = pd.concat([base.reset_index(drop=True), pred.reset_index(drop=True)], axis=1)
        if progress:
            progress(len(merged))
        return merged

    if n_jobs <= 1:
        model = load_model(model_path)
        for chunk in chunks:
            texts, context, reuse = todo(chunk)
            yield merge(chunk, predict_texts(texts, model, review_below, context), reuse)
        return

    load_model(model_path)  # fail here, with a clear message, not inside a worker
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(n_jobs, initializer=_init_worker, initargs=(str(model_path) if model_path else None,)) as pool:
        pending: collections.deque = collections.deque()
        for chunk in chunks:
            texts, context, reuse = todo(chunk)
            pending.append((chunk, reuse, pool.apply_async(_predict_in_worker, ((texts, review_below, context),))))
            while len(pending) > 2 * n_jobs:
                c, r, res = pending.popleft()
                yield merge(c, res.get(), r)
        while pending:
            c, r, res = pending.popleft()
            yield merge(c, res.get(), r)
