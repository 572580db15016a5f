"""What "normalise once, segment once" would save outside ``voc analyze`` (issue 10, item 4).

    python benchmarks/normalise_once.py [--rows 20000]

On N real customer turns (seeded sample of ../shared/data/stc3_helpdesk_telecom.jsonl.gz):

1. ``voc tag`` CPU seconds (process and workers, ``--jobs 1``) on the raw export and on the
   ``voc split`` statements table of the same export, each run once;
2. in-process CPU of the label model's text preparation (``model_text`` + ``normalize``),
   split into the part a reuse could skip: ``normalize`` again on text that ``voc split``
   already normalised, for rows where ``model_text`` changes nothing;
3. in-process CPU of the themes analyser (segmentation of ``model_text(text)``) against
   the rows whose stored ``tokens`` could stand in for it (no whitespace in the text,
   ``model_text`` the identity).

Results go to benchmarks/results/normalise_once.json.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time

from _common import sample_turns_csv, save


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _voc(*args: str) -> float:
    """CPU seconds of one ``voc`` command (the process and its workers)."""
    c0 = _children_cpu()
    subprocess.run([sys.executable, "-m", "voiceofcustomer", *args], check=True)
    return _children_cpu() - c0


def _cpu(fn, *args):
    t = time.process_time()
    out = fn(*args)
    return time.process_time() - t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--out", default="normalise_once.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    import pandas as pd

    from voiceofcustomer.text.noise import model_text
    from voiceofcustomer.text.normalize import normalize
    from voiceofcustomer.themes.vectorizer import ContentAnalyzer

    texts, tmp, src = sample_turns_csv(args.rows, args.seed, "voc_norm_once_")
    res = {"rows": args.rows, "seed": args.seed}
    res["voc_tag_raw_export_cpu_s"] = round(_voc("tag", str(src), "-o", str(tmp / "t.csv"), "-q", "--jobs", "1"), 2)
    _voc("split", str(src), "-o", str(tmp / "st.csv"), "-q")
    st = pd.read_csv(tmp / "st.csv", dtype=str, keep_default_na=False)
    res["statements"] = len(st)
    res["voc_tag_statements_cpu_s"] = round(_voc("tag", str(tmp / "st.csv"), "-o", str(tmp / "st_t.csv"), "-q",
                                                 "--jobs", "1"), 2)

    stored = st["text"].tolist()
    prep_s, _ = _cpu(lambda xs: [normalize(model_text(x)) for x in xs], stored)
    noise_s, cleaned = _cpu(lambda xs: [model_text(x) for x in xs], stored)
    same = [c == x for c, x in zip(cleaned, stored)]
    renorm_s, _ = _cpu(lambda xs: [normalize(x) for x, s in zip(xs, same) if s], cleaned)
    res["labels_prep_cpu_s"] = round(prep_s, 3)
    res["labels_renormalise_skippable_cpu_s"] = round(renorm_s, 3)
    res["rows_model_text_identity"] = int(sum(same))

    analyzer = ContentAnalyzer()
    analyzer("预热")  # load the dictionary outside the timing
    seg_s, _ = _cpu(lambda xs: [analyzer(x) for x in xs], cleaned)
    reusable = [s and not any(ch.isspace() for ch in x) for x, s in zip(stored, same)]
    seg_reusable_s, _ = _cpu(lambda xs: [analyzer(x) for x, r in zip(xs, reusable) if r], cleaned)
    res["themes_segment_cpu_s"] = round(seg_s, 3)
    res["themes_segment_reusable_cpu_s"] = round(seg_reusable_s, 3)
    res["rows_tokens_reusable"] = int(sum(reusable))
    shutil.rmtree(tmp)
    for k, v in res.items():
        print(f"{k}: {v}")
    print("written", save(args.out, res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
