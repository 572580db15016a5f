"""Compose questionnaire items for needs that no bank item covers.

Why from the statements and not only from a theme label: a need such as 显示预计等候时间
is said in a single wish or complaint ("希望叫号屏能显示还要等多久", "就不能一次告诉我要带
什么材料吗"), often by too few people to form a theme. So each suggestion/complaint
gets a **need phrase**: colloquial wording normalised (还要等多久 → 预计等候时间, 告诉我 →
告知, app → 手机营业厅), the verb–object after a wish cue (希望/能不能/最好 …) or after the
negation of a service verb (没告知/不能一次告知 → 告知; 不知道 X → 告知 X), fillers and
particles stripped. Phrases that say the same thing (bigram Jaccard) form one need; each
need becomes a P item "该营业厅…/该运营商…" and its E form, checked like bank items.

A request to act on the complaint (希望尽快处理, 请尽快解决, 重视一下, 给个说法) is no need
phrase: it names no attribute of the service, and an item made of it ("该运营商尽快处理")
would fit any complaint (:func:`names_attribute`).
"""

from __future__ import annotations

import re
from collections import Counter

from voiceofcustomer.text.noise import model_text

__all__ = ["ABUSE", "QUESTION", "need_phrase", "names_attribute", "customer_action", "compose_item", "cluster_needs",
           "expectation_text", "E_STYLES"]

E_STYLES = ("servqual", "wish")

_REWRITES = [
    (r"(?i)手机上的营业厅|手机营业厅|掌上营业厅|客户端|掌厅|app", "手机营业厅"),
    (r"(还|大概|大约)?(要|得)?等多(久|长时间)|(还|大概)?(要|得)?等几分钟", "预计等候时间"),
    (r"电子版?的?发票", "电子发票"),
    (r"开(个|张)?(电子发票|发票)", r"开具\2"),
    (r"(要|得|需要)?(带|准备|交)(些)?(什么|哪些)(材料|证件|资料|东西)|需要(什么|哪些)(材料|证件|资料)|所需的材料", "所需材料"),
    (r"告诉(我们|我|客户|大家|人)?|说清楚|讲清楚|说明白|讲明白|提前说", "告知"),
    (r"一次性|一下子|一口气|一次都", "一次"),
    (r"(家里|全家|一家人|家人)(人)?的?(几|好几|多|两|三|四)?个?(手机)?号(码)?", "家庭多个号码"),
    (r"把?家庭多个号码(一起|统一|放一起)?管(理)?(起来)?", "管理家庭多个号码"),
    (r"管(?=家庭多个号码)|管一管(?=家庭)", "管理"),
    (r"查(到|看到|得到|一下)", "查询"),
    # the customer's own steps in their written words (约好时间 → 预约时间, 排起号 → 取号)
    (r"(?<!预)约好?(?=时间)", "预约"), (r"(?<!安)排(起|上|个)?号(?!码)|拿个?号|取个号", "取号"),
    # 留 for the customer (给我们留一个备用联系人): what is left them is provided
    (r"给?(我们|我|客户|大家)?留一?(个|份)(?![言心意神])", "提供"),
    # 给 as the verb (给我一个清单, 给我个记录): the thing given is provided; not 给个说法 (a request to act)
    (r"给(我们|我|客户|大家)?一?(个|份|张)(?!(答复|回复|说法|交代|解释))", "提供"),
    (r"^有一?个", "提供"), (r"、有一?个", "、"), (r"(?<=[能可以])有一?个", "提供"), (r"贴一?个", "张贴"), (r"出一?个", "推出"),
    (r"(?<=[惠便])点的", "的"),
]
# 要是/如果 wish only with what could be (要是能结转…就好了, 要是手机营业厅能…, 如果有个坡道); "你要是说三百兆" and
# "我们要是晚到这么久" are conditions, and 主要是/只要是 hold no 要是 at all.
_WISH = re.compile(r"希望|(?<![主只需重])要是(?=有|[^，,。！？]{0,6}?(能|可以))|如果(?=有|[^，,。！？]{0,6}?(能|可以))|能不能|能否|可不可以|最好能?|建议|应该|应当|就不能|为什么不")
# services the operator gives; customer actions (办理, 查询) after 无法 are consequences, not needs
_SERVICE_VERB = r"(一次|提前|主动|及时)?(告知|显示|开具|提供|通知|公示|安排)"
_NEG_NEED = re.compile(r"(没有|没|不|无法|没法|不能|不给|不让)(?=" + _SERVICE_VERB + ")")
_DONT_KNOW = re.compile(r"(都|也|根本|完全)?不知道")
# Clause ends. Real posts end sentences with ASCII '.' (not between digits: 58.50), trail off with
# '…', '~' and '...', and part clauses with a space between Chinese words or a colon ("我在:…").
_CLAUSE = re.compile(r"[，,。！？!?；;：:\n…~～·]+|(?<!\d)\.|\.(?!\d)|(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")
_LEAD = re.compile(r"^(能够|能|可以|就|都|也|还|再|直接|给我们|给我|帮我们|帮我|把|让我们|让我|一下|咱们|我们|我|你们)")
_LOCATION = re.compile(r"^在?(手机营业厅|网上|线上|微信上?|营业厅|厅里|叫号屏|屏幕)(上面|里面|上|里)?")
_TRAIL = re.compile(r"(给(我们|我|大家)看|就好了|就好|就行了|就行|就方便了|多好|吧|啊|呀|呢|了|嘛|吗|的话|一点|一些|就不用.*|不然.*|省得.*)$")
_PRONOUN = re.compile(r"我们|我|你们|咱们|贵司|贵公司|你司")
# no need phrase: quotes, a customer as the doer (建议客户更换…), time clauses
_NOT_A_NEED = re.compile(r"关系|以后|之后|为由|[“”\"'‘’（）()《》]|^客户|^用户|^他|^她"
                         # real posts: a copula or a dangling conjunction (是…, 和…, …是), a condition (…的情况下),
                         # an action done (屏蔽了…), a person addressed or talked about (你试一下, 表扬他), an
                         # interjection (啊, 貌似)
                         r"|^(是|的|和|跟|与)|是$|情况下|了(?!解)|你(?!们)|他|她|啊|[冒貌]似")
# Not about the operator (also after 告知): advice to other customers (大家, 各位), what someone else did (有人).
_OTHERS = re.compile(r"^(告知)?(大家|各位|亲们|有人|有些人|有部分人)")
# Abuse is no need (退钱别坑爹, 一群骗子); spam and fraud are service subjects (垃圾短信, 防范诈骗).
ABUSE = re.compile(r"干毛|干嘛用|吃翔|尼玛|草泥马|傻[逼比Bb]|(?<![A-Za-z])[Ss][Bb](?![A-Za-z])|他妈|妈的|脑残|奸商|"
                   r"坑爹|流氓|骗子|无良|去死|滚蛋|垃圾(?!短信|电话|邮件|信息|广告)")
# a question word (告知维修师傅什么时候上门; in real posts also 请问, 第几, A还是B, …么): a need in the customer's
# words, composed and flagged by the wording checks ('asks a question'), taken only when no clause of the
# statement gives a phrase without one
QUESTION = re.compile(r"谁|啥|什么|哪|怎么|咋|多少|几点|几时|请问|第几|还是|么$")
_NEGATIVE = re.compile(r"不|没|无|别|勿|莫|差|慢|难")
# What the customer does (缴费, 预约, 在镇上办, 在微信点一下), after a modal or adverb (能够及时充值) and a place
# (在手机上先预约时间): with the operator as subject it reads "该运营商支持客户…".
_CUSTOMER_VERB = re.compile(r"^(能够|能|可以|及时|随时|自己|先|就|也|直接)*(在(?![客用])\S{1,6}?(上面|里面|上|里)?)?"
                            r"(先|就|也|直接)?(管理|查询|查看|办理|缴费|交费|充值|预约|取号|退订|下载|修改|选择|绑定|登录|"
                            r"下单|办(?![事结妥公好])|点(?=一下|击)|约(?=好?时间)|排(?=[起上]?号))")
# Words of a request to act on whatever was complained about: urgency, handling verbs, politeness.
_REQUEST = re.compile(r"给?一?个?(答复|回复|说法|交代|解释)|尽快|尽早|早日|赶紧|赶快|抓紧|马上|立即|立刻|立马|快点|"
                      r"快些|及时|认真|妥善|彻底|好好|处理|解决|回电|回访|联系|跟进|核实|查明|查清|落实|重视|关注|"
                      r"看看|派人|恢复正常|恢复|帮忙|给予|一下|问题|事情|此事|这事|谢谢|感谢|麻烦")
_STORE = re.compile(r"营业厅|厅里|窗口|排.{0,4}队|叫号|柜台|营业员|门店|店里")


def _normalise(text: str) -> str:
    for pat, rep in _REWRITES:
        text = re.sub(pat, rep, text)
    return text


def _clean(rest: str) -> str:
    prev = None
    while prev != rest:
        prev = rest
        rest = _LEAD.sub("", rest.strip())
        rest = _TRAIL.sub("", rest)
    # a subject before 能/可以 ("叫号屏能显示…"): keep it as a place when it is one
    m = re.match(r"^(\S{1,6}?)(能够|能|可以)(.+)$", rest)
    if m:
        loc = _LOCATION.match(m.group(1))
        rest = (f"在{loc.group(1)}" if loc and loc.group(1) in ("手机营业厅", "网上", "线上", "微信", "微信上")
                else "") + m.group(3)
    loc = _LOCATION.match(rest)
    if loc:
        place = loc.group(1)
        rest = rest[loc.end():]
        if place in ("手机营业厅", "网上", "线上", "微信", "微信上"):
            rest = f"在{place.removesuffix('上') if place.startswith('微信') else place}" + rest
    rest = _PRONOUN.sub("", rest)
    prev = None
    while prev != rest:
        prev = rest
        rest = _LEAD.sub("", rest.strip())
        rest = _TRAIL.sub("", rest)
    return rest


def names_attribute(phrase: str) -> bool:
    """Whether ``phrase`` names something of the service beyond a request to act.

    Request words (尽快, 处理, 解决, 回复, 重视, 给个说法, 恢复 …; ``_REQUEST``) are removed;
    at least two characters must remain (宽带, 预计等候时间, 一个小时内). "尽快处理",
    "尽快给答复" and "重视一下" have no subject: as items ("该运营商尽快处理") they would
    fit every complaint and measure nothing.
    """
    return len(re.sub(r"[\W_]", "", _REQUEST.sub("", phrase))) >= 2


def need_phrase(text: str) -> str | None:
    """The positive need a wish or complaint expresses (显示预计等候时间), or ``None``.

    A real post is read without its @handles, links, tags and emoticon codes (``text.noise``), its
    clauses end at ASCII '.', '…', '~' and at spaces between Chinese words as well; a clause with
    abuse in it (:data:`ABUSE`) gives no need.

    A complaint's negation is removed ("没有一次告诉我要带什么材料" → 一次告知所需材料);
    a phrase that still carries a negative word, is shorter than 4 or longer than 16 characters,
    or names no attribute of the service (尽快处理, 请尽快解决: :func:`names_attribute`) is no need
    phrase; the next clause is tried. A phrase with a question word (告知维修师傅什么时候上门, 告知找谁:
    :data:`QUESTION`) is the need only when no clause gives one without: the item composed from it
    is flagged ``asks a question (什么)``, not dropped, so its statements are seen.
    """
    asking = None
    for clause in _CLAUSE.split(_normalise(model_text(str(text)))):
        rest = None
        m = _WISH.search(clause)
        if m:
            rest = clause[m.end():]
        else:
            m = _DONT_KNOW.search(clause)
            if m and len(clause) - m.end() >= 2:
                rest = "告知" + clause[m.end():]
            else:
                m = _NEG_NEED.search(clause)
                if m:
                    rest = clause[m.end():]
                elif re.match(r"^(能|可以|能够)", clause) and re.search(r"(就好了|就好|多好|就方便了)$", clause):
                    rest = clause
        if rest is None:
            continue
        rest = re.sub(r"^有一?个", "提供", _NEG_NEED.sub("", _clean(rest)))
        if (4 <= len(rest) <= 16 and not _NEGATIVE.search(rest) and not _NOT_A_NEED.search(rest)
                and not _OTHERS.match(rest) and not ABUSE.search(clause) and names_attribute(rest)):
            if not QUESTION.search(rest):
                return rest
            asking = asking or rest
    return asking


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def _similar(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y)


def cluster_needs(phrases: dict, *, threshold: float = 0.5) -> list[tuple[str, list]]:
    """Group ``{key: phrase}`` by wording (bigram Jaccard ≥ ``threshold`` with a group's
    first phrase); each group is named by its most frequent phrase (shortest on ties).
    Largest groups first."""
    groups: list[tuple[str, list]] = []
    for key, phrase in phrases.items():
        for head, members in groups:
            if _similar(head, phrase) >= threshold:
                members.append((key, phrase))
                break
        else:
            groups.append((phrase, [(key, phrase)]))
    out = []
    for _, members in groups:
        counts = Counter(p for _, p in members)
        name = min(counts, key=lambda p: (-counts[p], len(p), p))
        out.append((name, [k for k, _ in members]))
    return sorted(out, key=lambda g: -len(g[1]))


def expectation_text(p_text: str, e_style: str = "servqual") -> str | None:
    """The E wording of a P item: SERVQUAL (优秀的营业厅应当…) or wish (您期望营业厅…)."""
    if e_style == "wish":
        m = re.match(r"^该(营业厅|运营商|公司)", p_text)
        return "您期望" + ("电信运营商" if m.group(1) != "营业厅" else "营业厅") + p_text[m.end():] if m else None
    from voiceofcustomer.items.survey import expectation_form

    return expectation_form(p_text)


# Steps the operator takes too (该运营商办理业务迅速, 管理好代理点): the customer's only at a place of self-service.
_EITHER_DOER = frozenset(("管理", "查询", "查看", "办理", "修改", "选择"))
_SELF_SERVICE = re.compile(r"^在(\S{1,6}(上面|里面|上|里)|网上|线上|微信|手机营业厅)$")


def customer_action(phrase: str, *, either_doer: bool = True) -> str | None:
    """The customer's own action a need phrase or an item's predicate opens on (缴费, 预约, 办 in
    在镇上办, 点 in 在微信点一下就开好), or ``None`` when the doer is the operator.

    A need phrase is the customer's wish, so 管理/查询/办理… there are the customer's
    (管理家庭多个号码). In an item's wording (``either_doer=False``) they are only at a place of
    self-service (在手机上查询…): 该运营商办理业务迅速 is the operator's."""
    m = _CUSTOMER_VERB.match(phrase)
    if not m:
        return None
    place = (m.group(2) or "").strip()
    if not either_doer and m.group(5) in _EITHER_DOER and not _SELF_SERVICE.match(place):
        return None
    return m.group(5)


def compose_item(phrase: str, texts: list[str], *, e_style: str = "servqual") -> tuple[str, str]:
    """(E, P) wording for a need phrase; the subject is the store when the statements are
    about a store visit, the operator otherwise; customer actions (管理, 查询 …) read
    "该运营商支持客户…"."""
    about_store = any(_STORE.search(t.replace("手机营业厅", "").replace("网上营业厅", "")) for t in texts)
    if customer_action(phrase):
        p = f"该运营商支持客户{phrase}"
    elif about_store and not phrase.startswith("在"):
        p = "该营业厅" + re.sub(r"(?<!手机)营业厅", "", phrase)  # not "该营业厅增加营业厅…"
    else:
        p = f"该运营商{phrase}"
    return expectation_text(p, e_style) or "", p
