"""`kill PID` (SIGTERM) of a running `voc tag` / `voc freq`: one line, no traceback, no output file,
exit status 143 (Ctrl-C: 130).

Found in the freq QA pass: SIGTERM ended the main process at once, and each worker process of
`voc tag --jobs 2` then printed a BrokenPipeError traceback (70 lines) when it sent its chunk back.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from voiceofcustomer.labels.workflow import unfinished_rows

SRC = str(Path(__file__).resolve().parents[2] / "src")
PHRASES = ["宽带晚上老掉线", "营业厅排队一个多小时", "扣费不对，乱收费", "信号太差了",
           "客服态度很好", "携号转网被拒", "套餐降档办不了", "网速慢", "装机师傅迟到",
           "短信通知收不到"]


def _export(path: Path, n: int) -> Path:
    rng = np.random.default_rng(3)
    pd.DataFrame({
        "工单编号": [f"K{i:06d}" for i in range(n)],
        "受理时间": [f"2026-11-{1 + i % 28:02d} 10:00:00" for i in range(n)],
        "区县": rng.choice(["和平区", "南开区", "河西区"], size=n),
        # every text distinct: nothing is labelled once for many rows, so the run lasts
        "投诉内容": ["".join(rng.choice(PHRASES, size=3)) + f"，第{i}次反映" for i in range(n)],
    }).to_csv(path, index=False)
    return path


def _voc(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "voiceofcustomer", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for t in tasks for c in (t / "children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 240) -> tuple[int, str, list[int]]:
    """SIGTERM to ``proc`` alone (as `kill PID` does) once ``ready()``; (returncode, stderr, its children)."""
    deadline = time.time() + timeout
    while not ready():
        if proc.poll() is not None or time.time() > deadline:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"the run ended or took too long before it could be killed: {proc.communicate()[1]}")
        time.sleep(0.1)
    children = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    try:
        err = proc.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("still running 60 s after SIGTERM")
    return proc.returncode, err, children


@pytest.mark.slow  # tags a few thousand rows on two worker processes
def test_kill_of_a_multi_process_tag_is_one_line_and_keeps_only_the_finished_chunks(tmp_path):
    src = _export(tmp_path / "export.csv", 30_000)
    out = tmp_path / "tagged.parquet"
    proc = _voc("tag", str(src), "-o", str(out), "--jobs", "2", "--chunk-size", "500", "-q")
    # killed once the run has recorded its first finished chunks (its state file, not the part files: a
    # worker writes its part before the main process records it, and a stop between them keeps nothing —
    # CI once killed it there); the workers are then busy with the next ones
    returncode, err, workers = _kill_when(proc, lambda: unfinished_rows(out) >= 1_000)
    assert returncode == 143, err  # 128 + SIGTERM, not 2 (bad input)
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: stopped (SIGTERM); "), err
    assert "rows tagged so far are kept in" in lines[0] and "run the same command again" in lines[0]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tagged.parquet.partial", "export.csv"]
    assert len(workers) >= 2  # the two workers (and the pool's resource tracker, where it has one)
    deadline = time.time() + 30  # a loaded machine takes a while to reap them
    while [w for w in workers if _alive(w)] and time.time() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "worker processes left running"
    # the same command continues from the kept chunks and writes every row
    again = _voc("tag", str(src), "-o", str(out), "--jobs", "2", "--chunk-size", "500", "-q")
    assert again.wait(timeout=600) == 0, again.communicate()[1]
    assert len(pd.read_parquet(out, columns=["工单编号"])) == 30_000


def test_kill_of_freq_is_one_line_and_leaves_no_output(tmp_path):
    tagged = tmp_path / "tagged.csv"
    df = pd.read_csv(_export(tmp_path / "export.csv", 20_000), dtype=str)
    df = pd.concat([df] * 20, ignore_index=True)  # 400,000 rows to count (about 7 CPU-s)
    df["工单编号"] = [f"K{i:07d}" for i in range(len(df))]
    df["servqual"], df["demand"], df["issue"], df["stance"] = "reliability", "delivery", "signal", "complaint"
    df.to_csv(tagged, index=False)
    out = tmp_path / "freq"
    before = set(tmp_path.iterdir())
    proc = _voc("freq", str(tagged), "-o", str(out), "--by", "区县", "--period", "week", "-q")
    time.sleep(0.5)
    # killed while it counts: the interpreter is up and reading (its CPU time passes 3 s; the imports take under 1)
    returncode, err, _ = _kill_when(proc, lambda: _cpu_seconds(proc.pid) > 3)
    assert returncode == 143, err  # 128 + SIGTERM, not 2 (bad input)
    assert "Traceback" not in err, err
    assert err == "Error: stopped (SIGTERM); the outputs were left as they were before this run\n", err
    assert set(tmp_path.iterdir()) == before  # no folder, no temporary one beside it


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow  # a local Dask cluster of two worker processes
def test_kill_of_a_dask_tag_is_one_line_and_leaves_nothing(tmp_path):
    pytest.importorskip("distributed")
    folder = tmp_path / "exports"
    folder.mkdir()
    whole = pd.read_csv(_export(tmp_path / "export.csv", 24_000), dtype=str)
    for i in range(4):
        whole.iloc[i * 6_000:(i + 1) * 6_000].to_csv(folder / f"part-{i}.csv", index=False)
    out = tmp_path / "tagged"
    work = tmp_path / ".tagged.partial"
    proc = _voc("tag", str(folder), "-o", str(out), "--engine", "dask", "-q")
    # killed once a worker has written its first part: the cluster is busy with the others
    returncode, err, _ = _kill_when(proc, lambda: any(work.glob("part-*.parquet")))
    assert returncode == 143, err  # 128 + SIGTERM, not 2 (bad input)
    assert "Traceback" not in err, err
    assert err == "Error: stopped (SIGTERM); the outputs were left as they were before this run\n", err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "exports"]


# A stop at a set point of a real `voc freq` run: the signal is sent by the process itself, from a
# wrapped function, so the test needs no timing. argv: SIGNAL, where (writing | renames | summary),
# -o folder, then voc's own arguments.
_FREQ_STOPPED = """
import os, signal, sys
from pathlib import Path
import voiceofcustomer.cli.support as support
import voiceofcustomer.freq.charts as charts
from voiceofcustomer.cli.main import main

SIG, WHERE, TARGET = getattr(signal, sys.argv[1]), sys.argv[2], Path(sys.argv[3]).resolve()
sent = []

def send():
    if not sent:
        sent.append(SIG)
        os.kill(os.getpid(), SIG)

if WHERE == "writing":  # the tables and workbook are written into the temporary folder, the charts next
    write_charts = charts.write_charts
    def charts_after_the_stop(*args, **kwargs):
        send()
        return write_charts(*args, **kwargs)
    charts.write_charts = charts_after_the_stop
elif WHERE == "summary":  # the folder is in place, the summary comes next
    list_bad_rows = support.list_bad_rows
    def summary_after_the_stop(*args, **kwargs):
        send()
        return list_bad_rows(*args, **kwargs)
    support.list_bad_rows = summary_after_the_stop
else:  # right after the first rename that puts the new output in place (or the old one aside)
    def ours(p):
        p = Path(p).resolve()
        return p == TARGET or TARGET in p.parents
    def then_stop(real):
        def call(src, dst, *args, **kwargs):
            real(src, dst, *args, **kwargs)
            if ours(src) or ours(dst):
                send()
        return call
    os.rename, os.replace = then_stop(os.rename), then_stop(os.replace)

main(args=["freq", *sys.argv[4:], "-o", str(TARGET), "-q"], prog_name="voc")
"""

_STATUS = {"SIGTERM": 143, "SIGINT": 130}  # 128 + the signal, as a shell, systemd or `timeout` expects


def _freq_stopped(sig: str, where: str, out: Path, *args: str) -> tuple[int, str]:
    from interrupted_run import run_script

    return run_script(_FREQ_STOPPED, sig, where, str(out), *args, timeout=240)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def freq_reference(tmp_path_factory) -> dict[str, bytes]:
    """The files of an uninterrupted `voc freq tests/data/tagged_oct_nov.csv`."""
    out = tmp_path_factory.mktemp("reference") / "freq"
    data = Path(__file__).resolve().parents[1] / "data"
    assert _voc("freq", str(data / "tagged_oct_nov.csv"), "-o", str(out), "-q").wait(timeout=240) == 0
    return _tree(out)


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_stopped_freq_exits_128_plus_the_signal_and_leaves_the_earlier_output(tmp_path, data_dir, sig):
    # Found in the freq signals pass: a SIGTERM ended voc freq with status 2, the status of bad input,
    # so a scheduler or a `timeout` wrapper took a stopped run for a broken export.
    out = tmp_path / "freq"
    returncode, err = _freq_stopped(sig, "writing", out, str(data_dir / "tagged_oct_nov.csv"))
    assert returncode == _STATUS[sig], err
    assert err == f"Error: {'stopped (SIGTERM)' if sig == 'SIGTERM' else 'interrupted'}; the outputs were left " \
                  "as they were before this run\n", err
    assert list(tmp_path.iterdir()) == []  # no folder, no temporary one beside it
    assert _voc("freq", str(data_dir / "tagged_oct.csv"), "-o", str(out), "-q").wait(timeout=240) == 0
    before = _tree(out)
    returncode, err = _freq_stopped(sig, "writing", out, str(data_dir / "tagged_oct_nov.csv"))
    assert returncode == _STATUS[sig], err
    assert _tree(out) == before and list(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("folder, where", [("absent", "renames"), ("an earlier output", "renames"),
                                           ("with a file of mine", "renames"), ("an earlier output", "summary")])
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_stop_during_the_final_renames_finishes_them_then_stops(tmp_path, data_dir, freq_reference, sig, folder,
                                                                  where):
    # Found in the freq signals pass: a SIGTERM that came while the new files were renamed into place was
    # dropped (held so as not to leave half of them), and the run went on and ended with status 0. One
    # that comes once they are in place (while the summary is said) says so too, not "left as they were".
    out = tmp_path / "freq"
    if folder != "absent":  # the folders are swapped (old aside, new in), or the files moved in one by one
        assert _voc("freq", str(data_dir / "tagged_oct.csv"), "-o", str(out), "-q").wait(timeout=240) == 0
    if folder == "with a file of mine":
        (out / "mine.txt").write_text("mine", encoding="utf-8")
    returncode, err = _freq_stopped(sig, where, out, str(data_dir / "tagged_oct_nov.csv"))
    assert returncode == _STATUS[sig], err
    said = "stopped (SIGTERM)" if sig == "SIGTERM" else "interrupted"
    assert err == f"Error: {said}; the outputs were finished first: {out} holds this run's complete output\n", err
    new = _tree(out)
    assert new.pop("mine.txt", b"mine") == b"mine"
    # this run's output, whole: every file the uninterrupted run writes, the same tables, nothing of the earlier run
    assert new.keys() == freq_reference.keys()
    assert {k: v for k, v in new.items() if k.endswith(".csv")} == \
           {k: v for k, v in freq_reference.items() if k.endswith(".csv")}
    assert list(tmp_path.iterdir()) == [out]  # no temporary folder left
