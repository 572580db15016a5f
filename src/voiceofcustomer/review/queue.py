"""Queue orders: which statement a coder sees next.

Why "uncertain and diverse": a correction teaches the model most where it is
unsure, but the most uncertain rows are often near-copies of one another (the same
hard topic). So statements are grouped by their character n-grams (k-means over
hashed TF-IDF) and the queue takes, in turn, the most uncertain remaining row of
each group, most uncertain group first. The "random" order is for unbiased audits
(agreement on a random sample estimates the agreement on everything).
Both orders are deterministic (fixed seeds).
"""

from __future__ import annotations

import numpy as np

__all__ = ["teach_order", "random_order"]


def random_order(n: int, *, seed: int = 0) -> np.ndarray:
    """Rank (1-based) of each row in a seeded random order."""
    perm = np.random.default_rng(seed).permutation(n)
    rank = np.empty(n, dtype=np.int64)
    rank[perm] = np.arange(1, n + 1)
    return rank


def _clusters(texts: list[str], n_clusters: int, seed: int) -> np.ndarray:
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    X = HashingVectorizer(analyzer="char", ngram_range=(1, 2), n_features=2 ** 14, alternate_sign=False,
                          norm=None).transform(texts)
    X = TfidfTransformer(sublinear_tf=True).fit_transform(X)
    from threadpoolctl import threadpool_limits

    km = MiniBatchKMeans(n_clusters=n_clusters, random_state=seed, n_init=1, batch_size=4096, max_iter=20)
    with threadpool_limits(1):  # OpenMP threads only add overhead on these small batches
        return km.fit_predict(X)


def teach_order(texts: list[str], min_conf, *, seed: int = 0, n_clusters: int | None = None) -> np.ndarray:
    """Rank (1-based) of each row: lowest confidence first, taking turns across text clusters.

    Args:
        texts: statement texts.
        min_conf: per row, the lowest of the four fields' confidences.
        seed: k-means seed (the order is the same for the same input).
        n_clusters: number of groups; default about sqrt(n/2), between 2 and 50.
    """
    n = len(texts)
    conf = np.asarray(min_conf, dtype=float)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    k = n_clusters or int(np.clip(np.sqrt(n / 2), 2, 50))
    k = min(k, n)
    labels = _clusters([t or "" for t in texts], k, seed) if k > 1 else np.zeros(n, dtype=int)
    # position of each row inside its cluster, by confidence (ties: input order)
    by_conf = np.lexsort((np.arange(n), conf))
    pos = np.empty(n, dtype=np.int64)
    seen: dict[int, int] = {}
    for i in by_conf:
        c = int(labels[i])
        pos[i] = seen.get(c, 0)
        seen[c] = pos[i] + 1
    order = np.lexsort((np.arange(n), conf, pos))  # round k of every cluster, uncertain first within a round
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return rank
