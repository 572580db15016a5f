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
``session``         focus-group session id (transcripts)
``group``           customer group (``public``/``business``/user-defined)
``city``            city of the session
``speaker``         speaker name as written in the transcript
``role``            ``moderator`` or ``participant`` (empty for tickets)
``turn``, ``sent``  position: turn number, sentence number within the turn
``prompt_turn``     turn number of the moderator question this statement answers
``thread``          thread / conversation key (rows sharing it are one thread)
``text``            cleaned text (the classifier's and themes' input)
``text_raw``        the text as it was written
``tokens``          space-separated words from the domain segmenter
``is_duplicate``    exact repeat of an earlier statement *of the same speaker/ticket*
``ticket_id``       id column of a ticket export
``note``            why a row has no labels or needs a look (never dropped)
``servqual`` …      the four labels, ``<field>_conf``, ``needs_review``
``topic`` …         theme id, label and confidence (``voc themes``)
==================  ==========================================================
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "STATEMENT_ID", "SOURCE", "SESSION", "GROUP", "CITY", "SPEAKER", "ROLE", "TURN", "SENT",
    "PROMPT_TURN", "THREAD", "TEXT", "TEXT_RAW", "TOKENS", "IS_DUPLICATE", "TICKET_ID", "NOTE",
    "SPEAKER_ATTRS", "TOPIC", "TOPIC_LABEL", "TOPIC_CONF", "SUBTOPIC",
    "LABEL_FIELDS", "CONF_COLUMNS", "NEEDS_REVIEW", "LABEL_COLUMNS",
    "STATEMENT_COLUMNS", "MODERATOR", "PARTICIPANT",
    "truthy", "counted", "counted_mask", "union_columns",
]

STATEMENT_ID = "statement_id"
SOURCE = "source"
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
TOPIC = "topic"
TOPIC_LABEL = "topic_label"
TOPIC_CONF = "topic_conf"
SUBTOPIC = "subtopic"

LABEL_FIELDS = ("servqual", "demand", "issue", "stance")
CONF_COLUMNS = tuple(f"{f}_conf" for f in LABEL_FIELDS)
NEEDS_REVIEW = "needs_review"
LABEL_COLUMNS = [*LABEL_FIELDS, *CONF_COLUMNS, NEEDS_REVIEW]

MODERATOR = "moderator"
PARTICIPANT = "participant"

#: The columns ``voc split`` writes, in order (tickets add ``ticket_id`` and their own columns).
STATEMENT_COLUMNS = [STATEMENT_ID, SOURCE, SESSION, GROUP, CITY, SPEAKER, ROLE, TURN, SENT, PROMPT_TURN,
                     TEXT, TEXT_RAW, TOKENS, IS_DUPLICATE]

_TRUE = frozenset({"true", "1", "yes", "y", "t", "是", "√", "x"})


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


def counted_mask(df: pd.DataFrame, *, include_moderator: bool = False,
                 include_duplicates: bool = False) -> np.ndarray:
    """Which rows count as customer statements.

    The rule, the same in frequencies, items, themes and the report: moderator turns
    are the researcher's words, not the customer's, and ``is_duplicate`` marks a
    statement the *same* speaker or ticket already made (an identical text under a
    different ticket id is a different complaint and counts).
    """
    keep = np.ones(len(df), dtype=bool)
    if not include_moderator and ROLE in df.columns:
        keep &= ~df[ROLE].astype("string").str.strip().str.lower().eq(MODERATOR).fillna(False).to_numpy(dtype=bool)
    if not include_duplicates and IS_DUPLICATE in df.columns:
        keep &= ~truthy(df[IS_DUPLICATE])
    return keep


def counted(df: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """The rows of ``df`` that count (see :func:`counted_mask`)."""
    return df.loc[counted_mask(df, **kwargs)]


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
