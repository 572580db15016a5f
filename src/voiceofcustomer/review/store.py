"""The review project file: one SQLite database per project.

Why SQLite: a project must survive ``kill -9`` mid-save and be reopened where the
coder stopped, by one coder after another. WAL mode plus one transaction per
decision gives exactly that with the standard library. The file holds the
statements (with the model's labels and confidences, and both queue orders) and
every human decision (field, value, coder, time); an undo marks decisions as
undone instead of deleting them, so the history stays auditable.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from pathlib import Path
import numpy as np
import pandas as pd

from voiceofcustomer import statements as st
from voiceofcustomer.errors import InputError, plural
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS
from voiceofcustomer.review.definitions import note_zh

__all__ = ["ReviewStore", "create_project", "unique_ids", "counted_rows", "read_extra", "StaleError", "NotFoundError",
           "SCHEMA_VERSION", "NOTE_MAX"]

#: 1: statements, decisions (and the themes' and items' tables, made when first used); 2 (7 Dec 2026): coders'
#: notes (``notes``). A project of version 1 opens as it was and gets the notes table (:meth:`ReviewStore._migrate`)
SCHEMA_VERSION = "2"

#: the longest coder's note, in characters: a memo on one statement, not a document
NOTE_MAX = 2000

#: statement columns copied into their own SQL columns (others go to ``extra`` as JSON)
_COLUMNS = (st.STATEMENT_ID, st.SOURCE, st.SESSION, st.GROUP, st.SPEAKER, st.ROLE, st.SPEAKER_ATTRS, st.TURN,
            st.PROMPT_TURN, st.THREAD, st.TEXT, st.TEXT_RAW, st.TOPIC, st.TOPIC_LABEL)
_SQL_NAME = {st.GROUP: "grp"}  # "group" is an SQL keyword

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS statements (
    rid INTEGER PRIMARY KEY,
    statement_id TEXT NOT NULL UNIQUE,
    source TEXT, session TEXT, grp TEXT, speaker TEXT, role TEXT, speaker_attrs TEXT,
    turn INTEGER, prompt_turn INTEGER, thread TEXT, text TEXT, text_raw TEXT, topic TEXT, topic_label TEXT,
    {", ".join(f"{f} TEXT, {f}_conf REAL, h_{f} TEXT" for f in FIELDS)},
    min_conf REAL, teach_rank INTEGER, random_rank INTEGER, extra TEXT, counted INTEGER
);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch INTEGER NOT NULL,
    rid INTEGER NOT NULL REFERENCES statements(rid),
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    coder TEXT NOT NULL,
    at TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rid INTEGER NOT NULL REFERENCES statements(rid),
    coder TEXT NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_st_teach ON statements(teach_rank);
CREATE INDEX IF NOT EXISTS ix_st_random ON statements(random_rank);
CREATE INDEX IF NOT EXISTS ix_st_thread ON statements(thread, rid);
CREATE INDEX IF NOT EXISTS ix_st_session ON statements(session, turn);
CREATE INDEX IF NOT EXISTS ix_st_source ON statements(source);
CREATE INDEX IF NOT EXISTS ix_st_grp ON statements(grp);
CREATE INDEX IF NOT EXISTS ix_dec_rid ON decisions(rid, coder, undone);
CREATE INDEX IF NOT EXISTS ix_dec_coder ON decisions(coder, undone, batch);
CREATE INDEX IF NOT EXISTS ix_note_rid ON notes(rid, coder, id);
"""


_ANY = object()  # decide(seen=) not given: no check


class StaleError(InputError):
    """A request that no longer fits the project state (nothing to undo, ...)."""


class NotFoundError(InputError):
    """A statement id that is not in the project."""


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


def read_extra(extra: str | None) -> dict:
    """The input columns kept in ``extra`` (JSON), ``{}`` when none or unreadable."""
    try:
        value = json.loads(extra) if extra else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _extra_value(extra: str | None, column: str) -> str:
    """One input column kept in ``extra`` (JSON), as text ("" when absent)."""
    value = read_extra(extra).get(column)
    return "" if value is None else str(value)


#: at most this many of a ticket's own columns on a row, each value cut to this many characters
OWN_COLUMNS_MAX, OWN_VALUE_MAX = 8, 60

#: SQL: the statement counts in frequencies, items, themes and the report (``counted``, set by the one rule,
#: :func:`voiceofcustomer.statements.counted_mask`: moderator turns, rows with no text and repeats do not)
COUNTED = "COALESCE(s.counted, 1) = 1"


def counted_rows(statements: pd.DataFrame) -> np.ndarray:
    """:data:`COUNTED` of :meth:`ReviewStore.statements_frame`'s rows, as a boolean array (a row without the flag,
    of a project written before it, counts): what ``voc export``'s ``counted`` says and a curated set's members are."""
    return statements["counted"].map(lambda c: c is None or pd.isna(c) or bool(c)).to_numpy(dtype=bool)


def own_columns(r: sqlite3.Row, *, limit: int = OWN_COLUMNS_MAX, width: int = OWN_VALUE_MAX) -> list[list[str]]:
    """A ticket's own columns (受理时间, 区县, 渠道 … whatever the export had; not the tool's, see
    :func:`voiceofcustomer.statements.own_columns`) as ``[name, value]`` text pairs for the coder, after a
    transcript's section and date (:data:`voiceofcustomer.statements.SHOWN_COLUMNS`): the
    first ``limit`` with a value, each cut to ``width`` characters. A column that only repeats the
    statement's text or id (the export's own 投诉内容 or 工单编号) is left out."""
    extra = read_extra(r["extra"])
    same = {str(r["text"] or "").strip(), str(r["statement_id"] or "").strip()}
    out = []
    for c in [c for c in st.SHOWN_COLUMNS if c in extra] + st.own_columns(extra):
        v = extra[c]
        v = "" if v is None else str(v).strip()
        if not v or v in same:
            continue
        out.append([c[:width], v if len(v) <= width else v[:width - 1] + "…"])
        if len(out) == limit:
            break
    return out


def _clean(v):
    if v is None:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (pd.Timestamp, _dt.date)):
        return str(v)
    return v


def _int_or_none(v):
    v = _clean(v)
    if v is None or v == "":
        return None
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return None


_SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite_file(path: str | Path) -> bool:
    """Whether ``path`` is a file that starts as an SQLite database does: a review project (or a file
    :func:`check_project_file` refuses in one line), never a table or transcript to read."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


def check_project_file(path: str | Path) -> None:
    """One line unless ``path`` is a review project file, checked read-only before it is opened.

    Why: opening runs the schema (``CREATE TABLE IF NOT EXISTS``), so ``voc export`` given an empty
    file or another program's SQLite database wrote a project's tables into it and exported an empty
    table as if all was well; a folder was 'not a review project file'."""
    path = Path(path)
    give = "give the .sqlite that `voc review` wrote"
    give_zh = "请给出 voc review 写出的 .sqlite 文件"
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file; {give} (e.g. {path / 'review.sqlite'})",
                         zh=f"{path}：是文件夹，不是文件；{give_zh}（例如 {path / 'review.sqlite'}）")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__}); check its "
                         "permissions", zh=f"{path}：无法读取（{exc.strerror or type(exc).__name__}）；请检查它的权限") from None
    if not head:
        raise InputError(f"{path}: file is empty, not a review project file; {give}",
                         zh=f"{path}：文件是空的，不是审阅项目文件；{give_zh}")
    if head != _SQLITE_MAGIC:
        raise InputError(f"{path}: not a review project file; {give}", zh=f"{path}：不是审阅项目文件；{give_zh}")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: not a review project file ({exc}); {give}",
                         zh=f"{path}：不是审阅项目文件（{exc}）；{give_zh}") from None
    if not {"statements", "decisions"} <= tables:
        raise InputError(f"{path}: an SQLite database but not a review project (no statements and decisions "
                         f"tables); {give}", zh=f"{path}：是 SQLite 数据库，但不是审阅项目（没有 statements 和 "
                                             f"decisions 表）；{give_zh}")


def connect(path: str | Path) -> sqlite3.Connection:
    """Open a project file in WAL mode (each connection belongs to one thread)."""
    con = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")  # a saved decision is on disk when the request returns
    con.execute("PRAGMA foreign_keys=ON")
    return con


def create_project(df: pd.DataFrame, path: str | Path, *, seed: int = 20261204,
                   progress=None) -> "ReviewStore":
    """Write a new project file from a tagged statements table, with both queue orders.

    Statements already in an existing project (same ``statement_id``) are kept with
    their decisions; new ones are appended (reopening never loses work).
    """
    from voiceofcustomer.review.queue import random_order, teach_order

    path = Path(path)
    if st.TEXT not in df.columns:
        raise InputError(f"{path}: the input has no 'text' column; give a `voc tag` output or a statements table")
    df = df.reset_index(drop=True).copy()
    if st.STATEMENT_ID not in df.columns:
        df[st.STATEMENT_ID] = [f"row{i + 1}" for i in range(len(df))]
    df[st.STATEMENT_ID] = df[st.STATEMENT_ID].astype(str)
    missing_labels = [f for f in FIELDS if f not in df.columns]
    if missing_labels:
        raise InputError(f"the input has no model labels ({', '.join(missing_labels)}); run `voc tag` on it first")
    for f in FIELDS:
        conf = f"{f}_conf"
        df[conf] = pd.to_numeric(df[conf], errors="coerce").fillna(0.0) if conf in df.columns else 0.0
    df[st.TEXT] = df[st.TEXT].fillna("").astype(str)
    df, repeated, renamed = unique_ids(df)
    if progress and repeated:
        progress(f"{plural(repeated, 'repeated row')} (same id and text as an earlier row) kept once")
    if progress and renamed:
        progress(f"{plural(len(renamed), 'row shares', 'rows share')} an id with a row of other text: given the ids "
                 f"{', '.join(renamed[:3])}{' …' if len(renamed) > 3 else ''}")
    known = set(_COLUMNS) | set(FIELDS) | {f"{f}_conf" for f in FIELDS}
    extra_cols = [c for c in df.columns if c not in known and c != st.NEEDS_REVIEW]
    _check_one_theme_set(df, path)  # before a new project file is made
    if Path(path).exists() and (Path(path).is_dir() or Path(path).stat().st_size):  # an empty file may become one
        check_project_file(path)
    _make_folder(path)
    store = ReviewStore(path)
    con = store.con
    existing = {r[0]: r[1] for r in con.execute("SELECT statement_id, text FROM statements")}
    renumbered: list[tuple[str, str]] = []
    if existing:  # reopening: order only the statements that are new
        renumbered = _renumber_old_ids(store, df, existing)
        if progress and renumbered:
            progress(f"{plural(len(renumbered), 'statement')} of the project's earlier numbering now under the "
                     f"input's ids ({', '.join(f'{a} → {b}' for a, b in renumbered[:3])}"
                     f"{' …' if len(renumbered) > 3 else ''}), decisions kept")
        try:
            _check_same_texts(df, existing, path)
        except InputError:
            store.close()
            raise
        themed = _themes_for_unthemed(con, df[df[st.STATEMENT_ID].isin(existing)])
        df = df[~df[st.STATEMENT_ID].isin(existing)].reset_index(drop=True)
    else:
        themed = df.iloc[:0]
    try:
        _check_one_theme_set(pd.concat([df, themed]) if len(themed) else df, path, _theme_names_held(con))
    except InputError:
        store.close()
        raise
    if progress and len(themed):
        n_themes = themed[st.TOPIC].map(lambda v: _topic_id(_clean(v))).nunique()
        progress(f"{plural(len(themed), 'statement')} of the project had no theme: given the input's "
                 f"({plural(n_themes, 'theme')}), decisions kept")
    min_conf = df[[f"{f}_conf" for f in FIELDS]].to_numpy(dtype=float).min(axis=1)
    counts = st.counted_mask(df)
    if progress and len(df):
        progress(f"ordering the queue of {plural(len(df), 'new statement')}")
    teach = teach_order(df[st.TEXT].tolist(), df[[f"{f}_conf" for f in FIELDS]].to_numpy(dtype=float), seed=seed)
    rnd = random_order(len(df), seed=seed)
    start = con.execute("SELECT COALESCE(MAX(rid), 0) FROM statements").fetchone()[0]
    offset = con.execute("SELECT COALESCE(MAX(teach_rank), 0) FROM statements").fetchone()[0]
    cols = [*(_SQL_NAME.get(c, c) for c in _COLUMNS), *FIELDS, *(f"{f}_conf" for f in FIELDS),
            "min_conf", "teach_rank", "random_rank", "extra", "counted"]
    sql = f"INSERT INTO statements (rid, {', '.join(cols)}) VALUES ({', '.join('?' * (len(cols) + 1))})"
    records = df.to_dict("records")
    rows = []
    for i, rec in enumerate(records):
        vals = []
        for c in _COLUMNS:
            v = _clean(rec.get(c))
            if c in (st.TURN, st.PROMPT_TURN):
                v = _int_or_none(v)
            elif c == st.TOPIC and v is not None:
                v = _topic_id(v)
            elif v is not None:
                v = str(v)
            vals.append(v)
        vals += [None if _clean(rec.get(f)) is None else str(rec[f]) for f in FIELDS]
        vals += [float(rec[f"{f}_conf"]) for f in FIELDS]
        extra = {c: _clean(rec.get(c)) for c in extra_cols}
        vals += [float(min_conf[i]), int(teach[i]) + offset, int(rnd[i]) + offset,
                 json.dumps(extra, ensure_ascii=False, default=str), int(counts[i])]
        rows.append([start + i + 1, *vals])
    with store.transaction():
        con.executemany(sql, rows)
        for rec in themed.to_dict("records"):
            old = read_extra(con.execute("SELECT extra FROM statements WHERE statement_id = ?",
                                         (rec[st.STATEMENT_ID],)).fetchone()[0])
            extra = {**{c: _clean(rec.get(c)) for c in extra_cols if c not in old}, **old}
            con.execute("UPDATE statements SET topic = ?, topic_label = ?, extra = ? WHERE statement_id = ?",
                        (_topic_id(_clean(rec[st.TOPIC])), None if _clean(rec.get(st.TOPIC_LABEL)) is None
                         else str(rec[st.TOPIC_LABEL]), json.dumps(extra, ensure_ascii=False, default=str),
                         rec[st.STATEMENT_ID]))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        con.execute("INSERT OR IGNORE INTO meta VALUES ('created', ?)", (utc_now(),))
    store.added = len(rows)
    store.repeated, store.renamed, store.renumbered = repeated, renamed, renumbered
    store.themed = len(themed)
    return store


def _themes_for_unthemed(con: sqlite3.Connection, known: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``known`` (input rows the project holds, same id and text) that bring a theme to a
    statement the project holds without one.

    Why: a team codes its tagged export first and runs ``voc themes`` on it later; reopening the project with
    the themes' ``statement_topics.csv`` added only new ids, so every statement kept its lack of a theme:
    ``voc review`` said "0 new" and the themes view was empty, silently. A statement that has a theme keeps
    it (the project's, perhaps curated since)."""
    if st.TOPIC not in known.columns or known.empty:
        return known.iloc[:0]
    has = known[st.TOPIC].map(lambda v: _clean(v) is not None and str(v).strip() != "")
    known = known[has.to_numpy(dtype=bool)]
    if known.empty:
        return known
    bare = {r[0] for r in con.execute("SELECT statement_id FROM statements WHERE topic IS NULL OR topic = ''")}
    return known[known[st.STATEMENT_ID].isin(bare)]


def _renumber_old_ids(store: "ReviewStore", df: pd.DataFrame, existing: dict[str, str | None]) -> list[tuple[str, str]]:
    """Give a project's statements of the earlier numbering of a repeated id the ids the input has now, in
    place (``existing`` too); returns the (old id, new id) pairs.

    Why: ``voc themes`` before 6 Dec 2026 numbered every row of a repeated id, ``T1005#1`` and ``T1005#2``;
    :func:`voiceofcustomer.statements.numbered_ids` keeps the first row's id, ``T1005``. A project made from
    such a ``statement_topics.csv`` and reopened with a newer one took ``T1005`` for a new statement: the
    ticket twice in the queue and in every count, and its decisions on an id the input no longer has. The
    project's ``X#1`` becomes ``X`` when the input has ``X`` with the same text and no ``X#1``, and the
    project has no ``X``; decisions and theme edits follow (they are kept by row, not by id). A later row of
    such an id with the first row's text (the same ticket exported twice) that the input flags ``is_duplicate``
    or does not have (a tagged export keeps it once) no longer counts, as in a project opened on the input;
    its decisions stay."""
    ids = df[st.STATEMENT_ID].tolist()
    given = dict(zip(ids, df[st.TEXT]))
    pairs = [(sid, sid[:-2]) for sid, text in existing.items()
             if sid.endswith("#1") and sid[:-2] in given and sid[:-2] not in existing and sid not in given
             and str(given[sid[:-2]]).strip() == str(text or "").strip()]
    if not pairs:
        return []
    repeat = dict(zip(ids, st.truthy(df[st.IS_DUPLICATE]) if st.IS_DUPLICATE in df.columns
                      else np.zeros(len(df), bool)))
    bases = {new for _, new in pairs}
    # a later row of the id with the first row's text: the same ticket again, flagged by the input (a newer
    # themes output) or left out of it (the tagged export keeps a repeated row once)
    moved = {old for old, _ in pairs}
    repeats = [sid for sid in existing if "#" in sid and sid.rsplit("#", 1)[0] in bases and sid not in moved
               and (repeat.get(sid) or sid not in given)
               and str(given[sid.rsplit("#", 1)[0]]).strip() == str(existing[sid] or "").strip()]
    con = store.con
    with store.transaction():
        con.executemany("UPDATE statements SET statement_id = ? WHERE statement_id = ?", [(b, a) for a, b in pairs])
        for sid in repeats:
            extra = read_extra(con.execute("SELECT extra FROM statements WHERE statement_id = ?",
                                           (sid,)).fetchone()[0])
            con.execute("UPDATE statements SET counted = 0, extra = ? WHERE statement_id = ?",
                        (json.dumps({**extra, st.IS_DUPLICATE: True}, ensure_ascii=False, default=str), sid))
        if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'theme_edits'").fetchone():
            new_id = dict(pairs)
            for eid, detail in con.execute("SELECT id, detail FROM theme_edits WHERE op = 'move'").fetchall():
                d = json.loads(detail)
                if d.get("statement_id") in new_id:
                    d["statement_id"] = new_id[d["statement_id"]]
                    con.execute("UPDATE theme_edits SET detail = ? WHERE id = ?",
                                (json.dumps(d, ensure_ascii=False), eid))
    for old, new in pairs:
        existing[new] = existing.pop(old)
    return pairs


def _make_folder(path: Path) -> None:
    """Make the folder a new project file goes in, as every output's writer does (``io.writers.atomic_path``).

    Why: ``voc review tagged.xlsx --db proj/review.sqlite`` with no ``proj/`` yet said 'not a review project
    file (unable to open database file); give … a new file name', a new file name being what was given,
    where ``voc export -o proj/coded.xlsx`` and ``voc agreement -o`` make the folder."""
    above = next((p for p in path.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise InputError(f"{path}: {above} is a file, not a folder; give db= a project file in a folder",
                         params=("db",))
    path.parent.mkdir(parents=True, exist_ok=True)


def _check_same_texts(df: pd.DataFrame, existing: dict[str, str | None], path: Path) -> None:
    """Refuse an input whose statements' ids the project holds with other text.

    Why: reopening adds only the ids that are new, so a project given another input (another group's
    transcript of the same file name, a ticket export whose ids the project already holds) kept its
    own texts under those ids and dropped the input's, silently: ``voc review`` said "0 new" and the
    coder reviewed the project's statements thinking they were the input's."""
    known = df[df[st.STATEMENT_ID].isin(existing)]
    other = [(sid, text) for sid, text in zip(known[st.STATEMENT_ID], known[st.TEXT])
             if str(existing[sid] or "").strip() != str(text).strip()]
    if not other:
        return
    sid, text = other[0]
    source = known.loc[known[st.STATEMENT_ID] == sid, st.SOURCE].iloc[0] if st.SOURCE in known.columns else None
    cut = lambda t: repr(t if len(t) <= 24 else t[:23] + "…")  # noqa: E731
    raise InputError(
        f"{path}: {len(other)} of the input's {len(df)} statements"
        + (f" (source {source})" if not st.is_missing(source) and str(source).strip() else "")
        + f" have an id this project holds with other text ({sid}: {cut(str(text).strip())} in the input, "
        f"{cut(str(existing[sid] or '').strip())} in the project); the project was made from another input or "
        "an earlier version of it, and its decisions belong to its own texts: give a new project file with "
        "db=NEW.sqlite, or give the input the project was made from", params=("db",))


def _topic_id(v) -> str:
    """A theme id as the project keeps it: 3, 3.0 and "3" are one theme id."""
    iv = _int_or_none(v)
    return str(iv) if iv is not None and str(v).replace(".0", "").lstrip("-").isdigit() else str(v)


def _theme_names_held(con: sqlite3.Connection) -> dict[str, set]:
    """A project's theme ids → their names, as ``voc themes`` gave them and as curated in the themes view."""
    held: dict[str, set] = {}
    for tid, label in con.execute("SELECT DISTINCT topic, topic_label FROM statements WHERE topic IS NOT NULL "
                                  "AND topic_label IS NOT NULL AND topic_label != ''"):
        held.setdefault(tid, set()).add(label)
    if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'themes'").fetchone():
        for tid, label in con.execute("SELECT theme_id, label FROM themes"):
            held.setdefault(tid, set()).add(label)
    return held


def _check_one_theme_set(df: pd.DataFrame, path: Path, held: dict[str, set] | None = None) -> None:
    """Refuse new statements whose theme ids name other themes than the project's or each other's.

    Why: a project holds one set of themes, keyed by the theme id of ``voc themes`` (0, 1, 2 …). Two
    runs' outputs given together (a focus group's and a ticket export's ``statement_topics.csv``), or
    another run's added to a project, numbered their themes alike: the project made one theme of each
    number under one run's name, so a focus group's 宽带、信号 statements were listed, filtered, merged and
    exported as the tickets' 客服电话、人工, and the other run's names were gone."""
    if st.TOPIC not in df.columns or st.TOPIC_LABEL not in df.columns or df.empty:
        return
    held = held or {}  # the project's (:func:`_theme_names_held`)
    sources = df[st.SOURCE] if st.SOURCE in df.columns else pd.Series("", index=df.index)
    first: dict[str, tuple[str, str]] = {}
    again = "run `voc themes` once over all the inputs (voc themes A B -o themes/) and review its statement_topics"
    for tid, label, source in zip(df[st.TOPIC], df[st.TOPIC_LABEL], sources):
        if st.is_missing(tid) or st.is_missing(label) or not str(label).strip():
            continue
        tid, label = _topic_id(_clean(tid)), str(label).strip()
        source = "" if st.is_missing(source) or not str(source).strip() else f" in {source}"
        if tid in held and label not in held[tid]:
            raise InputError(f"{path}: the input names theme {tid} {label!r}{source}, which this project holds as "
                             f"{sorted(held[tid])[0]!r}: it comes from another `voc themes` run than the project's, "
                             "and a project holds one set of themes; give a new project file with db=NEW.sqlite, or "
                             f"{again}", params=("db",))
        label0, source0 = first.setdefault(tid, (label, source))
        if label != label0:
            raise InputError(f"{path}: the inputs name theme {tid} both {label0!r}{source0} and {label!r}{source}: "
                             "they come from two `voc themes` runs, and a project holds one set of themes (it would "
                             f"make one theme of the two); {again}, or review each run in a project of its own "
                             "(db=NEW.sqlite)", params=("db",))


def unique_ids(df: pd.DataFrame) -> tuple[pd.DataFrame, int, list[str]]:
    """Make ``statement_id`` unique, as a ticket export needs: a row that repeats an earlier row's id
    *and* text (the same ticket exported twice, or one file given twice) is kept once; a row that
    shares an id with a row of other text keeps its text under ``<id>#2``, ``<id>#3`` … (in input
    order, so reopening with the same or a grown export gives the same ids).

    Returns the table, how many repeated rows were dropped, and the new ids.
    """
    ids = df[st.STATEMENT_ID]
    if not ids.duplicated().any():
        return df, 0, []
    same = df.duplicated([st.STATEMENT_ID, st.TEXT])
    df = df[~same].reset_index(drop=True)
    df[st.STATEMENT_ID], renamed = st.numbered_ids(df[st.STATEMENT_ID])
    return df, int(same.sum()), renamed


def _check_note(text) -> str:
    """A coder's note as it is kept (its ends stripped), or one line saying why not."""
    if not isinstance(text, str):
        raise InputError("a note must be text", zh="备注须为文字")
    text = text.strip()
    if len(text) > NOTE_MAX:
        raise InputError(f"a note has at most {NOTE_MAX} characters, this one {len(text)}; shorten it",
                         zh=f"备注最多 {NOTE_MAX} 个字，这条有 {len(text)} 个；请缩短")
    return text


class ReviewStore:
    """A review project file: statements, model labels, and every human decision."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.con = connect(self.path)
            self.con.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a review project file ({exc}); give a .sqlite written by "
                             "`voc review` or a new file name",
                             zh=f"{self.path}：不是审阅项目文件（{exc}）；请给出 voc review 写出的 .sqlite 文件，"
                                "或一个新的文件名") from None
        self._migrate()
        self._mark_counted()
        self.added = 0
        self.repeated, self.renamed = 0, []  # set by create_project (see unique_ids)
        self.renumbered: list[tuple[str, str]] = []  # set by create_project (see _renumber_old_ids)
        self._codebook = None

    @classmethod
    def open_existing(cls, path: str | Path, missing: str = "no such review project file") -> "ReviewStore":
        """Open a project that must already exist (reading commands must not create an empty one)."""
        path = Path(path)
        if not path.exists():
            raise InputError(f"{path}: {missing}", zh=f"{path}：没有这个审阅项目文件"
                             if missing == "no such review project file" else None)
        check_project_file(path)
        try:
            return cls(path)
        except InputError:  # the constructor's message offers a new file name, which cannot be read
            raise InputError(f"{path}: not a review project file; give the .sqlite that `voc review` "
                             "wrote", zh=f"{path}：不是审阅项目文件；请给出 voc review 写出的 .sqlite 文件") from None

    def _migrate(self) -> None:
        """Bring a project of an earlier schema to :data:`SCHEMA_VERSION`: the schema's ``CREATE … IF NOT EXISTS``
        has added what is new (version 2: the ``notes`` table); its statements and decisions stay as they are,
        and ``meta`` says the version now. A new, empty file gets its version from :func:`create_project`."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is not None and str(row[0]).isdigit() and int(row[0]) < int(SCHEMA_VERSION):
            with self.transaction():
                self.con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))

    def _mark_counted(self) -> None:
        """Give a project written before 6 Dec 2026 (no ``counted`` column) which statements count,
        from the role, text and ``is_duplicate`` it kept; its decisions stay as they are."""
        if "counted" not in {r[1] for r in self.con.execute("PRAGMA table_info(statements)")}:
            self.con.execute("ALTER TABLE statements ADD COLUMN counted INTEGER")
        rows = self.con.execute("SELECT rid, role, text, extra FROM statements WHERE counted IS NULL").fetchall()
        if not rows:
            return
        df = pd.DataFrame({st.ROLE: [r["role"] for r in rows], st.TEXT: [r["text"] for r in rows],
                           st.IS_DUPLICATE: [read_extra(r["extra"]).get(st.IS_DUPLICATE) for r in rows]})
        with self.transaction():
            self.con.executemany("UPDATE statements SET counted = ? WHERE rid = ?",
                                 [(int(c), r["rid"]) for c, r in zip(st.counted_mask(df), rows)])

    # -- plumbing -------------------------------------------------------------------------------
    def transaction(self):
        return _Tx(self.con)

    def close(self) -> None:
        self.con.close()

    def __len__(self) -> int:
        return self.con.execute("SELECT COUNT(*) FROM statements").fetchone()[0]

    def _rid(self, statement_id: str) -> int:
        row = self.con.execute("SELECT rid FROM statements WHERE statement_id = ?", (str(statement_id),)).fetchone()
        if row is None:
            raise NotFoundError(f"statement {statement_id!r} is not in this project",
                                zh=f"本项目没有陈述 {statement_id!r}")
        return row[0]

    # -- the team's codebook ------------------------------------------------------------------------
    def set_codebook(self, codebook) -> None:
        """Store a team's codebook (:class:`~voiceofcustomer.labels.codebook.Codebook`) in the project,
        so that reopening the project, training and exporting need no codebook file; one that leaves out
        a field or value the project's decisions use is refused (:meth:`check_codebook`)."""
        self.check_codebook(codebook)
        with self.transaction():
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('codebook', ?)", (codebook.to_json(),))
        self._codebook = None

    def check_codebook(self, codebook) -> None:
        """Refuse a codebook that would replace the project's while leaving out a field or value that
        standing decisions use: those decisions would drop out of the page, training and the exports
        (a value id misspelt in an edited file, ``theat`` for ``threat``, lost 15 statements' coding)."""
        old = self.codebook()
        if not old:
            return
        rows = self.con.execute(
            "SELECT field, value, COUNT(DISTINCT rid) FROM decisions WHERE undone = 0 AND field IN (%s) "
            "GROUP BY field, value ORDER BY field, value" % ",".join("?" * len(old.ids)), old.ids).fetchall()
        new, source = codebook.labels, codebook.source or "the codebook"
        for field in dict.fromkeys(f for f, _, _ in rows if f not in new):  # statements coded in it, any value
            n = self.con.execute("SELECT COUNT(DISTINCT rid) FROM decisions WHERE undone = 0 AND field = ?",
                                 (field,)).fetchone()[0]
            raise InputError(f"{source}: has no field {field!r}, yet {plural(n, 'statement')} of {self.path.name} "
                             f"{'is' if n == 1 else 'are'} coded in it; keep the field: the decisions of a field "
                             "left out drop out of the page, `voc train --add` and `voc export`")
        for field, value, n in rows:
            if value not in new[field]:
                raise InputError(f"{source}: field {field!r} has no value {value!r}, yet {plural(n, 'statement')} of "
                                 f"{self.path.name} {'is' if n == 1 else 'are'} coded {value!r} (its values here: "
                                 f"{', '.join(new[field])}); keep the value's id as it was (change its name: to "
                                 "rename it): the decisions of a value left out drop out of the page, "
                                 "`voc train --add` and `voc export`")

    def codebook(self):
        """The project's codebook (empty when none was given)."""
        if getattr(self, "_codebook", None) is None:
            from voiceofcustomer.labels.codebook import Codebook

            row = self.con.execute("SELECT value FROM meta WHERE key = 'codebook'").fetchone()
            self._codebook = Codebook.from_json(row[0] if row else None, f"{self.path.name} (stored codebook)")
        return self._codebook

    def _labels(self) -> dict[str, tuple[str, ...]]:
        """Every field a decision may name: the taxonomy's four, then the codebook's."""
        return {**{f: LABELS[f] for f in FIELDS}, **self.codebook().labels}

    def _model_custom(self, extra: str | None) -> dict[str, dict]:
        """The model's values of the codebook fields, when the input was tagged by a taught model."""
        book = self.codebook()
        try:
            ex = json.loads(extra) if extra and book else {}
        except ValueError:
            ex = {}
        out = {}
        for f in book.fields:
            v = ex.get(f.id)
            conf = ex.get(f"{f.id}_conf")
            out[f.id] = {"value": v if v in f.value_ids else None,
                         "conf": float(conf) if v in f.value_ids and isinstance(conf, (int, float)) else None}
        return out

    def _human_custom(self, rid: int) -> dict[str, str | None]:
        """Latest standing human value of each codebook field (any coder)."""
        out = {}
        for f in self.codebook().ids:
            row = self.con.execute("SELECT value FROM decisions WHERE rid = ? AND field = ? AND undone = 0 "
                                   "ORDER BY id DESC LIMIT 1", (rid, f)).fetchone()
            out[f] = row[0] if row else None
        return out

    # -- decisions ------------------------------------------------------------------------------
    def decide(self, statement_id: str, labels: dict[str, str], coder: str, *, seen=_ANY,
               note: str | None = None, seen_note=_ANY) -> dict:
        """Record a coder's labels for one statement in one transaction.

        Fields not given keep the model's label (accepting a row confirms all four); a
        codebook field not given is recorded only when the model gave it a value.

        ``seen``: the coder's standing decision on the statement when it was read (``mine_batch`` of
        :meth:`row` and :meth:`queue`; ``None``: none). When the coder has decided or undone it since, in
        another tab or window, nothing is saved (:class:`StaleError`): a row still shown as not yet coded
        would otherwise replace that decision, a correction, with what it showed (the model's labels).

        ``note``: the coder's note on the statement, saved in the same transaction (see :meth:`set_note`);
        ``None`` leaves the note as it is. ``seen_note``: the coder's note as the page read it (see :meth:`set_note`).
        """
        if not coder or not str(coder).strip():
            raise InputError("a decision needs a coder name (coder=)", params=("coder",), zh="决定需要编码员的名字")
        note = None if note is None else _check_note(note)
        allowed = self._labels()
        bad = [f for f in labels if f not in allowed]
        if bad:
            raise InputError(f"unknown label field(s) {', '.join(map(str, bad))}; fields are {', '.join(allowed)}",
                             zh=f"未知的标签字段 {'、'.join(map(str, bad))}；字段有 {'、'.join(allowed)}")
        for f, v in labels.items():
            if v is not None and v not in allowed[f]:
                raise InputError(f"{v!r} is not a {f} label; choose one of {', '.join(allowed[f])}",
                                 zh=f"{v!r} 不是 {f} 的标签；请从 {'、'.join(allowed[f])} 中选一个")
        rid = self._rid(statement_id)
        model = self.con.execute(f"SELECT {', '.join(FIELDS)}, extra FROM statements WHERE rid = ?",
                                 (rid,)).fetchone()
        values = {f: labels.get(f) or model[f] for f in FIELDS}
        if self.codebook():
            suggested = self._model_custom(model["extra"])
            values.update({f: labels.get(f) or suggested[f]["value"] for f in self.codebook().ids})
        values = {f: v for f, v in values.items() if v in allowed[f]}
        at = utc_now()
        with self.transaction():
            if seen is not _ANY and self._mine_batch(rid, coder) != seen:
                raise StaleError(f"statement {statement_id!r} was decided or undone by {coder} after it was read "
                                 "(in another tab or window?); nothing saved: read it again and decide on what "
                                 "stands", zh=f"陈述 {statement_id!r} 在读取之后已被 {coder} 决定或撤销（在另一个标签页"
                                              "或窗口中？）；没有保存：请重新读取，再按现在的结果决定")
            if note is not None:
                self._check_note_seen(statement_id, rid, coder, seen_note)
            batch = self.con.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM decisions").fetchone()[0]
            self.con.executemany("INSERT INTO decisions (batch, rid, field, value, coder, at) VALUES (?,?,?,?,?,?)",
                                 [(batch, rid, f, v, coder, at) for f, v in values.items()])
            self._refresh_human(rid)
            if note is not None:
                self._write_note(rid, coder, note, at)
        return {"statement_id": statement_id, "batch": batch, "labels": values, "coder": coder, "at": at,
                "coder_note": self._note(rid, coder)}

    # -- coders' notes --------------------------------------------------------------------------
    def set_note(self, statement_id: str, coder: str, text: str, *, seen=_ANY) -> dict:
        """Save a coder's note (memo) on a statement, without a decision: "not sure: the store or the hotline?",
        "ask the team about R55". One note per statement and coder, the latest standing ("" clears it); every
        version is kept in ``notes`` (nothing is deleted), as decisions are. Undoing a decision leaves the note.

        ``seen``: the coder's note as the page read it. When the coder's note has changed since (saved in another tab
        or window), nothing is saved (:class:`StaleError`, which says the note that stands): the later save would
        otherwise replace it unseen."""
        if not coder or not str(coder).strip():
            raise InputError("a note needs a coder name (coder=)", params=("coder",), zh="备注需要编码员的名字")
        text = _check_note(text)
        rid = self._rid(statement_id)
        at = utc_now()
        with self.transaction():
            self._check_note_seen(statement_id, rid, coder, seen)
            self._write_note(rid, coder, text, at)
        return {"statement_id": statement_id, "coder": coder, "coder_note": self._note(rid, coder)}

    def _check_note_seen(self, statement_id: str, rid: int, coder: str, seen) -> None:
        """Inside a transaction: refuse a note written over one the coder saved since the page read it."""
        if seen is _ANY:
            return
        now = self._note(rid, coder)
        if now != (seen or ""):
            raise StaleError(f"{coder}'s note on statement {statement_id!r} was changed after it was read (in another "
                             f"tab or window?) to {now!r}; nothing saved: save again to replace it",
                             zh=f"{coder} 对陈述 {statement_id!r} 的备注在读取之后已改为“{now}”（在另一个标签页或窗口中？）；"
                                "没有保存：再保存一次即替换它")

    def _write_note(self, rid: int, coder: str, text: str, at: str) -> None:
        """Inside a transaction: add the note unless it is the coder's standing one already."""
        if text != self._note(rid, coder):
            self.con.execute("INSERT INTO notes (rid, coder, text, at) VALUES (?,?,?,?)", (rid, coder, text, at))

    def _note(self, rid: int, coder: str) -> str:
        """The coder's standing note on a statement ("" for none)."""
        row = self.con.execute("SELECT text FROM notes WHERE rid = ? AND coder = ? ORDER BY id DESC LIMIT 1",
                               (rid, coder)).fetchone()
        return row[0] if row else ""

    def _other_notes(self, rid: int, coder: str) -> list[dict]:
        """The standing notes of the other coders on a statement (none cleared), by coder name: ``coder``, ``at``
        (when it was written, UTC), ``text``; what a second coder reads beside their own, as QualCoder shows the
        memos on a code. One look-up on ``ix_note_rid`` (rid, coder, id) per row."""
        return [{"coder": c, "at": at, "text": text} for c, text, at in self.con.execute(
            "SELECT n.coder, n.text, n.at FROM notes n WHERE n.rid = ? AND n.coder != ? AND n.id = "
            "(SELECT MAX(m.id) FROM notes m WHERE m.rid = n.rid AND m.coder = n.coder) AND n.text != '' "
            "ORDER BY n.coder", (rid, coder))]

    def notes_frame(self) -> pd.DataFrame:
        """The standing coders' notes: ``statement_id``, ``coder``, ``note``, ``at`` (when it was written), one row
        per statement and coder with a note, in project order then by coder."""
        return pd.read_sql_query(
            "SELECT s.statement_id, n.coder, n.text AS note, n.at FROM notes n JOIN statements s ON s.rid = n.rid "
            "WHERE n.id = (SELECT MAX(m.id) FROM notes m WHERE m.rid = n.rid AND m.coder = n.coder) AND n.text != '' "
            "ORDER BY s.rid, n.coder", self.con)

    def _mine_batch(self, rid: int, coder: str) -> int | None:
        """The batch of the coder's standing decision on a statement (``None``: none)."""
        return self.con.execute("SELECT MAX(batch) FROM decisions WHERE rid = ? AND coder = ? AND undone = 0",
                                (rid, coder)).fetchone()[0]

    def undo(self, coder: str) -> dict:
        """Undo the coder's most recent decision that is not undone yet."""
        row = self.con.execute("SELECT batch, rid FROM decisions WHERE coder = ? AND undone = 0 "
                               "ORDER BY batch DESC LIMIT 1", (coder,)).fetchone()
        if row is None:
            raise StaleError(f"nothing to undo: {coder} has no decision left in this project",
                             zh=f"没有可以撤销的决定：{coder} 在本项目中已没有决定")
        with self.transaction():
            self.con.execute("UPDATE decisions SET undone = 1 WHERE batch = ?", (row["batch"],))
            self._refresh_human(row["rid"])
        sid = self.con.execute("SELECT statement_id FROM statements WHERE rid = ?", (row["rid"],)).fetchone()[0]
        return {"statement_id": sid, "batch": row["batch"]}

    def _refresh_human(self, rid: int) -> None:
        """Keep ``h_<field>`` = the latest standing human value (any coder) for fast filters."""
        sets = ", ".join(f"h_{f} = (SELECT value FROM decisions WHERE rid = :rid AND field = '{f}' AND undone = 0 "
                         f"ORDER BY id DESC LIMIT 1)" for f in FIELDS)
        self.con.execute(f"UPDATE statements SET {sets} WHERE rid = :rid", {"rid": rid})

    # -- reading --------------------------------------------------------------------------------
    def coders(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT DISTINCT coder FROM decisions WHERE undone = 0 ORDER BY coder")]

    def distinct(self, column: str, limit: int = 200) -> list[str]:
        """Values of a filterable column (for the page's drop-downs); themes by their current name."""
        if column == "theme" and self._curated():
            return [r[0] for r in self.con.execute(
                "SELECT label FROM themes WHERE merged_into IS NULL UNION SELECT COALESCE(topic_label, topic) "
                "FROM statements WHERE theme IS NULL AND COALESCE(topic_label, topic) != '' ORDER BY 1 LIMIT ?",
                (limit,))]
        col = {"group": "grp", "theme": "COALESCE(topic_label, topic)", "source": "source"}[column]
        return [r[0] for r in self.con.execute(f"SELECT DISTINCT {col} FROM statements WHERE {col} IS NOT NULL "
                                               f"AND {col} != '' ORDER BY 1 LIMIT ?", (limit,))]

    def _curated(self) -> bool:
        """Whether the themes view's tables exist (:class:`~voiceofcustomer.review.themes.ThemeBook`)."""
        if not getattr(self, "_has_themes", False):
            self._has_themes = self.con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'themes'").fetchone() is not None and \
                "theme" in {r[1] for r in self.con.execute("PRAGMA table_info(statements)")}
        return self._has_themes

    def _theme_sql(self) -> str:
        """SQL for a statement's theme as the themes view shows it now (after renames, merges and
        moves), else the input's ``topic_label``/``topic``."""
        if self._curated():
            return ("COALESCE((SELECT t.label FROM themes t WHERE t.theme_id = s.theme), s.topic_label, s.topic)")
        return "COALESCE(s.topic_label, s.topic)"

    def progress(self, coder: str) -> dict:
        """The coder's progress over the statements that count (``uncounted``: how many do not —
        moderator turns and repeats, out of the queue unless asked for)."""
        done = self.con.execute("SELECT COUNT(DISTINCT d.rid) FROM decisions d JOIN statements s ON s.rid = d.rid "
                                f"WHERE d.coder = ? AND d.undone = 0 AND {COUNTED}", (coder,)).fetchone()[0]
        total = self.counted_count()
        return {"done": done, "total": total, "uncounted": len(self) - total}

    def item_count(self) -> int:
        """Candidate items in the project (0 before any were given: the items table is made with the first)."""
        if not self.con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'items'").fetchone():
            return 0
        return self.con.execute("SELECT COUNT(*) FROM items").fetchone()[0]

    def counted_count(self) -> int:
        """Statements that count (not moderator turns, not repeats; see ``COUNTED``)."""
        return self.con.execute(f"SELECT COUNT(*) FROM statements s WHERE {COUNTED}").fetchone()[0]

    def decided_count(self) -> int:
        """Statements with a standing human decision on any field (by any coder): what teaching learns from."""
        return self.con.execute("SELECT COUNT(DISTINCT rid) FROM decisions WHERE undone = 0").fetchone()[0]

    def queue(self, *, coder: str, order: str = "teach", status: str = "todo", label: str | None = None,
              source: str | None = None, group: str | None = None, theme: str | None = None,
              attrs: str | None = None, by_coder: str | None = None, disagree: bool = False,
              q: str | None = None, uncounted: bool = False, after: int | None = None,
              limit: int = 50) -> list[dict]:
        """A page of statements in queue order, after the rank ``after``, with filters.

        Only statements that count, unless ``uncounted``: a moderator turn or a repeat counts nowhere
        (frequencies, items, themes, the report), so coding it is time lost; it still shows as the
        context of the statements that answer it."""
        rank = {"teach": "teach_rank", "random": "random_rank"}.get(order)
        if rank is None:
            raise InputError(f"unknown order {order!r}; use teach or random",
                             zh=f"未知的顺序 {order!r}；可用 teach（最快教会模型）或 random（随机）")
        where, args = ([], []) if uncounted else ([COUNTED], [])
        mine = "EXISTS (SELECT 1 FROM decisions d WHERE d.rid = s.rid AND d.coder = ? AND d.undone = 0)"
        if status == "todo":
            where.append("NOT " + mine)
            args.append(coder)
        elif status == "done":
            where.append(mine)
            args.append(coder)
        elif status != "all":
            raise InputError(f"unknown status {status!r}; use todo, done or all",
                             zh=f"未知的状态 {status!r}；可用 todo、done 或 all")
        if label:
            field, _, value = str(label).partition("=")
            allowed = self._labels()
            if field not in allowed or value not in allowed[field]:
                raise InputError(f"label filter {label!r} must be field=value, e.g. issue=billing",
                                 zh=f"标签筛选 {label!r} 须为 字段=取值，例如 issue=billing")
            if field in FIELDS:
                where.append(f"COALESCE(h_{field}, {field}) = ?")
            else:  # a codebook field: the latest standing human value
                where.append("(SELECT d.value FROM decisions d WHERE d.rid = s.rid AND d.field = ? AND d.undone = 0 "
                             "ORDER BY d.id DESC LIMIT 1) = ?")
                args.append(field)
            args.append(value)
        if source:
            where.append("source = ?")
            args.append(source)
        if group:
            where.append("grp = ?")
            args.append(group)
        if theme:  # the theme's current name: a rename, merge or move in the themes view counts here too
            if self._curated():
                where.append("(s.theme IN (SELECT theme_id FROM themes WHERE label = ?) "
                             "OR (s.theme IS NULL AND COALESCE(s.topic_label, s.topic) = ?))")
                args += [theme, theme]
            else:
                where.append("COALESCE(s.topic_label, s.topic) = ?")
                args.append(theme)
        if attrs:
            where.append("instr(speaker_attrs, ?) > 0")
            args.append(str(attrs))
        if by_coder:
            where.append("EXISTS (SELECT 1 FROM decisions d WHERE d.rid = s.rid AND d.coder = ? AND d.undone = 0)")
            args.append(by_coder)
        if disagree:
            where.append("(" + " OR ".join(f"(h_{f} IS NOT NULL AND h_{f} != {f})" for f in FIELDS) + ")")
        if q:
            where.append("instr(text, ?) > 0")
            args.append(str(q))
        if after is not None:
            where.append(f"{rank} > ?")
            args.append(int(after))
        sql = (f"SELECT s.*, {rank} AS rank, {self._theme_sql()} AS theme_name FROM statements s "
               + ("WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {rank} LIMIT ?")
        args.append(max(1, min(int(limit), 500)))
        rows = self.con.execute(sql, args).fetchall()
        return [self._row_dict(r, coder) for r in rows]

    def row(self, statement_id: str, coder: str) -> dict:
        rid = self._rid(statement_id)
        r = self.con.execute(f"SELECT s.*, teach_rank AS rank, {self._theme_sql()} AS theme_name FROM statements s "
                             "WHERE rid = ?", (rid,)).fetchone()
        return self._row_dict(r, coder)

    def _row_dict(self, r: sqlite3.Row, coder: str) -> dict:
        mine = {d["field"]: d["value"] for d in self.con.execute(
            "SELECT field, value FROM decisions WHERE rid = ? AND coder = ? AND undone = 0 ORDER BY id", (r["rid"], coder))}
        mine_batch = self._mine_batch(r["rid"], coder) if mine else None
        out = {
            "statement_id": r["statement_id"], "rank": r["rank"], "text": r["text"] or "",
            "source": r["source"], "speaker": r["speaker"], "role": r["role"], "speaker_attrs": r["speaker_attrs"],
            "group": r["grp"], "group_name": st.group_name(r["grp"]), "topic_label": r["topic_label"],
            "theme": r["theme_name"] if "theme_name" in r.keys() else r["topic_label"],  # current name
            "model": {f: {"value": r[f], "conf": r[f"{f}_conf"]} for f in FIELDS},
            "human": {f: r[f"h_{f}"] for f in FIELDS}, "mine": mine,
            "mine_batch": mine_batch,  # what decide(seen=) is given back: the decision this row was read with
            "context": self.context(r),
            "note": _extra_value(r["extra"], st.NOTE),  # why the labels are what they are (a transcript rule)
            "coder_note": self._note(r["rid"], coder),  # the coder's own note (memo), in the page's note box
            "other_notes": self._other_notes(r["rid"], coder),  # the other coders' notes, shown read-only under it
            "columns": own_columns(r),  # the ticket's own columns (受理时间, 区县 …)
            "not_counted": "" if r["counted"] is None or r["counted"] else (
                "主持人发言，不计入统计" if (r["role"] or "").strip().lower() == st.MODERATOR
                else "工单中的客服处理记录（处理结果、回访等），不计入统计"
                if (r["role"] or "").strip().lower() == st.STAFF
                else "文字疑似乱码（请检查文件的编码），不计入统计"
                if st.garbled_note([_extra_value(r["extra"], st.NOTE)])[0]
                else "没有文字，不计入统计" if not (r["text"] or "").strip()
                else "重复了同一发言人或工单之前的陈述，不计入统计"),  # on the labels view's row, in Chinese
        }
        # the note as the Chinese page says it (the English stays in note); what not_counted says already, once
        out["note_zh"] = "；".join(p for p in note_zh(out["note"]).split("；") if p and p != out["not_counted"])
        if self.codebook():
            out["model"].update(self._model_custom(r["extra"]))
            out["human"].update(self._human_custom(r["rid"]))
        return out

    def context(self, r: sqlite3.Row, *, max_turns: int = 5) -> list[dict]:
        """What a coder needs to read the statement: earlier turns of its thread, or the
        moderator question it answers (``prompt_turn``; else the last moderator turn before it)."""
        out = []
        if r["thread"]:
            prev = self.con.execute("SELECT speaker, role, text FROM statements WHERE thread = ? AND rid < ? "
                                    "ORDER BY rid DESC LIMIT ?", (r["thread"], r["rid"], max_turns)).fetchall()
            out = [{"kind": "thread", "speaker": p["speaker"] or "", "text": p["text"] or ""} for p in reversed(prev)]
        elif r["session"] and (r["role"] or "") != st.MODERATOR:
            if r["prompt_turn"] is not None:
                prev = self.con.execute("SELECT speaker, text FROM statements WHERE session = ? AND turn = ? "
                                        "ORDER BY rid", (r["session"], r["prompt_turn"])).fetchall()
            elif r["role"]:
                row = self.con.execute("SELECT turn FROM statements WHERE session = ? AND role = ? AND rid < ? "
                                       "ORDER BY rid DESC LIMIT 1", (r["session"], st.MODERATOR, r["rid"])).fetchone()
                prev = [] if row is None else self.con.execute(
                    "SELECT speaker, text FROM statements WHERE session = ? AND turn = ? ORDER BY rid",
                    (r["session"], row["turn"])).fetchall()
            else:
                prev = []
            if prev:
                out = [{"kind": "prompt", "speaker": prev[0]["speaker"] or "",
                        "text": "".join(p["text"] or "" for p in prev)}]
        return out

    # -- tables for teach / agreement / export ------------------------------------------------------
    def statements_frame(self) -> pd.DataFrame:
        df = pd.read_sql_query("SELECT * FROM statements ORDER BY rid", self.con)
        return df.rename(columns={"grp": st.GROUP})

    def decisions_frame(self, *, include_undone: bool = False) -> pd.DataFrame:
        sql = ("SELECT d.id, d.batch, s.statement_id, d.field, d.value, d.coder, d.at, d.undone "
               "FROM decisions d JOIN statements s ON s.rid = d.rid")
        if not include_undone:
            sql += " WHERE d.undone = 0"
        return pd.read_sql_query(sql + " ORDER BY d.id", self.con)

    def custom_frame(self) -> pd.DataFrame:
        """The codebook fields per statement: ``statement_id`` and, per field, the latest standing human
        value (any coder; ``None`` where nobody coded it) — one row per statement, in project order."""
        ids = pd.read_sql_query("SELECT statement_id FROM statements ORDER BY rid", self.con)
        book = self.codebook()
        if not book:
            return ids
        d = self.decisions_frame()
        d = d[d["field"].isin(book.ids)]
        last = d.sort_values("id").groupby([st.STATEMENT_ID, "field"], sort=False)["value"].last()
        wide = last.unstack("field") if len(last) else pd.DataFrame(index=pd.Index([], name=st.STATEMENT_ID))
        for f in book.fields:
            col = wide[f.id] if f.id in wide.columns else pd.Series(dtype=object)
            ids[f.id] = pd.Series([v if v in f.value_ids else None for v in ids[st.STATEMENT_ID].map(col)],
                                  index=ids.index, dtype=object)
        return ids

    def coder_labels(self) -> pd.DataFrame:
        """Latest standing value per (statement, coder, field), wide: one row per statement and coder
        (the four fields, then the codebook's)."""
        fields = [*FIELDS, *self.codebook().ids]
        d = self.decisions_frame()
        if d.empty:
            return pd.DataFrame(columns=[st.STATEMENT_ID, "coder", *fields])
        last = d.sort_values("id").groupby([st.STATEMENT_ID, "coder", "field"], sort=False)["value"].last()
        wide = last.unstack("field").reset_index()
        for f in fields:
            if f not in wide.columns:
                wide[f] = None
        return wide[[st.STATEMENT_ID, "coder", *fields]]


class _Tx:
    def __init__(self, con: sqlite3.Connection):
        self.con = con

    def __enter__(self):
        self.con.execute("BEGIN IMMEDIATE")
        return self.con

    def __exit__(self, exc_type, exc, tb):
        self.con.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False
