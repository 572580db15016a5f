"""Fast, exactly equal replacements for fitted ``TfidfVectorizer`` blocks.

Why: scikit-learn's vectorizers build every n-gram as a Python string and count it in a
Python dict, which was 85 % of tagging time (two dict operations per n-gram, ~300
n-grams per statement). The classes here are built FROM a fitted vectorizer (so any
retrained model works) and compute the same count matrix with numpy over a whole batch:

- characters: the batch is one UTF-32 code-point array; a 1–3-gram is packed into one
  integer (21 bits per code point, +1 so that shorter n-grams differ from longer ones)
  and looked up in a ``pandas.Index`` of the packed vocabulary (a C hash table);
- words: the segmenter's tokens of the whole batch are looked up at once in a
  dict through ``map`` (one C-level lookup per token, no n-gram strings); a bigram is a pair of token ids looked up the
  same way as character n-grams.

Counts then go through the vectorizer's own fitted ``TfidfTransformer``, so the output
is the same sparse matrix (same indices, same float32 data) as ``vectorizer.transform``.
A vectorizer with options these classes do not reproduce is left as it is
(:func:`accelerate` only swaps what it can prove equal).
"""

from __future__ import annotations

import copy
import itertools
import re

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from voiceofcustomer.text.segment import Segmenter

__all__ = ["FastCharTfidf", "FastWordTfidf", "accelerate", "supports", "terms_in_column_order"]

_BITS = 21  # code points are < 0x110000 = 2**20.1; +1 keeps 0 free for "no character"
_WHITE_SPACES = re.compile(r"\s\s+")  # the same pattern scikit-learn normalises with
_SPACE = re.compile(r"\s")  # the characters str.isspace() is true for


def supports(vec) -> bool:
    """True when ``vec`` is a fitted TfidfVectorizer whose options these classes reproduce."""
    if type(vec) is not TfidfVectorizer or not hasattr(vec, "vocabulary_") or not hasattr(vec, "_tfidf"):
        return False
    if vec.input != "content" or vec.preprocessor is not None or vec.strip_accents or vec.decode_error != "strict":
        return False
    lo, hi = vec.ngram_range
    if vec.analyzer == "char":
        return 1 <= lo <= hi <= 3
    if vec.analyzer == "word":
        return callable(vec.tokenizer) and vec.stop_words is None and 1 <= lo <= hi <= 2
    return False


def _as_text(doc) -> str:
    if isinstance(doc, bytes):
        return doc.decode("utf-8")
    if not isinstance(doc, str):  # what scikit-learn's decode says for NaN/None
        raise ValueError("np.nan is an invalid document, expected byte or unicode string.")
    return doc


class _FastTfidf(BaseEstimator, TransformerMixin):
    """Shared part: counts (rows, cols) → CSR → the fitted vectorizer's TF-IDF transform."""

    def __init__(self, *, vectorizer=None):
        self.vectorizer = vectorizer

    def fit(self, X=None, y=None):  # built from a fitted vectorizer; nothing to learn
        return self

    def get_feature_names_out(self, input_features=None):
        return self.vectorizer.get_feature_names_out(input_features)

    @property
    def vocabulary_(self):
        return self.vectorizer.vocabulary_

    def _finish(self, n_docs: int, rows: np.ndarray, cols: np.ndarray):
        n_cols = len(self.vectorizer.vocabulary_)
        # distinct (row, column) cells with their counts, sorted by row then column
        keys, counts = np.unique(rows.astype(np.int64) * n_cols + cols, return_counts=True)
        r = keys // n_cols
        indptr = np.searchsorted(r, np.arange(n_docs + 1), side="left")
        idx_dtype = np.int64 if len(keys) > np.iinfo(np.int32).max else np.int32
        X = sp.csr_array((counts.astype(self.vectorizer.dtype), (keys % n_cols).astype(idx_dtype),
                          indptr.astype(idx_dtype)), shape=(n_docs, n_cols))
        if self.vectorizer.binary:
            X.data.fill(1)
        X.has_sorted_indices = True
        return self.vectorizer._tfidf.transform(X, copy=False)

    def _preprocess(self, raw_documents) -> list[str]:
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        docs = [_as_text(d) for d in raw_documents]
        return [d.lower() for d in docs] if self.vectorizer.lowercase else docs


class FastCharTfidf(_FastTfidf):
    """Character n-gram TF-IDF equal to a fitted ``TfidfVectorizer(analyzer="char")``."""

    def fit(self, X=None, y=None):
        # the packed n-grams in column order: a key's position in ``index_`` is its column (no
        # permutation to store); built from the vocabulary at load too (see ``__getstate__``)
        self.index_, self.cols_ = pd.Index(_pack_terms(terms_in_column_order(self.vectorizer.vocabulary_))), None
        # Every sub-n-gram of a kept n-gram occurs in at least as many documents, so with
        # no upper document-frequency cut the vocabulary is closed under sub-n-grams and an
        # n-gram whose two (n-1)-grams are unknown need not be looked up.
        v = self.vectorizer
        self.prefix_closed_ = isinstance(v.max_df, float) and v.max_df == 1.0 and v.max_features is None
        return self

    def transform(self, raw_documents):
        docs = [_WHITE_SPACES.sub(" ", d) for d in self._preprocess(raw_documents)]
        lo, hi = self.vectorizer.ngram_range
        lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        cp = np.frombuffer("".join(docs).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)
        total = len(cp)
        doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        room = np.repeat(np.cumsum(lengths), lengths) - np.arange(total, dtype=np.int64)  # chars left in the doc
        rows, cols = [], []
        packed = cp.copy()
        hit = None  # positions whose (n-1)-gram is in the vocabulary (when that implies anything)
        for n in range(1, hi + 1):
            if n > 1:  # extend the n-1-gram starting at i by the character at i+n-1
                packed[: total - n + 1] |= cp[n - 1:] << np.uint64(_BITS * (n - 1))
            if n < lo:
                continue
            ok = room >= n
            if hit is not None:  # both (n-1)-grams inside an n-gram must be known
                ok[: total - 1] &= hit[: total - 1] & hit[1:]
                ok[total - 1:] = False
            at = np.flatnonzero(ok)
            col = self.index_.get_indexer(packed[at])
            found = col >= 0
            rows.append(doc_of[at[found]])
            cols.append(col[found] if self.cols_ is None else self.cols_[col[found]])  # cols_: files before round 27
            if self.prefix_closed_:
                hit = np.zeros(total, dtype=bool)
                hit[at[found]] = True
        return self._finish(len(docs), np.concatenate(rows) if rows else np.zeros(0, np.int64),
                            np.concatenate(cols) if cols else np.zeros(0, np.int64))


    def __getstate__(self):
        # ``index_`` is the vocabulary packed (0.7 MB in the model file): rebuilt on load in ~10 ms instead
        state = dict(super().__getstate__())  # a copy: BaseEstimator gives the live __dict__
        if state.get("cols_") is None and "index_" in state:
            del state["index_"]
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "index_" not in state and "prefix_closed_" in state:
            self.index_ = pd.Index(_pack_terms(terms_in_column_order(self.vectorizer.vocabulary_)))


def _pack(term: str) -> int:
    key = 0
    for i, ch in enumerate(term):
        key |= (ord(ch) + 1) << (_BITS * i)
    return key


def terms_in_column_order(vocab: dict) -> list[str]:
    """The vocabulary's terms, term ``i`` the one of column ``i`` (dict order when it already is)."""
    cols = np.fromiter(vocab.values(), dtype=np.int64, count=len(vocab))
    if np.array_equal(cols, np.arange(len(vocab))):
        return list(vocab)
    terms = [""] * len(vocab)
    for t, c in vocab.items():
        terms[c] = t
    return terms


def _pack_terms(terms: list[str]) -> np.ndarray:
    """:func:`_pack` of every term (of 1–3 characters) at once, with numpy."""
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    if len(terms) and (lengths.min() < 1 or lengths.max() > 3):
        return np.array([_pack(t) for t in terms], dtype=np.uint64)
    cp = np.frombuffer("".join(terms).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)
    starts = np.cumsum(lengths) - lengths
    keys = np.zeros(len(terms), dtype=np.uint64)
    for i in range(3):
        at = np.flatnonzero(lengths > i)
        keys[at] |= cp[starts[at] + i] << np.uint64(_BITS * i)
    return keys


class FastWordTfidf(_FastTfidf):
    """Word (1–2)-gram TF-IDF equal to a fitted ``TfidfVectorizer(tokenizer=callable)``."""

    def fit(self, X=None, y=None):
        vocab = self.vectorizer.vocabulary_
        tokens: dict[str, int] = {}
        uni, pairs = {}, []
        for term, col in vocab.items():
            if " " not in term or self.vectorizer.ngram_range[1] == 1:
                uni[tokens.setdefault(term, len(tokens))] = col
            # a bigram "a b" is any split at a space whose halves are two tokens
            for i, ch in enumerate(term):
                if ch == " ":
                    a, b = term[:i], term[i + 1:]
                    pairs.append((tokens.setdefault(a, len(tokens)), tokens.setdefault(b, len(tokens)), col))
        self.tokens_ = tokens
        self.space_ids_ = np.array([t.isspace() for t in tokens], dtype=bool)
        self.unigram_cols_ = np.full(len(tokens), -1, dtype=np.int64)
        for t, col in uni.items():
            self.unigram_cols_[t] = col
        n = max(len(tokens), 1)
        pair_keys = np.array([a * n + b for a, b, _ in pairs], dtype=np.int64)
        pair_cols = np.array([c for _, _, c in pairs], dtype=np.int64)
        self.pairs_, self.pair_cols_ = pd.Index(pair_keys), pair_cols
        return self

    def transform(self, raw_documents):
        docs = self._preprocess(raw_documents)
        tokenize = self.vectorizer.tokenizer
        if isinstance(tokenize, Segmenter):
            # The segmenter's raw cut keeps whitespace tokens; they are dropped below after
            # the lookup (only unknown tokens need the isspace test), which equals calling
            # ``tokenize`` (= cut, then drop whitespace tokens) text by text.
            cut = tokenize._cut
            spaced = np.fromiter((_SPACE.search(d) is not None for d in docs), dtype=bool, count=len(docs))
            return self.transform_tokens([cut(d) if d else [] for d in docs], drop_space=spaced)
        return self.transform_tokens([tokenize(d) for d in docs])

    def transform_tokens(self, token_lists: list[list[str]], *, drop_space=False):
        """TF-IDF of already segmented (and lowercased) documents.

        With ``drop_space`` (True, or a per-document bool array: which documents contain
        any whitespace), whitespace-only tokens are removed first, as the segmenter's
        ``__call__`` does.
        """
        lo, hi = self.vectorizer.ngram_range
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        flat = list(itertools.chain.from_iterable(token_lists))
        # one C-level dict lookup per token (map + fromiter): no n-gram strings are built
        ids = np.fromiter(map(self.tokens_.get, flat, itertools.repeat(-1)), dtype=np.int64, count=len(flat))
        doc_of = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths)
        if np.any(drop_space):  # known tokens: whitespace flag precomputed; unknown ones: tested here
            unknown = ids < 0
            if not isinstance(drop_space, bool):
                unknown &= np.asarray(drop_space, dtype=bool)[doc_of]
            unknown = np.flatnonzero(unknown)
            space = np.zeros(len(ids), dtype=bool)
            space[unknown] = np.fromiter((flat[i].isspace() for i in unknown), dtype=bool, count=len(unknown))
            if len(self.space_ids_):
                space |= (ids >= 0) & self.space_ids_[ids.clip(0)]
            if space.any():
                ids, doc_of = ids[~space], doc_of[~space]
        rows, cols = [], []
        if lo <= 1:
            known = ids >= 0
            c = np.where(known, self.unigram_cols_[ids.clip(0)], -1)
            keep = c >= 0
            rows.append(doc_of[keep])
            cols.append(c[keep])
        if hi >= 2 and len(ids) > 1 and len(self.pairs_):
            same_doc = doc_of[:-1] == doc_of[1:]
            a, b = ids[:-1], ids[1:]
            ok = same_doc & (a >= 0) & (b >= 0)
            keys = a[ok].astype(np.int64) * max(len(self.tokens_), 1) + b[ok]
            at = self.pairs_.get_indexer(keys)
            found = at >= 0
            rows.append(doc_of[:-1][ok][found])
            cols.append(self.pair_cols_[at[found]])
        return self._finish(len(token_lists), np.concatenate(rows) if rows else np.zeros(0, np.int64),
                            np.concatenate(cols) if cols else np.zeros(0, np.int64))


def fast_vectorizer(vec):
    """The fast equivalent of a fitted vectorizer, or ``vec`` itself when not supported."""
    if not supports(vec):
        return vec
    cls = FastCharTfidf if vec.analyzer == "char" else FastWordTfidf
    return cls(vectorizer=vec).fit()


def accelerate(estimator):
    """A copy of a fitted featuriser with every supported TfidfVectorizer replaced.

    Walks ``FeatureUnion`` and ``Pipeline`` containers (whatever else they hold is kept),
    so a model whose composition changes still gets the fast blocks it can.
    """
    if isinstance(estimator, (FeatureUnion, Pipeline)):
        est = copy.copy(estimator)
        attr = "transformer_list" if isinstance(est, FeatureUnion) else "steps"
        setattr(est, attr, [(name, accelerate(step)) for name, step in getattr(estimator, attr)])
        return est
    return fast_vectorizer(estimator)
