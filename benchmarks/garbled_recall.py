"""How well ``looks_garbled`` tells a garbled text from words: false alarms on real Chinese text, and the share of
mojibake it finds (a text's UTF-8 bytes read as GBK, cp1252 or Latin-1, a lost character kept as ``?`` as a ticket
system writes it, or as U+FFFD).

    python benchmarks/garbled_recall.py [-o benchmarks/results/garbled_recall.json]

Texts (and their sentence pieces, cut at punctuation as ``voc split`` tests them): the written corpus (corpora/labelled) and, when ../shared/data is next to the repo, the real customer turns
(only counts are stored). A text its misreading leaves unchanged (ASCII) is no mojibake and is left out.
"""

from __future__ import annotations

import argparse
import re
import sys
import time

from _common import REPO, RESULTS, STC3, customer_turns, save

from voiceofcustomer.labels.model import load_corpus
from voiceofcustomer.text.garbled import looks_garbled

CODECS = ("gbk", "cp1252", "latin-1")
_PIECES = re.compile(r"[。！？!?；;，,\s]+")


def measure(texts: list[str]) -> dict:
    # voc split tests each sentence of a turn too: short pieces are where a real phrase can pass for mojibake
    pieces = [p for t in texts for p in _PIECES.split(t) if p]
    out = {"texts": len(texts), "false_alarms": sum(map(looks_garbled, texts)),
           "pieces": len(pieces), "pieces_false_alarms": sum(map(looks_garbled, pieces))}
    for codec in CODECS:
        for mark, lost_as in (("?", "?"), ("U+FFFD", "\ufffd")):
            moji = [m for t in texts
                    if (m := t.encode("utf-8").decode(codec, errors="replace").replace("\ufffd", lost_as)) != t]
            out[f"recall_{codec}_{mark}"] = round(sum(map(looks_garbled, moji)) / len(moji), 4) if moji else None
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--out", default=str(RESULTS / "garbled_recall.json"))
    args = ap.parse_args()
    start = time.perf_counter()
    result = {"written corpus": measure(load_corpus(REPO / "corpora" / "labelled")["text"].tolist())}
    if STC3.exists():
        result["real customer turns"] = measure([t["text"] for t in customer_turns()])
    result["seconds"] = round(time.perf_counter() - start, 1)
    for name, r in result.items():
        if isinstance(r, dict):
            print(f"{name}: {r['false_alarms']} false alarms in {r['texts']} texts, {r['pieces_false_alarms']} in their "
                  f"{r['pieces']} sentence pieces; recall "
                  + ", ".join(f"{k[7:]} {v}" for k, v in r.items() if k.startswith("recall_")))
    print(f"wrote {save(args.out, result)}")


if __name__ == "__main__":
    sys.exit(main())
