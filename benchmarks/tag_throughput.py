"""Throughput and memory of `voc tag` against plain single-process jieba.lcut.

    python benchmarks/tag_throughput.py [--rows 200000] [--pairs 3]

Builds a CSV of N rows sampled (seeded, with replacement) from the real customer
turns in ../shared/data/stc3_helpdesk_telecom.jsonl.gz, then runs ``--pairs`` pairs,
side by side in the same run (so both see the same machine load):
(1) plain `jieba.lcut` over the texts in one process (dictionary load excluded),
(2) `voc tag` on the CSV as a subprocess (start-up, reading, writing included),
reporting the median rows/s of each, the median of the per-pair speed-ups, and the
peak summed RSS of voc's whole process tree. On a machine shared with other jobs the
wall-clock ratio depends on the load (both sides get a share of the cores), so each
pair also records CPU seconds (jieba's process; voc and all its workers) and the
load-independent ratio jieba CPU / (voc CPU / cores).
Results go to benchmarks/results/tag_throughput.json.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import time

from _common import sample_turns_csv, save
from _proc import run_measured


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("-o", "--out", default="tag_throughput.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    texts, tmp, src = sample_turns_csv(args.rows, args.seed, "voc_tag_bench_")
    n_chars = sum(map(len, texts))

    import statistics

    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    out = tmp / "tagged.csv"
    voc = shutil.which("voc") or sys.executable
    cmd = [voc, "tag", str(src), "-o", str(out), "-q"] if voc.endswith("voc") else \
        [sys.executable, "-m", "voiceofcustomer", "tag", str(src), "-o", str(out), "-q"]
    pairs = []
    import resource

    def children_cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)  # voc and its workers, once reaped
        return r.ru_utime + r.ru_stime

    for _ in range(args.pairs):
        t0, c0 = time.perf_counter(), time.process_time()
        for t in texts:
            jieba.lcut(t)
        jieba_s, jieba_cpu = time.perf_counter() - t0, time.process_time() - c0
        k0 = children_cpu()
        m = run_measured(cmd)
        voc_cpu = children_cpu() - k0
        if m["rc"] != 0:
            print("voc tag failed", m)
            return 1
        pairs.append({"jieba_rows_per_s": round(args.rows / jieba_s), "voc_rows_per_s": round(args.rows / m["seconds"]),
                      "speedup": round(jieba_s / m["seconds"], 2), "voc_peak_tree_rss_mb": m["peak_tree_rss_mb"],
                      "jieba_cpu_s": round(jieba_cpu, 1), "voc_cpu_s": round(voc_cpu, 1),
                      # load-independent: rows per CPU-second, voc's spread over this machine's cores
                      "cpu_speedup_on_all_cores": round(jieba_cpu / (voc_cpu / (os.cpu_count() or 1)), 2),
                      "load_avg_1min": round(os.getloadavg()[0], 1)})
        print(pairs[-1], flush=True)
    with open(out, encoding="utf-8-sig") as fh:
        n_out = sum(1 for _ in csv.reader(fh)) - 1
    med = lambda k: statistics.median(p[k] for p in pairs)  # noqa: E731
    res = {
        "rows": args.rows, "chars": n_chars, "rows_out": n_out, "pairs": pairs,
        "jieba_lcut_single_process": {"rows_per_s": round(med("jieba_rows_per_s"))},
        "voc_tag": {"rows_per_s": round(med("voc_rows_per_s")),
                    "peak_tree_rss_mb": max(p["voc_peak_tree_rss_mb"] for p in pairs)},
        "speedup_vs_jieba": med("speedup"),
        "cpu_speedup_on_all_cores": med("cpu_speedup_on_all_cores"),
        "cores": os.cpu_count(),
    }
    shutil.rmtree(tmp)
    print(f"{args.rows:,} rows ({n_chars:,} chars) of real customer turns")
    print(f"jieba.lcut, 1 process : {res['jieba_lcut_single_process']['rows_per_s']:>8,} rows/s")
    print(f"voc tag (all cores)   : {res['voc_tag']['rows_per_s']:>8,} rows/s, peak RSS of process tree "
          f"{res['voc_tag']['peak_tree_rss_mb']:,.0f} MB, {n_out:,} rows out")
    print(f"speed-up (median of {args.pairs} pairs): {res['speedup_vs_jieba']}x wall clock; "
          f"{res['cpu_speedup_on_all_cores']}x in CPU time spread over {res['cores']} cores")
    print("written", save(args.out, res))
    return 0 if n_out == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
