"""A ticket's text cut into its labelled sections: the customer's words apart from the staff's.

Complaint-ticket systems export the whole history of a ticket in one text cell::

    客户来电反映家中宽带晚上频繁掉线，要求尽快处理。【处理过程】已派单装维上门检测，更换光猫。【处理结果】已解决。
    【工单回访】客户表示满意。

Only the first part is the customer's; 处理过程, 处理结果 and 工单回访 are written by the operator's staff. Read
as the customer's, "已解决。" and "客户表示满意。" were counted as statements (a QA export of 3,000 tickets gave
6,738 statements) and made themes of their own. :func:`ticket_sections` cuts the text at section labels:

- a label in 【】 brackets anywhere (``【处理结果】已解决``, ``【 回访记录 】：客户认可``), or
- a label followed by a colon (``处理结果：``, ``回访情况:``) at the start of the text, of a line, or right after
  a sentence's end (。！？；) or a space: ``…要求退还。处理结果：已核实…``.

A label of :data:`STAFF_SECTIONS` (or one the user adds: ``voc split --staff-section 处理意见``) opens a staff
section, a label of :data:`CUSTOMER_SECTIONS` (客户反映, 投诉内容, 来电内容 …) a customer one; text before any
label is the customer's, and a label of neither list changes nothing (its words stay in the section they are
in). ``voc split`` gives each sentence of a staff section the role ``staff`` (:data:`voiceofcustomer.statements.
STAFF`): kept in every table with its text and ticket, never counted, labelled or used for themes or items.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple

__all__ = ["STAFF_SECTIONS", "CUSTOMER_SECTIONS", "Section", "SectionRule", "ticket_sections", "section_rule",
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


class Section(NamedTuple):
    """One part of a ticket's text: ``staff`` or not, the label that opened it (``""`` for the text before any
    label) and its text as written, the label included."""

    staff: bool
    label: str
    text: str


class SectionRule(NamedTuple):
    """The labels in use (:func:`section_rule`) and the pattern that finds them."""

    staff: frozenset
    pattern: re.Pattern


def section_rule(staff_sections: Iterable[str] = ()) -> SectionRule:
    """The rule of :data:`STAFF_SECTIONS` and :data:`CUSTOMER_SECTIONS`, with ``staff_sections`` (labels the user
    names, e.g. 处理意见二) added to the staff ones. A name given that is a customer label counts as staff."""
    extra = tuple(dict.fromkeys(s.strip().strip("【】[]：:").strip() for s in staff_sections if s and s.strip()))
    return _rule(tuple(x for x in extra if x))


@lru_cache(maxsize=16)
def _rule(extra: tuple[str, ...]) -> SectionRule:
    staff = frozenset((*STAFF_SECTIONS, *extra))
    names = sorted(staff | set(CUSTOMER_SECTIONS), key=len, reverse=True)  # 回访记录 before 回访
    alt = "|".join(map(re.escape, names))
    pattern = re.compile(
        rf"【\s*(?P<b>{alt})\s*】\s*[：:]?"  # 【处理结果】 anywhere, a colon after it read with it
        rf"|(?:^|(?<=[\n。！？!?；;\s】]))(?P<c>{alt})\s*[：:]")  # 处理结果： where a sentence starts
    return SectionRule(staff, pattern)


def ticket_sections(text: str, rule: SectionRule | None = None) -> list[Section]:
    """``text`` cut at its section labels (see the module), in order; joined, the parts give ``text`` back.

    A text with no label is one customer section (``[Section(False, "", text)]``); an empty part before the
    first label is left out."""
    rule = rule or section_rule()
    if not text or ("：" not in text and ":" not in text and "【" not in text):
        return [Section(False, "", text)]
    out: list[Section] = []
    staff, label, start = False, "", 0
    for m in rule.pattern.finditer(text):
        name = m.group("b") or m.group("c")
        if m.start() > start or out:
            out.append(Section(staff, label, text[start:m.start()]))
        staff, label, start = name in rule.staff, name, m.start()
    out.append(Section(staff, label, text[start:]))
    return out


def customer_text(text: str, rule: SectionRule | None = None) -> str:
    """The customer's sections of a ticket's ``text`` joined (what ``voc tag`` labels a ticket read whole by);
    ``text`` itself when it has no staff section, or nothing but staff sections (then there is nothing better)."""
    parts = ticket_sections(text, rule)
    if not any(p.staff for p in parts):
        return text
    own = "".join(p.text for p in parts if not p.staff)
    return own if own.strip() else text
