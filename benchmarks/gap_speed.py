"""Time ``voc gap`` on synthetic survey responses: 100,000 respondents × 44 E/P columns.

The data are built with a fixed seed: 22 items (the classic SERVQUAL count) over the five
dimensions, three of them reverse-coded, five importance columns, two segment columns
(40 stores, 2 customer groups) and a sprinkling of the data problems the command reports
(about 0.1% blank answers, 0.05% out-of-range values, 5% importance sums off 100).

Usage:
    python benchmarks/gap_speed.py [--respondents 100000] [--keep DIR]

Prints the time to build the files, the library call (read + analyse + write) and the
CLI (a fresh ``voc gap`` process, so import time included). Not a test: timings depend
on the machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

DIMENSIONS = {"tangibles": 4, "reliability": 5, "responsiveness": 4, "assurance": 4, "empathy": 5}
PREFIX = {"tangibles": "T", "reliability": "R", "responsiveness": "S", "assurance": "A", "empathy": "M"}
REVERSED = {"T2", "R3", "M4"}
SEED = 20240611


def build(folder: Path, n: int) -> tuple[Path, Path]:
    """Write codebook.csv and responses.csv for ``n`` respondents into ``folder``."""
    rng = np.random.default_rng(SEED)
    rows = []
    for dim, k in DIMENSIONS.items():
        for j in range(1, k + 1):
            item = f"{PREFIX[dim]}{j}"
            rows.append({"item_id": item, "dimension": dim, "e_text": f"期望 {item}", "p_text": f"感知 {item}",
                         "reverse": "true" if item in REVERSED else "false"})
    codebook = pd.DataFrame(rows)
    stores = np.array([f"S{i:03d}" for i in range(40)])
    store = rng.integers(0, len(stores), n)
    data = {"respondent_id": [f"R{i:06d}" for i in range(n)], "store": stores[store],
            "group": rng.choice(["public", "business"], n, p=[0.7, 0.3])}
    store_effect = rng.normal(0, 0.3, len(stores))[store]
    for dim in DIMENSIONS:
        trait_e = rng.normal(0, 0.8, n)
        trait_p = rng.normal(0, 0.8, n) + store_effect
        for item in codebook.loc[codebook["dimension"] == dim, "item_id"]:
            e = np.clip(np.rint(5.8 + trait_e + rng.normal(0, 0.7, n)), 1, 7)
            p = np.clip(np.rint(5.0 + trait_p + rng.normal(0, 0.9, n)), 1, 7)
            if item in REVERSED:
                e, p = 8 - e, 8 - p
            data[f"E_{item}"], data[f"P_{item}"] = e, p
    points = rng.dirichlet(np.ones(5) * 4, n) * 100
    points = np.rint(points)
    points[:, -1] = 100 - points[:, :-1].sum(axis=1)
    off = rng.random(n) < 0.05
    points[off] *= 0.9
    for j, dim in enumerate(DIMENSIONS):
        data[f"W_{dim}"] = points[:, j]
    responses = pd.DataFrame(data)
    rating_cols = [c for c in responses.columns if c[:2] in ("E_", "P_")]
    block = responses[rating_cols].to_numpy(dtype=float, copy=True)
    block[rng.random(block.shape) < 0.001] = np.nan
    block[rng.random(block.shape) < 0.0005] = 9
    responses[rating_cols] = block
    folder.mkdir(parents=True, exist_ok=True)
    codebook.to_csv(folder / "codebook.csv", index=False, encoding="utf-8-sig")
    responses.to_csv(folder / "responses.csv", index=False, float_format="%g")
    return folder / "codebook.csv", folder / "responses.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Build the data and outputs here (default: a temp folder).")
    args = parser.parse_args()

    from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses
    from voiceofcustomer.gap.report import write_gap_report

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        t0 = time.perf_counter()
        codebook_path, responses_path = build(folder, args.respondents)
        t1 = time.perf_counter()
        table = read_responses(responses_path)
        t2 = time.perf_counter()
        result = gap_analysis(table, read_codebook(codebook_path), by="store,group")
        t3 = time.perf_counter()
        write_gap_report(result, folder / "out_lib")
        t4 = time.perf_counter()
        cmd = [sys.executable, "-m", "voiceofcustomer", "gap", str(responses_path), "--codebook", str(codebook_path),
               "-o", str(folder / "out_cli"), "--by", "store,group", "-q"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        t5 = time.perf_counter()
        if done.returncode != 0:
            sys.exit(f"voc gap failed ({done.returncode}): {done.stderr.strip()}")

        cols = table.shape[1]
        print(f"data: {args.respondents:,} respondents × {cols} columns "
              f"({sum(c[:2] in ('E_', 'P_') for c in table.columns)} E/P), "
              f"{responses_path.stat().st_size / 1e6:.1f} MB CSV, built in {t1 - t0:.1f} s")
        print(f"library: read {t2 - t1:.2f} s + analyse {t3 - t2:.2f} s + write {t4 - t3:.2f} s "
              f"= {t4 - t1:.2f} s")
        print(f"CLI (voc gap --by store,group, new process): {t5 - t4:.2f} s")
        print(f"SQ {result.summary['sq']:.4f}, weighted {result.summary['sq_weighted']:.4f}, "
              f"{result.summary['n_problems']} invalid cells, {len(result.summary['warnings'])} warnings")


if __name__ == "__main__":
    main()
