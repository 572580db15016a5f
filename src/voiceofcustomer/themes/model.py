"""``ThemeModel``: the themes customers raised, in two levels, from a statements table.

The steps (each a named method; computing is kept apart from the tables):

1. ``_prepare``: statements that cannot carry a theme are set aside, never
   dropped: empty text, moderator prompts (they would make "the moderator's
   questions" a theme), statements without a single content word ("好嘞。")
   and, when the input is tagged, statements with ``servqual=none``
   (introductions, small talk, off-topic posts). They come back with topic -1
   and a ``reason``. The text the model sees is ``text.noise.model_text``
   (no @handles, links, emoticon codes); the output keeps the text as given.
2. ``_embed``: offline embeddings (``embeddings.py``), cached on disk. A
   focus-group statement is embedded together with the moderator question it
   answers (``question_weight``): spoken statements are fragments ("关键是窗口开得
   少", "对，周末更恼火") whose subject the question sets, and alone they cluster
   by manner of speaking rather than by subject.
3. ``_cluster``: clustering chosen by size (``clustering.py``), run separately
   per *source kind* (focus-group transcripts, tickets): a focus group's
   statements would otherwise collapse into one theme among thousands of
   tickets. A focus group's subjects are flat (one per question block), so its
   themes are the fine clusters; the coarse level is for tickets.
4. ``_place``: every statement goes to the nearest theme centroid of its
   source kind; ``topic_conf`` is how typical it is there (the share of the
   theme's clustered members that are less similar to the centroid). Below
   ``min_conf`` it stays 未归类: it is further out than almost every member.
5. ``_represent``: BERTopic builds the key phrases with a Chinese vocabulary
   (``vectorizer.py``); a label a person would write is made from them.
6. ``_subthemes``: inside each theme, sub-themes (``clustering.split_theme``)
   with their own key phrases (c-TF-IDF among siblings); every statement of
   the theme gets one, so no statement is lost between levels.
7. ``_tables``: the statement and topic tables.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from voiceofcustomer import statements as S
from voiceofcustomer.errors import VocError, no_column
from voiceofcustomer.labels.taxonomy import FIELDS
from voiceofcustomer.statements import counted_mask
from voiceofcustomer.text.noise import model_text
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.themes.clustering import (SAME_SUBJECT, SUB_MIN_THEME, cluster_embeddings, mean_directions,
                                               merge_across_groups, nearest, split_theme)
from voiceofcustomer.themes.embeddings import (Embedder, EmbeddingBackend, EmbeddingCache, content_key, embed_texts,
                                               make_embedder, text_keys)
from voiceofcustomer.themes.tickets import (FOLLOWS_TICKET, follow_wordless, followup_clusters, inherit,
                                             pooled_followups, ticket_keys, without_openers)
from voiceofcustomer.themes.vectorizer import (ContentAnalyzer, build_vectorizer, evaluation_edge, has_noun,
                                               is_place_word, question_blocks, question_terms, select_keyphrases,
                                               speaker_codes, without_places)

__all__ = ["DEFAULT_EMBEDDING", "NOISE_REASONS", "QUESTION_WEIGHT", "NotFittedError", "OUTLIER_LABEL", "THEME_COLUMNS",
           "ThemeModel", "theme_size", "topic_label"]

OUTLIER_LABEL = "未归类"
#: Weight of the moderator's question in the embedding of a focus-group statement that answers it
#: (``ThemeModel(question_weight=…)``; 0 embeds the statement alone). Measured on written focus groups
#: with known subjects (docs/themes.md, *Focus groups: the question sets the subject*; flat from 0.75 to
#: 1.5): with it 36 of 38 subjects of five transcripts in everyday words come out as themes, 20 without.
QUESTION_WEIGHT = 1.0
#: The question's subject words join the key-phrase counts with every this-many-th statement answering it.
QUESTION_TERMS_EVERY = 3
#: Several focus groups analysed together: each session is clustered alone, and clusters of different
#: sessions whose centroids are at least this cosine-similar are joined (``ThemeModel(session_merge=…)``).
SESSION_MERGE = 0.75
#: A session with fewer fitted statements than this is clustered with the other small ones.
SESSION_MIN_STATEMENTS = 20
DEFAULT_EMBEDDING = EmbeddingBackend.USE.value
#: Where a curated theme set is applied (:mod:`voiceofcustomer.themes.curated`), ``topic_conf`` counts
#: the members at most this much more similar to the centroid as "less similar": a member's similarity
#: computed again (another batch, a matrix product instead of a row product) differs in the 7th decimal,
#: and a set applied to the month it was saved from put its own least typical members at ``topic_conf`` 0
#: (found in the curated-set QA pass). A model's own placement uses none: there the similarities are the
#: ones it fitted, and the tolerance moved boundary statements of the keyed focus groups (subjects named
#: 50 / 48 / 43 / 42 of 60 → 48 / 48 / 42 / 41, benchmarks/themes_focus_groups.py).
SIM_TOLERANCE = 1e-5
#: A model's own placement counts a member this much more similar as "less similar" (float32 rounding only):
#: a theme of one sentence repeated (14 written thank-you tickets) has its members at 1.0000001 and the same
#: rows placed at 0.99999976, so every member had ``topic_conf`` 0 and went to 未归类.
OWN_SIM_TOLERANCE = 1e-6
#: A key phrase with no noun in it counts this much when the label is chosen (``_label_order``).
LABEL_VERB_WEIGHT = 0.5
#: The operator's own name, brand or hotline: every statement is about the operator, so its name says
#: nothing about what one theme is about (``中国联通、信号`` is "信号"). Such a word names a theme only
#: when no other key phrase is readable; compounds keep it (联通营业厅).
OPERATOR_NAMES = frozenset(["联通", "中国联通", "电信", "中国电信", "移动", "中国移动", "广电", "中国广电",
                            "运营商", "天翼", "10086", "10010", "10000", "联通公司", "电信公司", "移动公司"])
#: Rounds of setting a split ticket's follow-up sentences aside and clustering the rest again
#: (``themes/tickets.py``): a second round finds the formulas the first one's themes still held.
FOLLOWUP_ROUNDS = 3
#: A tagged theme no issue holds this share of is split by its issues when its parts (``split_theme``) are
#: about different ones (``_split_mixed``).
MIXED_TOP_ISSUE_MAX = 0.5
#: … and in a theme one issue holds half of, a part of at least this many tagged statements that another issue
#: holds half of is split off (a sub-theme's smallest size, ``clustering.split_theme``).
SUB_SPLIT_MIN_PART = 5
#: Source kinds modelled apart (see module docstring, step 3).
TRANSCRIPT, TICKET = "transcript", "ticket"
#: Why a statement has no theme (``reason`` / ``topic_reason``).
NOISE_REASONS = ("empty text", "moderator", "staff section", "no content words", "no service content", "outlier")
_LABEL_MAX_CHARS = 8
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"^[A-Za-z0-9 ]{2,12}$")
_OUT_COLUMNS = (S.TOPIC, S.SUBTOPIC, S.TOPIC_LABEL, "subtopic_label", S.TOPIC_CONF, "topic_similarity", "topic_reason")
#: Every column a ``voc themes`` table says the themes in: ``transform``'s, ``statement_topics.csv``'s ``reason``
#: and a curated set's ``nearest_label`` / ``suggested_theme`` / ``suggested_label``. An input that has them (last
#: month's ``statement_topics.csv``, a ``voc analyze`` ``statements.xlsx``) is themed again without them: the output
#: carries this run's themes, never the input's old ones (``report.statement_table``, ``transform``).
THEME_COLUMNS = frozenset({*_OUT_COLUMNS, "reason", "nearest_label", S.SUGGESTED_THEME, S.SUGGESTED_LABEL})


def _readable(phrase: str) -> bool:
    """A key phrase fit for a label: Chinese, or a short Latin term (app, 5G, wifi); never a handle or link."""
    if not phrase or "@" in phrase or "/" in phrase or "http" in phrase.lower():
        return False
    return bool(_CJK.search(phrase)) or bool(_LATIN_WORD.match(phrase))


def topic_label(words: Sequence[str], *, max_chars: int = _LABEL_MAX_CHARS) -> str:
    """A short label a person would write, from ranked key phrases.

    The best *compound* phrase among the top three ("宽带掉线" rather than
    "宽带"): one such phrase is already a label. A second phrase that does not
    overlap it is added ("排队、等太久") while the label stays within
    ``max_chars`` characters. Handles, links and other unreadable tokens never
    enter a label, nor the operator's own name while anything else is readable.
    """
    cands = [w.strip() for w in words if _readable(w.strip())]
    cands = [w for w in cands if w not in OPERATOR_NAMES] or cands
    if not cands:
        return ""
    first = next((w for w in cands[:3] if len(w) >= 4 and len(w) <= max_chars), cands[0])
    chosen = [first]
    for w in cands:
        if any(w in c or c in w for c in chosen):
            continue
        if len(first) + len(w) <= max_chars:
            chosen.append(w)
        break
    return "、".join(chosen)


_KEY_SEP = "\x1f"  # joins source and session in a session key: never in a file name or session id


def _sessions(df: pd.DataFrame, rows: np.ndarray) -> np.ndarray | None:
    """The focus-group session of each row (source file and session), or ``None`` without those columns."""
    cols = [c for c in (S.SOURCE, S.SESSION) if c in df.columns]
    if not cols:
        return None
    part = df.iloc[rows][cols].astype("string").fillna("")
    return part.agg(_KEY_SEP.join, axis=1).to_numpy(dtype=object) if len(cols) > 1 else part[cols[0]].to_numpy(dtype=object)


def session_name(key: str) -> str:
    """A session key of :func:`_sessions` as a reader names it: ``第1场.txt`` when the session is the
    file's (its stem), else ``广州/第1场.txt, session 广州_第1场``; ``(small sessions)`` for the small ones
    clustered together. The key's separator is a control character, which a terminal shows as nothing
    (``focus_group_guide_a.txtfocus_group_guide_a``)."""
    if not key:
        return "(small sessions)"
    source, _, session = str(key).partition(_KEY_SEP)
    if not session or not source or session == Path(source).stem:
        return source or session
    return f"{source}, session {session}"


def _as_frame(statements, text_col: str | None) -> pd.DataFrame:
    """The statements as the model reads them: a copy with a string ``statement_id`` (``s000001``…
    when the table has none) and ``text`` (a copy of the text column, found by name as ``voc themes``
    finds a file's: :func:`voiceofcustomer.statements.statement_columns`; the table's own column is
    kept, and a ``text`` of its own beside another text column goes out as ``text_input``:
    :func:`voiceofcustomer.statements.own_text_name`), on a fresh index (:meth:`ThemeModel._output`
    gives the rows their index back)."""
    if isinstance(statements, pd.DataFrame):
        S.table_param(statements, "statements", "voc.open_statements(path).read()")  # two columns of one name
        text_col = S.statement_columns(statements.columns, text_col=text_col)[0]
        df = statements.reset_index(drop=True).copy()
        if text_col != S.TEXT:
            own_text = S.own_text_name(df.columns, text_col)
            if own_text is not None:
                df = df.rename(columns={S.TEXT: own_text})
            df[S.TEXT] = df[text_col]
    else:
        df = pd.DataFrame({S.TEXT: list(statements)})
    if S.STATEMENT_ID not in df.columns:
        df.insert(0, S.STATEMENT_ID, [f"s{i + 1:06d}" for i in range(len(df))])
    df[S.STATEMENT_ID] = df[S.STATEMENT_ID].astype(str)
    df[S.TEXT] = df[S.TEXT].map(lambda v: "" if S.is_missing(v) else str(v))
    return df


def as_statements_frame(statements, text_col: str | None = S.TEXT) -> pd.DataFrame:
    """The input as the model reads it (a copy with string ``statement_id`` and ``text``):
    for code that places statements with the model's rules (``curated.py``)."""
    return _as_frame(statements, text_col)


class _ForeignEmbedder(Embedder):
    """Any object with ``embed(texts) -> array`` used as an embedder (never cached: its
    identity is unknown)."""

    name = "custom"
    per_text = False

    def __init__(self, inner):
        self.inner = inner

    @property
    def tag(self) -> str:
        return f"custom-{type(self.inner).__name__}"

    def fit(self, texts):
        if hasattr(self.inner, "fit"):
            self.inner.fit(list(texts))
        return self

    def embed(self, texts, progress=None) -> np.ndarray:
        x = np.asarray(self.inner.embed(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)


class ThemeModel:
    """Two-level topic model for Chinese statements: offline, seeded, 100 to 10^6 statements.

    Args:
        embedding: ``"use"`` (default: best measured), ``"lsa"``, ``"e5"``, or an
            embedder object (an ``embeddings.Embedder``, or anything with
            ``embed(texts) -> (n, dim) array``).
        clustering: ``None`` (default: KMeans/HDBSCAN chosen by size, see
            ``clustering.py``) or a scikit-learn-style clusterer (``fit_predict``;
            label -1 = noise), cloned and fitted per source kind on the embeddings.
        n_topics: force this many themes (KMeans); default: found from the data.
        min_topic_size: smallest theme (HDBSCAN ``min_cluster_size``); default by size.
        random_state: random state of every random step.
        cache_dir: folder for cached embeddings and UMAP output; ``None``: no cache.
        segmenter: word segmenter (default: rjieba with the telecom dictionary).
        small_limit: below this many statements, cluster with KMeans (no UMAP).
        fit_sample: above this many statements, fit UMAP/HDBSCAN on a sample.
        min_conf: a statement further from its nearest theme than this share of
            the theme's own members stays 未归类 (``None``: every statement with
            content words is placed).
        subthemes: find sub-themes inside each theme.
        by_source: cluster focus-group statements and tickets apart.
        noise_field: label column whose value ``none`` marks a statement as
            having no service content (set aside, reason ``no service content``);
            ``None`` to ignore labels.
        top_n_words: key phrases per theme.
        keywords: ``"cooccurrence"`` (default) or ``"ctfidf"`` (plain ranking).
        engine: ``"local"`` or ``"dask"``: the embedding stage runs on a Dask
            cluster (the embedder loaded once per worker; the same batches, so the
            same vectors as the local engine).
        scheduler: the Dask scheduler's address (``tcp://HOST:8786``); ``None``
            starts a local cluster.
        progress: ``progress(message)`` at each step (the library never prints).
        seed: former name of ``random_state`` (kept for old callers).
        question_weight: weight of the moderator question (``prompt_turn``) added to the
            embedding of a focus-group statement before clustering and placement (0: none).
        session_merge: several focus-group sessions analysed together: each is clustered alone
            (its subjects as it alone would give them) and clusters of different sessions are
            joined when their centroids are at least this cosine-similar, at most one cluster
            of a session per theme; ``None`` clusters all sessions' statements together.
        follow_ticket: the sentences of a split ticket that only ever follow another subject
            (closing requests, escalation threats, accounts of the handling) take the theme of their
            ticket's first sentence with a subject, instead of forming themes of their own
            (``themes/tickets.py``; reason ``follows its ticket``). ``False``: every sentence is
            clustered as it is.
        thread_col: a column whose equal values make one thread (a conversation of posts, a case):
            for ``follow_ticket`` its rows, in input order, are one ticket's sentences ("已私信",
            "请回复" take the conversation's theme). Default: ``ticket_id``, the sentences of a split ticket.

    Attributes (after ``fit``):
        topics_: DataFrame, one row per theme (``topic, parent, level, label,
            keywords, size, count, share, n_subtopics, representative_ids,
            representative_texts``, ``dist_<field>`` when tagged), largest first, 未归类 last
            (``size``, ``count``, ``share``: :func:`theme_size`).
        subtopics_: the same columns for sub-themes (``topic`` = ``"3.1"``, ``parent`` = 3).
        statement_topics_: one row per input statement, in input order
            (``statement_id``, ``ticket_id`` when given, ``text, topic, subtopic,
            topic_label, subtopic_label, topic_conf, topic_similarity, reason``).
        info_: what was done (method, clustering per source kind, shares, timings).
        topic_model_: the fitted ``bertopic.BERTopic`` (level 1).
    """

    def __init__(self, *, embedding: str | object = DEFAULT_EMBEDDING, clustering: object | None = None,
                 n_topics: int | None = None, min_topic_size: int | None = None, random_state: int = 42,
                 cache_dir: str | Path | None = None, segmenter: Segmenter | None = None, small_limit: int = 1000,
                 fit_sample: int = 20_000, min_conf: float | None = 0.02, subthemes: bool = True,
                 by_source: bool = True, noise_field: str | None = "servqual", top_n_words: int = 10,
                 keywords: str = "cooccurrence", engine: str = "local", scheduler: str | None = None,
                 progress: Callable[[str], None] | None = None, seed: int | None = None,
                 question_weight: float = QUESTION_WEIGHT, session_merge: float | None = SESSION_MERGE,
                 follow_ticket: bool = True, thread_col: str | None = None):
        self.embedding = embedding
        self.clustering = clustering
        self.n_topics = n_topics
        self.min_topic_size = min_topic_size
        self.random_state = random_state if seed is None else seed
        self.cache_dir = cache_dir
        self.segmenter = segmenter
        self.small_limit = small_limit
        self.fit_sample = fit_sample
        self.min_conf = min_conf
        self.subthemes = subthemes
        self.by_source = by_source
        self.noise_field = noise_field
        self.top_n_words = top_n_words
        self.keywords = keywords
        self.engine = engine
        self.scheduler = scheduler
        self.progress = progress
        self.seed = None
        self.question_weight = question_weight
        self.session_merge = session_merge
        self.follow_ticket = follow_ticket
        self.thread_col = thread_col

    def __getstate__(self):
        state = self.__dict__.copy()
        state["progress"] = None  # a callback (often a lambda or a tqdm bar) does not pickle
        return state

    def __setstate__(self, state):
        """A model pickled by an earlier version loads as it was saved: ``transform`` places new statements; its
        tables need the count of the statements that count (``count``, 6 Dec 2026), which it cannot give
        (:meth:`_check_counts` says to fit it again: ``topic_tree``, the per-class and per-period tables, the
        outputs)."""
        self.__dict__.update(state)
        if "topic_model_" in state:
            self.__dict__.setdefault("places_out_", False)  # fitted before place words were left out

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def _validate(self) -> None:
        """The parameters checked as every stage checks its numbers (:func:`voiceofcustomer.statements.number_param`:
        ``n_topics="5"`` stopped inside scikit-learn), a whole number given as 5.0 kept as 5."""
        numbers = {"n_topics": dict(low=1, whole=True, means="themes to find"),
                   "min_topic_size": dict(low=2, whole=True, means="statements in the smallest theme"),
                   "random_state": dict(whole=True), "small_limit": dict(low=0, whole=True),
                   "fit_sample": dict(low=1, whole=True), "min_conf": dict(low=0, high=1),
                   "top_n_words": dict(low=1, whole=True, means="key phrases per theme"),
                   "question_weight": dict(low=0), "session_merge": dict(low=0, high=1, means="a cosine similarity")}
        for name, rule in numbers.items():
            if getattr(self, name) is not None:  # None: the default rule (n_topics, min_topic_size …)
                setattr(self, name, S.number_param(getattr(self, name), name, **rule))
        if self.engine not in ("local", "dask"):
            raise VocError(f"engine must be 'local' or 'dask', not {self.engine!r}")
        if self.keywords not in ("cooccurrence", "ctfidf"):
            raise VocError(f"keywords must be 'cooccurrence' or 'ctfidf', not {self.keywords!r}")
        if self.clustering is not None and not hasattr(self.clustering, "fit_predict"):
            raise VocError(f"clustering must have fit_predict (a scikit-learn clusterer), not {self.clustering!r}")

    # -- step 1: what can carry a theme ------------------------------------------------------
    def _prepare(self, df: pd.DataFrame, analyzer: ContentAnalyzer):
        """Reasons for statements set aside, the fitted rows, their model texts, terms and source kinds."""
        reason = np.full(len(df), "", dtype=object)
        # a ticket read whole (voc tag's one row a ticket) is themed by its customer's words, not 【工单回访】客户表示满意
        clean = [model_text(t) for t in S.customer_ticket_texts(df)]
        empty = np.array([not t.strip() for t in clean], dtype=bool)
        # a ticket's 用户反映 / 客户来电投诉 … is its writer's, the same under every subject: no key phrase or name of
        # a theme (投诉营业厅); the embeddings read the sentence whole (without, 400 tickets of six subjects gave 9
        # themes where 6, three of them formulas: tests/themes/test_themes_tickets.py)
        read = without_openers(clean, df)
        reason[empty] = "empty text"
        # the one rule of statements.counted_mask; its blank texts are among ``empty`` above
        mod = ~counted_mask(df, include_duplicates=True)
        reason[mod & ~empty] = "moderator"
        reason[S.staff_rows(df) & ~empty] = "staff section"  # a ticket's 【处理结果】…: the staff's words
        if self.noise_field and self.noise_field in df.columns:
            none = df[self.noise_field].astype("string").str.strip().str.lower().eq("none").fillna(False)
            reason[none.to_numpy(bool) & (reason == "")] = "no service content"
        candidates = np.flatnonzero(reason == "")
        terms = [analyzer(read[i]) for i in candidates]
        has = np.array([bool(t) for t in terms], dtype=bool)
        if getattr(analyzer, "phrase_words", False) and not has.all():
            # words that name nothing stay out of the key phrases, not the statement out of the themes
            plain = ContentAnalyzer(analyzer.segmenter, bigrams=False, phrase_words=False)
            for j in np.flatnonzero(~has):
                has[j] = bool(plain(read[candidates[j]]))
        reason[candidates[~has]] = "no content words"
        fit_idx = candidates[has] if len(candidates) else candidates
        terms = [t for t, h in zip(terms, has) if h]
        kinds = np.full(len(df), TICKET, dtype=object)
        if self.by_source and S.ROLE in df.columns:
            role = df[S.ROLE].astype("string").str.strip().fillna("")
            kinds[(role != "").to_numpy(bool)] = TRANSCRIPT
        return reason, fit_idx, [clean[i] for i in fit_idx], terms, kinds[fit_idx]

    # -- step 2 ----------------------------------------------------------------------------
    def _make_embedder(self, segmenter: Segmenter) -> Embedder:
        if isinstance(self.embedding, Embedder):
            return clone_embedder(self.embedding)
        if isinstance(self.embedding, (str, EmbeddingBackend)):
            return make_embedder(self.embedding, seed=self.random_state, segmenter=segmenter)
        if hasattr(self.embedding, "embed"):
            return _ForeignEmbedder(self.embedding)
        raise VocError(f"embedding must be a name (use, lsa, e5) or an object with embed(texts), "
                       f"not {self.embedding!r}")

    def _for_embedding(self, texts: Sequence[str]) -> list[str]:
        """The texts the embedding reads: without their place words (:func:`vectorizer.without_places`: 江北, 老城区,
        开发区), so one complaint from five districts is one subject, not five themes or sub-themes named by them. A
        model pickled before 7 Dec 2026 (no ``places_out_``) reads them as it was fitted."""
        if not getattr(self, "places_out_", True):
            return list(texts)
        return without_places(texts, getattr(self, "segmenter_", None) or self.segmenter or Segmenter(),
                              found=getattr(self, "_places_found", None))

    def _embed(self, embedder: Embedder, texts: list[str]) -> tuple[np.ndarray, dict]:
        texts = self._for_embedding(texts)
        self._text_keys = None  # per-text hashes, kept for the clustering's one-vote-per-text
        if isinstance(embedder, _ForeignEmbedder):
            embedder.fit(texts)
            return embedder.embed(texts), {"backend": embedder.tag, "tag": embedder.tag, "cached": 0,
                                           "computed": len(texts), "key": None}
        cache = EmbeddingCache(self.cache_dir) if self.cache_dir else None
        self._cache = cache
        self._text_keys = text_keys(texts) if embedder.per_text else None
        encode = None
        if self.engine == "dask" and embedder.per_text:
            from voiceofcustomer.engines.dask import DaskEncoder

            encode = DaskEncoder(embedder, scheduler=self.scheduler, progress=self._say)
        emb, info = embed_texts(embedder, texts, cache=cache, progress=self._say, encode=encode)
        if encode is not None:
            info["engine"] = encode.describe()
        return emb, info

    def _embed_new(self, texts: list[str]) -> np.ndarray:
        """Embeddings of texts for ``transform``, batched like ``fit`` (unique texts in key order),
        so the training statements get exactly their fitted vectors."""
        texts = self._for_embedding(texts)
        emb = self.embedder_
        if not emb.per_text or isinstance(emb, _ForeignEmbedder):
            return emb.embed(texts)
        keys = text_keys(texts)
        uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        vectors = emb.encode([texts[i] for i in first])
        return emb.finish(vectors[inverse.ravel()])

    def _questions(self, df: pd.DataFrame, fit_idx: np.ndarray, *, with_previous: bool = True) -> list[str]:
        """The moderator question each fitted statement answers, cleaned as statements are ("" when none).

        ``with_previous`` (what the embedding reads) appends the moderator turn before the question:
        a follow-up ("后来怎么解决的？", "实际多久来的？") names no subject, and the same follow-up
        closes several blocks; the question before it names the subject. Measured on five keyed
        focus groups, the joined text beat the question alone (adjusted Rand 0.73 → 0.87 on average)
        and beat adding the two embeddings (0.5 or 1.0 × the turn before: 0.73–0.77)."""
        if not float(getattr(self, "question_weight", 0) or 0) > 0 or S.PROMPT_TURN not in df.columns:
            return [""] * len(fit_idx)
        asked = S.prompt_questions(df)
        before = S.prompt_questions(df, previous=True) if with_previous else [""] * len(df)
        return [model_text(f"{asked[i]} {before[i]}" if before[i] else asked[i]).strip() if asked[i] else ""
                for i in fit_idx]

    def _question_subjects(self, df: pd.DataFrame, fit_idx: np.ndarray,
                           analyzer: ContentAnalyzer) -> tuple[list[tuple], list[tuple]]:
        """Per fitted statement, ``(key, subject words)`` of the moderator question it answers, and
        of that question's block (:func:`~voiceofcustomer.themes.vectorizer.question_blocks`: a
        follow-up such as "后来呢？" carries on the subject of the question before it); ``(None, [])``
        for none. Words of asking and the speakers' names are left out."""
        none = [(None, [])] * len(fit_idx)
        if not float(getattr(self, "question_weight", 0) or 0) > 0 or S.PROMPT_TURN not in df.columns:
            return none, none
        asked = S.moderator_turns(df)
        keys = S.prompt_keys(df, asked)
        if not any(keys[i] is not None for i in fit_idx):
            return none, none
        names = set(df[S.SPEAKER].dropna().astype(str)) if S.SPEAKER in df.columns else set()
        seg = analyzer.segmenter or Segmenter()
        # dictionary words only: the HMM joins a question's unknown stretches into "业务就行", "信息够不够"
        words_of = ContentAnalyzer(Segmenter(backend=seg.backend, dictionary=seg.dictionary, hmm=False), bigrams=False)
        own = {k: question_terms(words_of(model_text(q)), names) for k, q in asked.items()}
        blocks = question_blocks(asked, own, seg)
        return ([(keys[i], own[keys[i]]) if keys[i] is not None else (None, []) for i in fit_idx],
                [blocks[keys[i]] if keys[i] is not None else (None, []) for i in fit_idx])

    @staticmethod
    def _with_question_terms(terms: list[list[str]], questions: list[tuple]) -> list[list[str]]:
        """Each statement's terms plus the subject words of the question it answers (``(key, words)``
        per statement), for the key phrases.

        Why: participants seldom repeat the subject's name ("等了一个多钟头", "前面还有二十几个人"
        under a question about queues); the moderator's question names it. The question's own words
        only: a block's words given to every follow-up's answers outweighed what customers said
        (a theme of broadband repairs read "办理、售后", the words of the question that opened it)."""
        out = []
        seen: dict[tuple, int] = {}
        for t, (key, words) in zip(terms, questions):
            if key is None or not words:
                out.append(t)
                continue
            k = seen[key] = seen.get(key, -1) + 1
            # with every QUESTION_TERMS_EVERY-th answer: the question's words count like a few more participants'
            # (with every answer they outweigh what customers said; once, they rarely reach the label)
            out.append(t + words if k % QUESTION_TERMS_EVERY == 0 else t)
        return out

    def _encode_questions(self, embedder: Embedder, questions: list[str]) -> np.ndarray:
        questions = self._for_embedding(questions)  # as _embed_new reads them in transform
        if embedder.per_text and not isinstance(embedder, _ForeignEmbedder):
            return embed_texts(embedder, questions, cache=getattr(self, "_cache", None))[0]
        return embedder.embed(questions)  # LSA: the projection fitted on the statements

    def _add_questions(self, emb: np.ndarray, questions: list[str], encode) -> tuple[np.ndarray, int]:
        """``emb`` with ``question_weight`` × the question's embedding added to the rows that answer
        one (re-normalised), and how many rows that is. ``encode(texts)`` embeds the questions."""
        has = np.flatnonzero([bool(q) for q in questions])
        if not len(has):
            return emb, 0
        distinct = list(dict.fromkeys(questions[i] for i in has))
        index = {q: j for j, q in enumerate(distinct)}
        vectors = np.asarray(encode(distinct), dtype=np.float32)
        rows = emb[has] + np.float32(self.question_weight) * vectors[[index[questions[i]] for i in has]]
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        emb = emb if emb.flags.writeable else emb.copy()  # a cached matrix may be read-only
        emb[has] = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
        return emb, len(has)

    def _embed_statements(self, df: pd.DataFrame, fit_idx: np.ndarray, texts: list[str]) -> np.ndarray:
        """Embeddings of new statements as ``fit`` makes them (with their questions), for placement."""
        emb = self._embed_new(texts)
        return self._add_questions(emb, self._questions(df, fit_idx), self._embed_new)[0]

    # -- step 3 ----------------------------------------------------------------------------
    def _cluster(self, emb: np.ndarray, kinds: np.ndarray, emb_key: str | None,
                 answers: np.ndarray | None = None, sessions: np.ndarray | None = None,
                 min_sizes: dict | None = None) -> tuple[np.ndarray, dict]:
        """Cluster labels (-1 noise) per source kind, numbered apart, and what was done per kind.

        ``answers`` marks the rows embedded with a moderator question: a kind that has them is a
        focus group, whose subjects are flat, so its fine clusters are its themes (no coarse level).
        ``min_sizes``: the smallest theme per kind, where ``min_topic_size`` leaves it to the size."""
        labels = np.full(len(emb), -1, dtype=int)
        present = [k for k in (TRANSCRIPT, TICKET) if (kinds == k).any()]
        if len(present) > 1 and min((kinds == k).sum() for k in present) < 20:
            # too few of one kind to model apart: all as the larger kind (12 focus-group statements
            # beside 36 tickets made the tickets a focus-group session; found in the review-team QA pass)
            major = max(present, key=lambda k: int((kinds == k).sum()))
            minor = next(k for k in present if k != major)
            self._say(f"{int((kinds == minor).sum())} {minor} statements are too few to cluster apart "
                      f"(under 20): clustered with the {int((kinds == major).sum())} {major} statements")
            kinds = np.full(len(emb), major, dtype=object)
            present = [major]
        details, offset = {}, 0
        # the fine clusters a coarse level grouped (-1 elsewhere): where follow-up sentences are still apart
        self._fine_labels = np.full(len(emb), -1, dtype=int)
        fine_offset = 0
        for kind in present:
            rows = np.flatnonzero(kinds == kind)
            X = emb if len(rows) == len(emb) else emb[rows]  # one kind: no 2 GB copy at 10^6
            if len(rows) < 2:
                labels[rows] = offset
                offset += 1
                continue
            if self.clustering is not None:
                self._say(f"clustering {len(rows)} {kind} statements with {type(self.clustering).__name__}")
                lab = np.asarray(clone(self.clustering).fit_predict(X), dtype=int)
                info = {"method": type(self.clustering).__name__, "n_statements": len(rows)}
            else:
                cache_fn = self._reduce_cache(emb_key, kind) if emb_key else None
                keys = self._text_keys[rows] if getattr(self, "_text_keys", None) is not None else None
                flat = answers is not None and bool(answers[rows].mean() > 0.5)  # mostly answers to questions
                groups = self._session_groups(sessions[rows]) if flat and sessions is not None else None
                if groups is not None:
                    lab, info = self._cluster_sessions(X, groups, keys, sessions[rows])
                else:
                    res = cluster_embeddings(X, n_topics=self.n_topics,
                                             min_topic_size=self.min_topic_size or (min_sizes or {}).get(kind),
                                             seed=self.random_state, small_limit=self.small_limit,
                                             fit_sample=self.fit_sample, reduce_cache=cache_fn, progress=self._say,
                                             keys=keys, coarse_level=not flat)
                    lab = np.asarray(res.labels, dtype=int)
                    info = {"method": res.method, **res.details}
                    if self.n_topics is None and len(np.unique(lab[lab >= 0])) > 1:
                        lab, joined = merge_across_groups(X, lab, lab, threshold=SAME_SUBJECT)
                        if joined["joined"]:
                            self._say(f"{joined['joined']} {kind} clusters joined the cluster of the same subject "
                                      f"(centroids at least {SAME_SUBJECT} cosine-similar)")
                        info["same_subject_joined"] = joined
                    if res.fine_labels is not None:
                        self._fine_labels[rows] = np.where(res.fine_labels >= 0, res.fine_labels + fine_offset, -1)
                        fine_offset += int(res.fine_labels.max()) + 1
            ids = np.unique(lab[lab >= 0])
            remap = {int(old): offset + i for i, old in enumerate(ids)}
            labels[rows] = [remap.get(int(v), -1) for v in lab]
            offset += len(ids)
            details[kind] = info
        self.kinds_ = kinds
        return labels, details

    def _session_groups(self, sessions: np.ndarray) -> np.ndarray | None:
        """Which session each focus-group row is clustered with, or ``None`` to cluster them together
        (one session, ``session_merge=None``, or a forced ``n_topics``). Sessions under
        ``SESSION_MIN_STATEMENTS`` statements are clustered together, as one."""
        if self.session_merge is None or self.n_topics is not None:
            return None
        names, counts = np.unique(sessions.astype(str), return_counts=True)
        small = set(names[counts < SESSION_MIN_STATEMENTS].tolist())
        groups = np.array(["" if s in small else s for s in sessions.astype(str)], dtype=object)
        return groups if len(set(groups.tolist())) > 1 else None

    def _cluster_sessions(self, X: np.ndarray, groups: np.ndarray, keys: np.ndarray | None,
                          sessions: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
        """Each focus-group session clustered alone, then the same subject joined across sessions.

        Why: a session's subjects are its question blocks, and clustered alone each session gives
        them as well as it does analysed by itself; clustered together, sessions that follow
        different guides share a dozen themes (measured: 4–6 of each transcript's 7–8 subjects
        came out with six transcripts together, 7–8 with each alone)."""
        lab = np.full(len(X), -1, dtype=int)
        per_session, offset = {}, 0
        for g in dict.fromkeys(groups.tolist()):
            r = np.flatnonzero(groups == g)
            if len(r) < 2:
                lab[r] = offset
                offset += 1
                continue
            name = session_name(g)
            if not g and sessions is not None:  # say which: a ticket file clustered with them reads as one
                name = f"{name[:-1]}: {', '.join(map(session_name, dict.fromkeys(sessions[r].astype(str))))})"
            self._say(f"focus group {name}: {len(r)} statements")
            res = cluster_embeddings(X[r], min_topic_size=self.min_topic_size, seed=self.random_state,
                                     small_limit=self.small_limit, fit_sample=self.fit_sample,
                                     progress=self._say, keys=None if keys is None else keys[r], coarse_level=False)
            part = np.asarray(res.labels, dtype=int)
            lab[r[part >= 0]] = part[part >= 0] + offset
            offset += int(part.max()) + 1 if (part >= 0).any() else 0
            per_session[session_name(g)] = {"method": res.method, "k": res.details.get("k"),
                                                    "n_statements": len(r)}
        merged, joined = merge_across_groups(X, lab, groups, threshold=float(self.session_merge))
        info = {"method": "per session, joined across sessions", "sessions": per_session,
                "clusters": int(offset), "themes": int(merged.max()) + 1 if (merged >= 0).any() else 0,
                "joined_across_sessions": joined["joined"], "session_merge": float(self.session_merge),
                "n_statements": len(X)}
        return merged, info

    def _reduce_cache(self, emb_key: str, kind: str):
        cache = getattr(self, "_cache", None)
        if cache is None:
            return None

        def reduce_cache(name, compute):
            key = f"{emb_key}-{kind}-{name}"
            arr = cache.get_array(key)
            if arr is None:
                arr = compute()
                cache.put_array(key, arr)
            else:
                self._say("reduction: from cache")
            return arr
        return reduce_cache

    # -- step 4 ----------------------------------------------------------------------------
    def _learn_centroids(self, emb: np.ndarray, labels: np.ndarray, kinds: np.ndarray) -> None:
        """Theme centroids, their source kind, and the sorted member similarities behind ``topic_conf``."""
        ids = np.unique(labels[labels >= 0])
        member = np.flatnonzero(labels >= 0)
        lab = labels[member]
        self.centroids_ = mean_directions(emb, lab, ids, rows=member).astype(np.float32)
        self.centroid_kinds_ = np.array([kinds[member[np.argmax(lab == t)]] for t in ids], dtype=object)
        pos = np.searchsorted(ids, lab)
        sims = np.empty(len(member), dtype=np.float32)
        for start in range(0, len(member), 65536):  # in batches: no copy of all member embeddings
            part = slice(start, start + 65536)
            sims[part] = np.einsum("ij,ij->i", emb[member[part]], self.centroids_[pos[part]])
        order = np.argsort(pos, kind="stable")
        bounds = np.searchsorted(pos[order], np.arange(len(ids) + 1))
        self.member_sims_ = [np.sort(sims[order[bounds[i]:bounds[i + 1]]]) for i in range(len(ids))]
        self._centroid_ids = ids

    def _place(self, emb: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Nearest theme centroid of the statement's source kind: ``(topic or -1, conf, similarity)``."""
        n = len(emb)
        best = np.full(n, -1, dtype=int)
        sim = np.full(n, np.nan, dtype=np.float32)
        kinds_known = set(self.centroid_kinds_.tolist())
        for kind in set(kinds.tolist()) | {None}:
            rows = np.flatnonzero(kinds == kind) if kind is not None else np.flatnonzero(
                ~np.isin(kinds, list(kinds_known)))
            if not len(rows) or (kind is not None and kind not in kinds_known):
                continue
            cols = np.arange(len(self.centroid_kinds_)) if kind is None else np.flatnonzero(self.centroid_kinds_ == kind)
            b, s = nearest(emb if len(rows) == n else emb[rows], self.centroids_[cols])
            best[rows], sim[rows] = cols[b], s
        conf = np.full(n, np.nan, dtype=np.float32)
        for c, sims in enumerate(self.member_sims_):
            rows = np.flatnonzero(best == c)
            if len(rows):
                conf[rows] = np.searchsorted(sims, sim[rows] + getattr(self, "sim_tolerance_", OWN_SIM_TOLERANCE),
                                             side="right") / len(sims)
        topic = best.copy()
        if self.min_conf is not None:
            below = (conf < self.min_conf) & (best >= 0)
            floors = getattr(self, "sim_floors_", None)  # a curated set's (CuratedThemes.placer); a model has none
            if floors is not None and below.any():
                below &= ~(sim >= floors[np.maximum(best, 0)])
            topic[below] = -1
        return topic, conf, sim

    # -- step 5 ----------------------------------------------------------------------------
    def _represent(self, embedder, vectorizer, texts: list[str], topics: np.ndarray, dtm, vocab: np.ndarray):
        """Level-1 key phrases with BERTopic (c-TF-IDF over the Chinese vocabulary).

        The class term counts come from ``dtm`` (one-hot themes × statements × terms),
        not from BERTopic re-segmenting one joined string per theme, and BERTopic never
        gets the embedding matrix (``_bt.fit_on_counts``): the same key phrases, without
        the gigabytes this step held at 10^6 statements."""
        self._say("topic words: c-TF-IDF over the Chinese vocabulary")
        from voiceofcustomer.themes import _bt

        bt = _bt.make_bertopic(embedder, vectorizer, top_n_words=self.top_n_words, seed=self.random_state,
                               rerank=self.keywords == "cooccurrence")
        with _quiet_bertopic():
            _bt.fit_on_counts(bt, texts, topics, dtm, vocab)
        new = np.asarray(bt.topics_, dtype=int)
        mapping = {}
        for old, nw in zip(topics.tolist(), new.tolist()):
            mapping.setdefault(old, nw)
        return bt, mapping

    # -- step 6 ----------------------------------------------------------------------------
    def _subthemes(self, emb: np.ndarray, topics: np.ndarray, dtm, vocab: np.ndarray, texts: list[str]):
        """Sub-theme centroids per theme, each fitted statement's sub-theme index, and key phrases."""
        self.sub_centroids_: dict[int, np.ndarray] = {}
        sub = np.full(len(topics), -1, dtype=int)
        words: dict[str, list[tuple[str, float]]] = {}
        details = {}
        for t in self.topic_ids_:
            rows = np.flatnonzero(topics == t)
            if not self.subthemes:
                continue
            cent, info = split_theme(emb[rows], seed=self.random_state)
            details[int(t)] = info
            if not len(cent):
                continue
            b, _ = nearest(emb[rows], cent)
            # number sub-themes by size, largest first; drop centroids that won no statement
            counts = np.bincount(b, minlength=len(cent))
            order = [int(i) for i in np.lexsort((np.arange(len(cent)), -counts)) if counts[i] > 0]
            if len(order) < 2:
                continue
            cent = cent[order]
            b, _ = nearest(emb[rows], cent)
            self.sub_centroids_[int(t)] = cent
            sub[rows] = b
            words.update(_sibling_keyphrases(dtm[rows], b, vocab, int(t), top_n=self.top_n_words))
        return sub, words, details

    def _renumber(self, mapping: dict, emb: np.ndarray, topics: np.ndarray, conf: np.ndarray, sim: np.ndarray):
        """Carry the centroids along BERTopic's renumbering of the themes (by size).

        A clustered theme that lost every statement to its neighbours is dropped; then the
        statements are placed again so that ``transform`` reproduces ``fit``, and the new
        ``(topics, conf, sim)`` is returned (``None`` when nothing was dropped).
        """
        new_ids = np.array([mapping.get(int(o), -2) for o in self._centroid_ids])
        keep = new_ids >= 0
        order = np.argsort(new_ids[keep], kind="mergesort")
        self.centroids_ = self.centroids_[keep][order]
        self.centroid_kinds_ = self.centroid_kinds_[keep][order]
        self.member_sims_ = [s for s, k in zip(self.member_sims_, keep) if k]
        self.member_sims_ = [self.member_sims_[i] for i in order]
        self.centroid_topics_ = new_ids[keep][order]
        if not np.array_equal(self.centroid_topics_, np.arange(len(self.centroid_topics_))):
            raise AssertionError("BERTopic should number the placed themes 0..k-1")  # pragma: no cover
        self.topic_ids_ = self.centroid_topics_
        return None if keep.all() else self._place(emb, self.kinds_)

    # -- a split ticket's follow-up sentences (themes/tickets.py) ---------------------------
    def _ticket_keys(self, df: pd.DataFrame, fit_idx: np.ndarray, kinds: np.ndarray) -> np.ndarray | None:
        if not getattr(self, "follow_ticket", False):
            return None
        col = getattr(self, "thread_col", None)
        if col is not None and col not in df.columns:
            raise no_column("", col, df.columns, "thread_col")
        return ticket_keys(df, fit_idx, kinds == TICKET, col=col or S.TICKET_ID)

    def _all_ticket_keys(self, df: pd.DataFrame) -> np.ndarray | None:
        """:func:`ticket_keys` of every row of ``df`` (a focus group's rows are no ticket's), ``None`` without
        ``follow_ticket``."""
        kinds = np.full(len(df), TICKET, dtype=object)
        if self.by_source and S.ROLE in df.columns:
            kinds[(df[S.ROLE].astype("string").str.strip().fillna("") != "").to_numpy(bool)] = TRANSCRIPT
        return self._ticket_keys(df, np.arange(len(df)), kinds)

    def _set_followups_aside(self, emb, labels, keys, emb_key, answers, sessions, details):
        """Clusters of follow-up sentences set aside as follow-up centroids, the rest clustered again.

        Why again: the number of themes was chosen with the formulas among them (on the written
        exports: 6 formula clusters of 10, and two pairs of subjects shared the remaining themes).
        When no theme is a follow-up cluster and the themes are a coarse level's grouping, the fine
        clusters it grouped are looked at (:func:`pooled_followups`): a small export's formulas are
        fine clusters too small to pass alone, grouped with the subjects they resemble."""
        self.followup_centroids_ = np.zeros((0, emb.shape[1]), dtype=np.float32)
        if keys is None:
            return labels, details
        aside = np.zeros(len(labels), dtype=bool)
        centroids, rounds = [], []
        kinds_all = self.kinds_.copy()
        text_keys_all = getattr(self, "_text_keys", None)
        # HDBSCAN's smallest theme as the whole input set it: the follow-ups set aside still join the
        # themes, and 1 % of the rest cut the 1,200 written tickets into 55 themes (14 with it, 6 of 6
        # subjects); KMeans's own minimum at the smaller size found more subjects (5–6 of 6, not 4–5)
        min_sizes = {k: d.get("min_cluster_size") for k, d in details.items()}
        fine = getattr(self, "_fine_labels", None)
        fine = np.full(len(labels), -1, dtype=int) if fine is None or len(fine) != len(labels) else fine.copy()
        for _ in range(FOLLOWUP_ROUNDS):
            found, measured = followup_clusters(keys, np.where(aside, -1, labels))
            level, by = {}, labels
            if not found and (fine >= 0).any():
                # the themes group fine clusters: the follow-ups may be among those (pooled_followups)
                found, pooled = pooled_followups(keys, np.where(aside, -1, fine))
                level, by = {"fine_clusters_pooled": pooled}, fine
            if not found:
                break
            new = np.isin(by, found) & ~aside
            ids = np.array(sorted(found))
            centroids.append(mean_directions(emb, by[new], ids, rows=np.flatnonzero(new)).astype(np.float32))
            aside |= new
            rounds.append({"clusters": {} if level else {str(c): measured[c] for c in found}, **level,
                           "statements": int(new.sum())})
            keep = np.flatnonzero(~aside)
            self._say(f"{int(new.sum())} sentences only ever follow their ticket's subject (closing requests, "
                      f"escalation, handling): they take their ticket's theme; clustering the other {len(keep)} again")
            self._text_keys = text_keys_all[keep] if text_keys_all is not None else None
            lab, details = self._cluster(emb[keep], kinds_all[keep],
                                         f"{emb_key}-followups{int(aside.sum())}" if emb_key else None,
                                         answers=answers[keep],
                                         sessions=None if sessions is None else sessions[keep], min_sizes=min_sizes)
            kinds_all[keep] = self.kinds_
            labels = np.full(len(labels), -1, dtype=int)
            labels[keep] = lab
            fine = np.full(len(labels), -1, dtype=int)
            fine[keep] = self._fine_labels
        self._text_keys = text_keys_all
        self.kinds_ = kinds_all
        if centroids:
            self.followup_centroids_ = np.vstack(centroids)
            kind = TICKET if TICKET in details else next(iter(details))
            details = {**details, kind: {**details[kind], "ticket_followups": {
                "rounds": rounds, "statements": int(aside.sum())}}}
        return labels, details

    def _split_mixed(self, emb, labels, df, fit_idx, details):
        """A cluster of a tagged input that mixes subjects is split by them: its parts (the sub-theme split,
        ``split_theme``) about an issue other than the cluster's make a theme each, before centroids are learnt
        (so ``transform`` and a curated set saved of the run place by the same themes). Then the ticket
        clusters at least ``SAME_SUBJECT`` alike are joined, as in ``_cluster``: a part split off joins the
        theme of its subject where the run has one.

        When no ``issue`` holds ``MIXED_TOP_ISSUE_MAX`` of the cluster, every part goes with the issue most of
        it is about. Why: a small ticket export's KMeans keeps its themes at the smallest theme size (1/30 of
        the statements), so subjects of 20 statements each are merged: the 600 tickets of two written months
        gave one theme of 115 statements, 客服人员态度恶劣, whose sub-themes were staff attitude, signal,
        marketing, praise and complaint handling (its largest issue 22 %).

        When one issue holds that much, only a part of ``SUB_SPLIT_MIN_PART`` tagged statements or more that
        another issue holds at least ``MIXED_TOP_ISSUE_MAX`` of is split off. Why: a month of written tickets
        (781 statements) had a theme 手机信号太差 with sub-themes 客服热线、没人接 (35), 家里手机信号、室内 (24) and
        业务、排队 (17), efficiency 65 % of it; the sub-themes' centroids were 0.45–0.50 cosine-similar to the
        rest of their theme, where the sub-themes of one subject measure 0.29–0.67, so no similarity tells
        them apart, but their issues do. A part no issue clearly holds (上次、追加, efficiency and signal 5 of 12
        each) or of a few statements stays.

        ``n_topics`` or a clusterer of one's own is kept as given; a focus group's themes too (its question
        blocks)."""
        if self.n_topics is not None or self.clustering is not None or "issue" not in df.columns:
            return labels, details
        issues = df["issue"].iloc[fit_idx].astype("string").fillna("").to_numpy(dtype=object)
        # a focus group's themes are its question blocks, where one subject's parts may be tagged apart
        issues[self.kinds_ != TICKET] = ""
        labels = labels.copy()
        split = {}
        next_id = int(labels.max()) + 1
        for c in np.unique(labels[labels >= 0]).tolist():
            rows = np.flatnonzero(labels == c)
            tagged = issues[rows] != ""
            if tagged.sum() < SUB_MIN_THEME:
                continue
            theme_issue, theme_top = Counter(issues[rows][tagged]).most_common(1)[0]
            mixed = theme_top < MIXED_TOP_ISSUE_MAX * tagged.sum()
            cent, _info = split_theme(emb[rows], seed=self.random_state)
            if len(cent) < 2:
                continue
            part, _ = nearest(emb[rows], cent)
            by_issue = {}
            for p in np.unique(part).tolist():
                counts = Counter(issues[rows][(part == p) & tagged])
                top = counts.most_common(1)
                about = top[0][0] if top else ""
                n_part = sum(counts.values())
                if not mixed and (n_part < SUB_SPLIT_MIN_PART or top[0][1] < MIXED_TOP_ISSUE_MAX * n_part):
                    about = theme_issue  # not clearly about another issue: a detail of the theme's subject
                by_issue.setdefault(about, []).append(p)
            if len(by_issue) < 2:
                continue
            # the theme's own issue keeps its id (the first one when the cluster is mixed)
            order = sorted(by_issue) if mixed else [theme_issue] + sorted(i for i in by_issue if i != theme_issue)
            for n_issue, issue in enumerate(order):
                if n_issue:
                    labels[rows[np.isin(part, by_issue[issue])]] = next_id
                    next_id += 1
            split[str(c)] = {"statements": len(rows), "themes": len(by_issue),
                             "issues": sorted(i for i in by_issue if i)}
            if not mixed:
                split[str(c)]["split_off"] = [i for i in order[1:] if i]
        if split:
            self._say(f"{len(split)} themes held subjects of different issues: split by them")
            kind = TICKET if TICKET in details else next(iter(details))
            joined = self._join_same_subject(emb, labels)
            details = {**details, kind: {**details[kind], "split_by_issue": split,
                                         **({"split_by_issue_joined": joined} if joined else {})}}
        return labels, details

    def _join_same_subject(self, emb, labels) -> int:
        """Ticket clusters at least ``SAME_SUBJECT`` alike joined (``labels`` changed in place; a joined
        cluster takes the smallest id of its parts); how many were joined."""
        rows = np.flatnonzero((self.kinds_ == TICKET) & (labels >= 0))
        if len(np.unique(labels[rows])) < 2:
            return 0
        lab, joined = merge_across_groups(emb[rows], labels[rows], labels[rows], threshold=SAME_SUBJECT)
        first = pd.Series(labels[rows]).groupby(lab).min()
        labels[rows] = first.loc[lab].to_numpy()
        if joined["joined"]:
            self._say(f"{joined['joined']} ticket clusters split off by issue joined the cluster of the same subject")
        return int(joined["joined"])

    def _place_following(self, emb, kinds, keys, placed=None):
        """``_place`` (or its ``placed`` result), and which rows follow their ticket: a sentence of a split
        ticket nearer to a follow-up centroid than to its theme. Those are held out (-1) of the key phrases
        and sub-themes until ``_inherit``."""
        topics, conf, sim = placed if placed is not None else self._place(emb, kinds)
        follows = np.zeros(len(emb), dtype=bool)
        fc = getattr(self, "followup_centroids_", None)
        if keys is not None and fc is not None and len(fc):
            rows = np.flatnonzero([k is not None for k in keys.tolist()])
            if len(rows):
                _, s = nearest(emb[rows], fc)
                follows[rows] = s > np.nan_to_num(sim[rows], nan=-np.inf)
        topics = np.where(follows, -1, topics)
        return topics, conf, sim, follows

    def _inherit(self, emb, keys, follows, topics, sub, conf, sim):
        """Following rows take their ticket's theme, sub-theme and ``topic_conf``; their similarity
        is to that theme."""
        if keys is None or follows is None or not follows.any():
            return topics, sub, conf, sim
        topics, sub, conf = inherit(keys, follows, topics, sub, conf)
        sim = sim.copy()
        rows = np.flatnonzero(follows)
        got = rows[topics[rows] >= 0]
        sim[rows] = np.nan
        if len(got):
            sim[got] = np.einsum("ij,ij->i", emb[got], self.centroids_[topics[got]])
        return topics, sub, conf, sim

    def _name_themes(self, topics: np.ndarray, sub: np.ndarray, dtm, vocab: np.ndarray,
                     subjects: list[tuple] | None = None) -> tuple[dict, dict]:
        """Readable labels of the themes and sub-themes from their key phrases (a sub-theme's
        label leaves out the words of its parent's); a focus-group theme that is one discussion
        subject is named first by the thing its questions name (:func:`_question_subject_words`)."""
        vocab_index = {w: i for i, w in enumerate(vocab)}
        seg = self.segmenter_ if getattr(self, "segmenter_", None) is not None else None
        named = _question_subject_words(topics, subjects or [], seg) if seg is not None else {}
        places = getattr(self, "place_words_", frozenset())
        labels = {}
        for tid, ws in self.topic_words_.items():
            ordered = _label_order(ws, dtm[topics == tid], vocab_index, seg, places)
            label = topic_label(ordered)
            thing = named.get(tid)
            if thing and thing not in label:
                rest = [w for w in ordered if _readable(w) and thing not in w and w not in thing]
                label = "、".join([thing] + rest[:1]) if rest and len(thing) + len(rest[0]) <= _LABEL_MAX_CHARS else thing
            labels[tid] = label or f"主题{tid}"
        labels[-1] = OUTLIER_LABEL
        sublabels = {}
        sub_ids = np.array([f"{t}.{k + 1}" if k >= 0 else "" for t, k in zip(topics, sub)], dtype=object)
        for sid, ws in self.subtopic_words_.items():
            parent_label = labels[int(sid.split(".")[0])]
            ordered = _label_order(ws, dtm[sub_ids == sid], vocab_index, seg, places)
            own = [w for w in ordered if w not in parent_label]
            sublabels[sid] = topic_label(own or ordered) or sid
        return labels, sublabels

    def _fit_info(self, df, reason, fit_idx, topics, st, emb_info, cluster_details, sub_details, outliers_before,
                  vocabulary_size, timings) -> dict:
        """What ``fit`` did (``info_``): method, clustering per source kind, shares, timings."""
        excluded = pd.Series(reason[reason != ""]).value_counts().to_dict()
        counted = counted_mask(df)
        themed = theme_size((st[S.TOPIC] != -1).to_numpy(bool), counted)  # as topics.csv counts a theme
        return {
            "method": ("per source kind: " + ", ".join(f"{k}: {d['method']}" for k, d in cluster_details.items())
                       + f" on {emb_info['backend']} embeddings; nearest-centroid placement; BERTopic c-TF-IDF "
                       "key phrases; sub-themes by KMeans inside each theme"),
            "embedding": {k: v for k, v in emb_info.items()},
            "clustering": cluster_details,
            "source_kinds": {k: int((self.kinds_ == k).sum()) for k in (TRANSCRIPT, TICKET) if (self.kinds_ == k).any()},
            "n_statements": len(df),
            # the statements that count (statements.counted_mask), the denominator of the themes' shares
            "n_counted": int(counted.sum()),
            # of those, the ones on a theme and the share 未归类, as the summary line says them (it said "12 of 13
            # statements" of an export with a repeated ticket and an empty text, where topics.csv counted 11)
            "n_counted_themed": themed["count"],
            "unassigned_counted_share": round(1 - themed["share"], 4) if counted.any() else 0.0,
            "n_fitted": len(fit_idx),
            "not_fitted": {k: int(v) for k, v in excluded.items() if k != "outlier"},
            "n_topics": len(self.topic_ids_),
            "n_subtopics": int(len(self.subtopics_)),
            "subthemes": {str(k): v for k, v in sub_details.items()},
            "outlier_share_before": round(outliers_before, 4),
            "outlier_share_after": round(float((topics == -1).mean()), 4),
            "unassigned_share": round(float((st[S.TOPIC] == -1).mean()), 4),
            "min_conf": self.min_conf,
            "placement_rule": ("nearest theme centroid of the statement's source kind; topic_conf = share of the "
                               "theme's clustered members less similar to the centroid; 未归类 below min_conf"),
            "vocabulary_size": vocabulary_size,
            "random_state": self.random_state,
            "timings_s": {k: round(v, 2) for k, v in timings.items()},
        }

    # -- fit ------------------------------------------------------------------------------
    def fit(self, statements: pd.DataFrame | Sequence[str], y=None, *, text_col: str | None = None) -> ThemeModel:
        """Find the themes and sub-themes of ``statements`` (a statements table or a list of texts).

        ``text_col``: the table's text column; by default ``text``, else the one with a known
        name (内容、投诉内容 …) as ``voc themes`` finds a file's.

        A table may carry ``statement_id`` (else ids ``s000001``…), ``role``
        (moderator rows are set aside; rows with a role are a focus group's),
        and the label columns (``servqual=none`` rows are set aside; each theme
        gets the distribution of every label field).
        """
        self._validate()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        df = _as_frame(statements, text_col)
        if df.empty:
            raise VocError("no statements to analyse; the input has no rows")
        segmenter = self.segmenter or Segmenter()
        analyzer = ContentAnalyzer(segmenter, codes=_codes(df))
        self._say(f"segmenting {len(df)} statements")
        reason, fit_idx, texts, terms, kinds = self._prepare(df, analyzer)
        if len(fit_idx) < 2:
            raise VocError(f"only {len(fit_idx)} of {len(df)} statements have content words to find themes in; "
                           "themes need at least 2 (moderator, small-talk and empty statements are not used)")
        timings["segmentation"] = time.perf_counter() - t0

        t = time.perf_counter()
        embedder = self._make_embedder(segmenter)
        self.segmenter_, self.places_out_, self._places_found = segmenter, True, set()
        emb, emb_info = self._embed(embedder, texts)
        # the place words of these statements: no theme's name (下沙 alone, where 下沙营业厅 says it is a place)
        self.place_words_, self._places_found = frozenset(self._places_found), None
        questions = self._questions(df, fit_idx)
        emb, n_answers = self._add_questions(emb, questions, lambda qs: self._encode_questions(embedder, qs))
        if n_answers:
            self._say(f"embeddings: {n_answers} focus-group statements embedded with the question they answer")
            emb_info.update(question_context={"statements": n_answers, "weight": float(self.question_weight)},
                            key=content_key(emb_info.get("key"), text_keys(questions), float(self.question_weight)))
        timings["embedding"] = time.perf_counter() - t

        t = time.perf_counter()
        answers = np.array([bool(q) for q in questions], dtype=bool)
        sessions = _sessions(df, fit_idx)
        labels, cluster_details = self._cluster(emb, kinds, emb_info.get("key"), answers=answers, sessions=sessions)
        keys = self._ticket_keys(df, fit_idx, kinds)
        labels, cluster_details = self._set_followups_aside(emb, labels, keys, emb_info.get("key"), answers, sessions,
                                                            cluster_details)
        self._text_keys = self._fine_labels = None
        labels, cluster_details = self._split_mixed(emb, labels, df, fit_idx, cluster_details)
        timings["reduction"] = sum(d.get("timings_s", {}).get("reduction", 0.0) for d in cluster_details.values())
        timings["clustering"] = time.perf_counter() - t - timings["reduction"]
        outliers_before = float((labels == -1).mean())
        if not (labels >= 0).any():
            labels = np.zeros(len(labels), dtype=int)  # the clusterer found nothing: one theme
        self._learn_centroids(emb, labels, self.kinds_)
        self._say("placing statements on the nearest theme of their source kind")
        topics, conf, sim, follows = self._place_following(emb, self.kinds_, keys)
        timings["placement"] = time.perf_counter() - t - timings["reduction"] - timings["clustering"]

        t = time.perf_counter()
        questions, subjects = self._question_subjects(df, fit_idx, analyzer)
        terms = self._with_question_terms(terms, questions)
        vectorizer = build_vectorizer(terms, analyzer=analyzer)
        vocab = np.array(sorted(vectorizer.vocabulary, key=vectorizer.vocabulary.get) if isinstance(
            vectorizer.vocabulary, dict) else list(vectorizer.vocabulary), dtype=object)
        dtm = _term_matrix(terms, vocab)
        del terms
        bt, mapping = self._represent(embedder, vectorizer, texts, topics, dtm, vocab)
        placed = self._renumber(mapping, emb, topics, conf, sim)
        if placed is not None:  # themes were dropped: placed again, so the key phrases follow
            topics, conf, sim, follows = self._place_following(emb, self.kinds_, keys, placed)
            from voiceofcustomer.themes import _bt

            with _quiet_bertopic():
                _bt.update_on_counts(bt, texts, topics.tolist(), dtm, vocab, vectorizer_model=vectorizer,
                                     representation_model=bt.representation_model, top_n_words=self.top_n_words)
        else:
            topics = np.array([mapping[v] for v in topics.tolist()], dtype=int)
        bt.topic_embeddings_ = _bertopic_topic_embeddings(emb, topics)
        timings["representation"] = time.perf_counter() - t

        t = time.perf_counter()
        self._say("sub-themes inside each theme")
        sub, sub_words, sub_details = self._subthemes(emb, topics, dtm, vocab, texts)
        timings["subthemes"] = time.perf_counter() - t

        self.topic_model_ = bt
        self.embedder_ = embedder
        self.segmenter_ = segmenter
        self.fit_index_ = fit_idx
        self.fit_texts_ = texts
        self.fit_topics_ = topics
        # get_topic gives False for a theme BERTopic has no words for (themes forced by --n-topics
        # beyond what the statements hold): no key phrases, and the label falls back to 主题N
        self.topic_words_ = {int(tid): [(w, float(s)) for w, s in (bt.get_topic(int(tid)) or []) if w]
                             for tid in self.topic_ids_}
        self.subtopic_words_ = sub_words
        self.labels_, self.sublabels_ = self._name_themes(topics, sub, dtm, vocab, subjects)

        t = time.perf_counter()
        st = self._statement_table(df, reason, fit_idx, *self._inherit(emb, keys, follows, topics, sub, conf, sim),
                                   follows=follows)
        self.statement_topics_ = st
        # the rows that count (statements.counted_mask): the denominator of topics.csv's and the per-class shares
        self.counted_ = np.asarray(counted_mask(df), dtype=bool)
        self.topics_, self.subtopics_ = self._topic_tables(df, st, sim)
        timings["tables"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t0
        self.info_ = self._fit_info(df, reason, fit_idx, topics, st, emb_info, cluster_details, sub_details,
                                    outliers_before, len(vocab), timings)
        return self

    def fit_transform(self, statements, y=None, *, text_col: str | None = None) -> pd.DataFrame:
        """``fit(statements).transform(statements)``, without embedding twice."""
        self.fit(statements, text_col=text_col)
        return self._output(_as_frame(statements, text_col) if isinstance(statements, pd.DataFrame) else None,
                            self.statement_topics_, statements)

    # -- using a fitted model ------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_model_"):
            raise NotFittedError("this ThemeModel is not fitted yet; call fit(statements) first")

    def _check_counts(self) -> None:
        """Fitted, and by a version that counts the statements that count (``count`` in ``topics_``, the
        ``counted_`` rows): a model pickled before stopped with ``AttributeError: 'Pandas' object has no
        attribute 'count'`` deep in the report (found loading a model saved before 1e9879d)."""
        self._check_fitted()
        if "count" not in self.topics_.columns or getattr(self, "counted_", None) is None:
            raise VocError("this ThemeModel was saved by an earlier version of voiceofcustomer and has no count of the "
                           "statements that count; fit it again (ThemeModel(...).fit(statements)) to write its tables; "
                           "its transform() still places new statements")

    def transform(self, statements: pd.DataFrame | Sequence[str], *, text_col: str | None = None) -> pd.DataFrame:
        """Theme and sub-theme of each statement, by the rules of ``fit``.

        Returns:
            The input rows (a table as given, with its index, plus ``statement_id`` and
            ``text`` when it has none; or ``statement_id, text`` for a list of texts) with ``topic, subtopic, topic_label, subtopic_label, topic_conf,
            topic_similarity, topic_reason`` added. On the statements the model was
            fitted on this equals ``fit_transform``.
        """
        self._check_fitted()
        df = _as_frame(statements, text_col)
        analyzer = ContentAnalyzer(self.segmenter_, codes=_codes(df))
        reason, fit_idx, texts, _terms, kinds = self._prepare(df, analyzer)
        topics = np.full(len(fit_idx), -1, dtype=int)
        conf = np.full(len(fit_idx), np.nan, dtype=np.float32)
        sim = conf.copy()
        sub = np.full(len(fit_idx), -1, dtype=int)
        if len(fit_idx) and len(self.centroid_topics_):
            emb = self._embed_statements(df, fit_idx, texts)
            keys = self._ticket_keys(df, fit_idx, kinds)
            topics, conf, sim, follows = self._place_following(emb, kinds, keys)
            for t, cent in self.sub_centroids_.items():
                rows = np.flatnonzero(topics == t)
                if len(rows):
                    sub[rows] = nearest(emb[rows], cent)[0]
            topics, sub, conf, sim = self._inherit(emb, keys, follows, topics, sub, conf, sim)
        else:
            follows = None
        st = self._statement_table(df, reason, fit_idx, topics, sub, conf, sim, follows=follows)
        return self._output(df if isinstance(statements, pd.DataFrame) else None, st, statements)

    def _output(self, df: pd.DataFrame | None, st: pd.DataFrame, given=None) -> pd.DataFrame:
        base = df.drop(columns=[c for c in df.columns if c in THEME_COLUMNS]).reset_index(drop=True) \
            if df is not None else st[[S.STATEMENT_ID, S.TEXT]].copy()
        for col in _OUT_COLUMNS[:-1]:
            base[col] = st[col].to_numpy()
        base["topic_reason"] = st["reason"].to_numpy()
        if df is not None and isinstance(given, pd.DataFrame):
            base.index = given.index  # the input's rows, joinable to it as voc.tag's output is
        return base

    def _statement_table(self, df, reason, fit_idx, topics, sub, conf, sim, follows=None) -> pd.DataFrame:
        n = len(df)
        reason = reason.copy()
        topic_all = np.full(n, -1, dtype=int)
        topic_all[fit_idx] = topics
        reason[fit_idx] = np.where(topics == -1, "outlier", "")
        if follows is not None and follows.any():
            reason[fit_idx[follows]] = FOLLOWS_TICKET
        sub_all = np.full(n, "", dtype=object)
        sub_fit = np.array([f"{t}.{s + 1}" if t >= 0 and s >= 0 else "" for t, s in zip(topics, sub)], dtype=object)
        sub_all[fit_idx] = sub_fit
        conf_all = np.full(n, np.nan, dtype=np.float32)
        conf_all[fit_idx] = conf
        # a following sentence of no content word (请尽快处理。) takes its ticket's theme as the others do
        follow_wordless(self._all_ticket_keys(df), reason, topic_all >= 0, topic_all, sub_all, conf_all)
        sim_all = np.full(n, np.nan, dtype=np.float32)
        sim_all[fit_idx] = sim
        st = pd.DataFrame({
            S.STATEMENT_ID: df[S.STATEMENT_ID].to_numpy(),
            S.TEXT: df[S.TEXT].to_numpy(),
            S.TOPIC: topic_all,
            S.SUBTOPIC: sub_all,
            S.TOPIC_LABEL: [self.labels_.get(int(t), OUTLIER_LABEL) for t in topic_all],
            "subtopic_label": [self.sublabels_.get(s, "") for s in sub_all],
            S.TOPIC_CONF: np.round(conf_all, 4),
            "topic_similarity": np.round(sim_all, 4),
            "reason": reason,
        })
        if S.TICKET_ID in df.columns:  # a ticket split into sentences: keep the way back to the ticket
            st.insert(1, S.TICKET_ID, df[S.TICKET_ID].to_numpy())
        return st

    def topics_per_class(self, classes: Sequence) -> pd.DataFrame:
        """Themes within each class (customer group, discussion area, issue…).

        Args:
            classes: one value per input statement (same order as ``fit``).

        Returns:
            DataFrame ``class, topic, label, count, share_in_class, words``
            (``count``: the class's statements that count (``counted_``: no moderator turn, repeat or blank
            row, as ``topics.csv`` counts a theme) on the theme, -1 未归类 included, a split ticket's follow-up
            sentences under the theme they took; ``share_in_class``: ``count`` over the class's statements that
            count, so a class's shares add up to 1 as ``topics.csv``'s do; ``words``: the theme's key phrases
            within that class, BERTopic's ``topics_per_class``), sorted by class and count.
        """
        self._check_counts()
        classes = pd.Series(list(classes)).fillna("").astype(str).str.strip().replace("", "(空)")
        if len(classes) != len(self.statement_topics_):
            raise VocError(f"{len(classes)} class values for {len(self.statement_topics_)} statements")
        fit_classes = classes.iloc[self.fit_index_].tolist()
        with _quiet_bertopic():
            tpc = self.topic_model_.topics_per_class(self.fit_texts_, classes=fit_classes)
        tpc = tpc.rename(columns={"Topic": "topic", "Words": "words", "Frequency": "count", "Class": "class"})
        tpc = self._counted_as_sizes(tpc, "class", classes.to_numpy(dtype=object), self.counted_)
        totals = classes[self.counted_].value_counts()
        tpc["share_in_class"] = (tpc["count"] / tpc["class"].map(totals)).round(4)
        tpc["label"] = tpc["topic"].map(self.labels_)
        tpc = tpc.sort_values(["class", "count", "topic"], ascending=[True, False, True], kind="mergesort")
        return tpc[["class", "topic", "label", "count", "share_in_class", "words"]].reset_index(drop=True)

    def topics_over_time(self, dates: Sequence, period: str = "month") -> pd.DataFrame:
        """Theme counts per period (month or week), with the period's key phrases.

        Args:
            dates: one date (any format pandas reads) per input statement.
            period: ``"month"`` or ``"week"`` (weeks start on Monday).

        Returns:
            DataFrame ``period, topic, label, count, share_in_period, words`` (``count`` as in
            :meth:`topics_per_class`);
            statements whose date cannot be read are left out and counted in
            ``info_["undated_statements"]``.
        """
        self._check_counts()
        freq = {"month": "M", "week": "W-SUN", "day": "D"}.get(period)
        if freq is None:
            raise VocError(f"period= must be month or week, not {period!r}", params=("period",))
        dates = pd.Series(list(dates))
        if len(dates) != len(self.statement_topics_):
            raise VocError(f"{len(dates)} dates for {len(self.statement_topics_)} statements")
        from voiceofcustomer.freq.tables import parse_dates  # the one date rule of voc freq and the report

        parsed = parse_dates(dates)
        fit_dates = parsed.iloc[self.fit_index_].reset_index(drop=True)
        ok = fit_dates.notna().to_numpy()
        self.info_["undated_statements"] = int((~ok).sum())
        if not ok.any():
            raise VocError("no date in the date column could be read; check date_col= (e.g. 受理时间)",
                           params=("date_col",))
        starts = fit_dates[ok].dt.to_period(freq).dt.start_time
        docs = [t for t, k in zip(self.fit_texts_, ok) if k]
        topics = self.fit_topics_[ok].tolist()
        with _quiet_bertopic():
            tot = self.topic_model_.topics_over_time(docs, list(starts), topics=topics, global_tuning=True,
                                                     evolution_tuning=True)
        tot = tot.rename(columns={"Topic": "topic", "Words": "words", "Frequency": "count", "Timestamp": "period"})
        tot["period"] = pd.to_datetime(tot["period"]).dt.strftime("%Y-%m-%d")
        # counted as topics.csv counts (the statements that count, 未归类 included), every dated one
        every = parsed.reset_index(drop=True)
        dated = every.notna().to_numpy() & self.counted_
        periods = np.full(len(every), "", dtype=object)
        periods[dated] = every[dated].dt.to_period(freq).dt.start_time.dt.strftime("%Y-%m-%d").to_numpy()
        tot = self._counted_as_sizes(tot, "period", periods, dated)
        per_period = pd.Series(periods[dated]).value_counts()
        tot["share_in_period"] = (tot["count"] / tot["period"].map(per_period)).round(4)
        tot["label"] = tot["topic"].map(self.labels_)
        tot = tot.sort_values(["period", "count", "topic"], ascending=[True, False, True], kind="mergesort")
        return tot[["period", "topic", "label", "count", "share_in_period", "words"]].reset_index(drop=True)

    def _counted_as_sizes(self, table: pd.DataFrame, col: str, groups: np.ndarray, rows: np.ndarray) -> pd.DataFrame:
        """BERTopic's per-class or per-period ``table`` with ``count`` of the statements ``rows`` (a mask over every
        input statement; ``groups`` their class or period) under their theme in ``statement_topics_``, as the theme
        sizes count them: a split ticket's follow-up sentences under the theme they took from their ticket.

        Why: BERTopic counts the statements it was fitted on, the sentences with a subject of their own; a
        follow-up is -1 there, so a theme's counts per class summed to less than its size and 未归类 to more
        (themes follow-through, issue 9 item 6 / issue 11 item 3). And ``rows`` are the statements that count
        (``counted_``), as ``topics.csv`` counts: over the fitted ones, a class's shares counted repeats and left out
        the statements without content words that ``topics.csv`` counts as 未归类. The ``words`` stay BERTopic's,
        from the sentences with a subject, as the themes' key phrases do; a theme with only follow-ups in a class or
        period has none there."""
        rows = np.asarray(rows, dtype=bool)
        topics = self.statement_topics_[S.TOPIC].to_numpy()[rows]
        counts = (pd.DataFrame({col: np.asarray(groups, dtype=object)[rows], "topic": topics})
                  .groupby([col, "topic"], sort=False).size().rename("count").reset_index())
        words = dict(zip(zip(table[col], table["topic"]), table["words"]))
        counts["words"] = [words.get((g, t), "") for g, t in zip(counts[col], counts["topic"])]
        return counts

    # -- topic tables ----------------------------------------------------------------------
    def _topic_tables(self, df: pd.DataFrame, st: pd.DataFrame, sim_fit: np.ndarray):
        counted = counted_mask(df)
        topic_col = st[S.TOPIC].to_numpy()
        sub_col = st[S.SUBTOPIC].to_numpy()
        fit_ids = df[S.STATEMENT_ID].to_numpy()[self.fit_index_]
        fit_sub = sub_col[self.fit_index_]
        label_fields = [f for f in FIELDS if f in df.columns]

        def row(tid, parent, level, label, words, mask_all, members):
            r = {"topic": tid, "parent": parent, "level": level, "label": label,
                 "keywords": "|".join(f"{w}:{s:.3f}" for w, s in words), **theme_size(mask_all, counted)}
            if members is not None and len(members):
                rep = _representatives(members, sim_fit, self.fit_texts_, [w for w, _ in words])
                r["representative_ids"] = "|".join(fit_ids[rep])
                r["representative_texts"] = "\n".join(self.fit_texts_[i] for i in rep)
            else:
                r["representative_ids"] = r["representative_texts"] = ""
            for f in label_fields:
                vals = df.loc[mask_all, f].dropna().astype(str)
                vals = vals[vals.str.strip() != ""]
                dist = vals.value_counts(normalize=True)
                r[f"dist_{f}"] = "|".join(f"{k}:{v:.2f}" for k, v in dist.items())
            return r

        rows, subrows = [], []
        for tid in self.topic_ids_:
            tid = int(tid)
            members = np.flatnonzero(self.fit_topics_ == tid)
            r = row(tid, "", 1, self.labels_[tid], self.topic_words_[tid], topic_col == tid, members)
            subs = sorted({s for s in fit_sub[members] if s}, key=lambda s: int(s.split(".")[1]))
            r["n_subtopics"] = len(subs)
            rows.append(r)
            for sid in subs:
                sub_members = members[fit_sub[members] == sid]
                sr = row(sid, tid, 2, self.sublabels_[sid], self.subtopic_words_.get(sid, []), sub_col == sid,
                         sub_members)
                sr["n_subtopics"] = 0
                subrows.append(sr)
        out = topic_col == -1
        if out.any():
            r = row(-1, "", 1, OUTLIER_LABEL, [], out, None)
            r["n_subtopics"] = 0
            rows.append(r)
        cols = ["topic", "parent", "level", "label", "keywords", "size", "count", "share", "n_subtopics",
                "representative_ids", "representative_texts"] + [f"dist_{f}" for f in label_fields]
        table = pd.DataFrame(rows, columns=cols)
        order = np.lexsort((table["topic"].to_numpy(), -table["size"].to_numpy(), table["topic"].to_numpy() == -1))
        table = table.iloc[order].reset_index(drop=True)
        subtable = pd.DataFrame(subrows, columns=cols)
        return table, subtable

    def topic_tree(self) -> pd.DataFrame:
        """Themes and their sub-themes in one table, each theme followed by its sub-themes
        (what ``topics.csv`` holds)."""
        self._check_counts()
        parts = []
        for r in self.topics_.itertuples(index=False):
            parts.append(pd.DataFrame([r._asdict()]))
            if r.topic != -1 and len(self.subtopics_):
                parts.append(self.subtopics_[self.subtopics_["parent"] == r.topic])
        tree = pd.concat(parts, ignore_index=True)
        # theme ids stay integers (-1 = 未归类), sub-theme ids are "3.1"; parent is empty for a theme
        tree["topic"] = tree["topic"].astype(object)
        tree["parent"] = tree["parent"].astype(object)
        return tree


def _codes(df: pd.DataFrame) -> frozenset[str]:
    """The table's speaker labels, never a key phrase (:func:`~voiceofcustomer.themes.vectorizer.speaker_codes`):
    a participant's code said by another ("我同意P4说的", "跟A3一样") was a theme's key phrase."""
    return speaker_codes(df[S.SPEAKER].dropna().unique() if S.SPEAKER in df.columns else ())


def theme_size(mask: np.ndarray, counted: np.ndarray) -> dict:
    """A theme's ``size``, ``count`` and ``share`` (``topics.csv``), ``mask`` its rows, ``counted`` the rows that count.

    ``size``: every row on the theme (the themes' sizes add up to the input's rows); ``count``: those that
    count (:func:`voiceofcustomer.statements.counted_mask`: no moderator turn, blank text, totals row or
    duplicate); ``share``: ``count`` over all the rows that count, the denominator of ``voc freq``'s shares and
    of the report's 占比, so ``themes.html`` and ``index.html`` give one theme one share.

    Why: ``share`` was ``size`` over every row, moderator turns and duplicates included, while the report
    gave the statements that count: one theme read 11.8 % in ``themes.html`` and 14.3 % in the report
    (found by a user comparing the two pages of one ``voc analyze`` folder)."""
    mask = np.asarray(mask, dtype=bool)
    n = int(np.count_nonzero(counted))
    count = int(np.count_nonzero(mask & counted))
    return {"size": int(mask.sum()), "count": count, "share": round(count / n, 4) if n else 0.0}


def clone_embedder(embedder: Embedder) -> Embedder:
    """A fresh copy of an embedder's parameters (a fit never changes the caller's object)."""
    import copy

    return copy.deepcopy(embedder) if not getattr(embedder, "per_text", True) else embedder


def _label_order(words: list[tuple[str, float]], rows, vocab_index: dict,
                 segmenter: Segmenter | None = None, places: frozenset = frozenset()) -> list[str]:
    """Key phrases ordered for a label: c-TF-IDF weight × the share of the theme's statements
    that use the phrase (× ``LABEL_VERB_WEIGHT`` for a phrase without a noun, or one that opens or ends
    with an idiom, adverb or adjective — 手机莫名其妙, 莫名其妙被扣, 手机信号很差 —, given a ``segmenter``:
    until 7 Dec 2026 a billing theme of 86 statements, 增值业务 in every one, was named 手机莫名其妙).
    A person names a theme by what most of its statements talk about, and by a thing
    ("窗口、工作人员") rather than by what people did ("晓得", "放在");
    c-TF-IDF alone favours phrases that are merely rarer elsewhere. The operator's own name
    (:data:`OPERATOR_NAMES`) comes last. Given a ``segmenter``, a phrase holding a place (下沙营业厅, 江北小区:
    :func:`vectorizer.is_place_word`, or a word of ``places``, those the embeddings left out: 下沙 alone) is left out
    while any other is there: where the customer is is no subject."""
    if not words:
        return []
    n = rows.shape[0] or 1
    top = max(s for _, s in words) or 1.0
    cols = [vocab_index.get(w) for w, _ in words]
    present = rows[:, [c for c in cols if c is not None]] if any(c is not None for c in cols) else None
    cover = {}
    if present is not None:
        counts = np.asarray((present > 0).sum(axis=0)).ravel()
        cover = {w: counts[j] / n for j, w in enumerate(w for (w, _), c in zip(words, cols) if c is not None)}
    factor = {w: 1.0 if segmenter is None or (has_noun(w, segmenter) and not evaluation_edge(w, segmenter))
              else LABEL_VERB_WEIGHT for w, _ in words}
    place = {w: w in places or segmenter is not None and (
        is_place_word(w, segmenter) or bool(places) and any(p in places for p in segmenter.cut(w))) for w, _ in words}
    scored = [(w not in OPERATOR_NAMES, max(s, 0.0) / top * cover.get(w, 0.0) * factor[w], -i, w)
              for i, (w, s) in enumerate(words)]
    ordered = [w for *_key, w in sorted(scored, reverse=True)]
    return [w for w in ordered if not place[w]] or ordered


#: A focus-group theme is named by its question's thing when at least this share of its statements
#: answer questions that name it, and at least ``QUESTION_SUBJECT_OWN`` of all answers to such questions
#: are in the theme (the thing is this theme's subject, not one several subjects share: 手机, 家里).
QUESTION_SUBJECT_SHARE = 0.5
QUESTION_SUBJECT_OWN = 0.6
#: A question naming more things than this lists aspects ("办理、缴费、售后、投诉"), not one subject.
QUESTION_SUBJECT_MAX_THINGS = 3


def _names_thing(word: str, segmenter: Segmenter) -> bool:
    """A word that names what a discussion is about (宽带, 账单, 营业厅, app, wifi): a Latin term or
    a noun, but no person's name, place word or time word (陈先生, 家里, 晚上)."""
    if word.isascii():
        return word.isalnum()
    return any((f.startswith("n") and not f.startswith("nr")) or f in ("vn", "j", "eng")
               for _w, f in segmenter.tag(word, hmm=False))


def _question_subject_words(topics: np.ndarray, subjects: list[tuple], segmenter: Segmenter) -> dict[int, str]:
    """Per focus-group theme, the thing its moderator's questions name, when the theme is that one subject.

    Why: a researcher names a focus-group theme by the subject of the discussion guide ("宽带"),
    and participants seldom say it ("晚上卡得不行", "找人看过也没用"): with the customers' words
    alone a theme about evening broadband speed read "晚上、白天". ``subjects`` holds each fitted
    statement's ``(block key, subject words)`` (:meth:`ThemeModel._question_subjects`)."""
    if not subjects:
        return {}
    size = Counter(topics.tolist())
    per_theme: dict[int, Counter] = {}
    sessions: dict[int, set] = {}
    total: Counter = Counter()  # (session, word) -> answers to questions naming it
    first: dict[str, int] = {}  # a word's earliest place in a question: the subject comes first ("渠道" before "手机")
    things: dict[tuple, list[str]] = {}
    for t, (key, words) in zip(topics.tolist(), subjects):
        if key is None:
            continue
        if key not in things:
            things[key] = [w for w in dict.fromkeys(words) if _readable(w) and _names_thing(w, segmenter)]
        # a question listing more things ("办理、缴费、售后、投诉这些环节") names no theme (each theme
        # under it is one of them), but its answers count where its words are spread (企业, 服务)
        names_one = len(things[key]) <= QUESTION_SUBJECT_MAX_THINGS
        for j, w in enumerate(things[key]):
            total[key[0], w] += 1
            first[w] = min(first.get(w, j), j)
            if t >= 0 and names_one:
                per_theme.setdefault(t, Counter())[w] += 1
                sessions.setdefault(t, set()).add(key[0])
    out = {}
    for t, counts in per_theme.items():
        # a theme joined across sessions: the thing's answers in those sessions
        within = {w: sum(total[s, w] for s in sessions[t]) for w in counts}
        ok = [(n / size[t] * n / within[w], -first[w], w) for w, n in counts.items()
              if n / size[t] >= QUESTION_SUBJECT_SHARE and n / within[w] >= QUESTION_SUBJECT_OWN]
        if ok:
            out[t] = max(ok)[2]
    return out


def _term_matrix(terms: list[list[str]], vocab: np.ndarray):
    """Statements × vocabulary counts (CSR) from the terms computed once in ``_prepare``."""
    from scipy import sparse

    index = {w: i for i, w in enumerate(vocab)}
    indptr, indices = [0], []
    for ts in terms:
        indices.extend(index[w] for w in ts if w in index)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int32)
    m = sparse.csr_matrix((data, np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
                          shape=(len(terms), len(vocab)))
    m.sum_duplicates()
    return m


def _sibling_keyphrases(dtm, sub: np.ndarray, vocab: np.ndarray, parent: int, *, top_n: int = 10,
                        candidates: int = 30) -> dict[str, list[tuple[str, float]]]:
    """Key phrases of each sub-theme: c-TF-IDF among its siblings, then co-occurrence re-ranking.

    The IDF is taken over the sibling sub-themes, so a word every sub-theme of
    "broadband" shares (宽带) weighs less than the one that tells them apart (断网, 网速慢).
    """
    from scipy import sparse

    k = int(sub.max()) + 1
    onehot = sparse.csr_matrix((np.ones(len(sub)), (sub, np.arange(len(sub)))), shape=(k, len(sub)))
    C = (onehot @ dtm).toarray().astype(np.float64)
    tf = np.sqrt(C)  # reduce_frequent_words, as at level 1
    tf = tf / np.maximum(tf.sum(axis=1, keepdims=True), 1e-12)
    avg = C.sum() / k
    freq = C.sum(axis=0)
    idf = np.log(1 + avg / np.maximum(freq, 1e-12))
    W = tf * idf
    out = {}
    present = dtm.copy()
    present.data[:] = 1
    for j in range(k):
        top = [i for i in np.argsort(-W[j], kind="mergesort")[:candidates] if W[j, i] > 0]
        docs = present[np.flatnonzero(sub == j)][:, top].tocsc()
        where = [set(docs[:, c].indices.tolist()) for c in range(len(top))]
        chosen = select_keyphrases([W[j, i] for i in top], where, int((sub == j).sum()), top_n=top_n)
        out[f"{parent}.{j + 1}"] = [(str(vocab[top[c]]), float(W[j, top[c]])) for c in chosen]
    return out


@contextlib.contextmanager
def _quiet_bertopic():
    """BERTopic logs to stderr through its own handler; the library must not print."""
    logger = logging.getLogger("BERTopic")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _bertopic_topic_embeddings(emb: np.ndarray, topics: np.ndarray) -> np.ndarray:
    """BERTopic's ``topic_embeddings_`` layout: the outlier row first (when present), then topics 0..k-1."""
    ids = np.unique(topics[topics >= 0])
    member = np.flatnonzero(topics >= 0)
    cent = mean_directions(emb, topics[member], ids, rows=member) if len(ids) else np.zeros((0, emb.shape[1]))
    if (topics == -1).any():
        out = emb[topics == -1].mean(axis=0, keepdims=True)
        return np.vstack([out, cent])
    return cent


def _representatives(members: np.ndarray, sim: np.ndarray, texts: list[str], keywords: list[str],
                     n: int = 3, pool: int = 50) -> list[int]:
    """The ``n`` most central distinct statements of a topic, preferring those that contain a key phrase."""
    s = np.nan_to_num(sim[members], nan=-1.0)
    order = members[np.argsort(-s, kind="mergesort")][:pool]
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
