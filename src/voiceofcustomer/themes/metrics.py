"""Topic quality: NPMI coherence and topic diversity, as the themes benchmark reports them.

Why computed over the corpus tokenised by our Segmenter, and with token
*sequences*: the methods compared produce different kinds of "words" — our
content words and two-word phrases ("上门维修"), LDA's, and BERTopic's default
vectorizer's whole clauses ("退费申请一个月了还没退"). Each topic word is
segmented the same way as the corpus and counts as present in a document when
its tokens occur there contiguously, so every method is judged against the same
document co-occurrence statistics.
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Sequence

from ..segment import Segmenter, is_content_word, load_stopwords

__all__ = ["npmi_coherence", "topic_diversity", "bad_topic_words", "TokenIndex"]

_SEP = "\x1f"


class TokenIndex:
    """Which documents contain a (multi-token) term, for a segmented corpus.

    Args:
        docs_tokens: the tokens of each document (``Segmenter()(text)``).
        segmenter: segments the topic words the same way.
    """

    def __init__(self, docs_tokens: Sequence[Sequence[str]], segmenter: Segmenter | None = None):
        self.segmenter = segmenter or Segmenter()
        self.n_docs = len(docs_tokens)
        # Latin letters are case-folded on both sides ("4G" = "4g"), as CountVectorizer does by default.
        self._joined = [(_SEP + _SEP.join(t) + _SEP).lower() for t in docs_tokens]
        self._cache: dict[str, frozenset[int]] = {}

    def docs_with(self, term: str) -> frozenset[int]:
        """Ids of the documents that contain ``term`` as a contiguous token sequence."""
        hit = self._cache.get(term)
        if hit is None:
            tokens = [t for t in self.segmenter(term) if t.strip()]
            if not tokens:
                hit = frozenset()
            else:
                pattern = (_SEP + _SEP.join(tokens) + _SEP).lower()
                hit = frozenset(i for i, d in enumerate(self._joined) if pattern in d)
            self._cache[term] = hit
        return hit


def npmi_coherence(topics: Sequence[Sequence[str]], index: TokenIndex, *, top_n: int = 10) -> list[float]:
    """Mean NPMI over all pairs of each topic's ``top_n`` words (document co-occurrence).

    ``NPMI(a, b) = log(P(a,b) / (P(a) P(b))) / -log P(a,b)``, in [-1, 1]; a pair
    that never co-occurs (or a word that never occurs) scores -1, the usual
    convention, so a method cannot gain by proposing words absent from the corpus.

    Returns:
        One value per topic (NaN for a topic with fewer than two words).
    """
    n = index.n_docs
    out = []
    for words in topics:
        words = list(dict.fromkeys(w for w in words[:top_n] if w))
        if len(words) < 2:
            out.append(float("nan"))
            continue
        scores = []
        for a, b in combinations(words, 2):
            da, db = index.docs_with(a), index.docs_with(b)
            nab = len(da & db)
            if nab == 0:
                scores.append(-1.0)
                continue
            pa, pb, pab = len(da) / n, len(db) / n, nab / n
            if pab >= 1.0:
                scores.append(1.0)
                continue
            scores.append(math.log(pab / (pa * pb)) / -math.log(pab))
        out.append(sum(scores) / len(scores))
    return out


def topic_diversity(topics: Sequence[Sequence[str]], *, top_n: int = 10) -> float:
    """Share of unique words among all topics' ``top_n`` words (1.0: no word shared)."""
    words = [w for t in topics for w in list(t)[:top_n]]
    return len(set(words)) / len(words) if words else float("nan")


def bad_topic_words(topics: Sequence[Sequence[str]], *, top_n: int = 10) -> list[list[str]]:
    """Per topic, its top words that are stop words, punctuation, digits-only,
    whitespace or single characters (what a reader should never see as a theme word).

    A multi-word term (``"宽带 掉线"``) is bad when it is whitespace-only or when
    any of its space-separated parts is bad.
    """
    stop = load_stopwords()
    out = []
    for t in topics:
        bad = []
        for w in list(t)[:top_n]:
            parts = w.split() if w.strip() else [w]
            if not w.strip() or w != w.strip() or any(not is_content_word(p, stop) for p in parts):
                bad.append(w)
        out.append(bad)
    return out
