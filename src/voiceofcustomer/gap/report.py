"""Write a :class:`~voiceofcustomer.gap.analysis.GapResult` to a folder: CSV tables, summary.json,
one Excel workbook with every table, and a self-contained HTML page of charts.

The folder is written as one piece (:class:`~voiceofcustomer.report.folder.OutputFolder`):
a run that fails or is interrupted leaves the earlier report as it was, and a folder used
again holds exactly this run's files (no ``items_by_<c>.csv`` of an earlier ``--by``). The HTML embeds plotly.js because reports are opened on
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
from voiceofcustomer.gap.stats import ALPHA_MIN_N
from voiceofcustomer.errors import said_in
from voiceofcustomer.labels.taxonomy import ZH
from voiceofcustomer.io.writers import atomic_path, neutralize_formulas, write_table

__all__ = ["write_gap_report", "gap_file_names", "REPORT_FILES"]

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


def gap_file_names(folder: Path) -> list[str]:
    """The files an earlier ``voc gap`` wrote into ``folder`` (one written before folders kept a record)."""
    names = [n for n in (*REPORT_FILES, "segment_tests.csv") if (folder / n).is_file()]
    for pattern in ("items_by_*.csv", "dimensions_by_*.csv", "sq_by_*.csv"):
        names += sorted(p.name for p in folder.glob(pattern) if p.is_file())
    return names


def write_gap_report(result: GapResult, out_dir: str | Path) -> list[Path]:
    """Write every table, ``summary.json``, ``gap_report.xlsx`` and ``gap_report.html`` to ``out_dir``.

    Per segment column ``c`` of ``--by`` there are also ``items_by_c.csv``,
    ``dimensions_by_c.csv`` and ``sq_by_c.csv``, plus one ``segment_tests.csv``. The folder
    is put in place whole: on any failure ``out_dir`` is left as it was; files of the user's
    in it are never touched.

    Returns:
        The paths written.
    """
    from voiceofcustomer.report.folder import OutputFolder

    folder = OutputFolder(out_dir, "gap", legacy=gap_file_names)
    with folder as build:
        written = _write_files(result, build)
    return [folder.final(p) for p in written]


def _write_files(result: GapResult, out: Path) -> list[Path]:
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
    return ZH["servqual"].get(dim, dim)


#: Chinese headings of the report's tables (the CSV/xlsx keep the English ids for scripts).
COLUMN_ZH = {
    "item_id": "题号", "e_text": "期望题（E）", "p_text": "感知题（P）", "dimension": "维度", "n": "有效样本",
    "mean_e": "期望均值", "mean_p": "感知均值", "gap": "差距 P−E", "item_gap_mean": "各题差距均值", "ci_low": "95%CI 下限", "ci_high": "95%CI 上限",
    "p_value": "p 值", "reverse": "反向题", "sd_gap": "差距标准差", "t": "t 值",
    "alpha_e_if_deleted": "删除后 α(E)", "alpha_p_if_deleted": "删除后 α(P)",
    "r_item_rest_e": "题总相关(E)", "r_item_rest_p": "题总相关(P)",
    "alpha_e": "α(E)", "alpha_p": "α(P)", "n_items": "题数", "n_alpha_e": "α 样本(E)", "n_alpha_p": "α 样本(P)",
    "importance": "重要性（百分）", "segment": "分组", "n_respondents": "受访者数", "sq": "SQ（维度差距均值）",
    "sq_sum": "SQ = Σ(Pᵢ−Eᵢ)", "sq_weighted": "加权 SQ", "p_vs_rest": "与其余组比较 p 值", "by": "分组变量",
    "scope": "范围", "test": "检验", "statistic": "统计量", "row": "行", "respondent": "受访者", "column": "列",
    "value": "值", "problem": "问题", "test_note": "检验说明", "alpha_e_note": "α 说明(E)", "alpha_p_note": "α 说明(P)",
    # the segment tests (until 7 Dec 2026 the page headed them n_segments, anova_f … significant, with False/True)
    "n_segments": "分组数", "anova_f": "方差分析 F", "anova_p": "方差分析 p 值", "welch_f": "Welch F",
    "welch_df1": "Welch 自由度1", "welch_df2": "Welch 自由度2", "welch_p": "Welch p 值",
    "significant": "差异显著（Welch p < 0.05）",
}

#: The problems' reasons (English in problems.csv and on stderr) in the page's language; until 7 Dec 2026 the
#: page's 无效答案 table said 'rating outside 1–7' and 'not a number' under its Chinese headings.
PROBLEM_ZH = (
    (re.compile(r"^not a number$"), "不是数字"),
    (re.compile(r"^rating outside (\S+)$"), r"评分超出 \1"),
    (re.compile(r"^importance points outside (\S+)$"), r"重要性分值超出 \1"),
    (re.compile(r"^completion time not read .*$"), "无法识别的作答用时（请写成 125、125秒 或 2分5秒）；该受访者未做过快作答筛查"),
    (re.compile(r"^respondent id also in row (\d+); both rows are counted$"), r"受访者编号与第 \1 行相同；两行都计入"),
)


def _problem_zh(problem) -> str:
    return said_in(problem, PROBLEM_ZH)

#: The notes of the tables (``test_note``, ``alpha_e_note``, ``alpha_p_note``; stable English codes in the CSV/xlsx
#: and summary.json) in the page's language: of the paired t-test, and of Cronbach's α.
TEST_NOTE_ZH = {"no variance": "无差异（所有受访者的差距相同），无法检验", "too few respondents": "受访者不足 2 人，无法检验"}
ALPHA_NOTE_ZH = {"no variance": "无差异（所有受访者回答相同），无法计算", "too few respondents": "受访者不足 2 人，无法计算",
                 "one item": "只有一道题，无法计算", "few respondents": f"受访者不足 {ALPHA_MIN_N} 人，α 仅供参考",
                 "item without variance": "有题目无差异，α 偏低", "sum without variance": "各题相互抵消，无法计算"}
#: On the page, the commonest α note (every store of a small survey has it, in both α 说明 columns) is one mark
#: per cell, said once under the table (:func:`_page_table`): the sentence in every cell made the table unreadable.
FEW_MARK = "※"
FEW_LEGEND = f"{FEW_MARK} {ALPHA_NOTE_ZH['few respondents']}（人数见 α 样本列）"


def _note_zh(note, words: dict) -> str:
    if not isinstance(note, str) or not note:
        return ""
    return "；".join(words.get(part, part) for part in note.split("; "))


def _zh_table(df: pd.DataFrame, codebook: pd.DataFrame | None = None, *, mark_few: bool = False) -> pd.DataFrame:
    """Chinese headings, dimension names in Chinese, and the item wording beside each id. ``mark_few``: the α
    note ``few respondents`` as :data:`FEW_MARK` (the page says what it means once, under the table)."""
    out = df.copy()
    if codebook is not None and "item_id" in out.columns:
        text = codebook.set_index("item_id")[["e_text", "p_text"]]
        pos = list(out.columns).index("item_id") + 1
        for k, col in enumerate(("e_text", "p_text")):
            out.insert(pos + k, col, out["item_id"].map(text[col]))
    if "dimension" in out.columns:
        out["dimension"] = out["dimension"].map(_dim_label)
    if "scope" in out.columns:
        out["scope"] = out["scope"].map(lambda s: "总体" if s == "overall" else _dim_label(s))
    if "reverse" in out.columns:  # Why: the page's 反向题 column read True/False under Chinese headings
        out["reverse"] = out["reverse"].map(lambda r: "是" if bool(r) else "否")
    if "significant" in out.columns:  # empty when the segments could not be tested
        out["significant"] = out["significant"].map(lambda v: "" if v is None or v is pd.NA or (
            isinstance(v, float) and math.isnan(v)) else ("是" if bool(v) else "否"))
    if "problem" in out.columns:
        out["problem"] = out["problem"].map(_problem_zh)
    alpha_words = {**ALPHA_NOTE_ZH, "few respondents": FEW_MARK} if mark_few else ALPHA_NOTE_ZH
    for col, words in (("test_note", TEST_NOTE_ZH), ("alpha_e_note", alpha_words), ("alpha_p_note", alpha_words)):
        if col in out.columns:
            out[col] = out[col].map(lambda v: _note_zh(v, words))
    return out.rename(columns=COLUMN_ZH)


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
    fig.update_layout(title="各维度差距 P − E（95% 置信区间）", yaxis_title="差距", showlegend=False)
    fig.add_hline(y=0, line_color="#555")
    parts.append(_figure_html(fig, "gap-dimensions"))
    for dim in dims["dimension"]:
        sub = items[items["dimension"] == dim]
        codebook = result.codebook if result.codebook is not None else items.assign(e_text="", p_text="")
        text = codebook.set_index("item_id").reindex(sub["item_id"])
        hover = [_e(f"E：{e}　P：{p}　n={n}") for e, p, n in zip(text["e_text"], text["p_text"], sub["n"])]
        fig = go.Figure(_ci_bars(sub, "gap", [_e(i) for i in sub["item_id"]], hover))
        fig.update_layout(title=_e(f"{_dim_label(dim)}：各题差距（95% 置信区间）"), yaxis_title="差距", showlegend=False)
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
        title, x_title = "重要性—表现分析（维度）", "重要性（平均分配分数，满分 100）"
    else:
        x, y = result.items["mean_e"], result.items["mean_p"]
        labels = [_e(i) for i in result.items["item_id"]]
        title = "重要性—表现分析（各题；问卷无重要性分配题，以期望代替重要性）"
        x_title = "期望均值"
    fig = go.Figure(go.Scatter(x=x, y=y, mode="markers+text", text=labels, textposition="top center",
                               marker={"size": 12, "color": "#2c7fb8"}))
    x_mean, y_mean = x.mean(), y.mean()  # pandas: NaN-skipping, NaN (not a warning) when empty
    if pd.notna(x_mean) and pd.notna(y_mean):  # quadrant lines at the means
        fig.add_vline(x=float(x_mean), line_dash="dot", line_color="#888")
        fig.add_hline(y=float(y_mean), line_dash="dot", line_color="#888")
    fig.update_layout(title=_e(title), xaxis_title=_e(x_title), yaxis_title="感知均值",
                      showlegend=False)
    return _figure_html(fig, "importance-performance", 480, categories=False)


def _segment_chart(by: str, seg, div_id: str) -> str:
    import plotly.graph_objects as go

    segments = seg.sq["segment"].tolist()
    if len(segments) <= _GROUPED_BAR_SEGMENTS:
        fig = go.Figure([go.Bar(name=_e(s), x=[_e(_dim_label(d)) for d in g["dimension"]], y=g["gap"])
                         for s, g in seg.dimensions.groupby("segment", sort=False)])
        fig.update_layout(barmode="group", title=_e(f"按{by}分组的维度差距"), yaxis_title="差距", showlegend=True)
    else:
        fig = go.Figure(go.Bar(x=[_e(s) for s in segments], y=seg.sq["sq"]))
        fig.update_layout(title=_e(f"按{by}分组的 SQ"), yaxis_title="SQ", showlegend=False)
    return _figure_html(fig, div_id)


def _table_html(df: pd.DataFrame) -> str:
    return df.to_html(index=False, escape=True, na_rep="", float_format=lambda v: f"{v:.3f}", border=0,
                      classes="t")


def _page_table(df: pd.DataFrame, codebook: pd.DataFrame | None = None) -> str:
    """A table of the page, its α notes of few respondents marked :data:`FEW_MARK` in the cell and said once
    under the table (until 7 Dec 2026 「受访者不足 30 人，α 仅供参考」 stood in both α 说明 columns of every row)."""
    zh = _zh_table(df, codebook, mark_few=True)
    notes = [COLUMN_ZH[c] for c in ("alpha_e_note", "alpha_p_note") if COLUMN_ZH[c] in zh.columns]
    marked = any(zh[c].astype(str).str.contains(FEW_MARK, regex=False).any() for c in notes)
    return _table_html(zh) + (f"<p class=\"legend\">{_e(FEW_LEGEND)}</p>" if marked else "")


#: How far a dimension's gap and the mean of its items' gaps may be apart before the page says why (both are shown
#: to three decimals: 0.005 is a visible difference).
ITEM_GAP_NOTE_AT = 0.005


def _item_gap_note(dims: pd.DataFrame) -> str:
    """A line under the dimensions table when a dimension's gap (the mean of the respondents' dimension gaps) and
    the mean of its items' gaps (the product spec's dimension score) differ by :data:`ITEM_GAP_NOTE_AT` or more:
    respondents skipped items (blank, 不适用), each one's dimension gap averaging the items they answered."""
    apart = dims[(dims["gap"] - dims["item_gap_mean"]).abs() >= ITEM_GAP_NOTE_AT - 1e-12]
    if apart.empty:
        return ""
    said = "、".join(f"{_dim_label(r.dimension)} {r.gap:.3f} 与 {r.item_gap_mean:.3f}" for r in apart.itertuples())
    return ("<p class=\"legend\">" + _e(f"注：{said}：维度差距（差距 P−E）是各受访者维度差距的平均，每人只平均其回答了的题；"
            "各题差距均值是该维度各题差距的平均（产品规格的维度得分）。有受访者未答部分题目（留空或不适用）时两者不同，"
            "数据完整时相等。置信区间和检验按维度差距计算。") + "</p>")


def _left_out_note(s: dict) -> str:
    """Why the respondents not in the tables are left out, each counted once, so that 有效受访者 plus these is
    every row (the page said only the speeders: 184 / 191 with 5 speeders), and speeders named and kept."""
    sp, out = s.get("speeders"), s.get("left_out", {})
    parts = []
    if out.get("without_pairs"):
        parts.append(f"没有一道题同时回答期望和感知的 {out['without_pairs']} 人")
    if out.get("listwise"):
        parts.append(f"有缺失或无效答案的 {out['listwise']} 人（成列删除）")
    if sp and sp["n"] and sp["dropped"]:
        share = "三分之一" if abs(sp["fraction"] - 1 / 3) < 1e-9 else f"{sp['fraction']:.0%}"
        parts.append(f"已剔除过快作答 {out.get('speeders', sp['n'])} 人：用时不足中位数 {sp['median_seconds']:.0f} 秒的{share}")
    st = s.get("straight_lining")  # a summary of an earlier run has none
    if out.get("straight_liners"):
        parts.append(f"已剔除直线作答 {out['straight_liners']} 人（所有期望题同一答案、所有感知题也同一答案）："
                     + _rows_zh(st))
    n = sum(out.values())
    note = f"（未计入 {n} 人：{'；'.join(parts)}）" if n else ""
    # those in the tables: a straight-lining speeder left out by the other option is not 含 (a summary of an earlier
    # run has no n_in_tables)
    if sp and sp["n"] and not sp["dropped"] and sp.get("n_in_tables", sp["n"]):
        note += f"（含过快作答 {sp.get('n_in_tables', sp['n'])} 人，见数据提示）"
    if st and st["n"] and not st["dropped"] and st.get("n_in_tables", st["n"]):
        note += f"（含直线作答 {st.get('n_in_tables', st['n'])} 人，见数据提示；可用 --drop-straight-liners 剔除）"
    return note


def _rows_zh(entry: dict | None) -> str:
    """'第 5 [r4]、6 [r5] 行' of a summary entry with ``rows`` and ``respondents`` (ids shown when not the rows)."""
    if not entry or not entry.get("rows"):
        return ""
    shown = "、".join(f"{r}" + ("" if str(r) == str(i) else f" [{_e(i)}]")
                      for r, i in zip(entry["rows"][:10], entry["respondents"][:10]))
    return f"第 {shown}{' …' if len(entry['rows']) > 10 else ''} 行"


#: The missing-answer policy in the page's language (summary.json's missing_policy_note says it in English).
_POLICY_ZH = {"pairwise": "成对删除（pairwise）：每道题用同时回答了其期望和感知的受访者，维度得分取受访者所答各题的平均",
              "listwise": "成列删除（listwise）：只用每道题的期望和感知都有效回答的受访者"}


#: What each data warning is, in the page's language (the message after it keeps the rows and numbers).
WARNING_TITLES = {
    "dimensions_without_items": "编码表中没有题目的维度", "duplicate_respondents": "重复的受访者编号",
    "header_rows_skipped": "表头下方的说明行已跳过", "title_row_skipped": "表头上方的标题行已跳过",
    "importance_partly_blank": "重要性分值部分留空",
    "importance_rescaled": "重要性分值之和不等于总分，已按比例换算", "importance_unusable": "重要性分值无法使用",
    "importance_only_unmeasured": "重要性分值全部给了没有题目的维度",
    "invalid_importance": "重要性分值超出范围或不是数字", "invalid_ratings": "期望/感知评分超出量表或不是数字",
    "items_without_answers": "无人同时回答期望和感知的题目", "listwise_dropped": "成列删除的受访者",
    "low_alpha": "维度信度偏低（Cronbach's α）", "missing_answers": "期望/感知评分留空",
    "negative_item_rest": "题目与同维度其他题目负相关（可能是反向题）", "no_importance": "没有重要性分配题",
    "not_applicable_answers": "“不适用/不清楚”的回答（视为无意见）",
    "numbered_segments": "分组列是数字（可能是营业厅题的选项序号）",
    "option_numbers": "分组题的答案像是选项序号（未换成选项文字）", "option_numbers_read": "分组题的选项序号已按问卷换成选项文字", "platform_export": "已按题目文字对应问卷平台导出的列",
    "respondents_without_pairs": "没有成对回答的受访者", "scale_hint": "评分取值范围提示（量表点数）",
    "segment_too_small": "人数过少的分组", "speeders": "过快作答", "straight_lining": "直线作答（所有题目同一答案）",
    "unmapped_columns": "未对应到编码表的导出列", "unreadable_durations": "无法识别的作答用时",
    "unused_columns": "未使用的列", "test_undefined": "配对 t 检验无法进行", "segment_test_undefined": "分组的配对 t 检验无法进行",
    "alpha_few_respondents": "信度（Cronbach's α）所基于的受访者过少", "alpha_undefined": "信度（Cronbach's α）无法计算",
    "segment_alpha_few_respondents": "分组的信度（Cronbach's α）所基于的受访者过少",
    "item_without_variance": "所有受访者回答相同的题目"}


def _warning_item(w: dict) -> str:
    title = WARNING_TITLES.get(w["kind"], w["kind"])
    count = f"（{w['count']}）" if w.get("count") else ""
    # the Chinese message (summary.json keeps the English one beside it); a summary of an earlier run has none
    return f"<li><b>{_e(title)}</b>{count}：{_e(w.get('message_zh') or w['message'])}</li>"


def _weighted_n_note(s: dict) -> str:
    """The weighted SQ rests on the respondents with usable importance points, which may be fewer than the
    有效受访者 the page names below it (until 7 Dec 2026 it did not say so)."""
    n_w, n_used = s.get("n_weighted"), s.get("n_used")
    if s.get("sq_weighted") is None or n_w is None or n_w == n_used:
        return ""
    return f"（基于重要性分值可用的 {n_w} 人，不是全部 {n_used} 名有效受访者）"


def render_html(result: GapResult) -> str:
    """The report page in Chinese: both SQ forms, warnings, charts and tables; plotly.js is inlined."""
    from plotly.offline import get_plotlyjs

    s = result.summary
    fmt = lambda v: "—" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{v:.3f}"  # noqa: E731
    warnings = "".join(map(_warning_item, s["warnings"])) or "<li>无</li>"
    cb = result.codebook
    head = (
        "<table class=\"t sq\"><tr><th>指标</th><th>数值</th><th>含义</th></tr>"
        f"<tr><td>SQ = Σ(Pᵢ − Eᵢ)</td><td>{fmt(s.get('sq_sum'))}</td>"
        f"<td>{s['n_items']} 道题的差距之和（调研方案的口径；题数不同的问卷之间不可直接比较）</td></tr>"
        f"<tr><td>SQ（维度差距均值）</td><td>{fmt(s['sq'])}</td>"
        "<td>各维度差距的平均值（每个维度同等权重；题数不同的问卷之间可比较）</td></tr>"
        f"<tr><td>加权 SQ</td><td>{fmt(s['sq_weighted'])}</td><td>按受访者分配给五个维度的重要性加权的维度差距"
        f"{_weighted_n_note(s)}</td></tr>"
        "</table>"
        f"<p>有效受访者 {s['n_used']} / {s['n_respondents']}{_left_out_note(s)}；缺失处理：{_POLICY_ZH.get(s['missing_policy'], _e(s['missing_policy_note']))}</p>")
    body = [f"<h1>SERVQUAL 服务质量差距分析</h1><p>答卷：{_e(s['responses'])} · 编码表：{_e(s['codebook'])}</p>", head,
            f"<h2>数据提示</h2><ul>{warnings}</ul>", "<h2>图表</h2>", *_charts(result),
            "<h2>各维度</h2>", _page_table(result.dimensions), _item_gap_note(result.dimensions),
            "<h2>各题</h2>", _table_html(_zh_table(result.items, cb))]
    for by, seg in result.segments.items():
        body += [f"<h2>分组：{_e(by)}</h2>", _table_html(_zh_table(seg.sq)),
                 f"<h3>各维度（按{_e(by)}）</h3>", _page_table(seg.dimensions),
                 f"<h3>组间差异检验（按{_e(by)}）</h3>", _table_html(_zh_table(seg.tests))]
    if len(result.problems):
        body += [f"<h2>无效答案（{len(result.problems)} 个；按缺失处理）</h2>",
                 _table_html(_zh_table(result.problems.head(_HTML_PROBLEM_ROWS)))]
        if len(result.problems) > _HTML_PROBLEM_ROWS:
            body.append("<p>… 完整列表见 problems.csv</p>")
    style = ("body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;max-width:1300px}"
             "table.t{border-collapse:collapse;font-size:13px}table.t td,table.t th{border-bottom:1px solid #ddd;"
             "padding:3px 8px;text-align:right}table.t td:nth-child(2),table.t td:nth-child(3){text-align:left}")
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>SERVQUAL 服务质量差距分析</title>"
            f"<style>{style}</style><script type=\"text/javascript\">{get_plotlyjs()}</script></head><body>"
            + "\n".join(body) + "</body></html>")
