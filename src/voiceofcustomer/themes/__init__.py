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
from .model import DEFAULT_EMBEDDING, OUTLIER_LABEL, ThemeModel, topic_label
from .pipeline import default_cache_dir, read_statements, run_themes
from .vectorizer import ContentAnalyzer, build_vectorizer

__all__ = ["ThemeModel", "run_themes", "read_statements", "default_cache_dir", "topic_label", "OUTLIER_LABEL", "DEFAULT_EMBEDDING", "ContentAnalyzer",
           "build_vectorizer", "EmbeddingBackend", "EmbeddingCache", "make_embedder", "ClusterResult",
           "cluster_embeddings"]
