"""Agreement between coders, and between the model and each coder.

Why both statistics: Cohen's κ is what QualCoder, NVivo and MAXQDA report for two
coders; Krippendorff's α (nominal) handles any number of coders and missing
codes and is what content-analysis journals ask for. Both are computed here from
their definitions (the tests compare with scikit-learn and the ``krippendorff``
reference package).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer import statements as st
from voiceofcustomer.errors import ColumnError, DataQualityError, InputError, column_guess, plural
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS, ZH, label_names

__all__ = ["cohen_kappa", "krippendorff_alpha_nominal", "reported", "Agreement", "agreement_from_project",
           "agreement_from_tables", "label_ids", "MODEL"]

MODEL = "model"


def label_ids(values: pd.Series, field: str) -> tuple[pd.Series, list[str]]:
    """A table's ``field`` column as label ids, so two coders are compared on what they chose, not how they
    wrote it: a coder working in Chinese writes 移情性 and 投诉/不满 where `voc tag` writes empathy and
    complaint (until 8 Dec 2026 each such row counted as a disagreement: two coders who agreed on every
    statement got agree 0%). Spaces around a value and its case do not matter; blank stays missing. Returns
    the ids and the values that are no label of ``field`` (kept as written, so they still disagree)."""
    names = label_names(field)
    unknown: list[str] = []

    def one(v):
        if st.is_missing(v):
            return None
        text = str(v).strip()
        label = names.get(text.lower())
        if label is None and text not in unknown:
            unknown.append(text)
        return label or text

    return values.map(one), unknown


def reported(v: float, digits: int = 12) -> float:
    """κ or α as it is reported: rounded to ``digits`` decimals and never negative zero (nan stays nan).

    Two coders who agree exactly at chance get κ = 0 up to float noise (-3.47e-17), which was printed
    ``kappa=-0.000`` and written to agreement.xlsx as such; 12 decimals take the noise off and keep
    the value (the tests compare with scikit-learn to 1e-12); printing to 3 gives ``digits=3``."""
    return v if v != v else round(float(v), digits) + 0.0  # + 0.0 turns -0.0 into 0.0


def cohen_kappa(a, b) -> float:
    """Cohen's κ of two equally long label sequences (nan when undefined, e.g. both constant and equal)."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if len(a) != len(b):
        raise InputError("Cohen's kappa needs two label lists of the same length")
    if len(a) == 0:
        return float("nan")
    cats = sorted(set(a) | set(b), key=str)
    idx = {c: i for i, c in enumerate(cats)}
    m = np.zeros((len(cats), len(cats)))
    for x, y in zip(a, b):
        m[idx[x], idx[y]] += 1
    n = m.sum()
    po = np.trace(m) / n
    pe = float((m.sum(axis=1) / n) @ (m.sum(axis=0) / n))
    if pe == 1.0:
        return float("nan") if po == 1.0 else 0.0
    return reported((po - pe) / (1 - pe))


def krippendorff_alpha_nominal(units: list[list]) -> float:
    """Krippendorff's α for nominal data.

    Args:
        units: one list per unit (statement) of the values the coders gave it; missing
            codes are simply absent (``None``/NaN entries are dropped). Units with fewer
            than two values are not pairable and are ignored, as the definition says.
    """
    clean = [[v for v in u if v is not None and not (isinstance(v, float) and np.isnan(v))] for u in units]
    clean = [u for u in clean if len(u) >= 2]
    if not clean:
        return float("nan")
    cats = sorted({v for u in clean for v in u}, key=str)
    idx = {c: i for i, c in enumerate(cats)}
    o = np.zeros((len(cats), len(cats)))  # coincidence matrix
    for u in clean:
        counts = np.zeros(len(cats))
        for v in u:
            counts[idx[v]] += 1
        m = len(u)
        o += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d_o = n - np.trace(o)
    d_e = (n * n - (n_c ** 2).sum()) / (n - 1)
    if d_e == 0:
        return float("nan") if d_o == 0 else 0.0
    return reported(1 - d_o / d_e)


@dataclass
class Agreement:
    """Per field and pair of coders: n, κ, α, the confusion table and the disagreeing rows."""

    pairs: pd.DataFrame  # field, coder_a, coder_b, n, agree, kappa, alpha
    overall: pd.DataFrame  # field, coders, units, alpha (all human coders together)
    confusion: dict[tuple[str, str, str], pd.DataFrame] = field(default_factory=dict)
    disagreements: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: decided statements left out because they count nowhere (moderator turns, repeats; project files)
    left_out: int = 0
    #: what was done to rows of two tables that share a key (one line per table; see agreement_from_tables)
    notes: list[str] = field(default_factory=list)

    def disagreement_counts(self) -> dict[str, int]:
        """How the ``disagreements`` sheet's rows divide: ``rows`` (one per field and pair of coders), of them
        ``between_coders`` (two people's: the model not one of the pair) on ``coder_statements`` statements, and
        ``with_model`` (the model and a coder). Why: two coders who differed on the stance of 7 statements got
        "14 disagreeing rows" (each also a row of the model against one of them), while ``voc train --add`` said
        they disagreed on 7."""
        d = self.disagreements
        if d.empty:
            return {"rows": 0, "between_coders": 0, "coder_statements": 0, "with_model": 0}
        model = (d["coder_a"] == MODEL) | (d["coder_b"] == MODEL)
        return {"rows": len(d), "between_coders": int((~model).sum()),
                "coder_statements": int(d.loc[~model, st.STATEMENT_ID].nunique()), "with_model": int(model.sum())}

    def write(self, path: str | Path) -> Path:
        """An Excel workbook: summary, overall α, disagreeing rows, one confusion sheet per pair and field."""
        from voiceofcustomer.io.writers import atomic_path, neutralize_formulas

        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise InputError(f"{path}: agreement details are written as an Excel workbook; use a .xlsx name")
        with atomic_path(path) as tmp:
            with pd.ExcelWriter(tmp, engine="xlsxwriter") as xl:
                self.pairs.to_excel(xl, sheet_name="pairs", index=False)
                self.overall.to_excel(xl, sheet_name="overall", index=False)
                neutralize_formulas(self.disagreements).to_excel(xl, sheet_name="disagreements", index=False)
                for k, ((f, a, b), tab) in enumerate(self.confusion.items()):
                    name = f"{k + 1}_{f}_{a}_{b}"[:31]
                    tab.to_excel(xl, sheet_name="".join(ch if ch not in "[]:*?/\\" else "_" for ch in name))
        return path


def _compare(wide: pd.DataFrame, coders: list[str], texts: pd.Series | None,
             fields: tuple[str, ...] = FIELDS, model_conf: dict[str, pd.Series] | None = None,
             notes: dict[tuple[str, str], str] | None = None,
             orders: dict[str, tuple[str, ...]] | None = None) -> Agreement:
    """``wide``: statement_id, coder, fields (one row per statement and coder, model included).

    ``model_conf``: per field, the model's confidence by statement id. Model-vs-coder disagreements
    then carry it and come surest first: a confident model against a coder is either the coder's slip
    or a convention the team holds, and the team should see those before the model's guesses.

    ``notes``: (statement id, coder) → the coder's note (memo) on it; a disagreeing row says each side's
    (``note_a``, ``note_b``; "" where none, the model's always): why a coder chose as they did is what the team
    talks through."""
    notes = notes or {}
    order = {**LABELS, **(orders or {})}
    rows, conf, dis, overall = [], {}, [], []
    for f in fields:
        tab = wide.pivot_table(index=st.STATEMENT_ID, columns="coder", values=f, aggfunc="last")
        humans = [c for c in coders if c != MODEL and c in tab.columns]
        if len(humans) >= 2:
            units = [list(r) for r in tab[humans].itertuples(index=False)]
            overall.append({"field": f, "coders": ", ".join(humans),
                            "units": int((tab[humans].notna().sum(axis=1) >= 2).sum()),
                            "alpha": krippendorff_alpha_nominal(units)})
        for a, b in combinations([c for c in coders if c in tab.columns], 2):
            both = tab[[a, b]].dropna()
            if both.empty:
                continue
            x, y = both[a].tolist(), both[b].tolist()
            rows.append({"field": f, "coder_a": a, "coder_b": b, "n": len(both),
                         "agree": float(np.mean(np.array(x, dtype=object) == np.array(y, dtype=object))),
                         "kappa": cohen_kappa(x, y), "alpha": krippendorff_alpha_nominal([[p, q] for p, q in zip(x, y)])})
            conf[(f, a, b)] = _confusion(x, y, a, b, order.get(f, ()))
            diff = both[both[a] != both[b]]
            conf_f = (model_conf or {}).get(f) if MODEL in (a, b) else None
            sure = (pd.Series(diff.index.map(conf_f), index=diff.index, dtype=float) if conf_f is not None
                    else pd.Series(np.nan, index=diff.index))
            surest_first = sure.sort_values(ascending=False, na_position="last", kind="stable").index
            for sid, r in diff.loc[surest_first].iterrows():
                dis.append({"field": f, "coder_a": a, "coder_b": b, st.STATEMENT_ID: sid, "value_a": r[a],
                            "value_b": r[b], "note_a": notes.get((sid, a), ""), "note_b": notes.get((sid, b), ""),
                            "model_conf": sure[sid],
                            st.TEXT: "" if texts is None else texts.get(sid, "")})
    pairs = pd.DataFrame(rows, columns=["field", "coder_a", "coder_b", "n", "agree", "kappa", "alpha"])
    return Agreement(pairs=pairs, overall=pd.DataFrame(overall, columns=["field", "coders", "units", "alpha"]),
                     confusion=conf, disagreements=pd.DataFrame(
                         dis, columns=["field", "coder_a", "coder_b", st.STATEMENT_ID, "value_a", "value_b",
                                       "note_a", "note_b", "model_conf", st.TEXT]))


def _confusion(x: list, y: list, a: str, b: str, order) -> pd.DataFrame:
    """The confusion table of two coders' values ``x`` (``a``, rows) and ``y`` (``b``, columns): square, the same
    labels on both axes — every label either coder used, in the taxonomy's (or the codebook's) order, a value
    that is none of them after, as written. Until 8 Dec 2026 each axis had only its own coder's labels: with
    ``praise`` used by one coder alone the table was 4 × 3, and its diagonal was no longer the agreement."""
    used = set(x) | set(y)
    labels = [v for v in order if v in used] + sorted(used - set(order), key=str)
    tab = pd.crosstab(pd.Series(x, name=f"{a} ↓"), pd.Series(y, name=f"{b} →"))
    return tab.reindex(index=labels, columns=labels, fill_value=0).rename_axis(
        index=f"{a} ↓", columns=f"{b} →")


def agreement_from_project(db: str | Path, *, model: bool = True) -> Agreement:
    """Coder vs coder and (with ``model``) model vs each coder, on a review project file
    (``pairs`` is empty when no statement was coded by two of them).

    On the statements that count, as every figure of the report: decisions on moderator turns and
    repeats (an older project's, or a coder's who asked for them) are left out of κ and α, and
    counted in ``left_out``; they stay in the project."""
    from voiceofcustomer.review.store import ReviewStore

    db = Path(db)
    store = ReviewStore.open_existing(db, "no such project file; give the .sqlite that `voc review --db` wrote "
                                          "(by default beside the first input)")
    try:
        human = store.coder_labels()
        book = store.codebook()
        fields = (*FIELDS, *book.ids)  # a team's codebook fields: coder vs coder
        if human.empty:
            raise InputError(f"{db}: no decisions yet; code some statements with `voc review` first")
        sts = store.statements_frame()
        notes = {(sid, c): text for sid, c, text in store.notes_frame()[[st.STATEMENT_ID, "coder", "note"]]
                 .itertuples(index=False)}
    finally:
        store.close()
    uncounted = set(sts.loc[sts["counted"].fillna(1).eq(0), st.STATEMENT_ID])
    left = human[st.STATEMENT_ID].isin(uncounted)
    left_out = int(human.loc[left, st.STATEMENT_ID].nunique())
    human = human[~left]
    if human.empty:
        raise InputError(f"{db}: the {left_out} decided statement(s) are all moderator turns or repeats, which "
                         "count nowhere; code statements that count with `voc review` first")
    coders = sorted(human["coder"].unique())
    texts = sts.set_index(st.STATEMENT_ID)[st.TEXT]
    wide, model_conf = human, None
    if model:
        decided = sts[sts[st.STATEMENT_ID].isin(set(human[st.STATEMENT_ID]))]
        m = decided[[st.STATEMENT_ID, *FIELDS]].assign(coder=MODEL)
        wide = pd.concat([m, human], ignore_index=True)
        coders = [MODEL, *coders]
        model_conf = {f: decided.set_index(st.STATEMENT_ID)[f"{f}_conf"] for f in FIELDS if f"{f}_conf" in decided}
    out = _compare(wide, coders, texts, fields, model_conf, notes, orders={f.id: f.value_ids for f in book.fields})
    out.left_out = left_out
    return out


def _shown(ids: list[str], k: int = 3) -> str:
    return ", ".join(ids[:k]) + (" …" if len(ids) > k else "")


def _skipped(frames: list[pd.DataFrame], paths) -> list[str]:
    """What of two tables is not compared, said per table: statements the other table has and this one lacks
    (deleted from a copy), and per field rows this one left blank where the other has a label (skipped). The
    pairs' ``n`` counts only what both coded; until 8 Dec 2026 the rest was left out without a word."""
    out = []
    ids = [list(f[st.STATEMENT_ID]) for f in frames]
    for k, (own, path) in enumerate(zip(frames, paths)):
        other, other_path = frames[1 - k], paths[1 - k]
        lacks = [i for i in ids[1 - k] if i not in set(ids[k])]
        if lacks:
            both = len(set(ids[0]) & set(ids[1]))
            out.append(f"{path}: {plural(len(lacks), 'statement')} of {Path(other_path).name} "
                       f"{'is' if len(lacks) == 1 else 'are'} not in it ({_shown(lacks)}): compared on the "
                       f"{both:,} both hold")
        labelled = other.set_index(st.STATEMENT_ID)
        by_rows: dict[tuple, list[str]] = {}  # the same rows skipped in every field: said once
        for f in FIELDS:
            if labelled[f].isna().all() or own[f].isna().all():
                continue  # a field one of the tables has not
            blank = tuple(i for i, v in zip(own[st.STATEMENT_ID], own[f])
                          if st.is_missing(v) and i in labelled.index and not st.is_missing(labelled.at[i, f]))
            if blank:
                by_rows.setdefault(blank, []).append(f)
        for blank, fields in by_rows.items():
            out.append(f"{path}: {', '.join(fields)} blank in {plural(len(blank), 'row')} ({_shown(list(blank))}): "
                       "compared on the rows both coded")
    return out


def _with_zh_names(ids: pd.Series, names: pd.Series, field: str, keys: pd.Series, path) -> pd.Series:
    """A table's label ids of ``field`` read with the Chinese names ``voc export`` writes beside them
    (``servqual_zh``): a row whose id is blank takes its name's label; a row whose id and name are of two labels
    (a coder who changed 移情性 to 可靠性 in ``servqual_zh`` and left ``servqual`` as it was) stops with one line
    naming the rows — compared on either, the other coder's change would be lost unseen."""
    zh, _ = label_ids(names, field)
    zh = zh.where(zh.isin(LABELS[field]))  # a name that is no label's: the id column decides
    differ = ids.isin(LABELS[field]) & zh.notna() & (ids != zh)
    if differ.any():
        rows = [f"{key} ({a!r} / {ZH[field].get(b, b)!r})" for key, a, b in
                zip(keys[differ], ids[differ], zh[differ])]
        raise DataQualityError(
            f"{path}: {field} and {field}_zh name different labels in {plural(len(rows), 'row')}: {_shown(rows)}; "
            f"write the coder's label in both columns (or clear {field}_zh) and compare again")
    return ids.where(ids.notna(), zh)


def agreement_from_tables(path_a: str | Path, path_b: str | Path, *, key: str | None = None,
                          text_col: str | None = None) -> Agreement:
    """Two labelled tables (e.g. two coders' copies of one Excel sheet), matched on ``key``; compares
    every label field both have.

    The tables' text column is found as every reader of statements finds it
    (:func:`voiceofcustomer.statements.open_statements`): ``text``, a known name, or the column a Parquet or
    Excel output of ``voc tag --text-col COL`` remembers; ``text_col`` names it when none of these tells it
    (a CSV output of ``voc tag --text-col 工单摘要``, which cannot remember it).

    Without ``key``, rows are matched on their ids when both tables have an id column of their own
    (``statement_id``, or one found by name such as 工单编号), else on the text: the ``file:row``
    ids the reader gives rows without one say nothing about which statement a row is.

    Keys that repeat follow the review project's rule (:func:`voiceofcustomer.review.store.unique_ids`):
    a row with the key *and* text of an earlier row is compared once, and a row that shares a key with
    a row of other text (a ticket's second statement under ``--key 工单编号``) is matched as ``<key>#2``,
    ``#3`` … in table order; ``notes`` says how many of each. Until 6 Dec 2026 only the last row of a
    key was compared, silently.

    Raises:
        ColumnError: ``key`` is not a column of a table, or a table has no label columns.
        DataQualityError: no row of one table matches a row of the other (give ``key``).
    """
    from voiceofcustomer.review.export import CODER_NOTE, zh_column
    from voiceofcustomer.review.store import unique_ids
    from voiceofcustomer.statements import open_statements

    sources = [open_statements(p, text_col=text_col) for p in (path_a, path_b)]
    k = key or (st.STATEMENT_ID if all(s.id_col is not None for s in sources) else st.TEXT)
    names = [Path(path_a).stem, Path(path_b).stem]
    if names[0] == names[1]:
        names = ["a", "b"]
    frames, notes, said = [], [], {}
    for p, source, coder in zip((path_a, path_b), sources, names):
        df = source.read()
        if k not in df.columns:
            guess = column_guess(k, source.columns) if key else ""
            raise ColumnError(f"{p}: no {k!r} column to match rows on{guess}; give key= with a column both tables have; "
                              f"columns are: {', '.join(map(str, source.columns))}", params=("key",))
        if not any(f in df.columns for f in FIELDS):
            raise ColumnError(f"{p}: no label columns ({', '.join(FIELDS)}); give tables labelled by `voc tag` "
                              "or exported from a review project (`voc export`)")
        out = pd.DataFrame({st.STATEMENT_ID: df[k].astype(str), st.TEXT: df[st.TEXT].astype(str)})
        for f in FIELDS:
            if f not in df.columns:
                out[f] = None
                continue
            out[f], unknown = label_ids(df[f], f)
            if zh_column(f) in df.columns:  # voc export's Chinese name beside the id: a coder may have changed either
                out[f] = _with_zh_names(out[f], df[zh_column(f)], f, df[k].astype(str), p)
            if unknown:
                known = ", ".join(f"{label}/{ZH[f][label]}" for label in LABELS[f])
                shown = ", ".join(repr(v) for v in unknown[:5]) + (" …" if len(unknown) > 5 else "")
                notes.append(f"{p}: {f} holds {plural(len(unknown), 'value')} that {'is' if len(unknown) == 1 else 'are'} "
                             f"no label of {f}: {shown}; compared as written, so {'it disagrees' if len(unknown) == 1 else 'they disagree'} "
                             f"with every label; write one of {known}")
        # the coders' notes a review export carries (coder_note, "wang: …" a line per coder), as the table has them
        out[CODER_NOTE] = (df[CODER_NOTE].map(lambda v: "" if st.is_missing(v) else str(v).strip())
                           if CODER_NOTE in df.columns else "")
        out, repeated, renamed = unique_ids(out)
        said.update({(sid, coder): text for sid, text in zip(out[st.STATEMENT_ID], out[CODER_NOTE]) if text})
        name = source.id_col if k == st.STATEMENT_ID else k
        if repeated:
            notes.append(f"{p}: {plural(repeated, 'row')} with the {name} and text of an earlier row compared once")
        if renamed:
            notes.append(f"{p}: {plural(len(renamed), 'row shares', 'rows share')} a {name} with a row of other text: matched in table "
                         f"order as {', '.join(renamed[:3])}{' …' if len(renamed) > 3 else ''}")
        frames.append(out.drop(columns=[CODER_NOTE]))
    if not set(frames[0][st.STATEMENT_ID]) & set(frames[1][st.STATEMENT_ID]):
        what, instead = ("text", "a column both tables have, e.g. key='工单编号'") if k == st.TEXT else \
            (k, "another column, e.g. key='text'")
        raise DataQualityError(f"{path_a}, {path_b}: no {what} of one table is in the other, so no statement can "
                               f"be compared; match the rows on {instead}", params=("key",))
    notes += _skipped(frames, (path_a, path_b))
    wide = pd.concat([frames[0].assign(coder=names[0]), frames[1].assign(coder=names[1])], ignore_index=True)
    texts = frames[0].set_index(st.STATEMENT_ID)[st.TEXT]
    out = _compare(wide.drop(columns=[st.TEXT]), names, texts, notes=said)
    out.notes = notes
    return out
