"""The invariants of a startup's phases (issue "Foundation", item 3), on SQLite and PostgreSQL:
the database refuses what it can check row by row, model validation refuses overlaps, and every
phase change goes through `phase_advance`."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from products.models import Phase, Startup
from products.services import phase_advance, phase_revert

from .factories import PhaseFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def phase(startup, name, start, end=None):
    """A phase written straight to the database, without model validation."""
    return Phase.objects.create(startup=startup, name=name, start=start, end=end)


# --- The database -------------------------------------------------------------------------------
def test_database_refuses_a_phase_that_ends_before_it_starts():
    startup = StartupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        phase(startup, "investigation", D(2024, 3, 1), D(2024, 2, 29))
    assert not startup.phases.exists()


def test_database_accepts_a_phase_of_zero_days():
    startup = StartupFactory()
    phase(startup, "investigation", D(2024, 3, 1), D(2024, 3, 1))
    assert startup.phases.get().duration_days == 0


def test_database_refuses_the_same_phase_name_twice_on_a_startup():
    startup = StartupFactory()
    phase(startup, "construction", D(2023, 1, 2), D(2023, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        phase(startup, "construction", D(2024, 1, 2), D(2024, 6, 1))
    assert startup.phases.count() == 1


def test_database_refuses_a_second_open_phase_on_a_startup():
    startup = StartupFactory()
    phase(startup, "investigation", D(2023, 1, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        phase(startup, "construction", D(2023, 6, 1))
    assert startup.phases.count() == 1


def test_database_lets_two_startups_each_have_their_open_phase_of_the_same_name():
    phase(StartupFactory(), "investigation", D(2023, 1, 2))
    phase(StartupFactory(), "investigation", D(2023, 1, 2))
    assert Phase.objects.open().filter(name="investigation").count() == 2


# --- Model validation ---------------------------------------------------------------------------
def test_validation_refuses_a_phase_that_ends_before_it_starts():
    candidate = Phase(startup=StartupFactory(), name="investigation", start=D(2024, 3, 1), end=D(2024, 2, 1))
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert "finir avant d'avoir commencé" in str(error.value)


def test_validation_refuses_a_phase_overlapping_another_one():
    startup = StartupFactory()
    phase(startup, "investigation", D(2024, 1, 1), D(2024, 3, 1))
    candidate = Phase(startup=startup, name="construction", start=D(2024, 2, 1), end=D(2024, 6, 1))
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert "chevauche la phase « Investigation (01/01/2024) »" in str(error.value)


def test_validation_refuses_a_phase_starting_inside_an_open_phase():
    startup = StartupFactory()
    phase(startup, "investigation", D(2024, 1, 1))
    candidate = Phase(startup=startup, name="abandon", start=D(2024, 2, 1), end=D(2024, 2, 2))
    with pytest.raises(ValidationError, match="chevauche"):
        candidate.full_clean()


def test_validation_refuses_a_phase_of_zero_days_inside_another_one():
    startup = StartupFactory()
    phase(startup, "investigation", D(2024, 1, 1), D(2024, 3, 1))
    candidate = Phase(startup=startup, name="construction", start=D(2024, 2, 1), end=D(2024, 2, 1))
    with pytest.raises(ValidationError, match="chevauche"):
        candidate.full_clean()


def test_validation_refuses_a_phase_with_a_name_the_startup_already_had():
    startup = StartupFactory()
    phase(startup, "investigation", D(2020, 1, 1), D(2020, 3, 1))
    candidate = Phase(startup=startup, name="investigation", start=D(2024, 1, 1))
    with pytest.raises(ValidationError, match="déjà une phase de ce nom"):
        candidate.full_clean()


def test_validation_refuses_a_second_open_phase():
    startup = StartupFactory()
    phase(startup, "investigation", D(2020, 1, 1))
    # Starting before the open one, so that only the "one open phase" rule can refuse it.
    candidate = Phase(startup=startup, name="abandon", start=D(2019, 1, 1))
    with pytest.raises(ValidationError, match="déjà une phase en cours"):
        candidate.full_clean()


def validation_errors(candidate: Phase) -> dict:
    try:
        candidate.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_validation_accepts_a_phase_starting_the_day_the_previous_one_ends():
    startup = StartupFactory()
    phase(startup, "investigation", D(2024, 1, 1), D(2024, 3, 1))
    candidate = Phase(startup=startup, name="construction", start=D(2024, 3, 1))
    assert validation_errors(candidate) == {}
    candidate.save()
    startup.refresh_current_phase()
    startup.refresh_from_db()
    assert (startup.current_phase, startup.current_phase_start) == ("construction", D(2024, 3, 1))


def test_validation_accepts_a_zero_day_phase_on_the_day_the_next_one_starts():
    startup = StartupFactory()
    phase(startup, "construction", D(2024, 3, 1))
    candidate = Phase(startup=startup, name="investigation", start=D(2024, 3, 1), end=D(2024, 3, 1))
    assert validation_errors(candidate) == {}
    candidate.save()
    assert [(p.name, p.end) for p in startup.ordered_phases()] == [
        ("investigation", D(2024, 3, 1)),
        ("construction", None),
    ]


# --- The current phase --------------------------------------------------------------------------
def test_current_phase_is_the_last_one_by_start_date():
    startup = StartupFactory()
    phase(startup, "construction", D(2022, 6, 1))
    phase(startup, "investigation", D(2022, 1, 3), D(2022, 6, 1))
    startup.refresh_current_phase()
    startup.refresh_from_db()
    assert (startup.current_phase, startup.current_phase_start) == ("construction", D(2022, 6, 1))


def test_current_phase_breaks_a_same_day_tie_in_lifecycle_order():
    startup = StartupFactory()
    phase(startup, "construction", D(2022, 6, 1))
    phase(startup, "investigation", D(2022, 6, 1), D(2022, 6, 1))
    startup.refresh_current_phase()
    assert Startup.objects.in_phase("construction").get() == startup
    assert [p.name for p in startup.ordered_phases()] == ["investigation", "construction"]


# --- phase_advance ------------------------------------------------------------------------------
def test_phase_advance_closes_the_open_phase_and_opens_the_next():
    investigation = PhaseFactory(name="investigation", start=D(2024, 1, 8))
    startup = investigation.startup

    construction = phase_advance(startup=startup, to="construction", on=D(2024, 3, 11))

    investigation.refresh_from_db()
    startup.refresh_from_db()
    assert investigation.end == D(2024, 3, 11)
    assert (construction.name, construction.start, construction.end) == ("construction", D(2024, 3, 11), None)
    assert (startup.current_phase, startup.current_phase_start) == ("construction", D(2024, 3, 11))


def test_phase_advance_opens_the_first_phase_of_a_startup_in_no_phase():
    startup = StartupFactory()
    phase_advance(startup=startup, to="investigation", on=D(2024, 1, 8))
    startup.refresh_from_db()
    assert startup.current_phase == "investigation"
    assert startup.phases.open().get().start == D(2024, 1, 8)


def test_phase_advance_refuses_a_phase_name_the_startup_already_had():
    startup = PhaseFactory(name="investigation", start=D(2023, 1, 2), end=D(2023, 3, 1)).startup
    phase_advance(startup=startup, to="construction", on=D(2023, 3, 1))
    with pytest.raises(ValidationError, match="a déjà eu une phase « Investigation »"):
        phase_advance(startup=startup, to="investigation", on=D(2024, 1, 8))
    startup.refresh_from_db()
    assert startup.current_phase == "construction"
    assert startup.phases.open().get().name == "construction"


def test_phase_advance_refuses_a_date_before_the_start_of_the_open_phase():
    startup = PhaseFactory(name="investigation", start=D(2024, 1, 8)).startup
    with pytest.raises(ValidationError, match="avant le début de la phase en cours \\(08/01/2024\\)"):
        phase_advance(startup=startup, to="construction", on=D(2024, 1, 7))
    assert startup.phases.get().end is None
    startup.refresh_from_db()
    assert startup.current_phase == "investigation"


def test_phase_advance_on_the_day_the_open_phase_began_leaves_it_zero_days_long():
    investigation = PhaseFactory(name="investigation", start=D(2024, 1, 8))
    phase_advance(startup=investigation.startup, to="abandon-investigation", on=D(2024, 1, 8))
    investigation.refresh_from_db()
    assert investigation.end == investigation.start
    investigation.startup.refresh_from_db()
    assert investigation.startup.current_phase == "abandon-investigation"


def test_phase_advance_refuses_a_same_day_phase_that_would_come_before_the_current_one():
    startup = PhaseFactory(name="acceleration", start=D(2024, 1, 8)).startup
    with pytest.raises(ValidationError, match="passerait avant la phase actuelle"):
        phase_advance(startup=startup, to="construction", on=D(2024, 1, 8))
    assert [(p.name, p.end) for p in startup.phases.all()] == [("acceleration", None)]


def test_phase_advance_refuses_an_unknown_phase():
    startup = PhaseFactory(name="investigation").startup
    with pytest.raises(ValidationError, match="Phase inconnue : hibernation"):
        phase_advance(startup=startup, to="hibernation", on=D(2024, 1, 8))
    assert startup.phases.count() == 1


def test_phase_advance_refuses_a_phase_overlapping_a_closed_one_when_none_is_open():
    startup = StartupFactory()
    phase(startup, "investigation", D(2024, 1, 8), D(2024, 3, 1))
    with pytest.raises(ValidationError, match="chevauche"):
        phase_advance(startup=startup, to="construction", on=D(2024, 2, 1))
    assert startup.phases.count() == 1


def test_phase_advance_records_who_changed_the_phase():
    coach = UserFactory()
    startup = PhaseFactory(name="investigation", start=D(2024, 1, 8)).startup
    construction = phase_advance(startup=startup, to="construction", on=D(2024, 3, 11), by=coach)
    assert construction.history.first().history_user == coach


# --- phase_revert -------------------------------------------------------------------------------
def test_phase_revert_deletes_the_phase_and_reopens_the_one_it_closed():
    startup = PhaseFactory(name="construction", start=D(2024, 1, 8)).startup
    abandon = phase_advance(startup=startup, to="abandon", on=D(2024, 6, 3))

    reopened = phase_revert(phase=abandon, by=UserFactory())

    startup.refresh_from_db()
    assert [(p.name, p.end) for p in startup.ordered_phases()] == [("construction", None)]
    assert reopened == startup.phases.get()
    assert (startup.current_phase, startup.current_phase_start) == ("construction", D(2024, 1, 8))


def test_phase_revert_refuses_a_phase_the_startup_has_moved_on_from():
    startup = PhaseFactory(name="construction", start=D(2024, 1, 8)).startup
    acceleration = phase_advance(startup=startup, to="acceleration", on=D(2024, 6, 3))
    phase_advance(startup=startup, to="consolidation", on=D(2025, 6, 2))
    with pytest.raises(ValidationError, match="n'est plus la phase en cours"):
        phase_revert(phase=acceleration)
    assert startup.phases.count() == 3
