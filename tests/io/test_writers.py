"""Writers: atomic (a failure leaves the target as it was), round-tripping, spreadsheet-safe."""

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import VocError
from voiceofcustomer.io.readers import open_table, read_statements
from voiceofcustomer.io.writers import (EXCEL_CELL_LIMIT, LONG_TEXT_SHEET, TableWriter, atomic_dir, atomic_path,
                                        neutralize_text, remove_stale_temporaries, restore_formulas, write_table)


def _read_back(path, **kw):
    return pd.concat(list(open_table(path, **kw).chunks()), ignore_index=True)


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- atomic ---------------------------------------------------------------------------------
@pytest.mark.parametrize("ext", ["csv", "tsv", "xlsx", "parquet", "jsonl"])
def test_failure_mid_write_leaves_old_file_and_no_temporaries(tmp_path, ext):
    target = tmp_path / f"out.{ext}"
    target.write_bytes(b"old result")
    chunk = pd.DataFrame({"id": ["a", "b"], "text": ["宽带慢", "信号差"]})
    with pytest.raises(RuntimeError, match="disk on fire"):
        with TableWriter(target) as w:
            w.write(chunk)
            w.write(chunk)
            raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"old result"
    assert _leftovers(tmp_path) == []


def test_nothing_to_write_keeps_old_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old result")
    with pytest.raises(VocError, match="nothing to write"):
        with TableWriter(target):
            pass
    assert target.read_bytes() == b"old result" and _leftovers(tmp_path) == []


def test_failing_rename_removes_temp_and_created_folders(tmp_path, monkeypatch):
    target = tmp_path / "new" / "deeper" / "out.csv"

    def boom(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_table(pd.DataFrame({"text": ["x"]}), target)
    assert not (tmp_path / "new").exists()


def test_interrupt_removes_temp(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        with TableWriter(target) as w:
            w.write(pd.DataFrame({"text": ["x"]}))
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_stale_temporaries_of_killed_runs_are_removed(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old result")
    script = textwrap.dedent(f"""
        import os, signal
        from voiceofcustomer.io.writers import atomic_path
        with atomic_path({str(target)!r}) as tmp:
            tmp.write_bytes(b"half")
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([sys.executable, "-c", script], env=env)
    assert proc.returncode == -9
    stale = _leftovers(tmp_path)
    assert len(stale) == 1 and stale[0].startswith(".out.csv.") and target.read_bytes() == b"old result"
    other = tmp_path / ".other.csv.999999-0123abcd.voc-tmp"  # another target's temp: not ours to remove
    other.write_bytes(b"")
    write_table(pd.DataFrame({"text": ["new"]}), target)
    assert _leftovers(tmp_path) == [other.name]
    assert _read_back(target)["text"].tolist() == ["new"]


def test_live_run_temporaries_and_fresh_legacy_ones_are_kept(tmp_path):
    target = tmp_path / "out.csv"
    live = tmp_path / f".out.csv.{os.getppid()}-0123abcd.voc-tmp"
    legacy_old = tmp_path / ".out.csv.ab12cd34.tmp"
    legacy_new = tmp_path / ".out.csv.zz12cd34.tmp"
    for p in (live, legacy_old, legacy_new):
        p.write_bytes(b"")
    os.utime(legacy_old, (1, 1))
    removed = remove_stale_temporaries(target)
    assert removed == [legacy_old] and live.exists() and legacy_new.exists()


def test_atomic_path_is_backward_compatible(tmp_path):
    target = tmp_path / "sub" / "x.json"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp.exists()
        tmp.write_text("{}")
    assert target.read_text() == "{}" and oct(target.stat().st_mode & 0o777) != oct(0o600)


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("moment", ["renamed in (no earlier folder)", "the earlier folder moved aside",
                                    "the new folder renamed in", "the earlier folder removed"])
def test_a_stop_while_atomic_dir_puts_its_folder_in_place_waits_and_leaves_it_whole(tmp_path, monkeypatch, moment,
                                                                                    sig):
    # atomic_dir (a model the review page trains, a curated theme set) had its own copy of the swap, with no
    # stop held: a Ctrl-C or SIGTERM just after the earlier folder was renamed aside put it back and said
    # nothing was written, one just after the new folder was renamed in left the earlier one hidden beside
    # it. It uses the one swap now (io.writers.swap_folders, OutputFolder's and replace_folder's): the stop
    # waits for the renames, then names the folder, whole.
    from voiceofcustomer.cli.support import sigterm_as_interrupt

    target = tmp_path / "curated"
    if moment != "renamed in (no earlier folder)":
        with atomic_dir(target) as tmp:
            (tmp / "curated.json").write_text("old", encoding="utf-8")
            (tmp / "old_only.npy").write_text("old", encoding="utf-8")
    rename, rmtree, sent = os.rename, shutil.rmtree, []

    def then_stop(real, now):
        def call(src, *args, **kwargs):
            real(src, *args, **kwargs)
            if not sent and now(Path(src), *map(Path, args[:1])):
                sent.append(sig)
                os.kill(os.getpid(), getattr(signal, sig))  # a real signal, as the user's
        return call

    if moment == "the earlier folder moved aside":
        monkeypatch.setattr(os, "rename", then_stop(rename, lambda src, dst=None: src == target))
    elif moment == "the earlier folder removed":
        monkeypatch.setattr(shutil, "rmtree", then_stop(rmtree, lambda src: src.name.startswith(".curated.")))
    else:
        monkeypatch.setattr(os, "rename", then_stop(rename, lambda src, dst=None: dst == target))
    with sigterm_as_interrupt(), pytest.raises(KeyboardInterrupt) as stop:
        with atomic_dir(target) as tmp:
            (tmp / "curated.json").write_text("new", encoding="utf-8")
            (tmp / "centroids.npy").write_text("new", encoding="utf-8")
    assert sent == [sig]
    assert stop.value.outputs_written == [target]  # the CLI says: the outputs were finished first
    assert {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()} == {"curated.json": "new",
                                                                              "centroids.npy": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curated"]  # nothing left aside


# -- CSV quoting and formulas -----------------------------------------------------------------
def test_lone_carriage_return_is_quoted_and_reads_back(tmp_path):
    texts = ["前\r后", "a\nb", "x\r\ny", 'say "hi", ok', "tab\there", "\r=2+2", "plain"]
    out = write_table(pd.DataFrame({"id": [f"r{i}" for i in range(len(texts))], "text": texts}), tmp_path / "o.csv")
    raw = out.read_bytes().decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(raw, newline="")))
    assert len(parsed) == len(texts) + 1
    assert _read_back(out)["text"].tolist() == texts
    assert read_statements(out)["text"].tolist() == texts
    # a spreadsheet reads records: no cell may start with a formula character
    for row in parsed:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\r", "\t")), row


def test_formula_payload_after_cr_never_starts_a_cell_in_tag_output(tmp_path):
    src = tmp_path / "in.csv"
    texts = ["\r=2+2", "宽带很慢\r=2+2", "@SUM(A1)"]
    write_table(pd.DataFrame({"工单编号": ["1", "2", "3"], "投诉内容": texts}), src)
    out = tmp_path / "tagged.csv"
    res = CliRunner().invoke(main, ["tag", str(src), "-o", str(out), "-q", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    records = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert len(records) == 1 + len(texts)  # a CR inside a text is quoted, never a row break
    for row in records:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\r", "\t")), row
    again = tmp_path / "again.csv"
    res = CliRunner().invoke(main, ["tag", str(out), "-o", str(again), "-q", "--jobs", "1", "--text-col", "投诉内容"])
    assert res.exit_code == 0, res.output
    assert _read_back(again)["投诉内容"].tolist() == texts


@pytest.mark.parametrize("text", ["=1+1", "'=1+1", "''@x", "'plain", "-", "+86 123", "\t=x", "ok"])
def test_formula_prefix_is_reversible(text):
    safe = neutralize_text(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_formulas(safe) == text


# -- Excel cell limit -----------------------------------------------------------------------
def test_text_over_excel_cell_limit_spills_and_reads_back(tmp_path):
    long = ("宽带掉线" * 25_000) + "=end"
    frame = pd.DataFrame({"id": ["a", "b"], "text": [long, "短"], "other": ["x" * 40_000, "y"]})
    out = tmp_path / "o.xlsx"
    with TableWriter(out) as w:
        w.write(frame)
    assert w.long_cells == 2
    import openpyxl

    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["statements", LONG_TEXT_SHEET]
    cell = next(wb["statements"].iter_rows(min_row=2, max_row=2, values_only=True))[1]
    assert len(cell) == EXCEL_CELL_LIMIT
    wb.close()
    back = _read_back(out)
    assert back["text"].tolist() == [long, "短"] and back["other"].tolist() == ["x" * 40_000, "y"]
    assert read_statements(out)["text"].tolist() == [long, "短"]


def test_cli_warns_how_many_texts_were_too_long_for_excel(tmp_path):
    src = tmp_path / "in.csv"
    write_table(pd.DataFrame({"编号": ["1", "2", "3"], "内容": ["长" * 100_000, "短", "也长" * 20_000]}), src)
    out = tmp_path / "st.xlsx"
    res = CliRunner().invoke(main, ["split", str(src), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    back = read_statements(out)
    assert back["text_raw"].str.len().max() == 100_000
    n_long = int(sum(back[c].astype(str).str.len().gt(EXCEL_CELL_LIMIT).sum() for c in back.columns))
    assert n_long >= 4  # text and text_raw of the two long rows at least
    assert f"warning: {n_long} texts are longer than Excel's 32,767-character cell limit" in res.output


def test_xlsx_output_has_a_filter_on_every_column(tmp_path):
    # QA (a complaint team): the tagged workbook had no filter, so finding needs_review = TRUE
    # or one 区县 took Excel's menus before anything else
    import openpyxl

    df = pd.DataFrame({"工单编号": ["a1", "a2", "a3"], "区县": ["南开", "河西", "南开"],
                       "needs_review": [True, False, True]})
    path = tmp_path / "tagged.xlsx"
    with TableWriter(path) as w:
        w.write(df.iloc[:2])
        w.write(df.iloc[2:])
    ws = openpyxl.load_workbook(path).active
    assert ws.auto_filter.ref == "A1:C4" and ws.freeze_panes == "A2"
    assert pd.read_excel(path, dtype=str).equals(df.astype(str))
