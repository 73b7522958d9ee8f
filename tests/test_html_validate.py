"""Valid HTML: the main pages of each role, rendered from the demo in French and in English, pass html-validate
(recommended preset, .htmlvalidate.json). Its departures from the preset (JSON has no comments, so here):

- `no-redundant-role` off: the DSFR's markup gives landmarks their role explicitly (<header role="banner">,
  <nav role="navigation">, <main role="main">, <footer role="contentinfo">) for older assistive technologies;
- `no-trailing-whitespace` off: a style rule for hand-written HTML; template tags on their own line leave
  spaces in the rendered page, which change nothing for a browser;
- `form-dup-name` shares names between checkboxes too: a group of checkboxes with one name (Django's
  CheckboxSelectMultiple, the DSFR's checkbox fieldset) is how HTML sends several values.

html-validate is a Node tool pinned in package.json / package-lock.json: `npm ci` installs it (CI does, see
.ci/run). Without node_modules/.bin/html-validate the test is skipped with a message, except in CI.
"""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from betatracker.demo_pages import main_pages
from products.demo import DEMO_ACCOUNTS
from products.models import User

ROOT = Path(__file__).resolve().parent.parent
HTML_VALIDATE = ROOT / "node_modules" / ".bin" / "html-validate"


@pytest.fixture
def html_validate():
    if not HTML_VALIDATE.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must validate the HTML: .ci/run installs html-validate with `npm ci` first.")
        pytest.skip("html-validate is not installed: run `npm ci` (Node 20) to validate the rendered pages.")
    return HTML_VALIDATE


def render_main_pages(folder: Path, language: str) -> list[Path]:
    files = []
    clients = {}
    for name, (path, role) in main_pages().items():
        if role not in clients:
            clients[role] = Client(headers={"accept-language": language})
            clients[role].cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if role is not None:
                clients[role].force_login(User.objects.get(email=DEMO_ACCOUNTS[role][0]))
        response = clients[role].get(path)
        assert response.status_code == 200, f"{name} ({path}) answered {response.status_code}"
        file = folder / f"{name}.{language}.html"
        file.write_bytes(response.content)
        files.append(file)
    return files


@pytest.mark.django_db
def test_main_pages_of_each_role_are_valid_html(html_validate, tmp_path):
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    files = render_main_pages(tmp_path, "fr") + render_main_pages(tmp_path, "en")
    assert len(files) >= 2 * 17
    result = subprocess.run(
        [str(html_validate), "--config", str(ROOT / ".htmlvalidate.json"), "--formatter", "text", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"html-validate found errors:\n{result.stdout}{result.stderr}"
