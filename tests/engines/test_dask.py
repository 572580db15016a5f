"""The Dask engine on a real scheduler and two worker processes (127.0.0.1): same labels, same tables."""

import os
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
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = []
    request.addfinalizer(lambda: [_stop(p) for p in reversed(procs)])
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
    for _ in range(2):
        procs.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                       "--host", "127.0.0.1", "--no-dashboard"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    with Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=90)
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


def test_dask_engine_refuses_what_it_does_not_do(tmp_path):
    folder = _partitioned(tmp_path)
    with pytest.raises(InputError, match="--reuse works with the local engine only"):
        tag_table(folder, tmp_path / "out", engine="dask", reuse=tmp_path / "old.csv")
    for option, kw in (("--adapt", {"adapt": "weights"}), ("--thread-col", {"thread_col": "会话"}),
                       ("--issue-2", {"issue_2": True})):
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
