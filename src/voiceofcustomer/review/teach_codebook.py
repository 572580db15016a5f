"""Teach the team's own codebook fields: one classifier per field, from the team's decisions only.

Why separate from the four taxonomy heads: the shipped corpus knows nothing of a
team's fields, so their heads learn from the review project alone (on the same
features as the taxonomy heads, so tagging still costs one featurisation). A
value with too few decided statements cannot be learnt; training stops with a
message that names it instead of shipping a head that never predicts it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from voiceofcustomer import statements as st
from voiceofcustomer.errors import InputError

__all__ = ["codebook_decisions", "check_min_examples", "LEAST_MIN_EXAMPLES", "custom_held_out", "custom_card_lines", "MIN_EXAMPLES"]

#: Decided statements each value of a team field needs before its classifier is trained.
MIN_EXAMPLES = 5
#: The least ``min_examples`` may be: a value learnt from one decided statement is one sentence, not a pattern.
LEAST_MIN_EXAMPLES = 2


def check_min_examples(min_examples) -> None:
    """Raise :class:`InputError` (``min_examples=``, with its Chinese) unless ``min_examples`` is a whole number
    from :data:`LEAST_MIN_EXAMPLES` up: the one check of ``voc train --min-examples`` and the review page's Teach
    panel (until 8 Dec 2026 the page said "from 2 to 1000" in its own words and refused 1001, which voc train took)."""
    if isinstance(min_examples, bool) or not isinstance(min_examples, int) or min_examples < LEAST_MIN_EXAMPLES:
        # Why: --min-examples 0 was read as the default 5 (and the error then said to lower it); 1 said only
        # "must be at least 2"
        raise InputError(f"min_examples= must be a whole number from {LEAST_MIN_EXAMPLES} up (got {min_examples!r}; "
                         f"default {MIN_EXAMPLES}): each value of a team field is learnt from its decided statements, "
                         "and one statement is a single sentence, not a pattern", params=("min_examples",),
                         zh=f"min_examples= 须为不小于 {LEAST_MIN_EXAMPLES} 的整数（现为 {min_examples!r}；默认 "
                            f"{MIN_EXAMPLES}）：团队字段的每个取值从其已决定的陈述中学习，一条陈述只是一句话，不成规律")


def _project_codebook(db: Path):
    from voiceofcustomer.review.store import ReviewStore

    store = ReviewStore(db)
    try:
        return store.codebook(), store.custom_frame(), store.statements_frame()[[st.STATEMENT_ID, st.TEXT]]
    finally:
        store.close()


def codebook_decisions(projects: Sequence[str | Path], *, min_examples: int = MIN_EXAMPLES):
    """``(codebook, decisions, uncoded)`` of the projects' team fields (``(empty, None, ())`` without one).

    ``decisions``: one row per statement coded for at least one team field, sorted by
    ``statement_id``, columns ``statement_id``, ``text`` and one per field (``None`` where
    not coded). ``uncoded``: fields nobody has coded yet; they are left out of the returned
    codebook (so a team can retrain the four fields before coding its own). Raises
    :class:`InputError` when projects disagree on the codebook or a value of a coded field
    has fewer than ``min_examples`` decided statements.
    """
    from voiceofcustomer.labels.codebook import Codebook

    check_min_examples(min_examples)
    book, frames, first = Codebook(), [], None
    for p in projects:
        p = Path(p)
        if not p.exists():
            raise InputError(f"{p}: no such review project file", zh=f"{p}：没有这个审阅项目文件")
        b, custom, texts = _project_codebook(p)
        if not b:
            continue
        if first is not None and b.to_json() != book.to_json():
            raise InputError(f"{p}: its codebook differs from the one in {first}; give projects coded with the same "
                             "codebook (reopen one with `voc review --db … --codebook <the codebook file>`)",
                             zh=f"{p}：它的编码表与 {first} 的不同；请给出用同一编码表标注的项目"
                                "（用 `voc review --db … --codebook <编码表文件>` 重新打开其中一个）")
        book, first = b, first or p
        frames.append(custom.merge(texts, on=st.STATEMENT_ID, how="left"))
    if not book:
        return book, None, ()
    df = pd.concat(frames, ignore_index=True)
    df = df[df[list(book.ids)].notna().any(axis=1) & (df[st.TEXT].fillna("").str.strip() != "")]
    df = df.drop_duplicates(st.STATEMENT_ID, keep="last").sort_values(st.STATEMENT_ID, kind="stable")
    df = df.reset_index(drop=True)
    # a field nobody has coded yet is left out (the card lists it); a partly coded one must be learnable
    uncoded = tuple(f.id for f in book.fields if df[f.id].notna().sum() == 0)
    if len(uncoded) == len(book.fields):
        return Codebook(source=book.source), None, uncoded
    book = Codebook(fields=tuple(f for f in book.fields if f.id not in uncoded), source=book.source)
    for f in book.fields:
        counts = df[f.id].value_counts()
        for v in f.values:
            n = int(counts.get(v.id, 0))
            if n < LEAST_MIN_EXAMPLES:  # no minimum lets it be learnt: lowering min_examples= is no way out
                raise InputError(_too_few_to_learn(first, f.id, v.id, n),
                                 zh=_too_few_to_learn(first, f.id, v.id, n, zh=True))
            if n < min_examples:
                raise InputError(f"{first}: codebook field {f.id}: value {v.id!r} has {n} decided statement"
                                 f"{'' if n == 1 else 's'}; a classifier needs at least {min_examples} per value — "
                                 "code more in `voc review` (filter the text with /), remove or merge the value in "
                                 "the codebook, or lower min_examples=", params=("min_examples",),
                                 zh=f"{first}：团队字段 {f.id} 的取值 {v.id!r} 只有 {n} 条已决定的陈述；分类器每个取值"
                                    f"至少需要 {min_examples} 条——请在 voc review 中再标注一些（用 / 筛选文字），在编码表"
                                    "中删除或合并这个取值，或调低 min_examples=")
    return book, df[[st.STATEMENT_ID, st.TEXT, *book.ids]], uncoded


def _too_few_to_learn(project: Path, fid: str, vid: str, n: int, zh: bool = False) -> str:
    """A value coded 0 or 1 times, which no minimum lets be learnt: code more, or take it out of the codebook
    (edit the file, reopen the project with it: ``voc review --db … --codebook``, docs/review.md); one coded
    once must first be recoded (the codebook's check refuses to drop a value decisions use)."""
    reopen = f"`voc review --db {project} --codebook <the codebook file>`"  # the project keeps no file name
    if zh:
        what = "还没有人标注过" if n == 0 else "只有 1 条已决定的陈述"
        out = (f"{project}：团队字段 {fid} 的取值 {vid!r} {what}，最少样本数调到多低都无法学习（每个取值至少需要 "
               f"{LEAST_MIN_EXAMPLES} 条）——请在 voc review 中再标注一些（用 / 筛选文字），或在编码表文件中删除这个取值")
        if n:
            out += "（先在 voc review 中把这条陈述改标为其他取值）"
        return out + f"，然后用 {reopen} 重新打开项目"
    what = "no decided statements (nobody has coded it)" if n == 0 else "1 decided statement"
    out = (f"{project}: codebook field {fid}: value {vid!r} has {what}, so no minimum lets it be learnt (each value "
           f"needs at least {LEAST_MIN_EXAMPLES}) — code more in `voc review` (filter the text with /), or take the "
           "value out of the codebook")
    if n:
        out += " (first recode that statement to another value in `voc review`)"
    return out + f": delete it from the codebook file and reopen the project with {reopen}"


def _scores(y: Sequence[str], p: Sequence[str]) -> dict:
    from sklearn.metrics import f1_score

    from voiceofcustomer.review.agreement import cohen_kappa

    y, p = np.asarray(y, dtype=object), np.asarray(p, dtype=object)
    return {"macro_f1": float(f1_score(y, p, labels=sorted(set(y)), average="macro", zero_division=0)),
            "accuracy": float(np.mean(y == p)), "kappa": cohen_kappa(list(y), list(p))}


def custom_held_out(model, decisions: pd.DataFrame, book, mask: np.ndarray) -> dict:
    """Agreement of the team fields on held-out decisions (``mask`` true), per field.

    ``model`` is the taxonomy model trained without the held-out statements; heads for the
    team fields are fitted on the other decisions. The baseline ("before") always answers the
    most frequent value of the training decisions, as a model that knows nothing would.
    """
    import copy

    out = {}
    train, test = decisions[~mask], decisions[mask]
    for f in book.fields:
        tr, te = train[train[f.id].notna()], test[test[f.id].notna()]
        if len(te) < 5 or tr[f.id].nunique() < 2:
            out[f.id] = {"n_train": int(len(tr)), "n_test": int(len(te)), "skipped": True}
            continue
        single = type(book)(fields=(f,), source=book.source)
        m = copy.copy(model).fit_codebook(tr[st.TEXT].tolist(), tr, single)
        pred = m.predict(te[st.TEXT].tolist())[f.id].tolist()
        majority = sorted(tr[f.id].value_counts().items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        out[f.id] = {"n_train": int(len(tr)), "n_test": int(len(te)), "majority": majority,
                     "before": _scores(te[f.id].tolist(), [majority] * len(te)),
                     "after": _scores(te[f.id].tolist(), pred)}
    return out


def custom_card_lines(m: dict) -> list[str]:
    """The model card's section on the team's own fields."""
    cb = m.get("codebook")
    uncoded = m.get("codebook_uncoded") or []
    if not cb:
        return ["", f"Team codebook fields not trained (nobody has coded them yet): {', '.join(uncoded)}."] if uncoded else []
    counts = m.get("n_team_custom", {})
    lines = ["", "## The team's own fields (codebook)", "",
             "One logistic-regression head per field, on the same features, trained on the team's decisions only "
             "(the corpus has no such labels). Their `<field>_conf` is the head's probability (not calibrated); "
             "it counts for `needs_review` like the four fields'.", "",
             "| field | name | decided statements per value |", "|---|---|---|"]
    for f in cb["fields"]:
        per = ", ".join(f"{v['id']} {counts.get(f['id'], {}).get(v['id'], 0)}" for v in f["values"])
        lines.append(f"| {f['id']} | {f['name']} | {per} |")
    if uncoded:
        lines += ["", f"Not trained (nobody has coded them yet): {', '.join(uncoded)}."]
    held = m.get("team_held_out_custom") or {}
    if held:
        lines += ["", "Held-out team decisions (the same hash split), taught head vs always answering the most "
                  "frequent value:", "",
                  "| field | n held out | macro-F1 baseline | macro-F1 taught | κ taught | accuracy baseline | "
                  "accuracy taught |", "|---|---|---|---|---|---|---|"]
        for fid, h in held.items():
            if h.get("skipped"):
                lines.append(f"| {fid} | {h['n_test']} | – | – | – | – | – |")
                continue
            b, a = h["before"], h["after"]
            lines.append(f"| {fid} | {h['n_test']} | {b['macro_f1']:.3f} | {a['macro_f1']:.3f} | {a['kappa']:.3f} | "
                         f"{b['accuracy']:.3f} | {a['accuracy']:.3f} |")
        if any(h.get("skipped") for h in held.values()):
            lines += ["", "–: fewer than 5 held-out decisions (or one value only in training); not measured."]
    else:
        lines += ["", "Too few decisions to hold any out; no agreement measured for the team's fields."]
    return lines
