"""Batch tagging: every row back, in order, with four labels, confidences and a review flag.

Streams chunks through a small pool of worker processes (one model copy each),
keeping at most ``2 * n_jobs`` chunks in flight, so memory stays flat whatever
the size of the export.
"""

from __future__ import annotations

import collections
import multiprocessing as mp
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from .classify import LabelModel, load_model
from .taxonomy import FIELDS

__all__ = ["tag", "tag_chunks", "predict_texts", "LABEL_COLUMNS", "DEFAULT_REVIEW_BELOW"]

LABEL_COLUMNS = [*FIELDS, *(f"{f}_conf" for f in FIELDS), "needs_review"]
# Below this top-class probability a label is worth a human look. On the
# cross-validated corpus, statements whose lowest field confidence is >= 0.5 are
# right far more often than those below (see models/README.md).
DEFAULT_REVIEW_BELOW = 0.5

_worker_model: LabelModel | None = None


def predict_texts(texts: list, model: LabelModel, review_below: float = DEFAULT_REVIEW_BELOW) -> pd.DataFrame:
    """Labels for a list of texts; empty texts get other/none/neutral and ``needs_review``."""
    texts = ["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t) for t in texts]
    empty = np.array([not t.strip() for t in texts], dtype=bool)
    out = pd.DataFrame(index=range(len(texts)), columns=LABEL_COLUMNS + ["note"])
    filled = [t for t, e in zip(texts, empty) if not e]
    if filled:
        pred = model.predict(filled)
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
        review_below: float = DEFAULT_REVIEW_BELOW) -> pd.DataFrame:
    """Return ``df`` with ``servqual``, ``demand``, ``issue``, ``stance``, their ``*_conf``,
    ``needs_review`` and ``note`` columns added (existing label columns are replaced)."""
    if text_col not in df.columns:
        from .errors import ColumnError

        raise ColumnError(f"no column {text_col!r}; columns are: {', '.join(map(str, df.columns))}")
    model = model or load_model()
    pred = predict_texts(df[text_col].tolist(), model, review_below)
    base = df.drop(columns=[c for c in pred.columns if c in df.columns]).reset_index(drop=True)
    out = pd.concat([base, pred], axis=1)
    out.index = df.index
    return out


def _init_worker(model_path: str | None) -> None:
    global _worker_model
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _worker_model = load_model(model_path)


def _predict_in_worker(args) -> pd.DataFrame:
    texts, review_below = args
    return predict_texts(texts, _worker_model, review_below)


def tag_chunks(chunks: Iterable[pd.DataFrame], text_col: str, *, model_path: str | Path | None = None,
               review_below: float = DEFAULT_REVIEW_BELOW, n_jobs: int | None = None,
               drop_columns: tuple[str, ...] = ("_row", "ticket_id"),
               progress: Callable[[int], None] | None = None) -> Iterator[pd.DataFrame]:
    """Tag a stream of chunks, yielding tagged chunks in input order.

    ``n_jobs`` worker processes (default: all cores) each load the model once;
    with ``n_jobs=1`` everything runs in this process.
    """
    n_jobs = n_jobs or os.cpu_count() or 1

    def merge(chunk: pd.DataFrame, pred: pd.DataFrame) -> pd.DataFrame:
        base = chunk.drop(columns=[c for c in (*drop_columns, *pred.columns) if c in chunk.columns])
        merged = pd.concat([base.reset_index(drop=True), pred.reset_index(drop=True)], axis=1)
        if progress:
            progress(len(merged))
        return merged

    if n_jobs <= 1:
        model = load_model(model_path)
        for chunk in chunks:
            yield merge(chunk, predict_texts(chunk[text_col].tolist(), model, review_below))
        return

    load_model(model_path)  # fail here, with a clear message, not inside a worker
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(n_jobs, initializer=_init_worker, initargs=(str(model_path) if model_path else None,)) as pool:
        pending: collections.deque = collections.deque()
        for chunk in chunks:
            pending.append((chunk, pool.apply_async(_predict_in_worker, ((chunk[text_col].tolist(), review_below),))))
            while len(pending) > 2 * n_jobs:
                c, res = pending.popleft()
                yield merge(c, res.get())
        while pending:
            c, res = pending.popleft()
            yield merge(c, res.get())
