"""Short definitions of every label (from ``shared/spec/taxonomy.md``), shown on hover in the labels view.

Why here: a coder decides by the definitions and the boundary rules, not by the
label names; the review page puts them one hover away. :data:`DEFINITIONS` are the
taxonomy's English; :data:`DEFINITIONS_ZH` say the same, boundary rules included, in
the words of a Chinese service-quality researcher, and are what the page shows
(``definition_zh`` beside ``definition`` in :func:`codebook`).
"""

from __future__ import annotations

import re

from voiceofcustomer.io.readers import GARBLED_NOTE, HEADER_NOTE, TOTALS_NOTE
from voiceofcustomer.labels.context import AGREEMENT_NOTE, INTRODUCTION_NOTE, MODERATOR_NOTE
from voiceofcustomer.labels.taxonomy import FIELD_ZH, FIELDS, LABELS, ZH

__all__ = ["DEFINITIONS", "DEFINITIONS_ZH", "NOTES_ZH", "codebook", "note_zh", "team_codebook"]

DEFINITIONS: dict[str, dict[str, str]] = {
    "servqual": {
        "tangibles": "What can be seen and touched: premises, seats, queue machines, signage, cleanliness, "
                     "staff appearance, printed materials, the look of self-service machines.",
        "reliability": "Delivering what was promised, correctly, first time: network working as sold, correct "
                       "bills, refunds actually made, the repair actually fixing the fault, the same answer from "
                       "every channel.",
        "responsiveness": "Willingness and speed: waiting time, how fast a repair/callback/complaint comes, hotline "
                          "hard to reach, being ignored. A slow repair of a fault is responsiveness.",
        "assurance": "Competence, courtesy, trust: staff knowledge, politeness or rudeness, honesty (misleading "
                     "sales, hidden terms, forced bundling), data and account security.",
        "empathy": "Individual care and convenience: opening hours, plans fitting the person, care for elderly or "
                   "disabled customers, reminders before expiry or overage.",
        "none": "Nothing about service quality: greetings, generic moderator prompts, off-topic talk, "
                "self-introductions (then demand=none, issue=other, stance=neutral).",
    },
    "demand": {
        "business": "The products: tariff and package design, data allowances, bundles, prices, new services.",
        "information": "Where and how customers get information: notices, reminders, transparency, advertising, "
                       "signage, hidden terms.",
        "channel": "The channels: stores, hotline, app, online hall, WeChat, self-service machines, opening hours.",
        "function": "Concrete processes: consultation, handling, activation, payment and billing, after-sales, "
                    "complaint process; wrong bills; a slow repair without a named promise.",
        "attribute": "Qualities wanted of service in general: convenience, security, reliability, flexibility, "
                     "choice, immediacy, accuracy.",
        "standard": "Explicit standards: time limits, success rates, service promises and whether they are kept "
                    "(\"说好的…\", \"承诺…小时内\").",
        "delivery": "The quality actually delivered: network/product quality, staff service as experienced, "
                    "premises, waiting in the store.",
        "none": "None of the above (greetings, prompts, off-topic).",
    },
    "issue": {
        "signal": "No signal, weak indoor coverage, dropped calls, unclear voice, slow mobile data.",
        "broadband": "Broadband slow, drops, outage, speed below contract (a slow broadband repair is "
                     "install_repair).",
        "install_repair": "Installation, relocation, removal, repair visits late or missed, false ticket closure, "
                          "line hazards.",
        "billing": "Wrong charges, unexpected fees, refunds not made, price explanations; package design and prices.",
        "handling": "Handling errors, package changes, cancellation or number-porting obstacles, failed activation.",
        "marketing": "Forced bundling, unauthorised subscription, misleading promotions, sales harassment.",
        "attitude": "Rude, impatient, indifferent, shirking staff; staff conduct, dress and badges.",
        "efficiency": "Only waiting in store, an unreachable hotline, or being passed between departments.",
        "notification": "Not told of outages, expiry, tariff changes, data usage, business rules.",
        "security": "Personal data leaks, fraud, spam calls and SMS, account security.",
        "environment": "Store premises, facilities, seats, cleanliness, signage.",
        "other": "Anything else, incl. praise with no issue, opening hours, app usability.",
    },
    "stance": {
        "complaint": "Reports a problem or dissatisfaction (also a question that reports a fault).",
        "suggestion": "Says what should be, what is wanted or expected.",
        "praise": "Says something went well (then issue=other).",
        "neutral": "Question, fact, moderator prompt, small talk.",
    },
}


#: The same definitions in Chinese (taxonomy.md's definitions and boundary rules, the labels' names of
#: ``labels.taxonomy.ZH``): what the labels view shows on hover.
DEFINITIONS_ZH: dict[str, dict[str, str]] = {
    "servqual": {
        "tangibles": "看得见、摸得着的部分：营业厅场地、座椅、排队叫号机、标识、整洁、照明、员工仪容和工装、宣传资料、"
                     "自助终端的外观。",
        "reliability": "准确、一次到位地兑现承诺：网络、信号、宽带像办理时说的那样好用，账单正确，承诺的退费和补偿真的到账，"
                       "维修真的修好，各渠道答复一致。网络不好用是可靠性，修得慢是响应性；只说金额算错也是可靠性。",
        "responsiveness": "服务的意愿和速度：排队等候时间，上门维修、回电、投诉处理来得多快，热线难打通，没人理会，"
                          "工单无人处理。故障修得慢属于响应性。",
        "assurance": "专业、礼貌与可信：员工业务知识和解释是否准确，礼貌或态度粗暴，诚信（误导销售、隐藏条款、强制捆绑、"
                     "未经同意订购），个人信息和账户安全。某个员工答错属于保证性；向老人推销不需要的业务也是保证性。",
        "empathy": "个性化的关怀与便利：营业时间是否方便，套餐是否适合本人，对老年和残障客户的照顾（如没有无障碍坡道），"
                   "记得客户的情况，到期或流量超出前的提醒。",
        "none": "与服务质量无关：问候、主持人的一般性引导、题外话、自我介绍（此时需求类别为无，问题类别为其他，"
                "陈述类型为中性）。",
    },
    "demand": {
        "business": "产品本身：资费和套餐设计、流量额度、融合捆绑、价格、希望推出的新业务；强制捆绑也归此类。",
        "information": "客户从哪里、怎样得到信息：通知、提醒、资费是否透明、广告宣传、标识和宣传册、隐藏条款、"
                       "作为信息的营销电话。",
        "channel": "服务渠道：营业厅的位置和数量、客服热线、手机营业厅（App）、网上营业厅、微信、自助终端、营业时间；"
                   "客户想用哪个渠道。",
        "function": "具体服务流程中的一步：咨询、办理、开通、缴费和计费、售后、投诉流程；错误账单、未经同意订购；"
                    "没有提到时限或承诺的维修慢。",
        "attribute": "对服务的总体要求：便捷、安全、可靠、灵活、可选择、及时、准确；数据和账户安全（只涉及流程中某一步的"
                     "除外，如补卡时的身份核验属服务功效）。",
        "standard": "明确的标准：时限（如 24 小时内修复）、成功率、服务承诺及是否兑现；一提到时限或承诺"
                    "（“说好的…”“承诺…小时内”）就归此类。",
        "delivery": "实际提供的服务质量：网络和产品质量、员工实际的服务、营业厅环境、在营业厅里等候。",
        "none": "以上都不是（问候、主持人引导、题外话）。",
    },
    "issue": {
        "signal": "无信号、室内覆盖差、掉话、通话不清、手机上网慢、“信号满格却不在服务区”。",
        "broadband": "宽带慢、掉线、中断、速率达不到签约速率、上下行不对称。宽带维修慢归装机维修。",
        "install_repair": "装机、移机、拆机，上门维修迟到或爽约，工单没解决就虚假销单，线路、光缆、井盖隐患。",
        "billing": "乱扣费、意外收费、退费和补偿没到账、对账单费用的解释；套餐设计和价格也归此类。",
        "handling": "办理出错、套餐变更、销户或携号转网受阻、开通慢或开通失败。",
        "marketing": "强制捆绑、未经同意订购、误导性促销、营销骚扰。",
        "attitude": "员工态度粗暴、不耐烦、冷漠、推诿；员工的言行、着装和工牌。",
        "efficiency": "只指在营业厅排队等候、热线打不通、在部门之间被推来推去；抱怨慢但对象明确（信号、账单、维修）时，"
                      "归那个对象。",
        "notification": "没有被告知网络中断、到期、资费调整、流量用量、业务规则。",
        "security": "个人信息泄露、诈骗、骚扰电话和垃圾短信、账户安全。",
        "environment": "营业厅场地、设施、座椅、整洁、标识。",
        "other": "其他一切，包括没有提出问题的表扬、营业时间、手机营业厅（App）好不好用。",
    },
    "stance": {
        "complaint": "反映问题或表达不满；带着故障或不满的提问（“怎么又断网了？”）也是投诉。",
        "suggestion": "说应该怎样，想要什么或期望什么。",
        "praise": "说某件事做得好（此时问题类别为其他）。",
        "neutral": "提问、陈述事实、主持人引导、闲聊。",
    },
}


def codebook() -> list[dict]:
    """Fields and choices with Chinese names and definitions, in taxonomy order (for the page): ``definition``
    the taxonomy's English, ``definition_zh`` the same in Chinese, which the labels view shows on hover."""
    return [{"field": f, "name": FIELD_ZH.get(f, f),
             "choices": [{"value": v, "zh": ZH[f].get(v, v), "definition": DEFINITIONS[f].get(v, ""),
                          "definition_zh": DEFINITIONS_ZH[f].get(v, "")}
                         for v in LABELS[f]]} for f in FIELDS]


def team_codebook(book) -> list[dict]:
    """A team's codebook fields in the page's shape (after the four), with definition and examples on hover."""
    out = []
    for f in book.fields:
        choices = []
        for v in f.values:
            hover = v.definition + ("\n例：" + "；".join(v.examples) if v.examples else "")
            choices.append({"value": v.id, "zh": v.name if v.name != v.id else "", "definition": hover.strip()})
        out.append({"field": f.id, "name": f.name, "custom": True, "description": f.description,
                    "choices": choices})
    return out


#: The notes ``voc split`` / ``voc tag`` give a row (why its labels are what they are, or why it does not count), as
#: the labels view's meta line says them. Why: the page is Chinese, and a focus group's "introduction or small talk
#: (guide R6)" stood in English beside 张女士 · 退休教师 · 公众用户 (found by a new complaint-team researcher).
NOTES_ZH: dict[str, str] = {
    INTRODUCTION_NOTE: "自我介绍或闲聊，不是对服务的评价（标注指南 R6）",
    AGREEMENT_NOTE: "标签取自它所附和的陈述（标注指南 R7）",
    MODERATOR_NOTE: "主持人的提问一律为中性（标注指南 C14）",
    "empty text": "没有文字",
    TOTALS_NOTE: "合计行，不是工单",
    HEADER_NOTE: "重复的表头行，不是工单",
    GARBLED_NOTE: "文字疑似乱码（请检查文件的编码），不计入统计",
}
_STAFF_NOTE = re.compile(r"staff section ?(?P<label>[^:]*?): (?:(?P<staff>the service side's words, not the customer's)"
                         r"|a field of the ticket \(its record\), not the customer's words); not counted")


def note_zh(note) -> str:
    """A row's ``note`` in Chinese for the page: each of its parts (``; ``-joined) that voc writes, translated
    (:data:`NOTES_ZH`, a ticket's staff sections: :func:`voiceofcustomer.statements.staff_note`); any other
    note (a team's own) as written."""
    if not isinstance(note, str) or not note.strip():
        return ""
    out, rest = [], note.strip()
    known = sorted(NOTES_ZH, key=len, reverse=True)  # a note may hold "; " itself (the garbled one)
    while rest:
        m = _STAFF_NOTE.match(rest)
        if m:
            out.append(f"客服部分{m['label']}：服务方的话，不是客户的，不计入统计" if m["staff"]
                       else f"工单字段{m['label']}：工单的记录，不是客户的话，不计入统计")
            size = m.end()
        else:
            hit = next((k for k in known if rest.startswith(k)), None)
            size = len(hit) if hit else (rest.find("; ") if "; " in rest else len(rest))
            out.append(NOTES_ZH[hit] if hit else rest[:size])
        rest = rest[size:].lstrip(";").strip()
    return "；".join(dict.fromkeys(p for p in out if p))
