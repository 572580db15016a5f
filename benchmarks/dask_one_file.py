"""One big export on the Dask engine: one task per file (before) against slices (now).

    python benchmarks/dask_one_file.py [--rows 300000] [--pairs 2]

Builds one CSV of N ticket rows at run time from real customer turns (as
``tag_scale.py`` does; nothing is stored in the repo), then tags it with
``voiceofcustomer.engines.dask.tag_dataset`` on a new local cluster (2 workers, 1 thread
each), in alternating pairs, each run a subprocess with the peak summed RSS of its
process tree:

- ``one task``: ``slice_bytes`` larger than the file — what the engine did before: the
  whole file is one task, tagged by one worker;
- ``slices``: the defaults — the client cuts the file into tasks of 50,000 rows.

Both outputs are checked to hold the same rows and labels. For reference it also times
the local engine (``voc tag big.csv -o tagged.parquet``) once.
Results: benchmarks/results/dask_one_file_<rows>.json.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from _common import save
from _proc import run_measured
from tag_scale import build_input

RUN = """
import sys
from voiceofcustomer.engines.dask import tag_dataset
if __name__ == "__main__":
    kw = {{"slice_bytes": 1 << 62}} if sys.argv[3] == "one task" else {{}}
    s = tag_dataset(sys.argv[1], sys.argv[2], **kw)
    print(s.rows)
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--pairs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("-o", "--out", default=None,
                    help="a name (under benchmarks/results/) or a path with a folder (as given); default dask_one_file_<rows>.json")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="voc_dask_one_file_"))
    try:
        big = work / "tickets.csv"
        info = build_input(big, args.rows, args.seed)
        script = work / "run.py"
        script.write_text(RUN.format(), encoding="utf-8")
        runs = []
        for pair in range(args.pairs):
            for mode in ("one task", "slices"):
                out = work / f"out_{mode.replace(' ', '_')}_{pair}"
                r = run_measured([sys.executable, str(script), str(big), str(out), mode])
                runs.append({"mode": mode, "pair": pair, **r})
                print(f"{mode:9s} pair {pair}: {r['seconds']:.1f} s, peak tree RSS {r['peak_tree_rss_mb']:.0f} MB",
                      flush=True)
        import pandas as pd

        from voiceofcustomer.engines import partitions

        a = pd.concat([pd.read_parquet(p) for p in partitions(work / "out_one_task_0")], ignore_index=True)
        b = pd.concat([pd.read_parquet(p) for p in partitions(work / "out_slices_0")], ignore_index=True)
        equal = a.equals(b)
        local = run_measured([sys.executable, "-m", "voiceofcustomer", "tag", str(big), "-o",
                              str(work / "local.parquet"), "-q"])
        print(f"local engine: {local['seconds']:.1f} s; outputs equal: {equal}; "
              f"parts: {len(partitions(work / 'out_one_task_0'))} / {len(partitions(work / 'out_slices_0'))}")
        result = {"input": info, "runs": runs, "local_engine": local, "outputs_equal": bool(equal),
                  "parts": {"one task": len(partitions(work / "out_one_task_0")),
                            "slices": len(partitions(work / "out_slices_0"))}}
        print(f"→ {save(args.out or f'dask_one_file_{args.rows}.json', result)}")
        return 0 if equal else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
