"""Does a statement support a questionnaire item? A scorer you can test pair by pair.

Why not "same dimension and a keyword hit": an item states a *desirable* attribute
(精美的宣传资料, 登录安全, 周末营业). A complaint that there are too many posters
mentions 宣传 but asks for *fewer*, and 营业 inside 营业厅 says nothing about
opening days. So each (item, statement) pair gets

1. a **topical** score: the item's keywords (and content words of its wording) found in
   the statement as words, not as pieces of longer words (营业 in 营业厅 does not count;
   one-character keywords such as 卡, 等 must be a word of their own); generic words
   (营业厅, 套餐, 业务 …) count half; the statement's labels add a bonus when they
   match the item's (same SERVQUAL dimension, same issue);
2. a **direction**: +1 when the statement complains about the attribute's absence or
   failure, wishes for it or praises it; −1 when it complains about an *excess* of the
   same thing (太多, 泛滥, 烦, 一直发 …) or asks for less of it; 0 when it only
   mentions the topic (a neutral remark) — unless the keyword hit is itself a problem
   word (掉线, 排队, 骚扰电话 …), where an excess is exactly the failure;
3. ``supports`` = direction +1 and score ≥ ``threshold``.

An item that names a place or thing (在电梯里, 在地下车库, 座椅, 叫号机: the bank's ``object`` column,
the word the item names and the synonyms the bank declares for it) is about that place or thing: a
statement that names none of them is no evidence for it, however many topic words and labels it
shares (卧室里信号差 is about 室内, not 电梯里, though both are about signal). An item about one quality of its
thing (IB080 a hotline easy to get through: the bank's ``need`` column, 打通|打不通|占线|没人接 …) is no item of a
statement that names the thing and not the quality (打10000号也没人解决: reached, not resolved).

An item about the staff of one venue is no item of another's: a store item (该营业厅…) takes no statement that
names the home visit (上门, 装维, 师傅 …) or the call centre (客服, 热线, 10000 …) and not the store, an installer's item
(上门师傅, 维修人员 …) none that names the store (营业厅, 营业员, 柜台 …) or the call centre and not the home visit, a call
centre's item (该运营商的客服人员…) none that names the store or the home visit and not the call centre (装维师傅上门态度很差
is no evidence for 该营业厅的员工始终礼貌待客, 营业员业务不熟 none for 该运营商的客服人员熟悉业务规则, 客服只会说请您耐心等待
none for 该营业厅的员工耐心解答客户疑问). The patience a script asks of the customer (请您耐心等待) is no staff's patience.
Likewise home WiFi (WiFi, 无线网, 路由器, 光猫) is the broadband's, no mobile signal: a statement that names it and nothing
of the mobile network is no evidence for an item of the signal issue (家里WiFi信号差 is IB200's, not IB039's), and one
about the mobile network and not WiFi none for the WiFi item (在家里手机信号特别差 is IB039's). A scam (诈骗, 冒充,
钓鱼, 不明链接 …) is a matter of security whatever it names: a statement that names one is no evidence for an item outside
the security issue (收到短信说积分月底清零，让点链接兑换，一看就是诈骗 is no evidence for IB070 准确累计客户的消费积分).
A call to the operator's line nobody answered is the line's (报修电话打了三次都没人接: IB080, no repair item's), and a repair
or an installation made again the failure of doing it right the first time (IB047 for a repair, IB036 for both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.exceptions import NotFittedError

__all__ = ["Support", "SupportScorer", "EXCESS_CUES", "LESS_CUES"]

# An excess of the thing: evidence against "more/better X" when X is desirable.
EXCESS_CUES = re.compile(r"过多|太多|好多次|多次|很多次|那么多|这么多|一大堆|一堆|泛滥|太烦|好烦|烦死|很烦|真烦|烦人|"
                         r"看着烦|骚扰|一直发|老是发|天天发|总是发|不停地?发|狂发|到处都是|铺天盖地|太频繁|频繁|"
                         r"没完没了|反反复复地?要|贴满|塞满|太密|多余|繁琐|啰嗦|一遍又一遍|每次都要|烦$|"
                         r"[发打收推][了过]?[一二两三四五六七八九十几好]+[遍次条个回]|一天[一二两三四五六七八九十几好]+[遍次条个回]")
# Asking for less of it.
LESS_CUES = re.compile(r"少一点|少点|少一些|少发|少贴|少打|少推|别再|不要再|别老|别总|别一直|能不能别|可不可以别|"
                       r"减少|取消掉|去掉|撤掉|精简|简化")
_WISH = re.compile(r"希望|要是|如果能|能不能|能否|可不可以|可以不可以|最好|建议|应该|应当|期待|盼|得有|要有|就好了|就好|"
                   r"多[开设安排加]|多一些|多一点")
_COMPLAINT = re.compile(r"不|没|无法|太|老是|总是|半天|难|差|慢|坏|烦|气人|坑|结果|居然|竟然|还得|白跑|麻烦|乱|错|"
                        r"卡|断|掉|慢|贵|投诉|受不了|糟")
_PRAISE = re.compile(r"好|不错|满意|方便|贴心|耐心|周到|挺|赞|快|干净|舒服|舒适|清楚|专业|热情|省心|放心|满格|稳定|准时")
_CLAUSE = re.compile(r"[，,。！？!?；;：:\n]+")
# Generic words: they place a statement in the domain, not in one item's need.
GENERIC = frozenset("""营业厅 营业员 运营商 套餐 业务 办理 客户 服务 问题 时间 需求 需要 企业 手机 电话 信息 短信 资料 记录
流量 宽带 网络 上门 师傅 申请 处理 选择 了解 功能 安全 准确 结果 方便 提供 保证 保持 迅速 员工 人员 客服 显示 每月
按时 及时 主动 清楚 合适 能够 通知 费用 话费 号码 设备 系统 标准 承诺 约定 规则 方式 内容 环境 每位 每一位
具体 相关 让 为 在 的 后 前 时 内 中 对 把 给 与 和 于 使用 客户的 一次 快速 实际 稳定 有效 正常 得到 更加 情况""".split())
# Keywords that name the failure itself: more of them is the attribute's absence, so
# an excess cue does not turn the statement against the item.
PROBLEM_WORDS = frozenset("""排队 等候 等待 半天 掉线 断网 卡顿 卡 闪退 卡住 杂音 多扣 多收 涨价 迟到 推诿 踢皮球 骚扰电话 骚扰
诈骗 骗子 垃圾短信 广告 泄露 盗用 冒用 捆绑 强制 隐藏 夸大 糊弄 敷衍 急躁 凶 吵 嘈杂 闷 异味 昏暗 站着 口渴 占线 字小
远 复杂 又坏 复发 反复 重复 办错 出错 说错 乱办 贵 打扰 推销 停机 欠费 违约金 附加 弱 没信号 慢 多扣 白跑
中断 挂失 丢手机 等电话 麻烦 跑 流程 手续 繁琐""".split())
# A two-character keyword inside one of these longer words is not a hit (营业 in 营业厅; 停机 in 停机保号, a
# suspension the customer asks for, is no stop for arrears or a lost phone; 在线 in 在线上办, which is 在 + 线上, no
# online chat).
_BLOCKED = {"营业": ("营业厅", "营业员", "营业时间", "营业执照"),
            "休息": ("休息区",), "时间": ("营业时间",), "账单": ("电子账单",),
            "电视": ("电视剧",), "停机": ("停机保号",), "老人": ("老人机",), "客服": ("在线客服",), "手机": ("手机营业厅",),
            "在线": ("在线上",), "耐心": ("耐心等待", "耐心等候", "耐心等一下", "耐心等等"),
            # the script's formula asks the customer for patience: no wait to get through (IB081)
            "等待": ("耐心等待", "请等待", "请您等待"), "等候": ("耐心等候", "请等候", "请您等候")}

# What an item asks, when its wording says it, beside what it is about: an item that asks the operator to tell the
# customer something (提醒, 通知, 告知, 告诉: 在流量快用完时提醒客户, 在资费调整前通知客户) is about the telling, and a
# statement that names its subject and no telling (流量总是不够用，只能买流量包; 资费说明写得太复杂，看不懂) is no
# evidence for it; an item about the hours of a service (全天候, 周末, 晚上, 夜间, 节假日, 下班后: 全天候的故障报修服务)
# about the hours (报修了三次，一直没解决 names none). A need the bank declares is used instead.
_ITEM_TELLS = re.compile(r"提醒|通知|告知|告诉")
TELL_WORDS = ("提醒", "通知", "告知", "告诉", "提示", "提前", "事先", "预先", "说一声", "讲一声", "打个招呼", "短信", "消息",
              "没说", "没有说", "不说", "没讲", "没告", "没人说", "跟我说", "不知道", "才知道", "问都不问", "公告", "预警")
_ITEM_HOURS = re.compile(r"全天|周末|晚上|夜间|节假日|下班后")
HOURS_WORDS = ("全天", "24小时", "二十四小时", "晚上", "夜里", "夜间", "半夜", "深夜", "凌晨", "白天", "周末", "周六", "周日",
               "星期六", "星期天", "礼拜天", "节假日", "假期", "放假", "过年", "春节", "国庆", "下班", "上班时间", "休息",
               "关门", "开门", "几点")
# An item that asks the operator to keep a promise about something (按约定发放优惠返还的话费, 按合同约定收取月费) is
# about that thing: the promise alone (合同上写着可用率百分之九十九点九) names nothing of it, so its words weigh as a
# generic word does there.
_ITEM_BY_PROMISE = re.compile(r"按(?:合同)?(?:约定|承诺)")
PROMISE_WORDS = frozenset("约定 合同 承诺 答应 说好 协议".split())

# Whose staff an item is about, and the words that put a statement there: an item of the store (该营业厅…: its
# staff, its hall) is no item of the installer who came to the home, and an item of the installer (上门师傅, 维修人员)
# none of the store's clerk. A statement that names the other venue and not the item's own is about the other.
_ITEM_HOME_STAFF = re.compile(r"师傅|上门人员|技术人员|装维|维修人员|安装人员|装机人员")
STORE_WORDS = ("营业厅", "营业员", "柜台", "窗口", "厅里", "厅内", "店里", "门店", "大堂", "前台", "实体店", "营业网点")
HOME_WORDS = ("上门", "装维", "师傅", "装机人员", "维修人员", "安装人员", "维修工", "装机工", "到家里", "来家里")
_ITEM_HOTLINE_STAFF = re.compile(r"客服人员|客服代表|话务员|坐席|座席")
HOTLINE_WORDS = ("客服", "热线", "10000", "10086", "10010", "人工", "坐席", "座席", "话务员")
_VENUE_WORDS = {"store": STORE_WORDS, "home": HOME_WORDS, "hotline": HOTLINE_WORDS}

# Home WiFi is the broadband's router, no mobile signal: a statement that names it (WiFi, 无线网, 路由器, 光猫) and nothing
# of the mobile network (手机信号, 基站, 4G/5G, 打电话, 通话) is no evidence for an item of the signal issue — 家里WiFi信号差
# says 信号 and names 家里, the object of IB039 在室内提供稳定的手机信号, and is about IB200's WiFi.
HOME_WIFI = re.compile(r"(?i)wi-?fi|wlan|无线网|无线信号|路由|光猫")
MOBILE_WORDS = re.compile(r"(?i)手机信号|手机没信号|手机上网|基站|[2345]g|打电话|接电话|电话打不|通话|移动网络|数据网络")

# A scam is the security issue's whatever it is about: the points, the bill or the plan a fraudster's text message names
# are his bait, not the customer's account of them (a fake text: 诈骗, 冒充, a link that is 假的, 做得跟真的一模一样). Not
# a scam: the operator's warnings (防诈骗, 反诈: 到期了提前告诉我们，防诈骗再多下点功夫 still asks IB157's reminder) and
# 骗子 or 是假的 alone (你们营业员就是骗子, 说的优惠是假的: a sales promise called a lie).
SCAM_WORDS = re.compile(r"(?<![防反])诈骗|骗局|冒充|假冒|钓鱼|假短信|假链接|(?:不明|陌生|可疑)链接|"
                        r"链接.{0,20}假的|假的.{0,20}链接|跟真的一(?:模一)?样|像真的一样")

#: What naming the item's place or thing counts when the hits alone are below the floor: a generic word's weight.
OBJECT_WEIGHT = 0.5

# A repair made again and again is the failure of the item that asks a fault fixed the first time (IB047 一次修好报修的故障,
# reliability: "the repair actually fixing the fault"): 报修了三次, 修了好几次, 师傅来了几趟, 第二次报修, 再次上门, 反复报修 in a
# statement that names a repair or a fault. It names what the item asks, whatever the statement's dimension label, so it
# weighs more than a keyword of the topic (报修, 故障 also name IB082 迅速上门处理, IB083 24小时内修复). A count of calls or
# visits to the store (打了三次电话没人接, 营业厅去了三次) is no repair, and the count is no excess (多次, 好几次 are cues of
# too much): a repeated repair is the failure of every repair item, not a wish for fewer.
_ITEM_FIRST_TIME = re.compile(r"一次(?:性)?就?(?:修好|修复|解决|排除)")
_TIMES = r"(?:[两二三四五六七八九十几]|好几|多|[0-9]+)[次趟回遍]"
REPAIR_AGAIN = re.compile(rf"(?:报修|维修|(?<!装)修|上门|来|跑|派人)[了过]?{_TIMES}|"
                          r"(?:又|再次|再一次|第[二两三四五六七八九十几]次|反复|重新|多次|好几次|几次|屡次|一次又一次|三番五次)"
                          r"[得要来去]?(?:报修|维修|修(?![改订正饰])|上门|派人|派师傅)")
REPAIR_OR_FAULT = re.compile(r"报修|维修|(?<!装)修(?![改订正饰])|故障|坏|断网|断了|掉线|没网|上不了网")
#: What a repair made again weighs for the item that asks it done the first time: a keyword and a half.
REPAIR_AGAIN_WEIGHT = 1.5
# The item that asks any service done right the first time (IB036 第一次就把服务做好, reliability: "delivering what was
# promised, correctly, the first time"): a repair made again is its failure too, but weighs less there than for the item
# that names the repair (IB047), which a quote goes to first; an installation made again (装机师傅上门两次才装好, 来了三趟
# 才装上) is its failure, and no item of the bank asks an installation done right the first time.
_ITEM_FIRST_TIME_ANY = re.compile(r"第一次就|一次就把")
INSTALL = re.compile(r"装机|安装|装好|装上|装宽带|新装|装网|装光猫|装电视")
#: What a repair made again weighs for the general first-time item: a keyword (IB047 gets 1.5).
REPAIR_AGAIN_ANY_WEIGHT = 1.0

# A call to the operator's line that nobody answered (报修电话打了三次都没人接, 热线打了好几次都占线): the line hard to
# get through (IB080 让客服热线容易打通), whatever the call was about. The count is the customer's calls, no excess of
# the operator's (营销电话打了三次 is); the 报修 of 报修电话 names the line, no repair: a repair item gets no evidence
# from it, for or against.
LINES = ("报修电话", "报修热线", "维修电话", "维修热线", "故障电话", "客服热线", "客服电话", "服务热线", "热线", "10000",
         "10086", "10010", "人工客服", "客服", "人工", "电话")
UNANSWERED = re.compile(r"没人接|无人接听?|没有人接|不接电话|打不通|没打通|打不进|接不通|没接通|占线|忙音")
#: What a call nobody answered weighs for the item that asks the line easy to get through (IB080 容易打通, ``打通`` in its
#: wording), unless the one nobody reached is the agent (IB081 人工客服): a keyword and a half.
UNANSWERED_WEIGHT, _ITEM_GETS_THROUGH, AGENT = 1.5, re.compile(r"打通"), re.compile(r"人工|坐席|座席|话务员")
# what a line's name says it is for (报修 of 报修电话): no repair; the customer's calls counted (打了三次, 多次拨打): no
# excess when nobody answered them
_LINE_PURPOSE, _CALLS = (re.compile(r"(?:报修|维修|故障)(?=电话|热线)"),
                         re.compile(r"[打拨][了过]?(?:[一二两三四五六七八九十几]+|好几|很多|多|[0-9]+)[次遍回个通]|(?:好几|很多|多|几)次"))


def repair_again(text: str) -> str | None:
    """The words of ``text`` that say a repair was made or a repairer came again (``"报修了三次"``, ``"来了几趟"``,
    ``"第二次报修"``), when it names a repair or a fault; ``None`` otherwise (打了三次电话没人接)."""
    if not REPAIR_OR_FAULT.search(text):
        return None
    for m in REPAIR_AGAIN.finditer(text):
        if m.group().startswith(("来", "跑", "派人")) and not REPAIR_OR_FAULT.search(text[:m.start()] + text[m.end():]):
            continue
        return m.group()
    return None


def line_unanswered(text: str) -> str | None:
    """The words of ``text`` that say a call to the operator's line went unanswered (``"没人接"``, ``"占线"``) when it
    names the line (报修电话, 热线, 客服, 10000 …); ``None`` otherwise — and for a bare 电话 of the installer or the store
    (师傅的电话打不通 is no hotline)."""
    m = UNANSWERED.search(text)
    if m is None:
        return None
    lines = [w for w in LINES if w in text]
    if not lines or set(lines) == {"电话"} and any(w in text for w in HOME_WORDS + STORE_WORDS):
        return None
    return m.group()


def _line_names(text: str) -> str:
    """``text`` with what the name of an operator's line says it is for blanked (报修 of 报修电话 names the line, no
    repair)."""
    return _LINE_PURPOSE.sub("□□", text)


def install_again(text: str) -> str | None:
    """The words of ``text`` that say an installer came again (``"上门两次"``, ``"来了三趟"``) when it names an
    installation and no repair or fault (装机师傅上门两次才装好); ``None`` otherwise."""
    if not INSTALL.search(text) or REPAIR_OR_FAULT.search(text):
        return None
    m = REPAIR_AGAIN.search(text)
    return m.group() if m else None


@dataclass(frozen=True)
class Support:
    """One (item, statement) judgement: ``score`` (topical strength), ``direction``
    (+1 supports, −1 against, 0 unclear/off-topic), ``hits`` (the words that matched), ``place``
    (the statement names the place or thing the item names: its ``object``)."""

    score: float
    direction: int
    hits: tuple[str, ...] = ()
    place: bool = False

    def supports(self, threshold: float) -> bool:
        return self.direction > 0 and self.score >= threshold

    def against(self, threshold: float) -> bool:
        return self.direction < 0 and self.score >= threshold


def _hit(word: str, text: str, tokens: set[str]) -> bool:
    if len(word) == 1:
        return word in tokens
    if word not in text:
        return False
    blocked = _BLOCKED.get(word, ())
    if blocked:
        stripped = text
        for b in blocked:
            stripped = stripped.replace(b, "□" * len(b))
        return word in stripped
    return True


def _words(cell) -> list[str]:
    """A bank cell of ``|``-separated words (or a list already split) as a list."""
    if isinstance(cell, str):
        return [w for w in cell.split("|") if w]
    return [w for w in cell if w] if isinstance(cell, (list, tuple)) else []


def _excess_target(text: str, hits: dict[str, float]) -> str | None:
    """The hit word an excess/less cue is about: the last specific hit before the cue
    (generic words are transparent), else the first one after it; ``None``: no cue."""
    m = EXCESS_CUES.search(text) or LESS_CUES.search(text)
    if m is None:
        return None
    specific = [w for w, wt in hits.items() if w not in GENERIC] or list(hits)
    before = [(text.rfind(w, 0, m.start()), w) for w in specific if text.rfind(w, 0, m.start()) >= 0]
    if before:
        return max(before)[1]
    after = [(text.find(w, m.end()), w) for w in specific if text.find(w, m.end()) >= 0]
    return min(after)[1] if after else specific[0]


class SupportScorer:
    """Scores statements against the items of a bank (``fit(bank)`` then ``score``/``score_table``).

    Args:
        threshold: minimum score for support/against to count (a specific keyword is 1.0,
            a generic word or one-character keyword 0.5, same SERVQUAL dimension +0.5,
            same issue +0.5).
        use_wording: also use the content words of the item's perception wording (weight 0.5).
        segmenter: a :class:`~voiceofcustomer.text.segment.Segmenter` (default: a new one).
    """

    def __init__(self, *, threshold: float = 1.5, use_wording: bool = True, segmenter=None):
        self.threshold = threshold
        self.use_wording = use_wording
        self.segmenter = segmenter

    def fit(self, bank: pd.DataFrame) -> "SupportScorer":
        from voiceofcustomer.text.segment import Segmenter

        seg = self.segmenter or Segmenter()
        self.segmenter_ = seg
        self.items_ = bank.reset_index(drop=True)
        words = []
        for item in self.items_.itertuples():
            promise = bool(_ITEM_BY_PROMISE.search(str(item.p_text)))
            w = {k: (0.5 if (k in GENERIC or len(k) == 1 or promise and k in PROMISE_WORDS) else 1.0)
                 for k in _words(item.keywords)}
            if self.use_wording:
                body = re.sub(r"^该(营业厅|运营商|公司)(的)?", "", str(item.p_text))
                for t in seg(body):
                    if len(t) >= 2 and t not in w and t not in GENERIC:
                        w[t] = 0.5
            words.append(w)
        self.words_ = words
        # the place or thing an item names, and its synonyms: evidence must name one (a bank without the column: none)
        self.objects_ = [tuple(_words(o)) for o in self.items_.get("object", pd.Series([""] * len(words)))]
        # the quality an item asks of its thing, one word of which evidence must name (a bank without the column: none)
        # (a bank without the column: none); an item whose wording asks to tell the customer (提醒, 通知 …) or names
        # the hours of a service (全天候, 周末 …) and declares none: a word of telling or of the hours
        self.needs_ = [tuple(_words(o)) or (TELL_WORDS if _ITEM_TELLS.search(str(p)) else
                                             HOURS_WORDS if _ITEM_HOURS.search(str(p)) else ())
                       for o, p in zip(self.items_.get("need", pd.Series([""] * len(words))), self.items_["p_text"])]
        # the venue whose staff or hall the item is about: the store (该营业厅…), the home visit (上门师傅 …) or none
        self.venues_ = ["store" if str(p).startswith("该营业厅") else "home" if _ITEM_HOME_STAFF.search(str(p))
                        else "hotline" if _ITEM_HOTLINE_STAFF.search(str(p)) else "" for p in self.items_["p_text"]]
        self.servqual_ = self.items_["servqual"].astype(str).tolist()
        self.issue_ = self.items_["issue"].astype(str).tolist() if "issue" in self.items_ else [""] * len(words)
        # the network an item is about: the mobile signal (the issue label signal: indoors, lifts, outdoors, mobile
        # data …), home WiFi (its wording names it: IB200) or neither
        self.media_ = ["wifi" if HOME_WIFI.search(str(p)) else "mobile" if issue == "signal" else ""
                       for p, issue in zip(self.items_["p_text"], self.issue_)]
        # the items that ask a fault fixed the first time: a repair made again is evidence for them (REPAIR_AGAIN)
        self.first_time_ = [bool(_ITEM_FIRST_TIME.search(str(p))) for p in self.items_["p_text"]]
        # the item that asks any service done right the first time: a repair or an installation made again is its failure
        self.first_time_any_ = [bool(_ITEM_FIRST_TIME_ANY.search(str(p))) for p in self.items_["p_text"]]
        # the items that ask the line easy to get through: a call nobody answered is evidence for them (UNANSWERED)
        self.gets_through_ = [bool(_ITEM_GETS_THROUGH.search(str(p))) for p in self.items_["p_text"]]
        return self

    def _check(self):
        if not hasattr(self, "words_"):
            raise NotFittedError("SupportScorer is not fitted; call fit(bank) first")

    def _prepare(self, text: str) -> list[tuple[str, set[str]]]:
        clauses = [c for c in _CLAUSE.split(text) if c.strip()] or [text]
        return [(c, set(self.segmenter_(c))) for c in clauses]

    def _one(self, j: int, clauses, text: str, labels: dict | None) -> Support:
        weights = self.words_[j]
        hits: dict[str, float] = {}
        hit_clauses = []
        for k, (c, toks) in enumerate(clauses):
            found = [w for w in weights if _hit(w, c, toks)]
            if found:
                hit_clauses.append(k)
                for w in found:
                    hits[w] = weights[w]
        # a word inside a longer hit (资料 in 宣传资料) is not a second hit
        for w in list(hits):
            if any(w != o and w in o for o in hits):
                del hits[w]
        # a call nobody answered (报修电话打了三次都没人接): the line's failure; a word inside the line's name (报修 of
        # 报修电话) is no hit of any item
        unanswered = line_unanswered(text)
        if unanswered:
            named_line = _line_names(text)
            for w in list(hits):
                if w not in named_line:
                    del hits[w]
        # below the floor by the item's own words (报修电话 is no 热线, no 打通): the call unanswered names what it asks,
        # unless the one nobody reached is the agent (转人工…接不通: IB081's 很快接通人工客服)
        through = (bool(unanswered) and self.gets_through_[j] and sum(hits.values()) < 1.0
                   and not AGENT.search(text))
        if through:
            hits[unanswered] = UNANSWERED_WEIGHT
            hit_clauses.append(next((k for k, (c, _) in enumerate(clauses) if unanswered in c), 0))
        # a repair made again (报修了三次, 师傅来了几趟): the failure of an item that asks it done the first time, and,
        # weighing less, of the item that asks any service done so; an installation made again that of the latter
        repaired = repair_again(text)
        again = repaired or install_again(text)
        first = bool(again) and (self.first_time_[j] and repaired or self.first_time_any_[j])
        if first:
            hits[again] = REPAIR_AGAIN_ANY_WEIGHT if repaired and not self.first_time_[j] else REPAIR_AGAIN_WEIGHT
            hit_clauses.append(next((k for k, (c, _) in enumerate(clauses) if again in c), 0))
        objects = self.objects_[j]
        named = [o for o in objects if any(_hit(o, c, toks) for c, toks in clauses)]
        # hits below the floor (one generic word) and the place or thing the item names, which no hit names: the
        # place counts as a generic word does (卧室里手机信号差 for 在室内提供稳定的手机信号, whose keyword 信号 is
        # inside its wording's 手机信号); no excess cue is about it
        below = bool(hits) and max(hits.values()) < 1.0 and sum(hits.values()) < 1.0
        place = next((o for o in named if below and not any(o in w or w in o for w in hits)), None)
        weights = list(hits.values()) + ([OBJECT_WEIGHT] if place else [])
        if not hits or max(weights) < 1.0 and sum(weights) < 1.0:
            return Support(0.0, 0, tuple(hits))
        if objects and not named:
            return Support(0.0, 0, tuple(hits))  # about another place or thing (卧室 for 在电梯里)
        need = self.needs_[j]
        if need and not any(_hit(w, c, toks) for w in need for c, toks in clauses):
            # the item's thing without the quality it asks of it: 打10000号也没人解决 reached the hotline and
            # complains of the handling, not that IB080's hotline is hard to get through (打不通, 占线, 没人接 …)
            return Support(0.0, 0, tuple(hits))
        if self._other_venue(j, text):
            return Support(0.0, 0, tuple(hits))  # 装维师傅上门态度很差 for 该营业厅的员工始终礼貌待客
        if self._other_network(j, text):
            return Support(0.0, 0, tuple(hits))  # 家里WiFi信号差 for 该运营商在室内提供稳定的手机信号
        if self.issue_[j] != "security" and SCAM_WORDS.search(text):
            return Support(0.0, 0, tuple(hits))  # 短信说积分要清零…一看就是诈骗 for 准确累计客户的消费积分
        score = min(sum(weights), 3.0)
        stance = ""
        if labels:
            score += 0.5 * (labels.get("servqual") == self.servqual_[j]) + 0.5 * (labels.get("issue") == self.issue_[j])
            stance = labels.get("stance") or ""
        # the clauses from the first hit on (…贴得到处都是，看着烦)
        near = "，".join(c for c, _ in clauses[min(hit_clauses):])
        if first or through:  # the repair made again, the call unanswered: the failure
            return Support(score, 1, tuple(hits) + ((place,) if place else ()), bool(named))
        # the count of a repair or a visit made again (报修了多次) or of the customer's calls (打了三次都没人接) is no excess
        masked = REPAIR_AGAIN.sub(lambda m: "□" * len(m.group()), text) if again else text
        if unanswered:
            masked = _CALLS.sub(lambda m: "□" * len(m.group()), masked)
        excess = _excess_target(masked, hits)
        if excess is not None:
            # too much of the failure (排队的人太多) is its presence; too much of the
            # attribute itself (海报太多, 提醒短信一天五遍) is evidence against more of it
            return Support(score, 1 if excess in PROBLEM_WORDS else -1, tuple(hits) + ((place,) if place else ()), bool(named))
        problem = any(w in PROBLEM_WORDS for w in hits)
        found = tuple(hits) + ((place,) if place else ())
        if problem or stance in ("complaint", "suggestion", "praise"):
            return Support(score, 1, found, bool(named))
        if _WISH.search(near) or _COMPLAINT.search(near) or _PRAISE.search(near):
            return Support(score, 1, found, bool(named))
        return Support(score, 0, found, bool(named))

    def _other_venue(self, j: int, text: str) -> bool:
        """Whether ``text`` is about the staff of another venue: it names another of the store (营业厅, 营业员, 柜台 …),
        the home visit (上门, 师傅 …) and the call centre (客服, 热线 …) and not the item's own."""
        venue = self.venues_[j]
        if not venue:
            return False
        named = {v for v, words in _VENUE_WORDS.items() if any(w in text for w in words)}
        return bool(named) and venue not in named

    def _other_network(self, j: int, text: str) -> bool:
        """Whether ``text`` is about the other network: home WiFi (WiFi, 无线网, 路由器, 光猫) and not the mobile network for
        an item of the mobile signal, the mobile network (手机信号, 基站, 打电话 …) and not WiFi for the home WiFi item."""
        medium = self.media_[j]
        if not medium:
            return False
        wifi, mobile = bool(HOME_WIFI.search(text)), bool(MOBILE_WORDS.search(text))
        return (wifi and not mobile) if medium == "mobile" else (mobile and not wifi)

    def score(self, item_id: str, text: str, labels: dict | None = None) -> Support:
        """Judge one statement against one bank item (``labels``: servqual/issue/stance, optional)."""
        self._check()
        idx = np.flatnonzero(self.items_["item_id"].to_numpy() == item_id)
        if not len(idx):
            raise KeyError(f"item {item_id!r} is not in the fitted bank")
        return self._one(int(idx[0]), self._prepare(str(text)), str(text), labels)

    def score_table(self, statements: pd.DataFrame, *, places: bool = False) -> tuple[np.ndarray, ...]:
        """Score and direction matrices (statements × items) for a statements table with
        ``text`` and, when present, ``servqual``/``issue``/``stance``; with ``places``, a third: whether the
        statement names the item's place or thing (``Support.place``)."""
        self._check()
        n, m = len(statements), len(self.items_)
        scores = np.zeros((n, m), dtype=np.float32)
        dirs = np.zeros((n, m), dtype=np.int8)
        named = np.zeros((n, m), dtype=bool)
        label_cols = [c for c in ("servqual", "issue", "stance") if c in statements.columns]
        # inverted index: a word found in the text (as a substring, a superset of real hits)
        # names the items worth scoring; items whose found words weigh < 1 cannot reach a hit
        index: dict[str, list[tuple[int, float]]] = {}
        for j, weights in enumerate(self.words_):
            for w, wt in weights.items():
                index.setdefault(w, []).append((j, wt))
        vocab = list(index)
        cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        for i, row in enumerate(statements.itertuples(index=False)):
            text = str(getattr(row, "text"))
            labels = {c: getattr(row, c) for c in label_cols} or None
            key = (text, tuple(labels.values()) if labels else ())
            if key in cache:
                scores[i], dirs[i], named[i] = cache[key]
                continue
            found: dict[int, float] = {}
            for w in vocab:
                if w in text:
                    for j, wt in index[w]:
                        found[j] = found.get(j, 0.0) + wt
            todo = [j for j, wt in found.items() if wt >= 1.0]
            if repair_again(text) or install_again(text):  # 修了三次还是老问题: no word of the item, its failure
                todo = sorted(set(todo) | {j for j, (first, any_) in enumerate(zip(self.first_time_, self.first_time_any_))
                                           if first or any_})
            if line_unanswered(text):  # 报修电话打了三次都没人接: the line's failure
                todo = sorted(set(todo) | {j for j, through in enumerate(self.gets_through_) if through})
            if todo:
                clauses = self._prepare(text)
                for j in todo:
                    s = self._one(j, clauses, text, labels)
                    scores[i, j] = s.score
                    dirs[i, j] = s.direction
                    named[i, j] = s.place
            cache[key] = (scores[i].copy(), dirs[i].copy(), named[i].copy())
        return (scores, dirs, named) if places else (scores, dirs)
