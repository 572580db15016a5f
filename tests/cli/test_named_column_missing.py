"""A column the user named (--date-col, --thread-col, --text-col, --id-col, --wave-col, --key, group_col=) that the
file lacks: the message names the closest column, as a --by column's does (errors.column_guess, one guess for all).

Until 7 Dec 2026 only --by guessed: ``voc freq tagged.csv -o freq/ --date-col 受理`` said ``tagged.csv: no date column
'受理'; columns are: …`` (nothing of what to do, nor of the file's 受理时间), ``voc themes`` and ``voc analyze`` ``no column
'受理' for --date-col; columns are: …`` (analyze listing the tool's 29 columns), ``voc tag --thread-col 工单`` ``no thread
column '工单'; columns are: _row, 工单编号, …`` naming no file, ``--text-col 投诉`` ``no column '投诉' for the text; columns
are: …`` without a word of 投诉内容."""
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import ColumnError

TAGGED, TICKETS = "tagged_channel_name.csv", "tickets_channel_name.csv"


def _error(args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == 2, res.output
    lines = [x for x in res.output.splitlines() if x.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in res.output, res.output
    return lines[0]


@pytest.mark.parametrize("command,fixture", [("freq", TAGGED), ("themes", TAGGED), ("analyze", TICKETS)])
def test_date_col_says_the_closest_column_and_what_to_do(data_dir, tmp_path, command, fixture):
    line = _error([command, data_dir / fixture, "-o", tmp_path / "out", "--date-col", "受理"])
    assert (f"{fixture}: no column '受理' for --date-col (is it '受理时间'?); give --date-col one of the columns, "
            "checking the spelling: ") in line
    listed = line.split("checking the spelling: ")[1].split(", ")
    assert {"工单编号", "受理时间", "渠道名称"} <= set(listed)
    assert "tokens" not in listed and "text_raw" not in listed and "_row" not in listed  # the tool's own: no answer


@pytest.mark.parametrize("command,fixture,out", [("themes", TAGGED, "out"), ("analyze", TICKETS, "out"),
                                                 ("tag", TICKETS, "tagged.csv")])
def test_thread_col_names_the_file_and_the_closest_column(data_dir, tmp_path, command, fixture, out):
    line = _error([command, data_dir / fixture, "-o", tmp_path / out, "--thread-col", "工单"])
    assert (f"{fixture}: no column '工单' for --thread-col (is it '工单编号'?); give --thread-col one of the columns, "
            "checking the spelling: ") in line
    assert "_row" not in line and "tokens" not in line


@pytest.mark.parametrize("command,out", [("tag", "tagged.csv"), ("analyze", "out")])
@pytest.mark.parametrize("flag,given,what,close", [("--text-col", "投诉", "the text", "投诉内容"),
                                                   ("--id-col", "工单", "the id", "工单编号")])
def test_text_and_id_col_say_the_closest_column(data_dir, tmp_path, command, out, flag, given, what, close):
    line = _error([command, data_dir / TICKETS, "-o", tmp_path / out, flag, given])
    assert f"{TICKETS}: no column '{given}' for {what} (is it '{close}'?); columns are: 工单编号" in line


def test_no_guess_when_nothing_is_close(data_dir, tmp_path):
    line = _error(["freq", data_dir / TAGGED, "-o", tmp_path / "o", "--date-col", "省份"])
    assert "no column '省份' for --date-col; give --date-col one of the columns" in line and "is it" not in line


def test_the_library_says_it_too(data_dir, tmp_path):
    import voiceofcustomer as voc
    from voiceofcustomer.report.page import build_report
    from voiceofcustomer.review.agreement import agreement_from_tables

    df = pd.read_csv(data_dir / TICKETS)
    with pytest.raises(ColumnError, match=r"no column '投诉' for the text \(is it '投诉内容'\?\)"):
        voc.tag(df, text_col="投诉")
    tagged = pd.read_csv(data_dir / TAGGED)
    with pytest.raises(ColumnError, match=r"no column '渠道' for group_col= \(is it '渠道名称'\?\); give group_col="):
        build_report(tagged, tmp_path / "index.html", group_col="渠道")
    with pytest.raises(ColumnError, match=r"no '工单' column to match rows on \(is it '工单编号'\?\); give key="):
        agreement_from_tables(data_dir / TAGGED, data_dir / TAGGED, key="工单")


def test_wave_col_says_the_closest_column(data_dir, tmp_path):
    from voiceofcustomer.audit.scoring import read_checklist, read_visits

    # the store-check manager's files (tests/audit/test_audit_store_check_manager.py); not imported from that
    # module: a test module imported as tests.audit.… runs its conftest again in a whole-suite run
    BOOK, VISITS = data_dir / "audit" / "reverse_checklist.csv", data_dir / "audit" / "visits_store_codes.csv"

    lines = VISITS.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "rounds.csv"
    path.write_text("\n".join([lines[0] + ",暗访轮次", *(x + ",第一轮" for x in lines[1:])]) + "\n", encoding="utf-8")
    with pytest.raises(ColumnError, match=r"no column '轮次' as wave_column= names \(is it '暗访轮次'\?\); columns are: "):
        read_visits(path, checklist=read_checklist(BOOK), wave_column="轮次")
