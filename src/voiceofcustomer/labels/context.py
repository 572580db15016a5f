"""Thread context for tagging: the earlier turns a statement answers or follows up.

Why: on real exports a follow-up ("说好跟进呢？", an order number, "已私信") has no
subject of its own; the subject is in the earlier turns of the same conversation. The
label model reads those turns as a separate, down-weighted feature block (see
:class:`voiceofcustomer.labels.model.LabelModel`).

:class:`ThreadContext` streams: rows arrive in input order, rows sharing a thread key
form one thread, and for each row it yields the context string built from the turns
*before* it. Memory is bounded: it keeps the last ``max_turns`` turns per thread and at
most ``max_threads`` threads (least recently seen are forgotten first), so a
ten-million-row export costs the same memory as a small one.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from voiceofcustomer.labels.model import CONTEXT_TURNS, context_string
from voiceofcustomer.statements import MODERATOR, PROMPT_TURN, ROLE, SESSION, SPEAKER, TEXT, TURN

__all__ = ["ThreadContext", "transcript_context", "with_transcript_context", "CONTEXT_COL"]

#: Column that carries ready-made context strings into :func:`tag_chunks` (dropped from outputs).
CONTEXT_COL = "_context"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())


class ThreadContext:
    """Per-row context strings for a stream of rows with a thread key.

    Args:
        max_turns: earlier turns kept per thread (the most recent ones).
        max_threads: threads remembered at once; the least recently seen is dropped first
            (a thread that comes back after being dropped starts without context).

    A row with no thread key (empty / NaN) is its own thread: it gets no context and
    leaves none.
    """

    def __init__(self, *, max_turns: int = CONTEXT_TURNS, max_threads: int = 100_000):
        self.max_turns = max_turns
        self.max_threads = max_threads
        self._threads: OrderedDict = OrderedDict()

    def __len__(self) -> int:
        return len(self._threads)

    def step(self, thread, text) -> str:
        """The context of this row (earlier turns of its thread), then remember the row."""
        if _missing(thread):
            return ""
        key = str(thread)
        turns = self._threads.get(key)
        if turns is None:
            turns = self._threads[key] = deque(maxlen=self.max_turns)
            while len(self._threads) > self.max_threads:
                self._threads.popitem(last=False)
        else:
            self._threads.move_to_end(key)
        ctx = context_string(list(turns), self.max_turns)
        if not _missing(text):
            turns.append(str(text))
        return ctx

    def contexts(self, threads: Iterable, texts: Iterable) -> list[str]:
        """Context strings for a batch of rows (in input order), continuing earlier batches."""
        return [self.step(k, t) for k, t in zip(threads, texts)]


def _turn_number(v) -> int | None:
    """A turn number as any table holds it (3, 3.0, "3", "3.0"); None when missing."""
    if _missing(v):
        return None
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return None


def transcript_context(statements: pd.DataFrame, *, max_turns: int = CONTEXT_TURNS) -> list[str]:
    """Context of focus-group statements: the moderator question the statement answers
    (its ``prompt_turn``) and the speaker's previous statement.

    Moderator rows get the previous moderator question as context. Rows without
    ``session``/``turn`` (tickets) get "".
    """
    need = {SESSION, TURN, SPEAKER, TEXT}
    if not need <= set(statements.columns):
        return [""] * len(statements)
    questions: dict[tuple, list[str]] = {}
    roles = statements[ROLE] if ROLE in statements.columns else pd.Series([""] * len(statements))
    for s, turn, role, text in zip(statements[SESSION], statements[TURN], roles, statements[TEXT]):
        if role == MODERATOR and not _missing(text):
            questions.setdefault((s, _turn_number(turn)), []).append(str(text))
    prompts = statements[PROMPT_TURN] if PROMPT_TURN in statements.columns else pd.Series([None] * len(statements))
    last_by_speaker: dict[tuple, str] = {}
    out = []
    for s, turn, speaker, role, text, prompt in zip(statements[SESSION], statements[TURN], statements[SPEAKER],
                                                    roles, statements[TEXT], prompts):
        parts = []
        asked = _turn_number(prompt)
        if asked is not None and (s, asked) in questions and asked != _turn_number(turn):
            parts.append(" ".join(questions[(s, asked)]))
        prev = last_by_speaker.get((s, speaker))
        if prev and role != MODERATOR:
            parts.append(prev)
        out.append(context_string(parts, max_turns))
        if not _missing(text):
            last_by_speaker[(s, speaker)] = str(text)
    return out


def with_transcript_context(chunks: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Add the :data:`CONTEXT_COL` column to statement chunks (one transcript or ticket file per chunk)."""
    for chunk in chunks:
        chunk = chunk.copy()
        chunk[CONTEXT_COL] = transcript_context(chunk) if PROMPT_TURN in chunk.columns and \
            chunk[PROMPT_TURN].notna().any() else ""
        yield chunk
