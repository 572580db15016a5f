"""Coders' notes (memos) on a statement, as NVivo, ATLAS.ti, MAXQDA and QualCoder users write them: kept in the
project (one per statement and coder, the latest standing, every version kept), saved with a decision or on their
own, shown when the statement is read again (the exports and voc agreement: test_review_notes_export.py). Until
7 Dec 2026 a project had no place for them."""

import warnings

import pytest

with warnings.catch_warnings():  # starlette 1.10 suggests httpx2; httpx is what is pinned
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from voiceofcustomer.errors import InputError
from voiceofcustomer.review.app import create_app
from voiceofcustomer.review.store import NOTE_MAX, SCHEMA_VERSION, ReviewStore, StaleError

PORT = 5556
UNSURE = "不确定：是营业厅的问题还是热线的问题？"
ASK = "ask the team about R55"
SCRIPT = "<script>alert(1)</script>"


def test_a_note_is_saved_with_a_decision_or_alone_and_the_latest_stands(project):
    out = project.decide("t:1-s01", {"issue": "billing"}, "wang", note=f"  {UNSURE}\n")
    assert out["coder_note"] == UNSURE  # its ends stripped
    assert project.row("t:1-s01", "wang")["coder_note"] == UNSURE
    assert project.row("t:1-s01", "li")["coder_note"] == ""  # a coder's own, not another's
    project.set_note("t:1-s01", "wang", ASK)
    project.set_note("t:2-s01", "li", UNSURE)  # a note without a decision
    assert project.row("t:1-s01", "wang")["coder_note"] == ASK
    assert project.progress("li")["done"] == 0
    project.undo("wang")  # undoing the decision leaves the note
    assert project.row("t:1-s01", "wang")["coder_note"] == ASK
    assert project.decide("t:1-s01", {}, "wang")["coder_note"] == ASK  # a decision without note= keeps it
    frame = project.notes_frame()
    assert frame[["statement_id", "coder", "note"]].values.tolist() == [["t:1-s01", "wang", ASK],
                                                                        ["t:2-s01", "li", UNSURE]]
    assert [r[0] for r in project.con.execute("SELECT text FROM notes ORDER BY id")] == [UNSURE, ASK, UNSURE]
    project.set_note("t:1-s01", "wang", "")  # cleared
    assert project.row("t:1-s01", "wang")["coder_note"] == "" and len(project.notes_frame()) == 1


def test_a_refused_note_or_decision_saves_neither(project):
    with pytest.raises(InputError, match=f"at most {NOTE_MAX} characters, this one {NOTE_MAX + 1}"):
        project.decide("t:1-s01", {"issue": "billing"}, "wang", note="长" * (NOTE_MAX + 1))
    with pytest.raises(InputError, match="must be text"):
        project.set_note("t:1-s01", "wang", 5)
    project.decide("t:1-s01", {}, "wang")
    with pytest.raises(StaleError):  # the decision is stale: the note given with it is not saved either
        project.decide("t:1-s01", {}, "wang", seen=None, note=ASK)
    assert project.progress("wang")["done"] == 1 and project.notes_frame().empty


def test_a_project_made_before_notes_opens_with_its_decisions_and_takes_notes(project):
    db = project.path
    project.decide("t:1-s01", {"issue": "billing"}, "wang")
    project.decide("t:2-s01", {"stance": "suggestion"}, "li")
    with project.transaction():  # as a project of schema 1 (before 7 Dec 2026): no notes table
        project.con.execute("DROP TABLE notes")
        project.con.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    project.close()
    old = ReviewStore.open_existing(db)
    try:
        assert old.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == SCHEMA_VERSION == "2"
        assert set(old.decisions_frame()["statement_id"]) == {"t:1-s01", "t:2-s01"}  # nothing lost
        assert old.row("t:1-s01", "wang")["mine"]["issue"] == "billing"
        assert old.row("t:1-s01", "wang")["coder_note"] == ""
        old.set_note("t:1-s01", "wang", ASK)
    finally:
        old.close()
    again = ReviewStore.open_existing(db)
    assert again.row("t:1-s01", "wang")["coder_note"] == ASK
    again.close()


@pytest.fixture
def client(project):
    app = create_app(project, coder="wang", token="s3cret", port=PORT)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", raise_server_exceptions=False) as c:
        yield c


def test_the_api_saves_a_note_and_gives_it_back_when_the_row_is_read_again(client, project):
    assert client.post("/api/note", json={"statement_id": "t:1-s01", "note": ASK}).status_code == 403  # no token
    client.get("/?token=s3cret")
    r = client.post("/api/note", json={"statement_id": "t:1-s01", "note": SCRIPT})
    assert r.status_code == 200 and r.json()["coder_note"] == SCRIPT
    row = client.get("/api/row/t:1-s01")
    assert row.json()["coder_note"] == SCRIPT and row.headers["content-type"].startswith("application/json")
    assert next(x for x in client.get("/api/queue").json()["rows"] if x["statement_id"] == "t:1-s01")[
        "coder_note"] == SCRIPT  # a note alone is no decision: the row stays to code
    r = client.post("/api/decide", json={"statement_id": "t:1-s01", "labels": {}, "note": UNSURE})
    assert r.status_code == 200 and r.json()["coder_note"] == UNSURE
    assert client.get("/api/row/t:1-s01").json()["coder_note"] == UNSURE
    assert SCRIPT not in client.get("/").text  # data reaches the page only as JSON
    for body, status in [({"statement_id": "t:1-s01"}, 400), ({"statement_id": "t:1-s01", "note": 3}, 400),
                         ({"statement_id": "nope", "note": ASK}, 404),
                         ({"statement_id": "t:1-s01", "note": "x" * (NOTE_MAX + 1)}, 400)]:
        r = client.post("/api/note", json=body)
        assert r.status_code == status and r.json()["error"] and r.json()["error_zh"], r.text
    r = client.post("/api/decide", json={"statement_id": "t:2-s01", "labels": {}, "note": ["x"]})
    assert r.status_code == 400 and project.progress("wang")["done"] == 1
    foreign = TestClient(create_app(project, coder="wang", token="s3cret", port=PORT),
                         base_url=f"http://evil.example:{PORT}")
    r = foreign.post("/api/note", json={"statement_id": "t:1-s01", "note": ASK},
                     headers={"X-Review-Token": "s3cret"})
    assert r.status_code == 403 and project.row("t:1-s01", "wang")["coder_note"] == UNSURE


def test_a_row_carries_the_other_coders_standing_notes_not_the_coders_own(project):
    project.set_note("t:1-s01", "li", "first")
    project.set_note("t:1-s01", "li", SCRIPT)  # the latest stands
    project.set_note("t:1-s01", "wang", UNSURE)  # wang's own: coder_note, not other_notes
    project.set_note("t:1-s01", "zhao", ASK)
    project.set_note("t:1-s01", "zhao", "")  # cleared: not shown
    project.set_note("t:1-s01", "an", ASK)
    row = project.row("t:1-s01", "wang")
    assert row["coder_note"] == UNSURE
    assert [(n["coder"], n["text"]) for n in row["other_notes"]] == [("an", ASK), ("li", SCRIPT)]
    assert all(n["at"].endswith("+00:00") for n in row["other_notes"])
    assert [(n["coder"], n["text"]) for n in project.row("t:1-s01", "li")["other_notes"]] == [("an", ASK),
                                                                                           ("wang", UNSURE)]
    queued = {r["statement_id"]: r for r in project.queue(coder="wang", status="all", q="（第1条）")}
    assert [n["coder"] for n in queued["t:1-s01"]["other_notes"]] == ["an", "li"]
    assert project.row("t:2-s01", "wang")["other_notes"] == []


def test_a_note_saved_since_it_was_read_is_not_replaced_unseen(project, client):
    """Two tabs of one coder: tab 2 saved a note (Esc), then tab 1, which had read the row before, saved its own
    note: the later save replaced tab 2's silently (the decision has its ``seen`` check, the note had none). Now a
    note is saved only over the note the page read (``seen`` of /api/note, ``seen_note`` of /api/decide)."""
    project.set_note("t:1-s01", "wang", "问店长", seen="")
    with pytest.raises(StaleError, match="changed after it was read .* to '问店长'"):
        project.set_note("t:1-s01", "wang", "热线的问题", seen="")
    with pytest.raises(StaleError):  # with a decision: neither is saved
        project.decide("t:1-s01", {"issue": "billing"}, "wang", note="热线的问题", seen_note="")
    assert project.row("t:1-s01", "wang")["coder_note"] == "问店长" and project.progress("wang")["done"] == 0
    project.set_note("t:1-s01", "wang", "热线的问题", seen="问店长")  # read again: saved over what it saw
    assert project.decide("t:1-s01", {}, "wang", note="都有", seen_note="热线的问题")["coder_note"] == "都有"
    project.set_note("t:1-s01", "li", "li 的", seen=None)  # None: the page read no note
    client.get("/?token=s3cret")
    r = client.post("/api/note", json={"statement_id": "t:1-s01", "note": "x", "seen": ""})
    assert r.status_code == 409 and "都有" in r.json()["error_zh"] and project.row("t:1-s01", "wang")["coder_note"] == "都有"
    r = client.post("/api/decide", json={"statement_id": "t:2-s01", "labels": {}, "note": "x", "seen_note": "y"})
    assert r.status_code == 409 and project.progress("wang")["done"] == 1
    assert client.post("/api/note", json={"statement_id": "t:1-s01", "note": "x", "seen": 3}).status_code == 400
    r = client.post("/api/note", json={"statement_id": "t:1-s01", "note": "x", "seen": "都有"})
    assert r.status_code == 200 and r.json()["coder_note"] == "x"
    assert client.post("/api/note", json={"statement_id": "t:1-s01", "note": "y"}).status_code == 200  # no check
