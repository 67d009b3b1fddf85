"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against the live server.

No browser is downloaded: Playwright is pointed at the system's Chromium.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = Path(os.environ.get("HBS_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
SCREENSHOTS.mkdir(parents=True, exist_ok=True)
# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Module scope: Playwright's event loop must be gone before other tests, which
# drive async code with async_to_sync in this same thread, run.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`.ci/run` does it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh browser context; fails the test on any script or CSP error and on any missing asset.

    Expected 4xx answers to forms are not problems (the browser logs those too).
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []

    def on_console(message) -> None:
        # live_server speaks WSGI: the bell's websocket cannot connect there (it is tested through uvicorn,
        # in test_notifications_browser.py); every other console error still fails the test.
        no_websockets_here = message.text.startswith("WebSocket connection to") and "/ws/notifications/" in message.text
        if (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and not no_websockets_here
        ):
            problems.append(message.text)

    def on_response(response) -> None:
        if response.status >= 400 and "/static/" in response.url:
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    # Let the page's last requests (htmx, live refreshes) finish on the server before the database is
    # emptied for the next test: a request still reading while the flush truncates is a deadlock.
    with contextlib.suppress(PlaywrightTimeout):  # a page that keeps polling: closing it is all there is to do
        page.wait_for_load_state("networkidle", timeout=5000)
    context.close()
    assert not problems, f"browser console errors: {problems}"
