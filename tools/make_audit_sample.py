"""Generate the shipped demo visits (corpora/samples/audit_visits.csv) from the demo checklist.

Deterministic (seed 20261204); the stores and results are invented for the demo.
Usage: python tools/make_audit_sample.py
"""
import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
rng = random.Random(20261204)
items = list(csv.DictReader(open(ROOT / "corpora/samples/audit_checklist.csv", encoding="utf-8")))
stores = [("滨海新区旗舰厅", "核心店"), ("和平路营业厅", "核心店"), ("南开大学城厅", "省内"), ("河西友谊路厅", "省内"),
          ("武清城关厅", "省内"), ("廊坊新华路厅", "省外"), ("唐山建设路厅", "省外"), ("沧州解放路厅", "省外")]
quality = {name: rng.uniform(0.72, 0.97) for name, _ in stores}
rows = []
for wave, days in (("2026-10", range(8, 25)), ("2026-11", range(5, 26))):
    for name, tier in stores:
        q = min(quality[name] + (rng.uniform(-0.03, 0.08) if wave == "2026-11" else 0), 0.99)
        for visit in range(2):
            date = f"{wave}-{rng.choice(list(days)):02d}"
            for it in items:
                if it["满分"]:
                    score = str(min(int(it["满分"]), max(0, round(rng.gauss(q * int(it["满分"]), 0.8)))))
                elif it["一票否决"] == "是":
                    score = "是" if rng.random() < 0.96 else "否"
                else:
                    score = "是" if rng.random() < q else "否"
                if it["编号"] == "EN3" and tier == "省外" and rng.random() < 0.5:
                    score = "不适用"
                rows.append([name, tier, date, it["编号"], score, ""])
with open(ROOT / "corpora/samples/audit_visits.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["门店", "门店类型", "日期", "编号", "得分", "备注"])
    w.writerows(rows)
print(len(rows), "rows")
