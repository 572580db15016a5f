"""Candidate SERVQUAL questionnaire items, with the customer quotes behind them.

Two sources, each candidate says which:
- ``bank``: an item of the written item bank (``corpora/item_bank.csv``) that the
  statements support: they express its need with the right polarity
  (:mod:`voiceofcustomer.items.evidence`; a complaint about too many posters is
  counted ``against`` "精美的宣传资料", not for it);
- ``composed``: an item written for a need no bank item covers, from the need phrases
  of the statements that express it (:mod:`voiceofcustomer.items.compose`), or from a
  theme's key phrase where a theme's statements are not covered at all.

Every candidate carries its quality checks (one idea, positive wording, length,
jargon, duplicates merged) so that nothing fails a check silently.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer.errors import ColumnError, InputError
from voiceofcustomer.resources import corpus_path
from voiceofcustomer.labels.taxonomy import LABELS, SERVQUAL_DIMENSIONS, label_zh
from voiceofcustomer.items.compose import (ABUSE, E_STYLES, QUESTION, cluster_needs, compose_item, customer_action,
                                           expectation_text, names_attribute, need_phrase)
from voiceofcustomer.items.evidence import SupportScorer
from voiceofcustomer.statements import (SESSION, SESSION_TITLE, STATEMENT_ID, TICKET_ID, as_statements, counted,
                                        number_param, record_label, session_shown, speaker_label, table_param)

__all__ = ["ItemCandidates", "BankMatch", "ItemCheck", "CHECKS", "load_item_bank", "candidate_items", "match_bank", "check_item",
           "checks_text", "check_codes_text", "suggest_wording", "write_items_workbook", "items_workbook_path",
           "ITEM_COLUMNS", "MAX_ITEM_CHARS", "no_item_as_worded"]

ITEM_COLUMNS = ["item_id", "servqual", "demand", "e_text", "p_text", "theme", "support", "support_strength", "against",
                "share", "evidence",
                "source", "checks", "decision", "edited_text", "reverse"]
# columns after the contract ones (the review sheet shows them too)
_EXTRA_COLUMNS = ["check_codes", "suggestion", "suggestion_note", "issue", "servqual_zh", "demand_zh", "speakers",
                  "complaints", "suggestions", "praise", "merged_from", "support_score", "evidence_ids"]
MAX_ITEM_CHARS = 30
_CONJUNCTIONS = re.compile(r"和|及(?!时)|以及|并且|并|与|同时|而且|还有|、")
_NEGATIONS = re.compile(r"不|没|未|无|别|勿|莫|差|慢|难")
_NEGATION_OK = re.compile(r"不断|无论|无障碍|难忘|毫不|无线|个别|差异|无缝|无忧|不论|无误|出差|困难的|不便的")
# "与…相符/一致" compares one thing with a standard: one idea, not two.
_COMPARISON = re.compile(r"与.{1,10}?(相符|一致|相同|同步|相关|相比)")
_JARGON = ("SLA", "KPI", "室分", "回单", "派单", "工单", "弱覆盖", "装维", "网格", "OLT", "ONU", "分光器", "割接",
           "退服", "首问负责", "话务", "质差", "投诉率", "ARPU", "NPS", "触点", "报障", "政企")
_SUBJECT_P = re.compile(r"^该(营业厅|运营商|公司)")
# What a composed item can say that is no attribute a respondent could rate (the items-wording QA pass):
# a change to make (换成多给点通话时长, 合在一起算), the conversation pointed at (这么久, 那样), spoken
# words (啥, 搞个, 派个懂行的来) and a clause left without its statement (…的时候, 像快递那样, …才对).
_CHANGE = re.compile(r"换成|改成|换为|改为|改到|换到|换一家|换家|换个|合并|合在一起|合到一起|放一起|变成|转成|调成|"
                     # a quantity moved (营业时间延长到晚上九点, 月租降下来, 字号调大)
                     r"(延长|缩短|提高|降低|推迟|增加|减少|调整)到|降下来|降下去|提上去|调[大小高低]|放大点?|加大|改[大小]|"
                     # a raise asked for (上行带宽能提一提, 月租降一下)
                     r"([提降调加扩涨增减缩放])一\2|[提降调加扩涨]一下")
# A request to act now on what the customer complained about (尽快修好, 马上把网修好, 早日把基站建起来): no lasting
# attribute a respondent rates (立即 stays: 缴费后立即恢复通话 is one, of the bank).
_REQUEST_NOW = re.compile(r"尽快|尽早|赶紧|赶快|抓紧|马上|立马|早日|快点|快些")
_DEIXIS = re.compile(r"这么|那么|这样|那样|这些|那些|这个|那个|这种|那种|这里|那里|这儿|那儿")
_COLLOQUIAL = re.compile(r"啥|咋|搞|弄|屋头|俺|咱|(?<=[派设发开做打按给弄找整想起建修砌配装放挂摆招加])个|"
                         r"几[个张台把位名条家间部]|(?<=[单快早晚多少便大小给心])点(?![评击赞数])|有点|"
                         r"看看|想想|问问|试试|聊聊|^做(?![到好出])|"
                         # a verb said twice round 一 (提一提, 等一等, 看一看)
                         r"([\u4e00-\u9fff])一\1")
# An object left in the customer's earlier words (…测速能不能晚上来测, 附加业务应该默认关掉, 流量要是能结转到下个月):
# a verb that needs an object ends the item (the last word, 来测/随加 read as 测/加), something is moved with
# nothing named (结转到下个月, 直接推到邮箱), or the object is a word that says nothing of what (提供清单, 一起想办法).
_NEEDS_OBJECT = frozenset("测 加 办 修 装 查 改 关掉 关闭 开好 开通 通知 回复 告知 显示 提供 推送 发送 结转 处理 共享 分享 共用 转让"
                          .split())
_MOVED = re.compile(r"^(至少|提前|及时|主动|自动|直接|每个?月)*(结转|转移|转|推送|推|发送|发|寄|送|挪)(?=到|至)")
_GENERIC_OBJECT = re.compile(r"^(一起|及时|主动)?(提供|想|设|有|留)(一?个|一份|统一的|专门的)?"
                             r"(记录|清单|明细|地方|东西|办法|人|渠道|方式|入口|说法)$")
# told with nothing said of what it is about: 告知原因, 及时告知进度 (希望故障处理完了能告诉我们原因 composed without its 故障)
_BARE_TOLD = re.compile(r"^(及时|主动|如实|提前|第一时间)?(告知|说明|解释|通知|反馈)(客户|用户)?(原因|理由|结果|进度|情况)$")
# 提供 followed by a clause (提供人从头跟到尾, 提供地方一报就有人管): what is provided is no service named
_PROVIDE_CLAUSE = re.compile(r"提供(一?个)?[\u4e00-\u9fff]{1,3}?(一[\u4e00-\u9fff]就|就|从头|负责)")
_FRAGMENT = re.compile(r"^像|(的时候|时候|一样|那样|才对|的问题|的)$")
# 相关 straight before its noun with no 与/和 … before it: 处理营业厅工作人员相关诉求 (与营业厅工作人员相关的诉求) lost its words
_BARE_RELATED = re.compile(r"^(?!.*[与和跟同涉][\u4e00-\u9fff]{1,12}相关).*[\u4e00-\u9fff]相关(?!的)(?=[\u4e00-\u9fff])")
_SUBJECT_WORD = {"该营业厅": re.compile(r"(?<!手机)(?<!网上)营业厅"), "该运营商": re.compile(r"运营商"),
                 "该公司": re.compile(r"公司")}
_NOUN_FIRST = ("n", "nz", "ng", "s", "r", "t")
# Nouns that name nothing a respondent rates: a time or measure (…的时候, 两小时), a manner (人性化).
_NO_OBJECT_NOUNS = frozenset("时候 小时 分钟 人性化 样子 方面 程度 地步".split())
# nouns the tagger reads as another part of speech (进度/d in 及时告知维修进度)
_MISTAGGED_NOUNS = frozenset("进度".split())
_BANK_COLUMNS = ["item_id", "servqual", "demand", "issue", "e_text", "p_text", "keywords"]


def load_item_bank(path: str | Path | None = None) -> pd.DataFrame:
    """The written item bank: item_id, servqual, demand, issue, e_text, p_text, keywords, object, need, classic.

    ``object`` (optional: empty when a bank has no such column) is the place or thing the item names
    and the synonyms that name it too, ``|``-separated (电梯|电梯间|轿厢): evidence for the item must
    name one of them (:mod:`voiceofcustomer.items.evidence`); empty for an item about the service at large.
    ``need`` (optional, likewise) is the quality the item asks of that thing, ``|``-separated words one of which
    evidence must name too (IB080 客服热线容易打通: 打通|打不通|占线|没人接 …; 打10000号也没人解决 names none;
    IB010 外观整洁的自助服务终端: 外观|整洁|脏|旧 …; 自助机老是坏的 names none)."""
    path = Path(path) if path else corpus_path("item_bank.csv")
    bank = pd.read_csv(path, dtype=str).fillna("")
    missing = [c for c in _BANK_COLUMNS if c not in bank.columns]
    if missing:
        raise ColumnError(f"{path}: item bank lacks columns: {', '.join(missing)}")
    for col in ("object", "need"):
        if col not in bank.columns:
            bank[col] = ""
    for col in ("keywords", "object", "need"):
        bank[col] = bank[col].map(lambda s: [k for k in s.split("|") if k])
    return bank


@dataclass(frozen=True)
class ItemCheck:
    """A quality check an item fails: ``code``, stable, for a script or a test to key on (the items sheet's
    ``check_codes``), and ``message``, what a questionnaire designer reads in ``checks`` and on the review
    app's card: the check's Chinese name, the words at fault quoted and how to fix it."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


#: Every quality check of :func:`check_item`, in the order it runs them: code → (Chinese name, what it flags
#: and how to fix it). The items workbook's readme sheet and docs/items.md list them from here.
CHECKS = {
    "double_barrelled": ("一题两问", "和、及、并且、与、顿号等把两件事连在一起；请拆成两题，每题只问一件事"),
    "negative": ("否定表述", "含不、没、未、无、差、慢、难等否定或负面字眼；请改为正面说法（如 不用排队 → 排队等候时间短）"),
    "too_long": ("表述过长", f"期望（E）或感知（P）表述超过 {MAX_ITEM_CHARS} 个字；请删去修饰语，压缩到 {MAX_ITEM_CHARS} 字以内"),
    "jargon": ("行业术语", "含受访者未必懂的内部用语（工单、室分、报障、SLA …）；请换成日常说法"),
    "symbol": ("含标点或符号", "题目里有标点、@、~ 等符号（多为真实帖子里截来的残句）；请只写一句关于服务的陈述"),
    "abusive": ("粗俗用语", "含骂人或粗俗的词；请改用中性的书面表述"),
    "change": ("写的是改法", "说的是要改成什么（换成、改到、合并、延长到、降下来、提一提 …），不是可评价的服务属性；请写服务应有的状态"),
    "request_now": ("写的是一次性要求", "尽快、马上、赶紧 … 是要运营商对这一次的事立刻行动，不是可评价的服务属性；"
                                         "请写服务应有的状态（如 尽快修好 → 在承诺时间内修复故障）"),
    "subject_twice": ("主语重复", "该运营商／该营业厅之后又出现运营商／营业厅；请删去重复的主语"),
    "deixis": ("指代前文", "这么、那样、这些 … 指向座谈中的前文，受访者看不到；请写明所指的内容"),
    "no_comparison": ("比较对象不明", "更多、更好、更快、更加方便 … 是比较，却没有说和什么比（比以前、比其他运营商、与…相比），"
                                       "受访者无从评价；请写明比较对象，或写服务应有的状态（如 更多的套餐选择 → 多种套餐供客户选择）"),
    "spoken": ("口语表述", "啥、搞、派个、修个、多几个、简单点、看看、提一提 … 是口语；请改为书面语"),
    "fragment": ("不成句", "只是半句话（…的时候、像…那样、…相关诉求）或只有名词，没有说服务怎样；请补全为完整陈述"),
    "question": ("问句", "含谁、什么、怎么、多少 … 是问句；请改为受访者可以表示同意与否的陈述句"),
    "customer_action": ("主语不当", "充值、预约、办 … 是客户自己的动作；请写成 该运营商支持客户… 或写明该运营商做什么"),
    "object_left_out": ("缺少宾语", "通知、回复、关掉、结转、共享 … 没有说对象（对象在客户前面的话里）；请写明（如 提前三天通知计划内的维护）"),
    "clause_after_provide": ("提供的不是服务", "提供 后面是半句话；请写明提供的服务（如 提供专人全程跟进）"),
    "no_object": ("未写明评价对象", "没有说评价的是哪项服务或事物；请写明（如 该运营商的收费标准公开透明）"),
    "no_quality": ("未写明服务标准", "只陈述了一件事（如 讲广州话），没有说服务应达到的品质或标准（稳定、及时、按约定、为客户、提供 …），"
                                     "受访者无从评价期望与感知；请写明服务怎样才算好（如 该营业厅的员工能用广州话接待客户）"),
}


def _fail(code: str, detail: str) -> ItemCheck:
    """The check ``code`` failed: its Chinese name, then ``detail`` (the words at fault quoted, how to fix it)."""
    return ItemCheck(code, f"{CHECKS[code][0]}：{detail}")


def checks_text(checks: list) -> str:
    """The ``checks`` cell of an item: ``ok`` when it passes every check, else the messages, one after another."""
    return "；".join(map(str, checks)) if checks else "ok"


def check_codes_text(checks: list) -> str:
    """The ``check_codes`` cell of an item: the codes of the checks it fails (empty when it passes), ``, ``-joined."""
    return ", ".join(getattr(c, "code", "") for c in checks)


#: What a check's mechanical rewrite deletes (:func:`suggest_wording`): the request words of ``request_now``, and
#: ``spoken``'s measure words — 个 after a verb (修个坡道, 派个人: not 整个, 一个), a vague count (多摆几张桌子) and 点
#: after an adjective (简单点, 多给点). The other spoken words (啥, 搞, 看看 …) have no one written form.
_REWRITES = {
    "request_now": _REQUEST_NOW,
    "spoken": re.compile(r"(?<=[派设发开做打给找建修砌配装放挂摆招加])个|几[个张台把位名条家间部]|"
                         r"(?<=[单早晚多少便大小给心])点(?![评击赞数])"),
}


#: Checks a rewrite may not leave: they say the wording is no statement a respondent rates (what is rated, or how it
#: should be, is missing, or half of the sentence), which deleting a word never mends — 该运营商尽快修好 → 该运营商修好
#: still names nothing that is mended (未写明评价对象); only the designer can write it in.
NO_STATEMENT_CHECKS = frozenset(("no_object", "no_quality", "object_left_out", "fragment", "clause_after_provide"))


def no_item_as_worded(items: pd.DataFrame) -> pd.Series:
    """Per candidate: a composed wording that is no statement a respondent rates as it stands (a check of
    ``NO_STATEMENT_CHECKS`` fails: 该运营商合成一张 names nothing that is combined, 该运营商讲广州话 no standard), which
    no mechanical rewrite mends. Such items are ranked after every other candidate (:func:`candidate_items`):
    kept with their evidence, since the need behind them is one the bank lacks and the designer may write the
    item, but no longer among the items usable as worded. Bank items (the designer's own wording) never are."""
    if not len(items) or not {"source", "check_codes"} <= set(items.columns):  # a table of the contract columns only
        return pd.Series(False, index=items.index, dtype=bool)
    codes = items["check_codes"].fillna("").astype(str).str.split(", ")
    return (items["source"] == "composed") & codes.map(lambda cs: bool(set(cs) & NO_STATEMENT_CHECKS))


def suggest_wording(e_text: str, p_text: str, checks: list | None = None) -> tuple[str, str]:
    """A rewrite of an item that fails a check with a mechanical fix, for the designer to take or leave: the
    ``suggestion`` and ``suggestion_note`` cells (the item's own wording is never changed).

    ``suggestion`` is the rewritten wording as ``edited_text`` takes it (``E: …`` and ``P: …`` on two lines, to
    paste with decision ``edit``), empty when there is none; the note says in Chinese what was deleted and which
    checks are still the designer's (该运营商马上把网修好 → 该运营商把网修好, 删去“马上”; 该营业厅多摆几张桌子 → 该营业厅多摆桌子),
    or, with no safe rewrite, which checks failed (无法自动改写：一题两问 … — splitting 和/及 is the designer's: which
    half is the item is a choice). Both are empty for an item that passes every check. A rewrite that would fail
    a check the item passed, or that is still no statement a respondent rates (``NO_STATEMENT_CHECKS``: 该运营商尽快修好 →
    该运营商修好 names nothing mended), is not offered; a check the designer trims (一题两问, 表述过长 …) may be left,
    and the note names it."""
    checks = check_item(e_text, p_text) if checks is None else checks
    if not checks:
        return "", ""
    codes = [c.code for c in checks]

    def names(cs) -> str:  # the checks' Chinese names (edit_refused, the review app's own, by its code)
        return "、".join(dict.fromkeys(CHECKS[c][0] if c in CHECKS else c for c in cs))

    subject = _SUBJECT_P.match(p_text)
    body = p_text[subject.end():] if subject else p_text
    new_body, deleted = body, []
    for code in codes:
        if code in _REWRITES:
            deleted += [m.group() for m in _REWRITES[code].finditer(new_body)]
            new_body = _REWRITES[code].sub("", new_body)
    if not deleted or not new_body or new_body == body:
        return "", f"无法自动改写：{names(codes)}，请按检查说明人工修改"
    new_p = p_text[:subject.end()] + new_body if subject else new_body
    wish = e_text.startswith("您期望")
    new_e = expectation_text(new_p, "wish" if wish else "servqual") or ""
    left = check_item(new_e, new_p) if new_e else None
    if (left is None or not {c.code for c in left} <= set(codes) or {c.code for c in left} & set(_REWRITES) & set(codes)
            or {c.code for c in left} & NO_STATEMENT_CHECKS):
        return "", f"无法自动改写：{names(codes)}，请按检查说明人工修改"
    what = "、".join(f"“{w}”" for w in dict.fromkeys(deleted))
    note = f"已删去{what}（{names(c for c in codes if c in _REWRITES)}）"
    if left:
        note += f"；仍需人工修改：{names(c.code for c in left)}"
    return f"E: {new_e}\nP: {new_p}", note


def _two_ideas(body: str) -> tuple[str, str, str] | None:
    """The conjunction that joins two ideas in ``body`` and the words before and after it (``None``: one idea;
    the 的 after the subject left out: 该营业厅的员工礼貌和专业 → 员工礼貌, 和, 专业); 与 in a comparison with a
    standard (与实际相符) joins none."""
    compared = [m.span() for m in _COMPARISON.finditer(body)]
    for m in _CONJUNCTIONS.finditer(body):
        if not any(a <= m.start() < b for a, b in compared):
            return body[:m.start()].removeprefix("的"), m.group(), body[m.end():]
    return None


def check_item(e_text: str, p_text: str) -> list[ItemCheck]:
    """The quality checks an item fails (empty list: all passed), each with its code and Chinese message."""
    failed = []
    body = _SUBJECT_P.sub("", p_text)
    two = _two_ideas(body)
    if two:
        left, conj, right = two
        failed.append(_fail("double_barrelled", f"“{left}”{conj}“{right}”是两件事，请拆成两题，每题只问一件事"))
    m = _NEGATIONS.search(_NEGATION_OK.sub("", body))
    if m:
        failed.append(_fail("negative", f"“{body}”里有否定字眼“{m.group()}”，请改为正面说法（如 不用排队 → 排队等候时间短）"))
    long = [(form, text) for form, text in (("期望（E）", e_text), ("感知（P）", p_text)) if len(text) > MAX_ITEM_CHARS]
    if long:
        said = "，".join(f"{form}“{text}”有 {len(text)} 个字" for form, text in long)
        failed.append(_fail("too_long", f"{said}，超过 {MAX_ITEM_CHARS} 个字，请删去修饰语，压缩到 {MAX_ITEM_CHARS} 字以内"))
    jargon = [j for j in _JARGON if j.lower() in (e_text + p_text).lower()]
    if jargon:
        quoted = "、".join(f"“{j}”" for j in jargon)
        failed.append(_fail("jargon", f"{quoted}是内部用语，受访者未必懂，请换成日常说法"))
    failed += _wording_problems(p_text, body)
    return failed


#: What an item never holds (no bank item does): punctuation, @, #, ~, … — left in a composed item by a
#: real post's clause it was cut from (尽快升级光猫.昨天…, 修好~ 北京·海淀...: examples written for this comment).
_SYMBOL = re.compile(r"[^\w\u3400-\u9fff%％]+")


def _wording_problems(p_text: str, body: str) -> list[str]:
    """What makes a perception no statement of a service attribute: a change to make, the
    subject said twice, a pointer into the conversation, spoken words, or a fragment (a clause
    without its statement, a noun with nothing said of it)."""
    out = []
    m = _SYMBOL.search(body)
    if m:
        out.append(_fail("symbol", f"“{m.group()}”，题目只写一句关于服务的陈述，请删去符号及其后的残句"))
    m = ABUSE.search(body)
    if m:
        out.append(_fail("abusive", f"“{m.group()}”，请改用中性的书面表述"))
    m = _CHANGE.search(body)
    if m:
        out.append(_fail("change", f"“{m.group()}”说的是要改成什么，不是可评价的服务属性，请写服务应有的状态"
                                   "（如 换成多给点通话时长 → 套餐的通话时长充足）"))
    m = _REQUEST_NOW.search(body)
    if m:
        out.append(_fail("request_now", f"“{m.group()}”是要求对这一次的事立刻行动，不是受访者能评价的服务属性，"
                                        "请写服务应有的状态（如 尽快修好 → 在承诺时间内修复故障）"))
    subject = _SUBJECT_P.match(p_text)
    if subject and _SUBJECT_WORD[subject.group()].search(body):
        out.append(_fail("subject_twice", f"“{subject.group()}…{subject.group(1)}”，请删去重复的主语或改写"))
    m = _DEIXIS.search(body)
    if m:
        out.append(_fail("deixis", f"“{m.group()}”指向座谈中的前文，受访者看不到，请写明所指的内容"))
    compared = _comparative(body)
    if compared:
        out.append(_fail("no_comparison", f"“{compared}”是比较，却没有说和什么比，受访者无从评价，请写明比较对象（比以前、"
                                          "比其他运营商 …）或写服务应有的状态（如 更多的套餐选择 → 多种套餐供客户选择）"))
    m = _COLLOQUIAL.search(body)
    if m:
        before = {"个": 1, "点": 2}.get(m.group(), 0) + m.group().startswith("几")  # 派个, 简单点, 多几张
        out.append(_fail("spoken", f"“{body[max(m.start() - before, 0):m.end()]}”是口语，请改为书面语"
                                   "（如 派个懂行的来 → 安排专业人员上门）"))
    related = _bare_related(body)
    if body and (_FRAGMENT.search(body) or _noun_first(body)):
        out.append(_fail("fragment", f"“{body}”只是半句话，没有说服务怎样，请补全为完整陈述"))
    elif related:
        out.append(_fail("fragment", f"“{related}”缺了词（应为 与…相关的…），请写明是哪方面的事"))
    m = QUESTION.search(body)
    if m:
        out.append(_fail("question", f"“{m.group()}”是问句，请改为受访者可以表示同意与否的陈述句"))
    verb = customer_action(body, either_doer=False)
    if subject and verb:
        out.append(_fail("customer_action", f"“{verb}”是客户自己的动作，不是{subject.group()}做的事，"
                                            f"请写成 {subject.group()}支持客户… 或写明{subject.group()}做什么"))
    left_out = _object_left_out(body)
    if left_out:
        out.append(_fail("object_left_out", f"“{body}”没有说{left_out}（对象在客户前面的话里），请写明"))
    m = _PROVIDE_CLAUSE.search(body)
    if m:
        out.append(_fail("clause_after_provide", f"提供 后面是半句话“{body[m.start() + 2:]}”，请写明提供的服务"
                                                 "（如 提供专人全程跟进）"))
    if body and not _names_object(body):
        out.append(_fail("no_object", f"“{body}”没有说评价的是哪项服务或事物，请写明（如 该运营商的收费标准公开透明）"))
    elif body and not _names_quality(body):
        out.append(_fail("no_quality", f"“{body}”只陈述了一件事，没有说服务应达到的品质或标准，受访者无从评价，"
                                       "请写明服务怎样才算好（如 该营业厅的员工能用广州话接待客户）"))
    return out


# A comparative (更多, 更好, 更快, 更加方便, 更为便捷) says more than something: without what it is compared to (比以前, 比其他
# 运营商, 与…相比, 高于, 同行 …) a respondent has no anchor to rate 该运营商给客户更多的套餐选择 on the 7-point scale. 更 in a
# word that is no comparative (更新, 更换, 更改, 更正, 更名, 变更, 更衣室, 三更半夜) is none.
_MORE = re.compile(r"(?<![变打三五])更(?:加|为)?(?![新换改正名替衣迭生是])[\u4e00-\u9fff]")
_COMPARED_TO = re.compile(r"比(?![例较如方赛特对])|相比|相较|较之|对比|[高低多少优好快慢强大小早晚]于|胜过|超过|不亚于|不输|"
                          r"同行|以往|以前|过去|往年|上一?年|其他运营商|其他公司|别家|同类")


def _comparative(body: str) -> str | None:
    """The comparative of ``body`` that compares with nothing (``"更多"`` in 给客户更多的套餐选择, ``"更加方便"``: 更 and
    the word after it), ``None`` when it has none or names what it compares with (比同行更低, 与以前相比更快)."""
    m = _MORE.search(body)
    if m is None or _COMPARED_TO.search(body):
        return None
    from voiceofcustomer.text.segment import Segmenter

    at, end = 0, m.end()
    for word in Segmenter()(body):  # to the end of the word the compared quality begins (更加方 → 更加方便)
        at += len(word)
        if at >= m.end():
            end = at
            break
    return body[m.start():end]


# What a SERVQUAL statement holds besides its object: the quality or standard the service should meet, which a
# respondent rates twice (how it should be, how it is). A word of quality or manner (稳定, 整洁, 一目了然, 主动, 按时:
# adjectives, adverbs but the bare function ones, idioms, state words); a standard (按约定, 根据…, 在…内/前/后, 与实际相符,
# 第一次, 承诺, 时限, 默认); the customer it is done for (为客户, 让客户, 帮客户, 对客户 …, 老年人, 企业); the staff whose conduct
# is rated (该营业厅的员工…); a service provided, told or assured (提供, 告知, 显示, 开具, 配备, 设置, 张贴, 保证, 保持, 兑现, 派, 修 …); or a quality
# word the tagger misreads (严格管理/nr, 专业/n).
# 该运营商讲广州话, 该运营商卖手机 and 该营业厅开在商场里 state a fact and hold none.
_QUALITY_TAGS = frozenset("a ad an ag d vd i l z b".split())
_FUNCTION_ADVERBS = frozenset("都 也 就 才 还 只 又 再 已 已经 曾 曾经 正在 便 却 一直".split())
_STANDARD = re.compile(r"客户|用户|老人|老年|学生|企业|他人|按|根据|默认|依照|依据|与.{1,10}?(相符|一致|相同)|第?一次|承诺|约定|"
                       r"时限|期限|在.{0,12}?(内|前|后|时|期间)|(小时|分钟|天|日|周)内|^(为|让|帮|向|给|替|对)|^的?(员工|人员|营业员|客服|师傅|"
                       r"上门人员|上门师傅|技术人员|维修人员|客户经理|工作人员)")
_PROVIDED = re.compile(r"提供|告知|显示|开具|通知|提醒|说明|解释|公开|配备|配置|设置|设有|设立|开设|增设|增加|增开|安排|张贴|公布|公示|摆放|摆|拥有|具备|推出|派|"
                       r"修|建|装|支持|保证|保持|保障|保护|兑现|营造|改进|"
                       # acts on the customer's account or request (结转剩余流量, 默认关闭附加业务, 恢复通话, 回复咨询)
                       r"结转|关闭|恢复|开通|退还|返还|赠送|减免|退订|办结|完成|处理|回复|答复|响应|接通|送达|"
                       # a measure made better (把等候时间缩短, 加快办理速度)
                       r"缩短|加快|简化|改善|提升|提高|降低|减少|"
                       # quality words the tagger reads as a name or a noun (严格管理/nr, 专业/n, 文明/nr)
                       r"严格|规范|专业|专门|专属|专人|统一|准确|清楚|清晰|透明|合理|实惠|便捷|方便|迅速|快速|及时|耐心|热情|"
                       r"礼貌|文明|整洁|干净|安全|稳定|可靠|充足|畅通|真实|如实")


def _names_quality(body: str) -> bool:
    """Whether a perception says how the service should be (a quality, a standard, for whom, a service provided:
    ``_QUALITY_TAGS``, ``_STANDARD``, ``_PROVIDED``), not only a fact (该运营商讲广州话: a verb and its noun)."""
    if _STANDARD.search(body) or _PROVIDED.search(body):
        return True
    from voiceofcustomer.text.segment import Segmenter

    return any(pos in _QUALITY_TAGS and word not in _FUNCTION_ADVERBS for word, pos in Segmenter().tag(body))


def _bare_related(body: str) -> str | None:
    """The words round a 相关 that lost its 与 and 的 (处理营业厅工作人员相关诉求 → ``"营业厅工作人员相关诉求"``: the
    nouns before it and the word after it); ``None`` when 相关 is none such (与账单相关的诉求, 提供相关的资料)."""
    if not _BARE_RELATED.search(body):
        return None
    from voiceofcustomer.text.segment import Segmenter

    tags = Segmenter().tag(body)
    at = next((i for i, (w, _) in enumerate(tags) if w == "相关"), None)
    if at is None:
        return None
    start = at
    while start > 0 and tags[start - 1][1].startswith("n"):
        start -= 1
    return "".join(w for w, _ in tags[start:at + 2])


def _names_object(body: str) -> bool:
    """Whether a perception names what is rated: a noun (账单, 宽带, 员工, 厅内's 内) or a verbal noun
    (服务, 管理) other than a time or manner word (``_NO_OBJECT_NOUNS``), or a place or thing the item bank
    names (its ``object`` column: 电话 in 打得通电话, which the tagger reads as one idiom). 该运营商公开透明,
    该运营商一视同仁 and 该运营商更加人性化 say how, of nothing: the object (收费标准, 老客户和新客户) was in the
    customer's words."""
    from voiceofcustomer.text.segment import Segmenter

    if any(w in body for w in _bank_objects()) or any(w in body for w in _MISTAGGED_NOUNS):
        return True
    return any((pos.startswith("n") or pos == "vn") and word not in _NO_OBJECT_NOUNS
               for word, pos in Segmenter().tag(body))


@functools.cache
def _bank_objects() -> frozenset[str]:
    """The places and things the shipped item bank's items name, and their synonyms (two characters or more)."""
    return frozenset(w for words in load_item_bank()["object"] for w in words if len(w) >= 2)


def _object_left_out(body: str) -> str | None:
    """What the item does not say (``"通知什么"``) when it acts on something it does not name: its last word
    is a verb that needs an object (至少提前三天通知, 晚上来测, 默认关掉), it moves something unnamed
    (结转到下个月), or its object says nothing of what (提供清单: ``"是什么的清单"``; 告知原因: ``"是什么的原因"``);
    ``None`` otherwise."""
    m = _GENERIC_OBJECT.match(body)
    if m:
        return f"是什么的{m.group(4)}"
    m = _BARE_TOLD.match(body)
    if m:
        return f"是什么的{m.group(4)}"
    m = _MOVED.match(body)
    if m:
        return f"{m.group(2)}什么"
    if not body:
        return None
    from voiceofcustomer.text.segment import Segmenter

    words = Segmenter()(body)
    last = re.sub(r"^[来随去]", "", words[-1]) if words else ""
    return f"{last}什么" if last in _NEEDS_OBJECT else None


def _noun_first(body: str) -> bool:
    """Whether ``body`` opens on a noun, time or place with no verb after it (收银和外卖平台,
    田里、山里…, 每个月出账…); a topic before 的 or 内 (的员工…, 内干净整洁, 员工的言行…) and a noun
    before what is said of it (环境整洁, 用心对待) are not."""
    if body[0] in "的内":
        return False
    from voiceofcustomer.text.segment import Segmenter

    tags = Segmenter().tag(body)
    if not tags or tags[0][1] not in _NOUN_FIRST:
        return False
    return len(tags) < 2 or not (tags[1][0] == "的" or tags[1][1].startswith(("v", "a", "d")))


def _bigrams(text: str) -> set[str]:
    text = _SUBJECT_P.sub("", text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _similar(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y)


@dataclass
class ItemCandidates:
    """Result of :func:`candidate_items`: ``items`` (ranked; contract columns first),
    ``coverage`` (dimension × demand area) and the statements each item rests on."""

    items: pd.DataFrame
    coverage: pd.DataFrame
    assignments: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_statements: int = 0


def _usable(df: pd.DataFrame) -> pd.DataFrame:
    needed = ["statement_id", "text", "servqual", "demand", "issue", "stance"]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ColumnError(f"the statements lack the column(s) {', '.join(missing)}; label them first with voc.tag(df)",
                          params=("voc.tag()",))
    use = df[df["servqual"].isin(SERVQUAL_DIMENSIONS)]
    return counted(use)  # counted_mask leaves out rows with no text too


def _who(df: pd.DataFrame) -> pd.Series:
    if "ticket_id" in df.columns:
        tid = df["ticket_id"].fillna("")
    else:
        tid = pd.Series("", index=df.index)
    speaker = df.get("session", pd.Series("", index=df.index)).fillna("").astype(str) + "/" + \
        df.get("speaker", pd.Series("", index=df.index)).fillna("").astype(str)
    return tid.where(tid != "", speaker)


def quote_source(df: pd.DataFrame) -> pd.Series:
    """Who said each statement, as its evidence quote names them: a focus group's speaker with the header's
    attributes and the session, with its title when it has one as the report names it
    (``张女士（退休教师，62岁） · fg1（武汉公众用户座谈会）``; ``· fg1`` without one), a split ticket's ticket id
    (``工单 GD001``: its statement id names the export's row, not the ticket), a survey's answer its answer number
    (``答卷 17``; :func:`~voiceofcustomer.statements.record_label`); ``""`` when the statement id already says all
    there is (a ticket export tagged directly, whose id is the ticket's; a survey's answer without an answer
    number, whose ``ticket_id`` is its row)."""
    def col(c):
        return df[c].fillna("").astype(str).str.strip() if c in df.columns else pd.Series("", index=df.index)

    speaker, ticket = speaker_label(df), col(TICKET_ID)
    session = pd.Series([session_shown(s, t) for s, t in zip(col(SESSION), col(SESSION_TITLE))], index=df.index,
                        dtype=object)
    said = speaker.where(session == "", speaker + " · " + session).where(speaker != "", "")
    return said.where(speaker != "", record_label(df).where(ticket != col(STATEMENT_ID), ""))


def _evidence(rows: pd.DataFrame, k: int = 3) -> str:
    """The ``k`` best quotes: highest support score first, one per speaker while others remain; each says who said
    it after the words (``fg1-t0003-s01: 宽带装了一个星期 ——张女士（退休教师） · fg1（武汉公众用户座谈会）``,
    :func:`quote_source`)."""
    rows = rows.assign(_score=rows.get("support_score", pd.Series(1.0, index=rows.index)).astype(float),
                       _pri=rows["stance"].map({"complaint": 0, "suggestion": 1, "praise": 2}).fillna(3),
                       _who=rows["_who"] if "_who" in rows.columns else _who(rows))
    rows = rows.sort_values(["_score", "_pri"], ascending=[False, True], kind="stable")
    first = rows.drop_duplicates("_who")
    picked = pd.concat([first, rows.drop(first.index)]).head(k)
    said = quote_source(picked)
    return " | ".join(f"{sid}: {text}" + (f" ——{who}" if who else "")
                      for sid, text, who in zip(picked["statement_id"], picked["text"], said))


def _strength(n: int, speakers: int, against: int, best: float, strong_score: float) -> str:
    """strong: at least two supporting statements from two speakers, more support than
    contradiction, and one clear match; anything less is weak (worth a second look)."""
    return "strong" if n >= 2 and speakers >= 2 and against < n and best >= strong_score else "weak"


_COMPOSE = {
    # dimension: (perception template, expectation template); {p} is a theme key phrase
    "tangibles": ("该营业厅的{p}整洁舒适", "优秀的营业厅应当有整洁舒适的{p}"),
    "reliability": ("该运营商的{p}稳定可靠", "优秀的电信运营商应当提供稳定可靠的{p}"),
    "responsiveness": ("该运营商能迅速处理{p}相关诉求", "优秀的电信运营商应当迅速处理{p}相关诉求"),
    "assurance": ("该运营商在{p}方面值得信赖", "优秀的电信运营商应当在{p}方面值得信赖"),
    "empathy": ("该运营商在{p}方面体贴客户", "优秀的电信运营商应当在{p}方面体贴客户"),
}


def _compose(theme_label: str, servqual: str) -> tuple[str, str] | None:
    """Expectation and perception wording from a theme's first usable key phrase
    (2–8 characters, no negative word, naming an attribute of the service: not 尽快 or 处理,
    :func:`~voiceofcustomer.items.compose.names_attribute`); ``None`` when the theme has none."""
    phrases = [p.strip() for p in re.split(r"[·|,，/]", theme_label or "") if p.strip()]
    phrase = next((p for p in phrases if 2 <= len(p) <= 8 and not _NEGATIONS.search(p)
                   and not _CONJUNCTIONS.search(p) and names_attribute(p)), None)
    if phrase is None or servqual not in _COMPOSE:
        return None
    p_tpl, e_tpl = _COMPOSE[servqual]
    return e_tpl.format(p=phrase), p_tpl.format(p=phrase)


# Words of a need phrase that name no concept (a phrase made only of these and bank words is covered).
_FILLER = frozenset("几个 一些 一点 一下 多开 多 能 可以 更 及时 主动 一次 客户 在 提供 支持 帮助 时候 问题".split())


def _stock_phrase(rows: pd.DataFrame) -> bool:
    """Whether a need group is a stock phrase rather than a need: at least 3 statements
    about at least 3 different issues, none of which holds half of them.

    A need is about something (等候时间, 电子发票), so the statements that voice it share
    an issue; a closing formula appended to every ticket ("…，希望尽快提高服务质量") is said
    about signal, billing, queues and staff alike. Its statements keep their bank matches.
    """
    issues = rows["issue"].fillna("").astype(str)
    return len(rows) >= 3 and issues.nunique() >= 3 and issues.value_counts().iloc[0] * 2 < len(rows)


def _composed_from_needs(use: pd.DataFrame, bank: pd.DataFrame, scorer, *, has_topics: bool, min_support: int,
                         e_style: str) -> list[dict]:
    """Composed candidates (``NEW-N…``) for needs no bank item covers; their statements
    move from any weakly matched bank item to the composed one (``use`` is updated).

    Not a need, so no item: a phrase that names no attribute of the service (尽快处理:
    :func:`~voiceofcustomer.items.compose.names_attribute`, applied by ``need_phrase``) and a
    stock phrase shared by statements about unrelated issues (:func:`_stock_phrase`)."""
    vocab: set[str] = set()
    seg = scorer.segmenter_ if scorer is not None else None
    if seg is None:
        from voiceofcustomer.text.segment import Segmenter

        seg = Segmenter()
    for item in bank.itertuples():
        vocab.update(item.keywords)
        vocab.update(seg(_SUBJECT_P.sub("", str(item.p_text))))
    phrases = {}
    for idx, r in use[use["stance"].isin(["complaint", "suggestion"])].iterrows():
        phrase = need_phrase(r["text"])
        if phrase is None:
            continue
        # a question word (什么时候, 怎么) names nothing the bank lacks
        novel = [t for t in seg(phrase) if len(t) >= 2 and t not in vocab and t not in _FILLER
                 and not QUESTION.search(t)]
        if r["item_id"] and not novel:
            continue  # a bank item already covers what this statement asks for
        if not r["item_id"] and not novel and any(_similar(phrase, p) >= 0.5 for p in bank["p_text"]):
            continue
        phrases[idx] = phrase
    out = []
    for k, (name, idxs) in enumerate(cluster_needs(phrases), 1):
        rows = use.loc[idxs]
        if len(idxs) < min_support or _stock_phrase(rows):
            continue
        e_text, p_text = compose_item(name, rows["text"].astype(str).tolist(), e_style=e_style)
        item_id = f"NEW-N{k:03d}"
        theme = _theme_of(rows) if has_topics else ""
        use.loc[idxs, "item_id"] = item_id
        use.loc[idxs, "support_score"] = use.loc[idxs, "support_score"].clip(lower=2.0)
        out.append({"item_id": item_id, "servqual": rows["servqual"].mode().iloc[0],
                    "demand": rows["demand"].mode().iloc[0], "issue": rows["issue"].mode().iloc[0],
                    "e_text": e_text, "p_text": p_text, "theme": theme or name, "source": "composed",
                    "_ids": list(idxs)})
    return out


def _theme_of(rows: pd.DataFrame) -> str:
    """The most frequent theme label of ``rows`` (outliers left out), ``""`` if none."""
    top = rows.loc[rows["topic"].astype(int) >= 0, "topic_label"]
    return top.mode().iloc[0] if len(top) else ""


@dataclass
class BankMatch:
    """Which bank item each statement supports (:func:`match_bank`).

    Attributes:
        item_id: per statement, the bank item it supports best (``""``: none).
        support_score: per statement, that match's support score (0 without a match).
        against: ``{item_id: statements contradicting it}``.
        scorer: the fitted :class:`SupportScorer` (``None`` for an empty bank).
    """

    item_id: np.ndarray
    support_score: np.ndarray
    against: dict[str, int]
    scorer: SupportScorer | None = None


#: How far (one specific keyword) the best item may lead an item of its subject whose place the statement names, and
#: whose dimension the statement is labelled with, for the place to decide (:func:`_place_decides`).
PLACE_MARGIN = 0.5


def match_bank(use: pd.DataFrame, bank: pd.DataFrame, *, support_threshold: float = 1.5) -> BankMatch:
    """Match statements to the bank items they support.

    Each statement supports the bank item it matches best, counting only matches that
    express the item's need with the right polarity (:mod:`voiceofcustomer.items.evidence`);
    contradicting statements are counted per item as ``against``.
    """
    if not len(bank):
        return BankMatch(item_id=np.full(len(use), "", dtype=object), support_score=np.zeros(len(use)), against={})
    scorer = SupportScorer(threshold=support_threshold).fit(bank)
    sc, dr, named = scorer.score_table(use, places=True)
    ok = np.where((dr > 0) & (sc >= support_threshold), sc, 0.0)
    best = _place_decides(use, scorer, ok, named, ok.argmax(axis=1))
    has = ok.max(axis=1) > 0
    against = ((dr < 0) & (sc >= min(support_threshold, 1.0))).sum(axis=0)
    return BankMatch(item_id=np.where(has, bank["item_id"].to_numpy()[best], ""),
                     support_score=ok[np.arange(len(best)), best],
                     against=dict(zip(bank["item_id"], against.tolist())), scorer=scorer)


def _place_decides(use: pd.DataFrame, scorer: SupportScorer, ok: np.ndarray, named: np.ndarray,
                   best: np.ndarray) -> np.ndarray:
    """The item each statement supports once the place or thing it names (an item's ``object``) has had its say.

    The words of a statement add up, and an item's keywords mix words of its subject with words of its need:
    村里就一个基站，信号时有时无 scored 2.5 for IB093 迅速处理客户反映的信号问题 (信号 and 基站, two words of one
    subject, and the signal label) against 2.0 for IB199 让客户在户外各处都能收到手机信号 (信号 and both labels),
    whose place 村里 it names: above the floor a named place counts nothing, the dimension label only 0.5. So
    between two items of one subject (the same issue) the named place decides

    - when they score the same (卧室里手机信号差: 室内 over 兑现改善信号覆盖的承诺, 2.0 each), or
    - when the statement is labelled with the dimension of the item whose place it names and not with the best's,
      and the best leads by no more than one keyword (``PLACE_MARGIN``: IB199 over IB093 above);

    and only when the place tells them apart: not when a hit of the best item names it (装机人员上门… hits 装机 for
    三个工作日内装好新宽带 as much as for 线上快速预约装机, whose object it is). Until 7 Dec 2026 a named place broke
    any tie, between items of any subject: 宽带拆机后仍收月租 went from 退还多收的费用 to 办结销号手续 (拆机),
    装机人员上门后… to 线上快速预约装机, 像快递那样推送维修进度 to 按时送达网上购买的手机 (快递)."""
    rows = np.flatnonzero(((ok > 0) & named).any(axis=1) & ~named[np.arange(len(best)), best])
    if not len(rows):
        return best
    issue, dims = scorer.issue_, scorer.servqual_
    labelled = use["servqual"].astype(str).to_numpy()
    best = best.copy()
    for i in rows:
        b = best[i]
        here = [j for j in np.flatnonzero((ok[i] > 0) & named[i]) if issue[j] == issue[b] and (
            ok[i, j] == ok[i, b] or (dims[j] == labelled[i] != dims[b] and ok[i, b] - ok[i, j] <= PLACE_MARGIN))]
        if not here:
            continue
        r = use.iloc[i]
        labels = {c: r[c] for c in ("servqual", "issue", "stance") if c in use.columns}
        hits = scorer.score(scorer.items_["item_id"].iloc[b], str(r["text"]), labels).hits
        here = [j for j in here if not any(o in h or h in o for h in hits for o in scorer.objects_[j])]
        if here:
            best[i] = max(here, key=lambda j: (ok[i, j], -j))
    return best


def _bank_candidates(use: pd.DataFrame, bank: pd.DataFrame, *, has_topics: bool, min_support: int,
                     e_style: str) -> list[dict]:
    """Bank items with at least ``min_support`` supporting statements."""
    out = []
    for item in bank.itertuples():
        rows = use[use["item_id"] == item.item_id]
        if len(rows) < min_support:
            continue
        out.append({"item_id": item.item_id, "servqual": item.servqual, "demand": item.demand, "issue": item.issue,
                    "e_text": item.e_text if e_style == "servqual" else expectation_text(item.p_text, e_style) or item.e_text,
                    "p_text": item.p_text, "theme": _theme_of(rows) if has_topics else "", "source": "bank",
                    "_ids": list(rows.index)})
    return out


def _theme_candidates(use: pd.DataFrame, *, min_support: int, e_style: str) -> list[dict]:
    """Composed candidates (``NEW-T…``) for themes whose statements no item covers; those
    statements move to the composed item (``use`` is updated)."""
    out = []
    for topic, rows in use[use["topic"].astype(int) >= 0].groupby("topic"):
        covered = (rows["item_id"] != "").mean()
        if covered >= 0.5 or len(rows) < max(min_support, 2):
            continue
        free = rows[rows["item_id"] == ""]
        servqual = free["servqual"].mode().iloc[0]
        label = rows["topic_label"].iloc[0]
        wording = _compose(label, servqual)
        if wording is not None and e_style != "servqual":
            wording = (expectation_text(wording[1], e_style) or wording[0], wording[1])
        if wording is None:
            continue
        out.append({"item_id": f"NEW-T{int(topic):03d}", "servqual": servqual,
                    "demand": free["demand"].mode().iloc[0], "issue": free["issue"].mode().iloc[0],
                    "e_text": wording[0], "p_text": wording[1], "theme": label, "source": "composed",
                    "_ids": list(free.index)})
        use.loc[free.index, "item_id"] = f"NEW-T{int(topic):03d}"
    return out


def _merge_candidates(cands: list[dict], use: pd.DataFrame, merge_threshold: float) -> list[dict]:
    """Near-identical candidates (same dimension, similar perception wording) merged, largest
    first, evidence combined; ``use`` points the merged statements at the kept item."""
    cands = sorted(cands, key=lambda c: -len(c["_ids"]))
    merged: list[dict] = []
    for c in cands:
        target = next((m for m in merged if m["servqual"] == c["servqual"]
                       and _similar(m["p_text"], c["p_text"]) >= merge_threshold), None)
        if target is None:
            c["merged_from"] = ""
            merged.append(c)
        else:
            target["_ids"] += c["_ids"]
            target["merged_from"] = ", ".join(x for x in (target["merged_from"], c["item_id"]) if x)
            use.loc[use["item_id"] == c["item_id"], "item_id"] = target["item_id"]
    return merged


def _items_table(merged: list[dict], use: pd.DataFrame, against: dict[str, int], *, n_total: int, evidence_k: int,
                 strong_score: float) -> pd.DataFrame:
    """One ranked row per candidate: support, strength, evidence quotes and checks."""
    rows_out = []
    for c in merged:
        rows = use.loc[c["_ids"]]
        who = rows["_who"]
        failed = check_item(c["e_text"], c["p_text"])
        n_against = int(sum(against.get(i, 0) for i in [c["item_id"], *filter(None, c["merged_from"].split(", "))]))
        best_score = float(rows["support_score"].max()) if len(rows) else 0.0
        rows_out.append({
            "item_id": c["item_id"], "servqual": c["servqual"], "demand": c["demand"], "e_text": c["e_text"],
            "p_text": c["p_text"], "theme": c["theme"], "support": len(rows),
            "support_strength": _strength(len(rows), int(who.nunique()), n_against, best_score, strong_score),
            "against": n_against, "share": round(len(rows) / n_total, 4),
            "evidence": _evidence(rows, evidence_k), "source": c["source"],
            "checks": checks_text(failed), "decision": "", "edited_text": "",
            "reverse": "false", "check_codes": check_codes_text(failed),
            **dict(zip(("suggestion", "suggestion_note"), suggest_wording(c["e_text"], c["p_text"], failed))),
            "issue": c["issue"], "servqual_zh": label_zh("servqual", c["servqual"]),
            "demand_zh": label_zh("demand", c["demand"]), "speakers": int(who.nunique()),
            "complaints": int((rows["stance"] == "complaint").sum()),
            "suggestions": int((rows["stance"] == "suggestion").sum()),
            "praise": int((rows["stance"] == "praise").sum()),
            "merged_from": c["merged_from"], "support_score": round(float(rows["support_score"].sum()), 2),
            "evidence_ids": ", ".join(rows["statement_id"].astype(str).head(50)),
        })
    items = pd.DataFrame(rows_out, columns=ITEM_COLUMNS + _EXTRA_COLUMNS)  # the same columns when empty
    # Why the unusable last: a composed wording that is no item (该运营商合成一张, flagged 未写明评价对象) stood among
    # the usable by its support, above bank items a designer could take as they are; it stays (its need is real
    # and its quotes are the evidence to write the item from), below them all.
    items["_last"] = no_item_as_worded(items)
    return (items.sort_values(["_last", "support", "support_score", "item_id"], ascending=[True, False, False, True],
                              kind="stable").drop(columns="_last").reset_index(drop=True))


def _candidates(use: pd.DataFrame, bank: pd.DataFrame, match: BankMatch, *, has_topics: bool, min_support: int,
                e_style: str) -> list[dict]:
    """Composed, bank and theme candidates with at least ``min_support`` statements (``use`` is updated)."""
    cands = _composed_from_needs(use, bank, match.scorer, has_topics=has_topics, min_support=min_support,
                                 e_style=e_style)
    cands += _bank_candidates(use, bank, has_topics=has_topics, min_support=min_support, e_style=e_style)
    if has_topics:
        cands += _theme_candidates(use, min_support=min_support, e_style=e_style)
    return cands


def candidate_items(statements: pd.DataFrame, *, bank: pd.DataFrame | None = None, min_support: int = 1,
                    merge_threshold: float = 0.6, evidence_k: int = 3, support_threshold: float = 1.5,
                    strong_score: float = 2.0, e_style: str = "servqual", text_col: str | None = None,
                    id_col: str | None = None) -> ItemCandidates:
    """Match statements to the item bank and compose items for uncovered needs and themes.

    The steps: usable statements → bank matches (:func:`match_bank`) → composed items for
    needs no bank item covers → bank candidates → items for uncovered themes → merge of
    near-identical candidates → the ranked table and the coverage table.

    Args:
        statements: tagged statements (optionally with ``topic``/``topic_label`` from ``voc themes``).
        min_support: a candidate needs at least this many supporting statements (≥ 1). When none
            reaches it although some candidate has support, :class:`InputError` says how many the
            best has; without any supported candidate the items table is empty (its columns kept).
        merge_threshold: bigram-Jaccard of perception wordings above which two candidates merge.
        support_threshold: minimum (item, statement) support score (:class:`SupportScorer`).
        strong_score: a candidate is ``strong`` only when one quote scores at least this.
        e_style: ``servqual`` (优秀的营业厅应当…) or ``wish`` (您期望…) expectation wording.
        text_col, id_col: the text and id columns of a table without ``text``/``statement_id`` (a
            ticket export tagged by ``voc.tag``); by default found by name as ``voc items`` finds a
            file's (:func:`~voiceofcustomer.statements.as_statements`).
    """
    min_support = number_param(min_support, "min_support", low=1, whole=True,
                               means="a candidate item needs a supporting statement")
    merge_threshold = number_param(merge_threshold, "merge_threshold", low=0, high=1, means="a bigram Jaccard")
    evidence_k = number_param(evidence_k, "evidence_k", low=0, whole=True, means="quotes per item")
    support_threshold = number_param(support_threshold, "support_threshold", low=0)
    strong_score = number_param(strong_score, "strong_score", low=0)
    bank = load_item_bank() if bank is None else bank
    statements = table_param(statements, "statements", "voc.open_statements(path).read()")
    use = _usable(as_statements(statements, text_col=text_col, id_col=id_col)).copy()
    n_total = len(use)
    if n_total == 0:
        raise InputError("no participant statement with a SERVQUAL dimension to build items from")
    if e_style not in E_STYLES:
        raise InputError(f"unknown e_style {e_style!r}; use one of: {', '.join(E_STYLES)}")
    has_topics = "topic" in use.columns and "topic_label" in use.columns
    match = match_bank(use, bank, support_threshold=support_threshold)
    use["support_score"] = match.support_score
    use["item_id"] = match.item_id
    use["_who"] = _who(use).astype(str).to_numpy()
    cands = _candidates(use, bank, match, has_topics=has_topics, min_support=min_support, e_style=e_style)
    if not cands and min_support > 1:
        best = max((len(c["_ids"]) for c in _candidates(use.copy(), bank, match, has_topics=has_topics, min_support=1,
                                                          e_style=e_style)), default=0)
        if best:
            raise InputError(f"no candidate item has {min_support} supporting statements; lower min_support= "
                             f"(the best has {best})", params=("min_support",))
    merged = _merge_candidates(cands, use, merge_threshold)
    items = _items_table(merged, use, match.against, n_total=n_total, evidence_k=evidence_k,
                         strong_score=strong_score)
    return ItemCandidates(items=items, coverage=_coverage(items, use), assignments=use[["statement_id", "item_id"]],
                          n_statements=n_total)


def _coverage(items: pd.DataFrame, use: pd.DataFrame) -> pd.DataFrame:
    """One row per SERVQUAL dimension × demand area (and one per dimension, ``(all)``: the sum of its
    areas): ``candidates`` (the items of that dimension and area), ``statements`` (the statements labelled
    so) and ``support``, those of the statements that support one of the candidates — never more than
    ``statements``. An item's own ``support`` counts its statements whatever their labels (a composed item
    takes the commonest of its statements' labels), so the items' supports of a row may add up to more
    than ``support``, or ``statements``."""
    rows = []
    for sq in SERVQUAL_DIMENSIONS:
        for dem in LABELS["demand"][:-1]:
            sub = items[(items["servqual"] == sq) & (items["demand"] == dem)] if len(items) else items
            here = (use["servqual"] == sq) & (use["demand"] == dem)
            n_st = int(here.sum())
            n_support = int((here & use["item_id"].isin(sub["item_id"])).sum()) if len(sub) else 0
            rows.append({"servqual": sq, "servqual_zh": label_zh("servqual", sq), "demand": dem,
                         "demand_zh": label_zh("demand", dem), "candidates": len(sub),
                         "support": n_support, "statements": n_st,
                         "status": "ok" if len(sub) else ("no evidence" if n_st == 0 else "statements but no item")})
    cov = pd.DataFrame(rows)
    per_dim = cov.groupby(["servqual", "servqual_zh"], sort=False)[["candidates", "support", "statements"]].sum()
    per_dim = per_dim.reset_index()
    per_dim["demand"] = "(all)"
    per_dim["demand_zh"] = "（合计）"
    per_dim["status"] = np.where(per_dim["candidates"] > 0, "ok", "no evidence")
    return pd.concat([per_dim[cov.columns], cov], ignore_index=True)


_SCALE = pd.DataFrame({"value": range(1, 8), "label": ["非常不同意", "不同意", "有点不同意", "中立", "有点同意", "同意", "非常同意"]})


def items_workbook_path(path: str | Path) -> Path:
    """``path`` if it names an Excel workbook; else an :class:`InputError` (``items.csv`` got a
    workbook under a CSV name from Python; the command refused it)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path}: items are written as an Excel workbook; use a .xlsx name")
    return path


def write_items_workbook(result: ItemCandidates, path: str | Path) -> Path:
    """``items.xlsx``: sheet ``items`` (the review sheet: decision accept/edit/reject),
    ``coverage``, ``scale`` and ``readme``. Written atomically; formulas neutralised."""
    from voiceofcustomer.io.writers import atomic_path, neutralize_formulas

    path = items_workbook_path(path)
    readme = pd.DataFrame({"说明": [
        "每行是一条候选问卷题目：e_text 为期望（E）表述，p_text 为感知（P）表述，7 点量表（1 非常不同意 … 7 非常同意）。",
        "请在 decision 列填写 accept / edit / reject，或 采纳 / 修改 / 删除（也可填 接受 / 拒绝、是 / 否）；"
        "edit 时在 edited_text 写新表述（“E: …”与/或“P: …”）。",
        "support = 以正确方向表达该需求的陈述数（抱怨缺失、希望具备或表扬具备）；against = 反对该题的陈述数"
        "（如抱怨“宣传海报太多”不支持“精美的宣传资料”）；support_strength: strong（至少两位发言人、两条以上支持）/ weak（证据单薄，请复核）。",
        f"share = support ÷ 计入统计且有 SERVQUAL 维度的陈述数（本次 {result.n_statements} 条；主持人发言、无文字的行、"
        "重复陈述和维度为“无”的陈述不在其中，工单的陈述在其中），evidence = 支持度最高的三条原话（尽量来自不同发言人）及其 statement_id，原话后“——”注明说话人：座谈会为发言人（属性）· 场次（座谈会名称）（张女士（退休教师） · fg1（武汉公众用户座谈会），无名称时只写场次），拆分的工单为工单号（工单 GD001），问卷的答卷为答卷编号（答卷 17）。",
        "source: bank = 题库题目；composed = 题库未覆盖的需求新拟的题目（依据 evidence 中的陈述）。",
        "排序：按 support 从高到低；新拟题目中按原样不成题目的（未通过 未写明评价对象、未写明服务标准、缺少宾语、不成句、"
        f"提供的不是服务 之一，如 该运营商合成一张；本次 {int(no_item_as_worded(result.items).sum())} 条）排在全部其他题目之后："
        "它们背后的需求题库没有，原话保留在 evidence 中，可据此改写（decision 填 edit）或删除。",
        "checks: ok = 通过全部质量检查；否则逐条写出未通过的检查（以“；”分隔）：检查名称、有问题的原话和改法。"
        "check_codes: 这些检查的代码（供程序筛选，名称改动时代码不变）。各项检查如下（代码　名称：检查什么、怎么改）：",
        *(f"{code}　{name}：{what}" for code, (name, what) in CHECKS.items()),
        "suggestion: 未通过的检查有机械改法时给出的改写建议（删去尽快、马上等一次性要求用词，删去修个、多摆几张、简单点里的“个”“几张”“点”），"
        "格式同 edited_text（E: … 与 P: … 两行）：采用时把它复制到 edited_text 并在 decision 填 edit；e_text、p_text 不会被自动修改。"
        "suggestion_note: 删去了什么、还有哪些检查需要人工修改；没有安全的机械改法时（如一题两问须人工拆题）写明未通过的检查。",
        "coverage 表：每个 SERVQUAL 维度 × 需求领域一行，（合计）行为该维度各行之和。candidates = 该维度和需求领域的候选题目数；"
        "statements = 标为该维度和需求领域的陈述数（计法同 share 的分母）；support = 其中支持这些候选题目之一的陈述数，"
        "不会超过 statements。题目的 support 计入支持它的全部陈述，不论其标签（新拟题目取其陈述中最常见的维度和需求），"
        "所以同一行题目的 support 之和可能与本表的 support 不同。",
        "改维度时 servqual 与 servqual_zh 两列都改（自拟题目填其中一列即可）；同一表述只能出现一次。",
        "reverse 列：反向计分题填 true（其余保持 false），voc survey 会把它写入编码表，voc gap 计分时按 8 − 分值换算。",
        "然后运行: voc survey items.xlsx -o survey/ --format docx,wjx,csv",
    ]})
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="xlsxwriter") as xw:
            sheets = {"items": result.items, "coverage": result.coverage, "scale": _SCALE, "readme": readme}
            for name, df in sheets.items():
                neutralize_formulas(df).to_excel(xw, sheet_name=name, index=False)
                ws = xw.sheets[name]
                ws.freeze_panes(1, 0)
                for j, col in enumerate(df.columns):
                    width = 60 if col in ("evidence", "说明") else 34 if col.endswith("_text") else 14
                    ws.set_column(j, j, width)
            ws = xw.sheets["items"]
            book = xw.book
            cols = list(result.items.columns)
            if len(result.items):
                if "share" in cols:
                    ws.set_column(cols.index("share"), cols.index("share"), 10, book.add_format({"num_format": "0.0%"}))
                dcol = cols.index("decision")
                # A warning, not a stop: 接受, 是 … (DECISION_WORDS) are typed too and voc survey reads them
                ws.data_validation(1, dcol, len(result.items), dcol,
                                   {"validate": "list", "source": ["accept", "edit", "reject", "采纳", "修改", "删除"],
                                    "error_type": "warning"})
                if "support_strength" in cols:  # weak support: the reviewer should look twice
                    scol = cols.index("support_strength")
                    ws.conditional_format(1, scol, len(result.items), scol, {
                        "type": "cell", "criteria": "==", "value": '"weak"',
                        "format": book.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})})
                rcol = cols.index("reverse")
                ws.data_validation(1, rcol, len(result.items), rcol, {"validate": "list", "source": ["false", "true"]})
    return path
