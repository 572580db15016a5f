"""Curated theme sets: save the themes a team shaped in ``voc review``, apply them to next month.

Why: a topic model proposes new themes on every run, so month-on-month counts
are not comparable and a team's renames and merges are lost. BERTopic users ask
for exactly this (fix the themes once, then only *assign*). A curated set keeps
the team's themes (ids, labels, merges, noise marks, the sub-theme structure)
as centroids in the embedder's space, and ``voc themes NEW --model curated/``
places new statements on them with the theme model's own code
(``ThemeModel._prepare`` for the noise rules, ``_embed_new``, ``_place`` for the
nearest-centroid rule and ``topic_conf``), so a curated theme means the same as
a fitted one. What fits none (``topic_conf`` below the saved floor) is reported
and clustered into suggested new themes, labelled by their key phrases: what is
new this month. A suggestion the team keeps is added to the set as a theme of its own
(:func:`add_suggestions`, ``voc themes OUT/statement_topics.csv --model curated/ --add-suggestion new1``).

Files of a curated set (a folder):

- ``curated.json``: format, embedder name and tag, confidence floor, the themes
  (id, label, noise, merged-from, size in the project, sub-themes) and which
  centroid row belongs to which theme and source kind;
- ``centroids.npz``: theme centroids, the sorted member similarities behind
  ``topic_conf``, sub-theme centroids, follow-up centroids (a split ticket's closing requests,
  escalation threats, handling accounts: ``themes/tickets.py``);
- ``embedder.joblib``: the embedder (fitted, for ``lsa``; its model weights
  come from the installed package, never from this folder);
- ``README.md``: the card (date, project, statements, edits applied).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer import statements as S
from voiceofcustomer.errors import InputError, VocError, plural
from voiceofcustomer.io.writers import atomic_path, write_table
from voiceofcustomer.labels.taxonomy import FIELDS
from voiceofcustomer.review.store import counted_rows, is_sqlite_file, read_extra
from voiceofcustomer.review.themes import final_theme, sort_ids
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.themes.clustering import mean_directions, nearest, split_theme
from voiceofcustomer.themes.model import (DEFAULT_EMBEDDING, OUTLIER_LABEL, SIM_TOLERANCE, TICKET, TRANSCRIPT,
                                          ThemeModel, as_statements_frame, theme_size, topic_label)
from voiceofcustomer.themes.report import statement_table
from voiceofcustomer.themes.tickets import FOLLOWS_TICKET, follow_wordless
from voiceofcustomer.themes.vectorizer import PLACE_RULE, ContentAnalyzer

__all__ = ["CURATED_FORMAT", "CuratedThemes", "NOISE_LABEL_PREFIX", "add_suggestions", "apply_curated", "load_curated",
           "noise_label", "save_curated"]

CURATED_FORMAT = "voc-curated-themes"
_VERSION = 1
_JSON, _NPZ, _EMBEDDER, _CARD = "curated.json", "centroids.npz", "embedder.joblib", "README.md"
#: reason of a statement placed on a theme the team marked as noise
MARKED_NOISE = "marked noise"
#: ``topic_label`` of a statement placed on a theme the team marked as noise: the prefix and the team's name
#: for the theme (what fits none is ``OUTLIER_LABEL``, 未归类); both shared 未归类 until 6 Dec 2026
NOISE_LABEL_PREFIX = "已标为噪声："
#: a sub-theme needs this many members and this share of its theme (the rule of ``clustering.split_theme``)
_SUB_MIN, _SUB_SHARE = 5, 0.05
#: leftovers below this count are one suggested theme (too few to cluster)
_MIN_SUGGEST_CLUSTER = 12
_SAVE_HINT = "save one with `voc themes --save-curated review.sqlite -o DIR`"
_SAVE_HINT_ZH = "请用 `voc themes --save-curated review.sqlite -o DIR` 保存一个（主题视图的“保存整理后的主题集”）"


class CuratedThemes:
    """A loaded curated theme set (see the module docstring for the files).

    Attributes:
        meta: the ``curated.json`` content.
        centroids: ``(rows, dim)`` unit vectors, one row per theme and source kind.
        row_topic: theme id of each centroid row.
        row_kind: source kind of each centroid row.
        member_sims: per row, the sorted similarities of the theme's members (``topic_conf``).
        sub_centroids: theme id → ``(k, dim)`` sub-theme centroids (sub-theme ``id.1``… in order).
        sub_member_sims: theme id → per sub-theme, the sorted similarities of its members to its
            centroid (sets saved before 6 Dec 2026 have none: no statement is placed by a sub-theme).
        embedder: the embedder the centroids live in.
        followup_centroids: ``(k, dim)`` centroids of the project's follow-up sentences (``reason`` *follows
            its ticket*); a split ticket's sentence nearer one of them than to its theme takes its ticket's
            theme, as in ``ThemeModel.transform`` (sets saved before 6 Dec 2026: none, ``(0, dim)``).
    """

    def __init__(self, meta, centroids, row_topic, row_kind, member_sims, sub_centroids, embedder,
                 sub_member_sims=None, followup_centroids=None):
        self.meta = meta
        self.centroids = centroids
        self.row_topic = row_topic
        self.row_kind = row_kind
        self.member_sims = member_sims
        self.sub_centroids = sub_centroids
        self.sub_member_sims = sub_member_sims or {}
        self.embedder = embedder
        self.followup_centroids = np.zeros((0, centroids.shape[1]), dtype=np.float32) \
            if followup_centroids is None else followup_centroids

    @property
    def themes(self) -> list[dict]:
        return self.meta["themes"]

    def place_note(self, where: str | Path) -> str | None:
        """One line for a set whose centroids read other place words than new statements are read with (``None``
        when they read the same): a set saved before 8 Dec 2026 records no ``place_rule``; its centroids read
        萧山, 滨江 (and, saved before 7 Dec 2026, every place word), new statements without, so a theme's
        statements from those districts sit farther from it. The centroids cannot be rebuilt from the set (it keeps
        no statements): the project they came from can save it again."""
        rule = self.meta.get("place_rule")
        if isinstance(rule, int) and not isinstance(rule, bool) and rule >= PLACE_RULE:
            return None
        project = self.meta.get("card", {}).get("project") or "review.sqlite"
        return (f"{where}: saved before voc left district names such as 萧山 and 滨江 out of what a theme reads "
                f"(place rule {rule if rule is not None else 'unrecorded'}, now {PLACE_RULE}), so statements naming a "
                f"district may fit its themes less well; save it again: voc themes --save-curated {project} -o {where}")

    @property
    def noise_ids(self) -> dict[str, str]:
        """Theme id → the id its statements get in the outputs, for each theme marked as noise.

        A negative whole number of its own, as ``voc themes`` gives what is not a theme (-1 未归类), so
        that noise is told from what fits none, each noise theme from the others, and every reader of
        ``topic`` (``voc items``, ``voc review``) keeps leaving it out: theme *n* → ``-(n + 2)`` (1 → -3);
        a theme saved with a negative id (from an earlier output's noise) keeps it; any other id, or one
        that is taken, gets the next free one below -1."""
        used = {str(t["topic"]) for t in self.themes} | {"-1"}
        out: dict[str, str] = {}
        for t in self.themes:
            if not t["noise"]:
                continue
            tid, cand = t["topic"], None
            try:
                f = float(tid)
                if f.is_integer():
                    cand = tid if f < -1 else str(-(int(f) + 2)) if f >= 0 else None
            except ValueError:
                pass
            if cand is None or (cand != tid and cand in used) or cand in out.values():
                k = -2
                while str(k) in used or str(k) in out.values():
                    k -= 1
                cand = str(k)
            out[tid] = cand
        return out

    def placer(self, *, noise_field: str | None, min_conf: float | None = None,
               thread_col: str | None = None) -> ThemeModel:
        """A :class:`ThemeModel` holding these centroids: its ``_prepare``/``_embed_new``/``_place``
        are the one implementation of the noise rules and the placement rule, its ``_ticket_keys``/
        ``_place_following``/``_inherit`` that of the follow-up rule (``thread_col`` as there)."""
        tm = ThemeModel(embedding=self.embedder, min_conf=self.meta["min_conf"] if min_conf is None else min_conf,
                        noise_field=noise_field, random_state=int(self.meta.get("random_state", 42)),
                        question_weight=float(self.meta.get("question_weight", 0.0)),  # sets saved before: none
                        thread_col=thread_col)
        tm.embedder_ = self.embedder
        tm.segmenter_ = Segmenter()
        tm.centroids_ = self.centroids
        tm.centroid_kinds_ = self.row_kind
        tm.member_sims_ = self.member_sims
        tm.followup_centroids_ = self.followup_centroids
        tm.sim_tolerance_ = SIM_TOLERANCE  # similarities computed again, in another batch, than when saved
        tm.sim_floors_ = self.neighbour_floors(tm.min_conf)
        return tm

    def neighbour_floors(self, min_conf: float | None) -> np.ndarray:
        """Per centroid row, the similarity from which a statement nearest it fits its theme even below
        the floor of its members (``topic_conf`` < ``min_conf``): halfway from the theme's floor (the
        similarity of its least typical members, the ``min_conf`` share) down to the similarity of its
        nearest other theme's centroid of the same source kind. NaN (the members' floor alone) for a
        row with no other theme of its kind, and for every row when ``min_conf`` is ``None`` or 0.

        Why: the members' floor alone is how far the least typical member is from the centroid, so a
        tight theme (its members all alike: a hotline's templated tickets) rejected next month's copies of
        its own tickets in other words. Measured by ``benchmarks/themes_curated_next_month.py`` (``use``;
        written exports: a month of 60 tickets of six subjects saved as a set, next month the same tickets
        with small wording changes and 6 of two subjects the set never had): templated tickets, copies on
        their theme 7 of 60 before (53 fit none at 0.76–0.95 under floors of 0.91–0.97) and 57 now
        (floors 0.74–0.77); tickets in varied words 55 → 58; the new subjects fit none before and now
        (6 of 6 and 6 of 6, at most 0.61 and 0.65); loose themes (the two-level fixture) keep their
        members' floor (stores fitting none 24 of 30 before and now; ``lsa`` 3 → 2). The nearest other
        theme's centroid stands for the other themes' statements most like this theme (on those exports
        the most similar such statement was within 0.07 of it), so a statement above halfway is nearer
        this theme's members than what the set knows of other subjects. Computed from what a set saves
        (centroids, member similarities) when it is applied: sets saved before get it too.
        An embedder whose unrelated texts are near orthogonal (``lsa``, test vectors) has neighbours near
        0, so its floors drop towards half the members'."""
        n = len(self.centroids)
        out = np.full(n, np.nan, dtype=np.float64)
        if min_conf is None or min_conf <= 0 or n < 2:
            return out
        cc = self.centroids.astype(np.float64) @ self.centroids.astype(np.float64).T
        for r in range(n):
            others = np.flatnonzero((self.row_kind == self.row_kind[r]) & (self.row_topic != self.row_topic[r]))
            ms = self.member_sims[r]
            k = max(1, int(np.ceil(min_conf * len(ms) - 1e-9)))  # conf >= min_conf from the k-th least typical
            if len(others) and k <= len(ms):
                out[r] = (float(ms[k - 1]) + float(cc[r, others].max())) / 2
        return out


# -- saving ----------------------------------------------------------------------------------------

def _project_frame(db: Path):
    """Statements with their current theme, the themes table and the edits still standing."""
    from voiceofcustomer.review.store import ReviewStore
    from voiceofcustomer.review.themes import ThemeBook

    store = ReviewStore.open_existing(db, "no such review project file; give the .sqlite written by `voc review`")
    try:
        ThemeBook(store)  # adds the theme columns to a project that never opened the themes view
        themes = pd.read_sql_query("SELECT theme_id, label, noise, merged_into FROM themes", store.con)
        edits = pd.read_sql_query("SELECT op, detail, coder, at FROM theme_edits WHERE undone = 0 ORDER BY id",
                                  store.con)
        df = store.statements_frame()
    finally:
        store.close()
    return df, themes, edits


def _extra(df: pd.DataFrame, key: str) -> pd.Series:
    """One column kept in the project's ``extra`` JSON (``subtopic``, ``subtopic_label``)."""
    def get(v):
        try:
            return (json.loads(v) or {}).get(key) if v else None
        except (TypeError, ValueError):
            return None
    vals = df["extra"].map(get) if "extra" in df.columns else pd.Series([None] * len(df), index=df.index)
    return vals.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))


def _followups(df: pd.DataFrame, edits: pd.DataFrame) -> np.ndarray:
    """Which project statements are a split ticket's follow-up sentences: the ``voc themes`` output the
    project came from said so (``reason`` / ``topic_reason`` *follows its ticket*, kept in ``extra``), and
    the team did not move them to a theme of their own."""
    said = np.zeros(len(df), dtype=bool)
    for col in ("reason", "topic_reason"):
        said |= (_extra(df, col) == FOLLOWS_TICKET).to_numpy()
    moved = set()
    for d in edits.loc[edits["op"] == "move", "detail"] if len(edits) else []:
        try:
            moved.add(str(json.loads(d).get(S.STATEMENT_ID)))
        except (TypeError, ValueError, AttributeError):
            continue
    return said & ~df[S.STATEMENT_ID].astype(str).isin(moved).to_numpy()


def save_curated(db: str | Path, out_dir: str | Path, *, embedding: str = DEFAULT_EMBEDDING,
                 min_conf: float = 0.02, cache_dir: str | Path | None = None, seed: int = 42,
                 progress: Callable[[str], None] | None = None) -> dict:
    """Save the themes of a review project (after its renames, merges, noise marks, moves) to ``out_dir``.

    Args:
        db: review project file (``voc review --db``) started from a ``voc themes`` output.
        embedding: the embedder of the ``voc themes`` run the project came from (``use``, ``lsa``, ``e5``).
        min_conf: confidence floor for new statements (``--min-conf`` of ``voc themes``).
        cache_dir: embedding cache (``None``: none).

    Returns:
        The ``curated.json`` content.
    """
    import joblib

    say = progress or (lambda _m: None)
    db = Path(db)
    min_conf = S.number_param(min_conf, "min_conf", low=0, high=1)
    df, themes, edits = _project_frame(db)
    themes["theme_id"] = themes["theme_id"].astype(str)
    # a project opened on a curated output: its noise themes came as their noise ids and labels (-3,
    # 已标为噪声：寒暄) and stay themes of the set, as noise, under the team's name; -1 (未归类: what fits
    # none, what was set aside) is no theme. Every negative id was left out until 6 Dec 2026, so a second
    # round lost the team's noise themes
    themes["label"] = themes["label"].map(_team_label)
    live = themes[themes["merged_into"].isna() & (themes["theme_id"].map(_id_value).astype(str) != "-1")]
    if live.empty:
        raise InputError(f"{db}: the project has no themes; start it from a `voc themes` output "
                         "(statement_topics.csv, tagged) and shape them in the themes view",
                         zh=f"{db}：本项目没有主题；请从 `voc themes` 的输出（statement_topics.csv，已标注）开始，"
                            "在主题视图中整理")
    df = df.assign(theme=df["theme"].astype("string").fillna("").astype(str))
    # the statements the themes view lists under a theme: those that count (the project's flag, store.COUNTED) —
    # a repeat of a ticket or a moderator turn is under no theme there, so it is not a member here (until 6 Dec
    # 2026 a repeated ticket made the set's 报修上门 3 statements where the themes view counted 2)
    df = df[df["theme"].isin(set(live["theme_id"])).to_numpy() & counted_rows(df)].reset_index(drop=True)
    tm = ThemeModel(embedding=embedding, random_state=seed, min_conf=min_conf, noise_field=None,
                    cache_dir=cache_dir, progress=say)
    segmenter = Segmenter()
    frame = as_statements_frame(df, S.TEXT)
    _reason, fit_idx, texts, _terms, kinds = tm._prepare(frame, ContentAnalyzer(segmenter))
    if len(fit_idx) < 2:
        raise InputError(f"{db}: only {len(fit_idx)} statements of the project's themes have content words; "
                         "a curated set needs at least 2",
                         zh=f"{db}：本项目的主题中只有 {len(fit_idx)} 条陈述有实词；整理后的主题集至少需要 2 条")
    present = [k for k in (TRANSCRIPT, TICKET) if (kinds == k).any()]
    if len(present) > 1 and min((kinds == k).sum() for k in present) < 20:  # the rule of ThemeModel._cluster
        kinds = np.full(len(kinds), present[0], dtype=object)
    say(f"embedding {len(texts)} statements of {len(live)} curated themes")
    embedder = tm._make_embedder(segmenter)
    emb, emb_info = tm._embed(embedder, texts)
    # focus-group statements with their questions, as voc themes embeds them (and assign_curated will)
    emb, _ = tm._add_questions(emb, tm._questions(frame, fit_idx), lambda qs: tm._encode_questions(embedder, qs))
    # a split ticket's follow-up sentences took their ticket's theme in the project: they make the set's
    # follow-up centroids, and the themes' centroids, floors and sub-themes come from the sentences with a
    # subject, as ThemeModel.fit learns them (a theme of follow-ups only keeps them: it needs a centroid)
    fol = _followups(df, edits)[fit_idx]
    theme_all = df["theme"].to_numpy()[fit_idx]
    fol &= np.isin(theme_all, list(set(theme_all[~fol])))
    followup_centroids = np.zeros((0, emb.shape[1]), dtype=np.float32)
    if fol.any():
        followup_centroids, _ = split_theme(emb[fol], seed=seed)  # the formulas' kinds, as a theme's sub-themes
        if not len(followup_centroids):
            followup_centroids = mean_directions(emb[fol], np.zeros(int(fol.sum()), dtype=int),
                                                 np.arange(1)).astype(np.float32)
        say(f"{int(fol.sum())} statements follow their ticket: {len(followup_centroids)} follow-up centroids")
    fol_theme = theme_all[fol]
    fol_group = np.array([s if s else t for s, t in zip(_extra(df.iloc[fit_idx[fol]], "subtopic"),
                                                        df[S.TOPIC].astype("string").fillna("").astype(str)
                                                        .to_numpy()[fit_idx[fol]])], dtype=object)
    emb, kinds = emb[~fol], kinds[~fol]
    members = df.iloc[fit_idx[~fol]].reset_index(drop=True)
    topic_of = members["theme"].to_numpy()
    # one centroid row per (theme, source kind) with members
    order = {t: i for i, t in enumerate(sort_ids(list(live["theme_id"])))}
    pairs = sorted({(t, k) for t, k in zip(topic_of, kinds)}, key=lambda p: (order[p[0]], p[1]))
    row_of = {p: i for i, p in enumerate(pairs)}
    rows = np.array([row_of[(t, k)] for t, k in zip(topic_of, kinds)], dtype=int)
    ids = np.arange(len(pairs))
    centroids = mean_directions(emb, rows, ids).astype(np.float32)
    sims = np.einsum("ij,ij->i", emb, centroids[rows])
    member_sims = [np.sort(sims[rows == r]).astype(np.float32) for r in ids]
    # sub-themes: the original sub-themes (or the original themes merged in) with enough members
    orig_topic = members[S.TOPIC].astype("string").fillna("").astype(str).to_numpy()
    orig_sub = _extra(members, "subtopic").to_numpy()
    orig_sublabel = _extra(members, "subtopic_label").to_numpy()
    orig_label = members[S.TOPIC_LABEL].astype("string").fillna("").astype(str).to_numpy()
    group = np.array([s if s else t for s, t in zip(orig_sub, orig_topic)], dtype=object)
    sub_centroids: dict[str, np.ndarray] = {}
    sub_sims: dict[str, list[np.ndarray]] = {}
    info_themes = []
    merged_from: dict[str, list[str]] = {}
    theme_label = dict(zip(themes["theme_id"], themes["label"]))
    for r in themes.itertuples():
        if isinstance(r.merged_into, str):
            merged_from.setdefault(_final(r.merged_into, themes), []).append(r.theme_id)
    for r in live.assign(_k=live["theme_id"].map(order)).sort_values("_k").itertuples():
        tid = r.theme_id
        mine = np.flatnonzero(topic_of == tid)
        subs = []
        if len(mine):
            g = pd.Series(group[mine])
            counts = g.value_counts()
            keep = [k for k in sort_ids(list(counts.index))
                    if k and counts[k] >= _SUB_MIN and counts[k] >= _SUB_SHARE * len(mine)]
            keep.sort(key=lambda k: -counts[k])  # largest first, as voc themes numbers them
            if len(keep) >= 2:
                gi = np.array([keep.index(k) if k in keep else -1 for k in group[mine]])
                cent = mean_directions(emb[mine][gi >= 0], gi[gi >= 0], np.arange(len(keep))).astype(np.float32)
                sub_centroids[tid] = cent
                sub_sims[tid] = [np.sort(emb[mine][gi == j] @ cent[j]).astype(np.float32) for j in range(len(keep))]
                b, _ = nearest(emb[mine], cent)
                for j, k in enumerate(keep):
                    at = mine[group[mine] == k][0]
                    # an input sub-theme keeps its label; a theme merged in keeps the team's name for it
                    lab = orig_sublabel[at] if orig_sub[at] == k else theme_label.get(k, orig_label[at])
                    # sizes count the follow-ups, under the sub-theme they took, as voc themes counts them
                    subs.append({"topic": f"{tid}.{j + 1}", "label": lab or f"{tid}.{j + 1}", "from": k,
                                 "size": int((b == j).sum() + ((fol_theme == tid) & (fol_group == k)).sum())})
        info_themes.append({"topic": tid, "label": r.label, "noise": bool(r.noise),
                            "merged_from": sort_ids(merged_from.get(tid, [])),
                            "kinds": sorted({k for (t, k) in pairs if t == tid}),
                            "size": int(len(mine) + (fol_theme == tid).sum()), "n_subtopics": len(subs),
                            "subtopics": subs})
    counts_by_op = edits["op"].value_counts().to_dict() if len(edits) else {}
    card = {"saved": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), "project": db.name,
            "statements_in_project": int(len(df)), "statements_used": int(len(fit_idx)),
            "edits_applied": int(len(edits)), "edits_by_op": {k: int(v) for k, v in counts_by_op.items()},
            "coders": sorted(set(edits["coder"])) if len(edits) else []}
    meta = {"format": CURATED_FORMAT, "version": _VERSION,
            # which place words the centroids' texts left out (vectorizer.PLACE_RULE); sets saved before have none
            "place_rule": PLACE_RULE,
            "embedding": embedder.name, "embedder_tag": embedder.tag, "dim": int(centroids.shape[1]),
            "min_conf": min_conf, "random_state": seed, "question_weight": float(tm.question_weight),
            "placement_rule": ("nearest theme centroid of the statement's source kind; topic_conf = share of the "
                               "theme's members less similar to the centroid; fits none below min_conf and below "
                               "halfway from that floor to the nearest other theme's centroid"),
            "themes": info_themes,
            "followups": {"statements": int(fol.sum()), "centroids": int(len(followup_centroids)),
                          "rule": "a split ticket's sentence nearer a follow-up centroid than to its theme takes the "
                                  "theme of its ticket's first sentence placed on a theme (reason 'follows its "
                                  "ticket'); the centroids are those of the project's statements that followed "
                                  "their ticket in the voc themes output it came from"},
            "centroid_rows": [{"row": i, "topic": t, "kind": k, "n_members": int(len(member_sims[i]))}
                              for i, (t, k) in enumerate(pairs)],
            "card": card}
    with _set_folder(out_dir) as tmp:
        _write_set(tmp, meta, centroids, member_sims, sub_centroids, sub_sims, lambda f: joblib.dump(embedder, f),
                   followup_centroids)
    return meta


def _set_folder(out_dir: str | Path):
    """The folder of a new or updated set, built beside ``out_dir`` and put in place whole: a reader sees the
    old set or the complete new one. Refused when ``out_dir`` holds files that are not a curated set (they
    would be replaced)."""
    from voiceofcustomer.io.writers import atomic_dir

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; give a folder for the curated theme set",
                         zh=f"{out}：已存在，且不是文件夹；请给出存放主题集的文件夹")
    if out.is_dir() and any(out.iterdir()) and not (out / _JSON).exists():
        raise InputError(f"{out}: is a folder with other files, not a curated theme set; give a new folder for the "
                         "set (or a curated set to replace it)",
                         zh=f"{out}：是装有其他文件的文件夹，不是主题集；请给出一个新文件夹（或一个要替换的主题集）")
    return atomic_dir(out)


def _write_set(out: Path, meta: dict, centroids: np.ndarray, member_sims: list[np.ndarray],
               sub_centroids: dict[str, np.ndarray], sub_sims: dict[str, list[np.ndarray]],
               write_embedder: Callable[[Path], None], followup_centroids: np.ndarray) -> None:
    """Write the files of a curated set into the folder ``out`` (each atomically, ``curated.json`` last);
    sets ``meta["sub_arrays"]``. ``sub_sims`` may lack a theme (a set saved before 6 Dec 2026)."""
    arrays = {"centroids": centroids, "followup_centroids": np.asarray(followup_centroids, dtype=np.float32),
              "member_sims": np.concatenate(member_sims).astype(np.float32),
              "member_offsets": np.cumsum([0] + [len(s) for s in member_sims]).astype(np.int64)}
    for i, t in enumerate(sub_centroids):
        arrays[f"sub_{i}"] = sub_centroids[t]
        if t in sub_sims:
            arrays[f"sub_{i}_sims"] = np.concatenate(sub_sims[t]).astype(np.float32)
            arrays[f"sub_{i}_offsets"] = np.cumsum([0] + [len(x) for x in sub_sims[t]]).astype(np.int64)
    meta["sub_arrays"] = {t: f"sub_{i}" for i, t in enumerate(sub_centroids)}
    with atomic_path(out / _NPZ) as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
    with atomic_path(out / _EMBEDDER) as tmp:
        write_embedder(tmp)
    with atomic_path(out / _CARD) as tmp:
        tmp.write_text(_card_text(meta), encoding="utf-8")
    with atomic_path(out / _JSON) as tmp:  # last: a folder without it is not a curated set
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def add_suggestions(inputs: Sequence[str | Path], model_dir: str | Path, out_dir: str | Path,
                    suggestions: dict[str, str | None], *, text_col: str | Sequence[str] | None = None,
                    encoding: str | None = None, sheet: str | None = None) -> dict:
    """Add suggested new themes of a ``--model`` output to the curated set, as themes of their own.

    ``voc themes NEW --model curated/`` clusters what fits none into suggested new themes
    (``new_themes.csv``; each statement's ``suggested_theme`` in ``statement_topics.csv``). The chosen
    ones become themes of the set: the next whole-number id, the suggestion's label or the one given,
    a centroid per source kind from their statements (embedded as they are placed, with the set's
    embedder), the sorted member similarities behind ``topic_conf``; the set's themes, sub-themes and
    floor are kept as they were, and the card records what was added, from where, when.

    Args:
        inputs: the ``statement_topics.csv`` (or its .xlsx) of ``voc themes NEW --model model_dir``, or the
            review project (``voc review --db``) opened on it: its statements with the suggestions that
            output gave them (the review page's themes view adds a suggestion this way).
        model_dir: the curated set that output was made with.
        out_dir: the new set; built beside it and put in place whole (``model_dir`` itself: updated in place).
        suggestions: suggestion name (``new1``) → the new theme's name, or ``None`` for the suggestion's label.

    Returns:
        The new ``curated.json`` content, with ``"added"``: the themes added.
    """
    from voiceofcustomer.themes.pipeline import load_inputs

    if not suggestions:
        raise InputError("name the suggested themes to add (new1, new2 … of new_themes.csv)",
                         zh="请给出要加入的建议主题（new_themes.csv 中的 new1、new2 …）")
    folder = _set_folder(out_dir)  # checked before the work
    cur = load_curated(model_dir)
    where = ", ".join(str(p) for p in inputs)
    project = len(inputs) == 1 and is_sqlite_file(inputs[0])
    df = _project_suggestions(Path(inputs[0])) if project else load_inputs(inputs, text_col=text_col,
                                                                           encoding=encoding, sheet=sheet)
    if S.SUGGESTED_THEME not in df.columns:
        if project:
            raise InputError(f"{where}: the project's statements have no suggested themes; open `voc review` on "
                             f"the statement_topics.csv that `voc themes NEW --model {model_dir} -o OUT` wrote",
                             zh=f"{where}：本项目的陈述没有建议主题；请对 `voc themes NEW --model {model_dir} -o OUT` "
                                "写出的 statement_topics.csv 打开 voc review")
        raise InputError(f"{where}: no suggested_theme column; give the statement_topics.csv that "
                         f"`voc themes NEW --model {model_dir} -o OUT` wrote")
    named = df[S.SUGGESTED_THEME].astype("string").fillna("").str.strip()
    offered = sort_ids([x for x in named.unique() if x])
    taken = {t["label"] for t in cur.themes}
    ids = [t["topic"] for t in cur.themes] + [m for t in cur.themes for m in t["merged_from"]]
    next_id = max([int(float(i)) for i in ids if _is_whole(i)] + [-1]) + 1
    tm = cur.placer(noise_field=None)
    # the whole table: a focus-group statement is embedded with the moderator question it answers, a row of its own
    frame = as_statements_frame(df, S.TEXT)
    _reason, fit_idx, texts, _terms, fit_kinds = tm._prepare(frame, ContentAnalyzer(tm.segmenter_))
    fit_named = named.to_numpy()[fit_idx]
    known = list(dict.fromkeys(cur.row_kind.tolist()))
    centroids, member_sims = [cur.centroids], list(cur.member_sims)
    rows, themes, added = list(cur.meta["centroid_rows"]), list(cur.themes), []
    today = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    for name, label in suggestions.items():
        mine = df[(named == name).to_numpy()]
        sel = np.flatnonzero(fit_named == name)
        if mine.empty:
            raise InputError(f"{where}: no suggested theme {name!r}; it has "
                             f"{', '.join(offered) if offered else 'none (everything fitted a curated theme)'}",
                             zh=f"{where}：没有建议主题 {name!r}；已有的建议主题："
                                f"{'、'.join(offered) if offered else '无（所有陈述都归入了整理后的主题）'}")
        if not label:
            given = mine[S.SUGGESTED_LABEL].astype("string").fillna("").str.strip() \
                if S.SUGGESTED_LABEL in mine.columns else pd.Series([""])
            label = next((x for x in given if x), name)
        label = str(label).strip()
        if label in taken:
            raise InputError(f"a theme of {model_dir} is already named {label!r}; give {name} a name of its own "
                             f"({name}=NAME)", zh=f"{model_dir} 中已有名为 {label!r} 的主题；请给 {name} 另起一个名称")
        if len(sel) < 2:
            raise InputError(f"{where}: only {len(sel)} statements of {name} have content words; a theme "
                             "needs at least 2", zh=f"{where}：{name} 只有 {len(sel)} 条陈述有实词；一个主题至少需要 2 条")
        emb = tm._embed_statements(frame, fit_idx[sel], [texts[i] for i in sel])
        # a kind the set has no centroid of is placed among all its centroids: its members go with the first
        kinds = np.array([k if k in known else known[0] for k in fit_kinds[sel]], dtype=object)
        tid = str(next_id)
        next_id += 1
        for k in [k for k in known if (kinds == k).any()]:
            e = emb[kinds == k]
            c = mean_directions(e, np.zeros(len(e), dtype=int), np.arange(1)).astype(np.float32)
            centroids.append(c)
            member_sims.append(np.sort(e @ c[0]).astype(np.float32))
            rows.append({"row": len(rows), "topic": tid, "kind": k, "n_members": int(len(e))})
        themes.append({"topic": tid, "label": label, "noise": False, "merged_from": [],
                       "kinds": sorted(set(kinds.tolist())), "size": int(len(sel)), "n_subtopics": 0,
                       "subtopics": [], "suggestion": name})
        added.append({"topic": tid, "label": label, "suggestion": name, "statements": int(len(sel)),
                      "from": where, "added": today})
        taken.add(label)
    meta = json.loads(json.dumps(cur.meta))  # a copy: the loaded set stays as it was
    meta["themes"], meta["centroid_rows"] = themes, rows
    meta["card"] = {**meta.get("card", {}), "added": meta.get("card", {}).get("added", []) + added}
    src = Path(model_dir) / _EMBEDDER
    data = src.read_bytes()  # before the folder is replaced (out_dir may be model_dir)
    with folder as tmp:
        _write_set(tmp, meta, np.vstack(centroids).astype(np.float32), member_sims, cur.sub_centroids,
                   cur.sub_member_sims, lambda p: p.write_bytes(data), cur.followup_centroids)
    return {**meta, "added": added}


def _project_suggestions(db: Path) -> pd.DataFrame:
    """A review project's statements (opened on a ``--model`` output) with the ``suggested_theme`` and
    ``suggested_label`` that output gave them (kept in the project's ``extra``; no such columns when none
    has them)."""
    df, _themes, _edits = _project_frame(db)
    for col in (S.SUGGESTED_THEME, S.SUGGESTED_LABEL):
        if any(col in read_extra(e) for e in df["extra"]):
            df[col] = _extra(df, col)
    return df


def _is_whole(t) -> bool:
    try:
        return float(t).is_integer()
    except (TypeError, ValueError):
        return False


def _team_label(label) -> str:
    """A theme's name without :data:`NOISE_LABEL_PREFIX` (the outputs' label of a noise theme)."""
    label = "" if label is None else str(label)
    return label[len(NOISE_LABEL_PREFIX):] if label.startswith(NOISE_LABEL_PREFIX) else label


def _final(tid: str, themes: pd.DataFrame) -> str:
    """The live theme a merged theme ended in (merges can chain)."""
    return final_theme(tid, dict(zip(themes["theme_id"].astype(str), themes["merged_into"])))


def _card_text(meta: dict) -> str:
    c = meta["card"]
    ops = ", ".join(f"{k} {v}" for k, v in sorted(c["edits_by_op"].items())) or "none"
    lines = ["# Curated theme set", "",
             f"- Saved: {c['saved']} from `{c['project']}` with `voc themes --save-curated`.",
             f"- Statements: {c['statements_in_project']} in the project's themes, {c['statements_used']} with "
             "content words used for the centroids.",
             f"- Edits applied: {c['edits_applied']} ({ops}); coders: {', '.join(c['coders']) or '-'}.",
             f"- Embedding: `{meta['embedding']}` ({meta['embedder_tag']}, {meta['dim']} dimensions); "
             f"confidence floor (min_conf): {meta['min_conf']}.",
             "- Use: `voc themes NEW_tagged.csv --model THIS_FOLDER -o out/` (a `voc tag` output).",
             *[f"- Added {a['added'][:10]}: theme {a['topic']} {a['label']} ({a['statements']} statements of the "
               f"suggested theme {a['suggestion']} of `{a['from']}`)." for a in c.get("added", [])], "",
             "| theme | label | noise | merged from | statements | sub-themes |", "|---|---|---|---|---|---|"]
    for t in meta["themes"]:
        subs = "; ".join(f"{s['topic']} {s['label']}" for s in t["subtopics"])
        lines.append(f"| {t['topic']} | {t['label']} | {'yes' if t['noise'] else ''} | "
                     f"{', '.join(t['merged_from'])} | {t['size']} | {subs} |")
    return "\n".join(lines) + "\n"


# -- loading ---------------------------------------------------------------------------------------

def load_curated(path: str | Path) -> CuratedThemes:
    """Read a curated theme set; any missing or damaged file is one :class:`InputError`."""
    import joblib

    path = Path(path)
    if not path.is_dir():
        raise InputError(f"{path}: no such curated theme folder; {_SAVE_HINT}",
                         zh=f"{path}：没有这个整理后的主题集文件夹；{_SAVE_HINT_ZH}")
    meta_file = path / _JSON
    if not meta_file.exists():
        raise InputError(f"{path}: not a curated theme set (no {_JSON}); {_SAVE_HINT}",
                         zh=f"{path}：不是整理后的主题集（没有 {_JSON}）；{_SAVE_HINT_ZH}")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("format") != CURATED_FORMAT:
            raise ValueError(f"format is {meta.get('format')!r}")
        if int(meta.get("version", 0)) > _VERSION:
            raise ValueError(f"version {meta['version']} is newer than this voc reads ({_VERSION})")
        with np.load(path / _NPZ, allow_pickle=False) as z:
            centroids = np.asarray(z["centroids"], dtype=np.float32)
            # sets saved before 6 Dec 2026 have none: each sentence is placed on its nearest theme
            followups = np.asarray(z["followup_centroids"], dtype=np.float32) if "followup_centroids" in z.files \
                else np.zeros((0, centroids.shape[1]), dtype=np.float32)
            if followups.ndim != 2 or followups.shape[1] != centroids.shape[1]:
                raise ValueError("follow-up centroids do not have the themes' dimension")
            sims, offsets = z["member_sims"], z["member_offsets"]
            subs = {t: np.asarray(z[name], dtype=np.float32) for t, name in meta.get("sub_arrays", {}).items()}
            sub_sims = {}
            for t, name in meta.get("sub_arrays", {}).items():
                if f"{name}_sims" in z.files:  # sets saved before 6 Dec 2026 have none
                    sims_t, off_t = z[f"{name}_sims"], z[f"{name}_offsets"]
                    if len(off_t) != len(subs[t]) + 1:
                        raise ValueError(f"sub-theme similarities of theme {t!r} do not match its sub-themes")
                    sub_sims[t] = [np.asarray(sims_t[off_t[j]:off_t[j + 1]], dtype=np.float32)
                                   for j in range(len(subs[t]))]
        rows = meta["centroid_rows"]
        if len(rows) != len(centroids) or len(offsets) != len(rows) + 1:
            raise ValueError("centroids and centroid_rows do not match")
        embedder = joblib.load(path / _EMBEDDER)
        if not hasattr(embedder, "embed"):
            raise ValueError(f"{_EMBEDDER} holds no embedder")
        _check_themes(meta["themes"], subs, dim=centroids.shape[1])
        known = {t["topic"] for t in meta["themes"]}
        if any(r["topic"] not in known for r in rows):
            raise ValueError("a centroid row names a theme that is not in themes")
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - json, zip, pickle and key errors all mean "damaged"
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: damaged curated theme set ({type(exc).__name__}: {msg}); {_SAVE_HINT}",
                         zh=f"{path}：整理后的主题集已损坏（{type(exc).__name__}: {msg}）；{_SAVE_HINT_ZH}") from None
    member_sims = [np.asarray(sims[offsets[i]:offsets[i + 1]], dtype=np.float32) for i in range(len(rows))]
    return CuratedThemes(meta, centroids, np.array([r["topic"] for r in rows], dtype=object),
                         np.array([r["kind"] for r in rows], dtype=object), member_sims, subs, embedder,
                         sub_sims, followups)


def _check_themes(themes, subs: dict, *, dim: int) -> None:
    """Raise ``ValueError`` naming the first theme entry of ``curated.json`` that cannot be applied
    (a file edited by hand: a label deleted or emptied, noise as text, sub-themes that do not match
    their centroids). Applying such a set stopped with a KeyError traceback."""
    if not isinstance(themes, list) or not themes:
        raise ValueError("themes is not a list of themes")
    for i, t in enumerate(themes):
        where = f"theme {t.get('topic', i + 1)!r}" if isinstance(t, dict) else f"themes entry {i + 1}"
        if not isinstance(t, dict) or not isinstance(t.get("topic"), str) or not t["topic"]:
            raise ValueError(f"{where} has no topic id")
        if not isinstance(t.get("label"), str) or not t["label"].strip():
            raise ValueError(f"{where} has no label")
        if not isinstance(t.get("noise"), bool):
            raise ValueError(f"{where}: noise must be true or false, not {t.get('noise')!r}")
        for k in ("size", "n_subtopics"):
            if isinstance(t.get(k), bool) or not isinstance(t.get(k), int):
                raise ValueError(f"{where}: {k} must be a whole number")
        st = t.get("subtopics")
        if not isinstance(st, list) or any(not isinstance(x, dict) or not isinstance(x.get("topic"), str)
                                           or not isinstance(x.get("label"), str)
                                           or isinstance(x.get("size"), bool) or not isinstance(x.get("size"), int)
                                           for x in st):
            raise ValueError(f"{where}: subtopics must be a list of sub-themes with topic, label and size")
        cent = subs.get(t["topic"])
        if len(st) != (0 if cent is None else len(cent)):
            raise ValueError(f"{where} lists {len(st)} sub-themes but centroids.npz holds "
                             f"{0 if cent is None else len(cent)}")
    if any(c.ndim != 2 or c.shape[1] != dim for c in subs.values()):
        raise ValueError("sub-theme centroids do not have the themes' dimension")


# -- applying --------------------------------------------------------------------------------------

def assign_curated(cur: CuratedThemes, df: pd.DataFrame, *, noise_field: str | None,
                   min_conf: float | None = None, thread_col: str | None = None) -> pd.DataFrame:
    """Theme of each statement on the curated set: the statement table of ``voc themes``.

    Columns: ``statement_id`` (``ticket_id``), ``text, topic, subtopic, topic_label,
    subtopic_label, topic_conf, topic_similarity, reason, nearest_label`` — ``reason`` ``outlier`` means
    *fits none* (below the floor of its nearest theme, named in ``nearest_label``; ``topic_similarity``
    is to that theme), ``marked noise`` a statement placed on a theme the team marked as noise (its
    ``topic`` is the theme's id in :attr:`CuratedThemes.noise_ids`, its ``topic_label``
    :func:`noise_label` of the team's name; what fits none is -1 未归类), ``follows its ticket`` a split
    ticket's follow-up sentence (or, with ``thread_col``, a conversation's) that took the theme of its
    ticket's first sentence placed on a theme of the team's, or -1 when the ticket has none — the rule of
    ``ThemeModel.transform``, by the set's follow-up centroids.
    """
    tm = cur.placer(noise_field=noise_field, min_conf=min_conf, thread_col=thread_col)
    frame = as_statements_frame(df, S.TEXT)
    reason, fit_idx, texts, _terms, kinds = tm._prepare(frame, ContentAnalyzer(tm.segmenter_))
    n = len(frame)
    row = np.full(len(fit_idx), -1, dtype=int)
    conf = np.full(len(fit_idx), np.nan, dtype=np.float32)
    sim = conf.copy()
    follows = np.zeros(len(fit_idx), dtype=bool)
    emb = keys = None
    if len(fit_idx):
        emb = tm._embed_statements(frame, fit_idx, texts)
        keys = tm._ticket_keys(frame, fit_idx, kinds)  # the follow-up rule of ThemeModel.transform
        row, conf, sim, follows = tm._place_following(emb, kinds, keys)
    themes = {t["topic"]: t for t in cur.themes}
    topic = np.array([cur.row_topic[r] if r >= 0 else "-1" for r in row], dtype=object)
    if emb is not None and tm.min_conf is not None:
        _place_by_subthemes(cur, emb, topic, conf, sim, tm.min_conf, skip=follows)
    noise = np.array([t != "-1" and themes[t]["noise"] for t in topic], dtype=bool)
    sub = np.full(len(fit_idx), "", dtype=object)
    for t, cent in cur.sub_centroids.items():
        rows = np.flatnonzero((topic == t) & ~noise)
        if len(rows):
            sub[rows] = [f"{t}.{b + 1}" for b in nearest(emb[rows], cent)[0]]
    if follows.any():
        topic, sub, conf, sim = _follow_tickets(cur, tm, emb, keys, follows, kinds, topic, sub, noise, conf, sim)
    near = np.full(len(fit_idx), "", dtype=object)
    left = np.flatnonzero((topic == "-1") & ~follows)
    if len(left):  # the theme each statement that fits none is nearest to, by the placement rule without its floor
        tm.min_conf = None
        near[left] = [themes[cur.row_topic[r]]["label"] for r in tm._place(emb[left], kinds[left])[0]]
    fit_reason = np.where(follows, FOLLOWS_TICKET,
                          np.where(topic == "-1", "outlier", np.where(noise, MARKED_NOISE, "")))
    noise_ids = cur.noise_ids
    topic[noise] = [noise_ids[t] for t in topic[noise]]
    reason = reason.copy()
    reason[fit_idx] = fit_reason
    topic_all = np.full(n, "-1", dtype=object)
    topic_all[fit_idx] = topic
    sub_all = np.full(n, "", dtype=object)
    sub_all[fit_idx] = sub
    conf_all = np.full(n, np.nan, dtype=np.float32)
    conf_all[fit_idx] = conf
    sim_all = np.full(n, np.nan, dtype=np.float32)
    sim_all[fit_idx] = sim
    near_all = np.full(n, "", dtype=object)
    near_all[fit_idx] = near
    # a following sentence of no content word (请尽快处理。) takes its ticket's theme, as in ThemeModel.transform
    follow_wordless(tm._all_ticket_keys(frame), reason, topic_all != "-1", topic_all, sub_all, conf_all)
    sublabels = {s["topic"]: s["label"] for t in cur.themes for s in t["subtopics"]}
    labels = {t["topic"]: t["label"] for t in cur.themes if not t["noise"]}
    labels.update({noise_ids[t["topic"]]: noise_label(t["label"]) for t in cur.themes if t["noise"]})
    out = pd.DataFrame({
        S.STATEMENT_ID: frame[S.STATEMENT_ID].to_numpy(), S.TEXT: frame[S.TEXT].to_numpy(),
        S.TOPIC: [_id_value(t) for t in topic_all], S.SUBTOPIC: sub_all,
        S.TOPIC_LABEL: [labels.get(t, OUTLIER_LABEL) for t in topic_all],
        "subtopic_label": [sublabels.get(s, "") for s in sub_all],
        S.TOPIC_CONF: np.round(conf_all, 4), "topic_similarity": np.round(sim_all, 4), "reason": reason,
        "nearest_label": near_all})
    if S.TICKET_ID in frame.columns:
        out.insert(1, S.TICKET_ID, frame[S.TICKET_ID].to_numpy())
    return out


def _follow_tickets(cur: CuratedThemes, tm: ThemeModel, emb, keys, follows, kinds, topic, sub, noise, conf, sim):
    """``ThemeModel._inherit`` on the curated set: each follow-up sentence takes the theme, sub-theme and
    ``topic_conf`` of its ticket's first sentence placed on a theme of the team's (one marked as noise is
    no subject), its similarity to that theme's centroid; -1 when the ticket has none. The rule works on
    centroid rows: each such sentence stands for its theme's row of its source kind."""
    row_of: dict = {}
    for r, (t, k) in enumerate(zip(cur.row_topic.tolist(), cur.row_kind.tolist())):
        row_of.setdefault((t, k), r)
        row_of.setdefault((t, None), r)
    anchor = np.array([-1 if f or nz or t == "-1" else row_of.get((t, k), row_of.get((t, None), -1))
                       for t, k, nz, f in zip(topic, kinds, noise, follows)], dtype=int)
    sub_ix = np.array([int(x.rsplit(".", 1)[1]) - 1 if x else -1 for x in sub], dtype=int)
    rows, sub_ix, conf, sim = tm._inherit(emb, keys, follows, anchor, sub_ix, conf, sim)
    topic, sub = topic.copy(), sub.copy()
    mine = np.flatnonzero(follows)
    topic[mine] = [cur.row_topic[r] if r >= 0 else "-1" for r in rows[mine]]
    sub[mine] = [f"{t}.{j + 1}" if t != "-1" and j >= 0 else "" for t, j in zip(topic[mine], sub_ix[mine])]
    return topic, sub, conf, sim


def _place_by_subthemes(cur: CuratedThemes, emb: np.ndarray, topic: np.ndarray, conf: np.ndarray,
                        sim: np.ndarray, floor: float, skip: np.ndarray | None = None) -> None:
    """Place (in place) the statements that fit none of the themes as a whole on the theme of their
    nearest sub-theme when they fit that sub-theme: as typical of it as ``floor`` of its members
    (``topic_conf``, ``topic_similarity`` then say so of the sub-theme).

    Why: a theme's sub-themes are what the team put together — the statements it moved in, the theme
    it merged in — and a group like that sits at the edge of the whole theme's centroid. Measured on a
    month of written tickets (the curated-set QA pass): the statements the team had moved into
    手机信号差 fell below that theme's floor again when the set was applied to the same month, and about
    half of next month's statements in that wording fit none. Statements that fit a theme as a whole
    are placed as before; this only takes statements out of *fits none*. ``skip``: rows that are not
    placed here (follow-up sentences, which take their ticket's theme)."""
    todo = np.flatnonzero((topic == "-1") & (True if skip is None else ~skip))
    owners = [(t, j) for t in cur.sub_member_sims for j in range(len(cur.sub_member_sims[t]))]
    if not len(todo) or not owners:
        return
    cent = np.vstack([cur.sub_centroids[t][j] for t, j in owners])
    b, s = nearest(emb[todo], cent)
    for i, (k, v) in enumerate(zip(b, s)):
        t, j = owners[k]
        members = cur.sub_member_sims[t][j]
        c = np.searchsorted(members, v + SIM_TOLERANCE, side="right") / len(members)  # ThemeModel._place's rule
        if c >= floor:
            topic[todo[i]], conf[todo[i]], sim[todo[i]] = t, c, v


def noise_label(label: str) -> str:
    """``topic_label`` of a theme marked as noise (:data:`NOISE_LABEL_PREFIX` once, however often saved)."""
    return label if label.startswith(NOISE_LABEL_PREFIX) else NOISE_LABEL_PREFIX + label


def _id_value(t: str):
    """Theme ids as ``voc themes`` writes them: integers when they are integers."""
    try:
        f = float(t)
        return int(f) if f.is_integer() else t
    except (TypeError, ValueError):
        return t


def suggest_new_themes(texts: list[str], *, embedder, seed: int = 42) -> tuple[np.ndarray, pd.DataFrame]:
    """Cluster the statements that fit no curated theme into suggested new themes.

    Returns:
        ``(index of the suggestion per text, table)`` with ``suggestion, label, keywords, size,
        representative_texts``; the suggestions are named ``new1``, ``new2``… largest first.
    """
    cols = ["suggestion", "label", "keywords", "size", "representative_texts"]
    if not texts:
        return np.zeros(0, dtype=int), pd.DataFrame(columns=cols)
    if len(texts) >= _MIN_SUGGEST_CLUSTER:
        try:
            model = ThemeModel(embedding=embedder, random_state=seed, min_conf=None, noise_field=None,
                               subthemes=False, by_source=False).fit(texts)
        except VocError:
            model = None
        if model is not None:
            st = model.statement_topics_
            topics = model.topics_[model.topics_["topic"] != -1].reset_index(drop=True)
            names = {int(t): f"new{i + 1}" for i, t in enumerate(topics["topic"])}
            table = pd.DataFrame({"suggestion": [names[int(t)] for t in topics["topic"]],
                                  "label": topics["label"].tolist(),
                                  "keywords": [" · ".join(w for w, _ in model.topic_words_[int(t)][:6])
                                               for t in topics["topic"]],
                                  "size": topics["size"].astype(int).tolist(),
                                  "representative_texts": topics["representative_texts"].tolist()})
            idx = np.array([int(names[int(t)][3:]) - 1 if int(t) in names else -1 for t in st[S.TOPIC]], dtype=int)
            return idx, table
    # too few to cluster: one suggestion, named by its most frequent content words
    analyzer = ContentAnalyzer(Segmenter())
    counts = pd.Series([w for t in texts for w in dict.fromkeys(analyzer(t))]).value_counts()
    words = counts.index[:6].tolist()
    table = pd.DataFrame({"suggestion": ["new1"], "label": [topic_label(words) or "new1"],
                          "keywords": [" · ".join(words)], "size": [len(texts)],
                          "representative_texts": ["\n".join(texts[:3])]})
    return np.zeros(len(texts), dtype=int), table


def _topic_table(cur: CuratedThemes, st: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """topics.csv on the curated set: every curated theme (also those empty this month), its
    sub-themes, each theme marked as noise (under its noise id and label), and 未归类; counts and shares
    of this input (``size``, ``count``, ``share``: :func:`~voiceofcustomer.themes.model.theme_size`)."""
    counted = S.counted_mask(df)
    topic = st[S.TOPIC].astype(str).to_numpy()
    sub = st[S.SUBTOPIC].astype(str).to_numpy()
    sim = st["topic_similarity"].to_numpy(dtype=float)
    subject = st["reason"].to_numpy() != FOLLOWS_TICKET  # representatives: sentences with a subject of their own
    label_fields = [f for f in FIELDS if f in df.columns]

    def row(tid, parent, level, label, mask, extra):
        idx = np.flatnonzero(mask & subject)
        top = idx[np.argsort(-np.nan_to_num(sim[idx], nan=-1.0), kind="mergesort")][:3] if parent != "-" else idx[:0]
        r = {"topic": _id_value(tid), "parent": "" if parent in ("", "-") else _id_value(parent), "level": level,
             "label": label, **theme_size(mask, counted), **extra,
             "representative_ids": "|".join(st[S.STATEMENT_ID].to_numpy()[top].astype(str)),
             "representative_texts": "\n".join(st[S.TEXT].to_numpy()[top].astype(str))}
        for f in label_fields:
            vals = df.loc[mask, f].dropna().astype(str)
            vals = vals[vals.str.strip() != ""]
            r[f"dist_{f}"] = "|".join(f"{k}:{v:.2f}" for k, v in vals.value_counts(normalize=True).items())
        return r

    themed = []
    for t in cur.themes:
        if t["noise"]:
            continue
        themed.append((int((topic == t["topic"]).sum()), t))
    themed.sort(key=lambda p: -p[0])  # stable: curated order among equal counts
    rows = []
    for _n, t in themed:
        rows.append(row(t["topic"], "", 1, t["label"], topic == t["topic"],
                        {"n_subtopics": t["n_subtopics"], "curated_size": t["size"]}))
        for s in t["subtopics"]:
            rows.append(row(s["topic"], t["topic"], 2, s["label"], sub == s["topic"],
                            {"n_subtopics": 0, "curated_size": s["size"]}))
    for tid, nid in cur.noise_ids.items():  # the team's noise, each under its own id, as in statement_topics.csv
        t = next(x for x in cur.themes if x["topic"] == tid)
        rows.append(row(nid, "", 1, noise_label(t["label"]), topic == nid, {"n_subtopics": 0, "curated_size": t["size"]}))
    out = topic == "-1"
    if out.any():
        rows.append(row("-1", "-", 1, OUTLIER_LABEL, out, {"n_subtopics": 0, "curated_size": 0}))
    table = pd.DataFrame(rows)
    table["topic"] = table["topic"].astype(object)
    table["parent"] = table["parent"].astype(object)
    return table


def apply_curated(inputs: Sequence[str | Path], model_dir: str | Path, out_dir: str | Path, *,
                  text_col: str | Sequence[str] | None = None, id_col: str | Sequence[str] | None = None,
                  encoding: str | None = None,
                  sheet: str | None = None, min_conf: float | None = None, seed: int = 42, unit: str = "statement",
                  thread_col: str | None = None, moderators: Sequence[str] = (),
                  progress: Callable[[str], None] | None = None) -> dict:
    """Assign new statements to a curated theme set; write the tables and what fits none.

    ``moderators``: transcript speaker labels whose turns are the moderator's, as ``run_themes`` takes them.

    ``unit="ticket"``: a ticket export's rows whole (as the set's statements were, if it was curated so).
    ``thread_col``: rows sharing its value are one conversation, whose follow-up posts take its theme
    (as ``run_themes``; a split ticket's sentences follow their ticket without it).

    Writes ``topics.csv`` (every curated theme with this input's counts),
    ``statement_topics.csv`` (every input statement; ``suggested_theme`` for those that fit
    none), ``new_themes.csv`` (the leftovers clustered into suggested new themes) and
    ``themes.json`` (counts, shares, the curated set's card).

    Returns:
        The ``themes.json`` content with ``"files"`` and ``"transcripts"`` (``pipeline.transcript_findings``).
    """
    from voiceofcustomer.report.folder import OutputFolder, check_output_folder
    from voiceofcustomer.text.split import SplitSummary
    from voiceofcustomer.themes.pipeline import (detect_small_talk, load_checked, moderators_taken, theme_file_names,
                                                 transcript_findings)

    say = progress or (lambda _m: None)
    check_output_folder(out_dir)  # before the work: a -o that cannot be a folder fails at once
    if Path(out_dir).resolve() == Path(model_dir).resolve():
        raise InputError(f"{out_dir}: is the curated theme set given as model_dir=; choose another out_dir= for "
                         "this month's tables", params=("model_dir", "out_dir"))
    cur = load_curated(model_dir)
    summary = SplitSummary()
    df, _ = load_checked(inputs, thread_col=thread_col, text_col=text_col, id_col=id_col, encoding=encoding,
                         sheet=sheet, unit=unit, moderators=moderators, summary=summary, progress=say)
    fit_df, noise_field = detect_small_talk(df, progress=say)
    say(f"placing {len(df)} statements on {len(cur.themes)} curated themes")
    st = assign_curated(cur, fit_df, noise_field=noise_field, min_conf=min_conf, thread_col=thread_col)
    left = np.flatnonzero(st["reason"].to_numpy() == "outlier")
    say(f"{plural(len(left), 'statement fits', 'statements fit')} no curated theme; looking for new themes among them")
    from voiceofcustomer.text.noise import model_text

    idx, suggestions = suggest_new_themes([model_text(t) for t in st[S.TEXT].to_numpy()[left]],
                                          embedder=cur.embedder, seed=seed)
    names = suggestions["suggestion"].tolist()
    labels = dict(zip(suggestions["suggestion"], suggestions["label"]))
    sugg = np.full(len(st), "", dtype=object)
    sugg[left] = [names[i] if i >= 0 else "" for i in idx]
    st[S.SUGGESTED_THEME] = sugg
    st[S.SUGGESTED_LABEL] = [labels.get(s, "") for s in sugg]
    # counted as topics.csv and the summary line count (statements.counted_mask): a suggestion's size was every row
    # that fits none, repeats and moderator turns included, beside 'fits none: N' of the statements that count
    counted = np.asarray(S.counted_mask(df), dtype=bool)
    fits_none_counted = int(((st["reason"].to_numpy() == "outlier") & counted).sum())
    suggestions.insert(suggestions.columns.get_loc("size") + 1, "count",
                       [int(((sugg == name) & counted).sum()) for name in suggestions["suggestion"]])
    if len(suggestions):
        suggestions["share_of_fits_none"] = (suggestions["count"] / max(fits_none_counted, 1)).round(4)
        # how far each suggestion is from the set: the curated theme most of its statements are nearest to,
        # and their median similarity to it — a new subject is far from every theme, old subjects in new
        # words are near one (in the QA pass: 诈骗 0.29, wifi、没网 near 宽带故障 0.62)
        near = pd.DataFrame({"s": sugg[left], "label": st["nearest_label"].to_numpy()[left],
                             "sim": st["topic_similarity"].to_numpy(dtype=float)[left]})
        by = near.groupby("s", sort=False)
        top = by["label"].agg(lambda v: v.value_counts().index[0])
        med = near[near["label"] == near["s"].map(top)].groupby("s")["sim"].median()
        suggestions["nearest_theme"] = suggestions["suggestion"].map(top).fillna("")
        suggestions["nearest_similarity"] = suggestions["suggestion"].map(med).round(3)
    topics = _topic_table(cur, st, df)
    # the input's columns first; theme columns it already had (last month's output) give way to this run's
    full = statement_table(st, df)
    notes = [n for n in [cur.place_note(model_dir)] if n]
    if noise_field not in fit_df.columns:  # an untagged ticket export: voc themes does not tag tickets
        notes.append(f"{', '.join(Path(p).name for p in inputs)}: not tagged, so statements without service "
                     "content (好的谢谢, 已经解决了) are not set aside as they were in the project the curated set "
                     "came from: they fit none or join a theme. Tag it first (voc tag FILE -o tagged.csv) and "
                     "give the tagged table")
    reasons = st["reason"].to_numpy()
    placed = reasons == ""
    follows = reasons == FOLLOWS_TICKET
    n_fitted = int(np.isin(reasons, ["", "outlier", MARKED_NOISE, FOLLOWS_TICKET]).sum())
    # the summary line counts as topics.csv and a fitted run's line do (theme_size over statements.counted_mask): it
    # said '12 of 14 statements on …' of an input with a repeated ticket and a moderator turn, each counted
    on_theme = placed | (follows & (st[S.TOPIC].astype(str) != "-1").to_numpy())
    themed = theme_size(on_theme, counted)
    info = {"method": "curated theme set: nearest curated theme centroid (the theme model's placement rule); "
                      "statements below the floor fit none and are clustered into suggested new themes; a split "
                      "ticket's follow-up sentences take its theme (the theme model's follow-up rule)",
            "curated": str(model_dir), "curated_card": cur.meta.get("card", {}),
            "embedding": cur.meta["embedding"], "min_conf": cur.meta["min_conf"] if min_conf is None else min_conf,
            "inputs": [str(p) for p in inputs], "moderators": moderators_taken(df, inputs, summary, moderators),
            "n_statements": int(len(st)),
            "n_counted": int(counted.sum()), "n_fitted": n_fitted, "n_placed": int(on_theme.sum()),
            # of the statements that count: on a curated theme, 未归类 and fitting none, as the summary line says them
            "n_counted_themed": themed["count"],
            "unassigned_counted_share": round(1 - themed["share"], 4) if counted.any() else 0.0,
            "fits_none_counted": fits_none_counted,
            "fits_none_counted_share": round(fits_none_counted / max(int(counted.sum()), 1), 4),
            "follows_ticket": int(follows.sum()),
            "fits_none": int(len(left)), "fits_none_share_of_fitted": round(len(left) / max(n_fitted, 1), 4),
            "fits_none_share": round(len(left) / max(len(st), 1), 4),
            "marked_noise": int((reasons == MARKED_NOISE).sum()),
            # of the statements that count, as the summary line says it (its other numbers count so)
            "marked_noise_counted": int(((reasons == MARKED_NOISE) & counted).sum()),
            "not_fitted": {k: int(v) for k, v in pd.Series(reasons[~np.isin(reasons, ["", "outlier", MARKED_NOISE,
                                                                                  FOLLOWS_TICKET])])
                           .value_counts().items()},
            "n_topics": int(sum(1 for t in cur.themes if not t["noise"])),
            "topics": [{"topic": r.topic, "label": r.label, "size": int(r.size), "count": int(r.count),
                        "share": float(r.share)}
                       for r in topics.itertuples() if r.level == 1],
            "suggested_new_themes": suggestions.drop(columns=["representative_texts"]).to_dict("records"),
            "notes": notes}
    # built beside out_dir and put in place whole, as voc themes does: an interrupted run leaves the earlier
    # output, and the themes.html / topics_over_time.csv / topics_by_<col>.csv of an earlier voc themes run
    # into the same folder go (they named that run's themes, not the curated ones)
    folder = OutputFolder(out_dir, "themes", legacy=theme_file_names)
    with folder as build:
        files = {"topics": write_table(topics, build / "topics.csv", sheet_name="topics"),
                 "statement_topics": write_table(full, build / "statement_topics.csv"),
                 "new_themes": write_table(suggestions, build / "new_themes.csv", sheet_name="new_themes")}
        info["outputs"] = sorted([p.name for p in files.values()] + ["themes.json"])
        with atomic_path(build / "themes.json") as tmp:
            tmp.write_text(json.dumps(info, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        files["themes_json"] = build / "themes.json"
    files = {k: folder.final(v) for k, v in files.items()}
    info["files"] = {k: str(v) for k, v in files.items()}
    info["transcripts"] = transcript_findings(summary)
    return info
