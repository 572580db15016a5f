"""Chinese word segmentation with the telecom domain dictionary.

Why a class of our own: jieba's module-level tokenizer is global mutable state
(a user dictionary loaded anywhere changes every caller) and its Rust port is not
picklable. :class:`Segmenter` owns a private tokenizer, built lazily in each
process and dropped when pickled, so it can be handed to worker processes and to
``CountVectorizer(tokenizer=...)``.
"""

from __future__ import annotations

import enum
import functools
import logging
import re
from pathlib import Path
from typing import Iterable, Iterator

from voiceofcustomer.errors import VocError
from voiceofcustomer.resources import corpus_path

__all__ = ["Segmenter", "Backend", "load_stopwords", "load_domain_dictionary", "blank_zh", "is_content_word",
           "dictionary_tag"]

_PUNCT_OR_SPACE = re.compile(r"^[\s\W_]+$", re.UNICODE)
_DIGITS = re.compile(r"^[\d.,%％*#]+$")


class Backend(str, enum.Enum):
    """Segmentation engines that give the same words: ``rjieba`` (Rust, ~14x faster) or ``jieba``."""

    RJIEBA = "rjieba"
    JIEBA = "jieba"


def _read_dictionary(path: Path) -> list[tuple[str, int | None, str | None]]:
    entries = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.strip().split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[2] if len(parts) > 2 else None
            entries.append((parts[0], freq, tag))
    return entries


_MEMO_LIMIT = 500_000  # texts remembered by a caching Segmenter (then it starts afresh)


@functools.lru_cache(maxsize=8)
def load_domain_dictionary(path: str | None = None) -> tuple[tuple[str, int | None, str | None], ...]:
    """Entries ``(word, freq, tag)`` of a jieba user dictionary (the shipped telecom one by default)."""
    return tuple(_read_dictionary(Path(path) if path else corpus_path("telecom_dict.txt")))


@functools.lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """spaCy's Chinese stop words plus the shipped domain filler words (客户, 反映, 来电...)."""
    from spacy.lang.zh.stop_words import STOP_WORDS

    words = set(STOP_WORDS)
    with open(corpus_path("stopwords_domain.txt"), encoding="utf-8") as fh:
        words.update(w.strip() for w in fh if w.strip() and not w.startswith("#"))
    return frozenset(words)


@functools.lru_cache(maxsize=8)
def _shared_tokenizer(backend: Backend, dictionary: str | None | bool):
    """One loaded tokenizer per (backend, dictionary) and process.

    Why: loading the dictionaries takes a noticeable fraction of a second and every
    command, model and test makes its own :class:`Segmenter`. Sharing is safe because
    nothing changes a tokenizer after it is built here (words are added only below).
    """
    entries = () if dictionary is False else load_domain_dictionary(dictionary)
    if backend is Backend.RJIEBA:
        import rjieba

        tok = rjieba.Jieba()
        for word, freq, tag in entries:
            tok.add_word(word, freq, tag)
        return tok
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for word, freq, tag in entries:
        tok.add_word(word, freq, tag)
    return tok


@functools.lru_cache(maxsize=4)
def _shared_pos_tokenizer(dictionary: str | None | bool):
    """jieba's part-of-speech tagger over the shared tokenizer, built once (it reads the whole
    dictionary file), with the domain dictionary's own tags (as rjieba's ``tag`` has them)."""
    import jieba.posseg

    pos = jieba.posseg.POSTokenizer(_shared_tokenizer(Backend.JIEBA, dictionary))
    entries = () if dictionary is False else load_domain_dictionary(dictionary)
    pos.word_tag_tab.update({word: tag for word, _freq, tag in entries if tag})
    return pos


class Segmenter:
    """Picklable jieba-compatible word segmenter with a domain dictionary.

    Args:
        backend: ``"rjieba"`` (default, fast) or ``"jieba"`` (the reference).
        dictionary: path of a jieba user dictionary; ``None`` uses the shipped
            telecom dictionary, ``False`` uses none (plain jieba).
        hmm: let jieba's HMM join unknown words (jieba's default).

    ``seg.cut(text)`` keeps every character (whitespace tokens included) so
    ``"".join(seg.cut(t)) == t``; ``seg(text)`` returns the non-space tokens and
    is what vectorizers use.
    """

    cache = False  # models pickled before the option existed do not cache

    def __init__(self, *, backend: str = "rjieba", dictionary: str | Path | None | bool = None, hmm: bool = True,
                 cache: bool = False):
        self.backend = backend
        self.dictionary = dictionary
        self.hmm = hmm
        self.cache = cache
        self._tokenizer = None
        self._memo: dict[str, list[str]] = {}

    # -- lifecycle -----------------------------------------------------------------
    def __getstate__(self):
        state = self.__dict__.copy()
        state["_tokenizer"] = None  # rebuilt lazily in the receiving process
        state["_memo"] = {}
        return state

    def __repr__(self) -> str:
        return f"Segmenter(backend={self.backend!r}, dictionary={self.dictionary!r}, hmm={self.hmm})"

    def _build(self):
        backend = Backend(self.backend)
        dictionary = self.dictionary if self.dictionary is False else (str(self.dictionary) if self.dictionary else None)
        tok = _shared_tokenizer(backend, dictionary)
        if backend is Backend.RJIEBA:
            return lambda text: tok.cut(text, self.hmm)
        return lambda text: tok.lcut(text, HMM=self.hmm)

    @property
    def _cut(self):
        if self._tokenizer is None:
            try:
                self._tokenizer = self._build()
            except ValueError as exc:
                raise VocError(f"unknown segmenter backend {self.backend!r}; use one of: rjieba, jieba") from exc
        return self._tokenizer

    # -- public verbs ----------------------------------------------------------------
    def cut(self, text: str) -> list[str]:
        """All tokens, whitespace included: joining them gives back ``text``."""
        return list(self._cut(text)) if text else []

    def __call__(self, text: str) -> list[str]:
        """Non-whitespace tokens (the words a vectorizer should see).

        With ``cache=True`` each distinct text is segmented once (``voc analyze``: the
        split stage's ``tokens`` are what themes use, without cutting the text again).
        """
        if not text:
            return []
        if self.cache:
            hit = self._memo.get(text)
            if hit is not None:
                return list(hit)
        tokens = [t for t in self._cut(text) if not t.isspace()]
        if self.cache:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[text] = tokens
            return list(tokens)
        return tokens

    def _shared(self):
        backend = Backend(self.backend)
        return backend, _shared_tokenizer(backend, self.dictionary if self.dictionary is False
                                          else (str(self.dictionary) if self.dictionary else None))

    def tag(self, text: str, *, hmm: bool | None = None) -> list[tuple[str, str]]:
        """Words with jieba's part-of-speech tags (the dictionary's tags; ``x`` when it has none).
        ``hmm``: let the HMM join unknown words (default: as this segmenter cuts)."""
        if not text:
            return []
        hmm = self.hmm if hmm is None else hmm
        backend, tok = self._shared()
        if backend is Backend.RJIEBA:
            return [(w, f) for w, f in tok.tag(text, hmm) if not w.isspace()]
        pos = _shared_pos_tokenizer(self.dictionary if self.dictionary is False
                                    else (str(self.dictionary) if self.dictionary else None))
        return [(p.word, p.flag) for p in pos.lcut(text, HMM=hmm) if not p.word.isspace()]

    def tokens_str(self, text: str) -> str:
        """Tokens joined by single spaces (the statements table's ``tokens`` column)."""
        return " ".join(t.strip() for t in self(text) if t.strip())

    def pipe(self, texts: Iterable[str]) -> Iterator[list[str]]:
        for text in texts:
            yield self(text)


def dictionary_tag(word: str) -> str | None:
    """jieba's part-of-speech tag of ``word`` when the dictionary (the telecom one included) has it
    as one word (周末 → ``t``, 时间 → ``n``, 王建国 → ``nr``), else None (周志强 is cut in two).
    Why: a word that starts like a name (周末, 时间) is told from a person's name by the dictionary."""
    if not word:
        return None
    tags = Segmenter().tag(word, hmm=False)
    return tags[0][1] if len(tags) == 1 and tags[0][0] == word else None


def is_content_word(token: str, stopwords: frozenset[str] | None = None) -> bool:
    """Topic-bearing token test shared by the themes vectorizer and its benchmark."""
    stopwords = load_stopwords() if stopwords is None else stopwords
    token = token.strip()
    if len(token) < 2 and not token.isascii():
        return False  # 的/了/吗... and other single characters
    if len(token) < 2:
        return False
    if _PUNCT_OR_SPACE.match(token) or _DIGITS.match(token):
        return False
    return token not in stopwords and token.lower() not in stopwords


class _SpacyTokenizer:
    """spaCy tokenizer that delegates to a :class:`Segmenter`."""

    def __init__(self, vocab, segmenter: Segmenter):
        self.vocab = vocab
        self.segmenter = segmenter

    def __call__(self, text: str):
        from spacy.tokens import Doc
        from spacy.util import get_words_and_spaces

        words, spaces = get_words_and_spaces(self.segmenter(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # spaCy calls these when an nlp object is saved; the segmenter is rebuilt from config.
    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        return None

    def from_disk(self, path, **kwargs):
        return self


def blank_zh(segmenter: Segmenter | None = None):
    """``spacy.blank("zh")`` whose tokenizer is our segmenter: ``nlp.pipe(texts)`` yields Docs of words."""
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.tokenizer = _SpacyTokenizer(nlp.vocab, segmenter or Segmenter())
    return nlp
