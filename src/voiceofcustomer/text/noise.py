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

__all__ = ["model_text", "mark_addressees", "mark_devices", "third_party_only", "NUMBER_TOKEN", "ADDRESSEE_TOKEN", "DEVICE_TOKEN",
           "MARKERS", "HANDLE", "HASHTAG", "LINK", "EMOTICON"]

#: What a phone, order or account number becomes (one word for the segmenter).
NUMBER_TOKEN = "号码"

#: What an @handle of someone other than an operator becomes for the label model: a private-use
#: character, so that no real text shares a character n-gram with it (and the filler rule, which
#: drops non-word characters, ignores it).
ADDRESSEE_TOKEN = "\ue000"
#: An operator's (or a regulator's) account: the post is addressed to the service itself. Traditional
#: forms too: the marking runs before the text is converted to Simplified characters.
OPERATOR_ACCOUNT = re.compile(r"联通|电信|移动|10086|10010|10000|广电|工信|315|天翼|营业厅|运营商|"
                              r"聯通|電信|移動|廣電|營業廳|運營商")
#: The operator or one of its services named anywhere in a post or its thread (the operator's own
#: handle, "小沃", a package, the bill, broadband, data): the post concerns the operator after all.
OPERATOR_SUBJECT = re.compile(OPERATOR_ACCOUNT.pattern + r"|沃|套餐|话费|話費|宽带|寬帶|流量")
#: "@你们" written inside a sentence is not an account.
_PRONOUN_HANDLE = re.compile(r"@(?:你们|你們|我们|我們|你|您|我|大家)")
#: The plural pronouns are never the start of an account's name in our data ("@你们就一句…" is a
#: sentence): such a "handle" loses only its "@", the words stay. "@我…" / "@你…" often are real
#: accounts ("@我要说"), so they go like any handle.
_PLURAL_PRONOUN_HANDLE = re.compile(r"@(?=你们|你們|我们|我們)")
#: Added after the name of a handset or device maker (one word that all brands share).
DEVICE_TOKEN = "\ue001"
#: Both markers (a text that already holds one has it removed before marking).
MARKERS = ADDRESSEE_TOKEN + DEVICE_TOKEN
#: Handset and device makers and their product lines (not apps or banks: those also occur in posts
#: about the operator's own services, e.g. paying the bill with a bank app).
DEVICE_BRAND = re.compile(
    r"华为|荣耀|小米|红米|魅族|魅蓝|锤子|坚果手机|坚果pro|乐视|美图手机|美图[0-9mMvVtT]|vivo|oppo|一加|努比亚|中兴|"
    r"酷派|联想手机|金立|三星|苹果手机|苹果[0-9]|iphone|ipad|诺基亚|nokia|索尼|sony|htc|摩托罗拉|黑莓|"
    r"小辣椒|天语|galaxy|360手机|格力手机|大神手机|"
    r"華為|榮耀|紅米|魅藍|錘子|堅果手機|樂視|美圖手機|美圖[0-9mMvVtT]|努比亞|中興|聯想手機|蘋果手機|蘋果[0-9]|"
    r"諾基亞|摩托羅拉|天語|360手機|格力手機", re.IGNORECASE)
_DEVICE_BRAND_LOWER = re.compile(DEVICE_BRAND.pattern.lower())

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


def mark_addressees(text: str) -> str:
    """Replace each @handle that is not an operator's by :data:`ADDRESSEE_TOKEN` (operators' stay).

    Why: a post addressed to a handset maker, an app or a shop is about their product, not the
    operator's service (issue ``other``), and the handle is often the only sign of it; the handle's
    own name is noise (thousands of brands and users), so one token stands for all of them.
    Run before :func:`model_text`, which drops the handles that remain."""
    if not text or "@" not in text:
        return text or ""
    return HANDLE.sub(_mark_handle, _PLURAL_PRONOUN_HANDLE.sub(" ", text))


def _mark_handle(m: re.Match) -> str:
    return m.group(0) if OPERATOR_ACCOUNT.search(m.group(0)) else f" {ADDRESSEE_TOKEN} "


def third_party_only(text: str, context: str = "") -> bool:
    """True when a post (with its earlier turns) is addressed to an account that is not an operator's
    and names neither an operator nor one of its services anywhere.

    Why: the taxonomy labels a fault of a product the operator does not provide (a handset, another
    company's app, a shop) ``issue=other``, and on real posts the model still reads "信号", "短信" or
    "扣费" in them as the operator's signal, notifications or billing. The account a post is
    addressed to is the surest sign of whose product it is; a brand named without a handle is not
    (a ticket to the operator may name the customer's handset or the operator's Huawei modem)."""
    text = text if isinstance(text, str) else ""
    context = context if isinstance(context, str) else ""
    if "@" not in text and "@" not in context:  # most rows: no handle, nothing to decide
        return False
    both = f"{text} ｜ {context}"
    if OPERATOR_SUBJECT.search(both):
        return False
    return any(not _PRONOUN_HANDLE.match(h) for h in HANDLE.findall(both))


def mark_devices(text: str) -> str:
    """Add :data:`DEVICE_TOKEN` after each handset or device maker's name.

    Why: posts about a handset (taxonomy: issue ``other``) name hundreds of brands and models, most
    of them absent from any training corpus; one shared word lets what the corpus says about some
    brands carry over to the others."""
    if not text or not _DEVICE_BRAND_LOWER.search(text.lower()):  # 6x faster than IGNORECASE on the many misses
        return text or ""
    return DEVICE_BRAND.sub(lambda m: f"{m.group(0)} {DEVICE_TOKEN} ", text)


def model_text(text: str) -> str:
    """The text a classifier or theme model should see: noise removed, numbers as one word."""
    if not text:
        return ""
    # Each costly pattern runs only when the literal characters it needs are there (same result:
    # a link has '://', or '.' with '/' or 'www'; a masked number '*', '#' or seven digits; a repeat two placeholders;
    # a tag '#', a handle '@', an emoticon code '[').
    maybe_link = "://" in text or ("." in text and ("/" in text or "www" in text.lower()))
    t = LINK.sub(" ", text) if maybe_link else text
    if "#" in t:
        t = HASHTAG.sub(r" \1 ", t)
    number = MASKED_NUMBER if "*" in t or "#" in t else _LONG_DIGITS
    t = number.sub(f" {NUMBER_TOKEN} ", t)  # before handles: "@客服138****5678" keeps its number
    if "@" in t:
        t = HANDLE.sub(" ", _PLURAL_PRONOUN_HANDLE.sub(" ", t))
    if "[" in t:
        t = EMOTICON.sub(" ", t)
    if t.count(NUMBER_TOKEN) > 1:
        t = _REPEATED_NUMBER.sub(f"{NUMBER_TOKEN} ", t)
    t = REPEATED_PUNCT.sub(r"\1", t)
    t = SPACES.sub(" ", t).strip()
    return t
