"""A written project coded with a team field (texts are our own, not research data).

The team codes ``channel``: which contact channel a complaint is about, cued by the
words for a store, the hotline or the app; the problems and speakers vary, so a
model has to learn the cue, not the sentence.
"""

from __future__ import annotations

import pandas as pd

CODEBOOK = """\
fields:
  - id: channel
    name: 反映渠道
    description: Which contact channel the statement is about.
    values:
      - id: store
        name: 营业厅
        definition: A physical store, its staff or its queue.
        examples: [营业厅排队太久]
      - id: hotline
        name: 客服热线
        definition: The phone hotline and its agents.
      - id: online
        name: 线上渠道
        definition: The app, the online hall or WeChat.
"""

CUES = {"store": ["营业厅", "门店", "线下厅店"], "hotline": ["客服热线", "打客服电话", "人工客服"],
        "online": ["手机App", "网上营业厅", "微信公众号"]}
_WHO = ["我", "我妈", "我爸", "同事", "邻居", "我们公司", "家里老人"]
_WHAT = ["办停机保号", "改套餐", "查话费", "补办手机卡", "开发票", "退订流量包", "报宽带故障"]
_HOW = ["等了很久也没办成", "来回折腾了好几次", "说不清楚还让我再跑一趟", "说要过几天才行"]


def channel_texts(n: int, offset: int = 0) -> list[tuple[str, str]]:
    """``n`` statements ``(text, channel)``; different offsets give different sentences."""
    out = []
    chans = list(CUES)
    for i in range(offset, offset + n):
        ch = chans[i % 3]
        cue = CUES[ch][(i // 3) % 3]
        out.append((f"{_WHO[(i // 9) % 7]}在{cue}{_WHAT[(i * 5 + 1) % 7]}，{_HOW[(i // 7) % 4]}", ch))
    return out


def codebook_project(path, n: int = 45, coder: str = "wang", codebook_path=None):
    """A project of ``n`` tagged statements, each accepted with its channel by ``coder``."""
    from voiceofcustomer.labels.codebook import load_codebook
    from voiceofcustomer.review.store import create_project

    rows = channel_texts(n)
    df = pd.DataFrame({"statement_id": [f"c{i:03d}" for i in range(n)], "text": [t for t, _ in rows],
                       "servqual": "responsiveness", "demand": "channel", "issue": "efficiency", "stance": "complaint",
                       **{f"{f}_conf": 0.5 for f in ("servqual", "demand", "issue", "stance")}})
    store = create_project(df, path)
    if codebook_path is None:
        codebook_path = path.parent / "team.yaml"
        codebook_path.write_text(CODEBOOK, encoding="utf-8")
    store.set_codebook(load_codebook(codebook_path))
    for sid, (_, ch) in zip(df["statement_id"], rows):
        store.decide(sid, {"channel": ch}, coder)
    store.close()
    return path
