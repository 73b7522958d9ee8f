"""Deployment: the Procfile's web command serves the app with the production settings, and the
production settings refuse to start without their secrets."""

import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON_BIN = str(Path(sys.executable).parent)
STARTUP_TIMEOUT = 60  # seconds, an upper bound on a loaded machine, not a speed assertion


def procfile() -> dict[str, str]:
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip():
            entries[name.strip()] = command.strip()
    return entries


def production_env(tmp_path, **extra) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PROCONNECT_"))}
    env.update(
        {
            "PATH": f"{PYTHON_BIN}{os.pathsep}{env.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "betatracker.settings.production",
            "DEBUG": "0",
            "SECRET_KEY": "test-production-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # A database of its own: the test database lives inside the pytest process.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        }
    )
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_procfile_declares_the_web_process_and_migrations_at_release():
    entries = procfile()

    assert entries["web"].startswith("gunicorn betatracker.wsgi ")
    assert "--workers ${WEB_CONCURRENCY:-3}" in entries["web"]
    assert "--worker-class sync" in entries["web"]  # measured: threads bring nothing (docs/deploy.md, § 5)
    assert "--bind 0.0.0.0:$PORT" in entries["web"]
    assert entries["release"] == "python manage.py migrate --noinput"


def test_the_procfile_runs_the_task_worker_and_one_scheduler():
    entries = procfile()

    assert entries["worker"].startswith("python manage.py db_worker ")
    assert entries["clock"] == "python manage.py crontask --no-heartbeat"


def test_the_purge_of_interviews_past_retention_is_scheduled_every_day():
    """Declared in code (django-crontask) and enqueued by the `clock` process: every day, at night."""
    from crontask import scheduler

    from investigations import tasks

    [job] = [job for job in scheduler.get_jobs() if job.name == tasks.purge_interviews.name]
    fields = {field.name: str(field) for field in job.trigger.fields}
    assert (fields["day"], fields["month"], fields["day_of_week"]) == ("*", "*", "*")
    assert 0 <= int(fields["hour"]) < 6 and 0 <= int(fields["minute"]) < 60
    assert job.func == tasks.purge_interviews.enqueue
    assert not (ROOT / "cron.json").exists()


@pytest.fixture(scope="module")
def gunicorn_from_procfile(tmp_path_factory):
    """Starts the Procfile's web command on a free port (one worker) and yields its base URL."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    if shutil.which("gunicorn", path=production_env(tmp_path)["PATH"]) is None:
        pytest.skip("gunicorn is not installed")
    port = free_port()
    env = production_env(tmp_path, PORT=str(port), WEB_CONCURRENCY="1")
    process = subprocess.Popen(
        ["bash", "-c", f"exec {procfile()['web']}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    output = []
    deadline = time.monotonic() + STARTUP_TIMEOUT
    try:
        # Gunicorn logs "Listening at" once its socket is bound; requests then queue until a worker is up.
        while not any("Listening at" in line for line in output):
            if process.poll() is not None or time.monotonic() > deadline:
                output.append(process.stderr.read() if process.poll() is not None else "")
                pytest.skip("gunicorn could not start:\n" + "".join(output))
            ready, _, _ = select.select([process.stderr], [], [], 1)
            if ready:
                output.append(process.stderr.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=STARTUP_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_gunicorn_from_the_procfile_serves_the_health_check_with_debug_off(gunicorn_from_procfile):
    status, headers, body = _get(f"{gunicorn_from_procfile}/healthz")

    assert status == 200
    assert body == '{"status": "ok"}'
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])


def test_under_gunicorn_every_other_page_is_redirected_to_https(gunicorn_from_procfile):
    status, headers, _ = _get(f"{gunicorn_from_procfile}/comptes/login/")

    assert status == 301
    assert headers["Location"].startswith("https://")


def test_under_gunicorn_behind_an_https_router_the_api_answers_json_without_debug_page(gunicorn_from_procfile):
    status, _, body = _get(f"{gunicorn_from_procfile}/api/v1/startups", {"X-Forwarded-Proto": "https"})

    assert status == 401
    assert "Traceback" not in body


def _start_production_settings(env):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
    )


def test_production_settings_start_with_their_secrets(tmp_path):
    result = _start_production_settings(production_env(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without_a_secret_key_or_allowed_hosts(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]

    result = _start_production_settings(env)

    assert result.returncode != 0
    assert f"{missing} must be set in the environment for production" in result.stderr
