"""Shared helpers for the benchmark scripts: where the research data is, peak memory."""

from __future__ import annotations

import gzip
import json
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
import os

# ../shared/data next to the checkout; worktrees one level deeper find it one level up.
SHARED_DATA = Path(os.environ.get("VOC_SHARED_DATA") or next(
    (p for p in (REPO.parent / "shared" / "data", REPO.parent.parent / "shared" / "data") if p.exists()),
    REPO.parent / "shared" / "data"))
STC3 = SHARED_DATA / "stc3_helpdesk_telecom.jsonl.gz"
RESULTS = REPO / "benchmarks" / "results"


def require(path: Path) -> Path:
    """Exit cleanly (status 0, a message) when the research data is not next to the repo."""
    if not path.exists():
        print(f"skipped: {path} not found (research data lives in ../shared/data, never in this repo)")
        sys.exit(0)
    return path


def customer_turns(min_chars: int = 1, path: Path = STC3) -> list[dict]:
    """Real customer turns of the STC-3 telecom helpdesk dialogues: dialogue_id, turn_index, text."""
    out = []
    with gzip.open(require(path), "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            for i, t in enumerate(d["turns"]):
                if t["sender"] == "customer" and len(t["text"].strip()) >= min_chars:
                    out.append({"dialogue_id": d["id"], "turn_index": i, "text": t["text"]})
    return out


def peak_rss_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def save(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
