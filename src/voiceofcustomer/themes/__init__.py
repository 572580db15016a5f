"""Themes: BERTopic that works on Chinese, offline, from one focus group to a million tickets.

Public names:

- :class:`ThemeModel` — ``fit`` / ``transform`` / ``topics_per_class`` /
  ``topics_over_time`` on a statements table or a list of texts.
- :func:`run_themes` — what ``voc themes`` does: read any input, fit, write
  ``topics.csv``, ``statement_topics.csv``, ``themes.json``, ``themes.html``.
- :class:`ContentAnalyzer`, :func:`build_vectorizer` — the Chinese vocabulary.
- :func:`make_embedder`, :class:`EmbeddingBackend`, :class:`EmbeddingCache` — offline embeddings.
- :func:`npmi_coherence`, :func:`topic_diversity` — the quality measures of the benchmark.

``bertopic`` itself is imported only inside ``ThemeModel.fit``.
"""

from .clustering import ClusterResult, cluster_embeddings
from .embeddings import EmbeddingBackend, EmbeddingCache, make_embedder
from .metrics import TokenIndex, bad_topic_words, npmi_coherence, topic_diversity
from .model import DEFAULT_EMBEDDING, OUTLIER_LABEL, ThemeModel, ThemeResult, topic_label
from .report import write_outputs, write_themes
from .pipeline import default_cache_dir, load_inputs, run_themes
from .vectorizer import ContentAnalyzer, build_vectorizer

__all__ = ["ThemeModel", "ThemeResult", "write_themes", "write_outputs", "run_themes", "load_inputs", "default_cache_dir", "topic_label", "OUTLIER_LABEL", "DEFAULT_EMBEDDING", "ContentAnalyzer",
           "build_vectorizer", "EmbeddingBackend", "EmbeddingCache", "make_embedder", "ClusterResult",
           "cluster_embeddings", "npmi_coherence", "topic_diversity", "bad_topic_words", "TokenIndex"]
