"""Health check, request ids and JSON logs."""

import io
import json
import logging

import pytest
from django.db import OperationalError
from django.urls import reverse

from betatracker.logging import JsonFormatter, RequestIdFilter, request_id_var

pytestmark = pytest.mark.django_db


def test_the_health_check_is_public_and_says_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_every_response_carries_a_request_id_kept_from_the_router_when_it_sends_one(client):
    routed = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="scalingo-4f2a9c")
    fresh = client.get(reverse("healthz"))
    hostile = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="bad id\nwith newline")

    assert routed["X-Request-ID"] == "scalingo-4f2a9c"
    assert len(fresh["X-Request-ID"]) == 32
    assert hostile["X-Request-ID"] != "bad id\nwith newline"


def _json_logger(stream):
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("betatracker.test-json")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


def test_json_logs_are_one_object_per_line_with_time_level_logger_message_and_request_id():
    stream = io.StringIO()
    logger = _json_logger(stream)
    token = request_id_var.set("req-123")
    try:
        logger.info("Décision enregistrée pour %s", "proconnect", extra={"startup": "proconnect"})
    finally:
        request_id_var.reset(token)
    logger.warning("Hors requête\nsur deux lignes")

    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO"
    assert first["logger"] == "betatracker.test-json"
    assert first["message"] == "Décision enregistrée pour proconnect"
    assert first["request_id"] == "req-123"
    assert first["startup"] == "proconnect"
    assert first["time"].endswith("+00:00")
    assert second["message"] == "Hors requête\nsur deux lignes"
    assert "request_id" not in second


def test_json_logs_carry_the_exception_traceback():
    stream = io.StringIO()
    logger = _json_logger(stream)
    try:
        raise ValueError("valeur inattendue")
    except ValueError:
        logger.exception("Échec")

    entry = json.loads(stream.getvalue())
    assert entry["level"] == "ERROR"
    assert "ValueError: valeur inattendue" in entry["exception"]
