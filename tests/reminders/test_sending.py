"""Sending: once per reminder, not to those who turned it off, in each person's language, with the link."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from reminders import tasks
from reminders.enums import ReminderKind
from reminders.models import Notification, ReminderOptOut, SentReminder
from reminders.services import reminders_send
from tests.committees.factories import ConditionFactory, DecisionFactory, closed_review, planned_review

from .conftest import TODAY, days

pytestmark = pytest.mark.django_db


def _overdue_condition(startup):
    decision = DecisionFactory(review=closed_review(startup, days(-60)))
    return ConditionFactory(decision=decision, due_on=days(-2), text="Recruter une designer.")


def test_a_reminder_is_recorded_notified_and_mailed_once_even_when_the_job_runs_again(team):
    _overdue_condition(team["startup"])
    first = reminders_send(today=TODAY)
    assert len(first) == 3  # the condition to the coach and the intrapreneur, the digest to the coach
    assert sorted(m.to[0] for m in mail.outbox) == ["coach@example.org", "coach@example.org", "intra@example.org"]
    assert SentReminder.objects.count() == Notification.objects.count() == 3

    assert reminders_send(today=TODAY) == []
    assert reminders_send(today=days(1)) == []  # the next day: the same condition, the same week
    assert len(mail.outbox) == 3


def test_a_committee_is_announced_at_45_then_again_at_30_days(team):
    planned_review(team["startup"], days(40))
    assert {o.due.kind for o in reminders_send(today=TODAY)} == {ReminderKind.COMMITTEE_45}
    assert reminders_send(today=days(5)) == []
    assert {o.due.kind for o in reminders_send(today=days(10))} == {ReminderKind.COMMITTEE_30}
    assert reminders_send(today=days(11)) == []


def test_a_person_who_turned_a_kind_off_gets_neither_mail_nor_notification_of_it(team):
    _overdue_condition(team["startup"])
    ReminderOptOut.objects.create(user=team["intrapreneur"], kind=ReminderKind.CONDITION_OVERDUE)
    ReminderOptOut.objects.create(user=team["coach"], kind=ReminderKind.DIGEST)
    sent = reminders_send(today=TODAY)
    assert [(o.due.kind, o.recipient.email) for o in sent] == [(ReminderKind.CONDITION_OVERDUE, "coach@example.org")]
    assert not Notification.objects.filter(user=team["intrapreneur"]).exists()


def test_each_mail_is_in_its_recipient_language_with_the_absolute_link(team):
    condition = _overdue_condition(team["startup"])
    team["intrapreneur"].language = "en"
    team["intrapreneur"].save()
    ReminderOptOut.objects.create(user=team["coach"], kind=ReminderKind.DIGEST)
    reminders_send(today=TODAY)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    french, english = by_recipient["coach@example.org"], by_recipient["intra@example.org"]
    link = f"https://betatracker.example.org/comites/decisions/{condition.decision_id}/"

    assert french.subject == "[Betatracker] Répit Aidants : condition échue depuis le 1 mars 2025"
    assert "Bonjour Camille," in french.body
    assert "devait être levée le 1 mars 2025 : « Recruter une designer. »" in french.body
    assert link in french.body
    assert english.subject == "[Betatracker] Répit Aidants: condition overdue since March 1, 2025"
    assert "Hello Inès," in english.body
    assert "Recruter une designer." in english.body
    assert link in english.body
    assert "https://betatracker.example.org/profil/" in english.body


def test_the_digest_lists_the_coach_startups_and_their_alerts(team):
    _overdue_condition(team["startup"])
    ReminderOptOut.objects.create(user=team["coach"], kind=ReminderKind.CONDITION_OVERDUE)
    reminders_send(today=TODAY)
    [digest] = [m for m in mail.outbox if m.to == ["coach@example.org"]]
    assert digest.subject == "[Betatracker] Vos startups à surveiller cette semaine : 1 startup"
    assert "- Répit Aidants : Condition échue" in digest.body
    assert "https://betatracker.example.org/tableau-de-bord/?vue=mes&surveiller=on" in digest.body


def test_the_scheduled_task_sends_the_reminders_due_today(team):
    _overdue_condition(team["startup"])
    result = tasks.send_reminders.enqueue()
    assert result.return_value == 3
    assert len(mail.outbox) == 3


# --- The command ---------------------------------------------------------------------------------
def _command(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_each_reminder_and_sends_nothing(team):
    _overdue_condition(team["startup"])
    assert _command("--dry-run", "--date", "2025-03-03").splitlines() == [
        "condition_overdue | Répit Aidants | coach@example.org",
        "condition_overdue | Répit Aidants | intra@example.org",
        "digest | — | coach@example.org",
        "3 rappels à envoyer (simulation, rien n'est envoyé).",
    ]
    assert mail.outbox == []
    assert not SentReminder.objects.exists()


def test_run_twice_the_command_sends_nothing_the_second_time(team):
    _overdue_condition(team["startup"])
    assert _command().splitlines()[-1] == "3 rappels envoyés."
    assert _command().splitlines() == ["0 rappel envoyé."]  # French: 0 takes the singular
    assert len(mail.outbox) == 3


def test_the_command_refuses_an_unreadable_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Date illisible"):
        _command("--date", "03/03/2025")
