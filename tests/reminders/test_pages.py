"""The notifications page (one's own only), the header's unread count, and the profile's reminder settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reminders.enums import ReminderKind
from reminders.models import Notification, ReminderOptOut, SentReminder
from tests.committees.utils import page_text
from tests.products.factories import StartupFactory, UserFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db

URL = "/notifications/"


def notify(user, startup_name="Répit Aidants", day=TODAY):
    reminder = SentReminder.objects.create(
        kind=ReminderKind.STALE,
        startup=StartupFactory(name=startup_name),
        recipient=user,
        about_date=day,
        params={"date": "2024-01-15"},
        path="/startups/x/",
    )
    return Notification.objects.create(reminder=reminder, user=user)


def test_the_notifications_page_lists_only_the_person_own_notifications(client):
    me, other = UserFactory(), UserFactory()
    notify(me, "Cantine Claire")
    notify(other, "Secret Défense")
    client.force_login(me)
    page = page_text(client.get(URL))
    assert "Cantine Claire : rien de nouveau depuis un an" in page
    assert "Dernière activité le 15 janvier 2024" in page
    assert "Secret Défense" not in page


def test_a_person_cannot_mark_read_a_notification_of_someone_else(client):
    theirs = notify(UserFactory())
    client.force_login(UserFactory())
    assert client.post(reverse("reminders:notification_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_one_then_all(client):
    me = UserFactory()
    first, second = notify(me), notify(me)
    client.force_login(me)
    assert "Notifications (2 non lues)" in page_text(client.get(URL))
    client.post(reverse("reminders:notification_read", args=[first.pk]))
    assert "Notifications (1 non lue)" in page_text(client.get(URL))
    client.post(reverse("reminders:notification_read_all"))
    second.refresh_from_db()
    assert second.read_at is not None
    page = page_text(client.get(URL))
    assert "non lue" not in page


def test_the_notifications_page_needs_a_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_header_counts_unread_notifications_in_one_query_and_the_page_in_a_fixed_number(client):
    me = UserFactory()
    client.force_login(me)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return [q["sql"] for q in captured]

    notify(me)
    one = queries()
    for _ in range(20):
        notify(me)
    many = queries()
    assert len(one) == len(many)
    # The list, and the header's COUNT.
    assert len([sql for sql in many if "reminders_notification" in sql]) == 2


def test_the_profile_turns_kinds_off_and_sets_the_mail_language(client):
    me = UserFactory()
    client.force_login(me)
    page = page_text(client.get(reverse("profile")))
    assert "Condition échue" in page and "Langue des courriels" in page
    kept = [kind for kind in ReminderKind.values if kind not in ("digest", "stale")]
    response = client.post(reverse("reminders:preferences"), {"language": "en", "kinds": kept}, follow=True)
    assert "Vos préférences de rappels sont enregistrées." in page_text(response)
    me.refresh_from_db()
    assert me.language == "en"
    assert set(ReminderOptOut.objects.filter(user=me).values_list("kind", flat=True)) == {"digest", "stale"}
    # Turned back on.
    client.post(reverse("reminders:preferences"), {"language": "fr", "kinds": ReminderKind.values})
    assert not ReminderOptOut.objects.filter(user=me).exists()


def test_the_profile_refuses_an_unknown_language(client):
    me = UserFactory()
    client.force_login(me)
    response = client.post(reverse("reminders:preferences"), {"language": "de"}, follow=True)
    assert "n'ont pas pu être enregistrées" in page_text(response)
    me.refresh_from_db()
    assert me.language == "fr"
    assert not ReminderOptOut.objects.filter(user=me).exists()
