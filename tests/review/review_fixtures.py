"""A small tagged table written for the tests (texts are our own, not research data)."""

from __future__ import annotations

import pandas as pd

from voiceofcustomer.labels.taxonomy import FIELDS

INJECTED = '<script>alert("x")</script><img src=x onerror="alert(2)">'

_TEXTS = [
    ("宽带晚上老掉线，修了三次还没好", "reliability", "delivery", "broadband", "complaint"),
    ("营业厅排队一个多小时", "responsiveness", "delivery", "efficiency", "complaint"),
    ("话费多扣了三十元，一直没退", "reliability", "function", "billing", "complaint"),
    ("希望套餐到期前能提醒一下", "empathy", "information", "notification", "suggestion"),
    ("装维师傅很耐心，点赞", "assurance", "delivery", "other", "praise"),
    ("客服态度很差，直接挂电话", "assurance", "delivery", "attitude", "complaint"),
    ("家里信号一格都没有", "reliability", "delivery", "signal", "complaint"),
    ("没经过我同意就开通了会员", "assurance", "function", "marketing", "complaint"),
    ("营业厅椅子太少，站着等", "tangibles", "delivery", "environment", "complaint"),
    ("总接到诈骗电话，怎么拦截", "assurance", "attribute", "security", "neutral"),
]


def tagged_frame(n: int = 30) -> pd.DataFrame:
    rows = []
    for i in range(n):
        text, sq, dm, iss, stn = _TEXTS[i % len(_TEXTS)]
        conf = round(0.3 + 0.6 * ((i * 7) % n) / n, 3)
        rows.append({"statement_id": f"t:{i + 1}-s01", "source": "a.csv" if i % 2 else "b.csv",
                     "thread": f"th{i // 3}", "speaker": f"用户{i % 4}", "role": "participant",
                     "text": f"{text}（第{i + 1}条）" + (INJECTED if i == 4 else ""),
                     "servqual": sq, "demand": dm, "issue": iss, "stance": stn,
                     **{f"{f}_conf": conf for f in FIELDS}, "needs_review": conf < 0.5, "受理时间": "2026-11-01"})
    return pd.DataFrame(rows)
