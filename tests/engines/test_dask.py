"""The Dask engine on a real scheduler and two worker processes (127.0.0.1): same labels, same tables."""

import os
from pathlib import Path
import socket
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")

from voiceofcustomer.cli.main import main  # noqa: E402
from voiceofcustomer.engines import partitions  # noqa: E402
from voiceofcustomer.errors import InputError  # noqa: E402
from voiceofcustomer.labels.workflow import tag_table  # noqa: E402

PHRASES = ["宽带晚上老掉线", "营业厅排队一个多小时", "扣费不对，乱收费", "信号太差了", "客服态度很好",
           "携号转网被拒", "套餐降档办不了", "话费", "", "网速慢"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def scheduler(request):
    """``dask scheduler`` and two ``dask worker`` processes; all stopped when the module ends."""
    procs = []
    request.addfinalizer(lambda: [_stop(p) for p in reversed(procs)])
    return _cluster(procs, 2)


def _cluster(procs: list, n_workers: int) -> str:
    """Start ``dask scheduler`` and ``n_workers`` ``dask worker`` processes (appended to ``procs``); the address."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs.append(subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                                   str(port), "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL))
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    for _ in range(n_workers):
        procs.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                       "--host", "127.0.0.1", "--no-dashboard"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    with Client(address, timeout="30s") as client:
        client.wait_for_workers(n_workers, timeout=90)
    return address


def _partitioned(tmp_path):
    rng = np.random.default_rng(11)
    folder = tmp_path / "parts"
    folder.mkdir()
    start = 0
    for i, n in enumerate([23, 17, 30]):
        df = pd.DataFrame({
            "工单编号": [f"T{start + j}" for j in range(n)],
            "区县": rng.choice(["和平", "南开", "河西"], size=n),
            "受理时间": [f"2026-{m:02d}-{d:02d}" for m, d in zip(rng.integers(7, 11, n), rng.integers(1, 28, n))],
            "投诉内容": ["".join(rng.choice(PHRASES, size=int(rng.integers(1, 4)))) for _ in range(n)],
        })
        start += n
        if i == 1:
            df.to_parquet(folder / f"part-{i}.parquet", index=False)
        else:
            df.to_csv(folder / f"part-{i}.csv", index=False)
    return folder


@pytest.mark.slow
def test_dask_tag_and_freq_equal_the_local_engine(tmp_path, scheduler):
    folder = _partitioned(tmp_path)
    dataset = tmp_path / "tagged"
    res = CliRunner().invoke(main, ["tag", str(folder), "-o", str(dataset), "--engine", "dask",
                                    "--scheduler", scheduler, "--chunk-size", "10"])
    assert res.exit_code == 0, res.output
    assert "tagged 70 rows" in res.output
    got = pd.concat([pd.read_parquet(p) for p in partitions(dataset)], ignore_index=True)
    local = []
    for i, part in enumerate(partitions(folder)):
        tag_table(part, tmp_path / f"local-{i}.parquet", n_jobs=1)
        local.append(pd.read_parquet(tmp_path / f"local-{i}.parquet"))
    local = pd.concat(local, ignore_index=True)
    assert got["工单编号"].tolist() == [f"T{i}" for i in range(70)]
    for col in ("servqual", "demand", "issue", "stance", "needs_review", "note"):
        assert got[col].tolist() == local[col].tolist(), col
    for col in ("servqual_conf", "demand_conf", "issue_conf", "stance_conf"):
        assert np.array_equal(got[col].to_numpy(), local[col].to_numpy()), col
    # each part records its model as a local output does, so `voc tag --reuse PART` can check it
    from voiceofcustomer.io.readers import file_properties
    from voiceofcustomer.labels.workflow import MODEL_PROPERTY

    stamps = {file_properties(p)[MODEL_PROPERTY] for p in partitions(dataset)}
    assert stamps == {file_properties(tmp_path / "local-0.parquet")[MODEL_PROPERTY]}

    args = ["--by", "区县", "--period", "month", "--date-col", "受理时间", "--alerts", "-q"]
    r1 = CliRunner().invoke(main, ["freq", str(dataset), "-o", str(tmp_path / "f_local"), *args])
    r2 = CliRunner().invoke(main, ["freq", str(dataset), "-o", str(tmp_path / "f_dask"), *args,
                                   "--engine", "dask", "--scheduler", scheduler])
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    names = sorted(p.name for p in (tmp_path / "f_local").glob("*.csv"))
    assert "by_区县.csv" in names and "alerts.csv" in names
    for name in names:
        assert (tmp_path / "f_local" / name).read_bytes() == (tmp_path / "f_dask" / name).read_bytes(), name


def test_partitions_from_folder_and_glob(tmp_path):
    folder = _partitioned(tmp_path)
    (folder / ".hidden.csv").write_text("x\n", encoding="utf-8")
    assert [p.name for p in partitions(folder)] == ["part-0.csv", "part-1.parquet", "part-2.csv"]
    assert [p.name for p in partitions(str(folder / "*.csv"))] == ["part-0.csv", "part-2.csv"]
    with pytest.raises(InputError, match="not found"):
        partitions(tmp_path / "nothing")
    with pytest.raises(InputError, match="no .* partitions"):
        partitions(str(tmp_path / "*.xyz"))
    (tmp_path / "empty.csv").mkdir()  # QA (bad-input sweep): an empty folder did not say what to give
    with pytest.raises(InputError, match=r"empty\.csv: no .* partitions found; give a table, or a folder or glob of "
                                         r"its partitions"):
        partitions(tmp_path / "empty.csv")
    # a folder of legacy workbooks is partitions too (it was "no … partitions found")
    import shutil
    from pathlib import Path

    legacy = tmp_path / "legacy"
    legacy.mkdir()
    for name in ("tickets.xls", "tickets.ods"):
        shutil.copy(Path(__file__).parents[1] / "data" / "workbooks" / name, legacy / name)
    assert [p.name for p in partitions(legacy)] == ["tickets.ods", "tickets.xls"]


def test_partitions_of_several_inputs_are_one_input_in_path_order(tmp_path):
    # voc freq b.parquet a.parquet: several paths (files, folders, globs) are the files of all, sorted by path as a
    # folder holding them would be, a file named twice (alone and by its folder) once
    folder = _partitioned(tmp_path)
    got = partitions([folder / "part-2.csv", str(folder / "*.parquet"), folder / "part-0.csv", folder])
    assert [p.name for p in got] == ["part-0.csv", "part-1.parquet", "part-2.csv"]
    with pytest.raises(InputError, match="nothing.csv: file not found"):
        partitions([folder / "part-0.csv", tmp_path / "nothing.csv"])
    with pytest.raises(InputError, match="no input given"):
        partitions([])


def test_dask_engine_refuses_what_it_does_not_do(tmp_path):
    folder = _partitioned(tmp_path)
    with pytest.raises(InputError, match="reuse= works with the local engine only; drop it or use engine='local'"):
        tag_table(folder, tmp_path / "out", engine="dask", reuse=tmp_path / "old.csv")
    for option, kw in (("adapt=", {"adapt": "weights"}), ("thread_col=", {"thread_col": "会话"}),
                       ("issue_2=", {"issue_2": True})):
        with pytest.raises(InputError, match=f"{option} works with the local engine only"):
            tag_table(folder, tmp_path / "out", engine="dask", **kw)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_default_local_cluster_tags_a_glob(tmp_path):
    """Without --scheduler a local cluster (2 worker processes) is started and shut down again."""
    folder = _partitioned(tmp_path)
    res = tag_table(str(folder / "*.csv"), tmp_path / "ds", engine="dask", chunksize=10)
    assert res.rows == 23 + 30
    got = pd.concat([pd.read_parquet(p) for p in partitions(tmp_path / "ds")], ignore_index=True)
    assert got["工单编号"].tolist() == [f"T{i}" for i in range(23)] + [f"T{i}" for i in range(40, 70)]
    assert not (tmp_path / ".ds.partial").exists()


@pytest.mark.slow  # each worker loads the USE weights once; two fits of 300 statements
def test_dask_themes_embed_on_the_workers_with_the_local_vectors(tmp_path, scheduler):
    from pathlib import Path

    from voiceofcustomer.themes import ThemeModel
    from voiceofcustomer.themes.embeddings import USEEmbedder, embed_texts

    data = Path(__file__).resolve().parents[1] / "data" / "themes_corpus.txt"
    texts = [t.strip() for t in data.read_text(encoding="utf-8").splitlines() if t.strip()]
    local = ThemeModel(embedding=USEEmbedder(batch_size=64)).fit_transform(texts)
    model = ThemeModel(embedding=USEEmbedder(batch_size=64), engine="dask", scheduler=scheduler)
    remote = model.fit_transform(texts)
    engine = model.info_["embedding"]["engine"]
    assert engine["name"] == "dask" and engine["workers"] == 2 and engine["scheduler"] == scheduler
    pd.testing.assert_frame_equal(local, remote)
    # the vectors themselves: the same batches give bit-identical embeddings
    a, _ = embed_texts(USEEmbedder(batch_size=64), texts[:150])
    from voiceofcustomer.engines.dask import DaskEncoder

    emb = USEEmbedder(batch_size=64)
    b, _ = embed_texts(emb, texts[:150], encode=DaskEncoder(emb, scheduler=scheduler))
    assert np.array_equal(a, b)


@pytest.mark.slow  # the client waits 20 s for the scheduler before giving up
def test_dask_themes_unreachable_scheduler_is_one_clear_error(tmp_path):
    folder = tmp_path / "in.txt"
    folder.write_text("宽带晚上老掉线\n营业厅排队一个多小时\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["themes", str(folder), "-o", str(tmp_path / "out"), "--engine", "dask",
                                    "--scheduler", f"tcp://127.0.0.1:{_free_port()}", "-q"])
    assert res.exit_code == 2 and "scheduler" in res.output and "Traceback" not in res.output


def _in_thread(fn, timeout: float):
    """``fn()`` in a thread; fails the test when it has not returned within ``timeout`` s (instead of hanging)."""
    import threading

    box = {}
    t = threading.Thread(target=lambda: box.setdefault("result", fn()), daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"still waiting after {timeout} s"
    return box["result"]


def test_a_wrong_scheduler_address_is_one_line_not_a_hang(tmp_path, monkeypatch):
    # Found in the scale QA pass: --scheduler http://… ended in a ValueError traceback, and an address
    # where something else listens (a web server, the dashboard's port 8787) hung for ever:
    # distributed's Client waits for the scheduler's handshake without a time limit.
    import socket
    import threading

    from voiceofcustomer.engines import dask as engine

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", 2, raising=False)
    folder = _partitioned(tmp_path)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    held = []
    threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()  # accepts, never answers
    try:
        for address, message in ((f"tcp://127.0.0.1:{silent.getsockname()[1]}",
                                  f"cannot reach the Dask scheduler at tcp://127.0.0.1:{silent.getsockname()[1]} "
                                  "(no answer within 2 s)"),
                                 ("http://127.0.0.1:8786", "http://127.0.0.1:8786: not a Dask scheduler address"),
                                 ("127.0.0.1", "127.0.0.1: not a Dask scheduler address (missing port")):
            res = _in_thread(lambda: CliRunner().invoke(main, ["tag", str(folder), "-o", str(tmp_path / "ds"),
                                                               "--engine", "dask", "--scheduler", address]), 60)
            assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1, res.output
            assert res.output.startswith(f"Error: {message}"), res.output
            assert not (tmp_path / "ds").exists() and not (tmp_path / ".ds.partial").exists()
    finally:
        silent.close()


def test_the_local_cluster_does_not_warn_when_the_dashboard_port_is_taken(capfd):
    # Found in the scale QA pass: with 8787 taken (another cluster, a second voc run) distributed
    # printed a four-line UserWarning above voc's output; voc asks for no dashboard.
    import socket
    import warnings

    from voiceofcustomer.engines.dask import dask_client

    taken = socket.socket()
    try:
        taken.bind(("127.0.0.1", 8787))
        taken.listen(1)
    except OSError:
        pass  # taken already: all the better
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with dask_client(n_workers=0) as client:
                assert client.scheduler_info()["address"].startswith("tcp://127.0.0.1:")
    finally:
        taken.close()
    assert not [str(w.message) for w in caught if "8787" in str(w.message)]
    assert "8787" not in capfd.readouterr().err


def test_a_task_of_an_ended_run_does_not_bring_its_folder_back(tmp_path):
    # Found in the scale QA pass: after the scheduler died mid-run voc removed the run's hidden
    # folder, and workers still running their tasks wrote their parts into it again
    # (.dask_dies.partial/part-00000.parquet … left beside the output).
    from voiceofcustomer.engines.dask import _tag_partition
    from voiceofcustomer.errors import VocError

    folder = _partitioned(tmp_path)
    work = tmp_path / ".ds.partial"
    opts = dict(text_col=None, id_col=None, encoding=None, on_bad_rows="error", review_below=0.75, model_path=None,
                chunksize=10)
    with pytest.raises(VocError, match="has ended"):
        _tag_partition(0, str(partitions(folder)[0]), str(work), opts)
    assert not work.exists()


@pytest.mark.slow  # its own scheduler and worker, killed mid-run
def test_the_scheduler_dying_mid_run_is_one_line_and_leaves_nothing(tmp_path):
    # Found in the scale QA pass: a 77-line FutureCancelledError traceback (and, once caught, the
    # client's reconnect log with two more tracebacks).
    import signal

    folder = _partitioned(tmp_path)
    procs = []
    try:
        address = _cluster(procs, 1)

        def kill_scheduler(rows):  # once the first partition is done
            if procs[0].poll() is None:
                procs[0].send_signal(signal.SIGKILL)
                procs[0].wait(timeout=15)

        from voiceofcustomer.cli.support import library_call
        import click

        @click.command()
        @library_call
        def run():
            tag_table(folder, tmp_path / "ds", engine="dask", scheduler=address, chunksize=10,
                      progress=kill_scheduler)

        res = CliRunner().invoke(run, [])
    finally:
        for p in reversed(procs):
            _stop(p)
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1, res.output
    assert res.output.startswith(f"Error: lost the connection to the Dask scheduler at {address}")
    assert not (tmp_path / "ds").exists() and not (tmp_path / ".ds.partial").exists()


_CTRL_C_ON_A_LOCAL_CLUSTER = """
import os, signal, time
import click
from voiceofcustomer.cli.support import library_call
from voiceofcustomer.engines.dask import dask_client

@click.command()
@library_call
def run():
    with dask_client(n_workers=1) as client:
        future = client.submit(time.sleep, 30)
        time.sleep(2)  # the task runs
        os.killpg(0, signal.SIGINT)  # Ctrl-C in the terminal: every process of the group
        future.result()

run(args=[])
"""


@pytest.mark.slow  # a local cluster with a worker process
def test_ctrl_c_on_the_local_cluster_is_one_line():
    # Found in the scale QA pass: the local cluster's worker processes took Ctrl-C too and printed a
    # KeyboardInterrupt traceback (34 lines) or distributed's warnings above voc's one line.
    from interrupted_run import run_script

    returncode, err = run_script(_CTRL_C_ON_A_LOCAL_CLUSTER, timeout=120)
    assert returncode == 130 and err == "Error: interrupted; the outputs were left as they were before this run\n", err


@pytest.mark.slow
def test_one_big_export_is_cut_into_tasks_with_the_same_rows_and_labels(tmp_path, scheduler):
    # One file was one task: a single 300,000-row export kept one worker busy while the other waited.
    # A file over slice_bytes is read by the client and cut into tasks of slice_rows rows.
    import pyarrow.parquet as pq

    from voiceofcustomer.engines.dask import tag_dataset

    rng = np.random.default_rng(5)
    n = 130
    df = pd.DataFrame({"工单编号": [f"B{i:04d}" if i % 9 else "" for i in range(n)],  # some ids empty
                       "区县": rng.choice(["和平", "南开", ""], size=n),
                       "投诉内容": ["".join(rng.choice(PHRASES, size=int(rng.integers(1, 4)))) for _ in range(n)]})
    big = tmp_path / "big.csv"
    lines = df.to_csv(index=False).splitlines()
    lines.insert(60, 'B9999,和平,"宽带掉线,没人修')  # a broken row (stray quote) in the middle: skipped, named
    big.write_text("\n".join(lines) + "\n", encoding="gb18030")  # a GBK export: the encoding is found once
    whole = tag_dataset(big, tmp_path / "whole", scheduler=scheduler, on_bad_rows="skip", chunksize=16)
    cut = tag_dataset(big, tmp_path / "cut", scheduler=scheduler, on_bad_rows="skip", chunksize=16,
                      slice_bytes=0, slice_rows=40)
    assert len(partitions(tmp_path / "whole")) == 1
    assert len(partitions(tmp_path / "cut")) == 4  # 40 + 40 + 40 + the last 10 (+ the skipped row: 131 read)
    assert not (tmp_path / "cut" / "slices").exists() and not list((tmp_path / "cut").glob(".*"))
    a = pd.concat([pd.read_parquet(p) for p in partitions(tmp_path / "whole")], ignore_index=True)
    b = pd.concat([pd.read_parquet(p) for p in partitions(tmp_path / "cut")], ignore_index=True)
    assert len(b) == n and (cut.rows, cut.needs_review) == (whole.rows, whole.needs_review)
    pd.testing.assert_frame_equal(a, b)
    assert "ticket_id" not in b.columns and "_row" not in b.columns  # the reader's own columns: not output
    assert pq.read_schema(partitions(tmp_path / "cut")[0]).types == pq.read_schema(
        partitions(tmp_path / "whole")[0]).types
    assert [(Path(f).name, line) for f, line, _ in cut.bad_rows] == [("big.csv", 61)]
    assert [r[:2] for r in cut.bad_rows] == [r[:2] for r in whole.bad_rows]


@pytest.mark.slow
def test_dask_freq_counts_rows_repeated_across_files_once_as_the_local_engine(tmp_path, scheduler):
    # An export and its grown successor side by side (tagged_oct + tagged_oct_nov): rows of both were
    # counted twice, silently. The workers count every partition at once; one that shares rows with
    # the partitions before it is counted again without them, so the tables equal the local engine's.
    import shutil

    data = Path(__file__).parents[1] / "data"
    folder = tmp_path / "tagged"
    folder.mkdir()
    for name in ("tagged_oct.csv", "tagged_oct_nov.csv"):
        shutil.copy(data / name, folder / name)
    shutil.copy(data / "tagged_oct.csv", folder / "tagged_zz_copy.csv")  # a third file repeating the first
    args = ["--by", "区县", "--period", "month"]
    r1 = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "f_local"), *args])
    r2 = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "f_dask"), *args,
                                   "--engine", "dask", "--scheduler", scheduler])
    _same_freq(r1, r2, tmp_path)
    assert "counted 8 of 21 statements" in r2.output and "12 repeated from an earlier file" in r2.output


@pytest.mark.slow
def test_dask_freq_of_several_paths_equals_the_local_engine(tmp_path, scheduler):
    # two monthly files given as two paths, in reverse name order: one input on both engines, read in name order
    data = Path(__file__).parents[1] / "data"
    paths = [str(data / "tagged_oct_nov.csv"), str(data / "tagged_oct.csv")]
    args = ["--by", "区县", "--period", "month"]
    r1 = CliRunner().invoke(main, ["freq", *paths, "-o", str(tmp_path / "f_local"), *args])
    r2 = CliRunner().invoke(main, ["freq", *paths, "-o", str(tmp_path / "f_dask"), *args,
                                   "--engine", "dask", "--scheduler", scheduler])
    _same_freq(r1, r2, tmp_path)
    assert "counted 8 of 15 statements" in r2.output and "tagged_oct_nov.csv repeats 6 of its 9 rows" in r2.output


def _same_freq(r1, r2, tmp_path):
    """Both runs ended well, with the same note: lines and the same tables (f_local, f_dask)."""
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    assert [x for x in r1.output.splitlines() if x.startswith("note:")] == \
        [x for x in r2.output.splitlines() if x.startswith("note:")]
    for name in sorted(p.name for p in (tmp_path / "f_local").glob("*.csv")):
        assert (tmp_path / "f_local" / name).read_bytes() == (tmp_path / "f_dask" / name).read_bytes(), name


def _survey_freq_on_both_engines(tmp_path, scheduler, files):
    """voc freq on both engines over a folder of the survey_ids fixtures ``files`` ((fixture, name in the folder));
    the Dask run's output, after checking both runs give the same tables."""
    import shutil

    data = Path(__file__).parents[1] / "data" / "survey_ids"
    folder = tmp_path / "tagged"
    folder.mkdir()
    for name, as_name in files:
        shutil.copy(data / name, folder / as_name)
    r1 = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "f_local")])
    r2 = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "f_dask"),
                                   "--engine", "dask", "--scheduler", scheduler])
    _same_freq(r1, r2, tmp_path)
    return r2.output


@pytest.mark.slow
def test_dask_freq_counts_a_grown_survey_export_once_as_the_local_engine(tmp_path, scheduler):
    # 问卷_11月 (answers 1–3) and 问卷_11月_更新 (1–5, the first 3 the same): each answer once on both engines
    out = _survey_freq_on_both_engines(tmp_path, scheduler, [
        (n, n) for n in ("tagged_wenjuan_dec.csv", "tagged_wenjuan_nov.csv", "tagged_wenjuan_nov_update.csv")])
    assert "counted 8 of 11 statements" in out and "3 of its 5 answers" in out


@pytest.mark.slow
def test_dask_freq_tells_a_grown_export_by_its_own_survey_as_the_local_engine(tmp_path, scheduler):
    # 问卷_11月 answers 1–2, another survey's 1–6 in other words, then 问卷_11月_更新 (1–5): each earlier partition
    # on its own decides, on both engines (pooled, the other survey outvoted November's: 13 counted, not 11)
    out = _survey_freq_on_both_engines(tmp_path, scheduler, [
        ("tagged_wenjuan_nov_early.csv", "1_nov.csv"), ("tagged_wenjuan_store6.csv", "2_store.csv"),
        ("tagged_wenjuan_nov_update.csv", "3_nov_update.csv")])
    assert "counted 11 of 13 statements" in out and "2 of its 5 answers" in out


@pytest.mark.slow
def test_dask_freq_keeps_two_files_made_ticket_ids_apart_as_the_local_engine(tmp_path, scheduler):
    # 工单:1 … of a/工单.csv and of b/工单.csv, split each in its own run: ids made from the row, each file's tickets
    import shutil

    data = Path(__file__).parents[1] / "data" / "made_ids"
    folder = tmp_path / "tagged"
    folder.mkdir()
    for name in ("tagged_a.csv", "tagged_b.csv"):
        shutil.copy(data / name, folder / name)
    r1 = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "f_local")])
    r2 = CliRunner().invoke(main, ["freq", str(folder), "-o", str(tmp_path / "f_dask"),
                                   "--engine", "dask", "--scheduler", scheduler])
    _same_freq(r1, r2, tmp_path)
    assert "counted 6 of 6 statements in 6 tickets" in r2.output


@pytest.mark.slow
def test_dask_tag_reads_each_exports_own_text_column(tmp_path, scheduler):
    # three exports whose text is in 投诉内容, 问题描述 and 客户原话 (tests/data/tag_text_cols): --text-col was kept
    # once, the last given, so 'a_nov.csv: no column '客户原话' for the text'; now once per column, as voc split
    import pyarrow.parquet as pq

    data = Path(__file__).parents[1] / "data" / "tag_text_cols"
    cols = ["--text-col", "投诉内容", "--text-col", "问题描述", "--text-col", "客户原话",
            "--id-col", "工单编号", "--id-col", "流水号"]
    out = tmp_path / "tagged_ds"
    r = CliRunner().invoke(main, ["tag", str(data / "*.csv"), "-o", str(out), "--engine", "dask",
                                  "--scheduler", scheduler, *cols])
    assert r.exit_code == 0, r.output
    assert "tagged 5 rows" in r.output
    parts = sorted(out.glob("part-*.parquet"))
    said = [pq.read_schema(p).metadata[b"voiceofcustomer.text_col"].decode() for p in parts]
    assert said == ["投诉内容", "问题描述", "客户原话"]  # each part its own: voc freq reads it without --text-col
    assert [pq.read_table(p).column("servqual").length() for p in parts] == [2, 2, 1]
    f = CliRunner().invoke(main, ["freq", str(out), "-o", str(tmp_path / "freq")])
    assert f.exit_code == 0 and "counted 5 of 5 statements" in f.output, f.output


@pytest.mark.slow
def test_dask_tag_names_an_export_with_none_of_the_given_text_columns_in_one_line(tmp_path, scheduler):
    data = Path(__file__).parents[1] / "data" / "tag_text_cols"
    r = CliRunner().invoke(main, ["tag", str(data / "*.csv"), "-o", str(tmp_path / "tagged_ds"), "--engine", "dask",
                                  "--scheduler", scheduler, "--text-col", "投诉内容", "--text-col", "问题描述"])
    assert r.exit_code == 2 and not (tmp_path / "tagged_ds").exists()
    line = r.output.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in r.output
    assert line.startswith(f"Error: {(data / 'c_callback.csv').resolve()}: no column for the text among those given "
                           "('投诉内容', '问题描述'); give its column with one more --text-col"), line


def test_split_tickets_read_their_ticket_on_dask_across_slices_and_hand_cut_files(tmp_path, scheduler):
    # A split ticket's sentences are tagged with the earlier sentences of their ticket (as the local
    # engine tags them): a slice runs on to the end of its last ticket, and a partition file that
    # begins inside the ticket the file before ended with is tagged again with that ticket's sentences.
    from voiceofcustomer.engines.dask import tag_dataset

    st = tmp_path / "st.csv"
    res = CliRunner().invoke(main, ["split", "tests/data/tickets_followups.csv", "-o", str(st), "-q"])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(st, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert len(table) == 8
    tag_table(st, tmp_path / "local.parquet", n_jobs=1)
    local = pd.read_parquet(tmp_path / "local.parquet")
    assert local.set_index("statement_id").loc["tickets_followups:2-s02", "issue"] == "billing"
    fields = ["servqual", "demand", "issue", "stance", "needs_review"]

    sliced = tag_dataset(st, tmp_path / "sliced", scheduler=scheduler, chunksize=1, slice_bytes=0, slice_rows=2)
    assert len(partitions(tmp_path / "sliced")) == 3  # 2 rows each, run on to the ticket's end: 3 + 2 + 3
    got = pd.concat([pd.read_parquet(p) for p in partitions(tmp_path / "sliced")], ignore_index=True)
    assert sliced.rows == 8 and got[fields].equals(local[fields])
    # the split table's own ticket_id is an output column, as the local engine keeps it (Dask dropped it)
    assert list(got.columns) == list(local.columns) and got["ticket_id"].tolist() == local["ticket_id"].tolist()

    parts = tmp_path / "parts"
    parts.mkdir()
    for i, (a, b) in enumerate([(0, 1), (1, 2), (2, 4), (4, 8)]):  # ticket F01 over three files, F02 over two
        table.iloc[a:b].to_csv(parts / f"p{i}.csv", index=False, encoding="utf-8-sig")
    tag_dataset(parts, tmp_path / "cut", scheduler=scheduler)
    got = pd.concat([pd.read_parquet(p) for p in partitions(tmp_path / "cut")], ignore_index=True)
    assert got["statement_id"].tolist() == local["statement_id"].tolist()
    assert got[fields].equals(local[fields]) and list(got.columns) == list(local.columns)


def _earlier_output(out: Path) -> dict[str, bytes]:
    """An earlier `voc tag --engine dask` output at ``out`` (one part); its files."""
    out.mkdir()
    pd.DataFrame({"工单编号": ["OLD"], "投诉内容": ["earlier output"]}).to_parquet(out / "part-00000.parquet")
    return {p.name: p.read_bytes() for p in out.iterdir()}


def test_a_failure_while_the_dataset_is_put_in_place_keeps_the_earlier_output(tmp_path, scheduler, monkeypatch):
    # Found in the atomic-writes QA pass: tag_dataset removed the earlier output folder, then renamed the
    # new one in; an error (or a kill) between the two left no output at all, the earlier one lost.
    from voiceofcustomer.engines.dask import tag_dataset

    folder, out = _partitioned(tmp_path), tmp_path / "tagged"
    before = _earlier_output(out)
    (tmp_path / ".tagged.99999999-0123abcd.voc-tmp").mkdir()  # an earlier output a killed run left aside: removed
    rename = os.rename

    def rename_in_fails(src, dst, *args, **kwargs):
        if Path(src) == tmp_path / ".tagged.partial":  # the new dataset, as it is renamed to OUTPUT
            raise OSError(5, "Input/output error")
        return rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename_in_fails)
    with pytest.raises(OSError, match="Input/output error"):
        tag_dataset(folder, out, scheduler=scheduler, chunksize=10)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parts", "tagged"]  # nothing aside, no .partial


@pytest.mark.parametrize("moment", ["the earlier output moved away", "the new output renamed in"])
def test_a_stop_while_the_dataset_is_put_in_place_finishes_it_and_says_so(tmp_path, scheduler, monkeypatch, moment):
    # Found in the atomic-writes QA pass: a Ctrl-C between removing the earlier output and renaming the new
    # one in left neither, and one just after the rename said "the outputs were left as they were before
    # this run" although the earlier output was gone and the new one in its place.
    import shutil
    import signal

    folder, out = _partitioned(tmp_path), tmp_path / "tagged"
    _earlier_output(out)
    rename, rmtree = os.rename, shutil.rmtree

    def then_ctrl_c(real, moved):
        def call(src, *args, **kwargs):
            real(src, *args, **kwargs)
            if Path(src) == moved:
                os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, as the user's
        return call

    if moment == "the earlier output moved away":  # renamed aside (or, before, removed)
        monkeypatch.setattr(os, "rename", then_ctrl_c(rename, out))
        monkeypatch.setattr(shutil, "rmtree", then_ctrl_c(rmtree, out))
    else:
        monkeypatch.setattr(os, "rename", then_ctrl_c(rename, tmp_path / ".tagged.partial"))
    res = CliRunner().invoke(main, ["tag", str(folder), "-o", str(out), "--engine", "dask", "--scheduler", scheduler,
                                    "--chunk-size", "10"])
    assert res.exit_code == 130, res.output
    assert res.output.splitlines()[-1] == (f"Error: interrupted; the outputs were finished first: {out} holds this "
                                           "run's complete output"), res.output
    got = pd.concat([pd.read_parquet(p) for p in partitions(out)], ignore_index=True)
    assert got["工单编号"].tolist() == [f"T{i}" for i in range(70)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parts", "tagged"]  # nothing aside, no .partial


@pytest.mark.slow  # three runs on the cluster and one local
def test_dask_says_it_read_the_header_under_the_title_row(tmp_path, scheduler, data_dir):
    # voc tag --engine dask read a ticket export under its title row (2026年12月全市投诉工单明细 over the header in
    # row 2) but said only 'tagged 4 rows (…) → ds', where the local engine, voc split and voc analyze said which
    # row they read as the header; now the same words, for a file a worker reads and for one the client slices
    titled = data_dir / "title_row" / "tickets_dec_title.csv"
    res = CliRunner().invoke(main, ["tag", str(titled), "-o", str(tmp_path / "ds"), "--engine", "dask",
                                    "--scheduler", scheduler])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("tagged "))
    assert line.startswith("tagged 4 rows (") and line.endswith(
        "; tickets_dec_title.csv: header in row 2, under the title '2026年12月全市投诉工单明细' in row 1) → "
        f"{tmp_path / 'ds'}"), line
    from voiceofcustomer.engines.dask import tag_dataset

    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("tickets_dec_title.csv", "tickets_oct_title.xlsx"):
        (folder / name).write_bytes((data_dir / "title_row" / name).read_bytes())
    (folder / "tickets_small.csv").write_bytes((data_dir / "tickets_small.csv").read_bytes())  # no title: not said
    local = tag_table(folder / "tickets_oct_title.xlsx", tmp_path / "local.csv", n_jobs=1, on_bad_rows="skip")
    for slice_bytes in (10 ** 9, 0):  # each file a worker's, or cut into slices by the client
        got = tag_dataset(folder, tmp_path / f"ds{slice_bytes}", scheduler=scheduler, on_bad_rows="skip",
                          slice_bytes=slice_bytes, slice_rows=2)
        assert got.title_rows == [
            {"file": "tickets_dec_title.csv", "title": "2026年12月全市投诉工单明细", "header_row": 2, "title_row": 1},
            {"file": "tickets_oct_title.xlsx", "title": "2026年10月全省投诉工单明细", "header_row": 2, "title_row": 1}]
        assert got.title_rows[1:] == local.title_rows  # the local engine's words
