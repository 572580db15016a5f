"""``voc tag --adapt``: fit the label model to the user's own (unlabelled) text.

Why: the corpus is written by this team; a user's export has its own vocabulary and its own
mix of phenomena (real posts ask far more rhetorical questions, name more handsets, thank less).
Two methods, both deterministic and bounded (at most ``max_rows`` input rows are read):

- ``"weights"`` (default): importance weighting for covariate shift. A logistic regression
  tells the corpus's statements from the input's (on the model's own text features); each
  corpus statement is refitted with weight ``(p/(1-p))**0.5`` (clipped to [1/3, 3], mean 1),
  so the corpus lines that read like the user's text count more. The labels stay the corpus's:
  nothing the model guessed is learnt back.
- ``"self-training"``: the model labels the input, the rows it is confident about on all four
  fields join the corpus (down-weighted), and a new model is fitted whose vocabulary includes
  the input's n-grams. Measured: it reinforces the model's own stance errors.

Measured on real helpdesk posts (``benchmarks/classify_real.py --adapt``): see docs/benchmarks.md.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.model import SEED, LabelModel, corpus_context, load_corpus
from voiceofcustomer.labels.taxonomy import FIELDS

__all__ = ["adapt_model", "corpus_weights", "ADAPT_METHODS", "ADAPT_MIN_CONF", "ADAPT_MAX_ROWS"]

ADAPT_METHODS = ("weights", "self-training")
ADAPT_MIN_CONF = 0.7
ADAPT_MAX_ROWS = 20_000
ADAPT_WEIGHT = 0.5
#: Importance weights: the density ratio is tempered (square root) and clipped, because a
#: domain classifier's odds are overconfident and a few corpus lines must not dominate the refit.
WEIGHT_POWER = 0.5
WEIGHT_CLIP = 3.0


def corpus_weights(model: LabelModel, corpus_texts: Sequence[str], texts: Sequence[str], *,
                   power: float = WEIGHT_POWER, clip: float = WEIGHT_CLIP) -> np.ndarray:
    """Per corpus statement, how much more it reads like ``texts`` than like the corpus (mean 1).

    A class-balanced logistic regression on the model's text features (no context) separates the
    two sets; its odds for a corpus statement estimate the density ratio p_input(x) / p_corpus(x)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    X_corpus = model.transform_texts(list(corpus_texts), field="stance")  # the text block: stance reads no context
    X_input = model.transform_texts(list(texts), field="stance")
    X = sp.vstack([X_corpus, X_input]).tocsr()
    y = np.r_[np.zeros(X_corpus.shape[0]), np.ones(X_input.shape[0])]
    with threadpool_limits(limits=1):
        clf = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced", random_state=SEED).fit(X, y)
    p = np.clip(clf.predict_proba(X_corpus)[:, 1], 1e-6, 1 - 1e-6)
    w = (p / (1 - p)) ** power
    # Clip and rescale until both hold: one rescale after the clip pushed the largest weight past
    # ``clip`` (3.0009 on a 240-line corpus) whenever the clip had lowered the mean.
    for _ in range(50):
        w = np.clip(w / w.mean(), 1 / clip, clip)
        if abs(w.mean() - 1.0) < 1e-6:
            break
    return w


def _refit(model: LabelModel, texts: list[str], labels: pd.DataFrame, context, weights: np.ndarray) -> LabelModel:
    """A new model with ``model``'s parameters fitted on weighted statements; ``model``'s calibration
    maps are kept (the heads' confidence scale barely moves)."""
    new = LabelModel(**model.get_params()).fit(texts, labels, context=context, sample_weight=weights)
    new.calibrators_ = dict(getattr(model, "calibrators_", {}) or {})
    return new


def adapt_model(model: LabelModel, texts: Sequence[str], context: Sequence[str] | None = None, *,
                corpus: pd.DataFrame | str | None = None, method: str = "weights", min_conf: float = ADAPT_MIN_CONF,
                max_rows: int = ADAPT_MAX_ROWS, weight: float = ADAPT_WEIGHT) -> tuple[LabelModel, dict]:
    """A copy of ``model`` refitted to the input ``texts`` by ``method`` (see the module docstring).

    Returns ``(adapted model, stats)``: ``input_rows`` and, for ``"weights"``, the effective number
    of corpus statements (Kish) and the weights' range; for ``"self-training"``, ``pseudo_labelled``.
    The calibration maps of ``model`` are kept (the heads' confidence scale barely moves).
    """
    from voiceofcustomer.resources import data_path

    if method not in ADAPT_METHODS:
        raise InputError(f"unknown adaptation method {method!r}; choose one of {', '.join(ADAPT_METHODS)}")
    if getattr(model, "custom_fields", ()):
        raise InputError("adapt= refits on the shipped corpus and would drop the team's codebook fields "
                         f"({', '.join(model.custom_fields)}); tag without adapt=", params=("adapt",))
    texts = [str(t) for t in list(texts)[:max_rows]]
    context = None if context is None else [str(c or "") for c in list(context)[:max_rows]]
    if corpus is None or isinstance(corpus, str):
        corpus = load_corpus(corpus or data_path("corpora", "labelled"))
    corpus = corpus.sort_values("id" if "id" in corpus.columns else "text", kind="stable").reset_index(drop=True)
    keep = [i for i, t in enumerate(texts) if t.strip()]
    if not keep:
        raise InputError("adapt=: the input has no text to adapt to", params=("adapt",))
    if method == "weights":
        w = corpus_weights(model, corpus["text"].tolist(), [texts[i] for i in keep])
        new = _refit(model, corpus["text"].tolist(), corpus, corpus_context(corpus), w)
        return new, {"input_rows": len(texts), "method": method,
                     "effective_corpus_rows": int(round(w.sum() ** 2 / (w ** 2).sum())),
                     "weight_min": round(float(w.min()), 3), "weight_max": round(float(w.max()), 3)}
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
    new = _refit(model, all_texts, labels, all_ctx, weights)
    return new, {"input_rows": len(texts), "method": method, "pseudo_labelled": int(len(sure))}


def adapt_to_chunks(chunks, text_col: str, out_file, *, model_path=None, context_col: str | None = None,
                    max_rows: int = ADAPT_MAX_ROWS, method: str = "weights") -> dict:
    """Read up to ``max_rows`` rows from ``chunks`` (the user's input), adapt the model to them and
    write it to ``out_file`` (then tag with ``model_path=out_file``). Returns the adaptation stats.
    ``context_col``: the context :func:`~voiceofcustomer.labels.context.with_context` gave the rows."""

    from voiceofcustomer.io.writers import atomic_path
    from voiceofcustomer.labels.model import load_model, save_model

    texts: list[str] = []
    contexts: list[str] = []
    for chunk in chunks:
        t = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in chunk[text_col]]
        if context_col:
            contexts += chunk[context_col].fillna("").astype(str).tolist()
        texts += t
        if len(texts) >= max_rows:
            break
    model, stats = adapt_model(load_model(model_path), texts[:max_rows], contexts[:max_rows] if context_col else None,
                               max_rows=max_rows, method=method)
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
