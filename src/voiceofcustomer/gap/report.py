"""Write a :class:`~voiceofcustomer.gap.analysis.GapResult` to a folder: CSV tables, summary.json,
one Excel workbook with every table, and a self-contained HTML page of charts.

Every file is written atomically, so an interrupted run never leaves a half-written
table that looks complete. The HTML embeds plotly.js because reports are opened on
office machines without internet access.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer.gap.analysis import GapResult
from voiceofcustomer.labels.taxonomy import ZH
from voiceofcustomer.io.writers import atomic_path, neutralize_formulas, write_table

__all__ = ["write_gap_report", "REPORT_FILES"]

REPORT_FILES = ("items.csv", "dimensions.csv", "summary.json", "problems.csv", "respondents.csv",
                "gap_report.xlsx", "gap_report.html")
_EXCEL_PROBLEM_ROWS = 50_000  # the full list is always in problems.csv
_HTML_PROBLEM_ROWS = 200
_GROUPED_BAR_SEGMENTS = 12


def _safe_name(name: str) -> str:
    """A file-name-safe version of a column name (Chinese letters are kept)."""
    return re.sub(r"[^\w\-]+", "_", name).strip("_") or "segment"


def _jsonable(v):
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if not math.isfinite(v) else float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def _tables(result: GapResult) -> dict[str, pd.DataFrame]:
    """Name → table, in the order the workbook and the folder list them."""
    tables = {"items": result.items, "dimensions": result.dimensions}
    names = {}
    for by, seg in result.segments.items():
        safe = _safe_name(by)
        names[safe] = names.get(safe, 0) + 1
        if names[safe] > 1:
            safe = f"{safe}_{names[safe]}"
        tables[f"items_by_{safe}"] = seg.items
        tables[f"dimensions_by_{safe}"] = seg.dimensions
        tables[f"sq_by_{safe}"] = seg.sq
    if result.segments:
        tables["segment_tests"] = pd.concat([s.tests for s in result.segments.values()], ignore_index=True)
    return tables


def write_gap_report(result: GapResult, out_dir: str | Path) -> list[Path]:
    """Write every table, ``summary.json``, ``gap_report.xlsx`` and ``gap_report.html`` to ``out_dir``.

    Per segment column ``c`` of ``--by`` there are also ``items_by_c.csv``,
    ``dimensions_by_c.csv`` and ``sq_by_c.csv``, plus one ``segment_tests.csv``.

    Returns:
        The paths written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = _tables(result)
    written = [write_table(df, out / f"{name}.csv") for name, df in tables.items()]
    written.append(write_table(result.problems, out / "problems.csv"))
    written.append(write_table(result.respondents, out / "respondents.csv"))
    with atomic_path(out / "summary.json") as tmp:
        tmp.write_text(json.dumps(_jsonable(result.summary), ensure_ascii=False, indent=2), encoding="utf-8")
    written.append(out / "summary.json")
    written.append(_write_workbook(result, tables, out / "gap_report.xlsx"))
    with atomic_path(out / "gap_report.html") as tmp:
        tmp.write_text(render_html(result), encoding="utf-8")
    written.append(out / "gap_report.html")
    return written


def _summary_table(summary: dict) -> pd.DataFrame:
    rows = [(k, json.dumps(_jsonable(v), ensure_ascii=False) if isinstance(v, (list, dict)) else _jsonable(v))
            for k, v in summary.items() if k != "warnings"]
    rows += [(f"warning: {w['kind']}", w["message"]) for w in summary["warnings"]]
    return pd.DataFrame(rows, columns=["key", "value"]).astype({"value": object})


def _write_workbook(result: GapResult, tables: dict[str, pd.DataFrame], path: Path) -> Path:
    sheets = {"summary": _summary_table(result.summary), **tables,
              "problems": result.problems.head(_EXCEL_PROBLEM_ROWS)}
    used: set[str] = set()
    with atomic_path(path) as tmp:
        options = {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True}
        with pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
            for name, df in sheets.items():
                sheet = re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
                while sheet in used:
                    sheet = sheet[:28] + f"_{len(used)}"
                used.add(sheet)
                neutralize_formulas(df).to_excel(xw, sheet_name=sheet, index=False)
                xw.sheets[sheet].freeze_panes(1, 0)
    return path


# -- HTML --------------------------------------------------------------------------------------


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _dim_label(dim: str) -> str:
    return f"{ZH['servqual'].get(dim, dim)} {dim}"


def _ci_bars(table: pd.DataFrame, label_col: str, labels: list[str], hover: list[str] | None = None):
    import plotly.graph_objects as go

    gap = table["gap"].to_numpy(dtype=float)
    return go.Bar(x=labels, y=gap, marker_color=["#c0392b" if g < 0 else "#27ae60" for g in np.nan_to_num(gap)],
                  error_y={"type": "data", "symmetric": False,
                           "array": (table["ci_high"] - table["gap"]).to_numpy(dtype=float),
                           "arrayminus": (table["gap"] - table["ci_low"]).to_numpy(dtype=float)},
                  hovertext=hover, name=label_col)


def _figure_html(fig, div_id: str, height: int = 420, categories: bool = True) -> str:
    # Fixed div ids keep the page byte-identical between runs on the same data.
    fig.update_layout(height=height, margin={"l": 60, "r": 20, "t": 60, "b": 80})
    if categories:  # item ids "1", "2" or stores "007" are names, not numbers on an axis
        fig.update_xaxes(type="category")
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})


def _charts(result: GapResult) -> list[str]:
    import plotly.graph_objects as go

    dims, items = result.dimensions, result.items
    parts = []
    fig = go.Figure(_ci_bars(dims, "gap", [_e(_dim_label(d)) for d in dims["dimension"]]))
    fig.update_layout(title="Gap P − E per dimension (95% CI)", yaxis_title="gap", showlegend=False)
    fig.add_hline(y=0, line_color="#555")
    parts.append(_figure_html(fig, "gap-dimensions"))
    for dim in dims["dimension"]:
        sub = items[items["dimension"] == dim]
        codebook = result.codebook if result.codebook is not None else items.assign(e_text="", p_text="")
        text = codebook.set_index("item_id").reindex(sub["item_id"])
        hover = [_e(f"E: {e}  P: {p}  n={n}") for e, p, n in zip(text["e_text"], text["p_text"], sub["n"])]
        fig = go.Figure(_ci_bars(sub, "gap", [_e(i) for i in sub["item_id"]], hover))
        fig.update_layout(title=_e(f"{_dim_label(dim)}: item gaps (95% CI)"), yaxis_title="gap", showlegend=False)
        fig.add_hline(y=0, line_color="#555")
        parts.append(_figure_html(fig, f"gap-{dim}", 360))
    parts.append(_ipa_chart(result))
    for k, (by, seg) in enumerate(result.segments.items()):
        parts.append(_segment_chart(by, seg, f"gap-by-{k}"))
    return parts


def _ipa_chart(result: GapResult) -> str:
    import plotly.graph_objects as go

    dims = result.dimensions
    if dims["importance"].notna().any():
        x, y = dims["importance"], dims["mean_p"]
        labels = [_e(_dim_label(d)) for d in dims["dimension"]]
        title, x_title = "Importance–performance (dimensions)", "importance (mean points of 100)"
    else:
        x, y = result.items["mean_e"], result.items["mean_p"]
        labels = [_e(i) for i in result.items["item_id"]]
        title = "Importance–performance (items; no W_ columns, expectation stands in for importance)"
        x_title = "expectation (mean E)"
    fig = go.Figure(go.Scatter(x=x, y=y, mode="markers+text", text=labels, textposition="top center",
                               marker={"size": 12, "color": "#2c7fb8"}))
    x_mean, y_mean = x.mean(), y.mean()  # pandas: NaN-skipping, NaN (not a warning) when empty
    if pd.notna(x_mean) and pd.notna(y_mean):  # quadrant lines at the means
        fig.add_vline(x=float(x_mean), line_dash="dot", line_color="#888")
        fig.add_hline(y=float(y_mean), line_dash="dot", line_color="#888")
    fig.update_layout(title=_e(title), xaxis_title=_e(x_title), yaxis_title="performance (mean P)",
                      showlegend=False)
    return _figure_html(fig, "importance-performance", 480, categories=False)


def _segment_chart(by: str, seg, div_id: str) -> str:
    import plotly.graph_objects as go

    segments = seg.sq["segment"].tolist()
    if len(segments) <= _GROUPED_BAR_SEGMENTS:
        fig = go.Figure([go.Bar(name=_e(s), x=[_e(_dim_label(d)) for d in g["dimension"]], y=g["gap"])
                         for s, g in seg.dimensions.groupby("segment", sort=False)])
        fig.update_layout(barmode="group", title=_e(f"Dimension gaps by {by}"), yaxis_title="gap", showlegend=True)
    else:
        fig = go.Figure(go.Bar(x=[_e(s) for s in segments], y=seg.sq["sq"]))
        fig.update_layout(title=_e(f"SQ by {by}"), yaxis_title="SQ", showlegend=False)
    return _figure_html(fig, div_id)


def _table_html(df: pd.DataFrame) -> str:
    return df.to_html(index=False, escape=True, na_rep="", float_format=lambda v: f"{v:.3f}", border=0,
                      classes="t")


def render_html(result: GapResult) -> str:
    """The report page: numbers, warnings, charts and tables; plotly.js is inlined."""
    from plotly.offline import get_plotlyjs

    s = result.summary
    fmt = lambda v: "—" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{v:.3f}"  # noqa: E731
    warnings = "".join(f"<li>{_e(w['message'])}</li>" for w in s["warnings"]) or "<li>none</li>"
    head = (f"<p><b>SQ</b> (mean of the dimension gaps): {fmt(s['sq'])} &nbsp; <b>weighted SQ</b>: "
            f"{fmt(s['sq_weighted'])} &nbsp; respondents: {s['n_used']} used of {s['n_respondents']} &nbsp; "
            f"missing answers: {_e(s['missing_policy_note'])}</p>")
    body = [f"<h1>SERVQUAL gap analysis</h1><p>{_e(s['responses'])} · codebook {_e(s['codebook'])}</p>", head,
            f"<h2>Data warnings</h2><ul>{warnings}</ul>", "<h2>Charts</h2>", *_charts(result),
            "<h2>Dimensions</h2>", _table_html(result.dimensions), "<h2>Items</h2>", _table_html(result.items)]
    for by, seg in result.segments.items():
        body += [f"<h2>Segments: {_e(by)}</h2>", _table_html(seg.sq), _table_html(seg.tests)]
    if len(result.problems):
        body += [f"<h2>Invalid cells ({len(result.problems)}; treated as missing)</h2>",
                 _table_html(result.problems.head(_HTML_PROBLEM_ROWS))]
        if len(result.problems) > _HTML_PROBLEM_ROWS:
            body.append("<p>… the full list is in problems.csv</p>")
    style = ("body{font-family:sans-serif;margin:2em;max-width:1200px}table.t{border-collapse:collapse;"
             "font-size:13px}table.t td,table.t th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}")
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>SERVQUAL gap analysis</title>"
            f"<style>{style}</style><script type=\"text/javascript\">{get_plotlyjs()}</script></head><body>"
            + "\n".join(body) + "</body></html>")
