import os

import pytest


@pytest.fixture(autouse=True)
def _media_and_language(settings):
    """Tests run in French whatever the machine's locale."""
    settings.LANGUAGE_CODE = "fr"


# Debian's Chromium for the browser tests (accessibility, keyboard-only forms). One Playwright per test
# process, shared by every browser test: a second sync_playwright() in the same process would fail.
@pytest.fixture(scope="session")
def browser():
    from tests.a11y.test_axe import CHROMIUM, CHROMIUM_ARGS

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


# --- Query snapshots (tests/snapshots.py) ----------------------------------------------------------------
def pytest_addoption(parser):
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        help="rewrite the query snapshots of the tests run (tests/snapshots/*.json) instead of checking them",
    )


@pytest.fixture
def snapshot_queries(request):
    """`snapshot_queries(lambda: client.get(url))`: the queries must be those pinned for this test."""
    from tests.snapshots import QuerySnapshot

    module = request.node.module.__name__.rpartition(".")[2]
    return QuerySnapshot(module, request.node.name, request.config.getoption("--snapshot-update"))
