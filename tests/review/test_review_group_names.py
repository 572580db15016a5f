"""The review page names a customer group in Chinese (公众用户 for public), in the row's meta line and the
group filter, by the helper the report page uses; the filter still sends the group's id."""
import warnings

with warnings.catch_warnings():  # starlette 1.10 suggests httpx2; httpx is what is pinned
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from review_fixtures import tagged_frame
from voiceofcustomer.review.app import create_app
from voiceofcustomer.review.store import create_project

PORT = 8765


def test_group_name():
    from voiceofcustomer.statements import group_name

    assert group_name("public") == "公众用户" and group_name("business") == "对公用户"
    assert group_name("老年用户") == "老年用户" and group_name(None) == "" and group_name("") == ""


def test_state_and_rows_carry_the_groups_chinese_names(tmp_path):
    names = {"public": "公众用户", "business": "对公用户", "老年用户": "老年用户", "": ""}
    df = tagged_frame(6)
    df["group"] = ["public", "business", "老年用户", "public", "", "business"]
    store = create_project(df, tmp_path / "review.sqlite")
    try:
        app = create_app(store, coder="wang", token="s3cret", port=PORT)
        with TestClient(app, base_url=f"http://127.0.0.1:{PORT}") as c:
            c.get("/?token=s3cret")
            state = c.get("/api/state").json()
            assert state["group_names"] == {g: names[g] for g in state["groups"]}
            assert state["group_names"]["public"] == "公众用户" and state["group_names"]["老年用户"] == "老年用户"
            rows = c.get("/api/queue?limit=10").json()["rows"]
            assert {r["group"]: r["group_name"] for r in rows if r["group"]} == {
                "public": "公众用户", "business": "对公用户", "老年用户": "老年用户"}
            filtered = c.get("/api/queue?group=public").json()["rows"]
            assert filtered and {r["group"] for r in filtered} == {"public"}
            page = c.get("/").text
            assert "st.group_names" in page and "r.group_name || r.group" in page
    finally:
        store.close()
