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

from voiceofcustomer.themes.clustering import ClusterResult, cluster_embeddings
from voiceofcustomer.themes.embeddings import EmbeddingBackend, EmbeddingCache, make_embedder
from voiceofcustomer.themes.metrics import TokenIndex, bad_topic_words, npmi_coherence, topic_diversity
from voiceofcustomer.themes.model import DEFAULT_EMBEDDING, NOISE_REASONS, OUTLIER_LABEL, NotFittedError, ThemeModel, topic_label
from voiceofcustomer.themes.pipeline import default_cache_dir, load_inputs, run_themes
from voiceofcustomer.themes.report import write_outputs, write_themes
from voiceofcustomer.themes.vectorizer import ContentAnalyzer, build_vectorizer

__all__ = [
           "DEFAULT_EMBEDDING",
           "OUTLIER_LABEL",
           "ClusterResult",
           "ContentAnalyzer",
           "EmbeddingBackend",
           "EmbeddingCache",
           "ThemeModel",
           "NOISE_REASONS",
           "NotFittedError",
           "TokenIndex",
           "bad_topic_words",
           "build_vectorizer",
           "cluster_embeddings",
           "default_cache_dir",
           "load_inputs",
           "make_embedder",
           "npmi_coherence",
           "run_themes",
           "topic_diversity",
           "topic_label",
           "write_outputs",
           "write_themes",
]
