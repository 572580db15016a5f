"""Issue frequencies: counts and shares of every label, overall, by group, by period, crossed.

Complaint teams count statements by category to find the short boards and hot spots and
to see whether fixes worked; researchers must be able to trace every number back to the
words behind it. So every cell carries its denominator, a 95% Wilson interval (shares of
small groups are noisy; the interval says how noisy) and the ids and texts of its most
confidently labelled statements.

The input is a tagged table (``voc split`` + ``voc tag``, or an export tagged directly by
``voc tag``), as one DataFrame or as an iterable of chunks: only counts and the top
examples per cell are kept between chunks, so a ten-million-row export is never held in
memory at once.

Which rows count (:func:`voiceofcustomer.statements.counted_mask`): rows with no text
(blank text: not a statement) never do; moderator statements (``role == "moderator"``) and
rows flagged ``is_duplicate`` are left out unless asked for; a table without an ``is_duplicate``
column (an export tagged directly by ``voc tag``) gets the one duplicate rule applied
here — a row repeating an earlier row of the same id word for word is left out, as
``voc analyze`` leaves it out (``text.split.DuplicateTracker``). A label that is empty
or not in the taxonomy leaves the row out of that field's tables only. The ``notes``
table gives every number excluded, so nothing disappears silently.

Tables of :attr:`FreqResult.tables`, in this order. Every label of ``taxonomy.LABELS``
appears in every table, in taxonomy order, with count 0 when nothing carries it:

``overall``
    field, label, label_zh, count, n, share, ci_low, ci_high, examples
``by_<col>`` (one per grouping column, e.g. ``by_city``, ``by_渠道``)
    field, label, label_zh, <col>, count, n, share, ci_low, ci_high, examples.
    Rows run field → group value (sorted; ``(blank)`` last) → label.
``by_period`` (when ``period`` is given)
    period, field, label, label_zh, count, n, share, ci_low, ci_high, change, change_pct,
    examples. Every period from the first to the last is listed (a period with no
    statements shows 0). ``change`` = count − the previous period's count; ``change_pct`` =
    change / previous count (empty for the first period or when the previous count is 0).
``<field>_x_<col>`` cross-tables (default ``issue_x_servqual`` and ``demand_x_group``)
    field, label, label_zh, <col>, [<col>_zh when <col> is a label field], count, n, share,
    ci_low, ci_high, examples: the table of ``field`` by the categories of ``col``.
``by_source_kind`` (transcripts and split tickets counted together, e.g. ``voc analyze fg.docx tickets.xlsx``)
    field, label, label_zh, source_kind (``focus_group``: no ticket, a transcript's role or session date;
    ``ticket``; ``other``: no ticket and neither, e.g. a survey's open answers), source_kind_zh (座谈会, 工单,
    其他文本), count, …: each kind's counts side by side, not one pooled count (the kinds counted). Only when
    the counted statements hold tickets and statements without one.
``notes``
    note, count, detail: rows read, excluded and counted, rows without a date, skipped
    cross-tables, and how shares, intervals and examples are computed.

Columns: ``count`` statements with the label in the cell; ``n`` statements in the group
(period, column category) that have a label for the field; ``share`` = count / n;
``ci_low``/``ci_high`` its 95% Wilson interval; ``examples`` "id: text | id: text | …",
the statements with the highest ``<field>_conf`` (for a label × label cross-table, the
lower of the two confidences), texts cut to 80 characters. Full texts are in
:attr:`FreqResult.examples`.

A table with ``ticket_id`` beside ``statement_id`` (a split ticket export) counts tickets too, in every
table: ``tickets`` (after ``count``) tickets with a counted statement in the cell; ``ticket_n`` tickets of
the group with a label for the field; ``ticket_share`` = tickets / ticket_n and ``ticket_ci_low``/
``ticket_ci_high`` its Wilson interval (after ``ci_high``; ``change``/``change_pct`` of ``by_period`` come
first). A ticket may hold statements of several labels, so a field's ticket shares may add up to more than 1.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd

from voiceofcustomer.errors import ColumnError, DataQualityError, InputError, closest_column, no_by_column, no_column
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS, ZH
from voiceofcustomer.io.writers import atomic_path, neutralize_formulas, write_table
from voiceofcustomer.statements import (GARBLED_NOTED_PROPERTY, GROUP, IS_DUPLICATE, NOTE, ROLE, SECTION, SESSION_DATE,
                                        STATEMENT_ID, TEXT, SESSION, SOURCE, SOURCE_KIND, FOCUS_GROUP, OTHER,
                                        TICKET_ID, number_param, not_ticket_rows,
                                        as_statements,
                                        blank_text, counted_mask, garbled_note, header_note, input_name,
                                        made_ticket_ids,
                                        open_statements,
                                        staff_rows, statement_columns, table_param, totals_note)

__all__ = ["FreqResult", "Example", "frequencies", "make_tally", "count_table", "feed_tally", "wilson_interval",
           "write_frequencies", "write_frequency_files", "frequency_file_names", "open_tagged", "period_labels",
           "trend_dates",
           "parse_dates", "excel_serials", "date_column", "DATE_COLUMN_NAMES", "PERIODS", "DEFAULT_CROSSES", "BLANK",
           "NOTE_PARAMS", "check_files_alike", "tally_text_col"]

PERIODS = {"week": "W-SUN", "month": "M"}  # pandas frequencies; weeks run Monday to Sunday
DEFAULT_CROSSES = (("issue", "servqual"), ("demand", GROUP))
BLANK = "(blank)"
#: The parameters the ``notes`` table's details name as a Python caller writes them (``include_duplicates=True``);
#: ``voc freq`` says them as its flags (``cli.support.cli_words``), as it says an error's ``params``.
NOTE_PARAMS = ("include_moderator", "include_duplicates", "period")
_EXAMPLE_CHARS = 80
_SAMPLES = 3
_FROM_ZH = {f: {zh: label for label, zh in ZH[f].items()} for f in FIELDS}
_RESERVED = frozenset({"field", "label", "label_zh", "count", "n", "share", "ci_low", "ci_high", "examples",
                       "period", "change", "change_pct", "tickets", "ticket_n", "ticket_share", "ticket_ci_low",
                       "ticket_ci_high", "source_kind", "source_kind_zh"})
#: what the output's columns that a grouping column may not be named hold, as the refusal says it
_RESERVED_SAID = {"tickets": "the tickets with a statement in the cell", "count": "the statements in the cell",
                  "n": "the statements of the group", "source_kind": "focus_group, ticket or other, in by_source_kind",
                  "source_kind_zh": "座谈会, 工单 or 其他文本, in by_source_kind", "period": "the period, in by_period",
                  **{c: "a ticket share, in every table of a split ticket export" for c in
                     ("ticket_n", "ticket_share", "ticket_ci_low", "ticket_ci_high")}}
#: the ticket columns after ``ci_high`` of a table with tickets (``tickets`` itself follows ``count``)
TICKET_SHARE_COLUMNS = ("ticket_n", "ticket_share", "ticket_ci_low", "ticket_ci_high")
#: ``by_source_kind``: a counted statement with a ticket is a ticket's; without one, a focus group's when it has a
#: transcript's role or session date (:func:`transcript_rows`: voc analyze fg.docx tickets.csv), else another text
#: whose kind the statements table does not say (a survey's open answers or a CSV of comments added by hand)
SOURCE_KINDS = ("focus_group", "ticket", "other")
SOURCE_KIND_ZH = {"focus_group": "座谈会", "ticket": "工单", "other": "其他文本"}
SOURCE_KIND_TABLE = "by_source_kind"


class Example(NamedTuple):
    """One statement behind a cell."""

    statement_id: str
    text: str
    conf: float


@dataclass
class FreqResult:
    """The frequency tables and the statements behind every non-empty cell.

    Attributes:
        tables: Named tables in output order (see the module docstring for names and columns).
        examples: ``(table, field, label, group)`` → the top statements of that cell, best
            first. ``group`` is ``""`` in ``overall``, the period in ``by_period`` (e.g.
            ``"2024-03"``, ``"2024-W09"``) and the column category elsewhere.
        rows_read: Rows in the input.
        rows_counted: Rows left after excluding moderator statements, rows with no text and duplicates.
        date_col: The column the periods come from (given, or found by its name).
        include_moderator, include_duplicates: the counting rule used (see
            :func:`voiceofcustomer.statements.counted_mask`), so that whoever shows these
            numbers lists the same statements behind them.
    """

    tables: dict[str, pd.DataFrame]
    examples: dict[tuple[str, str, str, str], list[Example]] = dc_field(default_factory=dict)
    rows_read: int = 0
    rows_counted: int = 0
    include_moderator: bool = False
    include_duplicates: bool = False
    date_col: str | None = None  # the column the periods come from (given, or found by its name)
    #: an input of several files: ``(file, rows read, rows left out as repeats of an earlier file's)``
    repeated_files: list[tuple[str, int, int]] = dc_field(default_factory=list)
    repeat_key: str | None = None  # what such a repeat shares with the earlier row ("工单编号 and text")
    #: later files taken for a grown export of an earlier survey: ``(file, its answers that earlier file(s) had, its
    #: answers)`` — those answers (same 答卷编号, same words) were counted once (:meth:`_Tally.grown_export`)
    grown_surveys: list[tuple[str, int, int]] = dc_field(default_factory=list)
    #: rows of tickets whose ids voc split made from their row (工单:3), not checked against earlier files' rows
    made_id_rows: int = 0
    #: distinct tickets behind the counted statements (None: no ticket_id beside statement_id, no ticket columns)
    tickets_counted: int | None = None
    #: counted statements without a ticket (a focus group's beside split tickets)
    statements_without_ticket: int = 0
    #: those statements by source kind (``focus_group``, ``other``: :data:`SOURCE_KINDS`), when by_source_kind is made
    kinds_without_ticket: dict[str, int] = dc_field(default_factory=dict)

    @property
    def counts_tickets(self) -> bool:
        """Every counted statement belongs to a ticket: a complaint team's shares are of tickets."""
        return bool(self.tickets_counted) and self.statements_without_ticket == 0


_ANSWER = "答卷\x1f"  # a survey answer's number, keyed without its source file (a grown export's, _Tally.grown)


def _ticket_keys(values: pd.Series) -> np.ndarray:
    """A ticket id as an int64 key (the text of the id, hashed), so that cells keep 8 bytes a ticket."""
    return pd.util.hash_array(values.astype("string").fillna("").to_numpy(dtype=object)).view(np.int64)


def wilson_interval(k, n, z: float = 1.96):
    """Wilson score interval for a proportion k/n (NaN where n is 0).

    Wilson rather than the normal approximation because many cells are small or 0, where
    ``p ± z·se`` gives impossible bounds (below 0) or a zero-width interval.

    Args:
        k: Successes (scalar or array).
        n: Trials (scalar or array, same shape).
        z: Normal quantile; 1.96 for a 95% interval.

    Returns:
        ``(low, high)``, floats for scalar input, else arrays.
    """
    k_arr, n_arr = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    if np.any(k_arr < 0) or np.any(k_arr > n_arr):
        raise ValueError("wilson_interval needs 0 <= k <= n")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k_arr / n_arr
        z2 = z * z
        denom = 1.0 + z2 / n_arr
        centre = (p + z2 / (2.0 * n_arr)) / denom
        half = z * np.sqrt(p * (1.0 - p) / n_arr + z2 / (4.0 * n_arr * n_arr)) / denom
    # exactly 0 at k = 0 and 1 at k = n, as the formula is: rounding left 2.8e-17 in by_section.csv's ci_low
    low = np.where(n_arr > 0, np.where(k_arr == 0, 0.0, np.clip(centre - half, 0.0, 1.0)), np.nan)
    high = np.where(n_arr > 0, np.where(k_arr == n_arr, 1.0, np.clip(centre + half, 0.0, 1.0)), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def open_tagged(path: str | Path, **kwargs):
    """Open a tagged table in chunks: :func:`voiceofcustomer.statements.open_statements`.

    Kept for callers of the earlier name; chunks carry the canonical ``text`` column.
    """
    return open_statements(path, **kwargs)


@dataclass
class _Grouping:
    name: str
    key: str | None  # which per-chunk codes group it: "g:<col>", "l:<field>", "_period", "p:<col>" (the period
    #                   within each value of a --by column: by_period_<col>); None: overall
    fields: tuple[str, ...]
    col: str | None = None  # the user's column (or label field) name
    rank_with: str | None = None  # second label field whose confidence also ranks examples
    cross: bool = False


#: Names of a ticket export's date column, found when --period or --alerts is given without
#: --date-col (the first present, in this order); ``voc analyze`` uses the same list.
DATE_COLUMN_NAMES = ("受理时间", "投诉时间", "创建时间", "日期", "date", "created_at", "时间")


#: columns whose tables list their values in the input's order (first appearance), not sorted: a
#: transcript's sections (一、宽带使用, 二、营业厅服务 …) are the discussion guide's order
_IN_ORDER = (SECTION,)


def date_column(columns) -> str | None:
    """The table's date column by its name (:data:`DATE_COLUMN_NAMES`), or None."""
    present = set(columns)
    return next((c for c in DATE_COLUMN_NAMES if c in present), None)


class _Tally:
    """Streaming accumulator: per-cell counts and top examples, chunk by chunk."""

    def __init__(self, *, by, date_col, period, examples, include_moderator, include_duplicates, crosses,
                 text_col, source, alerts=None):
        self.by, self.date_col, self.period, self.k = by, date_col, period, examples
        self.date_found = False  # the date column was found by its name (DATE_COLUMN_NAMES)
        self.include_moderator, self.include_duplicates = include_moderator, include_duplicates
        self.crosses, self.text_col = crosses, text_col
        self.where = f"{source}: " if source else ""
        self.columns: list[str] | None = None
        self.stats: Counter = Counter()
        self.bad_labels = {f: [] for f in FIELDS}
        self.bad_dates: list[str] = []
        self.ordinary_dates = False  # the date column has held a date that is no Excel serial (parse_dates)
        self.counts: dict[tuple[str, str], list[pd.Series]] = {}
        self.alerts = alerts  # None, or the options of freq.alerts.spike_alerts
        self.alert_counts: list[pd.DataFrame] = []
        #: a split ticket export's alerts count tickets: per chunk and (segment column, field) ``(cells, cell of each
        #: distinct (cell, ticket) pair, ticket key)``, made distinct over every chunk at the end (:meth:`_alert_tickets`)
        self.alert_tickets: list[tuple[pd.DataFrame, np.ndarray, np.ndarray]] = []
        self.alert_chunk_units: list[np.ndarray] = []  # each chunk's distinct tickets: which lie in two chunks?
        self.tops: dict[tuple[str, str], pd.DataFrame] = {}
        #: with a ticket_id beside statement_id (a split ticket export): (group, label, ticket key) of each cell,
        #: distinct per chunk, so a table says in how many tickets a label is besides how many statements
        self.ticket_cells: dict[tuple[str, str], list[pd.DataFrame]] = {}
        self._seen_tickets: list[np.ndarray] = []
        self.ticket_col: str | None = None
        #: by_source_kind is counted from the first chunk holding a statement without a ticket on; the chunks
        #: before it held tickets only, so their part is overall's (:meth:`_seed_kinds`): no cost for tickets alone
        self.kinds_on = False
        self.period_range: list[pd.Period] = []
        self.date_range: list[pd.Timestamp] = []  # first and last date read: are the end periods whole?
        self.period_dates = True  # every date is its period's first day (2026-11 for months): no day to tell
        self.skipped: list[str] = []
        # Without an is_duplicate column the one duplicate rule is applied here, row by row:
        # ``one_source`` (set by feed_tally) says the table has no id column of its own.
        self.one_source: bool | None = None
        self.id_name: str | None = None  # the file's own id column, as the notes name it
        #: several files: each file's own id column (name_id_columns), which the notes name when they differ
        self.id_names: dict[str, str | None] = {}
        self.files = 0  # files (partitions) fed: the rule runs within each, so that both engines agree
        self._repeats = None
        # An input of several files (a folder, a glob): a row whose id and text a row of an earlier
        # file had is the same row read twice (an export and its grown successor side by side), left
        # out and said (set by count_table / the Dask engine before the first file). Files without an
        # id column are not checked (:attr:`keyed_across`): identical words in two exports are two tickets.
        self.across_files = False
        self.earlier = np.zeros(0, dtype=np.int64)  # sorted keys of the earlier files' rows
        self._file_keys: list[np.ndarray] = []  # this file's keys, chunk by chunk
        self.file_name: str | None = None
        self.garbled_noted = False  # the file fed now notes its garbled rows itself (feed_tally)
        self.repeated_files: list[tuple[str, int, int]] = []  # (file, rows read, rows repeated from earlier)
        # A survey's answers (source_kind other) are keyed by their source file too: answer 1 of two surveys is two
        # respondents. A later file that repeats an earlier survey's answers word for word (问卷_11月.xlsx, then
        # 问卷_11月_更新.xlsx with answers 1–60, 1–40 the same) is that survey grown: its answers are keyed by number
        # and words alone (:attr:`grown`, decided per file before it is counted, :meth:`grown_export`).
        self.grown = False
        self.answer_ids: set[str] = set()  # answer numbers (ticket_id) of the earlier files' survey answers
        self.answer_pairs: set[tuple[str, str]] = set()  # their (answer number, text)
        self.answer_files: list[dict[str, str]] = []  # each earlier file's answers, answer number → text
        self.file_answers: list[tuple[str, str]] = []  # this file's (answer number, text) of survey answers
        self.grown_surveys: list[tuple[str, int, int]] = []  # (file, answers earlier files had, answers)
        # the values of a column whose tables keep the input's order (_IN_ORDER), in order of first appearance
        self.appearance: dict[str, dict] = {c: {} for c in _IN_ORDER}

    # -- set-up from the first chunk's columns -----------------------------------------
    def setup(self, columns: list[str]) -> None:
        self.columns = columns
        listed = ", ".join(str(c) for c in columns if c != "_row")  # _row: added by the reader
        self.fields = tuple(f for f in FIELDS if f in columns)
        if not self.fields:
            raise ColumnError(f"{self.where}no label columns ({', '.join(FIELDS)}); tag the table first with "
                              f"voc.tag(df); columns are: {listed}", params=("voc.tag()",))
        for c in self.by:
            if c not in columns:
                raise no_by_column(self.where, c, columns)
            if c in _RESERVED:  # by_tickets would hold two columns 'tickets': the groups and the count
                own = input_name(c, {*_RESERVED, *columns})
                raise ColumnError(f"{self.where}cannot group by column {c!r}: the frequency tables have a column "
                                  f"{c!r} of their own ({_RESERVED_SAID.get(c, 'a column of every table')}); rename "
                                  f"{c!r} in the input, e.g. to {own!r}, and group by the new name", params=("by",))
        if self.date_col is None and (self.period or self.alerts is not None):
            self.date_col = date_column(columns)
            if self.date_col is None:
                raise ColumnError(f"{self.where}{'alerts=' if self.alerts is not None else 'period='}"
                                  f" needs date_col=, the column with each row's date: no column has a known date "
                                  f"name ({', '.join(DATE_COLUMN_NAMES)}); columns are: {listed}",
                                  params=("alerts", "period", "date_col"))
            self.date_found = True
        if self.date_col is not None and self.date_col not in columns:
            raise no_column(self.where, self.date_col, columns, "date_col")
        self.id_col = next((c for c in (STATEMENT_ID, TICKET_ID) if c in columns), None)
        # tickets beside statements: a split ticket's statements share its ticket_id (a statements table; an
        # export tagged directly has one row a ticket, its ticket_id the statement_id open_statements adds)
        self.ticket_col = TICKET_ID if self.id_name == STATEMENT_ID and TICKET_ID in columns else None
        self.dedupe = IS_DUPLICATE not in columns and not self.include_duplicates
        self.who_col = None if self.one_source else self.id_col
        # who a row is, for the check across files: a statements table's ticket rows by their ticket id
        # (the statement id names the export's file, which a grown export renamed), others by their id
        self.key_col = TICKET_ID if self.id_name == STATEMENT_ID and TICKET_ID in columns else self.who_col
        self.keyed_across = self.across_files and self.key_col is not None
        self.groupings = [_Grouping("overall", None, self.fields)]
        self.groupings += [_Grouping(f"by_{c}", f"g:{c}", self.fields, c) for c in self.by]
        if self.ticket_col is not None:
            self.groupings.append(_Grouping(SOURCE_KIND_TABLE, "_kind", self.fields, "source_kind"))
        if self.period:
            self.groupings.append(_Grouping("by_period", "_period", self.fields, "period"))
            # each --by column's trend: by_period_地市 counts every city's periods (by_period pools the cities)
            self.groupings += [_Grouping(f"by_period_{c}", f"p:{c}", self.fields, c) for c in self.by]
        self.group_cols = list(self.by)
        for f, col in self.crosses:
            name = f"{f}_x_{col}"
            if f not in self.fields or col not in columns or f == col:
                missing = f if f not in self.fields else col
                self.skipped.append(f"{name}: no column {missing!r}" if f != col else f"{name}: same field twice")
            elif col in FIELDS:
                self.groupings.append(_Grouping(name, f"l:{col}", (f,), col, rank_with=col, cross=True))
            else:
                self.groupings.append(_Grouping(name, f"g:{col}", (f,), col, cross=True))
                if col not in self.group_cols:
                    self.group_cols.append(col)

    # -- one chunk -----------------------------------------------------------------------
    def needed_columns(self) -> list[str]:
        """The columns :meth:`add` reads (after :meth:`setup`): a reader may leave out the rest."""
        cols = [*self.fields, *(f"{f}_conf" for f in self.fields), *self.group_cols, ROLE, IS_DUPLICATE,
                self.id_col, self.text_col, self.date_col,
                SESSION_DATE if self.period or self.ticket_col is not None else None,
                SOURCE_KIND if self.period or self.ticket_col is not None else None,
                self.key_col if self.keyed_across else None,
                SOURCE if self.keyed_across and self.key_col == TICKET_ID else None, NOTE, self.ticket_col,
                SESSION if self.across_files and self.key_col == TICKET_ID else None]
        return [c for c in dict.fromkeys(cols) if c is not None and c in self.columns]

    def add(self, chunk: pd.DataFrame, lazy: dict | None = None) -> None:
        """Count one chunk. String columns may be ``Categorical`` (a typed reader's dictionary
        columns: every rule below runs once per distinct value). ``lazy`` maps the id or text
        column to an object whose ``[positions]`` gives those rows' values as text ("" for
        none): only the example candidates are ever turned into Python strings."""
        lazy = lazy or {}
        if self.columns is None:
            self.setup(list(chunk.columns))
        elif list(chunk.columns) != self.columns:
            need = [c for c in self.needed_columns() if c not in lazy]
            if list(chunk.columns) != need:
                chunk = chunk.reindex(columns=need)
        start = self.stats["read"]
        self.stats["read"] += len(chunk)
        keep = np.ones(len(chunk), dtype=bool)
        blank = self._blank_rows(chunk, lazy)
        keys = None  # of the rows with text, by key_col: hashed once for both rules when they share the id
        if self.keyed_across:  # before every other rule, so that each of them counts a row once
            from voiceofcustomer.text.split import sorted_contains

            texted = self._texted(chunk, lazy, blank)
            keys = self._keys(chunk, lazy, texted, self.key_col)
            self._file_keys.append(np.unique(keys))
            again = np.zeros(len(chunk), dtype=bool)
            again[texted] = sorted_contains(self.earlier, keys)
            self.stats["repeated"] += int(again.sum())
            self.repeated_files[-1] = (self.file_name, self.repeated_files[-1][1] + len(chunk),
                                       self.repeated_files[-1][2] + int(again.sum()))
            keep &= ~again
        if ROLE in chunk.columns:  # a ticket's staff section (【处理结果】已解决。): never counted, said apart
            staff = _per_value(chunk, ROLE, staff_rows, False) & keep
            self.stats["staff"] += int(staff.sum())
            keep &= ~staff
        if not self.include_moderator:
            mod = ~_per_value(chunk, ROLE, lambda d: counted_mask(d, include_duplicates=True), True) & keep
            self.stats["moderator"] += int(mod.sum())
            keep &= ~mod
        if NOTE in chunk.columns:  # an export's totals row (合计,,,,共330条): its note says so, never counted
            totals = _per_value(chunk, NOTE, lambda d: totals_note(d[NOTE]), False) & keep
            self.stats["totals"] += int(totals.sum())
            keep &= ~totals
            headers = _per_value(chunk, NOTE, lambda d: header_note(d[NOTE]), False) & keep
            self.stats["headers"] += int(headers.sum())
            keep &= ~headers
            # a ticket whose text looks garbled (瀹藉甫…, 锟斤拷, ??????): its note says so, counted as no text is
            garbled = _per_value(chunk, NOTE, lambda d: garbled_note(d[NOTE]), False) & keep
            self.stats["garbled"] += int(garbled.sum())
            keep &= ~garbled
        # and one of a table tagged before that note existed: words, no note (each distinct text tested once)
        garbled = self._garbled_rows(chunk, lazy, keep & ~blank)
        self.stats["garbled"] += int(garbled.sum())
        keep &= ~garbled
        empty = blank & keep
        self.stats["empty"] += int(empty.sum())
        keep &= ~empty
        if self.dedupe:
            dup = self._repeated_rows(chunk, lazy, blank, keys if self.key_col == self.who_col else None) & keep
            self.stats["duplicates"] += int(dup.sum())
            keep &= ~dup
        elif not self.include_duplicates:
            dup = ~_per_value(chunk, IS_DUPLICATE, lambda d: counted_mask(d, include_moderator=True), True) & keep
            self.stats["duplicates"] += int(dup.sum())
            keep &= ~dup
        order = np.arange(start, start + len(chunk))[keep]
        kept = np.flatnonzero(keep)
        c = chunk.loc[keep]
        self.stats["counted"] += len(c)
        if c.empty:
            return

        def text_of(col):
            if col in lazy:
                return _Positions(lazy[col], kept)
            return c[col].astype("string").fillna("").to_numpy(dtype=object)

        # Everything below works on integer codes: grouping strings with pandas per table
        # and field was four times slower than reading the file.
        if self.ticket_col is not None:  # tickets beside statements: each counted ticket, once
            # the typed Parquet reader gives ticket_id lazily when it keys the rows of several files by it (key_col):
            # it is not among the chunk's columns then (KeyError 'ticket_id' on a Parquet of text columns)
            raw = (pd.Series(text_of(self.ticket_col)[np.arange(len(c))], dtype=object)
                   if self.ticket_col in lazy else c[self.ticket_col])
            ids = raw.astype("string").str.strip()
            if self.across_files:  # a ticket id voc split made from the row (工单:3) is this file's ticket 3 only
                made = made_ticket_ids(ids.fillna("").to_numpy(dtype=object), self._values(c, {}, SESSION))
                if made.any():
                    raw = raw.astype("string").where(~made, f"{self.file_name}\x1f" + raw.astype("string"))
            # a focus group's statement beside the tickets (voc analyze fg.txt tickets.csv) has no ticket: blank
            # ids were all one "ticket" (25 transcript statements counted as 1 ticket)
            ticketed = (ids.notna() & ids.ne("")).to_numpy(dtype=bool)
            # a survey's answers split as a table have their row's ticket_id (survey:2): source_kind says they are
            # no tickets (3 answers beside 2 tickets were counted as 5 tickets, no 其他文本)
            ticketed &= ~not_ticket_rows(c)
            tickets = _ticket_keys(raw)
            self._seen_tickets.append(np.unique(tickets[ticketed]))
            self.stats["ticketed"] += int(ticketed.sum())
            if not ticketed.all() and not self.kinds_on:
                self._seed_kinds()
        rows = {"_order": order,
                "_id": (text_of(self.id_col) if self.id_col
                        else np.array([f"row {i + 1}" for i in order], dtype=object)),
                "_text": (text_of(self.text_col) if self.text_col in c.columns or self.text_col in lazy
                          else np.full(len(c), "", dtype=object))}
        labels, ranks, keys = {}, {}, {None: (np.zeros(len(c), dtype=np.int64), pd.Index([""]))}
        if self.kinds_on:
            keys["_kind"] = self._kind_codes(c, ticketed)
        for f in self.fields:
            labels[f] = self._label_codes(c[f], f)
            conf = f"{f}_conf"
            ranks[f] = (_numbers(c[conf]) if conf in c.columns else np.full(len(c), np.nan))
            keys[f"l:{f}"] = (labels[f], pd.Index(LABELS[f]))
        for col in self.group_cols:
            codes, values = _distinct(c[col])
            v = values.astype("string").str.strip()
            tvals = v.mask(v.isna() | v.eq(""), BLANK).to_numpy(dtype=object)
            keys[f"g:{col}"] = _refactorize(codes, tvals, BLANK)
            if col in self.appearance:  # the values come in order of first appearance
                for v in keys[f"g:{col}"][1]:
                    self.appearance[col].setdefault(v, len(self.appearance[col]))
        if self.period:
            # a focus group's statements are dated by their session, not when what they tell happened: apart
            dates, apart = trend_dates(c, self.date_col)
            self.stats["transcript_apart"] += int(apart.sum())
            keys["_period"] = self._period_codes(dates, apart)
            for col in self.by:
                keys[f"p:{col}"] = _within(keys[f"g:{col}"], keys["_period"])
            if self.alerts is not None:
                self._count_alerts(keys, labels, None if self.ticket_col is None else
                                   self._alert_units(tickets, ticketed, text_of))
        perms = {}
        for g in self.groupings:
            if g.key == "_kind" and not self.kinds_on:
                continue
            for f in g.fields:
                rank = ranks[f] if g.rank_with is None else np.fmin(ranks[f], ranks[g.rank_with])
                pkey = (f, g.rank_with)
                if pkey not in perms and self.k > 0:  # best first, file order on ties, no confidence last
                    perms[pkey] = np.lexsort((order, -np.nan_to_num(rank, nan=-np.inf)))
                self._count(g, f, labels[f], *keys[g.key], rank, perms.get(pkey), rows)
                if self.ticket_col is not None:
                    self._count_tickets(g, f, labels[f], *keys[g.key], tickets, ticketed)

    def _garbled_rows(self, chunk: pd.DataFrame, lazy: dict, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` (a mask: rows with text still counted) hold a text that looks garbled
        (:func:`voiceofcustomer.text.garbled.garbled_text`), for a table ``voc tag`` wrote before it noted them.

        Why: such a file's mojibake rows (瀹藉甫…, 锟斤拷, ??????) have their words and no note, and were counted
        until tagged again. The test costs about 5 µs per distinct text (a lazy column: of the rows asked for), so
        a file whose writer says it notes them (:data:`~voiceofcustomer.statements.GARBLED_NOTED_PROPERTY`: a
        Parquet or Excel output of ``voc tag``) is not tested."""
        from voiceofcustomer.text.garbled import garbled_text

        out = np.zeros(len(chunk), dtype=bool)
        if self.garbled_noted:
            return out
        if self.text_col in lazy:
            cand = np.flatnonzero(rows)
            if len(cand):
                out[cand] = garbled_text(pd.Series(lazy[self.text_col][cand], dtype=object))
            return out
        return _per_value(chunk, self.text_col, lambda d: garbled_text(d[self.text_col]), False) & rows

    def _blank_rows(self, chunk: pd.DataFrame, lazy: dict) -> np.ndarray:
        """Rows with no text (:func:`voiceofcustomer.statements.blank_text`, the test of
        ``counted_mask``): not statements, never counted. A lazy text column is tested in
        Arrow, without turning its texts into Python strings; without a text column, none."""
        if self.text_col in lazy:
            return lazy[self.text_col].blank()
        return _per_value(chunk, self.text_col, lambda d: blank_text(d[self.text_col]), False)

    def new_file(self, name: str | None = None) -> None:
        """The chunks that follow are another file (partition). The duplicate rule of a table
        without ``is_duplicate`` runs within each file: the Dask engine tallies every partition
        on its own, and both engines must give the same tables. With :attr:`across_files`, the
        keys of the file before join :attr:`earlier`."""
        self.files += 1
        self._repeats = None
        if self.across_files:
            self.earlier = np.union1d(self.earlier, self.file_keys())
            self._file_keys = []
            self.remember_answers(self.file_answers)
            self.file_answers, self.grown = [], False
            self.file_name = name
            self.repeated_files.append((name, 0, 0))

    def remember_answers(self, pairs) -> None:
        """Take ``pairs`` (answer number, text) of a file's survey answers for an earlier file's."""
        for who, text in pairs:
            self.answer_ids.add(who)
            self.answer_pairs.add((who, text))
        if pairs:
            self.answer_files.append(dict(pairs))

    def grown_export(self, pairs) -> bool:
        """Whether a file whose survey answers are ``pairs`` (answer number, text) is a grown export of an earlier
        file's survey: of its answers whose number one earlier file also has, most (more than half) read the same
        as that file's.

        Why not any answer of the same number and words: answer numbers are each survey's own, and two surveys'
        answer 1 may both be 希望资费再便宜一点。 (two respondents); a grown export repeats all its first answers.
        Why each earlier file on its own: another survey read between the two (its answers 1–80 in other words)
        would otherwise outvote the first export's 1–40 that the grown one repeats."""
        for earlier in self.answer_files:
            shared = [(w, t) for w, t in pairs if w in earlier]
            same = sum(earlier[w] == t for w, t in shared)
            if same > 0 and 2 * same > len(shared):
                return True
        return False

    def note_grown(self, pairs) -> None:
        """Set :attr:`grown` for the file about to be fed (after :meth:`new_file`), and say so in the notes."""
        self.grown = self.grown_export(pairs)
        if self.grown:
            ids = {w for w, _ in pairs}
            again = {w for w, t in pairs if (w, t) in self.answer_pairs}
            self.grown_surveys.append((self.file_name, len(again), len(ids)))

    def file_keys(self) -> np.ndarray:
        """The sorted keys of the current file's rows with text (see :meth:`_rows_of_earlier_files`)."""
        if not self._file_keys:
            return np.zeros(0, dtype=np.int64)
        self._file_keys = [np.unique(np.concatenate(self._file_keys))]
        return self._file_keys[0]

    def _texted(self, chunk: pd.DataFrame, lazy: dict, blank: np.ndarray) -> np.ndarray:
        """Positions of the rows with text (none when the table has no text column): the rows keyed."""
        if self.text_col not in lazy and self.text_col not in chunk.columns:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(~blank)

    def _keys(self, chunk: pd.DataFrame, lazy: dict, rows: np.ndarray, col: str | None) -> np.ndarray:
        """The keys of the duplicate rule (``id NUL text``, :func:`voiceofcustomer.text.split.duplicate_keys`)
        of ``rows`` (rows with text), by ``col`` (``None``: a table without ids, one source). By
        ``ticket_id`` (:attr:`key_col` of a statements table), a row without a ticket (a transcript's)
        goes by its statement id, and a survey's answer (``source_kind`` other) by its ``source`` file too: answer
        numbers are a survey's own (答卷 1 of two surveys are two respondents, as ``voc split`` tells them), while a
        ticket id is the ticket system's. A row of a later file whose key an earlier file had is that row
        read a second time."""
        from voiceofcustomer.text.split import duplicate_keys

        texts = self._values(chunk, lazy, self.text_col)[rows]
        whos = self._values(chunk, lazy, col)[rows] if col else np.full(len(rows), "", dtype=object)
        if col == TICKET_ID:
            no_ticket = np.array([not w.strip() for w in whos], dtype=bool)
            if no_ticket.any():
                whos[no_ticket] = self._values(chunk, lazy, STATEMENT_ID)[rows[no_ticket]]
            if SOURCE_KIND in chunk.columns or SOURCE_KIND in lazy:
                answer = self._values(chunk, lazy, SOURCE_KIND)[rows] == OTHER
                if answer.any():
                    # by number and words alone too (答卷 US: no ticket's or source-keyed answer's key): what a later
                    # file that is this survey grown matches; this file's own by them alone when it is one
                    pairs = [(w.strip(), t.strip()) for w, t in zip(whos[answer], texts[answer])]
                    self.file_answers += pairs
                    loose = duplicate_keys([t for _, t in pairs], [f"{_ANSWER}{w}" for w, _ in pairs])
                    if self.grown:
                        whos[answer] = [f"{_ANSWER}{w}" for w, _ in pairs]
                    else:
                        self._file_keys.append(np.unique(loose))
                        sources = self._values(chunk, lazy, SOURCE)[rows[answer]]
                        whos[answer] = [f"{src.strip()}\x1f{w}" for src, w in zip(sources, whos[answer])]
            made = made_ticket_ids(whos, self._values(chunk, lazy, SESSION)[rows])
            self.stats["made_ids"] += int(made.sum())
            if made.any():  # not the ticket system's id: the same made id in another file is another ticket
                whos[made] = [f"{self.file_name}\x1f{w}" for w in whos[made]]
        return duplicate_keys([t.strip() for t in texts], [w.strip() for w in whos])

    def _values(self, chunk: pd.DataFrame, lazy: dict, col: str) -> np.ndarray:
        """Every row's ``col`` as text (``""`` for none, or when the chunk has no such column)."""
        n = len(chunk)
        if col in lazy:
            return lazy[col][np.arange(n)]
        if col in chunk.columns:
            return chunk[col].astype("string").fillna("").to_numpy(dtype=object)
        return np.full(n, "", dtype=object)

    def _repeated_rows(self, chunk: pd.DataFrame, lazy: dict, blank: np.ndarray,
                       keys: np.ndarray | None = None) -> np.ndarray:
        """The one duplicate rule for a table without ``is_duplicate`` (a ``voc tag`` export):
        a row whose text repeats, word for word, an earlier row of the same id (the export's
        ticket id; a table without an id column is one source). The rule and its memory are
        :class:`voiceofcustomer.text.split.DuplicateTracker`, the one ``voc split`` and
        ``voc analyze`` flag statements with."""
        if self._repeats is None:
            from voiceofcustomer.text.split import DuplicateTracker

            self._repeats = DuplicateTracker()
        texted = self._texted(chunk, lazy, blank)
        if keys is None:  # ``keys``: those of the rows with text by who_col, when the caller has them
            keys = self._keys(chunk, lazy, texted, self.who_col)
        out = np.zeros(len(chunk), dtype=bool)
        out[texted] = self._repeats.key_flags(keys)
        return out

    def merge(self, other: "_Tally") -> "_Tally":
        """Add the tally of the partition that follows this one (same options): the result
        equals one tally fed both partitions' chunks in order."""
        if other.columns is None:
            return self
        if self.columns is None:
            self.one_source, self.id_name = other.one_source, other.id_name
            self.setup(other.columns)
        if self.kinds_on != other.kinds_on:  # a partition of tickets alone beside one with focus groups
            (other if self.kinds_on else self)._seed_kinds()
        offset = self.stats["read"]
        self.stats.update(other.stats)
        self.files += other.files
        self.repeated_files += other.repeated_files
        self.grown_surveys += other.grown_surveys
        for f, bad in other.bad_labels.items():
            for x in bad:
                if x not in self.bad_labels[f] and len(self.bad_labels[f]) < _SAMPLES:
                    self.bad_labels[f].append(x)
        for x in other.bad_dates:
            if x not in self.bad_dates and len(self.bad_dates) < _SAMPLES:
                self.bad_dates.append(x)
        for key, pieces in other.counts.items():
            self.counts.setdefault(key, []).extend(pieces)
        for key, pieces in other.ticket_cells.items():
            self.ticket_cells.setdefault(key, []).extend(pieces)
        self._seen_tickets += other._seen_tickets
        for key, top in other.tops.items():
            top = top.assign(_order=top["_order"] + offset)
            if self.id_col is None:  # ids are row numbers: renumber after this partition's rows
                top["_id"] = np.array([f"row {i + 1}" for i in top["_order"]], dtype=object)
            prev = self.tops.get(key)
            self.tops[key] = top if prev is None else _top(pd.concat([prev, top], ignore_index=True), self.k)
        if other.period_range:
            both = [*self.period_range, *other.period_range]
            self.period_range = [min(both), max(both)]
        if other.date_range:
            both = [*self.date_range, *other.date_range]
            self.date_range = [min(both), max(both)]
        self.period_dates &= other.period_dates
        self.ordinary_dates |= other.ordinary_dates
        self.alert_counts.extend(other.alert_counts)
        self.alert_tickets.extend(other.alert_tickets)
        self.alert_chunk_units.extend(other.alert_chunk_units)
        for col, seen in other.appearance.items():  # this partition's values come first
            for v in seen:
                self.appearance[col].setdefault(v, len(self.appearance[col]))
        return self

    def _alert_units(self, tickets: np.ndarray, ticketed: np.ndarray, text_of) -> np.ndarray:
        """What the alerts of a split ticket export count, per counted row: its ticket (key); a row without a
        ticket that is in the trend (not a focus group's, which the trend leaves out) counts as one, by its id."""
        if ticketed.all():
            return tickets
        units = tickets.copy()
        rest = np.flatnonzero(~ticketed)
        ids = pd.Series(text_of(self.id_col)[rest] if self.id_col else [f"row {i}" for i in rest], dtype=object)
        units[rest] = _ticket_keys("\0statement " + ids.astype("string").fillna(""))
        return units

    def _count_alerts(self, keys: dict, labels: dict, units: np.ndarray | None = None) -> None:
        """Counts per (period, segment, label) for the spike test: overall and by each ``by`` column. ``units``
        (a split ticket export: each row's ticket key, :meth:`_alert_units`): the distinct (cell, ticket) pairs
        are kept too, and the test counts tickets."""
        pcodes, puniques = keys["_period"]
        if units is not None:  # the chunk's tickets as small codes: a (cell, ticket) pair is one int64
            ucodes, units = pd.factorize(units)
            self.alert_chunk_units.append(units)
        for col in (None, *self.by):
            gcodes, guniques = keys[f"g:{col}"] if col else keys[None]
            for f in self.fields:
                ok = (pcodes >= 0) & (gcodes >= 0) & (labels[f] >= 0)
                if not ok.any():
                    continue
                n_l, n_g = len(LABELS[f]), len(guniques)
                rows = (pcodes[ok].astype(np.int64) * n_g + gcodes[ok]) * n_l + labels[f][ok]
                key, cnt = np.unique(rows, return_counts=True)
                cells = pd.DataFrame({
                    "field": f, "label": np.asarray(LABELS[f], dtype=object)[key % n_l],
                    "segment_col": col or "(all)", "segment": [_group_text(v) for v in guniques.take((key // n_l) % n_g)],
                    "period": puniques.take(key // (n_l * n_g))})
                self.alert_counts.append(cells.assign(count=cnt))
                if units is not None:
                    pair = pd.unique(rows * len(units) + ucodes[ok])  # distinct by hashing, no sort
                    self.alert_tickets.append((cells, np.searchsorted(key, pair // len(units)).astype(np.int32),
                                               units[pair % len(units)]))

    def _alert_tickets(self) -> pd.DataFrame:
        """The alerts' cells (``field, label, segment_col, segment, period``) with ``count`` the distinct tickets
        of each, over every chunk and partition (a ticket's statements may lie in two chunks)."""
        if not self.alert_tickets:
            return pd.DataFrame(columns=["field", "label", "segment_col", "segment", "period", "count"])
        cells = pd.concat([c for c, _, _ in self.alert_tickets], ignore_index=True)
        gid = cells.groupby(list(cells.columns), sort=False).ngroup().to_numpy()
        starts = np.cumsum([0] + [len(c) for c, _, _ in self.alert_tickets[:-1]])
        cell = np.concatenate([gid[start + at] for start, (_, at, _) in zip(starts, self.alert_tickets)])
        units = np.concatenate([u for _, _, u in self.alert_tickets])
        first = np.unique(gid, return_index=True)[1]
        # each chunk's pairs are distinct: only a ticket whose statements lie in two chunks (or partitions) can be
        # in a cell twice, and those are few, so only their pairs are made distinct (all of them took 0.6 s at 400,000)
        seen, times = np.unique(np.concatenate(self.alert_chunk_units), return_counts=True)
        from voiceofcustomer.text.split import sorted_contains

        again = sorted_contains(seen[times > 1], units)
        count = np.bincount(cell[~again], minlength=len(first))
        if again.any():
            ucodes, uniques = pd.factorize(units[again])
            pair = pd.unique(cell[again].astype(np.int64) * len(uniques) + ucodes)
            count += np.bincount(pair // len(uniques), minlength=len(first))
        return cells.iloc[first].reset_index(drop=True).assign(count=count)

    def _label_codes(self, s: pd.Series, f: str) -> np.ndarray:
        rows, values = _distinct(s)  # each distinct value is looked up once
        v = values.astype("string").str.strip()
        known = pd.Index(LABELS[f], dtype=object)
        vcodes = known.get_indexer(v.astype(object)).astype(np.int64)
        if (vcodes < 0).any():  # a hand-labelled file may use the Chinese names
            vcodes = np.where(vcodes < 0, known.get_indexer(v.map(_FROM_ZH[f]).astype(object)), vcodes)
        codes = np.where(rows >= 0, vcodes[rows.clip(0)] if len(vcodes) else -1, -1)
        bad = codes < 0
        self.stats[f"bad:{f}"] += int(bad.sum())
        if bad.any() and len(self.bad_labels[f]) < _SAMPLES:
            for x in v.take(pd.unique(rows[bad & (rows >= 0)])).dropna().unique()[:_SAMPLES]:
                if x not in self.bad_labels[f] and len(self.bad_labels[f]) < _SAMPLES:
                    self.bad_labels[f].append(str(x))
        return codes

    def _period_codes(self, s: pd.Series, apart: np.ndarray | None = None) -> tuple[np.ndarray, pd.Index]:
        """Each row's period code (-1: none). ``apart``: rows left out of the trend on purpose (a focus
        group's statements, :func:`trend_dates`), not counted as rows with no date."""
        if pd.api.types.is_datetime64_any_dtype(s):
            rows, values = np.arange(len(s)), s.reset_index(drop=True)
        else:  # each distinct date text is parsed once
            rows, values = _distinct(s)
        vdates = parse_dates(values, serials=True if self.ordinary_dates else None)
        if not self.ordinary_dates:  # once one is seen it stays seen: no second pass over every chunk's dates
            self.ordinary_dates = bool((vdates.notna().to_numpy() & ~excel_serials(values)).any())
        vraw = values.astype("string").str.strip()
        vblank = (vraw.isna() | vraw.eq("")).to_numpy(dtype=bool)
        vmissing = vdates.isna().to_numpy()
        na = rows < 0
        at = rows.clip(0)
        blank = na | (vblank[at] if len(values) else na)
        missing = na | (vmissing[at] if len(values) else na)
        told = missing if apart is None else missing & ~apart  # a row apart is no row without a date
        self.stats["date_blank"] += int((told & blank).sum())
        self.stats["date_bad"] += int((told & ~blank).sum())
        if len(self.bad_dates) < _SAMPLES:
            for x in vraw.take(pd.unique(rows[missing & ~blank])).unique()[:_SAMPLES]:
                if x not in self.bad_dates and len(self.bad_dates) < _SAMPLES:
                    self.bad_dates.append(str(x))
        vcodes, vuniques = pd.factorize(vdates.dt.to_period(PERIODS[self.period]))
        codes, uniques = _refactorize(rows, np.asarray(vcodes), None)
        uniques = pd.Index(pd.Index(vuniques).take(uniques))
        if len(uniques):
            self.period_range = [min([uniques.min(), *self.period_range[:1]]),
                                 max([uniques.max(), *self.period_range[1:]])]
            used = vdates.take(pd.unique(rows[~missing]))
            self.date_range = [min([used.min(), *self.date_range[:1]]), max([used.max(), *self.date_range[1:]])]
            self.period_dates &= bool(used.eq(used.dt.to_period(PERIODS[self.period]).dt.start_time).all())
        return codes, uniques

    def _count(self, g: _Grouping, f: str, label: np.ndarray, gcodes: np.ndarray, guniques: pd.Index,
               rank: np.ndarray, perm: np.ndarray | None, rows: dict) -> None:
        n_labels = len(LABELS[f])
        valid = (label >= 0) & (gcodes >= 0)
        if not valid.any():
            return
        key = gcodes.astype(np.int64) * n_labels + label
        counts = np.bincount(key[valid], minlength=len(guniques) * n_labels)
        nz = np.flatnonzero(counts)
        idx = pd.MultiIndex.from_arrays([guniques.take(nz // n_labels), pd.Index(LABELS[f]).take(nz % n_labels)])
        self.counts.setdefault((g.name, f), []).append(pd.Series(counts[nz], index=idx))
        if perm is None:
            return
        ranked = perm[valid[perm]]
        pick = ranked[_first_k(key[ranked], self.k)]
        cand = pd.DataFrame({"g": guniques.take(gcodes[pick]), "label": pd.Index(LABELS[f]).take(label[pick]),
                             "rank": rank[pick], **{k: v[pick] for k, v in rows.items()}})
        prev = self.tops.get((g.name, f))
        self.tops[(g.name, f)] = cand if prev is None else _top(pd.concat([prev, cand], ignore_index=True), self.k)

    def _count_tickets(self, g: _Grouping, f: str, label: np.ndarray, gcodes: np.ndarray, guniques: pd.Index,
                       tickets: np.ndarray, ticketed: np.ndarray) -> None:
        """Which tickets each cell of this chunk holds (distinct (cell, ticket) pairs), for the ``tickets``
        column: a ticket with three statements about billing is one ticket about billing. ``ticketed``: the
        rows with a ticket id (a focus group's statement has none)."""
        valid = (label >= 0) & (gcodes >= 0) & ticketed
        if not valid.any():
            return
        pairs = pd.DataFrame({"c": gcodes[valid].astype(np.int64) * len(LABELS[f]) + label[valid],
                              "t": tickets[valid]}).drop_duplicates()
        cell = pairs["c"].to_numpy()
        self.ticket_cells.setdefault((g.name, f), []).append(pd.DataFrame({
            "g": guniques.take(cell // len(LABELS[f])), "label": pd.Index(LABELS[f]).take(cell % len(LABELS[f])),
            "t": pairs["t"].to_numpy()}))

    def _kind_codes(self, c: pd.DataFrame, ticketed: np.ndarray) -> tuple[np.ndarray, pd.Index]:
        """Each counted row's source kind (:data:`SOURCE_KINDS`) for ``by_source_kind``: a ticket's when it has a
        ticket id; else a focus group's when the statements table says so (:func:`transcript_rows`: a transcript's
        role or session date), else ``other``. Every statement without a ticket was a focus group's: a survey's
        open answers beside the tickets were counted as 座谈会."""
        codes = np.where(ticketed, SOURCE_KINDS.index("ticket"), SOURCE_KINDS.index("other")).astype(np.int64)
        if not ticketed.all():  # source_kind when the table has it (voc split), else its role or session date
            codes[~ticketed & transcript_rows(c)] = SOURCE_KINDS.index("focus_group")
        for i, kind in enumerate(SOURCE_KINDS):
            if kind != "ticket":
                self.stats[f"kind:{kind}"] += int((codes == i).sum())
        return codes, pd.Index(SOURCE_KINDS)

    def _seed_kinds(self) -> None:
        """Start counting ``by_source_kind``: every statement counted so far belonged to a ticket, so the
        ``ticket`` part so far is ``overall``'s (its counts, examples and tickets, group ``""`` → ``ticket``)."""
        self.kinds_on = True

        def kind(values):
            return pd.Index(["ticket"] * len(values), dtype=object)

        for f in self.fields:
            for s in self.counts.get(("overall", f), []):
                idx = pd.MultiIndex.from_arrays([kind(s.index), s.index.get_level_values(1)])
                self.counts.setdefault((SOURCE_KIND_TABLE, f), []).append(pd.Series(s.to_numpy(), index=idx))
            top = self.tops.get(("overall", f))
            if top is not None:
                self.tops[(SOURCE_KIND_TABLE, f)] = top.assign(g="ticket")
            for t in self.ticket_cells.get(("overall", f), []):
                self.ticket_cells.setdefault((SOURCE_KIND_TABLE, f), []).append(t.assign(g="ticket"))

    def n_tickets(self) -> int | None:
        """Distinct tickets among the counted statements (None without a ticket_id beside statement_id)."""
        if self.ticket_col is None:
            return None
        if len(self._seen_tickets) > 1:  # once: the notes and the result both ask (0.2 s on 400,000 statements)
            self._seen_tickets = [np.unique(np.concatenate(self._seen_tickets))]
        return len(np.unique(self._seen_tickets[0])) if self._seen_tickets else 0

    # -- the tables ----------------------------------------------------------------------
    def result(self) -> FreqResult:
        if self.columns is None or self.stats["read"] == 0:
            raise DataQualityError(f"{self.where}the table has no rows; nothing to count")
        if self.stats["counted"] == 0:
            raise DataQualityError(
                f"{self.where}no statements left to count: {self.stats['moderator']} moderator statements, "
                f"{self.stats['empty']} rows with no text"
                + (f", {self.stats['garbled']} rows whose text looks garbled (check the file's encoding)"
                   if self.stats["garbled"] else "")
                + f" and {self.stats['duplicates']} duplicates were excluded; "
                "use include_moderator=True or include_duplicates=True to count moderator statements or duplicates",
                params=("include_moderator", "include_duplicates"))
        if self.ticket_col is not None and self.n_tickets() == 0:
            # a ticket_id column with no counted ticket behind it (a survey's answers, a focus group alone): the
            # tables would carry tickets 0 and empty ticket shares in every row, and alerts would be of tickets
            self.ticket_col = None
        if self.period and not self.period_range and self.stats["transcript_apart"] and not self.bad_dates:
            raise DataQualityError(
                f"{self.where}column {self.date_col!r} holds no dates: its {self.stats['transcript_apart']} counted "
                f"rows with no date there are focus-group statements, which a trend of tickets leaves out (their "
                f"only date is the session's); count them by session with date_col={SESSION_DATE!r}",
                params=("date_col",))
        if self.period and not self.period_range:
            unix = self.bad_dates and all(d.isdigit() and len(d) in (10, 13) for d in self.bad_dates)
            raise DataQualityError(
                f"{self.where}column {self.date_col!r} holds no dates (e.g. {', '.join(self.bad_dates) or 'blank'}); "
                + ("these look like Unix times (seconds or milliseconds since 1970), which do not say the time "
                   "zone: export the dates as text (e.g. 2026-11-03 14:05) and read it again" if unix else
                   f"these look like Excel serial dates (a date cell formatted as a number): {_SERIALS_ADVICE}, or "
                   "choose another date column with date_col=" if self._serial_like() else
                   "choose the date column with date_col="), params=("date_col",))
        tables: dict[str, pd.DataFrame] = {}
        examples: dict[tuple[str, str, str, str], list[Example]] = {}
        for g in self.groupings:
            if g.key == "_kind" and not self._mixed():  # focus groups and tickets side by side: both counted
                continue
            if g.cross and g.rank_with is None and self._group_values(g) in ([], [BLANK]):
                self.skipped.append(f"{g.name}: column {g.col!r} is blank in every counted row")
                continue
            parts = [self._table(g, f, examples) for f in g.fields]
            table = pd.concat(parts, ignore_index=True)
            if g.name == "by_period" or (g.key or "").startswith("p:"):
                table = _with_changes(table, g.col if g.name != "by_period" else None)
            tables[g.name] = table
        if self.alerts is not None:
            from voiceofcustomer.freq.alerts import spike_alerts, ticket_alerts

            counts = (pd.concat(self.alert_counts, ignore_index=True) if self.alert_counts else
                      pd.DataFrame(columns=["field", "label", "segment_col", "segment", "period", "count"]))
            periods = list(pd.period_range(self.period_range[0], self.period_range[1], freq=PERIODS[self.period]))
            if any(which == "first" for which, *_ in self._partial_periods()):
                periods = periods[1:]  # one day of a week is no baseline: it made ordinary weeks look like spikes
            if self.ticket_col is not None:  # a complaint team is alerted by tickets, not by the statements of one
                tables["alerts"] = ticket_alerts(self._alert_tickets(), counts, periods, **self.alerts)
            else:
                tables["alerts"] = spike_alerts(counts, periods, **self.alerts)
            self.alert_periods = periods
        tables["notes"] = self._notes()
        return FreqResult(tables=tables, examples=examples, rows_read=self.stats["read"],
                          rows_counted=self.stats["counted"], include_moderator=self.include_moderator,
                          include_duplicates=self.include_duplicates, date_col=self.date_col,
                          repeated_files=list(self.repeated_files), repeat_key=self._repeat_key(),
                          grown_surveys=list(self.grown_surveys), made_id_rows=self.stats["made_ids"],
                          tickets_counted=self.n_tickets(),
                          statements_without_ticket=(self.stats["counted"] - self.stats["ticketed"]
                                                     if self.ticket_col is not None else 0),
                          kinds_without_ticket={k: self.stats[f"kind:{k}"] for k in SOURCE_KINDS
                                                if k != "ticket" and self.stats[f"kind:{k}"]} if self._mixed() else {})

    def _mixed(self) -> bool:
        """The counted statements hold a focus group's (no ticket) and tickets' (``by_source_kind``)."""
        return self.kinds_on and 0 < self.stats["ticketed"] < self.stats["counted"]

    def _group_values(self, g: _Grouping) -> list:
        if g.key is None:
            return [""]
        if g.key == "_kind":  # the kinds counted (no empty 其他文本 beside focus groups and tickets)
            seen = set().union(*(set(s.index.get_level_values(0)) for s in self._all_counts(g)))
            return [k for k in SOURCE_KINDS if k in seen]
        if g.name == "by_period":
            return list(pd.period_range(self.period_range[0], self.period_range[1], freq=PERIODS[self.period]))
        if g.key.startswith("p:"):  # every period of each value seen, in the value's order (BLANK last)
            seen = {v.split(_WITHIN, 1)[0] for s in self._all_counts(g) for v in s.index.get_level_values(0)}
            order = sorted(seen - {BLANK}, key=str) + ([BLANK] if BLANK in seen else [])
            periods = pd.period_range(self.period_range[0], self.period_range[1], freq=PERIODS[self.period])
            return [f"{v}{_WITHIN}{_group_text(p)}" for v in order for p in periods]
        if g.key.startswith("l:"):
            return list(LABELS[g.col])
        seen = set().union(*(set(s.index.get_level_values(0)) for s in self._all_counts(g)))
        order = self.appearance.get(g.col)
        if order is not None:  # a transcript's sections as the moderator took them, not in character order
            return sorted(seen - {BLANK}, key=lambda v: order.get(v, len(order))) + ([BLANK] if BLANK in seen else [])
        return sorted(seen - {BLANK}, key=str) + ([BLANK] if BLANK in seen else [])

    def _all_counts(self, g: _Grouping) -> list[pd.Series]:
        return [s for f in g.fields for s in self.counts.get((g.name, f), [])]

    def _table(self, g: _Grouping, f: str, examples: dict) -> pd.DataFrame:
        pieces = self.counts.get((g.name, f), [])
        groups = self._group_values(g)
        labels = LABELS[f]
        idx = pd.MultiIndex.from_product([groups, labels], names=["g", "label"])
        if pieces:
            count = pd.concat(pieces).groupby(level=[0, 1]).sum().reindex(idx, fill_value=0).to_numpy(dtype=int)
        else:
            count = np.zeros(len(idx), dtype=int)
        n = count.reshape(len(groups), len(labels)).sum(axis=1).repeat(len(labels))
        low, high = wilson_interval(count, n)
        share = np.where(n > 0, count / np.maximum(n, 1), np.nan)
        gvals = [_group_text(v) for v in idx.get_level_values(0)]
        out = pd.DataFrame({"field": f, "label": idx.get_level_values(1),
                            "label_zh": [ZH[f][x] for x in labels] * len(groups)})
        if g.key is not None and g.key.startswith("p:"):  # by_period_地市: 地市, period, then as by_period
            value, period = zip(*(v.split(_WITHIN, 1) for v in gvals)) if gvals else ((), ())
            out.insert(0, g.col, list(value))
            out.insert(1, "period", list(period))
        elif g.key is not None:
            out.insert(0 if g.name == "by_period" else 3, g.col, gvals)
            if g.key.startswith("l:"):
                out.insert(4, f"{g.col}_zh", [ZH[g.col][v] for v in idx.get_level_values(0)])
            elif g.key == "_kind":
                out.insert(4, "source_kind_zh", [SOURCE_KIND_ZH[v] for v in idx.get_level_values(0)])
        out["count"], out["n"], out["share"], out["ci_low"], out["ci_high"] = count, n, share, low, high
        if self.ticket_col is not None:  # beside count: a ticket with 3 statements about billing is 1 ticket
            tk = self.ticket_cells.get((g.name, f), [])
            pairs = pd.concat(tk, ignore_index=True).drop_duplicates() if tk else None
            tickets = (pairs.groupby(["g", "label"]).size().reindex(idx, fill_value=0).to_numpy(dtype=int)
                       if tk else np.zeros(len(idx), dtype=int))
            out.insert(out.columns.get_loc("count") + 1, "tickets", tickets)
            # the group's tickets with a label for the field: a ticket of billing and signal statements is one
            # ticket of the group (not the sum of the cells), so a complaint team's shares are of tickets too
            t_n = (pairs.groupby("g", sort=False)["t"].nunique().reindex(groups, fill_value=0)
                   .to_numpy(dtype=int).repeat(len(labels)) if tk else np.zeros(len(idx), dtype=int))
            t_low, t_high = wilson_interval(tickets, t_n)
            out["ticket_n"], out["ticket_share"] = t_n, np.where(t_n > 0, tickets / np.maximum(t_n, 1), np.nan)
            out["ticket_ci_low"], out["ticket_ci_high"] = t_low, t_high
        cells = {}
        top = self.tops.get((g.name, f))
        if top is not None:
            for (gv, lab), rows in top.groupby(["g", "label"], sort=False):
                cell = [Example(str(i), str(t), float(r)) for i, t, r in zip(rows["_id"], rows["_text"], rows["rank"])]
                cells[(_group_text(gv), lab)] = cell
                if not (g.key or "").startswith("p:"):  # the heat maps' hover texts: a value's trend has none
                    examples[(g.name, f, lab, _group_text(gv))] = cell
        out["examples"] = [_example_text(cells.get((gv, lab), [])) for gv, lab in zip(gvals, out["label"])]
        return out

    def _notes(self) -> pd.DataFrame:
        s = self.stats
        rows = [("rows read", s["read"], "rows in the input table")]
        if ROLE not in self.columns:
            rows.append(("moderator statements excluded", 0, "no role column: nothing excluded"))
        elif self.include_moderator:
            rows.append(("moderator statements excluded", 0, "moderator statements counted (include_moderator=True)"))
        else:
            rows.append(("moderator statements excluded", s["moderator"],
                         "role == moderator; use include_moderator=True to count them"))
        if self.text_col not in self.columns:
            rows.append(("rows with no text excluded", 0, f"no text column {self.text_col!r}: nothing excluded"))
        else:
            rows.append(("rows with no text excluded", s["empty"],
                         "the text is blank (a turn that was only [听不清]/（笑）, an empty cell, a formula with no "
                         "saved value): not a statement, never counted; the rows stay in the tagged table with "
                         "their note"))
        if NOTE in self.columns or s["garbled"]:
            rows.append(("garbled rows excluded", s["garbled"],
                         "the text looks garbled (mojibake such as 瀹藉甫, 锟斤拷 or ??????: characters lost to a wrong "
                         "encoding; note: the text looks garbled …, or no note in a table tagged before that note "
                         "existed): a ticket, but no words to count; check the input file's encoding (--encoding gbk "
                         "or utf-8) or export it again; the rows stay in the tagged table with their note, flagged "
                         "needs_review"))
            rows.append(("totals rows excluded", s["totals"],
                         "an export's totals row (合计,,,,共330条; note: a totals row, not a ticket): not a ticket, "
                         "never counted; the rows stay in the tagged table with their note"))
            rows.append(("repeated header rows excluded", s["headers"],
                         "the export's header row again among its rows (工单编号,受理时间,…,投诉内容: pages or months "
                         "pasted into one file; note: a repeated header row, not a ticket): not a ticket, never "
                         "counted; the rows stay in the tagged table with their note"))
        if self.dedupe:
            rows.append(("duplicates excluded", s["duplicates"],
                         "no is_duplicate column, so the duplicate rule of voc split and voc analyze was applied: "
                         + ("a row repeating an earlier row word for word (the table has no id column: it is one "
                            "source)" if self.who_col is None
                            else f"a row repeating an earlier row of the same {self._id_said()} word "
                                 "for word")
                         + (" in its file (partition)" if self.files > 1 else "")
                         + "; use include_duplicates=True to count them"))
        elif self.include_duplicates:
            rows.append(("duplicates excluded", 0, "duplicates counted (include_duplicates=True)"))
        else:
            rows.append(("duplicates excluded", s["duplicates"],
                         "is_duplicate is true (of the rows left); use include_duplicates=True to count them"))
        if self.across_files and not self.keyed_across:
            rows.append(("rows repeated from an earlier file excluded", 0,
                         "the files have no id column, so none is taken for a row of an earlier file: a text "
                         "that an earlier file also has is another ticket with the same words, and is counted "
                         "(within a file the duplicate rule above applies); if one file is an earlier export of "
                         "another (tagged_oct, tagged_oct_nov), give the later one alone"))
        elif self.across_files:
            said = "; ".join(f"{Path(f).name}: {n} of {r} rows" for f, r, n in self.repeated_files if n)
            rows.append(("rows repeated from an earlier file excluded", s["repeated"],
                         f"a row with the same {self._repeat_key()} as a row of an earlier file (files are "
                         "read in name order) is that row read again — an export and its grown successor "
                         "(tagged_oct, tagged_oct_nov) side by side — and is counted once, in the earlier file" + (f": {said}" if said else ": none")
                         + "; to count one export, give that file alone"
                         + (f"; {s['made_ids']:,} rows of tickets whose ids voc split made from their row (工单:3: "
                            "an export without an id column) were not checked: such an id names a row of its file, "
                            "so the same id in two files is two tickets (if one file is an earlier export of another, "
                            "give the later one alone)" if s["made_ids"] else "")))
            if self.grown_surveys or self.answer_ids or self.file_answers:
                said = "; ".join(f"{Path(f).name}: {n} of its {a} answers" for f, n, a in self.grown_surveys)
                rows.append(("survey answers merged from an earlier export", sum(n for _, n, _ in self.grown_surveys),
                             "a survey's answer numbers are its own (answer 1 of two surveys: two respondents, both "
                             "counted), but a later file whose answers repeat an earlier file's survey (more than half "
                             "of the answer numbers both have read the same: 问卷_11月, then 问卷_11月_更新 with more "
                             "answers) is that survey exported again: an answer with the same number (ticket_id) and "
                             "words is one answer, counted once, in the earlier file" + (f": {said}" if said else
                                                                                         ": none")))
        if s["staff"]:
            rows.append(("staff sections excluded", s["staff"],
                         "role == staff: sentences of a ticket's staff sections (【处理过程】, 【处理结果】, 回访情况：, "
                         "答复： …, docs/io.md), the service side's words, not the customer's: never counted; the rows "
                         "stay in the tagged table with their note"))
        rows.append(("rows counted", s["counted"], "statements behind the tables"))
        if self.ticket_col is not None:
            rows.append(("tickets counted", self.n_tickets(),
                         "distinct ticket_id among the rows counted (a focus group's statement has none); count and share are of statements (a ticket "
                         "with three statements about billing counts three times), tickets is how many tickets "
                         "have at least one counted statement with the label in the cell, ticket_share = tickets / "
                         "ticket_n (the group's tickets with a label for the field) in every table"))
            if self._mixed():
                rows.append((WITHOUT_TICKET, s["counted"] - s["ticketed"],
                             f"counted statements without a ticket_id or whose source_kind says they are no "
                             f"ticket's: {s['kind:focus_group']} of focus groups (focus_group 座谈会: source_kind "
                             f"focus_group, or a transcript's role, participant or moderator, or a session_date), "
                             f"{s['kind:other']} other texts (other 其他文本: source_kind other, e.g. a survey's open "
                             "answers split with --kind survey, or neither, e.g. comments added to the table); in "
                             "count, n and share of every table, in no ticket "
                             "column; by_source_kind gives each kind's statements beside the tickets"))
        for f in FIELDS:
            if f not in self.fields:
                rows.append((f"no {f} label", None, f"no {f} column: no {f} tables"))
                continue
            eg = f" (e.g. {', '.join(self.bad_labels[f])})" if self.bad_labels[f] else ""
            rows.append((f"no {f} label", s[f"bad:{f}"],
                         f"counted rows with an empty or unknown {f} label{eg}: left out of the {f} tables only"))
        if self.period:
            eg = f" (e.g. {', '.join(self.bad_dates)})" if self.bad_dates else ""
            serial = (f"; the unparseable ones look like Excel serial dates (a date cell formatted as a number), "
                      f"not read as dates as the column holds no ordinary date before them: {_SERIALS_ADVICE}"
                      if self._serial_like() else
                      "; fix them in the export (e.g. 2026-11-03 14:05) and read it again" if s["date_bad"] else "")
            if SESSION_DATE in self.columns and self.date_col != SESSION_DATE:
                rows.append((TRANSCRIPTS_APART, s["transcript_apart"],
                             f"focus-group statements (no date in column {self.date_col!r}): counted in every table "
                             f"except by_period and alerts; the trend counts the tickets, dated when the customer "
                             f"called, while a statement's only date is its session's ({SESSION_DATE}), so a month "
                             f"of one session's statements beside the tickets' months read as a drop or a rise; "
                             f"count the focus groups by session with date_col={SESSION_DATE!r} on them alone"))
            rows.append(("no date", s["date_blank"] + s["date_bad"],
                         f"column {self.date_col!r}: {s['date_blank']} blank, {s['date_bad']} unparseable{eg}; "
                         f"counted in every table except by_period{serial}"))
            first, last = (_group_text(p) for p in self.period_range)
            n_periods = len(pd.period_range(*self.period_range, freq=PERIODS[self.period]))
            found = f"; dates from {self.date_col!r}, found by its name (give another with --date-col)" \
                if self.date_found else f"; dates from {self.date_col!r}"
            rows.append(("periods", n_periods, f"{self.period}s {first} … {last}; periods without statements "
                         f"show count 0{found}"))
            partial = self._partial_periods()
            if partial:
                said = [f"the {which} {self.period} {_group_text(p)} has dates {start:%Y-%m-%d} … {end:%Y-%m-%d} "
                        f"only ({(end - start).days + 1} of {days} days)" for which, p, start, end, days in partial]
                rows.append(("partial periods", len(partial), "; ".join(said) + f": a partial {self.period}'s counts "
                             "are not comparable with a whole one's (change, change_pct)"
                             + (f"; the alerts leave a partial first {self.period} out of the baseline and test the "
                                f"last {self.period} as it is" if self.alerts is not None else "")))
        for why in self.skipped:
            rows.append(("cross-table skipped", None, why))
        if self.alerts is not None:
            a = self.alerts
            rows += self._untested_alerts()
            rows.append(("alerts", None,
                         f"latest {self.period} vs up to {a['baseline']} earlier ones per label × segment: exact "
                         "conditional binomial test of two Poisson rates, one-sided; tested when count ≥ "
                         f"{a['min_count']}, ≥ {a['min_baseline']} earlier periods and ≥ {a['min_ratio']}× the "
                         f"baseline mean; Benjamini–Hochberg q ≤ {a['alpha']} flagged"
                         + ("; counted in tickets (tickets: the distinct ticket_id of the cell's statements, a ticket "
                            "split into three statements about billing is one; baseline_mean and ratio are of "
                            "tickets, count gives the cell's statements"
                            + ("; focus-group statements are not in the trend, and a statement without a ticket "
                               "that is counts as one" if self.stats["ticketed"] < self.stats["counted"] else "")
                            + ")" if self.ticket_col is not None else "; counted in statements")))
        rows += [
            ("share", None, "count / n, where n is the statements of that group or period with a label for "
                            "the field"),
            ("ci_low, ci_high", None, "95% Wilson score interval of the share (z = 1.96)"),
            *([("ticket_share", None, "tickets / ticket_n, where ticket_n is the tickets of that group or period "
                "with a label for the field; a ticket with statements of two labels is in both, so a field's "
                "ticket shares may add up to more than 100%; ticket_ci_low, ticket_ci_high: its 95% Wilson "
                "interval")] if self.ticket_col is not None else []),
            ("examples", self.k, "statements with the highest label confidence (<field>_conf) in each cell"),
        ]
        return pd.DataFrame(rows, columns=["note", "count", "detail"]).astype({"count": "Int64"})


    def _untested_alerts(self) -> list[tuple[str, int, str]]:
        """The notes row saying that no cell was tested, and why, when the input has too few periods for the
        test (the latest and ``min_baseline`` earlier ones): two months' exports gave an empty alerts table and
        'alerts: 0 of 0 tested', which read as 'nothing is rising' (found in a complaint-team QA pass)."""
        periods = getattr(self, "alert_periods", None)
        need = self.alerts["min_baseline"] + 1
        if periods is None or len(periods) >= need:
            return []
        span = ("" if not periods else f" ({_group_text(periods[0])})" if len(periods) == 1 else
                f" ({_group_text(periods[0])} … {_group_text(periods[-1])})")
        left = "; a partial first one is no baseline and was left out" if any(
            which == "first" for which, *_ in self._partial_periods()) else ""
        other = "" if self.period == "week" else ", or count by week (period='week')"
        return [("alerts not tested", len(periods),
                 f"the input has {len(periods)} {self.period}{'s' if len(periods) != 1 else ''}"
                 f"{span}{left}: the latest {self.period} is tested against at least {need - 1} earlier ones, so "
                 f"no cell was tested and the alerts table is empty, which says nothing about what is rising; "
                 f"give {need} {self.period}s or more{other}; read by_period's change meanwhile")]

    def _serial_like(self) -> bool:
        """Whether the unparseable dates seen are Excel serial dates (46307.21389)."""
        return bool(self.bad_dates) and bool(excel_serials(pd.Series(self.bad_dates, dtype=object)).all())

    def _repeat_key(self) -> str | None:
        """What a row repeated from an earlier file shares with that row (``工单编号 and text``); ``None``
        for one file, or files without an id column (no row is taken for an earlier file's)."""
        if not self.keyed_across:
            return None
        return ("ticket_id (else statement_id; a survey's answer with its source, or alone in a grown export of "
                "the survey)" if self.key_col == TICKET_ID
                else self._id_said()) + " and text"

    def _id_said(self) -> str:
        """The id column the notes name: the file's own (工单编号); when the files have different ones, each with
        its files (``id — per file: 工单编号 (a.csv), 答卷编号 (b.csv) —``): the first file's alone named the others'
        wrongly."""
        cols: dict[str, list[str]] = {}
        for name, col in self.id_names.items():
            cols.setdefault(col or "no id column", []).append(name)
        if len(cols) < 2:
            return self.id_name or self.key_col or self.who_col

        def files(names):
            return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")

        return "id — per file: " + ", ".join(f"{col} ({files(names)})" for col, names in cols.items()) + " —"

    def _partial_periods(self) -> list[tuple[str, pd.Period, pd.Timestamp, pd.Timestamp, int]]:
        """``(which, period, first day, last day, days of the period)`` for the first and the last
        period when the dates read begin after the first one's start or end before the last one's
        end (an export of 1–30 November starts and ends inside weeks); ``which`` is ``first``,
        ``last`` or ``only``. None when every date is the first day of its period (a column of
        months, 2026-11, or of the Mondays of weeks): such dates cannot tell."""
        if not self.date_range or self.period_dates:
            return []
        first, last = self.period_range
        d0, d1 = (t.normalize() for t in self.date_range)
        out = []
        for which, p in (("first", first), ("last", last)) if first != last else (("only", first),):
            lo, hi = p.start_time.normalize(), p.end_time.normalize()
            start, end = max(d0, lo) if p == first else lo, min(d1, hi) if p == last else hi
            if start > lo or end < hi:
                out.append((which, p, start, end, (hi - lo).days + 1))
        return out


def make_tally(*, by: Sequence[str] | str = (), date_col: str | None = None, period: str | None = None,
               examples: int = 3, include_moderator: bool = False, include_duplicates: bool = False,
               crosses: Sequence[tuple[str, str]] = DEFAULT_CROSSES, text_col: str = "text",
               source: str | None = None, alerts: bool | dict = False) -> "_Tally":
    """The streaming accumulator behind :func:`frequencies` (``add`` chunks, ``merge`` partial
    tallies of later partitions, then ``result()``); used as is by the Dask engine."""
    if isinstance(by, str):
        by = [b for b in by.split(",")]
    by = tuple(dict.fromkeys(b.strip() for b in by if b and b.strip()))
    if period is not None and period not in PERIODS:
        raise InputError(f"unknown period {period!r}; use week or month")
    if (date_col is not None or alerts) and period is None:
        period = "month"  # without date_col, the date column is found by its name (_Tally.setup)
    examples = number_param(examples, "examples", low=0, whole=True, means="statements kept per cell")
    alert_opts = None
    if alerts:
        from voiceofcustomer.freq.alerts import ALERT_DEFAULTS

        alert_opts = {**ALERT_DEFAULTS, **(alerts if isinstance(alerts, dict) else {})}
    return _Tally(alerts=alert_opts, by=by, date_col=date_col, period=period, examples=examples,
                  include_moderator=include_moderator, include_duplicates=include_duplicates,
                  crosses=tuple(crosses), text_col=text_col, source=source)


def frequencies(data: pd.DataFrame | Iterable[pd.DataFrame], *, by: Sequence[str] | str = (),
                date_col: str | None = None, period: str | None = None, examples: int = 3,
                include_moderator: bool = False, include_duplicates: bool = False,
                crosses: Sequence[tuple[str, str]] = DEFAULT_CROSSES, text_col: str | None = None,
                id_col: str | None = None, source: str | None = None,
                progress: Callable[[int], object] | None = None, alerts: bool | dict = False) -> FreqResult:
    """Count every label field overall, by each grouping column, by period and crossed.

    Args:
        data: A tagged table, or an iterable of its chunks (e.g. ``open_tagged(p).chunks()``).
        by: Grouping columns (a sequence or a comma-separated string), each its own table.
        date_col: Column with each row's date; with it, ``period`` defaults to ``"month"``.
            Without it, ``period`` and ``alerts`` use the first column named as in
            :data:`DATE_COLUMN_NAMES` (受理时间, 投诉时间, …), as ``voc analyze`` does.
        period: ``"week"`` or ``"month"``.
        examples: Statements kept per cell (0: none).
        include_moderator: Count moderator statements too.
        include_duplicates: Count rows flagged ``is_duplicate`` too.
        crosses: ``(field, column)`` pairs; ``column`` is a label field or a table column. A
            pair whose columns are missing is skipped and listed in ``notes``.
        text_col: Column with the statement text: rows where it is blank are not counted, and it
            is shown in examples. Default ``text``; a DataFrame without one is read as ``voc freq``
            reads a file, by the known names (投诉内容 …: :func:`~voiceofcustomer.statements.statement_columns`).
        id_col: A DataFrame's id column (default ``statement_id``, else a known name such as 工单编号);
            the duplicate rule compares rows of the same id, and without one the table is one source.
        source: Name of the input, put in front of error messages.
        progress: Called with the number of rows of each chunk read.
        alerts: Add the ``alerts`` table (needs dates): cells whose latest-period count
            is significantly above their own baseline (:mod:`voiceofcustomer.freq.alerts`);
            ``True`` for the defaults or a dict of ``spike_alerts`` options.

    Returns:
        A :class:`FreqResult`; table names and columns are in the module docstring.

    Raises:
        InputError: An unknown period; ``data`` is neither a DataFrame nor chunks of one (a path, a Series).
        ColumnError: A grouping or date column is missing (also: ``period`` or ``alerts`` without
            ``date_col`` and no column with a known date name), or there are no label columns.
        DataQualityError: Nothing left to count, or the date column holds no dates.
    """
    ident = None
    read_with = "voc.open_statements(path).read()"
    if not isinstance(data, pd.DataFrame) and (
            isinstance(data, (str, Path, pd.Series)) or not isinstance(data, Iterable)
            or isinstance(data, (list, tuple)) and not all(isinstance(c, pd.DataFrame) for c in data)):
        table_param(data, "data", read_with)  # refused in one line, not iterated (a path's characters)
    chunks = iter([data] if isinstance(data, pd.DataFrame) else data)
    first = next(chunks, None)
    ident = None
    if first is not None:
        # the text and id columns found as voc freq finds a file's, once, on the first table: every chunk
        # is read alike (chunks of a raw tagged export were counted by their own columns: blank texts and
        # repeats counted, found in a Python-API QA pass)
        text_col, ident = statement_columns(table_param(first, "data", read_with).columns, text_col=text_col,
                                            id_col=id_col, require_text=False)
    tally = make_tally(by=by, date_col=date_col, period=period, examples=examples,
                       include_moderator=include_moderator, include_duplicates=include_duplicates,
                       crosses=crosses, text_col=text_col or TEXT, source=source, alerts=alerts)
    tally.id_name, tally.one_source = ident, ident is None
    for chunk in itertools.chain([first] if first is not None else [], chunks):
        tally.add(as_statements(table_param(chunk, "data", read_with), text_col=text_col, id_col=ident,
                                require_text=False))
        if progress is not None:
            progress(len(chunk))
    return tally.result()


def count_table(input: str | Path | Sequence[str | Path], *, engine: str = "local", scheduler: str | None = None,
                text_col: str | Sequence[str] | None = None, id_col: str | Sequence[str] | None = None,
                encoding: str | None = None, sheet: str | None = None, on_bad_rows: str = "error",
                progress: Callable[[int], object] | None = None,
                **options) -> tuple[FreqResult, list[tuple[str, int, str]]]:
    """:func:`frequencies` of a tagged file, or of a folder/glob of tagged partitions read in order.

    ``input`` may be several files, folders or globs (``["tag_oct.parquet", "tag_nov.parquet"]``): their
    files are one input, read in path order as a folder holding them would be
    (:func:`~voiceofcustomer.engines.partitions`).

    ``engine="dask"`` counts the partitions on a Dask cluster (``scheduler`` address, or a
    local cluster) and gives the same result. ``options`` are :func:`frequencies`' keywords. ``text_col`` /
    ``id_col`` may name several columns (tagged CSVs of a hotline's 客户原话 and a callback team's 回访实录): each
    file reads the one of them it has.

    Returns:
        ``(result, bad_rows)`` with ``(file, line, reason)`` of rows skipped.
    """

    from voiceofcustomer.engines import inputs_name, partitions

    if engine == "dask":
        from voiceofcustomer.engines.dask import freq_dataset

        return freq_dataset(input, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                            on_bad_rows=on_bad_rows, scheduler=scheduler, progress=progress, **options)
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}; use local or dask")
    files = partitions(input)
    # each file's own text column (remembered by voc tag, or found by name): a November export's 投诉内容 and a
    # December one's 问题描述 are both the text (the first file's name was required of every file)
    sources = [open_tagged(f, text_col=text_col, id_col=id_col, encoding=encoding, sheet=sheet,
                           on_bad_rows=on_bad_rows) for f in files]
    tally = make_tally(text_col=tally_text_col(sources), source=inputs_name(input), **options)
    tally.across_files = len(files) > 1
    check_files_alike(tally, sources)
    name_id_columns(tally, sources)
    for src in sources:
        # after a file of survey answers: is this one that survey grown? (read twice: only then, a survey is small)
        grown = survey_answers(tally, src) if tally.answer_ids or tally.file_answers else None
        feed_tally(tally, src, progress, answers=grown)
    return tally.result(), [(str(src.path), line, reason) for src in sources for line, reason in src.bad_rows]


_TYPED_BATCH = 200_000  # rows per typed Parquet batch: few pandas calls per row, memory still small


def survey_answers(tally: "_Tally", source) -> list[tuple[str, str]] | None:
    """The (answer number, text) of the survey answers (``source_kind`` other) with text of an opened tagged table,
    for :meth:`_Tally.grown_export`; ``None`` when the rows are not keyed across files by ``ticket_id``."""
    _start(tally, source)
    if not tally.keyed_across or tally.key_col != TICKET_ID:
        return None
    pairs = []
    for chunk in source.chunks():
        if SOURCE_KIND not in chunk.columns:
            continue
        texted = tally._texted(chunk, {}, tally._blank_rows(chunk, {}))
        answer = texted[tally._values(chunk, {}, SOURCE_KIND)[texted] == OTHER]
        pairs += [(w.strip(), t.strip()) for w, t in zip(tally._values(chunk, {}, TICKET_ID)[answer],
                                                          tally._values(chunk, {}, tally.text_col)[answer])]
    return pairs


def feed_tally(tally: "_Tally", source, progress: Callable[[int], object] | None = None,
               answers: list[tuple[str, str]] | None = None) -> None:
    """Add every row of an opened tagged table (:func:`open_tagged`) to ``tally``.

    A Parquet file is read typed and column-pruned (:func:`_typed_parquet`): only the
    columns the tables need, text columns as dictionary codes (a label, a district or a
    date is turned into text once per distinct value, not once per row) and the ids and
    texts of the example candidates only. Other files, or Parquet columns of types that
    reader does not take, go through the text chunks; the tables are the same either way.
    """
    _start(tally, source)
    tally.new_file(str(getattr(source, "path", "")) or None)
    if answers:  # the file's survey answers (survey_answers): a grown export of an earlier file's survey?
        tally.note_grown(answers)
    # a voc tag output that says it notes its garbled rows: the notes are trusted, its texts not tested again
    tally.garbled_noted = getattr(source, "properties", {}).get(GARBLED_NOTED_PROPERTY) == "1"
    typed = _typed_parquet(source, tally)
    if typed is None:
        for chunk in source.chunks():
            tally.add(chunk)
            if progress is not None:
                progress(len(chunk))
        return
    for chunk, lazy in typed:
        tally.add(chunk, lazy)
        if progress is not None:
            progress(len(chunk))


def _start(tally: "_Tally", source) -> None:
    """Set ``tally`` up on the columns of the first table it is fed (once)."""
    if tally.columns is None:
        tally.id_name = getattr(source, "id_col", None)
        tally.one_source = hasattr(source, "id_col") and source.id_col is None  # the duplicate rule's one source
        tally.setup(list(source.columns))


def name_id_columns(tally: "_Tally", sources) -> None:
    """Remember each file's own id column (a tagged export's 工单编号, another's 答卷编号): the notes name them."""
    tally.id_names = {Path(src.path).name: getattr(src, "id_col", None) for src in sources}


def tally_text_col(sources) -> str:
    """The text column a tally of ``sources`` (opened tagged files) reads: their own name when every file has
    the same, else the canonical ``text`` every chunk carries (a month's 投诉内容, the next one's 问题描述)."""
    names = {src.text_col for src in sources}
    return names.pop() if len(names) == 1 else TEXT


def check_files_alike(tally: "_Tally", sources) -> None:
    """Refuse, in one line, a later file without a grouping or date column the first file has.

    Why: the tally reads every file by the first one's columns, and a column a later file lacks was read as
    empty — a December export whose 地市 is named 所属地市 had all its 3,103 rows counted under (blank) in
    ``by_地市`` without a word (found in a complaint-team QA pass). The file's columns of a like name (one name
    inside the other: 所属地市 for 地市) are named, to rename so the files' columns line up.
    """
    if len(sources) < 2:
        return
    _start(tally, sources[0])
    wanted = [(c, "to group by") for c in tally.group_cols]
    if tally.date_col is not None:
        wanted.append((tally.date_col, "with the dates"))
    for src in sources[1:]:
        have = list(getattr(src, "file_columns", src.columns))
        for col, what in wanted:
            if col in have:
                continue
            like = closest_column(col, [c for c in have if c not in FIELDS and c != "_row"])
            rename = (f"rename {like!r} to {col!r} in its export and tag it again, so the files' columns line "
                      "up, or count the files one by one" if like else
                      f"name that column {col!r} in its export and tag it again, or count the files one by one")
            listed = ", ".join(str(c) for c in have if c != "_row")
            raise ColumnError(f"{src.path}: no column {col!r} {what}, which {Path(sources[0].path).name} has, so "
                              f"its rows would be counted as if it were empty; {rename}; its columns are: {listed}")


def _typed_parquet(source, tally: "_Tally"):
    """Chunks ``(frame, lazy columns)`` of a Parquet statements table with only the columns
    ``tally`` reads, or ``None`` when the file is not Parquet or a needed column is not of a
    type read here (string, dictionary of strings; numbers for ``*_conf``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = getattr(source, "_table", None)
    if table is None or getattr(table, "kind", None) != "parquet":
        return None
    try:
        schema = pq.read_schema(table.path)
    except (OSError, pa.ArrowException):
        return None
    types = {name: schema.field(name).type for name in schema.names}

    def texty(t) -> bool:
        if pa.types.is_dictionary(t):
            t = t.value_type
        return pa.types.is_string(t) or pa.types.is_large_string(t)

    file_cols = list(table.columns)
    plain, numeric, lazy_cols = [], [], {}
    for c in tally.needed_columns():
        if c in (tally.id_col, tally.text_col, tally.key_col):
            if c == STATEMENT_ID and c not in file_cols:
                spec = _id_spec(table, types, texty)
                if spec is None:
                    return None
                lazy_cols[c] = spec
                continue
            name = table.text_col if c == TEXT else (c if c in file_cols else None)
            if name is None or name not in types or not texty(types[name]):
                return None
            lazy_cols[c] = ("text", name)
            continue
        if c not in file_cols or c not in types:
            return None  # e.g. a column only the reader makes (ticket_id from row numbers)
        if c.endswith("_conf") and c[: -len("_conf")] in FIELDS and (
                pa.types.is_floating(types[c]) or pa.types.is_integer(types[c])):
            numeric.append(c)
        elif texty(types[c]):
            plain.append(c)
        else:
            return None
    raw = [spec[1] for spec in lazy_cols.values() if spec[1] is not None]
    read = list(dict.fromkeys([*plain, *numeric, *raw]))
    return _typed_batches(table, read, plain, numeric, lazy_cols)


def _id_spec(table, types, texty):
    """How the statements opener makes ``statement_id`` when the file has none (see
    ``TableSource._frame``): the file's ticket_id as is, else its id column stripped
    (blank: ``<stem>:<row>``), else ``<stem>:<row>``."""
    if TICKET_ID in table.columns and table.id_col != TICKET_ID:
        return ("text", TICKET_ID) if TICKET_ID in types and texty(types[TICKET_ID]) else None
    if table.id_col:
        return ("id", table.id_col) if table.id_col in types and texty(types[table.id_col]) else None
    return ("row", None)


def _typed_batches(table, read, plain, numeric, lazy_cols):
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    # pre_buffer off: with it pyarrow keeps every row group's bytes it has read (measured: +130 MB
    # per million rows, 1.7 GB peak at 10⁷ rows; without it memory stays flat)
    pf = pq.ParquetFile(table.path, read_dictionary=list(plain), pre_buffer=False)
    stem, row, content = table.path.stem, 0, False
    try:
        for batch in _joined_batches(pf, read):
            n = batch.num_rows
            frame = {}
            for c in plain:
                arr = batch.column(c)
                if not pa.types.is_dictionary(arr.type):
                    arr = pc.dictionary_encode(arr)
                idx = pc.fill_null(arr.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
                vcodes, cats = pd.factorize(np.asarray(arr.dictionary.to_pylist(), dtype=object))
                vcodes = np.append(vcodes, -1)
                codes = vcodes[np.where(idx >= 0, idx, len(vcodes) - 1)]
                cats = pd.Index(np.asarray(cats, dtype=object), dtype=object)
                frame[c] = pd.Categorical.from_codes(codes, categories=cats)
                if not content:
                    blank = pd.Series(cats, dtype=object).str.strip().eq("").to_numpy(dtype=bool)
                    content = bool((codes >= 0).any() and (~blank[codes[codes >= 0]]).any())
            for c in numeric:
                frame[c] = batch.column(c).to_numpy(zero_copy_only=False).astype(float)
                content = content or bool(batch.column(c).null_count < n)
            lazy = {c: _LazyText(batch.column(name) if name else None, kind, stem, row)
                    for c, (kind, name) in lazy_cols.items()}
            yield pd.DataFrame(frame, index=pd.RangeIndex(n)), lazy
            row += n
    except OSError as exc:
        raise InputError(f"{table.path}: cannot read row {row + 1} of the Parquet file ({str(exc)[:120]}); "
                         "export it again") from None
    if row == 0:
        raise InputError(f"{table.path}: has a header but no data rows; nothing to do, no output was written")
    if not content and (plain or numeric):
        raise InputError(f"{table.path}: all {row} data rows are empty; nothing to do, "
                         "no output was written; check the export")


def _joined_batches(pf, columns: list[str]):
    """Record batches of about ``_TYPED_BATCH`` rows, whatever the file's row groups (``voc tag``
    writes one per 5,000-row chunk): each batch costs a few dozen pandas calls, so fewer is faster."""
    import pyarrow as pa

    pending, rows = [], 0

    def joined():
        t = pa.Table.from_batches(pending).unify_dictionaries().combine_chunks()
        return t.to_batches()[0] if t.num_rows else pending[0]

    for batch in pf.iter_batches(batch_size=_TYPED_BATCH, columns=columns):
        pending.append(batch)
        rows += batch.num_rows
        if rows >= _TYPED_BATCH:
            yield joined()
            pending, rows = [], 0
    if pending:
        yield joined()


class _LazyText:
    """A text column of one batch, turned into Python strings only for the rows asked for
    (as the statements opener gives them: ``""`` for none, ids stripped with the row fallback)."""

    def __init__(self, column, kind: str, stem: str, first_row: int):
        self.column, self.kind, self.stem, self.first_row = column, kind, stem, first_row

    def __getitem__(self, positions) -> np.ndarray:
        positions = np.asarray(positions, dtype=np.int64)
        if self.kind == "row":
            return np.array([f"{self.stem}:{self.first_row + 1 + int(i)}" for i in positions], dtype=object)
        values = self.column.take(positions).to_pylist()
        if self.kind == "text":
            return np.array(["" if v is None else v for v in values], dtype=object)
        out = []
        for i, v in zip(positions, values):
            v = None if v is None else v.strip()
            out.append(v if v else f"{self.stem}:{self.first_row + 1 + int(i)}")
        return np.array(out, dtype=object)

    def blank(self) -> np.ndarray:
        """Which rows of a text column are blank (null, empty or only whitespace: the test of
        :func:`voiceofcustomer.statements.blank_text`), computed in Arrow, no Python strings made.
        Arrow's ``utf8_is_space`` takes the very characters of Python's ``str.isspace``."""
        import pyarrow as pa
        import pyarrow.compute as pc

        col = self.column
        if pa.types.is_dictionary(col.type):
            col = col.dictionary_decode()
        blank = pc.or_kleene(pc.equal(pc.binary_length(col), 0), pc.utf8_is_space(col))
        return pc.fill_null(blank, True).to_numpy(zero_copy_only=False)


# -- helpers ---------------------------------------------------------------------------------
#: what to do about Excel serial dates that are not read as dates
_SERIALS_ADVICE = ("format the column as dates in Excel (e.g. yyyy-mm-dd hh:mm) and save the CSV again")


#: the notes row of the focus-group statements a trend of tickets leaves out (:func:`trend_dates`)
TRANSCRIPTS_APART = "transcript statements not in the trend"
#: the notes row of the statements without a ticket beside split tickets (by_source_kind)
WITHOUT_TICKET = "statements without a ticket"

#: the roles of a transcript's statements (a ticket's are "" or staff)
_TRANSCRIPT_ROLES = ("participant", "moderator")


def trend_dates(rows: pd.DataFrame, date_col: str) -> tuple[pd.Series, np.ndarray]:
    """``(dates, apart)``: the dates of ``rows[date_col]`` the trend (``by_period``, alerts) counts, and which
    rows it leaves out on purpose: a focus group's statements beside a ticket export (``voc analyze fg.txt
    tickets.csv``), which have no value in the export's date column. Their only date is the session's
    (``session_date``): 25 statements of one afternoon made a month of their own beside 600 tickets dated when
    each customer called, and read as a drop. A statement is a focus group's when its table has a
    ``session_date`` column and it has a session date or a transcript's role (participant, moderator); a value
    of its own in ``date_col``, even an unparseable one, is kept as it is. With ``date_col="session_date"`` the
    sessions are the dates asked for, and nothing is apart.

    Why public: the report groups rows by period exactly as the counts did (:func:`period_labels`)."""
    s = rows[date_col]
    apart = np.zeros(len(s), dtype=bool)
    if date_col == SESSION_DATE or SESSION_DATE not in rows.columns:
        return s, apart
    if pd.api.types.is_datetime64_any_dtype(s):
        blank = s.isna().to_numpy()
    else:
        raw = s.astype("string").str.strip()
        blank = (raw.isna() | raw.eq("")).to_numpy(dtype=bool)
    if not blank.any():
        return s, apart
    apart = blank & transcript_rows(rows)
    return s, apart


def transcript_rows(rows: pd.DataFrame) -> np.ndarray:
    """Which rows are a focus group's statements, by what the statements table says (docs/architecture.md): a
    transcript's role (``participant``, ``moderator``; a ticket's is empty or ``staff``) or a session date
    (``session_date``, a transcript header's). The trend (:func:`trend_dates`) and ``by_source_kind`` go by it;
    a row without a ticket and without either is no focus group's (a survey's open answers, comments). A table with
    ``source_kind`` (``voc split`` writes it) says it: ``focus_group`` is, ``ticket`` and ``other`` are not; a row
    with that column empty (a table written before it, added to) goes by its role and date."""
    out = np.zeros(len(rows), dtype=bool)
    if SESSION_DATE in rows.columns:
        out |= ~_per_value(rows, SESSION_DATE, lambda d: blank_text(d[SESSION_DATE]), True)
    if ROLE in rows.columns:
        out |= _per_value(rows, ROLE, lambda d: d[ROLE].astype("string").str.strip().isin(_TRANSCRIPT_ROLES)
                          .fillna(False).to_numpy(dtype=bool), False)
    if SOURCE_KIND in rows.columns:
        kinds = rows[SOURCE_KIND].astype("string").str.strip()
        said = (kinds.notna() & kinds.ne("")).to_numpy(dtype=bool)
        out = np.where(said, kinds.eq(FOCUS_GROUP).fillna(False).to_numpy(dtype=bool), out)
    return out


def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """Each row's period as the ``by_period`` table writes it (``2024-03``, ``2024-W09``); ``""`` if no date.

    Why public: the report links every period cell to its statements and must group
    rows exactly as the counts did.
    """
    parsed = parse_dates(dates)
    per = parsed.dt.to_period(PERIODS[period])
    return pd.Series([_group_text(p) if not pd.isna(p) else "" for p in per], index=dates.index, dtype=object)


#: a time zone after a time (``14:05:00+08:00``, ``02:15:00Z``): dropped, the written time is kept
_ZONE = r"(?<=\d:\d{2})(?:\.\d+)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})$"


#: an Excel serial date as a sheet saved to CSV writes a date cell formatted as a number (46307.21389)
_EXCEL_SERIAL = r"\d{5}(?:\.\d+)?"
#: the serials read as dates: 1990-01-01 … 2100-01-01 (days since Excel's day 0, 1899-12-30)
EXCEL_SERIAL_RANGE = (32874, 73051)
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def excel_serials(values: pd.Series) -> np.ndarray:
    """Which values are Excel serial dates of 1990–2100 (``46307.21389``: what a date cell formatted as a
    number becomes when the sheet is saved to CSV), by their shape alone."""
    text = values.astype("string").str.strip()
    shaped = text.str.fullmatch(_EXCEL_SERIAL).fillna(False).to_numpy(dtype=bool)
    days = pd.to_numeric(text.where(shaped), errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return shaped & (days >= EXCEL_SERIAL_RANGE[0]) & (days < EXCEL_SERIAL_RANGE[1])


def parse_dates(s: pd.Series, *, serials: bool | None = None) -> pd.Series:
    """Dates from text as exports write them (ISO, 2024/3/5, 2024年3月5日 with or without a space before
    the time, 14时05分, with or without a time zone); NaT if not. A time zone is dropped and the written
    time kept, as for a column of zoned datetimes, so a column may mix times with and without one.

    An Excel serial date of 1990–2100 (``46307.21389``, :func:`excel_serials`) is read as Excel counts
    days when the column also holds ordinary dates (``serials=None``: some value of ``s`` is one; the
    tally passes ``True`` once an earlier chunk had one), never in a column of numbers alone (ids)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
    import warnings

    text = s.astype("string").str.strip()
    if text.str.contains("年", regex=False).any():  # 2024年3月5日14:05 (the time may follow 日 directly)
        text = text.str.replace(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*", r"\1-\2-\3 ", regex=True)
        text = text.str.replace(r"(\d{1,2})\s*[时点]\s*(\d{1,2})\s*分(?:\s*(\d{1,2})\s*秒)?",
                                lambda m: f"{m[1]}:{m[2]}:{m[3] or '00'}", regex=True).str.strip()
    if text.str.contains(_ZONE, regex=True).any():  # a zone on some times only: pandas refuses the mix
        text = text.str.replace(_ZONE, "", regex=True)
    text = text.mask(text.eq(""))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format": the second pass handles it
        dates = pd.to_datetime(text, errors="coerce")
        rest = dates.isna() & text.notna()
        if rest.any():  # exports mix formats; parse the stragglers one by one
            dates = dates.where(~rest, pd.to_datetime(text[rest], errors="coerce", format="mixed"))
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    if dates.isna().any():
        serial = excel_serials(text) & dates.isna().to_numpy()
        if serial.any() and (serials or (serials is None and dates.notna().any())):
            days = pd.to_numeric(text[serial], errors="coerce").astype(float)
            dates = dates.astype("datetime64[ns]")
            dates[serial] = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("s").to_numpy()
    return dates


def _distinct(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``(rows, values)``: row i holds ``values[rows[i]]`` (``rows[i] == -1``: missing), values
    in order of first appearance. A ``Categorical`` (typed reader) gives its categories, else
    the column is factorised; either way per-value rules then run once per distinct value."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().astype(np.int64)
        seen = pd.unique(codes[codes >= 0])
        remap = np.full(len(s.cat.categories) + 1, -1, dtype=np.int64)
        remap[seen] = np.arange(len(seen))
        return remap[codes], pd.Series(s.cat.categories.take(seen).astype(object), dtype=object)
    codes, uniques = pd.factorize(s.astype("string"), use_na_sentinel=True)  # as text: 1 and 1.0 stay apart
    return codes.astype(np.int64), pd.Series(np.asarray(uniques, dtype=object), dtype=object)


def _refactorize(rows: np.ndarray, vcodes: np.ndarray, na_value) -> tuple[np.ndarray, np.ndarray | pd.Index]:
    """Row codes of ``vcodes[rows]`` renumbered in order of first appearance, as
    ``pd.factorize`` of the per-row values would give them. With ``na_value`` (the value
    given to values vcodes cannot name, e.g. a blank) returns ``(codes, Index of the
    values)``, with ``vcodes`` then the per-value texts; with ``None`` missing rows get -1
    and the uniques are positions into the per-value factorisation."""
    if na_value is not None:  # vcodes: one text per distinct value; missing rows take na_value
        texts = np.append(np.asarray(vcodes, dtype=object), na_value)
        tcodes, tuniques = pd.factorize(texts)
        per_row = tcodes[np.where(rows >= 0, rows, len(texts) - 1)]
        codes, first = pd.factorize(per_row)
        return codes.astype(np.int64), pd.Index(tuniques.take(first))
    per_row = np.where(rows >= 0, np.asarray(vcodes)[rows.clip(0)] if len(vcodes) else -1, -1)
    ok = per_row >= 0
    codes = np.full(len(per_row), -1, dtype=np.int64)
    sub, first = pd.factorize(per_row[ok])
    codes[ok] = sub
    return codes, first


def _per_value(chunk: pd.DataFrame, col: str, rule: Callable[[pd.DataFrame], np.ndarray],
               default: bool) -> np.ndarray:
    """``rule`` (a row-wise test on a one-column frame) for each row, computed per distinct value
    when ``col`` is Categorical; ``default`` for every row when the chunk has no such column."""
    if col not in chunk.columns:
        return np.full(len(chunk), default, dtype=bool)
    s = chunk[col]
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return rule(chunk[[col]])
    rows, values = _distinct(s)
    per = rule(pd.DataFrame({col: pd.concat([values, pd.Series([None], dtype=object)], ignore_index=True)}))
    return per[np.where(rows >= 0, rows, len(values))]


def _numbers(s: pd.Series) -> np.ndarray:
    """A confidence column as floats (unparseable: NaN), typed or text."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        rows, values = _distinct(s)
        v = np.append(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float), np.nan)
        return v[np.where(rows >= 0, rows, len(v) - 1)]
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)


class _Positions:
    """Rows ``kept`` of a lazy column, indexable by positions into ``kept``."""

    def __init__(self, column, kept: np.ndarray):
        self.column, self.kept = column, kept

    def __getitem__(self, pos) -> np.ndarray:
        return self.column[self.kept[pos]]

    def __len__(self) -> int:
        return len(self.kept)


def _first_k(keys: np.ndarray, k: int) -> np.ndarray:
    """Positions of the first ``k`` occurrences of every key (``keys`` in rank order), ascending."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    within = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    return np.sort(order[within < k])


def _top(sub: pd.DataFrame, k: int) -> pd.DataFrame:
    ordered = sub.sort_values(["rank", "_order"], ascending=[False, True], na_position="last", kind="stable")
    return ordered.groupby(["g", "label"], sort=False).head(k)


def period_text(p: pd.Period) -> str:
    """A period as every table names it: ``2024-03``, ``2024-W09`` (ISO week), ``2024Q1``."""
    if p.freqstr.startswith("W"):
        year, week, _ = p.start_time.isocalendar()
        return f"{year}-W{week:02d}"
    return str(p)


#: Between a --by value and a period in the group keys of by_period_<col> (``杭州\x1f2026-10``): no export's text
_WITHIN = "\x1f"


def _within(groups: tuple[np.ndarray, pd.Index], periods: tuple[np.ndarray, pd.Index]) -> tuple[np.ndarray, pd.Index]:
    """The codes of each row's (--by value, period): ``杭州\x1f2026-10``; -1 where either is missing (no date)."""
    gcodes, guniques = groups
    pcodes, puniques = periods
    ok = (gcodes >= 0) & (pcodes >= 0)
    pair = np.where(ok, gcodes.astype(np.int64) * max(len(puniques), 1) + pcodes, -1)
    codes, used = pd.factorize(pair[ok])
    out = np.full(len(pair), -1, dtype=np.int64)
    out[ok] = codes
    n_p = max(len(puniques), 1)
    return out, pd.Index([f"{guniques[u // n_p]}{_WITHIN}{_group_text(puniques[u % n_p])}" for u in used],
                         dtype=object)


def _group_text(v) -> str:
    return period_text(v) if isinstance(v, pd.Period) else str(v)


def _example_text(cell: list[Example]) -> str:
    def cut(t: str) -> str:
        t = " ".join(t.split())
        return t if len(t) <= _EXAMPLE_CHARS else t[: _EXAMPLE_CHARS - 1] + "…"

    return " | ".join(f"{e.statement_id}: {cut(e.text)}" for e in cell)


def _with_changes(table: pd.DataFrame, within: str | None = None) -> pd.DataFrame:
    """Add change and change_pct against the previous period, per field and label (and value of the column
    ``within``: by_period_地市's change is each city's against its own previous period)."""
    cell = [*([within] if within else []), "field", "label"]
    prev = table.groupby(cell, sort=False)["count"].shift(1)
    table.insert(table.columns.get_loc("ci_high") + 1, "change", table["count"] - prev)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(prev > 0, (table["count"] - prev) / prev.where(prev > 0), np.nan)
    table.insert(table.columns.get_loc("change") + 1, "change_pct", pct)
    table["change"] = table["change"].astype("Int64")
    # rows came field → (value →) period → label; readers want (value →) period → field → label
    period_pos = table.groupby(cell, sort=False).cumcount()
    keys = ["_v", "_p"] if within else ["_p"]
    value_pos = pd.factorize(table[within])[0] if within else 0
    return (table.assign(_p=period_pos, _v=value_pos).sort_values(keys, kind="stable").drop(columns=["_p", "_v"])
            .reset_index(drop=True))


# -- output ----------------------------------------------------------------------------------
_PERCENT_COLUMNS = frozenset({"share", "ci_low", "ci_high", "change_pct", "ticket_share", "ticket_ci_low",
                              "ticket_ci_high"})
_EXCEL_MAX_ROWS = 1_048_575
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def write_frequencies(result: FreqResult, out_dir: str | Path, *, charts: bool = True,
                      skipped: Sequence[tuple[str, int, str]] = ()) -> dict[str, Path]:
    """Write ``frequencies.xlsx``, one CSV per table and ``charts.html`` into the folder ``out_dir``.

    The folder is written as one piece (:class:`~voiceofcustomer.report.folder.OutputFolder`):
    the files are built beside it and put in place at the end, so an interrupted run leaves
    the earlier output as it was, and afterwards the folder holds exactly this run's tables
    (a ``by_<column>.csv`` of an earlier ``--by`` that this run does not write is removed;
    files of yours in the folder are never touched). ``skipped`` rows ``(file, line, reason)``
    go to ``frequencies.skipped.csv``.

    Returns:
        ``{"workbook": …, "charts": …, <table name>: <csv path>, …}`` (plus ``"skipped"``).
    """
    from voiceofcustomer.report.folder import OutputFolder

    folder = OutputFolder(out_dir, "freq", legacy=frequency_file_names)
    with folder as build:
        paths = write_frequency_files(result, build, charts=charts)
        if skipped:
            paths["skipped"] = write_table(pd.DataFrame(list(skipped), columns=["file", "line", "reason"]),
                                           build / "frequencies.skipped.csv")
    return {name: folder.final(p) for name, p in paths.items()}


def write_frequency_files(result: FreqResult, folder: str | Path, *, charts: bool = True) -> dict[str, Path]:
    """The files of :func:`write_frequencies`, each written atomically into ``folder`` (created),
    which the caller owns (``voc analyze`` writes them into its report folder).

    CSV is UTF-8 with BOM so Excel shows the Chinese; text cells that start like a formula are quoted.
    """
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: is a file; give a folder for the frequency tables")
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, table in result.tables.items():
        paths[name] = write_table(table, out / f"{_file_stem(name)}.csv")
    paths["workbook"] = _write_workbook(result.tables, out / "frequencies.xlsx")
    if charts:
        from voiceofcustomer.freq.charts import write_charts

        paths["charts"] = write_charts(result, out / "charts.html")
    return paths


def frequency_file_names(folder: str | Path, *, workbook: str | Path | None = None) -> set[str]:
    """The files an earlier ``voc freq`` (one without the folder's record) wrote in ``folder``:
    the fixed names, and one CSV per sheet of its ``frequencies.xlsx`` (or ``workbook``)."""
    folder = Path(folder)
    names = {"frequencies.xlsx", "charts.html", "frequencies.skipped.csv", "overall.csv", "by_period.csv",
             "notes.csv", "alerts.csv"}
    book = Path(workbook) if workbook is not None else folder / "frequencies.xlsx"
    if book.is_file():
        try:
            import openpyxl

            wb = openpyxl.load_workbook(book, read_only=True)
            try:
                names |= {f"{_file_stem(s)}.csv" for s in wb.sheetnames}
            finally:
                wb.close()
        except Exception:  # noqa: BLE001 - not our workbook after all: only the fixed names
            pass
    return names


def _write_workbook(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """One sheet per table (notes first: what was counted comes before the counts)."""
    import xlsxwriter

    for name, table in tables.items():
        if len(table) > _EXCEL_MAX_ROWS:
            raise DataQualityError(f"table {name} has {len(table):,} rows, more than Excel holds; group by a "
                                   "column with fewer values (the CSV files are not limited)")
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
        try:
            head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
            pct = book.add_format({"num_format": "0.0%"})
            signed = book.add_format({"num_format": "+0;-0;0"})
            used: set[str] = set()
            for name in ["notes", *(n for n in tables if n != "notes")]:
                if name not in tables:
                    continue
                table = neutralize_formulas(tables[name])
                ws = book.add_worksheet(_sheet_name(name, used))
                cols = [str(c) for c in table.columns]
                for j, c in enumerate(cols):
                    ws.write_string(0, j, c, head)
                formats = [pct if c in _PERCENT_COLUMNS else signed if c == "change" else None for c in cols]
                for i, row in enumerate(table.itertuples(index=False, name=None), start=1):
                    for j, v in enumerate(row):
                        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                            continue
                        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                            ws.write_number(i, j, float(v), formats[j])
                        else:
                            ws.write_string(i, j, str(v))
                ws.freeze_panes(1, 0)
                ws.autofilter(0, 0, max(len(table), 1), max(len(cols) - 1, 0))
                for j, c in enumerate(cols):
                    ws.set_column(j, j, _width(c, table.iloc[:500, j]))
        finally:
            book.close()
    return path


def _width(header: str, values: pd.Series) -> float:
    """Column width in Excel units: CJK characters take two."""
    def w(text: str) -> int:
        return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)

    longest = max([w(header), *(w(f"{v:.1%}" if isinstance(v, float) else str(v)) for v in values.dropna())])
    return float(min(max(longest + 2, 6), 90 if header == "examples" else 50))


def _sheet_name(name: str, used: set[str]) -> str:
    base = name.translate(_BAD_SHEET_CHARS).strip("'")[:31] or "table"
    sheet, i = base, 2
    while sheet.lower() in used:
        suffix = f"~{i}"
        sheet, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(sheet.lower())
    return sheet


def _file_stem(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name).strip(".") or "table"
