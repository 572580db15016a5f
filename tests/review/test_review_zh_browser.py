"""The labels, themes and model views in a real headless Chromium say everything of their own in Chinese, as the
items view does: no English word in their buttons, headings, filters, queue orders, keys, empty states and messages,
other than the ids a coder also sees in the data (label and field ids beside their Chinese names, the views'
names beside theirs, key names, voc's commands). Until 7 Dec 2026 they read order / teach fastest / show /
not yet coded by me / saved t:1-s01 / undo last theme edit / history / Save curated themes."""

import re

import pytest

from test_review_browser import _browsing, _chromium
from voiceofcustomer.labels.taxonomy import FIELDS, LABELS

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(_chromium() is None, reason="needs Debian's chromium (apt-get install chromium)")]

#: English a Chinese page may show: ids (a label's id beside its Chinese name, 可靠性 reliability; a field's),
#: the views' names beside theirs (主题 themes), key names (the shortcuts are unchanged), abbreviations, the
#: embedding's options (use, lsa, e5), the columns voc themes writes (topic, topic_label) and the model card's
#: F1 (宏平均 F1) and κ
ALLOWED = ({v for f in FIELDS for v in LABELS[f]} | set(FIELDS)
           | {"labels", "themes", "items", "model", "Tab", "Shift", "Enter", "Backspace", "N", "Esc", "SERVQUAL", "id", "CSV",
              "voc", "review", "use", "lsa", "e", "topic", "topic_label", "F"})

#: the page's own text: everything but the data it shows (the project's name, statements, ids, sources, coders,
#: theme names, paths)
#: and the commands quoted as typed (<code>); placeholders and titles too, but not a label's definition
_UI_TEXT = """(dataSelectors) => {
  const c = document.body.cloneNode(true);
  for (const e of c.querySelectorAll("script, code, h1, " + dataSelectors)) e.remove();
  const texts = [], walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) texts.push(walk.currentNode.nodeValue);  // one by one: an option's text ends a word
  for (const e of c.querySelectorAll("[placeholder], [title]:not(.opt)"))
    texts.push(e.getAttribute("placeholder") || "", e.getAttribute("title") || "");
  return texts.join(" ");
}"""


def english(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]*", text) if w not in ALLOWED]


class Refusals(list):
    """The page's errors, but the refusals a test provokes (a 400 or 409 the status line shows)."""

    def append(self, message):
        if not re.search(r"status of 40[09]", message):
            super().append(message)


def test_the_labels_view_speaks_chinese(project):
    from voiceofcustomer.review.definitions import DEFINITIONS_ZH

    with _browsing(project, errors=Refusals()) as (page, srv, expect):
        expect(page.locator(".field")).to_have_count(4)
        data = ("#text, #context, #meta, #columns, #upcoming, #coder, "
                + ", ".join(f"#{s} option:not([value=''])" for s in ("f-source", "f-group", "f-theme", "f-coder")))
        ui = page.evaluate(_UI_TEXT, data)
        assert english(ui) == [], ui
        for key in ("顺序", "最快教会模型", "随机（抽查）", "我未标注的", "模型与人工不一致", "编码员：", "我已标注 0 / 30",
                    "Enter 确认本行", "Backspace 撤销上一次决定", "SERVQUAL维度：可靠性 reliability", "（模型："):
            assert key in ui, key
        expect(page.locator("#f-label option[value='issue=billing']")).to_have_text("问题类别：计费资费 billing")
        # a label's definition on hover is Chinese, for every value of the four fields (until 7 Dec 2026 taxonomy.md's
        # English: 'Willingness and speed: waiting time, …')
        for f in FIELDS:
            shown = page.locator(f'.field[data-field="{f}"] .opt').evaluate_all("(os) => os.map((o) => o.title)")
            assert shown == [DEFINITIONS_ZH[f][v] for v in LABELS[f]], f
        said = []  # what the status line says as the coder works
        sid = page.locator("#meta").inner_text().split(" · ")[0]
        page.keyboard.press("Enter")
        expect(page.locator("#status")).to_have_text(f"已保存：{sid}")
        page.keyboard.press("Backspace")
        expect(page.locator("#status")).to_have_text(f"已撤销：{sid}")
        page.keyboard.press("Backspace")  # nothing left to undo: the server's refusal, in Chinese
        expect(page.locator("#status")).to_have_text("没有可以撤销的决定：wang 在本项目中已没有决定")
        expect(page.locator("#status")).to_have_class("err")
        page.locator("#f-disagree").check()
        expect(page.locator("#status")).to_contain_text("显示：全部行")
        said.append(page.locator("#status").inner_text())
        page.locator("#f-status").select_option("todo")  # the empty list says why, and offers a button
        expect(page.locator("#show-all")).to_have_text("显示全部行（包括我已标注的）")
        said.append(page.locator("#text").inner_text())
        page.locator("#f-disagree").uncheck()
        page.locator("#f-attrs").fill("退休")
        page.locator("#f-attrs").press("Enter")
        expect(page.locator("#text")).to_have_text("按这些筛选条件，已没有要标注的行。")
        assert english(" ".join(said)) == [], said


def test_the_themes_view_speaks_chinese(tmp_path):
    from test_review_themes import themed_project

    store = themed_project(tmp_path)
    with _browsing(store, "/themes", errors=Refusals()) as (page, srv, expect):
        expect(page.locator("tr.theme")).to_have_count(4)
        expect(page.locator("#curated-state")).to_have_text("尚未运行")
        data = "#themes, #stmts, #history, #coder, #curated-root, #suggestion-root, #suggestions, select.into"
        ui = page.evaluate(_UI_TEXT, data)
        assert english(ui) == [], ui
        for key in ("撤销上一次主题修改", "修改历史", "陈述数", "保存整理后的主题集", "建议的新主题", "加入主题集"):
            assert key in ui, key
        row = lambda tid: page.locator(f'tr.theme[data-id="{tid}"]')  # noqa: E731
        expect(row("0").locator("button")).to_have_text(["并入", "查看陈述"])
        row("1").locator("button.show").click()
        expect(page.locator("#stmts-title")).to_have_text("陈述：话费 · 扣费")
        name = row("1").locator("input.name")
        name.fill("")
        name.press("Enter")  # an empty name: refused, in Chinese
        expect(page.locator("#status")).to_have_text("主题名称不能为空")
        row("2").locator("select.into").select_option("0")
        row("2").locator("button.merge").click()
        expect(page.locator("#status")).to_have_text("已保存：合并")
        page.locator("#undo").click()
        expect(page.locator("#status")).to_have_text("已撤销上一次主题修改")
        page.locator("#undo").click()
        expect(page.locator("#status")).to_have_text("没有可以撤销的主题修改")
        page.locator("#curated-out").fill("../outside")
        page.locator("#curated-go").click()
        expect(page.locator("#status")).to_contain_text("../outside：本页只能写入 ")
    store.close()


def test_the_model_page_speaks_chinese(tmp_path, small_corpus):
    """The model (Teach) page, idle, failed and done: until 7 Dec 2026 it read 'Teach the model', 'output folder',
    'class recodings', 'min. examples per team value', 'macro-F1 before', 'A team adapter fitted on 59 team decisions
    over the model trained on 14856 corpus statements' and a failure's English line."""
    from codebook_fixtures import codebook_project

    from voiceofcustomer.review.jobs import JobRunner, teach_into
    from voiceofcustomer.review.store import ReviewStore

    db = codebook_project(tmp_path / "c.sqlite", n=9)  # 3 decided statements per channel value: min. 5 refuses
    from voiceofcustomer.review.teach import teach_summary

    result = {"n_corpus": 17244, "n_team": 59, "weight": 3, "method": "adapter", "n_held_out": 12,
              "summary_zh": teach_summary({"n_corpus": 17244, "n_team": 59, "weight": 3, "method": "adapter",
                                           "team_held_out": {"n_test": 12, "n_test_distinct": 9}})[1],
              "n_held_out_distinct": 9, "min_distinct_held_out": 30, "held_out_spread": 0.33,
              "n_train_team": 47, "uncoded": [],
              "held_out": {"issue": {"macro_f1_before": 0.41, "macro_f1_after": 0.62, "kappa_before": 0.3,
                                     "kappa_after": 0.55}},
              "held_out_custom": {"channel": {"macro_f1_before": None, "macro_f1_after": 0.7, "kappa_after": 0.6}},
              "recodings": [{"field": "issue", "from": "billing", "to": "marketing", "n": 1200, "n_from": 1400,
                             "unused": True}],
              "use": f"voc tag NEW.xlsx -o tagged.xlsx --model {tmp_path / 'team-model'}"}
    calls = []

    def teach(db, out_dir, *, progress, **options):  # the real one first (it fails), then a model card's summary
        calls.append(options)
        if len(calls) == 1:
            return teach_into(db, out_dir, corpus=small_corpus, progress=progress, **options)
        progress("fitting a team adapter on 59 team decisions")
        return result

    store = ReviewStore(db)
    jobs = JobRunner(db, runners={"teach": teach})
    data = "#coder, #teach-root, #teach-state"  # the folder a job wrote is data (a path)
    with _browsing(store, "/model", errors=Refusals(), jobs=jobs) as (page, srv, expect):
        expect(page.locator("#teach-state")).to_have_text("尚未运行")
        ui = page.evaluate(_UI_TEXT, data)
        assert english(ui) == [], ui
        for key in ("用团队的决定教模型", "输出文件夹", "类别改标", "决定中显示出改标时采用", "团队取值的最少样本数", "教模型"):
            assert key in ui, key
        page.locator("#teach-go").click()  # the real teach: a team value with 3 decided statements is refused
        expect(page.locator("#teach-state")).to_have_attribute("data-state", "failed", timeout=60_000)
        said = page.locator("#status").inner_text()
        assert said.startswith("教模型：失败：") and "只有 3 条已决定的陈述" in said, said
        assert said.endswith("或调低 “教模型”的“团队取值的最少样本数”"), said
        page.locator("#teach-go").click()
        expect(page.locator("#teach-state")).to_have_attribute("data-state", "done")
        expect(page.locator("#status")).to_have_text("教模型：完成")
        expect(page.locator("#teach-state")).to_contain_text("完成，用时")
        ui = page.evaluate(_UI_TEXT, data)
        assert english(ui) == [], ui
        expect(page.locator("#teach-summary")).to_have_text(
            "在用 17,244 条语料陈述训练的模型之上，用 59 个团队决定拟合了团队适配器；"  # 17244 until 7 Dec 2026
            "一致性在留出的 12 个决定上测得（其中 9 条不同的文字；模型训练时不含这些决定）。")
        # before anyone trusts the table: 9 distinct held-out texts are fewer than 30
        expect(page.locator("#teach-warning")).to_be_visible()
        expect(page.locator("#teach-warning")).to_have_text(
            "注意：留出的 12 个决定只有 9 条不同的文字（只差数字的近似重复算一条），少于 30 条：下表的一致性不可信。"
            "在这么少的文字上，准确率的误差约为 ±0.33（95%），比教模型通常带来的提高（0.10–0.15）还大，"
            "教之前和教之后的差别可能只是留出时的运气。请再标注一些（不同的文字，而不是已标注文字的近似重复），然后再教。")
        expect(page.locator('#teach-held tr[data-field="issue"] td')).to_have_text(
            ["问题类别 issue", "0.41", "0.62", "0.30", "0.55"])
        expect(page.locator("#teach-recodings li")).to_have_text(
            ["问题类别 issue：计费资费 billing → 营销推广 marketing（1,200 / 1,400）；团队从不使用 计费资费 billing："
             "教出的模型不再给出它"])
    store.close()
    assert calls[0] == {"weight": 3, "convention_map": "auto", "min_examples": 5}


def test_the_meta_line_says_a_rows_note_in_chinese(tmp_path):
    # "… · 张女士 · 退休教师 · 公众用户 · introduction or small talk (guide R6)" was the meta line of a focus group's
    # answer whose labels the guide's R6 set: the note is voc's, and the page says it in Chinese now.
    from test_review_zh import _noted_focus_group
    from voiceofcustomer.review.store import create_project

    store = create_project(_noted_focus_group(), tmp_path / "p.sqlite")
    with _browsing(store) as (page, srv, expect):
        page.keyboard.press("/")
        page.keyboard.type("第2条")
        page.keyboard.press("Enter")
        expect(page.locator("#meta")).to_contain_text("t:2-s01")
        expect(page.locator("#meta")).to_contain_text("自我介绍或闲聊，不是对服务的评价（标注指南 R6）")
        assert "guide" not in page.locator("#meta").inner_text()
    store.close()


def test_the_progress_line_counts_with_thousands_separators(tmp_path):
    # a ticket export of 1,200 statements: the header said '我已标注 0 / 1200', the rest of voc writes 1,200
    from review_fixtures import tagged_frame

    from voiceofcustomer.review.store import create_project

    store = create_project(tagged_frame(1200), tmp_path / "p.sqlite")
    with _browsing(store) as (page, srv, expect):
        expect(page.locator("#progress")).to_have_text("我已标注 0 / 1,200")
    store.close()
