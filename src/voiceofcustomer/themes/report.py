"""Outputs of ``voc themes``: CSV tables, ``themes.json`` and an offline HTML report.

``themes.html`` must open on a machine without internet: plotly.js is
embedded inline once (~4.8 MB) and every later figure reuses it; nothing is
loaded from a CDN. Every piece of customer text that goes into the page —
labels, key phrases, representative statements, class names — is
HTML-escaped first, so a statement such as ``<script>…`` is shown, not run.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer.io.writers import atomic_path, write_table
from voiceofcustomer.statements import counted_note
from voiceofcustomer.themes.model import THEME_COLUMNS

__all__ = ["safe_name", "statement_table", "themes_html", "write_outputs", "write_themes"]

_MAX_BAR_TOPICS = 24
_MAX_LINES = 12


def safe_name(col: str) -> str:
    """A file-name-safe version of a column name (``受理 时间/区县`` → ``受理_时间_区县``)."""
    out = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(col)).strip("_")
    return out or "column"


def _esc(v) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def _write_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_outputs(model, out_dir: str | Path, *, by_tables: dict[str, pd.DataFrame] | None = None,
                  over_time: pd.DataFrame | None = None, extra_info: dict | None = None,
                  statements: pd.DataFrame | None = None) -> dict[str, Path]:
    """Write every output of a fitted :class:`~voiceofcustomer.themes.ThemeModel` into ``out_dir``.

    Args:
        model: the fitted model.
        out_dir: output folder (created).
        by_tables: ``{column: model.topics_per_class(...)}`` → ``topics_by_<column>.csv``.
        over_time: ``model.topics_over_time(...)`` → ``topics_over_time.csv``.
        extra_info: merged into ``themes.json`` (input files, options).
        statements: the input table the model was fitted on; when given, ``statement_topics.csv``
            carries all its columns (labels included) before the topic columns, so it can go
            straight on to ``voc freq``/``voc items``.

    Returns:
        ``{name: path}`` of the files written.
    """
    model._check_counts()  # a model pickled by an earlier version: one line saying to fit it again, before any file
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    written["topics"] = write_table(model.topic_tree(), out_dir / "topics.csv", sheet_name="topics")
    written["statement_topics"] = write_table(statement_table(model.statement_topics_, statements),
                                              out_dir / "statement_topics.csv")
    for col, table in (by_tables or {}).items():
        name = f"topics_by_{safe_name(col)}"
        written[name] = write_table(table, out_dir / f"{name}.csv", sheet_name=name[:31])
    if over_time is not None:
        written["topics_over_time"] = write_table(over_time, out_dir / "topics_over_time.csv",
                                                  sheet_name="topics_over_time")
    info = dict(model.info_)
    info.update(extra_info or {})
    info["topics"] = [
        {"topic": int(r.topic), "label": r.label, "size": int(r.size), "count": int(r.count), "share": float(r.share),
         "keywords": [[w, float(s)] for w, s in model.topic_words_.get(int(r.topic), [])]}
        for r in model.topics_.itertuples()
    ]
    info["subtopics"] = [
        {"topic": r.topic, "parent": int(r.parent), "label": r.label, "size": int(r.size), "count": int(r.count),
         "share": float(r.share),
         "keywords": [[w, float(sc)] for w, sc in model.subtopic_words_.get(r.topic, [])]}
        for r in model.subtopics_.itertuples()
    ]
    info["outputs"] = sorted(p.name for p in written.values()) + ["themes.html", "themes.json"]
    _write_text(out_dir / "themes.json", json.dumps(info, ensure_ascii=False, indent=2, default=_json_default))
    written["themes_json"] = out_dir / "themes.json"
    _write_text(out_dir / "themes.html", themes_html(model, by_tables=by_tables, over_time=over_time))
    written["themes_html"] = out_dir / "themes.html"
    return written


def statement_table(st: pd.DataFrame, statements: pd.DataFrame | None) -> pd.DataFrame:
    """``statement_topics.csv``: the input's columns (labels and the export's own columns: 受理时间, 渠道 …)
    before the topic columns of ``st`` (the model's ``statement_topics_``, or a curated set's), so it can go
    straight on to ``voc freq``/``voc items``; ``st`` alone when ``statements`` is not the table it was fitted on.
    The input's own theme columns (:data:`~voiceofcustomer.themes.model.THEME_COLUMNS`: last month's
    ``statement_topics.csv`` or a ``voc analyze`` ``statements.xlsx`` themed again) are left out, so the table
    carries this run's themes; ``statement_id``, ``text`` and ``ticket_id`` are the input's.
    The one table of ``voc themes`` (fitted or ``--model``) and the report's ``themes/statement_topics.csv``
    (``voc analyze``)."""
    if statements is None or len(statements) != len(st):
        return st
    keep = statements.drop(columns=[c for c in statements.columns if c in THEME_COLUMNS]).reset_index(drop=True)
    return pd.concat([keep, st.drop(columns=[c for c in st.columns if c in keep.columns]).reset_index(drop=True)],
                     axis=1)


def write_themes(themed, out_dir: str | Path, **kwargs) -> dict[str, Path]:
    """:func:`write_outputs` for a :class:`~voiceofcustomer.themes.ThemeResult` (or a fitted model)."""
    return write_outputs(getattr(themed, "model", themed), out_dir, **kwargs)


def _json_default(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    return str(v)


# -- figures ---------------------------------------------------------------------------
def _topic_map(model):
    import plotly.graph_objects as go

    topics = model.topics_[model.topics_["topic"] >= 0]
    ids = model.centroid_topics_
    cent = model.centroids_
    if len(ids) >= 3:
        from sklearn.decomposition import PCA

        xy = PCA(n_components=2, random_state=0).fit_transform(cent)
    elif len(ids) == 2:
        xy = np.array([[-1.0, 0.0], [1.0, 0.0]])
    else:
        xy = np.zeros((len(ids), 2))
    pos = {int(t): xy[i] for i, t in enumerate(ids)}
    sizes = topics["size"].to_numpy(dtype=float)
    scale = 60.0 / np.sqrt(sizes.max()) if len(sizes) else 1.0
    n = _n_counted(model)
    hover = [f"<b>{int(r.topic)}: {_esc(r.label)}</b><br>{int(r.count)} 条 ({_share(r.count, n)})<br>"
             + _esc(", ".join(w for w, _ in model.topic_words_.get(int(r.topic), [])[:8]))
             for r in topics.itertuples()]
    fig = go.Figure(go.Scatter(
        x=[pos[int(t)][0] for t in topics["topic"]], y=[pos[int(t)][1] for t in topics["topic"]],
        mode="markers+text", text=[str(int(t)) for t in topics["topic"]], textposition="middle center",
        marker={"size": np.maximum(12, np.sqrt(sizes) * scale), "color": topics["topic"], "colorscale": "Viridis",
                    "opacity": 0.55, "line": {"width": 1, "color": "#333"}},
        hovertext=hover, hoverinfo="text"))
    fig.update_layout(title="主题分布图 (intertopic map: topic centroids, PCA 2-D; bubble area ∝ size)",
                      xaxis={"visible": False}, yaxis={"visible": False}, height=520, template="plotly_white",
                      margin={"l": 20, "r": 20, "t": 60, "b": 20})
    return fig


def _keyword_bars(model):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    topics = model.topics_[model.topics_["topic"] >= 0].head(_MAX_BAR_TOPICS)
    n = len(topics)
    cols = 3 if n >= 3 else max(1, n)
    rows = int(np.ceil(n / cols)) or 1
    titles = [f"{int(r.topic)}: {_esc(r.label)}" for r in topics.itertuples()]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.18,
                        vertical_spacing=max(0.02, min(0.12, 0.5 / rows)))
    for i, r in enumerate(topics.itertuples()):
        words = model.topic_words_.get(int(r.topic), [])[:8][::-1]
        fig.add_trace(go.Bar(x=[s for _, s in words], y=[_esc(w) for w, _ in words], orientation="h",
                             hovertemplate="%{y}: %{x:.3f}<extra></extra>", showlegend=False),
                      row=i // cols + 1, col=i % cols + 1)
    fig.update_layout(title="关键词 (key phrases, c-TF-IDF weight)", height=max(300, 260 * rows),
                      template="plotly_white", margin={"l": 20, "r": 20, "t": 80, "b": 20})
    return fig


def _class_heatmap(col: str, table: pd.DataFrame, labels: dict):
    import plotly.graph_objects as go

    pivot = table.pivot_table(index="topic", columns="class", values="share_in_class", aggfunc="sum", fill_value=0)
    counts = table.pivot_table(index="topic", columns="class", values="count", aggfunc="sum", fill_value=0)
    order = [t for t in pivot.index if t >= 0] + [t for t in pivot.index if t < 0]
    pivot, counts = pivot.loc[order], counts.loc[order]
    ylab = [f"{int(t)}: {_esc(labels.get(int(t), ''))}" for t in pivot.index]
    xlab = [_esc(c) for c in pivot.columns]
    fig = go.Figure(go.Heatmap(z=pivot.to_numpy(), x=xlab, y=ylab, colorscale="Blues", customdata=counts.to_numpy(),
                               hovertemplate="%{y}<br>%{x}: %{z:.1%} (%{customdata} 条)<extra></extra>"))
    fig.update_layout(title=f"各{_esc(col)}的主题占比 (topics per class: share of each class's statements)",
                      height=max(320, 28 * len(ylab) + 140), template="plotly_white",
                      yaxis={"autorange": "reversed"}, margin={"l": 20, "r": 20, "t": 60, "b": 40})
    return fig


def _time_lines(table: pd.DataFrame, labels: dict):
    import plotly.graph_objects as go

    top = (table[table["topic"] >= 0].groupby("topic")["count"].sum().sort_values(ascending=False)
           .head(_MAX_LINES).index)
    fig = go.Figure()
    for t in top:
        part = table[table["topic"] == t].sort_values("period")
        fig.add_trace(go.Scatter(x=part["period"], y=part["count"], mode="lines+markers",
                                 name=f"{int(t)}: {_esc(labels.get(int(t), ''))}",
                                 customdata=[_esc(w) for w in part["words"]],
                                 hovertemplate="%{x}: %{y} 条<br>%{customdata}<extra></extra>"))
    fig.update_layout(title="主题随时间变化 (topics over time)", height=460, template="plotly_white",
                      margin={"l": 20, "r": 20, "t": 60, "b": 40})
    return fig


def _quotes(r) -> str:
    return "".join(f"<li><code>{_esc(i)}</code> {_esc(t)}</li>"
                   for i, t in zip(str(r.representative_ids).split("|"), str(r.representative_texts).split("\n"))
                   if t)


def _n_counted(model) -> int:
    """The statements that count (the themes' shares' denominator): the level-1 counts add up to it."""
    return int(model.topics_["count"].sum())


def _share(count: int, n: int) -> str:
    """``count`` of ``n`` as the report page writes a share (one decimal; from the counts, not the 4-decimal
    ``share`` of topics.csv, whose 0.0745 read 7.4 % where the report said 7.5 %)."""
    return f"{count / n:.1%}" if n else "0.0%"


def _topic_table_html(model) -> str:
    """The theme tree: each theme with its count, share and key phrases, opening onto its
    sub-themes, each opening onto its representative statements (all text escaped).
    Counts and shares are of the statements that count (``count``, ``share``: ``model.theme_size``),
    as the report's; a theme's rows that do not count (未归类's moderator turns) are said beside."""
    subs = model.subtopics_
    n = _n_counted(model)
    items = []
    for r in model.topics_.itertuples():
        kw = "、".join(_esc(w) for w, _ in model.topic_words_.get(int(r.topic), [])[:10])
        dists = "".join(f"<div class='dist'>{_esc(c[5:])}: {_esc(getattr(r, c))}</div>"
                        for c in model.topics_.columns if c.startswith("dist_") and getattr(r, c))
        children = []
        if int(r.topic) >= 0 and len(subs):
            for sr in subs[subs["parent"] == int(r.topic)].itertuples():
                skw = "、".join(_esc(w) for w, _ in model.subtopic_words_.get(sr.topic, [])[:8])
                share_in_parent = sr.count / r.count if r.count else 0.0
                children.append(
                    f"<details class='sub'><summary><b>{_esc(sr.topic)} {_esc(sr.label)}</b> "
                    f"<span class='n'>{int(sr.count)} 条 (占该主题 {share_in_parent:.0%})</span></summary>"
                    f"<div class='kw'>{skw}</div><ul>{_quotes(sr)}</ul></details>")
        own = f"<ul>{_quotes(r)}</ul>" if not children else ""
        items.append(
            f"<details class='theme'><summary><b>{_esc(r.topic)} {_esc(r.label)}</b> "
            f"<span class='n'>{int(r.count)} 条 ({_share(r.count, n)})"
            f"{f'；另有 {int(r.size - r.count)} 条不计入统计' if r.size > r.count else ''}</span>"
            f"{f' · {len(children)} 个子主题' if children else ''}</summary>"
            f"<div class='kw'>{kw}</div>{dists}{''.join(children)}{own}</details>")
    return "<div class='tree'>" + "".join(items) + "</div>"


_CSS = """
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:24px;color:#222}
h1{font-size:22px} h2{font-size:18px;margin-top:32px} .meta{color:#555;font-size:14px}
table{border-collapse:collapse;width:100%;font-size:14px} th,td{border:1px solid #ddd;padding:6px;vertical-align:top}
th{background:#f4f4f4} .kw{color:#555;font-size:12px;margin-top:4px} .dist{color:#777;font-size:12px}
ul{margin:0;padding-left:18px} code{color:#888;font-size:11px}
details{margin:4px 0} details.sub{margin-left:24px} summary{cursor:pointer} .n{color:#555;font-size:13px}
"""


def themes_html(model, *, by_tables: dict[str, pd.DataFrame] | None = None,
                over_time: pd.DataFrame | None = None, title: str = "主题分析 Themes") -> str:
    """The whole report as one self-contained HTML string (plotly.js inline once)."""
    model._check_counts()
    figs = []
    if len(model.centroid_topics_):
        figs.append(("主题分布", _topic_map(model)))
        figs.append(("关键词", _keyword_bars(model)))
    for col, table in (by_tables or {}).items():
        if len(table):
            figs.append((f"按 {col}", _class_heatmap(col, table, model.labels_)))
    if over_time is not None and len(over_time):
        figs.append(("随时间", _time_lines(over_time, model.labels_)))
    parts = []
    for i, (_name, fig) in enumerate(figs):
        parts.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0), include_mathjax=False,
                                 config={"displaylogo": False, "responsive": True}))
    info = model.info_
    n_counted = _n_counted(model)
    meta = (f"{info['n_statements']} 条陈述（计入统计 {n_counted} 条）, {info['n_fitted']} 条参与建模, {info['n_topics']} 个主题, "
            f"{info.get('n_subtopics', 0)} 个子主题; "
            f"方法: {_esc(info['method'])}; 离群比例 {info['outlier_share_before']:.1%} → "
            f"{info['outlier_share_after']:.1%} (重新归类后)")
    not_fitted = ", ".join(f"{_esc(k)}: {v}" for k, v in info.get("not_fitted", {}).items())
    if not_fitted:
        meta += f"; 未参与建模: {not_fitted}"
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang='zh'><head><meta charset='utf-8'><title>{_esc(title)}</title>"
            f"<style>{_CSS}</style></head><body><h1>{_esc(title)}</h1><p class='meta'>{meta}</p>\n{body}\n"
            f"<h2>主题与子主题 (themes and sub-themes)</h2><p class='meta'>{_esc(counted_note(n_counted))}</p>"
            f"{_topic_table_html(model)}</body></html>\n")


def class_columns(df: pd.DataFrame, wanted: Sequence[str], where: str = "") -> list[str]:
    """The ``by`` columns, checked against the table (raises ColumnError with the choices, after ``where``:
    the inputs the table was read from, ``tagged.parquet: ``)."""
    from voiceofcustomer.errors import no_by_column

    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise no_by_column(where, missing[0], df.columns)
    return list(wanted)
