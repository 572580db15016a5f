"""Evidence support precision/recall on hand-judged (item, quote) pairs.

Pairs: ``tests/data/items/support_pairs.csv`` (item_id, quote, supports; written and
judged by this team, no research data). The quotes are tagged by the shipped label
model (as ``voc analyze`` does), then

- pair level: the real scorer (``items.evidence.SupportScorer``, the one
  ``candidate_items`` uses) says supports / not for each judged pair;
- shown quotes: ``candidate_items`` runs over all quotes as one statements table; each
  quote it shows as evidence of a judged item is looked up in the judgements.

Two sets: ``support_pairs.csv`` (167 pairs; the word lists were tuned on it) and
``support_pairs_heldout.csv`` (65 pairs written after the lists were frozen).

Run: ``python benchmarks/items_support.py [-o OUT]`` → ``benchmarks/results/items_support.json`` (``-o``: a name
under ``benchmarks/results/``, or a path with a folder, as given).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, save  # noqa: E402

PAIRS = REPO / "tests" / "data" / "items" / "support_pairs.csv"
# Written and judged after the scorer's word lists were frozen: never used to tune them.
HELDOUT = REPO / "tests" / "data" / "items" / "support_pairs_heldout.csv"


def main() -> dict:
    return {"tuning": evaluate(PAIRS), "heldout": evaluate(HELDOUT)}


def evaluate(path: Path) -> dict:
    from voiceofcustomer.items.candidates import candidate_items, load_item_bank
    from voiceofcustomer.items.evidence import SupportScorer
    from voiceofcustomer.labels.tagging import tag

    pairs = pd.read_csv(path, dtype={"supports": int})
    quotes = pd.DataFrame({"text": pairs["quote"].drop_duplicates().tolist()})
    tagged = tag(quotes, "text").set_index("text")
    bank = load_item_bank()
    scorer = SupportScorer().fit(bank)
    pred, against = [], []
    for r in pairs.itertuples():
        labels = tagged.loc[r.quote, ["servqual", "issue", "stance"]].to_dict()
        s = scorer.score(r.item_id, r.quote, labels)
        pred.append(int(s.supports(scorer.threshold)))
        against.append(int(s.direction < 0))
    pairs["predicted"] = pred
    pairs["against"] = against
    tp = int(((pairs.predicted == 1) & (pairs.supports == 1)).sum())
    fp = int(((pairs.predicted == 1) & (pairs.supports == 0)).sum())
    fn = int(((pairs.predicted == 0) & (pairs.supports == 1)).sum())
    # shown quotes of the real candidate pipeline
    st = tagged.reset_index()
    st["statement_id"] = [f"q{i:03d}" for i in range(len(st))]
    st["speaker"] = [f"P{i:03d}" for i in range(len(st))]
    res = candidate_items(st, bank=bank)
    judged = {(r.item_id, r.quote): r.supports for r in pairs.itertuples()}
    by_id = dict(zip(st["statement_id"], st["text"]))
    shown_ok = shown_bad = shown_unjudged = 0
    for r in res.items[res.items["source"] == "bank"].itertuples():
        for sid in [e.split(":")[0] for e in str(r.evidence).split(" | ") if e]:
            verdict = judged.get((r.item_id, by_id.get(sid)))
            if verdict is None:
                shown_unjudged += 1
            elif verdict:
                shown_ok += 1
            else:
                shown_bad += 1
    result = {
        "file": str(path.relative_to(REPO)), "pairs": len(pairs), "judged_supporting": int(pairs.supports.sum()),
        "threshold": scorer.threshold,
        "pair_precision": round(tp / max(tp + fp, 1), 3), "pair_recall": round(tp / max(tp + fn, 1), 3),
        "tp": tp, "fp": fp, "fn": fn,
        "judged_not_supporting_scored_against": int(((pairs.supports == 0) & (pairs.against == 1)).sum()),
        "shown_quotes_judged": shown_ok + shown_bad, "shown_quotes_supporting": shown_ok,
        "shown_precision": round(shown_ok / max(shown_ok + shown_bad, 1), 3),
        "shown_quotes_unjudged": shown_unjudged,
        "false_positives": [f"{r.item_id}: {r.quote}" for r in pairs[(pairs.predicted == 1) & (pairs.supports == 0)].itertuples()],
        "false_negatives": [f"{r.item_id}: {r.quote}" for r in pairs[(pairs.predicted == 0) & (pairs.supports == 1)].itertuples()],
    }
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default="items_support.json",
                    help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    results = main()
    path = save(args.out, results)
    for name, out in results.items():
        print(f"== {name}")
        for k, v in out.items():
            if not isinstance(v, list):
                print(f"{k:40s} {v}")
        print("false positives:", *out["false_positives"], sep="\n  ")
        print("false negatives:", *out["false_negatives"], sep="\n  ")
    print(f"→ {path}")
