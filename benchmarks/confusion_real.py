"""Per-field confusion matrices of a label model on the real dev rows (counts only, no text).

    python benchmarks/confusion_real.py [--model models/] [-o benchmarks/results/confusion_real.json]

Why: macro-F1 says how far the model is from the annotators, a confusion matrix says which
boundary it gets wrong (for issue 9: assurance predicted for reliability/responsiveness/empathy,
delivery for function). Uses the same dev rows and context as ``classify_real.py`` (never the
``final`` subset). Prints and saves counts only; the texts stay in ../shared/data.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd
from _common import save
from classify_real import load_real_labelled

from voiceofcustomer.labels.model import load_model
from voiceofcustomer.labels.taxonomy import FIELDS


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None, help="model file or folder (default: the shipped one)")
    ap.add_argument("-o", "--out", default="confusion_real.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    df, _ = load_real_labelled()
    dev = df[df["split"] == "dev"].reset_index(drop=True)
    pred = load_model(args.model).predict(dev["text"].tolist(), dev["context"].tolist())
    result = {"n_dev": len(dev), "fields": {}}
    for f in FIELDS:
        table = pd.crosstab(dev[f], pred[f], rownames=["gold"], colnames=["predicted"])
        print(f"\n== {f} (rows: gold, columns: predicted)\n{table.to_string()}")
        off = [(g, p, int(table.loc[g, p])) for g in table.index for p in table.columns if g != p and table.loc[g, p]]
        result["fields"][f] = {"matrix": {g: {p: int(v) for p, v in row.items()} for g, row in table.iterrows()},
                               "top_confusions": sorted(off, key=lambda x: -x[2])[:10]}
    print(f"→ {save(args.out, result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
