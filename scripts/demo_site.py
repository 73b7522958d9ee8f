"""The demo served as in production, for the measuring scripts (scripts/screenshots.py, scripts/lighthouse.py).

A fresh SQLite database in a temporary folder, the demo data (`manage.py demo`), the static files collected
there and served by WhiteNoise (compressed, hashed names), DEBUG off, gunicorn on a free local port. Nothing of
the checkout is touched: the database, the static files and the server go away with the folder.

    with DemoSite() as site:
        site.url("/")                  # http://127.0.0.1:PORT/
        site.cookies("coach", "en")    # the session (and language) cookies of the demo coach
        site.pages()                   # {name: (path, role)}: the main pages of each role

Not a test and not run in CI: the measures depend on the machine.
"""

import contextlib
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DemoSite:
    def __init__(self, *, workers: int = 2):
        self.workers = workers
        self.port = _free_port()
        self._folder = None
        self._server = None

    # --- lifecycle --------------------------------------------------------------------------------
    def __enter__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="betatracker-demo-")
        folder = Path(self._folder.name)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "betatracker.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "STATIC_ROOT": str(folder / "static"),
            "DEBUG": "False",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        os.environ.update(self.env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("demo", stdout=io.StringIO())
        call_command("collectstatic", verbosity=0, interactive=False)
        self._server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "betatracker.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2):
                    break
            except OSError:
                if self._server.poll() is not None or time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError("gunicorn did not start: see its messages above.") from None
                time.sleep(0.3)
        return self

    def __exit__(self, *exc):
        if self._server is not None and self._server.poll() is None:
            self._server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._server.wait(timeout=10)
        if self._folder is not None:
            self._folder.cleanup()

    # --- what the scripts visit ---------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def cookies(self, role: str | None, language: str = "fr") -> dict[str, str]:
        """The cookies of a demo account signed in (no typing: a session made on the server) and of a language."""
        from django.conf import settings
        from django.test import Client

        from products.demo import DEMO_ACCOUNTS
        from products.models import User

        cookies = {settings.LANGUAGE_COOKIE_NAME: language}
        if role is not None:
            client = Client()
            client.force_login(User.objects.get(email=DEMO_ACCOUNTS[role][0]))
            cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return cookies

    def pages(self) -> dict[str, tuple[str, str | None]]:
        """The main pages of each role, each with the demo account that sees it (None: signed out)."""
        from betatracker.demo_pages import main_pages

        return main_pages()
