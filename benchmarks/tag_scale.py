"""Ten million rows: `voc tag` CSV → Parquet, then `voc freq` on the output.

    python benchmarks/tag_scale.py [--rows 10000000] [--workdir /tmp/voc_scale]

Builds a ticket export of N rows at run time (nothing is stored in the repo): each text
is a real customer turn from ../shared/data/stc3_helpdesk_telecom.jsonl.gz, varied so
that rows are not plain repeats (one or two turns joined, cut at a random point, so
lengths follow the real ones), with a ticket id, a district (区县) and a date over
twelve weeks. Then, each as a subprocess with the peak summed RSS of its process tree:

1. ``voc tag tickets.csv -o tagged.parquet`` — wall time, rows/s sampled over time
   (from the resume state file beside the output), peak RSS, output size;
2. ``voc freq tagged.parquet --by 区县 --period week --date-col 受理时间 --alerts``.

Results: benchmarks/results/tag_scale_<rows>.json. The texts are deleted afterwards
unless --keep.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import customer_turns, save
from _proc import run_measured

DISTRICTS = ["和平", "河东", "河西", "南开", "河北", "红桥", "东丽", "西青", "津南", "北辰", "武清", "宝坻"]


def build_input(path: Path, rows: int, seed: int) -> dict:
    turns = [t["text"] for t in customer_turns(min_chars=2)]
    rng = random.Random(seed)
    n_chars = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ticket_id", "区县", "受理时间", "content"])
        for i in range(rows):
            text = rng.choice(turns)
            if rng.random() < 0.3:
                text = text + "，" + rng.choice(turns)
            if len(text) > 20 and rng.random() < 0.5:
                text = text[: rng.randint(10, len(text))]
            n_chars += len(text)
            day = rng.randrange(84)
            w.writerow([f"T{i:08d}", rng.choice(DISTRICTS), f"2026-{9 + (day // 28):02d}-{1 + day % 28:02d}", text])
    return {"rows": rows, "chars": n_chars, "bytes": path.stat().st_size}


def watch_progress(state: Path, chunk: int, samples: list, done: threading.Event, t0: float) -> None:
    """Rows finished over time, read from the resume state file every 5 s."""
    while not done.wait(5):
        try:
            rows = json.loads(state.read_text(encoding="utf-8"))["totals"]["rows"]
        except (OSError, ValueError, KeyError):
            continue
        samples.append({"seconds": round(time.perf_counter() - t0, 1), "rows": rows})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--chunk-size", type=int, default=5000)
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("-o", "--out", default=None,
                    help="a name (under benchmarks/results/) or a path with a folder (as given); default tag_scale_<rows>.json")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="voc_scale_"))
    work.mkdir(parents=True, exist_ok=True)
    src, out, freq_dir = work / "tickets.csv", work / "tagged.parquet", work / "freq"
    voc = shutil.which("voc")
    base = [voc] if voc else [sys.executable, "-m", "voiceofcustomer"]
    try:
        t0 = time.perf_counter()
        info = build_input(src, args.rows, args.seed)
        print(f"input: {info['rows']:,} rows, {info['bytes'] / 1e9:.2f} GB, built in {time.perf_counter() - t0:.0f} s",
              flush=True)

        samples: list = []
        done = threading.Event()
        state = out.parent / f".{out.name}.partial" / "state.json"
        t1 = time.perf_counter()
        th = threading.Thread(target=watch_progress, args=(state, args.chunk_size, samples, done, t1), daemon=True)
        th.start()
        tag = run_measured([*base, "tag", str(src), "-o", str(out), "-q", "--chunk-size", str(args.chunk_size)])
        done.set()
        th.join()
        if tag["rc"] != 0:
            print("voc tag failed", tag)
            return 1
        print(f"voc tag: {tag['seconds']:.0f} s, {args.rows / tag['seconds']:,.0f} rows/s, "
              f"peak RSS {tag['peak_tree_rss_mb']:,.0f} MB, output {out.stat().st_size / 1e6:,.0f} MB", flush=True)

        freq = run_measured([*base, "freq", str(out), "-o", str(freq_dir), "-q", "--by", "区县", "--period", "week",
                             "--date-col", "受理时间", "--alerts"])
        if freq["rc"] != 0:
            print("voc freq failed", freq)
            return 1
        print(f"voc freq: {freq['seconds']:.0f} s, peak RSS {freq['peak_tree_rss_mb']:,.0f} MB", flush=True)
        import pyarrow.parquet as pq

        rows_out = pq.ParquetFile(out).metadata.num_rows
        rate = [{"seconds": s["seconds"], "rows": s["rows"],
                 "rows_per_s_since_last": round((s["rows"] - p["rows"]) / max(s["seconds"] - p["seconds"], 1e-9))}
                for p, s in zip([{"seconds": 0.0, "rows": 0}] + samples[:-1], samples)]
        res = {
            "command_tag": f"voc tag tickets.csv -o tagged.parquet --chunk-size {args.chunk_size}",
            "command_freq": "voc freq tagged.parquet -o freq --by 区县 --period week --date-col 受理时间 --alerts",
            "input": info, "rows_out": rows_out,
            "tag": {"seconds": round(tag["seconds"], 1), "rows_per_s": round(args.rows / tag["seconds"]),
                    "peak_tree_rss_mb": tag["peak_tree_rss_mb"], "output_mb": round(out.stat().st_size / 1e6, 1),
                    "rows_over_time": rate},
            "freq": {"seconds": round(freq["seconds"], 1), "peak_tree_rss_mb": freq["peak_tree_rss_mb"]},
            "machine": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() + " cores (shared)",
        }
        print("written", save(args.out or f"tag_scale_{args.rows}.json", res))
        return 0 if rows_out == args.rows else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
