"""``voc freq``: issue frequencies of a tagged table (a thin wrapper over :mod:`.freq`)."""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.cli.support import info as _info
from voiceofcustomer.cli.support import by_option, plural, with_reader_options
from voiceofcustomer.cli.support import library_call as _library_call

__all__ = ["freq_cmd"]


@click.command("freq")
@click.argument("tagged", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for frequencies.xlsx, one CSV per table and charts.html.")
@by_option
@click.option("--period", type=click.Choice(["week", "month"]),
              help="Count per week (Monday–Sunday) or month, with the change against the previous one.")
@click.option("--date-col", help="Column with each row's date (e.g. 受理时间); gives counts by period (default "
                                 "month). Without it, --period and --alerts use a column named 受理时间, 投诉时间, "
                                 "创建时间, 日期, date, created_at or 时间.")
@click.option("--examples", default=3, show_default=True, type=click.IntRange(0, 20),
              help="Statements shown behind every cell (highest label confidence first).")
@click.option("--alerts", is_flag=True,
              help="Flag label × segment (--by) cells whose latest-period count is significantly above their own "
                   "baseline (needs dates, see --date-col): an 'alerts' table and report section.")
@click.option("--include-moderator", is_flag=True, help="Count moderator statements too (default: left out).")
@click.option("--include-duplicates", is_flag=True, help="Count rows flagged is_duplicate too (default: left out).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this process; dask: one task per partition on a Dask cluster (same tables).")
@click.option("--scheduler", help="With --engine dask: a running scheduler's address, e.g. tcp://10.0.0.5:8786 "
                                  "(default: a local cluster of 2 worker processes).")
@with_reader_options(per_file=True)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@_library_call
def freq_cmd(tagged, out_dir, by, period, date_col, examples, alerts, include_moderator, include_duplicates, engine,
             scheduler, text_col, id_col, encoding, sheet, on_bad_rows, quiet):
    """Counts and shares of every label (issue, SERVQUAL, demand, stance), overall, by group and period.

    TAGGED is a table from `voc split` + `voc tag` (or an export tagged by `voc tag`), or a
    folder or glob of such partitions (e.g. the Parquet dataset of `voc tag --engine dask`),
    or several of those (tag_oct.parquet tag_nov.parquet): all their files are one input,
    read in name (path) order as a folder holding them is, whatever the order given.
    Moderator statements and duplicates are left out unless asked for, rows with no text
    (e.g. a turn that was only [听不清]) always; the notes sheet gives every number
    excluded. Shares carry 95% Wilson intervals; every cell lists the ids and texts of its
    top statements.

    Example:

        voc freq tagged.csv -o freq/ --by city,渠道 --period month --date-col 受理时间

        voc freq tagged.csv -o freq/ --by 区县 --period week --date-col 受理时间 --alerts

        voc freq tag_2026-10.parquet tag_2026-11.parquet -o freq/ --by 地市 --period month
    """
    import pandas as pd

    from voiceofcustomer.cli.support import cli_words, list_bad_rows, output_folder, outputs_written, progress_bar
    from voiceofcustomer.freq.tables import NOTE_PARAMS, count_table, write_frequencies
    from voiceofcustomer.io.readers import check_sheet_option

    check_sheet_option(tagged, sheet)
    tagged = tagged[0] if len(tagged) == 1 else list(tagged)  # one path: named in messages as before
    output_folder(out_dir)  # before counting: a -o that cannot be a folder fails at once
    with progress_bar(quiet, desc="freq") as bar:
        result, bad_rows = count_table(tagged, engine=engine, scheduler=scheduler, text_col=text_col, id_col=id_col,
                                       encoding=encoding, sheet=sheet, on_bad_rows=on_bad_rows, progress=bar.update,
                                       by=by, date_col=date_col, period=period, examples=examples,
                                       include_moderator=include_moderator, include_duplicates=include_duplicates,
                                       alerts=alerts)
    said = result.tables["notes"]  # the notes name include_duplicates=True as a Python caller writes it: the flag here
    said["detail"] = [cli_words(d, NOTE_PARAMS) for d in said["detail"]]
    paths = write_frequencies(result, out_dir, skipped=bad_rows)
    with outputs_written(out_dir):  # a stop from here on: the folder is this run's, whole
        list_bad_rows(bad_rows, paths.get("skipped"))
        notes = result.tables["notes"].set_index("note")["count"]
        again = notes.get("rows repeated from an earlier file excluded", 0)
        totals = notes.get("totals rows excluded", 0)
        headers = notes.get("repeated header rows excluded", 0)
        garbled = notes.get("garbled rows excluded", 0)
        staff = notes.get("staff sections excluded", 0)
        tickets = notes.get("tickets counted")
        _info(quiet, f"counted {result.rows_counted:,} of {plural(result.rows_read, 'statement')} "
                     # no ticket counted (a survey's answers, a focus group): no 'in 0 tickets'
                     + (f"in {plural(int(tickets), 'ticket')} " if tickets is not None and pd.notna(tickets)
                        and int(tickets) else "")
                     + f"({notes['moderator statements excluded']} moderator, "
                     + (f"{staff:,} of tickets' staff sections (处理结果, 回访 …), " if staff else "")
                     + f"{notes['rows with no text excluded']} with "
                     f"no text, {plural(notes['duplicates excluded'], 'duplicate')}"
                     + (f", {garbled:,} whose text looks garbled (check the file's encoding: see notes)"
                        if garbled else "")
                     + (f", {plural(totals, 'totals row')} (合计 …, not tickets)" if totals else "")
                     + (f", {plural(headers, 'repeated header row')} (not tickets)" if headers else "")
                     + (f", {again:,} repeated from an earlier file" if again else "")
                     + f" left out) → {paths['workbook']}, {len(result.tables)} CSV tables, {paths['charts']}")
        for i, (name, rows, n) in enumerate(result.repeated_files):
            if n:
                before = list(dict.fromkeys(Path(f).name for f, _r, _n in result.repeated_files[:i]
                                            if Path(f).name != Path(name).name))
                read = (f"{', '.join(before[:3])}{' …' if len(before) > 3 else ''}, read before it in name order"
                        if before else "read before it in name order")
                _info(quiet, f"note: {name} repeats {n:,} of its {plural(rows, 'row')} from an earlier file (same "
                             f"{result.repeat_key}): each was counted once, in the file read first ({read}); to count "
                             "one export, give that file alone (see the notes sheet); name a month's file so it sorts "
                             "before the next month's (tagged_2026-10, tagged_2026-11) to have the repeats said of the "
                             "later one")
        for name, again, answers in result.grown_surveys:
            _info(quiet, f"note: {name} is an earlier file's survey exported again: {again:,} of its "
                         f"{plural(answers, 'answer')} have that file's answer number (ticket_id) and words, each counted "
                         "once (answers of another survey that reuse the numbers with other words are counted)")
        if result.made_id_rows:
            _info(quiet, "note: tickets of an export without an id column (ids voc split made from the row, 工单:3) "
                         "were not checked against earlier files: 工单:3 of two files is two tickets; if one file is an "
                         "earlier export of another, give the later one alone (see the notes sheet)")
        if result.repeated_files and result.repeat_key is None:
            _info(quiet, "note: the files have no id column, so a text an earlier file also has was counted again, "
                         "as another ticket with the same words; if one file is an earlier export of another, give "
                         "the later one alone (see the notes sheet)")
        if "alerts not tested" in notes.index:
            _info(quiet, "alerts not tested: " + result.tables["notes"].set_index("note").at["alerts not tested", "detail"])
        elif "alerts" in result.tables:
            a = result.tables["alerts"]
            _info(quiet, f"alerts: {int(a['flagged'].sum()):,} of {len(a):,} tested label × segment cells rising in the "
                         f"latest {period or 'month'}, counted in {'tickets' if 'tickets' in a.columns else 'statements'}"
                         " (alerts.csv)")
        if "partial periods" in notes.index:
            _info(quiet, "partial periods: " + result.tables["notes"].set_index("note").at["partial periods", "detail"])
        if result.date_col is not None and date_col is None:
            _info(quiet, f"dates from column {result.date_col!r} (found by its name; another with --date-col)")
        if notes.get("transcript statements not in the trend", 0):
            _info(quiet, f"{plural(notes['transcript statements not in the trend'], 'focus-group statement')} not in "
                         f"by_period or the alerts: the trend counts tickets by {result.date_col!r}, a focus group has "
                         "only its session's date (counted in every other table; see the notes sheet)")
        if "no date" in notes.index and notes["no date"]:
            _info(quiet, f"{plural(notes['no date'], 'row has', 'rows have')} no usable date in {result.date_col!r} "
                         "(see the notes sheet)")
