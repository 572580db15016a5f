"""Queue orders: which statement a coder sees next.

Why "uncertain, typical and diverse": a correction teaches the model most where it
is unsure, but the most uncertain rows are often near-copies of one another (the
same hard topic) or odd one-offs (a garbled post) whose correction teaches little
about the team's other posts. So statements are grouped by their character n-grams
(k-means over hashed TF-IDF) and the queue takes, in turn, the best remaining row
of each group, best group first. A row's score is its uncertainty (one minus the
model's confidence, averaged over the label fields when all four are given) times
how typical it is of its group (cosine to the group centroid): "information
density", which keeps the first corrections on rows that stand for many others —
measured to matter most for the first 50–100 corrections, where pure uncertainty
sampling fell behind a random order (benchmarks/review_learning_curve.py).
The "random" order is for unbiased audits (agreement on a random sample estimates
the agreement on everything). Both orders are deterministic (fixed seeds).
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["teach_order", "random_order", "twin_key"]

_NOT_WORD = re.compile(r"[\W_]+")  # whitespace, punctuation and symbols, full-width ones too
_LATIN_RUN = re.compile(r"[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def twin_key(text) -> str:
    """What near-twins share: the text without whitespace, punctuation or symbols, each run of Latin letters and
    digits that holds a digit (an amount, an order or phone number, a date, 5G) one ``#``; a word of letters only
    (WiFi, APP) is kept, case-folded: WiFi不好 and 5G不好 are two subjects, not twins. 这个月多扣了19块 and
    这个月多扣了49块！ have one key; a text of punctuation only keeps its own (stripped) text as key."""
    text = str(text or "").strip()
    return _LATIN_RUN.sub(_mask_numbered, _NOT_WORD.sub("", text)) or text


def _mask_numbered(m: re.Match) -> str:
    run = m.group(0)
    return "#" if any(c.isdigit() for c in run) else run.casefold()


def random_order(n: int, *, seed: int = 0) -> np.ndarray:
    """Rank (1-based) of each row in a seeded random order."""
    perm = np.random.default_rng(seed).permutation(n)
    rank = np.empty(n, dtype=np.int64)
    rank[perm] = np.arange(1, n + 1)
    return rank


def _clusters(texts: list[str], n_clusters: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Cluster of each row and its cosine to the cluster centroid (how typical it is there)."""
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    X = HashingVectorizer(analyzer="char", ngram_range=(1, 2), n_features=2 ** 14, alternate_sign=False,
                          norm=None).transform(texts)
    X = TfidfTransformer(sublinear_tf=True).fit_transform(X)
    from threadpoolctl import threadpool_limits

    km = MiniBatchKMeans(n_clusters=n_clusters, random_state=seed, n_init=1, batch_size=4096, max_iter=20)
    with threadpool_limits(1):  # OpenMP threads only add overhead on these small batches
        labels = km.fit_predict(X)
    cent = np.asarray(km.cluster_centers_, dtype=np.float64)
    norms = np.linalg.norm(cent, axis=1, keepdims=True)
    cent = np.divide(cent, norms, out=np.zeros_like(cent), where=norms > 0)
    # each row's cosine to its own centroid, one cluster at a time: ``cent[labels]`` would be a dense
    # rows × 16,384 array (2.6 GB for 20,000 statements, 13 GB for 100,000)
    typical = np.zeros(X.shape[0])
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        typical[rows] = X[rows] @ cent[c]
    return labels, typical


def uncertainty(conf) -> np.ndarray:
    """One minus the confidence: of one value per row, or the mean over the columns of a
    rows × fields array (a row unsure on several fields teaches several heads)."""
    c = np.asarray(conf, dtype=float)
    c = np.nan_to_num(c, nan=0.0)
    return 1.0 - (c.mean(axis=1) if c.ndim == 2 else c)


def teach_order(texts: list[str], conf, *, seed: int = 0, n_clusters: int | None = None,
                density: bool = True) -> np.ndarray:
    """Rank (1-based) of each row: most informative first, taking turns across text clusters.

    Args:
        texts: statement texts.
        conf: per row the lowest of the fields' confidences, or a rows × fields array of
            each field's confidence (uncertainty = one minus their mean).
        seed: k-means seed (the order is the same for the same input).
        n_clusters: number of groups; default about sqrt(n/2), between 2 and 50.
        density: weight uncertainty by how typical a row is of its group.
    """
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    unc = uncertainty(conf)
    k = n_clusters or int(np.clip(np.sqrt(n / 2), 2, 50))
    k = min(k, n)
    if k > 1:
        labels, typical = _clusters([t or "" for t in texts], k, seed)
    else:
        labels, typical = np.zeros(n, dtype=int), np.ones(n)
    score = unc * np.clip(typical, 0.0, 1.0) if density else unc
    score = np.round(score, 9)  # ties broken by input order, not by float noise
    # position of each row inside its cluster, best first (ties: input order); a repeat of a text ranked before
    # it (word for word, or a near-twin of the same :func:`twin_key`: 多扣了19块 / 多扣了49块) waits until every
    # distinct text has come: the same score put a ticket sent four times at ranks 1, 11, 21 and 31, and a
    # coder's second decision on one text teaches nothing the first did not
    by_score = np.lexsort((np.arange(n), -score))
    pos = np.empty(n, dtype=np.int64)
    repeat = np.zeros(n, dtype=bool)
    seen: dict[tuple[bool, int], int] = {}  # rows placed so far per (repeat, cluster)
    texts_seen: set[str] = set()
    keys = [twin_key(t) for t in texts]
    for i in by_score:
        key = keys[i]
        repeat[i] = key in texts_seen
        texts_seen.add(key)
        c = (bool(repeat[i]), int(labels[i]))
        pos[i] = seen.get(c, 0)
        seen[c] = pos[i] + 1
    # round r of every cluster, best first within a round; the repeats after all of them, in the same order
    order = np.lexsort((np.arange(n), -score, pos, repeat))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return rank
