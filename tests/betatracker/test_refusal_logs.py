"""Refusals are expected answers: one log line each, no traceback (betatracker/logging.py)."""

import logging
import sys

import pytest
from django.urls import reverse

from betatracker.logging import RefusalWithoutTraceback
from tests.investigations.factories import InsightFactory, committee_member
from tests.products.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_403_logs_exactly_one_line_without_traceback(client, caplog):
    insight = InsightFactory()
    client.force_login(committee_member(insight.investigation.startup))  # reads it, may not edit it
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("investigations:insight_edit", args=[insight.pk]))
    assert response.status_code == 403
    [record] = request_records(caplog)
    assert (
        record.getMessage()
        == f"Forbidden (Permission denied): {reverse('investigations:insight_edit', args=[insight.pk])}"
    )
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_404_logs_exactly_one_line_without_traceback(client, caplog):
    client.force_login(UserFactory())
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("investigations:insight_edit", args=[987654]))
    assert response.status_code == 404
    [record] = request_records(caplog)
    assert record.levelname == "WARNING"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), None)
        record.exc_info = sys.exc_info()
    record.status_code = 500
    assert RefusalWithoutTraceback().filter(record)
    assert record.exc_info is not None
