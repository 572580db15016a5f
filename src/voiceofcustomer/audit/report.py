"""Write an :class:`~voiceofcustomer.audit.scoring.AuditResult`: CSV tables, one Excel workbook
and a self-contained Chinese HTML page (Jinja2 with autoescape: store names and notes are data,
rendered as text)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd

from voiceofcustomer.audit.scoring import LEFT_OUT, AuditResult
from voiceofcustomer.errors import said_in
from voiceofcustomer.io.writers import atomic_path, neutralize_formulas, write_table

__all__ = ["write_audit_report", "AUDIT_FILES", "COLUMN_ZH", "PROBLEM_ZH"]

AUDIT_FILES = ("stores.csv", "visits.csv", "aspects.csv", "vetoes.csv", "failed_items.csv", "items.csv", "problems.csv",
               "summary.json", "audit_report.xlsx", "audit_report.html")

COLUMN_ZH = {"store": "门店", "tier": "门店类别", "wave": "批次", "date": "日期", "visit_id": "暗访编号",
             "score": "得分", "raw_score": "否决前得分", "vetoed": "一票否决", "veto_items": "否决项",
             "n_items": "检查项数", "n_not_applicable": "不适用项数", "n_missing": "未记录项数", "n_invalid": "无效结果项数", "n_partial": "部分达标项数", "n_visits": "暗访次数",
             "rank_in_tier": "类别内排名", "n_in_tier": "同类门店数", "change": "较上批次变化", "tier_change": "类别变化",
             "vetoed_visits": "被否决次数", "aspect": "方面", "item_id": "编号", "item": "检查项目",
             "row": "行", "problem": "问题", "file": "文件", "veto": "一票否决项", "reverse": "反向（是=出现问题）",
             "result": "结果", "note": "评语/备注", "store_code": "门店编码", "auditor": "暗访员",
             "description": "说明", "dimension": "维度", "max_score": "满分",
             "n_scored": "计分次数", "full_pct": "满分占比(%)", "failed_pct": "零分占比(%)", "mean_pct": "平均得分率(%)",
             "n_veto_failed": "否决次数", "n_stores": "门店数", "store_score": "门店平均得分",
             "visit_score": "暗访平均得分"}

_AGAIN = "未计入该次暗访得分"
_WRITE = "不适用则写“不适用”"


def _duplicate_zh(m: re.Match) -> str:
    file, first, store, date, who, kept_file, kept, same, of = m.groups()
    return (f"重复提交的暗访：{file or ''}第 {first} 行与{kept_file or ''}第 {kept} 行是同一次暗访（{store}，{date}"
            f"{'，' + who if who else ''}）的两次提交（{of} 项中 {same} 项结果相同）；较早的一份不计，按较晚提交的一份计分")


def _unscored_zh(m: re.Match) -> str:
    store, date, what, clause = m.groups()
    if (a := re.match(r"all (\d+) of its results are 不适用$", what)):
        what = f"其 {a[1]} 项结果都是“不适用”"
    elif (a := re.match(r"its (\d+) result\(s\) other than 不适用 are for items with no weight in tier (.+)$", what)):
        what = f"其“不适用”以外的 {a[1]} 项结果都是门店类别“{a[2]}”不计权重的项目"
    if (a := re.match(r"the store's score for wave (.+) is that of its other (\d+) visit\(s\)$", clause)):
        clause = f"门店在批次 {a[1]} 的得分取其另外 {a[2]} 次暗访"
    elif (a := re.match(r"the store has no score for wave (.+) and is not ranked$", clause)):
        clause = f"门店在批次 {a[1]} 没有得分，不参加排名"
    return (f"{store} {date} 的暗访没有得分：{what}，所以得分留空（不是 0），{clause}；请核对表中该次暗访的结果，"
            "如门店确实没有这些项目，请删去该次暗访")


#: The problems' reasons (English in problems.csv and on stderr) in the page's language, as the gap page says its
#: own (``errors.said_in``). Why: the page's 未计分的记录 table showed "item_id not in the checklist", "score 12 is
#: outside 0–10 …" under its Chinese headings.
PROBLEM_ZH = (
    (re.compile(r"^item_id not in the checklist$"), "检查清单中没有这个编号；该行未计分（请核对编号）"),
    (re.compile(r"^item scored twice in one visit; the first result is used$"), "同一次暗访中该项有两个结果；按第一个计分"),
    (re.compile(r"^no result \(an empty cell\); " + re.escape(LEFT_OUT) + "$"),
     f"没有结果（空白单元格）；与不适用项一样{_AGAIN}（请补上结果，{_WRITE}）"),
    (re.compile(r"^no result recorded in this visit; " + re.escape(LEFT_OUT) + "$"),
     f"该次暗访没有这一项的记录；与不适用项一样{_AGAIN}（请补上结果，{_WRITE}）"),
    (re.compile(r"^result '(.*)' \(partial\) left out of the visit's score like 不适用, .*$"),
     rf"结果“\1”（部分达标）与不适用项一样{_AGAIN}：没有给部分达标规定分值；可加 --partial 0.5（按该项分值的一半计，"
     "惯例），或把结果写成是/否或分数"),
    (re.compile(r"^result '(.*)' is not a score, pass/fail \(是/否\) or 不适用; .*$"),
     rf"结果“\1”不是分数、是/否或不适用；{_AGAIN}（请写分数、是/否，{_WRITE}）"),
    (re.compile(r"^result '(.*)' on a pass/fail item \(no 满分\) is not 是/否 \(1/0\); .*$"),
     rf"结果“\1”不是是/否（1/0），该项是是/否项（没有满分）；{_AGAIN}（请写是/否，{_WRITE}）"),
    (re.compile(r"^score (\S+) is outside 0–(\S+) \(the item's 满分 is \S+\); .*$"),
     rf"得分 \1 超出 0–\2（该项满分 \2）；{_AGAIN}（请写 \2 分以内的得分，{_WRITE}）"),
    (re.compile(r"^duplicate visit: (?:(.+) )?rows? (\S+) repeats? the visit to (.+) on (\S+?)(?: by (.+))? in "
                r"(?:(.+) )?rows? (\S+) \((\d+) of (\d+) results the same\), a visit submitted twice; .*$"), _duplicate_zh),
    (re.compile(r"^no score for the visit to (.+) on (\S+): (.+), so its score is empty \(not 0\) and (.+); check .*$"),
     _unscored_zh),
)


def _problems_zh(problems: pd.DataFrame) -> pd.DataFrame:
    return problems.assign(problem=problems["problem"].map(lambda p: said_in(p, PROBLEM_ZH)))


_ENV = jinja2.Environment(loader=jinja2.PackageLoader("voiceofcustomer.audit", "templates"),
                          autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def _fmt(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "是" if v else "否"
    if isinstance(v, (float, np.floating)):
        return "" if np.isnan(v) else f"{v:.2f}"  # as the tables have them (71.25 read 71.2 on the page)
    if v is None or v is pd.NA:
        return ""
    return str(v)


def _yes_no(df: pd.DataFrame) -> pd.DataFrame:
    """A table for a reader: its yes/no columns (``veto`` of the failed items and the checklist, ``vetoed`` of the
    visits, ``reverse``) as 是 / 否. Why: the workbook's 一票否决项 column read TRUE / FALSE beside the Chinese headers.
    The CSV tables keep True / False: their columns are the machine's, read back by scripts."""
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype == bool or (col.dtype == object and len(col) and col.map(lambda v: isinstance(v, (bool, np.bool_))).all()):
            out[c] = col.map(lambda v: "是" if v else "否")
    return out


def _rows(df: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    return [COLUMN_ZH.get(c, c) for c in df.columns], [[_fmt(v) for v in r] for r in df.itertuples(index=False)]


def _failed_shown(failed: pd.DataFrame, ids_given: bool = False) -> pd.DataFrame:
    """A wave's 失分项与评语 table: store, date, the checker (暗访员) when the sheet names one, and, when visits of one
    store on one day are not told apart by those, the visit's 暗访编号 when the sheet gives each visit one
    (``ids_given``), else the result's row in the sheet. Why: two visits to a store on one day (two checkers, or a
    second trip) showed as one store and date, and the failed items could not be told apart; and a sheet with a
    暗访编号 column showed 行 3 where the checker looks the visit up by its MS-0106."""
    cols = ["store", "date", *(["auditor"] if "auditor" in failed.columns else [])]
    if (failed.groupby(cols, sort=False)["visit_id"].nunique() > 1).any():
        if ids_given:
            cols.append("visit_id")
        else:
            several = failed["file"].nunique() > 1
            failed = failed.assign(row=[f"{f}：{r}" if several else str(r) for f, r in zip(failed["file"], failed["row"])])
            cols.append("row")
    return failed[[*cols, "item_id", "item", "result", "note"]]


def _sheet_name(name: str) -> str:
    """A workbook sheet's name for ``name``: without the characters Excel refuses (``[]:*?/`` and the backslash), 31 at most."""
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31]


def write_audit_report(result: AuditResult, out_dir: str | Path) -> Path:
    """Write every table and the report into ``out_dir`` (created); returns the HTML path.

    The folder is written as one piece (:class:`~voiceofcustomer.report.folder.OutputFolder`):
    an interrupted run leaves the earlier report as it was, never half of a new one.
    """
    from voiceofcustomer.report.folder import OutputFolder

    folder = OutputFolder(out_dir, "audit", legacy=lambda _folder: AUDIT_FILES)
    with folder as build:
        path = _write_files(result, build)
    return folder.final(path)


def _write_files(result: AuditResult, out: Path) -> Path:
    tables = {"stores": result.stores, "visits": result.visits, "aspects": result.aspects,
              "vetoes": result.vetoes, "failed_items": result.failed, "items": result.items,
              "problems": result.problems}
    if result.groups is not None:  # scores by a column the visits carry (--by 城市): scores_by_城市.csv
        from voiceofcustomer.themes.report import safe_name

        tables[f"scores_by_{safe_name(result.groups.columns[0])}"] = result.groups
    for name, df in tables.items():
        write_table(df, out / f"{name}.csv")
    with atomic_path(out / "summary.json") as tmp:
        tmp.write_text(json.dumps(result.settings, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    with atomic_path(out / "audit_report.xlsx") as tmp:
        with pd.ExcelWriter(tmp, engine="xlsxwriter") as xl:
            # the checklist's weights headed as a checklist heads them (权重_旗舰店), not weight:旗舰店
            book = result.checklist.rename(columns=lambda c: re.sub(r"^weight:", "权重_", str(c)))
            sheets = {"门店排名": result.stores, "各方面得分": result.store_aspects, "暗访明细": result.visits,
                      "一票否决": result.vetoes, "失分项": result.failed,
                      "检查项目结果": result.items,
                      **({_sheet_name(f"按{result.groups.columns[0]}"): result.groups}
                         if result.groups is not None else {}),
                      "检查清单": book,
                      "问题": _problems_zh(result.problems)}  # the page's reasons; problems.csv keeps the English
            for sheet, df in sheets.items():
                neutralize_formulas(_yes_no(df).rename(columns=COLUMN_ZH)).to_excel(xl, sheet_name=sheet, index=False)
    waves = result.settings.get("waves", [])
    sections = []
    for wave in waves:
        st = result.stores[result.stores["wave"] == wave].drop(columns=["wave"])
        sa = result.store_aspects[result.store_aspects["wave"] == wave].drop(columns=["wave"])
        moved = [f"{r.store}（{r.tier_change}）" for r in st.itertuples() if r.tier_change]
        # the items each store fell short on, with the checker's comment beside them (text: autoescaped)
        failed = _failed_shown(result.failed[result.failed["wave"] == wave],
                               result.settings.get("visit_ids_given", False)) if len(result.failed.columns) \
            else pd.DataFrame()
        previous = waves[waves.index(wave) - 1] if waves.index(wave) else ""
        items = result.items[result.items["wave"] == wave].drop(columns=["wave"]) if len(result.items.columns) \
            else pd.DataFrame()
        groups = (result.groups[result.groups["wave"] == wave].drop(columns=["wave"])
                  if result.groups is not None else pd.DataFrame())
        sections.append({"wave": wave, "stores": _rows(st), "aspects": _rows(sa), "moved": moved, "previous": previous,
                         "failed": _rows(failed) if len(failed) else None,
                         "item_results": _rows(items) if len(items) else None,
                         "groups": _rows(groups) if len(groups) else None,
                         "by": result.groups.columns[0] if result.groups is not None else "",
                         "not_visited": result.settings.get("stores_not_visited", {}).get(wave, []),
                         "new": result.settings.get("stores_new", {}).get(wave, [])})
    page = _ENV.get_template("audit.html").render(
        settings=result.settings, sections=sections, vetoes=_rows(result.vetoes),
        problems=_rows(_problems_zh(result.problems)), n_problems=len(result.problems))
    path = out / "audit_report.html"
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path
