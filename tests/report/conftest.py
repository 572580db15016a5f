"""A headless Chromium page for the report's browser tests (Debian's chromium, driven by playwright)."""

import shutil
from types import SimpleNamespace

import pytest

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser_page():
    """``.page`` (1300 × 1800), with the console's and the page's errors in ``.errors`` and the dialogs it opened
    in ``.dialogs``; skipped without chromium or playwright."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1800})
        got = SimpleNamespace(page=page, errors=[], dialogs=[])
        page.on("console", lambda m: got.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: got.errors.append(str(e)))
        page.on("dialog", lambda d: (got.dialogs.append(d.message), d.dismiss()))
        yield got
        browser.close()
