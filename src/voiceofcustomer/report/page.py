"""The one-page report (``report/index.html``): self-contained, offline, traceable.

Every number is a link: clicking it (or a bar of a chart) lists the statements
behind it. Statement data travels inside the page as JSON that the script turns
into text nodes (never ``innerHTML``), so a complaint containing ``<script>``
shows as text; all other input text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from voiceofcustomer.labels.taxonomy import FIELD_ZH, FIELDS, LABELS, label_zh
from voiceofcustomer.io.writers import atomic_path
from voiceofcustomer.errors import ColumnError, no_column
from voiceofcustomer.statements import (CITY, GROUP, MODERATOR, NEEDS_REVIEW, PARTICIPANT, ROLE, group_name, SECTION,
                                        SESSION, SESSION_TITLE, SPEAKER, STATEMENT_ID, TEXT, TICKET_ID, TOPIC,
                                        as_statements, counted, counted_note, not_ticket_rows, record_label,
                                        session_shown, speaker_label, table_param, truthy)

__all__ = ["build_report", "render_report", "report_numbers", "report_rows", "counted_rows",
           "ReportNumbers", "GroupCounts", "PeriodCounts", "ValuePeriodCounts"]

MAX_PER_CELL = 300
MAX_ITEMS_SHOWN = 60


def counted_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The statements that frequency tables count (:func:`voiceofcustomer.statements.counted`)."""
    return counted(df)


def _esc(v) -> str:
    return html.escape("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))


class _Cells:
    """Statement index lists behind every clickable number."""

    def __init__(self, df: pd.DataFrame):
        self.df = df
        self.pos = pd.Series(np.arange(len(df)), index=df.index)
        self.cells: dict[str, list[int]] = {}
        self.used: set[int] = set()

    def add(self, key: str, mask) -> int:
        idx = self.pos[mask].tolist() if not isinstance(mask, list) else mask
        self.cells[key] = idx[:MAX_PER_CELL] + ([-len(idx)] if len(idx) > MAX_PER_CELL else [])
        self.used.update(idx[:MAX_PER_CELL])
        return len(idx)

    def link(self, key: str, mask, title: str, value: str | None = None) -> str:
        n = self.add(key, mask)
        shown = value if value is not None else str(n)
        if n == 0:
            return f'<span class="zero">{_esc(shown)}</span>'
        return f'<a href="#" class="drill" data-cell="{_esc(key)}" data-title="{_esc(title)}">{_esc(shown)}</a>'

    def payload(self) -> dict:
        cols = [STATEMENT_ID, "who", "where", TEXT, "issue", "servqual", "stance"]
        st = {}
        for i in sorted(self.used):
            r = self.df.iloc[i]
            st[i] = [str(r.get(c, "")) if not (isinstance(r.get(c, ""), float) and np.isnan(r.get(c))) else ""
                     for c in cols]
        return {"columns": cols, "st": st, "cells": self.cells}


def _text_col(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col].fillna("").astype(str).str.strip() if col in df.columns else pd.Series("", index=df.index)


def _who(df: pd.DataFrame) -> pd.Series:
    """Who said it, as a researcher quotes it: the speaker with the header's attributes
    (``张女士（退休教师，50岁）``), else the record as the evidence quotes name it (``工单 GD001``, a survey's
    ``答卷 17``: :func:`~voiceofcustomer.statements.record_label`; until 7 Dec 2026 a bare ``17``), else the ticket
    id (an answer's row, ``survey:2``)."""
    speaker, record = speaker_label(df), record_label(df)
    return speaker.where(speaker != "", record.where(record != "", _text_col(df, TICKET_ID)))


def _where(df: pd.DataFrame) -> pd.Series:
    """The focus group's title, customer group, city and the guide's section of a statement
    (``2026年11月 城区宽带用户座谈会 · 公众用户 · 天津 · 服务信息``)."""
    group, city, section = _text_col(df, GROUP).map(group_name), _text_col(df, CITY), _text_col(df, SECTION)
    title = _text_col(df, SESSION_TITLE)
    return (title + " · " + group + " · " + city + " · " + section).str.replace(r"( · )+", " · ", regex=True
                                                                               ).str.strip(" ·")


def _session_titles(df: pd.DataFrame) -> dict[str, str]:
    """Each focus group's title (``session_title``: its header's 座谈会名称, a .docx heading, a .txt's title line)
    by its session id, for the sessions that have one."""
    session, title = _text_col(df, SESSION), _text_col(df, SESSION_TITLE)
    keep = ((session != "") & (title != "")).to_numpy()
    return dict(zip(session[keep], title[keep]))


def _session_shown(session: str, titles: dict[str, str]) -> str:
    """A focus-group session as the page names it: its id, with its title when it has one (``FG01（城区宽带座谈会）``)."""
    return session_shown(session, titles.get(session, ""))


def _sessions_text(df: pd.DataFrame) -> str:
    """The focus-group sessions of the statements, in their order, each with its title when it has one; empty when
    no statement is a transcript's."""
    if ROLE not in df.columns or SESSION not in df.columns:
        return ""
    role = _text_col(df, ROLE).str.lower()
    sessions = _text_col(df, SESSION)[role.isin([PARTICIPANT, MODERATOR]).to_numpy()]
    titles = _session_titles(df)
    return "、".join(_session_shown(s, titles) for s in dict.fromkeys(sessions) if s)


def _theme_cross(df: pd.DataFrame, topics: pd.DataFrame, cells: "_Cells", col: str, title: str) -> str:
    """Theme × class table (customer group, discussion area): researchers read themes per class."""
    if col not in df.columns:
        return ""
    values = df[col].fillna("").astype(str).replace("", "（小标题之前）" if col == SECTION else "（工单/未分组）")
    order = LABELS[col] if col in LABELS else list(pd.unique(values)) if col == SECTION else sorted(values.unique())
    classes = [c for c in order if (values == c).any()]  # the guide's sections in the order the moderator took them
    if len(classes) < 2:
        return ""
    head = "".join(f"<th>{_esc(group_name(c) if col == GROUP else label_zh(col, c))}</th>" for c in classes)
    rows = []
    for t in topics.sort_values(TOPIC).itertuples():
        label = getattr(t, "label", "")
        tds = ""
        for c in classes:
            link = cells.link(f"tc|{col}|{t.topic}|{c}", (df[TOPIC] == t.topic) & (values == c),
                              f"主题 {t.topic}：{label} · {label_zh(col, c)}")
            tds += f"<td class='n'>{link}</td>"
        rows.append(f"<tr><td>{_esc(label)}</td>{tds}</tr>")
    return (f"<h3>{_esc(title)}</h3><div class='scroll'><table class='freq'><thead><tr><th>主题</th>{head}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>")


def _bar(fig_id: str, labels: list[str], values: list[int], keys: list[str], title: str, horizontal=True) -> str:
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=values if horizontal else labels, y=labels if horizontal else values,
                           orientation="h" if horizontal else "v", customdata=keys,
                           marker_color="#3b6ea5", hovertemplate="%{y}: %{x}<extra></extra>" if horizontal else None))
    fig.update_layout(title=_esc(title), height=max(260, 26 * len(labels) + 80), margin=dict(l=10, r=10, t=40, b=10),
                      yaxis=dict(autorange="reversed") if horizontal else None, font=dict(size=12))
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=fig_id, config={"displayModeBar": False})


def _grouped(fig_id: str, table: pd.DataFrame, title: str, keys: list[str], key: str = "g") -> str:
    """Stacked bars of ``table`` (issue labels × groups as the page names them); a bar opens the cell
    ``{key}|issue|{label}|{keys[j]}`` of its group's column ``j``, as the table's number does. Group names and the
    title are escaped: plotly reads ``<b>`` in a legend or title as markup, and a city named ``<b>x</b>`` shows as typed."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for col, g_key in zip(table.columns, keys):
        fig.add_trace(go.Bar(name=_esc(col), y=[label_zh("issue", i) for i in table.index], x=table[col].tolist(),
                             orientation="h", customdata=[f"{key}|issue|{i}|{g_key}" for i in table.index]))
    fig.update_layout(barmode="stack", title=_esc(title), height=max(300, 28 * len(table) + 90),
                      margin=dict(l=10, r=10, t=40, b=10), yaxis=dict(autorange="reversed"))
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=fig_id, config={"displayModeBar": False})


def _lines(fig_id: str, table: pd.DataFrame, title: str) -> str:
    import plotly.graph_objects as go

    fig = go.Figure()
    for lab in table.columns:
        fig.add_trace(go.Scatter(name=label_zh("issue", lab), x=[str(p) for p in table.index], y=table[lab].tolist(),
                                 mode="lines+markers", customdata=[f"p|issue|{lab}|{p}" for p in table.index]))
    # one tick a period: "2026-09" read as a date made a date axis with weekly ticks under monthly points
    fig.update_layout(title=_esc(title), height=380, margin=dict(l=10, r=10, t=40, b=10),
                      xaxis=dict(type="category", title="时期"), yaxis=dict(title="陈述数", rangemode="tozero"))
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=fig_id, config={"displayModeBar": False})


def _group_values(df: pd.DataFrame, col: str) -> pd.Series:
    """A grouping column as the frequency tables write it (blank → ``(blank)``)."""
    from voiceofcustomer.freq.tables import BLANK

    v = df[col].astype("string").str.strip()
    return v.mask(v.isna() | v.eq(""), BLANK).astype(object)


# -- compute: the numbers the page shows, all read from the FreqResult ---------------------------


@dataclass
class GroupCounts:
    """Counts per group of one grouping column, as ``freq.tables["by_<col>"]`` has them.

    Attributes:
        col: the grouping column.
        groups: its values in column order (``(blank)`` last).
        blank: the name the page gives the blank group.
        counts: ``{field: DataFrame}`` for ``issue`` and ``servqual``: labels (taxonomy order)
            × groups, statement counts.
    """

    col: str
    groups: list[str]
    counts: dict[str, pd.DataFrame]

    #: how the page names the blank group: tickets or ungrouped rows by customer group; a row whose
    #: cell is empty in a ``by`` column (a ticket without its district)
    blank: str = "（工单/未分组）"

    def shown(self, group: str) -> str:
        """The group as the page names it."""
        return self.blank if group == _blank() else group_name(group)


@dataclass
class PeriodCounts:
    """Issue counts per period (``freq.tables["by_period"]``): periods × issue labels."""

    date_col: str
    period: str
    counts: pd.DataFrame
    #: a focus group's statements beside the tickets, left out of the trend (their only date is the session's)
    transcripts_apart: int = 0
    #: each period's change from the one before, per issue label: ``{(label, period): (change, change_pct)}`` as
    #: ``by_period.csv`` has it (``change_pct`` None when the earlier count was 0); {} for the first period
    changes: dict = dc_field(default_factory=dict)
    #: the periods the dates begin or end inside (``notes``' ``partial periods``: the first and the last period's
    #: days), whose change is not comparable with a whole period's
    partial: int = 0


@dataclass
class ValuePeriodCounts:
    """Issue counts per period within each value of one ``--by`` column (``freq.tables["by_period_<col>"]``, as
    ``voc analyze --by 地市 --period month`` counts them): each city's months, and each month's change against the
    city's own month before.

    Attributes:
        col, date_col, period: the ``--by`` column, the date column and ``month``/``week``.
        counts: ``{value: DataFrame}`` of periods × issue labels, values in the table's order (blank last).
        changes: ``{(value, label, period): (change, change_pct)}`` as ``by_period_<col>.csv`` has them
            (``change_pct`` None when the earlier count was 0); none for a value's first period.
        partial: as :attr:`PeriodCounts.partial` (the dates are the same).
        transcripts_apart: as :attr:`PeriodCounts.transcripts_apart`.
    """

    col: str
    date_col: str
    period: str
    counts: dict[str, pd.DataFrame]
    changes: dict = dc_field(default_factory=dict)
    partial: int = 0
    transcripts_apart: int = 0
    blank: str = "（未填）"

    def shown(self, value: str) -> str:
        """The value as the page names it."""
        return self.blank if value == _blank() else value


@dataclass
class ReportNumbers:
    """Every number of the report page, taken from one :class:`~voiceofcustomer.freq.tables.FreqResult`.

    Why a separate step: the page must show the numbers ``frequencies.xlsx`` shows, so they
    are read from the stage's result here and never recounted while rendering.

    Attributes:
        rows_read, rows_counted: statements in the input and counted (moderator turns,
            rows with no text and duplicates left out).
        labels: ``{field: DataFrame}`` with ``label, count, share`` for every label of the
            taxonomy, in taxonomy order (0 where the tables have no row).
        by_group: per-group counts, ``None`` without a ``by_<group_col>`` table.
        by_columns: the same counts for each further grouping column asked for (``voc analyze --by 地市``)
            that has a ``by_<col>`` table.
        by_period: per-period counts, ``None`` without a ``by_period`` table.
        by_period_columns: each ``by`` column's trend (its ``by_period_<col>`` table, ``--by`` with ``--period``).
    """

    rows_read: int
    rows_counted: int
    labels: dict[str, pd.DataFrame]
    by_group: GroupCounts | None = None
    by_period: PeriodCounts | None = None
    by_columns: list[GroupCounts] = dc_field(default_factory=list)
    #: rows left out, as the ``notes`` table gives them: ``moderator``, ``empty`` (no text), ``totals`` (an
    #: export's totals rows, 合计,,,,共330条), ``duplicates``
    left_out: dict[str, int] = dc_field(default_factory=dict)
    #: distinct tickets behind the counted statements of a split ticket export (``notes``' ``tickets counted``),
    #: None when the tables have no ``tickets`` column; ``labels`` then has a ``tickets`` column too
    tickets_counted: int | None = None
    #: transcripts, split tickets and other texts together (``freq.tables["by_source_kind"]``): ``{field:
    #: DataFrame}`` for ``issue`` and ``servqual``, labels (taxonomy order) × ``<kind>_count, <kind>_share`` for
    #: each source kind counted (:attr:`source_kinds`; a ticket's count is its tickets, its share of tickets) —
    #: the focus groups' and other texts' statements beside the tickets; None when the input holds one kind
    by_source: dict[str, pd.DataFrame] | None = None
    #: the source kinds of :attr:`by_source`, as ``by_source_kind`` counts them (``focus_group``, ``ticket``,
    #: ``other``: only those present — a survey's answers beside tickets are ``ticket``, ``other``)
    source_kinds: list[str] = dc_field(default_factory=list)
    by_period_columns: list[ValuePeriodCounts] = dc_field(default_factory=list)


def _blank() -> str:
    from voiceofcustomer.freq.tables import BLANK

    return BLANK


def _freq_cells(freq, table: str, field: str, col: str | None = None) -> dict:
    """``(label, group) → (count, share, tickets)`` of one field in one table of a :class:`FreqResult`
    (tickets None when the table has no ``tickets`` column)."""
    t = freq.tables.get(table)
    if t is None:
        return {}
    t = t[t["field"] == field]
    groups = t[col].astype(str) if col else pd.Series("", index=t.index)
    tickets = t["tickets"] if "tickets" in t.columns else pd.Series(None, index=t.index, dtype=object)
    return {(lab, g): (int(k), float(sh) if pd.notna(sh) else 0.0, None if pd.isna(n) else int(n))
            for lab, g, k, sh, n in zip(t["label"], groups, t["count"], t["share"], tickets)}


def _period_changes(freq) -> dict:
    """``(label, period) → (change, change_pct)`` of the issue rows of ``by_period`` (:class:`PeriodCounts`)."""
    t = freq.tables.get("by_period")
    if t is None or "change" not in t.columns:
        return {}
    t = t[(t["field"] == "issue") & t["change"].notna()]
    return {(lab, str(p)): (int(c), None if pd.isna(pct) else float(pct))
            for lab, p, c, pct in zip(t["label"], t["period"], t["change"], t["change_pct"])}


def _value_periods(freq, col: str, date_col: str, period: str) -> ValuePeriodCounts | None:
    """:class:`ValuePeriodCounts` of ``freq``'s ``by_period_<col>`` table, ``None`` without one."""
    from voiceofcustomer.freq.tables import TRANSCRIPTS_APART

    t = freq.tables.get(f"by_period_{col}")
    if t is None:
        return None
    t = t[t["field"] == "issue"]
    if t.empty:
        return None
    values, periods = t[col].astype(str), t["period"].astype(str)
    blank = _blank()
    seen = list(dict.fromkeys(values))
    counts = {}
    for v in [x for x in seen if x != blank] + ([blank] if blank in seen else []):
        part = t[(values == v).to_numpy()]
        cells = dict(zip(zip(part["label"], part["period"].astype(str)), part["count"]))
        per = sorted(dict.fromkeys(part["period"].astype(str)))
        counts[v] = pd.DataFrame([[int(cells.get((lab, p), 0)) for lab in LABELS["issue"]] for p in per],
                                 index=per, columns=list(LABELS["issue"]), dtype="int64")
    changes = {}
    if "change" in t.columns:
        has = t["change"].notna().to_numpy()
        changes = {(v, lab, p): (int(c), None if pd.isna(pct) else float(pct))
                   for v, lab, p, c, pct in zip(values[has], t["label"][has], periods[has], t["change"][has],
                                                t["change_pct"][has])}
    return ValuePeriodCounts(col=col, date_col=date_col, period=period, counts=counts, changes=changes,
                             partial=_note_count(freq, "partial periods") or 0,
                             transcripts_apart=_note_count(freq, TRANSCRIPTS_APART) or 0)


def _note_count(freq, note: str) -> int | None:
    """The count of one ``notes`` row, None without it."""
    notes = freq.tables.get("notes")
    if notes is None:
        return None
    counts = notes.set_index("note")["count"]
    return int(counts[note]) if note in counts.index and pd.notna(counts[note]) else None


def _group_counts(freq, col: str, **kw) -> GroupCounts | None:
    """``GroupCounts`` of ``freq``'s ``by_<col>`` table, ``None`` without one."""
    cells = {f: _freq_cells(freq, f"by_{col}", f, col) for f in ("issue", "servqual")}
    if not cells["issue"]:
        return None
    blank = _blank()
    seen = {g for _lab, g in cells["issue"]}
    groups = sorted(seen - {blank}) + ([blank] if blank in seen else [])
    return GroupCounts(col=col, groups=groups, counts={
        f: pd.DataFrame([[c.get((lab, g), (0, 0))[0] for g in groups] for lab in LABELS[f]],
                        index=list(LABELS[f]), columns=groups, dtype="int64")
        for f, c in cells.items()}, **kw)


def report_numbers(freq, *, group_col: str = GROUP, date_col: str | None = None,
                   period: str = "month", by: Sequence[str] = ()) -> ReportNumbers:
    """The report's numbers from a :class:`~voiceofcustomer.freq.tables.FreqResult` (no recounting);
    ``by``: further grouping columns, each shown in a section of its own."""
    labels = {}
    for f in FIELDS:
        cells = _freq_cells(freq, "overall", f)
        counts = [cells.get((lab, ""), (0, 0.0, None)) for lab in LABELS[f]]
        labels[f] = pd.DataFrame({"label": list(LABELS[f]), "count": [k for k, _, _ in counts],
                                  "share": [s for _, s, _ in counts]})
        if "tickets" in freq.tables.get("overall", pd.DataFrame()).columns:  # a split ticket export's
            labels[f]["tickets"] = [t or 0 for _, _, t in counts]
    by_group = _group_counts(freq, group_col)
    by_columns = [bc for c in dict.fromkeys(by) if c != group_col
                  for bc in [_group_counts(freq, c, blank="（未填）")] if bc is not None]
    from voiceofcustomer.freq.tables import TRANSCRIPTS_APART

    by_period = None
    per = _freq_cells(freq, "by_period", "issue", "period")
    if date_col and per:
        periods = list(dict.fromkeys(p for _lab, p in per))
        by_period = PeriodCounts(date_col=date_col, period=period, counts=pd.DataFrame(
            [[per.get((lab, p), (0, 0))[0] for lab in LABELS["issue"]] for p in periods],
            index=periods, columns=list(LABELS["issue"]), dtype="int64"),
            transcripts_apart=_note_count(freq, TRANSCRIPTS_APART) or 0, changes=_period_changes(freq),
            partial=_note_count(freq, "partial periods") or 0)
    # each --by column's trend (by_period_地市: every city's months, each against its own month before)
    by_period_columns = [vp for c in dict.fromkeys(by) if date_col
                         for vp in [_value_periods(freq, c, date_col, period)] if vp is not None]
    return ReportNumbers(rows_read=freq.rows_read, rows_counted=freq.rows_counted, labels=labels,
                         by_group=by_group, by_period=by_period, by_columns=by_columns, left_out=_left_out(freq),
                         tickets_counted=_note_count(freq, "tickets counted"), by_source=(by_source := _source_counts(freq)),
                         source_kinds=_source_kinds(by_source), by_period_columns=by_period_columns)


def _source_counts(freq) -> dict[str, pd.DataFrame] | None:
    """Each source kind's counts and shares side by side, read from ``freq``'s ``by_source_kind`` table (None
    without one: the input holds one kind): the focus groups' and other texts' statements, the tickets' tickets
    (``<kind>_count``, ``<kind>_share``; only the kinds counted)."""
    from voiceofcustomer.freq.tables import SOURCE_KIND_TABLE

    t = freq.tables.get(SOURCE_KIND_TABLE)
    if t is None:
        return None
    out = {}
    for f in ("issue", "servqual"):
        part = t[t["field"] == f]
        cols = {}
        for kind in dict.fromkeys(part["source_kind"]):
            k = part[part["source_kind"] == kind].set_index("label").reindex(list(LABELS[f]))
            count, share = ("tickets", "ticket_share") if kind == "ticket" else ("count", "share")
            cols[f"{kind}_count"] = k[count].fillna(0).astype(int)
            cols[f"{kind}_share"] = k[share].fillna(0.0)
        out[f] = pd.DataFrame(cols, index=list(LABELS[f]))
    return out


def _source_kinds(by_source: dict[str, pd.DataFrame] | None) -> list[str]:
    """The source kinds of :func:`_source_counts`' tables, in their order."""
    if by_source is None:
        return []
    return [c[:-len("_count")] for c in by_source["issue"].columns if c.endswith("_count")]


#: The ``notes`` rows of the frequency tables that give the rows left out, by :attr:`ReportNumbers.left_out` key.
_LEFT_OUT_NOTES = {"moderator": "moderator statements excluded", "empty": "rows with no text excluded",
                   "duplicates": "duplicates excluded", "totals": "totals rows excluded",
                   "headers": "repeated header rows excluded", "garbled": "garbled rows excluded",
                   "repeated": "rows repeated from an earlier file excluded", "staff": "staff sections excluded"}
#: rows left out that only some inputs have: named when there are any, so the parts add up to the total
_LEFT_OUT_WHEN_ANY = {"staff": "工单中的客服处理记录 {} 条（处理过程、处理结果、回访等，不是客户的话）",
                      "totals": "导出文件的合计行 {} 条（合计/总计，不是工单）",
                      "headers": "重复出现的表头行 {} 条（不是工单）",
                      "garbled": "乱码行 {} 条（如 瀹藉甫、锟斤拷、??????：文件编码有误，请检查编码（--encoding）或重新导出）",
                      "repeated": "与较早文件重复的行 {} 条"}


def _left_out(freq) -> dict[str, int]:
    notes = freq.tables.get("notes")
    if notes is None:
        return {}
    counts = notes.set_index("note")["count"]
    return {k: int(counts[n]) for k, n in _LEFT_OUT_NOTES.items() if n in counts.index and pd.notna(counts[n])}


def report_rows(statements: pd.DataFrame, freq) -> pd.DataFrame:
    """The statements behind ``freq``'s numbers (its own counting rule), with a ``who`` column
    (speaker with attributes, else ticket id) and a ``where`` column (group · city) for the drill-down lists."""
    df = counted(statements, include_moderator=freq.include_moderator,
                 include_duplicates=freq.include_duplicates).copy()
    df["who"] = _who(df)
    df["where"] = _where(df)
    return df


# -- render: one HTML section per step; every number links to the rows behind it --------------


def _overview_section(numbers: ReportNumbers, df: pd.DataFrame, cells: _Cells, topics, items, meta: dict) -> str:
    review = truthy(df[NEEDS_REVIEW]) if NEEDS_REVIEW in df else np.zeros(len(df), dtype=bool)
    n_review = int(review.sum())
    cards = [("计入统计的陈述", cells.link("all", df.index == df.index, "全部计入统计的陈述",
                                     value=str(numbers.rows_counted))),
             ("需人工复核", cells.link("review", review, "需人工复核的陈述")),
             ("主题数", _esc(int((topics[TOPIC] >= 0).sum()) if topics is not None and TOPIC in topics else 0)),
             ("候选题目", _esc(len(items.items) if items is not None else 0))]
    return ('<section id="overview"><h2>概览</h2><div class="cards">' + "".join(
        f'<div class="card"><div class="num">{v}</div><div class="lab">{_esc(k)}</div></div>' for k, v in cards)
        + "</div>" + "".join(f"<p class='meta'>{_esc(k)}：{_esc(v)}</p>" for k, v in meta.items())
        + (f"<p class='meta'>座谈会场次：{_esc(sessions)}</p>" if (sessions := _sessions_text(df)) else "")
        # 需复核: the statements counted here and flagged, as voc tag's summary counts them (TagSummary.needs_review)
        + (f"<p class='meta'>未计入：{_esc(_left_out_text(numbers))}；计入统计的陈述中需复核 {n_review} 条。</p>")
        + (f"<p class='meta'>计入统计的陈述来自 {numbers.tickets_counted} 张工单"
           + ("和座谈会" if _has_transcripts(df) else "")
           + "；占比按陈述计，各表的工单数是含有该类陈述的工单张数。</p>" if numbers.tickets_counted is not None else "")
        + "</section>")


def _left_out_text(numbers: ReportNumbers) -> str:
    """What the counts leave out, as the notes sheet of frequencies.xlsx gives it."""
    total = numbers.rows_read - numbers.rows_counted
    lo = numbers.left_out
    if not lo:
        return f"主持人发言与重复陈述（共 {total} 条）"
    parts = [f"主持人发言 {lo.get('moderator', 0)} 条",
             f"无文字的行 {lo.get('empty', 0)} 条（如只有[听不清]的发言、空白单元格）",
             f"重复陈述 {lo.get('duplicates', 0)} 条"]
    parts += [text.format(lo[k]) for k, text in _LEFT_OUT_WHEN_ANY.items() if lo.get(k)]
    return "、".join(parts) + f"（共 {total} 条）"


def _field_section(f: str, counts: pd.DataFrame, df: pd.DataFrame, cells: _Cells, charts: list[str]) -> str:
    rows = []
    # a split ticket's sentences are statements: 3 billing sentences of one ticket count 3 times in 陈述数 and
    # 占比, once in 工单数 (the tables' tickets column)
    tickets = counts["tickets"] if "tickets" in counts.columns else [None] * len(counts)
    for lab, k, share, t in zip(counts["label"], counts["count"], counts["share"], tickets):
        mask = df[f] == lab if f in df else np.zeros(len(df), dtype=bool)
        link = cells.link(f"o|{f}|{lab}", mask, f"{FIELD_ZH[f]}：{label_zh(f, lab)}", value=str(k))
        ticket_td = "" if t is None else f"<td class='n tickets'>{int(t)} 张工单</td>"
        rows.append(f"<tr><td>{_esc(label_zh(f, lab))}</td><td class='id'>{_esc(lab)}</td>"
                    f"<td class='n'>{link}{' 条陈述' if t is not None else ''}</td>{ticket_td}"
                    f"<td class='n'>{share:.1%}</td></tr>")
    ticket_th = "" if "tickets" not in counts.columns else "<th>工单数</th>"
    share_th = "占比" if "tickets" not in counts.columns else "占比（按陈述）"
    table = (f"<table class='freq'><thead><tr><th>{_esc(FIELD_ZH[f])}</th><th>id</th><th>陈述数</th>{ticket_th}"
             f"<th>{share_th}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    if "tickets" in counts.columns:
        table += ("<p class='meta'>占比按陈述计：一张工单拆成几句同类陈述就计几次；工单数是含有该类陈述的工单张数"
                  "（座谈会陈述不属于任何工单）。</p>")
    chart = ""
    if f in ("issue", "servqual"):
        chart = _bar(f"chart-{f}", [label_zh(f, lab) for lab in counts["label"]], counts["count"].tolist(),
                     [f"o|{f}|{lab}" for lab in counts["label"]], f"{FIELD_ZH[f]}频次")
        charts.append(f"chart-{f}")
    return (f"<section id='freq-{f}'><h2>{_esc(FIELD_ZH[f])}</h2><div class='row'><div>{table}</div>"
            f"<div class='chart'>{chart}</div></div></section>")


def _kind_masks(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which rows are each source kind's, as ``by_source_kind`` counted them (``freq.tables``): a ticket's when
    it has a ticket id that ``source_kind`` does not deny, else a focus group's when the table says so
    (``transcript_rows``), else another text's (a survey's open answers)."""
    from voiceofcustomer.freq.tables import transcript_rows

    ticketed = (df[TICKET_ID].fillna("").astype(str).str.strip().ne("") if TICKET_ID in df.columns
                else pd.Series(False, index=df.index)).to_numpy(bool) & ~not_ticket_rows(df)
    fg = ~ticketed & transcript_rows(df)
    return {"focus_group": fg, "ticket": ticketed, "other": ~ticketed & ~fg}


def _source_section(numbers: ReportNumbers, df: pd.DataFrame, cells: _Cells, charts: list[str]) -> str:
    """Focus groups, tickets and other texts side by side (voc analyze fg.docx tickets.xlsx survey.csv): a
    researcher compares what the participants said with what the customers called about, not one pooled count.
    The focus groups and other texts (a survey's open answers) are counted in statements (they have no ticket),
    the tickets in tickets, as a complaint team counts. Only the kinds counted, as ``voc freq``'s charts."""
    import plotly.graph_objects as go
    from voiceofcustomer.freq.charts import section_zh
    from voiceofcustomer.freq.tables import SOURCE_KIND_TABLE, SOURCE_KIND_ZH

    by_source, kinds = numbers.by_source, numbers.source_kinds
    masks = _kind_masks(df)
    zh = {k: SOURCE_KIND_ZH[k] for k in kinds}
    unit = {k: ("张工单", "工单数", "工单占比（按工单）") if k == "ticket" else
            ("条陈述", f"{zh[k]}陈述数", f"{zh[k]}占比（按陈述）") for k in kinds}
    tables = []
    for f, t in by_source.items():
        body = []
        for lab, r in t.iterrows():
            m = (df[f] == lab).to_numpy(bool) if f in df else np.zeros(len(df), dtype=bool)
            tds = []
            for k in kinds:
                what = "工单的陈述" if k == "ticket" else zh[k]
                link = cells.link(f"k|{f}|{lab}|{k}", m & masks[k], f"{label_zh(f, lab)} · {what}",
                                  value=str(int(r[f"{k}_count"])))
                tds.append(f"<td class='n'>{link} {unit[k][0]}</td><td class='n'>{r[f'{k}_share']:.1%}</td>")
            body.append(f"<tr><td>{_esc(label_zh(f, lab))}</td>{''.join(tds)}</tr>")
        head = "".join(f"<th>{_esc(unit[k][1])}</th><th>{_esc(unit[k][2])}</th>" for k in kinds)
        tables.append(f"<table class='freq'><thead><tr><th>{_esc(FIELD_ZH[f])}</th>{head}</tr></thead>"
                      f"<tbody>{''.join(body)}</tbody></table>")
    issue = by_source["issue"]
    fig = go.Figure()
    for k in kinds:
        name = f"{zh[k]}（{'按工单' if k == 'ticket' else '按陈述'}）"
        fig.add_trace(go.Bar(name=name, y=[label_zh("issue", i) for i in issue.index], x=issue[f"{k}_share"].tolist(),
                             orientation="h", hovertemplate="%{y}: %{x:.1%}<extra>" + name + "</extra>"))
    fig.update_layout(barmode="group", title=f"问题类别：{'与'.join(zh.values())}并列",
                      height=max(300, 20 * len(kinds) * len(issue) + 90),
                      margin=dict(l=10, r=10, t=40, b=10), yaxis=dict(autorange="reversed"),
                      xaxis=dict(tickformat=".0%", title="占比"))
    chart = fig.to_html(full_html=False, include_plotlyjs=False, div_id="chart-source",
                        config={"displayModeBar": False})
    charts.append("chart-source")
    how = "，".join(f"{zh[k]}按陈述计（占比 = 该类陈述 ÷ {zh[k]}中有该类别标签的陈述）" for k in kinds if k != "ticket")
    return (f"<section id='by-source'><h2>{_esc(section_zh(SOURCE_KIND_TABLE, list(zh.values())))}</h2>"
            f"<p class='meta'>{_esc(how)}，工单按工单计（占比 = 含该类陈述的工单 ÷ 有该类别标签的工单，一张工单可含几类）；"
            f"上面的各表是{'两者' if len(kinds) == 2 else '各来源'}合计的陈述数。</p>"
            f"<div class='row'><div>{''.join(tables)}</div><div class='chart'>{chart}</div></div></section>")


def _group_key(bg: GroupCounts, group: str) -> str:
    """A group's part of its cells' keys: its id, as ``by_<col>.csv`` has it (the blank group as shown)."""
    return bg.shown(group) if group == _blank() else group


def _group_section(bg: GroupCounts, df: pd.DataFrame, cells: _Cells, charts: list[str], *, section: str = "by-group",
                   name: str = "客户群", key: str = "g") -> str:
    """The issue and SERVQUAL counts by one grouping column: by customer group (``by-group``), or by a
    ``by`` column under its own name (``name``, its cells keyed ``key``)."""
    heading = f"按{name}" if name == bg.col else f"按{name}（{bg.col}）"
    groups = _group_values(df, bg.col)
    titles = _session_titles(df) if bg.col == SESSION else {}  # --by session: a focus group with its title

    def shown(g: str) -> str:
        return _session_shown(g, titles) if g in titles else bg.shown(g)

    head = "".join(f"<th>{_esc(shown(g))}</th>" for g in bg.groups)
    tables = {}
    for f in ("issue", "servqual"):
        body = []
        for lab, counts in bg.counts[f].iterrows():
            tds = []
            for g in bg.groups:
                cell_title = f"{label_zh(f, lab)} · {shown(g)}"
                m = (df[f] == lab) & (groups == g)
                g_key = _group_key(bg, g)
                link = cells.link(f"{key}|{f}|{lab}|{g_key}", m, cell_title, value=str(counts[g]))
                tds.append(f"<td class='n'>{link}</td>")
            body.append(f"<tr><td>{_esc(label_zh(f, lab))}</td>{''.join(tds)}</tr>")
        tables[f] = "".join(body)
    chart_id = "chart-group" if section == "by-group" else f"chart-{section}"
    chart = _grouped(chart_id, bg.counts["issue"].rename(columns=shown), f"各{name}的问题类别",
                     [_group_key(bg, g) for g in bg.groups], key)
    charts.append(chart_id)
    return (f"<section id='{_esc(section)}'><h2>{_esc(heading)}</h2><div class='row'><div>"
            f"<table class='freq'><thead><tr><th>问题类别</th>{head}</tr></thead><tbody>{tables['issue']}</tbody></table>"
            f"<table class='freq'><thead><tr><th>SERVQUAL维度</th>{head}</tr></thead><tbody>{tables['servqual']}</tbody></table>"
            f"</div><div class='chart'>{chart}</div></div></section>")


def _has_transcripts(df: pd.DataFrame) -> bool:
    """Whether the counted statements hold a focus group's (a speaker's turn; a ticket has no speaker)."""
    return SPEAKER in df.columns and df[SPEAKER].fillna("").astype(str).str.strip().ne("").any()


def _change_said(change: int, pct: float | None) -> str:
    """A period's change from the one before as the 环比 rows say it: ``+6（+150%）``, ``-2``, ``0``."""
    said = f"{change:+d}" if change else "0"
    return said + (f"（{pct:+.0%}）" if pct is not None and change else "")


#: the 按时间 sections' line when the first or last period is not whole (``notes``' ``partial periods``)
_PARTIAL_PERIODS = ("<p class='meta'>注意：数据的日期没有覆盖首尾时期的全部日子（见 frequencies 的 notes 表 partial "
                    "periods），不完整时期的条数不能和完整时期直接比较，环比只供参考。</p>")


def _period_section(bp: PeriodCounts, df: pd.DataFrame, cells: _Cells, charts: list[str]) -> str:
    from voiceofcustomer.freq.tables import period_labels, trend_dates

    # grouped as the counts were: a focus group's statements are in no period (trend_dates)
    per = period_labels(trend_dates(df, bp.date_col)[0], bp.period)
    rows = []
    for p, counts in bp.counts.iterrows():
        tds = []
        for lab in bp.counts.columns:
            m = (per == p) & (df["issue"] == lab)
            tds.append(f"<td class='n'>{cells.link(f'p|issue|{lab}|{p}', m, f'{p} · {lab}', value=str(counts[lab]))}</td>")
        rows.append(f"<tr><td>{_esc(p)}</td>{''.join(tds)}</tr>")
    unit = "周" if bp.period == "week" else "月"
    periods = [str(p) for p in bp.counts.index]
    if len(periods) >= 2 and bp.changes:  # the latest period against the one before, as by_period.csv's change
        last, before = periods[-1], periods[-2]
        tds = [f"<td class='n'>{_esc(_change_said(*bp.changes.get((lab, last), (0, None))))}</td>"
               for lab in bp.counts.columns]
        rows.append(f"<tr class='change'><td>环比：{_esc(last)} 较 {_esc(before)}</td>{''.join(tds)}</tr>")
    head = "".join(f"<th>{_esc(label_zh('issue', lab))}</th>" for lab in bp.counts.columns)
    chart = _lines("chart-period", bp.counts, f"各{unit}问题类别（{bp.date_col}）")
    charts.append("chart-period")
    apart = (f"<p class='meta'>时间趋势只计工单（按{_esc(bp.date_col)}）：座谈会陈述 {bp.transcripts_apart} 条不计入趋势"
             f"——它们唯一的日期是座谈会召开的日期，不是问题发生的时间，一场座谈会会自成一个时期，看起来像下降或上升；"
             f"它们计入上面的各表。</p>" if bp.transcripts_apart else "")
    if len(periods) >= 2 and bp.changes:
        span = "周" if unit == "周" else "个月"
        n_before, n_last = (int(bp.counts.iloc[i].sum()) for i in (-2, -1))
        apart += (f"<p class='meta'>环比一行是最近一{span}与上一{span}相比的增减（条数，括号里是增减的百分比；上一期为 0 时"
                  f"不算百分比），与 frequencies 的 by_period 表（change、change_pct）相同；两期各计 {n_before} 条"
                  f"（{_esc(periods[-2])}）和 {n_last} 条（{_esc(periods[-1])}）。</p>")
        if min(n_before, n_last) * 5 < max(n_before, n_last):
            apart += (f"<p class='meta'>注意：两期的条数相差五倍以上。若一份导出里只混入了上一期的少数工单（跨月受理、补录），"
                      f"环比反映的是导出的时间范围，而不是问题的增减：请把两个月的导出一起分析。</p>")
        if bp.partial:
            apart += _PARTIAL_PERIODS
    return (f"<section id='by-period'><h2>按时间（{_esc(bp.date_col)}）</h2>{apart}{chart}<div class='scroll'>"
            f"<table class='freq'><thead><tr><th>时期</th>{head}</tr></thead><tbody>{''.join(rows)}"
            f"</tbody></table></div></section>")


def _value_period_section(vp: ValuePeriodCounts, df: pd.DataFrame, cells: _Cells, charts: list[str], *,
                          section: str) -> str:
    """Each value's trend of a ``--by`` column (``by_period_地市``): every city's months in a row each, a 环比 row
    under them (its latest month against its own month before, as ``by_period_<col>.csv``'s change), and a
    small-multiples chart, one panel a city (the most counted
    :data:`~voiceofcustomer.freq.charts.MAX_TREND_VALUES`). Until 7 Dec 2026 the table was only in
    frequencies.xlsx: which city's broadband rose could not be read on the page, where 按时间 pools the cities
    (杭州 1 → 3 and 宁波 3 → 1 made 4 and 4, change 0)."""
    from voiceofcustomer.freq.charts import MAX_TREND_VALUES, value_trend_figure
    from voiceofcustomer.freq.tables import period_labels, trend_dates

    per = period_labels(trend_dates(df, vp.date_col)[0], vp.period)  # grouped as the counts were
    groups = _group_values(df, vp.col)
    issue = df["issue"] if "issue" in df.columns else pd.Series("", index=df.index)
    key = f"pv|{vp.col}"
    labels = list(LABELS["issue"])
    rows = []
    for v, counts in vp.counts.items():
        name = vp.shown(v)
        for p, r in counts.iterrows():
            tds = ""
            for lab in labels:
                m = (per == p) & (issue == lab) & (groups == v)
                link = cells.link(f"{key}|issue|{lab}|{v}|{p}", m, f"{name} · {p} · {label_zh('issue', lab)}",
                                  value=str(r[lab]))
                tds += f"<td class='n'>{link}</td>"
            rows.append(f"<tr><td>{_esc(name)}</td><td>{_esc(p)}</td>{tds}</tr>")
        periods = [str(p) for p in counts.index]
        if len(periods) >= 2:  # the value's latest period against its own one before
            tds = "".join(f"<td class='n'>{_esc(_change_said(*vp.changes.get((v, lab, periods[-1]), (0, None))))}</td>"
                          for lab in labels)
            rows.append(f"<tr class='change'><td>{_esc(name)}</td><td>环比：{_esc(periods[-1])} 较 "
                        f"{_esc(periods[-2])}</td>{tds}</tr>")
    head = "".join(f"<th>{_esc(label_zh('issue', lab))}</th>" for lab in labels)
    unit, span = ("周", "周") if vp.period == "week" else ("月", "个月")
    chart_id = f"chart-{section}"
    shown = sorted(vp.counts, key=lambda v: -int(vp.counts[v].to_numpy().sum()))[:MAX_TREND_VALUES]
    # one panel a value, as voc freq's charts.html draws by_period_<col>; a point opens the table's cell
    fig = value_trend_figure({v: vp.counts[v] for v in vp.counts if v in shown}, {v: vp.shown(v) for v in vp.counts},
                             {lab: label_zh("issue", lab) for lab in labels}, key=f"{key}|issue")
    fig.update_layout(title=_esc(f"各{vp.col}每{unit}的问题类别（{vp.date_col}）"))
    chart = fig.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id, config={"displayModeBar": False})
    charts.append(chart_id)
    notes = (f"<p class='meta'>每个{_esc(vp.col)}各自的趋势，与 frequencies 的 by_period_{_esc(vp.col)} 表相同；各{_esc(vp.col)}"
             f"同一时期的条数加起来是按时间一节的条数。环比一行是该{_esc(vp.col)}最近一{span}与它自己上一{span}相比的增减（条数，"
             f"括号里是增减的百分比；上一期为 0 时不算百分比；change、change_pct）。</p>")
    if vp.transcripts_apart:
        notes += f"<p class='meta'>时间趋势只计工单：座谈会陈述 {vp.transcripts_apart} 条不计入（见按时间一节）。</p>"
    if len(vp.counts) > len(shown):
        notes += (f"<p class='meta'>图中只画了条数最多的 {len(shown)} 个{_esc(vp.col)}；全部 {len(vp.counts)} 个见下表。</p>")
    if vp.partial and any(len(c) >= 2 for c in vp.counts.values()):
        notes += _PARTIAL_PERIODS
    return (f"<section id='{_esc(section)}'><h2>按{_esc(vp.col)}的时间趋势（{_esc(vp.date_col)}）</h2>{notes}{chart}"
            f"<div class='scroll'><table class='freq'><thead><tr><th>{_esc(vp.col)}</th><th>时期</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div></section>")


def _themes_section(topics: pd.DataFrame, df: pd.DataFrame, cells: _Cells, group_col: str) -> str:
    rows = []
    for t in topics.sort_values(TOPIC).itertuples():
        m = df[TOPIC] == t.topic
        label = getattr(t, "label", "")
        reps = str(getattr(t, "representative_texts", "") or "")
        # the share of the statements the number links to (the counted ones), as in the label tables and
        # as topics.csv's count and share (themes.model.theme_size) and themes.html give them
        share = int(m.sum()) / len(df) if len(df) else 0.0
        rows.append(f"<tr><td class='n'>{_esc(t.topic)}</td><td>{_esc(label)}</td>"
                    f"<td class='n'>{cells.link(f't|{t.topic}', m, f'主题 {t.topic}：{label}')}</td>"
                    f"<td class='n'>{share:.1%}</td><td class='quote'>{_esc(reps[:300])}</td></tr>")
    crosses = "".join(_theme_cross(df, topics, cells, col, title)
                      for col, title in ((group_col, "按客户群"), (SECTION, "按讨论环节（记录中的小标题）"),
                                         ("demand", "按讨论领域（需求类别）")))
    return ("<section id='themes'><h2>主题</h2>"
            f"<p class='meta'>{_esc(counted_note(len(df)))}</p><table class='freq'><thead><tr><th>#</th>"
            f"<th>主题（关键短语）</th><th>陈述数</th><th>占比（÷ {len(df)}）</th><th>代表性陈述</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>" + crosses + "</section>")


def _items_section(items, df: pd.DataFrame, cells: _Cells) -> str:
    # a tagged export's ids are its ticket ids, which an export may repeat (the same ticket twice)
    assign = (items.assignments.drop_duplicates(STATEMENT_ID).set_index(STATEMENT_ID)["item_id"]
              if len(items.assignments) else pd.Series(dtype=str))
    sid_item = df[STATEMENT_ID].map(assign).fillna("")
    rows = []
    shown = items.items.head(MAX_ITEMS_SHOWN)
    for it in shown.itertuples():
        link = cells.link(f"i|{it.item_id}", sid_item == it.item_id, f"题目 {it.item_id}：{it.p_text}",
                          value=str(it.support))
        rows.append(f"<tr><td class='id'>{_esc(it.item_id)}</td><td>{_esc(label_zh('servqual', it.servqual))}</td>"
                    f"<td>{_esc(label_zh('demand', it.demand))}</td><td>{_esc(it.e_text)}</td><td>{_esc(it.p_text)}</td>"
                    f"<td class='n'>{link}</td><td>{_esc(it.source)}</td><td>{_esc(it.checks)}</td></tr>")
    cov = items.coverage[items.coverage["demand"] == "(all)"]
    cov_rows = "".join(f"<tr><td>{_esc(r.servqual_zh)}</td><td class='n'>{_esc(r.candidates)}</td>"
                       f"<td class='n'>{_esc(r.statements)}</td><td>{_esc('有候选' if r.status == 'ok' else '无证据')}</td></tr>"
                       for r in cov.itertuples())
    return ("<section id='items'><h2>候选问卷题目</h2><p class='meta'>在 items.xlsx 中审阅（decision: accept/edit/reject），"
            "再运行 <code>voc survey items.xlsx -o survey/</code>。</p>"
            "<table class='freq'><thead><tr><th>维度</th><th>候选数</th><th>陈述数</th><th>状态</th></tr></thead><tbody>"
            + cov_rows + "</tbody></table><div class='scroll'><table class='freq items'><thead><tr><th>id</th><th>维度</th>"
            "<th>需求</th><th>期望（E）</th><th>感知（P）</th><th>支持</th><th>来源</th><th>检查</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>"
            + (f"<p class='meta'>按支持度排序的前 {MAX_ITEMS_SHOWN} 条；全部 {len(items.items)} 条见 items.xlsx。</p>"
               if len(items.items) > MAX_ITEMS_SHOWN else "") + "</section>")


def _files_section(files: dict[str, str]) -> str:
    return ("<section id='files'><h2>输出文件</h2><ul>" + "".join(
        f"<li><a href='{_esc(p)}'>{_esc(n)}</a></li>" for n, p in files.items()) + "</ul></section>")


def render_report(numbers: ReportNumbers, rows: pd.DataFrame, *, topics: pd.DataFrame | None = None, items=None,
                  meta: dict | None = None, group_col: str = GROUP, files: dict[str, str] | None = None) -> str:
    """The report page (HTML text) for numbers already computed.

    Args:
        numbers: what the page shows (:func:`report_numbers`).
        rows: the statements behind the numbers (:func:`report_rows`), listed on a click.
        topics, items, meta, group_col, files: as in :func:`build_report`.
    """
    import plotly.offline

    meta = meta or {}
    cells = _Cells(rows)
    charts: list[str] = []
    parts = [_overview_section(numbers, rows, cells, topics, items, meta)]
    parts += [_field_section(f, numbers.labels[f], rows, cells, charts) for f in FIELDS]
    nav = [("overview", "概览"), ("freq-issue", "问题类别"), ("freq-servqual", "SERVQUAL")]
    if numbers.by_source is not None:
        from voiceofcustomer.freq.tables import SOURCE_KIND_ZH

        parts.append(_source_section(numbers, rows, cells, charts))
        nav.append(("by-source", " / ".join(SOURCE_KIND_ZH[k] for k in numbers.source_kinds)))
    if numbers.by_group is not None and numbers.by_group.col in rows.columns:
        parts.append(_group_section(numbers.by_group, rows, cells, charts))
        nav.append(("by-group", "客户群"))
    for i, bc in enumerate(c for c in numbers.by_columns if c.col in rows.columns):
        section = f"by-col-{i + 1}"
        parts.append(_group_section(bc, rows, cells, charts, section=section, name=bc.col, key=f"b|{bc.col}"))
        nav.append((section, bc.col))
    if numbers.by_period is not None and numbers.by_period.date_col in rows.columns:
        parts.append(_period_section(numbers.by_period, rows, cells, charts))
        nav.append(("by-period", "时间"))
    for i, vp in enumerate(v for v in numbers.by_period_columns if v.col in rows.columns and v.date_col in rows.columns):
        section = f"by-period-col-{i + 1}"
        parts.append(_value_period_section(vp, rows, cells, charts, section=section))
        nav.append((section, f"{vp.col}·时间"))
    if topics is not None and len(topics) and TOPIC in rows.columns:
        parts.append(_themes_section(topics, rows, cells, group_col))
        nav.append(("themes", "主题"))
    if items is not None and len(items.items):
        parts.append(_items_section(items, rows, cells))
        nav.append(("items", "候选题目"))
    if files:
        parts.append(_files_section(files))
    data = json.dumps(cells.payload(), ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return _PAGE.format(title=_esc(meta.get("标题", "客户之声分析报告")), date=_dt.date.today().isoformat(),
                        nav="".join(f'<a href="#{_esc(a)}">{_esc(t)}</a>' for a, t in nav),
                        body="\n".join(parts), data=data, charts=json.dumps(charts),
                        plotly=plotly.offline.get_plotlyjs())


def build_report(statements: pd.DataFrame, out_path: str | Path, *, freq=None, topics: pd.DataFrame | None = None,
                 items=None, meta: dict | None = None, group_col: str | None = None, date_col: str | None = None,
                 period: str = "month", files: dict[str, str] | None = None, text_col: str | None = None,
                 id_col: str | None = None, by: Sequence[str] = ()) -> Path:
    """Write the self-contained HTML report: numbers from ``freq``, then the page, then the file.

    Args:
        statements: tagged statements (``voc tag``), optionally with ``topic``/``topic_label``.
        freq: the :class:`~voiceofcustomer.freq.tables.FreqResult` whose numbers the page shows
            (so the page and ``frequencies.xlsx`` agree); default: counted here, by
            ``group_col`` and ``date_col``.
        topics: the themes table (``topics.csv`` of ``voc themes``).
        items: :class:`~voiceofcustomer.items.candidates.ItemCandidates`.
        meta: run facts shown at the top (inputs, counts).
        group_col: column for the per-group table and chart (default ``group``, when there is one); a column
            given must be one of ``statements`` and, with ``freq``, counted there (``by=``): a ColumnError
            says so, rather than a page without the table.
        by: further columns (a ticket export's 地市, 渠道), each with its table and chart, from ``freq``'s
            ``by_<col>`` tables (``voc analyze --by``).
        date_col: column with dates for the per-period chart (tickets), if any.
        files: other outputs to link (name → relative path).
        text_col, id_col: the text and id columns of a table without ``text``/``statement_id`` (a
            ticket export tagged by ``voc.tag``); by default found by name
            (:func:`~voiceofcustomer.statements.as_statements`), so the quotes behind the numbers
            have their text and id.
    """
    statements = table_param(statements, "statements", "voc.open_statements(path).read()")
    if group_col is not None:  # a typo (城市 for 地市) gave a page without the table by group, silently
        if group_col not in statements.columns:
            raise no_column("", group_col, statements.columns, "group_col")
        if freq is not None and f"by_{group_col}" not in freq.tables:
            raise ColumnError(f"freq has no by_{group_col} table for group_col={group_col!r}; count it with "
                              f"frequencies(..., by={group_col!r}), or leave group_col out", params=("group_col",))
    group_col = GROUP if group_col is None else group_col
    if freq is None:
        from voiceofcustomer.freq.tables import frequencies

        freq = frequencies(statements, by=[c for c in dict.fromkeys([group_col, *by]) if c in statements.columns],
                           date_col=date_col,
                           period=period if date_col else None, text_col=text_col, id_col=id_col)
    statements = as_statements(statements, text_col=text_col, id_col=id_col)
    numbers = report_numbers(freq, group_col=group_col, date_col=date_col, period=period, by=by)
    page = render_report(numbers, report_rows(statements, freq), topics=topics, items=items, meta=meta,
                         group_col=group_col, files=files)
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return out_path


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#222;background:#f6f7f9}}
header{{background:#1f3b5a;color:#fff;padding:14px 24px}} header h1{{margin:0;font-size:22px}} header p{{margin:4px 0 0;opacity:.8}}
nav{{padding:6px 24px;background:#e8edf3}} nav a{{margin-right:14px;color:#1f3b5a}}
main{{padding:8px 24px 80px}} section{{background:#fff;margin:14px 0;padding:12px 18px;border-radius:6px;box-shadow:0 1px 2px #0001}}
h2{{font-size:18px;margin:4px 0 10px}} .cards{{display:flex;gap:14px;flex-wrap:wrap}}
.card{{background:#eef3f8;padding:10px 18px;border-radius:6px;min-width:120px}} .num{{font-size:24px;font-weight:bold}}
.meta{{color:#555;font-size:13px;margin:4px 0}} .row{{display:flex;gap:18px;flex-wrap:wrap}} .row>div{{flex:1;min-width:320px}}
table.freq{{border-collapse:collapse;font-size:13px;margin:6px 0 12px}} table.freq th,table.freq td{{border:1px solid #dde;padding:3px 8px}}
table.freq th{{background:#f0f3f7}} td.n{{text-align:right}} td.id{{color:#777;font-family:monospace}} .zero{{color:#bbb}} tr.change td{{background:#fafaf2;font-style:italic}}
a.drill{{color:#0b5cad;font-weight:bold;text-decoration:none}} a.drill:hover{{text-decoration:underline}}
.scroll{{overflow-x:auto}} td.quote{{max-width:520px;color:#444}}
#drill{{position:fixed;top:0;right:0;width:min(640px,95vw);height:100vh;background:#fff;box-shadow:-2px 0 8px #0003;
display:none;flex-direction:column;z-index:10}} #drill.open{{display:flex}}
#drill header{{display:flex;justify-content:space-between;align-items:center}} #drill-list{{overflow-y:auto;padding:8px 14px}}
#drill-list .st{{border-bottom:1px solid #eee;padding:6px 0}} .st .sid{{font-family:monospace;color:#666;font-size:12px}}
.st .tags{{font-size:12px;color:#3b6ea5}} #drill-close{{background:none;border:1px solid #fff;color:#fff;cursor:pointer;padding:2px 10px}}
</style>
<script>{plotly}</script>
</head><body>
<header><h1>{title}</h1><p>voiceofcustomer · {date} · 点击任何数字或图中的柱子查看背后的原话</p></header>
<nav>{nav}</nav>
<main>
{body}
</main>
<aside id="drill" aria-live="polite"><header><h3 id="drill-title" style="margin:0"></h3><button id="drill-close">关闭</button></header>
<div id="drill-list"></div></aside>
<script type="application/json" id="voc-data">{data}</script>
<script>
(function(){{
  var DATA = JSON.parse(document.getElementById('voc-data').textContent);
  var panel = document.getElementById('drill'), list = document.getElementById('drill-list');
  function el(tag, cls, text){{ var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }}
  function show(key, title){{
    var ids = DATA.cells[key] || [];
    list.replaceChildren();
    document.getElementById('drill-title').textContent = title || key;
    var more = 0;
    ids.forEach(function(i){{
      if (i < 0) {{ more = -i; return; }}
      var r = DATA.st[i]; if (!r) return;
      var d = el('div', 'st');
      d.appendChild(el('div', 'sid', r[0] + (r[1] ? ' · ' + r[1] : '') + (r[2] ? ' · ' + r[2] : '')));
      d.appendChild(el('div', 'txt', r[3]));
      d.appendChild(el('div', 'tags', [r[4], r[5], r[6]].filter(Boolean).join(' · ')));
      list.appendChild(d);
    }});
    if (more) list.appendChild(el('p', 'meta', '共 ' + more + ' 条，此处显示前 ' + ids.length + ' 条；全部见 statements.xlsx'));
    panel.classList.add('open');
  }}
  window.vocShow = show;
  document.addEventListener('click', function(e){{
    var a = e.target.closest('[data-cell]');
    if (a) {{ e.preventDefault(); show(a.getAttribute('data-cell'), a.getAttribute('data-title')); }}
  }});
  document.getElementById('drill-close').addEventListener('click', function(){{ panel.classList.remove('open'); }});
  {charts}.forEach(function(id){{
    var gd = document.getElementById(id);
    if (gd && gd.on) gd.on('plotly_click', function(ev){{ var p = ev.points[0]; if (p && p.customdata) show(p.customdata, (p.y || '') + ''); }});
  }});
}})();
</script>
</body></html>
"""
