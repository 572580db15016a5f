"""``ThemeModel``: the themes customers raised, from a statements table.

The steps, and why they are in this order:

1. Statements that cannot carry a theme are set aside, never dropped: empty
   text, moderator prompts (they would make "the moderator's questions" a
   theme) and statements without a single content word ("好嘞。"). They come
   back with topic -1 and a ``reason``.
2. Offline embeddings (``embeddings.py``), cached on disk.
3. Clustering chosen by size (``clustering.py``).
4. BERTopic builds the topic words with a Chinese vocabulary
   (``vectorizer.py``), then reassigns outliers with ``reduce_outliers``
   (strategy ``"embeddings"``) where they clearly fit: a statement joins its
   most similar topic when its cosine similarity to that topic's centroid is
   at least the ``outlier_quantile`` quantile of the similarities of the
   topic members themselves — i.e. it is as close as a typical member.
   The rest stay 未归类 (topic -1).
5. Each topic gets a label from its key phrases, keywords with weights, size,
   share, three representative statements (the most central ones that
   contain a key phrase) and, when the input is tagged, its distribution over
   the label fields.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer.errors import ColumnError, VocError
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.labels.taxonomy import FIELDS
from voiceofcustomer.statements import counted_mask
from voiceofcustomer.themes.clustering import ClusterResult, cluster_embeddings
from voiceofcustomer.themes.embeddings import EmbeddingBackend, EmbeddingCache, embed_texts, make_embedder
from voiceofcustomer.themes.vectorizer import ContentAnalyzer, build_vectorizer

__all__ = ["DEFAULT_EMBEDDING", "OUTLIER_LABEL", "ThemeModel", "ThemeResult", "topic_label"]

OUTLIER_LABEL = "未归类"
DEFAULT_EMBEDDING = EmbeddingBackend.USE.value
_LABEL_MAX_CHARS = 14


class NotFittedError(VocError):
    """The model has not been fitted yet."""


def topic_label(words: Sequence[str], *, max_phrases: int = 4, min_phrases: int = 3) -> str:
    """A readable label: the best 3–4 key phrases joined by " · ".

    A phrase that overlaps one already chosen ("宽带" after "宽带掉线", or the
    reverse) is skipped, so the label does not repeat itself; a fourth phrase is
    added only while the label stays short.
    """
    chosen: list[str] = []
    for w in words:
        w = w.strip()
        if not w or any(w in c or c in w for c in chosen):
            continue
        if len(chosen) >= min_phrases and sum(map(len, chosen)) + len(w) > _LABEL_MAX_CHARS:
            break
        chosen.append(w)
        if len(chosen) >= max_phrases:
            break
    return " · ".join(chosen)


def _as_frame(statements, text_col: str) -> pd.DataFrame:
    if isinstance(statements, pd.DataFrame):
        if text_col not in statements.columns:
            raise ColumnError(f"no column {text_col!r}; columns are: {', '.join(map(str, statements.columns))}")
        df = statements.reset_index(drop=True).copy()
        if text_col != "text":
            df = df.rename(columns={text_col: "text"}) if "text" not in df.columns else df.assign(text=df[text_col])
    else:
        df = pd.DataFrame({"text": list(statements)})
    if "statement_id" not in df.columns:
        df.insert(0, "statement_id", [f"s{i + 1:06d}" for i in range(len(df))])
    df["statement_id"] = df["statement_id"].astype(str)
    df["text"] = df["text"].map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    return df


@dataclass
class ThemeResult:
    """What ``ThemeModel.fit_transform`` returns.

    Attributes:
        statements: the input rows, in order, with ``topic``, ``topic_label``,
            ``topic_prob``, ``topic_similarity`` and ``topic_reason`` added.
        topics: the topic table (``ThemeModel.topics_``).
        model: the fitted model (for ``topics_per_class``, ``transform``, outputs).
    """

    statements: pd.DataFrame
    topics: pd.DataFrame
    model: ThemeModel


class ThemeModel:
    """Topic model for Chinese statements: offline, seeded, from 100 to 10^6 statements.

    Args:
        embedding: ``"use"`` (default: best measured) or ``"lsa"``.
        n_topics: force this many topics (KMeans); default: found from the data.
        min_topic_size: smallest topic (HDBSCAN ``min_cluster_size``); default by size.
        seed: random state of every random step.
        cache_dir: folder for cached embeddings and UMAP output; ``None``: no cache.
        segmenter: word segmenter (default: rjieba with the telecom dictionary).
        small_limit: below this many statements, cluster with KMeans (no UMAP).
        fit_sample: above this many statements, fit UMAP/HDBSCAN on a sample.
        outlier_quantile: how close an outlier must be to a topic to join it
            (see module docstring); ``None`` keeps all outliers.
        top_n_words: keywords per topic.
        keywords: ``"cooccurrence"`` (default): c-TF-IDF candidates re-ranked so
            a topic's key phrases are used together by its statements;
            ``"ctfidf"``: BERTopic's plain c-TF-IDF ranking.
        progress: ``progress(message)`` at each step (the library never prints).

    Attributes (after ``fit``):
        topics_: DataFrame, one row per topic (``topic, label, keywords, size,
            share, representative_ids, representative_texts``, ``dist_<field>``
            when the input is tagged), largest first, 未归类 last.
        statement_topics_: DataFrame, one row per input statement, in input
            order (``statement_id``, ``ticket_id`` when the input has one,
            ``text, topic, topic_label, topic_prob, topic_similarity, reason``).
        info_: dict of what was done (method, embedding, clustering,
            n_topics, outlier shares before and after reassignment, timings).
        topic_model_: the fitted ``bertopic.BERTopic``.
    """

    def __init__(self, *, embedding: str = DEFAULT_EMBEDDING, n_topics: int | None = None,
                 min_topic_size: int | None = None, seed: int = 42, cache_dir: str | Path | None = None,
                 segmenter: Segmenter | None = None, small_limit: int = 1000, fit_sample: int = 20_000,
                 outlier_quantile: float | None = 0.25, top_n_words: int = 10, keywords: str = "cooccurrence",
                 progress: Callable[[str], None] | None = None):
        self.embedding = embedding
        self.n_topics = n_topics
        self.min_topic_size = min_topic_size
        self.seed = seed
        self.cache_dir = cache_dir
        self.segmenter = segmenter
        self.small_limit = small_limit
        self.fit_sample = fit_sample
        self.outlier_quantile = outlier_quantile
        self.top_n_words = top_n_words
        self.keywords = keywords
        self.progress = progress

    def __getstate__(self):
        state = self.__dict__.copy()
        state["progress"] = None  # a callback (often a lambda or a tqdm bar) does not pickle
        return state

    # -- fitting ---------------------------------------------------------------------
    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def _validate(self) -> None:
        if self.n_topics is not None and int(self.n_topics) < 1:
            raise VocError(f"--n-topics must be at least 1, not {self.n_topics}")
        if self.min_topic_size is not None and int(self.min_topic_size) < 2:
            raise VocError(f"--min-topic-size must be at least 2, not {self.min_topic_size}")
        if self.keywords not in ("cooccurrence", "ctfidf"):
            raise VocError(f"keywords must be 'cooccurrence' or 'ctfidf', not {self.keywords!r}")
        if self.outlier_quantile is not None and not 0 <= self.outlier_quantile <= 1:
            raise VocError(f"outlier_quantile must be within [0, 1], not {self.outlier_quantile}")

    def fit(self, statements: pd.DataFrame | Sequence[str], *, text_col: str = "text") -> ThemeModel:
        """Find the topics of ``statements`` (a statements table or a list of texts).

        A table may carry ``statement_id`` (else ids ``s000001``…), ``role``
        (moderator rows are set aside) and the label columns
        ``issue/servqual/demand/stance`` (then each topic gets their distribution).
        """
        self._validate()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        df = _as_frame(statements, text_col)
        if df.empty:
            raise VocError("no statements to analyse; the input has no rows")
        segmenter = self.segmenter or Segmenter()
        analyzer = ContentAnalyzer(segmenter)

        reason = np.full(len(df), "", dtype=object)
        texts_all = df["text"].tolist()
        empty = np.array([not t.strip() for t in texts_all])
        reason[empty] = "empty text"
        mod = ~counted_mask(df, include_duplicates=True) & ~empty  # the one rule of statements.counted_mask
        reason[mod] = "moderator"
        candidates = np.flatnonzero(reason == "")
        self._say(f"segmenting {len(candidates)} statements")
        terms = [analyzer(texts_all[i]) for i in candidates]
        has_terms = np.array([bool(t) for t in terms], dtype=bool)
        reason[candidates[~has_terms]] = "no content words"
        fit_idx = candidates[has_terms]
        if len(fit_idx) < 2:
            raise VocError(f"only {len(fit_idx)} of {len(df)} statements have content words to find themes in; "
                           "themes need at least 2 (moderator and empty statements are not used)")
        texts = [texts_all[i] for i in fit_idx]
        terms = [t for t, h in zip(terms, has_terms) if h]
        timings["segmentation"] = time.perf_counter() - t0

        # embeddings
        t = time.perf_counter()
        embedder = make_embedder(self.embedding, seed=self.seed, segmenter=segmenter)
        cache = EmbeddingCache(self.cache_dir) if self.cache_dir else None
        emb, emb_info = embed_texts(embedder, texts, cache=cache, progress=self._say)
        timings["embedding"] = time.perf_counter() - t

        # reduction + clustering
        t = time.perf_counter()
        reduce_cache = None
        if cache is not None:
            def reduce_cache(name, compute, _key=emb_info["key"]):
                key = f"{_key}-{name}"
                arr = cache.get_array(key)
                if arr is None:
                    arr = compute()
                    cache.put_array(key, arr)
                else:
                    self._say("reduction: from cache")
                return arr
        clusters: ClusterResult = cluster_embeddings(
            emb, n_topics=self.n_topics, min_topic_size=self.min_topic_size, seed=self.seed,
            small_limit=self.small_limit, fit_sample=self.fit_sample, reduce_cache=reduce_cache, progress=self._say)
        stage = clusters.details.get("timings_s", {})
        timings["reduction"] = stage.get("reduction", 0.0)
        timings["clustering"] = time.perf_counter() - t - timings["reduction"]

        # representation (BERTopic) + outlier reduction
        t = time.perf_counter()
        self._say("topic words: c-TF-IDF over the Chinese vocabulary")
        from voiceofcustomer.themes import _bt

        vectorizer = build_vectorizer(terms, analyzer=analyzer)
        del terms
        bt = _bt.make_bertopic(embedder, vectorizer, top_n_words=self.top_n_words, seed=self.seed,
                               rerank=self.keywords == "cooccurrence")
        with _quiet_bertopic():
            bt.fit(texts, embeddings=emb, y=np.asarray(clusters.labels))
        topics = np.asarray(bt.topics_, dtype=int)
        outliers_before = float((topics == -1).mean())
        threshold = None
        n_topics_found = len(set(topics.tolist()) - {-1})
        if self.outlier_quantile is not None and outliers_before > 0 and n_topics_found > 0:
            centroids, ids = _centroids(emb, topics)
            member = topics >= 0
            sims = np.einsum("ij,ij->i", emb[member], centroids[np.searchsorted(ids, topics[member])])
            threshold = float(np.quantile(sims, self.outlier_quantile))
            self._say(f"outliers: reassigning those with cosine ≥ {threshold:.3f} to a topic centroid")
            with _quiet_bertopic():
                new = np.asarray(bt.reduce_outliers(texts, topics.tolist(), strategy="embeddings", embeddings=emb,
                                                    threshold=threshold), dtype=int)
            if (new != topics).any():
                with _quiet_bertopic():  # it warns that custom topics skip topic reduction: none is used
                    bt.update_topics(texts, topics=new.tolist(), vectorizer_model=vectorizer, ctfidf_model=_bt.ctfidf(),
                                     representation_model=bt.representation_model, top_n_words=self.top_n_words)
                topics = new
            bt.topic_embeddings_ = _bertopic_topic_embeddings(emb, topics)
        outliers_after = float((topics == -1).mean())
        timings["representation"] = time.perf_counter() - t

        # results
        centroids, ids = _centroids(emb, topics)
        self.topic_model_ = bt
        self.embedder_ = embedder
        self.segmenter_ = segmenter
        self.centroids_ = centroids
        self.centroid_topics_ = ids
        self.threshold_ = threshold
        self.fit_index_ = fit_idx
        self.fit_texts_ = texts
        self.fit_topics_ = topics
        words = {tid: [(w, float(s)) for w, s in bt.get_topic(tid) if w] for tid in ids}
        self.topic_words_ = words
        self.labels_ = {tid: topic_label([w for w, _ in words[tid]]) or f"主题{tid}" for tid in ids}
        self.labels_[-1] = OUTLIER_LABEL

        sim = np.full(len(texts), np.nan, dtype=np.float32)
        member = topics >= 0
        if member.any():
            sim[member] = np.einsum("ij,ij->i", emb[member], centroids[np.searchsorted(ids, topics[member])])
        topic_all = np.full(len(df), -1, dtype=int)
        topic_all[fit_idx] = topics
        prob_all = np.full(len(df), np.nan, dtype=np.float32)
        if clusters.probabilities is not None:
            # BERTopic only renumbers clusters, so a clustered statement's probability still
            # describes its topic; reassigned outliers have none.
            kept = np.asarray(clusters.labels) != -1
            prob_all[fit_idx[kept]] = clusters.probabilities[kept]
        sim_all = np.full(len(df), np.nan, dtype=np.float32)
        sim_all[fit_idx] = sim
        reason_fit = np.where(topics == -1, "outlier", "")
        reason[fit_idx] = reason_fit
        st = pd.DataFrame({
            "statement_id": df["statement_id"].to_numpy(),
            "text": texts_all,
            "topic": topic_all,
            "topic_label": [self.labels_[t] for t in topic_all],
            "topic_prob": np.round(prob_all, 4),
            "topic_similarity": np.round(sim_all, 4),
            "reason": reason,
        })
        if "ticket_id" in df.columns:  # a ticket split into sentences: keep the way back to the ticket
            st.insert(1, "ticket_id", df["ticket_id"].to_numpy())
        self.statement_topics_ = st
        self.topics_ = self._topic_table(df, st, emb, sim)
        excluded = pd.Series(reason[reason != ""]).value_counts().to_dict()
        timings["total"] = time.perf_counter() - t0
        self.info_ = {
            "method": f"{clusters.method} on {emb_info['backend']} embeddings, BERTopic c-TF-IDF topic words",
            "embedding": emb_info,
            "clustering": {"method": clusters.method, **clusters.details},
            "n_statements": len(df),
            "n_fitted": len(fit_idx),
            "not_fitted": {k: int(v) for k, v in excluded.items() if k != "outlier"},
            "n_topics": len(ids),
            "outlier_share_before": round(outliers_before, 4),
            "outlier_share_after": round(outliers_after, 4),
            "outlier_threshold": None if threshold is None else round(threshold, 4),
            "outlier_rule": ("BERTopic reduce_outliers(strategy='embeddings'): cosine to the topic centroid ≥ the "
                             f"{self.outlier_quantile:.2f} quantile of the members' own similarities"
                             if self.outlier_quantile is not None else "none"),
            "vocabulary_size": len(vectorizer.vocabulary),
            "seed": self.seed,
            "timings_s": {k: round(v, 2) for k, v in timings.items()},
        }
        return self

    def fit_transform(self, statements, *, text_col: str = "text") -> ThemeResult:
        """Fit, and return the input rows with their topics plus the topic table."""
        self.fit(statements, text_col=text_col)
        st = self.statement_topics_
        base = statements.reset_index(drop=True).copy() if isinstance(statements, pd.DataFrame) \
            else st[["statement_id", "text"]].copy()
        base = base.drop(columns=[c for c in ("topic", "topic_label", "topic_prob", "topic_similarity",
                                              "topic_reason") if c in base.columns])
        for col in ("topic", "topic_label", "topic_prob", "topic_similarity"):
            base[col] = st[col].to_numpy()
        base["topic_reason"] = st["reason"].to_numpy()
        return ThemeResult(statements=base, topics=self.topics_, model=self)

    # -- using a fitted model ------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_model_"):
            raise NotFittedError("this ThemeModel is not fitted yet; call fit(statements) first")

    def transform(self, texts: Sequence[str]) -> pd.DataFrame:
        """Assign new texts to the fitted topics.

        A text joins the topic whose centroid is most cosine-similar when the
        similarity reaches the outlier threshold of the fit (else topic -1);
        texts without content words are -1.

        Returns:
            DataFrame ``text, topic, topic_label, topic_similarity``, one row per text.
        """
        self._check_fitted()
        texts = ["" if t is None else str(t) for t in texts]
        analyzer = ContentAnalyzer(self.segmenter_)
        usable = np.array([bool(t.strip()) and bool(analyzer(t)) for t in texts], dtype=bool)
        topic = np.full(len(texts), -1, dtype=int)
        sim = np.full(len(texts), np.nan, dtype=np.float32)
        if usable.any() and len(self.centroid_topics_):
            emb = self.embedder_.embed([t for t, u in zip(texts, usable) if u])
            sims = emb @ self.centroids_.T
            best = sims.argmax(axis=1)
            best_sim = sims[np.arange(len(sims)), best]
            assigned = self.centroid_topics_[best]
            if self.threshold_ is not None:
                assigned = np.where(best_sim >= self.threshold_, assigned, -1)
            topic[usable] = assigned
            sim[usable] = best_sim
        return pd.DataFrame({"text": texts, "topic": topic, "topic_label": [self.labels_[t] for t in topic],
                             "topic_similarity": np.round(sim, 4)})

    def topics_per_class(self, classes: Sequence) -> pd.DataFrame:
        """Topics within each class (customer group, discussion area, issue…).

        Args:
            classes: one value per input statement (same order as ``fit``).

        Returns:
            DataFrame ``class, topic, label, count, share_in_class, words``
            (``words``: the topic's key phrases within that class, BERTopic's
            ``topics_per_class``), sorted by class and count.
        """
        self._check_fitted()
        classes = pd.Series(list(classes)).fillna("").astype(str).str.strip().replace("", "(空)")
        if len(classes) != len(self.statement_topics_):
            raise VocError(f"{len(classes)} class values for {len(self.statement_topics_)} statements")
        fit_classes = classes.iloc[self.fit_index_].tolist()
        with _quiet_bertopic():
            tpc = self.topic_model_.topics_per_class(self.fit_texts_, classes=fit_classes)
        tpc = tpc.rename(columns={"Topic": "topic", "Words": "words", "Frequency": "count", "Class": "class"})
        totals = pd.Series(fit_classes).value_counts()
        tpc["share_in_class"] = (tpc["count"] / tpc["class"].map(totals)).round(4)
        tpc["label"] = tpc["topic"].map(self.labels_)
        tpc = tpc.sort_values(["class", "count", "topic"], ascending=[True, False, True], kind="mergesort")
        return tpc[["class", "topic", "label", "count", "share_in_class", "words"]].reset_index(drop=True)

    def topics_over_time(self, dates: Sequence, period: str = "month") -> pd.DataFrame:
        """Topic counts per period (month or week), with the period's key phrases.

        Args:
            dates: one date (any format pandas reads) per input statement.
            period: ``"month"`` or ``"week"`` (weeks start on Monday).

        Returns:
            DataFrame ``period, topic, label, count, share_in_period, words``;
            statements whose date cannot be read are left out and counted in
            ``info_["undated_statements"]``.
        """
        self._check_fitted()
        freq = {"month": "M", "week": "W-SUN", "day": "D"}.get(period)
        if freq is None:
            raise VocError(f"--period must be month or week, not {period!r}")
        dates = pd.Series(list(dates))
        if len(dates) != len(self.statement_topics_):
            raise VocError(f"{len(dates)} dates for {len(self.statement_topics_)} statements")
        parsed = pd.to_datetime(dates.astype(str).str.strip(), errors="coerce", format="mixed")
        fit_dates = parsed.iloc[self.fit_index_].reset_index(drop=True)
        ok = fit_dates.notna().to_numpy()
        self.info_["undated_statements"] = int((~ok).sum())
        if not ok.any():
            raise VocError("no date in the date column could be read; check --date-col (e.g. 受理时间)")
        starts = fit_dates[ok].dt.to_period(freq).dt.start_time
        docs = [t for t, k in zip(self.fit_texts_, ok) if k]
        topics = self.fit_topics_[ok].tolist()
        with _quiet_bertopic():
            tot = self.topic_model_.topics_over_time(docs, list(starts), topics=topics, global_tuning=True,
                                                     evolution_tuning=True)
        tot = tot.rename(columns={"Topic": "topic", "Words": "words", "Frequency": "count", "Timestamp": "period"})
        per_period = starts.value_counts()
        tot["share_in_period"] = (tot["count"] / tot["period"].map(per_period)).round(4)
        tot["label"] = tot["topic"].map(self.labels_)
        tot["period"] = pd.to_datetime(tot["period"]).dt.strftime("%Y-%m-%d")
        tot = tot.sort_values(["period", "count", "topic"], ascending=[True, False, True], kind="mergesort")
        return tot[["period", "topic", "label", "count", "share_in_period", "words"]].reset_index(drop=True)

    # -- topic table ---------------------------------------------------------------------
    def _topic_table(self, df: pd.DataFrame, st: pd.DataFrame, emb: np.ndarray, sim: np.ndarray) -> pd.DataFrame:
        n_all = len(st)
        rows = []
        topics = self.fit_topics_
        fit_ids = df["statement_id"].to_numpy()[self.fit_index_]
        label_fields = [f for f in FIELDS if f in df.columns]
        for tid in list(self.centroid_topics_) + [-1]:
            mask_all = st["topic"].to_numpy() == tid
            size = int(mask_all.sum())
            if tid == -1 and size == 0:
                continue
            row = {"topic": int(tid), "label": self.labels_[tid],
                   "keywords": "|".join(f"{w}:{s:.3f}" for w, s in self.topic_words_.get(tid, [])),
                   "size": size, "share": round(size / n_all, 4)}
            if tid >= 0:
                members = np.flatnonzero(topics == tid)
                rep = _representatives(members, sim, self.fit_texts_, [w for w, _ in self.topic_words_[tid]])
                row["representative_ids"] = "|".join(fit_ids[rep])
                row["representative_texts"] = "\n".join(self.fit_texts_[i] for i in rep)
            else:
                row["representative_ids"] = ""
                row["representative_texts"] = ""
            for f in label_fields:
                vals = df.loc[mask_all, f].dropna().astype(str)
                vals = vals[vals.str.strip() != ""]
                dist = vals.value_counts(normalize=True)
                row[f"dist_{f}"] = "|".join(f"{k}:{v:.2f}" for k, v in dist.items())
            rows.append(row)
        table = pd.DataFrame(rows)
        order = np.lexsort((table["topic"].to_numpy(), -table["size"].to_numpy(), table["topic"].to_numpy() == -1))
        return table.iloc[order].reset_index(drop=True)


@contextlib.contextmanager
def _quiet_bertopic():
    """BERTopic logs to stderr through its own handler (e.g. that update_topics with custom
    topics skips topic reduction, which is not used here); the library must not print."""
    logger = logging.getLogger("BERTopic")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _centroids(emb: np.ndarray, topics: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L2-normalised mean embedding of each topic ≥ 0: ``(n_topics, dim)`` and the sorted topic ids."""
    ids = np.array(sorted(set(topics.tolist()) - {-1}), dtype=int)
    if not len(ids):
        return np.zeros((0, emb.shape[1]), dtype=np.float32), ids
    cent = np.zeros((len(ids), emb.shape[1]), dtype=np.float64)
    pos = np.searchsorted(ids, topics[topics >= 0])
    np.add.at(cent, pos, emb[topics >= 0])
    norms = np.linalg.norm(cent, axis=1, keepdims=True)
    np.divide(cent, norms, out=cent, where=norms > 0)
    return cent.astype(np.float32), ids


def _bertopic_topic_embeddings(emb: np.ndarray, topics: np.ndarray) -> np.ndarray:
    """BERTopic's ``topic_embeddings_`` layout: the outlier row first (when present), then topics 0..k-1."""
    cent, _ids = _centroids(emb, topics)
    if (topics == -1).any():
        out = emb[topics == -1].mean(axis=0, keepdims=True)
        return np.vstack([out, cent])
    return cent


def _representatives(members: np.ndarray, sim: np.ndarray, texts: list[str], keywords: list[str],
                     n: int = 3, pool: int = 50) -> list[int]:
    """The ``n`` most central distinct statements of a topic, preferring those that contain a key phrase."""
    order = members[np.argsort(-sim[members], kind="mergesort")][:pool]
    keys = [k.replace(" ", "") for k in keywords[:10]]
    with_kw = [i for i in order if any(k and k in texts[i].replace(" ", "") for k in keys)]
    chosen: list[int] = []
    seen: set[str] = set()
    for i in with_kw + [i for i in order if i not in set(with_kw)]:
        if texts[i] in seen:
            continue
        seen.add(texts[i])
        chosen.append(int(i))
        if len(chosen) == n:
            break
    return chosen
