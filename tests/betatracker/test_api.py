"""Read API: authentication, startups, decisions, permissions, errors, constant query counts."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from betatracker.models import ApiToken
from betatracker.services import api_token_revoke
from committees.enums import Outcome
from committees.services import post_mortem_record, post_mortem_transfer_record
from investigations.enums import RitualKind
from investigations.services import ritual_record
from products.enums import MembershipRole, PhaseName
from tests.committees.factories import ConditionFactory, DecisionFactory, ReviewFactory
from tests.investigations.factories import HypothesisFactory, InterviewFactory, InvestigationFactory, TargetGroupFactory
from tests.products.factories import (
    EventFactory,
    IncubatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    StartupFactory,
    UserFactory,
)

from .factories import api_token_for

pytestmark = pytest.mark.django_db

STARTUPS = reverse("api:startup_list")
DECISIONS = reverse("api:decision_list")


def detail_url(slug):
    return reverse("api:startup_detail", kwargs={"slug": slug})


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def token():
    """A plain signed-in person's token (no role on any startup)."""
    return api_token_for()[1]


@pytest.fixture
def portfolio():
    """Two incubators; a dotted-slug startup of the first, co-incubated by the second."""
    fabrique = IncubatorFactory(slug="fabrique-numerique", title="Fabrique numérique")
    dinum = IncubatorFactory(slug="dinum", title="Incubateur de la DINUM")
    dotted = StartupFactory(
        slug="1000.premiers.jours",
        name="1000 premiers jours",
        incubator=fabrique,
        techno=["react"],
        accessibility_status="partiellement conforme",
        analyse_risques=True,
        stats=False,
        fast={"promotion": 14, "montant": 300000},
        objectives="Mille familles accompagnées.",
        strategy="Passer par les maternités.",
        analyse_risques_url="https://exemple.gouv.fr/analyse",
        contact_dinum="prenom.nom",
    )
    dotted.co_incubators.add(dinum)
    dotted.sponsors.add(OrganisationFactory(slug="sgmas"), OrganisationFactory(slug="cnaf"))
    PhaseFactory(startup=dotted, name="investigation", start=datetime.date(2023, 1, 2), end=datetime.date(2023, 4, 3))
    PhaseFactory(startup=dotted, name="construction", start=datetime.date(2023, 4, 3))
    EventFactory(startup=dotted, kind="committee", date=datetime.date(2023, 4, 3), comment="GO")
    other = StartupFactory(slug="autre-service", name="Autre service", incubator=dinum)
    PhaseFactory(startup=other, name="investigation", start=datetime.date(2024, 2, 1))
    return {"fabrique": fabrique, "dinum": dinum, "dotted": dotted, "other": other}


# --- Authentication -----------------------------------------------------------------------------
def test_a_request_without_token_gets_401_json_not_the_login_page(client):
    response = client.get(STARTUPS)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"] == "unauthorized"


def test_an_unknown_token_gets_401(client):
    response = client.get(STARTUPS, **bearer("bt_not-a-real-token"))

    assert response.status_code == 401
    assert response.json()["message"] == "Jeton d'API inconnu, expiré ou révoqué."


def test_a_revoked_token_gets_401(client):
    token, raw = api_token_for()
    assert client.get(STARTUPS, **bearer(raw)).status_code == 200

    api_token_revoke(token=token, by=token.user)

    assert client.get(STARTUPS, **bearer(raw)).status_code == 401


def test_a_token_of_a_deactivated_account_gets_401(client):
    user = UserFactory(is_active=False)
    _, raw = api_token_for(user)

    assert client.get(STARTUPS, **bearer(raw)).status_code == 401


def test_an_authorization_header_of_another_scheme_gets_401_with_an_explanation(client):
    response = client.get(STARTUPS, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    assert response.status_code == 401
    assert "Bearer <jeton>" in response.json()["message"]


def test_only_the_hash_of_a_token_is_stored_and_its_use_is_recorded(client):
    token, raw = api_token_for()

    client.get(STARTUPS, **bearer(raw))

    token.refresh_from_db()
    assert raw not in {token.token_hash, token.prefix, token.name}
    assert len(token.token_hash) == 64
    assert token.last_used_at is not None


def test_a_signed_in_browser_session_reads_the_api_without_token(client):
    client.force_login(UserFactory())

    assert client.get(STARTUPS).status_code == 200


def test_the_api_is_read_only(client, token):
    response = client.post(STARTUPS, **bearer(token))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "lecture seule" in response.json()["message"]


def test_a_head_request_is_answered_as_a_get(client, token):
    response = client.head(STARTUPS, **bearer(token))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.content == b""


def test_an_unknown_api_address_gets_a_json_404(client, token):
    response = client.get("/api/v1/nothing/here", **bearer(token))

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


# --- Startups -----------------------------------------------------------------------------------
def test_startups_carry_the_export_portfolio_fields(client, token, portfolio):
    response = client.get(STARTUPS, **bearer(token))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None and body["previous"] is None
    assert [s["slug"] for s in body["results"]] == ["1000.premiers.jours", "autre-service"]
    assert body["results"][0] == {
        "slug": "1000.premiers.jours",
        "name": "1000 premiers jours",
        "incubator": "fabrique-numerique",
        "incubators": ["fabrique-numerique", "dinum"],
        "sponsors": ["cnaf", "sgmas"],
        "current_phase": "construction",
        "phases": [
            {"name": "investigation", "start": "2023-01-02", "end": "2023-04-03"},
            {"name": "construction", "start": "2023-04-03", "end": None},
        ],
        "techno": ["react"],
        "accessibility_status": "partiellement conforme",
        "analyse_risques": True,
        "mon_service_securise": None,
        "dashlord_url": None,
        "stats": False,
        "fast": {"promotion": 14, "montant": 300000},
    }
    assert body["results"][1]["techno"] == []
    assert body["results"][1]["accessibility_status"] is None


def test_startups_filter_by_current_phase(client, token, portfolio):
    body = client.get(STARTUPS, {"phase": "investigation"}, **bearer(token)).json()

    assert [s["slug"] for s in body["results"]] == ["autre-service"]


def test_an_unknown_phase_is_a_400_naming_it(client, token, portfolio):
    response = client.get(STARTUPS, {"phase": "lancement"}, **bearer(token))

    assert response.status_code == 400
    assert "Phase inconnue : « lancement »" in response.json()["message"]


def test_startups_filter_by_incubator_including_co_incubated_ones(client, token, portfolio):
    dinum = client.get(STARTUPS, {"incubator": "dinum"}, **bearer(token)).json()
    fabrique = client.get(STARTUPS, {"incubator": "fabrique-numerique"}, **bearer(token)).json()
    unknown = client.get(STARTUPS, {"incubator": "nulle-part"}, **bearer(token)).json()

    assert [s["slug"] for s in dinum["results"]] == ["1000.premiers.jours", "autre-service"]
    assert [s["slug"] for s in fabrique["results"]] == ["1000.premiers.jours"]
    assert unknown == {"count": 0, "next": None, "previous": None, "results": []}


def test_startups_are_paginated_with_links_keeping_the_filters(client, token):
    incubator = IncubatorFactory(slug="pole")
    for n in range(5):
        StartupFactory(slug=f"s{n}", incubator=incubator)

    first = client.get(STARTUPS, {"incubator": "pole", "page_size": 2}, **bearer(token)).json()
    last = client.get(STARTUPS, {"incubator": "pole", "page_size": 2, "page": 3}, **bearer(token)).json()

    assert first["count"] == 5
    assert [s["slug"] for s in first["results"]] == ["s0", "s1"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/startups?incubator=pole&page=2&page_size=2"
    assert [s["slug"] for s in last["results"]] == ["s4"]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/startups?incubator=pole&page=2&page_size=2"


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"page_size": "101"}, 400, "« page_size » doit être un entier entre 1 et 100"),
        ({"page_size": "0"}, 400, "« page_size » doit être un entier entre 1 et 100"),
        ({"page": "deux"}, 400, "« page » doit être un entier supérieur ou égal à 1"),
        ({"page": "-1"}, 400, "« page » doit être un entier supérieur ou égal à 1"),
        # What int() or pydantic would read as 1, but is not written 1.
        ({"page": "+1"}, 400, "« page » doit être un entier supérieur ou égal à 1"),
        ({"page": "1.0"}, 400, "« page » doit être un entier supérieur ou égal à 1"),
        ({"page": "\u0661"}, 400, "« page » doit être un entier supérieur ou égal à 1"),
        ({"page_size": ""}, 400, "« page_size » doit être un entier entre 1 et 100"),
        ({"page": "99999999999999999999999"}, 404, "n'existe pas"),
        ({"phases": "construction"}, 400, "Paramètre inconnu : phases"),
    ],
)
def test_bad_query_parameters_get_a_json_error_naming_them(client, token, portfolio, params, status, fragment):
    response = client.get(STARTUPS, params, **bearer(token))

    assert response.status_code == status
    assert fragment in response.json()["message"]


def test_a_parameter_given_twice_is_refused(client, token):
    response = client.get(f"{STARTUPS}?phase=construction&phase=acceleration", **bearer(token))

    assert response.status_code == 400
    assert "ne peut être donné qu'une fois" in response.json()["message"]


def _many_startups(count):
    incubator, co_incubator = IncubatorFactory(), IncubatorFactory()
    sponsor = OrganisationFactory()
    for _ in range(count):
        startup = StartupFactory(incubator=incubator)
        startup.co_incubators.add(co_incubator)
        startup.sponsors.add(sponsor)
        PhaseFactory(startup=startup, name="investigation", start=datetime.date(2024, 1, 1))


def _count_queries(client, url, headers, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return len(queries)


def test_the_startup_list_makes_the_same_number_of_queries_for_one_or_many_startups(client, token):
    _many_startups(1)
    one = _count_queries(client, STARTUPS, bearer(token))
    _many_startups(30)
    many = _count_queries(client, STARTUPS, bearer(token))

    assert one == many


def test_a_startup_with_a_dotted_slug_shows_its_phases_and_events(client, token, portfolio):
    response = client.get(detail_url("1000.premiers.jours"), **bearer(token))

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "1000.premiers.jours"
    assert body["current_phase"] == "construction"
    assert [p["name"] for p in body["phases"]] == ["investigation", "construction"]
    assert body["events"] == [{"kind": "committee", "date": "2023-04-03", "comment": "GO"}]
    assert body["mission"] == portfolio["dotted"].mission


def test_a_startup_detail_carries_its_objectives_strategy_and_compliance_links(client, token, portfolio):
    body = client.get(detail_url("1000.premiers.jours"), **bearer(token)).json()

    assert body["objectives"] == "Mille familles accompagnées."
    assert body["strategy"] == "Passer par les maternités."
    assert body["analyse_risques_url"] == "https://exemple.gouv.fr/analyse"
    assert (body["contact_dinum"], body["contact_incubator"]) == ("prenom.nom", "")
    assert body["fast"] == {"promotion": 14, "montant": 300000}


def test_an_unknown_startup_is_a_json_404(client, token):
    response = client.get(detail_url("n.existe.pas"), **bearer(token))

    assert response.status_code == 404
    assert "« n.existe.pas »" in response.json()["message"]


# --- What a token may see ----------------------------------------------------------------------
@pytest.fixture
def coach_and_startups(portfolio):
    """A coach of the Fabrique's startup; the DINUM's startup is someone else's."""
    coach = UserFactory()
    MembershipFactory(user=coach, startup=portfolio["dotted"], role=MembershipRole.COACH)
    for startup in (portfolio["dotted"], portfolio["other"]):
        investigation = InvestigationFactory(startup=startup)
        InterviewFactory(investigation=investigation, intensity=0)
        decision = DecisionFactory(review=ReviewFactory(startup=startup, session__incubator=startup.incubator))
        ConditionFactory(decision=decision)
    return coach, portfolio["dotted"], portfolio["other"]


def test_a_coach_token_sees_the_synthesis_and_decisions_of_its_own_startup(client, coach_and_startups):
    coach, own, _ = coach_and_startups
    _, raw = api_token_for(coach)

    body = client.get(detail_url(own.slug), **bearer(raw)).json()

    assert len(body["investigations"]) == 1
    assert body["investigations"][0]["synthesis"]["interviews"] == 1
    assert len(body["decisions"]) == 1
    assert body["decisions"][0]["startup"] == own.slug


def test_a_coach_token_gets_no_synthesis_nor_decisions_for_another_incubators_startup(client, coach_and_startups):
    coach, _, other = coach_and_startups
    _, raw = api_token_for(coach)

    response = client.get(detail_url(other.slug), **bearer(raw))

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == other.slug
    assert "investigations" not in body
    assert "decisions" not in body


def test_a_token_sees_the_same_decisions_as_its_user(client, coach_and_startups):
    coach, own, _ = coach_and_startups
    _, coach_token = api_token_for(coach)
    _, stranger_token = api_token_for()
    _, admin_token = api_token_for(UserFactory(is_superuser=True))

    def startups_of(raw):
        return [d["startup"] for d in client.get(DECISIONS, **bearer(raw)).json()["results"]]

    assert startups_of(coach_token) == [own.slug]
    assert startups_of(stranger_token) == []
    assert sorted(startups_of(admin_token)) == sorted(["1000.premiers.jours", "autre-service"])


def test_incubator_staff_and_committee_members_read_the_decisions_of_their_startups(client, coach_and_startups):
    _, own, other = coach_and_startups
    staff = UserFactory()
    other.incubator.staff.add(staff)
    member = UserFactory()
    own.reviews.get().session.members.add(member)

    staff_view = client.get(DECISIONS, **bearer(api_token_for(staff)[1])).json()["results"]
    member_view = client.get(DECISIONS, **bearer(api_token_for(member)[1])).json()["results"]

    # The DINUM co-incubates the dotted startup: its staff sees both.
    assert sorted(d["startup"] for d in staff_view) == ["1000.premiers.jours", "autre-service"]
    assert [d["startup"] for d in member_view] == [own.slug]


# --- Synthesis -----------------------------------------------------------------------------------
def test_the_synthesis_counts_interviews_by_intensity_group_tag_and_hypotheses_by_status(client):
    admin = UserFactory(is_superuser=True)
    startup = StartupFactory(slug="proconnect")
    investigation = InvestigationFactory(startup=startup)
    tpe = TargetGroupFactory(investigation=investigation, name="TPE")
    large = TargetGroupFactory(investigation=investigation, name="Grande entreprise (> 500)")
    TargetGroupFactory(investigation=investigation, name="Collectivité")
    for intensity, group, tags in [
        (0, tpe, ["Délais"]),
        (0, tpe, []),
        (1, tpe, ["délais", "Coût"]),
        (2, large, ["Délais"]),
        (2, large, []),
        (3, None, ["Coût"]),
    ]:
        InterviewFactory(investigation=investigation, intensity=intensity, target_group=group, tags=tags)
    HypothesisFactory(investigation=investigation, status="validee")
    HypothesisFactory(investigation=investigation, status="invalidee")
    HypothesisFactory(investigation=investigation, status="invalidee")

    body = client.get(detail_url("proconnect"), **bearer(api_token_for(admin)[1])).json()

    assert body["investigations"][0]["synthesis"] == {
        "interviews": 6,
        "no_problem_share": 0.333,
        "by_intensity": {"0": 2, "1": 1, "2": 2, "3": 1},
        "by_target_group": {
            "(sans groupe cible)": {"interviews": 1, "by_intensity": {"0": 0, "1": 0, "2": 0, "3": 1}},
            "Collectivité": {"interviews": 0, "by_intensity": {"0": 0, "1": 0, "2": 0, "3": 0}},
            "Grande entreprise (> 500)": {"interviews": 2, "by_intensity": {"0": 0, "1": 0, "2": 2, "3": 0}},
            "TPE": {"interviews": 3, "by_intensity": {"0": 2, "1": 1, "2": 0, "3": 0}},
        },
        "tags": {"Délais": 3, "Coût": 2},
        "hypotheses": {"a_tester": 0, "validee": 1, "invalidee": 2},
        "rituals": [],
    }


def test_the_api_never_exposes_raw_interview_notes(client):
    admin = UserFactory(is_superuser=True)
    startup = StartupFactory(slug="notes")
    InterviewFactory(investigation=InvestigationFactory(startup=startup), notes="Propos confidentiels de Mme X")

    content = client.get(detail_url("notes"), **bearer(api_token_for(admin)[1])).content.decode()

    assert "Propos confidentiels" not in content


def test_an_investigation_without_interview_has_a_zero_no_problem_share(client):
    admin = UserFactory(is_superuser=True)
    InvestigationFactory(startup=StartupFactory(slug="vide"))

    body = client.get(detail_url("vide"), **bearer(api_token_for(admin)[1])).json()

    assert body["investigations"][0]["synthesis"]["interviews"] == 0
    assert body["investigations"][0]["synthesis"]["no_problem_share"] == 0.0


def test_the_api_synthesis_of_the_latest_investigation_is_exactly_the_export_synthesis_json(client):
    admin = UserFactory(is_superuser=True)
    startup = StartupFactory(slug="deux-investigations")
    # The earlier one concluded: one investigation in progress at a time.
    investigations = [
        InvestigationFactory(startup=startup, started_on=datetime.date(2024, m, 1), status=status)
        for m, status in ((1, "concluante"), (6, "en_cours"))
    ]
    group = TargetGroupFactory(investigation=investigations[1], name="TPE")
    TargetGroupFactory(investigation=investigations[1], name="Sans entretien")
    for n in range(7):
        InterviewFactory(
            investigation=investigations[n % 2],
            target_group=group if n % 2 == 1 and n < 5 else None,
            intensity=n % 4,
            tags=["Délais", "Coût"][: n % 3],
        )
    HypothesisFactory(investigation=investigations[1], status="validee")
    ritual_record(investigation=investigations[1], kind=RitualKind.LANCEMENT, date=datetime.date(2024, 6, 3))
    out = io.StringIO()
    call_command("export_synthesis", "deux-investigations", stdout=out)

    body = client.get(detail_url("deux-investigations"), **bearer(api_token_for(admin)[1])).json()

    latest = next(i for i in body["investigations"] if i["started_on"] == "2024-06-01")
    assert latest["synthesis"] == json.loads(out.getvalue())
    assert latest["synthesis"]["rituals"] == [{"kind": "lancement", "date": "2024-06-03", "notes": ""}]


# --- Rituals and post-mortems (issue 15, item 8) ------------------------------------------------
def test_the_synthesis_lists_the_rituals_held_by_date_with_their_notes(client):
    admin = UserFactory(is_superuser=True)
    investigation = InvestigationFactory(startup=StartupFactory(slug="rituels"), started_on=datetime.date(2024, 1, 8))
    ritual_record(
        investigation=investigation, kind=RitualKind.RESTITUTION, date=datetime.date(2024, 3, 1), notes="Au sponsor."
    )
    ritual_record(
        investigation=investigation, kind=RitualKind.LANCEMENT, date=datetime.date(2024, 1, 10), notes="Avec la DGFiP."
    )

    body = client.get(detail_url("rituels"), **bearer(api_token_for(admin)[1])).json()

    assert body["investigations"][0]["synthesis"]["rituals"] == [
        {"kind": "lancement", "date": "2024-01-10", "notes": "Avec la DGFiP."},
        {"kind": "restitution", "date": "2024-03-01", "notes": "Au sponsor."},
    ]


POST_MORTEM_TEXTS = {
    "why": "Repris par la DGFiP.",
    "learnt": "Les agents veulent un seul outil.",
    "reused": "Le moteur de règles.",
    "code_and_data": "Dépôt transféré à la DGFiP.",
}


def test_a_transferred_startup_carries_its_post_mortem_without_decision(client):
    admin = UserFactory(is_superuser=True)
    startup = PhaseFactory(name=PhaseName.TRANSFERE, startup__slug="transferee").startup
    post_mortem = post_mortem_transfer_record(startup=startup, **POST_MORTEM_TEXTS)

    body = client.get(detail_url("transferee"), **bearer(api_token_for(admin)[1])).json()

    recorded_at = body["post_mortem"].pop("recorded_at")
    assert body["post_mortem"] == {"kind": "transfert", **POST_MORTEM_TEXTS, "decision_id": None}
    # JSON keeps the milliseconds.
    assert recorded_at[:23] == post_mortem.recorded_at.isoformat()[:23]


def test_a_stopped_startup_carries_the_post_mortem_of_its_stop_decision(client):
    admin = UserFactory(is_superuser=True)
    decision = DecisionFactory(outcome=Outcome.ARRET, review__startup__slug="arretee")
    post_mortem_record(decision=decision, **POST_MORTEM_TEXTS)

    body = client.get(detail_url("arretee"), **bearer(api_token_for(admin)[1])).json()

    assert body["post_mortem"]["decision_id"] == decision.pk
    assert body["post_mortem"]["kind"] == "arret" and body["post_mortem"]["reused"] == "Le moteur de règles."


def test_the_post_mortem_is_null_without_one_and_left_out_for_who_may_not_read_it(client):
    startup = PhaseFactory(name=PhaseName.TRANSFERE, startup__slug="sans-bilan").startup
    admin_body = client.get(detail_url("sans-bilan"), **bearer(api_token_for(UserFactory(is_superuser=True))[1])).json()
    assert admin_body["post_mortem"] is None
    post_mortem_transfer_record(startup=startup, **POST_MORTEM_TEXTS)
    stranger_body = client.get(detail_url("sans-bilan"), **bearer(api_token_for()[1])).json()
    assert "post_mortem" not in stranger_body


# --- Decisions ----------------------------------------------------------------------------------
def test_decisions_carry_the_export_decisions_fields(client):
    admin = UserFactory(is_superuser=True)
    startup = StartupFactory(slug="mon-service")
    review = ReviewFactory(startup=startup, session__kind="fin_investigation", session__date=datetime.date(2024, 3, 4))
    decision = DecisionFactory(
        review=review,
        outcome="poursuite_avec_reserves",
        budget_eur=150000,
        next_committee_on=datetime.date(2024, 9, 4),
    )
    ConditionFactory(decision=decision, text="Recruter un·e développeur·se", due_on=datetime.date(2024, 5, 1))
    investigation = InvestigationFactory(startup=startup)
    interview = InterviewFactory(investigation=investigation)
    decision.cited_interviews.add(interview, InterviewFactory(investigation=investigation))
    imported = DecisionFactory(
        review=ReviewFactory(startup=startup, session=None, date=datetime.date(2019, 5, 2)),
        outcome="non_renseigne",
        budget_eur=None,
        next_committee_on=None,
    )

    results = client.get(DECISIONS, **bearer(api_token_for(admin)[1])).json()["results"]

    assert results == [
        {
            "startup": "mon-service",
            "date": imported.date.isoformat(),
            "session_kind": None,
            "outcome": "non_renseigne",
            "budget_eur": None,
            "next_committee": None,
            "conditions": [],
            "evidence_count": 0,
            "checklist": [],
        },
        {
            "startup": "mon-service",
            "date": "2024-03-04",
            "session_kind": "fin_investigation",
            "outcome": "poursuite_avec_reserves",
            "budget_eur": 150000,
            "next_committee": "2024-09-04",
            "conditions": [{"text": "Recruter un·e développeur·se", "due_on": "2024-05-01", "status": "open"}],
            "evidence_count": 2,
            "checklist": [],
        },
    ]


def test_decisions_since_a_date_include_that_day(client):
    admin = UserFactory(is_superuser=True)
    for day in (datetime.date(2024, 1, 31), datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)):
        DecisionFactory(review=ReviewFactory(session__date=day))

    results = client.get(DECISIONS, {"since": "2024-02-01"}, **bearer(api_token_for(admin)[1])).json()["results"]

    assert [d["date"] for d in results] == ["2024-02-01", "2024-03-01"]


# 1706745600 is 2024-02-01 as a Unix timestamp, which pydantic alone would take for a date.
@pytest.mark.parametrize("since", ["01/02/2024", "2024-02-30", "2024-W05-1", "hier", "1706745600", ""])
def test_a_since_that_is_not_a_date_is_a_400(client, token, since):
    response = client.get(DECISIONS, {"since": since}, **bearer(token))

    assert response.status_code == 400
    assert "« since » doit être une date AAAA-MM-JJ" in response.json()["message"]


def _many_decisions(coach, count):
    startup = StartupFactory()
    MembershipFactory(user=coach, startup=startup, role=MembershipRole.COACH)
    investigation = InvestigationFactory(startup=startup)
    for _ in range(count):
        decision = DecisionFactory(review=ReviewFactory(startup=startup))
        ConditionFactory(decision=decision)
        decision.cited_interviews.add(InterviewFactory(investigation=investigation))


def test_the_decision_list_makes_the_same_number_of_queries_for_one_or_many_decisions(client):
    coach = UserFactory()
    _, raw = api_token_for(coach)
    _many_decisions(coach, 1)
    one = _count_queries(client, DECISIONS, bearer(raw))
    _many_decisions(coach, 25)
    many = _count_queries(client, DECISIONS, bearer(raw))

    assert one == many
    assert client.get(DECISIONS, **bearer(raw)).json()["count"] == 26


def test_the_startup_detail_makes_the_same_number_of_queries_whatever_its_history(client):
    admin = UserFactory(is_superuser=True)
    _, raw = api_token_for(admin)
    small = StartupFactory(slug="petite")
    InterviewFactory(investigation=InvestigationFactory(startup=small))
    DecisionFactory(review=ReviewFactory(startup=small))
    big = StartupFactory(slug="grande")
    for year in (2021, 2022, 2023):
        # One investigation in progress at a time: the earlier ones are concluded.
        status = "en_cours" if year == 2023 else "concluante"
        investigation = InvestigationFactory(startup=big, started_on=datetime.date(year, 1, 4), status=status)
        for n in range(4):
            InterviewFactory(investigation=investigation, intensity=n % 4, tags=[f"tag{n}"])
        HypothesisFactory(investigation=investigation)
        ConditionFactory(decision=DecisionFactory(review=ReviewFactory(startup=big)))

    assert _count_queries(client, detail_url("petite"), bearer(raw)) == _count_queries(
        client, detail_url("grande"), bearer(raw)
    )


def test_tokens_are_listed_in_the_admin_without_their_secret(admin_client):
    token, raw = api_token_for(name="Export hebdomadaire")

    page = admin_client.get(reverse("admin:betatracker_apitoken_changelist")).content.decode()

    assert "Export hebdomadaire" in page
    assert raw not in page
    assert ApiToken.objects.count() == 1


# --- Tokens expire, can be scoped, are revoked with the password (issue 12, item 9) -----------------------
def test_a_token_expires_after_ninety_days(client):
    import time_machine
    from django.utils import timezone

    _token, raw = api_token_for()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=89)):
        assert client.get(STARTUPS, **bearer(raw)).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=90, minutes=1)):
        response = client.get(STARTUPS, **bearer(raw))
    assert response.status_code == 401
    assert "expiré" in response.json()["message"]


def test_a_token_limited_to_one_startup_reads_only_that_one(client, coach_and_startups):
    from betatracker.services import api_token_create

    coach, own, other = coach_and_startups
    MembershipFactory(user=coach, startup=other, role=MembershipRole.COACH)
    _token, raw = api_token_create(user=coach, name="Un seul", startups=[own])
    assert [s["slug"] for s in client.get(STARTUPS, **bearer(raw)).json()["results"]] == [own.slug]
    assert client.get(detail_url(other.slug), **bearer(raw)).status_code == 404
    assert {d["startup"] for d in client.get(DECISIONS, **bearer(raw)).json()["results"]} == {own.slug}
    _token, unscoped = api_token_for(coach)
    assert {d["startup"] for d in client.get(DECISIONS, **bearer(unscoped)).json()["results"]} == {own.slug, other.slug}


def test_a_token_cannot_be_limited_to_a_startup_its_owner_may_not_read(coach_and_startups):
    from django.core.exceptions import ValidationError

    from betatracker.services import api_token_create

    coach, _own, other = coach_and_startups
    with pytest.raises(ValidationError):
        api_token_create(user=coach, name="Trop large", startups=[other])


def test_changing_or_resetting_the_password_or_deactivating_the_account_revokes_the_tokens(client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = UserFactory(email="agent@example.gouv.fr")
    _t, raw = api_token_for(user)
    client.force_login(user)
    new = "Nouveau-mot-de-passe-42"
    data = {"old_password": "motdepasse-de-test", "new_password1": new, "new_password2": new}
    assert client.post(reverse("password_change"), data).status_code == 302
    assert client.get(STARTUPS, **bearer(raw)).status_code == 401

    _t, raw = api_token_for(user)
    user.refresh_from_db()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})
    set_url = client.get(url)["Location"]
    assert client.post(set_url, {"new_password1": new + "x", "new_password2": new + "x"}).status_code == 302
    assert client.get(STARTUPS, **bearer(raw)).status_code == 401

    _t, raw = api_token_for(user)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:products_user_change", args=[user.pk])
    form = {"email": user.email, "full_name": user.full_name, "is_active": "", "date_joined_0": "01/01/2024"}
    form |= {"date_joined_1": "00:00:00", "initial-date_joined_0": "01/01/2024", "initial-date_joined_1": "00:00:00"}
    client.post(change, form)
    user.refresh_from_db()
    assert not user.is_active
    user.is_active = True
    user.save()
    assert client.get(STARTUPS, **bearer(raw)).status_code == 401
