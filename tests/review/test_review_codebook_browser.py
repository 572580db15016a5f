"""The labels view with a team codebook in a real headless Chromium: code the team's fields with the
keyboard alone, see the choices kept after a reload, read definitions on hover, undo."""

import pytest

from codebook_fixtures import CODEBOOK
from test_review_browser import ARGS, Server, _chromium
from voiceofcustomer.labels.codebook import load_codebook


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_team_field_coded_with_keyboard_is_kept_after_reload(project, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    (tmp_path / "team.yaml").write_text(CODEBOOK, encoding="utf-8")
    project.set_codebook(load_codebook(tmp_path / "team.yaml"))
    errors = []
    with Server(project) as srv, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(srv.url)
        expect(page.locator(".field")).to_have_count(5)
        team = page.locator('.field[data-field="channel"]')
        expect(team.locator("h3")).to_contain_text("反映渠道 channel（团队字段：请选择一个值）")
        assert "physical store" in team.locator('.opt[data-value="store"]').get_attribute("title")
        assert team.locator(".opt.chosen").count() == 0  # nothing chosen for the coder
        coded = {}
        for k, (key, value) in enumerate([("2", "hotline"), ("3", "online"), (None, None), ("1", "store")]):
            sid = page.locator("#meta").inner_text().split(" · ")[0]
            if key:
                for _ in range(4):  # Tab past the four taxonomy fields to the team's field
                    page.keyboard.press("Tab")
                expect(page.locator(".field.focus")).to_have_attribute("data-field", "channel")
                page.keyboard.press(key)
                expect(team.locator(".opt.chosen")).to_have_attribute("data-value", value)
            page.keyboard.press("Enter")
            expect(page.locator("#status")).to_have_text(f"已保存：{sid}")
            coded[sid] = value
        stored = project.custom_frame().set_index("statement_id")["channel"]
        assert {sid: stored[sid] for sid in coded} == coded
        d = project.decisions_frame()
        assert set(d.loc[d["field"] == "channel", "coder"]) == {"wang"}
        # reload: the page shows my choices on the rows I coded
        page.reload()
        expect(page.locator("#progress")).to_have_text("我已标注 4 / 30")
        page.select_option("#f-status", "done")
        for sid, value in coded.items():
            expect(page.locator("#meta")).to_contain_text(sid)
            chosen = page.locator('.field[data-field="channel"] .opt.chosen')
            if value:
                expect(chosen).to_have_attribute("data-value", value)
            else:
                expect(chosen).to_have_count(0)
            page.keyboard.press("Enter")  # re-accept unchanged and move on
            expect(page.locator("#status")).to_have_text(f"已保存：{sid}")
        # Backspace undoes the last decision, the team field with it
        page.keyboard.press("Backspace")
        last = list(coded)[-1]
        expect(page.locator("#status")).to_have_text(f"已撤销：{last}")
        assert project.custom_frame().set_index("statement_id").loc[last, "channel"] == "store"  # the first coding stands
        # filter by the team field's value
        page.select_option("#f-status", "all")
        page.select_option("#f-label", "channel=online")
        expect(page.locator("#meta")).to_contain_text([s for s, v in coded.items() if v == "online"][0])
        browser.close()
    assert not errors, errors
