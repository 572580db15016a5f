"""``voc tag --adapt``: fit the label model to the user's own (unlabelled) text.

Why: the corpus is written by this team; a user's export has its own vocabulary (product
names, local slang, the operator's own template phrases). Self-training: the model labels
the input, the rows it is confident about on all four fields join the corpus (down-weighted),
and a new model is fitted whose vocabulary includes the input's n-grams. Deterministic (the
rows are taken in input order, the solvers are seeded) and bounded (at most ``max_rows``
input rows are read for it).

Measured on real helpdesk posts (benchmarks/classify_real.py, ``adapt`` rows): see
models/README.md; it is off by default.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.model import LabelModel, corpus_context, load_corpus
from voiceofcustomer.labels.taxonomy import FIELDS

__all__ = ["adapt_model", "ADAPT_MIN_CONF", "ADAPT_MAX_ROWS"]

ADAPT_MIN_CONF = 0.7
ADAPT_MAX_ROWS = 20_000
ADAPT_WEIGHT = 0.5


def adapt_model(model: LabelModel, texts: Sequence[str], context: Sequence[str] | None = None, *,
                corpus: pd.DataFrame | str | None = None, min_conf: float = ADAPT_MIN_CONF,
                max_rows: int = ADAPT_MAX_ROWS, weight: float = ADAPT_WEIGHT) -> tuple[LabelModel, dict]:
    """A copy of ``model`` refitted on the corpus plus the confidently labelled input rows.

    Returns ``(adapted model, stats)``; ``stats`` has ``input_rows`` and ``pseudo_labelled``.
    The calibration maps of ``model`` are kept (the heads' confidence scale barely moves).
    """
    from voiceofcustomer.resources import data_path

    if getattr(model, "custom_fields", ()):
        raise InputError("--adapt refits on the shipped corpus and would drop the team's codebook fields "
                         f"({', '.join(model.custom_fields)}); tag without --adapt")
    texts = [str(t) for t in list(texts)[:max_rows]]
    context = None if context is None else [str(c or "") for c in list(context)[:max_rows]]
    if corpus is None or isinstance(corpus, str):
        corpus = load_corpus(corpus or data_path("corpora", "labelled"))
    corpus = corpus.sort_values("id" if "id" in corpus.columns else "text", kind="stable").reset_index(drop=True)
    keep = [i for i, t in enumerate(texts) if t.strip()]
    if not keep:
        raise InputError("--adapt: the input has no text to adapt to")
    pred = model.predict([texts[i] for i in keep], None if context is None else [context[i] for i in keep])
    conf = pred[[f"{f}_conf" for f in FIELDS]].to_numpy(dtype=float).min(axis=1)
    sure = np.flatnonzero(conf >= min_conf)
    pseudo = pred.iloc[sure].reset_index(drop=True)
    ctx_corpus = corpus_context(corpus)
    all_texts = corpus["text"].tolist() + [texts[keep[i]] for i in sure]
    labels = pd.concat([corpus[list(FIELDS)], pseudo[list(FIELDS)]], ignore_index=True)
    all_ctx = None
    if ctx_corpus is not None or context is not None:
        all_ctx = (ctx_corpus or [""] * len(corpus)) + [context[keep[i]] if context is not None else "" for i in sure]
    weights = np.r_[np.ones(len(corpus)), np.full(len(sure), weight)]
    new = LabelModel(**model.get_params()).fit(all_texts, labels, context=all_ctx, sample_weight=weights)
    new.calibrators_ = dict(getattr(model, "calibrators_", {}) or {})
    return new, {"input_rows": len(texts), "pseudo_labelled": int(len(sure))}


def adapt_to_chunks(chunks, text_col: str, out_file, *, model_path=None, thread_col: str | None = None,
                    context_col: str | None = None, max_rows: int = ADAPT_MAX_ROWS) -> dict:
    """Read up to ``max_rows`` rows from ``chunks`` (the user's input), adapt the model to them and
    write it to ``out_file`` (then tag with ``model_path=out_file``). Returns the adaptation stats."""

    from voiceofcustomer.io.writers import atomic_path
    from voiceofcustomer.labels.context import ThreadContext
    from voiceofcustomer.labels.model import load_model, save_model

    texts: list[str] = []
    contexts: list[str] = []
    threads = ThreadContext() if thread_col else None
    for chunk in chunks:
        t = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in chunk[text_col]]
        if threads is not None:
            contexts += threads.contexts(chunk[thread_col].tolist(), t)
        elif context_col:
            contexts += chunk[context_col].fillna("").astype(str).tolist()
        texts += t
        if len(texts) >= max_rows:
            break
    model, stats = adapt_model(load_model(model_path), texts[:max_rows],
                               contexts[:max_rows] if (threads is not None or context_col) else None,
                               max_rows=max_rows)
    with atomic_path(out_file) as tmp:
        save_model(model, tmp)
    return stats


def estimate_prior_shift(model: LabelModel, texts: Sequence[str], context: Sequence[str] | None = None, *,
                         iterations: int = 30, max_rows: int = ADAPT_MAX_ROWS) -> dict[str, np.ndarray]:
    """Class priors of the user's data by EM (Saerens et al., 2002), as per-class weights.

    The heads are trained class-balanced, i.e. for a uniform prior; a complaint export is
    mostly complaints. The weights ``pi_new / pi_train`` multiply the heads' probabilities.
    Cheap (one prediction pass over at most ``max_rows`` rows, no refit) and deterministic.
    """
    texts = [str(t) for t in list(texts)[:max_rows]]
    ctx = None if context is None else [str(c or "") for c in list(context)[:max_rows]]
    saved = getattr(model, "prior_shift_", None)
    model.prior_shift_ = None
    try:
        proba = model.predict_proba(texts, ctx)
    finally:
        model.prior_shift_ = saved
    out = {}
    for f, p in proba.items():
        k = p.shape[1]
        base = np.full(k, 1.0 / k)
        pi = base.copy()
        for _ in range(iterations):
            q = p * (pi / base)[None, :]
            q /= q.sum(axis=1, keepdims=True)
            pi = q.mean(axis=0)
        out[f] = pi / base
    return out
