"""Shared helpers for the benchmark scripts: where the research data is, peak memory."""

from __future__ import annotations

import gzip
import json
import os
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# ../shared/data next to the repo, or two levels up for a git worktree (wt/<name>), or $VOC_SHARED_DATA
SHARED_DATA = Path(os.environ.get("VOC_SHARED_DATA") or next(
    (p / "shared" / "data" for p in (REPO.parent, REPO.parents[1]) if (p / "shared" / "data").exists()),
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


def results_path(name: str | Path) -> Path:
    """Where a script's ``-o``/``--out`` goes: a bare name (``x.json``) under ``benchmarks/results/``, a path with a
    folder (``results/x.json``, ``./x.json``, ``/tmp/x.json``) as given, relative to the current directory — as a
    user following the docs expects (until 7 Dec 2026 ``-o results/x.json`` went to
    ``benchmarks/results/results/x.json`` or failed, and some scripts kept only the name)."""
    text = str(name)
    if "/" in text or os.sep in text:
        return Path(text)
    return RESULTS / text


def save(name: str | Path, result: dict) -> Path:
    """Write ``result`` as JSON to :func:`results_path` of ``name`` (its folder made when missing), atomically as
    the tool writes (``io.writers.atomic_path``): a run stopped or a disk filled while writing leaves the committed
    result as it was and no half file (until 8 Dec 2026 ``path.write_text`` wrote over it in place)."""
    from voiceofcustomer.io.writers import atomic_path

    path = results_path(name)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def sample_turns_csv(rows: int, seed: int, prefix: str):
    """``rows`` real customer turns sampled with replacement (seeded), written as an ``id,content``
    CSV in a fresh temp folder: the input every tagging benchmark times. Returns (texts, folder, csv)."""
    import csv
    import random
    import tempfile

    turns = [t["text"] for t in customer_turns(min_chars=2)]
    rng = random.Random(seed)
    texts = [rng.choice(turns) for _ in range(rows)]
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    src = tmp / "tickets.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "content"])
        w.writerows(enumerate(texts))
    return texts, tmp, src
