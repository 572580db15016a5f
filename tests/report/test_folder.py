"""Output folders written as one piece (report.folder.OutputFolder): an interrupted run leaves the
folder as it was; a finished one leaves exactly its own files, and never touches the user's."""

import json
import os
import signal

import pytest

from voiceofcustomer.errors import InputError
from voiceofcustomer.report.folder import MANIFEST, OutputFolder, check_output_file, check_output_folder, user_path


def _tree(folder):
    """{relative path: bytes} of every file under ``folder`` (the record left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def _write(build, files):
    for rel, text in files.items():
        (build / rel).parent.mkdir(parents=True, exist_ok=True)
        (build / rel).write_text(text, encoding="utf-8")


def _run(target, files, command="freq", legacy=None):
    with OutputFolder(target, command, legacy=legacy) as build:
        _write(build, files)
    return target


def _leftovers(parent):
    return [p.name for p in parent.iterdir() if p.name.endswith(".voc-tmp")]


def test_an_interrupted_first_run_leaves_nothing(tmp_path):
    target = tmp_path / "new" / "report"
    with pytest.raises(KeyboardInterrupt):
        with OutputFolder(target, "analyze") as build:
            _write(build, {"themes/topics.csv": "主题", "frequencies/overall.csv": "计数"})
            raise KeyboardInterrupt
    assert not target.exists() and not (tmp_path / "new").exists()  # folders it created are gone too
    assert _leftovers(tmp_path) == []


def test_an_interrupted_rerun_leaves_the_earlier_output_whole(tmp_path):
    target = _run(tmp_path / "report", {"index.html": "旧报告", "themes/topics.csv": "旧主题"}, "analyze")
    before = _tree(target)
    with pytest.raises(KeyboardInterrupt):
        with OutputFolder(target, "analyze") as build:
            _write(build, {"themes/statement_topics.csv": "新", "themes/topics.csv": "新主题"})
            raise KeyboardInterrupt  # the QA case: new themes written, index.html not yet
    assert _tree(target) == before
    assert _leftovers(tmp_path) == []


def test_a_failing_run_leaves_the_earlier_output_whole(tmp_path):
    target = _run(tmp_path / "f", {"overall.csv": "旧"})
    with pytest.raises(OSError):
        with OutputFolder(target, "freq") as build:
            _write(build, {"overall.csv": "新"})
            raise OSError("disk full")
    assert _tree(target) == {"overall.csv": "旧".encode()}


def test_a_rerun_keeps_exactly_its_own_files(tmp_path):
    target = _run(tmp_path / "f", {"overall.csv": "1", "by_区县.csv": "2", "by_渠道.csv": "3"})
    inode = target.stat().st_ino
    _run(target, {"overall.csv": "new"})
    assert _tree(target) == {"overall.csv": b"new"}
    assert target.stat().st_ino != inode  # only this command's files were there: swapped whole
    assert json.loads((target / MANIFEST).read_text(encoding="utf-8")) == {"freq": ["overall.csv"]}


def test_the_users_own_files_survive_and_stale_ones_go(tmp_path):
    target = _run(tmp_path / "f", {"overall.csv": "1", "by_区县.csv": "2", "sub/by_x.csv": "3"})
    (target / "我的笔记.txt").write_text("别删", encoding="utf-8")
    (target / "sub" / "mine.csv").write_text("mine", encoding="utf-8")
    (target / "empty_folder_of_mine").mkdir()
    _run(target, {"overall.csv": "new"})
    assert _tree(target) == {"overall.csv": b"new", "我的笔记.txt": "别删".encode(), "sub/mine.csv": b"mine"}
    assert (target / "empty_folder_of_mine").is_dir()


def test_another_commands_files_are_not_this_commands(tmp_path):
    target = _run(tmp_path / "out", {"topics.csv": "themes"}, "themes")
    _run(target, {"overall.csv": "freq"}, "freq")
    _run(target, {"overall.csv": "freq 2"}, "freq")
    assert _tree(target) == {"topics.csv": b"themes", "overall.csv": b"freq 2"}
    record = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert record == {"themes": ["topics.csv"], "freq": ["overall.csv"]}


def test_a_folder_without_a_record_is_read_by_the_commands_names(tmp_path):
    target = tmp_path / "f"
    target.mkdir()
    for name in ("overall.csv", "by_区县.csv", "notes_of_mine.csv"):
        (target / name).write_text(name, encoding="utf-8")
    _run(target, {"overall.csv": "new"}, legacy=lambda folder: {"overall.csv", "by_区县.csv"})
    assert _tree(target) == {"overall.csv": b"new", "notes_of_mine.csv": b"notes_of_mine.csv"}


def test_a_record_never_removes_anything_outside_the_folder(tmp_path):
    target = _run(tmp_path / "f", {"overall.csv": "1"})
    outside = tmp_path / "precious.txt"
    outside.write_text("keep", encoding="utf-8")
    (target / MANIFEST).write_text(json.dumps({"freq": ["../precious.txt", str(outside), "overall.csv"]}))
    (target / "mine.txt").write_text("mine")
    _run(target, {"overall.csv": "2"})
    assert outside.read_text(encoding="utf-8") == "keep"


def test_the_current_folder_is_never_renamed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "overall.csv").write_text("old")
    _run(tmp_path, {"overall.csv": "new"}, legacy=lambda folder: {"overall.csv"})
    assert os.path.samefile(os.getcwd(), tmp_path) and (tmp_path / "overall.csv").read_text() == "new"


def test_a_file_in_the_way_is_named_before_anything_moves(tmp_path):
    target = _run(tmp_path / "r", {"index.html": "old"}, "analyze")
    (target / "notes.txt").write_text("mine")
    (target / "themes").write_text("a file of mine called themes")
    with pytest.raises(InputError, match=r"themes: a file is where the output folder themes/ goes"):
        _run(target, {"index.html": "new", "themes/topics.csv": "t"}, "analyze")
    assert (target / "index.html").read_text() == "old" and _leftovers(tmp_path) == []


def test_ctrl_c_during_the_last_renames_does_not_leave_half(tmp_path, monkeypatch):
    target = _run(tmp_path / "f", {"a.csv": "old a", "b.csv": "old b"})
    (target / "mine.txt").write_text("mine")  # the file-by-file way
    real_replace = os.replace

    def replace_then_ctrl_c(src, dst):
        real_replace(src, dst)
        os.kill(os.getpid(), signal.SIGINT)  # arrives between two renames

    monkeypatch.setattr("voiceofcustomer.report.folder.os.replace", replace_then_ctrl_c)
    # the renames are finished, then the Ctrl-C stops the caller (it was dropped: the run went on), naming the output
    with pytest.raises(KeyboardInterrupt) as stop:
        _run(target, {"a.csv": "new a", "b.csv": "new b"})
    assert stop.value.outputs_written == [target]
    assert _tree(target) == {"a.csv": b"new a", "b.csv": b"new b", "mine.txt": b"mine"}
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("make", ["file", "parent file"])
def test_output_folder_checks_name_the_users_path(tmp_path, make):
    afile = tmp_path / "afile"
    afile.write_text("x")
    target = afile if make == "file" else afile / "out"
    with pytest.raises(InputError, match=r"afile: is a file, not a folder; choose another -o"):
        check_output_folder(target)
    with pytest.raises(InputError, match=r"afile: is a file, not a folder"):
        OutputFolder(target, "freq").__enter__()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_output_file_checks_name_the_users_path(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(InputError, match=r"dir.csv: is a folder; give a file name for -o"):
        check_output_file(tmp_path / "dir.csv")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(InputError, match=r"afile: is a file, not a folder; choose another -o"):
        check_output_file(tmp_path / "afile" / "out.csv")


def test_user_path_hides_our_temporary_names():
    assert user_path(".dir.csv.13904-784c8b4a.voc-tmp") == "dir.csv"
    assert user_path("out/.dir.csv.partial/joined.csv.tmp") == "out/dir.csv"
    assert user_path("afile/.out.csv.13926-dda17f24.voc-tmp") == "afile/out.csv"
    assert user_path("plain/path.csv") == "plain/path.csv"
