"""Speed and memory of ``voc themes`` on 100,000 statements, cold and cached.

The statements are made from the real customer turns of
``../shared/data/stc3_helpdesk_telecom.jsonl.gz`` (relative to the repository
root; without it the script says so and exits with status 0): turns are
sampled with replacement and varied — their clauses shuffled and a random
number of them kept — so the corpus has the vocabulary and length of real
complaints without being 20 copies of the same 4,705 texts. Each row of the
generated ticket export (工单编号, 受理时间, 渠道, 内容) is one statement.

Two runs of the real command line, each in its own process:

1. cold: ``voc themes tickets.csv -o OUT --by 渠道 --date-col 受理时间`` with an
   empty cache folder;
2. cached: the same command again (embeddings and the UMAP output come from
   the cache).

Reported per run: wall time, peak resident memory of the process (from
``wait4``'s rusage), and the time per stage from ``themes.json``. Results go to
``benchmarks/results/themes_speed.json``.

Usage (from the repository root)::

    python benchmarks/themes_speed.py                # 100,000 statements
    python benchmarks/themes_speed.py --n 20000      # a quicker look
    python benchmarks/themes_speed.py --n 1000000 --runs cold --out benchmarks/results/themes_speed_1000000.json
    python benchmarks/themes_speed.py --n 1000000 --runs cold --engine dask   # embedding on a local Dask cluster

The machine's load average (1, 5, 15 minutes) is recorded before and after
each run: on a shared machine the wall times mean little without it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _common import results_path, save
from themes_quality import DATA, load_turns

RESULTS = ROOT / "benchmarks" / "results" / "themes_speed.json"
_CLAUSE = re.compile(r"[，,。！？!?；;、\s]+")
CHANNELS = ("10000热线", "营业厅", "网上营业厅", "微博")


def make_statements(turns: list[str], n: int, seed: int = 7) -> list[str]:
    """``n`` varied statements: a sampled turn's clauses, shuffled, a random prefix kept."""
    rng = np.random.default_rng(seed)
    clauses = [[c for c in _CLAUSE.split(t) if len(c) >= 2] or [t] for t in turns]
    out = []
    for i in rng.integers(0, len(turns), size=n):
        parts = list(clauses[i])
        rng.shuffle(parts)
        keep = int(rng.integers(1, len(parts) + 1))
        out.append("，".join(parts[:keep]) + "。")
    return out


def write_tickets(texts: list[str], path: Path, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 365, size=len(texts))
    chans = rng.integers(0, len(CHANNELS), size=len(texts))
    base = np.datetime64("2025-01-01")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单编号", "受理时间", "渠道", "内容"])
        for i, (t, d, c) in enumerate(zip(texts, days, chans)):
            w.writerow([f"GD{i + 1:07d}", f"{base + int(d)} 10:00:00", CHANNELS[c], t])


def run_cli(args: list[str], log: Path | None = None) -> dict:
    """Run ``voc themes`` in a child process; wall time and the child's peak RSS.

    With ``log``, the child's progress messages go there as they come, each after
    the seconds since the start (a long run shows where it is).
    """
    cmd = [sys.executable, "-m", "voiceofcustomer", "themes", *args]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    with open(log, "a", encoding="utf-8") if log else open(os.devnull, "w") as fh:
        for line in proc.stderr:
            lines.append(line)
            fh.write(f"{time.perf_counter() - t:8.1f}s {line}")
            fh.flush()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = "".join(lines[-40:])
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"voc themes failed ({code}):\n{err[-3000:]}")
    return {"wall_s": round(wall, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "stderr_tail": err[-600:]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="statements to generate")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--embedding", default=None, help="--embedding for voc themes (default: its default)")
    ap.add_argument("-o", "--out", type=results_path, default=RESULTS, help="a name (under benchmarks/results/) or a path with a folder (as given)")
    ap.add_argument("--runs", default="cold,cached", help="which runs (comma-separated): cold, cached")
    ap.add_argument("--keep", type=Path, help="keep the work folder here instead of a temp folder")
    ap.add_argument("--progress-log", type=Path, help="write voc's progress messages here, timed (no -q)")
    ap.add_argument("--engine", default=None, choices=["local", "dask"], help="--engine for voc themes")
    ap.add_argument("--scheduler", default=None, help="--scheduler for voc themes (with --engine dask)")
    args = ap.parse_args(argv)
    from _common import require

    require(args.data)  # exits with a message when ../shared/data is not there

    work = Path(tempfile.mkdtemp(prefix="voc_themes_speed_")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    try:
        turns = load_turns(args.data)
        texts = make_statements(turns, args.n)
        tickets = work / "tickets.csv"
        write_tickets(texts, tickets)
        print(f"{args.n} statements from {len(turns)} real turns → {tickets} "
              f"({tickets.stat().st_size / 1e6:.1f} MB, mean {np.mean([len(t) for t in texts]):.0f} chars)",
              file=sys.stderr)
        cache = work / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        common = [str(tickets), "--by", "渠道", "--date-col", "受理时间", "--period", "month",
                  "--cache-dir", str(cache)] + ([] if args.progress_log else ["-q"])
        if args.embedding:
            common += ["--embedding", args.embedding]
        if args.engine:
            common += ["--engine", args.engine]
        if args.scheduler:
            common += ["--scheduler", args.scheduler]
        runs = {}
        for name in [r.strip() for r in args.runs.split(",") if r.strip()]:
            out = work / f"out_{name}"
            print(f"{name} run …", file=sys.stderr)
            load_before = os.getloadavg()
            res = run_cli([*common, "-o", str(out)], log=args.progress_log)
            res["load_average_before"] = [round(x, 2) for x in load_before]
            res["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
            info = json.loads((out / "themes.json").read_text(encoding="utf-8"))
            res.update(timings_s=info["timings_s"], n_statements=info["n_statements"], n_fitted=info["n_fitted"],
                       n_topics=info["n_topics"], clustering=info["clustering"], embedding=info["embedding"],
                       outlier_share_before=info["outlier_share_before"],
                       outlier_share_after=info["outlier_share_after"],
                       unassigned_share=info.get("unassigned_share"), n_subtopics=info.get("n_subtopics"),
                       not_fitted=info.get("not_fitted"), distinct_texts=len(set(texts)))
            runs[name] = res
        same = (work / "out_cold" / "statement_topics.csv").read_bytes() == \
            (work / "out_cached" / "statement_topics.csv").read_bytes() if len(runs) == 2 else None
        report = {
            "n_statements": args.n,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            # thread settings the child inherits (OMP_NUM_THREADS=1: one USE/BLAS thread on a busy machine)
            "environment": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS") if k in os.environ},
            "command": "voc themes tickets.csv -o OUT " + " ".join(c for c in common[1:] if c != "-q"),
            "benchmark_command": "python benchmarks/themes_speed.py " + " ".join(argv or sys.argv[1:]),
            "targets": ({"under_20_min": runs["cold"]["wall_s"] < 1200,
                         "peak_memory_under_8_GB": max(r["peak_rss_mb"] for r in runs.values()) < 8192}
                        if args.n >= 1_000_000 else {}) | {
                        "cold_under_360_s": runs["cold"]["wall_s"] < 360,
                        "peak_memory_under_4_GB": max(r["peak_rss_mb"] for r in runs.values()) < 4096,
                        "unassigned_at_most_15_percent": runs["cold"].get("unassigned_share", 1) <= 0.15,
                        "peak_memory_under_6_GB": max(r["peak_rss_mb"] for r in runs.values()) < 6144,
                        "cached_run_identical_assignments": same},
            "runs": runs,
        }
        save(args.out, report)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nvoc themes on {args.n:,} statements ({os.cpu_count()} CPUs)\n")
    stages = ["read", "segmentation", "embedding", "reduction", "clustering", "placement", "representation",
              "subthemes", "tables", "per_class_and_time", "write", "total"]
    print(f"{'run':8s} {'wall s':>7s} {'peak MB':>8s} " + " ".join(f"{s[:12]:>12s}" for s in stages))
    for name, r in runs.items():
        print(f"{name:8s} {r['wall_s']:7.1f} {r['peak_rss_mb']:8.0f} "
              + " ".join(f"{r['timings_s'].get(s, float('nan')):12.1f}" for s in stages))
    for name, r in runs.items():
        print(f"{name}: {r['n_topics']} themes, {r.get('n_subtopics')} sub-themes, "
              f"unassigned {r.get('unassigned_share', float('nan')):.1%} of all statements")
    print("\n(total = ThemeModel.fit; wall also includes reading, per-class/over-time tables, writing and imports)")
    print("targets:", ", ".join(f"{k}={'-' if v is None else 'yes' if v else 'NO'}"
                                for k, v in report["targets"].items()))
    print(f"written: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
