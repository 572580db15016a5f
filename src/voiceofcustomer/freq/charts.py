"""Charts of the frequency tables as one self-contained, offline HTML page.

Why HTML and not PNG: matplotlib draws Chinese only with a CJK font installed, and the
machines this runs on often have none (``fc-list :lang=zh`` is empty here), so PNGs would
show empty boxes. A browser draws the Chinese with the viewer's own fonts. plotly.js is
embedded once in the page (no CDN), so the file opens without a network; each chart's
camera button saves it as PNG for slides.

Every text taken from the data (group values, periods) is HTML-escaped before it goes
into a chart or the page.

The page speaks Chinese, as the report of ``voc analyze`` and the gap page do (its readers are complaint
teams; until 7 Dec 2026 its titles, axes and notes were English): the words are those of
``report.page`` (陈述数, 占比, 按…, 时期) and the taxonomy's ``FIELD_ZH``; the data files keep their English
column ids and notes.

What a chart counts follows the input (:attr:`FreqResult.counts_tickets`): a split ticket export, every
statement of a ticket, is drawn in tickets (工单数, the ``tickets`` column; 工单占比, ``ticket_share``), as a
complaint team counts, in every section (总体, 按区县 …, 按时间, the cross-tables); transcripts, or a table
without tickets, in statements (陈述数, 陈述占比). Transcripts and tickets together are drawn in statements,
and the 按来源 section (``by_source_kind``) sets the focus groups' statement shares beside the tickets' ticket
shares. Each chart's title says which it is.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from voiceofcustomer.freq.tables import SOURCE_KIND_TABLE
from voiceofcustomer.labels.taxonomy import FIELD_ZH
from voiceofcustomer.io.writers import atomic_path

__all__ = ["write_charts", "chart_figures", "value_trend_figure", "MAX_TREND_VALUES"]

_FONT = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif"
_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def _e(v) -> str:
    return html.escape(str(v))


def _field(f: str) -> str:
    return FIELD_ZH.get(f, f)


def section_zh(name: str, kinds: list[str] | None = None) -> str:
    """A table's name (``overall``, ``by_地市``, ``issue_x_servqual``) as the page heads its section; ``kinds``: the
    source kinds of ``by_source_kind`` in Chinese (座谈会, 工单, 其他文本), when known."""
    if name == "overall":
        return "总体"
    if name == "by_period":
        return "按时间"
    if name == "by_source_kind":
        return f"按来源（{' / '.join(kinds or ['座谈会', '工单'])}）"
    if name == "alerts":
        return "预警：本期上升"
    if name.startswith("by_period_"):
        return f"按{name[len('by_period_'):]}的时间趋势"
    if name.startswith("by_"):
        return f"按{name[3:]}"
    if "_x_" in name:
        a, b = name.split("_x_", 1)
        return f"{_field(a)} × {'客户群' if b == 'group' else _field(b)}"
    return name


#: The ``notes`` rows' names (notes.csv keeps them in English) as the page says them.
NOTE_ZH = {
    "rows read": "读入行数", "moderator statements excluded": "未计入：主持人发言", "rows with no text excluded":
    "未计入：无文字的行", "garbled rows excluded": "未计入：乱码行", "totals rows excluded": "未计入：导出文件的合计行",
    "repeated header rows excluded": "未计入：重复出现的表头行", "duplicates excluded": "未计入：重复陈述",
    "rows repeated from an earlier file excluded": "未计入：与较早文件重复的行", "rows counted": "计入统计的陈述",
    "transcript statements not in the trend": "未计入时间趋势的座谈会陈述", "no date": "没有日期", "periods": "时期数",
    "partial periods": "不完整的时期", "cross-table skipped": "未生成的交叉表", "alerts": "预警检验",
    "alerts not tested": "预警未检验", "share": "占比", "tickets counted": "计入统计的工单",
    "statements without a ticket": "没有工单的陈述（座谈会、其他文本）", "ticket_share": "工单占比", "ci_low, ci_high": "95% 区间", "examples": "示例陈述",
}
#: What the notes whose detail does not depend on the data mean, in Chinese (others keep notes.csv's detail).
NOTE_DETAIL_ZH = {
    "rows read": "输入表中的行数", "rows counted": "各表背后的陈述",
    "share": "陈述数 ÷ n，n 为该组或该时期中该类别体系有标签的陈述数",
    "ci_low, ci_high": "占比的 95% Wilson 区间（z = 1.96）",
    "examples": "每个单元格中标签置信度（<field>_conf）最高的陈述",
    "ticket_share": "工单数 ÷ ticket_n，ticket_n 为该组或该时期中该类别体系有标签的工单数；一张工单可含几类陈述，"
                    "各类的工单占比之和可超过 100%；ticket_ci_low、ticket_ci_high 为其 95% Wilson 区间",
    "statements without a ticket": "没有工单号的陈述：有座谈会的角色（participant、moderator）或座谈会日期（session_date）"
                                   "的为座谈会，都没有的（如问卷开放题、另加的评论）为其他文本；计入各表的陈述数、n 和占比，"
                                   "不计入工单列；按来源表把各类的陈述和工单并列给出（各类条数见 notes.csv）",
    "transcript statements not in the trend": "座谈会陈述在工单的日期列中没有日期，它们唯一的日期是座谈会召开的日期"
    "（session_date），不是问题发生的时间：计入除按时间和预警外的每一张表；时间趋势只计工单，以免一场座谈会的几十条"
    "陈述自成一个时期，看起来像下降或上升；要按场次统计座谈会，单独对它们用 session_date 作日期列",
}


def _note_name(note: str) -> str:
    m = re.fullmatch(r"no (\w+) label", note)
    return f"无{_field(m.group(1))}标签" if m else NOTE_ZH.get(note, note)


def _layout(fig, title: str, height: int) -> None:
    fig.update_layout(title=_e(title), height=height, font={"family": _FONT, "size": 13},
                      margin={"l": 10, "r": 10, "t": 60, "b": 10}, template="plotly_white")


#: what a chart counts: the table's columns of the count, its denominator, share and interval, and their words
_BY_STATEMENTS = dict(count="count", n="n", share="share", low="ci_low", high="ci_high", unit="条", noun="陈述")
_BY_TICKETS = dict(count="tickets", n="ticket_n", share="ticket_share", low="ticket_ci_low", high="ticket_ci_high",
                   unit="张", noun="工单")


def _unit(by_tickets: bool) -> dict:
    return _BY_TICKETS if by_tickets else _BY_STATEMENTS


def _bar(t: pd.DataFrame, u: dict, name: str | None = None):
    import plotly.graph_objects as go

    share = t[u["share"]].fillna(0)
    return go.Bar(
        x=share, y=[_e(z) for z in t["label_zh"]], orientation="h", name=name,
        error_x={"type": "data", "symmetric": False, "array": (t[u["high"]] - share).fillna(0),
                 "arrayminus": (share - t[u["low"]]).fillna(0)},
        text=[f"{c:,}" for c in t[u["count"]]], textposition="outside",
        customdata=list(zip(t["label"].map(_e), t[u["count"]], t[u["n"]])),
        hovertemplate=(f"%{{y}}（%{{customdata[0]}}）<br>{_e(name) + '：' if name else ''}%{{customdata[2]}} "
                       f"{u['unit']}{u['noun']}中 %{{customdata[1]}} {u['unit']}：%{{x:.1%}}<extra></extra>"))


def _share_bars(table: pd.DataFrame, field: str, by_tickets: bool = False, mixed: bool = False):
    import plotly.graph_objects as go

    u = _unit(by_tickets)
    t = table[table["field"] == field].iloc[::-1]  # plotly draws the first bar at the bottom
    fig = go.Figure(_bar(t, u))
    fig.update_xaxes(tickformat=".0%", rangemode="tozero", title=f"{u['noun']}占比")
    fig.update_yaxes(type="category")
    how = ("按工单计：含该类陈述的工单 ÷ 有该类别标签的工单，一张工单可含几类" if by_tickets else
           "按陈述计，座谈会与工单合计；分开看见“按来源”" if mixed else "")
    _layout(fig, f"{FIELD_ZH[field]}：{u['noun']}占比（{how + '；' if how else ''}95% Wilson 区间）", 90 + 26 * len(t))
    return fig


def _kind_bars(table: pd.DataFrame, field: str):
    """The focus groups' statement shares beside the tickets' ticket shares (``by_source_kind``)."""
    import plotly.graph_objects as go

    t = table[table["field"] == field]
    fig = go.Figure()
    kinds = list(dict.fromkeys(t["source_kind"]))  # those counted: 座谈会, 工单, 其他文本 (a survey's answers …)
    for kind in kinds:
        u = _BY_TICKETS if kind == "ticket" else _BY_STATEMENTS
        part = t[t["source_kind"] == kind].iloc[::-1]
        fig.add_trace(_bar(part, u, name=f"{part['source_kind_zh'].iloc[0]}（{u['noun']}占比）"))
    fig.update_layout(barmode="group", legend={"traceorder": "reversed"})
    fig.update_xaxes(tickformat=".0%", rangemode="tozero", title="占比")
    fig.update_yaxes(type="category")
    zh = list(dict.fromkeys(t["source_kind_zh"]))
    by_statements = "、".join(z for k, z in zip(kinds, zh) if k != "ticket")
    _layout(fig, f"{FIELD_ZH[field]}：{'与'.join(zh)}并列（{by_statements}按陈述计，工单按工单计；95% Wilson 区间）",
            120 + 22 * len(kinds) * t["label"].nunique())
    return fig


def _heatmap(table: pd.DataFrame, field: str, col: str, title: str, col_zh: str | None = None,
             by_tickets: bool = False):
    import plotly.graph_objects as go

    u = _unit(by_tickets)
    t = table[table["field"] == field]
    across = col_zh or col
    cols = list(dict.fromkeys(t[across]))
    rows = list(dict.fromkeys(t["label_zh"]))
    share = t.pivot_table(index="label_zh", columns=across, values=u["share"], aggfunc="first", dropna=False,
                          sort=False).reindex(index=rows, columns=cols)
    count = t.pivot_table(index="label_zh", columns=across, values=u["count"], aggfunc="first",
                          sort=False).reindex(index=rows, columns=cols).fillna(0).astype(int)
    fig = go.Figure(go.Heatmap(
        z=share.to_numpy(), x=[_e(c) for c in cols], y=[_e(r) for r in rows], text=count.to_numpy(),
        texttemplate="%{text}", colorscale="Blues", zmin=0, colorbar={"tickformat": ".0%", "title": "占比"},
        hovertemplate=f"%{{y}} × %{{x}}<br>{u['noun']}数 %{{text}}，{u['noun']}占比 %{{z:.1%}}<extra></extra>"))
    fig.update_xaxes(type="category", side="top")
    fig.update_yaxes(type="category", autorange="reversed")
    _layout(fig, title, 140 + 26 * len(rows))
    return fig


def _period_lines(table: pd.DataFrame, field: str, by_tickets: bool = False):
    import plotly.graph_objects as go

    u = _unit(by_tickets)
    t = table[table["field"] == field]
    fig = go.Figure()
    for label, part in t.groupby("label", sort=False):
        if part[u["count"]].sum() == 0:
            continue
        fig.add_trace(go.Scatter(x=[_e(p) for p in part["period"]], y=part[u["count"]], mode="lines+markers",
                                 name=_e(part["label_zh"].iloc[0]),
                                 hovertemplate="%{x}: %{y}<extra>" + _e(part["label_zh"].iloc[0]) + "</extra>"))
    fig.update_xaxes(type="category")
    fig.update_xaxes(title="时期")
    fig.update_yaxes(rangemode="tozero", title=f"{u['noun']}数")
    _layout(fig, f"{FIELD_ZH[field]}：各时期{u['noun']}数", 420)
    return fig


#: the values of a ``--by`` column drawn in its trend's small multiples (the most counted; all are in its table)
MAX_TREND_VALUES = 12


def value_trend_figure(tables: dict[str, pd.DataFrame], names: dict[str, str], label_names: dict[str, str], *,
                       key: str | None = None):
    """Small multiples of each ``--by`` value's trend (``by_period_地市``): one panel a value (``tables``: value →
    periods × labels, counts), with the lines of the labels any value has, one colour a label and one legend.
    ``names`` (value → as the page names it) and ``label_names`` are escaped here: plotly reads ``<b>`` in a
    panel's title or a legend as markup, and a city named ``<b>x</b>`` must show as typed. With ``key`` a point
    opens the report page's cell ``{key}|{label}|{value}|{period}``. The caller gives the title."""
    import plotly.graph_objects as go
    from plotly.colors import qualitative
    from plotly.subplots import make_subplots

    values = list(tables)
    cols = 1 if len(values) == 1 else 2
    n_rows = -(-len(values) // cols)
    fig = make_subplots(rows=n_rows, cols=cols, subplot_titles=[_e(names[v]) for v in values], shared_yaxes=True,
                        vertical_spacing=min(0.12, 0.5 / n_rows))
    labels = [lab for lab in label_names if any(lab in t.columns and int(t[lab].sum()) for t in tables.values())]
    palette = qualitative.Plotly
    for i, v in enumerate(values):
        t = tables[v]
        for j, lab in enumerate(labels):
            fig.add_trace(go.Scatter(name=_e(label_names[lab]), x=[_e(p) for p in t.index], y=t[lab].tolist(),
                                     mode="lines+markers", legendgroup=lab, showlegend=i == 0,
                                     line={"color": palette[j % len(palette)]},
                                     hovertemplate="%{x}: %{y}<extra>" + _e(label_names[lab]) + "</extra>",
                                     customdata=[f"{key}|{lab}|{v}|{p}" for p in t.index] if key else None),
                          row=i // cols + 1, col=i % cols + 1)
    fig.update_xaxes(type="category")  # one tick a period
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(height=120 + 230 * n_rows, margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig


def _value_trends(table: pd.DataFrame, field: str, col: str, by_tickets: bool = False):
    """``by_period_<col>``'s small multiples for one field (:func:`value_trend_figure`), the most counted
    :data:`MAX_TREND_VALUES` values."""
    u = _unit(by_tickets)
    t = table[table["field"] == field]
    label_names = dict(zip(t["label"], t["label_zh"]))
    tables = {str(v): part.assign(period=part["period"].astype(str), n=part[u["count"]].fillna(0).astype(int))
              .pivot_table(index="period", columns="label", values="n", aggfunc="sum", fill_value=0)
              for v, part in t.groupby(col, sort=False)}
    shown = sorted(tables, key=lambda v: -int(tables[v].to_numpy().sum()))[:MAX_TREND_VALUES]
    fig = value_trend_figure({v: tables[v] for v in tables if v in shown}, {v: v for v in tables}, label_names)
    more = f"（条数最多的 {len(shown)} 个，共 {len(tables)} 个）" if len(shown) < len(tables) else ""
    _layout(fig, f"{FIELD_ZH[field]}：各{col}每个时期的{u['noun']}数{more}", fig.layout.height)
    return fig


def chart_figures(result) -> list[tuple[str, object]]:
    """``(section, plotly Figure)`` pairs for every table of a :class:`~voiceofcustomer.freq.tables.FreqResult`."""
    figs = []
    tickets = getattr(result, "counts_tickets", False)  # every statement a ticket's: drawn in tickets
    mixed = SOURCE_KIND_TABLE in result.tables
    what = "工单占比（格中为工单数）" if tickets else "占比（格中为陈述数）"
    for name, table in result.tables.items():
        if name in ("notes", "alerts") or table.empty:  # alerts: a table section of its own
            continue
        fields = list(dict.fromkeys(table["field"]))
        for f in fields:
            if name.startswith("by_period_"):  # each value's trend: one panel a value
                figs.append((name, _value_trends(table, f, name[len("by_period_"):], tickets)))
            elif name == "overall":
                figs.append((name, _share_bars(table, f, tickets, mixed)))
            elif name == SOURCE_KIND_TABLE:
                figs.append((name, _kind_bars(table, f)))
            elif name == "by_period":
                figs.append((name, _period_lines(table, f, tickets)))
            elif name.startswith("by_"):
                col = name[3:]
                figs.append((name, _heatmap(table, f, col, f"{FIELD_ZH[f]}按{col}：各{col}内的{what}",
                                            by_tickets=tickets)))
            else:
                col = table.columns[3]
                zh = f"{col}_zh" if f"{col}_zh" in table.columns else None
                across = "客户群" if col == "group" else FIELD_ZH.get(col, col)
                figs.append((name, _heatmap(table, f, col, f"{FIELD_ZH[f]} × {across}：各{across}内的{what}",
                                            zh, by_tickets=tickets)))
    return figs


def _untested_zh(note: dict) -> str:
    """The alerts section when no cell was tested (too few periods), in Chinese; the periods needed and their
    kind are read from the note's detail (``give 4 months or more``), which this package writes."""
    m = re.search(r"give (\d+) (week|month)s or more", str(note.get("detail", "")))
    need, unit = (m.group(1), "周" if m.group(2) == "week" else "个月") if m else ("4", "个时期")
    by_week = "" if m and m.group(2) == "week" else "，或按周统计（--period week）"
    return (f"未检验：数据只有 {_e(note.get('count'))} 个时期，本期至少要与 {int(need) - 1} 个更早的时期比较，所以没有检验任何"
            f"单元格，预警表为空——这并不说明没有上升。请提供 {need} {unit}或以上的数据{by_week}；在此之前请看按时间表的变化"
            "（change）。")


def _counted_in(result) -> str:
    """Where the counted statements come from, and what the charts count (empty without tickets)."""
    tickets = getattr(result, "tickets_counted", None)
    if not tickets:
        return ""
    if result.counts_tickets:
        return f"，来自 {tickets:,} 张工单；图中的数和占比按工单计（一张工单拆成几句同类陈述只计一次）"
    kinds = getattr(result, "kinds_without_ticket", None) or {"focus_group": result.statements_without_ticket}
    parts = [f"{n:,} 条{'来自座谈会' if k == 'focus_group' else '为其他文本（没有工单号，也不是座谈会的）'}"
             for k, n in kinds.items()]
    said = "与".join(["座谈会" if k == "focus_group" else "其他文本" for k in kinds] + ["工单"])
    return (f"，其中 {'、'.join(parts)}、其余来自 {tickets:,} 张工单；图中的数和占比按陈述计"
            f"（{said}合计），“按来源”把各类（按陈述）与工单（按工单）并列")


def write_charts(result, path: str | Path) -> Path:
    """Write every chart into one HTML page with plotly.js inline (works offline)."""
    path = Path(path)
    parts = []
    first = True
    section = None
    kinds = (list(dict.fromkeys(result.tables[SOURCE_KIND_TABLE]["source_kind_zh"]))
             if SOURCE_KIND_TABLE in result.tables else None)
    for name, fig in chart_figures(result):
        if name != section:
            parts.append(f"<h2 id=\"{_e(name)}\">{_e(section_zh(name, kinds))}</h2>")
            section = name
        parts.append(fig.to_html(full_html=False, include_plotlyjs=first, config=_CONFIG))
        first = False
    alerts = result.tables.get("alerts")
    if alerts is not None:
        flagged = alerts[alerts["flagged"]]
        # a split ticket export's alerts test tickets (freq.alerts.ticket_alerts): the statements beside them
        by_tickets = "tickets" in alerts.columns
        head = "".join(f"<th>{_e(c)}</th>" for c in ("类别体系", "标签", "分组", "时期", *(("工单数", "陈述数") if by_tickets
                                                      else ("陈述数",)), "基线均值（工单）" if by_tickets else "基线均值",
                                                      "倍数", "q 值"))
        body = "".join(
            f"<tr><td>{_e(_field(r.field))}</td><td>{_e(r.label)} {_e(r.label_zh)}</td><td>{_e(r.segment_col)}："
            f"{_e(r.segment)}</td><td>{_e(r.period)}</td>"
            + (f"<td>{_e(r.tickets)}</td>" if by_tickets else "")
            + f"<td>{_e(r.count)}</td><td>{_e(r.baseline_mean)}</td>"
            f"<td>{_e('新出现' if pd.isna(r.ratio) else r.ratio)}</td><td>{r.q_value:.3g}</td></tr>"
            for r in flagged.itertuples(index=False))
        notes = result.tables.get("notes")
        untested = (None if notes is None else
                    notes.loc[notes["note"] == "alerts not tested"].head(1).to_dict("records") or None)
        said = (_untested_zh(untested[0]) if untested else  # not "0 of 0 tested cells": too few periods
                f"已检验的 {len(alerts)} 个单元格中，{len(flagged)} 个本期显著高于其自身基线（检验方法和阈值见下方说明的“预警检验”行）"
                + ("；按工单计：一张工单拆成几句同类陈述只计一次，基线和倍数也按工单" if by_tickets else "；按陈述计") + "。")
        parts.insert(0, f"<h2 id=\"alerts\">{section_zh('alerts')}</h2><p>{said}</p>"
                        f"<table><tr>{head}</tr>{body}</table>")
    notes = result.tables.get("notes")
    rows = "" if notes is None else "".join(
        f"<tr><td>{_e(_note_name(r.note))}</td><td>{'' if pd.isna(r.count) else _e(r.count)}</td>"
        f"<td>{_e(NOTE_DETAIL_ZH.get(r.note, r.detail))}</td></tr>"
        for r in notes.itertuples(index=False))
    toc = " · ".join(f"<a href=\"#{_e(n)}\">{_e(section_zh(n, kinds))}</a>" for n in result.tables if n != "notes")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>问题频次</title>
<style>body{{font-family:{_FONT};margin:24px;max-width:1200px}} table{{border-collapse:collapse;font-size:13px}}
td{{border-bottom:1px solid #ddd;padding:3px 8px;vertical-align:top}} h2{{margin-top:40px}}</style></head>
<body><h1>问题频次</h1>
<p>计入统计的陈述 {result.rows_counted:,} / {result.rows_read:,} 条{_counted_in(result)}。各表及每个单元格背后的陈述见 frequencies.xlsx。
章节：{toc}</p>
<h2 id="notes">说明</h2>
<table><tr><th>项目</th><th>数量</th><th>详情（与数据相关的详情为 notes.csv 的英文原文）</th></tr>{rows}</table>
{''.join(parts)}
</body></html>
"""
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path
