"""Write an :class:`~voiceofcustomer.audit.scoring.AuditResult`: CSV tables, one Excel workbook
and a self-contained Chinese HTML page (Jinja2 with autoescape: store names and notes are data,
rendered as text)."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd

from voiceofcustomer.audit.scoring import AuditResult
from voiceofcustomer.io.writers import atomic_path, neutralize_formulas, write_table

__all__ = ["write_audit_report", "AUDIT_FILES", "COLUMN_ZH"]

AUDIT_FILES = ("stores.csv", "visits.csv", "aspects.csv", "vetoes.csv", "failed_items.csv", "problems.csv",
               "summary.json", "audit_report.xlsx", "audit_report.html")

COLUMN_ZH = {"store": "门店", "tier": "门店类别", "wave": "批次", "date": "日期", "visit_id": "暗访编号",
             "score": "得分", "raw_score": "否决前得分", "vetoed": "一票否决", "veto_items": "否决项",
             "n_items": "检查项数", "n_not_applicable": "不适用项数", "n_missing": "未记录项数", "n_partial": "部分达标项数", "n_visits": "暗访次数",
             "rank_in_tier": "类别内排名", "n_in_tier": "同类门店数", "change": "较上批次变化", "tier_change": "类别变化",
             "vetoed_visits": "被否决次数", "aspect": "方面", "item_id": "编号", "item": "检查项目",
             "row": "行", "problem": "问题", "file": "文件", "veto": "一票否决项", "reverse": "反向（是=出现问题）",
             "result": "结果", "note": "评语/备注", "store_code": "门店编码"}

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
              "vetoes": result.vetoes, "failed_items": result.failed, "problems": result.problems}
    for name, df in tables.items():
        write_table(df, out / f"{name}.csv")
    with atomic_path(out / "summary.json") as tmp:
        tmp.write_text(json.dumps(result.settings, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    with atomic_path(out / "audit_report.xlsx") as tmp:
        with pd.ExcelWriter(tmp, engine="xlsxwriter") as xl:
            sheets = {"门店排名": result.stores, "各方面得分": result.store_aspects, "暗访明细": result.visits,
                      "一票否决": result.vetoes, "失分项": result.failed, "检查清单": result.checklist,
                      "问题": result.problems}
            for sheet, df in sheets.items():
                neutralize_formulas(_yes_no(df).rename(columns=COLUMN_ZH)).to_excel(xl, sheet_name=sheet, index=False)
    waves = result.settings.get("waves", [])
    sections = []
    for wave in waves:
        st = result.stores[result.stores["wave"] == wave].drop(columns=["wave"])
        sa = result.store_aspects[result.store_aspects["wave"] == wave].drop(columns=["wave"])
        moved = [f"{r.store}（{r.tier_change}）" for r in st.itertuples() if r.tier_change]
        # the items each store fell short on, with the checker's comment beside them (text: autoescaped)
        failed = result.failed[result.failed["wave"] == wave][["store", "date", "item_id", "item", "result", "note"]] \
            if len(result.failed.columns) else pd.DataFrame()
        previous = waves[waves.index(wave) - 1] if waves.index(wave) else ""
        sections.append({"wave": wave, "stores": _rows(st), "aspects": _rows(sa), "moved": moved, "previous": previous,
                         "failed": _rows(failed) if len(failed) else None,
                         "not_visited": result.settings.get("stores_not_visited", {}).get(wave, []),
                         "new": result.settings.get("stores_new", {}).get(wave, [])})
    page = _ENV.get_template("audit.html").render(
        settings=result.settings, sections=sections, vetoes=_rows(result.vetoes),
        problems=_rows(result.problems), n_problems=len(result.problems))
    path = out / "audit_report.html"
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path
