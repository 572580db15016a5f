"""The BERTopic side: imported only inside ``ThemeModel.fit`` (``import bertopic`` takes seconds).

BERTopic is used for what it does well — class-based TF-IDF topic words,
outlier reduction, topics per class and over time — while embedding,
reduction and clustering happen before it (see ``clustering.py``), and the
labels are handed over as ``y`` with BERTopic's own pass-through ``BaseCluster``
and ``BaseDimensionalityReduction``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import numpy as np
from bertopic import BERTopic
from bertopic.backend import BaseEmbedder
from bertopic.cluster import BaseCluster
from bertopic.dimensionality import BaseDimensionalityReduction
from bertopic.representation import BaseRepresentation
from bertopic.vectorizers import ClassTfidfTransformer

from voiceofcustomer.themes.embeddings import Embedder
from voiceofcustomer.themes.vectorizer import select_keyphrases

__all__ = ["CooccurrenceKeywords", "CountsBERTopic", "EmbedderBackend", "ctfidf", "fit_on_counts", "make_bertopic",
           "update_on_counts"]


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
        # Fitted on counts, a statement's terms are its row of the caller's matrix: with a focus group's
        # question words added to its answers (the moderator names the subject), as c-TF-IDF counted them.
        given = getattr(topic_model, "_doc_terms", None)
        if given is not None and "ID" not in documents.columns:
            given = None
        column_of = {str(w): j for j, w in enumerate(given[1])} if given is not None else {}
        out = {}
        groups = {t: g for t, g in documents.groupby("Topic")}
        for topic, candidates in topics.items():
            cands = [(w, float(s)) for w, s in candidates if w]
            g = groups.get(topic)
            if g is not None and len(g) > self.max_docs:
                rng = np.random.default_rng(self.seed)
                g = g.iloc[np.sort(rng.choice(len(g), self.max_docs, replace=False))]
            if g is None or len(cands) <= 1:
                out[topic] = cands[: self.top_n_words]
                continue
            if given is not None:
                where = _rows_with_terms(given[0], column_of, g["ID"].to_numpy(), [w for w, _ in cands])
            else:
                where = _docs_with_terms(list(g["Document"]), [w for w, _ in cands], analyzer)
            picked = select_keyphrases([s for _, s in cands], where, len(g), top_n=self.top_n_words,
                                       alpha=self.alpha, floor=self.floor)
            out[topic] = [cands[i] for i in picked]
        return out


def _docs_with_terms(docs: list[str], words: list[str], analyzer) -> list[set[int]]:
    """For each of ``words``, the indices of the ``docs`` whose terms hold it."""
    where: dict[str, set[int]] = {w: set() for w in words}
    wanted = set(words)
    for i, d in enumerate(docs):
        for term in wanted.intersection(analyzer(d)):
            where[term].add(i)
    return [where[w] for w in words]


def _rows_with_terms(dtm, column_of: dict[str, int], rows: np.ndarray, words: list[str]) -> list[set[int]]:
    """For each of ``words``, the positions among ``rows`` of the statements whose counts hold it."""
    cols = [column_of.get(w, -1) for w in words]
    known = [c for c in cols if c >= 0]
    sub = dtm[rows][:, known].tocsc() if known else None
    out, k = [], 0
    for c in cols:
        if c < 0:
            out.append(set())
            continue
        out.append(set(sub[:, k].indices.tolist()))
        k += 1
    return out


class CountsBERTopic(BERTopic):
    """A ``BERTopic`` whose class term counts may come from the caller's statement × term matrix.

    Why: to build its c-TF-IDF, BERTopic joins each topic's documents into one
    string and runs the vectorizer over these strings again. At 10^6 statements
    that re-segments every statement a second time and held gigabytes at once
    (docs/benchmarks.md, *Themes at 10^6 under 8 GB*), although the caller already has the
    counts: with our analyzer (whitespace splits a document into independent
    pieces, see ``vectorizer.ContentAnalyzer``) and a fixed vocabulary, the
    counts of a topic's joined document are exactly the sum of its statements'
    rows. Inside :func:`fit_on_counts` / :func:`update_on_counts` the count
    matrix is the topic one-hot matrix times the statement × term matrix; the
    rest (``ClassTfidfTransformer``, the representation model, the topic
    mapper) is BERTopic's own. Everywhere else (``topics_per_class``,
    ``topics_over_time``) it is a plain ``BERTopic``.
    """

    _doc_terms = None  # (statements × terms CSR, vocabulary) while fitting on counts

    def _c_tf_idf(self, documents_per_topic, fit: bool = True, partial_fit: bool = False):
        given = self._doc_terms
        if given is None or not fit or partial_fit or self.ctfidf_model.seed_words or self.seed_topic_list:
            return super()._c_tf_idf(documents_per_topic, fit=fit, partial_fit=partial_fit)
        from scipy import sparse

        dtm, vocab = given
        doc_topics = np.asarray(self.topics_, dtype=np.int64)  # set by BERTopic before its c-TF-IDF step
        if len(doc_topics) != dtm.shape[0]:
            raise ValueError(f"{dtm.shape[0]} rows of term counts for {len(doc_topics)} documents")
        classes = documents_per_topic.Topic.to_numpy(dtype=np.int64)
        sorter = np.argsort(classes, kind="stable")
        row = sorter[np.searchsorted(classes, doc_topics, sorter=sorter)]
        if not np.array_equal(classes[row], doc_topics):
            raise ValueError("a document's topic is missing from the topics being represented")
        onehot = sparse.csr_matrix((np.ones(len(row), dtype=np.int64), (row, np.arange(len(row)))),
                                   shape=(len(classes), len(row)))
        X = (onehot @ dtm).astype(np.int64).tocsr()  # CountVectorizer's dtype
        X.eliminate_zeros()
        X.sort_indices()  # CountVectorizer's layout: the row sums behind the l1 norm add up in the same order
        # A fixed vocabulary: fitting reads it, no document is needed.
        self.vectorizer_model.fit([""])
        words = self.vectorizer_model.get_feature_names_out()
        same = len(words) == len(vocab) and np.array_equal(np.asarray(words, dtype=object),
                                                           np.asarray(vocab, dtype=object))
        if not same:
            raise ValueError("the term counts do not follow the vectorizer's vocabulary")
        if X.shape[1] == 1:
            # BERTopic's ClassTfidfTransformer squeezes the document frequencies of a one-word vocabulary
            # (a short transcript) to a scalar and fails; an empty second column leaves the idf of the one
            # word as it is (same row sums), and is cut off again.
            padded = sparse.hstack([X, sparse.csr_matrix((X.shape[0], 1), dtype=X.dtype)]).tocsr()
            with np.errstate(divide="ignore", invalid="ignore"):
                self.ctfidf_model = self.ctfidf_model.fit(padded)
            self.ctfidf_model._idf_diag = self.ctfidf_model._idf_diag[:1, :1].tocsr()
        else:
            self.ctfidf_model = self.ctfidf_model.fit(X)
        return self.ctfidf_model.transform(X), words


@contextlib.contextmanager
def _given_counts(model: CountsBERTopic, dtm, vocab):
    model._doc_terms = (dtm, vocab)
    try:
        yield model
    finally:
        model._doc_terms = None  # never kept (nor pickled) with the model


def fit_on_counts(model: CountsBERTopic, docs: list[str], topics: np.ndarray, dtm, vocab) -> CountsBERTopic:
    """``model.fit(docs, y=topics)`` with the c-TF-IDF counts taken from ``dtm`` (statements × ``vocab``,
    the rows in ``docs`` order, counted by the model's vectorizer's analyzer).

    The embeddings BERTopic is given are a one-column placeholder: with the
    pass-through reduction and clustering it only averages them into
    ``topic_embeddings_``, which ``ThemeModel.fit`` then sets from the real
    embeddings; the real matrix (2 GB at 10^6) would be copied whole by
    BERTopic's ``nan_to_num`` after the pass-through "reduction".
    """
    placeholder = np.zeros((len(docs), 1), dtype=np.float32)
    with _given_counts(model, dtm, vocab):
        model.fit(docs, embeddings=placeholder, y=topics)
    return model


def update_on_counts(model: CountsBERTopic, docs: list[str], topics: list[int], dtm, vocab, **kwargs) -> CountsBERTopic:
    """``model.update_topics(docs, topics=topics, **kwargs)`` with the counts taken from ``dtm``."""
    with _given_counts(model, dtm, vocab):
        model.update_topics(docs, topics=topics, **kwargs)
    return model


def make_bertopic(embedder: Embedder, vectorizer, *, top_n_words: int = 10, seed: int = 42,
                  rerank: bool = True) -> CountsBERTopic:
    """A BERTopic that takes precomputed embeddings and topic labels (``fit(docs, embeddings, y=labels)``).

    ``reduce_frequent_words`` dampens words that are frequent in every topic
    (square-rooted term frequency), which keeps topic diversity high;
    :class:`CooccurrenceKeywords` then keeps the candidates that belong together.
    """
    return CountsBERTopic(
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
