"""``voc gap``: SERVQUAL gap analysis of fielded survey responses (a thin wrapper over :mod:`.gap`)."""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.cli.support import info as _info
from voiceofcustomer.cli.support import by_option, library_call, output_folder, outputs_written, with_reader_options

__all__ = ["gap_cmd"]

_SHOWN_PROBLEMS = 10


@click.command("gap")
@click.argument("responses", type=click.Path(path_type=Path))
@click.option("--codebook", required=True, type=click.Path(path_type=Path),
              help="Codebook CSV as voc survey writes it: item_id, dimension, e_text, p_text, reverse.")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for items.csv, dimensions.csv, summary.json, gap_report.xlsx and gap_report.html.")
@by_option
@click.option("--listwise", is_flag=True,
              help="Use only respondents with every E and P answer valid (default: pairwise per item).")
@click.option("--id-col", help="Respondent id column, for the list of invalid cells (default: found by name).")
@click.option("--scale", type=click.IntRange(3, 11), default=7, show_default=True,
              help="Points of the answer scale: 7 as voc survey asks, 5 for a 5-point survey (sets the valid "
                   "range, the recoding of reverse items and how answers such as 非常同意 are read).")
@click.option("--drop-speeders", is_flag=True,
              help="Leave out respondents who finished faster than --speeder-fraction of the median completion "
                   "time (所用时间 of 问卷星, Duration (in seconds) of Qualtrics); default: name them in a warning.")
@click.option("--speeder-fraction", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=1 / 3,
              show_default="1/3", help="Share of the median completion time under which a response is a speeder.")
@click.option("--drop-straight-liners", is_flag=True,
              help="Leave out respondents who gave one answer to every E item and one to every P item (all 7s, or "
                   "7s then 4s; at least 4 items); default: name them in a warning.")
@with_reader_options(skip=("text_col", "id_col", "on_bad_rows"))
@click.option("--questionnaire", type=click.Path(path_type=Path),
              help="questionnaire_wjx.txt as voc survey wrote it, to read a 问卷星 download by option numbers "
                   "(按选项序号): a --by question's 1, 2, 3 become its options (the store names). Default: the "
                   "one beside --codebook.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line (data warnings are still printed).")
@library_call
def gap_cmd(responses, codebook, out_dir, by, listwise, id_col, scale, drop_speeders, speeder_fraction,
            drop_straight_liners, encoding, sheet, questionnaire, quiet):
    """SERVQUAL gaps (P − E) per item, dimension and segment, SQ, weighted SQ and Cronbach's α.

    RESPONSES (.csv, or .xlsx, .xls, .xlsb, .ods) has one row per respondent, columns E_<item_id> and
    P_<item_id> (1–7, or 1–5 with --scale 5; numbers or option text such as 非常同意)
    for every codebook item, optional W_<dimension> importance points (summing to 100)
    and segment columns; a 问卷星 export is matched by its question wording. Invalid or
    missing answers are reported on stderr and in summary.json, never silently dropped.

    Example:

        voc gap responses.csv --codebook codebook.csv -o gap/ --by store,group

        voc gap wjx_export.xlsx --codebook codebook.csv -o gap/ --drop-speeders --drop-straight-liners
    """
    from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses
    from voiceofcustomer.gap.report import write_gap_report

    output_folder(out_dir)
    book = read_codebook(codebook)
    table = read_responses(responses, encoding=encoding, sheet=sheet)
    result = gap_analysis(table, book, by=by, listwise=listwise, id_col=id_col, scale=scale,
                          drop_speeders=drop_speeders, speeder_fraction=speeder_fraction, questionnaire=questionnaire,
                          drop_straight_liners=drop_straight_liners)
    write_gap_report(result, out_dir)

    with outputs_written(out_dir):  # a stop from here on: the folder is this run's, whole
        s = result.summary
        for w in s["warnings"]:
            click.echo(f"warning: {w['message']}", err=True)
        for r in result.problems.head(_SHOWN_PROBLEMS).itertuples():
            click.echo(f"  row {r.row} (respondent {r.respondent}): {r.column} = {r.value!r}: {r.problem}", err=True)
        if len(result.problems) > _SHOWN_PROBLEMS:
            click.echo(f"  … and {len(result.problems) - _SHOWN_PROBLEMS} more in {out_dir / 'problems.csv'}", err=True)
        weighted = "n/a" if s["sq_weighted"] is None else f"{s['sq_weighted']:.3f}"
        # every reason a respondent is not in the tables, so that the numbers add up to n_respondents
        reasons = {"without_pairs": "with no E/P pair", "listwise": "incomplete (listwise)", "speeders": "speeders",
                   "straight_liners": "straight-liners"}
        dropped = "".join(f", {reasons[k]} left out: {n}" for k, n in s["left_out"].items() if n)
        _info(quiet, f"SQ {s['sq']:.3f}, weighted SQ {weighted} ({s['n_used']} of {s['n_respondents']} respondents, "
                     f"{s['n_items']} items, {s['missing_policy']}{dropped}) → {out_dir}")
