"""Topic quality: NPMI coherence and topic diversity, as the themes benchmark reports them.

Why computed over the corpus tokenised by our Segmenter, matching on token
boundaries: the methods compared produce different kinds of "words" — our
content words and two-word phrases ("上门维修"), LDA's, and BERTopic's default
vectorizer's whole clauses ("退费申请一个月了还没退"). A topic word counts as
present in a document when it occurs there as a run of whole tokens, so every
method is judged against the same document co-occurrence statistics.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import combinations

from voiceofcustomer.text.segment import is_content_word, load_stopwords

__all__ = ["TokenIndex", "bad_topic_words", "npmi_coherence", "phrase_support", "topic_diversity"]

class TokenIndex:
    """Which documents contain a term, for a segmented corpus.

    A term is present in a document when its characters (spaces removed, Latin
    letters case-folded) occur there starting and ending on token boundaries:
    "上门维修" matches the tokens ``上门|维修`` and ``上门维修`` alike, "宽带 掉线"
    matches ``宽带|掉线``, but "门维" matches nothing. So a word is never
    missed because it was segmented differently in context.

    Args:
        docs_tokens: the tokens of each document (``Segmenter()(text)``).
    """

    def __init__(self, docs_tokens: Sequence[Sequence[str]]):
        self.n_docs = len(docs_tokens)
        self._texts: list[str] = []
        self._bounds: list[frozenset[int]] = []
        for tokens in docs_tokens:
            toks = [t.replace(" ", "").lower() for t in tokens if t.strip()]
            offsets = [0]
            for t in toks:
                offsets.append(offsets[-1] + len(t))
            self._texts.append("".join(toks))
            self._bounds.append(frozenset(offsets))
        self._cache: dict[str, frozenset[int]] = {}

    def docs_with(self, term: str) -> frozenset[int]:
        """Ids of the documents that contain ``term``."""
        hit = self._cache.get(term)
        if hit is None:
            key = "".join(term.split()).lower()
            found = []
            if key:
                for i, text in enumerate(self._texts):
                    start = text.find(key)
                    while start != -1:
                        if start in self._bounds[i] and start + len(key) in self._bounds[i]:
                            found.append(i)
                            break
                        start = text.find(key, start + 1)
            hit = frozenset(found)
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


def phrase_support(topics: Sequence[Sequence[str]], members: Sequence[Iterable[int]], index: TokenIndex, *,
                   top_n: int = 10) -> list[list[float]]:
    """Per topic, the share of its member statements that use each of its ``top_n`` key phrases.

    Why: NPMI rewards two rare words that occur together, so a key phrase that two of a theme's 166
    statements carry (a campaign tag, a place name) can keep NPMI high while describing nothing; the
    support says how much of the theme a phrase speaks for. ``members[i]`` are the document indices
    (of ``index``) of topic ``i``.
    """
    out = []
    for words, docs in zip(topics, members):
        docs = frozenset(docs)
        n = len(docs) or 1
        out.append([len(index.docs_with(w) & docs) / n for w in list(words)[:top_n]])
    return out
