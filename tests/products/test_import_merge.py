"""`import_betagouv` is a merge, never an undo (issue "One lifecycle history…", items 1 and 2): what the app
recorded (a committee decision and the phase it opened, a suspended investigation, an amended decision) survives
a new import of the same files; each disagreement is printed as a `Conflit` line and counted; records that came
from an earlier import still follow the files; running it again changes nothing and names the same conflicts."""

import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from committees import services as committee_services
from committees.enums import Outcome, SessionKind
from committees.models import Decision
from investigations.enums import InvestigationStatus
from investigations.models import Investigation
from investigations.services import investigation_suspend
from products.enums import Source
from products.models import Event, ImportRun, Phase, Startup
from tests.products.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
D = datetime.date

# A second startup in investigation, written into the copy of the fixtures by the tests that need it.
SUSPENDED = """---
title: Suspendue ici
mission: Une investigation que l'équipe suspend dans l'application.
incubator: incubateur-orphelin
phases:
  - name: investigation
    start: 2025-03-03
---
"""


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "betagouv", folder)
    (folder / "_startups" / "suspendue-ici.md").write_text(SUSPENDED, encoding="utf-8")
    return folder


def run_import(path):
    out = io.StringIO()
    call_command("import_betagouv", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def conflicts(out):
    return sorted(line.removeprefix("Conflit ") for line in out.splitlines() if line.startswith("Conflit "))


def summary_line(out, label):
    line = next(line for line in out.splitlines() if line.startswith(label))
    return [int(n) for n in line[len(label) :].split()]


def phases_of(slug):
    return [(p.name, p.start, p.end, p.source) for p in Startup.objects.get(slug=slug).ordered_phases()]


def go_to_construction(slug, on):
    """A committee of the startup's incubator decides "passage en construction" on `on`."""
    startup = Startup.objects.get(slug=slug)
    member = UserFactory()
    session = committee_services.session_create(
        incubator=startup.incubator, date=on, kind=SessionKind.FIN_INVESTIGATION, by=None, members=[member]
    )
    (review,) = committee_services.agenda_set(session=session, items=[(startup, 50)])
    return committee_services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.PASSAGE_EN_CONSTRUCTION,
        by=member,
        rationale="Le problème est avéré.",
    )


@pytest.fixture
def worked_on(content):
    """The files imported, then worked on in the app: a decision opened construction for `en-cours`, the
    investigation of `suspendue-ici` was suspended with its note d'étape."""
    run_import(content)
    decision = go_to_construction("en-cours", D(2025, 6, 2))
    investigation = Investigation.objects.get(startup__slug="suspendue-ici")
    investigation_suspend(
        investigation=investigation, reason="## Note d'étape\nEn attente du sponsor.", on=D(2025, 5, 5)
    )
    return decision


def test_a_new_import_keeps_the_phase_a_decision_opened_and_a_suspended_investigation(content, worked_on):
    out = run_import(content)

    assert phases_of("en-cours") == [
        ("investigation", D(2025, 2, 3), D(2025, 6, 2), Source.APP),
        ("construction", D(2025, 6, 2), None, Source.APP),
    ]
    startup = Startup.objects.get(slug="en-cours")
    assert (startup.current_phase, startup.current_phase_start) == ("construction", D(2025, 6, 2))
    assert Decision.objects.get(pk=worked_on.pk).phase.name == "construction"
    assert Investigation.objects.get(startup=startup).status == InvestigationStatus.CONCLUANTE
    suspended = Investigation.objects.get(startup__slug="suspendue-ici")
    assert suspended.status == InvestigationStatus.SUSPENDUE
    assert suspended.status_note == "## Note d'étape\nEn attente du sponsor."
    assert suspended.ended_on == D(2025, 5, 5)
    assert conflicts(out) == [
        "en-cours : investigation, fin — fichier : « — », application : « 02/06/2025 »",
        "en-cours : investigation, statut — fichier : « En cours », application : « Concluante »",
        "en-cours : phase « Construction » — fichier : « absente », application : « depuis le 02/06/2025 »",
        "en-cours : phase « Investigation », fin — fichier : « — », application : « 02/06/2025 »",
        "suspendue-ici : investigation, fin — fichier : « — », application : « 05/05/2025 »",
        "suspendue-ici : investigation, statut — fichier : « En cours », application : « Suspendue »",
    ]
    assert "6 conflits (l'application garde ses valeurs), 0 rejetés." in out


def test_importing_again_changes_nothing_and_names_the_same_conflicts(content, worked_on):
    first = run_import(content)
    second = run_import(content)

    assert conflicts(second) == conflicts(first)
    assert "Total : 0 créés, 0 mis à jour," in second
    assert summary_line(second, "Phases")[:4] == [0, 0, 17, 0]  # the two phases of the app are not the file's


def test_conflicts_do_not_make_the_import_fail(content, worked_on):
    # call_command raises CommandError (exit status 1) only when a file is rejected.
    out = run_import(content)
    assert "Import terminé." in out


def test_records_of_an_earlier_import_still_follow_the_files(content, worked_on):
    path = content / "_startups" / "abandon-rapide.md"
    path.write_text(path.read_text(encoding="utf-8").replace("start: 2023-01-09", "start: 2023-01-02"), "utf-8")

    out = run_import(content)

    investigation = Phase.objects.get(startup__slug="abandon-rapide", name="investigation")
    assert investigation.start == D(2023, 1, 2)
    assert investigation.source == Source.BETAGOUV
    assert investigation.source_import == ImportRun.objects.order_by("-pk").first()
    assert Investigation.objects.get(startup__slug="abandon-rapide").started_on == D(2023, 1, 2)
    assert not [line for line in conflicts(out) if line.startswith("abandon-rapide")]


def test_a_phase_of_the_file_that_would_overlap_a_phase_of_the_app_is_reported_and_not_written(content, worked_on):
    path = content / "_startups" / "en-cours.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    start: 2025-02-03\n", "    start: 2025-02-03\n  - name: acceleration\n    start: 2025-09-01\n"
        ),
        "utf-8",
    )

    out = run_import(content)

    assert not Phase.objects.filter(startup__slug="en-cours", name="acceleration").exists()
    assert (
        "en-cours : phase « Accélération » — fichier : « depuis le 01/09/2025 », application : "
        "« chevauche la phase « Construction » (depuis le 02/06/2025) »"
    ) in conflicts(out)


def test_an_amended_imported_decision_is_kept_when_its_committee_event_leaves_the_file(content):
    run_import(content)
    decision = Decision.objects.get(startup__slug="abandon-rapide")
    assert decision.is_from_file
    committee_services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=UserFactory(),
        reason="Le compte rendu du comité dit l'arrêt de l'investigation.",
        outcome=Outcome.INVESTIGATION_NON_CONCLUANTE,
    )
    path = content / "_startups" / "abandon-rapide.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  - name: committee\n    date: 2023-03-10\n    comment: Investigation non concluante\n", ""),
        "utf-8",
    )

    out = run_import(content)

    decision.refresh_from_db()
    assert decision.outcome == Outcome.INVESTIGATION_NON_CONCLUANTE
    assert decision.is_from_app and decision.review.is_from_app
    assert Event.objects.get(pk=decision.event_id).source == Source.APP
    assert (
        "abandon-rapide : événement « Passage en comité » du 10/03/2023 — fichier : « absent », application : "
        "« Investigation non concluante »"
    ) in conflicts(out)


def test_the_committee_event_written_back_for_an_app_decision_is_not_a_second_decision(content, worked_on):
    path = content / "_startups" / "en-cours.md"
    events = "events:\n  - name: committee\n    date: 2025-06-02\n    comment: Passage en construction\n"
    path.write_text(path.read_text(encoding="utf-8").replace("phases:\n", events + "phases:\n"), "utf-8")

    first = run_import(content)
    second = run_import(content)

    assert list(Decision.objects.filter(startup__slug="en-cours").values_list("outcome", flat=True)) == [
        Outcome.PASSAGE_EN_CONSTRUCTION
    ]
    assert summary_line(first, "Passages en comité")[0] == 0
    assert conflicts(second) == conflicts(first)


def test_the_startup_page_and_the_timeline_say_where_each_phase_comes_from(client, content, worked_on):
    run_import(content)
    run_date = ImportRun.objects.order_by("pk").first().started_at
    client.force_login(UserFactory())

    page = client.get(reverse("products:startup_detail", kwargs={"slug": "en-cours"})).content.decode()
    timeline = client.get(reverse("dashboard:timeline", kwargs={"slug": "abandon-rapide"})).content.decode()

    assert "ouverte par la décision du comité du 02/06/2025" in page
    assert "close par la décision du comité du 02/06/2025" in page
    imported = (
        f"source : fichier beta.gouv.fr (import du {date_format(timezone.localtime(run_date), 'SHORT_DATE_FORMAT')})"
    )
    assert imported in timeline


PROCONNECT = """---
title: ProConnect
mission: Un fichier fictif au nom d'une startup de la démonstration.
incubator: fabrique-exemple
phases:
  - name: investigation
    start: 2020-06-23
    end: 2020-09-15
  - name: construction
    start: 2022-05-02
  - name: acceleration
    start: 2022-12-01
events:
  - name: committee
    date: 2022-11-28
    comment: Passage en accélération
---
"""


def test_the_demo_survives_two_imports_of_files_that_name_its_startups(content):
    (content / "_startups" / "proconnect.md").write_text(PROCONNECT, encoding="utf-8")
    call_command("demo", stdout=io.StringIO())
    demo_decisions = set(Decision.objects.values_list("pk", "outcome", "rationale"))
    assert demo_decisions

    first = run_import(content)
    second = run_import(content)

    assert demo_decisions <= set(Decision.objects.values_list("pk", "outcome", "rationale"))
    investigation = Investigation.objects.get(startup__slug="proconnect")
    assert investigation.status == InvestigationStatus.SUSPENDUE
    assert investigation.interviews.count() == 54
    assert conflicts(second) == conflicts(first)
    assert "proconnect : phase « Construction », début — fichier : « 02/05/2022 », application : « 01/06/2022 »" in (
        conflicts(first)
    )
    assert [p[:3] for p in phases_of("proconnect")] == [
        ("investigation", D(2020, 6, 23), D(2020, 9, 15)),
        ("construction", D(2022, 6, 1), D(2022, 12, 1)),
        ("acceleration", D(2022, 12, 1), None),
    ]
