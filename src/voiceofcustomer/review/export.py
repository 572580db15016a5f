"""Export coded statements: an Excel table and a REFI-QDA project (``.qdpx``).

Why REFI-QDA: researchers continue in NVivo, ATLAS.ti, MAXQDA or QualCoder, which
all import the exchange format. A ``.qdpx`` is a zip of ``project.qde`` (XML in the
``urn:QDA-XML:project:1.0`` namespace) and the plain-text sources under
``Sources/``. Here the codes are the label values (one parent code per field),
each source file becomes one text source (its statements one per line), each
statement one selection coded with its four labels, and each speaker a case.
The themes are codes too (researchers treat them as codes): a parent code ``theme 主题`` with
the project's themes as they stand in the themes view (renamed, merged, noise left out), the
input's sub-themes under their theme, each statement's selection coded with its theme.
GUIDs are derived from the content (uuid5) and every time is the project's own (:func:`_project_times`:
when it was made, when a decision was given; never the time of the export), so an unchanged project exports
the same file, byte for byte — a researcher keeping exports under version control sees a diff only when the
coding changed.

The input's own columns (a ticket export's 受理时间, 区县, 渠道 …, kept in the project's ``extra``)
leave with the statements: in the table after voc's columns, in the ``.qdpx`` as text variables
of one case per ticket.
"""

from __future__ import annotations

import datetime as _dt
import json
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from voiceofcustomer import statements as st
from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.taxonomy import FIELD_ZH, FIELDS, LABELS, ZH, label_zh

__all__ = ["coded_table", "as_tagged", "coded_counts", "zh_column", "items_counts", "export_excel", "export_qdpx", "export_project", "export_items", "QDA_NS"]

QDA_NS = "urn:QDA-XML:project:1.0"
_NS = uuid.UUID("6f1b0c6e-6a55-4d43-9a4e-0c1d5e2f7a11")
MODEL_CODER = "voc-model"
#: the table's column of the coders' own notes (after ``note``, the row's own: the model's or the input's)
CODER_NOTE = "coder_note"
#: the parent code of the themes in a ``.qdpx`` (its key in the GUIDs: the table's ``theme`` column)
THEME_FIELD, THEME_CODE = "theme", "theme 主题"


#: The time a ``.qdpx`` gives what a project records no time for (a project file without its ``created``
#: time): fixed, so that exporting it twice gives the same file. The earliest time a zip entry can hold.
NO_TIME = "1980-01-01T00:00:00Z"


def _qda_time(at: str | None) -> str:
    """A time the project stored (:func:`voiceofcustomer.review.store.utc_now`, ``2026-12-06T08:30:05.123+00:00``)
    as a ``.qdpx`` writes one (``2026-12-06T08:30:05Z``, UTC); :data:`NO_TIME` for none or one not readable."""
    try:
        t = _dt.datetime.fromisoformat(str(at)) if at else None
    except ValueError:
        t = None
    if t is None:
        return NO_TIME
    t = t.replace(tzinfo=_dt.timezone.utc) if t.tzinfo is None else t.astimezone(_dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ") if t.year >= 1980 else NO_TIME


def _project_times(store) -> tuple[str, str]:
    """``(made, changed)``: when the project was made (its ``created`` time, kept since its first version) and
    its latest recorded change (a decision, also one undone since, a theme edit or a coder's note; else when it
    was made),
    as :func:`_qda_time` writes them. The export's times: nothing in the file says when it was exported."""
    row = store.con.execute("SELECT value FROM meta WHERE key = 'created'").fetchone()
    made = _qda_time(row[0] if row else None)
    tables = {r[0] for r in store.con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    latest = [store.con.execute(f"SELECT MAX(at) FROM {t}").fetchone()[0]
              for t in ("decisions", "theme_edits", "notes") if t in tables]
    return made, max([made, *(_qda_time(at) for at in latest if at)])


def _zip_time(at: str) -> tuple[int, int, int, int, int, int]:
    """:func:`_qda_time`'s ``at`` as a zip entry's time (UTC, as written: the same on every machine)."""
    t = _dt.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ")
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def _guid(*parts) -> str:
    return str(uuid.uuid5(_NS, "\x1f".join(map(str, parts))))


def _whole_numbers(values: pd.Series) -> pd.Series:
    """``values`` as whole numbers (Int64, missing kept) when every one given is one, else as they are."""
    n = pd.to_numeric(values, errors="coerce")
    if values.notna().any() and n[values.notna()].notna().all() and (n.dropna() % 1 == 0).all():
        return n.astype("Int64")
    return values


def coded_table(db: str | Path) -> pd.DataFrame:
    """One row per statement: final labels (the latest human decision, else the model's), who decided,
    the model's labels and confidences, theme, speaker attributes and the quote, then the input's own
    columns (see :func:`_own_columns`)."""
    return _coded(db)[0]


def coded_counts(db: str | Path) -> dict:
    """What a researcher checks an export against the review page with: ``rows`` (statements), ``counted``
    (those that count, the page's "我已标注 … / N"), ``decided`` (rows with a standing human decision) and
    ``coders`` (each coder with a standing decision → the statements that count they decided, the page's
    "我已标注 N"), as :func:`coded_table` has them."""
    t = coded_table(db)
    who = t["coders"].map(lambda c: [x for x in str(c).split(", ") if x])
    coders = sorted({c for cs in who for c in cs})
    return {"rows": len(t), "counted": int(t["counted"].sum()), "decided": int(t["decided"].sum()),
            "coders": {c: int(sum(c in cs for cs, n in zip(who, t["counted"]) if n)) for c in coders}}


def _coded(db: str | Path) -> tuple[pd.DataFrame, dict[str, str], list[dict]]:
    """:func:`coded_table`, the input's own columns in it (``{own name: column of the table}``) and each
    row's ``extra`` (the input's other columns, as stored)."""
    from voiceofcustomer.review.store import ReviewStore, counted_rows, read_extra

    db = Path(db)
    from voiceofcustomer.review.themes import ThemeBook

    store = ReviewStore.open_existing(db)
    try:
        themes = ThemeBook(store).labels()
        sts = store.statements_frame()
        dec = store.decisions_frame()
        book, custom = store.codebook(), store.custom_frame()
        coder_notes = store.notes_frame()
    finally:
        store.close()
    extra = [read_extra(e) for e in sts["extra"]] if "extra" in sts.columns else [{}] * len(sts)
    who = (dec.groupby(st.STATEMENT_ID)["coder"].agg(lambda s: ", ".join(sorted(set(s))))
           if not dec.empty else pd.Series(dtype=object))
    out = pd.DataFrame({c: sts[c] for c in (st.STATEMENT_ID, st.SOURCE, st.SESSION, st.GROUP)})
    # the group as the .qdpx, the report and the page name it (公众用户 / 对公用户; another group as written)
    out[zh_column(st.GROUP)] = out[st.GROUP].map(lambda g: st.group_name(g) or None).astype(object)
    # the city (the project keeps it with the input's other columns), and a focus group's turn and the moderator
    # question it answers (prompt_turn): a researcher compares cities and reads an answer with its question
    out[st.CITY] = pd.Series([e.get(st.CITY) for e in extra], index=out.index, dtype=object)
    for c in (st.SPEAKER, st.ROLE, st.SPEAKER_ATTRS, st.TURN, st.PROMPT_TURN, st.TOPIC, st.TOPIC_LABEL):
        out[c] = sts[c]
    for c in (st.TURN, st.PROMPT_TURN):  # 12, not 12.0 in a CSV (a turn without a question is empty)
        out[c] = _whole_numbers(out[c])
    at = out.columns.get_loc(st.PROMPT_TURN) + 1
    for c in reversed(st.SHOWN_COLUMNS):  # a focus group's section and date, kept with the input's columns as city
        if any(c in e for e in extra):
            out.insert(at, c, pd.Series([e.get(c) for e in extra], index=out.index, dtype=object))
    # a statement's theme now (after merges and moves in the themes view): its id and name, so the rows of a
    # theme merged away carry the surviving theme's, as `theme` does; the input's where no theme was given
    now = sts["theme"].where(sts["theme"].map(lambda t: isinstance(t, str) and t in themes))
    out[st.TOPIC] = now.where(now.notna(), out[st.TOPIC])
    out[st.TOPIC_LABEL] = now.map(lambda t: themes[t][0] if isinstance(t, str) else None).where(
        now.notna(), out[st.TOPIC_LABEL])
    # theme ids as the `voc themes` table has them: whole numbers (stored as text, "-1" left the Excel
    # sheet as the formula-guarded text "'-1")
    out[st.TOPIC] = _whole_numbers(out[st.TOPIC])
    # the curated theme (after renames, merges and moves in the themes view)
    out["theme"] = sts["theme"].map(lambda t: themes.get(t, ("", False))[0] if isinstance(t, str) else "")
    out["theme_noise"] = sts["theme"].map(lambda t: themes.get(t, ("", False))[1] if isinstance(t, str) else False)
    # whether the statement counts (store.COUNTED, statements.counted_mask): a moderator turn, a repeat or a row
    # with no text carries its labels and theme but counts nowhere — a pivot of the counted rows gives the themes
    # view's and voc agreement's numbers (until 6 Dec 2026 nothing in the export said which rows those were)
    out["counted"] = counted_rows(sts)
    # why a row's labels are what they are, or why it counts nowhere (the guide's rule for a transcript's turn: "a
    # moderator's question is neutral (guide C14)", a ticket's staff section, a team's own note), as the page's meta
    # line says it and statements.xlsx has it; until 7 Dec 2026 the export left it out
    out[st.NOTE] = pd.Series([_note(e.get(st.NOTE)) for e in extra], index=out.index, dtype=object)
    # beside it, the coders' own notes (memos written in the page's note box): "coder: note", one line per coder
    out[CODER_NOTE] = sts[st.STATEMENT_ID].map(_coder_notes(coder_notes)).astype(object).fillna("")
    for f in FIELDS:  # each beside its Chinese name, as the .qdpx's codes and the report name it (移情性, 投诉/不满)
        out[f] = sts[f"h_{f}"].where(sts[f"h_{f}"].notna(), sts[f])
        out[zh_column(f)] = out[f].map(lambda v, f=f: None if st.is_missing(v) else label_zh(f, v)).astype(object)
    out["decided"] = sts[[f"h_{f}" for f in FIELDS]].notna().any(axis=1)
    if book:  # the team's codebook fields: the human value, else the model's when the input carried one
        out = _with_custom(out, extra, book, custom)
    out["coders"] = sts[st.STATEMENT_ID].map(who).astype(object).fillna("")
    for f in FIELDS:
        out[f"model_{f}"] = sts[f]
        out[f"model_{f}_conf"] = sts[f"{f}_conf"]
    out["quote"] = sts[st.TEXT_RAW].where(sts[st.TEXT_RAW].fillna("") != "", sts[st.TEXT]).fillna("")
    out[st.TEXT] = sts[st.TEXT].fillna("")
    own = _own_columns(extra, out[st.TEXT])
    named = {}
    for c, values in own.items():  # after voc's columns; a name one of them has gets _input (theme_input)
        named[c] = st.input_name(c, out.columns)
        out[named[c]] = pd.Series(values, index=out.index, dtype=object)
    return out, named, extra


def as_tagged(df: pd.DataFrame) -> pd.DataFrame:
    """A ``voc export`` table (``coded.xlsx``, :func:`statements.is_coded_export`) read back as a tagged table for
    a new coding round (``voc review coded.xlsx``); another table as it is.

    The previous round's final labels (``servqual`` … ``stance``: the coder's where one decided, else the model's)
    are the new round's suggestions, as a tagged table's labels are; their confidences (the export has no
    ``servqual_conf``) are 1 on a row a coder decided (``decided``) and the model's (``model_servqual_conf`` …) on
    the others, so the teach order puts the rows the first round left to the model first. A confidence column
    the table has is kept. ``quote`` (the statement as said) is its ``text_raw`` when it has none. The previous
    round's decisions are not decisions of the new project: its coders code afresh.

    Why: until 8 Dec 2026 every confidence read 0 and the rows came in no order of doubt."""
    if not st.is_coded_export(df.columns):
        return df
    df = df.copy()
    decided = st.truthy(df["decided"])
    for f in FIELDS:
        if f"{f}_conf" not in df.columns:
            model = pd.to_numeric(df[f"model_{f}_conf"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
            df[f"{f}_conf"] = [1.0 if d else c for d, c in zip(decided, model)]
    if st.TEXT_RAW not in df.columns and "quote" in df.columns:
        df[st.TEXT_RAW] = df["quote"]
    return df


def _coder_notes(notes: pd.DataFrame) -> dict[str, str]:
    """:meth:`~voiceofcustomer.review.store.ReviewStore.notes_frame` as the ``coder_note`` column says it: per
    statement, ``coder: note`` for each coder with a note, by coder name, one line each."""
    out: dict[str, list[str]] = {}
    for sid, coder, text in zip(notes[st.STATEMENT_ID], notes["coder"], notes["note"]):
        out.setdefault(sid, []).append(f"{coder}: {text}")
    return {sid: "\n".join(lines) for sid, lines in out.items()}


def _note(value) -> str:
    """A row's ``note`` as the export writes it: its text, "" for none."""
    return "" if st.is_missing(value) else str(value).strip()


def _own_columns(extra: list[dict], text: pd.Series) -> dict[str, list]:
    """The input's own columns (:func:`voiceofcustomer.statements.own_columns`: a ticket export's 受理时间,
    区县, 渠道 …), in first-seen order, values as the project holds them (text as text, so ``007`` keeps
    its zeros; a column mixing text and numbers becomes text, which every table format can hold).

    Left out: a column that only repeats each row's text (the export's own 投诉内容, which is ``text``).
    """
    text = text.fillna("").astype(str).str.strip().tolist()
    out = {}
    for c in st.own_columns(dict.fromkeys(k for e in extra for k in e)):
        values = [e.get(c) for e in extra]
        filled = [(str(v).strip(), t) for v, t in zip(values, text) if not st.is_missing(v)]
        if filled and all(v == t for v, t in filled):
            continue
        types = {type(v) for v in values if v is not None}
        if len(types) > 1 and not types <= {int, float}:
            values = [None if v is None else str(v) for v in values]
        out[c] = values
    return out


def zh_column(field: str) -> str:
    """The export's column of ``field``'s Chinese names, beside it: ``servqual_zh`` (移情性 for ``empathy``),
    ``group_zh`` (对公用户 for ``business``) — the names the ``.qdpx``'s codes and the report give them, under the
    name ``voc freq`` and ``voc items`` give such a column."""
    return f"{field}_zh"


def _with_custom(out: pd.DataFrame, extra: list[dict], book, custom: pd.DataFrame) -> pd.DataFrame:
    at = out.columns.get_loc("decided")
    for f in reversed(book.fields):
        model = pd.Series([e.get(f.id) if e.get(f.id) in f.value_ids else None for e in extra], dtype=object)
        human = custom[f.id].reset_index(drop=True)
        value = human.where(human.notna(), model)
        names = {v.id: v.name for v in f.values}  # the value's name, as the .qdpx's code has it beside the id
        out.insert(at, zh_column(f.id), value.map(lambda v: names.get(v, v) if not st.is_missing(v) else None)
                   .astype(object).to_numpy())
        out.insert(at, f.id, value.to_numpy())
    out["decided"] = out["decided"] | custom[list(book.ids)].notna().any(axis=1).to_numpy()
    return out


def export_excel(db: str | Path, path: str | Path) -> Path:
    """Write :func:`coded_table` as .xlsx (or .csv/.parquet/.jsonl by the suffix)."""
    from voiceofcustomer.io.writers import write_table

    return write_table(coded_table(db), path, sheet_name="coded")


#: a speaker's case carries its session's customer group (公众用户 / 对公用户, as the page names it), city and
#: title as text variables beside speaker_attrs: one value for every statement of the session, so a case
#: attribute (NVivo's classification, MAXQDA's case variable) for comparing groups
SESSION_VARIABLES = (st.GROUP, st.CITY, st.SESSION_TITLE)


def _sub(parent, tag, **attrs):
    return ET.SubElement(parent, f"{{{QDA_NS}}}{tag}", {k: str(v) for k, v in attrs.items() if v is not None})


def export_qdpx(db: str | Path, path: str | Path, *, name: str | None = None) -> Path:
    """Write a REFI-QDA project (``.qdpx``) with the coded statements."""
    from voiceofcustomer.io.writers import atomic_path

    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        raise InputError(f"{path}: a REFI-QDA project must be named .qdpx")
    table, own, extra = _coded(db)
    dec_coder = {}
    from voiceofcustomer.review.store import ReviewStore

    store = ReviewStore(db)
    try:
        d = store.decisions_frame()
        book = store.codebook()
        theme_codes, on_theme, movers = _theme_codes(store)
        made, changed = _project_times(store)
        coder_notes: dict[str, list[tuple[str, str, str]]] = {}  # statement → (coder, note, when), by coder
        for r in store.notes_frame().itertuples(index=False):
            coder_notes.setdefault(r.statement_id, []).append((r.coder, r.note, _qda_time(r.at)))
    finally:
        store.close()
    each_coder: dict[tuple, dict[str, tuple]] = {}  # (statement, field) → coder → their standing value, when
    for r in d.itertuples(index=False):  # latest decider per (statement, field), and when
        dec_coder[(r.statement_id, r.field)] = (r.coder, _qda_time(r.at))
        each_coder.setdefault((r.statement_id, r.field), {})[r.coder] = (r.value, _qda_time(r.at))
    for sid, (coder, at) in movers.items():  # a statement moved to its theme by hand: coded by who moved it
        dec_coder[(sid, "_theme")] = (coder, _qda_time(at))
    ET.register_namespace("", QDA_NS)
    coders = sorted({MODEL_CODER, *d["coder"].unique(), *(c for c, _ in movers.values()),
                     *(c for ns in coder_notes.values() for c, _, _ in ns)})
    users = {c: _guid("user", c) for c in coders}
    root = ET.Element(f"{{{QDA_NS}}}Project", {"name": name or Path(db).stem, "origin": "voiceofcustomer",
                                               "creatingUserGUID": users[MODEL_CODER], "creationDateTime": made,
                                               "modifiedDateTime": changed})
    u = _sub(root, "Users")
    for c in coders:
        _sub(u, "User", guid=users[c], name=c)
    codes = _sub(_sub(root, "CodeBook"), "Codes")
    code_guid = {}
    for f in FIELDS:
        code_guid.update(_code_group(codes, f, f"{f} {FIELD_ZH.get(f, '')}", [
            (v, f"{f}: {v} {ZH[f].get(v, '')}", None, None) for v in LABELS[f]]))
    for cf in book.fields:  # the team's own fields, one parent code each, definitions as descriptions
        code_guid.update(_code_group(codes, cf.id, f"{cf.id} {cf.name}", [
            (v.id, f"{cf.id}: {v.id} {v.name if v.name != v.id else ''}", v.definition, None) for v in cf.values]))
    fields = [(f, f, LABELS[f]) for f in FIELDS] + [(cf.id, cf.id, cf.value_ids) for cf in book.fields]
    if theme_codes:  # the project's themes now, a code each (sub-themes under their theme), coded as the labels are
        code_guid.update(_code_group(codes, THEME_FIELD, THEME_CODE, theme_codes))
        keys = {v for v, *_ in theme_codes}
        fields += [("_theme", THEME_FIELD, keys), ("_subtheme", THEME_FIELD, keys)]
        sids = table[st.STATEMENT_ID]
        table = table.assign(_theme=[on_theme.get(s, (None, None))[0] for s in sids],
                             _subtheme=[on_theme.get(s, (None, None))[1] for s in sids])
    files: dict[str, str] = {}
    # (note GUID, name, text, creating coder, when): a row's note and each coder's own, memos on its selection
    notes: list[tuple[str, str, str, str, str]] = []
    sources_el = []
    by_speaker: dict[str, list[str]] = {}
    speaker_attr: dict[str, str] = {}
    session_values: dict[str, dict[str, str]] = {}  # speaker case → its session's group, city, title
    # a row without a speaker (a ticket) is a case of its own ticket when the input had its own columns
    # (受理时间, 区县 …): they are its variables, as NVivo's classifications and MAXQDA's case variables read them
    by_ticket: dict[str, list[str]] = {}
    ticket_values: dict[str, dict[str, str]] = {}
    table = table.assign(_extra=extra)
    table = table[table["quote"].astype(str).str.strip() != ""]
    for src, part in table.groupby(table[st.SOURCE].fillna("(no source)").astype(str), sort=True):
        sguid = _guid("source", src)
        text_parts, selections, pos = [], [], 0
        for r in part.to_dict("records"):
            quote = str(r["quote"]).replace("\r", " ").replace("\n", " ")
            # a focus group's line says who speaks (周敏：…, 张女士：…), as the transcript did; the selection
            # is the statement alone
            spk = r.get(st.SPEAKER)
            lead = f"{spk.strip()}：" if isinstance(spk, str) and spk.strip() else ""
            selections.append((r, pos + len(lead), pos + len(lead) + len(quote)))
            text_parts.append(lead + quote)
            pos += len(lead) + len(quote) + 1  # the newline between statements
        files[sguid] = "\n".join(text_parts)
        sources_el.append((src, sguid, selections))
    sources = _sub(root, "Sources")
    for src, sguid, selections in sources_el:
        ts = _sub(sources, "TextSource", guid=sguid, name=src, plainTextPath=f"internal://{sguid}.txt",
                  creatingUser=users[MODEL_CODER], creationDateTime=made)
        for r, start, end in selections:
            sid = r[st.STATEMENT_ID]
            sel_guid = _guid("sel", sid)
            sel = _sub(ts, "PlainTextSelection", guid=sel_guid, name=str(sid), startPosition=start, endPosition=end,
                       creatingUser=users[MODEL_CODER], creationDateTime=made)
            for col, f, allowed in fields:
                v = r[col]
                if v not in allowed:
                    continue
                by, at = dec_coder.get((sid, col), (MODEL_CODER, made))  # the model's labels came with the project
                coding = _sub(sel, "Coding", guid=_guid("coding", sid, col), creatingUser=users[by],
                              creationDateTime=at)
                _sub(coding, "CodeRef", targetGUID=code_guid[(f, v)])
                # every other coder who decided the field: their own coding, so that a coding comparison
                # (NVivo, MAXQDA, ATLAS.ti) sees both coders of a statement two decided, as voc agreement does
                for other, (ov, oat) in sorted(each_coder.get((sid, col), {}).items()):
                    if other != by and ov in allowed:
                        coding = _sub(sel, "Coding", guid=_guid("coding", sid, col, other), creatingUser=users[other],
                                      creationDateTime=oat)
                        _sub(coding, "CodeRef", targetGUID=code_guid[(f, ov)])
            if r[st.NOTE]:  # the schema's order: Description, Coding, NoteRef
                notes.append((_guid("note", sid), f"note {sid}", r[st.NOTE], MODEL_CODER, made))
                _sub(sel, "NoteRef", targetGUID=notes[-1][0])
            for coder, text, at in coder_notes.get(sid, []):  # a coder's memo: written by them, when they wrote it
                notes.append((_guid("coder-note", sid, coder), f"note {sid} ({coder})", text, coder, at))
                _sub(sel, "NoteRef", targetGUID=notes[-1][0])
            spk = r.get(st.SPEAKER)
            if isinstance(spk, str) and spk.strip():
                key = f"{r.get(st.SESSION) or ''}/{spk}"
                by_speaker.setdefault(key, []).append(sel_guid)
                if isinstance(r.get(st.SPEAKER_ATTRS), str) and r[st.SPEAKER_ATTRS]:
                    speaker_attr[key] = r[st.SPEAKER_ATTRS]
                for c in SESSION_VARIABLES:  # the session's: one value for all its speakers
                    v = st.group_name(r.get(c)) if c == st.GROUP else r.get(c, r["_extra"].get(c))
                    if not st.is_missing(v) and str(v).strip():
                        session_values.setdefault(key, {}).setdefault(c, str(v).strip())
            elif own:
                ticket = r["_extra"].get(st.TICKET_ID)  # a split ticket: its statements are one case
                ticket = str(ticket) if not st.is_missing(ticket) else str(sid)
                by_ticket.setdefault(ticket, []).append(sel_guid)
                values = ticket_values.setdefault(ticket, {})
                for c, col in own.items():  # a ticket's columns are the same on each of its statements
                    if c not in values and not st.is_missing(r[col]):
                        values[c] = str(r[col])
    var_guid = _guid("variable", st.SPEAKER_ATTRS)
    own_guid = {c: _guid("variable", "own", c) for c in own} if by_ticket else {}
    session_guid = {c: _guid("variable", "session", c) for c in SESSION_VARIABLES
                    if any(c in v for v in session_values.values())}
    if speaker_attr or own_guid or session_guid:  # case attributes (text variables); order: Variables, Cases, Sources
        variables = ET.Element(f"{{{QDA_NS}}}Variables")
        if speaker_attr:
            _sub(variables, "Variable", guid=var_guid, name=st.SPEAKER_ATTRS, typeOfVariable="Text")
        for c, g in session_guid.items():
            _sub(variables, "Variable", guid=g, name=c, typeOfVariable="Text")
        for c, g in own_guid.items():
            _sub(variables, "Variable", guid=g, name=c, typeOfVariable="Text")
        root.insert(list(root).index(sources), variables)
    if by_speaker or by_ticket:
        cases = ET.Element(f"{{{QDA_NS}}}Cases")
        for key in sorted(by_speaker):
            case = _sub(cases, "Case", guid=_guid("case", key), name=key.strip("/"))
            if key in speaker_attr:
                desc = _sub(case, "Description")
                desc.text = speaker_attr[key]
                _variable_value(case, var_guid, speaker_attr[key])
            for c, v in session_values.get(key, {}).items():
                _variable_value(case, session_guid[c], v)
            for g in by_speaker[key]:
                _sub(case, "SelectionRef", targetGUID=g)
        for ticket, refs in by_ticket.items():
            case = _sub(cases, "Case", guid=_guid("case", "ticket", ticket), name=ticket)
            for c, v in ticket_values[ticket].items():
                _variable_value(case, own_guid[c], v)
            for g in refs:
                _sub(case, "SelectionRef", targetGUID=g)
        root.insert(list(root).index(sources), cases)
    if notes:  # after Sources; each a text of its own (PlainTextContent), as NVivo and MAXQDA read memos
        notes_el = _sub(root, "Notes")
        for guid, note_name, text, by, at in notes:
            note = _sub(notes_el, "Note", guid=guid, name=note_name, creatingUser=users[by], creationDateTime=at)
            _sub(note, "PlainTextContent").text = text
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr(_zip_entry("project.qde", changed), xml)
            for g, text in files.items():
                z.writestr(_zip_entry(f"Sources/{g}.txt", changed), text.encode("utf-8"))
    return path


def _zip_entry(name: str, at: str) -> zipfile.ZipInfo:
    """A zip entry stamped with the project's time ``at``, not the clock's (``writestr`` of a name takes
    the time of the export), and with fixed attributes, so the same project zips to the same bytes."""
    info = zipfile.ZipInfo(name, date_time=_zip_time(at))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, on every machine
    info.external_attr = 0o644 << 16
    return info


def _code_group(codes, field: str, name: str, values) -> dict[tuple[str, str], str]:
    """One parent code (not codable) named ``name`` with a codable code per value, ``values`` as
    ``(value, name, description or None, the value it sits under or None)`` (a value before those under it);
    ``{(field, value): GUID}``. The label fields, the team's fields and the themes are written by it alike."""
    parent = _sub(codes, "Code", guid=_guid("field", field), name=name.strip(), isCodable="false")
    guids, made = {}, {}
    for v, vname, description, under in values:
        guids[(field, v)] = _guid("code", field, v)
        made[v] = code = _sub(made[under] if under is not None else parent, "Code", guid=guids[(field, v)],
                              name=vname.strip(), isCodable="true")
        if description:  # the schema's order: Description before the child codes
            _sub(code, "Description").text = description
    return guids


def _theme_codes(store) -> tuple[list[tuple], dict[str, tuple[str, str | None]], dict[str, str]]:
    """The project's themes as they stand in the themes view (renames, merges, noise marks, moves), as codes.

    Returns ``(values for :func:`_code_group`, {statement_id: (its theme's value, its sub-theme's value or
    None)}, {statement_id: (the coder who moved it to its theme, when)})``. A theme is a code when it is live (not
    merged away) and not noise (未归类, a theme marked as noise); its description says its id and the themes
    merged into it. A sub-theme of the input (``subtopic``, ``subtopic_label`` of a ``voc themes`` output) is a
    code under the theme its statements are on now: under the surviving theme after a merge, not for a
    statement moved out of it. Only statements that count (``store.COUNTED``) are coded, as the themes view
    counts them; a project that never had themes has none."""
    from voiceofcustomer.review.store import COUNTED, read_extra
    from voiceofcustomer.review.themes import ThemeBook, final_theme, sort_ids

    ThemeBook(store)  # the theme tables of a project that never opened the themes view
    themes = {r[0]: (r[1], bool(r[2]), r[3]) for r in store.con.execute(
        "SELECT theme_id, label, noise, merged_into FROM themes")}

    merged_into = {t: v[2] for t, v in themes.items()}
    live = [t for t, (_, noise, into) in themes.items() if into is None and not noise]
    merged_in: dict[str, list[str]] = {}
    for t, (_, _, into) in themes.items():
        if into is not None:
            merged_in.setdefault(final_theme(t, merged_into), []).append(t)
    subs: dict[str, dict[str, str]] = {t: {} for t in live}
    on_theme = {}
    for sid, theme, topic, extra in store.con.execute(
            f"SELECT statement_id, theme, topic, extra FROM statements s WHERE {COUNTED} ORDER BY rid"):
        if theme not in subs:
            continue
        e = read_extra(extra)
        sub = e.get(st.SUBTOPIC)
        sub = None if st.is_missing(sub) or not str(sub).strip() else str(sub).strip()
        if sub is not None and final_theme(topic, merged_into) == theme:  # its input theme's, still on it
            label = e.get("subtopic_label")
            subs[theme].setdefault(sub, sub if st.is_missing(label) or not str(label).strip() else str(label).strip())
        else:
            sub = None
        on_theme[sid] = (theme, None if sub is None else f"{theme}/{sub}")
    values = []
    for t in sort_ids(live):
        merged = "; ".join(f"{themes[m][0]} ({m})" for m in sort_ids(merged_in.get(t, [])))
        values.append((t, themes[t][0], f"theme {t}" + (f"; merged in: {merged}" if merged else ""), None))
        values += [(f"{t}/{s}", subs[t][s], f"sub-theme {s}", t) for s in sort_ids(subs[t])]
    movers = {}
    for detail, coder, at in store.con.execute("SELECT detail, coder, at FROM theme_edits WHERE op = 'move' "
                                               "AND undone = 0 ORDER BY id"):
        sid = str(json.loads(detail).get(st.STATEMENT_ID))
        if sid in on_theme:
            movers[sid] = (coder, at)
    return values, on_theme, movers


def _variable_value(case, variable_guid: str, text: str) -> None:
    value = _sub(case, "VariableValue")
    _sub(value, "VariableRef", targetGUID=variable_guid)
    _sub(value, "TextValue").text = text


def export_items(db: str | Path, path: str | Path) -> Path:
    """The decided candidate items as the ``items`` sheet ``voc survey`` reads."""
    from voiceofcustomer.review.items import ItemBook
    from voiceofcustomer.review.store import ReviewStore

    store = ReviewStore.open_existing(db)
    try:
        return ItemBook(store).export(path)
    finally:
        store.close()


def items_counts(path: str | Path) -> dict:
    """What a designer checks an items export against the review page's items view with, read from the sheet
    written (``path``, the ``items`` sheet of :func:`export_items`): ``items`` (the view's "已决定 … / N"),
    ``decided`` (its "已决定 N") and ``accept`` / ``edit`` / ``reject`` / ``undecided`` (the cards' 已采纳, 已修改,
    已删除 and those without a decision), each decision read as ``voc survey`` reads it."""
    from voiceofcustomer.items.survey import decision_of

    decisions = pd.read_excel(path, sheet_name="items", dtype=object, engine="openpyxl")["decision"].map(decision_of)
    n = {d: int((decisions == d).sum()) for d in ("accept", "edit", "reject")}
    return {"items": len(decisions), "decided": sum(n.values()), **n, "undecided": len(decisions) - sum(n.values())}


def export_project(db: str | Path, path: str | Path) -> Path:
    """Export by the output's suffix: .qdpx (REFI-QDA) or a table (.xlsx, .csv, .parquet, .jsonl)."""
    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        return export_qdpx(db, path)
    if path.suffix.lower() not in _TABLE_SUFFIXES:
        raise InputError(f"{path}: unsupported export type {path.suffix or '(none)'!r}; use .xlsx, .csv, .tsv, "
                         ".parquet or .jsonl for a table, or .qdpx for NVivo, ATLAS.ti, MAXQDA and QualCoder")
    return export_excel(db, path)


_TABLE_SUFFIXES = (".xlsx", ".csv", ".tsv", ".parquet", ".jsonl")
