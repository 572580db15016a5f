"""How fast the labels view answers with 100,000 statements in the project.

Builds a project of synthetic statements (generated here from a few phrase lists, no
research data), starts the real server (`voc review --no-browser`) in a subprocess,
and times over HTTP (keep-alive, like a browser): accepting a row (POST /api/decide),
fetching the next page of the queue (GET /api/queue), and undo. Also with 5,000
decisions already made, so the "not yet coded by me" queue has to skip them (fewer in a small
project: the earlier decisions leave the second phase's own decisions and a page to do, and a
queue that runs out ends the phase; until 7 Dec 2026 --n 2000 decided every statement in the
warm-up and stopped in IndexError on the empty page's last rank).

    python benchmarks/review_latency.py [--n 100000] [--decisions 300] [-o OUT]

Results: benchmarks/results/review_latency.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from _common import save

_A = ["宽带", "手机信号", "话费", "营业厅", "客服热线", "装维师傅", "流量套餐", "积分", "APP", "携号转网"]
_B = ["老是断", "多扣了钱", "排队太久", "态度不好", "一直没人处理", "很满意", "希望便宜点", "到期没提醒"]
_C = ["", "，已经第三次了", "，麻烦尽快", "。", "，谢谢", "，太失望了"]
FIELDS = {"servqual": ["tangibles", "reliability", "responsiveness", "assurance", "empathy", "none"],
          "demand": ["business", "information", "channel", "function", "attribute", "standard", "delivery", "none"],
          "issue": ["signal", "broadband", "install_repair", "billing", "handling", "marketing", "attitude",
                    "efficiency", "notification", "security", "environment", "other"],
          "stance": ["complaint", "suggestion", "praise", "neutral"]}


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a, b, c = rng.integers(0, len(_A), n), rng.integers(0, len(_B), n), rng.integers(0, len(_C), n)
    df = pd.DataFrame({"statement_id": [f"s{i:06d}" for i in range(n)],
                       "text": [f"{_A[i]}{_B[j]}{_C[k]}#{m % 997}" for m, (i, j, k) in enumerate(zip(a, b, c))],
                       "source": [f"export_{i % 12:02d}.csv" for i in range(n)],
                       "thread": [f"th{i // 4}" for i in range(n)]})
    for f, labels in FIELDS.items():
        df[f] = rng.choice(labels, n)
        df[f"{f}_conf"] = rng.random(n).round(3)
    return df


class Client:
    def __init__(self, port: int, token: str):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.h = {"X-Review-Token": token, "Host": f"127.0.0.1:{port}"}

    def get(self, path):
        t = time.perf_counter()
        self.c.request("GET", path, headers=self.h)
        r = self.c.getresponse()
        body = json.loads(r.read())
        return (time.perf_counter() - t) * 1000, r.status, body

    def post(self, path, obj):
        t = time.perf_counter()
        self.c.request("POST", path, body=json.dumps(obj), headers={**self.h, "Content-Type": "application/json"})
        r = self.c.getresponse()
        body = json.loads(r.read())
        return (time.perf_counter() - t) * 1000, r.status, body


def stats(ms: list[float]) -> dict:
    a = np.asarray(ms)
    return {"n": len(a), "p50_ms": round(float(np.percentile(a, 50)), 2), "p95_ms": round(float(np.percentile(a, 95)), 2),
            "max_ms": round(float(a.max()), 2)}


def earlier_decisions(todo: int, wanted: int, decisions: int, page: int = 50) -> int:
    """How many earlier decisions to write before the second phase: ``wanted`` (5,000), at most so many that
    the ``todo`` statements still left hold the phase's own ``decisions`` and a page of the queue."""
    return max(0, min(wanted, todo - decisions - page))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--decisions", type=int, default=300)
    ap.add_argument("-o", "--out", default="review_latency.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    out: dict = {"n_statements": args.n, "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                 "python": platform.python_version()}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "tagged.parquet"
        synthetic(args.n).to_parquet(src)
        db = Path(tmp) / "review.sqlite"
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", "from voiceofcustomer.cli.main import main; main()", "review", str(src), "--db", str(db),
                                 "--no-browser", "--coder", "bench"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            line = proc.stdout.readline()
            m = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", line)
            if not m:
                raise SystemExit(f"server did not start: {line!r}")
            out["project_build_and_start_s"] = round(time.perf_counter() - t, 1)
            cl = Client(int(m.group(1)), m.group(2))
            for phase, warm in (("fresh", 0), ("after_5000_decisions", 5000)):
                if warm:
                    import sqlite3

                    # 5,000 earlier decisions by this coder on the head of the queue (written directly, fast)
                    con = sqlite3.connect(db)
                    todo = con.execute("SELECT COUNT(*) FROM statements WHERE rid NOT IN "
                                       "(SELECT rid FROM decisions)").fetchone()[0]
                    warm = earlier_decisions(todo, warm, args.decisions)
                    phase = f"after_{warm}_decisions"
                    out["earlier_decisions"] = warm
                    rids = [r[0] for r in con.execute("SELECT rid FROM statements WHERE rid NOT IN "
                                                      "(SELECT rid FROM decisions) ORDER BY teach_rank LIMIT ?", (warm,))]
                    con.executemany("INSERT INTO decisions (batch, rid, field, value, coder, at) VALUES "
                                    "(100000 + ?, ?, 'issue', 'other', 'bench', 'x')", [(i, r) for i, r in enumerate(rids)])
                    con.commit()
                    con.close()
                dec, page, und = [], [], []
                ms, status, body = cl.get("/api/queue?limit=50")
                rows = body["rows"]
                # the rank to page after: the last row fetched (the rows left may be none, the page past the end empty)
                last = rows[-1]["rank"] if rows else None
                for k in range(args.decisions):
                    if len(rows) < 10 and last is not None:
                        ms, status, body = cl.get(f"/api/queue?limit=50&after={last}")
                        page.append(ms)
                        rows += body["rows"]
                        last = body["rows"][-1]["rank"] if body["rows"] else None  # None: the queue is done
                    if not rows:
                        break
                    r = rows.pop(0)
                    ms, status, body = cl.post("/api/decide", {"statement_id": r["statement_id"],
                                                                "labels": {"issue": "billing"}})
                    assert status == 200, body
                    dec.append(ms)
                    if k % 10 == 9:
                        ms, status, body = cl.post("/api/undo", {})
                        assert status == 200, body
                        und.append(ms)
                ms_q = [cl.get("/api/queue?limit=50")[0] for _ in range(20)]
                ms_f = [cl.get("/api/queue?limit=50&disagree=1&source=export_03.csv")[0] for _ in range(10)]
                ms_s = [cl.get("/api/state")[0] for _ in range(10)]
                out[phase] = {"decide": stats(dec), "undo": stats(und), "next_page": stats(page + ms_q),
                              "filtered_page_disagree_source": stats(ms_f), "state": stats(ms_s)}
        finally:
            proc.terminate()
            proc.wait(10)
    print(json.dumps(out, indent=1))
    print("written", save(args.out, out))


if __name__ == "__main__":
    main()
