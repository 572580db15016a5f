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



def _noted_in_a_second_tab(page, srv, expect, note):
    """A second tab of the coder on the first tab's row, whose note box got ``note`` (N, typing, Esc: saved); the
    first tab in front again. Returns the second tab and the row's id."""
    expect(page.locator(".field")).to_have_count(4)
    other = page.context.browser.new_page()
    other.goto(srv.url)
    expect(other.locator(".field")).to_have_count(4)
    sid = page.locator("#meta").inner_text().split(" · ")[0]
    other.keyboard.press("n")
    other.keyboard.type(note)
    other.keyboard.press("Escape")
    expect(other.locator("#status")).to_have_text(f"备注已保存：{sid}")
    page.bring_to_front()
    return other, sid

def _esc_refused(page, srv, expect, saved, typed):
    """A second tab saved the note ``saved`` on the first tab's row; the first tab, open on it since before, typed
    ``typed`` and pressed Esc: refused (409), naming the note that stands. Returns the second tab and the row's id."""
    other, sid = _noted_in_a_second_tab(page, srv, expect, saved)
    page.keyboard.press("n")
    page.keyboard.type(typed)
    page.keyboard.press("Escape")
    expect(page.locator("#status")).to_contain_text(f"的备注在读取之后已改为“{saved}”")
    return other, sid


def test_a_note_typed_in_a_tab_whose_row_was_decided_elsewhere_stays_in_its_box(project):
    # Two tabs of one coder on one row: tab 2 wrote a note and left the box (saved), tab 1 wrote another and
    # pressed Enter (its decision and note saved over tab 2's), then tab 2's Enter was refused (409) and the page
    # read the row again: its note box showed tab 1's note, the note the coder had typed there gone from the screen.
    errors = []
    with _browsing(project, errors=errors) as (page, srv, expect):
        other, sid = _esc_refused(page, srv, expect, "问店长：是不是营业厅的问题", "热线的问题")
        page.keyboard.press("Enter")  # now over the note it has seen
        expect(page.locator("#status")).to_have_text(f"已保存：{sid}")
        assert project.row(sid, "wang")["coder_note"] == "热线的问题"
        other.bring_to_front()
        other.keyboard.press("Enter")  # refused: the row as tab 2 read it no longer stands
        status = other.locator("#status")
        expect(status).to_contain_text(f"未保存：{sid} 在此期间已由你在另一个标签页或窗口中标注")
        expect(status).to_contain_text("你写的备注还在备注框里，没有保存")
        expect(status).to_contain_text("项目里现在的备注是：“热线的问题”")
        expect(other.locator("#note")).to_have_value("问店长：是不是营业厅的问题")  # kept, not replaced
        assert project.row(sid, "wang")["coder_note"] == "热线的问题"
        other.keyboard.press("Enter")  # the decision now seen: saved, with the note the coder typed
        expect(status).to_have_text(f"已保存：{sid}")
        assert project.row(sid, "wang")["coder_note"] == "问店长：是不是营业厅的问题"
        errors[:] = [e for e in errors if "409 (Conflict)" not in e]  # the refusal, expected


def test_enter_in_a_tab_that_never_touched_the_note_leaves_a_note_saved_in_another(project):
    # Tab 2 saved a note on a row (N, typing, Esc); tab 1, open on the same row since before, pressed Enter: its
    # decision sent its empty note box with it and cleared the note tab 2 had saved.
    with _browsing(project) as (page, srv, expect):
        other, sid = _noted_in_a_second_tab(page, srv, expect, "问店长")
        page.keyboard.press("Enter")
        expect(page.locator("#status")).to_have_text(f"已保存：{sid}")
        assert project.progress("wang")["done"] == 1
        assert project.row(sid, "wang")["coder_note"] == "问店长"


def test_the_other_coders_notes_show_read_only_under_the_box_as_text(project):
    # A second coder saw only their own note box: li's reason for a row (问店长) was in the project and the export,
    # not on the page where wang codes the same row.
    sid = project.queue(coder="wang", limit=1)[0]["statement_id"]
    project.set_note(sid, "li", "问店长 <b>加粗</b> <script>alert(1)</script>")
    project.set_note(sid, "zhao", "热线\n还是营业厅？")
    project.set_note(sid, "wang", "我的")
    with project.transaction():  # fixed times: 02:30 and 03:05 UTC are 10:30 and 11:05 in Beijing
        project.con.execute("UPDATE notes SET at = '2026-12-07T02:30:05.123+00:00' WHERE coder = 'li'")
        project.con.execute("UPDATE notes SET at = '2026-12-07T03:05:00.000+00:00' WHERE coder = 'zhao'")
    with _browsing(project) as (first, srv, expect):
        expect(first.locator(".field")).to_have_count(4)
        page = first.context.browser.new_context(timezone_id="Asia/Shanghai").new_page()
        page.goto(srv.url)
        expect(page.locator(".field")).to_have_count(4)
        assert page.locator("#meta").inner_text().split(" · ")[0] == sid
        expect(page.locator("#note")).to_have_value("我的")  # the coder's own note: in the box, not in the list
        notes = page.locator("#othernotes .onote")
        expect(notes).to_have_count(2)
        expect(notes.nth(0).locator("b")).to_have_text("li")
        expect(notes.nth(0).locator(".at")).to_have_text("2026-12-07 10:30")
        assert notes.nth(0).text_content() == "li2026-12-07 10:30问店长 <b>加粗</b> <script>alert(1)</script>"
        assert notes.nth(1).text_content() == "zhao2026-12-07 11:05热线\n还是营业厅？"
        assert page.locator("#othernotes b").count() == 2 and page.locator("#card script").count() == 0
        expect(page.locator("#othernotes")).to_contain_text("其他编码员的备注（只读）")
        assert page.locator("#othernotes textarea, #othernotes input").count() == 0  # read-only
        page.keyboard.press("Enter")  # the next row: no other coder's note, no list
        expect(page.locator("#status")).to_have_text(f"已保存：{sid}")
        expect(page.locator("#othernotes")).to_be_hidden()


def test_a_note_saved_in_another_tab_since_is_not_replaced_by_esc(project):
    # Tab 2 saved a note (N, typing, Esc); tab 1, open on the row since before, wrote its own and pressed Esc: the
    # later save replaced tab 2's unseen. Now it is refused, the typed note stays in the box, the one that stands is
    # said, and the next Esc replaces it knowingly.
    errors = []
    with _browsing(project, errors=errors) as (page, srv, expect):
        other, sid = _esc_refused(page, srv, expect, "问店长", "热线的问题")
        status = page.locator("#status")
        expect(status).to_contain_text("你写的备注还在备注框里")
        expect(page.locator("#note")).to_have_value("热线的问题")
        assert project.row(sid, "wang")["coder_note"] == "问店长"
        page.keyboard.press("n")
        page.keyboard.press("Escape")
        expect(status).to_have_text(f"备注已保存：{sid}")
        assert project.row(sid, "wang")["coder_note"] == "热线的问题"
        assert errors == ["Failed to load resource: the server responded with a status of 409 (Conflict)"]
        errors.clear()  # the one refusal, expected
