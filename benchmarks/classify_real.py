"""The label model on REAL customer text: macro-F1, the review flag, and what each part adds.

    python benchmarks/classify_real.py [--model models/] [--ablation] [--final] [-o benchmarks/results/classify_real]

Joins the ids and labels in corpora/eval/stc3_real_labels.csv (real Weibo helpdesk
customer turns, labelled by the taxonomy; no text is stored in the repo) with the texts
in ../shared/data/stc3_helpdesk_telecom.jsonl.gz at run time. A turn's context is the
earlier turns of the same dialogue (customer and helpdesk), as ``voc tag --thread-col``
gives it.

The labelled rows are split once: the ``final`` subset (rows marked ``split=final`` in
corpora/eval/stc3_real_labels_more.csv; without such rows, 300 rows drawn with
``random.Random(20261204)``) is never used to tune anything; everything else is ``dev``.
By default only ``dev`` is reported; ``--final`` reports the final subset too (take that
measurement once, at the end).

Reports per field: macro-F1 and accuracy with and without context; the review flag
(share flagged, per-field accuracy of the rows not flagged) over a threshold curve; and,
with ``--ablation``, models trained from ``corpora/labelled`` with each part switched off.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time

import numpy as np
import pandas as pd
from _common import REPO, RESULTS, STC3, require, results_path, save

from voiceofcustomer.labels.evaluate import KeywordBaseline
from voiceofcustomer.labels.model import LabelModel, context_string, corpus_context, load_corpus, load_model
from voiceofcustomer.labels.taxonomy import FIELDS, review_score
from voiceofcustomer.labels.train import field_report

EVAL = REPO / "corpora" / "eval"
FINAL_SEED = 20261204
THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.625, 0.65, 0.675, 0.7, 0.725, 0.75, 0.775, 0.8, 0.85, 0.9)


def dialogues() -> dict[str, list[dict]]:
    with gzip.open(require(STC3), "rt", encoding="utf-8") as fh:
        return {str(d["id"]): d["turns"] for d in map(json.loads, fh)}


def final_keys(labels: pd.DataFrame) -> tuple[set, str]:
    """The untouched final subset: rows marked ``split=final`` by the real-eval labeller, else
    300 rows drawn with a fixed seed."""
    if "split" in labels.columns and (labels["split"] == "final").any():
        f = labels[labels["split"] == "final"]
        return set(zip(f["dialogue_id"], f["turn_index"].astype(int))), "rows marked split=final in corpora/eval"
    keys = sorted(zip(labels["dialogue_id"], labels["turn_index"].astype(int)))
    return set(random.Random(FINAL_SEED).sample(keys, min(300, len(keys) // 2))), f"seed {FINAL_SEED}"


def load_real_labelled() -> tuple[pd.DataFrame, str]:
    labels = pd.concat([pd.read_csv(p, dtype={"dialogue_id": str}) for p in sorted(EVAL.glob("*labels*.csv"))],
                       ignore_index=True).drop_duplicates(["dialogue_id", "turn_index"], keep="last")
    turns = dialogues()
    rows = []
    for r in labels.itertuples(index=False):
        d = turns.get(str(r.dialogue_id))
        if d is None or r.turn_index >= len(d):
            raise SystemExit(f"labelled turn {r.dialogue_id}/{r.turn_index} not in the data; "
                             "is ../shared/data the right version?")
        rows.append({"text": d[r.turn_index]["text"], "context": context_string(d[: r.turn_index])})
    df = pd.concat([labels.reset_index(drop=True).drop(columns=["split"], errors="ignore"), pd.DataFrame(rows)],
                   axis=1)
    final, source = final_keys(labels)
    df["split"] = ["final" if (a, int(b)) in final else "dev" for a, b in zip(df["dialogue_id"], df["turn_index"])]
    return df, source


def scores(df: pd.DataFrame, pred: pd.DataFrame) -> dict:
    return {f: {"macro_f1": round(field_report(df[f].tolist(), pred[f].tolist(), f)["macro_f1"], 3),
                "accuracy": round(float((df[f].to_numpy() == pred[f].to_numpy()).mean()), 3)} for f in FIELDS}


def review_curve(df: pd.DataFrame, pred: pd.DataFrame, rule: str = "geomean") -> list[dict]:
    """Flag = :func:`review_score` (``rule="geomean"``, what ``voc tag`` uses) or the lowest field's
    confidence (``"min"``, the rule before) below t; per-field accuracy of the rows left unflagged."""
    confs = pred[[f"{f}_conf" for f in FIELDS]].astype(float).to_numpy()
    conf = review_score(confs) if rule == "geomean" else confs.min(axis=1)
    right = {f: df[f].to_numpy() == pred[f].to_numpy() for f in FIELDS}
    out = []
    for t in THRESHOLDS:
        keep = conf >= t
        row = {"threshold": t, "flagged": round(float(1 - keep.mean()), 3), "n_unflagged": int(keep.sum())}
        for f in FIELDS:
            row[f] = round(float(right[f][keep].mean()), 3) if keep.any() else None
        row["all_four"] = round(float(np.all([right[f] for f in FIELDS], axis=0)[keep].mean()), 3) if keep.any() else None
        out.append(row)
    return out


def pick_threshold(curve: list[dict], max_flagged: float = 0.5) -> dict:
    """The threshold that flags at most ``max_flagged`` and leaves the unflagged rows most accurate."""
    ok = [r for r in curve if r["flagged"] <= max_flagged and r["n_unflagged"]]
    return max(ok, key=lambda r: (r["issue"] + r["servqual"] + r["demand"] + r["stance"], -r["flagged"])) if ok else {}


def rules_by_halves(df: pd.DataFrame, pred: pd.DataFrame, max_flagged: float = 0.5) -> dict:
    """Honest comparison of flag rules: the threshold is chosen on one half of the dialogues (flag at
    most ``max_flagged``) and applied to the other half; unflagged accuracy averaged over both ways.

    Rules: geometric mean of the four confidences, lowest confidence, and per-field thresholds
    (a grid search, which fits its half best and the other half worst)."""
    import itertools

    confs = pred[[f"{f}_conf" for f in FIELDS]].astype(float).to_numpy()
    right = np.column_stack([df[f].to_numpy() == pred[f].to_numpy() for f in FIELDS]).astype(float)
    half = np.array([hash_half(d) for d in df["dialogue_id"].astype(str)])
    grid = np.round(np.arange(0.3, 0.96, 0.05), 2)

    def per_field(rows):
        best, best_t = -1.0, grid[:1].repeat(4)
        for t in itertools.product(grid, repeat=4):
            keep = (confs[rows] >= np.array(t)).all(axis=1)
            if keep.mean() >= 1 - max_flagged and keep.any() and right[rows][keep].mean() > best:
                best, best_t = right[rows][keep].mean(), np.array(t)
        return lambda c: (c >= best_t).all(axis=1)

    def single(score):
        def fit(rows):
            t = np.quantile(score(confs[rows]), max_flagged)
            return lambda c: score(c) >= t
        return fit

    rules = {"geomean": single(review_score), "min": single(lambda c: c.min(axis=1)), "per_field": per_field}
    out = {}
    for name, fit in rules.items():
        acc, flagged = [], []
        for k in (0, 1):
            keep = fit(np.flatnonzero(half != k))(confs[half == k])
            flagged.append(1 - keep.mean())
            acc.append(right[half == k][keep].mean(axis=0))
        out[name] = {"flagged": round(float(np.mean(flagged)), 3),
                     **{f: round(float(np.mean([a[j] for a in acc])), 3) for j, f in enumerate(FIELDS)}}
    return out


def issue_2_stats(df: pd.DataFrame, model) -> dict:
    """How often ``issue_2`` fires and, with no second label in the annotation, a proxy of its
    precision: how often it equals the annotator's (single) issue, and how often the primary or
    the secondary label is the annotator's when it fires."""
    if not hasattr(model, "secondary_issue"):
        return {}
    pred = model.predict(df["text"].tolist(), df["context"].tolist(), issue_2=True)
    fired = pred["issue_2"].to_numpy(dtype=object) != ""
    truth, prim, sec = df["issue"].to_numpy(), pred["issue"].to_numpy(), pred["issue_2"].to_numpy()
    n = int(fired.sum())

    def share(hit):
        return round(float(hit[fired].mean()), 3) if n else None

    return {"fires": round(float(fired.mean()), 3), "n_fired": n,
            "issue_2_is_annotator_issue": share(sec == truth), "primary_right_when_fired": share(prim == truth),
            "primary_or_issue_2_right_when_fired": share((sec == truth) | (prim == truth))}


def hash_half(dialogue_id: str) -> int:
    """A fixed split of the dialogues into two halves (the last digits, parity)."""
    return int(dialogue_id[-4:]) % 2 if dialogue_id[-4:].isdigit() else len(dialogue_id) % 2


_BAL = "balanced"  # every head class-balanced: the recipe before the stance head kept corpus priors
_NO_SUBJECT = dict(thread_subject=0.0)  # the thread's labels in turns that say little, from round 21
_NO_THIRD = dict(third_party_rule=False, **_NO_SUBJECT)  # the rule for posts to another company's account, from round 8
_NB_ALPHA3 = dict(nb_alpha=0.3, **_NO_THIRD)  # the NB smoothing before round 7
_WORD_MIN_DF2 = dict(word_min_df=2, **_NB_ALPHA3)  # the word vocabulary before round 7
_NO_MARKS = dict(addressee=False, device_marker=False, **_WORD_MIN_DF2)
_OFF = dict(label_structure=0.0, nb_weight=0.0, **_NO_MARKS)  # the later parts, off in the rows before them
ABLATION = {
    # name: LabelModel parameters (the trained-in-process rows); the recipe before issue 9 first
    "before (raw text, no context, no filler rule)": dict(clean=False, context_weight=0.0, filler_rule=False,
                                                          joint_none=False, class_weight=_BAL, **_OFF),
    "+ cleaning": dict(clean=True, context_weight=0.0, filler_rule=False, joint_none=False, class_weight=_BAL, **_OFF),
    "+ cleaning + filler rule": dict(clean=True, context_weight=0.0, filler_rule=True, joint_none=False,
                                     class_weight=_BAL, **_OFF),
    "+ cleaning + filler rule + context block (0.5)": dict(clean=True, context_weight=0.5, filler_rule=True,
                                                           context_mode="block", joint_none=False, class_weight=_BAL, **_OFF),
    "+ cleaning + filler rule + context added (0.3, not stance)": dict(
        clean=True, context_weight=0.3, context_mode="add", filler_rule=True, joint_none=False, class_weight=_BAL, **_OFF),
    "+ joint none decision": dict(clean=True, context_weight=0.3, context_mode="add", filler_rule=True,
                                  joint_none=True, class_weight=_BAL, **_OFF),
    "+ stance head unweighted": dict(clean=True, context_weight=0.3, context_mode="add", filler_rule=True,
                                     joint_none=True, **_OFF),
    "+ joint label decision (0.5)": dict(clean=True, context_weight=0.3, context_mode="add", filler_rule=True,
                                         joint_none=True, nb_weight=0.0, **_NO_MARKS),
    "+ Complement NB head (0.5)": dict(clean=True, context_weight=0.3, context_mode="add",
                                       filler_rule=True, joint_none=True, **_NO_MARKS),
    "+ addressee and device markers": dict(clean=True, context_weight=0.3, context_mode="add",
                                           filler_rule=True, joint_none=True, **_WORD_MIN_DF2),
    "+ word n-grams seen once (word min_df 1)": dict(clean=True, context_weight=0.3, context_mode="add",
                                                     filler_rule=True, joint_none=True, **_NB_ALPHA3),
    "+ NB smoothing 0.1 (was 0.3)": dict(clean=True, context_weight=0.3, context_mode="add",
                                         filler_rule=True, joint_none=True, **_NO_THIRD),
    "+ third-party rule (posts to another company's account)": dict(
        clean=True, context_weight=0.3, context_mode="add", filler_rule=True, joint_none=True, **_NO_SUBJECT),
    "+ thread subject (context read alone, 0.5, in turns under 0.5) = shipped recipe": dict(
        clean=True, context_weight=0.3, context_mode="add", filler_rule=True, joint_none=True),
    "+ USE sentence embeddings (0.5) = voc train --embeddings use": dict(
        clean=True, context_weight=0.3, context_mode="add", filler_rule=True, joint_none=True, embeddings="use",
        embedding_weight=0.5, **_NO_THIRD),
}


def jackknife(run, k: int, drop: int) -> dict:
    """The shipped recipe trained ``k`` times, each on the corpus without ``drop`` random lines.

    Why: a change of a few corpus lines (a fixed typo, a relabelled line) retrains every weight,
    and the dev rows are few (18 ``suggestion``, 22 ``attribute``); a difference between two recipes
    within the spread of these models means nothing."""
    corpus = load_corpus(REPO / "corpora" / "labelled").sort_values("id", kind="stable").reset_index(drop=True)
    rows = {}
    for seed in range(1, k + 1):
        keep = np.ones(len(corpus), dtype=bool)
        keep[np.random.default_rng(seed).choice(len(corpus), drop, replace=False)] = False
        part = corpus[keep].reset_index(drop=True)
        model = LabelModel().fit(part["text"].tolist(), part, context=corpus_context(part))
        entry = run(f"jackknife: shipped recipe without {drop} random corpus lines (seed {seed})", model)
        rows[str(seed)] = {f: entry["dev"]["with_context"][f]["macro_f1"] for f in FIELDS}
    spread = {f: {"min": min(r[f] for r in rows.values()), "max": max(r[f] for r in rows.values()),
                  "sd": round(float(np.std([r[f] for r in rows.values()], ddof=1)), 4) if k > 1 else None}
              for f in FIELDS}
    print("jackknife spread (dev, with context): " + "  ".join(
        f"{f} {v['min']:.3f}–{v['max']:.3f}" for f, v in spread.items()))
    return {"drop": drop, "models": rows, "spread": spread}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None, help="model file or folder (default: the shipped one)")
    ap.add_argument("--ablation", action="store_true", help="also train each variant from corpora/labelled")
    ap.add_argument("--variants", default="", help="ablation names separated by ; (default: all)")
    ap.add_argument("--params", default="", help="JSON LabelModel params for one extra trained variant")
    ap.add_argument("--final", action="store_true", help="also report the untouched final subset (once!)")
    ap.add_argument("--adapt", action="store_true",
                    help="also adapt the shipped model to all real customer turns (unlabelled), as voc tag --adapt")
    ap.add_argument("--card", default=None, help="model folder whose README.md real-text section to refresh")
    ap.add_argument("--no-shipped", action="store_true", help="skip the shipped model (ablation only)")
    ap.add_argument("--merge", action="store_true",
                    help="keep the rows already in the output file (refresh only the variants run now)")
    ap.add_argument("--jackknife", type=int, default=0, metavar="K",
                    help="also train the shipped recipe K times, each without --drop random corpus lines (seeds "
                         "1..K): how far dev macro-F1 moves when the corpus barely changes (the noise floor)")
    ap.add_argument("--drop", type=int, default=3, help="corpus lines left out per --jackknife model")
    ap.add_argument("-o", "--out", default=str(RESULTS / "classify_real.json"))
    args = ap.parse_args()
    df, final_source = load_real_labelled()
    splits = ["dev", "final"] if args.final else ["dev"]
    result = {"n": {s: int((df["split"] == s).sum()) for s in ("dev", "final")}, "final_subset": final_source,
              "context": "earlier turns of the same dialogue (last 3)", "models": {}}
    print(f"{len(df)} real customer turns (STC-3 Weibo); dev {result['n']['dev']}, final {result['n']['final']} "
          f"({final_source}); figures on: {', '.join(splits)}")

    def run(name: str, model, *, curve: bool = False):
        entry = {}
        for s in splits:
            part = df[df["split"] == s].reset_index(drop=True)
            t0 = time.perf_counter()
            p_ctx = model.predict(part["text"].tolist(), part["context"].tolist())
            p_alone = model.predict(part["text"].tolist())
            entry[s] = {"with_context": scores(part, p_ctx), "text_only": scores(part, p_alone),
                        "seconds": round(time.perf_counter() - t0, 2)}
            if curve:
                entry[s]["issue_2"] = issue_2_stats(part, model)
                entry[s]["review_curve"] = review_curve(part, p_ctx)
                entry[s]["review_curve_min_rule"] = review_curve(part, p_ctx, rule="min")
                entry[s]["review_rules_by_halves"] = rules_by_halves(part, p_ctx)
                entry[s]["review_curve_text_only"] = review_curve(part, p_alone)
                if hasattr(model, "calibrators_") and model.calibrators_:
                    raw = model.predict(part["text"].tolist(), part["context"].tolist(), raw_conf=True)
                    entry[s]["review_curve_uncalibrated"] = review_curve(part, raw)
        result["models"][name] = entry
        row = entry["dev"]
        print(f"{name[:44]:44s} " + "  ".join(
            f"{f[:5]} {row['with_context'][f]['macro_f1']:.3f}/{row['text_only'][f]['macro_f1']:.3f}" for f in FIELDS))
        return entry

    class _KW:
        def predict(self, texts, context=None, raw_conf=False):
            return KeywordBaseline().predict(texts)

    print(f"{'model':44s} macro-F1 with context / text only (dev)")
    run("keyword baseline", _KW())
    shipped = {"dev": {}}
    if not args.no_shipped:
        shipped = run("shipped model", load_model(args.model), curve=True)
        for s in splits:
            shipped[s]["chosen_threshold"] = pick_threshold(shipped[s]["review_curve"])
    if args.ablation or args.params:
        corpus = load_corpus(REPO / "corpora" / "labelled")
        corpus = corpus.sort_values("id", kind="stable").reset_index(drop=True)
        ctx = corpus_context(corpus)
        todo = dict(ABLATION) if args.ablation else {}
        if args.variants:
            todo = {k: v for k, v in todo.items() if k in args.variants.split(";")}
        if args.params:
            todo[f"params {args.params}"] = json.loads(args.params)
        result["n_corpus"] = len(corpus)  # the card says when the shipped model's corpus has grown since
        for name, params in todo.items():
            run(name, LabelModel(**params).fit(corpus["text"].tolist(), corpus, context=ctx))
    if args.jackknife:
        result["jackknife"] = jackknife(run, args.jackknife, args.drop)
    if args.adapt:
        from voiceofcustomer.labels.adapt import adapt_model

        turns = dialogues()
        texts, ctx = [], []
        for d in turns.values():
            for i, t in enumerate(d):
                if t["sender"] == "customer":
                    texts.append(t["text"])
                    ctx.append(context_string(d[:i]))
        from voiceofcustomer.labels.adapt import estimate_prior_shift

        shifted = load_model(args.model)
        shifted.prior_shift_ = estimate_prior_shift(shifted, texts, ctx)
        entry = run("shipped model + prior shift (EM on all real turns, unlabelled)", shifted, curve=True)
        for s in splits:
            entry[s]["chosen_threshold"] = pick_threshold(entry[s]["review_curve"])
        result["adapt"] = {}
        for method, name in (("weights", "shipped model + --adapt importance weights (all real turns, unlabelled)"),
                             ("self-training", "shipped model + --adapt self-training (all real turns, unlabelled)")):
            t0 = time.perf_counter()
            adapted, st = adapt_model(load_model(args.model), texts, ctx, method=method)
            result["adapt"][method] = {**st, "seconds": round(time.perf_counter() - t0, 1)}
            print(f"--adapt {method}: {result['adapt'][method]}")
            entry = run(name, adapted, curve=True)
            for s in splits:
                entry[s]["chosen_threshold"] = pick_threshold(entry[s]["review_curve"])
    i2 = shipped["dev"].get("issue_2")
    if i2:
        print(f"issue_2 fires on {i2['fires']:.0%} of dev turns; equals the annotator's issue in "
              f"{i2['issue_2_is_annotator_issue'] or 0:.0%} of those; primary or issue_2 right in "
              f"{i2['primary_or_issue_2_right_when_fired'] or 0:.0%} "
              f"(primary alone {i2['primary_right_when_fired'] or 0:.0%})")
    for name, r in (shipped["dev"].get("review_rules_by_halves") or {}).items():
        print(f"flag rule {name:9s} (threshold from the other half of the dialogues): flags {r['flagged']:.0%}; "
              "unflagged right: " + ", ".join(f"{f} {r[f]:.0%}" for f in FIELDS))
    ch = shipped["dev"].get("chosen_threshold")
    if ch:
        print(f"review flag on dev: threshold {ch['threshold']} flags {ch['flagged']:.0%}; unflagged right: "
              + ", ".join(f"{f} {ch[f]:.0%}" for f in FIELDS))
    name = results_path(args.out)
    if args.merge and name.exists():
        old = json.loads(name.read_text(encoding="utf-8"))
        kept = {k: v for k, v in old.get("models", {}).items() if k in ABLATION or k in result["models"]}
        merged = {**kept, **result["models"]}
        order = ["keyword baseline", "shipped model", *ABLATION]
        result["models"] = {k: merged[k] for k in sorted(merged, key=lambda k: order.index(k) if k in order else 99)}
    out = save(name, result)
    print(f"→ {out}")
    if args.card:
        from voiceofcustomer.labels.train import refresh_real_section

        refresh_real_section(args.card, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
