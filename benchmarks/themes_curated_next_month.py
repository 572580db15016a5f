"""A curated theme set applied to next month: do near-copies of its tickets land on their theme, and
do subjects it never had fit none?

    python benchmarks/themes_curated_next_month.py [-o themes_curated_next_month.json]

Data (written for the project, no real customer text):
- ``templated``: ``tests/data/themes/tickets_templated_nov.csv``, 60 templated tickets of six subjects
  (tight themes), the set made of their subjects; ``tickets_templated_dec.csv``, the same tickets with
  small wording changes and 6 of two new subjects (诈骗电话, 营业厅排队);
- ``varied``: ``tickets_varied_nov.csv``, 60 tickets of six subjects in varied words, its ``voc themes``
  output (split, follow-ups) saved as it was; ``tickets_varied_dec.csv`` likewise (60 near-copies, 6
  new);
- ``two_level``: ``tests/data/themes_two_level.tsv`` as in ``tests/themes/test_themes_curated.py``
  (loose themes with sub-subjects; the team renamed and merged); next month's broadband, billing and
  signal statements and the stores, a subject the set never had; with ``use`` and with ``lsa``
  (``two_level_lsa``).

Each with the cut-off of the members alone (``topic_conf`` below ``min_conf``) and with
``CuratedThemes.neighbour_floors``: ``old_on_theme`` (a month-1 subject's statements on its theme),
``old_fit_none``, ``new_fit_none`` (the new subjects' opening statements that fit none).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _common import save

from voiceofcustomer.review.store import create_project
from voiceofcustomer.text.split import split_inputs
from voiceofcustomer.themes import curated as C
from voiceofcustomer.themes.pipeline import run_themes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
TAGS = {"servqual": "reliability", "demand": "delivery", "issue": "other", "stance": "complaint"}


def _tagged(df: pd.DataFrame) -> pd.DataFrame:
    for f, v in TAGS.items():
        df[f], df[f"{f}_conf"] = v, 0.5
    return df


def templated(tmp: Path):
    nov = pd.read_csv(DATA / "themes" / "tickets_templated_nov.csv")
    dec = pd.read_csv(DATA / "themes" / "tickets_templated_dec.csv")
    subjects = list(dict.fromkeys(nov["subject"]))
    topic = [subjects.index(s) for s in nov["subject"]]
    df = pd.DataFrame({"statement_id": nov["工单号"], "text": nov["投诉内容"], "topic": topic,
                       "topic_label": [subjects[t] for t in topic]})
    create_project(_tagged(df), tmp / "review.sqlite").close()
    C.save_curated(tmp / "review.sqlite", tmp / "set")
    new = pd.DataFrame({"statement_id": dec["工单号"], "text": dec["投诉内容"]})
    expected = dec["subject"].map({s: i for i, s in enumerate(subjects)}).fillna(-1).astype(int)
    return tmp / "set", new, expected.to_numpy()


def varied(tmp: Path):
    run_themes([DATA / "themes" / "tickets_varied_nov.csv"], tmp / "nov")  # voc themes, as the team ran it
    st = pd.read_csv(tmp / "nov" / "statement_topics.csv")
    create_project(_tagged(st), tmp / "review.sqlite").close()
    C.save_curated(tmp / "review.sqlite", tmp / "set")
    lead = st[st["reason"].fillna("").eq("") & (st["topic"] >= 0)]
    theme_of = lead.groupby("subject")["topic"].agg(lambda s: s.mode().iloc[0]).to_dict()
    dec = pd.concat(list(split_inputs([DATA / "themes" / "tickets_varied_dec.csv"])), ignore_index=True)
    expected = dec["subject"].map(theme_of).fillna(-1).astype(int).to_numpy()
    return tmp / "set", dec, expected


def two_level(tmp: Path, embedding: str = "use"):
    sys.path.insert(0, str(ROOT / "tests" / "themes"))
    sys.path.insert(0, str(ROOT / "tests"))
    import test_themes_curated as T

    db, new = T.curated_project(tmp)
    C.save_curated(db, tmp / "set", embedding=embedding)
    expected = new["subject"].map({"broadband": 0, "signal": 0, "billing": 1}).fillna(-1).astype(int).to_numpy()
    return tmp / "set", new[["statement_id", "text"]], expected


def measure(name, make) -> dict:
    with tempfile.TemporaryDirectory() as d:
        folder, new, expected = make(Path(d))
        cur = C.load_curated(folder)
        out = {}
        for rule in ("members_floor", "neighbour_floor"):
            orig = C.CuratedThemes.neighbour_floors
            if rule == "members_floor":
                C.CuratedThemes.neighbour_floors = lambda self, mc: np.full(len(self.centroids), np.nan)
            try:
                st = C.assign_curated(cur, new, noise_field=None)
            finally:
                C.CuratedThemes.neighbour_floors = orig
            opening = ~st["reason"].isin(["follows its ticket"]).to_numpy() & st["topic_similarity"].notna().to_numpy()
            old, fresh = opening & (expected >= 0), opening & (expected < 0)
            topic = st["topic"].astype(int).to_numpy()
            out[rule] = {"old": int(old.sum()), "old_on_theme": int((topic[old] == expected[old]).sum()),
                         "old_fit_none": int((topic[old] == -1).sum()), "new": int(fresh.sum()),
                         "new_fit_none": int((topic[fresh] == -1).sum()),
                         "new_max_similarity": round(float(st.loc[fresh, "topic_similarity"].max()), 3)}
            print(name, rule, out[rule])
        out["floors"] = [round(float(x), 3) for x in cur.neighbour_floors(cur.meta["min_conf"])]
        out["members_floors"] = [round(float(s[0]), 3) for s in cur.member_sims]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--out", default="themes_curated_next_month.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    result = {name: measure(name, make) for name, make in (("templated", templated), ("varied", varied),
                                                           ("two_level", two_level),
                                                           ("two_level_lsa", lambda t: two_level(t, "lsa")))}
    print(save(args.out, result))


if __name__ == "__main__":
    main()
