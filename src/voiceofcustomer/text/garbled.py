"""Garbled text: a cell whose characters were mangled on the way out of the ticket system, not words.

A ticket export that passed through the wrong encoding holds rows like these, and the labeller read
them as text (``none``/``other``/``neutral``, no note), and the frequencies counted them:

* mojibake, UTF-8 read as GBK (``瀹藉甫缃戦€熸參`` for 宽带网速慢) or as Latin-1/cp1252 (``å®½å¸¦``):
  the text, encoded back in that codec, is valid UTF-8 of other Chinese characters;
* the marks of a double conversion or of uninitialised memory: ``锟斤拷`` (U+FFFD twice, read as GBK),
  ``烫烫烫``, ``屯屯屯``, a run of replacement characters ``��``;
* characters lost in a conversion, each written as ``?``: ``??????????``, ``??? 1000M ????``.

:func:`looks_garbled` tells one text; :func:`garbled_text` a column. Conservative by design: on every
text of ``tests/data``, ``corpora/labelled`` and ``corpora/samples`` it finds none (customers do write
``为什么？？？`` and ``怎么回事???``: a few question marks beside words are no lost text).
"""

from __future__ import annotations

import re
from typing import Iterable

import numpy as np
import pandas as pd

__all__ = ["looks_garbled", "garbled_text"]

#: the marks of a double conversion (锟斤拷) or of uninitialised memory (烫烫烫 0xCC, 屯屯屯 0xCD), and a run
#: of Unicode's replacement character
_MARKS = re.compile(r"锟斤拷|烫烫烫|屯屯屯|\ufffd{2,}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: what survives a conversion that lost every character it could not write: ASCII only
_ASCII = re.compile(r"[\x00-\x7f]*")
#: codecs a UTF-8 export is misread with, most likely first, each with the characters it writes as a byte of
#: 0x80 or more: a text with none of them encodes to ASCII (its Chinese as ``?``), which decodes to no Chinese, so
#: the round trip is skipped (a Chinese text rarely holds one: 2 of 3 round trips saved, the same answers)
_MISREAD_AS = (
    ("gbk", None),
    ("cp1252", re.compile("[\x80-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
                          "\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")),
    ("latin-1", re.compile("[\x80-\xff]")),
)


def _mojibake(text: str) -> bool:
    """Whether ``text`` is UTF-8 read in another codec: encoded back in it, most of it is valid UTF-8 of
    Chinese characters. A real Chinese text encoded in GBK is almost never valid UTF-8 (its bytes give a
    replacement character for nearly every character: on the texts of ``corpora/`` and the real customer
    turns no more Chinese characters than half the replacements), while a mojibake loses a character only
    where the misreading split one (a character the codec cannot write back is a ``?``, not Chinese). So: more
    Chinese characters than replacements (as many from four up), and a third of the text's own (a UTF-8
    character misread is one and a half to two characters). ``benchmarks/garbled_recall.py``: no false alarm
    on either, nor on their 89,861 sentence pieces, and 98–99.9 % of their mojibake found (82–99.9 % with
    twice the replacements and half the text's).

    Cheap tests first (``voc freq`` asks this of every distinct text of a table tagged before the note): a
    round trip with fewer characters left beside its replacements than their number cannot hold enough
    Chinese, whatever they are, so the characters are counted only when it could."""
    n_cjk = None
    for codec, high in _MISREAD_AS:
        if high is not None and not high.search(text):
            continue
        back = text.encode(codec, errors="replace").decode("utf-8", errors="replace")
        lost = back.count("\ufffd")
        if len(back) - lost < max(2, lost) or back == text:
            continue
        got = _CJK.subn("", back)[1]
        # as many as replacements only from 4 up: a real 4-character phrase can give 2 and 2 (3 of 89,861 pieces)
        if got >= 2 and (got > lost or (got >= 4 and got >= lost)):
            n_cjk = _CJK.subn("", text)[1] if n_cjk is None else n_cjk
            if got * 3 >= n_cjk:
                return True
    return False


def looks_garbled(text) -> bool:
    """Whether ``text`` looks garbled (mojibake, 锟斤拷/烫烫烫/屯屯屯, replacement characters, or lost
    characters written as ``?``) rather than words. A blank or missing text is not garbled (it is empty)."""
    if not isinstance(text, str):
        return False
    t = text.strip()
    if not t:
        return False
    if _MARKS.search(t):
        return True
    body = "".join(t.split())
    if _ASCII.fullmatch(body):
        # every non-ASCII character lost as '?': nothing else left but digits, Latin letters, punctuation
        q = body.count("?")
        return q >= 4 and q * 2 >= len(body) and "???" in body
    if body.count("\ufffd") and body.count("\ufffd") * 2 >= len(body):
        return True
    return _mojibake(t)


def garbled_text(values: pd.Series | Iterable) -> np.ndarray:
    """Boolean array: which texts look garbled (:func:`looks_garbled`), each distinct text tested once."""
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if not len(s):
        return np.zeros(0, dtype=bool)
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    flags = np.fromiter((looks_garbled(u) for u in uniques), dtype=bool, count=len(uniques))
    out = np.zeros(len(s), dtype=bool)
    known = codes >= 0
    out[known] = flags[codes[known]]
    return out
