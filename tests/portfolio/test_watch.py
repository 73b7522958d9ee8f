"""The « à surveiller » flags (portfolio.watch) follow every write, and the day."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from investigations.services import investigation_conclude
from portfolio import watch
from portfolio.models import WatchFlags
from tests.investigations.factories import InvestigationFactory
from tests.products.factories import PhaseFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
HOME = reverse("dashboard:home")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        yield traveller


def watched_names(client) -> list[str]:
    page = client.get(HOME, {"vue": "reseau", "surveiller": "1"}).content.decode()
    return [name for name in ("Suivie", "Tranquille") if f">{name}</a>" in page]


@pytest.fixture
def coach(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_the_flags_follow_a_write_without_waiting_for_the_night(coach):
    late = StartupFactory(name="Suivie")
    PhaseFactory(startup=late, name="investigation", start=TODAY - datetime.timedelta(days=90))
    investigation = InvestigationFactory(
        startup=late, started_on=TODAY - datetime.timedelta(days=90), planned_end=TODAY - datetime.timedelta(days=20)
    )
    calm = StartupFactory(name="Tranquille")
    PhaseFactory(startup=calm, name="construction", start=TODAY - datetime.timedelta(days=10))

    assert watched_names(coach) == ["Suivie"]
    assert watch.codes_of(late.pk, TODAY)[0] == "investigation_overdue"

    # Concluded: the startup leaves the list at once, no nightly run needed.
    investigation_conclude(investigation=investigation, conclusive=True, note="Fin")
    assert "investigation_overdue" not in watch.codes_of(late.pk, TODAY)
    assert "Suivie" not in watched_names(coach)


def test_the_writes_of_a_transaction_are_evaluated_once_when_read_not_at_each_row(monkeypatch):
    startup = StartupFactory(name="Suivie")
    watch.ensure_fresh(TODAY)
    evaluated = []
    monkeypatch.setattr(watch, "refresh", lambda today, startups=None: evaluated.append(set(startups or ())) or 0)
    for i in range(3):  # the startup written three times in this transaction: marked, not evaluated
        startup.mission = f"Mission {i}"
        startup.save()
    assert evaluated == []
    watch.codes_of(startup.pk, TODAY)  # the flags read in the same transaction: evaluated first, once
    assert evaluated == [{startup.pk}]
    watch.codes_of(startup.pk, TODAY)
    assert evaluated == [{startup.pk}]


def test_a_write_outside_any_transaction_is_evaluated_at_once(monkeypatch):
    startup = StartupFactory(name="Suivie")
    watch.ensure_fresh(TODAY)
    evaluated = []
    monkeypatch.setattr(watch, "refresh", lambda today, startups=None: evaluated.append(set(startups or ())) or 0)
    monkeypatch.setattr(watch.transaction, "get_connection", lambda: type("C", (), {"in_atomic_block": False}))
    watch.startups_changed({startup.pk}, set())  # what core.versions calls once the transaction has committed
    assert evaluated == [{startup.pk}]


def test_a_new_day_evaluates_every_startup_again(coach, frozen_clock):
    startup = StartupFactory(name="Suivie")
    PhaseFactory(startup=startup, name="investigation", start=TODAY - datetime.timedelta(days=10))
    InvestigationFactory(startup=startup, started_on=TODAY - datetime.timedelta(days=10), planned_end=TODAY)
    assert watched_names(coach) == []  # ends today: not late yet

    frozen_clock.move_to(datetime.datetime(2026, 6, 16, 10, 0, tzinfo=datetime.UTC))
    coach.force_login(UserFactory(is_superuser=True))  # the next morning: signed in again
    assert watched_names(coach) == ["Suivie"]
    assert WatchFlags.objects.get(startup=startup).day == datetime.date(2026, 6, 16)


def test_refresh_stores_one_row_per_startup_and_forgets_deleted_ones():
    kept, gone = StartupFactory(), StartupFactory()
    assert watch.refresh(TODAY) == 2
    gone.delete()
    assert watch.refresh(TODAY) == 1
    assert list(WatchFlags.objects.values_list("startup_id", flat=True)) == [kept.pk]


def test_a_change_concerning_every_startup_makes_the_next_read_evaluate_them_all():
    StartupFactory()
    watch.ensure_fresh(TODAY)
    assert cache.get(watch.FRESH_KEY) == TODAY.isoformat()
    from tests.products.factories import IncubatorFactory

    IncubatorFactory()
    assert cache.get(watch.FRESH_KEY) is None


def test_the_flags_are_refreshed_every_night_by_the_scheduler():
    from crontask import scheduler

    from portfolio import tasks

    [job] = [job for job in scheduler.get_jobs() if job.name == tasks.refresh_watch_flags.name]
    fields = {field.name: str(field) for field in job.trigger.fields}
    assert (fields["day"], fields["hour"], fields["minute"]) == ("*", "0", "5")
    StartupFactory()
    tasks.refresh_watch_flags.call()
    assert cache.get(watch.FRESH_KEY) == TODAY.isoformat()
    assert WatchFlags.objects.count() == 1
