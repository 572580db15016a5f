"""``voc audit``: mystery-shopping store-check scores (a thin wrapper over :mod:`voiceofcustomer.audit`)."""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.cli.support import info as _info
from voiceofcustomer.cli.support import library_call, output_folder, outputs_written, plural

__all__ = ["audit_cmd"]

_SHOWN_PROBLEMS = 10


@click.command("audit")
@click.argument("visits", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--checklist", required=True, type=click.Path(path_type=Path),
              help="Checklist (.csv/.xlsx/.xls): aspect, item_id, item, weight_<tier>…, veto (+ dimension, max_score).")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for stores.csv, visits.csv, aspects.csv, items.csv, failed_items.csv, vetoes.csv, "
                   "problems.csv (when a row could not be scored), scores_by_<col>.csv (with --by), "
                   "audit_report.xlsx/.html.")
@click.option("--veto-mode", type=click.Choice(["zero", "flag"]), default="zero", show_default=True,
              help="A failed veto item (一票否决) sets the visit to 0, or only flags it.")
@click.option("--partial", type=float, default=None, metavar="SHARE",
              help="Count a partial result (部分, 部分达标, △) as this share of the item's points, e.g. 0.5 (half, the "
                   "usual convention); by default partial results are left out of the score, listed and counted.")
@click.option("--weights-from", "gap_dir", type=click.Path(path_type=Path),
              help="A `voc gap` output folder (or its dimensions.csv / gap_report.xlsx): revise item weights "
                   "by each SERVQUAL dimension's importance and gap.")
@click.option("--encoding", help="Text encoding of CSV inputs (default: detected; e.g. gbk).")
@click.option("--sheet", help="Excel sheet of the visit results (when the workbook has several); VISITS.xlsx:SHEET "
                                "does the same, and CHECKLIST.xlsx:SHEET picks the checklist's sheet.")
@click.option("--wave-col", "wave_column", metavar="COLUMN",
              help="The visits' column holding the wave (e.g. 暗访轮次), when its header is not 批次/期次/轮次/wave; "
                   "without one the waves are the months of the dates (a round over a month end is said).")
@click.option("--by", "by", metavar="COLUMN",
              help="A column of the visits (e.g. 城市, 区域, 分公司): store and visit scores averaged per value and "
                   "wave, in scores_by_COLUMN.csv and the report.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
@library_call
def audit_cmd(visits, checklist, out_dir, veto_mode, partial, gap_dir, encoding, sheet, wave_column, by, quiet):
    """Score mystery-shopping visits (暗访): weighted visit and aspect scores by store tier,
    one-vote vetoes, store ranking within tier and change between waves.

    VISITS (.csv/.xlsx/.xls; several files, e.g. one per wave, are read as one table) has one
    row per visit and checklist item: store, tier, date (or wave), item_id, score (a number up
    to the item's max_score, or 是/否, 通过/不通过, √/×; 不适用 leaves the item out), or one row
    per visit with one column per checklist item (its id or 检查项目 as the header). Rows that
    cannot be scored are listed, never dropped. A partial result (部分) counts as --partial of
    the item's points, or is left out of the score (and counted) without it.

    Example:

        voc audit visits.xlsx --checklist checklist.csv -o audit/ --weights-from gap/

        voc audit 10月.xlsx 12月.csv --checklist checklist.csv -o audit/

        voc audit visits.xlsx --checklist checklist.csv -o audit/ --partial 0.5

        voc audit visits.xlsx --checklist checklist.csv -o audit/ --by 城市
    """
    import pandas as pd

    from voiceofcustomer.audit import read_checklist, read_visits, score_audit, weights_from_gap, write_audit_report

    output_folder(out_dir)
    book = read_checklist(checklist, encoding=encoding)
    revision = None
    if gap_dir is not None:
        from voiceofcustomer.audit.scoring import read_gap_dimensions

        book, revision = weights_from_gap(book, read_gap_dimensions(gap_dir))
    rows = read_visits(list(visits), encoding=encoding, sheet=sheet, checklist=book, wave_column=wave_column, by=by)
    result = score_audit(book, rows, veto_mode=veto_mode, partial=partial)
    if revision:
        result.settings["weight_revision"] = revision
    html = write_audit_report(result, out_dir)
    with outputs_written(out_dir):  # a stop from here on: the folder is this run's, whole
        for r in result.problems.head(_SHOWN_PROBLEMS).itertuples():
            if not pd.isna(r.row):
                where = (f"{f'{r.file} ' if len(visits) > 1 else ''}row {r.row} (visit {r.visit_id}"
                         + ("" if pd.isna(r.item_id) else f", item {r.item_id}") + ")")
            else:  # an item the visit has no row for, or the whole visit (no item: one without a score)
                where = f"visit {r.visit_id}" + ("" if pd.isna(r.item_id) else f", item {r.item_id}")
            click.echo(f"  {where}: {r.problem}", err=True)
        if len(result.problems) > _SHOWN_PROBLEMS:
            click.echo(f"  … and {len(result.problems) - _SHOWN_PROBLEMS} more in {out_dir / 'problems.csv'}", err=True)
        s = result.settings
        for m in s.get("month_splits", []):  # a round of visits the month waves cut in two
            click.echo(f"warning: the visits of {m['from']} to {m['to']} are one round (no gap over two weeks) but "
                       f"are scored as {len(m['waves'])} waves, the months of their dates ("
                       + ", ".join(f"{w}: {plural(n, 'visit', 'visits')}" for w, n in m["waves"].items())
                       + "); if they are one wave, add a 批次 column (or name yours with --wave-col)", err=True)
        unscored = int(result.visits["raw_score"].isna().sum())
        _info(quiet, f"{plural(s['n_visits'], 'visit')} of {plural(s['n_stores'], 'store')} in "
                     f"{plural(len(s['waves']), 'wave')}; {int(result.visits['vetoed'].sum()):,} vetoed"
                     + (f"; {unscored} without a score (every result 不适用, or for items the tier does not weigh: see "
                        "problems.csv)" if unscored else "")
                     + _partial_said(s)
                     + _titles_said(s)
                     + _unweighted_said(s)
                     + _duplicates_said(s)
                     + _renamed_said(s)
                     + _coverage_said(s)
                     + f"; report: {html}")


def _partial_said(settings: dict) -> str:
    """The summary's word on partial results (部分): how many, and counted at what share or left out."""
    n = settings.get("n_partial", 0)
    if not n:
        return ""
    results = plural(n, "partial result (部分)", "partial results (部分)")
    if settings.get("partial") is None:
        return (f"; {results} left out of the score (see problems.csv; --partial 0.5 counts each as half its "
                "item's points)")
    return f"; {results} counted as {settings['partial']:g} of their item's points"


def _titles_said(settings: dict) -> str:
    """The summary's word on sheets whose header was found under a title row (which row was read as the header)."""
    from voiceofcustomer.cli.support import titles_said

    return titles_said(settings.get("title_rows", []))


def _unweighted_said(settings: dict) -> str:
    """The summary's word on results for items the store's tier gives no weight (recorded, scored nothing)."""
    got = settings.get("unweighted_results", [])
    if not got:
        return ""
    tiers = {}
    for g in got:
        tiers.setdefault(g["tier"], []).append(g["item_id"])
    where = "; ".join(f"{t}: {', '.join(items)}" for t, items in tiers.items())
    return (f"; {plural(sum(g['n'] for g in got), 'result', 'results')} for items without a weight in their store's "
            f"tier not scored ({where}; a blank 权重 cell is 0: fill it if the item counts in that tier)")


def _duplicates_said(settings: dict) -> str:
    """The summary's word on visits submitted twice and scored once."""
    n = len(settings.get("duplicates", []))
    return (f"; {plural(n, 'visit', 'visits')} submitted twice scored once, the earlier submission left out "
            "(see problems.csv)") if n else ""


def _renamed_said(settings: dict) -> str:
    """The summary's word on stores one code names differently in two waves (shown by the latest name)."""
    renamed = settings.get("stores_renamed", {})
    if not renamed:
        return ""
    shown = [" → ".join(n) for n in list(renamed.values())[:3]]
    return (f"; {plural(len(renamed), 'store', 'stores')} renamed, one store by its code ({', '.join(shown)}"
            f"{' …' if len(renamed) > 3 else ''})")


def _coverage_said(settings: dict) -> str:
    """The summary's word on stores a wave leaves out or adds: a renamed store is one gone and one new."""
    said = []
    for wave in settings["waves"][1:]:
        gone, new = settings["stores_not_visited"].get(wave, []), settings["stores_new"].get(wave, [])
        if gone:
            said.append(f"{plural(len(gone), 'store', 'stores')} of the previous wave not visited in {wave} "
                        f"({', '.join(gone[:3])}{' …' if len(gone) > 3 else ''})")
        if new:
            said.append(f"{plural(len(new), 'store', 'stores')} new in {wave}, without a change "
                        f"({', '.join(new[:3])}{' …' if len(new) > 3 else ''})")
    if not said:
        return ""
    renamed = not settings.get("store_codes") and any(settings["stores_not_visited"].get(w)
                                                       and settings["stores_new"].get(w) for w in settings["waves"])
    return "; " + "; ".join(said) + ("; a renamed store needs one name in every wave, or a store code column "
                                     "(门店编码), for its change" if renamed else "")
