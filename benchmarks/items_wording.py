"""Composed items that read badly: how many the wording checks flag, and how many good items they flag.

Runs ``voc analyze`` (the library's ``analyze``) on two sets of written transcripts — the eight test
focus groups ``tests/data/focus_group_*.txt`` and the shipped samples ``corpora/samples`` (two focus
groups and the tickets) — and reads the composed and bank candidates of each ``items.xlsx`` against
the hand-judged gold list ``tests/data/items/composed_wording_gold.csv`` (each composed wording: reads
well yes/no, the kind of fault, why). Every bank candidate is counted as reading well (the written bank).

Per set: candidates (composed), flagged (``checks`` ≠ ok), gold-bad items caught (flagged) or
rewritten (the statement's item now reads well), gold-bad items still "ok" (missed), items that
read well but are flagged (bank and gold-good), and composed wordings the gold list does not judge.

A third set, ``fresh``, was written after those checks were tuned: ``tests/data/items/composed_wording_fresh.csv``,
wishes written for it (a suggestion taken literally: 修个坡道, 尽快修好, 多摆几张桌子 …, and plain good ones), each
judged by hand on the item composed from it. Its counts: composed, reading badly and flagged / not flagged,
reading well and flagged.

Run: ``python benchmarks/items_wording.py [--reports DIR] [-o OUT]`` → ``benchmarks/results/items_wording.json``
(``-o``: a name under ``benchmarks/results/``, or a path with a folder, as given).
``--reports DIR`` keeps the two ``voc analyze`` reports in DIR/transcripts and DIR/samples and, when
their ``statements.xlsx`` is there already, runs only ``voc items`` on it (the labels and themes of
that earlier run; a few minutes saved).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, save  # noqa: E402

GOLD = REPO / "tests" / "data" / "items" / "composed_wording_gold.csv"
FRESH = REPO / "tests" / "data" / "items" / "composed_wording_fresh.csv"
SETS = {
    "transcripts": sorted((REPO / "tests" / "data").glob("focus_group_*.txt")),
    "samples": [REPO / "corpora" / "samples" / n
                for n in ("focus_group_business_shanghai.txt", "focus_group_public_tianjin.txt", "tickets.csv")],
}


def items_of(name: str, folder: Path) -> pd.DataFrame:
    from voiceofcustomer.analyze import analyze
    from voiceofcustomer.items.candidates import candidate_items
    from voiceofcustomer.statements import open_statements

    statements = folder / name / "statements.xlsx"
    if not statements.exists():
        analyze(SETS[name], folder / name)
    return candidate_items(open_statements(statements).read()).items


def measure(name: str, items: pd.DataFrame, gold: pd.DataFrame) -> dict:
    gold = gold[gold.run == name]
    verdict = dict(zip(gold.p_text, gold.reads_well))
    items = items.assign(first_id=items["evidence_ids"].str.split(", ").str[0], flagged=items["checks"] != "ok")
    composed = items[items.source == "composed"]
    judged = composed[composed.p_text.isin(verdict)]
    bad_now = judged[judged.p_text.map(verdict) == "no"]
    good_now = judged[judged.p_text.map(verdict) == "yes"]
    # a gold-bad wording that is no longer composed: the statement's item now reads well (rewritten)
    now_by_statement = dict(zip(composed.first_id, composed.p_text))
    bad_gold = gold[gold.reads_well == "no"]
    rewritten = [r.p_text for r in bad_gold.itertuples() if r.p_text not in set(composed.p_text)
                 and verdict.get(now_by_statement.get(r.statement_id)) == "yes"]
    bank = items[items.source == "bank"]
    return {
        "candidates": len(items), "composed": len(composed), "flagged": int(items.flagged.sum()),
        "composed_judged": len(judged), "composed_unjudged": sorted(set(composed.p_text) - set(verdict)),
        "bad_composed": len(bad_now), "bad_flagged": int(bad_now.flagged.sum()),
        "bad_rewritten_to_read_well": len(rewritten), "rewritten": rewritten,
        "bad_not_flagged": sorted(bad_now.loc[~bad_now.flagged, "p_text"]),
        "good_composed": len(good_now), "good_composed_flagged": sorted(good_now.loc[good_now.flagged, "p_text"]),
        "bank": len(bank), "bank_flagged": sorted(bank.loc[bank.flagged, "p_text"]),
    }


def fresh() -> dict:
    """The written wishes of ``FRESH``: each composed as ``candidate_items`` composes a need, read against its judgement."""
    from voiceofcustomer.items.candidates import check_item
    from voiceofcustomer.items.compose import compose_item, need_phrase

    rows = []
    for r in pd.read_csv(FRESH, dtype=str).fillna("").itertuples():
        phrase = need_phrase(r.text)
        e, p = compose_item(phrase, [r.text]) if phrase else ("", "")
        rows.append({"p_text": p, "reads_well": r.reads_well, "flagged": bool(p) and bool(check_item(e, p))})
    t = pd.DataFrame(rows)
    bad, good = t[(t.reads_well == "no") & (t.p_text != "")], t[(t.reads_well == "yes") & (t.p_text != "")]
    return {"written": len(t), "composed": int((t.p_text != "").sum()), "bad_composed": len(bad),
            "bad_flagged": int(bad.flagged.sum()), "bad_not_flagged": sorted(bad.loc[~bad.flagged, "p_text"]),
            "good_composed": len(good), "good_composed_flagged": sorted(good.loc[good.flagged, "p_text"])}


def main(reports: Path | None = None) -> dict:
    gold = pd.read_csv(GOLD, dtype=str).fillna("")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(reports) if reports else Path(tmp)
        out = {name: measure(name, items_of(name, folder), gold) for name in SETS}
    out["fresh"] = fresh()
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=Path, help="keep (and reuse) the voc analyze reports in this folder")
    ap.add_argument("-o", "--out", default="items_wording.json",
                    help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    results = main(args.reports)
    path = save(args.out, results)
    for name, out in results.items():
        print(f"== {name}")
        for k, v in out.items():
            print(f"{k:30s} {v}")
    print(f"→ {path}")
