"""Quality checks of a labelled corpus: near-copies and inconsistent labels.

Why: a corpus padded with near-identical sentences teaches a model to memorise, and
cross-validation on it flatters; two identical texts with different labels teach noise.
"""

from __future__ import annotations

import collections
from typing import Sequence

# No package imports at module level: tools/check_corpus.py loads this file on its own
# with a bare python3 (annotators run it without the project's virtual environment).

__all__ = ["char_ngrams", "near_duplicates", "label_conflicts"]


def char_ngrams(text: str, n: int = 5) -> set[str]:
    """Character n-grams of the text without whitespace (the text itself when shorter than n)."""
    t = "".join(text.split())
    if len(t) < n:
        return {t}
    return {t[i:i + n] for i in range(len(t) - n + 1)}


def near_duplicates(texts: Sequence[str], *, n: int = 5, threshold: float = 0.6) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, jaccard)`` with character n-gram Jaccard >= threshold (i < j).

    An inverted index over n-grams keeps this near-linear for corpora of thousands.
    """
    grams = [char_ngrams(t, n) for t in texts]
    index: dict[str, list[int]] = collections.defaultdict(list)
    for i, g in enumerate(grams):
        for x in g:
            index[x].append(i)
    pairs = []
    for i, g in enumerate(grams):
        shared: collections.Counter = collections.Counter()
        for x in g:
            for j in index[x]:
                if j > i:
                    shared[j] += 1
        for j, inter in shared.items():
            jac = inter / (len(g) + len(grams[j]) - inter)
            if jac >= threshold:
                pairs.append((i, j, jac))
    return pairs


def label_conflicts(df):
    """Rows of a DataFrame whose (whitespace-normalised) text appears with more than one label set."""
    from voiceofcustomer.labels.taxonomy import FIELDS

    key = df["text"].map(lambda t: "".join(str(t).split()))
    labels = df[list(FIELDS)].astype(str).agg("|".join, axis=1)
    n = labels.groupby(key).transform("nunique")
    return df[n > 1]
