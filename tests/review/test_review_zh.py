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


def test_the_teach_panel_s_refusals_failures_and_progress_carry_chinese(tmp_path, project, small_corpus):
    """The model page's refusals (error_zh), a teach job that fails (error_zh, the panel's field named as the page
    names it) and its progress lines (message_zh), beside the English that stays as it was."""
    from codebook_fixtures import codebook_project

    from voiceofcustomer.review.jobs import JobRunner, progress_zh
    from voiceofcustomer.review.store import ReviewStore

    app = create_app(project, coder="wang", token="t", port=PORT, write_root=tmp_path)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", headers={"X-Review-Token": "t"}) as c:
        r = c.post("/api/jobs/teach", json={})
        assert r.status_code == 400 and r.json()["error"].startswith("no decided statements to learn from yet")
        assert r.json()["error_zh"] == "还没有可以学习的已决定陈述；请先标注一些行"
        project.decide("t:1-s01", {"issue": "billing"}, "wang")
        r = c.post("/api/jobs/teach", json={"convention_map": "sometimes"})
        assert r.json()["error_zh"] == "“教模型”的“类别改标”须为 auto、always 或 never"
        assert "用团队的决定教模型" in c.get("/model").text and "Teach the model" not in c.get("/model").text
    db = codebook_project(tmp_path / "c.sqlite", n=9)  # 3 decided statements per value of the team's channel
    store = ReviewStore(db)
    jobs = JobRunner(db, corpus=small_corpus)
    app = create_app(store, coder="wang", token="t", port=PORT, jobs=jobs)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", headers={"X-Review-Token": "t"}) as c:
        r = c.post("/api/jobs/teach", json={"min_examples": 1})
        assert r.json()["error_zh"].startswith("“教模型”的“团队取值的最少样本数” 须为不小于 2 的整数（现为 1；默认 5）")
        assert c.post("/api/jobs/teach", json={"output": "m0"}).status_code == 202
        jobs.wait(120)
        job = c.get("/api/jobs/teach").json()
    store.close()
    assert job["state"] == "failed" and job["error"].endswith("or lower the Teach panel's min. examples per team value")
    assert job["error_zh"] == (f"{db}：团队字段 channel 的取值 'store' 只有 3 条已决定的陈述；分类器每个取值至少需要 5 条"
                               "——请在 voc review 中再标注一些（用 / 筛选文字），在编码表中删除或合并这个取值，"
                               "或调低 “教模型”的“团队取值的最少样本数”"), job["error_zh"]
    assert progress_zh("fitting a team adapter on 59 team decisions") == "正在用 59 个团队决定拟合团队适配器"
    assert progress_zh("fitting the base model on 742 corpus statements") == "正在用 742 条语料陈述训练基础模型"
    assert progress_zh("measuring on 12 held-out team decisions") == "正在留出的 12 个团队决定上测量一致性"
    assert progress_zh("fitting on 742 corpus statements + 59 team decisions × 3") == "正在用 742 条语料陈述 + 59 个团队决定 × 3 训练"
    # a line no pattern knows (a stage added later): until 7 Dec 2026 the bare English on the Chinese page; now a
    # Chinese phrase with the English line after it, which keeps its numbers
    assert progress_zh("something new 3/5") == "进行中（这一步暂无中文说明，英文原文如下）：something new 3/5"
    assert progress_zh("") == ""


def test_every_label_has_a_chinese_definition_the_page_shows_beside_the_english():
    """The hover on a label read taxonomy.md's English ('Willingness and speed: waiting time, …') to Chinese
    researchers; every value of the four fields has a Chinese definition now, the English stays in the codebook."""
    import re

    from voiceofcustomer.labels.taxonomy import FIELDS, LABELS
    from voiceofcustomer.review.definitions import DEFINITIONS, DEFINITIONS_ZH, codebook

    assert set(DEFINITIONS_ZH) == set(FIELDS)
    for f in FIELDS:
        assert list(DEFINITIONS_ZH[f]) == list(LABELS[f]), f  # every value, none more, in the taxonomy's order
        for v, zh in DEFINITIONS_ZH[f].items():
            assert len(re.findall(r"[\u4e00-\u9fff]", zh)) >= 8 and zh.endswith("。"), (f, v, zh)
            assert set(re.findall(r"[A-Za-z]+", zh)) <= {"App"}, (f, v, zh)  # Chinese, but the app's usual name
    book = {(f["field"], c["value"]): c for f in codebook() for c in f["choices"]}
    c = book[("servqual", "responsiveness")]
    assert c["definition"] == DEFINITIONS["servqual"]["responsiveness"] and "waiting" in c["definition"]
    assert c["definition_zh"].startswith("服务的意愿和速度：排队等候时间")
    # the boundary rules travel with them: a slow broadband repair, slowness with a clear subject, a named promise
    assert "宽带维修慢归装机维修" in DEFINITIONS_ZH["issue"]["broadband"]
    assert "归那个对象" in DEFINITIONS_ZH["issue"]["efficiency"]
    assert "承诺" in DEFINITIONS_ZH["demand"]["standard"] and "修得慢是响应性" in DEFINITIONS_ZH["servqual"]["reliability"]


def _english_words(text: str) -> list[str]:
    import re

    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in {"use", "lsa", "channel", "voc", "review", "sqlite", "DIR", "new"}]  # ids


def test_every_progress_line_and_failure_of_the_themes_jobs_has_chinese(tmp_path, project):
    """The themes jobs' progress lines ('embedding 10 statements of 3 curated themes', 'embeddings: 10/10', 'adding
    new1 to 十二月主题集') and failures ('… the project has no themes …') showed in English on the Chinese pages: no
    pattern of review.jobs.PROGRESS_ZH knew them, the library's errors had no zh."""
    from test_review_themes import themed_project

    from voiceofcustomer.review.jobs import JobRunner, progress_zh, save_curated_into

    said = []
    store = themed_project(tmp_path / "themed")
    save_curated_into(store.path, tmp_path / "themed" / "set", progress=said.append)
    store.close()
    assert said and any(m.startswith("embeddings: ") for m in said)
    # every line the teach, curated and suggestion jobs can give (themes.embeddings' other two: a cached or a
    # fitted embedder; the adapter's teach lines; add_suggestion_into's own)
    said += ["embeddings: 10 from cache", "embeddings: fitting lsa on 120 statements",
             "12 statements follow their ticket: 3 follow-up centroids", "adding new1 to 十二月主题集",
             "fitting a team adapter on 59 team decisions", "measuring on 12 held-out team decisions",
             "team field(s) channel not coded yet: not trained",
             "fitting the team's fields channel on 40 decided statements"]
    for m in said:
        zh = progress_zh(m)
        assert zh != m and not _english_words(zh), (m, zh)
    assert progress_zh("embeddings: 10/10") == "嵌入：10/10"
    assert progress_zh("embedding 10 statements of 3 curated themes") == "正在嵌入 3 个整理后主题的 10 条陈述"
    # a failed curated job: its error in Chinese beside the English (a project of no themes)
    jobs = JobRunner(project.path)
    jobs.start("curated", "set")
    jobs.wait(120)
    job = jobs.status("curated")
    assert job["state"] == "failed" and "the project has no themes" in job["error"]
    assert job["error_zh"] == (f"{project.path}：本项目没有主题；请从 `voc themes` 的输出（statement_topics.csv，已标注）开始，"
                               "在主题视图中整理"), job


def test_a_job_failing_on_a_library_error_says_it_in_chinese(tmp_path, project, small_corpus):
    """A teach or themes job that failed on a library VocError raised without zh= showed its bare English on the
    job panel ('…/corpus.txt: labelled data must be a folder of .jsonl, …'): the reachable ones have Chinese now,
    and any other is said in a Chinese line with the English detail after it (jobs.FALLBACK_ZH)."""
    from voiceofcustomer.errors import VocError
    from voiceofcustomer.review.jobs import FALLBACK_ZH, JobRunner

    project.decide("t:1-s01", {"issue": "billing"}, "wang")
    corpus = tmp_path / "corpus.txt"  # a corpus voc cannot read: load_corpus refuses it before any training
    corpus.write_text("不是已标注数据\n", encoding="utf-8")
    jobs = JobRunner(project.path, corpus=corpus)
    jobs.start("teach", "m")
    jobs.wait(60)
    job = jobs.status("teach")
    assert job["state"] == "failed" and job["error"].endswith("labelled data must be a folder of .jsonl, a .jsonl, "
                                                             "a .csv or a .xlsx")
    assert job["error_zh"] == f"{corpus}：已标注数据须为装有 .jsonl 的文件夹，或一个 .jsonl、.csv 或 .xlsx 文件"
    gone = tmp_path / "gone.sqlite"  # the project file removed while the server ran: the teach job reads it
    jobs = JobRunner(gone, corpus=small_corpus)
    jobs.start("teach", "m")
    jobs.wait(60)
    job = jobs.status("teach")
    assert job["state"] == "failed" and job["error"] == f"{gone}: no such review project file"
    assert job["error_zh"] == f"{gone}：没有这个审阅项目文件"

    def failing(db, out_dir, *, progress, **options):  # a library error nobody gave Chinese yet
        raise VocError("x.csv: row 3: the widget frobnicated; give it with frob_col=", params=("frob_col",))

    jobs = JobRunner(project.path, runners={"curated": failing})
    app = create_app(project, coder="wang", token="t", port=PORT, jobs=jobs)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", headers={"X-Review-Token": "t"}) as c:
        assert c.post("/api/jobs/curated", json={"output": "set"}).status_code == 202
        jobs.wait(10)
        job = c.get("/api/jobs/curated").json()
        assert job["state"] == "failed" and job["error"] == "x.csv: row 3: the widget frobnicated"
        assert job["error_zh"] == FALLBACK_ZH.format(english="x.csv: row 3: the widget frobnicated")
        assert job["error_zh"].startswith("出错了（这条说明暂无中文，英文原文如下）：")
        # a route's refusal of a library error with no Chinese: the same fallback; one with Chinese: its own
        r = c.post("/api/decide", content=b"x", headers={"Content-Type": "text/plain"})
        assert r.status_code == 400 and r.json() == {
            "error": "send JSON (Content-Type: application/json)",
            "error_zh": "出错了（这条说明暂无中文，英文原文如下）：send JSON (Content-Type: application/json)"}
        r = c.post("/api/decide", json={"statement_id": "t:1-s01", "labels": {"issue": "billing"}, "seen": None})
        assert r.status_code == 409 and r.json()["error_zh"].startswith("陈述 't:1-s01' 在读取之后已被 wang 决定或撤销")
        r = c.get("/api/queue?order=fastest")
        assert r.status_code == 400 and r.json()["error_zh"] == "未知的顺序 'fastest'；可用 teach（最快教会模型）或 random（随机）"


def test_a_job_s_own_markers_carry_chinese_from_the_first_queued_line(project):
    """The first line of every job, 'queued', and 'started' / 'done' came without message_zh (the English marker
    was the only progress line a page polling a job could read); now 排队中, 已开始, 完成."""
    import threading

    from voiceofcustomer.review.jobs import JobRunner, progress_zh

    go, seen = threading.Event(), threading.Event()

    def gated(db, out_dir, *, progress, **options):
        seen.set()
        assert go.wait(10)
        return {}

    jobs = JobRunner(project.path, runners={"curated": gated})
    first = jobs.start("curated", "set")
    assert (first["message"], first["message_zh"]) in (("queued", "排队中"), ("started", "已开始"))
    assert seen.wait(10)
    running = jobs.status("curated")
    assert (running["message"], running["message_zh"]) == ("started", "已开始")
    go.set()
    jobs.wait(10)
    done = jobs.status("curated")
    assert (done["state"], done["message"], done["message_zh"]) == ("done", "done", "完成")
    assert [progress_zh(m) for m in ("queued", "started", "done")] == ["排队中", "已开始", "完成"]


def _noted_focus_group():
    """A focus group whose rows carry the notes voc tag's transcript rules give (guide R6, R7, C14)."""
    from test_review_store import focus_group_frame

    from voiceofcustomer.io.readers import GARBLED_NOTE
    from voiceofcustomer.labels.context import AGREEMENT_NOTE, INTRODUCTION_NOTE, MODERATOR_NOTE

    df = focus_group_frame()
    df["note"] = ""
    df.loc[0, "note"] = MODERATOR_NOTE
    df.loc[1, "note"] = INTRODUCTION_NOTE
    df.loc[2, "note"] = AGREEMENT_NOTE
    df.loc[4, "note"] = "团队备注：回访过"  # a note voc does not write: as written
    df.loc[5, ["text", "note"]] = ["", GARBLED_NOTE]
    return df


def test_a_rows_note_is_said_in_chinese_on_the_page(tmp_path):
    # A new complaint-team researcher reviewing a focus group saw the meta line read
    # "t:2-s01 · fg.txt · 张女士 · 退休教师 · 公众用户 · introduction or small talk (guide R6)": the only English on
    # the Chinese page, and the rule that set the row's labels said in words the coder may not read.
    from voiceofcustomer.review.store import create_project

    store = create_project(_noted_focus_group(), tmp_path / "p.sqlite")
    app = create_app(store, coder="wang", token="s3cret", port=PORT)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}") as c:
        c.get("/?token=s3cret")
        rows = {r["statement_id"]: r for r in c.get("/api/queue?uncounted=1&status=all").json()["rows"]}
    store.close()
    assert rows["t:2-s01"]["note_zh"] == "自我介绍或闲聊，不是对服务的评价（标注指南 R6）"
    assert rows["t:3-s01"]["note_zh"] == "标签取自它所附和的陈述（标注指南 R7）"
    assert rows["t:1-s01"]["note_zh"] == "主持人的提问一律为中性（标注指南 C14）"
    assert rows["t:5-s01"]["note_zh"] == "团队备注：回访过"
    assert rows["t:2-s01"]["note"] == "introduction or small talk (guide R6)"  # the English stays in note
    # a garbled row's note is what its 不计入统计 says already: said once
    assert rows["t:6-s01"]["not_counted"] == "文字疑似乱码（请检查文件的编码），不计入统计"
    assert rows["t:6-s01"]["note_zh"] == ""


def test_every_note_voc_writes_has_chinese_and_set_aside_notes_are_said_once():
    from voiceofcustomer.io.readers import GARBLED_NOTE, HEADER_NOTE, TOTALS_NOTE
    from voiceofcustomer.review.definitions import note_zh
    from voiceofcustomer.statements import staff_note

    assert note_zh(staff_note("【处理结果】")) == "客服部分【处理结果】：服务方的话，不是客户的，不计入统计"
    assert note_zh(staff_note("【工单号】", "field")) == "工单字段【工单号】：工单的记录，不是客户的话，不计入统计"
    assert note_zh(f"empty text; {TOTALS_NOTE}") == "没有文字；合计行，不是工单"
    assert note_zh(HEADER_NOTE) == "重复的表头行，不是工单"
    assert note_zh(GARBLED_NOTE) == "文字疑似乱码（请检查文件的编码），不计入统计"
    assert note_zh(None) == "" and note_zh("") == ""
