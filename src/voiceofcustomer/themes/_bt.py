"""The BERTopic side: imported only inside ``ThemeModel.fit`` (``import bertopic`` takes seconds).

BERTopic is used for what it does well — class-based TF-IDF topic words,
outlier reduction, topics per class and over time — while embedding,
reduction and clustering happen before it (see ``clustering.py``), and the
labels are handed over as ``y`` with BERTopic's own pass-through ``BaseCluster``
and ``BaseDimensionalityReduction``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from bertopic import BERTopic
from bertopic.backend import BaseEmbedder
from bertopic.cluster import BaseCluster
from bertopic.dimensionality import BaseDimensionalityReduction
from bertopic.representation import BaseRepresentation
from bertopic.vectorizers import ClassTfidfTransformer

from voiceofcustomer.themes.embeddings import Embedder

__all__ = ["CooccurrenceKeywords", "EmbedderBackend", "ctfidf", "make_bertopic"]


class EmbedderBackend(BaseEmbedder):
    """BERTopic backend around one of our offline embedders.

    Giving BERTopic an ``embedding_model`` also matters for Chinese: without one
    it keeps ``language="english"`` and strips every non-ASCII character from
    the documents before building the vocabulary.
    """

    def __init__(self, embedder: Embedder):
        super().__init__()
        self.embedder = embedder

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        return self.embedder.embed(list(documents))


class CooccurrenceKeywords(BaseRepresentation):
    """Choose each topic's key phrases among its c-TF-IDF candidates so that they
    are used *together* by the topic's statements.

    Why: c-TF-IDF scores each word alone, so a topic's top words can include
    rare words that never occur in the same statement as the others (a name, a
    typo, a one-off phrase); a reader sees an incoherent list. Greedy
    selection: the best c-TF-IDF candidate first, then repeatedly the candidate
    maximising ``score ** alpha * (floor + share)``, where ``score`` is its
    c-TF-IDF weight (scaled to the topic's best) and ``share`` the fraction of
    the already chosen phrases it shares at least one statement with. Measured
    on real complaints (benchmarks/themes_quality.py): mean NPMI from −0.04 to
    about +0.18, with topic diversity staying above 0.8.

    Args:
        analyzer: the vectorizer's analyzer (terms of a statement).
        top_n_words: key phrases kept per topic.
        alpha: weight of the c-TF-IDF score against co-occurrence.
        floor: credit of a candidate that shares no statement with the chosen ones.
        max_docs: statements per topic looked at (a seeded sample above this).
        seed: random state of that sample.
    """

    def __init__(self, analyzer=None, top_n_words: int = 10, alpha: float = 1.0, floor: float = 0.1,
                 max_docs: int = 2000, seed: int = 42):
        self.analyzer = analyzer
        self.top_n_words = top_n_words
        self.alpha = alpha
        self.floor = floor
        self.max_docs = max_docs
        self.seed = seed

    def extract_topics(self, topic_model, documents, c_tf_idf, topics):
        analyzer = self.analyzer or topic_model.vectorizer_model.build_analyzer()
        out = {}
        by_topic = documents.groupby("Topic")["Document"]
        groups = {t: list(d) for t, d in by_topic}
        for topic, candidates in topics.items():
            cands = [(w, float(s)) for w, s in candidates if w]
            docs = groups.get(topic, [])
            if len(docs) > self.max_docs:
                rng = np.random.default_rng(self.seed)
                docs = [docs[i] for i in np.sort(rng.choice(len(docs), self.max_docs, replace=False))]
            out[topic] = self._select(cands, docs, analyzer)
        return out

    def _select(self, cands: list[tuple[str, float]], docs: list[str], analyzer) -> list[tuple[str, float]]:
        if len(cands) <= 1 or not docs:
            return cands[: self.top_n_words]
        words = {w for w, _ in cands}
        where: dict[str, set[int]] = {w: set() for w in words}
        for i, d in enumerate(docs):
            for term in words.intersection(analyzer(d)):
                where[term].add(i)
        top = max(s for _, s in cands) or 1.0
        chosen = [cands[0]]
        rest = cands[1:]
        while rest and len(chosen) < self.top_n_words:
            def gain(item):
                w, s = item
                share = sum(1.0 for c, _ in chosen if where[w] & where[c]) / len(chosen)
                return (max(s, 0.0) / top) ** self.alpha * (self.floor + share)

            best = max(rest, key=gain)  # max() keeps the first of equals: deterministic
            chosen.append(best)
            rest.remove(best)
        return chosen


def make_bertopic(embedder: Embedder, vectorizer, *, top_n_words: int = 10, seed: int = 42,
                  rerank: bool = True) -> BERTopic:
    """A BERTopic that takes precomputed embeddings and topic labels (``fit(docs, embeddings, y=labels)``).

    ``reduce_frequent_words`` dampens words that are frequent in every topic
    (square-rooted term frequency), which keeps topic diversity high;
    :class:`CooccurrenceKeywords` then keeps the candidates that belong together.
    """
    return BERTopic(
        embedding_model=EmbedderBackend(embedder),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        vectorizer_model=vectorizer,
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=top_n_words,
        representation_model=(CooccurrenceKeywords(vectorizer.analyzer, top_n_words=top_n_words, seed=seed)
                              if rerank else None),
        calculate_probabilities=False,
        verbose=False,
    )


def ctfidf() -> ClassTfidfTransformer:
    """The c-TF-IDF model used when topics are updated after outlier reduction."""
    return ClassTfidfTransformer(reduce_frequent_words=True)
