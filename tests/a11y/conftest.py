"""The browser for the accessibility tests: Debian's Chromium, skipped with a message when absent."""

import os

import pytest

from tests.a11y.test_axe import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the accessibility tests: .ci/run installs Debian's chromium first.")
        pytest.skip(
            "Chromium is not installed (/usr/bin/chromium): the accessibility tests are skipped. "
            "Install it with `apt-get install chromium` to run them (CI does)."
        )
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop lives in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
