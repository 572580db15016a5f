"""Charts of the frequency tables as one self-contained, offline HTML page.

Why HTML and not PNG: matplotlib draws Chinese only with a CJK font installed, and the
machines this runs on often have none (``fc-list :lang=zh`` is empty here), so PNGs would
show empty boxes. A browser draws the Chinese with the viewer's own fonts. plotly.js is
embedded once in the page (no CDN), so the file opens without a network; each chart's
camera button saves it as PNG for slides.

Every text taken from the data (group values, periods) is HTML-escaped before it goes
into a chart or the page.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from voiceofcustomer.labels.taxonomy import FIELD_ZH
from voiceofcustomer.io.writers import atomic_path

__all__ = ["write_charts", "chart_figures"]

_FONT = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif"
_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def _e(v) -> str:
    return html.escape(str(v))


def _layout(fig, title: str, height: int) -> None:
    fig.update_layout(title=_e(title), height=height, font={"family": _FONT, "size": 13},
                      margin={"l": 10, "r": 10, "t": 60, "b": 10}, template="plotly_white")


def _share_bars(table: pd.DataFrame, field: str):
    import plotly.graph_objects as go

    t = table[table["field"] == field].iloc[::-1]  # plotly draws the first bar at the bottom
    fig = go.Figure(go.Bar(
        x=t["share"], y=[_e(z) for z in t["label_zh"]], orientation="h",
        error_x={"type": "data", "symmetric": False, "array": t["ci_high"] - t["share"],
                 "arrayminus": t["share"] - t["ci_low"]},
        text=[f"{c:,}" for c in t["count"]], textposition="outside",
        customdata=list(zip(t["label"].map(_e), t["count"], t["n"])),
        hovertemplate="%{y} (%{customdata[0]})<br>%{customdata[1]} of %{customdata[2]}: %{x:.1%}<extra></extra>"))
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(type="category")
    _layout(fig, f"{FIELD_ZH[field]} ({field}): share of statements, 95% Wilson interval", 90 + 26 * len(t))
    return fig


def _heatmap(table: pd.DataFrame, field: str, col: str, title: str, col_zh: str | None = None):
    import plotly.graph_objects as go

    t = table[table["field"] == field]
    across = col_zh or col
    cols = list(dict.fromkeys(t[across]))
    rows = list(dict.fromkeys(t["label_zh"]))
    share = t.pivot_table(index="label_zh", columns=across, values="share", aggfunc="first", dropna=False,
                          sort=False).reindex(index=rows, columns=cols)
    count = t.pivot_table(index="label_zh", columns=across, values="count", aggfunc="first",
                          sort=False).reindex(index=rows, columns=cols).fillna(0).astype(int)
    fig = go.Figure(go.Heatmap(
        z=share.to_numpy(), x=[_e(c) for c in cols], y=[_e(r) for r in rows], text=count.to_numpy(),
        texttemplate="%{text}", colorscale="Blues", zmin=0, colorbar={"tickformat": ".0%", "title": "share"},
        hovertemplate="%{y} × %{x}<br>count %{text}, share %{z:.1%}<extra></extra>"))
    fig.update_xaxes(type="category", side="top")
    fig.update_yaxes(type="category", autorange="reversed")
    _layout(fig, title, 140 + 26 * len(rows))
    return fig


def _period_lines(table: pd.DataFrame, field: str):
    import plotly.graph_objects as go

    t = table[table["field"] == field]
    fig = go.Figure()
    for label, part in t.groupby("label", sort=False):
        if part["count"].sum() == 0:
            continue
        fig.add_trace(go.Scatter(x=[_e(p) for p in part["period"]], y=part["count"], mode="lines+markers",
                                 name=_e(part["label_zh"].iloc[0]),
                                 hovertemplate="%{x}: %{y}<extra>" + _e(part["label_zh"].iloc[0]) + "</extra>"))
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero", title="count")
    _layout(fig, f"{FIELD_ZH[field]} ({field}) by period: statements", 420)
    return fig


def chart_figures(result) -> list[tuple[str, object]]:
    """``(section, plotly Figure)`` pairs for every table of a :class:`~voiceofcustomer.freq.tables.FreqResult`."""
    figs = []
    for name, table in result.tables.items():
        if name in ("notes", "alerts") or table.empty:  # alerts: a table section of its own
            continue
        fields = list(dict.fromkeys(table["field"]))
        for f in fields:
            if name == "overall":
                figs.append((name, _share_bars(table, f)))
            elif name == "by_period":
                figs.append((name, _period_lines(table, f)))
            elif name.startswith("by_"):
                col = name[3:]
                figs.append((name, _heatmap(table, f, col, f"{FIELD_ZH[f]} ({f}) by {col}: share within each "
                                                           f"{col}, count in the cell")))
            else:
                col = table.columns[3]
                zh = f"{col}_zh" if f"{col}_zh" in table.columns else None
                figs.append((name, _heatmap(table, f, col, f"{FIELD_ZH[f]} ({f}) × {FIELD_ZH.get(col, col)}: share "
                                                           f"within each {col}, count in the cell", zh)))
    return figs


def write_charts(result, path: str | Path) -> Path:
    """Write every chart into one HTML page with plotly.js inline (works offline)."""
    path = Path(path)
    parts = []
    first = True
    section = None
    for name, fig in chart_figures(result):
        if name != section:
            parts.append(f"<h2 id=\"{_e(name)}\">{_e(name)}</h2>")
            section = name
        parts.append(fig.to_html(full_html=False, include_plotlyjs=first, config=_CONFIG))
        first = False
    alerts = result.tables.get("alerts")
    if alerts is not None:
        flagged = alerts[alerts["flagged"]]
        head = "".join(f"<th>{_e(c)}</th>" for c in ("field", "label", "segment", "period", "count",
                                                      "baseline mean", "ratio", "q"))
        body = "".join(
            f"<tr><td>{_e(r.field)}</td><td>{_e(r.label)} {_e(r.label_zh)}</td><td>{_e(r.segment_col)}: "
            f"{_e(r.segment)}</td><td>{_e(r.period)}</td><td>{_e(r.count)}</td><td>{_e(r.baseline_mean)}</td>"
            f"<td>{_e('new' if pd.isna(r.ratio) else r.ratio)}</td><td>{r.q_value:.3g}</td></tr>"
            for r in flagged.itertuples(index=False))
        notes = result.tables.get("notes")
        untested = (None if notes is None else
                    notes.loc[notes["note"] == "alerts not tested", "detail"].head(1).tolist() or None)
        said = (f"Not tested: {_e(untested[0])}." if untested else  # not "0 of 0 tested cells": too few periods
                f"{len(flagged)} of {len(alerts)} tested cells are significantly above their own baseline (test and "
                "thresholds: notes, row 'alerts').")
        parts.insert(0, f"<h2 id=\"alerts\">alerts: rising this period</h2><p>{said}</p>"
                        f"<table><tr>{head}</tr>{body}</table>")
    notes = result.tables.get("notes")
    rows = "" if notes is None else "".join(
        f"<tr><td>{_e(r.note)}</td><td>{'' if pd.isna(r.count) else _e(r.count)}</td><td>{_e(r.detail)}</td></tr>"
        for r in notes.itertuples(index=False))
    toc = " · ".join(f"<a href=\"#{_e(n)}\">{_e(n)}</a>" for n in result.tables if n != "notes")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Issue frequencies 问题频次</title>
<style>body{{font-family:{_FONT};margin:24px;max-width:1200px}} table{{border-collapse:collapse;font-size:13px}}
td{{border-bottom:1px solid #ddd;padding:3px 8px;vertical-align:top}} h2{{margin-top:40px}}</style></head>
<body><h1>Issue frequencies 问题频次</h1>
<p>{result.rows_counted:,} of {result.rows_read:,} statements counted. Tables and the statements behind each
cell: frequencies.xlsx. Sections: {toc}</p>
<table>{rows}</table>
{''.join(parts)}
</body></html>
"""
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path
