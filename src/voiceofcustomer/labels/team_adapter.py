"""A team adapter: a second stage fitted on a team's decisions only, on top of a fitted label model.

Why: refitting on the 9,500-line corpus plus a few hundred decisions barely moves the model (the
decisions are drowned; weighting them more overfits their n-grams and hurts stance). The adapter
instead keeps the base model and learns, per field, a correction of its logits from the team's rows:

    logits = a · log P_base(y | x) + P_base(y | x) · M + x · W + b

fitted by weighted cross-entropy with L2 penalties that pull ``M``, ``W`` and ``b`` to 0 and ``a`` to 1, so
with few decisions it stays close to the base model and it moves further as decisions accumulate.
``M`` (k × k, a convention map) lets the team's label follow the base model's *choice*: a team that codes
what the guide calls ``responsiveness`` as ``empathy`` needs one weight, where ``W`` would need every
word of every such post. It is off (no ``M``) unless a ``lam_map`` is given; ``select_field_adapter``
tries it as one of its candidates, and ``review.teach.fit_adapter`` offers it for a field only where
:func:`recodings` finds that the team codes one of the model's classes as another, with only those
pairs' entries of ``M`` free (``map_pairs``; tried everywhere with the whole map,
it helped a team that recodes a class and cost one that follows the guide when the check picked it by
chance; gated, it helps the first and never reaches the second: benchmarks/review_learning_curve.py,
rounds 9 and 10).
This is feature-augmentation domain adaptation (Daumé III, 2007) with the shared weights frozen at the
base model's: ``W`` is the team's own copy of the feature weights, ``b`` re-estimates the class priors
of the team's posts. ``x`` is the base model's own feature row (the head's input), restricted to the
features the team's rows use; the rest of ``W`` would stay 0 anyway.

Deterministic: a convex problem solved by L-BFGS from zero, in float64, on rows in a fixed order.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

__all__ = ["FieldAdapter", "fit_field_adapter", "select_field_adapter", "recodings", "SELECT_CANDIDATES", "DEFAULT_LAM",
           "DEFAULT_LAM_BIAS", "DEFAULT_LAM_SCALE", "DEFAULT_LAM_MAP", "MAP_MARGIN", "DEFAULT_BALANCE",
           "RECODE_MIN", "RECODE_ALPHA", "MIN_WIN", "win_share", "recode_counts", "recoding_matrix"]

#: L2 penalty on the team's feature weights (per unit of decision weight; see review_learning_curve.py)
DEFAULT_LAM = 1.0
#: L2 penalty on the class biases
DEFAULT_LAM_BIAS = 10.0
#: L2 penalty pulling the scale of the base model's log-probabilities to 1
DEFAULT_LAM_SCALE = 10.0
#: class weighting of the team's rows (0 as given, 1 balanced: n / (k · n_class)); review.teach.fit_adapter
#: gives it to every field, stance too (round 5: unweighted stance decisions cost 0.04–0.09 stance macro-F1
#: after 200 real corrections, balanced ones 0.01–0.02; macro-F1 rewards the rare praise and suggestion)
DEFAULT_BALANCE = 1.0


class FieldAdapter:
    """The fitted correction of one field's head (plain arrays; pickles with the model)."""

    def __init__(self, cols: np.ndarray, W: np.ndarray, b: np.ndarray, a: float, M: np.ndarray | None = None,
                 merge: np.ndarray | None = None):
        self.cols = cols
        self.W = W
        self.b = b
        self.a = float(a)
        self.M = M
        #: k × k row-stochastic: a class the team never uses hands its probability to the classes it
        #: codes it as (:func:`recoding_matrix`); ``None``: every class stays
        self.merge = merge

    def logits(self, X, log_p: np.ndarray, p: np.ndarray | None = None) -> np.ndarray:
        Z = self.a * log_p + np.asarray(X[:, self.cols] @ self.W) + self.b[None, :]
        M = getattr(self, "M", None)  # adapters pickled before the convention map have none
        if M is not None:
            Z = Z + (np.exp(log_p) if p is None else p) @ M
        return Z

    def proba(self, X, p: np.ndarray) -> np.ndarray:
        Z = self.logits(X, np.log(np.clip(p, 1e-12, 1.0)), p)
        Z -= Z.max(axis=1, keepdims=True)
        e = np.exp(Z)
        out = e / e.sum(axis=1, keepdims=True)
        merge = getattr(self, "merge", None)  # adapters pickled before round 11 have none
        return out if merge is None else out @ merge


def _row_weights(y: np.ndarray, k: int, balance: float) -> np.ndarray:
    counts = np.bincount(y, minlength=k).astype(float)
    present = max(int((counts > 0).sum()), 1)
    w = (len(y) / (present * counts[y])) ** balance
    return w / w.mean()


def fit_field_adapter(X, p_base: np.ndarray, y: np.ndarray, *, lam: float = DEFAULT_LAM,
                      lam_bias: float = DEFAULT_LAM_BIAS, lam_scale: float = DEFAULT_LAM_SCALE,
                      lam_map: float | None = None, map_pairs=None, balance: float = DEFAULT_BALANCE,
                      sample_weight: np.ndarray | None = None, max_iter: int = 500) -> FieldAdapter:
    """Fit one field's adapter.

    Args:
        X: the base head's input rows for the team's statements (sparse, n × d).
        p_base: the base head's probabilities for them (n × k, in the head's class order).
        y: the team's label of each row as a class index (n,).
        lam_map: L2 penalty on the convention map ``M``; ``None`` fits no map.
        map_pairs: ``(from, to)`` class-index pairs: only these entries of ``M`` are fitted (the rest stay
            0), e.g. the recodings :func:`recodings` found; ``None``: the whole k × k map.
    """
    X = sp.csr_matrix(X, dtype=np.float64)
    n, k = p_base.shape
    cols = np.unique(X.indices) if X.nnz else np.zeros(0, dtype=np.int64)
    Xs = X[:, cols].tocsr()
    d = len(cols)
    P0 = np.asarray(p_base, dtype=np.float64)
    L = np.log(np.clip(P0, 1e-12, 1.0))
    pairs = None if lam_map is None or map_pairs is None else np.asarray(map_pairs, dtype=np.int64).reshape(-1, 2)
    m = 0 if lam_map is None else (k * k if pairs is None else len(pairs))
    Y = np.zeros((n, k))
    Y[np.arange(n), y] = 1.0
    w = _row_weights(y, k, balance)
    if sample_weight is not None:
        w = w * np.asarray(sample_weight, dtype=np.float64)

    def unpack(theta):
        W = theta[:d * k].reshape(d, k)
        if not m:
            M = None
        elif pairs is None:
            M = theta[d * k:d * k + m].reshape(k, k)
        else:
            M = np.zeros((k, k))
            M[pairs[:, 0], pairs[:, 1]] = theta[d * k:d * k + m]
        return W, M, theta[d * k + m:d * k + m + k], theta[-1]

    def loss(theta):
        W, M, b, a = unpack(theta)
        Z = a * L + Xs @ W + b[None, :]
        if M is not None:
            Z = Z + P0 @ M
        Z = Z - Z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(Z).sum(axis=1))
        P = np.exp(Z - lse[:, None])
        nll = float(np.sum(w * (lse - (Z * Y).sum(axis=1))))
        f = nll + 0.5 * lam * float(np.sum(W * W)) + 0.5 * lam_bias * float(b @ b) + 0.5 * lam_scale * (a - 1.0) ** 2
        G = w[:, None] * (P - Y)
        grads = [(np.asarray(Xs.T @ G) + lam * W).ravel()]
        if M is not None:
            f += 0.5 * lam_map * float(np.sum(M * M))
            gM = P0.T @ G + lam_map * M
            grads.append(gM.ravel() if pairs is None else gM[pairs[:, 0], pairs[:, 1]])
        ga = float(np.sum(G * L)) + lam_scale * (a - 1.0)
        return f, np.concatenate([*grads, G.sum(axis=0) + lam_bias * b, [ga]])

    theta0 = np.zeros(d * k + m + k + 1)
    theta0[-1] = 1.0
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    W, M, b, a = unpack(res.x)
    return FieldAdapter(cols.astype(np.int64), W.astype(np.float64), b.astype(np.float64), a,
                        None if M is None else M.astype(np.float64))


#: L2 penalty on the convention map when ``select_field_adapter`` tries it
DEFAULT_LAM_MAP = 0.1
#: how much better (out-of-fold macro-F1 on the team's decisions) the convention map must be than the
#: best simpler choice. 0: a margin of 0.02 already threw away the map where a team's recoding made it
#: gain on held-out rows (benchmarks/review_learning_curve.py, round 9); the recoding test gates it instead
MAP_MARGIN = 0.0
#: ``select_field_adapter``'s candidates besides the base model alone: the default penalties, the
#: same penalties three times looser (a team whose conventions differ more moves further), and the
#: default penalties with a convention map (a team that recodes one of the guide's classes)
SELECT_CANDIDATES = ({}, {"lam": DEFAULT_LAM / 3, "lam_bias": DEFAULT_LAM_BIAS / 3, "lam_scale": DEFAULT_LAM_SCALE / 3},
                     {"lam_map": DEFAULT_LAM_MAP})


#: a recoding needs at least this many decisions where the team chose the other class
RECODE_MIN = 5
#: one-sided sign-test level for "the team chooses the other class more often than the model's own"
RECODE_ALPHA = 0.05


def recodings(base_pred: np.ndarray, y: np.ndarray, classes, *, min_count: int = RECODE_MIN,
              alpha: float = RECODE_ALPHA) -> list[dict]:
    """The classes the team systematically codes as another: ``[{"from", "to", "n", "n_from", "n_same"}]``.

    Why: a convention map helps a team that codes one of the guide's classes as another (+0.04 servqual
    after 200 corrections) and costs a team that follows the guide when the cross-validated check picks it
    by chance (round 9). The decisions show which team this is: among the rows the base model calls
    ``a``, a recoding team chooses some ``b`` more often than ``a`` itself, while a team that follows
    the guide mostly agrees, its disagreements spread over several classes. A pair counts when the team
    chose ``b`` at least ``min_count`` times and significantly more often than ``a`` (one-sided sign
    test, ``alpha``). ``base_pred`` and ``y`` are class indices into ``classes``.
    """
    from scipy.stats import binomtest

    base_pred, y = np.asarray(base_pred), np.asarray(y)
    out = []
    for a in np.unique(base_pred):
        rows = base_pred == a
        counts = np.bincount(y[rows], minlength=len(classes))
        same = int(counts[a])
        for b in np.argsort(-counts, kind="stable"):
            n = int(counts[b])
            if b == a or n < min_count or n <= same:
                continue
            if binomtest(n, n + same, 0.5, alternative="greater").pvalue < alpha:
                out.append({"from": str(classes[a]), "to": str(classes[b]), "n": n, "n_from": int(rows.sum()),
                            "n_same": same})
    return out


def recode_counts(counts: np.ndarray, axis: int, classes, found: list[dict]) -> np.ndarray:
    """Label co-occurrence counts (one axis per field) as the team would have coded them.

    Why: the model decides servqual, demand and issue together with a prior learnt from the corpus's
    label triples (``LabelModel.label_structure``). Once an adapter moves a recoded class ``a`` to the
    team's ``b``, that prior still scores triples in the guide's classes and pulls the other fields
    toward what goes with ``a`` (simulated team, 200 corrections: demand −0.018, no demand recoded).
    Each corpus count of ``a`` along ``axis`` is shared between ``a`` and its targets in the
    proportions the team chose them among the rows the base model calls ``a`` (``found``, from
    :func:`recodings`).
    """
    T = recoding_matrix(classes, found)
    return np.moveaxis(np.tensordot(counts, T, axes=([axis], [0])), -1, axis)


def recoding_matrix(classes, found: list[dict]) -> np.ndarray:
    """k × k row-stochastic: row ``a`` of a recoded class holds the shares in which the team chose ``a``
    itself and each of its targets among the rows the base model calls ``a`` (``found``, from
    :func:`recodings`); every other row is the identity."""
    classes = list(classes)
    T = np.eye(len(classes))
    for a in dict.fromkeys(r["from"] for r in found):
        rows = [r for r in found if r["from"] == a]
        ia, total = classes.index(a), rows[0]["n_same"] + sum(r["n"] for r in rows)
        T[ia] = 0.0
        T[ia, ia] = rows[0]["n_same"] / total
        for r in rows:
            T[ia, classes.index(r["to"])] = r["n"] / total
    return T


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 over the classes the team used (a class it never chose does not count)."""
    y, pred = np.asarray(y, dtype=np.int64), np.asarray(pred, dtype=np.int64)
    if not len(y):
        return 0.0
    k = int(max(y.max(), pred.max())) + 1
    return float(_macro_f1_rows(y, pred, np.arange(len(y))[None, :], np.unique(y), k)[0])


#: share of bootstrap resamples of the decisions in which a candidate's out-of-fold macro-F1 must beat the
#: base model's for the candidate to be kept (0: off). See ``select_field_adapter``
MIN_WIN = 0.0
#: bootstrap resamples for that share (fixed seed: deterministic)
WIN_RESAMPLES = 400


def _macro_f1_rows(y: np.ndarray, pred: np.ndarray, idx: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Macro-F1 over ``labels`` of each resample (row indices ``idx``, r × n); vectorised with bincount."""
    r = idx.shape[0]
    yy, pp = y[idx], pred[idx]
    off = (np.arange(r) * k)[:, None]
    tp = np.bincount((off + yy)[yy == pp], minlength=r * k).reshape(r, k)
    nt = np.bincount((off + yy).ravel(), minlength=r * k).reshape(r, k)
    npred = np.bincount((off + pp).ravel(), minlength=r * k).reshape(r, k)
    den = nt + npred
    f1 = np.where(den > 0, 2 * tp / np.maximum(den, 1), 0.0)[:, labels]
    return f1.mean(axis=1)


def win_share(y: np.ndarray, base_pred: np.ndarray, cand_pred: np.ndarray, k: int, *,
              n_resamples: int = WIN_RESAMPLES, seed: int = 0) -> float:
    """Share of bootstrap resamples of the rows in which ``cand_pred`` has a higher macro-F1 (over the
    classes in ``y``) than ``base_pred``; ties count half."""
    y, base_pred, cand_pred = (np.asarray(a, dtype=np.int64) for a in (y, base_pred, cand_pred))
    if not len(y):
        return 0.0
    idx = np.random.default_rng(seed).integers(0, len(y), size=(n_resamples, len(y)))
    labels = np.unique(y)
    a = _macro_f1_rows(y, cand_pred, idx, labels, k)
    b = _macro_f1_rows(y, base_pred, idx, labels, k)
    return float(np.mean((a > b) + 0.5 * (a == b)))


def select_field_adapter(X, p_base: np.ndarray, y: np.ndarray, folds: np.ndarray, *, balance: float = DEFAULT_BALANCE,
                         candidates=SELECT_CANDIDATES, sample_weight: np.ndarray | None = None,
                         margin: float = 0.0, map_margin: float | None = None, min_win: float | None = None):
    """``(adapter or None, report)``: the candidate whose out-of-fold predictions on the team's own rows
    have the best macro-F1, or ``None`` when the base model alone does as well.

    Why: on real posts an adapter fitted on a few hundred decisions helped some fields and cost others
    (stance −0.02…−0.04 after 200 corrections, benchmarks/review_learning_curve.py, round 6); the team's
    own decisions, cross-validated, say which fields it helps *for this team*. ``folds`` gives each row's
    fold (rows of one thread should share a fold); a tie keeps the base model, and an adapter must beat
    it by more than ``margin``. A convention-map candidate must beat the best of the others (and the
    base model) by more than ``map_margin`` (default :data:`MAP_MARGIN`).
    """
    map_margin = MAP_MARGIN if map_margin is None else map_margin
    X = sp.csr_matrix(X, dtype=np.float64)
    y = np.asarray(y)
    base_pred = np.asarray(p_base).argmax(axis=1)
    oof = {i: np.empty(len(y), dtype=np.int64) for i in range(len(candidates))}
    for k in np.unique(folds):
        test, train = folds == k, folds != k
        if not train.any():
            for i in oof:
                oof[i][test] = base_pred[test]
            continue
        sw = None if sample_weight is None else np.asarray(sample_weight)[train]
        for i, opts in enumerate(candidates):
            a = fit_field_adapter(X[train], p_base[train], y[train], balance=balance, sample_weight=sw, **opts)
            oof[i][test] = a.proba(X[test], p_base[test]).argmax(axis=1)
    min_win = MIN_WIN if min_win is None else min_win
    report = {"base": round(_macro_f1(y, base_pred), 4)}
    best, best_score = None, report["base"]
    for i, opts in enumerate(candidates):
        s = round(_macro_f1(y, oof[i]), 4)
        report[f"adapter{i}"] = s
        extra = map_margin if "lam_map" in opts else 0.0  # the map must beat every simpler choice by this
        if min_win > 0 and s > report["base"]:
            report[f"win{i}"] = round(win_share(y, base_pred, oof[i], p_base.shape[1]), 3)
            if report[f"win{i}"] < min_win:
                continue
        if s > best_score + (margin if best is None else 0.0) + extra:
            best, best_score = i, s
    report["chosen"] = "base" if best is None else f"adapter{best}"
    if best is None:
        return None, report
    return fit_field_adapter(X, p_base, y, balance=balance, sample_weight=sample_weight, **candidates[best]), report
