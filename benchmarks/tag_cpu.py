"""CPU seconds of `voc tag` (the whole process tree), this tree against an earlier one.

    git archive <commit> src models corpora | tar -x -C /tmp/before
    python benchmarks/tag_cpu.py --rows 100000 --before /tmp/before [--runs 2]

Why CPU seconds: on a machine shared with other jobs, wall clock depends on the load;
user + system time of voc and all its workers (``RUSAGE_CHILDREN`` once reaped) does
much less. The input is the same sample benchmarks/tag_throughput.py builds (seeded,
real customer turns); each run's output is compared byte for byte with the earlier
tree's. Runs alternate (before, after, before, after …) so both see the same load.
Results: benchmarks/results/tag_cpu.json.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import statistics
import sys
from pathlib import Path

from _common import REPO, sample_turns_csv, save
from _proc import run_measured


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("-o", "--out", default="tag_cpu.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    ap.add_argument("--before", type=Path, required=True, help="an earlier tree (src/, models/, corpora/)")
    args = ap.parse_args()
    texts, tmp, src = sample_turns_csv(args.rows, args.seed, "voc_tag_cpu_")
    trees = {"before": args.before.resolve(), "after": REPO}
    runs = {k: [] for k in trees}
    same = True
    try:
        for _ in range(args.runs):
            for name, tree in trees.items():
                out = tmp / f"{name}.csv"
                env = {**os.environ, "PYTHONPATH": str(tree / "src")}
                c0 = _cpu()
                m = run_measured([sys.executable, "-m", "voiceofcustomer", "tag", str(src), "-o", str(out), "-q"],
                                 env=env)
                if m["rc"] != 0:
                    print(name, "failed", m)
                    return 1
                runs[name].append({"cpu_s": round(_cpu() - c0, 2), "wall_s": round(m["seconds"], 2),
                                   "peak_tree_rss_mb": m["peak_tree_rss_mb"],
                                   "load_avg_1min": round(os.getloadavg()[0], 1)})
                print(name, runs[name][-1], flush=True)
            same &= filecmp.cmp(tmp / "before.csv", tmp / "after.csv", shallow=False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = {k: statistics.median(r["cpu_s"] for r in v) for k, v in runs.items()}
    res = {"rows": args.rows, "distinct_texts": len(set(texts)), "runs": runs,
           "median_cpu_s": med, "cpu_ratio_before_over_after": round(med["before"] / med["after"], 2),
           "outputs_byte_identical": bool(same),
           "command": f"voc tag tickets.csv -o tagged.csv -q  ({args.rows} rows)"}
    print(f"median CPU-s: before {med['before']:.1f}, after {med['after']:.1f} "
          f"({res['cpu_ratio_before_over_after']}x); outputs identical: {same}")
    print("written", save(args.out, res))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
