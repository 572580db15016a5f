"""Every bad input or bad usage ends in exactly one line on stderr and exit 2 (issue 14)."""

import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.cli.support import VocGroup, library_call


def _one_line(res):
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.output
    assert "Traceback" not in res.output and "Usage:" not in res.output
    return lines[0]


@pytest.mark.parametrize("args, match", [
    (["split"], "Missing argument"),
    (["split", "x.csv"], "Missing option '-o'"),
    (["tag", "x.csv", "-o", "o.csv", "--review-below", "7"], "--review-below"),
    (["split", "x.csv", "-o", "o.csv", "--kind", "bogus"], "'bogus' is not one of"),
    (["frobnicate"], "No such command"),
    (["analyze", "x.csv", "-o", "r", "--period", "year"], "--period"),
])
def test_click_usage_errors_are_one_line(args, match):
    line = _one_line(CliRunner().invoke(main, args))
    assert match in line and "--help" in line


def test_file_argument_checks_by_click_are_one_line(tmp_path):
    @click.group(cls=VocGroup)
    def grp():
        pass

    @grp.command()
    @click.argument("src", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
    @library_call
    def read(src):
        click.echo(src.read_text())

    missing = tmp_path / "nope.csv"
    assert _one_line(CliRunner().invoke(grp, ["read", str(missing)])) == f"Error: {missing}: file not found; check the path"
    assert _one_line(CliRunner().invoke(grp, ["read", str(tmp_path)])) == \
        f"Error: {tmp_path}: is a folder, not a file; give the file inside it"


def _inputs(tmp_path):
    (tmp_path / "bin.csv").write_bytes(os.urandom(64) + b"\x00" * 8)
    (tmp_path / "folder.csv").mkdir()
    return {"missing": tmp_path / "missing.csv", "binary": tmp_path / "bin.csv", "folder": tmp_path / "folder.csv"}


@pytest.mark.parametrize("case", ["missing", "binary", "folder"])
@pytest.mark.parametrize("command", [["split"], ["tag"], ["themes"], ["freq"], ["items"], ["evaluate"], ["train"],
                                     ["gap", "--codebook", "cb.csv"], ["survey"]])
def test_every_command_reports_bad_input_in_one_line(tmp_path, command, case):
    path = _inputs(tmp_path)[case]
    out = tmp_path / "out" / ("o.xlsx" if command[0] == "items" else "o.csv")
    if command[0] in ("themes", "freq", "evaluate", "train", "gap", "survey"):
        out = tmp_path / "out"
    args = [command[0], str(path), *command[1:], "-o", str(out)]
    line = _one_line(CliRunner().invoke(main, args))
    assert path.name in line or "cb.csv" in line
    if case == "missing":
        assert "not found" in line, line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", ["missing", "binary", "folder"])
def test_analyze_checks_inputs_before_any_progress_or_folder(tmp_path, case):
    path = _inputs(tmp_path)[case]
    good = Path(__file__).parents[1] / "data" / "transcript_small.txt"
    res = CliRunner().invoke(main, ["analyze", str(good), str(path), "-o", str(tmp_path / "report")])
    line = _one_line(res)
    assert path.name in line
    assert not (tmp_path / "report").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_unreadable_file_is_one_line(tmp_path):
    path = tmp_path / "locked.csv"
    path.write_text("编号,内容\n1,宽带很慢\n", encoding="utf-8")
    path.chmod(0)
    line = _one_line(CliRunner().invoke(main, ["split", str(path), "-o", str(tmp_path / "o.csv")]))
    assert "locked.csv: cannot be read (permission denied)" in line


def test_unreadable_file_is_one_line_even_as_root(tmp_path, monkeypatch):
    path = tmp_path / "locked.csv"
    path.write_text("编号,内容\n1,宽带很慢\n", encoding="utf-8")
    real_open = open

    def guarded(file, mode="r", *a, **kw):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *a, **kw)

    monkeypatch.setattr("builtins.open", guarded)
    line = _one_line(CliRunner().invoke(main, ["split", str(path), "-o", str(tmp_path / "o.csv")]))
    assert "locked.csv: cannot be read (permission denied)" in line


def test_unwritable_output_is_one_line(tmp_path):
    src = Path(__file__).parents[1] / "data" / "transcript_small.txt"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = _one_line(CliRunner().invoke(main, ["split", str(src), "-o", str(blocker / "o.csv"), "-q"]))
    assert "file" in line


def test_sheet_option_with_several_workbooks(tmp_path):
    """--sheet applies to every workbook: one lacking it stops the run in one line naming the file and its
    sheets; FILE.xlsx:SHEET picks the sheet of one file (and mixes with --sheet for the others)."""
    import pandas as pd

    def book(name, sheets):
        with pd.ExcelWriter(tmp_path / name) as xw:
            for sh in sheets:
                pd.DataFrame({"编号": [f"{name}-{sh}"], "内容": [f"{sh}：宽带很慢"]}).to_excel(xw, sheet_name=sh, index=False)
        return str(tmp_path / name)

    a, b, c = book("a.xlsx", ["投诉", "说明"]), book("b.xlsx", ["Sheet1"]), book("c.xlsx", ["投诉"])
    out = tmp_path / "s.csv"
    line = _one_line(CliRunner().invoke(main, ["split", a, b, "--sheet", "投诉", "-o", str(out)]))
    assert line == (f"Error: {b}: no sheet '投诉'; its sheets are: Sheet1; --sheet applies to every workbook given: "
                    f"name this file's sheet as {b}:SHEET")
    assert not out.exists()
    res = CliRunner().invoke(main, ["split", a, f"{b}:Sheet1", c, "--sheet", "投诉", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str)
    assert df["ticket_id"].tolist() == ["a.xlsx-投诉", "b.xlsx-Sheet1", "c.xlsx-投诉"]
    line = _one_line(CliRunner().invoke(main, ["split", a, c, "-o", str(out)]))
    assert line.startswith(f"Error: {a}: workbook has 2 sheets (投诉, 说明)") and f"{a}:SHEET" in line


def test_a_column_name_with_a_line_break_or_control_character_stays_one_line(tmp_path):
    """Found by the long fuzz run: a vertical tab inside a header (a damaged GB18030 export) reached
    the "columns are: …" message and split it in two lines."""
    src = tmp_path / "damaged.csv"
    src.write_bytes("工单\x0b编号,描\u2028述\n1,宽带断了\n".encode("utf-8"))
    line = _one_line(CliRunner().invoke(main, ["tag", str(src), "-o", str(tmp_path / "o.csv"), "--text-col", "内容"]))
    assert "内容" in line and "\\x0b" in line and "\\u2028" in line


@pytest.mark.parametrize("cmd", [
    ["tag", "{csv}", "-o", "{out}/t.csv"],
    ["split", "{csv}", "-o", "{out}/s.csv"],
    ["items", "{csv}", "-o", "{out}/i.xlsx"],
    ["freq", "{csv}", "-o", "{out}/f"],
    ["themes", "{csv}", "-o", "{out}/th"],
    ["analyze", "{csv}", "-o", "{out}/r"],
    ["gap", "{data}/gap/responses.csv", "--codebook", "{data}/gap/codebook.csv", "-o", "{out}/g"],
    ["audit", "{data}/audit/visits.csv", "--checklist", "{data}/audit/checklist.csv", "-o", "{out}/a"],
])
def test_sheet_given_for_an_input_that_is_no_workbook_is_refused(tmp_path, cmd):
    """QA: `voc tag tickets.csv --sheet 2月` read the CSV and said nothing: the user expected a
    sheet to be chosen. Every command with --sheet says in one line that the file is no workbook."""
    data = Path(__file__).parents[1] / "data"
    args = [a.format(csv=data / "tickets_small.csv", data=data, out=tmp_path) for a in cmd]
    src = Path(args[1])
    line = _one_line(CliRunner().invoke(main, [*args, "--sheet", "2月"]))
    assert line == (f"Error: {src}: is not an Excel workbook, so --sheet '2月' does not apply; leave --sheet out "
                    "(it chooses a sheet of a workbook: .xlsx, .xls, .xlsb, .ods)")
    assert list(tmp_path.iterdir()) == []


def test_sheet_with_several_inputs_is_refused_only_when_none_is_a_workbook(tmp_path):
    import pandas as pd

    data = Path(__file__).parents[1] / "data"
    csv, txt = str(data / "tickets_small.csv"), str(data / "transcript_small.txt")
    line = _one_line(CliRunner().invoke(main, ["split", csv, txt, "--sheet", "2月", "-o", str(tmp_path / "s.csv")]))
    assert line.startswith(f"Error: {csv}, {txt}: none is an Excel workbook, so --sheet '2月' does not apply")
    with pd.ExcelWriter(tmp_path / "b.xlsx") as xw:
        pd.DataFrame({"编号": ["b1"], "内容": ["宽带很慢"]}).to_excel(xw, sheet_name="2月", index=False)
    res = CliRunner().invoke(main, ["split", csv, str(tmp_path / "b.xlsx"), "--sheet", "2月", "-o",
                                    str(tmp_path / "s.csv"), "-q"])
    assert res.exit_code == 0, res.output
    assert "b1" in pd.read_csv(tmp_path / "s.csv", dtype=str)["ticket_id"].tolist()


@pytest.mark.parametrize("name, head", [
    ("工单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),           # Excel 97-2003, what many ticket systems export
    ("工单.xls", "<html><table><tr><td>工单编号</td></tr>".encode()),  # an HTML table named .xls
    ("工单.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),            # WPS spreadsheet
    ("工单.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),          # password-protected .xlsx (an OLE container)
])
@pytest.mark.parametrize("command", ["tag", "split", "freq", "analyze"])
def test_a_spreadsheet_other_than_xlsx_says_to_save_it_as_xlsx(tmp_path, name, head, command):
    """QA (a complaint team's first export): an .xls was refused as 'unsupported file type', and an
    encrypted .xlsx as 'if it is CSV, rename it to .csv'; both now say to save it as .xlsx. (.xls
    workbooks are read now: these are what python-calamine cannot open.)"""
    path = tmp_path / name
    path.write_bytes(head + b"\x00" * 600)
    out = tmp_path / ("out" if command in ("freq", "analyze") else "o.csv")
    line = _one_line(CliRunner().invoke(main, [command, str(path), "-o", str(out)]))
    assert str(path) in line and "save it as .xlsx" in line and "Excel or WPS" in line
    assert not out.exists()


@pytest.mark.parametrize("command", ["tag", "split"])
def test_an_html_page_named_xls_is_refused_naming_it(tmp_path, command):
    """.xls workbooks are read now; a web page a ticket system saves as .xls is not one, and the line says so
    (before: 'old Excel (.xls) files cannot be read', though Excel had saved nothing)."""
    path = tmp_path / "工单.xls"
    path.write_bytes("<html><head><meta charset='gbk'></head><table><tr><td>工单编号</td><td>投诉内容</td></tr>"
                     "<tr><td>007</td><td>宽带很慢</td></tr></table></html>".encode("gbk"))
    line = _one_line(CliRunner().invoke(main, [command, str(path), "-o", str(tmp_path / "o.csv")]))
    assert line == (f"Error: {path}: is a web page (HTML) saved as .xls, not a workbook; open it in Excel or WPS, "
                    "save it as .xlsx (or as .csv), and give that file")
    assert not (tmp_path / "o.csv").exists()


# -- QA (Python API pass): library errors said "give it with --text-col" to a caller who has no flags; the library
# names the parameter (text_col=) and the error carries it, and the command line shows its own flag ------------
def test_a_parameter_the_error_names_is_shown_as_the_commands_flag():
    from voiceofcustomer.errors import VocError

    @click.command()
    @click.option("--encoding")
    @click.option("--drop-speeders", is_flag=True)
    @click.option("--model", "curated")
    @click.option("-o", "--output", "out_dir")
    @library_call
    def cmd(encoding, drop_speeders, curated, out_dir):
        raise VocError("x.csv: try encoding='gbk' (or utf-8); leave out drop_speeders=True; model_dir= is out_dir=; "
                       "id_col= names the id; text_col= stays", params=("encoding", "drop_speeders", "model_dir",
                                                                      "out_dir", "id_col"))

    line = _one_line(CliRunner().invoke(cmd, []))
    # a parameter the error does not name is left as written; id_col=, which this command has no option for,
    # is not shown as a flag it does not have (--id-col): its advice is said as voc says it there
    assert line == ("Error: x.csv: try --encoding gbk (or utf-8); leave out --drop-speeders; --model is --output; "
                    "rename the column that holds the id to statement_id (the name voc's own tables give it) and "
                    "run again; text_col= stays")


def test_a_parameter_the_command_has_no_option_for_is_not_shown_as_a_flag():
    """QA (issue 11): voc review and voc agreement said 'give it with --text-col', a flag neither has (the shared
    reader's message is written for voc tag); of two ways, the one the command has stays."""
    from voiceofcustomer.errors import BadRowError, InputError

    @click.command()
    @library_call
    def cmd():
        raise InputError("x.xlsx: workbook has 2 sheets (a, b); choose one with sheet=, or give the file as "
                         "x.xlsx:SHEET", params=("sheet",))

    assert _one_line(CliRunner().invoke(cmd, [])) == "Error: x.xlsx: workbook has 2 sheets (a, b); give the file as " \
                                                      "x.xlsx:SHEET"

    @click.command()
    @library_call
    def rows():
        raise BadRowError("x.csv: line 3: has 4 fields, expected 2; fix the row or use on_bad_rows='skip'",
                          params=("on_bad_rows",))

    assert _one_line(CliRunner().invoke(rows, [])) == "Error: x.csv: line 3: has 4 fields, expected 2; fix the row"


def test_the_library_names_the_parameter_and_voc_its_flag(tmp_path):
    import pickle

    import pandas as pd

    import voiceofcustomer as voc
    from voiceofcustomer.errors import ColumnError, InputError

    ambiguous = tmp_path / "t.csv"
    ambiguous.write_text("编号,内容,问题描述\n1,宽带掉线,晚上\n", encoding="utf-8")
    with pytest.raises(ColumnError) as err:
        voc.open_table(ambiguous)
    assert "give it with text_col=;" in str(err.value) and "--" not in str(err.value)
    assert "text_col" in err.value.params
    again = pickle.loads(pickle.dumps(err.value))  # from a worker process, with what it names
    assert str(again) == str(err.value) and again.params == err.value.params
    line = _one_line(CliRunner().invoke(main, ["tag", str(ambiguous), "-o", str(tmp_path / "o.csv")]))
    assert "give it with --text-col;" in line and "text_col=" not in line

    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("工单编号,投诉内容\nA1,宽带晚上老掉线，报修三天没人来\n".encode("gbk"))
    with pytest.raises(InputError, match="try encoding='gbk'$"):
        pd.concat(voc.split_inputs(gbk, encoding="utf-8"))
    line = _one_line(CliRunner().invoke(main, ["split", str(gbk), "-o", str(tmp_path / "s.csv"),
                                               "--encoding", "utf-8"]))
    assert line.endswith("try --encoding gbk")
    with pytest.raises(InputError, match="kind= must be auto, transcript, tickets or survey"):
        list(voc.split_inputs(gbk, kind="export"))
