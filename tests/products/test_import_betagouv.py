"""`manage.py import_betagouv PATH` on small fictitious copies of the beta.gouv.fr `content/` folder
(tests/products/fixtures/): what it creates, what a second run changes (nothing), how it follows
edits of the files, and how it names the files it cannot understand."""

import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from committees.models import Decision, Review
from committees.sync import EMPTY_COMMITTEE_RATIONALE
from investigations.models import Interview, Investigation
from investigations.sync import investigation_fields
from products.importers.betagouv import (
    PhaseData,
    Rejected,
    identifier,
    markdown_section,
    normalise_phases,
    parse_phases,
)
from products.models import Event, Incubator, Organisation, Phase, Startup, Theme
from products.sections import (
    OBJECTIVES_WORDS,
    PROBLEM_WORDS,
    SOLUTION_WORDS,
    STRATEGY_WORDS,
    markdown_without_sections,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
D = datetime.date


def run_import(path):
    """Run the command; (stdout, stderr). A CommandError (status 1) propagates."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_betagouv", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_import_with_rejections(path):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_betagouv", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), error.value


@pytest.fixture
def content(tmp_path):
    """A writable copy of the good fixture folder."""
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "betagouv", folder)
    return folder


@pytest.fixture
def imported(content):
    run_import(content)
    return content


def edit(content, relative, old, new):
    path = content / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def phases_of(slug):
    return [(p.name, p.start, p.end) for p in Startup.objects.get(slug=slug).ordered_phases()]


def summary_line(out, label):
    """The counts printed for one kind of record: [created, updated, unchanged, deleted, rejected]."""
    line = next(line for line in out.splitlines() if line.startswith(label))
    return [int(n) for n in line[len(label) :].split()]


# --- A first import -----------------------------------------------------------------------------
def test_first_import_creates_every_record_and_prints_the_counts(content):
    out, _err = run_import(content)

    assert Organisation.objects.count() == 3
    assert Incubator.objects.count() == 4
    assert Startup.objects.count() == 6
    assert Phase.objects.count() == 17
    assert Event.objects.count() == 5
    assert summary_line(out, "Startups") == [6, 0, 0, 0, 0]
    assert summary_line(out, "Phases") == [17, 0, 0, 0, 0]
    assert summary_line(out, "Passages en comité") == [3, 0, 0, 0, 0]
    assert "Total : 45 créés, 0 mis à jour, 5 avertissements, 0 conflits" in out
    assert "0 rejetés." in out
    assert "Import terminé." in out


def test_identifiers_are_file_names_without_md_dots_included(imported):
    assert Startup.objects.filter(slug="carnet.de.bord.fictif").exists()
    assert Incubator.objects.filter(slug="atelier.numerique").exists()
    assert Organisation.objects.filter(slug="agence.des.essais").exists()
    # A file without the .md extension keeps its whole name.
    assert Organisation.objects.get(slug="prefecture-imaginaire").name == "Préfecture imaginaire"
    assert identifier(Path("1000.premiers.jours.blues.md")) == "1000.premiers.jours.blues"


def test_organisation_keeps_name_acronym_type_and_ministerial_domain(imported):
    organisation = Organisation.objects.get(slug="ministere-des-exemples")
    assert (organisation.name, organisation.acronym, organisation.type, organisation.ministerial_domain) == (
        "Ministère des Exemples",
        "MDE",
        "administration-centrale",
        "exemples",
    )


def test_incubator_is_owned_by_the_organisation_its_file_names(imported):
    incubator = Incubator.objects.get(slug="fabrique-exemple")
    assert incubator.title == "La Fabrique des Exemples"
    assert incubator.owner.slug == "ministere-des-exemples"
    assert incubator.website == "https://fabrique.exemples.gouv.fr"
    assert Incubator.objects.get(slug="atelier.numerique").owner.slug == "agence.des.essais"


def test_incubator_with_a_missing_or_unknown_owner_is_imported_without_one_with_a_warning(content):
    out, _err = run_import(content)
    assert Incubator.objects.get(slug="incubateur-orphelin").owner is None
    assert Incubator.objects.get(slug="incubateur-egare").owner is None
    assert "_incubators/incubateur-orphelin.md : pas d'organisation porteuse (« owner ») : importé sans" in out
    assert "_incubators/incubateur-egare.md : organisation porteuse inconnue « organisation-disparue »" in out


def test_startup_takes_its_fields_from_the_front_matter(imported):
    startup = Startup.objects.get(slug="carnet.de.bord.fictif")
    assert startup.name == "Carnet de bord fictif"
    assert startup.mission == "Aider les agents à suivre leurs dossiers imaginaires."
    assert startup.contact == "carnet@exemples.gouv.fr"
    assert startup.link == "https://carnet.exemples.gouv.fr"
    assert startup.repository == "https://example.org/carnet"
    assert startup.stats_url == "https://carnet.exemples.gouv.fr/stats"
    assert startup.budget_url == "https://carnet.exemples.gouv.fr/budget"
    assert startup.impact_url == "https://carnet.exemples.gouv.fr/impact"
    assert startup.usertypes == ["agent-public", "particulier"]
    assert sorted(t.name for t in startup.themes.all()) == ["Emploi", "Social"]
    assert startup.incubator.slug == "fabrique-exemple"
    assert [i.slug for i in startup.co_incubators.all()] == ["atelier.numerique"]
    assert sorted(o.slug for o in startup.sponsors.all()) == ["agence.des.essais", "ministere-des-exemples"]


def test_startup_body_is_its_description_and_its_problem_and_solution_sections_are_kept(imported):
    startup = Startup.objects.get(slug="carnet.de.bord.fictif")
    assert startup.description.startswith("## Contexte\n\nLes agents perdent le fil")
    assert startup.description.endswith("Commencer petit.")
    assert startup.problem == "Personne ne sait où en est un dossier.\n\n### Un détail\n\nMême les usagers."
    assert startup.solution == "Un carnet partagé."
    assert Startup.objects.get(slug="ancienne-epoque").problem == ""


def test_quality_and_compliance_keys_are_kept_as_the_file_says_strings_stripped(imported):
    startup = Startup.objects.get(slug="carnet.de.bord.fictif")
    assert startup.techno == ["python", "PostgreSQL"]
    assert startup.stats is True
    assert startup.accessibility_status == "partiellement conforme"
    assert startup.analyse_risques is True
    assert startup.analyse_risques_url == "https://carnet.exemples.gouv.fr/securite"
    assert startup.mon_service_securise is False
    assert startup.dashlord_url == "https://dashlord.exemples.gouv.fr/url/carnet"
    assert startup.fast == {"promotion": 12, "montant": 250000}
    assert (startup.contact_dinum, startup.contact_incubator) == ("prenom.nom", "autre.personne")


def test_absent_quality_keys_stay_unknown_and_an_empty_techno_is_an_empty_list(imported):
    old = Startup.objects.get(slug="ancienne-epoque")
    assert (old.techno, old.accessibility_status, old.analyse_risques) == ([], "non conforme", False)
    assert (old.stats, old.mon_service_securise, old.fast, old.dashlord_url) == (None, None, None, "")
    bare = Startup.objects.get(slug="en-cours")
    assert (bare.techno, bare.stats, bare.analyse_risques, bare.accessibility_status) == ([], None, None, "")


def test_objectives_and_strategy_sections_are_read_from_the_body(imported):
    startup = Startup.objects.get(slug="carnet.de.bord.fictif")
    assert startup.objectives == "Cent dossiers suivis."
    assert startup.strategy == "Commencer petit."
    assert Startup.objects.get(slug="ancienne-epoque").objectives == ""


@pytest.mark.parametrize(
    "fast",
    ["fast: 200000", "fast:\n  promotion: 12", "fast:\n  promotion: douze\n  montant: 1", "fast:\n  - 12\n  - 1"],
)
def test_a_fast_funding_that_is_not_two_integers_is_dropped_with_a_warning(content, fast):
    edit(content, "_startups/en-cours.md", "incubator:", f"{fast}\nincubator:")
    out, _err = run_import(content)
    assert Startup.objects.get(slug="en-cours").fast is None
    assert "_startups/en-cours.md : « fast » doit donner deux nombres entiers" in out


def test_a_yes_no_key_with_another_value_is_dropped_with_a_warning(content):
    edit(content, "_startups/en-cours.md", "incubator:", "mon_service_securise: en cours\nincubator:")
    out, _err = run_import(content)
    assert Startup.objects.get(slug="en-cours").mon_service_securise is None
    assert "« mon_service_securise » doit valoir true ou false, pas « en cours » : ignoré" in out


def test_an_invalid_dashlord_address_is_dropped_with_a_warning(content):
    edit(content, "_startups/en-cours.md", "incubator:", "dashlord_url: pas une adresse\nincubator:")
    out, _err = run_import(content)
    assert Startup.objects.get(slug="en-cours").dashlord_url == ""
    assert "adresse invalide dans « dashlord_url » ignorée : pas une adresse" in out


def test_a_changed_rgaa_status_updates_the_startup(imported):
    edit(imported, "_startups/ancienne-epoque.md", "non conforme", "totalement conforme")
    out, _err = run_import(imported)
    assert summary_line(out, "Startups") == [0, 1, 5, 0, 0]
    assert Startup.objects.get(slug="ancienne-epoque").accessibility_status == "totalement conforme"


def test_legacy_phase_values_are_mapped_to_todays_phases(imported):
    assert [name for name, _start, _end in phases_of("ancienne-epoque")] == [
        "investigation",
        "construction",
        "consolidation",  # success
        "transfere",  # transfer
    ]
    assert phases_of("partenariat-fini") == [
        ("construction", D(2019, 5, 6), D(2020, 5, 4)),
        ("consolidation", D(2020, 5, 4), D(2022, 1, 3)),  # perennisation
        ("alumni", D(2022, 1, 3), None),  # its own phase: "Partenariat terminé"
    ]


def test_phases_without_end_end_where_the_next_one_starts_and_the_last_stays_open(imported):
    assert phases_of("ancienne-epoque") == [
        ("investigation", D(2017, 1, 2), D(2017, 4, 3)),
        ("construction", D(2017, 4, 3), D(2018, 9, 3)),
        ("consolidation", D(2018, 9, 3), D(2020, 1, 6)),
        ("transfere", D(2020, 1, 6), None),
    ]


def test_untidy_phases_are_ordered_cut_where_they_overlap_and_may_last_zero_days(imported):
    assert phases_of("desordre") == [
        ("investigation", D(2022, 6, 1), D(2022, 6, 1)),  # same day as construction, cut: zero days
        ("construction", D(2022, 6, 1), D(2023, 2, 1)),  # ended after acceleration began: cut
        ("acceleration", D(2023, 2, 1), D(2024, 1, 1)),  # no end: ends where the next starts
        ("consolidation", D(2024, 1, 1), D(2024, 1, 1)),  # zero days in the file
        ("transfere", D(2024, 1, 1), None),  # same day, later in the lifecycle: last, open
    ]
    assert Startup.objects.get(slug="desordre").current_phase == "transfere"


def test_each_overlap_cut_is_reported_as_a_warning(content):
    out, _err = run_import(content)
    assert (
        "_startups/desordre.md : la phase « Construction » finissait le 15/03/2023, après le début de "
        "« Accélération » (01/02/2023) : elle est coupée au 01/02/2023"
    ) in out
    assert "_startups/desordre.md : la phase « Investigation » finissait le 01/09/2022" in out
    assert "6 sans fin terminées au début de la suivante, 2 coupées (chevauchement)" in out
    assert "fichiers avec deux phases commençant le même jour : 1" in out


def test_current_phase_is_the_last_phase_after_import(imported):
    current = dict(Startup.objects.values_list("slug", "current_phase"))
    assert current == {
        "abandon-rapide": "abandon-investigation",
        "ancienne-epoque": "transfere",
        "carnet.de.bord.fictif": "construction",
        "desordre": "transfere",
        "en-cours": "investigation",
        "partenariat-fini": "alumni",
    }
    assert Startup.objects.get(slug="carnet.de.bord.fictif").current_phase_start == D(2021, 3, 8)


def test_phase_comment_is_kept(imported):
    assert Phase.objects.get(startup__slug="carnet.de.bord.fictif", name="construction").comment == "Go du comité"


def test_events_are_imported_with_their_kind_date_and_comment(imported):
    events = Event.objects.filter(startup__slug="carnet.de.bord.fictif").order_by("date")
    assert [(e.kind, e.date, e.comment) for e in events] == [
        ("committee", D(2021, 3, 5), "Passage en construction"),
        ("product_launch", D(2021, 6, 1), "Premiers usagers"),
        ("other", D(2021, 7, 1), "Un type d'événement inconnu"),
        ("committee", D(2021, 9, 10), ""),
    ]


def test_an_unknown_event_kind_is_kept_as_other_with_a_warning(content):
    out, _err = run_import(content)
    assert (
        "_startups/carnet.de.bord.fictif.md : type d'événement inconnu « hackathon » (événement n° 4) : "
        "gardé comme « Autre »"
    ) in out
    assert Event.objects.get(startup__slug="carnet.de.bord.fictif", date=D(2021, 7, 1)).kind == "other"


def test_each_committee_event_becomes_a_past_review_with_a_decision_non_renseigne(imported):
    decisions = Decision.objects.select_related("review", "event").order_by("date")
    assert [(d.startup.slug, d.date, d.outcome, d.rationale) for d in decisions] == [
        ("carnet.de.bord.fictif", D(2021, 3, 5), "non_renseigne", "Passage en construction"),
        ("carnet.de.bord.fictif", D(2021, 9, 10), "non_renseigne", EMPTY_COMMITTEE_RATIONALE),
        ("abandon-rapide", D(2023, 3, 10), "non_renseigne", "Investigation non concluante"),
    ]
    for decision in decisions:
        assert decision.review.session is None
        assert decision.review.date == decision.date == decision.event.date
        assert decision.event.kind == "committee"
    assert Review.objects.count() == 3


def test_an_investigation_is_created_for_every_imported_investigation_phase(imported):
    investigations = {
        i.startup.slug: (i.started_on, i.planned_end, i.ended_on, i.status, i.phase.name)
        for i in Investigation.objects.select_related("startup", "phase")
    }
    assert investigations == {
        # Went on to construction.
        "carnet.de.bord.fictif": (D(2021, 1, 4), D(2021, 3, 8), D(2021, 3, 8), "concluante", "investigation"),
        "ancienne-epoque": (D(2017, 1, 2), D(2017, 4, 3), D(2017, 4, 3), "concluante", "investigation"),
        "desordre": (D(2022, 6, 1), D(2022, 6, 1), D(2022, 6, 1), "concluante", "investigation"),
        # Went to abandon-investigation.
        "abandon-rapide": (D(2023, 1, 9), D(2023, 3, 13), D(2023, 3, 13), "non_concluante", "investigation"),
        # Still open: planned end nine weeks after the start.
        "en-cours": (D(2025, 2, 3), D(2025, 4, 7), None, "en_cours", "investigation"),
    }


def test_unknown_sponsor_is_left_out_with_a_warning_and_the_startup_imported(content):
    edit(content, "_startups/en-cours.md", "/organisations/prefecture-imaginaire", "/organisations/inconnue")
    out, _err = run_import(content)
    assert "_startups/en-cours.md : sponsor inconnu « inconnue » : ignoré" in out
    assert not Startup.objects.get(slug="en-cours").sponsors.exists()


# --- Running it again ---------------------------------------------------------------------------
def test_second_run_creates_and_updates_nothing(imported):
    snapshot = {
        "startup history": Startup.history.count(),
        "phase history": Phase.history.count(),
        "decision history": Decision.history.count(),
        "events": sorted(Event.objects.values_list("pk", flat=True)),
        "reviews": sorted(Review.objects.values_list("pk", flat=True)),
        "investigations": sorted(Investigation.objects.values_list("pk", "updated_at")),
        "themes": Theme.objects.count(),
    }

    out, _err = run_import(imported)

    assert "Total : 0 créés, 0 mis à jour" in out
    assert summary_line(out, "Startups") == [0, 0, 6, 0, 0]
    assert summary_line(out, "Phases") == [0, 0, 17, 0, 0]
    assert summary_line(out, "Événements") == [0, 0, 5, 0, 0]
    assert summary_line(out, "Investigations") == [0, 0, 5, 0, 0]
    assert summary_line(out, "Passages en comité") == [0, 0, 3, 0, 0]
    assert snapshot == {
        "startup history": Startup.history.count(),
        "phase history": Phase.history.count(),
        "decision history": Decision.history.count(),
        "events": sorted(Event.objects.values_list("pk", flat=True)),
        "reviews": sorted(Review.objects.values_list("pk", flat=True)),
        "investigations": sorted(Investigation.objects.values_list("pk", "updated_at")),
        "themes": Theme.objects.count(),
    }


# --- Following edits of the files ---------------------------------------------------------------
def test_a_changed_field_updates_that_startup_only(imported):
    edit(imported, "_startups/en-cours.md", "Une investigation qui n'est pas finie.", "Une mission reformulée.")
    out, _err = run_import(imported)
    assert summary_line(out, "Startups") == [0, 1, 5, 0, 0]
    assert Startup.objects.get(slug="en-cours").mission == "Une mission reformulée."


def test_changed_themes_sponsors_and_co_incubators_update_the_startup(imported):
    edit(imported, "_startups/carnet.de.bord.fictif.md", "  - Social\n", "  - Santé\n")
    edit(imported, "_startups/carnet.de.bord.fictif.md", "  - /organisations/agence.des.essais\n", "")
    edit(imported, "_startups/carnet.de.bord.fictif.md", "  - atelier.numerique\n", "")
    out, _err = run_import(imported)
    startup = Startup.objects.get(slug="carnet.de.bord.fictif")
    assert sorted(t.name for t in startup.themes.all()) == ["Emploi", "Santé"]
    assert [o.slug for o in startup.sponsors.all()] == ["ministere-des-exemples"]
    assert not startup.co_incubators.exists()
    assert summary_line(out, "Startups") == [0, 1, 5, 0, 0]
    assert summary_line(out, "Thématiques")[0] == 1


def test_moved_phase_dates_update_the_phases_the_current_phase_and_the_investigation(imported):
    edit(imported, "_startups/carnet.de.bord.fictif.md", "    end: 2021-03-08", "    end: 2021-04-12")
    edit(imported, "_startups/carnet.de.bord.fictif.md", "    start: 2021-03-08", "    start: 2021-04-12")
    out, _err = run_import(imported)
    assert phases_of("carnet.de.bord.fictif") == [
        ("investigation", D(2021, 1, 4), D(2021, 4, 12)),
        ("construction", D(2021, 4, 12), None),
    ]
    assert Startup.objects.get(slug="carnet.de.bord.fictif").current_phase_start == D(2021, 4, 12)
    assert Investigation.objects.get(startup__slug="carnet.de.bord.fictif").ended_on == D(2021, 4, 12)
    assert summary_line(out, "Phases") == [0, 2, 15, 0, 0]
    assert summary_line(out, "Investigations") == [0, 1, 4, 0, 0]


def test_a_phase_removed_from_the_file_is_deleted_and_the_previous_one_reopens(imported):
    edit(imported, "_startups/ancienne-epoque.md", "  - name: transfer\n    start: 2020-01-06\n", "")
    out, _err = run_import(imported)
    assert phases_of("ancienne-epoque")[-1] == ("consolidation", D(2018, 9, 3), None)
    assert Startup.objects.get(slug="ancienne-epoque").current_phase == "consolidation"
    assert summary_line(out, "Phases") == [0, 1, 15, 1, 0]


def test_a_new_phase_in_the_file_closes_the_open_one(imported):
    edit(
        imported,
        "_startups/en-cours.md",
        "    start: 2025-02-03\n",
        "    start: 2025-02-03\n  - name: construction\n    start: 2025-05-05\n",
    )
    run_import(imported)
    assert phases_of("en-cours") == [
        ("investigation", D(2025, 2, 3), D(2025, 5, 5)),
        ("construction", D(2025, 5, 5), None),
    ]
    investigation = Investigation.objects.get(startup__slug="en-cours")
    assert (investigation.status, investigation.ended_on, investigation.planned_end) == (
        "concluante",
        D(2025, 5, 5),
        D(2025, 5, 5),
    )


def test_an_investigation_phase_removed_from_the_file_takes_its_imported_investigation_with_it(imported):
    edit(imported, "_startups/en-cours.md", "name: investigation", "name: construction")
    out, _err = run_import(imported)
    assert not Investigation.objects.filter(startup__slug="en-cours").exists()
    assert summary_line(out, "Investigations") == [0, 0, 4, 1, 0]


def test_an_investigation_with_interviews_is_kept_when_its_phase_leaves_the_file(imported):
    investigation = Investigation.objects.get(startup__slug="en-cours")
    Interview.objects.create(
        investigation=investigation, date=D(2025, 2, 10), intensity=2, retention_until=D(2026, 1, 1)
    )
    edit(imported, "_startups/en-cours.md", "name: investigation", "name: construction")
    out, _err = run_import(imported)
    investigation.refresh_from_db()
    assert investigation.phase is None
    assert investigation.interviews.count() == 1
    assert "_startups/en-cours.md : la phase d'investigation a disparu du fichier ; son investigation" in out


def test_an_event_removed_from_the_file_is_deleted_with_its_past_review(imported):
    edit(
        imported,
        "_startups/abandon-rapide.md",
        "events:\n  - name: committee\n    date: 2023-03-10\n    comment: Investigation non concluante\n",
        "",
    )
    out, _err = run_import(imported)
    assert not Event.objects.filter(startup__slug="abandon-rapide").exists()
    assert not Review.objects.filter(startup__slug="abandon-rapide").exists()
    assert summary_line(out, "Événements") == [0, 0, 4, 1, 0]
    assert summary_line(out, "Passages en comité") == [0, 0, 2, 1, 0]


def test_a_changed_committee_comment_replaces_the_event_and_its_decision(imported):
    edit(imported, "_startups/abandon-rapide.md", "comment: Investigation non concluante", "comment: Arrêt")
    out, _err = run_import(imported)
    decision = Decision.objects.get(startup__slug="abandon-rapide")
    assert (decision.rationale, decision.event.comment) == ("Arrêt", "Arrêt")
    assert Review.objects.filter(startup__slug="abandon-rapide").count() == 1
    assert summary_line(out, "Passages en comité") == [1, 0, 2, 1, 0]


def test_an_outcome_qualified_by_a_person_survives_a_new_import(imported):
    Decision.objects.filter(startup__slug="abandon-rapide").update(outcome="investigation_non_concluante")
    out, _err = run_import(imported)
    assert Decision.objects.get(startup__slug="abandon-rapide").outcome == "investigation_non_concluante"
    assert "Total : 0 créés, 0 mis à jour" in out


# --- Files that cannot be understood ------------------------------------------------------------
BROKEN = FIXTURES / "betagouv_broken"


@pytest.mark.parametrize(
    ("file", "reason"),
    [
        ("_organisations/sans-nom.md", "pas de nom (« name »)"),
        ("_incubators/yaml-casse.md", "YAML invalide : "),
        ("_startups/yaml-invalide.md", "YAML invalide : "),
        ("_startups/sans-en-tete.md", "pas d'en-tête YAML entre deux lignes « --- »"),
        ("_startups/sans-titre.md", "pas de titre (« title »)"),
        ("_startups/phase-inconnue.md", "valeur de phase inconnue « hibernation »"),
        ("_startups/fin-avant-debut.md", "la phase « investigation » finit le 01/02/2024, avant d'avoir commencé"),
        ("_startups/incubateur-inconnu.md", "incubateur inconnu « incubateur-fantome »"),
        ("_startups/phase-en-double.md", "la phase « consolidation » apparaît deux fois (« success » est l'ancien"),
        ("_startups/date-illisible.md", "début de la phase « investigation » : date illisible « bientôt »"),
    ],
)
def test_each_file_that_cannot_be_understood_is_named_on_one_line_with_its_reason(file, reason):
    _out, err, _error = run_import_with_rejections(BROKEN)
    lines = [line for line in err.splitlines() if file in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"Fichier rejeté {file} : ")
    assert reason in lines[0]


def test_bad_yaml_is_reported_with_the_line_where_it_breaks():
    _out, err, _error = run_import_with_rejections(BROKEN)
    assert "Fichier rejeté _incubators/yaml-casse.md : YAML invalide : " in err
    assert "(ligne 2, colonne 6)" in next(line for line in err.splitlines() if "yaml-casse.md" in line)


def test_the_good_files_of_a_folder_with_broken_ones_are_imported(tmp_path):
    out, err, _error = run_import_with_rejections(BROKEN)
    assert list(Startup.objects.values_list("slug", flat=True)) == ["valide"]
    assert Startup.objects.get().current_phase == "investigation"
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["ministere-des-exemples"]
    assert list(Incubator.objects.values_list("slug", flat=True)) == ["fabrique-exemple"]
    assert summary_line(out, "Startups") == [1, 0, 0, 0, 8]
    assert len(err.strip().splitlines()) == 10


def test_the_command_exits_with_status_1_when_a_file_was_rejected():
    _out, _err, error = run_import_with_rejections(BROKEN)
    assert error.returncode == 1
    assert "10 fichiers rejetés" in str(error)


def test_a_startup_refused_halfway_is_not_half_imported(content):
    edit(content, "_startups/en-cours.md", "incubator:", "thematiques:\n  - " + "T" * 151 + "\nincubator:")
    _out, err, _error = run_import_with_rejections(content)
    assert "Fichier rejeté _startups/en-cours.md : valeur refusée : name :" in err
    assert not Startup.objects.filter(slug="en-cours").exists()
    assert not Investigation.objects.filter(phase__startup__slug="en-cours").exists()
    assert Startup.objects.count() == 5


def test_a_file_not_encoded_in_utf8_is_rejected(content):
    (content / "_startups" / "latin1.md").write_bytes(
        "---\ntitle: Éloïse\nincubator: fabrique-exemple\n---\n".encode("latin-1")
    )
    _out, err, _error = run_import_with_rejections(content)
    assert "Fichier rejeté _startups/latin1.md : fichier illisible : il n'est pas encodé en UTF-8" in err
    assert Startup.objects.count() == 6


def test_a_file_whose_name_no_address_can_carry_is_rejected_by_name(content):
    for name in ('guillemet".md', "retour\rchariot.md", "espace fine.md"):
        shutil.copy(content / "_startups" / "en-cours.md", content / "_startups" / name)
    _out, err, _error = run_import_with_rejections(content)
    assert 'Fichier rejeté _startups/guillemet".md : identifiant « guillemet" » invalide' in err
    assert "identifiant « retour\\rchariot » invalide" in err
    assert "Fichier rejeté _startups/espace fine.md : identifiant « espace fine » invalide" in err
    assert Startup.objects.count() == 6


def test_two_files_with_the_same_identifier_are_refused_after_the_first(content):
    shutil.copy(content / "_startups" / "en-cours.md", content / "_startups" / "en-cours")
    _out, err, _error = run_import_with_rejections(content)
    assert "Fichier rejeté _startups/en-cours.md : identifiant « en-cours » déjà pris par en-cours" in err


def test_a_folder_that_is_not_a_content_folder_is_refused_with_a_clear_message(tmp_path):
    (tmp_path / "_startups").mkdir()
    with pytest.raises(CommandError, match="il y manque _organisations/, _incubators/"):
        run_import(tmp_path)
    with pytest.raises(CommandError, match="n'existe pas"):
        run_import(tmp_path / "absent")


# --- The rules, one by one ----------------------------------------------------------------------
def test_normalising_breaks_same_day_ties_in_lifecycle_order():
    result = normalise_phases(
        [
            PhaseData("abandon", D(2024, 5, 1)),
            PhaseData("construction", D(2024, 5, 1)),
            PhaseData("investigation", D(2024, 1, 1)),
        ]
    )
    assert [(p.name, p.start, p.end) for p in result.phases] == [
        ("investigation", D(2024, 1, 1), D(2024, 5, 1)),
        ("construction", D(2024, 5, 1), D(2024, 5, 1)),
        ("abandon", D(2024, 5, 1), None),
    ]
    assert (result.ended_at_next_start, result.cuts, result.same_day) == (2, [], True)


def test_normalising_keeps_a_gap_and_a_closed_last_phase():
    result = normalise_phases(
        [PhaseData("investigation", D(2024, 1, 1), D(2024, 2, 1)), PhaseData("abandon", D(2024, 6, 1), D(2024, 7, 1))]
    )
    assert [(p.start, p.end) for p in result.phases] == [(D(2024, 1, 1), D(2024, 2, 1)), (D(2024, 6, 1), D(2024, 7, 1))]
    assert result.ended_at_next_start == 0


def test_legacy_values_are_read_as_todays_phases():
    phases = parse_phases(
        [
            {"name": "transfer", "start": D(2020, 1, 1)},
            {"name": "perennisation", "start": "2019-01-01"},
            {"name": "alumni", "start": D(2021, 1, 1)},
        ]
    )
    assert [(p.name, p.start) for p in phases] == [
        ("transfere", D(2020, 1, 1)),
        ("consolidation", D(2019, 1, 1)),
        ("alumni", D(2021, 1, 1)),
    ]


def test_a_phase_without_start_is_refused():
    with pytest.raises(Rejected, match="la phase « construction » n'a pas de date de début"):
        parse_phases([{"name": "construction"}])


@pytest.mark.parametrize(
    ("heading", "found"),
    [
        ("## Problème", True),
        ("## Le problème", True),
        ("## Problème visé :", True),
        ("## **Problèmes**", True),
        ("## Problématique", False),
        ("## Quel est le problème ?", False),
    ],
)
def test_the_problem_section_is_found_under_its_usual_headings(heading, found):
    body = f"## Contexte\n\nAvant.\n\n{heading}\n\nLe cœur du sujet.\n\n## Solution\n\nLa réponse."
    assert markdown_section(body, {"problème", "problèmes"}) == ("Le cœur du sujet." if found else "")


@pytest.mark.parametrize(
    ("heading", "found"),
    [
        ("## Objectifs à 6 mois", True),
        ("## 🎯 Objectifs à 6 mois", True),
        ("## **Objectifs**", True),
        ("## Nos objectifs", True),
        ("## Mission, objectif et cible", False),
    ],
)
def test_the_objectives_section_is_found_under_its_usual_headings(heading, found):
    body = f"## Contexte\n\nAvant.\n\n{heading}\n\nCent usagers.\n\n## Stratégie\n\nPas à pas."
    assert markdown_section(body, OBJECTIVES_WORDS) == ("Cent usagers." if found else "")


@pytest.mark.parametrize("heading", ["## Stratégie", "## La stratégie", "## ♟️ Stratégie", "## **Stratégie produit**"])
def test_the_strategy_section_is_found_under_its_usual_headings(heading):
    body = f"## Problème\n\nLe sujet.\n\n{heading}\n\nPas à pas.\n\n## Résultats\n\nAprès."
    assert markdown_section(body, STRATEGY_WORDS) == "Pas à pas."


def test_a_section_nested_in_another_ends_the_outer_one_so_each_text_is_read_once():
    body = (
        "## Problème\n\nLe sujet.\n\n### Détail\n\nUn détail.\n\n### Solution\n\nLa réponse.\n\n"
        "### Stratégie de déploiement\n\nPas à pas.\n\n## Résultats\n\nAprès."
    )
    assert markdown_section(body, PROBLEM_WORDS) == "Le sujet.\n\n### Détail\n\nUn détail."
    assert markdown_section(body, SOLUTION_WORDS) == "La réponse."
    assert markdown_section(body, STRATEGY_WORDS) == "Pas à pas."
    assert markdown_without_sections(body) == "## Résultats\n\nAprès."


def test_a_closed_investigation_with_nothing_after_it_is_suspended():
    investigation = PhaseData("investigation", D(2024, 1, 1), D(2024, 2, 1))
    assert investigation_fields(investigation, [investigation])["status"] == "suspendue"
