"""Issue 11, item 4: `check_lifecycle` prints every inconsistency of the startups' lifecycles, one line each, and
exits 1 if there is any. Each kind is produced here by writing the database directly, as a bug or a hand in the
database would."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from committees.enums import Outcome
from committees.lifecycle import lifecycle_problems
from committees.models import Decision
from investigations.enums import InvestigationStatus
from products.models import Phase, Startup
from tests.investigations.factories import InvestigationFactory
from tests.products.factories import PhaseFactory, StartupFactory

from .factories import DecisionFactory, closed_review
from .utils import count_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = datetime.date


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def check_lifecycle() -> tuple[int, list[str]]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_lifecycle", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue().splitlines()
    return 0, out.getvalue().splitlines()


START = D(2024, 1, 8)


def startup_in(phase, slug, start=START):
    startup = StartupFactory(slug=slug)
    PhaseFactory(startup=startup, name=phase, start=start)
    return Startup.objects.get(pk=startup.pk)


def decided(startup, outcome, days=10):
    """A decision of a session closed `days` ago."""
    return DecisionFactory(review=closed_review(startup, days_ago(days)), outcome=outcome)


def test_a_consistent_portfolio_exits_0():
    startup = startup_in("construction", "alpha")
    decided(startup, Outcome.POURSUITE)
    InvestigationFactory(startup=startup_in("investigation", "beta"))
    assert check_lifecycle() == (0, ["Aucune incohérence."])


def test_an_arret_while_the_startup_still_runs_is_reported():
    decided(startup_in("construction", "alpha"), Outcome.ARRET)
    code, lines = check_lifecycle()
    assert code == 1
    assert lines == [
        f"alpha : dernière décision « Arrêt » du {days_ago(10):%d/%m/%Y}, mais la startup est en phase « Construction »"
    ]


def test_a_passage_en_construction_while_still_in_investigation_is_reported():
    decided(startup_in("investigation", "alpha"), Outcome.PASSAGE_EN_CONSTRUCTION)
    assert check_lifecycle() == (
        1,
        [
            f"alpha : dernière décision « Passage en construction » du {days_ago(10):%d/%m/%Y}, "
            "mais la startup est en phase « Investigation »"
        ],
    )


def test_an_investigation_non_concluante_outside_a_terminal_phase_is_reported():
    decided(startup_in("investigation", "alpha"), Outcome.INVESTIGATION_NON_CONCLUANTE)
    code, lines = check_lifecycle()
    assert code == 1
    assert lines == [
        f"alpha : dernière décision « Investigation non concluante » du {days_ago(10):%d/%m/%Y}, "
        "mais la startup est en phase « Investigation »"
    ]


def test_only_the_latest_decision_counts():
    startup = startup_in("construction", "alpha")
    decided(startup, Outcome.ARRET, days=100)
    decided(startup, Outcome.POURSUITE, days=10)
    assert check_lifecycle()[0] == 0


def test_a_current_phase_that_is_not_the_last_phase_is_reported():
    startup_in("construction", "alpha")
    Startup.objects.filter(slug="alpha").update(current_phase="acceleration")
    assert check_lifecycle() == (
        1,
        [
            "alpha : phase actuelle enregistrée « Accélération » depuis le 08/01/2024, "
            "mais la dernière phase est « Construction » depuis le 08/01/2024"
        ],
    )


def test_a_current_phase_start_that_is_not_the_last_phases_is_reported():
    startup_in("construction", "alpha")
    Startup.objects.filter(slug="alpha").update(current_phase_start=D(2024, 2, 1))
    code, lines = check_lifecycle()
    assert code == 1
    assert lines == [
        "alpha : phase actuelle enregistrée « Construction » depuis le 01/02/2024, "
        "mais la dernière phase est « Construction » depuis le 08/01/2024"
    ]


def test_an_investigation_in_progress_outside_its_investigation_phase_is_reported():
    alpha = StartupFactory(slug="alpha")
    phase = PhaseFactory(startup=alpha, name="investigation", start=D(2024, 1, 8), end=D(2024, 3, 1))
    PhaseFactory(startup=alpha, name="construction", start=D(2024, 3, 1))
    InvestigationFactory(startup=alpha, phase=phase, started_on=D(2024, 1, 8))
    InvestigationFactory(startup=startup_in("abandon", "beta"), started_on=D(2024, 3, 4))
    # Not problems: an investigation opened during construction; a suspended one in a stopped startup.
    InvestigationFactory(startup=startup_in("construction", "gamma"), started_on=D(2024, 3, 4))
    InvestigationFactory(startup=startup_in("abandon", "delta"), started_on=D(2024, 3, 4), suspended=True)
    assert check_lifecycle() == (
        1,
        [
            "alpha : investigation en cours (commencée le 08/01/2024) alors que sa phase d'investigation est close "
            "depuis le 01/03/2024",
            "beta : investigation en cours (commencée le 04/03/2024) alors que la startup est en phase « Arrêté »",
        ],
    )


def test_overlapping_phases_are_reported():
    startup = startup_in("construction", "alpha", start=D(2024, 3, 1))
    Phase.objects.create(startup=startup, name="investigation", start=D(2024, 1, 1), end=D(2024, 4, 1))
    code, lines = check_lifecycle()
    assert code == 1
    assert lines == [
        "alpha : phases qui se chevauchent : Investigation du 01/01/2024 au 01/04/2024 et "
        "Construction depuis le 01/03/2024"
    ]


def test_a_decision_changed_in_a_closed_session_without_an_amendment_is_reported():
    decision = decided(startup_in("construction", "alpha"), Outcome.POURSUITE)
    decision.rationale = "Réécrit en douce"
    decision.save()
    assert check_lifecycle() == (
        1,
        [
            f"alpha : décision du {days_ago(10):%d/%m/%Y} d'une séance close modifiée le {TODAY:%d/%m/%Y} "
            "sans amendement"
        ],
    )


def test_a_decision_deleted_from_a_closed_session_is_reported():
    decided(startup_in("construction", "alpha"), Outcome.POURSUITE).delete()
    assert check_lifecycle() == (
        1,
        [
            f"alpha : décision « Poursuite » du {days_ago(10):%d/%m/%Y} supprimée le {TODAY:%d/%m/%Y} "
            "du relevé d'une séance close"
        ],
    )


def test_every_problem_has_its_line_sorted_by_startup():
    decided(startup_in("construction", "zeta"), Outcome.ARRET)
    startup_in("construction", "alpha")
    Startup.objects.filter(slug="alpha").update(current_phase="")
    code, lines = check_lifecycle()
    assert code == 1
    assert [line.split(" : ")[0] for line in lines] == ["alpha", "zeta"]


def test_the_check_makes_the_same_number_of_queries_for_one_startup_or_many():
    def portfolio(n):
        for i in range(n):
            startup = startup_in("construction", f"s{n}-{i}")
            decided(startup, Outcome.ARRET if i % 2 else Outcome.POURSUITE)
            InvestigationFactory(startup=startup, status=InvestigationStatus.CONCLUANTE)
        Decision.objects.first().save()

    portfolio(1)
    one = count_queries(lifecycle_problems)
    portfolio(6)
    assert count_queries(lifecycle_problems) == one
    assert len(lifecycle_problems()) > 3
