"""The themes' KMeans fits run on one OpenMP thread, whatever the process allows.

``voc analyze`` of a month's export (590 rows of October, 726 statements) took 85 s on a 2-core machine where
other jobs ran; profiled, its 92 KMeans fits of at most 700 × 5 reduced rows spent 46 s of 118 with two OpenMP
threads waiting on each other (10 fits of 600 × 5: 22.8 s, one thread 0.6 s). The suite always ran them on one thread (tests/conftest.py),
so the CLI's themes were slower than, but the same as, the tests'. Here the process allows two threads, as a
``voc`` run does, and each fit must still run on one."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from voiceofcustomer.themes.clustering import cluster_embeddings, split_theme


def _openmp_threads() -> list[int]:
    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "openmp"]


@pytest.fixture
def fits(monkeypatch):
    from sklearn.cluster import KMeans

    seen: list[list[int]] = []
    real = KMeans.fit_predict

    def recording(self, *a, **kw):
        seen.append(_openmp_threads())
        return real(self, *a, **kw)

    monkeypatch.setattr(KMeans, "fit_predict", recording)
    return seen


def _blobs(n_per: int, k: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim))
    X = np.vstack([c + 0.15 * rng.normal(size=(n_per, dim)) for c in centres])
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32)


def test_the_kmeans_of_themes_and_sub_themes_run_on_one_thread(fits):
    if not _openmp_threads():
        pytest.skip("no OpenMP runtime loaded")
    X = _blobs(40, 6)
    with threadpool_limits(limits=2, user_api="openmp"):
        assert max(_openmp_threads()) == 2  # what a voc run allows on 2 cores
        plain = cluster_embeddings(X, seed=7)
        split_theme(_blobs(30, 3, seed=1), seed=7)
        assert max(_openmp_threads()) == 2  # the limit is the fits', not the process's
    assert fits, "no KMeans was fitted"
    assert all(t == [1] * len(t) for t in fits), fits
    # the same themes as on one thread throughout (as the test suite runs)
    with threadpool_limits(limits=1):
        again = cluster_embeddings(X, seed=7)
    assert np.array_equal(plain.labels, again.labels)
    assert len(np.unique(plain.labels)) == 6
