"""tag_table: resume after a crash gives exactly the uninterrupted output; foreign state is refused."""

import json
import os
import signal
import subprocess
import sys
import time

import joblib
import numpy as np
import pandas as pd
import pytest

from voiceofcustomer.errors import InputError
from voiceofcustomer.labels.model import load_model
from voiceofcustomer.labels.workflow import partial_dir, tag_table

PHRASES = ["宽带晚上老掉线", "营业厅排队一个多小时", "扣费不对，乱收费", "信号太差了", "客服态度很好",
           "携号转网被拒", "套餐降档办不了", "=SUM(A1) 话费", "", "网速慢"]


class Crash(Exception):
    pass


def _input(tmp_path, n=57, name="tickets.csv", seed=0):
    rng = np.random.default_rng(seed)
    texts = ["".join(rng.choice(PHRASES, size=int(rng.integers(1, 4)))) for _ in range(n)]
    df = pd.DataFrame({"工单编号": [f"T{i}" for i in range(n)], "区县": rng.choice(["和平", "南开"], size=n),
                       "投诉内容": texts})
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def _crash_at(k):
    def after(i):
        if i == k:
            raise Crash(f"simulated crash after chunk {i}")
    return after


@pytest.mark.parametrize("suffix", [".csv", pytest.param(".parquet", marks=pytest.mark.slow),
                                    pytest.param(".jsonl", marks=pytest.mark.slow)])
def test_resume_after_crash_equals_uninterrupted(tmp_path, suffix):
    src = _input(tmp_path)
    clean, resumed = tmp_path / f"clean{suffix}", tmp_path / f"resumed{suffix}"
    full = tag_table(src, clean, chunksize=10, n_jobs=1)
    with pytest.raises(Crash):
        tag_table(src, resumed, chunksize=10, n_jobs=1, after_chunk=_crash_at(2))
    assert not resumed.exists()  # nothing half-written at the target path
    assert (partial_dir(resumed) / "state.json").exists()
    res = tag_table(src, resumed, chunksize=10, n_jobs=1)
    assert res.resumed_chunks == 3 and res.rows == full.rows == 57
    assert res.needs_review == full.needs_review and res.tagged == full.tagged
    assert not partial_dir(resumed).exists()
    if suffix == ".parquet":
        pd.testing.assert_frame_equal(pd.read_parquet(clean), pd.read_parquet(resumed))
    else:
        assert clean.read_bytes() == resumed.read_bytes()


@pytest.mark.slow
def test_resume_with_parallel_workers_and_xlsx(tmp_path):
    src = _input(tmp_path, n=33)
    clean, resumed = tmp_path / "clean.xlsx", tmp_path / "resumed.xlsx"
    tag_table(src, clean, chunksize=8, n_jobs=2)
    with pytest.raises(Crash):
        tag_table(src, resumed, chunksize=8, n_jobs=2, after_chunk=_crash_at(0))
    tag_table(src, resumed, chunksize=8, n_jobs=2)
    pd.testing.assert_frame_equal(pd.read_excel(clean), pd.read_excel(resumed))


@pytest.mark.parametrize("at", [3, 0])
def test_ctrl_c_says_what_is_kept_and_how_to_continue(tmp_path, monkeypatch, at):
    # Found in the scale QA pass: Ctrl-C half-way through said "the outputs were left as they were
    # before this run" and nothing of the 100,000 rows kept in a hidden folder beside the output,
    # which the next run of the same command silently continued from (or refused, with other options).
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main
    from voiceofcustomer.labels import workflow

    src, out = _input(tmp_path), tmp_path / "out.csv"
    real = workflow.tag_chunks

    def interrupted(*args, **kwargs):
        for i, done in enumerate(real(*args, **kwargs)):
            if i == at:
                raise KeyboardInterrupt
            yield done

    monkeypatch.setattr(workflow, "tag_chunks", interrupted)
    cmd = ["tag", str(src), "-o", str(out), "--chunk-size", "10", "--jobs", "1"]
    res = CliRunner().invoke(main, cmd)
    assert res.exit_code == 130 and len(res.output.strip().splitlines()) == 1, res.output  # 128 + SIGINT
    assert not out.exists()
    if at == 0:  # nothing finished: nothing kept, and the next run starts afresh with any options
        assert res.output.startswith("Error: interrupted; the outputs were left as they were")
        assert not partial_dir(out).exists()
        return
    assert (f"Error: interrupted; {out} was not written. The 30 rows tagged so far are kept in "
            f"{partial_dir(out)}: run the same command again to continue, or add --restart to start over") \
        in res.output
    monkeypatch.undo()
    res = CliRunner().invoke(main, cmd)
    assert res.exit_code == 0 and "continued after 3 finished chunks" in res.output
    assert pd.read_csv(out, encoding="utf-8-sig")["工单编号"].tolist() == [f"T{i}" for i in range(57)]


def test_state_from_other_input_is_refused_unless_restart(tmp_path):
    src = _input(tmp_path)
    out = tmp_path / "out.csv"
    with pytest.raises(Crash):
        tag_table(src, out, chunksize=10, n_jobs=1, after_chunk=_crash_at(1))
    _input(tmp_path, n=60, seed=1)  # the export grew: same path, other size
    with pytest.raises(InputError, match="different input file.*restart=True"):
        tag_table(src, out, chunksize=10, n_jobs=1)
    with pytest.raises(InputError, match="different set of options .*chunksize"):
        os.utime(src, ns=(os.stat(src).st_atime_ns, os.stat(src).st_mtime_ns))
        state = partial_dir(out) / "state.json"
        import json

        data = json.loads(state.read_text(encoding="utf-8"))
        data["key"]["input"] = {"path": str(src.resolve()), "size": src.stat().st_size,
                                "mtime_ns": src.stat().st_mtime_ns}
        state.write_text(json.dumps(data), encoding="utf-8")
        tag_table(src, out, chunksize=20, n_jobs=1)
    res = tag_table(src, out, chunksize=10, n_jobs=1, restart=True)
    assert res.resumed_chunks == 0 and res.rows == 60
    assert pd.read_csv(out, encoding="utf-8-sig")["工单编号"].tolist() == [f"T{i}" for i in range(60)]


@pytest.mark.slow
def test_state_from_other_model_is_refused(tmp_path):
    src = _input(tmp_path)
    model_a, model_b = tmp_path / "a.joblib", tmp_path / "b.joblib"
    model = load_model()
    joblib.dump(model, model_a)
    joblib.dump(model, model_b, compress=3)  # same model, other bytes: a different version for the state
    out = tmp_path / "out.parquet"
    with pytest.raises(Crash):
        tag_table(src, out, chunksize=10, n_jobs=1, model_path=model_a, after_chunk=_crash_at(0))
    with pytest.raises(InputError, match="different model"):
        tag_table(src, out, chunksize=10, n_jobs=1, model_path=model_b)
    assert tag_table(src, out, chunksize=10, n_jobs=1, model_path=model_a).resumed_chunks == 1


@pytest.mark.slow
def test_kill_9_then_rerun_gives_the_same_rows(tmp_path):
    src = _input(tmp_path, n=3000)
    clean, out = tmp_path / "clean.csv", tmp_path / "out.csv"
    tag_table(src, clean, chunksize=100, n_jobs=1)
    cmd = [sys.executable, "-m", "voiceofcustomer", "tag", str(src), "-o", str(out), "--chunk-size", "100",
           "--jobs", "2", "-q"]
    proc = subprocess.Popen(cmd, start_new_session=True)
    try:
        state = partial_dir(out) / "state.json"
        deadline = time.time() + 600  # generous: start-up is slow on a loaded machine

        def done() -> int:
            try:
                return json.loads(state.read_text(encoding="utf-8"))["done"]
            except (OSError, ValueError, KeyError):
                return 0

        while time.time() < deadline and done() < 3 and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed; use a larger input"
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its worker processes, mid-run
    finally:
        proc.wait(timeout=30)
    assert not out.exists()
    rerun = subprocess.run(cmd[:-1], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "continued after" in rerun.stderr
    assert clean.read_bytes() == out.read_bytes()


def test_a_run_stopped_by_its_input_keeps_no_parts_so_the_suggested_fix_runs(tmp_path):
    """A bad row after the first chunks stops the run with 'fix the row or use --on-bad-rows skip';
    doing just that must tag the export, not refuse it for an unfinished run with other options
    (found by a new user: the error's own advice then needed --restart as well)."""
    from pathlib import Path

    from voiceofcustomer.errors import BadRowError

    src = Path(__file__).parents[1] / "data" / "tickets_gbk_bad_row.csv"  # GBK; line 27 has 6 fields
    out = tmp_path / "tagged.csv"
    with pytest.raises(BadRowError, match="line 27: has 6 fields"):
        tag_table(src, out, chunksize=10, n_jobs=1)
    assert not out.exists() and not partial_dir(out).exists()
    res = tag_table(src, out, chunksize=10, n_jobs=1, on_bad_rows="skip")
    assert res.resumed_chunks == 0 and res.rows == 30 and len(res.bad_rows) == 1
    assert pd.read_csv(out, encoding="utf-8-sig")["工单编号"].tolist() == [f"TS2026110{i:03d}" for i in range(1, 31)]


def test_a_disk_full_before_the_first_chunk_leaves_nothing_beside_the_output(tmp_path, monkeypatch):
    """QA (bad-input sweep): voc tag -o on a full disk left .out.parquet.partial/state.json.tmp (0 bytes) beside
    the output — the run's first state file could not be written, outside the part that cleans up."""
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json, "dump", full)
    src, out = _input(tmp_path), tmp_path / "out" / "tagged.csv"
    with pytest.raises(OSError, match="No space left"):
        tag_table(src, out, chunksize=10, n_jobs=1)
    assert not partial_dir(out).exists() and not out.exists()


@pytest.mark.parametrize("where", ["summary", "skipped rows", "removing the parts"])
def test_a_stop_once_the_output_is_in_place_says_it_was_written(tmp_path, monkeypatch, where):
    # Found in the QA passes: a Ctrl-C while voc tag said its summary (or wrote OUTPUT.skipped.csv of
    # --on-bad-rows skip) said "the outputs were left as they were before this run" although the
    # earlier output had been replaced, and one while the parts were removed said the output "was not
    # written" and the rows were kept for the next run.
    import importlib
    import shutil

    from click.testing import CliRunner

    cli = importlib.import_module("voiceofcustomer.cli.main")
    src, out = _input(tmp_path, n=25), tmp_path / "out.csv"
    with open(src, "a", encoding="utf-8") as fh:
        fh.write('T99,和平,"宽带,断网",多余\n')  # a malformed row: --on-bad-rows skip lists it beside OUTPUT
    out.write_text("工单编号,投诉内容\nOLD,earlier output\n", encoding="utf-8-sig")
    if where == "summary":
        said = cli._info

        def info(quiet, msg):
            if msg.startswith("tagged "):
                raise KeyboardInterrupt
            said(quiet, msg)

        monkeypatch.setattr(cli, "_info", info)
    elif where == "skipped rows":
        def stopped(*args, **kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr(cli, "_report_bad_rows", stopped)
    else:
        rmtree = shutil.rmtree

        def ctrl_c_while_removing(path, *args, **kwargs):
            if str(path) == str(partial_dir(out)):
                os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, as the user's
            return rmtree(path, *args, **kwargs)

        monkeypatch.setattr(shutil, "rmtree", ctrl_c_while_removing)
    res = CliRunner().invoke(cli.main, ["tag", str(src), "-o", str(out), "--chunk-size", "10", "--jobs", "1",
                                        "--on-bad-rows", "skip"])
    assert res.exit_code == 130, res.output
    assert res.output.splitlines()[-1] == (f"Error: interrupted; the outputs were finished first: {out} holds this "
                                           "run's complete output"), res.output
    assert pd.read_csv(out, encoding="utf-8-sig")["工单编号"].tolist() == [f"T{i}" for i in range(25)]
    assert not partial_dir(out).exists()
