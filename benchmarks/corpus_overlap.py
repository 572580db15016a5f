"""Check that corpus lines share no 14-character window with any real turn.

    python benchmarks/corpus_overlap.py [corpora/labelled/part_m.jsonl ...] [--window 14]

Why: the real helpdesk dialogues in ../shared/data are research-only and must never enter
the repository, not even as fragments. Every written corpus line (text and context turns)
is compared with every turn of the real dialogues (customer and helpdesk), raw and after
NFKC + whitespace removal (so a half-width comma does not hide a copy). Prints the ids of
offending lines and the offset of the shared window only, never the real text; exit 1 if
any is found.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import unicodedata
from pathlib import Path

from _common import REPO, STC3, require


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _windows(text: str, n: int):
    for i in range(max(0, len(text) - n + 1)):
        yield i, text[i:i + n]


def real_windows(n: int) -> set[int]:
    """Hashes of every n-character window of every real turn (raw and normalised)."""
    seen: set[int] = set()
    with gzip.open(require(STC3), "rt", encoding="utf-8") as fh:
        for line in fh:
            for turn in json.loads(line)["turns"]:
                t = turn.get("text") or ""
                for s in (t, _norm(t)):
                    seen.update(hash(w) for _, w in _windows(s, n))
    return seen


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("parts", nargs="*", help="jsonl parts (default: all of corpora/labelled)")
    ap.add_argument("--window", type=int, default=14)
    args = ap.parse_args()
    parts = [Path(p) for p in args.parts] or sorted((REPO / "corpora" / "labelled").glob("part_*.jsonl"))
    seen = real_windows(args.window)
    bad = n = 0
    for p in parts:
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            texts = [("text", r["text"])] + [(f"context[{k}]", c["text"]) for k, c in enumerate(r.get("context") or [])]
            n += 1
            for where, t in texts:
                hits = [i for s in (t, _norm(t)) for i, w in _windows(s, args.window) if hash(w) in seen]
                if hits:
                    bad += 1
                    print(f"{p.name} {r['id']} {where}: shares a {args.window}-character window with a real turn "
                          f"(offset {hits[0]})")
    print(f"{n} lines checked, {bad} with a shared {args.window}-character window")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
