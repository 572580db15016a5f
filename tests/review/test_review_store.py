"""The project file: decisions are transactional, survive a killed process, undo keeps history,
queues are deterministic and resume where the coder stopped."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from review_fixtures import tagged_frame
from voiceofcustomer import statements as st
from voiceofcustomer.errors import InputError
from voiceofcustomer.review.queue import random_order, teach_order
from voiceofcustomer.review.store import NotFoundError, ReviewStore, StaleError, create_project


def test_decide_records_coder_time_and_all_four_fields(project):
    out = project.decide("t:3-s01", {"stance": "praise"}, "wang")
    assert out["labels"] == {"servqual": "reliability", "demand": "function", "issue": "billing", "stance": "praise"}
    d = project.decisions_frame()
    assert sorted(d["field"]) == sorted(["servqual", "demand", "issue", "stance"])
    assert set(d["coder"]) == {"wang"} and d["at"].str.endswith("+00:00").all()
    assert project.row("t:3-s01", "wang")["human"]["stance"] == "praise"


def test_bad_decisions_are_refused_and_change_nothing(project):
    with pytest.raises(NotFoundError):
        project.decide("nope", {}, "wang")
    with pytest.raises(InputError, match="not a issue label"):
        project.decide("t:1-s01", {"issue": "weather"}, "wang")
    with pytest.raises(InputError, match="unknown label field"):
        project.decide("t:1-s01", {"colour": "red"}, "wang")
    with pytest.raises(StaleError):
        project.undo("wang")
    assert project.decisions_frame(include_undone=True).empty


def test_undo_restores_the_previous_standing_value_and_keeps_history(project):
    project.decide("t:1-s01", {"issue": "billing"}, "wang")
    project.decide("t:1-s01", {"issue": "signal"}, "wang")
    assert project.row("t:1-s01", "wang")["human"]["issue"] == "signal"
    assert project.undo("wang")["statement_id"] == "t:1-s01"
    assert project.row("t:1-s01", "wang")["human"]["issue"] == "billing"
    project.undo("wang")
    assert project.row("t:1-s01", "wang")["human"]["issue"] is None
    hist = project.decisions_frame(include_undone=True)
    assert len(hist) == 8 and hist["undone"].all()


def test_a_row_read_before_the_coder_decided_it_elsewhere_does_not_replace_that_decision(project):
    # Found in a QA pass with two tabs of one coder: tab 1 corrected a row's stance, tab 2 still showed
    # the row as not yet coded and its Enter saved the model's stance over the correction, silently.
    read = project.queue(coder="wang", limit=1)[0]
    assert read["mine_batch"] is None
    project.decide(read["statement_id"], {"stance": "suggestion"}, "wang", seen=read["mine_batch"])  # tab 1
    with pytest.raises(StaleError, match="after it was read"):  # tab 2, with the row as it read it
        project.decide(read["statement_id"], {}, "wang", seen=read["mine_batch"])
    assert project.row(read["statement_id"], "wang")["human"]["stance"] == "suggestion"
    again = project.row(read["statement_id"], "wang")  # read again: the decision that stands can be replaced
    project.decide(read["statement_id"], {"stance": "praise"}, "wang", seen=again["mine_batch"])
    assert project.row(read["statement_id"], "wang")["human"]["stance"] == "praise"
    stale = project.row(read["statement_id"], "wang")
    project.undo("wang")  # undone in the other tab
    with pytest.raises(StaleError):
        project.decide(read["statement_id"], {}, "wang", seen=stale["mine_batch"])
    project.decide(read["statement_id"], {}, "li", seen=None)  # another coder's decisions are theirs
    project.decide(read["statement_id"], {}, "wang")  # without seen=: no check (scripts, voc train tests)
    assert len(project.decisions_frame(include_undone=True)) == 4 * 4  # the refused ones saved nothing


def test_queue_resumes_after_reopen_and_filters(tmp_path):
    db = tmp_path / "p.sqlite"
    store = create_project(tagged_frame(), db)
    first = [r["statement_id"] for r in store.queue(coder="li", limit=5)]
    for sid in first[:3]:
        store.decide(sid, {}, "li")
    store.close()
    again = ReviewStore(db)  # a new process would do exactly this
    todo = [r["statement_id"] for r in again.queue(coder="li", limit=5)]
    assert todo[:2] == first[3:5] and not set(first[:3]) & set(todo)
    assert [r["statement_id"] for r in again.queue(coder="zhao", limit=5)] == first  # another coder starts fresh
    again.decide(first[3], {"issue": "security"}, "li")
    dis = again.queue(coder="li", status="all", disagree=True)
    assert [r["statement_id"] for r in dis] == [first[3]]
    assert all(r["source"] == "a.csv" for r in again.queue(coder="li", status="all", source="a.csv"))
    assert {r["statement_id"] for r in again.queue(coder="zhao", status="all", by_coder="li")} == set(first[:4])
    hit = again.queue(coder="li", status="all", label="issue=security")
    assert first[3] in [r["statement_id"] for r in hit]
    assert all("信号" in r["text"] for r in again.queue(coder="li", status="all", q="信号"))
    with pytest.raises(InputError):
        again.queue(coder="li", label="issue=weather")
    # reopening with the same table adds nothing and keeps the decisions
    assert create_project(tagged_frame(), db).added == 0
    assert again.progress("li")["done"] == 4
    again.close()


def test_group_theme_and_speaker_attribute_filters(tmp_path):
    df = tagged_frame(6)
    df["group"] = ["public", "business"] * 3
    df["topic_label"] = ["宽带 · 掉线"] * 3 + ["话费"] * 3
    df["speaker_attrs"] = ["退休教师", "", "个体户", "退休工人", "", ""]
    store = create_project(df, tmp_path / "p.sqlite")
    ids = lambda **kw: sorted(r["statement_id"] for r in store.queue(coder="x", status="all", **kw))  # noqa: E731
    assert ids(group="business") == ["t:2-s01", "t:4-s01", "t:6-s01"]
    assert ids(theme="话费") == ["t:4-s01", "t:5-s01", "t:6-s01"]
    assert ids(attrs="退休") == ["t:1-s01", "t:4-s01"]
    assert store.distinct("group") == ["business", "public"] and store.distinct("theme") == ["宽带 · 掉线", "话费"]
    store.close()


def test_context_shows_earlier_turns_of_the_thread(project):
    row = project.row("t:3-s01", "li")  # thread th0 = rows 1..3
    assert [c["text"][:4] for c in row["context"]] == ["宽带晚上", "营业厅排"]
    assert project.row("t:1-s01", "li")["context"] == []


def test_context_for_transcripts_is_the_moderator_prompt(tmp_path):
    df = tagged_frame(6).drop(columns=["thread"])
    df["session"] = "fg1"
    df["turn"] = [1, 2, 2, 3, 4, 5]
    df["role"] = ["moderator", "participant", "participant", "moderator", "participant", "participant"]
    df.loc[0, "text"], df.loc[3, "text"] = "大家觉得宽带怎么样？", "营业厅呢？"
    df["prompt_turn"] = [None, 1, 1, 3, 3, None]
    store = create_project(df, tmp_path / "p.sqlite")
    assert store.row("t:2-s01", "x")["context"][0]["text"] == "大家觉得宽带怎么样？"
    assert store.row("t:5-s01", "x")["context"][0]["text"] == "营业厅呢？"
    assert store.row("t:6-s01", "x")["context"][0]["text"] == "营业厅呢？"  # no prompt_turn: last moderator turn
    assert store.row("t:1-s01", "x")["context"] == []
    store.close()


def test_missing_labels_are_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="voc tag"):
        create_project(tagged_frame(4).drop(columns=["issue"]), tmp_path / "a.sqlite")


def test_repeated_ids_from_a_ticket_export_are_kept_once_or_made_unique(tmp_path):
    # corpora/samples/tickets.csv exports one ticket twice (same 工单编号, same text): `voc tag` keeps
    # both rows, and `voc review` of its output refused the whole table ("occurs more than once")
    df = tagged_frame(5)
    df.loc[1, ["statement_id", "text"]] = df.loc[0, ["statement_id", "text"]].to_numpy()  # an exact repeat
    df.loc[3, "statement_id"] = df.loc[2, "statement_id"]  # same id, other text
    df = pd.concat([df, df.iloc[[2]].assign(text="追加：还是没退")], ignore_index=True)  # a third text of that id
    said = []
    store = create_project(df, tmp_path / "p.sqlite", progress=said.append)
    ids = store.statements_frame().set_index("statement_id")["text"]
    assert list(ids.index) == ["t:1-s01", "t:3-s01", "t:3-s01#2", "t:5-s01", "t:3-s01#3"]
    assert ids["t:3-s01#2"] == df.loc[3, "text"] and ids["t:3-s01#3"] == "追加：还是没退"
    assert store.repeated == 1 and store.renamed == ["t:3-s01#2", "t:3-s01#3"]
    assert any("1 repeated row" in m for m in said) and any("t:3-s01#2" in m for m in said)
    store.decide("t:3-s01#2", {"issue": "billing"}, "wang")
    store.close()
    again = create_project(df, tmp_path / "p.sqlite")  # reopening with the same export adds nothing
    assert again.added == 0 and len(again) == 5 and again.progress("wang")["done"] == 1
    again.close()


def test_not_a_project_file(tmp_path):
    bad = tmp_path / "x.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(InputError, match="not a review project"):
        ReviewStore(bad)


def test_teach_order_puts_uncertain_rows_of_different_clusters_first():
    texts = ["宽带断网"] * 10 + ["话费多扣"] * 10 + ["信号很差"] * 10
    conf = np.r_[np.linspace(0.1, 0.2, 10), np.linspace(0.5, 0.6, 10), np.linspace(0.7, 0.8, 10)]
    rank = teach_order(texts, conf, seed=1, n_clusters=3)
    first3 = np.argsort(rank)[:3]
    assert {t for t in np.array(texts)[first3]} == {"宽带断网", "话费多扣", "信号很差"}  # one of each topic
    assert np.argsort(rank)[0] == 0  # the most uncertain row overall comes first
    assert (teach_order(texts, conf, seed=1, n_clusters=3) == rank).all()
    assert sorted(rank) == list(range(1, 31))
    assert (random_order(30, seed=3) == random_order(30, seed=3)).all()
    assert not (random_order(30, seed=3) == np.arange(1, 31)).all()


def test_a_killed_writer_loses_no_saved_decision(tmp_path):
    db = tmp_path / "p.sqlite"
    create_project(tagged_frame(), db).close()
    script = textwrap.dedent(f"""
        import sys
        from voiceofcustomer.review.store import ReviewStore
        s = ReviewStore({str(db)!r})
        ids = [r["statement_id"] for r in s.queue(coder="k", limit=30)]
        for i, sid in enumerate(ids):
            s.decide(sid, {{"stance": "neutral"}}, "k")
            print(sid, flush=True)
        import time; time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            env={**os.environ})
    saved = [proc.stdout.readline().strip() for _ in range(30)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = ReviewStore(db)
    assert store.progress("k")["done"] == 30
    assert set(store.coder_labels()["statement_id"]) == set(saved)
    store.close()


def test_a_row_says_which_transcript_rule_set_its_labels(tmp_path):
    df = tagged_frame(4)
    df["note"] = ["", "labels from the statement it agrees with (guide R7)", None, "introduction or small talk (guide R6)"]
    store = create_project(df, tmp_path / "p.sqlite")
    assert store.row("t:2-s01", "x")["note"] == "labels from the statement it agrees with (guide R7)"
    assert store.row("t:4-s01", "x")["note"].endswith("(guide R6)")
    assert store.row("t:1-s01", "x")["note"] == "" and store.row("t:3-s01", "x")["note"] == ""
    store.close()


# -- moderator turns and repeats: they count nowhere, so they are not in the coding queue ------------------
def focus_group_frame() -> pd.DataFrame:
    """Two moderator questions, five answers and one repeat; the moderator turns are the model's least sure
    rows, so a queue that offered them would start with them (as the QA pass found: 那您觉得应该怎么改？)."""
    df = tagged_frame(8).drop(columns=["thread"])
    df["session"] = "fg1"
    df["turn"] = [1, 2, 2, 3, 4, 5, 6, 6]
    df["role"] = ["moderator", "participant", "participant", "moderator"] + ["participant"] * 4
    df["prompt_turn"] = [None, 1, 1, 3, 3, 3, 3, 3]
    df.loc[0, "text"], df.loc[3, "text"] = "大家觉得宽带怎么样？", "那您觉得应该怎么改？"
    df.loc[7, ["speaker", "text"]] = df.loc[6, ["speaker", "text"]].to_numpy()
    df["is_duplicate"] = ["False"] * 7 + ["True"]  # as read back from a CSV
    for f in ("servqual", "demand", "issue", "stance"):
        df.loc[[0, 3, 7], f"{f}_conf"] = 0.05
    return df


def test_moderator_turns_and_repeats_are_out_of_the_queue_but_stay_as_context(tmp_path):
    # Found in the QA pass: on a focus group the first row offered was the moderator's question
    # 那您觉得应该怎么改？ — a row that counts nowhere (statements.counted_mask), so coding it is time lost.
    store = create_project(focus_group_frame(), tmp_path / "p.sqlite")
    ids = lambda **kw: [r["statement_id"] for r in store.queue(coder="wang", **kw)]  # noqa: E731
    counted = {"t:2-s01", "t:3-s01", "t:5-s01", "t:6-s01", "t:7-s01"}
    assert set(ids()) == counted and set(ids(order="random", status="all")) == counted
    assert store.progress("wang") == {"done": 0, "total": 5, "uncounted": 3}
    every = store.queue(coder="wang", uncounted=True)  # asked for: all of them, first the least sure
    assert len(every) == 8 and {every[0]["statement_id"], every[1]["statement_id"]} <= {"t:1-s01", "t:4-s01",
                                                                                          "t:8-s01"}
    why = {r["statement_id"]: r["not_counted"] for r in every}
    assert why["t:4-s01"] == "主持人发言，不计入统计" and why["t:8-s01"].startswith("重复了")
    assert why["t:5-s01"] == ""
    assert store.row("t:5-s01", "wang")["context"][0]["text"] == "那您觉得应该怎么改？"  # still the context
    store.decide("t:4-s01", {}, "wang")  # allowed, but it counts nowhere, so not in the progress either
    assert store.progress("wang")["done"] == 0
    store.decide("t:5-s01", {}, "wang")
    assert store.progress("wang") == {"done": 1, "total": 5, "uncounted": 3}
    store.close()


def test_a_row_with_no_text_is_out_of_the_queue_and_says_why(tmp_path):
    # an [听不清]-only turn counts nowhere (statements.counted_mask); its meta line said it was a repeat,
    # and a project written before 6 Dec 2026 kept it in the queue
    df = focus_group_frame()
    df.loc[5, "text"] = ""
    store = create_project(df, tmp_path / "p.sqlite")
    assert "t:6-s01" not in {r["statement_id"] for r in store.queue(coder="wang")}
    why = {r["statement_id"]: r["not_counted"] for r in store.queue(coder="wang", uncounted=True)}
    assert why["t:6-s01"] == "没有文字，不计入统计" and why["t:8-s01"].startswith("重复了")
    store.con.execute("ALTER TABLE statements DROP COLUMN counted")  # as a project written before 6 Dec 2026
    store.close()
    old = ReviewStore(tmp_path / "p.sqlite")
    assert old.progress("wang") == {"done": 0, "total": 4, "uncounted": 4}
    old.close()


def test_an_older_project_with_decisions_on_moderator_turns_opens_and_keeps_them(tmp_path):
    from voiceofcustomer.review.agreement import agreement_from_project
    from voiceofcustomer.review.export import coded_table
    from voiceofcustomer.review.teach import team_decisions

    db = tmp_path / "old.sqlite"
    store = create_project(focus_group_frame(), db)
    for coder in ("wang", "li"):
        store.decide("t:4-s01", {"servqual": "none"}, coder)  # coded before moderator turns left the queue
        store.decide("t:2-s01", {"issue": "broadband" if coder == "wang" else "signal"}, coder)
    if "counted" in {r[1] for r in store.con.execute("PRAGMA table_info(statements)")}:
        store.con.execute("ALTER TABLE statements DROP COLUMN counted")  # as a project written before 6 Dec 2026
    store.close()
    old = ReviewStore(db)
    assert not {r["statement_id"] for r in old.queue(coder="zhao")} & {"t:1-s01", "t:4-s01", "t:8-s01"}
    assert old.progress("wang") == {"done": 1, "total": 5, "uncounted": 3}
    assert set(old.decisions_frame()["statement_id"]) == {"t:2-s01", "t:4-s01"}  # nothing lost
    assert old.row("t:4-s01", "wang")["mine"]["servqual"] == "none"
    old.close()
    res = agreement_from_project(db)  # κ and α on the statements that count, and it says what it left out
    assert res.left_out == 1 and set(res.pairs["n"]) == {1}
    assert "t:4-s01" not in set(res.disagreements["statement_id"])
    # teaching keeps them: the taxonomy labels moderator prompts, and voc tag labels those rows too
    assert set(team_decisions(db)["statement_id"]) == {"t:2-s01", "t:4-s01"}
    assert coded_table(db).set_index("statement_id").loc["t:4-s01", "decided"]
    only = tmp_path / "only.sqlite"
    store = create_project(focus_group_frame(), only)
    store.decide("t:1-s01", {}, "wang")
    store.close()
    with pytest.raises(InputError, match="moderator turns or repeats"):
        agreement_from_project(only)


# -- a ticket's own columns ---------------------------------------------------------------------------------
def ticket_export_tagged(path, n: int = 3):
    """A ticket export as `voc tag` writes it: the export's own columns (its id 工单编号 and text 投诉内容
    among them), then the labels."""
    import datetime as dt

    df = tagged_frame(n)
    out = pd.DataFrame({"工单编号": [f"T{i + 1:03d}" for i in range(n)],
                        "受理时间": [dt.datetime(2026, 5, 3 + i, 9, 12) for i in range(n)],
                        "区县": ["南开区", None, "河西区"][:n], "渠道": ["10000热线", "营业厅", "网上营业厅"][:n],
                        "投诉内容": df["text"], "处理意见": ["已派单，" * 30, "", ""][:n]})
    for c in ("servqual", "demand", "issue", "stance", "servqual_conf", "demand_conf", "issue_conf",
              "stance_conf", "needs_review"):
        out[c] = df[c]
    out["note"] = ""
    out.to_excel(path, index=False)
    return path


def test_a_tickets_own_columns_are_kept_and_shown(tmp_path):
    # Found in the QA pass: a project made from `voc tag`'s output of a ticket export showed the coder none
    # of the ticket's own columns (受理时间, 区县, 渠道 …) — only the tagged file's name as the source.
    from voiceofcustomer.review.project import open_project

    store = open_project([ticket_export_tagged(tmp_path / "tickets_tagged.xlsx")], tmp_path / "p.sqlite")
    first = store.row("T001", "wang")
    # its id and text (工单编号, 投诉内容) are the row's own id and text already: not repeated
    assert [c[0] for c in first["columns"]] == ["受理时间", "区县", "渠道", "处理意见"]
    assert first["columns"][:3] == [["受理时间", "2026-05-03 09:12:00"], ["区县", "南开区"], ["渠道", "10000热线"]]
    assert len(first["columns"][3][1]) == 60 and first["columns"][3][1].endswith("…")  # a long value is cut
    assert store.row("T002", "wang")["columns"] == [["受理时间", "2026-05-04 09:12:00"], ["渠道", "营业厅"]]
    kept = json.loads(store.con.execute("SELECT extra FROM statements WHERE statement_id = 'T002'").fetchone()[0])
    assert {"受理时间", "区县", "渠道", "处理意见"} <= set(kept)  # kept in the project file, empty ones too
    # an older project, or a statement with no such columns, shows none
    store.con.execute("UPDATE statements SET extra = NULL WHERE statement_id = 'T003'")
    assert store.row("T003", "wang")["columns"] == []
    store.close()


def test_a_model_outputs_suggested_themes_are_listed_and_not_shown_as_its_own_columns(tmp_path):
    # A project opened on a `voc themes NEW --model SET` output (statement_topics.csv, tagged) showed its
    # suggested_theme, suggested_label and nearest_label under each row as if the input had them (they were
    # missing from statements.TOOL_COLUMNS); the themes view must still list the suggestions from them.
    from review_fixtures import tagged_frame
    from voiceofcustomer.review.export import coded_table
    from voiceofcustomer.review.project import open_project
    from voiceofcustomer.review.themes import ThemeBook
    from voiceofcustomer.themes.curated import _project_suggestions

    df = tagged_frame(6)
    df["topic"], df["topic_label"] = [0, 0, 0, -1, -1, -1], ["宽带"] * 3 + ["未归类"] * 3
    df["nearest_label"] = ["", "", "", "宽带", "宽带", "宽带"]
    df["suggested_theme"] = ["", "", "", "new1", "new1", ""]
    df["suggested_label"] = ["", "", "", "排队", "排队", ""]
    df.to_csv(tmp_path / "statement_topics.csv", index=False)
    store = open_project([tmp_path / "statement_topics.csv"], tmp_path / "p.sqlite")
    for i in range(1, 7):
        assert store.row(f"t:{i}-s01", "wang")["columns"] == [["受理时间", "2026-11-01"]]  # the input's own only
    assert [(s["suggestion"], s["label"], s["n"]) for s in ThemeBook(store).suggestions()] == [("new1", "排队", 2)]
    store.close()
    # Add to the set reads them from the project as before; the export carries the input's own columns only
    got = _project_suggestions(tmp_path / "p.sqlite")
    assert got["suggested_theme"].fillna("").tolist() == ["", "", "", "new1", "new1", ""]
    table = coded_table(tmp_path / "p.sqlite")
    assert "受理时间" in table.columns
    assert not {"nearest_label", "suggested_theme", "suggested_label"} & set(table.columns)


def test_only_the_inputs_own_columns_show_at_most_eight():
    from voiceofcustomer.review.store import own_columns

    extra = {"is_duplicate": False, "ticket_id": "T1", "city": "天津", "topic_similarity": 0.5, "sent": 1,
             "churn_risk": "threat", "churn_risk_conf": 0.9,  # a team field a taught model wrote
             "工单编号": "T1", "投诉内容": "宽带断了", **{f"列{k}": f"值{k}" for k in range(10)}}
    row = {"extra": json.dumps(extra, ensure_ascii=False), "text": "宽带断了", "statement_id": "T1"}
    assert own_columns(row) == [[f"列{k}", f"值{k}"] for k in range(8)]


def test_a_transcript_statements_section_is_shown_beside_it(tmp_path):
    """A coder reads a quote with the discussion area it was said in: a split transcript's ``section``
    (the guide's heading, 服务信息) is shown beside the row like an export's own columns."""
    df = tagged_frame(4).drop(columns=["受理时间"])
    df["section"] = ["服务渠道", "", "业务需求", "服务提供"]
    store = create_project(df, tmp_path / "p.sqlite")
    assert store.row("t:1-s01", "wang")["columns"] == [["section", "服务渠道"]]
    assert store.row("t:2-s01", "wang")["columns"] == []


@pytest.mark.parametrize("kind", ["empty", "other database", "folder"])
def test_reading_commands_leave_a_file_that_is_no_project_as_it_was(tmp_path, kind):
    """QA (bad-input sweep): voc export given an empty file or another program's SQLite database wrote a project's
    tables into it and exported an empty table (exit 0); a folder was 'not a review project file'."""
    import sqlite3

    from voiceofcustomer.review.export import export_items, export_project

    path = tmp_path / "x.sqlite"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "other database":
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE orders (id INTEGER)")
        con.commit()
        con.close()
    else:
        path.mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    data = None if kind == "folder" else path.read_bytes()
    expected = {"empty": "file is empty, not a review project file", "folder": "is a folder, not a file",
                "other database": r"an SQLite database but not a review project \(no statements and decisions "
                                  r"tables\)"}[kind]
    for export in (export_project, export_items):
        with pytest.raises(InputError, match=rf"x\.sqlite: {expected}; give the \.sqlite that `voc review` wrote"):
            export(path, tmp_path / "out.xlsx")
    with pytest.raises(InputError, match=expected):
        ReviewStore.open_existing(path)
    if kind == "other database":  # voc review --db (an empty file may become the project)
        with pytest.raises(InputError, match=expected):
            create_project(tagged_frame(2), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    if kind == "other database":
        assert path.read_bytes() == data


def test_an_untagged_input_among_several_is_named(tmp_path):
    """QA (bad-input sweep): voc review tagged.csv tickets.csv said 'the input has no model labels', not which."""
    from voiceofcustomer.review.project import open_project

    tagged_frame(2).to_csv(tmp_path / "tagged.csv", index=False)
    pd.DataFrame({"工单编号": ["G1"], "投诉内容": ["宽带断网"]}).to_csv(tmp_path / "tickets.csv", index=False)
    with pytest.raises(InputError, match=r"tickets\.csv: no model labels \(servqual, demand, issue, stance\); run "
                                         r"`voc tag` on it first \(`voc tag .*tickets\.csv -o tagged\.xlsx`\)"):
        open_project([tmp_path / "tagged.csv", tmp_path / "tickets.csv"], tmp_path / "p.sqlite")
    assert not (tmp_path / "p.sqlite").exists()


def test_a_repeated_ticket_counts_once_from_the_tagged_export_and_from_its_themes_output(tmp_path):
    # An export that repeats a ticket (RT02 twice, same text) and gives another ticket a second text (RT03).
    # voc themes numbered both rows of a repeated id (RT02#1, RT02#2), so a project opened on its
    # statement_topics.csv coded and counted the ticket twice, where one opened on the tagged export counts it
    # once; the ids of the two projects differed too. The themes output is written here by load_inputs, the
    # reader voc themes writes statement_topics.csv from.
    from voiceofcustomer.review.project import open_project
    from voiceofcustomer.themes.pipeline import load_inputs

    tagged = Path(__file__).resolve().parents[1] / "data" / "tagged_repeated_ticket.csv"
    topics = tmp_path / "statement_topics.csv"
    load_inputs([tagged]).to_csv(topics, index=False, encoding="utf-8-sig")
    counted = {}
    for name, path in (("export", tagged), ("themes", topics)):
        store = open_project([path], tmp_path / f"{name}.sqlite")
        rows = store.queue(coder="wang", limit=50)
        counted[name] = sorted((r["statement_id"], r["text"]) for r in rows)
        assert store.progress("wang")["total"] == 5, name
        store.close()
    assert counted["themes"] == counted["export"]
    assert [i for i, _ in counted["export"]] == ["RT01", "RT02", "RT03", "RT03#2", "RT04"]


def test_a_project_made_before_numbered_ids_maps_its_old_ids_when_reopened(tmp_path):
    # A project made from a statement_topics.csv of before 6 Dec 2026 holds both rows of a repeated id as
    # <id>#1 and <id>#2 (RT02#1 / RT02#2 the same ticket twice, RT03#1 / RT03#2 two texts). Reopened with
    # next month's themes output, which numbers them RT02 / RT02#2 (a repeat) and RT03 / RT03#2, it added
    # RT02 and RT03 as new statements beside RT02#1 and RT03#1: the tickets twice in the queue, their
    # decisions on ids the new input no longer has.
    from voiceofcustomer.review.project import open_project
    from voiceofcustomer.themes.pipeline import load_inputs

    tagged = Path(__file__).resolve().parents[1] / "data" / "tagged_repeated_ticket.csv"
    new = load_inputs([tagged])
    old = new.copy()
    old[st.STATEMENT_ID] = ["RT01", "RT02#1", "RT03#1", "RT02#2", "RT04", "RT03#2"]  # the old numbering
    old = old.drop(columns=[st.IS_DUPLICATE])  # the old run did not flag the repeat
    old.to_csv(tmp_path / "old_topics.csv", index=False, encoding="utf-8-sig")
    db = tmp_path / "p.sqlite"
    store = open_project([tmp_path / "old_topics.csv"], db)
    assert store.progress("wang")["total"] == 6  # the old project counts RT02 twice
    store.decide("RT02#1", {"issue": "other"}, coder="wang")
    store.decide("RT03#1", {"stance": "neutral"}, coder="wang")
    store.decide("RT03#2", {}, coder="li")
    store.close()

    grown = pd.concat([new, pd.DataFrame([{**new.iloc[0].to_dict(), st.STATEMENT_ID: "RT05",
                                           st.TEXT: "宽带晚上经常掉线，重启路由器也没用", st.IS_DUPLICATE: False}])],
                      ignore_index=True)
    grown.to_csv(tmp_path / "new_topics.csv", index=False, encoding="utf-8-sig")
    store = open_project([tmp_path / "new_topics.csv"], db)
    assert store.added == 1  # RT05 only
    ids = [r[0] for r in store.con.execute("SELECT statement_id FROM statements ORDER BY rid")]
    assert sorted(ids) == ["RT01", "RT02", "RT02#2", "RT03", "RT03#2", "RT04", "RT05"]
    assert store.progress("wang")["total"] == 6  # RT02#2 is the repeat now, counted nowhere
    assert store.progress("wang")["done"] == 2
    assert store.row("RT02", coder="wang")["human"]["issue"] == "other"
    assert store.row("RT03", coder="wang")["human"]["stance"] == "neutral"
    assert store.row("RT03#2", coder="li")["mine_batch"] is not None
    assert {r["statement_id"] for r in store.queue(coder="wang", limit=50)} == {"RT01", "RT03#2", "RT04", "RT05"}
    store.close()


def test_a_project_file_in_a_folder_not_made_yet_is_made_as_every_output_is(tmp_path):
    # QA: `voc review tagged.xlsx --db proj/review.sqlite` where proj/ did not exist yet said 'not a review
    # project file (unable to open database file); give a .sqlite written by `voc review` or a new file name'
    # — a new file name is what was given — where voc export and voc agreement -o make the folder.
    from voiceofcustomer.review.project import open_project

    tagged = Path(__file__).resolve().parents[1] / "data" / "tagged_repeated_ticket.csv"
    db = tmp_path / "proj" / "oct" / "review.sqlite"
    store = open_project([tagged], db)
    assert db.is_file() and len(store) == 5
    store.close()
    (tmp_path / "afile").write_text("x")
    with pytest.raises(InputError, match=r"afile.*not a folder"):
        open_project([tagged], tmp_path / "afile" / "review.sqlite")


def test_an_old_style_project_reopened_with_the_tagged_export_counts_a_repeated_ticket_once(tmp_path):
    # The old-style project of the test above, reopened with the tagged export itself (which keeps a repeated
    # row once, so it has no RT02#2): RT02#1 takes RT02, and RT02#2, the same ticket's text again, is its
    # repeat, counted nowhere (it counted before: 6 statements to code where the export has 5).
    from voiceofcustomer.review.project import open_project
    from voiceofcustomer.themes.pipeline import load_inputs

    tagged = Path(__file__).resolve().parents[1] / "data" / "tagged_repeated_ticket.csv"
    old = load_inputs([tagged]).drop(columns=[st.IS_DUPLICATE])
    old[st.STATEMENT_ID] = ["RT01", "RT02#1", "RT03#1", "RT02#2", "RT04", "RT03#2"]
    old.to_csv(tmp_path / "old_topics.csv", index=False, encoding="utf-8-sig")
    db = tmp_path / "p.sqlite"
    store = open_project([tmp_path / "old_topics.csv"], db)
    store.decide("RT02#2", {"issue": "other"}, coder="wang")
    store.close()
    store = open_project([tagged], db)
    assert store.added == 0 and len(store) == 6
    assert store.progress("wang") == {"done": 0, "total": 5, "uncounted": 1}
    assert store.row("RT02#2", coder="wang")["human"]["issue"] == "other"  # kept, not counted
    assert store.row("RT03#2", coder="wang")["not_counted"] == ""  # another text of RT03: it counts
    store.close()
