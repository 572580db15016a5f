"""``voc survey``: reviewed items → questionnaire files (a thin wrapper over :mod:`.survey`)."""

from __future__ import annotations

from pathlib import Path

import click

from voiceofcustomer.cli.support import library_call as _library_call
from voiceofcustomer.cli.support import output_folder, outputs_written

__all__ = ["survey_cmd"]

_SHOWN = 10  # undecided rows named on the summary


@click.command("survey")
@click.argument("reviewed", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for questionnaire.docx, questionnaire_wjx.txt, codebook.csv, responses_template.csv.")
@click.option("--format", "formats", default="docx,wjx,csv", show_default=True,
              help="Comma-separated subset of docx (Word), wjx (问卷星 text import), csv (codebook + template).")
@click.option("--title", default=None, help="Questionnaire title (default: 电信服务质量客户调查问卷).")
@click.option("--stores", help="Stores respondents choose from for the store question: a comma-separated list "
              "or a .txt/.csv file with one name per line (asked whenever items mention 营业厅).")
@click.option("--no-store-question", is_flag=True, help="Do not ask which store the answers are about.")
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
@_library_call
def survey_cmd(reviewed, out_dir, formats, title, stores, no_store_question, quiet):
    """Build the questionnaire from the reviewed items workbook of voc items.

    Rows with decision accept or edit (采纳/修改, 接受) go into the survey, edited wording
    (edited_text: "E: …" / "P: …" lines, or one perception statement) in place of the
    candidate's; rejected and undecided rows never do: the summary counts them and names
    the undecided ones. Items are grouped by SERVQUAL
    dimension; each is asked as expectation (E) and perception (P) on a 1–7 scale,
    followed by a 100-point importance allocation and the respondent profile.

    Example:

        voc survey items.xlsx -o survey/ --format docx,wjx,csv
    """
    from voiceofcustomer.errors import plural
    from voiceofcustomer.items.candidates import checks_text
    from voiceofcustomer.items.survey import DEFAULT_TITLE, build_survey, load_reviewed, parse_formats, parse_stores

    wanted = parse_formats(formats)  # a typo in --format fails before the workbook is read
    output_folder(out_dir)
    store_list = parse_stores(stores)
    items = load_reviewed(reviewed)
    written = build_survey(items, out_dir, wanted, title=title or DEFAULT_TITLE, stores=store_list,
                           ask_store=False if no_store_question else None)
    with outputs_written(out_dir):  # a stop from here on: the folder is this run's, whole
        if not quiet:
            edited = int((items["wording"] == "edited").sum())
            per_dim = items.groupby("dimension", sort=False).size()
            left = items.attrs.get("left_out", {})
            undecided, rejected = left.get("undecided", []), left.get("rejected", [])
            click.echo(f"{len(items)} items ({edited} with edited wording; "
                       + ", ".join(f"{d} {n}" for d, n in per_dim.items()) + ")"
                       + f"; left out: {len(undecided)} undecided, {len(rejected)} rejected", err=True)
            if undecided:  # the rows a reviewer may have missed, not only their number
                shown = ", ".join(f"{r['item_id'] or '(no id)'} (row {r['row']})" for r in undecided[:_SHOWN])
                more = f" and {len(undecided) - _SHOWN} more" if len(undecided) > _SHOWN else ""
                click.echo(f"  undecided (decision blank), not in the survey: {shown}{more}; set decision to accept, "
                           "edit or reject to field or drop them", err=True)
            failing = items.attrs.get("checks", [])
            if failing:  # the reviewer's own wording, read by the checks the candidates came with
                click.echo(f"  {plural(len(failing), 'item')} whose wording is the reviewer's own fail"
                           f"{'s' if len(failing) == 1 else ''} a check of voc items (fielded as written; read "
                           f"{'it' if len(failing) == 1 else 'them'} again, or reword {'it' if len(failing) == 1 else 'them'} "
                           "in edited_text):", err=True)
                for r in failing[:_SHOWN]:
                    how = "edited" if r["wording"] == "edited" else "own item"
                    click.echo(f"    {r['item_id']} (row {r['row']}, {how}): {checks_text(r['checks'])}", err=True)
                if len(failing) > _SHOWN:
                    click.echo(f"    and {len(failing) - _SHOWN} more", err=True)
            for path in written.values():
                click.echo(f"  wrote {path}", err=True)
