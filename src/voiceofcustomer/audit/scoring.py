"""Mystery-shopping store checks (暗访): weighted visit scores, aspect sub-scores,
one-vote vetoes, store rankings within tier and change between waves.

Why the rules are what they are (they follow the service-quality research plans
this tool serves):

- A checklist groups items by aspect (服务意识, 人员质量, 过程质量, 环境设施,
  服务结果, 主动营销 …). Each item has a weight *per store tier* (省内 / 省外 /
  核心店, or any tier names a team uses, e.g. by traffic), because what matters in
  a flagship store is not what matters in a small one.
- An item's result is a pass/fail (是/否, 通过/不通过, √/×, 1/0) or a score out of
  its ``max_score``; it counts as the fraction achieved. A partial result (部分, 部分达标, △) counts as
  the share of the item's points the team's scheme gives it (``partial=0.5``, the usual convention: half),
  and is left out of both sums like 不适用 when no share is given (the default, as before), each one
  listed and counted, so no one reads a score that left them out without knowing.
- Visit score = 100 · Σ wᵢ·sᵢ / Σ wᵢ over the items checked on that visit (an item
  marked 不适用 / N/A is left out of both sums, so a store is not punished for a
  service it does not offer). Aspect sub-score: the same within one aspect.
- An item phrased as the fault (未佩戴工牌, 泄露客户信息) is marked 反向 (``reverse``) in the checklist: its
  是 / √ / 1 says the fault happened and scores 0, its 否 / × / 0 scores full.
- A veto item (一票否决) that is not fully achieved vetoes the visit: its score
  becomes 0 (``veto_mode="zero"``, the plans' rule) or keeps its value with a flag
  (``veto_mode="flag"``); the vetoing items are listed either way.
- A visit submitted twice (same store, date and checker, results the same in all but at most one item in
  ten) is scored once, the later submission; the earlier one is listed, not dropped silently. With a store
  code column (门店编码) a store is its code, shown by its latest name.
- A store's score in a wave is the mean of its visits in that wave; stores are
  ranked within their tier (1 = best; ties share the better rank), and the change
  is this wave minus the store's previous wave (waves in date order, see
  :func:`wave_order`).
- Weights may be revised from a ``voc gap`` result: an item's weight is multiplied
  by how much its SERVQUAL dimension matters (importance points) and how far it
  falls short (the gap), normalised so the weights keep their total.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from voiceofcustomer.errors import ColumnError, InputError, closest_column, column_guess, no_by_column
from voiceofcustomer.io.readers import (WORKBOOK_SUFFIXES, check_input_file, check_sheet_option, check_unique_columns,
                                        csv_separator, detect_encoding, input_sheet, merged_down, open_workbook,
                                        parser_error, read_excel_sheet, title_above_header, workbook_sheet)
from voiceofcustomer.statements import number_param, path_param, table_param, truthy

__all__ = ["AuditResult", "read_input_table", "read_checklist", "read_visits", "score_audit", "weights_from_gap",
           "read_gap_dimensions", "visit_dates", "wave_order", "VETO_MODES"]

VETO_MODES = ("zero", "flag")

# Column names teams use, canonical name first.
_CHECKLIST_NAMES = {
    "aspect": ("aspect", "方面", "检查方面", "考核方面", "维度分类", "类别"),
    "item_id": ("item_id", "编号", "项目编号", "序号", "检查项编号"),
    "item": ("item", "检查项目", "项目", "检查项", "考核项目"),
    "description": ("description", "说明", "描述", "评分标准", "检查标准"),
    "veto": ("veto", "一票否决", "否决项"),
    "reverse": ("reverse", "反向", "反向计分", "反向题", "反向项"),
    "dimension": ("dimension", "维度", "servqual", "SERVQUAL维度", "服务质量维度"),
    "max_score": ("max_score", "满分", "分值"),
}
_VISIT_NAMES = {
    "store": ("store", "门店", "营业厅", "网点", "厅店", "门店名称", "营业厅名称", "网点名称", "厅店名称"),
    "tier": ("tier", "门店类型", "门店类别", "门店级别", "门店等级", "级别", "厅店类别", "类别"),  # 门店类别: the report's
    "date": ("date", "日期", "检查日期", "暗访日期", "暗访时间", "检查时间", "访问日期", "到店日期"),
    "wave": ("wave", "批次", "期次", "轮次"),
    "visit_id": ("visit_id", "暗访编号", "检查编号"),
    "item_id": ("item_id", "编号", "项目编号", "检查项编号", "序号"),
    "score": ("score", "得分", "结果", "是否达标", "检查结果"),
    "note": ("note", "备注", "说明", "评语", "评价", "comment", "扣分原因", "问题描述"),
    "store_code": ("store_code", "store_id", "门店编码", "网点编码", "厅店编码", "门店代码", "网点代码", "门店编号",
                   "网点编号", "厅店编号", "门店ID"),
    "auditor": ("auditor", "暗访员", "检查员", "检查人", "访员", "暗访人员", "评估员"),
}
#: a visit column's name in messages (门店 for store)
_VISIT_SAID = {"store": "门店", "tier": "门店类型", "item_id": "编号", "score": "得分"}
#: how many results of two submissions of one visit may differ for the second to be the first sent again: one in
#: ten of the items either records (at least one: a checker who corrected an answer and sent the form again)
_NEAR_SAME = 0.1
#: visits with no gap longer than this many days are one round of visits (a wave), for the month-end check
_ROUND_GAP_DAYS = 14
# 权重_核心店, weight_省内, 权重(核心店), 权重（省外）, 核心店权重, 核心店_权重: the tier is what is left.
_WEIGHT_COL = re.compile(r"^(?:weight|权重)[_:：\-\s]*[(（]?\s*(?P<tier>[^()（）]+?)\s*[)）]?$"
                         r"|^(?P<tier_first>[^()（）]+?)[_\-\s]*(?:weight|权重)$", re.IGNORECASE)
# Each pass word's negations fail: 不达标 and 未通过 are written as often as 未达标 and 不通过. Why: read as
# "not a score", a 不达标 on a veto item vetoed nothing and a failed item was left out of the visit's score.
_PASS = {"是", "通过", "合格", "达标", "符合", "√", "✓", "✔", "pass", "yes", "y", "true", "t", "ok"}
_FAIL = {"否", "不通过", "未通过", "不合格", "不达标", "未达标", "不符合", "×", "✗", "✘", "x", "fail", "no", "n",
         "false", "f"}
#: a partial result (部分符合, △ on a √/△/× form): counted as ``partial=`` of the item's points, else left out
_PARTIAL = {"部分", "部分达标", "部分符合", "部分合格", "部分通过", "部分做到", "部分完成", "△", "partial", "partly",
            "partially"}
_NOT_APPLICABLE = {"不适用", "n/a", "na", "无此项", "-", "/", "—", "——", "不涉及"}  # read after NFKC: ／ is /
# What a checklist's 一票否决 column holds: 是/√/★ for a veto item, 否 or blank for the others.
_VETO_MARKS = {"★", "✓", "✔", "●", "否决", "一票否决"}
_NOT_VETO = {"", "否", "0", "0.0", "no", "n", "false", "f", "×", "✗", "不是", "无", "-"}
# An item phrased as the fault itself (未佩戴工牌, 没有道别): 是 says the fault happened, so it must be marked 反向.
_FAULT_WORDING = re.compile(r"^(?:未|没有|没)")
_DIMENSIONS = {"tangibles": "有形性", "reliability": "可靠性", "responsiveness": "响应性",
               "assurance": "保证性", "empathy": "移情性"}
_DIMENSION_IDS = {**{k: k for k in _DIMENSIONS}, **{v: k for k, v in _DIMENSIONS.items()}}


@dataclass
class AuditResult:
    """Everything ``voc audit`` reports.

    Attributes:
        visits: One row per visit: ``visit_id, store, tier, wave, date, score, raw_score,
            vetoed, veto_items, n_items`` (items the store's tier weighs, scored), ``n_not_applicable`` (those
            marked 不适用), ``n_missing`` (checklist items of the
            store's tier without a result in the visit — no row, or an empty cell; each is listed in ``problems``), ``n_invalid``
            (results that are not a result or are out of the item's range, left out and listed), ``n_partial``
            (its 部分 results: counted as ``settings["partial"]`` of their points, or left out when that is None),
            ``note`` (the checkers' comments, 评语 / 备注: one on every row of the visit as it is, an item's as
            ``A2：…``).
        aspects: One row per visit and aspect: ``visit_id, store, tier, wave, aspect, score``.
        stores: One row per store and wave: ``store, tier, wave, n_visits, score, rank_in_tier,
            n_in_tier, change, tier_change, vetoed_visits``; ``tier_change`` is ``普通店→核心店`` when the
            store's tier is not its previous wave's (then the change compares scores under two tiers' weights),
            else empty.
        store_aspects: Mean aspect sub-score per store and wave (wide: one column per aspect).
        vetoes: One row per failed veto item: ``visit_id, store, tier, wave, item_id, item, note``.
        problems: Rows that could not be scored, with the reason (never silently dropped),
            checklist items a visit has no row for (``row`` empty), and visits with no score (every result
            不适用: ``row`` and ``item_id`` empty); ``file`` names the visits file.
        checklist: The checklist as used (weights per tier after any revision).
        failed: One row per scored result short of full (否, points under 满分, 部分 when counted), with the
            checker's comment: ``store, tier, wave, date, visit_id, aspect, item_id, item, result, veto, note``.
        items: How each checklist item did, one row per wave, item and store tier that weighs it (and one of
            every tier, ``tier`` 全部, for an item two or more tiers weigh): ``wave, aspect, item_id, item, tier,
            n_visits`` (the tier's visits in the wave), ``n_scored, full_pct`` (% of the scored results at full
            marks), ``failed_pct`` (% at 0 points), ``mean_pct`` (mean share of the points, %), ``n_not_applicable,
            n_missing, n_invalid, n_partial, n_veto_failed``; items by their failed share (all tiers), highest
            first, within each wave.
        groups: With ``read_visits(by="城市")``, the scores per value of that column and wave: ``城市, wave,
            n_stores, n_visits, store_score, visit_score, vetoed_visits`` (None without); ``visits`` has the
            column too, after ``tier``.
        settings: ``stores_not_visited`` and ``stores_new`` ({wave: [store …]}: the previous wave's stores with
            no visit in the wave, and the stores with no visit in any earlier wave: no change), ``veto_mode``, ``partial`` (the share a 部分 result counts, None: left out) and ``n_partial``
            (how many there were), tiers, waves, ``duplicates`` (visits submitted twice: the rows left out and
            kept), ``stores_renamed`` ({store code: [names, first to last]}) and ``store_codes`` (whether the
            stores are known by a code column), ``month_splits`` (rounds of visits that month waves cut in two),
            and the weight revision applied (if any).
    """

    visits: pd.DataFrame
    aspects: pd.DataFrame
    stores: pd.DataFrame
    store_aspects: pd.DataFrame
    vetoes: pd.DataFrame
    problems: pd.DataFrame
    checklist: pd.DataFrame
    settings: dict = field(default_factory=dict)
    failed: pd.DataFrame = field(default_factory=pd.DataFrame)
    items: pd.DataFrame = field(default_factory=pd.DataFrame)
    groups: pd.DataFrame | None = None


# -- reading ----------------------------------------------------------------------------------


def read_input_table(path: str | Path, what: str, *, encoding: str | None = None, sheet: str | None = None,
                     choose: str | None = None, names: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """A CSV/TSV/XLSX (XLS, XLSB, ODS) table as text. ``visits.xlsx:6月`` picks that sheet, as ``sheet`` does;
    ``choose`` says how to pick one of several sheets (default: --sheet or FILE.xlsx:SHEET). Given the column
    ``names`` the table should have, a header further down (under a title row or blank rows) stops with
    its row (:func:`_check_header`)."""
    path, sheet = input_sheet(path, sheet)
    check_input_file(path)
    check_sheet_option([path], sheet)
    suffix = path.suffix.lower()
    enc = None
    head_row = 1  # the row pandas took for the header: a CSV's first line with text
    try:
        if suffix in WORKBOOK_SUFFIXES:
            wb = open_workbook(path)
            try:
                name = workbook_sheet(path, wb, sheet, choose=choose)
            finally:
                wb.close()
            df = _fill_merged(read_excel_sheet(path, name, dtype=str), merged_down(path, name))
            wb = open_workbook(path)
            try:  # the header as the sheet has it: pandas made 得分.1 of a second 得分
                check_unique_columns(path, next(wb[name].iter_rows(values_only=True, max_row=1), ()))
            finally:
                wb.close()
        elif suffix in (".csv", ".tsv"):
            enc = encoding or detect_encoding(path)
            sep = "\t" if suffix == ".tsv" else csv_separator(path, enc)  # a tab-separated .csv: Excel's "Unicode text"
            # Blank lines above the header are skipped, and each row's index is its line − 2 (as in a
            # workbook: index + 2 is the row). Why: pandas took a blank first line for the header (two stopped
            # the run, one read every row as one column) or skipped them, and then every row named in a
            # message or problems.csv was as many lines off as there were blank lines above the header.
            above = _blank_lines_above(path, enc, sep)
            with open(path, encoding=enc, newline="") as fh:  # the header as the file has it (see above)
                for _ in range(above):
                    next(fh, None)
                check_unique_columns(path, next(csv.reader(fh, delimiter=sep), []))
            kwargs = dict(dtype=str, encoding=enc, sep=sep, keep_default_na=False, skipinitialspace=True,
                          skiprows=above)
            lines = None
            try:  # blank lines kept (then dropped below), so that a row's number is its line
                df = pd.read_csv(path, skip_blank_lines=False, **kwargs)
            except (pd.errors.EmptyDataError, pd.errors.ParserError):  # a title line, then a blank line
                df = pd.read_csv(path, **kwargs)
                lines = _record_lines(path, enc, sep)  # the blank lines were skipped: each row's line from the file
            if not isinstance(df.index, pd.RangeIndex):
                # Rows with more cells than row 1 (a title line, or a header that does not name the last
                # columns): pandas took their first cells as an index, and every column shifted by as many.
                head = list(df.columns)
                df = df.reset_index()
                df.columns = head + [f"Unnamed: {i}" for i in range(len(head), df.shape[1])]
            if lines is not None and len(lines) == len(df) + 1:  # the header's line, then each row's
                df.index = pd.Index(lines[1:]) - 2
                head_row = lines[0]
            else:
                df.index = df.index + above
                head_row = above + 1
        else:
            raise InputError(f"{path}: unsupported {what} file type {path.suffix!r}; use .csv, .xlsx (or .xls, .xlsb, "
                             ".ods)")
    except UnicodeDecodeError:
        raise InputError(f"{path}: cannot decode the {what}; try encoding='gbk' (or utf-8)",
                         params=("encoding",)) from None
    except pd.errors.ParserError as exc:
        raise parser_error(path, exc) from None
    except ValueError as exc:  # e.g. a sheet name that does not exist
        raise InputError(f"{path}: {exc}") from None
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    df = df.fillna("")
    title = None
    if names is not None:
        df = _two_row_header(df, names, path)
        df, title = _under_title(df, names, path, head_row)
        _check_header(df, names, path, encoding=enc, sep=sep if enc else None)
    # Blank rows (a sheet's spacing between blocks) are not records: dropped, each row keeping its
    # number (index + 2). Why: a blank row in a workbook's visits stopped the run ("row 3: date '' is
    # not a date"), and after a CSV's blank line every row named in problems.csv was one line off.
    df = df[df.astype(str).apply(lambda c: c.str.strip()).ne("").any(axis=1)]
    if df.empty:
        raise InputError(f"{path}: no data rows under the header; export the {what} again")
    df.attrs["source"] = str(path)
    if title is not None:  # (title, the header's row): said in the run's notes
        df.attrs["title_row"] = title
    return df


def _under_title(df: pd.DataFrame, names: dict[str, tuple[str, ...]], path: Path,
                 head_row: int = 1) -> tuple[pd.DataFrame, tuple | None]:
    """A sheet whose header is under a title row (``2026年11月门店暗访评分表`` alone in A1, often merged across;
    blank rows above or under the title aside) read with that header, each row keeping its number: ``(table, (title,
    the header's row, the title's row))``, ``head_row`` the row pandas read the header from; the table as it is and None when there is no such title
    (:func:`~voiceofcustomer.io.readers.title_above_header`, the rule ``voc gap`` reads its responses by; the header
    names two of the columns ``names`` lists). Why: the title row stopped the run ('row 2 looks like the header …;
    delete the rows above it'), where ``voc gap`` read it."""
    cells = [["" if str(c).startswith("Unnamed:") else str(c).strip() for c in df.columns]]
    cells += [[str(c).strip() for c in df.iloc[j]] for j in range(min(10, len(df)))]
    filled = [j for j, row in enumerate(cells) if any(row)]
    if len(filled) < 2:
        return df, None
    first, second = filled[:2]
    header = cells[second]

    def under(row: list[str]) -> pd.DataFrame:  # the rows under the title, headed by its row ``second``
        out = df.iloc[second:].copy()  # the header's row is df's row second - 1
        out.columns = [h or f"Unnamed: {i}" for i, h in enumerate(row)]
        return out

    # The header under the title may be two rows under merged cells (门店信息 over 门店, 门店类型; 权重 over
    # 旗舰店, 社区店), read as one by _two_row_header. Why: a title over such a header (as WPS or 问卷星 export a
    # sheet) stopped with 'row 3: max_score '满分' is not a positive number' or 'row 3 looks like the header'.
    two_rows = _two_row_header(under(header), names, path) if len(df) > second else None
    title = title_above_header(cells[first], header, lambda row: _known_names(row, names) >= 2 or (
        two_rows is not None and two_rows.shape[0] < len(df) - second))
    if title is None:
        return df, None
    check_unique_columns(path, [h for h in header if h])
    out = two_rows if two_rows is not None else under(header)
    # a header of two rows (门店信息 over 门店 …) ends a row lower: said as rows 2–3, not row 2
    last = int(df.index[second]) + 2 if two_rows is not None and two_rows.shape[0] < len(df) - second else None
    return out, (title, int(df.index[second - 1]) + 2, head_row if first == 0 else int(df.index[first - 1]) + 2, last)


def _fill_merged(df: pd.DataFrame, merged: list[tuple[int, int, int]]) -> pd.DataFrame:
    """A sheet's cells merged down one column under its header (a visit's 门店, 门店类型, 暗访日期 merged over the
    rows of its items; 方面 over an aspect's items) given their value in every row, as the sheet shows it. A merge
    from row 1 (门店 merged down over a header of two rows) is the header's: left to :func:`_two_row_header`."""
    for col, first, last in merged:
        if first < 2 or col > df.shape[1] or first - 2 not in df.index:
            continue
        rows = [r - 2 for r in range(first + 1, last + 1) if r - 2 in df.index]
        df.iloc[df.index.get_indexer(rows), col - 1] = df.iat[df.index.get_loc(first - 2), col - 1]
    return df


def _row_of(index: pd.Index, mask) -> int:
    """The sheet row of the first true ``mask`` value of a table read by :func:`read_input_table` (its
    index is each row's place under the header, blank rows left out)."""
    return int(index[np.flatnonzero(np.asarray(mask))[0]]) + 2


def _known_names(cells, names: dict[str, tuple[str, ...]]) -> int:
    """How many of ``cells`` name one of the columns in ``names`` (方面, 编号, 门店 …)."""
    aliases = {a.lower() for group in names.values() for a in group}
    return sum(str(c).strip().lower() in aliases for c in cells)


_WEIGHT_PARENT = re.compile(r"^(?:weight|权重)$", re.IGNORECASE)


def _two_row_header(df: pd.DataFrame, names: dict[str, tuple[str, ...]], path: Path) -> pd.DataFrame:
    """A header of two rows under merged cells, as one row: each column is named by its cell in row 2, or by
    row 1's when row 2's is empty (a 门店 cell merged down over both rows); a tier under a merged 权重 cell is
    权重_<tier>. Two forms: row 1 groups the columns (门店信息 over 门店, 门店类型, 日期; 服务意识 over A1, A2, A3)
    and row 2 names them all, or row 1 names some (门店, 方面, 编号) and row 2 the ones under a merged group
    (A1, A2 under 服务意识; 旗舰店, 标准店 under 权重) — row 2 then empty under every column row 1 names. Why: a
    firm's visit sheet and a checklist often head their columns so; the first stopped with 'row 2 looks like the
    header …, under a title ('门店信息')', the second read the sub-header as a data row ('weight '权重' = '旗舰店'
    is not a non-negative number', or 'lack column(s) item_id, score'). Unchanged when neither form fits."""
    if df.empty:
        return df
    top = ["" if str(c).startswith("Unnamed:") else str(c).strip() for c in df.columns]
    # a header cell merged down over both rows under a title holds its name in row 2 too (_fill_merged)
    second = ["" if str(c).strip() == t else str(c).strip() for c, t in zip(df.iloc[0], top)]
    aliases = {a.lower() for group in names.values() for a in group}
    known = [t.lower() in aliases for t in top]
    parents, parent = [], ""
    for t in top:  # a merged cell holds its text in its first column only
        parent = t or parent
        parents.append(parent)
    weights = any(_WEIGHT_PARENT.match(p) and s for p, s in zip(parents, second))
    if sum(known) >= 2:  # row 1 names columns: is row 2 the names under its merged groups?
        if sum(bool(s) for s in second) < 2 or any(s for s, k in zip(second, known) if k):
            return df
    elif sum(bool(t) for t in top) < 2 and not weights:  # one cell: a title (_check_header says so)
        return df
    header = [f"{p}_{s}" if s and _WEIGHT_PARENT.match(p) and s.lower() not in aliases else (s or t)
              for t, s, p in zip(top, second, parents)]
    if _known_names(header, names) < 2 or _known_names(header, names) < sum(known):
        return df
    check_unique_columns(path, header)
    out = df.iloc[1:].copy()
    out.columns = [h or f"Unnamed: {i}" for i, h in enumerate(header)]
    return out


def _check_header(df: pd.DataFrame, names: dict[str, tuple[str, ...]], path: Path, *,
                  encoding: str | None, sep: str | None = None) -> None:
    """Stop with one line when row 1 is not the header but a row further down is (one naming at least
    two of the columns ``names`` lists, among the first 10). Why: a team's sheet often has a title row
    (2026年第四季度营业厅暗访检查表) or blank rows above the header, and the run stopped with 'lacks
    column(s) …; columns are: 2026年…, Unnamed: 1, Unnamed: 2 …', which says nothing of why."""
    if _known_names(df.columns, names) >= 2:
        return
    for j in range(min(10, len(df))):
        cells = df.iloc[j].astype(str).str.strip()
        if _known_names(cells, names) >= 2:
            shown = [c for c in cells if c]
            row = _csv_line(path, encoding, shown, sep) if encoding else j + 2  # pandas skips a CSV's blank lines
            # the first text above it, row 1 or a row under blank ones (a workbook's blank row 1, then the title)
            title = next((c.strip() for c in [*df.columns, *df.iloc[:j].astype(str).to_numpy().ravel()]
                          if c.strip() and not c.startswith("Unnamed:")), "")
            above = f"under a title ({title!r})" if title else "under blank rows"
            raise ColumnError(f"{path}: row {row or j + 2} looks like the header ({', '.join(shown[:4])}"
                              f"{' …' if len(shown) > 4 else ''}), {above}; delete the rows above it so that the "
                              "header is the first row")


def _blank_lines_above(path: Path, encoding: str, sep: str = ",") -> int:
    """How many lines of a CSV above its first line with text are blank: empty, only spaces, or only
    separators (``,,,,``: the blank rows above a sheet's header as Excel saves them as CSV; they
    stopped the run with 'row 3 looks like the header …, under blank rows' where empty lines are
    skipped)."""
    n = 0
    with open(path, encoding=encoding, newline="") as fh:
        for line in fh:
            if line.replace("\ufeff", "").replace(sep, "").strip():
                break
            n += 1
    return n


def _record_lines(path: Path, encoding: str, sep: str) -> list[int]:
    """The row (as a spreadsheet numbers a CSV's records, blank lines counted) of each record of a CSV
    that is not blank — the header's first — as pandas reads them when it skips blank lines."""
    try:
        with open(path, encoding=encoding, newline="") as fh:
            return [n for n, cells in enumerate(csv.reader(fh, delimiter=sep), 1)
                    if len(cells) > 1 or (cells and cells[0].replace("\ufeff", "").strip())]
    except csv.Error:  # a field over the csv module's limit: the rows keep pandas' count
        return []


def _csv_line(path: Path, encoding: str, header: list[str], sep: str | None = None) -> int | None:
    """The line of a CSV whose non-empty cells are ``header`` (pandas skips blank lines, so its row
    count is not the line's), its cells split by ``sep``, the file's separator (by default its
    suffix's: a tab-separated .csv, Excel's "Unicode text", was split by commas, its header never
    found, and the message named the row as if no blank line stood above it)."""
    sep = sep or ("\t" if path.suffix.lower() == ".tsv" else ",")
    with open(path, encoding=encoding, newline="") as fh:
        for n, cells in enumerate(csv.reader(fh, delimiter=sep), 1):
            if [c.strip() for c in cells if c.strip()] == header:
                return n
            if n > 50:
                return None
    return None


def _rename(df: pd.DataFrame, names: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    lower = {c.lower(): c for c in df.columns}
    mapping = {}
    for canon, aliases in names.items():
        for a in aliases:
            hit = lower.get(a.lower())
            if hit is not None and hit not in mapping and canon not in mapping.values():
                mapping[hit] = canon
                break
    return df.rename(columns=mapping)


#: the columns of :func:`read_checklist`'s and :func:`read_visits`' tables that :func:`score_audit` reads
_CHECKLIST_READ = ("item_id", "aspect", "item", "veto", "max_score")  # + reverse, when there is one
_VISITS_READ = ("store", "tier", "item_id", "score", "row", "date", "wave", "visit_id", "file")


def read_checklist(path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read a checklist: ``aspect, item_id, item, weight_<tier>…, veto`` (+ ``description``,
    ``dimension``, ``max_score``, ``reverse``). Chinese headers (方面, 编号, 检查项目, 权重_核心店, 一票否决,
    满分, 反向 …) are understood. A single ``weight`` column applies to every tier.

    ``reverse`` (反向) marks an item phrased as the fault (未佩戴工牌, 泄露客户信息): 是 says it happened. Without
    the column, an item whose text starts with 未 or 没 (未佩戴工牌) stops with its row, as its 是 cannot mean
    the store did well."""
    path = path_param(path, "path", "give the sheet's path: read_checklist reads the team's own headers (方面, 编号, "
                                    "权重_核心店 …) into the frame score_audit(checklist=) takes")
    df = _rename(read_input_table(path, "checklist", encoding=encoding, sheet=sheet,  # --sheet is the visits'
                                  choose=f"by giving the checklist as {input_sheet(path)[0]}:SHEET",
                                  names=_CHECKLIST_NAMES), _CHECKLIST_NAMES)
    src = df.attrs.get("source", str(path))
    missing = [c for c in ("aspect", "item_id") if c not in df.columns]
    if missing:
        raise ColumnError(f"{src}: checklist lacks column(s) {', '.join(missing)}; columns are: "
                          f"{', '.join(df.columns)}")
    weight_cols = {c: _name(m["tier"] or m["tier_first"]) for c in df.columns
                   if c.lower() not in ("weight", "权重") and (m := _WEIGHT_COL.match(c))}
    if "weight" in df.columns or "权重" in df.columns:
        weight_cols[("weight" if "weight" in df.columns else "权重")] = "*"
    if not weight_cols:
        raise ColumnError(f"{src}: checklist has no weight column; add weight_<tier> columns "
                          "(e.g. weight_核心店) or one 'weight' column")
    out = pd.DataFrame({"item_id": df["item_id"].map(_name),
                        "aspect": _filled_down(df["aspect"], "aspect", src),
                        "item": df["item"].astype(str) if "item" in df.columns else df["item_id"],
                        "description": df.get("description", pd.Series("", index=df.index)).astype(str),
                        "veto": _veto_flags(df["veto"], src) if "veto" in df.columns else False,
                        "reverse": (_veto_flags(df["reverse"], src, what="reverse (反向)", marks="an item phrased as "
                                                "the fault, 是 = it happened")
                                    if "reverse" in df.columns else False)})
    if (out["item_id"] == "").any():
        row = _row_of(df.index, out["item_id"] == "")
        raise InputError(f"{src}: row {row}: empty item_id; every checklist item needs an id")
    dup = out["item_id"][out["item_id"].duplicated()]
    if len(dup):
        raise InputError(f"{src}: item_id {dup.iloc[0]!r} appears more than once; ids must be unique")
    if "reverse" not in df.columns:
        _check_fault_wording(out, df.index, src)
    out["dimension"] = ""
    if "dimension" in df.columns:
        dims = df["dimension"].astype(str).str.strip()
        bad = sorted(set(dims[(dims != "") & ~dims.str.lower().isin(_DIMENSION_IDS.keys())
                              & ~dims.isin(_DIMENSION_IDS.keys())]))
        if bad:
            raise InputError(f"{src}: unknown SERVQUAL dimension(s) {', '.join(bad)}; use "
                             f"{', '.join(_DIMENSIONS)} or 有形性/可靠性/响应性/保证性/移情性")
        out["dimension"] = [_DIMENSION_IDS.get(d.lower(), _DIMENSION_IDS.get(d, "")) for d in dims]
    out["max_score"] = 1.0
    if "max_score" in df.columns:
        ms = df["max_score"].map(_number)
        bad = (ms.notna() & (ms <= 0)) | (df["max_score"].astype(str).str.strip().ne("") & ms.isna())
        if bad.any():
            row = _row_of(df.index, bad)
            raise InputError(f"{src}: row {row}: max_score {df['max_score'].loc[row - 2]!r} is not a positive "
                             "number (such as 5 or 5分; blank for pass/fail items)")
        out["max_score"] = ms.fillna(1.0).to_numpy(dtype=float)
        pointed = out["reverse"].to_numpy(dtype=bool) & (out["max_score"] != 1.0).to_numpy()
        if pointed.any():
            row = _row_of(df.index, pointed)
            raise InputError(f"{src}: row {row}: item {out['item_id'][pointed].iloc[0]!r} is 反向 (reverse) and has "
                             f"满分 {df['max_score'].loc[row - 2]!r}; a reverse item is scored 是/否 (是 = the fault "
                             "happened): leave its 满分 blank")
    for col, tier in weight_cols.items():
        # 不适用 (N/A, —, /) in a 权重 cell is a blank one: the tier does not check the item. Why: it stopped
        # with "weight '权重_社区店' = '不适用' is not a non-negative number", where the visits' 不适用 is read.
        text = df[col].astype(str).map(_result_word)
        w = df[col].where(~text.isin(_NOT_APPLICABLE), "").map(_number)
        bad = text.ne("") & ~text.isin(_NOT_APPLICABLE) & w.isna()
        if bad.any() or (w < 0).any():
            row = _row_of(df.index, bad | (w < 0))
            raise InputError(f"{src}: row {row}: weight {col!r} = {df[col].loc[row - 2]!r} is not a "
                             "non-negative number; write the item's weight in that tier (such as 10 or 10%), or "
                             "leave it blank (or 不适用) if the tier does not check the item")
        out[f"weight:{tier}"] = w.fillna(0.0).to_numpy(dtype=float)
    out = out.reset_index(drop=True)
    out.attrs["source"] = src
    out.attrs["title_rows"] = _titles_said(df, src)
    return out


def _titles_said(table: pd.DataFrame, src: str) -> list[dict]:
    """The title row a sheet's header was found under (:func:`_under_title`), as the run says it: ``[{"file",
    "title", "header_row", "title_row"}]`` (+ ``header_last_row`` for a header of two rows), or ``[]``. A list: ``pd.concat`` of several visit files compares attrs."""
    title = table.attrs.get("title_row")
    if title is None:
        return []
    said = {"file": Path(src).name, "title": title[0], "header_row": title[1], "title_row": title[2]}
    if title[3] is not None:  # a header of two rows under merged cells: its last row too (rows 2–3)
        said["header_last_row"] = title[3]
    return [said]


_SPACES = re.compile(r"(.?)\s+(?=(.?))")  # a run of spaces with the characters either side
_LATIN = re.compile(r"[A-Za-z0-9]")


def _name(text) -> str:
    """A store, tier or item id as one spelling: NFKC (full-width ＳＡ１ is SA1), no space except one
    between two Latin letters or digits (河西 营业厅 is 河西营业厅, Store  A is Store A). Why: a
    checker's stray space made a store of its own — a one-item visit ranked last in its tier, and
    the store's own visit short of that item."""
    v = unicodedata.normalize("NFKC", str(text)).strip()
    return _SPACES.sub(lambda m: m[1] + (" " if _LATIN.fullmatch(m[1]) and _LATIN.fullmatch(m[2]) else ""), v)


def _number(text) -> float:
    """A number as a sheet writes it — ``8``, ``8分``, ``５分``, ``10%`` (a weight) — or NaN."""
    v = unicodedata.normalize("NFKC", str(text)).strip()
    try:
        return float(re.sub(r"\s*[分%]$", "", v))
    except ValueError:
        return np.nan


def _filled_down(values: pd.Series, column: str, src: str) -> pd.Series:
    """A checklist column whose blank cells take the value above. Why: a team's checklist merges
    the 方面 cells of an aspect's items, and Excel (and its CSV export) keeps the name only in the
    first row; read as it is, the other items fell into an aspect named '' (a sub-score of its own)."""
    text = values.astype(str).str.strip()
    filled = text.where(text != "").ffill()
    if filled.isna().any():
        row = _row_of(values.index, filled.isna())
        raise InputError(f"{src}: row {row}: empty {column}; give the first item its {column} (a blank cell "
                         "takes the one above, as merged cells do)")
    return filled


def _check_fault_wording(out: pd.DataFrame, index: pd.Index, src: str) -> None:
    """Stop when a checklist without a 反向 column has an item phrased as the fault (未佩戴工牌, 没有道别). Why:
    its 是 (the checker saw the fault) was scored as a pass and its 否 as a fail, so on the veto item 未佩戴工牌
    every store that wore its badges was vetoed to 0 and one that did not kept its score, without a word."""
    fault = out["item"].map(lambda t: bool(_FAULT_WORDING.match(_name(t))))
    if fault.any():
        first = out[fault].iloc[0]
        raise InputError(f"{src}: row {_row_of(index, fault)}: item {first['item_id']!r} ({first['item']!r}) is "
                         "phrased as a fault, so its 是 would be scored as a pass; add a 反向 column with 是 for the "
                         "items whose 是 means the fault happened (and 否 for this one if its 是 is a pass)")


def _veto_flags(values: pd.Series, src: str, *, what: str = "veto (一票否决)",
                marks: str = "a veto item") -> np.ndarray:
    """The 一票否决 column: 是 / √ / ★ (any value :func:`truthy` reads as true) marks a veto item;
    否, ×, 0 or blank does not. Anything else stops with its row. Why: read as 'not true', a veto item
    marked with a sign the reader did not know was scored as an ordinary item, without a word."""
    text = values.astype(str).str.strip()
    norm = text.map(lambda v: unicodedata.normalize("NFKC", v).lower())
    yes = truthy(text) | norm.isin(_VETO_MARKS).to_numpy()
    bad = ~yes & ~norm.isin(_NOT_VETO).to_numpy()
    if bad.any():
        row = _row_of(values.index, bad)
        raise InputError(f"{src}: row {row}: {what} {text.loc[row - 2]!r} is neither yes nor no; "
                         f"write 是 (or √, ★) for {marks} and 否 or nothing for the others")
    return yes


def read_visits(path: str | Path | list, *, encoding: str | None = None, sheet: str | None = None,
                checklist: pd.DataFrame | None = None, wave_column: str | None = None,
                by: str | None = None) -> pd.DataFrame:
    """Read visit results, one row per visit and item: ``store, tier, date|wave, item_id, score``
    (+ ``visit_id``, ``note``). Without ``wave`` the wave is the month of ``date``; without
    ``visit_id`` a visit is one store on one date (or in one wave).

    ``path`` may be a list of files (one per wave, say: an .xlsx and a GBK CSV), read each by its own
    rules and taken as one table; ``file`` and ``row`` say where each row came from. ``sheet``
    applies to the workbooks among them. Why: a team keeps each wave's sheet apart, and the change
    between waves needs them together.

    Given the ``checklist``, a sheet with one row per visit and one column per item (headed by the
    item's id or its 检查项目 text), as checkers fill them, is read as the same rows: one per visit and
    item, ``row`` the visit's row; a column that names no item (总分 …) is not read.

    ``wave_column`` names the column holding the wave (暗访轮次, 季度 …) when its header is none of 批次, 期次,
    轮次, wave; without any, the waves are the months of the dates.

    ``by`` names a column the visits carry (城市, 区域, 分公司) to average the scores by: kept as ``by:<name>`` (each
    visit's value, its first row's), and :func:`score_audit` adds the table of scores per value and wave
    (``AuditResult.groups``). A file without it stops with :func:`~voiceofcustomer.errors.no_by_column`. Why: a
    城市 column was read and ignored without a word, and a coordinator compares the cities."""
    path = path_param(path, "path", "give the sheet's path: read_visits reads the team's own headers (门店, 日期, "
                                    "得分 …) into the frame score_audit(visits=) takes")
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    if len(paths) == 1:
        return _read_visit_file(paths[0], encoding=encoding, sheet=sheet, checklist=checklist, wave_column=wave_column,
                                by=by)
    check_sheet_option(paths, sheet)
    parts = [_read_visit_file(p, encoding=encoding, checklist=checklist, wave_column=wave_column, by=by,
                              sheet=sheet if input_sheet(p)[0].suffix.lower() in WORKBOOK_SUFFIXES else None)
             for p in paths]
    _check_wave_columns(parts)
    _check_code_columns(parts)
    out = pd.concat(parts, ignore_index=True)
    out.attrs["source"] = ", ".join(p.attrs["source"] for p in parts)
    out.attrs["files"] = len(parts)
    out.attrs["wave_column"] = parts[0].attrs["wave_column"]
    out.attrs["title_rows"] = [t for p in parts for t in p.attrs.get("title_rows", [])]
    return out


def _check_wave_columns(parts: list[pd.DataFrame]) -> None:
    """Every visits file has a wave (批次) column, or none has. Why: without one a file's waves are the
    months of its dates (2026-10) while the others' are the team's names (第二批), so the waves were mixed
    — a store's change between 第二批 and 2026-12, in an order nobody chose — without a word; which month
    is which 批次 cannot be guessed (a 批次 may span two months)."""
    without = [p.attrs["source"] for p in parts if not p.attrs["wave_column"]]
    if not without or len(without) == len(parts):
        return
    have = [p.attrs["source"] for p in parts if p.attrs["wave_column"]]
    raise InputError(f"{', '.join(without)}: no wave (批次) column, but {', '.join(have)} "
                     f"{'has one' if len(have) == 1 else 'have one'}; add the column to "
                     f"{'it' if len(without) == 1 else 'them'} (or delete it from the others, so that every "
                     "file's waves are the months of its dates)")


def _check_code_columns(parts: list[pd.DataFrame]) -> None:
    """Every visits file has a store code column (门店编码), or none has: a store is its code in one file and its
    name in another, and a store renamed between them would be two stores."""
    have = [p.attrs["source"] for p in parts if "store_code" in p.columns]
    without = [p.attrs["source"] for p in parts if "store_code" not in p.columns]
    if have and without:
        raise InputError(f"{', '.join(without)}: no store code (门店编码) column, but {', '.join(have)} "
                         f"{'has one' if len(have) == 1 else 'have one'}; add the column to "
                         f"{'it' if len(without) == 1 else 'them'} (or delete it from the others, so that every "
                         "store is known by its name)")


def _read_visit_file(path: str | Path, *, encoding: str | None, sheet: str | None,
                     checklist: pd.DataFrame | None, wave_column: str | None = None,
                     by: str | None = None) -> pd.DataFrame:
    table = read_input_table(path, "visit results", encoding=encoding, sheet=sheet, names=_VISIT_NAMES)
    src = table.attrs.get("source", str(path))
    group = None
    if by is not None:  # the column to average the scores by (城市): each sheet row's value, by its row
        by = str(by).strip()
        if by not in table.columns:
            raise no_by_column(f"{src}: ", by, [c for c in table.columns if not str(c).startswith("Unnamed:")])
        group = dict(zip(table.index.to_numpy() + 2, table[by].astype(str).str.strip()))
    if wave_column is not None:  # the team's own wave column (暗访轮次): read as the wave, whatever else is
        name = str(wave_column).strip()
        if name not in table.columns:
            raise ColumnError(f"{src}: no column {name!r} as wave_column= names{column_guess(name, table.columns)}; "
                              "columns are: "
                              f"{', '.join(table.columns)}", params=("wave_column",))
        table = table.drop(columns=[c for c in table.columns if c != name and c.lower() in
                                    {a.lower() for a in _VISIT_NAMES["wave"]}]).rename(columns={name: "wave"})
    df = _rename(table, _VISIT_NAMES)
    rows = df.index.to_numpy() + 2
    wide = False  # one row per visit: the sheet says which results are one visit
    if checklist is not None and "item_id" not in df.columns:
        df, rows = _long_from_wide(df, checklist)
        wide = "item_id" in df.columns
    missing = [c for c in ("store", "tier", "item_id", "score") if c not in df.columns]
    if "date" not in df.columns and "wave" not in df.columns:
        missing.append("date or wave")
    if missing:
        # The sheet's own headers, each missing column's Chinese name and the header likely meant. Why: it listed
        # the tool's names of the columns it had renamed (tier, auditor, item_id, score: the sheet had none), no
        # guess (门店名称 for 门店) and nothing of what to do.
        free = [c for c in df.columns if c not in _VISIT_NAMES and c != "item_note"]
        def lacking(m: str) -> str:  # store (门店; is it '店名'?)
            if m not in _VISIT_SAID:
                return "date (暗访日期) or wave (批次)"
            guess = next((g for a in _VISIT_NAMES[m] if (g := closest_column(a, free)) is not None), None)
            return f"{m} ({_VISIT_SAID[m]}" + ("" if guess is None else f"; is it {guess!r}?") + ")"

        raise ColumnError(f"{src}: visit results lack column(s) {', '.join(map(lacking, missing))}; rename the "
                          f"sheet's columns so — its columns are: {', '.join(str(c) for c in table.columns)}"
                          + ("" if {"item_id", "score"} - set(missing) else
                             "; or give one column per checklist item, headed by its id or its 检查项目"))
    # A store, tier or item typed with a stray space or in full-width letters (河西 营业厅, ＳＡ１) is the same one.
    out = pd.DataFrame({c: df[c].map(_name) for c in ("store", "tier", "item_id")})
    out["score"] = df["score"].astype(str).str.strip()
    out["row"] = rows
    # Why: an empty 门店 cell was scored and ranked as a store named '' ('@2026-11-06), and an empty 门店类型 stopped
    # with 'store tier(s)  have no weight column in the checklist', naming no row
    for col, what in (("store", "store (门店)"), ("tier", "store type (门店类型)")):
        empty = out[col] == ""
        if empty.any():
            first = empty.to_numpy().argmax()
            whose = "" if col == "store" else f" of store {out['store'].iloc[first]!r}"
            raise InputError(f"{src}: row {int(out['row'].iloc[first])}: empty {what}{whose}; give every row its "
                             f"{what.split(' (')[0]}" + ("" if wide or not src.lower().endswith((".csv", ".tsv")) else " (a cell merged over a visit's rows and saved "
                                                         "as CSV keeps its value in its first row only: fill the "
                                                         "cells, or read the .xlsx)"))
    out["date"] = df["date"].astype(str).str.strip() if "date" in df.columns else ""
    dates = visit_dates(out["date"])
    if "wave" in df.columns:
        out["wave"] = df["wave"].astype(str).str.strip()
        if (out["wave"] == "").any():  # it was a wave named '', splitting a visit in two
            row = int(out["row"][out["wave"] == ""].iloc[0])
            raise InputError(f"{src}: row {row}: empty wave (批次); give every row its wave (or delete the column, "
                             "so that the waves are the months of the dates)")
    else:
        if dates.isna().any():
            row = int(out["row"][dates.isna()].iloc[0])
            raise InputError(f"{src}: row {row}: date {out['date'][dates.isna()].iloc[0]!r} is not a date; "
                             "use 2026-11-05 (or add a 'wave' column)")
        out["wave"] = dates.dt.strftime("%Y-%m")
    # One visit is one date however its rows write it (2026/10/5, 2026年10月5日, an Excel date): the
    # visit key and the date shown are the date itself, not its text.
    out["date"] = dates.dt.strftime("%Y-%m-%d").where(dates.notna(), out["date"])
    out["note"] = _notes(df)
    if "store_code" in df.columns:  # the store's key: one store whatever its name in a wave (城东 → 城东旗舰营业厅)
        out["store_code"] = df["store_code"].map(_name)
        empty = out["store_code"] == ""
        if empty.any():
            raise InputError(f"{src}: row {int(out['row'][empty].iloc[0])}: empty store code (门店编码) for store "
                             f"{out['store'][empty].iloc[0]!r}; give every row its store's code (stores are told "
                             "apart by it)")
    if "auditor" in df.columns:
        out["auditor"] = df["auditor"].map(_name)
    if "visit_id" in df.columns:
        out["visit_id"] = df["visit_id"].astype(str).str.strip()
    else:  # one visit: one store (its code, when there is one) on one date, by one checker (暗访员)
        key = out.get("store_code", out["store"]) + "@" + out["date"].where(out["date"] != "", out["wave"])
        if "auditor" in out:  # two checkers at one store on one day are two visits (its id names the checker then)
            several = out.groupby(key)["auditor"].transform("nunique") > 1
            key = key.where(~several, key + "@" + out["auditor"])
        if wide:  # two rows of one store and day are two visits (#1, #2 in the sheet's order): one row, one visit
            nth = pd.Series(rows, index=out.index).groupby(key).rank(method="dense").astype(int)
            key = key.where(out.groupby(key)["row"].transform("nunique") < 2, key + "#" + nth.astype(str))
        out["visit_id"] = key
    # a visit known only by its store and day (no 暗访编号 column, and a sheet of one row per item): two visits that
    # day cannot be told apart, and score_audit stops on an item answered twice (_check_visits_told_apart)
    if group is not None:
        out[BY_PREFIX + by] = out["row"].map(group).fillna("")
    out["visit_made"] = "visit_id" not in df.columns and not wide
    out["visit_given"] = "visit_id" in df.columns  # the sheet's own 暗访编号, what the report names a visit by
    out["file"] = Path(src).name
    out.attrs["source"] = src
    out.attrs["wave_column"] = "wave" in df.columns
    out.attrs["title_rows"] = _titles_said(table, src)
    return out


_ITEM_NOTE = re.compile(r"^(?P<item>.+?)[_\-:：\s]*[(（]?(?:备注|说明|评语|扣分原因)[)）]?$")


def _notes(df: pd.DataFrame) -> pd.Series:
    """The free-text comments of each row — 评语, 备注, 说明 … (every such column, joined by ；) — as text. Why:
    they were read and written nowhere, and the checker's reason beside a failed item is what a store acts on."""
    aliases = {a.lower() for a in _VISIT_NAMES["note"]} | {"item_note"}
    # A second comment column (附加说明, 补充说明, 其他备注: one naming no item, or it would be that item's) is the
    # visit's too. Why: a coordinator's 附加说明 was read nowhere and said nowhere, beside the 备注 read.
    cols = sorted((c for c in df.columns if str(c).strip().lower() in aliases
                   or (c not in _VISIT_NAMES and _ITEM_NOTE.match(_name(c)))),
                  key=lambda c: (c != "item_note", str(c).strip().lower() not in aliases))
    if not cols:
        return pd.Series("", index=df.index, dtype=object)
    text = df[cols].astype(str).apply(lambda c: c.str.strip())
    return text.apply(lambda r: "；".join(dict.fromkeys(t for t in r if t)), axis=1).astype(object)


_HEADER_NOTE = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]$")  # (20分), (一票否决), 【否决项】 after an item (NFKC: （ is ()
_ID_TEXT_SEP = re.compile(r"^[、.:\-_—]*")


def _header_item(name: str, items: dict[str, str], texts: dict[str, str]) -> str | None:
    """The item a wide sheet's column header names beyond its bare id or text: the id followed by the item's
    text (``A1 进门主动问候``, ``A1.进门主动问候``, ``A1、进门主动问候``), or either with a note in brackets after it
    (``未佩戴工牌(一票否决)``, ``排队等候不超过15分钟（20分）``); None for anything else. Why: such a sheet stopped with
    'visit results lack column(s) item_id, score' — a firm's sheet heads its columns so more often than not."""
    bare = _HEADER_NOTE.sub("", name).strip()
    for head in dict.fromkeys((name, bare)):
        if head in items:
            return items[head]
        for iid in sorted(texts, key=len, reverse=True):
            if head.startswith(iid) and texts[iid] and _ID_TEXT_SEP.sub("", head[len(iid):].strip()) == texts[iid]:
                return iid
    return None


def _long_from_wide(df: pd.DataFrame, checklist: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """A visit sheet with one column per checklist item (headed by its id or its 检查项目) as one row per
    visit and item, in the sheet's order, and each row's line in the sheet. Why: that is how checkers fill
    the sheet; it stopped with 'lack column(s) item_id, score'. Unchanged when no column names an item."""
    items = dict(zip(checklist["item_id"], checklist["item_id"]))
    text = checklist["item"].map(_name)
    items.update({t: i for t, i in zip(text, checklist["item_id"]) if t and (text == t).sum() == 1 and t not in items})
    columns = {c: items[_name(c)] for c in df.columns if _name(c) in items and c not in _VISIT_NAMES}
    texts = dict(zip(checklist["item_id"], text))
    for c in df.columns:  # a header of the item's id and text, or either with a note in brackets (A1 进门主动问候)
        if c not in columns and c not in _VISIT_NAMES and not _ITEM_NOTE.match(_name(c)):
            item = _header_item(_name(c), items, texts)
            if item is not None and item not in columns.values():
                columns[c] = item
    columns = {c: columns[c] for c in df.columns if c in columns}  # in the sheet's order
    if not columns:
        return df, df.index.to_numpy() + 2
    # A comment column beside an item's (A1备注, 主动问候_评语, A1（说明）) is that item's comment in the visit.
    said = {}
    for c in df.columns:
        m = _ITEM_NOTE.match(_name(c))
        if m and m["item"] in items and c not in columns:
            said[c] = items[m["item"]]
    keep = [c for c in df.columns if c not in columns and c not in said and c != "score"]  # 得分: the sheet's total
    long = (df[[*keep, *columns]].assign(_row=df.index.to_numpy() + 2)
            .melt(id_vars=[*keep, "_row"], value_vars=list(columns), var_name="item_id", value_name="score"))
    long["item_id"] = long["item_id"].map(columns)
    if said:
        per_item = pd.DataFrame([(r + 2, item, str(v).strip()) for c, item in said.items()
                                 for r, v in zip(df.index, df[c]) if str(v).strip()],
                                columns=["_row", "item_id", "_item_note"])
        per_item = per_item.groupby(["_row", "item_id"], sort=False)["_item_note"].agg("；".join).reset_index()
        long = long.merge(per_item, on=["_row", "item_id"], how="left")
        long["_item_note"] = long["_item_note"].fillna("")
        long = long.rename(columns={"_item_note": "item_note"})  # read with the visit's by _notes
    long = long.sort_values("_row", kind="stable").reset_index(drop=True)
    rows = long.pop("_row").to_numpy()
    long.attrs = df.attrs
    return long, rows


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def visit_dates(values: pd.Series) -> pd.Series:
    """Visit dates as store checks write them — ``2026-11-05``, ``2026/11/5``, ``2026.11.05``,
    ``2026年11月5日``, ``20261105``, with or without a time (Excel dates read as ``2026-11-05 00:00:00``) — as
    Timestamps; NaT for anything else, including impossible dates (``2025-13-45``).

    Parsed with one explicit pattern and format per value, so a column mixing these forms
    reads the same whatever its first row is, and pandas never guesses (nor warns)."""
    text = values.astype(str).str.strip()
    parts = text.str.extract(_DATE).combine_first(text.str.extract(_COMPACT_DATE))
    iso = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
    return pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")


# -- scoring ----------------------------------------------------------------------------------


def _result_word(raw: str) -> str:
    """A result cell as it is compared with the result words: NFKC (``／`` is ``/``), stripped, lower case."""
    return unicodedata.normalize("NFKC", raw).strip().lower()


def _achieved(raw: str, max_score: float, partial: float | None = None, reverse: bool = False) -> tuple[float, str]:
    """(fraction achieved, problem) of one result cell; NaN fraction = not applicable. A partial result
    (部分) achieves ``partial``, or is left out with its problem when that is None. A ``reverse`` (反向) item's
    result says whether the fault happened: 是 / 1 achieves 0, 否 / 0 achieves 1."""
    fraction, problem = _forward(raw, max_score, partial)
    if reverse and not np.isnan(fraction) and _result_word(raw) not in _PARTIAL:
        return 1.0 - fraction, problem
    return fraction, problem


def _forward(raw: str, max_score: float, partial: float | None = None) -> tuple[float, str]:
    """:func:`_achieved` of an item phrased as what the store should do."""
    v = _result_word(raw)
    if not v:  # Why: said "result '' is not a score …", naming no fix, where a skipped row says what to do
        return np.nan, _NO_RESULT
    if v in _NOT_APPLICABLE:
        return np.nan, ""
    if v in _PARTIAL:
        # Why: read as "not a score" it was left out of the score with a message that it was none, and the
        # summary said nothing, where a team's scheme gives partial compliance a share of the points
        return (partial, "") if partial is not None else (np.nan, _PARTIAL_LEFT_OUT.format(raw=raw))
    if v in _PASS:
        return 1.0, ""
    if v in _FAIL:
        return 0.0, ""
    x = _number(v)  # 8分: points written with their unit
    if np.isnan(x):
        return np.nan, (f"result {raw!r} is not a score, pass/fail (是/否) or 不适用; left out of the visit's score "
                        "(write the points, 是/否, or 不适用 if it does not apply)")
    if not 0 <= x <= max_score:
        # Why: said only "score 12 outside 0–10" (or "score 2 outside 0–1" for a 是/否 item), neither that the
        # result was left out of the visit's score nor what to write, where every other bad result says both
        if max_score == 1:
            return np.nan, (f"result {raw!r} on a pass/fail item (no 满分) is not 是/否 (1/0); left out of the visit's "
                            "score (write 是/否, or 不适用 if it does not apply)")
        return np.nan, (f"score {x:g} is outside 0–{max_score:g} (the item's 满分 is {max_score:g}); left out of the "
                        f"visit's score (write the points out of {max_score:g}, or 不适用 if it does not apply)")
    return x / max_score, ""


def read_gap_dimensions(path: str | Path, *, encoding: str | None = None) -> pd.DataFrame:
    """The dimension table of a ``voc gap`` result, for :func:`weights_from_gap`: given its output
    folder, its ``dimensions.csv``, or its ``gap_report.xlsx`` (the sheet ``dimensions``)."""
    path = Path(path)
    if path.is_dir():
        path = path / "dimensions.csv"
    sheet = None
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        check_input_file(path)
        wb = open_workbook(path)
        names = wb.sheetnames
        wb.close()
        if "dimensions" in names:
            sheet = "dimensions"
        elif len(names) > 1:
            raise InputError(f"{path}: no sheet 'dimensions' (sheets: {', '.join(names)}); give the voc gap "
                             "output folder, its dimensions.csv or its gap_report.xlsx")
    return read_input_table(path, "gap result", encoding=encoding, sheet=sheet)


def weights_from_gap(checklist: pd.DataFrame, dimensions: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Revise item weights from a ``voc gap`` dimension table (``dimension, gap, importance``).

    Factor per dimension f_D = importance_D · max(−gap_D, 0.1), normalised to mean 1 over the
    dimensions present; an item's weight (every tier) is multiplied by f of its dimension,
    then each tier's weights are rescaled to keep their original total. Items without a
    dimension keep factor 1. Why: the plans raise the weight of what customers value most
    and where the service falls furthest short.
    """
    src = dimensions.attrs.get("source", "the gap result")
    missing = [c for c in ("dimension", "gap") if c not in dimensions.columns]
    if missing:
        raise InputError(f"{src}: not a voc gap dimension table (it needs columns dimension, gap and importance; "
                         f"columns are: {', '.join(map(str, dimensions.columns[:12]))}); give the voc gap output "
                         "folder or its dimensions.csv")
    dims = dimensions.copy()
    dims["dimension"] = dims["dimension"].map(lambda d: _DIMENSION_IDS.get(str(d).strip().lower(),
                                                                            _DIMENSION_IDS.get(str(d).strip())))
    if dims["dimension"].isna().any():
        bad = dimensions["dimension"][dims["dimension"].isna()].iloc[0]
        raise InputError(f"{src}: unknown dimension {bad!r}; a voc gap dimension table names "
                         f"{', '.join(_DIMENSIONS)}")
    repeated = dims["dimension"][dims["dimension"].duplicated()]
    if len(repeated):
        raise InputError(f"{src}: dimension {repeated.iloc[0]!r} is in more than one row; importance weights need "
                         "one row per dimension (voc gap's dimensions.csv, not items.csv or a per-segment table)")
    imp = pd.to_numeric(dims.get("importance"), errors="coerce") if "importance" in dims else None
    if imp is None or imp.isna().all():
        imp = pd.Series(20.0, index=dims.index)  # equal importance when respondents gave no points
    shortfall = (-pd.to_numeric(dims["gap"], errors="coerce")).clip(lower=0.1).fillna(0.1)
    raw = dict(zip(dims["dimension"], (imp.fillna(imp.mean()) * shortfall).to_numpy(dtype=float)))
    present = [d for d in checklist["dimension"].unique() if d in raw]
    if not present:
        raise InputError("the checklist has no 'dimension' column values matching the gap result; "
                         "give each item its SERVQUAL dimension to derive weights")
    mean = np.mean([raw[d] for d in present])
    factor = {d: raw[d] / mean for d in present}
    out = checklist.copy()
    f = out["dimension"].map(factor).fillna(1.0).to_numpy(dtype=float)
    for col in [c for c in out.columns if c.startswith("weight:")]:
        before = out[col].sum()
        new = out[col].to_numpy(dtype=float) * f
        out[col] = new * (before / new.sum()) if new.sum() > 0 else new
    return out, {"factors": {d: round(v, 4) for d, v in factor.items()}}


def _tier_weights(checklist: pd.DataFrame, tier: str) -> np.ndarray | None:
    col = f"weight:{tier}"
    if col in checklist.columns:
        return checklist[col].to_numpy(dtype=float)
    if "weight:*" in checklist.columns:
        return checklist["weight:*"].to_numpy(dtype=float)
    return None


def _check_one_tier(visits: pd.DataFrame, src: str) -> None:
    """A store has one tier in a wave. Why: a tier typed differently in one row would make that row
    a visit of its own, rank the store in two tiers and compare its waves across tiers."""
    tiers = visits.groupby(["store", "wave"], sort=False)["tier"].nunique()
    mixed = tiers[tiers > 1]
    if mixed.empty:
        return
    store, wave = mixed.index[0]
    rows = visits[(visits["store"] == store) & (visits["wave"] == wave)]
    first = rows.iloc[0]
    other = rows[rows["tier"] != first["tier"]].iloc[0]
    several = visits.attrs.get("files", 1) > 1

    def where(r):
        return f"{r['file']} row {r['row']}" if several else f"row {r['row']}"

    raise InputError(f"{src}: store {store!r} is {first['tier']} in {where(first)} but {other['tier']} in "
                     f"{where(other)} (wave {wave}); a store has one tier in a wave — correct the tier"
                     + (f" ({len(mixed)} stores have this problem)" if len(mixed) > 1 else ""))


def _missing_checkpoints(checklist: pd.DataFrame, rows: pd.DataFrame, visit: pd.DataFrame) -> list[dict]:
    """Checklist items with a weight in the visit's tier that the visit has no row for.

    Why: such an item is left out of the score like 不适用, so a checker who skipped a failed
    (or veto) item raises the store's score; the team must see it (``row`` is empty: there is
    no row to point at)."""
    recorded = set(zip(rows["visit_id"], rows["item_id"]))
    files = rows.groupby("visit_id", sort=False)["file"].first()
    out = []
    for vid, tier in zip(visit["visit_id"], visit["tier"]):
        weights = _tier_weights(checklist, tier)
        for item, w in zip(checklist["item_id"], weights):
            if w > 0 and (vid, item) not in recorded:
                out.append({"file": files.get(vid, ""), "row": pd.NA, "visit_id": vid, "item_id": item,
                            "problem": "no result recorded in this visit; " + LEFT_OUT})
    return out


def _unscored_visits(visit: pd.DataFrame, rows: pd.DataFrame) -> list[dict]:
    """Visits with no score: every result is 不适用 (or is for an item the store's tier does not weigh), so
    Σ wᵢ is 0 and the score is empty (NaN, never a number made up).

    Why: such a visit came out with an empty score and no word, its store's score in the wave was the mean
    of its other visits (or empty, and the store unranked), and a sheet filled in the wrong columns, or a
    checker who wrote 不适用 down the page, passed unseen. Listed like a missing item (``row`` and ``item_id``
    empty: the whole visit), naming the store and date and what to do."""
    files = rows.groupby("visit_id", sort=False)["file"].first()
    scored = visit[visit["wt"] > 0].groupby(["store", "wave"], sort=False).size()
    out = []
    for r in visit[visit["wt"] <= 0].itertuples():
        scored_items = r.all_results - r.all_left_out
        what = (f"all {r.all_results} of its results are 不适用" if not scored_items else
                f"its {scored_items} result(s) other than 不适用 are for items with no weight in tier {r.tier}")
        others = int(scored.get((r.store, r.wave), 0))
        store = (f"the store's score for wave {r.wave} is that of its other {others} visit(s)" if others else
                 f"the store has no score for wave {r.wave} and is not ranked")
        out.append({"file": files.get(r.visit_id, ""), "row": pd.NA, "visit_id": r.visit_id, "item_id": pd.NA,
                    "problem": f"no score for the visit to {r.store} on {r.date or r.wave}: {what}, so its score "
                               f"is empty (not 0) and {store}; check the visit's results in the sheet, and if "
                               "the store really had none of the items, leave the visit out"})
    return out


#: How a result left out of a visit's score says so (the audit page says it in Chinese: audit.report.PROBLEM_ZH).
LEFT_OUT = "left out of its score like 不适用 (add the result, or 不适用 if it does not apply)"
_PARTIAL_LEFT_OUT = ("result {raw!r} (partial) left out of the visit's score like 不适用, as no share of the points "
                     "was given for partial results; give one (partial=0.5, voc audit --partial 0.5: half the item's "
                     "points, the usual convention) or write the result as pass/fail or points")
_NO_RESULT = "no result (an empty cell); " + LEFT_OUT


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_NUMBER_RUN = re.compile(r"(\d+|[零〇一二两三四五六七八九十百]+)")


def _cn_number(run: str) -> int:
    """十 = 10, 十二 = 12, 二十 = 20, 一百零五 = 105, 二〇二六 = 2026."""
    total = current = 0
    for ch in run:
        if ch in "十百":
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch]
    return total + current


def _natural_key(label: str) -> tuple:
    """第2期 before 第10期, 第二批 before 第三批 (and 第十批): the numbers in a label compare as numbers."""
    return tuple((0, int(part) if part.isdigit() else _cn_number(part), "") if i % 2 else (1, 0, part)
                 for i, part in enumerate(_NUMBER_RUN.split(label)))


def wave_order(visits: pd.DataFrame) -> list[str]:
    """The waves of ``visits`` (columns ``wave``, ``date``) from first to last: by their first visit
    date when every wave has a date, else by the numbers in their names (第2期 before 第10期, 第二批
    before 第三批). Why: the change between waves is this wave − the store's previous one, and the
    names' text order put 第10期 before 第9期 (and 第三批 before 第二批), so the changes came out with
    the wrong sign, without a word."""
    first = visit_dates(visits["date"]).groupby(visits["wave"].to_numpy()).min()
    waves = sorted(visits["wave"].unique(), key=_natural_key)
    if first.reindex(waves).notna().all():
        return sorted(waves, key=lambda w: first[w])  # stable: waves starting on one day keep the name order
    return waves


def _wave_coverage(stores: pd.DataFrame, waves: list[str]) -> tuple[dict, dict]:
    """For each wave after the first: the stores of the previous wave that have no visit in it, and the stores
    that have none in any earlier wave ({wave: [store …]}, only waves with some). Why: a store renamed between
    quarters (江南营业厅 → 江南旗舰营业厅) came out as two stores, one gone and one new without a change, and a
    store a firm did not visit dropped out of the ranking, both without a word."""
    by_wave = {w: set(stores.loc[stores["wave"] == w, "store"]) for w in waves}
    not_visited, new, seen = {}, {}, set(by_wave[waves[0]]) if waves else set()
    for prev, cur in zip(waves, waves[1:]):
        if gone := sorted(by_wave[prev] - by_wave[cur]):
            not_visited[cur] = gone
        if first := sorted(by_wave[cur] - seen):
            new[cur] = first
        seen |= by_wave[cur]
    return not_visited, new


def _store_names(visits: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """With a store code column (门店编码, 网点编码, store_id …): each store is its code, shown by its latest name
    (that of its last wave, then date), and {code: [its names, first to last]} of the codes with several names.
    Two codes whose latest names are one are told apart by the code (城东营业厅（A01）). Why: a store renamed
    between waves (城东营业厅 → 城东旗舰营业厅) came out as two stores, one gone and one new without a change."""
    if "store_code" not in visits.columns:
        return visits, {}
    order = {w: i for i, w in enumerate(wave_order(visits))}
    code = visits["store_code"].fillna("").astype(str)
    code = code.where(code != "", visits["store"])  # a row without a code: its store by name
    seq = pd.DataFrame({"code": code, "store": visits["store"], "w": visits["wave"].map(order),
                        "d": visit_dates(visits["date"]), "n": np.arange(len(visits))})
    seq = seq.sort_values(["w", "d", "n"], na_position="first", kind="stable")
    latest = seq.groupby("code", sort=False)["store"].last()
    shared = latest[latest.duplicated(keep=False)]
    latest = latest.where(~latest.index.isin(shared.index), latest + "（" + latest.index.to_series() + "）")
    names = seq.groupby("code", sort=False)["store"].agg(lambda s: list(dict.fromkeys(s)))
    renamed = {code: n for code, n in names.items() if len(n) > 1}
    out = visits.copy()
    out["store_code"] = code
    out["store"] = code.map(latest)
    return out, renamed


def _submissions(visits: pd.DataFrame) -> pd.Series:
    """Which submission each row belongs to: a sheet row of a sheet with one row per visit (its rows share it),
    else the n-th result of an item in its visit (a visit sent twice repeats every item)."""
    place = visits["file"].astype(str) + ":" + visits["row"].astype(str)
    wide = place.map(place.value_counts()) > 1
    nth = visits.groupby(["visit_id", "item_id"], sort=False).cumcount()
    return place.where(wide, visits["visit_id"].astype(str) + "#" + nth.astype(str))


def _drop_duplicate_visits(visits: pd.DataFrame) -> tuple[pd.DataFrame, list[dict], list[dict]]:
    """A visit submitted twice — same store, date (without one: same visit id) and checker (暗访员, when the sheet has
    the column), results the same in all but at most one in ten of the items (at least one: an answer corrected
    before sending again) — is scored once: the later submission (lower in the sheet, or in a later file) is
    kept, the earlier one left out, and each one left out is listed with its rows (problems) and in
    ``settings["duplicates"]``. Visits of one store by other checkers or on other dates are all kept. Why: a
    visit sent twice counted twice in the store's mean, or, as one visit, gave a problem line per item."""
    if visits.empty:
        return visits, [], []
    sub = _submissions(visits)
    # without a date, only a visit's own repeat (its id: store@wave): two visits of a wave may score alike
    key = visits["store"] + "|" + visits["date"].where(visits["date"] != "", "@" + visits["visit_id"].astype(str))
    if "auditor" in visits.columns:
        key = key + "|" + visits["auditor"].astype(str)
    if "store_code" in visits.columns:
        key = key + "|" + visits["store_code"].astype(str)
    results = visits["score"].map(_result_word)
    several = visits["file"].nunique() > 1
    dropped, problems, said = set(), [], []
    for _, subs in sub.groupby(key, sort=False):
        order = list(dict.fromkeys(subs))  # as they come in the sheet(s): the last is the latest
        if len(order) < 2:
            continue
        answers = {u: dict(zip(visits.loc[sub == u, "item_id"], results[sub == u])) for u in order}
        kept = [order[-1]]
        for u in reversed(order[:-1]):
            twin = next((k for k in kept if _near_same(answers[u], answers[k])), None)
            if twin is None:
                kept.append(u)
                continue
            dropped.add(u)
            rows, twin_rows = visits.loc[sub == u], visits.loc[sub == twin]
            same = sum(answers[u].get(i) == r for i, r in answers[twin].items())
            first = rows.iloc[0]
            where, kept_at = _rows_said(rows, several), _rows_said(twin_rows, several)
            who = f" by {first['auditor']}" if "auditor" in visits.columns and first["auditor"] else ""
            problems.append({"file": first["file"], "row": int(first["row"]), "visit_id": first["visit_id"],
                             "item_id": pd.NA,
                             "problem": f"duplicate visit: {where} repeat{'' if '–' in where else 's'} the visit "
                                        f"to {first['store']} on {first['date'] or first['wave']}{who} in {kept_at} "
                                        f"({same} of {len(answers[twin])} results the same), a visit submitted "
                                        "twice; left out, the later submission is scored"})
            said.append({"store": first["store"], "date": first["date"] or first["wave"],
                         "auditor": first["auditor"] if who else "",
                         "dropped": {"file": first["file"], "rows": _span(rows)},
                         "kept": {"file": twin_rows["file"].iloc[0], "rows": _span(twin_rows)},
                         "same": same, "of": len(answers[twin])})
    if not dropped:
        return visits, [], []
    return visits.loc[~sub.isin(dropped)], problems, said


def _check_visits_told_apart(visits: pd.DataFrame, src: str) -> None:
    """Stop when an item is answered twice for one store on one day (or in one wave, without dates) in a sheet of one
    row per item that names no visit (no 暗访编号 column; no 暗访员 column, or one checker): two visits that day —
    two checkers, or a second trip — that the sheet does not tell apart. A visit submitted twice was left out before
    (:func:`_drop_duplicate_visits`); a sheet of one row per visit makes each row a visit (``#1``, ``#2``).

    Why: the two visits were scored as one, every repeated item 'scored twice in one visit; the first result is
    used', so the second visit's results were dropped and the store's mean was of one visit. Which rows are which
    visit cannot be told from a sheet of one row per item (its rows may be sorted by item), so no guess is made."""
    if "visit_made" not in visits.columns or visits.empty:
        return
    made = visits[truthy(visits["visit_made"])]
    again = made.duplicated(["visit_id", "item_id"], keep="first")
    if not again.any():
        return
    r = made.loc[again].iloc[0]
    first = made[(made["visit_id"] == r["visit_id"]) & (made["item_id"] == r["item_id"])].iloc[0]
    where = (f"{first['file']} row {int(first['row'])} and {r['file']} row {int(r['row'])}"
             if visits["file"].nunique() > 1 else f"{src}: rows {int(first['row'])} and {int(r['row'])}")
    when = f"on {r['date']}" if r["date"] else f"in wave {r['wave']}"
    checker = f" by {r['auditor']}" if "auditor" in visits.columns and r["auditor"] else ""
    column = ("a 暗访编号 (visit id) column" if "auditor" in visits.columns
              else "a 暗访员 (checker) or 暗访编号 (visit id) column")
    raise InputError(f"{where}: item {r['item_id']!r} answered twice for {r['store']} {when}{checker} — two visits "
                     f"that the sheet does not tell apart; add {column} giving each visit's rows their own value "
                     "(or delete the row entered twice)")


def _near_same(a: dict, b: dict) -> bool:
    """Two submissions' results ({item: result}) the same in all but at most one item in ten (at least one)."""
    items = set(a) | set(b)
    differ = sum(a.get(i) != b.get(i) for i in items)
    return len(items) > 1 and differ <= max(1, int(_NEAR_SAME * len(items)))


def _span(rows: pd.DataFrame) -> str:
    """5, or 14–24: the sheet rows of a submission."""
    n = sorted(set(rows["row"].astype(int)))
    return str(n[0]) if len(n) == 1 else f"{n[0]}–{n[-1]}"


def _rows_said(rows: pd.DataFrame, several: bool) -> str:
    """row 5, rows 14–24 (of its file when there are several): where a submission is in the sheet."""
    span = _span(rows)
    return (f"{rows['file'].iloc[0]} " if several else "") + ("rows " if "–" in span else "row ") + span


def _month_splits(visit: pd.DataFrame) -> list[dict]:
    """Rounds of visits (dates with no gap over two weeks) at most a month long that the month waves cut in two
    (3月28日–4月3日: 2026-03 and 2026-04). Only when the waves are the months of the dates (no 批次 column).
    Why: a round crossing a month end was scored as two waves, each store ranked in the month of its visit."""
    dates = visit_dates(visit["date"])
    if dates.isna().any() or (dates.dt.strftime("%Y-%m") != visit["wave"]).any():
        return []
    days = pd.Series(sorted(dates.unique()))
    rounds = (days.diff().dt.days > _ROUND_GAP_DAYS).cumsum()
    out = []
    for _, d in days.groupby(rounds):
        months = d.dt.strftime("%Y-%m")
        if months.nunique() > 1 and (d.iloc[-1] - d.iloc[0]).days <= 31:
            in_round = dates.between(d.iloc[0], d.iloc[-1])
            out.append({"from": d.iloc[0].strftime("%Y-%m-%d"), "to": d.iloc[-1].strftime("%Y-%m-%d"),
                        "waves": {m: int((in_round & (visit["wave"] == m)).sum()) for m in dict.fromkeys(months)}})
    return out


def _visit_notes(rows: pd.DataFrame) -> pd.Series:
    """Each visit's comments as one text: one written on every row of the visit (a 评语 column of a sheet with one
    row per visit) as it is, one of an item as ``A2：店员未道别``; joined by ；. Why: a comment on a visit with no
    failed item, or beside an item that passed, was written nowhere."""
    if "note" not in rows.columns:
        return pd.Series(dtype=object)
    text = rows["note"].astype(str).str.strip()
    out, noted = {}, rows[text != ""]
    every_row = dict(tuple(rows[rows["visit_id"].isin(noted["visit_id"])].groupby("visit_id", sort=False)["note"]))
    for vid, g in noted.groupby("visit_id", sort=False):
        every = every_row[vid].astype(str)
        said = []
        for note, items in g.groupby("note", sort=False)["item_id"]:
            for part in str(note).split("；"):
                whole = len(every) == 1 or every.str.contains(part, regex=False).all()
                said.append(part if whole else "、".join(dict.fromkeys(items)) + "：" + part)
        out[vid] = "；".join(dict.fromkeys(said))
    return pd.Series(out, dtype=object)


def _unweighted_results(v: pd.DataFrame, order: dict) -> list[dict]:
    """Results the checker recorded (not blank, not 不适用) for items the checklist gives no weight in the store's
    tier (a blank or 0 权重_<tier> cell): ``[{tier, item_id, n}]``, by tier, items in the checklist's order. They are read and
    listed among the failed items but score nothing. Why: a 权重_社区店 cell left blank by mistake dropped that item's
    results from every 社区店 visit's score without a word."""
    got = v[(v["weight"] == 0) & v["achieved"].notna()]
    if got.empty:
        return []
    got = got.assign(_i=got["item_id"].map(order)).sort_values(["tier", "_i"], kind="stable")
    n = got.groupby(["tier", "item_id"], sort=False).size()
    return [{"tier": t, "item_id": i, "n": int(k)} for (t, i), k in n.items()]


def _failed_items(v: pd.DataFrame, items: pd.DataFrame, waves: list[str]) -> pd.DataFrame:
    """Every scored result short of full (否, 部分 counted, points under 满分) with the checker's comment (评语 /
    备注), by wave, store and visit, items in the checklist's order; with the checker (``auditor``, when the sheet
    has a 暗访员 column) and the result's ``file`` and ``row``. An item without a weight in the store's tier (0 or a
    blank 权重 cell: an informational item) costs no points, so it is no 失分项 unless it vetoed the visit; its results
    are said as not scored (``settings["unweighted_results"]``). Why: a store that failed such an item had it listed
    among its lost points though its score was 100."""
    failed = v[v["achieved"].notna() & (v["achieved"] < 1) & ((v["weight"] > 0) | v["veto"])].copy()
    failed["item"] = failed["item_id"].map(items["item"])
    failed["result"] = failed["score"]
    failed["note"] = failed["note"] if "note" in failed else ""
    pos = {iid: i for i, iid in enumerate(items.index)}
    failed["_w"], failed["_i"] = failed["wave"].map({w: i for i, w in enumerate(waves)}), failed["item_id"].map(pos)
    failed = failed.sort_values(["_w", "store", "date", "visit_id", "_i"], kind="stable")
    # the checker (暗访员) and the result's row in the sheet: what tells two visits of one store on one day apart
    checker = ["auditor"] if "auditor" in failed.columns else []
    return failed[["store", "tier", "wave", "date", "visit_id", *checker, "aspect", "item_id", "item", "result", "veto",
                   "note", "file", "row"]].reset_index(drop=True)


def _groups(visit: pd.DataFrame, column: str, waves: list[str]) -> pd.DataFrame:
    """Scores averaged per value of a column the visits carry (城市) and wave: ``<column>, wave, n_stores,
    n_visits, store_score`` (the mean of the stores' scores: a store's, the mean of its visits there),
    ``visit_score`` (the mean of the visits' scores), ``vetoed_visits``; waves in order, values by their text.
    A visit without a score (every result 不适用) counts as a visit, not in the means."""
    name = column[len(BY_PREFIX):]
    per_store = visit.groupby([column, "wave", "store"], sort=False)["score"].mean().rename("store_score")
    out = (visit.groupby([column, "wave"], sort=False)
           .agg(n_stores=("store", "nunique"), n_visits=("visit_id", "size"), visit_score=("score", "mean"),
                vetoed_visits=("vetoed", "sum")))
    out = out.join(per_store.groupby([column, "wave"], sort=False).mean()).reset_index()
    out["vetoed_visits"] = out["vetoed_visits"].astype(int)
    for c in ("store_score", "visit_score"):
        out[c] = _round(out[c])
    out = out.sort_values([column, "wave"], key=lambda c: c.map(waves.index) if c.name == "wave" else c)
    out = out.sort_values("wave", key=lambda c: c.map(waves.index), kind="stable")
    return out.rename(columns={column: name})[[name, "wave", "n_stores", "n_visits", "store_score", "visit_score",
                                               "vetoed_visits"]].reset_index(drop=True)


#: how read_visits(by=) keeps the column to average the scores by: ``by:城市``
BY_PREFIX = "by:"
#: the items table's name of every tier together (an item two or more tiers weigh)
ALL_TIERS = "全部"


def _item_results(v: pd.DataFrame, left_out: pd.DataFrame, missing: list[dict], visit: pd.DataFrame,
                  checklist: pd.DataFrame, waves: list[str]) -> pd.DataFrame:
    """How each checklist item did in each wave, per store tier that weighs it (and over every such tier): the
    visits scored on it, the shares at full marks and at 0 points, the mean share of its points, its 不适用 /
    missing / invalid / partial results and the visits it vetoed — items by their share failed, highest first.
    Only the tiers that weigh the item (a weight above 0) count it. Why: there was no table of how each item did,
    and a coordinator's action list is which items fail most often."""
    cols = ["wave", "aspect", "item_id", "item", "tier", "n_visits", "n_scored", "full_pct", "failed_pct", "mean_pct",
            "n_not_applicable", "n_missing", "n_invalid", "n_partial", "n_veto_failed"]
    where = visit.set_index("visit_id")[["tier", "wave"]]
    scored = v.assign(status=np.where(v["achieved"].notna(), "scored", "na"))
    gone = pd.DataFrame([{"visit_id": m["visit_id"], "item_id": m["item_id"], "status": "missing"} for m in missing],
                        columns=["visit_id", "item_id", "status"])
    res = pd.concat([scored[["visit_id", "item_id", "weight", "achieved", "veto", "status"]],
                     left_out[["visit_id", "item_id", "weight", "status"]].assign(achieved=np.nan, veto=False),
                     gone.assign(weight=1.0, achieved=np.nan, veto=False)], ignore_index=True)
    res = res[res["visit_id"].isin(where.index) & (res["weight"] > 0)]
    if res.empty:
        return pd.DataFrame(columns=cols)
    res = res.join(where, on="visit_id")
    n_tier = visit.groupby(["wave", "tier"]).size()

    def table(g: pd.DataFrame) -> pd.Series:
        a = g.loc[g["status"] == "scored", "achieved"].astype(float)
        n = len(a)
        return pd.Series({"n_scored": n, "full_pct": 100 * (a >= 1).mean() if n else np.nan,
                          "failed_pct": 100 * (a <= 0).mean() if n else np.nan,
                          "mean_pct": 100 * a.mean() if n else np.nan,
                          "n_not_applicable": int((g["status"] == "na").sum()),
                          "n_missing": int((g["status"] == "missing").sum()),
                          "n_invalid": int((g["status"] == "invalid").sum()),
                          "n_partial": int(g["_partial"].sum()),
                          "n_veto_failed": int((g["veto"].astype(bool) & (g["status"] == "scored")
                                                & (g["achieved"] < 1)).sum())})

    res["_partial"] = res["status"].eq("partial")
    if "partial" in v.columns:  # a partial result counted (partial=SHARE) is scored, and partial all the same
        counted = v[v["partial"]].set_index(["visit_id", "item_id"]).index
        res["_partial"] |= res.set_index(["visit_id", "item_id"]).index.isin(counted) & res["status"].eq("scored")
    by_tier = res.groupby(["wave", "item_id", "tier"], sort=False).apply(table, include_groups=False).reset_index()
    by_tier["n_visits"] = [int(n_tier.get((w, t), 0)) for w, t in zip(by_tier["wave"], by_tier["tier"])]
    several = by_tier.groupby(["wave", "item_id"])["tier"].transform("size") > 1
    every = res[res.set_index(["wave", "item_id"]).index.isin(
        by_tier.loc[several].set_index(["wave", "item_id"]).index)]
    every = every.groupby(["wave", "item_id"], sort=False).apply(table, include_groups=False).reset_index()
    every["tier"] = ALL_TIERS
    every["n_visits"] = every.merge(by_tier.groupby(["wave", "item_id"], as_index=False)["n_visits"].sum(),
                                    on=["wave", "item_id"], how="left")["n_visits"].to_numpy()
    out = pd.concat([every, by_tier], ignore_index=True)
    items = checklist.set_index("item_id")
    out["aspect"], out["item"] = out["item_id"].map(items["aspect"]), out["item_id"].map(items["item"])
    # an item's place: its share failed over every tier that weighs it (its one tier's when one weighs it)
    head = out[(out["tier"] == ALL_TIERS) | ~out.set_index(["wave", "item_id"]).index.isin(
        every.set_index(["wave", "item_id"]).index)].set_index(["wave", "item_id"])
    key = out.set_index(["wave", "item_id"]).index
    out["_w"] = out["wave"].map({w: i for i, w in enumerate(waves)})
    out["_f"] = -head["failed_pct"].astype(float).reindex(key).to_numpy()
    out["_m"] = head["mean_pct"].astype(float).reindex(key).to_numpy()
    out["_i"] = out["item_id"].map({iid: i for i, iid in enumerate(checklist["item_id"])})
    tier_order = {t: i for i, t in enumerate(sorted(visit["tier"].unique()))}
    out["_t"] = out["tier"].map(lambda t: -1 if t == ALL_TIERS else tier_order.get(t, 0))
    out = out.sort_values(["_w", "_f", "_m", "_i", "_t"], na_position="last", kind="stable")
    for c in ("full_pct", "failed_pct", "mean_pct"):
        out[c] = _round(out[c].astype(float))
    for c in ("n_visits", "n_scored", "n_not_applicable", "n_missing", "n_invalid", "n_partial", "n_veto_failed"):
        out[c] = out[c].astype(int)
    return out[cols].reset_index(drop=True)


def _round(values, digits: int = 2) -> np.ndarray:
    """Percentages to two decimals as a team rounds them by hand or with Excel's ROUND (四舍五入): 98.125
    is 98.13 and −8.125 is −8.13. Why: pandas rounds half to even (98.12), so a score checked by hand
    came out a hundredth apart. The 1e-6 takes a binary fraction a hair under the half (81.535) as the
    half it was meant to be."""
    x = np.asarray(values, dtype=float)
    scale = 10.0 ** digits
    return np.sign(x) * np.floor(np.abs(x) * scale + 0.5 + 1e-6) / scale + 0.0  # + 0.0: no −0.0


def score_audit(checklist: pd.DataFrame, visits: pd.DataFrame, *, veto_mode: str = "zero",
                partial: float | None = None) -> AuditResult:
    """Score every visit, aspect and store (see the module docstring for the rules).

    ``partial``: the share of an item's points a partial result (部分, 部分达标, △) earns, from 0 to 1 (0.5: half,
    the usual mystery-shopping convention); None (the default) leaves such results out of the visit's score like
    不适用, each listed in ``problems`` and counted in ``settings["n_partial"]``. A partial result on a veto item
    is not full achievement: when counted, it vetoes the visit.

    ``checklist`` and ``visits`` are the tables :func:`read_checklist` and :func:`read_visits` give (a sheet as
    the team fills it, 门店, 编号, 得分 …, is read into one by them); anything else is refused in one line naming
    the parameter and the reader to use.
    """
    for name, frame, reader, need in (("checklist", checklist, "read_checklist(path)", _CHECKLIST_READ),
                                      ("visits", visits, "read_visits(path)", _VISITS_READ)):
        missing = [c for c in need if c not in table_param(frame, name, reader).columns]
        if missing:
            raise ColumnError(f"{name}= lacks the column(s) {', '.join(missing)} that {reader} gives; read the "
                              f"sheet with {reader} (columns are: {', '.join(map(str, frame.columns))})",
                              params=(name,))
    if veto_mode not in VETO_MODES:
        raise InputError(f"veto mode {veto_mode!r}: use one of {', '.join(VETO_MODES)}")
    if partial is not None:
        partial = number_param(partial, "partial", low=0, high=1,
                               means="the share of an item's points a partial result (部分) earns; 0.5: half")
    src = visits.attrs.get("source", "visits")
    titles = [*checklist.attrs.get("title_rows", []), *visits.attrs.get("title_rows", [])]  # header under a title
    visits, renamed = _store_names(visits)
    _check_one_tier(visits, src)
    visits, problems, duplicates = _drop_duplicate_visits(visits)
    _check_visits_told_apart(visits, src)
    items = checklist.set_index("item_id")

    known = visits["item_id"].isin(items.index)
    for r in visits.loc[~known].itertuples():
        problems.append({"file": r.file, "row": r.row, "visit_id": r.visit_id, "item_id": r.item_id,
                         "problem": "item_id not in the checklist"})
    tiers = sorted(visits["tier"].unique())
    no_weights = [t for t in tiers if _tier_weights(checklist, t) is None]
    if no_weights:
        have = sorted(c.split(":", 1)[1] for c in checklist.columns if c.startswith("weight:"))
        raise InputError(f"{src}: store tier(s) {', '.join(no_weights)} have no weight column in the checklist "
                         f"(it has weights for: {', '.join(have)}); add weight_<tier> columns")
    v = visits.loc[known].copy()
    v["aspect"] = v["item_id"].map(items["aspect"])
    v["veto"] = v["item_id"].map(items["veto"]).astype(bool)
    pos = {iid: i for i, iid in enumerate(checklist["item_id"])}
    v["weight"] = [(_tier_weights(checklist, t))[pos[i]] for t, i in zip(v["tier"], v["item_id"])]
    # An empty cell of an item that does not count in the store's tier (weight 0: a wide sheet's 取号引导
    # column left blank for the small stores that have no queue machine) is not applicable, not a problem.
    reverse = v["item_id"].map(items["reverse"]).astype(bool) if "reverse" in items else pd.Series(False, v.index)
    fr, bad = zip(*[(np.nan, "") if s == "" and w == 0 else _achieved(s, m, partial, r)
                    for s, m, w, r in zip(v["score"], v["item_id"].map(items["max_score"]), v["weight"], reverse)]) \
        if len(v) else ((), ())
    v["achieved"] = np.asarray(fr, dtype=float)
    v["partial"] = [_result_word(s) in _PARTIAL for s in v["score"]]
    n_partial = v.groupby("visit_id", sort=False)["partial"].sum()  # counted or left out, every one
    for r, b in zip(v.itertuples(), bad):
        if b:
            problems.append({"file": r.file, "row": r.row, "visit_id": r.visit_id, "item_id": r.item_id,
                             "problem": b})
    # An empty result cell is an item the checker did not record, as much as a row left out: counted in n_missing.
    # Why: a firm's sheet (one column per item) skips an item as an empty cell, and visits.csv said 未记录项数 0 for
    # every visit while problems.csv listed the cells.
    empty_cells = [vid for vid, b in zip(v["visit_id"], bad) if b == _NO_RESULT]
    # An unreadable or out-of-range result (12 of 满分 10, 'ok') is left out too: counted in n_invalid. Why: n_items
    # read 2 of a visit of 4 items with n_missing 0, and visits.csv alone did not say where the other two went.
    invalid = pd.Series([vid for vid, b, s in zip(v["visit_id"], bad, v["score"])
                         if b and b != _NO_RESULT and _result_word(s) not in _PARTIAL], dtype=object)
    # what became of each result, for the items table (items.csv): the ones left out here, by their reason
    left_out = v[[bool(b) for b in bad]] if len(v) else v
    left_out = left_out.assign(status=["missing" if b == _NO_RESULT else "partial" if _result_word(s) in _PARTIAL
                                       else "invalid" for b, s in zip([b for b in bad if b], left_out["score"])])
    v = v[[not b for b in bad]] if len(v) else v
    dup = v.duplicated(["visit_id", "item_id"], keep="first")
    for r in v.loc[dup].itertuples():
        problems.append({"file": r.file, "row": r.row, "visit_id": r.visit_id, "item_id": r.item_id,
                         "problem": "item scored twice in one visit; the first result is used"})
    v = v.loc[~dup]

    applicable = v["achieved"].notna()
    v["ws"] = np.where(applicable, v["weight"] * v["achieved"].fillna(0), 0.0)
    v["wt"] = np.where(applicable, v["weight"], 0.0)
    keys = ["visit_id", "store", "tier", "wave"]
    first_date = v.groupby("visit_id", sort=False)["date"].first()
    g = v.groupby(keys, sort=False)
    # n_items: the items the tier weighs that were scored; n_not_applicable: those marked 不适用. An item the tier does
    # not weigh (an empty cell of a wide sheet's column, a result said in unweighted_results) is neither. Why: a 社区店
    # visit of a wide sheet read 10 items, its 3 unweighted columns' empty cells counted as 不适用 items, where its
    # tier weighs 7, and n_items + n_missing + n_invalid did not add up to them as docs/audit.md says.
    v["_scored"] = applicable & (v["weight"] > 0)
    v["_na"] = ~applicable & (v["weight"] > 0)
    v["_other"] = ~applicable  # every 不适用 result or empty cell, weighed or not: _unscored_visits says them
    visit = g.agg(ws=("ws", "sum"), wt=("wt", "sum"), n_items=("_scored", "sum"), n_not_applicable=("_na", "sum"),
                  all_results=("item_id", "size"), all_left_out=("_other", "sum")).reset_index()
    v = v.drop(columns=["_scored", "_na", "_other"])
    visit[["n_items", "n_not_applicable"]] = visit[["n_items", "n_not_applicable"]].astype(int)
    visit["date"] = visit["visit_id"].map(first_date)
    visit["raw_score"] = np.where(visit["wt"] > 0, 100 * visit["ws"] / visit["wt"].where(visit["wt"] > 0, 1), np.nan)
    failed_veto = v[v["veto"] & applicable & (v["achieved"] < 1)]
    veto_items = failed_veto.groupby("visit_id")["item_id"].agg(lambda s: ", ".join(s))
    visit["veto_items"] = visit["visit_id"].map(veto_items).astype(object).fillna("")
    visit["vetoed"] = visit["veto_items"] != ""
    visit["score"] = np.where(visit["vetoed"] & (veto_mode == "zero"), 0.0, visit["raw_score"])
    missing = _missing_checkpoints(checklist, visits.loc[known], visit)
    problems += missing
    problems += _unscored_visits(visit, v)
    visit["n_missing"] = visit["visit_id"].map(pd.Series([m["visit_id"] for m in missing] + empty_cells, dtype=object)
                                               .value_counts()).fillna(0).astype(int)
    visit["n_invalid"] = visit["visit_id"].map(invalid.value_counts()).fillna(0).astype(int)
    visit["n_partial"] = visit["visit_id"].map(n_partial).fillna(0).astype(int)
    visit["note"] = visit["visit_id"].map(_visit_notes(visits.loc[known])).astype(object).fillna("")
    by_columns = [c for c in visits.columns if str(c).startswith(BY_PREFIX)]
    for c in by_columns:  # the visit's value of the column read_visits(by=) kept (城市): its first row's
        visit[c] = visit["visit_id"].map(visits.groupby("visit_id", sort=False)[c].first()).fillna("")
    item_results = _item_results(v, left_out, missing, visit, checklist, wave_order(visit))
    groups = _groups(visit, by_columns[0], wave_order(visit)) if by_columns else None
    visit = visit[["visit_id", "store", "tier", *by_columns, "wave", "date", "score", "raw_score", "vetoed",
                   "veto_items", "n_items", "n_not_applicable", "n_missing", "n_invalid", "n_partial", "note"]]
    visit = visit.rename(columns={c: c[len(BY_PREFIX):] for c in by_columns})

    # Aspects in the checklist's order (服务意识 … 主动营销 as the team lists them), not the characters' order.
    aspect_order = {a: i for i, a in enumerate(dict.fromkeys(checklist["aspect"]))}
    ga = v.groupby([*keys, "aspect"], sort=False).agg(ws=("ws", "sum"), wt=("wt", "sum")).reset_index()
    ga["score"] = np.where(ga["wt"] > 0, 100 * ga["ws"] / ga["wt"].where(ga["wt"] > 0, 1), np.nan)
    visit_order = {vid: i for i, vid in enumerate(visit["visit_id"])}
    ga = ga.sort_values(["visit_id", "aspect"], key=lambda c: c.map(visit_order if c.name == "visit_id"
                                                                     else aspect_order))
    aspects = ga[[*keys, "aspect", "score"]]

    stores = (visit.groupby(["store", "tier", "wave"], sort=True)
              .agg(n_visits=("visit_id", "size"), score=("score", "mean"), vetoed_visits=("vetoed", "sum"))
              .reset_index())
    stores["score"] = _round(stores["score"])  # ranked and compared as shown: equal scores share a rank
    stores["rank_in_tier"] = (stores.groupby(["wave", "tier"])["score"]
                              .rank(ascending=False, method="min").astype("Int64"))
    stores["n_in_tier"] = stores.groupby(["wave", "tier"])["store"].transform("size")
    waves = wave_order(visit)
    stores["_order"] = stores["wave"].map({w: i for i, w in enumerate(waves)})
    stores = stores.sort_values(["store", "_order"])
    stores["change"] = _round(stores.groupby("store")["score"].diff())  # of the scores as shown: they add up
    # A store whose tier is not its previous wave's is marked beside its change (普通店→核心店-低客流). Why: its
    # score is then weighed by the new tier's weights and ranked among the new tier's stores, and the change
    # showed without a word of it — a reader could not tell the move from a store that got better.
    previous = stores.groupby("store")["tier"].shift()
    stores["tier_change"] = np.where(previous.notna() & (previous != stores["tier"]),
                                     previous.fillna("") + "→" + stores["tier"], "")
    stores = stores.sort_values(["_order", "tier", "rank_in_tier", "store"]).reset_index(drop=True)
    stores = stores[["store", "tier", "wave", "n_visits", "score", "rank_in_tier", "n_in_tier", "change",
                     "tier_change", "vetoed_visits"]]
    store_aspects = (aspects.groupby(["store", "tier", "wave", "aspect"], sort=True)["score"].mean()
                     .unstack("aspect").reset_index())
    store_aspects = store_aspects.sort_values("wave", kind="stable", key=lambda w: w.map(waves.index))
    store_aspects.columns.name = None
    store_aspects = store_aspects[["store", "tier", "wave",
                                   *sorted(store_aspects.columns[3:], key=aspect_order.__getitem__)]]

    vetoes = failed_veto[["visit_id", "store", "tier", "wave", "item_id"]].copy()
    vetoes["item"] = vetoes["item_id"].map(items["item"])
    vetoes["note"] = failed_veto["note"] if "note" in failed_veto else ""
    reversed_items = (checklist.loc[checklist["reverse"].astype(bool), ["item_id", "item"]]
                      if "reverse" in checklist else checklist.iloc[:0][["item_id", "item"]])
    not_visited, new = _wave_coverage(stores, waves)
    settings = {"veto_mode": veto_mode, "partial": partial, "n_partial": int(n_partial.sum()),
                "stores_not_visited": not_visited, "stores_new": new,
                "reverse_items": [f"{i} {t}" for i, t in zip(reversed_items["item_id"], reversed_items["item"])],
                "tiers": tiers, "waves": waves, "stores_renamed": renamed, "duplicates": duplicates,
                "month_splits": _month_splits(visit), "store_codes": "store_code" in visits.columns,
                "n_visits": int(len(visit)), "n_stores": int(visit["store"].nunique()),
                "unweighted_results": _unweighted_results(v, pos),
                "title_rows": titles,
                "visit_ids_given": bool("visit_given" not in visits.columns or truthy(visits["visit_given"]).all())}
    for df, cols in ((visit, ["score", "raw_score"]), (aspects, ["score"]),
                     (store_aspects, store_aspects.columns[3:])):
        for c in cols:
            df[c] = _round(df[c])
    return AuditResult(visits=visit.reset_index(drop=True), aspects=aspects.reset_index(drop=True),
                       stores=stores, store_aspects=store_aspects, vetoes=vetoes.reset_index(drop=True),
                       problems=pd.DataFrame(problems, columns=["file", "row", "visit_id", "item_id", "problem"]),
                       checklist=checklist, settings=settings, failed=_failed_items(v, items, waves),
                       items=item_results, groups=groups)
