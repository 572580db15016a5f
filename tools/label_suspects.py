"""List corpus lines whose label a cross-validated model confidently rejects, to be read against the guide.

Usage: python tools/label_suspects.py corpora/labelled -o suspects.csv [--seed 20261204] [--folds 5]

A suspect is not an error: read each one against corpora/ANNOTATION_GUIDE.md and change a label only
where the guide decides it (corpora/labelled/audit_2026-12-05.md: 686 of 891 suspects were right).
Takes about as long as the cross-validation of `voc train` (5 model fits, a few minutes).
"""
import argparse
import sys

from voiceofcustomer.errors import InputError
from voiceofcustomer.io.writers import atomic_path
from voiceofcustomer.labels.model import SEED, load_corpus
from voiceofcustomer.labels.train import label_suspects


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="corpus folder (part_*.jsonl) or one part file")
    ap.add_argument("-o", "--out", required=True, help="CSV to write (UTF-8 with BOM, opens in Excel)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=SEED, help="fold seed (the 2026-12-05 audit used 20261204)")
    ap.add_argument("--max-label-prob", type=float, default=0.05, help="held-out probability of the label below this")
    ap.add_argument("--min-model-prob", type=float, default=0.8, help="and the model's own class at least this")
    a = ap.parse_args(argv)
    try:
        df = load_corpus(a.corpus)
    except InputError as e:
        print(f"label_suspects: {e}", file=sys.stderr)
        return 2
    df = df.sort_values("id" if "id" in df.columns else "text", kind="stable").reset_index(drop=True)
    out = label_suspects(df, folds=a.folds, seed=a.seed, max_label_prob=a.max_label_prob,
                         min_model_prob=a.min_model_prob, progress=lambda m: print(m, file=sys.stderr))
    with atomic_path(a.out) as tmp:
        out.to_csv(tmp, index=False, encoding="utf-8-sig")
    counts = out["field"].value_counts().to_dict()
    print(f"{len(out)} suspects ({', '.join(f'{f} {n}' for f, n in counts.items())}) -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
