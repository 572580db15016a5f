"""The note box of the labels view in a real headless Chromium: N opens it, the number keys type into it and do
not choose a label, Esc goes back to coding (the note saved), Enter saves it with the decision, a reload shows
it, and a note that is markup shows as text."""

import re

import pytest

from test_review_browser import _browsing, _chromium

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(_chromium() is None, reason="needs Debian's chromium (apt-get install chromium)")]


def test_a_note_typed_with_the_keyboard_is_kept_and_shown_again_after_a_reload(project):
    with _browsing(project) as (page, srv, expect):
        expect(page.locator(".field")).to_have_count(4)
        sid = page.locator("#meta").inner_text().split(" · ")[0]
        chosen = page.locator('.field[data-field="servqual"] .opt.chosen')
        before = chosen.count()
        page.keyboard.press("n")
        expect(page.locator("#note")).to_be_focused()
        page.keyboard.type("问R55 <script>alert(1)</script> 3")  # the 3 is the note's, not a label
        assert chosen.count() == before and project.notes_frame().empty
        page.keyboard.press("Escape")  # back to coding: the note is saved on its own
        expect(page.locator("#status")).to_have_text(f"备注已保存：{sid}")
        expect(page.locator("#note")).not_to_be_focused()
        assert project.row(sid, "wang")["coder_note"] == "问R55 <script>alert(1)</script> 3"
        assert project.progress("wang")["done"] == 0  # a note is no decision
        page.keyboard.press("2")  # the number keys choose again
        expect(page.locator('.field.focus .opt.chosen')).to_have_count(1)
        page.reload()
        expect(page.locator(".field")).to_have_count(4)
        assert page.locator("#meta").inner_text().split(" · ")[0] == sid  # still to code: the note is back
        expect(page.locator("#note")).to_have_value("问R55 <script>alert(1)</script> 3")
        assert page.locator("#card script").count() == 0
        # a changed note leaves with the decision on Enter
        page.keyboard.press("n")
        page.keyboard.press("End")
        page.keyboard.type("，问店长")
        page.keyboard.press("Escape")
        expect(page.locator("#status")).to_have_text(f"备注已保存：{sid}")
        page.keyboard.press("n")
        page.keyboard.press("Control+a")
        page.keyboard.type("不确定是营业厅还是热线")
        page.keyboard.press("Escape")
        page.keyboard.press("Enter")
        expect(page.locator("#status")).to_have_text(re.compile(f"^已保存：{re.escape(sid)}$"))
        assert project.row(sid, "wang")["coder_note"] == "不确定是营业厅还是热线"
        assert project.progress("wang")["done"] == 1
        expect(page.locator("#note")).to_have_value("")  # the next row's own (none)
        page.select_option("#f-status", "done")
        expect(page.locator("#meta")).to_contain_text(sid)
        expect(page.locator("#note")).to_have_value("不确定是营业厅还是热线")
