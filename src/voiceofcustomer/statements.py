"""The statements table: the one shape that flows between every stage.

One row per statement. This module owns the column names, the rule for which
rows count in frequencies, items, themes and reports, and how any table the tool
writes (``voc split`` statements, a ``voc tag`` export with the user's own column
names, ``voc themes``' ``statement_topics.csv``) is mapped back to the canonical
shape. Every stage imports these names instead of repeating string literals.

Columns (canonical names; label columns are the taxonomy's field ids):

==================  ==========================================================
``statement_id``    unique id: ``session-tNNNN-sNN`` or ``file:row-sNN``
``source``          input file name
``source_kind``     what the input is: ``focus_group`` (a transcript), ``ticket`` (a ticket export) or ``other``
                    (a survey's open answers, ``--kind survey``); empty in a table written before it existed
``session``         focus-group session id (transcripts)
``group``           customer group (``public``/``business``/user-defined)
``city``            city of the session
``speaker``         speaker name as written in the transcript
``role``            ``moderator`` or ``participant`` (transcripts); ``staff`` for a ticket's staff section, else empty (tickets)
``speaker_attrs``   speaker attributes from the transcript header (``张女士（退休教师）``) or ``--speakers``
``section``         the discussion guide's heading a turn is under (``二、服务信息`` → ``服务信息``; transcripts)
``turn``, ``sent``  position: turn number, sentence number within the turn
``prompt_turn``     turn number of the moderator question this statement answers
``thread``          thread / conversation key (rows sharing it are one thread)
``text``            cleaned text (the classifier's and themes' input)
``text_raw``        the text as it was written
``tokens``          space-separated words from the domain segmenter
``is_duplicate``    exact repeat of an earlier statement *of the same speaker/ticket* (see below)
``ticket_id``       id column of a ticket export
``note``            why a row has no labels or needs a look (never dropped)
``servqual`` …      the four labels, ``<field>_conf``, ``needs_review``
``issue_2``         a second issue the statement also carries, or empty (``voc tag --issue-2``)
``topic`` …         theme id, label and confidence (``voc themes``)
==================  ==========================================================

Which rows count (frequencies, items, themes, the report; :func:`counted_mask`):
moderator turns never do (they are the researcher's words), nor a ticket's staff sections (``role`` ``staff``:
the sentences under 【处理过程】, 【处理结果】, 回访情况：, 答复： … of a ticket's text, written by the operator's
staff; :mod:`voiceofcustomer.text.sections`: kept with their text and ticket id, given an empty text's
placeholder labels and a ``note`` naming the section by ``voc tag``), nor rows whose ``text`` is
blank, nor rows flagged ``is_duplicate``. A row with no text (a focus-group turn that was
only ``[听不清]``/``（笑）``, an empty text cell of an export, an Excel formula cell with no
saved value) is not a customer statement: it says nothing to count, quote or group, nor is an
export's totals row (``合计,,,,共330条``, whose ``note`` says "a totals row, not a ticket") or its header row
repeated among the rows (``note``: "a repeated header row, not a ticket"), nor a ticket whose text looks
garbled (mojibake such as 瀹藉甫, 锟斤拷, ``??????``: ``note`` "the text looks garbled …, check the file's
encoding": :func:`voiceofcustomer.text.garbled.looks_garbled`). It is
never dropped: it stays in every table the tool writes, with its ``note`` (the reader's
reason when it knew one, e.g. the formula cell, else ``empty text``) and the labels the
tagger gives any empty text (``servqual=none``, ``demand=none``, ``issue=other``,
``stance=neutral``, ``needs_review`` true), so the tagged table's shape and the review
queue are the same for every row; those labels are placeholders, and because the row is
not counted they never reach a denominator, an ``other``/``none`` count or an example
quote. ``voc freq``'s notes give the number of such rows.

The duplicate rule is the same everywhere: a statement is a duplicate only when *the
same* speaker (transcripts: session + speaker) or *the same* ticket (ticket exports: the
ticket id) already said it. Identical texts under different ticket ids are different
customers' complaints and are all counted; an export without an id column counts as one
source, so a line it repeats is a copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from voiceofcustomer.labels.taxonomy import FIELDS

__all__ = [
    "STATEMENT_ID", "SOURCE", "SESSION", "GROUP", "CITY", "SPEAKER", "ROLE", "TURN", "SENT",
    "PROMPT_TURN", "THREAD", "SOURCE_KIND", "FOCUS_GROUP", "TICKET", "OTHER", "SOURCE_KIND_VALUES",
    "not_ticket_rows", "speaker_label", "record_label", "RECORD_NAMES", "session_shown", "TEXT", "TEXT_RAW", "TOKENS", "IS_DUPLICATE", "TICKET_ID", "NOTE",
    "SPEAKER_ATTRS", "SECTION", "SESSION_DATE", "SESSION_TITLE", "SHOWN_COLUMNS", "SHOWN_COLUMN_NAMES", "TOPIC", "TOPIC_LABEL", "TOPIC_CONF", "SUBTOPIC",
    "LABEL_FIELDS", "CONF_COLUMNS", "NEEDS_REVIEW", "LABEL_COLUMNS",
    "STATEMENT_COLUMNS", "TOOL_COLUMNS", "MODERATOR", "PARTICIPANT", "STAFF", "staff_rows", "staff_note",
    "truthy", "blank_text", "garbled_note", "totals_note", "header_note", "set_aside_note", "counted", "counted_mask",
    "counted_note", "customer_ticket_texts",
    "own_columns", "export_columns", "is_coded_export", "EXPORT_COLUMNS", "ZH_COLUMNS", "team_conf_columns", "input_name", "own_text_name", "own_id_name", "numbered_ids",
    "made_ticket_ids",
    "union_columns", "is_missing", "GROUP_NAMES", "group_name",
    "turn_number",
    "prompt_questions",
    "moderator_turns", "prompt_keys",
    "StatementsSource", "open_statements", "read_statements", "is_statements_table",
    "statement_columns", "as_statements", "table_param", "path_param", "number_param", "TEXT_COL_PROPERTY",
    "GARBLED_NOTED_PROPERTY",
]

STATEMENT_ID = "statement_id"
SOURCE = "source"
#: what kind of input a statement comes from (``voc split`` writes it: :data:`SOURCE_KIND_VALUES`), so that
#: ``voc freq`` counts a survey's open answers as 其他文本, not as tickets: their rows have a ``ticket_id`` too
#: (the answer's row, ``survey:2``: who wrote it, for the duplicate rule and the context of tagging)
SOURCE_KIND = "source_kind"
FOCUS_GROUP, TICKET, OTHER = "focus_group", "ticket", "other"
SOURCE_KIND_VALUES = (FOCUS_GROUP, TICKET, OTHER)
SESSION = "session"
GROUP = "group"
CITY = "city"
SPEAKER = "speaker"
ROLE = "role"
TURN = "turn"
SENT = "sent"
PROMPT_TURN = "prompt_turn"
THREAD = "thread"
TEXT = "text"
TEXT_RAW = "text_raw"
TOKENS = "tokens"
IS_DUPLICATE = "is_duplicate"
TICKET_ID = "ticket_id"
NOTE = "note"
SPEAKER_ATTRS = "speaker_attrs"
SECTION = "section"
SESSION_DATE = "session_date"  # a focus group's date from its header (2026-11-03), beside the statement like section
#: a focus group's title: its header's 座谈会名称 / 主题 …, else a .docx's heading above the turns (Heading 1, Title)
SESSION_TITLE = "session_title"
TOPIC = "topic"
TOPIC_LABEL = "topic_label"
TOPIC_CONF = "topic_conf"
SUBTOPIC = "subtopic"
#: a statement that fits no theme of a curated set: the suggested new theme it is in (``new1``) and its label
SUGGESTED_THEME = "suggested_theme"
SUGGESTED_LABEL = "suggested_label"

LABEL_FIELDS = FIELDS  # the label contract lives in labels/taxonomy.py
CONF_COLUMNS = tuple(f"{f}_conf" for f in LABEL_FIELDS)
NEEDS_REVIEW = "needs_review"
LABEL_COLUMNS = [*LABEL_FIELDS, *CONF_COLUMNS, NEEDS_REVIEW]
ISSUE_2 = "issue_2"

MODERATOR = "moderator"
PARTICIPANT = "participant"
#: the role of a sentence of a ticket's staff section (【处理结果】已解决。, 回访情况：客户认可。): the operator's
#: words, kept in every table, never counted (:func:`counted_mask`), labelled, themed or quoted as evidence
STAFF = "staff"

#: The columns ``voc split`` writes, in order (tickets add ``ticket_id`` and their own columns).
STATEMENT_COLUMNS = [STATEMENT_ID, SOURCE, SOURCE_KIND, SESSION, GROUP, CITY, SPEAKER, ROLE, TURN, SENT, PROMPT_TURN,
                     TEXT, TEXT_RAW, TOKENS, IS_DUPLICATE]

#: Every column a ``voc`` command writes into a statements table: ``voc split`` (above, the speaker's
#: attributes, thread and ticket id), ``voc tag`` (labels, confidences, ``note``, ``issue_2``) and
#: ``voc themes`` (the topic columns of ``statement_topics.csv``; with ``--model``, a statement that fits no
#: curated theme's ``nearest_label``, ``suggested_theme`` and ``suggested_label``: every column of
#: ``themes.model.THEME_COLUMNS``). A table's other columns are its
#: input's own (a ticket export's 受理时间, 区县, 渠道 …): see :func:`own_columns`. A transcript's ``section``
#: (the guide's heading), ``session_date`` (its header's date) and ``session_title`` are ``voc split``'s too:
#: ``voc review`` shows them beside the row before the input's own (:data:`SHOWN_COLUMNS`), so a coder reads the
#: quote with the discussion area it was said in, and ``voc export`` writes them beside ``prompt_turn``.
TOOL_COLUMNS = frozenset({*STATEMENT_COLUMNS, SPEAKER_ATTRS, SECTION, SESSION_DATE, SESSION_TITLE, THREAD, TICKET_ID,
                          NOTE,
                          *LABEL_COLUMNS, ISSUE_2,
                          TOPIC, SUBTOPIC, TOPIC_LABEL, TOPIC_CONF, "subtopic_label", "topic_similarity",
                          "topic_reason", "reason", "nearest_label", SUGGESTED_THEME, SUGGESTED_LABEL})

#: The columns ``voc export`` writes beside the statement columns (``review.export.coded_table``): the labels'
#: Chinese names (``servqual_zh`` … ``stance_zh``, ``group_zh``), the curated ``theme`` and ``theme_noise``,
#: ``counted``, ``coder_note``, ``decided``, ``coders``, the model's labels and confidences (``model_servqual``,
#: ``model_servqual_conf`` …) and ``quote``. A table that has them all is such an export (:func:`is_coded_export`):
#: they are the tool's there, as is a team field with its Chinese name beside it (``channel``, ``channel_zh``),
#: never the input's own (:func:`own_columns`). Only there: a ticket export's own ``theme`` or ``counted`` is its own.
#: A label's or the group's Chinese name (``servqual_zh``, ``group_zh``) is the tool's in any table.
ZH_COLUMNS = frozenset(f"{f}_zh" for f in (*LABEL_FIELDS, GROUP))
EXPORT_COLUMNS = frozenset({*ZH_COLUMNS, "theme", "theme_noise", "counted", "coder_note", "decided", "coders", "quote",
                            *(f"model_{f}" for f in LABEL_FIELDS), *(f"model_{f}_conf" for f in LABEL_FIELDS)})

#: Where a ``voc tag`` output records its text column when that is not ``text`` (Parquet metadata, an Excel
#: workbook's custom property; a CSV or JSON Lines file has no place for it): :func:`open_statements` reads it.
TEXT_COL_PROPERTY = "voiceofcustomer.text_col"

#: Where a ``voc tag`` output says that it notes its garbled rows (``note``: the text looks garbled …), so that
#: ``voc freq`` trusts the notes and does not test every text again (a table tagged before the note holds
#: mojibake rows without one). Parquet and Excel only: a CSV's texts are tested (about 5 µs per distinct text).
GARBLED_NOTED_PROPERTY = "voiceofcustomer.garbled_noted"

#: the tool's columns shown beside a statement with the input's own (``voc review``): where in the focus group
SHOWN_COLUMNS = (SECTION, SESSION_DATE, SESSION_TITLE)
#: how a Chinese page names them beside the row (``voc review``): the guide's heading, the header's date and title
SHOWN_COLUMN_NAMES = {SECTION: "讨论环节", SESSION_DATE: "座谈会日期", SESSION_TITLE: "座谈会名称"}

_TRUE = frozenset({"true", "1", "1.0", "yes", "y", "t", "是", "√", "x"})


#: the taxonomy's customer groups as a Chinese page names them (``public`` 公众用户, ``business`` 对公用户)
GROUP_NAMES = {"public": "公众用户", "business": "对公用户"}


def group_name(group) -> str:
    """A customer group as the report page and ``voc review`` show it: the taxonomy's 公众用户 / 对公用户 for
    ``public`` / ``business`` (a header's 公众客户 is stored as ``public``), a group the user named otherwise
    as it was written; ``""`` for none."""
    text = "" if is_missing(group) else str(group)
    return GROUP_NAMES.get(text.strip(), text)


def not_ticket_rows(rows: pd.DataFrame) -> np.ndarray:
    """Which rows ``source_kind`` says are no ticket's (``focus_group``, ``other``) although they may have a
    ``ticket_id`` (a survey's answers split as a table have their row's); all false for a table without the
    column (written before it existed: its ticket ids decide, as before)."""
    if SOURCE_KIND not in rows.columns:
        return np.zeros(len(rows), dtype=bool)
    kinds = rows[SOURCE_KIND].astype("string").str.strip()
    return kinds.isin([FOCUS_GROUP, OTHER]).fillna(False).to_numpy(dtype=bool)


def _stripped(df: pd.DataFrame, column: str) -> pd.Series:
    """``column`` as stripped text, ``""`` where empty, all ``""`` when the table has no such column."""
    return df[column].fillna("").astype(str).str.strip() if column in df.columns else pd.Series("", index=df.index)


def speaker_label(df: pd.DataFrame) -> pd.Series:
    """Each statement's speaker as a researcher quotes one: the name with the transcript header's attributes
    (``张女士（退休教师，62岁）``), the name alone without them, ``""`` for a row without a speaker (a ticket's)."""
    speaker, attrs = _stripped(df, SPEAKER), _stripped(df, SPEAKER_ATTRS)
    return speaker.where(attrs == "", speaker + "（" + attrs + "）").where(speaker != "", "")


#: how a Chinese page names the record a statement without a speaker comes from, by its ``source_kind``: a ticket
#: by its ticket id (``工单 GD001``), a survey's answer by the platform's answer number (``答卷 17``)
RECORD_NAMES = {TICKET: "工单", OTHER: "答卷"}


def record_label(df: pd.DataFrame) -> pd.Series:
    """Each statement's record as a researcher names it: a ticket's ``工单 GD001``, a survey's answer ``答卷 17`` (its
    ``ticket_id`` the 答卷编号, ``source_kind`` other: a bare ``17`` names nothing); ``""`` for a row without a
    ticket id (a focus group's) and for an answer whose ``ticket_id`` is only its row (``survey:2``, of a survey
    without answer numbers: its statement id ``survey:2-s01`` says as much). A table without ``source_kind``
    (split before it existed, or an export tagged directly) has tickets only. The report's who column and the
    item evidence quotes name a record by it."""
    ticket, kind, sid = _stripped(df, TICKET_ID), _stripped(df, SOURCE_KIND), _stripped(df, STATEMENT_ID)
    answer = kind == OTHER
    row_only = pd.Series([s.startswith(t + "-s") for s, t in zip(sid, ticket)], index=df.index, dtype=bool)
    named = (ticket != "") & (kind != FOCUS_GROUP) & ~(answer & row_only)
    word = answer.map({True: RECORD_NAMES[OTHER], False: RECORD_NAMES[TICKET]})
    return (word + " " + ticket).where(named, "")


def session_shown(session: str, title: str = "") -> str:
    """A focus-group session as the report and the evidence quotes name it: its id, with its title when it has one
    (``fg1（武汉公众用户座谈会）``: ``session_title``, the header's 座谈会名称, a .docx heading, a .txt's title line)."""
    return f"{session}（{title}）" if title and title != session else session


def truthy(values: pd.Series | Iterable) -> np.ndarray:
    """Boolean array from a column as any writer leaves it.

    Why one parser: a flag read back from CSV is ``"True"``, from Excel ``True``
    or ``1``, from a hand-edited sheet ``是``; every stage must read it the same way.
    Missing values are false.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if pd.api.types.is_bool_dtype(s):
        return s.fillna(False).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(s):
        return (s.fillna(0) != 0).to_numpy(dtype=bool)
    return s.astype("string").str.strip().str.lower().isin(_TRUE).fillna(False).to_numpy(dtype=bool)


def blank_text(values: pd.Series | Iterable) -> np.ndarray:
    """Boolean array: which texts are blank (missing, empty or only whitespace).

    The tagger's test for an empty text (``not text.strip()``, labelled other/none/neutral
    with the note "empty text"), for a whole column at once; :func:`counted_mask` leaves
    these rows out. ``voc freq``'s typed Parquet reader tests the same characters in Arrow
    (``utf8_is_space`` is Python's ``str.isspace``).
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return s.astype("string").str.strip().eq("").fillna(True).to_numpy(dtype=bool)


def set_aside_note(values: pd.Series | Iterable, notes: Iterable[str] | None = None) -> np.ndarray:
    """Boolean array: which notes say the row is no ticket (``notes``; default every one of
    :data:`voiceofcustomer.io.readers.SET_ASIDE_NOTES`: an export's totals row, its header row repeated among
    the rows): :func:`counted_mask` leaves them out."""
    from voiceofcustomer.io.readers import SET_ASIDE_NOTES

    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return s.astype("string").str.strip().isin(list(SET_ASIDE_NOTES if notes is None else notes)) \
        .fillna(False).to_numpy(dtype=bool)


def totals_note(values: pd.Series | Iterable) -> np.ndarray:
    """Boolean array: which notes say the row is an export's totals row (``合计,,,,共330条``:
    :data:`voiceofcustomer.io.readers.TOTALS_NOTE`), not a ticket: :func:`counted_mask` leaves them out."""
    from voiceofcustomer.io.readers import TOTALS_NOTE

    return set_aside_note(values, (TOTALS_NOTE,))


def header_note(values: pd.Series | Iterable) -> np.ndarray:
    """Boolean array: which notes say the row repeats the export's header row (``工单编号,…,投诉内容`` among the
    rows: :data:`voiceofcustomer.io.readers.HEADER_NOTE`), not a ticket: :func:`counted_mask` leaves them out."""
    from voiceofcustomer.io.readers import HEADER_NOTE

    return set_aside_note(values, (HEADER_NOTE,))


def garbled_note(values: pd.Series | Iterable) -> np.ndarray:
    """Boolean array: which notes say the row's text looks garbled (mojibake, 锟斤拷, ``??????``:
    :data:`voiceofcustomer.io.readers.GARBLED_NOTE`, given by ``voc split`` and ``voc tag``): a ticket with no
    words to count, which :func:`counted_mask` leaves out as it does a row with no text."""
    from voiceofcustomer.io.readers import GARBLED_NOTE

    return set_aside_note(values, (GARBLED_NOTE,))


def staff_note(label: str, kind: str = "staff") -> str:
    """The ``note`` of a staff section's row (``voc split``, ``voc tag``): which section it is and why it does not
    count; a ticket's field (``kind`` ``field``: 【工单号】, a 【…】 label in no list) says so."""
    if kind == "field":
        return f"staff section {label}: a field of the ticket (its record), not the customer's words; not counted"
    return f"staff section{' ' + label if label else ''}: the service side's words, not the customer's; not counted"


def staff_rows(df: pd.DataFrame) -> np.ndarray:
    """Boolean array: which rows are a ticket's staff section (``role`` ``staff``: :data:`STAFF`)."""
    if ROLE not in df.columns:
        return np.zeros(len(df), dtype=bool)
    return df[ROLE].astype("string").str.strip().str.lower().eq(STAFF).fillna(False).to_numpy(dtype=bool)


def customer_ticket_texts(df: pd.DataFrame, text_col: str = TEXT) -> list:
    """The texts of ``df`` with each ticket row (no ``role``: a transcript's turn has one) cut to its customer's
    sections (:func:`voiceofcustomer.text.sections.customer_text`) without their labels: what the labels and the
    themes read of a ticket read whole (【处理结果】已解决。【工单回访】客户表示满意。 are the staff's words, 投诉内容：
    and 【用户反映】 no one's) and of a statement split before the labels were left out of ``text``. A staff row,
    a transcript's turn, a text with no label and a non-text value stay as they are."""
    from voiceofcustomer.text.sections import customer_text

    texts = df[text_col].tolist()
    ticket = (df[ROLE].astype("string").str.strip().fillna("") == "").to_numpy(dtype=bool) \
        if ROLE in df.columns else np.ones(len(df), dtype=bool)
    for i in np.flatnonzero(ticket):
        if isinstance(texts[i], str):
            texts[i] = customer_text(texts[i])
    return texts


def counted_mask(df: pd.DataFrame, *, include_moderator: bool = False,
                 include_duplicates: bool = False) -> np.ndarray:
    """Which rows count as customer statements.

    The rule, the same in frequencies, items, themes and the report: moderator turns
    are the researcher's words, not the customer's, and a ticket's staff sections (``role`` ``staff``:
    :func:`staff_rows`) the operator's, never counted (``include_moderator`` does not count them); a row whose ``text`` is blank
    (:func:`blank_text`: nothing left after cleaning, an empty cell, a formula with no
    saved value), or whose ``note`` says it is an export's totals row or its header row repeated
    (:func:`set_aside_note`: ``合计,,,,共330条``, ``工单编号,…,投诉内容``) or that its text looks garbled
    (:func:`garbled_note`: mojibake, 锟斤拷, ``??????``), is no statement at all and never counts (it keeps its row, note and
    placeholder labels in the tables); and ``is_duplicate`` marks a statement the *same*
    speaker or ticket already made (an identical text under a different ticket id is a
    different complaint and counts). A table without a ``text`` column is not tested for
    blank texts.
    """
    keep = np.ones(len(df), dtype=bool)
    if not include_moderator and ROLE in df.columns:
        keep &= ~df[ROLE].astype("string").str.strip().str.lower().eq(MODERATOR).fillna(False).to_numpy(dtype=bool)
    keep &= ~staff_rows(df)
    if TEXT in df.columns:
        keep &= ~blank_text(df[TEXT])
    if NOTE in df.columns:
        keep &= ~set_aside_note(df[NOTE]) & ~garbled_note(df[NOTE])
    if not include_duplicates and IS_DUPLICATE in df.columns:
        keep &= ~truthy(df[IS_DUPLICATE])
    return keep


def counted_note(n_counted: int) -> str:
    """What a theme's count and share are of, said beside them in Chinese (``themes.html``, the report's themes
    table): the statements of :func:`counted_mask`, ``n_counted`` of them, the share's denominator."""
    return (f"条数与占比只算计入统计的陈述：共 {n_counted} 条，占比以此为分母"
            "（主持人发言、工单中的客服处理记录、重复陈述、无文字或乱码的行不计，与 voc freq 相同）")


def counted(df: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """The rows of ``df`` that count (see :func:`counted_mask`)."""
    return df.loc[counted_mask(df, **kwargs)]


def own_columns(columns: Iterable[str]) -> list[str]:
    """The input's own columns among ``columns`` (a ticket export's 受理时间, 区县, 渠道 …), in order:
    not :data:`TOOL_COLUMNS` nor a label's Chinese name (:data:`ZH_COLUMNS`), nor a team field a taught model
    wrote (``churn_risk`` beside ``churn_risk_conf``); of a ``voc export`` table (:func:`is_coded_export`: a
    ``coded.xlsx`` read back), not the export's :data:`EXPORT_COLUMNS` nor a team field with its Chinese name
    (``channel``, ``channel_zh``).

    Why: a coded.xlsx given to ``voc review`` for a second round showed ``servqual_zh``, ``decided``, ``coders``
    … under each row as the input's columns, and its own 受理时间 not at all (the first eight shown were voc's)."""
    cols = [str(c) for c in columns]
    team = set(team_conf_columns(cols))
    team |= {c[:-len("_conf")] for c in team}
    tool = TOOL_COLUMNS | set(export_columns(cols))
    if is_coded_export(cols):  # a team field the export named beside its Chinese name: channel of channel_zh
        team |= {c[:-len("_zh")] for c in tool if c.endswith("_zh")}
    return [c for c in cols if c not in tool and c not in team]


def export_columns(columns: Iterable[str]) -> list[str]:
    """The columns among ``columns`` that ``voc export`` adds to a statements table, in order: a label's or the
    group's Chinese name (:data:`ZH_COLUMNS`) in any table; in a ``voc export`` table (:func:`is_coded_export`)
    also its :data:`EXPORT_COLUMNS` and a team field's Chinese name (``channel_zh`` beside ``channel``). What
    ``voc freq`` and ``voc themes`` leave out of the columns they suggest for ``--by``."""
    cols = [str(c) for c in columns]
    have, coded = set(cols), is_coded_export(cols)
    return [c for c in cols if c in ZH_COLUMNS
            or coded and (c in EXPORT_COLUMNS or c.endswith("_zh") and c[:-len("_zh")] in have)]


def is_coded_export(columns: Iterable[str]) -> bool:
    """Whether a table with ``columns`` is a ``voc export`` table (``coded.xlsx``): it has the export's columns
    (:data:`EXPORT_COLUMNS`) that no other table has together — ``decided``, ``coders`` and the model's labels
    and confidences."""
    have = set(map(str, columns))
    return {"decided", "coders", *(f"model_{f}" for f in LABEL_FIELDS),
            *(f"model_{f}_conf" for f in LABEL_FIELDS)} <= have


def team_conf_columns(columns: Iterable[str]) -> list[str]:
    """The confidence columns of the team fields a taught model wrote among ``columns``: ``churn_risk_conf``
    beside ``churn_risk`` (``voc tag --model`` with a codebook), in order."""
    cols = [str(c) for c in columns]
    have = set(cols)
    return [c for c in cols if c.endswith("_conf") and c[:-len("_conf")] in have and c not in TOOL_COLUMNS]


def input_name(name: str, taken: Iterable[str]) -> str:
    """The name an input's own column goes out under beside the tool's columns ``taken``: its own, else
    ``<name>_input`` (a ticket export's ``text`` beside ``voc split``'s, its ``theme`` beside ``voc export``'s),
    else ``<name>_input2``, ``<name>_input3`` … — the tool's column is never overwritten."""
    taken = set(map(str, taken))
    out, k = name, 1
    while out in taken:
        out = f"{name}_input{'' if k == 1 else k}"
        k += 1
    return out


def own_text_name(columns: Iterable, text_col: str | None) -> str | None:
    """The name a table's own ``text`` column goes out under when another column is its text
    (``--text-col 投诉内容`` on a table that also has ``text``): ``text_input`` (:func:`input_name`, as
    ``voc split`` renames an export's ``text``), else None (no ``text`` of its own, or it is the text).

    Why: the canonical ``text`` is what every stage reads; a table's own ``text`` (a note, a summary)
    kept under that name beside the column the user named was read in its place."""
    cols = list(map(str, columns))
    if text_col is None or text_col == TEXT or TEXT not in cols:
        return None
    return input_name(TEXT, cols)


def own_id_name(columns: Iterable, id_col: str | None) -> str | None:
    """The name a raw export's own ``statement_id`` column goes out under when ``id_col`` (``--id-col 工单编号``)
    names another column: ``statement_id_input`` (:func:`input_name`, as ``voc split`` renames it), else None (no
    id given, it names ``statement_id``, the table has none, or ``voc split`` wrote the table).

    Why: an id given is the user's word on which column names the tickets; a system column that happens to be
    called ``statement_id`` beside it was read in its place (its ids quoted, the duplicate rule run on them). A
    table ``voc split`` wrote keeps its ``statement_id``, one per statement: the ticket's id is its
    ``ticket_id`` (the column ``--id-col`` named when it was split), so the option changes nothing there."""
    cols = list(map(str, columns))
    if id_col is None or id_col == STATEMENT_ID or STATEMENT_ID not in cols or TICKET_ID in cols or SENT in cols:
        return None
    return input_name(STATEMENT_ID, cols)


def numbered_ids(ids: Iterable) -> tuple[list[str], list[str]]:
    """``ids`` made unique by the one rule of a repeated id: the first row of an id keeps it, each later row
    gets ``<id>#2``, ``<id>#3`` … (the lowest number no row has), in input order, so the same or a grown
    export gives the same ids. Returns the ids and the new ones.

    Why one rule: ``voc themes`` on a tagged export that repeats a ticket gave ``T1005#1`` and ``T1005#2``
    where ``voc review`` on the same export gave ``T1005`` (its first row renamed by a later repeat), so the
    review project made from ``statement_topics.csv`` held the ticket twice, as two statements to code and
    count, and its ids were not those of the tagged export (``review.store.unique_ids`` and
    ``themes.pipeline.load_inputs`` use this)."""
    new = [str(i) for i in ids]
    seen, taken, last, renamed = set(), set(new), {}, []
    for i, base in enumerate(new):
        if base not in seen:
            seen.add(base)
            continue
        k = last.get(base, 1) + 1
        while f"{base}#{k}" in taken:
            k += 1
        last[base] = k
        new[i] = f"{base}#{k}"
        taken.add(new[i])
        renamed.append(new[i])
    return new, renamed


def made_ticket_ids(ids, sessions) -> np.ndarray:
    """Which ``ids`` (``ticket_id`` values) ``voc split`` made from the row of an export without an id column:
    ``<session>:<row>`` (``工单:3``), beside each row's ``session``. Such an id names a row of its file, not a
    ticket: two exports split apart (``a/工单.csv``, ``b/工单.csv``, each its own run) both have a ``工单:3``, which
    ``voc freq`` took for one ticket read twice and ``voc themes`` for one statement given twice."""
    return np.array([isinstance(i, str) and isinstance(s, str) and bool(s) and i.startswith(f"{s}:")
                     and i[len(s) + 1:].isdigit() for i, s in zip(ids, sessions)], dtype=bool)


def is_missing(v) -> bool:
    """An empty cell as any table holds it: None, NaN, pd.NA or blank text."""
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()) \
        or v is pd.NA


def turn_number(v) -> int | None:
    """A turn number as any table holds it (3, 3.0, "3", "3.0"); None when missing."""
    if is_missing(v):
        return None
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return None


def prompt_questions(df: pd.DataFrame, *, previous: bool = False) -> list[str]:
    """Per row, the moderator question it answers (the text of its ``prompt_turn`` in its
    session; for a moderator row, the question before), or "" (tickets, statements before
    the first question).

    Why one function: a focus-group statement is a fragment of a discussion whose subject
    the moderator's question sets ("对，周末更恼火" answers a question about queues); the
    label model reads the question as context and the theme model embeds it with the statement.
    ``previous`` gives instead the moderator turn before that question: a follow-up
    ("后来怎么解决的？") names no subject, the question before it does.
    """
    need = {SESSION, TURN, TEXT, PROMPT_TURN}
    if not need <= set(df.columns) or not df[PROMPT_TURN].notna().any():  # tickets: nothing to look up
        return [""] * len(df)
    asked = moderator_turns(df)
    before: dict[tuple, tuple] = {}  # a moderator turn -> the moderator turn before it, same session
    last: dict = {}
    for key in asked:
        if key[0] in last:
            before[key] = last[key[0]]
        last[key[0]] = key
    out = []
    for key in prompt_keys(df, asked):
        if key is None:
            out.append("")
        elif previous:
            out.append(asked[before[key]] if key in before else "")
        else:
            out.append(asked[key])
    return out


def moderator_turns(df: pd.DataFrame) -> dict[tuple, str]:
    """The moderator's turns, ``(session, turn number) -> text`` (a turn split into several
    statements joined again), in session and turn order."""
    if not {SESSION, TURN, TEXT} <= set(df.columns):
        return {}
    roles = df[ROLE] if ROLE in df.columns else pd.Series([""] * len(df), index=df.index)
    asked: dict[tuple, list[str]] = {}
    for s, turn, role, text in zip(df[SESSION], df[TURN], roles, df[TEXT]):
        if role == MODERATOR and not is_missing(text):
            asked.setdefault((s, turn_number(turn)), []).append(str(text))
    order = sorted(asked, key=lambda k: (str(k[0]), k[1] if k[1] is not None else -1))
    return {k: " ".join(asked[k]) for k in order}


def prompt_keys(df: pd.DataFrame, asked: dict[tuple, str] | None = None) -> list[tuple | None]:
    """Per row, the ``(session, turn number)`` of the moderator question it answers (a key of
    :func:`moderator_turns`), or None (tickets, moderator rows, statements before the first question)."""
    if not {SESSION, TURN, TEXT, PROMPT_TURN} <= set(df.columns):
        return [None] * len(df)
    asked = moderator_turns(df) if asked is None else asked
    out: list[tuple | None] = []
    for s, turn, prompt in zip(df[SESSION], df[TURN], df[PROMPT_TURN]):
        q = turn_number(prompt)
        out.append(None if q is None or q == turn_number(turn) or (s, q) not in asked else (s, q))
    return out


def union_columns(column_lists: Iterable[Iterable[str]]) -> list[str]:
    """Union of column lists in first-seen order, ``note`` kept last.

    A streaming writer fixes its header with the first chunk; computing the union of
    every input's columns first keeps the columns of later inputs.
    """
    seen: dict[str, None] = {}
    for cols in column_lists:
        for c in cols:
            seen.setdefault(str(c), None)
    out = [c for c in seen if c != NOTE]
    if NOTE in seen:
        out.append(NOTE)
    return out


# -- opening any table the tool writes ---------------------------------------------------------
_NUMERIC = (*CONF_COLUMNS, TOPIC, TOPIC_CONF, TURN, SENT, PROMPT_TURN)
_FLAGS = (IS_DUPLICATE, NEEDS_REVIEW)
_TEXTS = (STATEMENT_ID, TEXT, TEXT_RAW)


def is_statements_table(columns: Iterable[str]) -> bool:
    """True for a table some ``voc`` command wrote (split, tag, themes), false for a raw export.

    A raw ticket export must be split into statements first; a table with statement ids
    (``voc split``/``voc themes``) or with the label columns (``voc tag`` on an export) is
    already one row per statement.
    """
    cols = set(map(str, columns))
    return STATEMENT_ID in cols or set(LABEL_FIELDS) <= cols


@dataclass
class StatementsSource:
    """An opened statements table in any shape the tool writes, read in canonical columns.

    Chunks carry the file's own columns (as text) plus the canonical ones a consumer
    needs: ``text`` (the text column, found the way the readers find it, copied under
    its canonical name when the file calls it something else) and ``statement_id``
    (the id column, else ``<file stem>:<row>``). Nothing of the file is dropped; one column
    is renamed: a ``text`` of the file's own when another column is its text (``text_col=``
    named it, or ``voc tag --text-col`` did) goes out as ``text_input`` (:func:`own_text_name`).

    Attributes:
        path: the file.
        columns: the canonical columns every chunk has, in order.
        text_col: the file's own text column (``"text"`` for the tool's tables).
        id_col: the file's own id column, if any.
        bad_rows: ``(line, reason)`` of rows skipped with ``on_bad_rows="skip"``.
        properties: what a voc writer stored inside the file (:func:`voiceofcustomer.io.readers.file_properties`).
    """

    path: Path
    columns: list[str]
    text_col: str
    id_col: str | None
    _table: object = field(repr=False)
    properties: dict = field(default_factory=dict)
    _add: tuple[str, ...] = ()
    _own_text: str | None = None  # the name the file's own text column goes out under (own_text_name)
    _own_id: str | None = None  # the name the file's own statement_id goes out under (own_id_name)

    @property
    def bad_rows(self) -> list[tuple[int, str]]:
        return self._table.bad_rows

    @property
    def file_columns(self) -> list[str]:
        """The file's own columns, without the canonical ones the opener adds (``text``,
        ``statement_id``, ``ticket_id``): what :func:`is_statements_table` tells a raw export by."""
        return [c for c in self.columns if c not in self._add]

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Yield the table in chunks with :attr:`columns` (values as text, as in the file)."""
        drop_ticket = TICKET_ID not in self._table.columns and TICKET_ID not in self._add
        for chunk in self._table.chunks():
            if self._own_text is not None:
                chunk = chunk.rename(columns={TEXT: self._own_text})
            if self._own_id is not None:
                chunk = chunk.rename(columns={STATEMENT_ID: self._own_id})
            if TEXT in self._add:
                chunk[TEXT] = chunk[self.text_col]
            if STATEMENT_ID in self._add:
                chunk[STATEMENT_ID] = chunk[TICKET_ID]
            chunk = chunk.drop(columns=["_row"] + ([TICKET_ID] if drop_ticket else []))
            yield chunk[self.columns]

    def read(self) -> pd.DataFrame:
        """The whole table in memory, with the canonical numbers and flags typed.

        For analysis-size tables (items, report, themes); ids and the user's columns
        stay text (``"00123"`` is an id, not a number).
        """
        frames = list(self.chunks())
        df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=self.columns)
        for c in _TEXTS:
            if c in df.columns:
                df[c] = df[c].fillna("").astype(str)
        # a team field's confidence too (read as text, like every column of the user's, it reached the review
        # page as no number: "model: threat 0%")
        for c in (*_NUMERIC, *team_conf_columns(df.columns)):
            if c in df.columns:
                df[c] = pd.to_numeric(df[c].replace("", None), errors="coerce")
        if TOPIC in df.columns and df[TOPIC].notna().all():
            df[TOPIC] = df[TOPIC].astype(int)
        for c in _FLAGS:
            if c in df.columns:
                df[c] = truthy(df[c])
        return df


def open_statements(path: str | Path, *, text_col: str | Sequence[str] | None = None,
                    id_col: str | Sequence[str] | None = None,
                    encoding: str | None = None, sheet: str | None = None, on_bad_rows: str = "error",
                    chunksize: int = 50_000) -> StatementsSource:
    """Open any table the tool writes (``voc split``, ``voc tag``, ``voc themes``) as statements.

    Why one opener: every command's output must be a valid input of the next. A
    ``voc split`` table has ``text`` and ``statement_id``; a ticket export tagged by
    ``voc tag`` keeps the user's names (``投诉内容``, ``工单编号``), found by name as
    ``voc tag`` finds them (or given with ``text_col``/``id_col``). A Parquet or Excel output of ``voc tag``
    remembers its text column (:data:`TEXT_COL_PROPERTY`: ``voc tag X --text-col 客户诉求``), read when
    ``text_col`` is not given and the file still has that column.

    Raises:
        InputError, ColumnError: the file cannot be read or has no text column.
    """
    from voiceofcustomer.errors import ColumnError, InputError
    from voiceofcustomer.io.readers import open_table

    from voiceofcustomer.io.readers import file_properties

    path = path_param(path, "path", "a stage takes the DataFrame itself (voc.frequencies(df), voc.candidate_items(df), "
                                    "voc.ThemeModel().fit_transform(df)), its text column found by name")
    common = dict(encoding=encoding, sheet=sheet, on_bad_rows=on_bad_rows, chunksize=chunksize)
    # the text column a voc tag output remembers (voc tag X --text-col 客户诉求; Parquet and Excel outputs)
    properties = file_properties(path)
    remembered = None if text_col is not None else properties.get(TEXT_COL_PROPERTY) or None
    try:
        table = open_table(path, text_col=text_col or remembered or TEXT, id_col=id_col or STATEMENT_ID, **common)
    except ColumnError:
        # not the tool's own statements table: a tagged export with the user's column names
        try:
            table = open_table(path, text_col=text_col or remembered, id_col=id_col, **common)
        except ColumnError:
            if remembered is None:
                raise
            table = open_table(path, text_col=None, id_col=id_col, **common)  # renamed since: found by its name
    twice = [f for f in LABEL_FIELDS if f in table.repeated]
    if twice:  # which column's labels are counted, compared or reviewed would be a guess
        first, second = table.repeated[twice[0]][:2]
        # InputError, not ColumnError: voc themes reads a file that fails with a ColumnError as an export to split
        raise InputError(f"{path}: columns {first} and {second} are both named {twice[0]!r}, so which holds the "
                          "labels is not clear; keep one of them (rename or delete the other) and read it again")
    # the column named wins over a `text` of the file's own, which goes out as text_input
    own_text = own_text_name(table.columns, table.text_col)
    # and over an export's own statement_id (a system column beside 工单编号), which goes out as statement_id_input
    own_id = own_id_name(table.columns, None if id_col is None else table.id_col)  # of several given, the file's
    columns = [own_text if c == TEXT and own_text else own_id if c == STATEMENT_ID and own_id else c
               for c in table.columns]
    add = []
    if TEXT not in columns:
        add.append(TEXT)
    if STATEMENT_ID not in columns:
        add.append(STATEMENT_ID)
        if table.id_col is not None and TICKET_ID not in columns:
            add.append(TICKET_ID)  # the export's own id: who made the statement
    return StatementsSource(path=Path(path), columns=[*columns, *add], text_col=table.text_col,
                            id_col=table.id_col, _table=table, _add=tuple(add), _own_text=own_text, _own_id=own_id,
                            properties=properties)


def table_param(value, name: str, read_with: str) -> pd.DataFrame:
    """``value``, a DataFrame a stage was given as its parameter ``name``; anything else is refused in one line
    that names the parameter and what to give (``read_with``: how to read a file into one, e.g.
    ``voc.open_statements(path).read()``).

    Why: ``voc.tag(df["投诉内容"])``, ``voc.frequencies("tagged.csv")`` or ``gap_analysis(path, path)`` — a
    Series, a path, a list of texts — stopped deep inside pandas (``'Series' object has no attribute
    'columns'``, ``'str' object has no attribute 'attrs'``) with a traceback; a notebook user should hear which
    parameter takes what. A frame with two columns of one name (two 投诉内容 after a careless ``pd.concat`` or
    merge) stopped with an AttributeError (``df[name]`` is then a frame): refused here, so every stage says
    the same.

    Raises:
        InputError: ``value`` is not a DataFrame.
        ColumnError: ``value`` has two or more columns of one name (naming them).
    """
    from voiceofcustomer.errors import ColumnError, InputError

    if isinstance(value, pd.DataFrame):
        twice = list(dict.fromkeys(value.columns[value.columns.duplicated()]))
        if twice:  # after a careless pd.concat / merge: df["投诉内容"] is then a frame, not a column
            raise ColumnError(f"{name}= has more than one column named {' and '.join(map(repr, twice))}, so which "
                              "to read is not clear; keep one of each (df.loc[:, ~df.columns.duplicated()]) or "
                              "rename the others", params=(name,))
        return value

    if isinstance(value, pd.Series):
        got, todo = "a pandas Series", "give series.to_frame() (its column keeps the Series' name)"
    elif isinstance(value, Path) or isinstance(value, str) and (Path(value).suffix or Path(value).exists()):
        got, todo = f"the path {str(value)!r}", f"read the file first with {read_with}"
    elif isinstance(value, (str, list, tuple)) and not any(isinstance(v, pd.DataFrame) for v in value):
        got, todo = f"a {type(value).__name__}", "give pd.DataFrame({'text': texts}) for texts"
    else:
        got, todo = type(value).__name__, f"give a DataFrame; read a file with {read_with}"
    raise InputError(f"{name}= takes a DataFrame, not {got}; {todo}", params=(name,))


def path_param(value, name: str, frame_with: str):
    """``value``, the path (or paths) a reader was given as its parameter ``name``; a DataFrame or a Series is
    refused in one line that says the function reads a file and which one takes the frame (``frame_with``).

    Why: ``voc.split_inputs(df)`` and ``read_visits(df)`` iterated the frame's column names ('投诉内容: file
    not found'), ``read_checklist(df)`` and ``open_statements(df)`` stopped in pathlib with a TypeError: a
    notebook user with a frame in hand should hear which function takes it.

    Raises:
        InputError: ``value`` is a DataFrame or a Series.
    """
    if not isinstance(value, (pd.DataFrame, pd.Series)):
        return value
    from voiceofcustomer.errors import InputError

    got = "a DataFrame" if isinstance(value, pd.DataFrame) else "a pandas Series"
    raise InputError(f"{name}= takes a file's path, not {got}; {frame_with}", params=(name,))


def number_param(value, name: str, *, low: float | None = None, high: float | None = None, whole: bool = False,
                 above: bool = False, below: bool = False, means: str = ""):
    """``value``, a stage's numeric keyword parameter ``name``, checked: a number (``whole``: a whole number,
    a float such as 5.0 taken as 5), from ``low`` to ``high`` (``above``/``below``: strictly), else refused
    in one line naming the parameter, the range and ``means`` (what the number is). None is the caller's to
    allow (check it before).

    Why: ``voc.tag(df, review_below="0.5")`` stopped with a TypeError from inside the comparison, a string
    ``n_topics="5"`` deep inside scikit-learn; a notebook user should hear which parameter wants what. One
    check for every stage (``voc.tag``, ``frequencies``, ``ThemeModel``, ``candidate_items``, ``gap_analysis``,
    ``score_audit``), so each refuses alike.

    Raises:
        InputError: not a number (a string, a bool, NaN), not whole when ``whole``, or out of range.
    """
    import math
    import numbers

    from voiceofcustomer.errors import InputError

    kind = "a whole number" if whole else "a number"
    bounds = [f"{'above' if above else 'at least'} {low:g}" if low is not None else "",
              f"{'below' if below else 'at most'} {high:g}" if high is not None else ""]
    if low is not None and high is not None and not above and not below:
        bounds = [f"from {low:g} to {high:g}"]
    bound = " and ".join(b for b in bounds if b)
    wanted = (f"{name}= must be {bound} ({kind}{f': {means}' if means else ''})" if bound
              else f"{name}= must be {kind}{f' ({means})' if means else ''}")
    ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and not math.isnan(value)
    if ok and whole:
        ok = float(value).is_integer()
        value = int(value) if ok else value
    if not ok:
        hint = "; give it without quotes" if isinstance(value, str) and _number_text(value) else ""
        raise InputError(f"{wanted}, not {value!r}{hint}", params=(name,))
    if (low is not None and (value <= low if above else value < low)
            or high is not None and (value >= high if below else value > high)):
        raise InputError(f"{wanted}, not {value!r}", params=(name,))
    return value


def _number_text(text: str) -> bool:
    """Whether ``text`` reads as a number ('0.5', ' 5 ')."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def statement_columns(columns: Iterable, *, text_col: str | None = None, id_col: str | None = None,
                      require_text: bool = True) -> tuple[str | None, str | None]:
    """``(text column, id column)`` of an in-memory table, found as :func:`open_statements` finds
    a file's: the one given, else ``text`` / ``statement_id``, else the column with a known name
    (内容、投诉内容 … and 工单编号、编号 …: :func:`voiceofcustomer.io.readers.named_columns`).

    Why: ``voc tag tickets.csv`` finds 投诉内容 by its name, so ``voc.tag(df)`` of the same table must
    too; a stage that silently used no text (the empty texts counted, a report of empty quotes)
    or no id (identical complaints of different tickets taken for copies) gave other numbers than
    the command on the same rows. The id is optional (None when none is named so).

    Raises:
        ColumnError: ``text_col``/``id_col`` is not a column; no text column can be told (with
            ``require_text``; without it, None), naming the columns and ``text_col=``.
    """
    from voiceofcustomer.errors import ColumnError, column_guess
    from voiceofcustomer.io.readers import ID_COLUMN_NAMES, TEXT_COLUMN_NAMES, answer_number_column, named_columns

    cols = list(columns)
    listed = ", ".join(map(str, cols))
    for given, what in ((text_col, "text"), (id_col, "id")):
        if given is not None and given not in cols:
            raise ColumnError(f"no column {given!r} for the {what}{column_guess(given, cols)}; columns are: {listed}")
    text = text_col if text_col is not None else TEXT if TEXT in cols else None
    if text is None:
        # as the readers: a known name, else a lone column is the text
        hits = named_columns(cols, TEXT_COLUMN_NAMES) or (cols if len(cols) == 1 else [])
        if len(hits) == 1:
            text = hits[0]
        elif require_text:
            reason = "several candidates" if hits else "no column with a known name"
            raise ColumnError(f"cannot tell which column holds the text ({reason}); give it with text_col=; "
                              f"columns are: {listed}")
    ident = id_col if id_col is not None else STATEMENT_ID if STATEMENT_ID in cols else None
    if ident is None:
        hits = named_columns(cols, ID_COLUMN_NAMES)
        ident = hits[0] if len(hits) == 1 else None if hits else answer_number_column(cols)
    return text, ident


def as_statements(df: pd.DataFrame, *, text_col: str | None = None, id_col: str | None = None,
                  require_text: bool = True) -> pd.DataFrame:
    """``df`` with the canonical ``text`` and ``statement_id`` columns a stage reads, added as
    :meth:`StatementsSource.chunks` adds them to a file's rows: ``text`` a copy of the text column
    (:func:`statement_columns`), ``statement_id`` of the id column (and ``ticket_id``, the export's
    own id, beside it), else of the index (its labels when unique, else ``row N``). Nothing of
    ``df`` is dropped or changed, and only a ``text`` of its own is renamed, when ``text_col`` names
    another column (to ``text_input``: :func:`own_text_name`); ``df`` itself is returned when it has
    both already.
    """
    text, ident = statement_columns(df.columns, text_col=text_col, id_col=id_col, require_text=require_text)
    add = {}
    own_text = own_text_name(df.columns, text)
    if own_text is not None:
        df = df.rename(columns={TEXT: own_text})
    own_id = own_id_name(df.columns, id_col)
    if own_id is not None:
        df = df.rename(columns={STATEMENT_ID: own_id})
    if TEXT not in df.columns and text is not None:
        add[TEXT] = df[text]
    if STATEMENT_ID not in df.columns:
        if ident is not None:
            add[STATEMENT_ID] = df[ident].astype("string").fillna("").astype(object)
            if TICKET_ID not in df.columns:
                add[TICKET_ID] = add[STATEMENT_ID]
        else:
            labels = df.index if df.index.is_unique else [f"row {i + 1}" for i in range(len(df))]
            add[STATEMENT_ID] = pd.Series([str(v) for v in labels], index=df.index, dtype=object)
    return df.assign(**add) if add else df


def read_statements(path: str | Path, **kwargs) -> pd.DataFrame:
    """The whole statements table of ``path`` (see :func:`open_statements`), typed."""
    return open_statements(path, **kwargs).read()
