"""Learning curve of `voc train --add`: corrections in the review queue's order vs in random order,
over several held-out splits, for one or more teach methods.

    python benchmarks/review_learning_curve.py [--sizes 50,100,200,400] [--splits 3] [--random-seeds 2]
        [--methods adapter,refit] [--out review_learning_curve.json]

Real labelled customer turns: the ids and labels of corpora/eval/stc3_real_labels.csv (600) plus the
`dev` rows of corpora/eval/stc3_real_labels_more.csv (rows with split=final are never read); texts are
joined at run time from the research data and never stored. `--labels` reads another labels file in
place of the first (a relabelled copy); `--convention 'servqual:responsiveness=empathy'` recodes a
class in every row, as a team whose conventions differ from the guide's would label; it is read from the usual place by default, so a re-annotated
file is picked up by re-running. A hash of each row's dialogue id (`--group dialogue`, the default since round 5; `--group turn`: of the turn id, as rounds 1-4) puts the row in one of `--splits` folds; for each
split, one fold is held out (the team's "other posts") and the rest is the pool a team would review.
For each size k, the first k pool rows in the queue's order ("teach fastest", from the shipped model's
confidences, exactly as `voc review` orders a project) and in seeded random orders are given to the
teach step's own code as the team's decisions, and macro-F1 on the held-out rows is measured per field.

Methods: `refit` (the corpus plus the decisions repeated --weight times, refitted: the recipe before
this benchmark's adapter) and `adapter` (the shipped model plus a team adapter fitted on the decisions
only, `review.teach.fit_adapter`); `adapter:lam=3+balance=0.5` tries other settings (review.teach.fit_adapter arguments;
`balance.stance=0` sets one field's class weighting: the default before round 5; `select=0` fits every field's
adapter without the cross-validated check on the decisions, the method before round 7; `map=1` adds the
convention-map candidate to that check for every field (`voc train --add --convention-map`), `map=0` for
none (the default before round 10), `map=auto` only where the decisions show a recoding (the default
since round 10, `team_adapter.recodings`; `+scope=pairs`, the default, fits the recoded pairs' entries
only, `+scope=full` the whole map), and `map_margin=0.02` sets how much it must win by; explicit penalties
also switch the check off). The summary reports, per
method, order, size and field, the mean gain over the shipped model across splits and random seeds and
its spread (min..max over splits). Results are written after every fit (a stopped run still reports what
it measured). Only ids and numbers are written, in benchmarks/results/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import REPO, RESULTS, STC3, customer_turns, results_path, save

from voiceofcustomer.labels.model import load_corpus, load_model
from voiceofcustomer.labels.taxonomy import FIELDS
from voiceofcustomer.labels.train import field_report
from voiceofcustomer.resources import corpus_path
from voiceofcustomer.review.queue import random_order, teach_order

EVAL = REPO / "corpora" / "eval"


def _data_file() -> Path:
    for p in (STC3, Path(os.environ.get("VOC_SHARED_DATA", "/nonexistent")) / STC3.name,
              REPO.parents[1] / "shared" / "data" / STC3.name):
        if p.exists():
            return p
    print(f"skipped: {STC3.name} not found (research data lives in ../shared/data, never in this repo)")
    sys.exit(0)


def load_real(labels_file: Path | None = None, more: bool = True) -> pd.DataFrame:
    cols = ["dialogue_id", "turn_index", *FIELDS]
    labels = pd.read_csv(labels_file or EVAL / "stc3_real_labels.csv", dtype={"dialogue_id": str})[cols]
    if more and (EVAL / "stc3_real_labels_more.csv").exists():
        extra = pd.read_csv(EVAL / "stc3_real_labels_more.csv", dtype={"dialogue_id": str})
        extra = extra[extra["split"] == "dev"][cols]  # never the final rows
        labels = pd.concat([labels, extra], ignore_index=True)
    labels = labels.drop_duplicates(["dialogue_id", "turn_index"], keep="first")
    turns = pd.DataFrame(customer_turns(path=_data_file()))
    turns["dialogue_id"] = turns["dialogue_id"].astype(str)
    df = labels.merge(turns, on=["dialogue_id", "turn_index"], how="left")
    if df["text"].isna().any():
        raise SystemExit("some labelled turns are not in the data; is it the right version?")
    df["uid"] = df["dialogue_id"] + ":" + df["turn_index"].astype(str)
    return df.sort_values("uid", kind="stable").reset_index(drop=True)


def recode(df: pd.DataFrame, convention: str) -> pd.DataFrame:
    """The labels as a team with other conventions would give them ('servqual:responsiveness=empathy;…')."""
    for rule in (r.strip() for r in convention.split(";") if r.strip()):
        field, _, pair = rule.partition(":")
        old, _, new = pair.partition("=")
        if field not in FIELDS or not old or not new:
            raise SystemExit(f"--convention: cannot read {rule!r}; "
                             "write FIELD:FROM=TO, e.g. servqual:responsiveness=empathy")
        df[field] = df[field].replace(old, new)
    return df


def scores(model, test: pd.DataFrame) -> dict:
    pred = model.predict(test["text"].tolist())
    return {f: round(field_report(test[f].tolist(), pred[f].tolist(), f)["macro_f1"], 4) for f in FIELDS}


def _method(spec: str, corpus: pd.DataFrame, shipped, weight: int):
    """A function (decisions frame) -> fitted model, for a method spec such as ``adapter`` or
    ``refit`` or ``adapter:lam=3+balance=0.5``."""
    from voiceofcustomer.review import teach

    name, _, opts = spec.partition(":")
    kw: dict = {}
    for k, v in (o.split("=") for o in opts.split("+") if o):
        if k.startswith("balance."):  # one field's class weighting, e.g. balance.stance=0
            kw.setdefault("balance", {})[k.split(".", 1)[1]] = float(v)
        elif k.startswith("min_win."):  # one field's bootstrap win share, e.g. min_win.stance=0 (before round 10)
            kw.setdefault("min_win", {})[k.split(".", 1)[1]] = float(v)
        elif k == "map":  # map=0: without the convention-map candidate; 1: always; auto: when a recoding shows
            kw["convention_map"] = "auto" if v == "auto" else bool(float(v))
        elif k == "prior":  # prior=0: keep the corpus's joint label prior where a recoding shows (before round 11)
            kw["recode_prior"] = bool(float(v))
        elif k == "drop":  # drop=0: keep a recoded class the team never uses (before round 11)
            kw["drop_unused"] = bool(float(v))
        elif k == "scope":  # with map=auto: the map's free entries, "pairs" (the recodings found) or "full"
            kw["map_scope"] = v
        else:
            kw[k] = float(v)
    if name == "refit":
        w = int(kw.get("weight", weight))
        return lambda add: teach.fit_training_frame(teach._training_frame(corpus, add, w))
    if name == "adapter":
        return lambda add: teach.fit_adapter(shipped, add, **kw)
    raise SystemExit(f"unknown method {spec!r}")


def summarize(res: dict) -> dict:
    """Per method, order kind (queue / random), size, field: mean gain over the shipped model
    (over splits, and random seeds), min and max of the per-split gains, and the mean score."""
    out = {}
    for meth, by_split in res["curves"].items():
        acc: dict = {}
        for split, by_order in by_split.items():
            base = res["shipped_model"][split]
            for order, by_size in by_order.items():
                kind = "queue" if order == "queue" else "random"
                for k, sc in by_size.items():
                    for f in FIELDS:
                        acc.setdefault((kind, k, f), {}).setdefault(split, []).append((sc[f] - base[f], sc[f]))
        rows = {}
        for (kind, k, f), per_split in acc.items():
            gains = [float(np.mean([g for g, _ in v])) for v in per_split.values()]
            vals = [s for v in per_split.values() for _, s in v]
            rows.setdefault(kind, {}).setdefault(k, {})[f] = {
                "gain": round(float(np.mean(gains)), 4), "gain_min": round(min(gains), 4),
                "gain_max": round(max(gains), 4), "score": round(float(np.mean(vals)), 4),
                "n_splits": len(gains)}
        out[meth] = rows
    return out


def table(files: list[str]) -> str:
    """Markdown: per method, order and size, each field's mean gain over the shipped model across the
    splits (and random seeds), with the range of the per-split gains; the shipped model's scores first."""
    lines = ["| method | order | corrections | " + " | ".join(FIELDS) + " |", "|---" * (len(FIELDS) + 3) + "|"]
    first = True
    for name in files:
        path = Path(name) if Path(name).is_file() else RESULTS / name  # a path, or a name in results/
        res = json.loads(path.read_text(encoding="utf-8"))
        if first:
            sh = res["shipped_model"]
            lines.append("| shipped model | – | 0 | " + " | ".join(
                f"{np.mean([v[f] for v in sh.values()]):.3f} ({min(v[f] for v in sh.values()):.3f}–"
                f"{max(v[f] for v in sh.values()):.3f})" for f in FIELDS) + " |")
            first = False
        for meth, rows in summarize(res).items():
            for kind in ("queue", "random"):
                for k, r in sorted(rows.get(kind, {}).items(), key=lambda kv: int(kv[0])):
                    lines.append(f"| {meth} | {kind} | {k} | " + " | ".join(
                        f"{r[f]['gain']:+.3f} [{r[f]['gain_min']:+.3f}, {r[f]['gain_max']:+.3f}]" for f in FIELDS)
                        + " |")
        if res.get("em_prior"):
            gains = {f: [res["em_prior"][s][f] - res["shipped_model"][s][f] for s in res["em_prior"]] for f in FIELDS}
            lines.append("| EM class priors (Saerens), no decisions | – | 0 | " + " | ".join(
                f"{np.mean(g):+.3f} [{min(g):+.3f}, {max(g):+.3f}]" for g in gains.values()) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50,100,200,400")
    ap.add_argument("--splits", type=int, default=3, help="number of hash folds; each is held out once")
    ap.add_argument("--group", choices=("dialogue", "turn"), default="dialogue",
                    help="what the fold hash reads: the dialogue id (default: held-out rows come from other "
                         "dialogues than the corrections) or the turn id (rounds 1-4)")
    ap.add_argument("--only-splits", default="", help="comma list of split indices to run (default all)")
    ap.add_argument("--random-seeds", type=int, default=2)
    ap.add_argument("--no-queue", action="store_true", help="random orders only")
    ap.add_argument("--methods", default="adapter,refit")
    ap.add_argument("--weight", type=int, default=3, help="refit: how many times a decision is repeated")
    ap.add_argument("--em-prior", action="store_true",
                    help="also: the shipped model with class priors re-estimated by EM on the pool's unlabelled "
                         "texts (labels.adapt.estimate_prior_shift, Saerens et al. 2002); no decisions used")
    ap.add_argument("--labels", type=Path, default=None, help="labels file in place of stc3_real_labels.csv")
    ap.add_argument("--convention", default="",
                    help="a team whose conventions differ from the guide's: 'FIELD:FROM=TO;…' recodes every "
                         "labelled row (pool and held-out), e.g. 'servqual:responsiveness=empathy'")
    ap.add_argument("-o", "--out", default="review_learning_curve.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    ap.add_argument("--table", nargs="+", metavar="RESULTS_JSON",
                    help="only print the markdown table of these results files (in benchmarks/results/)")
    args = ap.parse_args()
    if args.table:
        print(table(args.table))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    methods = [m for m in args.methods.split(",") if m]
    df = recode(load_real(args.labels), args.convention)
    keys = df["dialogue_id"] if args.group == "dialogue" else df["uid"]
    fold = np.array([int(hashlib.md5(u.encode()).hexdigest()[:8], 16) % args.splits for u in keys])
    corpus = load_corpus(corpus_path("labelled"))
    corpus = corpus.sort_values("id", kind="stable").reset_index(drop=True)
    shipped = load_model(None)
    fits = {m: _method(m, corpus, shipped, args.weight) for m in methods}
    path = results_path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = {"labels": (args.labels or EVAL / "stc3_real_labels.csv").name + " + stc3_real_labels_more.csv (dev)",
           "convention": args.convention,
           "n_rows": len(df), "splits": args.splits, "group": args.group, "sizes": sizes, "weight_refit": args.weight,
           "n_test": {}, "shipped_model": {}, "curves": {m: {} for m in methods}, "seconds": {}}
    if path.exists():  # add to an earlier run of the same file (other methods or splits)
        old = json.loads(path.read_text(encoding="utf-8"))
        if (old.get("n_rows") == len(df) and old.get("splits") == args.splits and old.get("group", "turn") == args.group
                and old.get("convention", "") == args.convention):
            for key in ("n_test", "shipped_model", "seconds"):
                out[key] = {**old.get(key, {}), **out[key]}
            out["curves"] = {**old.get("curves", {}), **{m: old.get("curves", {}).get(m, {}) for m in methods}}
            out["sizes"] = sorted(set(old.get("sizes", [])) | set(sizes))
    only = {int(s) for s in args.only_splits.split(",") if s} or set(range(args.splits))
    for s in sorted(only):
        pool, test = df[fold != s].reset_index(drop=True), df[fold == s].reset_index(drop=True)
        pool = pool.assign(statement_id=pool["uid"], thread=pool["dialogue_id"])
        out["n_test"][str(s)] = len(test)
        out["shipped_model"][str(s)] = scores(shipped, test)
        conf = shipped.predict(pool["text"].tolist())[[f"{f}_conf" for f in FIELDS]].to_numpy(dtype=float)
        orders = {} if args.no_queue else {"queue": np.argsort(teach_order(pool["text"].tolist(), conf, seed=20261204))}
        for r in range(args.random_seeds):
            orders[f"random{r}"] = np.argsort(random_order(len(pool), seed=1000 + r))
        if args.em_prior:
            import copy

            from voiceofcustomer.labels.adapt import estimate_prior_shift

            em = copy.copy(shipped)
            em.prior_shift_ = estimate_prior_shift(shipped, pool["text"].tolist())
            out.setdefault("em_prior", {})[str(s)] = scores(em, test)
            print("em prior", s, out["em_prior"][str(s)], flush=True)
            save(path, out)
        print(f"split {s}: pool {len(pool)}, held-out {len(test)}; shipped {out['shipped_model'][str(s)]}", flush=True)
        for k in sizes:
            k = min(k, len(pool))
            for name, order in orders.items():
                add = pool.iloc[order[:k]][["statement_id", "thread", "text", *FIELDS]]
                for m in methods:
                    t = time.time()
                    res = scores(fits[m](add), test)
                    out["curves"][m].setdefault(str(s), {}).setdefault(name, {})[str(k)] = res
                    out["seconds"][f"{m}|{s}|{name}|{k}"] = round(time.time() - t, 1)
                    print(m, s, name, k, res, flush=True)
                    out["summary"] = summarize(out)
                    save(path, out)
    out["summary"] = summarize(out)
    save(path, out)
    for m, rows in out["summary"].items():
        for kind, by_k in rows.items():
            for k, r in sorted(by_k.items(), key=lambda kv: int(kv[0])):
                print(m, kind, k, " ".join(f"{f} {r[f]['gain']:+.3f} [{r[f]['gain_min']:+.3f},{r[f]['gain_max']:+.3f}]"
                                           for f in FIELDS))


if __name__ == "__main__":
    main()
