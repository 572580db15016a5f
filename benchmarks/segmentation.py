"""Word-segmentation quality and speed: plain jieba vs. the project's Segmenter.

    python benchmarks/segmentation.py [-o OUT]

F1 over word spans on the SIGHAN 2005 PKU and MSR test sets (../shared/data/sighan2005)
and on the hand-segmented telecom gold set (corpora/segmentation_gold.txt);
speed in characters per second on the PKU+MSR test text. Results go to
benchmarks/results/segmentation.json (``-o``: a name under benchmarks/results/, or a path with a
folder, as given).
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import REPO, SHARED_DATA, save

from voiceofcustomer.text.segment import Segmenter


def spans(words):
    out, i = set(), 0
    for w in words:
        out.add((i, i + len(w)))
        i += len(w)
    return out


def f1(gold_lines, segment):
    tp = n_gold = n_pred = 0
    for gold in gold_lines:
        words = gold.split()
        if not words:
            continue
        pred = [w for w in segment("".join(words)) if w.strip()]
        g, p = spans(words), spans(pred)
        tp += len(g & p)
        n_gold += len(g)
        n_pred += len(p)
    prec, rec = tp / n_pred, tp / n_gold
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(2 * prec * rec / (prec + rec), 4)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default="segmentation.json",
                    help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    systems = {
        "jieba (plain)": Segmenter(backend="jieba", dictionary=False),
        "jieba + telecom dictionary": Segmenter(backend="jieba"),
        "voc Segmenter (rjieba + telecom dictionary)": Segmenter(),
    }
    sets = {}
    sighan = SHARED_DATA / "sighan2005"
    for name in ("pku", "msr"):
        gold = sighan / f"{name}_test_gold.utf8"
        if gold.exists():
            sets[f"SIGHAN2005 {name.upper()}"] = gold.read_text(encoding="utf-8").splitlines()
        else:
            print(f"note: {gold} not found; SIGHAN rows skipped")
    domain = REPO / "corpora" / "segmentation_gold.txt"
    sets["telecom gold (corpora)"] = domain.read_text(encoding="utf-8").splitlines()
    result = {"f1": {}, "speed_chars_per_s": {}}
    for sname, lines in sets.items():
        result["f1"][sname] = {}
        for name, seg in systems.items():
            result["f1"][sname][name] = f1(lines, seg)
    text = [ln.replace(" ", "") for lines in sets.values() for ln in lines if ln.strip()]
    n_chars = sum(map(len, text))
    for name, seg in systems.items():
        seg("预热")  # dictionary loading is start-up cost, not speed
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for ln in text:
                seg(ln)
            best = min(best, time.perf_counter() - t0)
        result["speed_chars_per_s"][name] = round(n_chars / best)
    result["n_chars_timed"] = n_chars
    ref, ours = systems["jieba + telecom dictionary"], systems["voc Segmenter (rjieba + telecom dictionary)"]
    same = sum(ref.cut(ln) == ours.cut(ln) for ln in text)
    result["rjieba_vs_jieba_identical_lines"] = {"identical": same, "lines": len(text)}
    print(f"{'set':28s} {'system':45s} {'P':>7s} {'R':>7s} {'F1':>7s}")
    for sname, d in result["f1"].items():
        for name, m in d.items():
            print(f"{sname:28s} {name:45s} {m['precision']:7.4f} {m['recall']:7.4f} {m['f1']:7.4f}")
    print()
    for name, v in result["speed_chars_per_s"].items():
        print(f"speed {name:45s} {v:>12,} chars/s")
    print(f"rjieba vs jieba (same dictionary): {same:,} of {len(text):,} lines segmented identically")
    print("written", save(args.out, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
