"""Open or create a review project from ``voc tag`` outputs (or any tagged statements table)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from voiceofcustomer import statements as st
from voiceofcustomer.errors import ColumnError, InputError, plural
from voiceofcustomer.review.store import ReviewStore, create_project

__all__ = ["open_project", "default_db", "read_speakers", "apply_speakers"]


def default_db(inputs: Sequence[str | Path]) -> Path:
    """``review.sqlite`` beside the first input."""
    return Path(inputs[0]).with_name("review.sqlite")


def read_speakers(path: str | Path) -> pd.DataFrame:
    """A speakers CSV: ``speaker`` and ``speaker_attrs`` (or ``attrs``), optionally ``session``."""
    from voiceofcustomer.io.readers import detect_encoding

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: speakers file not found")
    df = pd.read_csv(path, dtype=str, encoding=detect_encoding(path), keep_default_na=False)
    if "attrs" in df.columns and st.SPEAKER_ATTRS not in df.columns:
        df = df.rename(columns={"attrs": st.SPEAKER_ATTRS})
    missing = [c for c in (st.SPEAKER, st.SPEAKER_ATTRS) if c not in df.columns]
    if missing:
        raise ColumnError(f"{path}: a speakers file needs columns speaker and speaker_attrs (missing: "
                          f"{', '.join(missing)})")
    return df


def apply_speakers(df: pd.DataFrame, speakers: pd.DataFrame) -> pd.DataFrame:
    """Fill ``speaker_attrs`` from a speakers table (by session and speaker when both have a session)."""
    if st.SPEAKER not in df.columns:
        return df
    keys = [st.SESSION, st.SPEAKER] if st.SESSION in speakers.columns and st.SESSION in df.columns else [st.SPEAKER]
    table = speakers.drop_duplicates(keys, keep="last").set_index(keys)[st.SPEAKER_ATTRS]
    idx = pd.MultiIndex.from_frame(df[keys].astype(str)) if len(keys) > 1 else df[st.SPEAKER].astype(str)
    found = pd.Series(table.reindex(idx).to_numpy(), index=df.index)
    old = df[st.SPEAKER_ATTRS] if st.SPEAKER_ATTRS in df.columns else pd.Series("", index=df.index)
    df = df.copy()
    df[st.SPEAKER_ATTRS] = found.where(found.notna() & (found != ""), old.fillna(""))
    return df


def open_project(inputs: Sequence[str | Path], db: str | Path | None = None, *,
                 speakers: str | Path | None = None, items: str | Path | None = None,
                 codebook: str | Path | None = None, progress=None,
                 text_col: str | Sequence[str] | None = None,
                 id_col: str | Sequence[str] | None = None) -> ReviewStore:
    """Create (or reopen and extend) the project file ``db`` from tagged tables (and candidate items).

    ``text_col``: the tables' text column (``voc tag X --text-col COL``), when it cannot be told from its
    name or from what a Parquet or Excel output of ``voc tag`` remembers; several (``["客户原话", "回访实录"]``)
    for tables whose text is in different columns, each reading the one of them it has. ``id_col``: the tables' id
    column (受理流水, 回访序号) when no known name tells it, one or several as ``text_col``: the statements keep
    those ids (else ``file:row``).

    ``codebook``: a team's codebook file (:mod:`voiceofcustomer.labels.codebook`); it is stored in
    the project (replacing an earlier one), so reopening without it keeps the team's fields.
    """
    book = None
    if codebook:
        from voiceofcustomer.labels.codebook import load_codebook

        book = load_codebook(codebook)  # validate before touching the project file
        path = Path(db) if db else (default_db(inputs) if inputs else None)
        if path is not None and path.is_file():  # an edited file must keep what the decisions use
            existing = ReviewStore.open_existing(path)
            try:
                existing.check_codebook(book)
            finally:
                existing.close()
    store = _open_statements(inputs, db, speakers=speakers, progress=progress, text_col=text_col, id_col=id_col)
    if book is not None:
        store.set_codebook(book)
    if items:
        from voiceofcustomer.review.items import ItemBook

        store.items_added = ItemBook(store).load(items)
    return store


def _open_statements(inputs, db, *, speakers, progress, text_col=None, id_col=None) -> ReviewStore:
    from voiceofcustomer.io.readers import read_statements
    from voiceofcustomer.review.export import as_tagged

    if not inputs and db is None:
        raise InputError("give a tagged table (voc tag output) or an existing project file with db=", params=("db",))
    db = Path(db) if db else default_db(inputs)
    if not inputs:
        return ReviewStore.open_existing(db, "no such project file; give the tagged table(s) to start one")
    frames = []
    for p in inputs:
        df = read_statements(p, text_col=text_col, id_col=id_col)
        missing = [f for f in st.LABEL_FIELDS if f not in df.columns]
        if missing:  # said of the file it is: with several inputs, 'the input' did not say which
            raise InputError(f"{p}: no model labels ({', '.join(missing)}); run `voc tag` on it first "
                             f"(`voc tag {p} -o tagged.xlsx`) and review tagged.xlsx")
        if st.SOURCE not in df.columns:
            df[st.SOURCE] = Path(p).name
        frames.append(as_tagged(df))  # a coded.xlsx of an earlier round: its labels are the suggestions
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if speakers:
        before = df[st.SPEAKER_ATTRS].fillna("").astype(str) if st.SPEAKER_ATTRS in df.columns else None
        df = apply_speakers(df, read_speakers(speakers))
        if progress and before is not None:  # the file wins: say where it replaced what the header gave
            replaced = (before != "") & (before != df[st.SPEAKER_ATTRS].astype(str))
            if replaced.any():
                who = df.loc[replaced, st.SPEAKER].astype(str).drop_duplicates()
                first = who.index[0]
                progress(f"{speakers}: the file's attributes replace the transcript header's for "
                         f"{plural(len(who), 'speaker')} (e.g. {who.iloc[0]}: {before[first]} → "
                         f"{df.at[first, st.SPEAKER_ATTRS]})")
    return create_project(df, db, progress=progress)
