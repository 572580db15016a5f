"""Cleaning of customer text: the first stage every statement goes through.

Why each step exists:
- Complaints copied from web pages and Hong Kong/Taiwan sources mix Traditional
  characters, so one word would otherwise be counted twice (網絡/网络).
- Teaching pages print pinyin readings after characters (監(jiān)管); they are not
  what the customer said.
- Full-width letters and digits (５Ｇ, １３８) break matching of numbers and terms.
- Web boilerplate (page numbers, download notices, copyright lines) is not
  customer speech, but it is counted so that nothing disappears unexplained.

Every function here is idempotent: ``normalize(normalize(x)) == normalize(x)``.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass, field
from typing import Iterable

__all__ = ["normalize", "remember_clean_texts", "drop_boilerplate", "is_boilerplate", "BoilerplateReport"]

# Tone-marked vowels (and ü forms) that only pinyin uses; a parenthesis holding
# letters with at least one of these (or a tone digit 1-5) is a reading, not content.
_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_SYLLABLE = rf"[a-zA-Z{_TONE_VOWELS}]+[1-5]?"
_PINYIN_PAREN = re.compile(
    rf"(?<=[\u3400-\u9fff])\s?[(（]\s*({_PINYIN_SYLLABLE}(?:[\s'’·-]+{_PINYIN_SYLLABLE})*)\s*[)）]"
)
_HAS_TONE = re.compile(rf"[{_TONE_VOWELS}]|[a-z][1-5]\b")

# Full-width digits and Latin letters to ASCII; full-width Chinese punctuation stays.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0xFF0E: 0x2E, 0xFF05: 0x25})
# Zero-width characters copied from web pages.
_FULLWIDTH.update({c: None for c in (0x200B, 0x200C, 0x200D, 0xFEFF, 0x2060)})

# Any character _FULLWIDTH changes (built from its keys, so the two cannot drift apart).
_NEEDS_TRANSLATE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FULLWIDTH)) + "]")

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_RUN = re.compile(r"[ \t\r\f\v]+")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")

_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\s*第\s*\d+\s*页\s*[/／,，]?\s*(共\s*\d+\s*页)?\s*$",
        r"^\s*(page\s*)?\d+\s*(/|of)\s*\d+\s*$",
        r"^\s*-\s*\d+\s*-\s*$",
        r"^\s*(立即|免费|免費)?(下载|下載)(本文|全文|文档|文檔|附件|客户端|客戶端|APP|app)",
        r"(文档|文檔|全文|本文|附件|PDF|pdf)\s*(免费|免費)?(下载|下載)",
        r"^\s*(点击|點擊|扫码|掃碼|扫描二维码|长按)(\S{0,6})(下载|下載|关注|關注|阅读原文|閱讀原文|查看更多)",
        r"版权所有|版權所有|copyright|all rights reserved|©",
        r"免责声明|免責聲明|仅供参考|僅供參考|不代表本(站|网|網)观点|转载请注明|轉載請註明|未经授权.{0,6}(转载|轉載)",
        r"^\s*(上一篇|下一篇|相关阅读|相關閱讀|返回顶部|返回頂部|分享到)[:：]?",
    )
]


@functools.lru_cache(maxsize=1)
def _opencc():
    import opencc  # imported lazily: 30 ms we do not pay unless text is cleaned

    return opencc.OpenCC("t2s")


def _strip_pinyin(text: str) -> str:
    def repl(match: re.Match) -> str:
        return "" if _HAS_TONE.search(match.group(1)) else match.group(0)

    return _PINYIN_PAREN.sub(repl, text)


_NEEDS_TIDY = re.compile(r"[\s(（]")


_HANDLE_BEFORE = re.compile(r"@[^\s@]{1,30}$")


def _drop_space_unless_after_handle(m: re.Match) -> str:
    """The space that ends an ``@handle`` is its only boundary; keep it (text.noise removes the handle)."""
    return " " if _HANDLE_BEFORE.search(m.string, max(0, m.start() - 31), m.start()) else ""


def _tidy(text: str) -> str:
    if not _NEEDS_TIDY.search(text):  # no whitespace, no parenthesis: every step below is the identity
        return text
    if "(" in text or "（" in text:  # a pinyin reading is always in parentheses
        text = _strip_pinyin(text)
    text = _SPACE_RUN.sub(" ", text)
    # without an '@' no space ends a handle: a plain replacement, no Python call per space
    text = _SPACE_BETWEEN_CJK.sub(_drop_space_unless_after_handle if "@" in text else "", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip("\n ")


def normalize(text: str) -> str:
    """Clean one text: Simplified characters, no pinyin readings, half-width
    letters and digits, tidy whitespace. Line breaks are kept (they end statements).

    Character conversion runs once (it is idempotent); the removals repeat until
    nothing changes, so the result is a fixed point even when one removal exposes
    another (監(jiān)(jiān)管).
    """
    if not text:
        return ""
    if _clean is not None and text in _clean:
        return text  # cleaned earlier in this run (see remember_clean_texts)
    if _NEEDS_TRANSLATE.search(text):  # str.translate with a dict costs ~1 µs per 5 characters
        text = text.translate(_FULLWIDTH)
    text = _opencc().convert(text)
    for _ in range(4):
        cleaned = _tidy(text)
        if cleaned == text:
            break
        text = cleaned
    if _clean is not None and len(_clean) < _CLEAN_LIMIT:
        _clean.add(text)
    return text


_clean: set[str] | None = None
_CLEAN_LIMIT = 1_000_000


@contextlib.contextmanager
def remember_clean_texts():
    """Within this block, a text :func:`normalize` returned is not cleaned again.

    Why: ``voc analyze`` cleans every statement when it splits, and the label model
    normalises its input too; ``normalize`` is idempotent, so the second pass can be a
    set lookup. Worker processes forked inside the block inherit what was remembered.
    """
    global _clean
    outer = _clean
    _clean = set() if outer is None else outer
    try:
        yield
    finally:
        _clean = outer


def is_boilerplate(line: str) -> bool:
    """True for web furniture lines: page numbers, download notices, copyright, disclaimers."""
    return any(p.search(line) for p in _BOILERPLATE)


@dataclass
class BoilerplateReport:
    """Lines dropped as boilerplate, kept for the run summary."""

    dropped: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.dropped)


def drop_boilerplate(lines: Iterable[str], report: BoilerplateReport | None = None) -> list[str]:
    """Return the lines that are not web boilerplate; record the others in ``report``."""
    kept = []
    for line in lines:
        if line.strip() and is_boilerplate(line):
            if report is not None:
                report.dropped.append(line.strip())
            continue
        kept.append(line)
    return kept
