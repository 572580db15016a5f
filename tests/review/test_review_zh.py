"""The labels and themes views speak Chinese, as the items view does: their refusals over HTTP carry
``error_zh`` beside the English ``error`` (which stays as it was), and the pages show the Chinese one."""

import warnings

import pytest

with warnings.catch_warnings():  # starlette 1.10 suggests httpx2; httpx is what is pinned
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from voiceofcustomer.review.app import create_app

PORT = 5556


@pytest.fixture
def themed_client(tmp_path):
    from test_review_themes import themed_project

    store = themed_project(tmp_path)
    app = create_app(store, coder="wang", token="s3cret", port=PORT, write_root=tmp_path)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", raise_server_exceptions=False) as c:
        c.get("/?token=s3cret")
        yield c
    store.close()


def test_refusals_carry_a_chinese_message_beside_the_english_one(themed_client):
    c = themed_client
    r = c.post("/api/undo", json={})  # Backspace before any decision
    assert r.status_code == 409 and r.json()["error"] == "nothing to undo: wang has no decision left in this project"
    assert r.json()["error_zh"] == "没有可以撤销的决定：wang 在本项目中已没有决定"
    r = c.post("/api/themes/undo", json={})  # the themes view's undo button, nothing edited yet
    assert (r.status_code, r.json()) == (409, {"error": "no theme edit left to undo", "error_zh": "没有可以撤销的主题修改"})
    r = c.post("/api/themes/rename", json={"theme_id": "1", "label": "  "})  # a name emptied, then Enter
    assert (r.status_code, r.json()["error_zh"]) == (400, "主题名称不能为空")
    assert c.post("/api/themes/merge", json={"source": "2", "target": "0"}).status_code == 200
    r = c.post("/api/themes/rename", json={"theme_id": "2", "label": "信号问题"})  # a page not reloaded since
    assert r.status_code == 409 and r.json()["error"] == "theme '2' was merged into '0'; reload the themes"
    assert r.json()["error_zh"] == "主题 '2' 已并入 '0'；请重新载入本页"
    r = c.post("/api/jobs/curated", json={"output": "../elsewhere"})  # a folder outside the write root
    assert r.status_code == 400 and "the page may only write into a folder inside" in r.json()["error"]
    assert r.json()["error_zh"].startswith("../elsewhere：本页只能写入 ") and "voc review --write-dir DIR" in r.json()["error_zh"]
    c.cookies.clear()
    r = c.get("/api/state")
    assert r.status_code == 403 and "no valid session token" in r.json()["error"]
    assert r.json()["error_zh"] == "已拒绝：这个请求没有有效的会话令牌；请打开 voc review 显示的网址"


def test_a_row_that_counts_nowhere_says_why_in_chinese(tmp_path):
    from test_review_store import focus_group_frame

    from voiceofcustomer.review.store import create_project

    df = focus_group_frame()
    df.loc[5, "text"] = ""
    store = create_project(df, tmp_path / "p.sqlite")
    why = {r["statement_id"]: r["not_counted"] for r in store.queue(coder="wang", uncounted=True)}
    store.close()
    assert why["t:4-s01"] == "主持人发言，不计入统计" and why["t:6-s01"] == "没有文字，不计入统计"
    assert why["t:8-s01"] == "重复了同一发言人或工单之前的陈述，不计入统计" and why["t:5-s01"] == ""
