"""Clustering that works from one focus group to a million tickets.

Why two paths: HDBSCAN (BERTopic's default) finds density clusters, which need
many points per cluster; on the 100–300 statements of one focus group it labels
almost everything as noise. So the method follows the size of the input:

- ``kmeans`` (fewer than ``small_limit`` statements, or ``n_topics`` given):
  PCA to a few dimensions, then KMeans with k chosen by the silhouette score
  (or k = ``n_topics``). No UMAP, so no numba compilation (~25 s in a fresh
  process) for a focus group. Every statement gets a topic.
- ``hdbscan`` (larger inputs): UMAP to 5 dimensions, then HDBSCAN with a
  minimum cluster size that grows with the corpus (1 % of the statements
  fitted, at least 10, at most 500): a fixed size over-splits 2,000
  statements into ~70 topics. If HDBSCAN finds fewer than two clusters, the
  KMeans path is used on the UMAP output instead, and the result says so.
  Above ``fit_sample`` statements, UMAP and HDBSCAN are fitted on a seeded
  random sample and every other statement takes the majority topic of its
  ``knn`` nearest sampled neighbours in the embedding space (an outlier
  majority keeps it an outlier), which keeps 10^5–10^6 statements within
  minutes and memory. HDBSCAN may not select a cluster holding more than
  ``MAX_TOPIC_SHARE`` of the statements: excess-of-mass selection otherwise
  sometimes keeps one cluster of 80–90 % of them.

Everything is seeded: the same input and seed give the same labels.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = ["MAX_TOPIC_SHARE", "ClusterResult", "cluster_embeddings", "hdbscan_min_cluster_size", "knn_assign"]

#: HDBSCAN may not select a cluster larger than this share of the statements it clusters.
MAX_TOPIC_SHARE = 0.25
#: Dimensions kept (PCA) for the nearest-neighbour vote: the vote needs neighbours, not every
#: nuance, and 64 instead of 512 dimensions makes it ~6x faster.
KNN_DIMS = 64


@dataclass
class ClusterResult:
    """Labels and how they were found.

    Attributes:
        labels: ``(n,)`` int topic per statement, ``-1`` for an outlier.
        probabilities: ``(n,)`` float membership strength (HDBSCAN's
            ``probabilities_``; the neighbour vote share for statements
            assigned by nearest neighbours), or ``None`` for KMeans.
        method: ``"kmeans"`` or ``"hdbscan"``.
        details: parameters and diagnostics for ``themes.json``.
        fine_labels: ``(n,)`` the fine clusters that the coarse level grouped into
            ``labels`` (:func:`_coarse_level`), ``None`` when the labels are not a grouping.
    """

    labels: np.ndarray
    probabilities: np.ndarray | None
    method: str
    details: dict = field(default_factory=dict)
    fine_labels: np.ndarray | None = None


def hdbscan_min_cluster_size(n_fit: int) -> int:
    """1 % of the statements clustered, within [10, 500].

    Measured on 2,000 statements with 15 known sub-issues: 15 over-split into
    67–77 topics, 40 (2 %) recovered them (ARI 0.89–0.96); on the 4,705 real
    customer turns of the quality benchmark 1 % gave more coherent topics than 0.5 % or 2 %.
    """
    return int(min(500, max(10, round(0.01 * n_fit))))


def kmeans_labels(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    """KMeans (k clusters, 10 starts, ``seed``) labels of ``X``, fitted on one OpenMP thread. Every KMeans of the
    themes runs on reduced data (5 dimensions, a few thousand rows at most), where a second thread only waits: on a
    2-core machine with other jobs running, ``voc analyze`` of a month of 590 tickets took 85 s, and a profile of it
    found 46 s (of 118 profiled) in its 92 fits (10 fits of 600 × 5: 22.8 s with the default threads, 0.6 s with
    one). The test suite has always run them on one thread (tests/conftest.py), so the themes are those the tests
    check."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="openmp"):
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X)


def _kmeans_select(X: np.ndarray, *, n_topics: int | None, min_size: int, max_topics: int, seed: int,
                   tolerance: float = 0.05):
    from sklearn.metrics import silhouette_score

    n = len(X)
    if n_topics is not None:
        k = int(max(1, min(n_topics, n)))
        labels = kmeans_labels(X, k, seed) if k > 1 else np.zeros(n, int)
        return labels, {"k": k, "k_chosen_by": "n_topics"}
    k_max = int(max(2, min(max_topics, n // max(1, min_size))))
    if n < 6 or k_max < 2:
        return np.zeros(n, dtype=int), {"k": 1, "k_chosen_by": "too few statements"}
    scores, raw, labels_by_k = {}, {}, {}
    best = None
    # The silhouette is computed on a seeded sample when there are many points (it is O(n^2)).
    sample = min(n, 3000)
    for k in range(2, k_max + 1):
        labels = kmeans_labels(X, k, seed)
        s = float(silhouette_score(X, labels, sample_size=sample, random_state=seed))
        scores[k] = round(s, 4)
        if k > 2 and np.bincount(labels).min() < min_size:
            continue  # a cluster smaller than a theme may be: this k is not a candidate
        raw[k], labels_by_k[k] = s, labels
    # Two themes are "a split in two", not a few themes: k = 2 is a candidate only when no larger k is.
    # A small group far from the rest (thank-you rows of a ticket export) otherwise wins at k = 2 by
    # a wide margin (written 6-subject exports: 0.48 at k = 2, 0.41 at k = 6) and hides every subject.
    if any(kk > 2 for kk in raw):
        raw.pop(2, None)
    for k, s in raw.items():
        if best is None or s > best[0] + 1e-9:
            best = (s, k)
    # Silhouette curves of short customer statements are flat (0.24–0.27 on the demo data):
    # its maximum often sits at k=2, which says nothing useful. Take the largest k whose
    # silhouette is within 5% of the best one: as fine-grained as the data supports.
    slack = tolerance * abs(best[0])
    k = max(kk for kk, sc in raw.items() if sc >= best[0] - slack)
    if k != best[1]:
        return labels_by_k[k], {"k": k, "k_chosen_by": f"largest k within {tolerance:.0%} of the best silhouette",
                                "silhouette": scores}
    return labels_by_k[k], {"k": k, "k_chosen_by": "silhouette", "silhouette": scores}


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)


def knn_assign(ref: np.ndarray, ref_labels: np.ndarray, X: np.ndarray, *, k: int = 15,
               batch: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Majority label among the ``k`` most cosine-similar rows of ``ref`` (rows L2-normalised).

    Returns ``(labels, vote_share)``; ties go to the smaller label, so the
    result is deterministic.
    """
    k = int(min(k, len(ref)))
    n_labels = int(ref_labels.max()) + 2  # shift so -1 is column 0
    out = np.empty(len(X), dtype=int)
    share = np.empty(len(X), dtype=np.float32)
    for start in range(0, len(X), batch):
        sims = X[start:start + batch] @ ref.T
        nn = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        votes = ref_labels[nn] + 1
        counts = np.zeros((len(votes), n_labels), dtype=np.int32)
        np.add.at(counts, (np.repeat(np.arange(len(votes)), k), votes.ravel()), 1)
        winner = counts.argmax(axis=1)
        out[start:start + len(votes)] = winner - 1
        share[start:start + len(votes)] = counts[np.arange(len(votes)), winner] / k
    return out, share


def cluster_embeddings(embeddings: np.ndarray, *, n_topics: int | None = None, min_topic_size: int | None = None,
                       seed: int = 42, small_limit: int = 1000, fit_sample: int = 20_000, knn: int = 15,
                       reduce_cache: Callable[[str, Callable[[], np.ndarray]], np.ndarray] | None = None,
                       progress: Callable[[str], None] | None = None, keys: np.ndarray | None = None,
                       coarse_level: bool = True) -> ClusterResult:
    """Cluster L2-normalised embeddings ``(n, dim)`` into topics.

    Args:
        embeddings: one row per statement to fit.
        n_topics: force this many topics (KMeans on the reduced embeddings).
        min_topic_size: HDBSCAN's ``min_cluster_size``, and for KMeans the
            smallest cluster size the choice of k allows (default by size).
        seed: random state of PCA/UMAP/KMeans and of the sample.
        small_limit: below this many statements, the KMeans path is used.
        fit_sample: above this many statements, fit on a seeded sample.
        knn: neighbours voting for statements outside the sample.
        reduce_cache: ``reduce_cache(name, compute)`` returns a cached array
            or computes and stores it (used for the UMAP output).
        progress: called with a short message per step.
        keys: one identifier per row, equal for rows with the same text (and so
            the same embedding): the neighbour vote then runs once per distinct
            text (the result is the same, and 10^6 tickets repeat many texts).
        coarse_level: on the KMeans path, group the fine clusters into themes when
            they group (:func:`_coarse_level`); ``False`` keeps the fine clusters
            (a focus group embedded with its questions: flat subjects).

    Returns:
        A :class:`ClusterResult`.
    """
    say = progress or (lambda _m: None)
    X = np.asarray(embeddings, dtype=np.float32)
    n = len(X)
    details: dict = {"n_statements": n}
    if n <= small_limit:
        return _cluster_small(X, n_topics=n_topics, min_topic_size=min_topic_size, seed=seed, say=say,
                              details=details, coarse_level=coarse_level)
    idx = _fit_sample(n, fit_sample, seed)
    details.update(sampled=bool(len(idx) < n), n_fit=len(idx))
    t0 = time.perf_counter()
    R = _reduce_umap(X, idx, seed=seed, reduce_cache=reduce_cache, say=say)
    timings = {"reduction": round(time.perf_counter() - t0, 3)}
    details["reduction"] = "UMAP(n_neighbors=15, n_components=5, metric=cosine, init=pca)"
    t0 = time.perf_counter()
    sample_labels, sample_probs, method = _cluster_reduced(R, n_topics=n_topics, min_topic_size=min_topic_size,
                                                           seed=seed, say=say, details=details)
    timings["clustering"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    labels, probs = _extend_to_all(X, idx, sample_labels, sample_probs, knn=knn, seed=seed, say=say, details=details,
                                   keys=keys)
    if len(idx) < n:
        timings["knn_assignment"] = round(time.perf_counter() - t0, 3)
    details["timings_s"] = timings
    return ClusterResult(labels=labels, probabilities=probs, method=method, details=details)


def _cluster_small(X, *, n_topics, min_topic_size, seed, say, details, coarse_level: bool = True) -> ClusterResult:
    """Step for small inputs: PCA to 5 dimensions, KMeans with k by silhouette (or ``n_topics``)."""
    from sklearn.decomposition import PCA

    n = len(X)
    dims = int(max(1, min(5, n - 1, X.shape[1])))
    say(f"clustering {n} statements: PCA({dims}) + KMeans")
    t0 = time.perf_counter()
    R = PCA(n_components=dims, random_state=seed).fit_transform(X) if n > 2 else X
    t_red = time.perf_counter() - t0
    t1 = time.perf_counter()
    min_size = min_topic_size or max(5, n // 30)
    labels, info = _kmeans_select(R, n_topics=n_topics, min_size=min_size, max_topics=12, seed=seed)
    fine = None
    if n_topics is None and coarse_level:
        fine, (labels, info) = labels, _coarse_level(X, R, labels, info, seed=seed)
        fine = fine if "k_fine" in info else None
    elif n_topics is None:
        info = dict(info, coarse_level="none: flat subjects (a focus group's question blocks)")
    details.update(info, reduction=f"PCA({dims})", min_topic_size=min_size, sampled=False,
                   timings_s={"reduction": round(t_red, 3), "clustering": round(time.perf_counter() - t1, 3)})
    return ClusterResult(labels=labels.astype(int), probabilities=None, method="kmeans", details=details,
                         fine_labels=None if fine is None else fine.astype(int))


#: Themes: the fine clusters group into a coarser level when their centroids' silhouette under
#: that grouping reaches this. Measured (USE): 0.21 on the written 4 subjects × 3 sub-subjects,
#: 0.17 on a real focus group, 0.31 on the sample tickets; 0.04 on the written focus group of
#: 8 flat subjects and 0.03 on the 6-subject corpus; 0.03-0.09 for equidistant synthetic subjects.
COARSE_MIN_SILHOUETTE = 0.12
#: The coarse level has at least this many themes ("a few themes", not a split in two).
COARSE_MIN_K = 3


def _coarse_level(X: np.ndarray, R: np.ndarray, fine: np.ndarray, info: dict, *, seed: int,
                  tolerance: float = 0.05) -> tuple[np.ndarray, dict]:
    """Themes at the coarse level when the fine clusters group into subjects; else the fine clusters.

    Why: the silhouette picks the *finest* level the data supports. On a corpus
    of 4 subjects × 3 sub-subjects that is ~11 clusters ≈ the sub-subjects, and the
    4 subjects never win on a statement-level criterion (USE places a 5G-signal
    complaint near a broadband-speed one). So the fine clusters are the
    candidates for sub-themes, and the top level is a grouping of them: for k_c
    from ``COARSE_MIN_K`` to k_fine / 2, KMeans with k_c on the same reduction,
    each fine cluster goes to the coarse cluster holding most of it, and that
    grouping of the fine centroids (cosine, in the embedding space) is scored by
    its silhouette. The largest k_c within ``tolerance`` of the best score is
    kept when the score reaches ``COARSE_MIN_SILHOUETTE``; its KMeans labels
    are the themes (sub-themes are then found inside each theme). Flat subjects
    (8 subjects of one focus group, each a fine cluster) score near 0 and keep
    the fine level. Fine clusters whose median size is at least ``SUB_MIN_THEME``
    are themes as they are: each is big enough for sub-themes of its own (a small
    ticket export's subjects, ~60 tickets each, were grouped in pairs into 3 themes).
    Nor is a grouping a candidate when the clusters group less clearly (its score) than the statements
    lose by it (``1 -`` their silhouette at k_c over that at the fine k, the fine level's own scores):
    60 tickets of six subjects, 10 each, are 6 clear clusters (0.59 at k = 6, 0.40 at 3: lost 0.32) that
    group at 0.23, and were 3 themes of two or three subjects; sub-subjects lose little (the 4 × 3
    corpus: lost 0.13, score 0.21).
    """
    from sklearn.metrics import silhouette_score

    k_fine = int(info.get("k", 1))
    if k_fine < 2 * COARSE_MIN_K:
        return fine, dict(info, coarse_level="none: fewer than 6 fine clusters")
    median = float(np.median(np.bincount(fine)))
    if median >= SUB_MIN_THEME:
        return fine, dict(info, coarse_level=f"none: the fine clusters are themes (median {median:g} statements, "
                                             f"enough for sub-themes of their own)")
    ids = np.unique(fine)
    centroids = mean_directions(X, fine, ids)
    scores, labels_by_k, lost = {}, {}, {}
    own = info.get("silhouette") or {}  # the statements' own silhouette per k, as the fine level measured it
    for kc in range(COARSE_MIN_K, k_fine // 2 + 1):
        coarse = kmeans_labels(R, kc, seed)
        counts = np.zeros((len(ids), kc), dtype=int)
        np.add.at(counts, (np.searchsorted(ids, fine), coarse), 1)
        group = counts.argmax(axis=1)
        if len(np.unique(group)) < 2:
            continue
        scores[kc] = float(silhouette_score(centroids, group, metric="cosine"))
        if own.get(k_fine, 0) > 0 and kc in own:
            # what the statements lose of their separation at k_c (the same KMeans on R the fine level scored)
            lost[kc] = round(1 - own[kc] / own[k_fine], 4)
            if scores[kc] < lost[kc]:
                continue  # the clusters group less clearly than the statements lose: distinct subjects
        labels_by_k[kc] = coarse
    rounded = {k: round(v, 4) for k, v in scores.items()}
    kept = {"coarse_lost": lost} if lost else {}
    if not labels_by_k and scores and max(scores.values()) >= COARSE_MIN_SILHOUETTE:
        return fine, dict(info, coarse_level="none: the fine clusters are distinct subjects (grouping them loses more "
                                             "of the statements' silhouette than the clusters group)",
                          coarse_silhouette=rounded, **kept)
    scores = {k: v for k, v in scores.items() if k in labels_by_k}
    if not scores or max(scores.values()) < COARSE_MIN_SILHOUETTE:
        return fine, dict(info, coarse_level="none: the fine clusters do not group", coarse_silhouette=rounded, **kept)
    best = max(scores.values())
    kc = max(k for k, v in scores.items() if v >= best - tolerance * abs(best))
    return labels_by_k[kc], dict(info, k=kc, k_fine=k_fine, k_chosen_by="coarse level of the fine clusters",
                                 coarse_silhouette=rounded, coarse_level=f"{kc} themes grouping {k_fine} clusters",
                                 **kept)


def _fit_sample(n: int, fit_sample: int, seed: int) -> np.ndarray:
    """Sorted indices of the seeded sample that UMAP and HDBSCAN are fitted on (all when small)."""
    if n > fit_sample:
        return np.sort(np.random.default_rng(seed).choice(n, fit_sample, replace=False))
    return np.arange(n)


def _reduce_umap(X, idx, *, seed, reduce_cache, say) -> np.ndarray:
    """UMAP (15 neighbours, 5 dimensions, cosine, seeded, PCA start) of the sample, through the cache hook.

    Why the PCA start: a ticket export repeats sentences word for word, and with exact duplicates
    UMAP's default spectral start fails ("too small an eigengap … falling back to random
    initialisation") into a start the seed does not fix: the same input and seed gave other themes on
    every run (1,200 written tickets: 12 to 15). On the real posts the themes are as good
    (docs/benchmarks.md, nineteenth round)."""
    cached = reduce_cache or (lambda _name, compute: compute())

    def run_umap():
        import warnings

        from umap import UMAP

        say(f"reduction: UMAP on {len(idx)} statements")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="n_jobs value .* overridden")
            model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed,
                         low_memory=True, init="pca")
            return model.fit_transform(X[idx]).astype(np.float32)

    return cached(f"umap-n15-c5-s{seed}-f{len(idx)}-pca", run_umap)


def _cluster_reduced(R, *, n_topics, min_topic_size, seed, say, details):
    """HDBSCAN on the reduced sample (KMeans when ``n_topics`` is given or HDBSCAN finds < 2 clusters).

    Returns ``(labels, probabilities or None, method)``.
    """
    if n_topics is not None:
        say(f"clustering: KMeans k={n_topics}")
        labels, info = _kmeans_select(R, n_topics=n_topics, min_size=1, max_topics=n_topics, seed=seed)
        details.update(info)
        return labels, None, "kmeans"
    import hdbscan

    mcs = int(min_topic_size or hdbscan_min_cluster_size(len(R)))
    min_samples = int(max(5, mcs // 5))
    # Excess-of-mass selection can keep one cluster holding 80-90 % of the statements (seen on
    # 20,000 real complaints); capping the selectable size makes it pick that cluster's children.
    max_size = int(max(2 * mcs, MAX_TOPIC_SHARE * len(R)))
    say(f"clustering: HDBSCAN(min_cluster_size={mcs}, min_samples={min_samples}, max_cluster_size={max_size}) "
        f"on {len(R)} statements")
    hd = hdbscan.HDBSCAN(min_cluster_size=mcs, min_samples=min_samples, metric="euclidean",
                         cluster_selection_method="eom", max_cluster_size=max_size, core_dist_n_jobs=1)
    labels = hd.fit_predict(R)
    details.update(min_cluster_size=mcs, min_samples=min_samples, max_cluster_size=max_size)
    found = len(set(labels.tolist()) - {-1})
    if found < 2:
        say(f"HDBSCAN found {found} cluster(s); falling back to KMeans on the UMAP output")
        labels, info = _kmeans_select(R, n_topics=None, min_size=mcs, max_topics=30, seed=seed)
        details.update(info, fallback=f"HDBSCAN found {found} cluster(s)")
        return labels, None, "kmeans"
    return labels, hd.probabilities_.astype(np.float32), "hdbscan"


def _extend_to_all(X, idx, sample_labels, sample_probs, *, knn, seed, say, details, keys=None):
    """Labels for every statement: the sample's own, the rest by a nearest-neighbour vote."""
    n = len(X)
    labels = np.full(n, -1, dtype=int)
    labels[idx] = sample_labels
    probs = None
    if sample_probs is not None:
        probs = np.full(n, np.nan, dtype=np.float32)
        probs[idx] = sample_probs
    if len(idx) == n:
        return labels, probs
    rest = np.setdiff1d(np.arange(n), idx, assume_unique=True)
    voters, spread = rest, None
    if keys is not None:  # one vote per distinct text: duplicates share their embedding, so their vote
        _u, first, spread = np.unique(np.asarray(keys)[rest], return_index=True, return_inverse=True)
        voters, spread = rest[first], spread.ravel()
        details["knn_distinct_texts"] = len(voters)
    say(f"assigning {len(rest)} statements outside the sample by {knn} nearest neighbours "
        f"({len(voters)} distinct texts)")
    ref, other = X[idx], X[voters]
    if X.shape[1] > KNN_DIMS:
        from sklearn.decomposition import PCA

        pca = PCA(n_components=KNN_DIMS, random_state=seed).fit(ref)
        ref, other = _unit(pca.transform(ref)), _unit(pca.transform(other))
    rest_labels, share = knn_assign(ref, sample_labels, other, k=knn)
    if spread is not None:
        rest_labels, share = rest_labels[spread], share[spread]
    labels[rest] = rest_labels
    if probs is not None:
        probs[rest] = share
    details.update(assigned_by_knn=len(rest), knn=knn,
                   knn_space=f"PCA({KNN_DIMS}) of the embeddings" if X.shape[1] > KNN_DIMS else "embeddings")
    return labels, probs


#: Sub-themes: a theme is split only when it has at least this many statements …
SUB_MIN_THEME = 20
#: … and a sub-theme must hold at least this share of its theme (and 5 statements).
SUB_MIN_SHARE = 0.05
#: At most this many sub-themes per theme (a complaint desk reads a list, not a cloud).
SUB_MAX = 8
#: A split is kept only when its silhouette reaches this: below it the theme has no sub-structure.
SUB_MIN_SILHOUETTE = 0.06
#: Statements per theme that choose the sub-themes (the rest follow the nearest sub-centroid).
SUB_FIT_SAMPLE = 3000
#: Clusters (themes of one source kind, sub-themes of one theme) whose centroids are at least this cosine-similar are
#: one subject, joined by :func:`merge_across_groups` (average linkage). HDBSCAN cut a hotline's formula written from
#: several districts or on several days into dense clusters of 20–40 near-identical sentences, and the sub-theme
#: split cut such a theme by the amounts in it: two months of written tickets gave 34 themes, 4 names twice
#: (视频会员、开通 at 0.98), and sub-themes named alike (莫名其妙、取消 five times in one theme); such pairs measured
#: 0.95–0.99, distinct subjects at most 0.68.
SAME_SUBJECT = 0.9


def nearest(X: np.ndarray, centroids: np.ndarray, *, batch: int = 8192) -> tuple[np.ndarray, np.ndarray]:
    """Index of the most cosine-similar centroid per row and that similarity (rows L2-normalised)."""
    best = np.empty(len(X), dtype=int)
    sim = np.empty(len(X), dtype=np.float32)
    for start in range(0, len(X), batch):
        s = X[start:start + batch] @ centroids.T
        b = s.argmax(axis=1)
        best[start:start + len(b)] = b
        sim[start:start + len(b)] = s[np.arange(len(b)), b]
    return best, sim


def mean_directions(X: np.ndarray, labels: np.ndarray, ids: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """L2-normalised mean row of ``X`` per label in ``ids`` (``(len(ids), dim)``).

    ``rows``: the rows of ``X`` that ``labels`` belong to (default: all), so a
    subset of 10^6 embeddings is averaged without copying it. The sums are one
    sparse one-hot product (``np.add.at`` over 10^6 × 512 takes tens of seconds).
    """
    from scipy import sparse

    rows = np.arange(len(X)) if rows is None else np.asarray(rows)
    pos = np.searchsorted(ids, labels)
    onehot = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (pos, rows)), shape=(len(ids), len(X)))
    return _unit(np.asarray(onehot @ X, dtype=np.float64))


def merge_across_groups(X: np.ndarray, labels: np.ndarray, groups: np.ndarray, *,
                        threshold: float) -> tuple[np.ndarray, dict]:
    """Join clusters found in different groups (focus-group sessions) that are about the same subject.

    Each group was clustered alone, so its clusters are its own subjects. Clusters are joined by
    average linkage on their centroids' cosine similarity (the most similar pair of themes first,
    while the mean similarity between their clusters is at least ``threshold``), never so that one
    theme holds two clusters of the same group: a group's own subjects stay apart, as they were
    found. Average rather than single linkage, because related subjects of different guides
    (a hotline, switching carrier, sales calls) otherwise chain into one theme.
    Deterministic: ties go to the lower ids.

    Returns the new labels (``-1`` kept; themes numbered by their first cluster) and what was joined.
    """
    labels = np.asarray(labels, dtype=int)
    ids = np.unique(labels[labels >= 0])
    if len(ids) < 2:
        return labels.copy(), {"joined": 0, "threshold": threshold}
    member = np.flatnonzero(labels >= 0)
    C = mean_directions(X, labels[member], ids, rows=member).astype(np.float64)
    first = {int(t): int(np.argmax(labels[member] == t)) for t in ids}
    names, group_code = np.unique(np.array([str(groups[member[first[int(t)]]]) for t in ids]), return_inverse=True)
    k = len(ids)
    in_group = np.zeros((k, len(names)), dtype=bool)
    in_group[np.arange(k), group_code] = True
    sums = C @ C.T
    size = np.ones(k)
    active = np.ones(k, dtype=bool)
    root = np.arange(k)
    joined = 0
    while True:
        share = (in_group.astype(np.int32) @ in_group.T.astype(np.int32)) > 0
        avg = sums / np.outer(size, size)
        avg[share | ~active[:, None] | ~active[None, :]] = -np.inf
        a, b = np.unravel_index(int(np.argmax(avg)), avg.shape)
        if not avg[a, b] >= threshold:
            break
        a, b = min(a, b), max(a, b)
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        size[a] += size[b]
        in_group[a] |= in_group[b]
        active[b] = False
        root[root == b] = a
        joined += 1
    new_id = {int(r): n for n, r in enumerate(dict.fromkeys(root.tolist()))}
    lookup = {int(t): new_id[int(r)] for t, r in zip(ids, root)}
    out = np.array([lookup.get(int(v), -1) for v in labels], dtype=int)
    return out, {"joined": joined, "threshold": threshold}


def split_theme(X: np.ndarray, *, seed: int = 42) -> tuple[np.ndarray, dict]:
    """Sub-theme centroids inside one theme's statements (rows L2-normalised), or none.

    The granularity rule (docs/themes.md): a theme of ``n`` statements is split
    when ``n >= SUB_MIN_THEME``; k runs from 2 to ``min(SUB_MAX, n / max(5,
    SUB_MIN_SHARE * n))`` and is chosen by the best silhouette of KMeans on a
    PCA(5) of the theme's embeddings (fitted on a seeded sample of at most
    ``SUB_FIT_SAMPLE``); the split is kept when that silhouette is at least
    ``SUB_MIN_SILHOUETTE``, and parts whose centroids are at least ``SAME_SUBJECT``
    cosine-similar are one (:func:`merge_across_groups`; a theme left in one part is
    not split). So one focus group's themes (10–30 statements) get
    2–3 sub-themes when they have sub-structure and none when they do not, and a
    theme of 10,000 tickets gets up to 8.

    Returns:
        ``(centroids, info)``: ``(k, dim)`` unit vectors in the embedding space
        (empty when the theme is not split). Members are assigned to the
        nearest centroid, in ``fit`` and in ``transform`` alike.
    """
    n = len(X)
    info: dict = {"n": n}
    if n < SUB_MIN_THEME:
        return np.zeros((0, X.shape[1]), dtype=np.float32), dict(info, split=False, why="too small")
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(seed)
    idx = np.sort(rng.choice(n, SUB_FIT_SAMPLE, replace=False)) if n > SUB_FIT_SAMPLE else np.arange(n)
    S = X[idx]
    R = PCA(n_components=int(min(5, len(S) - 1, X.shape[1])), random_state=seed).fit_transform(S)
    min_size = int(max(5, round(SUB_MIN_SHARE * len(S))))
    from sklearn.metrics import silhouette_score

    k_max = int(min(SUB_MAX, len(S) // min_size))
    best_k, best, labels = 1, -1.0, None
    scores = {}
    for k in range(2, k_max + 1):
        lab = kmeans_labels(R, k, seed)
        if len(np.unique(lab)) < 2:  # fewer distinct statements than k (a theme of one repeated request)
            break
        # judged in the embedding space itself: a PCA(5) silhouette flatters any split
        sc = float(silhouette_score(S, lab, metric="cosine", sample_size=min(len(S), 2000), random_state=seed))
        scores[k] = round(sc, 4)
        if sc > best + 1e-9:
            best_k, best, labels = k, sc, lab
    info.update(k=best_k, silhouette=scores)
    if best_k < 2 or best < SUB_MIN_SILHOUETTE:
        return np.zeros((0, X.shape[1]), dtype=np.float32), dict(info, split=False, why="no sub-structure")
    labels, joined = merge_across_groups(S, labels, labels, threshold=SAME_SUBJECT)
    ids = np.unique(labels)
    if len(ids) < 2:  # parts as alike as the same sentence with other amounts, days or places: one subject
        return np.zeros((0, X.shape[1]), dtype=np.float32), dict(info, split=False, why="one subject",
                                                                  same_subject_joined=joined["joined"])
    return mean_directions(S, labels, ids).astype(np.float32), dict(info, split=True,
                                                                    same_subject_joined=joined["joined"])
