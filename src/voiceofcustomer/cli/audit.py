"""``voc audit``: mystery-shopping store-check scores (a thin wrapper over :mod:`voiceofcustomer.audit`)."""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.cli.support import info as _info
from voiceofcustomer.cli.support import library_call, output_folder, outputs_written

__all__ = ["audit_cmd"]

_SHOWN_PROBLEMS = 10


@click.command("audit")
@click.argument("visits", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--checklist", required=True, type=click.Path(path_type=Path),
              help="Checklist (.csv/.xlsx/.xls): aspect, item_id, item, weight_<tier>…, veto (+ dimension, max_score).")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for stores.csv, visits.csv, aspects.csv, vetoes.csv, audit_report.xlsx/.html.")
@click.option("--veto-mode", type=click.Choice(["zero", "flag"]), default="zero", show_default=True,
              help="A failed veto item (一票否决) sets the visit to 0, or only flags it.")
@click.option("--weights-from", "gap_dir", type=click.Path(path_type=Path),
              help="A `voc gap` output folder (or its dimensions.csv / gap_report.xlsx): revise item weights "
                   "by each SERVQUAL dimension's importance and gap.")
@click.option("--encoding", help="Text encoding of CSV inputs (default: detected; e.g. gbk).")
@click.option("--sheet", help="Excel sheet of the visit results (when the workbook has several); VISITS.xlsx:SHEET "
                                "does the same, and CHECKLIST.xlsx:SHEET picks the checklist's sheet.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
@library_call
def audit_cmd(visits, checklist, out_dir, veto_mode, gap_dir, encoding, sheet, quiet):
    """Score mystery-shopping visits (暗访): weighted visit and aspect scores by store tier,
    one-vote vetoes, store ranking within tier and change between waves.

    VISITS (.csv/.xlsx/.xls; several files, e.g. one per wave, are read as one table) has one
    row per visit and checklist item: store, tier, date (or wave), item_id, score (a number up
    to the item's max_score, or 是/否, 通过/不通过, √/×; 不适用 leaves the item out), or one row
    per visit with one column per checklist item (its id or 检查项目 as the header). Rows that
    cannot be scored are listed, never dropped.

    Example:

        voc audit visits.xlsx --checklist checklist.csv -o audit/ --weights-from gap/

        voc audit 10月.xlsx 12月.csv --checklist checklist.csv -o audit/
    """
    import pandas as pd

    from voiceofcustomer.audit import read_checklist, read_visits, score_audit, weights_from_gap, write_audit_report

    output_folder(out_dir)
    book = read_checklist(checklist, encoding=encoding)
    revision = None
    if gap_dir is not None:
        from voiceofcustomer.audit.scoring import read_gap_dimensions

        book, revision = weights_from_gap(book, read_gap_dimensions(gap_dir))
    rows = read_visits(list(visits), encoding=encoding, sheet=sheet, checklist=book)
    result = score_audit(book, rows, veto_mode=veto_mode)
    if revision:
        result.settings["weight_revision"] = revision
    html = write_audit_report(result, out_dir)
    with outputs_written(out_dir):  # a stop from here on: the folder is this run's, whole
        for r in result.problems.head(_SHOWN_PROBLEMS).itertuples():
            if not pd.isna(r.row):
                where = f"{f'{r.file} ' if len(visits) > 1 else ''}row {r.row} (visit {r.visit_id}, item {r.item_id})"
            else:  # an item the visit has no row for, or the whole visit (no item: one without a score)
                where = f"visit {r.visit_id}" + ("" if pd.isna(r.item_id) else f", item {r.item_id}")
            click.echo(f"  {where}: {r.problem}", err=True)
        if len(result.problems) > _SHOWN_PROBLEMS:
            click.echo(f"  … and {len(result.problems) - _SHOWN_PROBLEMS} more in {out_dir / 'problems.csv'}", err=True)
        s = result.settings
        unscored = int(result.visits["raw_score"].isna().sum())
        _info(quiet, f"{s['n_visits']} visits of {s['n_stores']} stores in {len(s['waves'])} wave(s); "
                     f"{int(result.visits['vetoed'].sum())} vetoed"
                     + (f"; {unscored} without a score (every result 不适用, or for items the tier does not weigh: see "
                        "problems.csv)" if unscored else "")
                     + f"; report: {html}")
