"""`voc freq` on a large tagged Parquet file: wall time and peak RSS of the process tree.

    python benchmarks/freq_scale.py --input /tmp/voc_scale/tagged.parquet
    python benchmarks/freq_scale.py --input tagged200k.parquet --repeat 50   # 10⁷ rows from 2·10⁵

Runs ``voc freq INPUT -o <tmp> -q --by 区县 --period week --date-col 受理时间 --alerts`` (the
freq step of benchmarks/tag_scale.py) as a subprocess and records its wall time, CPU seconds
and peak summed RSS. With ``--repeat N`` the input's rows are first written N times into one
Parquet file under ``--workdir`` (row groups as ``voc tag`` writes them), so a 10⁷-row file can
be made from a smaller tagged output; that file is deleted afterwards unless ``--keep``.
Repeated rows repeat their ticket id and text, so ``voc freq``'s duplicate rule (a table
without ``is_duplicate``) sees only the source's distinct rows; ``--distinct-ids`` appends
``#k`` to the id column of the k-th copy, so every row is a distinct (id, text) as in a real
export of that size (the duplicate tracker then holds one entry per row).
Results: benchmarks/results/freq_scale_<rows>.json.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _common import save
from _proc import run_measured


def repeat_parquet(src: Path, dst: Path, times: int, distinct_col: str | None = None) -> int:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(src)
    rows = 0
    with pq.ParquetWriter(str(dst), pf.schema_arrow) as writer:
        for k in range(times):
            for g in range(pf.num_row_groups):
                t = pf.read_row_group(g)
                if distinct_col and k:
                    i = t.schema.get_field_index(distinct_col)
                    ids = pc.binary_join_element_wise(t.column(i).cast(pa.string()), pa.scalar(f"#{k}"), "")
                    t = t.set_column(i, t.schema.field(i), ids.cast(t.schema.field(i).type))
                writer.write_table(t)
                rows += t.num_rows
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("-o", "--out", default=None,
                    help="a name (under benchmarks/results/) or a path with a folder (as given); default freq_scale_<rows>[_<label>].json")
    ap.add_argument("--label", default="", help="suffix of the results file (e.g. before)")
    ap.add_argument("--distinct-ids", metavar="COL", nargs="?", const="ticket_id",
                    help="with --repeat: append #k to this id column (default ticket_id) in the k-th copy, "
                         "so that no row repeats another")
    args = ap.parse_args()
    import pyarrow.parquet as pq

    work = args.workdir or Path(tempfile.mkdtemp(prefix="voc_freq_scale_"))
    work.mkdir(parents=True, exist_ok=True)
    src = args.input
    try:
        if args.repeat > 1:
            t0 = time.perf_counter()
            src = work / f"tagged_x{args.repeat}.parquet"
            repeat_parquet(args.input, src, args.repeat, args.distinct_ids)
            print(f"built {src} in {time.perf_counter() - t0:.0f} s", flush=True)
        rows = pq.ParquetFile(src).metadata.num_rows
        voc = shutil.which("voc")
        base = [voc] if voc else [sys.executable, "-m", "voiceofcustomer"]
        cmd = [*base, "freq", str(src), "-o", str(work / "freq"), "-q", "--by", "区县", "--period", "week",
               "--date-col", "受理时间", "--alerts"]
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        m = run_measured(cmd)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if m["rc"] != 0:
            print("voc freq failed", m)
            return 1
        import os

        res = {"command": "voc freq tagged.parquet -o freq -q --by 区县 --period week --date-col 受理时间 --alerts",
               "input": str(args.input), "repeat": args.repeat, "distinct_ids": args.distinct_ids, "rows": rows,
               "input_mb": round(src.stat().st_size / 1e6, 1),
               "seconds": round(m["seconds"], 1),
               "cpu_s": round((r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime), 1),
               "peak_tree_rss_mb": m["peak_tree_rss_mb"], "load_avg_1min": round(os.getloadavg()[0], 1)}
        print(f"voc freq on {rows:,} rows: {res['seconds']} s wall, {res['cpu_s']} CPU-s, "
              f"peak RSS {res['peak_tree_rss_mb']:,.0f} MB (load {res['load_avg_1min']})")
        suffix = f"_{args.label}" if args.label else ""
        print("written", save(args.out or f"freq_scale_{rows}{suffix}.json", res))
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
