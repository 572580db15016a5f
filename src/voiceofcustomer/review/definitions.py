"""Short definitions of every label (from ``shared/spec/taxonomy.md``), shown on hover in the labels view.

Why here: a coder decides by the definitions and the boundary rules, not by the
label names; the review page puts them one hover away.
"""

from __future__ import annotations

from voiceofcustomer.labels.taxonomy import FIELD_ZH, FIELDS, LABELS, ZH

__all__ = ["DEFINITIONS", "codebook", "team_codebook"]

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


def codebook() -> list[dict]:
    """Fields and choices with Chinese names and definitions, in taxonomy order (for the page)."""
    return [{"field": f, "name": FIELD_ZH.get(f, f),
             "choices": [{"value": v, "zh": ZH[f].get(v, v), "definition": DEFINITIONS[f].get(v, "")}
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
