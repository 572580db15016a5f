"""The label contract of ``shared/spec/taxonomy.md``: ids (column values) and Chinese names (report text)."""

from __future__ import annotations

import numpy as np

__all__ = ["NO_SERVICE_CONTENT", "FIELDS", "LABELS", "ZH", "SERVQUAL_DIMENSIONS", "label_zh", "label_names", "DEFAULT_REVIEW_BELOW", "review_score"]

FIELDS = ("servqual", "demand", "issue", "stance")

LABELS: dict[str, tuple[str, ...]] = {
    "servqual": ("tangibles", "reliability", "responsiveness", "assurance", "empathy", "none"),
    "demand": ("business", "information", "channel", "function", "attribute", "standard", "delivery", "none"),
    "issue": ("signal", "broadband", "install_repair", "billing", "handling", "marketing", "attitude",
              "efficiency", "notification", "security", "environment", "other"),
    "stance": ("complaint", "suggestion", "praise", "neutral"),
}

SERVQUAL_DIMENSIONS = LABELS["servqual"][:5]

ZH: dict[str, dict[str, str]] = {
    "servqual": {"tangibles": "有形性", "reliability": "可靠性", "responsiveness": "响应性", "assurance": "保证性",
                 "empathy": "移情性", "none": "无"},
    "demand": {"business": "业务需求", "information": "服务信息", "channel": "服务渠道", "function": "服务功效",
               "attribute": "服务要素", "standard": "服务标准", "delivery": "服务提供", "none": "无"},
    "issue": {"signal": "网络信号", "broadband": "宽带网络", "install_repair": "装机维修", "billing": "计费资费",
              "handling": "业务办理", "marketing": "营销推广", "attitude": "服务态度", "efficiency": "服务效率",
              "notification": "信息告知", "security": "信息安全", "environment": "营业环境", "other": "其他"},
    "stance": {"complaint": "投诉/不满", "suggestion": "建议/期望", "praise": "表扬", "neutral": "中性"},
}

#: The four labels of a statement with no service content (greetings, small talk, introductions,
#: a turn with nothing of its own: taxonomy, "Real posts" and R6).
NO_SERVICE_CONTENT = ("none", "none", "other", "neutral")
FIELD_ZH = {"servqual": "SERVQUAL维度", "demand": "需求类别", "issue": "问题类别", "stance": "陈述类型"}


def label_zh(field: str, label: str) -> str:
    """Chinese name of a label id (the id itself when unknown, e.g. a user's own group)."""
    return ZH.get(field, {}).get(label, label)


def label_names(field: str) -> dict[str, str]:
    """Every way a person writes a label of ``field`` → its id: the id in lower case, its Chinese name and,
    for a name of two words (投诉/不满, 建议/期望), each word alone. Look a value up by ``value.strip().lower()``.
    One table for every reader of hand-made label columns (``voc agreement``, ``voc evaluate`` / ``voc train``)."""
    names = {}
    for label in LABELS[field]:
        zh = ZH[field][label]
        for name in (label, zh, *zh.split("/")):
            names[name.lower()] = label
    return names


def review_score(confs) -> np.ndarray:
    """One confidence per statement from its four calibrated ``<field>_conf`` (columns in
    ``FIELDS`` order): their geometric mean. ``needs_review`` is ``review_score < --review-below``.

    Why the geometric mean and not the lowest field: on the real dev turns it leaves the
    unflagged half right more often on every field (the minimum reacts to one field's noise;
    per-field thresholds overfit, measured by halves in benchmarks/classify_real.py).
    """
    c = np.clip(np.asarray(confs, dtype=float), 1e-6, 1.0)
    return np.exp(np.log(c).mean(axis=1)) if c.ndim == 2 and c.shape[0] else np.zeros(len(c))


#: ``needs_review`` is set when :func:`review_score` (the geometric mean of the four calibrated
#: confidences) is below this. Chosen on the real-text dev subset (benchmarks/classify_real.py):
#: the threshold that flags at most half of the real posts and leaves the unflagged ones most
#: often right (see models/README.md).
DEFAULT_REVIEW_BELOW = 0.75
