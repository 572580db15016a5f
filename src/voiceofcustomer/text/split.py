"""Statements: turns and tickets split into sentences, cleaned, segmented, traced.

Statement ids are stable and unique: ``<session>-t<turn>-s<sent>`` for transcripts and
``<file stem>:<row>-s<sent>`` for tickets (ticket exports repeat ids more often than one
would think; the ticket's own id stays in ``ticket_id``).

The statements table is the one shape every later stage reads. Its columns are a
contract (see ``STATEMENT_COLUMNS``); tickets add ``ticket_id`` and their other
columns, passed through unchanged.
"""

from __future__ import annotations

import csv

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from voiceofcustomer.errors import InputError
from voiceofcustomer.text.garbled import looks_garbled
from voiceofcustomer.text.noise import model_text
from voiceofcustomer.text.normalize import BoilerplateReport, is_boilerplate, normalize
from voiceofcustomer.io.readers import (GARBLED_NOTE, HEADER_NOTE, ROW_NOTE, SET_ASIDE_NOTES, TABLE_SUFFIXES,
                                        TOTALS_NOTE, answer_number_column, input_sheet, open_table, read_text_lines,
                                        refuse_other_spreadsheet, title_rows_of)
from voiceofcustomer.statements import (CITY, GROUP, IS_DUPLICATE, NOTE, ROLE, SENT, SESSION, SOURCE,
                                        SPEAKER, STATEMENT_COLUMNS, STATEMENT_ID, TEXT, TEXT_RAW, TICKET_ID,
                                        TOKENS, TURN, SPEAKER_ATTRS, SECTION, SESSION_DATE, SESSION_TITLE, MODERATOR,
                                        PROMPT_TURN, STAFF, SOURCE_KIND, FOCUS_GROUP, TICKET, OTHER, input_name,
                                        path_param, staff_note, union_columns)
from voiceofcustomer.text.sections import SectionRule, section_rule, ticket_sections
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.io.transcript import TURN_TABLE_SUFFIXES, Transcript, looks_like_transcript, read_transcript, \
    remove_stage_directions, speaker_attributes, transcript_header, transcript_lines, turn_table_lines, \
    unlisted_speakers

__all__ = ["split_sentences", "STATEMENT_COLUMNS", "split_inputs", "detect_kind", "SplitSummary",
           "transcript_statements", "DuplicateTracker", "duplicate_keys", "sorted_contains"]


_ENDERS = set("。！？!?；;…")
#: a line that ends with one of these goes on on the next line: its line break ends no sentence
_GOES_ON = set("，、,")
_OPEN = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")", "【": "】", "[": "]", "〈": "〉"}
_TRAILERS = set("”’」』》）)】]〉\"'")
_URL = re.compile(r"(?:https?://|www\.)[^\s@\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]+", re.IGNORECASE)
_CONTENT = re.compile(r"[\w\u3400-\u9fff]")


_MASKED_URL = re.compile("\ue000\\d+\ue001")


def _content_len(text: str) -> int:
    """Letters and characters of what the customer wrote: a post's @handles, links, tag marks and
    emoticon codes (``text.noise.model_text``) are not a sentence of their own. Why: a Weibo post
    ends "…修了三次还是断！@某某客服 @某某客服", and the handles became a statement with no words."""
    return len(_CONTENT.findall(model_text(_MASKED_URL.sub(" ", text))))


def split_sentences(text: str, *, min_chars: int = 3) -> list[str]:
    """Split text at sentence ends (。！？!?；… and line breaks, but for one after a comma: the sentence goes
    on) outside quotes and brackets; URLs and decimals (3.5元) are never cut. Fragments with fewer than
    ``min_chars`` letters/characters are joined to a neighbour.

    Joining the pieces gives back the text minus line breaks and edge whitespace.
    """
    if not text or not text.strip():
        return []
    urls: list[str] = []

    def protect(m: re.Match) -> str:
        urls.append(m.group(0))
        return f"\ue000{len(urls) - 1}\ue001"

    masked = _URL.sub(protect, text)
    pieces: list[str] = []
    buf: list[str] = []
    stack: list[str] = []
    i, n = 0, len(masked)
    while i < n:
        ch = masked[i]
        if ch == "\n":
            if "".join(buf).rstrip()[-1:] in _GOES_ON:  # 尤其晚上八点以后，/ 打游戏根本没法打。: one sentence
                i += 1
                continue
            pieces.append("".join(buf))
            buf, stack = [], []
            i += 1
            continue
        buf.append(ch)
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch == '"':
            if stack and stack[-1] == '"':
                stack.pop()
            else:
                stack.append('"')
        elif ch in _ENDERS and not stack:
            while i + 1 < n and (masked[i + 1] in _ENDERS or masked[i + 1] in _TRAILERS or masked[i + 1] == "."):
                i += 1
                buf.append(masked[i])
            pieces.append("".join(buf))
            buf = []
        i += 1
    if buf:
        pieces.append("".join(buf))
    pieces = [p.strip() for p in pieces if p.strip()]
    merged: list[str] = []
    for piece in pieces:
        if merged and _content_len(piece) < min_chars:
            merged[-1] += piece
        elif merged and _content_len(merged[-1]) < min_chars:
            merged[-1] += piece
        else:
            merged.append(piece)

    def restore(s: str) -> str:
        return re.sub("\ue000(\\d+)\ue001", lambda m: urls[int(m.group(1))], s)

    return [restore(p) for p in merged]


class DuplicateTracker:
    """Flags exact repeats of a cleaned statement *by the same speaker or ticket* (8-byte hashes).

    The one duplicate rule (see :mod:`voiceofcustomer.statements`): a speaker saying the
    same sentence twice, or a ticket repeating itself, is one statement; the same text
    under two ticket ids (or from two speakers) is two customers' complaints and counts twice.
    A file without ticket ids (a pasted web page, one line a row) is one speaker: a line
    it repeats is a copy, not a second complaint.

    Memory: the key of a row is the 8-byte BLAKE2b hash of ``who NUL text``; the keys seen
    are kept in one sorted ``int64`` array (8 bytes a key) plus a small set of the latest
    keys (at most ``max(buffer, keys/32)``), merged into the array when full. A Python set
    of the hashes took about 80 bytes a key (0.8 GB for 10⁷ rows). :meth:`flags` does a
    whole chunk at once (``voc freq``); calling the tracker does one statement.
    """

    def __init__(self, buffer: int = 16_384):
        self._sorted = np.zeros(0, dtype=np.int64)
        self._recent: set[int] = set()
        self._buffer = buffer

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    @property
    def nbytes(self) -> int:
        """Bytes held by the keys (the sorted array; the recent set at about 70 bytes a key)."""
        return self._sorted.nbytes + 70 * len(self._recent)

    def __call__(self, text: str, who: str = "") -> bool:
        if not text:
            return False
        key = int.from_bytes(_dup_key(text, who), "little", signed=True)  # an int64: no conversion in searchsorted
        if key in self._recent:
            return True
        s = self._sorted
        if len(s):
            i = int(np.searchsorted(s, key))
            if i < len(s) and int(s[i]) == key:
                return True
        self._recent.add(key)
        if len(self._recent) >= max(self._buffer, len(s) // 32):
            self._flush()
        return False

    def flags(self, texts, whos) -> np.ndarray:
        """``self(t, w)`` for each pair, in order, as a boolean array (one chunk at once:
        within the chunk only a key's first row can be new)."""
        texts = list(texts)
        out = np.zeros(len(texts), dtype=bool)
        where = np.flatnonzero(np.fromiter((bool(t) for t in texts), dtype=bool, count=len(texts)))
        if not len(where):
            return out
        whos = list(whos)
        out[where] = self.key_flags(duplicate_keys([texts[i] for i in where], [whos[i] for i in where]))
        return out

    def key_flags(self, h: np.ndarray) -> np.ndarray:
        """:meth:`flags` of rows given by their keys (:func:`duplicate_keys`; rows with text only), so
        that a caller that has the keys already (``voc freq``'s check across files) hashes once."""
        uniq, first = np.unique(h, return_index=True)  # sorted keys and each one's first row in the chunk
        repeat = np.ones(len(h), dtype=bool)
        repeat[first] = False  # later rows of a key are repeats within the chunk
        self._flush()
        known = self._contains(uniq)
        repeat[first[known]] = True  # a first row whose key an earlier chunk had
        new = uniq[~known]
        if len(new):
            self._sorted = _merge_sorted(self._sorted, new)
        return repeat

    def _contains(self, sorted_keys: np.ndarray) -> np.ndarray:
        return sorted_contains(self._sorted, sorted_keys)

    def _flush(self) -> None:
        if self._recent:
            new = np.fromiter(self._recent, dtype=np.int64, count=len(self._recent))
            new.sort()
            self._sorted = _merge_sorted(self._sorted, new)
            self._recent = set()


def _dup_key(text: str, who: str) -> bytes:
    return hashlib.blake2b(f"{who}\x00{text}".encode("utf-8"), digest_size=8).digest()


def duplicate_keys(texts, whos) -> np.ndarray:
    """The 8-byte keys of :class:`DuplicateTracker` (``who NUL text``) of each pair, as ``int64``:
    the one identity of a statement that both the duplicate rule and ``voc freq``'s check of rows
    repeated across files compare."""
    keys = b"".join(_dup_key(t, w) for t, w in zip(texts, whos))
    return np.frombuffer(keys, dtype="<i8").astype(np.int64, copy=False)


def sorted_contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which of ``keys`` are in the sorted array ``sorted_keys``."""
    if not len(sorted_keys) or not len(keys):
        return np.zeros(len(keys), dtype=bool)
    pos = np.searchsorted(sorted_keys, keys).clip(0, len(sorted_keys) - 1)
    return sorted_keys[pos] == keys


def _merge_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two sorted arrays of distinct keys (none in both) as one sorted array: one copy, no sort."""
    if not len(a):
        return b.copy()
    return np.insert(a, np.searchsorted(a, b), b)


@dataclass
class SplitSummary:
    """What happened to the inputs: counts to print and to put in reports."""

    files: list[str] = field(default_factory=list)
    turns: int = 0
    rows: int = 0
    #: of those rows, a survey's answers (``kind="survey"``, or a table with a 提交答卷时间 / 答卷编号 column)
    answers: int = 0
    statements: int = 0
    duplicates: int = 0
    #: statements with no text (an empty cell, a formula with no value); not the totals rows, counted apart
    empty: int = 0
    #: an export's totals rows (``合计,,,,共330条``): no text, the note "a totals row, not a ticket"
    #: (:data:`voiceofcustomer.io.readers.TOTALS_NOTE`), as ``voc tag`` sets them aside; never a ticket
    totals_rows: int = 0
    #: an export's header row repeated among its rows (its pages or months pasted into one file): no
    #: text, the note "a repeated header row, not a ticket" (:data:`voiceofcustomer.io.readers.HEADER_NOTE`)
    header_rows: int = 0
    #: tickets whose text looks garbled (mojibake, 锟斤拷, ``??????``: :func:`voiceofcustomer.text.garbled.looks_garbled`):
    #: no text (``text_raw`` keeps it), the note :data:`voiceofcustomer.io.readers.GARBLED_NOTE`; tickets, never counted
    garbled: int = 0
    #: statements of a ticket's staff sections (【处理结果】已解决。, 回访情况：客户认可。): role ``staff``, kept, never
    #: counted (:mod:`voiceofcustomer.text.sections`), and the tickets that have one
    staff: int = 0
    staff_tickets: int = 0
    boilerplate: int = 0
    bad_rows: list[tuple[str, int, str]] = field(default_factory=list)
    #: exports read by the header under their title row (``2026年10月全省投诉工单明细`` merged across A1:F1):
    #: ``[{"file", "title", "header_row", "title_row"}]`` (:func:`voiceofcustomer.io.readers.title_rows_of`)
    title_rows: list[dict] = field(default_factory=list)
    #: transcripts in which no turn is the moderator's: every turn counts as a customer's (``--moderator``)
    no_moderator: list[str] = field(default_factory=list)
    #: transcripts (.txt, .docx, sheets of turns) that name no customer group (no 客户群 header line or row above
    #: the title row, no 客户群 column of one value, no ``group``): their statements have none
    no_group: list[str] = field(default_factory=list)
    #: transcripts whose city is the one their title names (``宽带用户座谈会（杭州）``: no 城市 line, 地点 nor ``city``;
    #: :func:`voiceofcustomer.text.places.city_in_title`): (file, city)
    city_from_title: list[tuple[str, str]] = field(default_factory=list)
    #: transcripts naming no moderator whose moderator was taken from how one speaker speaks
    #: (:func:`voiceofcustomer.io.transcript.detect_moderator`): (file, speaker, why)
    detected_moderators: list[tuple[str, str, str]] = field(default_factory=list)
    #: transcripts whose participants speak under names the header's 参与者 lacks: (file, names with hints)
    unlisted_speakers: list[tuple[str, list[str]]] = field(default_factory=list)
    #: a transcript given twice (the same focus group saved as .txt and as .docx): the same session with the
    #: same turns as an earlier input's; kept, as another session. (earlier file, file, session, its session here)
    same_transcripts: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def set_aside(self) -> int:
        """Rows of an export that are no ticket, with the reader's note (totals and repeated header rows)."""
        return self.totals_rows + self.header_rows


def _clean_piece(piece: str) -> str:
    return remove_stage_directions(normalize(piece)).strip()


def _pieces(raw: str, report: BoilerplateReport) -> list[tuple[str, str]]:
    lines = []
    for line in raw.split("\n"):
        if line.strip() and is_boilerplate(normalize(line)):
            report.dropped.append(line.strip())
        else:
            lines.append(line)
    out: list[tuple[str, str]] = []
    held = ""  # a sentence with no words once stage directions are gone ([听不清]……) goes with the next one
    for piece in split_sentences("\n".join(lines)):
        raw = held + piece
        text = _clean_piece(raw)
        held = raw if not _content_len(text) else ""
        if not held:
            out.append((text, raw))
    if held and out:  # ……[听不清]。 at the end: with the sentence before it
        raw = out[-1][1] + held
        out[-1] = (_clean_piece(raw), raw)
    elif held:
        out.append((_clean_piece(held), held))
    return out


_PROMPT = re.compile(r"[?？]|吗|呢|什么|怎么|怎样|如何|哪|多少|为什么|谈谈|说说|聊聊|讲讲|评价|看法|感受|体验|意见|建议")


def _is_prompt(text: str) -> bool:
    """A moderator turn that asks something (sets the discussion area), not "好，谢谢" or logistics."""
    return bool(_PROMPT.search(text or ""))


def transcript_statements(tr: Transcript, segmenter: Segmenter, dup: DuplicateTracker,
                          summary: SplitSummary | None = None, *, source: str | None = None) -> pd.DataFrame:
    """One row per statement of a transcript (moderator included, ``role`` says who); ``source``
    names the file (default its name)."""
    source = source or tr.path.name
    rows = []
    meta = tr.meta
    attrs = speaker_attributes(meta)
    held_on = session_date(meta.get("date", ""))
    prompt = None  # the moderator question participants are answering
    for turn in tr.turns:
        if turn.role == MODERATOR and (prompt is None or _is_prompt(turn.text)):
            prompt = turn.turn
        pieces = [(t, r) for t, r in _pieces(turn.text, tr.boilerplate) if t] or [("", turn.text)]
        # a garbled sentence (瀹藉甫…, 锟斤拷): no text, its text_raw, and the note, as a ticket's; a turn of lost
        # characters (??? 1000M ????) is cut at its question marks into pieces none of which is garbled alone
        flags = [bool(t) and looks_garbled(t) for t, _ in pieces]
        if not any(flags) and looks_garbled(turn.text):
            pieces, flags = [("", turn.text)], [True]
        for sent, ((text, raw), garbled) in enumerate(zip(pieces, flags), 1):
            text = "" if garbled else text
            is_dup = dup(text, f"{tr.session}\x00{turn.speaker}")
            rows.append({
                STATEMENT_ID: f"{tr.session}-t{turn.turn:04d}-s{sent:02d}",
                SOURCE: source, SOURCE_KIND: FOCUS_GROUP, SESSION: tr.session, GROUP: meta.get("group", ""),
                CITY: meta.get("city", ""), SPEAKER: turn.speaker, ROLE: turn.role,
                TURN: turn.turn, SENT: sent, PROMPT_TURN: prompt if turn.role != MODERATOR else None,
                TEXT: text, TEXT_RAW: raw,
                TOKENS: segmenter.tokens_str(text), IS_DUPLICATE: is_dup,
                SPEAKER_ATTRS: attrs.get(turn.speaker, ""), SECTION: turn.section, SESSION_DATE: held_on,
                SESSION_TITLE: meta.get("title", ""),
                NOTE: "" if text else GARBLED_NOTE if garbled else (
                    "no words left after removing stage directions" if turn.text.strip()
                    else f"empty turn: nothing after the speaker label (line {turn.line})"),
            })
            if summary is not None:
                summary.statements += 1
                summary.duplicates += is_dup
                summary.empty += not text and not garbled
                summary.garbled += garbled
    if summary is not None:
        summary.turns += len(tr.turns)
        summary.boilerplate += tr.boilerplate.count
    return pd.DataFrame(rows, columns=STATEMENT_COLUMNS + _TRANSCRIPT_COLUMNS)


#: What a transcript's statements carry beyond the contract's columns.
_TRANSCRIPT_COLUMNS = [SPEAKER_ATTRS, SECTION, SESSION_DATE, SESSION_TITLE, NOTE]
_HEADER_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def session_date(text: str) -> str:
    """A header's date as ``YYYY-MM-DD`` (``2026年11月3日 上午9:30`` is ``2026-11-03``), else its text as
    written (``十一月初``), so that statements of one session can be told apart by when it was held."""
    text = (text or "").strip()
    m = _HEADER_DATE.search(text)
    if not m:
        return text
    y, mo, d = map(int, m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else text


def _section_pieces(parts, report: BoilerplateReport) -> list[tuple[str, str, tuple[str, str] | None]]:
    """The statements of a ticket's sections: ``(text, text_raw, (label, kind) or None)``, ``None`` the
    customer's. A customer section's label (``投诉内容：``, ``【用户反映】``) is no word of the customer's: it is
    left out of the statement's ``text`` and kept in its ``text_raw``; a staff section or a field keeps its label
    in ``text`` (it says whose words they are). A label with nothing under it goes into the next row's
    ``text_raw`` (or the last one's), so that the rows' ``text_raw`` still hold the whole cell."""
    out: list[tuple[str, str, tuple[str, str] | None]] = []
    held = ""
    for part in parts:
        own = not part.staff
        got = [(t, r) for t, r in _pieces(part.body if own else part.text, report) if t]
        prefix = held + (part.head if own else "")
        if not got:
            held = prefix
            continue
        held = ""
        got[0] = (got[0][0], prefix + got[0][1])
        out.extend((t, r, None if own else (part.label, part.kind)) for t, r in got)
    if held and out:
        out[-1] = (out[-1][0], out[-1][1] + held, out[-1][2])
    return out


#: the tool's columns a ticket export's own column is renamed beside (``text`` → ``text_input``)
_SPLIT_COLUMNS = frozenset({*STATEMENT_COLUMNS, NOTE})


def _ticket_statements(chunk: pd.DataFrame, text_col: str, source: tuple[str, str, str], segmenter: Segmenter,
                       dup: DuplicateTracker, group: str, city: str, summary: SplitSummary,
                       by_ticket: bool = True, sections: SectionRule | None = None,
                       source_kind: str = TICKET) -> pd.DataFrame:
    """``source``: ``(name, stem, file)`` of the input (:func:`input_labels`; ``file`` is where a text
    repeats as a duplicate when the export has no ticket ids: the same file given twice is one).
    ``source_kind``: ``ticket``, or ``other`` for a survey's answers (their ``ticket_id`` is the answer's row).

    A ticket's text is cut into its sections first (:func:`voiceofcustomer.text.sections.ticket_sections`,
    ``sections`` the labels in use): the sentences of a staff section (【处理结果】已解决。) get the role ``staff``
    and a note naming the section; their repeats are told within the ticket's staff sentences only."""
    sections = sections or section_rule()
    name, stem, scope = source
    passthrough = [c for c in chunk.columns if c not in ("_row", TICKET_ID, text_col, ROW_NOTE)]
    renamed = {c: input_name(c, _SPLIT_COLUMNS) for c in passthrough}
    report = BoilerplateReport()
    rows = []
    for rec in chunk.to_dict("records"):
        raw = rec[text_col] or ""
        # 合计,,,,共330条 or the header row again: one row with no text, and the reader's note
        aside = rec.get(ROW_NOTE) in SET_ASIDE_NOTES
        # a garbled text (瀹藉甫…, 锟斤拷, ??????): one row with no text, its text_raw, and the note saying so
        garbled = not aside and looks_garbled(raw)
        if garbled:
            rec[ROW_NOTE] = GARBLED_NOTE
            summary.garbled += 1
        pieces = [] if aside or garbled else _section_pieces(ticket_sections(raw, sections), report)
        pieces = pieces or [("", raw, None)]
        # a survey's answer numbers are its own (two surveys both have a 1): its answers' repeats are told in the file
        who = (str(rec[TICKET_ID]) if source_kind != OTHER else f"{scope}\x1f{rec[TICKET_ID]}") if by_ticket else scope
        summary.staff_tickets += any(label is not None for _t, _r, label in pieces)
        for sent, (text, piece_raw, label) in enumerate(pieces, 1):
            is_dup = dup(text, who if label is None else f"{who}\x00{STAFF}")
            row = {
                STATEMENT_ID: f"{stem}:{rec['_row']}-s{sent:02d}", SOURCE: name, SOURCE_KIND: source_kind,
                SESSION: stem,
                GROUP: group, CITY: city, SPEAKER: "", ROLE: "" if label is None else STAFF, TURN: rec["_row"],
                SENT: sent,
                TEXT: text, TEXT_RAW: piece_raw, TOKENS: segmenter.tokens_str(text), IS_DUPLICATE: is_dup,
                TICKET_ID: rec[TICKET_ID],
            }
            for c in passthrough:
                row[renamed[c]] = rec[c]
            row[NOTE] = (staff_note(*label) if label is not None else ""
                         ) if text else (rec.get(ROW_NOTE) or "empty text")  # e.g. a formula with no value
            rows.append(row)
            summary.statements += 1
            summary.staff += label is not None
            summary.duplicates += is_dup
            summary.empty += not text and not aside and not garbled
        summary.totals_rows += rec.get(ROW_NOTE) == TOTALS_NOTE
        summary.header_rows += rec.get(ROW_NOTE) == HEADER_NOTE
    summary.rows += len(chunk)
    summary.answers += len(chunk) if source_kind == OTHER else 0
    summary.boilerplate += report.count
    cols = STATEMENT_COLUMNS + [TICKET_ID] + [renamed[c] for c in passthrough] + [NOTE]
    return pd.DataFrame(rows, columns=cols)


_OLD_WORD = {".doc": "old Word (.doc)", ".wps": "WPS (.wps)", ".rtf": "RTF (.rtf)", ".pdf": "PDF (.pdf)"}


#: the kinds of input ``split_inputs`` takes (``kind=``): ``survey`` is a table of a survey's open answers, one
#: answer a row, read as a ticket export is but counted as 其他文本 (``source_kind`` ``other``), not as tickets
KINDS = ("auto", "transcript", "tickets", "survey")
#: a table whose header names one of these is a survey platform's export (问卷星: 提交答卷时间; 答卷编号)
_SURVEY_COLUMN = re.compile(r"答卷")


def survey_columns(columns) -> list[str]:
    """The columns that say a table is a survey's answers (``提交答卷时间``, ``答卷编号``), which a ticket export
    never has: ``kind="auto"`` reads such a table as a survey."""
    return [str(c) for c in columns if _SURVEY_COLUMN.search(str(c))]


def detect_kind(path: Path, encoding: str | None = None, sheet: str | None = None) -> str:
    """``transcript`` for a .txt/.docx whose lines are speaker turns, or a sheet (``sheet``) or CSV of turns whose
    first row names the speaker's and the words' column (``序号 | 发言人 | 发言内容``) with speakers who speak again;
    else ``tickets``."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return "transcript"
    if suffix == ".txt":  # a transcript or a list of tickets, which this file's lines would have said
        lines = transcript_lines(path, encoding, "save it again or give the file that holds the transcript or tickets")
        if looks_like_transcript(lines):
            return "transcript"
        if header := transcript_header(lines):  # 座谈会名称、主持人 … above lines that start no turn: not tickets
            raise InputError(f"{path}: has a focus group's header ({'、'.join(header[:4])}) but no speaker turns were "
                             "found (lines like '主持人：…' or '张女士：…'); check how its turns are written, or give "
                             "kind='tickets' to read every line as a ticket", params=("kind",))
        return "tickets"
    if suffix in TURN_TABLE_SUFFIXES:
        try:
            return "transcript" if turn_table_lines(path, sheet, encoding) is not None else "tickets"
        except (InputError, csv.Error):  # unreadable, several sheets, a broken workbook …: the ticket reader says it
            return "tickets"
    if suffix in TABLE_SUFFIXES:
        return "tickets"
    if suffix in _OLD_WORD:
        raise InputError(f"{path}: {_OLD_WORD[suffix]} files cannot be read; open it in Word or WPS, save it as "
                         ".docx (or as .txt), and give that file")
    refuse_other_spreadsheet(path)
    raise InputError(f"{path}: unsupported file type {suffix!r}; use .txt, .docx, .csv, .tsv, .xlsx, .xls, .ods, .parquet "
                     "or .jsonl")


def _ticket_columns(source_columns: list[str], text_col: str) -> list[str]:
    """The statement-table columns a ticket export gives (what ``_ticket_statements`` writes)."""
    passthrough = [c for c in source_columns if c not in ("_row", TICKET_ID, text_col)]
    renamed = [input_name(c, _SPLIT_COLUMNS) for c in passthrough]
    return STATEMENT_COLUMNS + [TICKET_ID] + renamed + [NOTE]


def input_labels(inputs: list[tuple[Path, str | None]]) -> list[tuple[str, str]]:
    """``(source, stem)`` per input of one run (``(path, sheet named for this file or None)``): the
    file's name and stem, told apart where several inputs share a stem.

    Why: the stem is the session and the prefix of every statement id; 第1场.txt of two city
    folders gave one session and the same ids twice (369 statements, 213 ids), so their
    questions and answers mixed and a review project kept half of them. Inputs sharing a stem get
    as many of their parent folders as tell them apart (``北京/第1场``), the sheet of a workbook
    named ``FILE.xlsx:SHEET`` (``投诉单:投诉``), or ``#2`` for a file given twice."""
    labels = [(p.name + (f":{sh}" if sh else ""), p.stem + (f":{sh}" if sh else "")) for p, sh in inputs]
    groups: dict[str, list[int]] = {}
    for i, (_name, stem) in enumerate(labels):
        groups.setdefault(stem, []).append(i)
    for idx in groups.values():
        if len(idx) < 2:
            continue
        parents = [Path(os.path.abspath(inputs[i][0])).parent.parts for i in idx]
        # the fewest folders that tell the most of them apart (one file given twice stays alike: #2)
        depth = max(range(1, max(map(len, parents)) + 1), key=lambda d: (len({ps[-d:] for ps in parents}), -d))
        if len({ps[-depth:] for ps in parents}) > 1:
            for i, ps in zip(idx, parents):
                prefix = "/".join(ps[-depth:]).lstrip("/")
                labels[i] = (f"{prefix}/{labels[i][0]}", f"{prefix}/{labels[i][1]}")
    used: set[str] = set()
    out = []
    for name, stem in labels:
        tag = _unused(stem, used)[len(stem):]  # "" or "#2", "#3" …
        used.add(stem + tag)
        out.append((name + tag, stem + tag))
    return out


def _turns_said(tr: Transcript) -> tuple[tuple[str, str], ...]:
    """Who said what, turn by turn, spaces and line breaks aside: the same focus group saved as .txt and as
    .docx gives the same."""
    return tuple((t.speaker, "".join(t.text.split())) for t in tr.turns)


def _unused(name: str, used: set[str]) -> str:
    k, out = 1, name
    while out in used:
        k += 1
        out = f"{name}#{k}"
    return out


def split_inputs(paths: str | Path | Iterable[str | Path], *, kind: str = "auto",
                 text_col: str | Iterable[str] | None = None,
                 id_col: str | Iterable[str] | None = None, encoding: str | None = None, sheet: str | None = None,
                 group: str | None = None, city: str | None = None, session: str | None = None,
                 on_bad_rows: str = "error", segmenter: Segmenter | None = None,
                 summary: SplitSummary | None = None, chunksize: int = 20_000,
                 progress: Callable[[int], None] | None = None, moderators: Iterable[str] = (),
                 staff_sections: Iterable[str] = (), customer_sections: Iterable[str] = ()) -> Iterator[pd.DataFrame]:
    """Yield statement-table chunks for each input (transcripts and ticket files mixed).

    Every chunk has the same columns: the union over all inputs (computed before the
    first chunk, since a streaming writer fixes its header then), values missing in an
    input left empty. So ``voc split transcript.txt tickets.csv`` keeps the ticket columns.
    ``text_col``: the text column of every table, or several (a survey's and a ticket export's): each table's is
    the one of them it has (:func:`voiceofcustomer.io.readers.open_table`).
    ``moderators``: transcript speaker labels whose turns are the moderator's (``说话人1``), besides
    主持人/M/Q and the header's 主持人. ``paths`` may be one path (``split_inputs("tickets.csv")``; its
    characters were taken for paths, '/: unsupported file type'). ``staff_sections``: section labels of a
    ticket's text written by staff, besides :data:`voiceofcustomer.text.sections.STAFF_SECTIONS` (处理过程,
    处理结果, 工单回访 …): their sentences get the role ``staff`` and are never counted; ``customer_sections``:
    labels of the customer's words besides :data:`~voiceofcustomer.text.sections.CUSTOMER_SECTIONS` (a 【…】
    label in no list is a field of the ticket, not counted, unless named here).
    """
    paths = path_param(paths, "paths", "label a DataFrame as it is with voc.tag(df) (its text column found by name), "
                       "or write it to a file first (df.to_csv(path, index=False))")
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if kind not in KINDS:
        raise InputError(f"kind= must be auto, transcript, tickets or survey, not {kind!r}", params=("kind",))
    segmenter = segmenter or Segmenter()
    sections = section_rule(staff_sections, customer_sections)
    summary = summary if summary is not None else SplitSummary()
    dup = DuplicateTracker()
    plans = []  # (path, kind, TableSource or None): every input is opened before anything is yielded
    named_sheets = []  # a sheet named for one workbook (tickets.xlsx:投诉), to tell its statements apart
    tr_sheets: dict[int, str | None] = {}
    for p in paths:
        path, path_sheet = input_sheet(p, sheet)  # tickets.xlsx:投诉 names that workbook's sheet
        named_sheets.append(input_sheet(p)[1])
        if not path.exists():
            raise InputError(f"{path}: file not found; check the path")
        k = detect_kind(path, encoding, path_sheet) if kind == "auto" else kind
        if k == "transcript":
            if path.suffix.lower() not in (".txt", ".docx", *TURN_TABLE_SUFFIXES):
                raise InputError(f"{path}: transcripts must be .txt or .docx, or a table of turns (.xlsx, .csv … "
                                 "whose first row names the columns: 序号 | 发言人 | 发言内容)")
            plans.append((path, k, None))
            tr_sheets[len(plans) - 1] = path_sheet  # a workbook of turns: its sheet
        else:
            src = open_table(path, text_col=text_col, id_col=id_col, encoding=encoding, sheet=path_sheet,
                             on_bad_rows=on_bad_rows, chunksize=chunksize)
            k = "survey" if kind == "auto" and survey_columns(src.columns) else k
            if k == "survey" and src.id_col is None:  # no id given nor found by name: the platform's answer number
                src.id_col = answer_number_column(src.columns)
            plans.append((path, k, src))
    columns = union_columns(STATEMENT_COLUMNS + _TRANSCRIPT_COLUMNS if src is None
                            else _ticket_columns(src.columns, src.text_col) for _p, _k, src in plans)
    labels = input_labels([(path, named) for (path, _k, _src), named in zip(plans, named_sheets)])
    sessions: set[str] = set()
    transcripts: dict[tuple, str] = {}  # (session, turns) of each transcript read: its file

    def fit(df: pd.DataFrame) -> pd.DataFrame:
        return df if list(df.columns) == columns else df.reindex(columns=columns, fill_value="")

    for i_plan, ((path, k, source), (name, stem)) in enumerate(zip(plans, labels)):
        summary.files.append(str(path))
        if source is None:
            tr = read_transcript(path, encoding=encoding, group=group, city=city, session=session,
                                 moderators=moderators, sheet=tr_sheets.get(i_plan))
            if found := tr.meta.get("moderator_detected"):
                summary.detected_moderators.append((str(path), *found))
            elif not any(t.role == MODERATOR for t in tr.turns) and not tr.meta.get("moderator_none"):
                summary.no_moderator.append(str(path))
            if not tr.meta.get("group"):  # a .txt / .docx naming none too, as a sheet of turns
                summary.no_group.append(str(path))
            if tr.meta.get("city_from_title"):
                summary.city_from_title.append((str(path), tr.meta["city"]))
            if unlisted := unlisted_speakers(tr):
                summary.unlisted_speakers.append((str(path), unlisted))
            given = (tr.session, _turns_said(tr))  # before it is told apart from an earlier input's
            if not tr.meta.get("session") and stem != path.stem:  # the session is the file's: told apart
                tr.meta["session"] = stem
            if tr.session in sessions:  # a session another input has (its header's, or --session)
                tr.meta["session"] = _unused(tr.session, sessions)
            sessions.add(tr.session)
            if given in transcripts:
                summary.same_transcripts.append((transcripts[given], str(path), given[0], tr.session))
            transcripts.setdefault(given, str(path))
            df = transcript_statements(tr, segmenter, dup, summary, source=name)
            if progress:
                progress(len(df))
            yield fit(df)
            continue
        n_rows = 0
        stem = _unused(stem, sessions)
        sessions.add(stem)
        source.id_prefix = stem  # ticket ids of an export without an id column: <stem>:<row>
        summary.title_rows.extend(title_rows_of(path, source))
        for chunk in source.chunks():
            n_rows += len(chunk)
            df = _ticket_statements(chunk, source.text_col, (name, stem, os.path.abspath(path)), segmenter, dup,
                                    group or "", city or "", summary, by_ticket=source.id_col is not None,
                                    sections=sections, source_kind=OTHER if k == "survey" else TICKET)
            if progress:
                progress(len(chunk))
            yield fit(df)
        summary.bad_rows.extend((str(path), line, reason) for line, reason in source.bad_rows)
        if n_rows == 0:
            raise InputError(f"{path}: has a header but no data rows; export the data again")
