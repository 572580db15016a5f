"""A ticket's text cut into its labelled sections: the customer's words apart from the staff's.

Complaint-ticket systems export the whole history of a ticket in one text cell::

    客户来电反映家中宽带晚上频繁掉线，要求尽快处理。【处理过程】已派单装维上门检测，更换光猫。【处理结果】已解决。
    【工单回访】客户表示满意。

Only the first part is the customer's; 处理过程, 处理结果 and 工单回访 are written by the operator's staff. Read
as the customer's, "已解决。" and "客户表示满意。" were counted as statements (a QA export of 3,000 tickets gave
6,738 statements) and made themes of their own. :func:`ticket_sections` cuts the text at section labels:

- a label in 【】 brackets anywhere (``【处理结果】已解决``, ``【 回访记录 】：客户认可``), or
- a label followed by a colon (``处理结果：``, ``回访情况:``) at the start of the text, of a line, or right after
  a sentence's end (。！？；) or a space: ``…要求退还。处理结果：已核实…``; a label of four characters or more
  also right after a comma (``…频繁掉线，处理结果：已派单``), except those a customer says (客服回复, 回复客户 …:
  ``我问了客服，客服回复：等通知`` is the customer speaking); a label glued to a word (``…掉线处理结果：``) never.

A label is matched in simplified and traditional characters (處理結果, 投訴內容, 回覆) and named by its simplified
name. A label of :data:`STAFF_SECTIONS` (or one the user adds: ``voc split --staff-section 处理意见``; in
brackets only, :data:`BRACKET_STAFF_SECTIONS`: 【备注】) opens a staff section, a label of
:data:`CUSTOMER_SECTIONS` (客户反映, 投诉内容, 来电内容 …, or ``--customer-section NAME``) a customer one, a
label of :data:`FIELD_SECTIONS` (工单号, 受理渠道, 联系电话 …) a field of the ticket, and so does a 【…】 label in
no list (2 to 8 Chinese characters where a sentence starts: ``。【受理渠道】营业厅``; inside a sentence,
``收到短信【某某通信】…``, it changes nothing). Text before any label is the customer's, and so is text after
a field's value (:func:`_field_end`: ``工单号：A001。用户反映…``). A ``NAME：`` in no list is no label. ``voc split`` gives
each sentence of a staff section or a field the role ``staff`` (:data:`voiceofcustomer.statements.STAFF`):
kept in every table with its text and ticket, never counted, labelled or used for themes or items. A customer
section's label is no word of the customer's: :func:`customer_text` (what the labels and themes read) and
``voc split``'s ``text`` leave it out; ``text_raw`` keeps it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple

__all__ = ["STAFF_SECTIONS", "CUSTOMER_SECTIONS", "BRACKET_STAFF_SECTIONS", "FIELD_SECTIONS", "POST_MARKERS", "Section", "SectionRule", "ticket_sections", "section_rule",
           "customer_text"]

#: Section labels of a ticket's text written by the operator's staff (how a complaint was handled, the answer
#: given, the follow-up call, an agent's notes). ``voc split --staff-section NAME`` adds more.
STAFF_SECTIONS = (
    "处理过程", "处理经过", "处理情况", "处理结果", "处理意见", "处理记录", "处理方案", "处理说明", "处理措施", "处理备注",
    "办理情况", "办理结果", "核实情况", "核查情况", "核查结果", "调查情况", "调查结果", "解决方案", "解决情况",
    "工单回访", "回访", "回访记录", "回访情况", "回访结果", "回访内容", "回访意见",
    "回复", "回复内容", "回复客户", "回复情况", "答复", "答复内容", "答复客户", "答复情况", "客服回复", "客服答复",
    "坐席备注", "座席备注", "客服备注", "坐席记录", "客服记录", "工作人员备注",
    "结案", "结案意见", "结案说明", "归档意见", "派单意见", "派单说明", "审核意见",
)

#: Section labels of the customer's own words: text under them stays customer statements, as text before any
#: label does.
CUSTOMER_SECTIONS = (
    "客户反映", "用户反映", "来电反映", "客户来电", "来电内容", "投诉内容", "投诉问题", "客户诉求", "用户诉求", "诉求内容",
    "问题描述", "客户描述", "客户原话", "客户补充", "反映内容", "反映问题", "咨询内容",
)

#: Labels that open a staff section only in 【】 brackets: a form's 【备注】 is the operator's, while ``备注：``
#: after a sentence may be the customer's own (备注：我是老用户).
BRACKET_STAFF_SECTIONS = ("备注", "其他备注", "补充说明")

#: Labels of a ticket's record fields (its number, channel, dates, the customer's number, category): no one's
#: words; like a staff section they are kept with the role ``staff`` and never counted, labelled or themed. A
#: 【…】 label in no list (2 to 8 Chinese characters, where a sentence starts) is read as such a field too.
FIELD_SECTIONS = (
    "工单号", "工单编号", "工单流水号", "流水号", "受理号", "受理编号", "投诉编号", "受理时间", "受理日期", "来电时间",
    "投诉时间", "派单时间", "受理渠道", "投诉渠道", "来源渠道", "受理工号", "受理人", "处理人", "处理部门", "责任部门",
    "来电号码", "主叫号码", "联系电话", "联系号码", "业务号码", "服务号码", "宽带账号", "客户姓名", "用户姓名",
    "投诉类别", "投诉类型", "投诉分类", "业务类型", "问题分类", "工单类型", "紧急程度", "归属地", "所属区县",
)


#: What a social-media post writes in 【】 where it starts or ends — a repost's 【转发微博】, 【转发】, 【转载】, 【原微博】 —
#: is no field of a ticket and no one's label: the words after it are the customer's (the marker itself is left
#: out of ``text`` as a customer section's label is, and kept in ``text_raw``). Until 7 Dec 2026 it was read as
#: a 【…】 label in no list, a field, and the post's complaint after it (``【转发微博】打客服热线46次都没人接…``)
#: was kept as staff, not counted.
POST_MARKERS = ("转发微博", "转发", "转载", "转帖", "原微博", "原博", "微博", "微博正文", "分享", "分享微博")


class Section(NamedTuple):
    """One part of a ticket's text: ``staff`` (not the customer's words: a staff section or a ticket field) or
    not, the label that opened it (``""`` for the text before any label; a traditional label by its simplified
    name, 處理結果 as 处理结果) and its text as written, the label included; ``head`` is that label as written
    (``【投诉内容】``, ``投诉内容：``), ``kind`` ``customer``, ``staff`` or ``field`` (:data:`FIELD_SECTIONS` and a
    【…】 label in no list), ``""`` for the text before any label."""

    staff: bool
    label: str
    text: str
    head: str = ""
    kind: str = ""

    @property
    def body(self) -> str:
        """The section's text without its label: the customer's words of a customer section."""
        return self.text[len(self.head):]


class SectionRule(NamedTuple):
    """The labels in use (:func:`section_rule`) and the pattern that finds them."""

    staff: frozenset
    pattern: re.Pattern
    customer: frozenset = frozenset()
    field: frozenset = frozenset()
    canonical: dict = {}


def section_rule(staff_sections: Iterable[str] = (), customer_sections: Iterable[str] = ()) -> SectionRule:
    """The rule of :data:`STAFF_SECTIONS`, :data:`CUSTOMER_SECTIONS` and :data:`FIELD_SECTIONS`, with
    ``staff_sections`` (labels the user names, e.g. 处理意见二) added to the staff ones and ``customer_sections``
    (e.g. 紧急诉求) to the customer ones. A name given as staff counts as staff, even a customer label; a name
    given as customer counts as the customer's, even a field or an unknown 【…】 label."""
    return _rule(_names(staff_sections), _names(customer_sections))


def _names(given: Iterable[str]) -> tuple[str, ...]:
    out = (_simplified(s.strip().strip("【】[]：:").strip()) for s in given if s and s.strip())
    return tuple(dict.fromkeys(x for x in out if x))


@lru_cache(maxsize=1)
def _converters():
    import opencc  # imported lazily, as text.normalize does: the rule is built once a process

    return (opencc.OpenCC("t2s"), *(opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")))


def _simplified(name: str) -> str:
    return _converters()[0].convert(name)


def _variants(name: str) -> str:
    """``name`` as a pattern of its simplified and traditional spellings, one character class a character:
    处理结果 → ``[处處]理[结結]果``, 回复 → ``回[复覆復]`` (回覆 in Taiwan, 回復 too), 客户 → ``客[户戶]``."""
    t2s, *s2t = _converters()
    forms = [name] + [c.convert(name) for c in s2t] + ["".join(c.convert(ch) for ch in name) for c in s2t]
    out = []
    for i, ch in enumerate(name):
        chars = dict.fromkeys(f[i] for f in forms if len(f) == len(name))
        out.append(re.escape(ch) if len(chars) == 1 else "[" + "".join(map(re.escape, chars)) + "]")
    return "".join(out)


#: labels a customer may well write after a comma as words of their own (我问了客服，客服回复：等通知), so they
#: open a section after a sentence's end only; a label of 2–3 characters (回复, 答复, 回访) likewise
_SPOKEN_LABELS = frozenset({"客服回复", "客服答复", "回复客户", "答复客户"})

#: a 【…】 label in no list: 2 to 8 Chinese characters
_UNKNOWN = r"[\u4e00-\u9fff]{2,8}"


@lru_cache(maxsize=16)
def _rule(extra: tuple[str, ...], extra_customer: tuple[str, ...] = ()) -> SectionRule:
    staff = frozenset((*STAFF_SECTIONS, *BRACKET_STAFF_SECTIONS, *extra))
    customer = frozenset(CUSTOMER_SECTIONS).union(extra_customer) - staff
    field = frozenset(FIELD_SECTIONS) - staff - customer
    brackets = staff | customer | field
    colons = brackets - set(BRACKET_STAFF_SECTIONS).difference(extra)

    def alt(names):
        return "|".join(_variants(n) for n in sorted(names, key=len, reverse=True))  # 回访记录 before 回访

    after_comma = {n for n in colons if len(n) >= 4 and n not in _SPOKEN_LABELS}
    start = r"(?:^|(?<=[\n。！？!?；;\s】]))"
    pattern = re.compile(
        rf"【\s*(?P<b>{alt(brackets)})\s*】\s*[：:]?"  # 【处理结果】 anywhere, a colon after it read with it
        rf"|{start}(?P<c>{alt(colons)})\s*[：:]"  # 处理结果： where a sentence starts
        rf"|(?<=[，,、])(?P<d>{alt(after_comma)})\s*[：:]"  # …频繁掉线，处理结果：已派单
        rf"|{start}【\s*(?P<u>{_UNKNOWN})\s*】\s*[：:]?")  # 【工单号】, 【备注】 … where a sentence starts
    canonical = {}
    for n in brackets:
        canonical.setdefault(_simplified(n), n)
    return SectionRule(staff, pattern, customer, field, canonical)


def _label(rule: SectionRule, m: re.Match) -> tuple[str, str]:
    """The matched label's name (simplified) and kind."""
    if m.group("u"):
        name = _simplified(m.group("u"))
        if name in POST_MARKERS and name not in rule.staff:
            return name, "customer"  # a post's 【转发微博】: what follows is the customer's
        if name not in rule.customer and name not in rule.staff:
            return name, "field"
    else:
        written = m.group("b") or m.group("c") or m.group("d")
        name = rule.canonical.get(_simplified(written), written)
    kind = "staff" if name in rule.staff else "customer" if name in rule.customer else "field"
    return name, kind


def ticket_sections(text: str, rule: SectionRule | None = None) -> list[Section]:
    """``text`` cut at its section labels (see the module), in order; joined, the parts give ``text`` back.

    A text with no label is one customer section (``[Section(False, "", text)]``); an empty part before the
    first label is left out."""
    rule = rule or section_rule()
    if not text or ("：" not in text and ":" not in text and "【" not in text):
        return [Section(False, "", text)]
    out: list[Section] = []
    label, kind, start, head = "", "", 0, ""
    for m in rule.pattern.finditer(text):
        if m.start() > start or out:
            out.extend(_field_end(rule, Section(kind in ("staff", "field"), label, text[start:m.start()], head, kind)))
        (label, kind), start, head = _label(rule, m), m.start(), m.group(0)
    out.extend(_field_end(rule, Section(kind in ("staff", "field"), label, text[start:], head, kind)))
    return out


#: how a ticket's writer opens the customer's words without a colon: 用户反映…, 客户来电反映…, 客户称…, 用户来电表示…
OPENER = (r"(?:[客用][户戶]|[来來][电電])(?:[来來][电電])?(?:反映|反[应應]|[称稱]|表示|投[诉訴]|咨[询詢])"
          r"(?![：:])")

#: where a field's value (工单号：A001, 受理渠道：10000号) ends: at its sentence's or line's end, or before an opener
#: of the customer's words after a comma or a space (客户姓名：张三，用户反映…)
_FIELD_END = re.compile(rf"[。！？!?；;]+\s*|\n\s*|(?<=[，,、\s])(?={OPENER})")


def _field_end(rule: SectionRule, part: Section) -> list[Section]:
    """A known field (:data:`FIELD_SECTIONS`) holds its value only: ``工单号：A001。用户反映宽带掉线`` is the field
    ``工单号：A001。`` and the customer's ``用户反映宽带掉线``, which until 7 Dec 2026 were the field's, not counted.
    A 【…】 label in no list runs on to the next label (it may be a staff section of several sentences)."""
    if part.kind != "field" or part.label not in rule.field:
        return [part]
    m = _FIELD_END.search(part.text, len(part.head))
    if not m or not part.text[m.end():].strip():
        return [part]
    return [part._replace(text=part.text[:m.end()]), Section(False, "", part.text[m.end():])]


def customer_text(text: str, rule: SectionRule | None = None) -> str:
    """The customer's words of a ticket's ``text``: its customer sections joined, without their labels (what
    ``voc tag`` labels a ticket read whole by, and the themes read): ``【投诉内容】宽带掉线【处理结果】已派单`` →
    ``宽带掉线``; ``text`` itself when it has no label, or nothing but staff sections and fields (then there is
    nothing better)."""
    parts = ticket_sections(text, rule)
    if len(parts) == 1 and not parts[0].head:
        return text
    own = ""
    for p in parts:
        if p.staff:
            continue
        body = p.body
        if p.head and own and not re.search(r"[\s。！？!?；;，,、]$", own):
            own += "。"  # 【客户反映】网慢【客户补充】还掉线: two sentences, not 网慢还掉线
        own += body
    own = re.sub(r"[\s，,、]+$", "", own)  # …掉线，处理结果：已派单: the comma was before the staff's words
    return own if own.strip() else text
