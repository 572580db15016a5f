"""The web app's guard (token + Host), JSON errors, and the decide/undo round trip over HTTP."""

import warnings

import pytest

with warnings.catch_warnings():  # starlette 1.10 suggests httpx2; httpx is what is pinned
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from voiceofcustomer.review.app import cookie_name, create_app

PORT = 5555


@pytest.fixture
def client(project):
    app = create_app(project, coder="wang", token="s3cret", port=PORT)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", raise_server_exceptions=False) as c:
        yield c


def test_requests_without_the_token_are_refused(client):
    for path in ("/", "/api/state", "/api/queue", "/api/row/t:1-s01"):
        r = client.get(path)
        assert r.status_code == 403 and "token" in r.json()["error"]
    assert client.post("/api/decide", json={"statement_id": "t:1-s01", "labels": {}}).status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/api/state", headers={"X-Review-Token": "wrong"}).status_code == 403


def test_a_wrong_host_header_is_refused_even_with_the_token(project):
    app = create_app(project, coder="wang", token="s3cret", port=PORT)
    for host in ("evil.example", f"evil.example:{PORT}", f"127.0.0.1:{PORT + 1}", "127.0.0.1"):
        c = TestClient(app, base_url=f"http://{host}")
        r = c.get("/api/state", headers={"X-Review-Token": "s3cret"})
        assert r.status_code == 403 and "Host" in r.json()["error"], host
    ok = TestClient(app, base_url=f"http://localhost:{PORT}")
    assert ok.get("/api/state", headers={"X-Review-Token": "s3cret"}).status_code == 200


def test_token_in_url_becomes_a_strict_httponly_cookie(client):
    r = client.get("/?token=s3cret", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{cookie_name(PORT)}=s3cret") and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    page = client.get("/")  # the client keeps the cookie
    assert page.status_code == 200 and "<script>alert" not in page.text


def test_decide_undo_and_clear_json_errors(client):
    client.get("/?token=s3cret")
    rows = client.get("/api/queue?limit=3").json()["rows"]
    sid = rows[0]["statement_id"]
    r = client.post("/api/decide", json={"statement_id": sid, "labels": {"issue": "billing"}})
    assert r.status_code == 200 and r.json()["progress"]["done"] == 1
    assert sid not in [x["statement_id"] for x in client.get("/api/queue").json()["rows"]]
    assert client.get("/api/row/" + sid).json()["mine"]["issue"] == "billing"
    bad = [
        (client.post("/api/decide", json={"statement_id": "nope", "labels": {}}), 404),
        (client.post("/api/decide", json={"statement_id": sid, "labels": {"issue": "weather"}}), 400),
        (client.post("/api/decide", content=b"{oops", headers={"content-type": "application/json"}), 400),
        (client.post("/api/decide", content=b"[1]", headers={"content-type": "application/json"}), 400),
        (client.post("/api/decide", data={"statement_id": sid}), 400),
        (client.post("/api/decide", json={"statement_id": 5, "labels": []}), 400),
        (client.post("/api/decide", json={"statement_id": sid, "labels": {}, "seen": "1"}), 400),
        (client.post("/api/decide", json={"statement_id": sid, "labels": {}, "seen": None}), 409),  # decided since
        (client.get("/api/queue?after=x"), 400),
        (client.get("/api/queue?order=sideways"), 400),
        (client.get("/api/row/nope"), 404),
    ]
    for resp, status in bad:
        assert resp.status_code == status and resp.json()["error"], resp.text
    assert client.post("/api/undo", json={}).json()["statement_id"] == sid
    r = client.post("/api/undo", json={})
    assert r.status_code == 409 and "nothing to undo" in r.json()["error"]
    assert client.get("/api/state").json()["progress"]["done"] == 0


def test_data_reaches_the_page_only_as_json(client):
    client.get("/?token=s3cret")
    rows = client.get("/api/queue?status=all&limit=50").json()["rows"]
    assert any("<script>" in r["text"] for r in rows)  # kept verbatim in the data ...
    page = client.get("/").text
    assert "<script>alert" not in page and "innerHTML" not in page  # ... never as markup
    assert 'title="' not in page  # definitions go into title attributes from JS, not the template


def test_a_small_project_paged_past_its_end_gives_an_empty_page(client):
    # benchmarks/review_latency.py --n 2000 stopped in IndexError here: the benchmark's own warm-up had decided
    # every statement; the app answers a page past the end, and a queue with nothing left, with no rows
    h = {"X-Review-Token": "s3cret"}
    rows = client.get("/api/queue?limit=500", headers=h).json()["rows"]
    assert rows
    last = rows[-1]["rank"]
    for after in (last, last + 1000):
        r = client.get(f"/api/queue?limit=50&after={after}", headers=h)
        assert r.status_code == 200 and r.json() == {"rows": []}
    for row in rows:
        assert client.post("/api/decide", json={"statement_id": row["statement_id"], "labels": {"issue": "billing"}},
                           headers=h).status_code == 200
    r = client.get("/api/queue?limit=50", headers=h)
    assert r.status_code == 200 and r.json() == {"rows": []}
    assert len(client.get("/api/queue?status=done&limit=500", headers=h).json()["rows"]) == len(rows)
