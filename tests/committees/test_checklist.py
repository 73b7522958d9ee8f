"""The go / stop checklist on a decision (issue 15, item 5): pre-filled from the data with its source,
confirmed or overridden with a reason, kept with the decision, in the minutes and the decision's JSON."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from betatracker.api.serializers import decision_dict, decisions_for_api
from committees import checklist, services
from committees.exports import decision_export
from committees.models import Decision
from products.enums import MembershipRole
from tests.investigations.factories import InterviewFactory, InvestigationFactory
from tests.products.factories import MembershipFactory

from .factories import DecisionFactory
from .utils import page_text

CONFIRM_ALL = dict.fromkeys(checklist.KEYS, ("", ""))


@pytest.fixture
def decision(on_agenda, make_startup):
    (review,) = on_agenda(make_startup("Alpha"))
    return DecisionFactory(review=review)


def lines_of(decision):
    return {line.key: line for line in checklist.review_checklist(decision.review)}


def confirm_all(decision):
    return {line.key: (line.status, "") for line in checklist.review_checklist(decision.review)}


def test_the_team_line_reads_the_intrapreneur_time_share(decision):
    decision.startup.memberships.update(time_share=50)
    line = lines_of(decision)["team"]
    assert (line.status, line.detail) == ("non", "intrapreneur·e à 50 %")
    decision.startup.memberships.update(time_share=60)
    assert lines_of(decision)["team"].status == "oui"


def test_without_intrapreneur_the_team_line_says_not_filled_in(decision):
    decision.startup.memberships.all().delete()
    MembershipFactory(startup=decision.startup, role=MembershipRole.COACH)
    line = lines_of(decision)["team"]
    assert line.status == "inconnu" and line.detail.startswith("non renseigné")


def test_the_problem_line_cites_the_synthesis_figures_and_links_to_it(decision):
    investigation = InvestigationFactory(startup=decision.startup, started_on=decision.review.date)
    for intensity in [3] * 18 + [0] * 2:
        InterviewFactory(investigation=investigation, intensity=intensity)
    line = lines_of(decision)["problem"]
    assert line.status == "oui"  # 20 interviews, 10 % see no problem
    assert line.detail == "20 entretiens ; 10 % des personnes interrogées ne voient aucun problème"
    assert line.source_url == reverse("investigations:synthesis", args=[investigation.pk])


def test_without_data_the_lines_are_not_filled_in(decision):
    lines = lines_of(decision)
    assert [lines[key].status for key in ("problem", "impact", "objectives", "gates")] == ["inconnu"] * 4


def test_an_override_without_reason_is_refused_with_a_clear_message(decision, member):
    answers = confirm_all(decision) | {"team": ("non", "")}
    with pytest.raises(ValidationError) as refused:
        services.decision_checklist_set(decision=decision, by=member, answers=answers)
    assert refused.value.message_dict["reason_team"] == [
        "« Équipe en place (intrapreneur·e à 60 % au moins) » : la réponse pré-remplie est « Oui » ; "
        "pour la changer, dites pourquoi."
    ]
    assert Decision.objects.get(pk=decision.pk).checklist == []


def test_an_override_with_a_reason_is_kept_with_the_decision(decision, member):
    answers = confirm_all(decision) | {"team": ("non", "L'intrapreneure part en mars")}
    services.decision_checklist_set(decision=decision, by=member, answers=answers)
    stored = {entry["key"]: entry for entry in Decision.objects.get(pk=decision.pk).checklist}
    assert stored["team"] | {"at": None} == stored["team"] | {
        "prefill": "oui",
        "answer": "non",
        "overridden": True,
        "reason": "L'intrapreneure part en mars",
        "by": str(member),
        "at": None,
    }
    assert stored["impact"]["overridden"] is False


def test_the_member_fills_the_checklist_on_its_page(client, decision, member):
    client.force_login(member)
    url = reverse("committees:decision_checklist", args=[decision.pk])
    page = page_text(client.get(url))
    assert "Équipe en place (intrapreneur·e à 60 % au moins)" in page
    data = {f"answer_{key}": status for key, (status, _) in confirm_all(decision).items()}
    refused = page_text(client.post(url, data | {"answer_team": "non"}))
    assert "pour la changer, dites pourquoi." in refused
    response = client.post(url, data | {"answer_team": "non", "reason_team": "Temps partiel"})
    assert response.status_code == 302
    detail = page_text(client.get(reverse("committees:decision_detail", args=[decision.pk])))
    assert "Temps partiel" in detail and "(changée)" in detail


def test_the_checklist_is_in_the_minutes_and_the_decision_json(client, decision, member, session):
    answers = confirm_all(decision) | {"gates": ("oui", "Homologation en cours")}
    services.decision_checklist_set(decision=decision, by=member, answers=answers)
    client.force_login(member)
    minutes = page_text(client.get(reverse("committees:session_minutes", args=[session.pk])))
    assert "Grille go / stop : Alpha" in minutes and "Homologation en cours" in minutes
    exported = json.loads(client.get(reverse("committees:session_minutes_json", args=[session.pk])).content)
    gates = next(line for line in exported[0]["checklist"] if line["key"] == "gates")
    assert gates == {
        "key": "gates",
        "prefill": "inconnu",
        "answer": "oui",
        "overridden": True,
        "reason": "Homologation en cours",
        "detail": gates["detail"],
        "source": "Fichier beta.gouv.fr de la startup",
        "by": str(member),
    }
    assert decision_export(Decision.objects.filter(pk=decision.pk))[0]["checklist"] == exported[0]["checklist"]
    assert decision_dict(decisions_for_api().get(pk=decision.pk))["checklist"] == exported[0]["checklist"]


def test_the_team_cannot_fill_the_checklist(client, decision):
    client.force_login(decision.startup.memberships.get().user)
    url = reverse("committees:decision_checklist", args=[decision.pk])
    assert client.get(url).status_code == 403
    data = {f"answer_{key}": "oui" for key in checklist.KEYS}
    assert client.post(url, data).status_code == 403
    assert Decision.objects.get(pk=decision.pk).checklist == []


def test_the_checklist_of_a_closed_session_cannot_change(client, decision, member, session):
    services.decision_checklist_set(decision=decision, by=member, answers=confirm_all(decision))
    session.status, session.closed_at = "closed", timezone.now()
    session.save(update_fields=["status", "closed_at"])
    client.force_login(member)
    response = client.get(reverse("committees:decision_checklist", args=[decision.pk]))
    assert response.status_code == 403
    assert "ne peut plus être modifiée" in page_text(response)
    with pytest.raises(ValidationError):
        services.decision_checklist_set(decision=decision, by=member, answers=confirm_all(decision))


def test_the_review_pack_shows_the_prefilled_checklist_with_its_sources(client, decision, member):
    client.force_login(member)
    page = page_text(client.get(reverse("committees:review_detail", args=[decision.review.pk])))
    section = page.split("Grille go / stop pré-remplie", 1)[1]
    assert "Équipe en place (intrapreneur·e à 60 % au moins)" in section
    assert "intrapreneur·e à 100 %" in section
    assert f'href="{decision.startup.get_absolute_url()}"' in section
