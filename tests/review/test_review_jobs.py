"""The page's background jobs (Teach, Save curated): state transitions, one at a time, the output-folder
rule, atomic output, and the endpoints' errors (JSON, never a crash)."""

import json
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

from voiceofcustomer.errors import InputError
from voiceofcustomer.io.writers import atomic_dir
from voiceofcustomer.review.app import create_app
from voiceofcustomer.review.jobs import BusyError, JobRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PORT = 5566
SRC = str(Path(__file__).resolve().parents[2] / "src")


class Gate:
    """A stand-in job that runs until released (and writes a small folder through atomic_dir)."""

    def __init__(self, fail=None):
        self.go = threading.Event()
        self.fail = fail
        self.calls = []

    def __call__(self, db, out_dir, *, progress, **opts):
        self.calls.append((db, out_dir, opts))
        progress("step one of two\nsecond line is dropped")
        assert self.go.wait(10)
        with atomic_dir(out_dir) as tmp:
            (tmp / "metrics.json").write_text("{}", encoding="utf-8")
            (tmp / "curated.json").write_text("{}", encoding="utf-8")
            if self.fail:
                raise self.fail
        return {"use": f"voc tag x --model {out_dir}", "n": 1, "kappa": float("nan")}


def _wait(runner, kind, states=("done", "failed"), timeout=10):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        s = runner.status(kind)
        if s["state"] in states:
            return s
        time.sleep(0.02)
    raise AssertionError(f"{kind} stayed {runner.status(kind)['state']}")


@pytest.fixture
def client_and_gate(project):
    gate = Gate()
    jobs = JobRunner(project.path, runners={"teach": gate, "curated": gate})
    app = create_app(project, coder="wang", token="t", port=PORT, jobs=jobs)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", headers={"X-Review-Token": "t"},
                    raise_server_exceptions=False) as c:
        yield c, gate, jobs
    gate.go.set()
    jobs.wait(10)


def test_status_goes_idle_running_done_and_a_second_start_is_refused(client_and_gate, project):
    c, gate, jobs = client_and_gate
    s = c.get("/api/jobs/teach").json()
    assert s["state"] == "idle" and s["default_output"] == "review-model" and s["decided"] == 0
    assert s["root"] == str(project.path.resolve().parent)
    project.decide("t:1-s01", {"issue": "billing"}, "wang")
    r = c.post("/api/jobs/teach", json={"output": "", "weight": 2})
    assert r.status_code == 202 and r.json()["state"] in ("queued", "running")
    s = _wait(jobs, "teach", ("running",))
    assert s["message"] == "step one of two" and s["busy"] == "teach" and s["elapsed_s"] >= 0
    # one job at a time, whatever its kind: a clear 409
    for kind in ("teach", "curated"):
        r = c.post(f"/api/jobs/{kind}", json={})
        assert r.status_code == 409 and r.json()["error"].startswith("already running: teach job into")
    with pytest.raises(BusyError):  # the library says the same
        jobs.start("curated", "")
    gate.go.set()
    s = _wait(jobs, "teach")
    assert s["state"] == "done" and s["result"]["n"] == 1 and s["busy"] is None and s["duration_s"] >= 0
    r = c.get("/api/jobs/teach")  # an undefined κ (one value everywhere) is null, not a broken answer
    assert r.status_code == 200 and r.json()["result"]["kappa"] is None
    out = project.path.parent / "review-model"
    assert gate.calls[0][1] == out.resolve() and gate.calls[0][2] == {"weight": 2, "convention_map": "auto"}
    assert (out / "metrics.json").exists()
    assert c.get("/api/jobs/curated").json()["state"] == "idle"  # each kind keeps its own last state
    # a new job may start now, into the folder of the earlier one (it is a model: metrics.json)
    assert c.post("/api/jobs/teach", json={"output": "review-model"}).status_code == 202
    assert _wait(jobs, "teach")["state"] == "done"
    # the panel's class-recodings choice reaches the job as voc train --add's --no-convention-map would
    assert c.post("/api/jobs/teach", json={"output": "review-model", "convention_map": "never"}).status_code == 202
    assert _wait(jobs, "teach")["state"] == "done" and gate.calls[-1][2]["convention_map"] == "never"


def test_a_failed_job_reports_one_line_and_keeps_the_old_output(project, tmp_path):
    out = project.path.parent / "review-curated"
    out.mkdir()
    (out / "curated.json").write_text('{"old": true}', encoding="utf-8")
    for fail, says in ((InputError("the project has no themes\nmore"), "the project has no themes"),
                       (ZeroDivisionError("boom"), "ZeroDivisionError: boom")):
        gate = Gate(fail=fail)
        gate.go.set()
        jobs = JobRunner(project.path, runners={"curated": gate})
        jobs.start("curated", "", embedding="lsa")
        s = _wait(jobs, "curated")
        assert s["state"] == "failed" and s["error"] == says and s["busy"] is None
        assert json.loads((out / "curated.json").read_text(encoding="utf-8")) == {"old": True}
        assert sorted(p.name for p in out.iterdir()) == ["curated.json"]
        assert [p.name for p in out.parent.iterdir() if p.name.startswith(".review-curated")] == []


def test_output_folder_rule(project, tmp_path):
    jobs = JobRunner(project.path)
    root = project.path.resolve().parent
    assert jobs.resolve_output("teach", "") == root / "review-model"
    assert jobs.resolve_output("teach", "models/june") == root / "models" / "june"
    assert jobs.resolve_output("teach", str(root / "abs-ok")) == root / "abs-ok"
    for bad, says in (("../elsewhere", "only write into a folder inside"), ("/tmp/x", "only write into a folder inside"),
                      (".", "only write into a folder inside"), ("a/../..", "only write into a folder inside"),
                      (".hidden", "does not start with a dot"), ("review.sqlite", "replace the project file"),
                      ("x\x00y", "not a valid path")):
        with pytest.raises(InputError, match=says):
            jobs.resolve_output("teach", bad)
    # a symlink inside the root that points outside it is followed, and refused
    (root / "link").symlink_to(tmp_path.parent, target_is_directory=True)
    with pytest.raises(InputError, match="only write into a folder inside"):
        jobs.resolve_output("teach", "link/model")
    # an existing folder is replaced only when empty or an earlier output of the same kind
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not an earlier model"):
        jobs.resolve_output("teach", "notes")
    (root / "empty").mkdir()
    assert jobs.resolve_output("teach", "empty") == root / "empty"
    (root / "old-model").mkdir()
    (root / "old-model" / "metrics.json").write_text("{}", encoding="utf-8")
    assert jobs.resolve_output("teach", "old-model") == root / "old-model"
    with pytest.raises(InputError, match="not an earlier curated theme set"):
        jobs.resolve_output("curated", "old-model")
    (root / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a folder"):
        jobs.resolve_output("teach", "afile")
    # --write-dir moves the root
    other = tmp_path.parent / "shared_models"
    other.mkdir()
    wide = JobRunner(project.path, write_root=other)
    assert wide.resolve_output("teach", "") == other.resolve() / "review-model"
    with pytest.raises(InputError, match="only write into a folder inside"):
        wide.resolve_output("teach", str(root / "review-model"))


def test_endpoint_errors_are_json(client_and_gate, project):
    c, gate, _jobs = client_and_gate
    r = c.post("/api/jobs/teach", json={})
    assert r.status_code == 400 and "no decided statements" in r.json()["error"]
    project.decide("t:1-s01", {"issue": "billing"}, "wang")
    cases = [("/api/jobs/teach", {"weight": 0}, "weight must be"), ("/api/jobs/teach", {"weight": "3"}, "weight must be"),
             ("/api/jobs/teach", {"weight": True}, "weight must be"), ("/api/jobs/teach", {"output": 5}, "output must"),
             ("/api/jobs/teach", {"output": "../up"}, "only write into"),
             ("/api/jobs/teach", {"convention_map": True}, "convention_map must be"),
             ("/api/jobs/teach", {"convention_map": "sometimes"}, "convention_map must be"),
             ("/api/jobs/curated", {"embedding": "bert"}, "embedding must be"),
             ("/api/jobs/explode", {}, "unknown job")]
    for path, body, says in cases:
        r = c.post(path, json=body)
        assert r.status_code == 400 and says in r.json()["error"], (path, body, r.text)
    assert c.get("/api/jobs/explode").status_code == 400
    r = c.post("/api/jobs/teach", content=b"output=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and "send JSON" in r.json()["error"]
    assert gate.calls == []
    # without the token, or from another Host: refused before anything starts
    for headers in ({"X-Review-Token": "wrong"}, {"Host": f"evil.example:{PORT}"}):
        assert c.post("/api/jobs/teach", json={}, headers=headers).status_code == 403
        assert c.get("/api/jobs/teach", headers=headers).status_code == 403
    assert gate.calls == []
    assert c.get("/model").status_code == 200 and "用团队的决定教模型" in c.get("/model").text


def test_atomic_dir_replaces_whole_folders_or_nothing(tmp_path):
    target = tmp_path / "m"
    with atomic_dir(target) as tmp:
        (tmp / "a.txt").write_text("1", encoding="utf-8")
        assert not target.exists()
    assert sorted(p.name for p in target.iterdir()) == ["a.txt"]
    with atomic_dir(target) as tmp:
        (tmp / "b.txt").write_text("2", encoding="utf-8")
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]  # replaced, not merged
    with pytest.raises(RuntimeError):
        with atomic_dir(target) as tmp:
            (tmp / "c.txt").write_text("half", encoding="utf-8")
            raise RuntimeError("killed halfway")
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


def test_a_killed_writer_leaves_no_half_folder_and_its_temp_is_removed_later(tmp_path):
    target = tmp_path / "model"
    code = ("import sys, time; sys.path.insert(0, sys.argv[2]);"
            "from voiceofcustomer.io.writers import atomic_dir\n"
            "with atomic_dir(sys.argv[1]) as tmp:\n"
            "    (tmp / 'labels.joblib').write_bytes(b'half');  print(tmp, flush=True); time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(target), SRC], stdout=subprocess.PIPE, text=True)
    try:
        tmp = Path(proc.stdout.readline().strip())
        assert tmp.is_dir() and tmp.parent == tmp_path
    finally:
        proc.kill()  # SIGKILL: no cleanup runs
        proc.wait(10)
    assert not target.exists() and tmp.exists()
    with atomic_dir(target) as new:
        assert not tmp.exists()  # the dead writer's temp folder is gone
        (new / "labels.joblib").write_bytes(b"whole")
    assert (target / "labels.joblib").read_bytes() == b"whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_teach_into_refuses_an_unknown_convention_map_before_training(tmp_path, project):
    from voiceofcustomer.review.jobs import teach_into

    with pytest.raises(InputError, match="convention map must be one of auto, always, never"):
        teach_into(project.path, tmp_path / "m", convention_map="sometimes")
    assert not (tmp_path / "m").exists()


def test_the_teach_panel_sets_how_many_examples_a_team_value_needs(tmp_path, small_corpus):
    # a team's churn_risk with 2 'threat' tickets: the Teach button failed with "… or lower --min-examples",
    # a flag the page did not have (found in the complaint-team QA pass)
    from codebook_fixtures import codebook_project

    from voiceofcustomer.review.jobs import teach_into
    from voiceofcustomer.review.store import ReviewStore

    db = codebook_project(tmp_path / "c.sqlite", n=9)  # 3 decided statements per channel value
    with pytest.raises(InputError, match=r"has 3 decided statements.*or lower min_examples=$"):
        teach_into(db, tmp_path / "m0", corpus=small_corpus)
    out = teach_into(db, tmp_path / "m3", corpus=small_corpus, min_examples=3)
    assert out["n_team"] == 9
    card = (tmp_path / "m3" / "README.md").read_text(encoding="utf-8")
    assert "`voc train --add c.sqlite --method adapter --min-examples 3`" in card  # the command that ran
    assert json.loads((tmp_path / "m3" / "metrics.json").read_text(encoding="utf-8"))["min_examples"] == 3
    # the endpoint passes it on, checked as weight is; a project without a codebook has no such option
    store = ReviewStore(db)
    gate = Gate()
    gate.go.set()
    jobs = JobRunner(db, runners={"teach": gate, "curated": gate})
    app = create_app(store, coder="wang", token="t", port=PORT, jobs=jobs)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", headers={"X-Review-Token": "t"}) as c:
        assert "团队取值的最少样本数" in c.get("/model").text
        for bad in (1, "3", True):  # voc train's minimum (teach_codebook.check_min_examples); 1001 is taken, as there
            r = c.post("/api/jobs/teach", json={"min_examples": bad})
            assert r.status_code == 400 and "min. examples per team value must be" in r.json()["error"]
        assert c.post("/api/jobs/teach", json={"output": "m", "min_examples": 3}).status_code == 202
        assert _wait(jobs, "teach")["state"] == "done"
        assert gate.calls[-1][2] == {"weight": 3, "convention_map": "auto", "min_examples": 3}
    # the page says the failure in its own terms: the panel's field, no flag (issue 11: the library's line was
    # written for the command line, "… or lower --min-examples")
    jobs = JobRunner(db, corpus=small_corpus)
    app = create_app(store, coder="wang", token="t", port=PORT, jobs=jobs)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", headers={"X-Review-Token": "t"}) as c:
        assert c.post("/api/jobs/teach", json={"output": "m0"}).status_code == 202
        jobs.wait(120)
        job = c.get("/api/jobs/teach").json()
        assert job["state"] == "failed" and "has 3 decided statements" in job["error"], job
        assert job["error"].endswith("or lower the Teach panel's min. examples per team value"), job["error"]
        assert "--" not in job["error"] and "min_examples" not in job["error"]
    store.close()


def test_the_add_suggestion_job_reads_a_set_inside_the_root_and_says_what_is_wrong(project, tmp_path):
    # Issue 11 item 7: the themes view's "Add to the set" starts voc themes … --model SET --add-suggestion NAME=LABEL
    # (themes.curated.add_suggestions) as a job; the set it reads is held to the folder rule as the output is
    gate = Gate()
    jobs = JobRunner(project.path, runners={"suggestion": gate})
    root = project.path.resolve().parent
    (root / "dec-set").mkdir()
    (root / "dec-set" / "curated.json").write_text("{}", encoding="utf-8")
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("mine", encoding="utf-8")
    outside = tmp_path.parent / "outside-set"
    outside.mkdir(exist_ok=True)
    (outside / "curated.json").write_text("{}", encoding="utf-8")
    app = create_app(project, coder="wang", token="t", port=PORT, jobs=jobs)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", headers={"X-Review-Token": "t"},
                    raise_server_exceptions=False) as c:
        ok = {"suggestion": "new1", "label": "诈骗电话", "model": "dec-set"}
        for body, says in [({**ok, "model": ""}, "give the folder of the curated set"),
                           ({**ok, "model": "../outside-set"}, "may only read a folder inside"),
                           ({**ok, "model": str(outside)}, "may only read a folder inside"),
                           ({**ok, "model": "notes"}, "not a curated theme set (no curated.json)"),
                           ({**ok, "suggestion": ""}, "give the suggestion"),
                           ({**ok, "suggestion": 1}, "give the suggestion"), ({**ok, "label": ["x"]}, "as text"),
                           ({**ok, "label": "长" * 201}, "at most 200 characters"),
                           ({**ok, "output": "notes"}, "not an earlier curated theme set")]:
            r = c.post("/api/jobs/suggestion", json=body)
            assert r.status_code == 400 and says in r.json()["error"], (body, r.text)
        for headers in ({"X-Review-Token": "wrong"}, {"Host": f"evil.example:{PORT}"}):
            assert c.post("/api/jobs/suggestion", json=ok, headers=headers).status_code == 403
        assert gate.calls == []
        s = c.get("/api/jobs/suggestion").json()
        assert s["state"] == "idle" and s["default_output"] == "review-curated"
        r = c.post("/api/jobs/suggestion", json={**ok, "label": " 诈骗电话 "})
        assert r.status_code == 202
        gate.go.set()
        assert _wait(jobs, "suggestion")["state"] == "done"
    assert gate.calls == [(project.path.resolve(), root / "review-curated",
                           {"model_dir": str(root / "dec-set"), "suggestion": "new1", "label": "诈骗电话"})]


def test_the_themes_view_lists_the_suggested_new_themes(tmp_path):
    # a project opened on a voc themes --model output: what fit none, by suggestion, largest first, texts as data
    import pandas as pd

    from review_fixtures import INJECTED, tagged_frame
    from voiceofcustomer.review.store import create_project

    df = tagged_frame(12)
    df["topic"] = [0] * 6 + [-1] * 6
    df["topic_label"] = ["宽带"] * 6 + ["未归类"] * 6
    df["suggested_theme"] = [""] * 6 + ["new2", "new1", "new1", "new1", "new2", ""]
    df["suggested_label"] = [""] * 6 + ["排队", "话费、扣费", "话费、扣费", "话费、扣费", "排队", ""]
    df.loc[6, "text"] = "营业厅排队" + INJECTED
    df.loc[9, "role"] = "moderator"  # counts nowhere
    store = create_project(df, tmp_path / "dec.sqlite")
    app = create_app(store, coder="wang", token="t", port=PORT)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", headers={"X-Review-Token": "t"}) as c:
        got = c.get("/api/themes").json()["suggestions"]
        assert c.get("/api/themes", headers={"X-Review-Token": "no"}).status_code == 403
    assert [(s["suggestion"], s["label"], s["n"]) for s in got] == [("new1", "话费、扣费", 2), ("new2", "排队", 2)]
    assert got[1]["examples"][0] == "营业厅排队" + INJECTED
    store.close()
    plain = create_project(pd.DataFrame(tagged_frame(4)), tmp_path / "plain.sqlite")
    from voiceofcustomer.review.themes import ThemeBook

    assert ThemeBook(plain).suggestions() == []
    plain.close()


def test_the_teach_panel_offers_no_weight_the_adapter_does_not_read(client_and_gate):
    # the panel's weight field (default 3) changed nothing: the button teaches the default adapter, which
    # reads no weight, and the result said "Trained on 14856 corpus statements + 59 team decisions × 3"
    c, gate, jobs = client_and_gate
    html = c.get("/model").text
    assert 'id="teach-weight"' not in html and "<label>weight" not in html
    assert "在随附的模型之上拟合一个团队适配器" in html
    # what was taught is said by review.teach.teach_summary, as voc train --add says it (not built in the page)
    assert "r.summary_zh" in html and "拟合了团队适配器" not in html


def test_teach_into_says_which_method_taught(monkeypatch, tmp_path):
    from voiceofcustomer.review import jobs as jobs_mod
    from voiceofcustomer.review import teach

    def fake(projects, out_dir, **kw):
        return {"n_corpus": 10, "n_team": 5, "weight": kw["weight"], "method": "adapter", "team_held_out": {}}

    monkeypatch.setattr(teach, "train_with_decisions", fake)
    r = jobs_mod.teach_into(tmp_path / "r.sqlite", tmp_path / "m")
    assert r["method"] == "adapter" and r["n_team"] == 5
