"""Reader/writer throughput on a synthetic ticket table (no research data needed).

Row accounting, quote checks and the reversible formula prefix cost time on every
row; this measures it. Writes each format with ``TableWriter`` and reads it back with
``open_table`` (streaming), checking the row count.

    python benchmarks/io_speed.py [--rows 100000] [-o OUT]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import pandas as pd

from voiceofcustomer.io.readers import open_table
from voiceofcustomer.io.writers import TableWriter

from _common import save

_WORDS = ["宽带", "晚上", "总是", "掉线", "营业厅", "排队", "一个小时", "话费", "多扣了", "30元", "信号", "很差",
          "客服", "态度", "不好", "要求", "退费", "，", "。", "\n", "=", "\"", ","]


def synthetic(rows: int, seed: int = 7) -> pd.DataFrame:
    rng = random.Random(seed)
    texts = ["".join(rng.choices(_WORDS, k=rng.randint(3, 40))) for _ in range(rows)]
    return pd.DataFrame({"工单编号": [f"GD{i:07d}" for i in range(rows)],
                         "受理时间": [f"2026-0{1 + i % 9}-1{i % 10}" for i in range(rows)],
                         "渠道": rng.choices(["电话", "网站", "微信"], k=rows), "投诉内容": texts})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("-o", "--out", default="io_speed.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    frame = synthetic(args.rows)
    out = {"rows": args.rows, "formats": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("csv", "tsv", "jsonl", "parquet", "xlsx"):
            path = Path(tmp) / f"t.{fmt}"
            t0 = time.perf_counter()
            with TableWriter(path) as w:
                for start in range(0, len(frame), 20_000):
                    w.write(frame.iloc[start:start + 20_000])
            t1 = time.perf_counter()
            src = open_table(path, text_col="投诉内容", id_col="工单编号")
            n = sum(len(c) for c in src.chunks())
            t2 = time.perf_counter()
            assert n == args.rows == src.counts["records"], (fmt, n)
            out["formats"][fmt] = {"write_rows_per_s": round(args.rows / (t1 - t0)),
                                   "read_rows_per_s": round(args.rows / (t2 - t1)),
                                   "bytes": path.stat().st_size}
            print(fmt, out["formats"][fmt])
    print("written", save(args.out, out))


if __name__ == "__main__":
    main()
