import io

import pytest
from django.core.management import call_command

from reminders.enums import ReminderKind

pytestmark = pytest.mark.django_db


def test_on_the_demo_the_dry_run_lists_every_kind_and_a_second_real_run_sends_nothing():
    call_command("demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert {line.split(" | ")[0] for line in lines[:-1]} == set(ReminderKind.values)

    first = io.StringIO()
    call_command("send_reminders", stdout=first)
    assert first.getvalue().splitlines()[-1] == f"{len(lines) - 1} rappels envoyés."
    second = io.StringIO()
    call_command("send_reminders", stdout=second)
    assert second.getvalue().splitlines() == ["0 rappel envoyé."]  # French: 0 takes the singular
