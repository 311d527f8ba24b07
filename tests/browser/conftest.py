"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright
against pytest-django's live_server. Playwright's own browser download cannot
work on our machines, so the distro binary is used."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))

# Playwright's sync API runs an event loop in this thread; Django would then
# refuse the ORM calls that tests make to set up data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make browser` (scripts/install-browser.sh).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page whose relative URLs resolve against the live server."""
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def assert_no_axe_violations(page) -> None:
    """Run axe-core (shipped inside the axe-playwright-python wheel) on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    assert not violations, results.generate_report()
