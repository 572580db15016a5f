"""Theme curation: rename, merge, noise, move, undo step by step; counts follow; the API and export see it."""

import warnings

import pytest

from review_fixtures import tagged_frame
from voiceofcustomer.review.app import create_app
from voiceofcustomer.review.export import coded_table
from voiceofcustomer.review.store import NotFoundError, StaleError, create_project
from voiceofcustomer.review.themes import ThemeBook

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def themed_project(tmp_path):
    df = tagged_frame(12)
    df["topic"] = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, -1, -1]
    df["topic_label"] = df["topic"].map({0: "宽带 · 掉线", 1: "话费 · 扣费", 2: "信号", -1: "未归类"})
    return create_project(df, tmp_path / "themes.sqlite")


def counts(book):
    return {t["label"]: t["n"] for t in book.summary()}


def test_edits_change_counts_and_undo_step_by_step(tmp_path):
    store = themed_project(tmp_path)
    book = ThemeBook(store)
    assert counts(book) == {"宽带 · 掉线": 5, "话费 · 扣费": 3, "信号": 2, "未归类": 2}
    assert [t["noise"] for t in book.summary() if t["theme_id"] == "-1"] == [True]
    book.rename("1", "话费多扣", "wang")
    book.merge("2", "0", "wang")
    assert counts(book) == {"宽带 · 掉线": 7, "话费多扣": 3, "未归类": 2}
    book.move("t:1-s01", "1", "wang")
    book.set_noise("1", True, "wang")
    assert counts(book) == {"宽带 · 掉线": 6, "话费多扣": 4, "未归类": 2}
    with pytest.raises(StaleError, match="merged into"):
        book.rename("2", "x", "wang")
    with pytest.raises(NotFoundError):
        book.merge("9", "0", "wang")
    assert [e["op"] for e in book.history()] == ["noise", "move", "merge", "rename"]
    book.undo()
    book.undo()
    assert counts(book) == {"宽带 · 掉线": 7, "话费多扣": 3, "未归类": 2}
    book.undo()
    assert counts(book) == {"宽带 · 掉线": 5, "话费多扣": 3, "信号": 2, "未归类": 2}
    book.undo()
    assert "话费 · 扣费" in counts(book)
    with pytest.raises(StaleError):
        book.undo()
    store.close()


def test_export_carries_the_curated_theme(tmp_path):
    store = themed_project(tmp_path)
    book = ThemeBook(store)
    book.merge("2", "0", "wang")
    book.rename("0", "网络问题", "wang")
    store.close()
    t = coded_table(tmp_path / "themes.sqlite").set_index("statement_id")
    assert t.loc["t:10-s01", "theme"] == "网络问题" and t.loc["t:11-s01", "theme_noise"]
    assert (t["theme"] == "网络问题").sum() == 7


def test_theme_api(tmp_path):
    store = themed_project(tmp_path)
    app = create_app(store, coder="wang", token="t", port=4444)
    c = TestClient(app, base_url="http://127.0.0.1:4444", headers={"X-Review-Token": "t"},
                   raise_server_exceptions=False)
    assert c.get("/themes").status_code == 200
    r = c.post("/api/themes/merge", json={"source": "1", "target": "0"})
    assert r.status_code == 200 and {t["label"]: t["n"] for t in r.json()["themes"]}["宽带 · 掉线"] == 8
    assert c.post("/api/themes/merge", json={"source": "1", "target": "0"}).status_code == 409
    assert c.post("/api/themes/rename", json={"theme_id": "0", "label": "  "}).status_code == 400
    assert c.post("/api/themes/explode", json={}).status_code == 404
    assert c.post("/api/themes/undo", json={}).json()["undone"] == "merge"
    assert c.post("/api/themes/undo", json={}).status_code == 409
    assert [s["statement_id"] for s in c.get("/api/themes/2/statements").json()["statements"]] == ["t:9-s01", "t:10-s01"]
    assert TestClient(app, base_url="http://127.0.0.1:4444").get("/api/themes").status_code == 403
    store.close()
