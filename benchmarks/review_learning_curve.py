"""Learning curve of `voc train --add`: corrections taken in the review queue's order vs in random order.

    python benchmarks/review_learning_curve.py [--sizes 50,100,200,400] [--weight 3] [--random-seeds 1]

Uses the 600 real labelled customer turns (ids and labels in corpora/eval/stc3_real_labels.csv;
texts joined at run time from the research data, never stored). A fixed hash split of the
ids holds out a third as the team's "other posts"; the rest is the pool a team would review.
For each size k, the first k pool rows in the queue's order ("teach fastest": uncertain,
typical and diverse first, from the shipped model's confidences, exactly as `voc review`
orders a project) and in a seeded random order are added to the shipped corpus as
corrections by the teach step's own code (each counted --weight times, default the weight of
`voc train --add`), and macro-F1 on the held-out rows is measured per field.
Results are written after every fit (a long run can be stopped and still reports what it
measured). Only ids and numbers are written: benchmarks/results/review_learning_curve.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import REPO, RESULTS, STC3, customer_turns

from voiceofcustomer.labels.model import load_corpus, load_model
from voiceofcustomer.labels.taxonomy import FIELDS
from voiceofcustomer.labels.train import field_report
from voiceofcustomer.resources import corpus_path
from voiceofcustomer.review.queue import random_order, teach_order
from voiceofcustomer.review.teach import DEFAULT_WEIGHT, _training_frame, fit_training_frame


def _data_file() -> Path:
    for p in (STC3, Path(os.environ.get("VOC_SHARED_DATA", "/nonexistent")) / STC3.name,
              REPO.parents[1] / "shared" / "data" / STC3.name):
        if p.exists():
            return p
    print(f"skipped: {STC3.name} not found (research data lives in ../shared/data, never in this repo)")
    sys.exit(0)


def load_real() -> pd.DataFrame:
    labels = pd.read_csv(REPO / "corpora" / "eval" / "stc3_real_labels.csv", dtype={"dialogue_id": str})
    turns = pd.DataFrame(customer_turns(path=_data_file()))
    turns["dialogue_id"] = turns["dialogue_id"].astype(str)
    df = labels.merge(turns, on=["dialogue_id", "turn_index"], how="left")
    if df["text"].isna().any():
        raise SystemExit("some labelled turns are not in the data; is it the right version?")
    df["uid"] = df["dialogue_id"] + ":" + df["turn_index"].astype(str)
    return df


def scores(model, test: pd.DataFrame) -> dict:
    pred = model.predict(test["text"].tolist())
    return {f: round(field_report(test[f].tolist(), pred[f].tolist(), f)["macro_f1"], 4) for f in FIELDS}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50,100,200,400")
    ap.add_argument("--weight", type=int, default=DEFAULT_WEIGHT, help="default: that of voc train --add")
    ap.add_argument("--random-seeds", type=int, default=1)
    ap.add_argument("--first-random-seed", type=int, default=0)
    ap.add_argument("--out", default="review_learning_curve.json", help="results file name in benchmarks/results/")
    ap.add_argument("--no-queue", action="store_true",
                    help="only more random seeds, added to the existing results file")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    df = load_real()
    held = np.array([int(hashlib.md5(u.encode()).hexdigest()[:8], 16) % 3 == 0 for u in df["uid"]])
    pool, test = df[~held].reset_index(drop=True), df[held].reset_index(drop=True)
    corpus = load_corpus(corpus_path("labelled"))
    corpus = corpus.sort_values("id", kind="stable").reset_index(drop=True)
    shipped = load_model(None)
    conf = shipped.predict(pool["text"].tolist())[[f"{f}_conf" for f in FIELDS]].to_numpy(dtype=float)
    orders = {} if args.no_queue else {"queue": np.argsort(teach_order(pool["text"].tolist(), conf, seed=20261204))}
    for s in range(args.first_random_seed, args.first_random_seed + args.random_seeds):
        orders[f"random{s}"] = np.argsort(random_order(len(pool), seed=1000 + s))
    out = {"n_pool": len(pool), "n_test": len(test), "weight": args.weight, "sizes": sizes,
           "shipped_model": scores(shipped, test), "curves": {n: {} for n in orders}, "weights": {}, "seconds": {}}
    print(f"pool {len(pool)}, held-out {len(test)}; shipped model {out['shipped_model']}", flush=True)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / args.out
    old = json.loads(path.read_text(encoding="utf-8")) if args.no_queue and path.exists() else None
    pool = pool.assign(statement_id=pool["uid"])
    done_full = None
    for k in sizes:  # every order at a size before the next size: a stopped run compares like with like
        k = min(k, len(pool))
        for name, order in orders.items():
            if k == len(pool) and done_full is not None:  # the whole pool is the same set in every order
                out["curves"][name][str(k)] = done_full
                continue
            t = time.time()
            add = pool.iloc[order[:k]][["statement_id", "text", *FIELDS]]
            weight = args.weight
            train = _training_frame(corpus, add, weight)
            res = scores(fit_training_frame(train), test)
            out["curves"][name][str(k)] = res
            out["weights"][str(k)] = weight
            out["seconds"][f"{name}_{k}"] = round(time.time() - t, 1)
            if k == len(pool):
                done_full = res
            print(name, k, f"weight {weight}", res, flush=True)
            result = out
            if old is not None:
                result = dict(old)
                result["curves"] = {**old["curves"], **out["curves"]}
                result["seconds"] = {**old["seconds"], **out["seconds"]}
            path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(out["curves"], indent=1))


if __name__ == "__main__":
    main()
