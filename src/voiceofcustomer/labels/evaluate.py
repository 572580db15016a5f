"""``voc evaluate``: the model against labelled data, side by side with a keyword baseline.

The baseline is what a complaint team would build by hand (a keyword list per
category); the model has to beat it to be worth its keep.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.model import LabelModel, load_corpus, load_model
from voiceofcustomer.text.normalize import normalize
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS
from voiceofcustomer.labels.train import field_report
from voiceofcustomer.io.writers import atomic_path, write_table

__all__ = ["KeywordBaseline", "evaluate", "KEYWORDS"]

KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "issue": {
        "signal": ("信号", "没信号", "掉话", "通话", "接不通", "4G", "5G", "基站", "覆盖", "不在服务区", "手机上网"),
        "broadband": ("宽带", "网速", "断网", "掉线", "光猫", "路由器", "WiFi", "wifi", "百兆", "千兆", "IPTV"),
        "install_repair": ("维修", "报修", "上门", "装机", "安装", "移机", "拆机", "师傅", "装维", "线路", "井盖"),
        "billing": ("扣费", "话费", "账单", "资费", "套餐", "收费", "退费", "退款", "月租", "价格", "贵", "元"),
        "handling": ("办理", "销户", "携号转网", "转网", "补卡", "开通", "过户", "变更", "实名", "改套餐", "停机"),
        "marketing": ("推销", "捆绑", "营销", "私自", "订购", "增值业务", "宣传", "促销", "送", "合约"),
        "attitude": ("态度", "不耐烦", "骂", "凶", "冷漠", "推诿", "工牌", "着装", "礼貌", "脸色", "服务员"),
        "efficiency": ("排队", "等了", "打不通", "热线", "人工", "转来转去", "踢皮球", "等待", "没人接", "回复慢"),
        "notification": ("通知", "提醒", "告知", "短信提醒", "到期", "欠费", "没告诉", "公告", "停网通知"),
        "security": ("诈骗", "骚扰", "泄露", "个人信息", "垃圾短信", "隐私", "盗", "冒用", "安全"),
        "environment": ("营业厅", "座位", "环境", "卫生", "空调", "厕所", "停车", "排号机", "灯", "大厅", "坡道"),
    },
    "servqual": {
        "tangibles": ("环境", "座位", "设备", "整洁", "着装", "工牌", "装修", "排号机", "宣传册", "大厅"),
        "reliability": ("信号", "网速", "断网", "掉线", "扣错", "多扣", "没退", "修不好", "不稳定", "账单"),
        "responsiveness": ("等", "排队", "慢", "打不通", "没人", "催", "迟迟", "拖", "几天", "及时"),
        "assurance": ("态度", "专业", "骗", "诈骗", "泄露", "安全", "捆绑", "私自", "解释", "礼貌"),
        "empathy": ("老人", "提醒", "营业时间", "适合", "考虑", "残疾", "关心", "贴心", "个性化", "晚上"),
    },
    "demand": {
        "business": ("套餐", "资费", "价格", "流量包", "优惠", "月租", "捆绑", "新业务"),
        "information": ("通知", "提醒", "告知", "宣传", "公告", "说明", "广告", "海报"),
        "channel": ("营业厅", "热线", "APP", "app", "网上", "微信", "公众号", "客服电话", "自助"),
        "function": ("办理", "维修", "投诉", "缴费", "开通", "扣费", "处理", "流程"),
        "attribute": ("方便", "安全", "灵活", "快捷", "准确", "稳定", "隐私"),
        "standard": ("承诺", "说好", "小时内", "天内", "时限", "标准", "保证"),
        "delivery": ("信号", "网速", "宽带", "态度", "服务", "排队", "环境"),
    },
    "stance": {
        "complaint": ("投诉", "太", "不满", "差", "垃圾", "坑", "无语", "怎么回事", "没有", "不行", "慢"),
        "suggestion": ("希望", "建议", "应该", "能不能", "最好", "要是", "能否", "可以考虑"),
        "praise": ("感谢", "谢谢", "满意", "点赞", "不错", "很好", "给力", "耐心", "及时", "表扬"),
    },
}
_DEFAULTS = {"issue": "other", "servqual": "none", "demand": "none", "stance": "neutral"}


class KeywordBaseline:
    """Label = the category with the most keyword hits; no hit gives the field's default."""

    def fit(self, texts=None, labels=None):
        return self

    def predict(self, texts) -> pd.DataFrame:
        rows = []
        for t in texts:
            t = normalize(t or "")
            row = {}
            for f in FIELDS:
                scores = {lab: sum(k in t for k in kws) for lab, kws in KEYWORDS[f].items()}
                best = max(scores, key=scores.get)
                row[f] = best if scores[best] > 0 else _DEFAULTS[f]
            rows.append(row)
        return pd.DataFrame(rows, columns=list(FIELDS))


def _heatmap(rep: dict, title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = rep["confusion"]["labels"]
    m = np.array(rep["confusion"]["matrix"], dtype=float)
    norm = m / np.maximum(m.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(1 + 0.55 * len(labels), 0.8 + 0.5 * len(labels)))
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if m[i, j]:
                ax.text(j, i, int(m[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if norm[i, j] > 0.5 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)


def evaluate(labelled: str | Path | pd.DataFrame, out_dir: str | Path, *, model: LabelModel | None = None) -> dict:
    """Write per-field metrics, confusion matrices (CSV + PNG heat maps) for the model
    and the keyword baseline into ``out_dir``; return the summary."""
    if not isinstance(labelled, pd.DataFrame) and not Path(labelled).exists():
        raise InputError(f"{labelled}: file not found; give a labelled .csv/.jsonl (or a folder of .jsonl)")
    df = labelled if isinstance(labelled, pd.DataFrame) else load_corpus(labelled)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = model or load_model()
    texts = df["text"].fillna("").tolist()
    systems = {"model": model.predict(texts), "keyword_baseline": KeywordBaseline().predict(texts)}
    summary: dict = {"n": len(df), "fields": {}}
    rows = []
    for f in FIELDS:
        summary["fields"][f] = {}
        for name, pred in systems.items():
            rep = field_report(df[f].tolist(), pred[f].tolist(), f)
            summary["fields"][f][name] = {"macro_f1": rep["macro_f1"], "accuracy": rep["accuracy"]}
            for lab, v in rep["per_class"].items():
                rows.append({"field": f, "system": name, "label": lab, **v})
            cm = pd.DataFrame(rep["confusion"]["matrix"], index=LABELS[f], columns=LABELS[f])
            cm.index.name = "true\\predicted"
            write_table(cm.reset_index(), out_dir / f"confusion_{f}_{name}.csv")
            _heatmap(rep, f"{f} — {name} (macro-F1 {rep['macro_f1']:.3f})", out_dir / f"confusion_{f}_{name}.png")
    write_table(pd.DataFrame(rows), out_dir / "per_class.csv")
    side = pd.DataFrame([{"field": f, **{f"{s}_macro_f1": round(v["macro_f1"], 4) for s, v in d.items()},
                          **{f"{s}_accuracy": round(v["accuracy"], 4) for s, v in d.items()}}
                         for f, d in summary["fields"].items()])
    write_table(side, out_dir / "summary.csv")
    with atomic_path(out_dir / "summary.json") as tmp:
        tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary
