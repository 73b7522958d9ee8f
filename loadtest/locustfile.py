"""Locust scenario: coaches browsing the portfolio, intrapreneurs logging interviews.

Reads the plan written by loadtest/prepare.py (LOADTEST_PLAN) and writes every request's end
start time, name and outcome to LOADTEST_LOG (CSV), so that errors can be split by time around the
database restart. Sessions are handed in as cookies: no password hashing skews the figures.
Loopback only: the host must be 127.0.0.1.
"""

import csv
import datetime
import itertools
import json
import os
import random
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, events, task

with open(os.environ["LOADTEST_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
LOG = open(os.environ["LOADTEST_LOG"], "a", newline="", encoding="utf-8")  # noqa: SIM115 — open for the whole run
WRITER = csv.writer(LOG)
COACHES = itertools.cycle([p for p in PLAN["people"] if p["role"] == "coach"])
INTRAPRENEURS = itertools.cycle([p for p in PLAN["people"] if p["role"] == "intrapreneur"])


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to load {host}: loopback only")


@events.request.add_listener
def _log(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    failed = exception is not None or status >= 500 or status == 0
    ended = time.time()
    started = ended - (response_time or 0) / 1000
    error = type(exception).__name__ if exception else ""
    WRITER.writerow([f"{started:.3f}", f"{ended:.3f}", request_type, name, status, int(failed), error])
    LOG.flush()


class _Form(HTMLParser):
    """The fields of the interview form, filled with plausible values."""

    def __init__(self):
        super().__init__()
        self.data, self.select, self.in_form = {}, None, False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post" and "logout" not in a.get("action", ""):
            self.in_form = True
        if not self.in_form or not a.get("name"):
            if tag == "option" and self.select and a.get("value") and self.select not in self.data:
                self.data[self.select] = a["value"]
            return
        name, kind = a["name"], a.get("type", "text")
        if tag == "input" and kind in ("hidden",):
            self.data[name] = a.get("value", "")
        elif tag == "input" and kind == "date":
            self.data[name] = a.get("value") or datetime.date.today().isoformat()
        elif tag == "input" and kind == "number":
            self.data[name] = a.get("value") or "12"
        elif tag == "input" and kind in ("checkbox", "radio"):
            if "checked" in a or name not in self.data:
                self.data[name] = a.get("value", "on")
        elif tag == "input" and kind not in ("submit", "button", "file"):
            self.data[name] = a.get("value") or "Charge"
        elif tag == "textarea":
            self.data[name] = "Entretien saisi pendant le test de charge."
        elif tag == "select":
            self.select = name

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


# Think time between two requests of a user: 0.5 to 2 s, like a person; LOADTEST_WAIT=0 (the step mode's
# default, loadtest/steps.py) sends the next request as soon as the last one answered.
WAIT = constant(float(os.environ["LOADTEST_WAIT"])) if os.environ.get("LOADTEST_WAIT") else between(0.5, 2)


# Several instances of the app (LOADTEST_HOSTS, base URLs separated by spaces): each request goes to one of them
# at random, so that a session, a CSRF token and a form read on one instance are used on another.
HOSTS = os.environ.get("LOADTEST_HOSTS", "").split()


def on_any_instance(path: str) -> str:
    return f"{random.choice(HOSTS)}{path}" if HOSTS else path


class Person(HttpUser):
    abstract = True
    wait_time = WAIT

    def page(self, path, name):
        """A page the person may read: anything but 200 (a redirect to the login page included) fails."""
        url = on_any_instance(path)
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location', '')}")
            return response

    def on_start(self):
        self.person = next(self.queue)
        self.client.headers["Cookie"] = (
            f"{PLAN['session_cookie']}={self.person['session']}; {PLAN['csrf_cookie']}={PLAN['csrf_secret']}"
        )
        self.client.headers["Referer"] = self.host + "/"


class Coach(Person):
    weight = 3
    queue = COACHES

    @task(2)
    def dashboard(self):
        self.page(PLAN["dashboard"], "dashboard")

    @task(3)
    def portfolio(self):
        self.page(f"{PLAN['portfolio']}?page={random.randint(1, 20)}", "portfolio list")

    @task(5)
    def startup_page(self):
        self.page(random.choice(PLAN["startup_paths"]), "startup page")


class Intrapreneur(Person):
    weight = 1
    queue = INTRAPRENEURS

    @task(1)
    def own_startup(self):
        self.page(self.person["startup_path"], "own startup page")

    @task(3)
    def log_interview(self):
        path = self.person["interview_form"]
        page = self.page(path, "interview form")
        form = _Form()
        form.feed(page.text)
        form.data["csrfmiddlewaretoken"] = PLAN["csrf_secret"]
        with self.client.post(
            on_any_instance(path), data=form.data, name="interview POST", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code not in (302, 303):
                r.failure(f"interview not saved: HTTP {r.status_code}")


class Healthz(HttpUser):
    """The machine's ceiling for the step mode: the cheapest route of the app (one `SELECT 1`), through the same
    gunicorn. Named on locust's command line only (scripts/loadtest.sh), never mixed with the people above."""

    wait_time = WAIT

    @task
    def healthz(self):
        with self.client.get("/healthz", name="healthz", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
