"""Labels of focus-group turns with and without parts of their context: does a participant's turn get
its subject's issue?

    python benchmarks/transcript_context.py [-o transcript_context.json]

Data: every written focus group with a key of each turn's subject (``tests/data/*.key.tsv`` and
``benchmarks/focus_groups_heldout``) — written for the project, no real customer text. The turns are
tagged as ``voc tag`` tags a transcript (the shipped model, ``transcript_context``, then
``transcript_rules``) in four ways: the thread-subject rule on or off, and the question before the
turn's question in the context or not (``transcript_context(earlier_question=...)``).

Per way:
- ``issue_right``: participant turns whose subject has an unambiguous issue (``SUBJECT_ISSUE``, fixed
  before any measurement; subjects that could be two issues are left out) labelled with that issue,
  over all such turns and as the mean over subjects;
- ``small_talk_none``: introductions and small talk (keyed ``intro`` / ``smalltalk``) labelled
  ``servqual=none``;
- ``subject_not_none``: turns of a subject not labelled ``none``;
- ``purity``: per subject, the share of its labelled turns with the subject's most frequent demand /
  issue (how consistently one subject is labelled).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd
from _common import save

from voiceofcustomer import statements as S
from voiceofcustomer.labels.context import transcript_context, transcript_rules
from voiceofcustomer.labels.model import load_model
from voiceofcustomer.themes.pipeline import load_inputs

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = (ROOT / "tests" / "data", ROOT / "benchmarks" / "focus_groups_heldout")
NOT_SUBJECTS = {"moderator", "intro", "smalltalk"}
#: The issue a keyed subject is about, by the taxonomy (only subjects with one clear issue).
SUBJECT_ISSUE = {
    "spam_calls": "security", "scam_calls": "security", "broadband_speed_evening": "broadband", "wifi": "broadband",
    "shop_broadband": "broadband", "livestream_upload": "broadband", "store_queue_service": "efficiency",
    "queue": "efficiency", "hotline": "efficiency", "number_transfer": "handling", "porting": "handling",
    "renewal": "handling", "simcard": "handling", "downgrade": "handling", "cancel": "handling", "signal": "signal",
    "village5g": "signal", "village_signal": "signal", "app": "other", "environment": "other",
    "install": "install_repair", "repair": "install_repair", "homerepair": "install_repair",
    "repair_visit": "install_repair", "billing": "billing", "price5g": "billing", "familyplan": "billing",
    "biz_plan_price": "billing", "attitude": "attitude", "salescalls": "marketing", "upsell": "marketing",
    "sms_marketing_rules": "marketing"}


def keyed_turns() -> pd.DataFrame:
    """The focus groups' moderator and participant statements, each with its keyed subject."""
    frames = []
    for path in sorted(p for d in FOLDERS for p in d.glob("*.txt") if p.with_name(p.stem + ".key.tsv").exists()):
        df = load_inputs([path])
        key = pd.read_csv(path.with_name(path.stem + ".key.tsv"), sep="\t")
        subject_of = dict(zip(range(1, len(key) + 1), key["subject"]))
        role = df[S.ROLE].astype("string").str.strip().str.lower()
        part = df.loc[role.isin([S.PARTICIPANT, S.MODERATOR]).fillna(False)].reset_index(drop=True)
        frames.append(part.assign(subject=[subject_of.get(int(t), "") for t in part[S.TURN]], focus_group=path.stem))
    return pd.concat(frames, ignore_index=True)


def scores(turns: pd.DataFrame, tagged: pd.DataFrame) -> dict:
    d = turns[["subject", "focus_group", S.ROLE]].assign(
        servqual=tagged["servqual"].to_numpy(), demand=tagged["demand"].to_numpy(), issue=tagged["issue"].to_numpy())
    d = d[d[S.ROLE].str.lower() == S.PARTICIPANT]
    small = d[d["subject"].isin({"intro", "smalltalk"})]
    sub = d[~d["subject"].isin(NOT_SUBJECTS | {""})]
    known = d[d["subject"].isin(SUBJECT_ISSUE)]
    right = known["issue"].eq(known["subject"].map(SUBJECT_ISSUE))
    labelled = sub[sub["servqual"] != "none"]
    purity = {}
    for f in ("demand", "issue"):
        g = labelled.groupby(["focus_group", "subject"])[f]
        purity[f] = round(float(g.agg(lambda s: s.value_counts().iloc[0]).sum() / g.size().sum()), 3)
    return {"issue_right": round(float(right.mean()), 3), "issue_right_per_subject": round(float(
                right.groupby(known["subject"]).mean().mean()), 3), "n_known": int(len(known)),
            "small_talk_none": round(float((small["servqual"] == "none").mean()), 3), "n_small_talk": int(len(small)),
            "subject_not_none": round(float((sub["servqual"] != "none").mean()), 3), "n_subject": int(len(sub)),
            "purity": purity}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--out", default="transcript_context.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args(argv)
    turns = keyed_turns()
    texts = turns[S.TEXT].fillna("").astype(str).tolist()
    model = load_model()
    shipped_rule = model.thread_subject
    result = {"focus_groups": int(turns["focus_group"].nunique()), "turns": int(len(turns)), "ways": {}}
    for rule in (False, True):
        for earlier in (False, True):
            t0 = time.perf_counter()
            model.thread_subject = shipped_rule if rule else 0
            pred = model.predict(texts, transcript_context(turns, earlier_question=earlier))
            tagged = transcript_rules(pd.concat([turns.drop(columns=["subject", "focus_group"]),
                                                 pred.assign(**{S.NEEDS_REVIEW: False})], axis=1))
            name = f"thread-subject rule {'on' if rule else 'off'}, question before {'in' if earlier else 'out'}"
            row = {**scores(turns, tagged), "seconds": round(time.perf_counter() - t0, 1)}
            result["ways"][name] = row
            print(f"{name}: issue right {row['issue_right']} (per subject {row['issue_right_per_subject']}, "
                  f"n={row['n_known']}); small talk none {row['small_talk_none']}; subjects not none "
                  f"{row['subject_not_none']}; purity demand {row['purity']['demand']} issue {row['purity']['issue']}",
                  flush=True)
    model.thread_subject = shipped_rule
    print(f"→ {save(args.out, result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
