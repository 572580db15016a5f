"""The shipped label model on REAL customer text, against the keyword baseline.

    python benchmarks/classify_real.py [--model models/] [-o benchmarks/results/classify_real]

Joins the ids and labels in corpora/eval/stc3_real_labels.csv (600 real Weibo
customer turns, labelled by the taxonomy; no text is stored in the repo) with the
texts in ../shared/data/stc3_helpdesk_telecom.jsonl.gz at run time, then runs
`voiceofcustomer.labels.evaluate.evaluate` (per-field P/R/F1, macro-F1, confusion heat maps).
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd
from _common import REPO, RESULTS, customer_turns, save

from voiceofcustomer.labels.model import load_model
from voiceofcustomer.labels.evaluate import evaluate
from voiceofcustomer.labels.taxonomy import FIELDS


def load_real_labelled() -> pd.DataFrame:
    labels = pd.read_csv(REPO / "corpora" / "eval" / "stc3_real_labels.csv", dtype={"dialogue_id": str})
    turns = pd.DataFrame(customer_turns())
    turns["dialogue_id"] = turns["dialogue_id"].astype(str)
    df = labels.merge(turns, on=["dialogue_id", "turn_index"], how="left")
    missing = df["text"].isna().sum()
    if missing:
        raise SystemExit(f"{missing} labelled turns not found in the data; is ../shared/data the right version?")
    return df


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("-o", "--out", default=str(RESULTS / "classify_real"))
    args = ap.parse_args()
    df = load_real_labelled()
    summary = evaluate(df, args.out, model=load_model(args.model))
    print(f"{len(df)} real customer turns (STC-3 Weibo), labelled by the taxonomy")
    print(f"{'field':10s} {'model':>8s} {'keywords':>9s}")
    for f in FIELDS:
        d = summary["fields"][f]
        print(f"{f:10s} {d['model']['macro_f1']:8.3f} {d['keyword_baseline']['macro_f1']:9.3f}")
    save("classify_real.json", summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
