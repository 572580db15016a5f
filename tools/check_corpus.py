"""Check labelled-corpus parts: valid labels, per-label counts, exact and near duplicates.

Usage: python tools/check_corpus.py corpora/labelled/part_a.jsonl [more parts...]
       python tools/check_corpus.py corpora/labelled        (every part_*.jsonl in the folder)
Near-copy rule: character 5-gram Jaccard >= 0.6 between any two texts (texts shorter
than 5 characters count as one gram). Pairs are reported across all files given.
"""
import collections
import json
import sys
from pathlib import Path

import importlib.util  # noqa: E402

# Load the package's corpus checks by path: runs with a bare python3, no pandas needed.
_spec = importlib.util.spec_from_file_location(
    "voc_corpus", Path(__file__).resolve().parents[1] / "src" / "voiceofcustomer" / "labels" / "corpus.py")
_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_corpus)
near_duplicates = _corpus.near_duplicates

LABELS = {
    "servqual": {"tangibles", "reliability", "responsiveness", "assurance", "empathy", "none"},
    "demand": {"business", "information", "channel", "function", "attribute", "standard", "delivery", "none"},
    "issue": {"signal", "broadband", "install_repair", "billing", "handling", "marketing", "attitude",
              "efficiency", "notification", "security", "environment", "other"},
    "stance": {"complaint", "suggestion", "praise", "neutral"},
}


def expand(args):
    """Files as given; a folder stands for its part_*.jsonl files."""
    out = []
    for a in args:
        p = Path(a)
        if p.is_dir():
            out += sorted(p.glob("part_*.jsonl"))
        elif p.is_file():
            out.append(p)
        else:
            raise SystemExit(f"check_corpus: {a}: no such file or folder; give corpus parts or their folder")
    if not out:
        raise SystemExit("usage: python tools/check_corpus.py corpora/labelled  (or part files)")
    return out


def main(paths):
    rows, problems = [], 0
    for p in expand(paths):
        with open(p, encoding="utf-8") as fh:
            for ln, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    print(f"{p}:{ln}: bad JSON: {e}"); problems += 1; continue
                for f, ok in LABELS.items():
                    if r.get(f) not in ok:
                        print(f"{p}:{ln}: bad {f}={r.get(f)!r}"); problems += 1
                if not str(r.get("text", "")).strip():
                    print(f"{p}:{ln}: empty text"); problems += 1
                if r.get("servqual") == "none" and (r.get("demand"), r.get("issue"), r.get("stance")) != ("none", "other", "neutral"):
                    print(f"{p}:{ln}: servqual=none needs demand=none, issue=other, stance=neutral"); problems += 1
                r["_where"] = f"{p}:{ln}"
                rows.append(r)
    for i, j, jac in near_duplicates([r["text"] for r in rows]):
        problems += 1
        print(f"near-copy {jac:.2f}: {rows[i]['_where']} ~ {rows[j]['_where']}: {rows[i]['text'][:30]} | {rows[j]['text'][:30]}")
    print(f"\n{len(rows)} rows, {problems} problems")
    for f, ok in LABELS.items():
        c = collections.Counter(r.get(f) for r in rows)
        print(f, " ".join(f"{k}={c.get(k, 0)}" for k in sorted(ok)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
