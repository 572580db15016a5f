"""A bad -o is one line naming the user's path and what to do, and leaves nothing behind (QA:
`.dir.csv.partial/joined.csv.tmp: Is a directory`, a leftover `.dir.csv.partial/`, `afile: File exists`)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.cli.support import library_call

DATA = Path(__file__).parents[1] / "data"
TICKETS = DATA / "tickets_small.csv"

FILE_OUTPUTS = {  # command -> (args before -o, a file name it writes)
    "split": (["split", str(TICKETS)], "statements.csv"),
    "tag": (["tag", str(TICKETS), "--jobs", "1"], "tagged.csv"),
    "items": (["items", str(TICKETS)], "items.xlsx"),
}
FOLDER_OUTPUTS = {
    "analyze": ["analyze", str(TICKETS)],
    "freq": ["freq", str(TICKETS)],
    "themes": ["themes", str(TICKETS)],
    "audit": ["audit", str(DATA / "audit" / "visits.csv"), "--checklist", str(DATA / "audit" / "checklist.csv")],
    "train": ["train", str(TICKETS)],
    "evaluate": ["evaluate", str(TICKETS)],
}


def _one_line(res):
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in res.output, res.output
    return lines[0][len("Error: "):]


def _entries(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("command", sorted(FILE_OUTPUTS))
def test_a_folder_given_as_output_file(tmp_path, command):
    args, name = FILE_OUTPUTS[command]
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    msg = _one_line(CliRunner().invoke(main, [*args, "-o", str(folder), "-q"]))
    assert msg == f"{folder}: is a folder; give a file name for -o (e.g. {folder / name})"
    assert _entries(tmp_path) == ["dir.csv"]  # no .dir.csv.partial/ or temporary left


@pytest.mark.parametrize("command", sorted(FILE_OUTPUTS) + sorted(FOLDER_OUTPUTS))
def test_a_file_where_a_folder_of_the_output_path_should_be(tmp_path, command):
    args = FILE_OUTPUTS[command][0] if command in FILE_OUTPUTS else FOLDER_OUTPUTS[command]
    afile = tmp_path / "afile"
    afile.write_text("mine")
    msg = _one_line(CliRunner().invoke(main, [*args, "-o", str(afile / "out.csv")]))
    assert msg == f"{afile}: is a file, not a folder; choose another -o"
    assert _entries(tmp_path) == ["afile"] and afile.read_text() == "mine"


@pytest.mark.parametrize("command", sorted(FOLDER_OUTPUTS))
def test_a_file_given_as_output_folder(tmp_path, command):
    afile = tmp_path / "afile"
    afile.write_text("mine")
    msg = _one_line(CliRunner().invoke(main, [*FOLDER_OUTPUTS[command], "-o", str(afile)]))
    assert msg.startswith(f"{afile}: is a file, not a folder; ")
    assert _entries(tmp_path) == ["afile"] and afile.read_text() == "mine"


@pytest.mark.parametrize("error, expected", [
    (IsADirectoryError(21, "Is a directory", ".dir.csv.13904-784c8b4a.voc-tmp"),
     "dir.csv: is a folder; give a file name"),
    (IsADirectoryError(21, "Is a directory", ".dir.csv.partial/joined.csv.tmp"),
     "dir.csv: is a folder; give a file name"),
    (NotADirectoryError(20, "Not a directory", "afile/.out.csv.partial"),
     "afile/out.csv: a part of this path is a file, not a folder; choose another path"),
    (FileExistsError(17, "File exists", "afile"), "afile: already exists and is in the way; choose another path"),
    (OSError(28, "No space left on device", "out/.t.csv.77-0123abcd.voc-tmp"),
     "out/t.csv: No space left on device; check the path, its permissions and free space"),
])
def test_os_errors_name_the_users_path_never_a_temporary(error, expected):
    @library_call
    def fails():
        raise error

    with pytest.raises(Exception) as info:
        fails()
    assert info.value.format_message() == expected


@pytest.mark.parametrize("error", [
    OSError(28, "No space left on device"),  # what a write() on a full disk raises: no file name
    OSError("Error writing bytes to file. Detail: [errno 28] No space left on device"),  # pyarrow's (Parquet, xlsx)
    OSError(28, "Error writing bytes to file. Detail: [errno 28] No space left on device"),  # … with its errno
])
def test_a_disk_full_while_writing_names_the_output(tmp_path, monkeypatch, error):
    """QA (bad-input sweep): voc tag/split/freq -o on a full disk said "Error: No space left on device; check
    the path…" and .xlsx/.parquet "Error writing bytes to file. Detail: [errno 28] …", naming no file."""
    def full(self, df):
        raise error

    monkeypatch.setattr("voiceofcustomer.io.writers.TableWriter._write_csv", full)
    out = tmp_path / "statements.csv"
    msg = _one_line(CliRunner().invoke(main, ["split", str(TICKETS), "-o", str(out), "-q"]))
    assert msg == f"{out}: No space left on device; check the path, its permissions and free space"
    assert _entries(tmp_path) == []  # nothing half-written


def test_an_xlsx_that_cannot_be_closed_on_a_full_disk_is_one_line(tmp_path, monkeypatch):
    """QA (bad-input sweep): voc agreement -o x.xlsx on a full disk ended in a traceback —
    xlsxwriter wraps the OSError in FileCreateError, which is not an OSError."""
    def full(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("xlsxwriter.workbook.Workbook._store_workbook", full)
    out = tmp_path / "agreement.xlsx"
    tagged = DATA / "tagged_oct.csv"
    res = CliRunner().invoke(main, ["agreement", str(tagged), str(tagged), "-o", str(out)])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert res.output.strip().splitlines()[-1] == (f"Error: {out}: No space left on device; check the path, its "
                                                   "permissions and free space")
    assert _entries(tmp_path) == []


@pytest.mark.parametrize("freed", ["as the error unwinds", "after it"])
def test_a_failed_writes_half_written_file_closes_quietly(monkeypatch, freed):
    """QA (bad-input sweep): voc survey and voc export -o x.xlsx on a full disk printed, above or under the one-line
    error, "Exception ignored in: <function ZipFile.__del__ …>" and a traceback — the half-written workbook could not
    close either when it was collected."""
    import sys

    reported, closed = [], []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)

    class HalfWritten:  # a ZipFile on a full disk: closing it fails again
        def __del__(self):
            closed.append(True)
            raise OSError(28, "No space left on device")

    @library_call
    def write():
        book = HalfWritten()
        try:
            raise OSError(28, "No space left on device")
        except OSError:
            if freed == "as the error unwinds":
                del book
            raise

    with pytest.raises(Exception) as info:
        write()
    assert "No space left on device" in info.value.format_message()
    assert closed == [True] and reported == []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)  # a new run (the failed one ends the process)

    @library_call
    def succeeds():  # a finaliser's error in a run that succeeds is still said
        HalfWritten()

    succeeds()
    assert len(reported) == 1 and isinstance(reported[0].exc_value, OSError)
