"""DuplicateTracker: the one duplicate rule, kept in compact memory (8-byte keys in a sorted array)."""

import hashlib
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceofcustomer.text.split import DuplicateTracker


class _SetReference:
    """The rule as it was first written: a Python set of the 8-byte hashes."""

    def __init__(self):
        self.seen = set()

    def __call__(self, text, who=""):
        if not text:
            return False
        key = hashlib.blake2b(f"{who}\x00{text}".encode("utf-8"), digest_size=8).digest()
        if key in self.seen:
            return True
        self.seen.add(key)
        return False


def _random_rows(rng, n, vocab):
    texts = [("" if rng.random() < 0.05 else f"文本{rng.integers(vocab)}") for _ in range(n)]
    whos = [f"GD{rng.integers(5)}" if rng.random() < 0.7 else "" for _ in range(n)]
    return texts, whos


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("buffer", [1, 3, 16_384])
def test_same_rows_flagged_as_a_set_of_hashes(seed, buffer):
    """Chunks (with repeats inside a chunk and across chunks) and single calls mixed, the
    recent set merged often (buffer 1, 3) or never: every answer equals the set's, in order."""
    rng = np.random.default_rng(seed)
    ref, tracker = _SetReference(), DuplicateTracker(buffer=buffer)
    for _ in range(40):
        n = int(rng.integers(0, 60))
        texts, whos = _random_rows(rng, n, vocab=int(rng.choice([3, 30, 300])))
        expected = [ref(t, w) for t, w in zip(texts, whos)]
        if rng.random() < 0.5:
            got = tracker.flags(texts, whos)
            assert got.dtype == bool and len(got) == n
            assert got.tolist() == expected
        else:
            assert [tracker(t, w) for t, w in zip(texts, whos)] == expected
    assert len(tracker) == len(ref.seen)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(["", "a", "b", "宽带", "a\x00b"]),
                                   st.sampled_from(["", "x", "y", "a"])), max_size=12), max_size=8),
       st.integers(1, 4))
def test_property_matches_reference(chunks, buffer):
    ref, tracker = _SetReference(), DuplicateTracker(buffer=buffer)
    for i, chunk in enumerate(chunks):
        texts, whos = [t for t, _ in chunk], [w for _, w in chunk]
        expected = [ref(t, w) for t, w in chunk]
        got = tracker.flags(texts, whos).tolist() if i % 2 == 0 else [tracker(t, w) for t, w in chunk]
        assert got == expected


def _traced_bytes_per_key(fill, n):
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracker = fill(n)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before) / n, tracker


@pytest.mark.parametrize("how, n", [("one by one", 50_000), ("in chunks", 200_000)])
def test_memory_is_about_8_bytes_a_key(how, n):
    """A Python set of the 8-byte digests held ~83 bytes a key (0.8 GB for 10^7 rows); now 8
    (the sorted array) plus a recent set of at most ``buffer`` keys (~70 bytes each)."""
    def fill(n):
        tracker = DuplicateTracker(buffer=4096)  # at most 4,095 recent keys: < 6 bytes a key at 50,000
        if how == "one by one":
            for i in range(n):
                tracker(f"第{i}条投诉", "GD1")
        else:
            for start in range(0, n, 20_000):
                tracker.flags([f"第{i}条投诉" for i in range(start, min(n, start + 20_000))], ["GD1"] * 20_000)
        return tracker

    per_key, tracker = _traced_bytes_per_key(fill, n)
    assert per_key < 16
    assert len(tracker) == n and tracker.nbytes < 16 * n
