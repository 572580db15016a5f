"""Real-post noise, removed from what the models see (``text_raw`` keeps everything).

Why: on Weibo and IM exports the most frequent "words" are not the customer's:
``@中国联通客服`` handles, ``#话题#`` tags, ``http://t.cn/…`` short links,
bracketed emoticon codes (``[泪流满面]``) and runs of ``！！！``. Left in, they
dominate character n-grams and theme key phrases. Masked numbers
(``138****5678``, ``#`` runs that replace digit runs) carry no topic but do carry
a signal ("here is my number": a filler turn), so they become one placeholder
word instead of disappearing.

``model_text`` is idempotent and never returns more characters than it was given
plus the placeholders.
"""

from __future__ import annotations

import re

__all__ = ["model_text", "NUMBER_TOKEN", "HANDLE", "HASHTAG", "LINK", "EMOTICON"]

#: What a phone, order or account number becomes (one word for the segmenter).
NUMBER_TOKEN = "号码"

LINK = re.compile(r"(?:https?://|www\.)[A-Za-z0-9./?=&%_:#~+-]+|\b[a-z0-9-]+\.(?:cn|com|net)/[A-Za-z0-9]+",
                  re.IGNORECASE)
# @handle ends at whitespace, punctuation or the end; Chinese handles are common.
HANDLE = re.compile(r"@[\w\u3400-\u9fff·_-]{1,30}")
# #topic# (Weibo) — the words inside stay, the markers go: a topic tag often names the subject.
HASHTAG = re.compile(r"#([^#\s]{1,40})#")
EMOTICON = re.compile(r"\[[\u3400-\u9fffA-Za-z]{1,8}\]")
MASKED_NUMBER = re.compile(r"\d{0,4}\*{3,}\d{0,4}|\d*#{1,}\d*(?:#\d*)*|\d{7,}")
REPEATED_PUNCT = re.compile(r"([!！?？。，,~～…\.])\1+")
SPACES = re.compile(r"\s{2,}")
_REPEATED_NUMBER = re.compile(rf"(?:{NUMBER_TOKEN}\s*){{2,}}")
_LONG_DIGITS = re.compile(r"\d{7,}")  # what MASKED_NUMBER can match in a text with no '*' and no '#'


def model_text(text: str) -> str:
    """The text a classifier or theme model should see: noise removed, numbers as one word."""
    if not text:
        return ""
    # Each costly pattern runs only when the literal characters it needs are there (same result:
    # a link has '://', or '.' with '/' or 'www'; a masked number '*', '#' or seven digits; a repeat two placeholders).
    maybe_link = "://" in text or ("." in text and ("/" in text or "www" in text.lower()))
    t = LINK.sub(" ", text) if maybe_link else text
    t = HASHTAG.sub(r" \1 ", t)
    number = MASKED_NUMBER if "*" in t or "#" in t else _LONG_DIGITS
    t = number.sub(f" {NUMBER_TOKEN} ", t)  # before handles: "@客服138****5678" keeps its number
    t = HANDLE.sub(" ", t)
    t = EMOTICON.sub(" ", t)
    if t.count(NUMBER_TOKEN) > 1:
        t = _REPEATED_NUMBER.sub(f"{NUMBER_TOKEN} ", t)
    t = REPEATED_PUNCT.sub(r"\1", t)
    t = SPACES.sub(" ", t).strip()
    return t
