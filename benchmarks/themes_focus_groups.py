"""Themes of focus groups with known subjects: how many subjects come out as themes, and named by what.

    python benchmarks/themes_focus_groups.py [--tickets corpora/samples/tickets.csv] [--extra DIR] [-o themes_focus_groups.json]

    # the same measurement with the code of an earlier commit (its ThemeModel, its defaults):
    git worktree add /tmp/before 05bb561
    PYTHONPATH=/tmp/before/src python benchmarks/themes_focus_groups.py --weights default -o themes_focus_groups_before.json

Data: every written focus group in ``tests/data`` that has a key of each turn's subject
(``*.key.tsv``: ``moderator``, ``intro``, ``smalltalk`` or a subject id) — written for the
project, no real customer text. Each is analysed alone and together with a ticket export
(``--tickets``), as ``voc themes`` does, with the moderator's question in the statements'
embeddings (the default, ``ThemeModel(question_weight=1.0)``) and without it
(``question_weight=0``: statements embedded alone, fine clusters grouped by the coarse-level rule);
``--weights default`` with ``PYTHONPATH`` at an earlier commit's ``src`` measures the code before.

Then all of them together, as a study of several sessions is analysed (``--extra DIR`` adds more
keyed focus groups, e.g. two sessions of one discussion guide), with the default per-session
clustering and with ``session_merge=None`` (every session's statements clustered together, the
code before): the same scores per focus group, and how many subjects keyed in more than one
group have one theme in all of them.

Per run: subjects found (a subject whose most frequent theme holds more of it than of any
other subject), adjusted Rand index of the subject statements placed on a theme, share of
subject statements left 未归类, subjects whose theme label or top three key phrases contain
one of the subject's words (``tests/data/focus_group_subject_words.json``), the labels, and
introductions / small talk set aside.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import save
from sklearn.metrics import adjusted_rand_score

from voiceofcustomer import statements as S
from voiceofcustomer.themes import ThemeModel
from voiceofcustomer.themes.pipeline import detect_small_talk, load_inputs

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
NOT_SUBJECTS = {"moderator", "intro", "smalltalk"}


def keyed_focus_groups(folder: Path = DATA) -> list[Path]:
    return sorted(p for p in folder.glob("*.txt") if p.with_name(p.stem + ".key.tsv").exists())


def shared_subjects(paths: list[Path], df: pd.DataFrame, model: ThemeModel) -> dict:
    """Subjects keyed in more than one focus group: in how many is the subject's main theme the
    same in every group that discussed it (the same subject, one theme across sessions)."""
    rows = []
    for path in paths:
        key = pd.read_csv(path.with_name(path.stem + ".key.tsv"), sep="\t")
        subject_of = dict(zip(range(1, len(key) + 1), key["subject"]))
        mine = (df[S.SOURCE] == path.name).to_numpy()
        rows.append(pd.DataFrame({"group": path.stem, "topic": model.statement_topics_.loc[mine, S.TOPIC].to_numpy(),
                                  "subject": [subject_of[int(t)] for t in df.loc[mine, S.TURN]]}))
    a = pd.concat(rows)
    a = a[~a["subject"].isin(NOT_SUBJECTS) & (a["topic"] >= 0)]
    main = a.groupby(["group", "subject"])["topic"].agg(lambda x: int(x.value_counts().index[0])).reset_index()
    shared = main.groupby("subject").filter(lambda g: len(g) > 1)
    one = shared.groupby("subject")["topic"].nunique().eq(1)
    return {"shared_subjects": int(len(one)), "in_one_theme": int(one.sum()),
            "not_joined": sorted(one.index[~one].tolist())}


def together(paths: list[Path], args, words: dict, cache: str, result: dict) -> None:
    """Every keyed focus group in one analysis (a study of several sessions), alone and with the tickets."""
    for mixed in (False, True):
        df = load_inputs(paths + ([args.tickets] if mixed else []))
        fit_df, noise = detect_small_talk(df)
        for merge in ("default", None):
            t0 = time.perf_counter()
            extra = {} if merge == "default" else {"session_merge": None}
            try:
                model = ThemeModel(noise_field=noise, cache_dir=cache, **extra).fit(fit_df)
            except TypeError:  # code that predates session_merge
                if merge is None:
                    continue
                model = ThemeModel(noise_field=noise, cache_dir=cache).fit(fit_df)
            per = [{"focus_group": p.stem, **score(p.stem, df, model, words, p.parent)} for p in paths]
            row = {"together": len(paths), "with_tickets": mixed, "session_merge": merge,
                   "themes": int((model.topics_["topic"] >= 0).sum()),
                   **shared_subjects(paths, df, model), "per_focus_group": per,
                   "seconds": round(time.perf_counter() - t0, 1)}
            result.setdefault("together", []).append(row)
            found = sum(r["found"] for r in per)
            print(f"{len(paths)} focus groups together tickets={mixed!s:5s} session_merge={merge}: {row['themes']} themes; "
                  f"subjects found {found}/{sum(r['subjects'] for r in per)} "
                  f"(per group {min(r['found'] for r in per)}–{max(r['found'] for r in per)}), "
                  f"ARI {min(r['ari'] for r in per)}–{max(r['ari'] for r in per)}, "
                  f"named {sum(r['named_by_subject_words'] for r in per)}; "
                  f"shared subjects in one theme {row['in_one_theme']}/{row['shared_subjects']}", flush=True)


def score(name: str, df: pd.DataFrame, model: ThemeModel, words: dict, folder: Path = DATA) -> dict:
    key = pd.read_csv(folder / f"{name}.key.tsv", sep="\t")
    subject_of = dict(zip(range(1, len(key) + 1), key["subject"]))
    mine = (df[S.SOURCE] == f"{name}.txt").to_numpy()
    st = model.statement_topics_[mine].assign(subject=[subject_of[int(t)] for t in df.loc[mine, S.TURN]])
    sub = st[~st["subject"].isin(NOT_SUBJECTS)]
    topics = model.topics_[model.topics_["topic"] >= 0]
    shown = {int(r.topic): f"{r.label} " + " ".join(w.rsplit(":", 1)[0] for w in str(r.keywords).split("|")[:3])
             for r in topics.itertuples()}
    found, named = {}, []
    for subject, g in sub.groupby("subject"):
        top = int(g[S.TOPIC].value_counts().index[0])
        owners = sub.loc[sub[S.TOPIC] == top, "subject"].value_counts()
        if top != -1 and owners.index[0] == subject:
            found[subject] = model.labels_.get(top, "")
            if re.search(words[subject], shown[top], re.IGNORECASE):
                named.append(subject)
    placed = sub[sub[S.TOPIC] >= 0]
    small = st[st["subject"].isin({"intro", "smalltalk"})]
    return {"subjects": int(sub["subject"].nunique()), "found": len(found), "named_by_subject_words": len(named),
            "ari": round(float(adjusted_rand_score(placed["subject"], placed[S.TOPIC])), 3),
            "unassigned_share": round(float((sub[S.TOPIC] == -1).mean()), 3),
            "themes_of_this_transcript": int(placed[S.TOPIC].nunique()),
            "intro_smalltalk_set_aside": round(float((small[S.TOPIC] == -1).mean()), 3) if len(small) else None,
            "labels": found}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tickets", type=Path, default=ROOT / "corpora" / "samples" / "tickets.csv",
                    help="ticket export analysed together with each focus group")
    ap.add_argument("--weights", default="0,1",
                    help="question weights to compare; 'default' runs ThemeModel's own default (also code "
                         "that predates question_weight)")
    ap.add_argument("--extra", type=Path, action="append", default=[],
                    help="a folder of more keyed focus groups (*.txt + *.key.tsv, subject_words.json); may repeat")
    ap.add_argument("--together-only", action="store_true",
                    help="only the run with every focus group analysed together (several sessions)")
    ap.add_argument("-o", "--out", default="themes_focus_groups.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args(argv)
    words = {k: v for k, v in json.loads((DATA / "focus_group_subject_words.json").read_text("utf-8")).items()
             if not k.startswith("_")}
    paths = keyed_focus_groups()
    for folder in args.extra:
        extra_words = folder / "subject_words.json"
        if extra_words.exists():
            words.update({k: v if isinstance(v, str) else "|".join(v)
                          for k, v in json.loads(extra_words.read_text("utf-8")).items() if not k.startswith("_")})
        paths += keyed_focus_groups(folder)
    import voiceofcustomer

    result = {"code": str(Path(voiceofcustomer.__file__).parent), "tickets": str(args.tickets.relative_to(ROOT)) if args.tickets.is_relative_to(ROOT) else args.tickets.name,
              "runs": []}
    with tempfile.TemporaryDirectory() as cache:
        for path in ([] if args.together_only else paths):
            for mixed in (False, True):
                df = load_inputs([path, args.tickets] if mixed else [path])
                fit_df, noise = detect_small_talk(df)
                for weight in [None if w == "default" else float(w) for w in args.weights.split(",")]:
                    t0 = time.perf_counter()
                    extra = {} if weight is None else {"question_weight": weight}
                    model = ThemeModel(noise_field=noise, cache_dir=cache, **extra).fit(fit_df)
                    row = {"focus_group": path.stem, "with_tickets": mixed, "question_weight": weight,
                           **score(path.stem, df, model, words, path.parent), "seconds": round(time.perf_counter() - t0, 1)}
                    result["runs"].append(row)
                    print(f"{path.stem:40s} tickets={mixed!s:5s} q={weight}: found {row['found']}/{row['subjects']}, "
                          f"named {row['named_by_subject_words']}, ARI {row['ari']}, 未归类 {row['unassigned_share']}, "
                          f"small talk set aside {row['intro_smalltalk_set_aside']}", flush=True)
        together(paths, args, words, cache, result)
    print(f"→ {save(args.out, result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
