"""The BERTopic side: imported only inside ``ThemeModel.fit`` (``import bertopic`` takes seconds).

BERTopic is used for what it does well — class-based TF-IDF topic words,
outlier reduction, topics per class and over time — while embedding,
reduction and clustering happen before it (see ``clustering.py``), and the
labels are handed over as ``y`` with BERTopic's own pass-through ``BaseCluster``
and ``BaseDimensionalityReduction``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from bertopic import BERTopic
from bertopic.backend import BaseEmbedder
from bertopic.cluster import BaseCluster
from bertopic.dimensionality import BaseDimensionalityReduction
from bertopic.vectorizers import ClassTfidfTransformer

from .embeddings import Embedder

__all__ = ["EmbedderBackend", "make_bertopic"]


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


def make_bertopic(embedder: Embedder, vectorizer, *, top_n_words: int = 10) -> BERTopic:
    """A BERTopic that takes precomputed embeddings and topic labels (``fit(docs, embeddings, y=labels)``).

    ``reduce_frequent_words`` dampens words that are frequent in every topic
    (square-rooted term frequency), which measurably raised topic diversity.
    """
    return BERTopic(
        embedding_model=EmbedderBackend(embedder),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        vectorizer_model=vectorizer,
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=top_n_words,
        calculate_probabilities=False,
        verbose=False,
    )


def ctfidf() -> ClassTfidfTransformer:
    """The c-TF-IDF model used when topics are updated after outlier reduction."""
    return ClassTfidfTransformer(reduce_frequent_words=True)
