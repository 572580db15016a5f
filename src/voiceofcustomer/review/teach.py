"""Teach the label model a team's conventions: retrain on the shipped corpus plus the team's decisions.

Why: retraining with a few hundred of a team's own corrected real posts raised
macro-F1 on the team's other posts by 0.10–0.15 (issue 11), the largest gain
available, and the data is the user's own, so nothing has to ship. Each decided
statement is repeated ``weight`` times in the training data (deterministic, and it
needs nothing from the model's internals). The model card reports agreement on
the team's own held-out decisions (a fixed hash split of statement ids, statements of
one text or its near-twins on one side), for the model before and after.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from voiceofcustomer import statements as st
from voiceofcustomer.errors import InputError, plural
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS

__all__ = ["DEFAULT_WEIGHT", "DEFAULT_METHOD", "METHODS", "DEFAULT_CONVENTION_MAP", "DEFAULT_MIN_WIN", "fit_adapter", "fit_training_frame", "team_decisions", "train_with_decisions", "held_out_mask"]

#: how many times one team decision counts by default; measured against 10 (a quarter of the
#: training weight on the shipped corpus) in benchmarks/review_learning_curve.py: 10 was no better
#: on servqual, demand or issue and lost 0.05 macro-F1 on stance after 200 decisions
DEFAULT_WEIGHT = 3

#: how the decisions are learnt: "adapter" (the base model plus a team adapter fitted on the decisions
#: only, labels.team_adapter) or "refit" (the corpus plus the decisions repeated ``weight`` times).
#: Measured in benchmarks/review_learning_curve.py (3 held-out splits, queue and 2 random orders).
METHODS = ("adapter", "refit")
DEFAULT_METHOD = "adapter"

#: folds of the per-field check that keeps a team adapter only where it helps on the team's own decisions
#: (``fit_adapter(select=…)``)
DEFAULT_SELECT_FOLDS = 5
#: when the per-field check also tries the convention-map adapter: ``"auto"`` (only for a field whose
#: decisions show a recoding, ``team_adapter.recodings``), ``True`` (always) or ``False`` (never).
#: Measured in benchmarks/review_learning_curve.py, round 10: see docs/review.md
DEFAULT_CONVENTION_MAP = "auto"
#: per field, the share of bootstrap resamples of the decisions in which an adapter's out-of-fold macro-F1
#: must beat the base model's (``team_adapter.win_share``). Stance only: its macro-F1 rests on a handful of
#: praise and suggestion rows, and every stance adapter the plain check kept (8 of 12 cells) lost on
#: held-out real rows; for the other fields the bootstrap threw away real gains
#: (benchmarks/review_learning_curve.py, round 10)
DEFAULT_MIN_WIN = {"stance": 0.9}

#: the distinct held-out texts (near-twins, one :func:`~voiceofcustomer.review.queue.twin_key`, counted once) under
#: which the card and the Teach panel warn that the held-out agreement cannot be trusted. Why 30: an accuracy
#: measured on n independent texts has a 95% interval of about ±1.96·√(p(1−p)/n), at most ±0.18 at n = 30 and
#: ±0.28 at n = 12 (p = 0.5, :func:`held_out_spread`); below 30 it is wider than the gain teaching is meant to show
#: (macro-F1 +0.10 to +0.15, see the module docstring), so before → after cannot tell a real gain from the luck of
#: the split — and macro-F1 and κ, resting on the few rows of each rarer class, scatter more than accuracy does
MIN_DISTINCT_HELD_OUT = 30


#: the least decisions on each side of the held-out split for the team agreement to be measured
MIN_HELD_OUT = 5


def _shipped_size(default: int) -> int:
    """How many corpus statements the shipped model was trained on (its ``metrics.json``): the corpus may have
    grown since (a part added, the model not yet retrained), and the adapter builds on the model, not on the
    corpus as it is now."""
    from voiceofcustomer.resources import model_dir

    try:
        return int(json.loads((model_dir() / "metrics.json").read_text(encoding="utf-8"))["n_statements"])
    except (OSError, ValueError, KeyError, TypeError):
        return default


def taught_what(m: dict) -> tuple[str, str]:
    """What :func:`train_with_decisions` taught (its metrics ``m``): an adapter over the model trained on the
    corpus, or the corpus plus the decisions refitted; English and Chinese."""
    n, team = m["n_corpus"], m["n_team"]
    if m.get("method", "refit") == "adapter":
        en = (f"fitted a team adapter on {plural(team, 'team decision')} over the model trained on "
              f"{plural(n, 'corpus statement')} "
              "(that model unchanged)")
        zh = f"在用 {n:,} 条语料陈述训练的模型之上，用 {team:,} 个团队决定拟合了团队适配器"
    else:
        en = f"retrained on {plural(n, 'corpus statement')} + {plural(team, 'team decision')} × {m['weight']}"
        zh = f"用 {n:,} 条语料陈述 + {team:,} 个团队决定（× {m['weight']}）重新训练了模型"
    return en, zh


def adapter_use_note(m: dict) -> str | None:
    """Where a taught adapter is used (its metrics ``m``' ``adapter_selection``), when not on every field: each
    field keeps the model alone unless the adapter beat it, cross-validated on the team's decisions. None for
    a refit, or an adapter used on every field.

    Why: with 20 decisions ``voc train --add`` said "fitted a team adapter on 20 team decisions …" and the model
    card, which nobody had opened, "Used for: no field" — a team tagged with a model that labels exactly as the
    shipped one, believing it taught."""
    sel = m.get("adapter_selection") or {}
    if m.get("method", "refit") != "adapter" or not sel:
        return None
    used = [f for f in FIELDS if f in sel and sel[f].get("chosen") not in (None, "base")]
    kept = [f for f in FIELDS if f in sel and f not in used]
    if not kept:
        return None
    why = "it did not beat the model alone there, cross-validated on the team's decisions"
    if not used:
        return (f"the team adapter is used for no field ({why}), so the taught model labels as the model alone "
                "does; code more statements and teach again")
    return f"the team adapter is used for {', '.join(used)}; {', '.join(kept)} keep the model alone's labels ({why})"


def teach_summary(m: dict) -> tuple[str, str]:
    """What teaching did and what the held-out agreement rests on, as ``voc train --add`` says it (English)
    and the Teach panel (Chinese), in the same terms: ``m`` is :func:`train_with_decisions`' metrics.

    Why: the command said "trained on 16976 corpus statements + 25 team decisions" for the default adapter,
    which trains on no corpus statement (it corrects the model trained on them), while the panel said an
    adapter was fitted; and with too few decisions held out the panel said "需要留出 5 个、训练 5 个" without
    the numbers the split gave, which 25 decisions seem to be enough for."""
    en, zh = taught_what(m)
    held = m.get("team_held_out") or {}
    if held:
        distinct = held.get("n_test_distinct", held["n_test"])
        en += (f"; agreement measured on {plural(held['n_test'], 'held-out decision')}"
               + (f" ({plural(distinct, 'distinct text')})" if distinct != held["n_test"] else "")
               + ", which the model was taught without")
        zh += (f"；一致性在留出的 {held['n_test']:,} 个决定上测得（"
               + (f"其中 {distinct:,} 条不同的文字；" if distinct != held["n_test"] else "") + "模型训练时不含这些决定）。")
    else:
        why_en, why_zh = no_agreement_reason(m)
        en += f"; no team agreement measured: {why_en}"
        zh += f"；没有测团队一致性：{why_zh}。"
    split = disagreement_note(m)
    if split:
        en += f"; {split[0]}"
        zh += f"注意：{split[1]}。"
    return en, zh


def no_agreement_reason(m: dict) -> tuple[str, str]:
    """Why a taught model's card has no team agreement, with the numbers the held-out split gave."""
    split, team = m.get("team_split") or {}, m["n_team"]
    if not split.get("share"):  # holdout=0, or a model taught before the split was recorded
        return ("no decisions were held out, or too few (each side needs at least "
                f"{MIN_HELD_OUT})", f"没有留出决定，或留出得太少（两边各需至少 {MIN_HELD_OUT} 个）")
    share = f"{split['share']:.0%}"
    return (f"the fixed split holds out about {share} of the decisions' {plural(split['n_texts'], 'distinct text')} "
            f"(near-twins together), here {split['n_test']:,} of the {plural(team, 'decision')}, leaving {split['n_train']:,} to "
            f"teach, and each side needs at least {MIN_HELD_OUT}; code more statements (other texts, not "
            "near-twins of those coded) and teach again",
            f"固定的划分按决定中的 {split['n_texts']:,} 条不同的文字（只差数字的近似重复算一条）留出约 {share}，这次在 "
            f"{team:,} 个决定中留出 {split['n_test']:,} 个、留下 {split['n_train']:,} 个来教，而两边各需至少 {MIN_HELD_OUT} "
            "个；请再标注一些（不同的文字，而不是已标注文字的近似重复），然后再教")


def held_out_spread(n_distinct: int) -> float:
    """Half the width of the 95% interval of an accuracy near 0.5 (its widest) on ``n_distinct`` texts."""
    return 1.96 * float(np.sqrt(0.25 / max(int(n_distinct), 1)))


def team_decisions(db: str | Path) -> pd.DataFrame:
    """One row per decided statement: text and the latest standing value of each field (any coder).

    Statements where a field was never decided keep the model's label for it (an
    accepted row confirms all four, so this only matters for partial API decisions).
    """
    from voiceofcustomer.review.store import ReviewStore

    db = Path(db)
    store = ReviewStore.open_existing(db)
    try:
        sts = store.statements_frame()
    finally:
        store.close()
    decided = sts[sts[[f"h_{f}" for f in FIELDS]].notna().any(axis=1)]
    out = pd.DataFrame({st.STATEMENT_ID: decided[st.STATEMENT_ID].astype(str), st.TEXT: decided[st.TEXT].fillna("")})
    if st.THREAD in decided.columns:  # keeps a thread's turns in one fold of the adapter's check
        out[st.THREAD] = decided[st.THREAD].fillna("").astype(str)
    for f in FIELDS:
        out[f] = decided[f"h_{f}"].where(decided[f"h_{f}"].notna(), decided[f])
    out = out[out[st.TEXT].str.strip() != ""]
    for f in FIELDS:
        out = out[out[f].isin(LABELS[f])]
    out["project"] = db.name
    return out.reset_index(drop=True)


def coder_disagreements(projects: Sequence[str | Path]) -> dict:
    """The decided statements on which coders' standing decisions differ: ``{"statements": n, "decided": m,
    "fields": {field: n}, "projects": [names]}`` (``statements`` 0 when they agree everywhere).

    Why: teaching takes each field's latest standing decision, whoever made it (:func:`team_decisions`); two coders
    who coded the same rows differently (wang ``billing``, li ``handling`` on 14 of 22) taught the model the later
    coder's, and neither ``voc train --add`` nor the Teach panel said so (found by a new complaint-team researcher)."""
    from voiceofcustomer.review.store import ReviewStore

    per_field = {f: 0 for f in FIELDS}
    n = decided = 0
    for db in projects:
        store = ReviewStore.open_existing(Path(db))
        try:
            d = store.decisions_frame()
        finally:
            store.close()
        d = d[d["field"].isin(FIELDS)]
        decided += d["statement_id"].nunique()
        if d.empty:
            continue
        standing = d.groupby(["statement_id", "field", "coder"], sort=False)["value"].last()  # ordered by id
        kinds = standing.groupby(level=[0, 1]).nunique()
        split = kinds[kinds > 1]
        n += split.index.get_level_values(0).nunique()
        for f, k in split.groupby(level=1).size().items():
            per_field[f] += int(k)
    return {"statements": int(n), "decided": int(decided), "fields": {f: k for f, k in per_field.items() if k},
            "projects": [Path(p).name for p in projects]}


def disagreement_note(m: dict) -> tuple[str, str] | None:
    """What :func:`coder_disagreements` found (``m["team_disagreeing"]``), English and Chinese; None when coders agree."""
    from voiceofcustomer.labels.taxonomy import FIELD_ZH

    d = m.get("team_disagreeing") or {}
    if not d.get("statements"):
        return None
    which = ", ".join(f"{f} {k}" for f, k in d["fields"].items())
    which_zh = "，".join(f"{FIELD_ZH.get(f, f)} {k} 个" for f, k in d["fields"].items())
    agreement = f"voc agreement {' '.join(d['projects'])} -o agreement.xlsx"
    return (f"coders disagree on {d['statements']:,} of the {plural(d['decided'], 'decided statement')} ({which}): each was taught "
            f"its latest decision, whoever made it; settle them (`{agreement}` lists them) and teach again",
            f"编码员在 {d['decided']:,} 个已决定陈述中的 {d['statements']:,} 个上意见不一（{which_zh}）：每个都按最新的决定来教，"
            f"不论是谁做的；请先统一（{agreement} 会列出它们），再教一次")


def _same_text_ids(ids: Sequence[str], texts: Sequence[str] | None) -> list[str]:
    """Each statement's id, or where several statements have one text or near-twins of it (a ticket export's
    complaints repeated under other ticket ids, 这个月多扣了19块 / 这个月多扣了49块: one
    :func:`~voiceofcustomer.review.queue.twin_key`) the smallest of their ids, so a split keeps them together."""
    from voiceofcustomer.review.queue import twin_key

    ids = [str(i) for i in ids]
    if texts is None:
        return ids
    keys = [twin_key(t) for t in texts]
    first: dict[str, str] = {}
    for i, key in zip(ids, keys):
        first[key] = min(first.get(key, i), i)
    return [first[key] for key in keys]


def held_out_mask(ids: Sequence[str], share: float = 0.2, texts: Sequence[str] | None = None) -> np.ndarray:
    """A fixed split by a hash of the statement id (the same statements are held out on every run).

    With ``texts``, statements of one text or its near-twins (the same text but for a number, an order or
    phone number, a date, punctuation) fall on the same side (by the smallest of their ids): a held-out
    statement whose very text was also taught would measure memory, not agreement — on a complaint
    team's export of 200 tickets, 5 of the 10 held out had a twin among the taught decisions."""
    cut = int(share * 1000)
    return np.array([int(hashlib.md5(i.encode("utf-8")).hexdigest()[:8], 16) % 1000 < cut
                     for i in _same_text_ids(ids, texts)], dtype=bool)


def _training_frame(corpus: pd.DataFrame, team: pd.DataFrame, weight: int) -> pd.DataFrame:
    from voiceofcustomer.labels.model import corpus_context

    team = team.sort_values(st.STATEMENT_ID, kind="stable")
    rep = pd.concat([team[[st.TEXT, *FIELDS]]] * max(int(weight), 1), ignore_index=True)
    out = pd.concat([corpus[[st.TEXT, *FIELDS]], rep], ignore_index=True)
    ctx = corpus_context(corpus)
    if ctx is not None:  # the shipped recipe reads each corpus line's context (team decisions: none)
        out["context"] = ctx + [""] * len(rep)
    return out


def fit_training_frame(train: pd.DataFrame, params: dict | None = None):
    """The shipped model's recipe on a training frame (with the corpus lines' context when it has one).

    Why: the shipped model is trained with context (``voc train``), so with no decision this
    reproduces it exactly (measured: the same macro-F1 to four decimals on the real held-out
    rows of benchmarks/review_learning_curve.py), and the model card's "before → after" only
    measures the decisions, not a change of recipe."""
    from voiceofcustomer.labels.model import LabelModel

    context = train["context"].tolist() if "context" in train.columns else None
    return LabelModel(**(params or {})).fit(train[st.TEXT].tolist(), train, context=context)


def _fold_of(team: pd.DataFrame, folds: int) -> np.ndarray:
    """Each decision's cross-validation fold: a hash of its thread (turns of one thread share vocabulary
    and would flatter the adapter if split), or of its statement id outside threads."""
    thread = team[st.THREAD].fillna("").astype(str) if st.THREAD in team.columns else pd.Series("", index=team.index)
    ids = pd.Series(_same_text_ids(team[st.STATEMENT_ID], team[st.TEXT]), index=team.index)  # near-twins, one fold
    keys = np.where(thread.str.strip() != "", "thread:" + thread, "id:" + ids)
    return np.array([int(hashlib.md5(k.encode("utf-8")).hexdigest()[:8], 16) % folds for k in keys])


def fit_adapter(base, team: pd.DataFrame, *, lam: float | None = None, lam_bias: float | None = None,
                lam_scale: float | None = None, lam_map: float | None = None, balance: float | dict | None = None,
                select: int | None = None, margin: float = 0.0, convention_map: bool | str = DEFAULT_CONVENTION_MAP,
                map_margin: float | None = None, map_scope: str = "pairs", min_win: float | dict | None = None,
                recode_prior: bool = True, drop_unused: bool = True, report: dict | None = None, **_ignored):
    """A copy of ``base`` with a team adapter fitted on ``team``'s decisions (statement_id, text, the
    four fields): see :mod:`voiceofcustomer.labels.team_adapter`. ``base`` is not changed; with no
    decision the copy predicts exactly as ``base``. ``balance`` (class weighting of the decisions: 0 as
    given, 1 class-balanced; one number for every field or a dict from field to number) defaults to
    ``team_adapter.DEFAULT_BALANCE`` for every field, stance included, although the base stance head
    keeps the corpus priors: measured on real rows (benchmarks/review_learning_curve.py, round 5),
    unweighted stance decisions lost 0.04–0.09 stance macro-F1 after 200 corrections, balanced ones
    0.01–0.02, the other fields unchanged.

    ``select`` (number of folds, default ``DEFAULT_SELECT_FOLDS``; 0 or 1: off) cross-validates each
    field's adapter on the decisions themselves and keeps it only where it beats the base model there
    (:func:`voiceofcustomer.labels.team_adapter.select_field_adapter`); explicit penalties turn it off.
    ``convention_map`` adds the convention-map adapter to that check's candidates: ``True`` always (the
    whole k × k map), ``"auto"`` (default) only for a field whose decisions show that the team codes one
    of the model's classes as another (``team_adapter.recodings``), with only the recoded pairs' entries
    free (``map_scope="pairs"``; ``"full"``: the whole map, which did worse on two simulated teams). Tried
    always, the check picked it by chance on labels that follow the guide and lost up to 0.05 servqual on
    held-out rows; for a team that recodes a class it gained +0.04–0.05 (benchmarks/review_learning_curve.py,
    rounds 9 and 10). It must win by more than ``map_margin`` (default ``team_adapter.MAP_MARGIN``).
    ``min_win`` (one number or a dict from field to number; default ``DEFAULT_MIN_WIN``, stance 0.9): an
    adapter is kept only when its out-of-fold macro-F1 beats the base model's in at least this share of
    bootstrap resamples of the decisions (``team_adapter.win_share``).
    ``recode_prior`` (default on): for servqual, demand and issue, where the decisions show a recoding and
    the field's adapter is kept, the joint label prior is re-derived in the team's classes
    (``team_adapter.recode_counts``); a simulated recoding team lost 0.005–0.025 demand without it.
    ``drop_unused`` (default on): where a recoded class never appears in any of the team's decisions,
    the kept adapter hands its whole probability to the classes the team codes it as
    (``FieldAdapter.merge``), so the taught model never gives a class the team does not use.
    ``report``, a dict, receives per field the cross-validated macro-F1 of each candidate, the choice,
    the bootstrap win shares and the recodings found."""
    import copy

    from voiceofcustomer.labels import team_adapter as ta

    opts = {"lam": ta.DEFAULT_LAM if lam is None else lam,
            "lam_bias": ta.DEFAULT_LAM_BIAS if lam_bias is None else lam_bias,
            "lam_scale": ta.DEFAULT_LAM_SCALE if lam_scale is None else lam_scale,
            "lam_map": lam_map, "balance": balance}
    tuned = any(v is not None for v in (lam, lam_bias, lam_scale, lam_map))
    folds_n = (0 if tuned else DEFAULT_SELECT_FOLDS) if select is None else int(select)
    if convention_map not in (True, False, "auto"):
        raise InputError(f"convention_map must be True, False or 'auto', not {convention_map!r}")
    if map_scope not in ("pairs", "full"):
        raise InputError(f"map_scope must be 'pairs' or 'full', not {map_scope!r}")
    plain = tuple(c for c in ta.SELECT_CANDIDATES if "lam_map" not in c)
    model = copy.copy(base)
    model.adapter_ = {}
    if team.empty:
        return model
    team = team.sort_values(st.STATEMENT_ID, kind="stable")
    folds = _fold_of(team, folds_n) if folds_n > 1 else None
    texts = team[st.TEXT].tolist()
    design = base._design(texts, None)
    mapped: dict[str, list[dict]] = {}  # field -> the recodings seen where an adapter is kept
    for f in FIELDS:
        classes = list(base.classes_[f])
        keep = team[f].isin(classes).to_numpy()
        if not keep.any():
            continue
        X = base._head_input(design, f)[np.flatnonzero(keep)]
        p = base.base_proba(X, f)
        y = np.array([classes.index(v) for v in team.loc[keep, f]])
        bal = opts["balance"]
        if isinstance(bal, dict):
            bal = bal.get(f)
        if bal is None:
            bal = ta.DEFAULT_BALANCE
        if folds is None:
            model.adapter_[f] = ta.fit_field_adapter(X, p, y, **{**opts, "balance": bal})
            continue
        found = ta.recodings(p.argmax(axis=1), y, classes) if convention_map else []
        if convention_map is True:
            cands = ta.SELECT_CANDIDATES
        elif found:
            pairs = [(classes.index(r["from"]), classes.index(r["to"])) for r in found]
            cands = plain + ({"lam_map": ta.DEFAULT_LAM_MAP, **({"map_pairs": pairs} if map_scope == "pairs" else {})},)
        else:
            cands = plain
        win = DEFAULT_MIN_WIN if min_win is None else min_win
        win = win.get(f, 0.0) if isinstance(win, dict) else win
        adapter, cv = ta.select_field_adapter(X, p, y, folds[keep], balance=bal, margin=margin, candidates=cands,
                                              map_margin=map_margin, min_win=win)
        if found:
            cv["recodings"] = found
        if adapter is not None:
            model.adapter_[f] = adapter
            if found:
                mapped[f] = found
            # a recoded class the team never chose in any decision is not in its codebook: never give it
            unused = [r for r in found if not (y == classes.index(r["from"])).any()] if drop_unused else []
            if unused:
                adapter.merge = ta.recoding_matrix(classes, unused)
                cv["unused"] = sorted({r["from"] for r in unused})
        if report is not None:
            report[f] = cv
    if recode_prior:
        _recode_joint_prior(model, base, mapped)
    return model


def _recode_joint_prior(model, base, mapped: dict[str, list[dict]]) -> None:
    """Re-derive the joint label prior in the team's classes for the fields whose decisions show a
    recoding and whose adapter is kept (``team_adapter.recode_counts``); models saved before the prior's
    counts were kept stay as they are."""
    from voiceofcustomer.labels import team_adapter as ta
    from voiceofcustomer.labels.model import JOINT_ALPHA, JOINT_FIELDS, pmi_from_counts

    counts = getattr(base, "label_counts_", None)
    mapped = {f: found for f, found in mapped.items() if f in JOINT_FIELDS}
    if counts is None or not mapped:
        return
    counts = counts - JOINT_ALPHA  # recode what was seen, then smooth as label_counts does
    for f, found in mapped.items():
        counts = ta.recode_counts(counts, JOINT_FIELDS.index(f), base.classes_[f], found)
    counts = counts + JOINT_ALPHA
    model.label_counts_ = counts
    model.label_pmi_ = pmi_from_counts(counts)


def _scores(true: pd.DataFrame, pred: pd.DataFrame) -> dict:
    from voiceofcustomer.labels.train import field_report
    from voiceofcustomer.review.agreement import cohen_kappa

    out = {}
    for f in FIELDS:
        y, p = true[f].tolist(), pred[f].tolist()
        out[f] = {"macro_f1": field_report(y, p, f)["macro_f1"], "accuracy": float(np.mean(np.array(y) == np.array(p))),
                  "kappa": cohen_kappa(y, p)}
    return out


def train_with_decisions(projects: Sequence[str | Path], out_dir: str | Path, *, corpus: str | Path | None = None,
                         weight: int = DEFAULT_WEIGHT, holdout: float = 0.2, model_params: dict | None = None,
                         base_model=None, progress: Callable[[str], None] | None = None,
                         min_examples: int | None = None, method: str = DEFAULT_METHOD,
                         convention_map: bool | str = DEFAULT_CONVENTION_MAP) -> dict:
    """Train on the corpus plus the decisions in ``projects``; write model, metrics and card to ``out_dir``.

    Args:
        projects: review project files (``voc review --db``).
        corpus: labelled corpus (default: the shipped ``corpora/labelled``).
        weight: with ``method="refit"``, how many times each team decision counts relative to a corpus row.
        convention_map: with ``method="adapter"``, when to try the convention-map adapter: ``"auto"``
            (where the decisions show a recoding), ``True`` or ``False`` (:func:`fit_adapter`).
        method: ``"adapter"`` (default: the model trained on the corpus, unchanged, plus a team adapter
            fitted on the decisions only; with the shipped corpus the base is the shipped model itself)
            or ``"refit"`` (the corpus plus the decisions repeated ``weight`` times, refitted).
        holdout: share of the team's decisions held out to measure agreement (0: skip).
        base_model: model to compare with on the held-out decisions (default: the shipped one).
        min_examples: decided statements each value of a team codebook field needs
            (:mod:`voiceofcustomer.review.teach_codebook`; default 5).
    """

    from voiceofcustomer.io.writers import atomic_path
    from voiceofcustomer.labels.model import MODEL_FILE, SEED, load_corpus, load_model, save_model
    from voiceofcustomer.resources import corpus_path

    if weight < 1:
        raise InputError("weight= must be at least 1", params=("weight",))
    if method not in METHODS:
        raise InputError(f"unknown teach method {method!r}; use one of {', '.join(METHODS)}")
    corpus_file = Path(corpus) if corpus else corpus_path("labelled")
    base = load_corpus(corpus_file)
    base = base.sort_values("id" if "id" in base.columns else st.TEXT, kind="stable").reset_index(drop=True)
    team = pd.concat([team_decisions(p) for p in projects], ignore_index=True)
    if team.empty:
        raise InputError(f"{', '.join(map(str, projects))}: no decided statements to learn from; "
                         "code some rows with `voc review` first",
                         zh=f"{'、'.join(map(str, projects))}：还没有可以学习的已决定陈述；请先用 voc review 标注一些行")
    team = team.drop_duplicates(st.STATEMENT_ID, keep="last").sort_values(st.STATEMENT_ID, kind="stable")
    team = team.reset_index(drop=True)
    from voiceofcustomer.review.teach_codebook import MIN_EXAMPLES, codebook_decisions, custom_held_out

    book, custom, uncoded = codebook_decisions(projects, min_examples=MIN_EXAMPLES if min_examples is None else min_examples)
    if uncoded and progress:
        progress(f"team field(s) {', '.join(uncoded)} not coded yet: not trained")
    held_custom = {}
    params = model_params or {}
    start = None  # the model the adapter corrects: the shipped one, or one trained on the given corpus
    n_corpus = len(base)  # the corpus statements the model the team's decisions build on was trained on
    if method == "adapter":
        if corpus is None and not params:
            start = load_model(None)
            n_corpus = _shipped_size(n_corpus)
        else:
            if progress:
                progress(f"fitting the base model on {plural(len(base), 'corpus statement')}")
            start = fit_training_frame(_training_frame(base, team.iloc[:0], 1), params)

    selection: dict = {}

    def teach(decisions: pd.DataFrame, report: dict | None = None):
        if method == "adapter":
            return fit_adapter(start, decisions, report=report, convention_map=convention_map)
        return fit_training_frame(_training_frame(base, decisions, weight), params)

    held = {}
    mask = (held_out_mask(team[st.STATEMENT_ID], holdout, team[st.TEXT]) if holdout > 0
            else np.zeros(len(team), dtype=bool))
    from voiceofcustomer.review.queue import twin_key

    # the split as it fell, measured or not: a project of 25 decisions that are a few texts and their near-twins
    # holds out a fifth of those few texts, which may be fewer than MIN_HELD_OUT decisions
    split = {"n_test": int(mask.sum()), "n_train": int((~mask).sum()), "n_texts": len({twin_key(t) for t in team[st.TEXT]}),
             "share": holdout}
    if holdout > 0 and mask.sum() >= MIN_HELD_OUT and (~mask).sum() >= MIN_HELD_OUT:
        if progress:
            progress(f"measuring on {plural(int(mask.sum()), 'held-out team decision')}")
        test = team[mask]
        before = (base_model or load_model(None)).predict(test[st.TEXT].tolist())
        after_model = teach(team[~mask])
        after = after_model.predict(test[st.TEXT].tolist())
        if book:  # the team's own fields, on the same split
            held_custom = custom_held_out(after_model, custom, book,
                                          held_out_mask(custom[st.STATEMENT_ID], holdout, custom[st.TEXT]))
        held = {"n_train": int((~mask).sum()), "n_test": int(mask.sum()),
                # what the numbers rest on: near-twins held out together teach the measure one text, not several
                "n_test_distinct": len({twin_key(t) for t in test[st.TEXT]}),
                "before": _scores(test.reset_index(drop=True), before), "after": _scores(test.reset_index(drop=True), after)}
    if progress:
        progress(f"fitting a team adapter on {plural(len(team), 'team decision')}" if method == "adapter" else
                 f"fitting on {plural(len(base), 'corpus statement')} + {plural(len(team), 'team decision')} × {weight}")
    model = teach(team, selection)
    if book:
        if progress:
            progress(f"fitting the team's fields {', '.join(book.ids)} on {plural(len(custom), 'decided statement')}")
        model.fit_codebook(custom[st.TEXT].tolist(), custom, book)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with atomic_path(out_dir / MODEL_FILE) as tmp:
        save_model(model, tmp)
    metrics = {"trained": _dt.date.today().isoformat(), "seed": SEED, "params": params, "n_corpus": n_corpus,
               "n_team": len(team), "team_split": split, "method": method, "weight": weight, "convention_map": convention_map,
               "projects": [Path(p).name for p in projects],
               "team_held_out": held, "n_statements": len(base) + len(team)}
    disagreeing = coder_disagreements(projects)
    if disagreeing["statements"]:
        metrics["team_disagreeing"] = disagreeing
    if selection:
        metrics["adapter_selection"] = selection
    if uncoded:
        metrics["codebook_uncoded"] = list(uncoded)
    if book:
        metrics.update(codebook=book.to_dict(), team_held_out_custom=held_custom,
                       min_examples=MIN_EXAMPLES if min_examples is None else min_examples,
                       n_team_custom={f: {str(k): int(v) for k, v in custom[f].value_counts().sort_index().items()}
                                      for f in book.ids})
    with atomic_path(out_dir / "metrics.json") as tmp:
        tmp.write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
    _write_card(out_dir, metrics, corpus_file)
    return metrics


def _kappa_cell(k) -> str:
    """κ is undefined when the held-out rows carry one value: "–", as the Teach panel shows it."""
    from voiceofcustomer.review.agreement import reported

    return "–" if k is None or (isinstance(k, float) and np.isnan(k)) else f"{reported(k, 3):.3f}"


def _write_card(out_dir: Path, m: dict, corpus_file: Path) -> None:
    from voiceofcustomer.io.writers import atomic_path
    from voiceofcustomer.review.teach_codebook import MIN_EXAMPLES

    adapter = m.get("method", "refit") == "adapter"
    cmap = m.get("convention_map", False)
    how = (("--method adapter" + {True: " --convention-map", False: " --no-convention-map"}.get(cmap, "")) if adapter
           else f"--method refit --weight {m['weight']}")
    if m.get("min_examples") not in (None, MIN_EXAMPLES):  # the command as run: the default refuses this project
        how += f" --min-examples {m['min_examples']}"
    lines = ["# Label model card (taught with a team's decisions)", "",
             f"- Trained: {m['trained']} with `voc train --add {' '.join(m['projects'])} {how}` "
             f"(seed {m['seed']}).",
             f"- Data: {plural(m['n_corpus'], 'corpus statement')} (`{corpus_file.as_posix()}`) plus "
             f"{plural(m['n_team'], 'statement')} "
             "decided by the team" + ("." if adapter else f", each counted {m['weight']}×."),
             ("- Model: the base model trained on the corpus (the shipped recipe: TF-IDF character and word "
              "n-grams, four logistic-regression heads), unchanged, plus a team adapter fitted on the team's "
              "decisions only: per field, a correction of the base model's log-probabilities by the team's own "
              "copy of the feature weights and class biases, held close to the base model by L2 penalties "
              "(`voiceofcustomer.labels.team_adapter`)." if adapter else
              "- Model: the shipped model's recipe (TF-IDF character and word n-grams, four logistic-regression "
              "heads) refitted on the corpus plus the decisions."),
             ""]
    sel = m.get("adapter_selection") or {}
    if sel:
        kept = [f for f in FIELDS if sel.get(f, {}).get("chosen", "base") != "base"]
        cands = sorted({k for r in sel.values() for k in r if k.startswith("adapter")})
        lines += ["## Where the adapter is used", "",
                  f"Each field's adapter was cross-validated on the team's decisions ({DEFAULT_SELECT_FOLDS} folds, "
                  "a thread's turns in one fold) against the base model alone: with the default penalties "
                  "(adapter0), with penalties three times looser (adapter1)"
                  + (" and with a convention map that lets the team's label follow the base model's choice "
                     "(adapter2: a team that recodes one of the guide's classes; tried "
                     + ("for every field, `--convention-map`" if cmap is True else
                        "only where the decisions show a recoding, below") + ")"
                     if "adapter2" in cands else "")
                  + "; a field keeps the best, and the base model on a tie"
                  + "".join(f"; for {f} an adapter must also beat the base model in {w:.0%} of bootstrap resamples "
                            "of the decisions" for f, w in DEFAULT_MIN_WIN.items() if w > 0)
                  + ". Used for: "
                  + (", ".join(kept) if kept else "no field") + ".", "",
                  "| field | macro-F1 base | " + " | ".join(cands) + " | used |", "|---" * (len(cands) + 3) + "|"]
        for f in FIELDS:
            r = sel.get(f)
            if r:
                lines.append(f"| {f} | {r['base']:.3f} | " + " | ".join(
                    f"{r[c]:.3f}" if c in r else "–" for c in cands) + f" | {r['chosen']} |")
        lines.append("")
        found = [(f, r) for f in FIELDS for r in (sel.get(f) or {}).get("recodings", [])]
        if found:
            lines += ["### Recodings seen in the decisions", "",
                      "Where the base model chose the first class, the team chose the second more often than the "
                      "first (at least 5 times; one-sided sign test, p < 0.05). Check that this is the team's "
                      "convention and not a slip: it is what the convention map learns.", "",
                      "| field | model's class | team's class | team's choice | of the model's | kept as is |",
                      "|---|---|---|---|---|---|"]
            lines += [f"| {f} | {r['from']} | {r['to']} | {r['n']} | {r['n_from']} | {r['n_same']} |" for f, r in found]
            joint = [f for f in ("servqual", "demand", "issue")
                     if (sel.get(f) or {}).get("recodings") and (sel.get(f) or {}).get("chosen", "base") != "base"]
            if joint:
                lines += ["", f"The model decides servqual, demand and issue together, with a prior learnt from the "
                              f"corpus's label combinations; for {', '.join(joint)} that prior now counts the corpus's "
                              f"statements of each recoded class as the team chose them (in the proportions above)."]
            unused = [f"{f} `{a}`" for f in FIELDS for a in (sel.get(f) or {}).get("unused", [])]
            if unused:
                lines += ["", f"The team never chose {', '.join(unused)} in any decision: the taught model never gives "
                              f"{'it' if len(unused) == 1 else 'them'}, and hands "
                              f"{'its' if len(unused) == 1 else 'their'} probability to the team's classes above."]
            lines.append("")
    held = m.get("team_held_out") or {}
    if held:
        lines += ["## Agreement with the team's own held-out decisions", "",
                  f"{held['n_test']:,} of the team's decisions (a fixed hash split of statement ids, statements of one "
                  f"text or its near-twins, differing in a number only, on one side) were held out; a model trained on the corpus plus the other {held['n_train']:,} "
                  "was compared with the shipped model."]
        distinct = held.get("n_test_distinct", held["n_test"])
        spread = held_out_spread(distinct)
        if distinct < MIN_DISTINCT_HELD_OUT:
            lines += ["", f"**Warning: the held-out decisions are {plural(distinct, 'distinct text')} (near-twins counted once), "
                          f"fewer than {MIN_DISTINCT_HELD_OUT}: the numbers below cannot be trusted.** An accuracy "
                          f"on {plural(distinct, 'text')} is uncertain by about ±{spread:.2f} (95%), more than teaching a team's "
                          "conventions usually gains (0.10–0.15), so before → after may be the luck of the split. "
                          "Code more statements (other texts, not near-twins of the ones coded) and teach again."]
        else:
            lines += ["", f"The held-out decisions are {plural(distinct, 'distinct text')} (near-twins counted once)."]
        lines += ["", "| field | macro-F1 before | macro-F1 after | κ before | κ after | accuracy before | accuracy after |",
                  "|---|---|---|---|---|---|---|"]
        for f in FIELDS:
            b, a = held["before"][f], held["after"][f]
            lines.append(f"| {f} | {b['macro_f1']:.3f} | {a['macro_f1']:.3f} | {_kappa_cell(b['kappa'])} | "
                         f"{_kappa_cell(a['kappa'])} | {b['accuracy']:.3f} | {a['accuracy']:.3f} |")
        lines += ["", f"On {plural(distinct, 'distinct text')} an accuracy is uncertain by about ±{spread:.2f} (95%): read "
                      "smaller differences as noise."]
    else:
        lines += [f"No team agreement measured: {no_agreement_reason(m)[0]}."]
    split = disagreement_note(m)
    if split:
        lines += ["", f"**Warning: {split[0][0].upper()}{split[0][1:]}.**"]
    from voiceofcustomer.review.teach_codebook import custom_card_lines

    lines += custom_card_lines(m)
    with atomic_path(out_dir / "README.md") as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
