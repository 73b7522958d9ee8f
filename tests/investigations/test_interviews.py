import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from investigations import services
from investigations.models import Interview, Quote, Tag
from investigations.services import interview_log, interview_update
from products.enums import MembershipRole

from .factories import (
    HypothesisFactory,
    InsightFactory,
    InterviewFactory,
    InvestigationFactory,
    QuoteFactory,
    TagFactory,
    TargetGroupFactory,
    member,
)

pytestmark = pytest.mark.django_db


def _log(investigation, **data):
    data.setdefault("date", investigation.started_on)
    data.setdefault("intensity", 2)
    return interview_log(investigation=investigation, by=None, **data)


# --- The service ----------------------------------------------------------------------------------
def test_an_interview_without_consent_keeps_only_what_the_synthesis_needs():
    group = TargetGroupFactory()
    interview = _log(
        group.investigation,
        target_group=group,
        intensity=3,
        organisation="Préfecture du Nord",
        notes="Il m'a donné son numéro.",
        quotes="Je tape tout deux fois.",
        tags=["ressaisie"],
        consent=False,
    )
    interview.refresh_from_db()
    assert (interview.notes, interview.organisation) == ("", "")
    assert not Quote.objects.exists()
    assert interview.intensity == 3
    assert interview.target_group == group
    assert [tag.name for tag in interview.tags.all()] == ["ressaisie"]


def test_an_interview_with_consent_keeps_each_quote_as_its_own_record():
    investigation = InvestigationFactory()
    interview = _log(investigation, quotes="Je tape tout deux fois.\n\n  On perd des dossiers. \n", consent=True)
    assert [quote.text for quote in interview.quotes.order_by("pk")] == [
        "Je tape tout deux fois.",
        "On perd des dossiers.",
    ]


def test_retention_defaults_to_the_end_of_the_investigation_plus_six_months():
    investigation = InvestigationFactory(started_on=datetime.date(2024, 6, 3), planned_end=datetime.date(2024, 8, 31))
    interview = _log(investigation)
    assert interview.retention_until == datetime.date(2025, 2, 28)


def test_retention_follows_the_actual_end_once_the_investigation_stopped():
    investigation = InvestigationFactory(
        started_on=datetime.date(2020, 6, 23),
        planned_end=datetime.date(2020, 8, 25),
        ended_on=datetime.date(2020, 9, 15),
        suspended=True,
    )
    assert _log(investigation).retention_until == datetime.date(2021, 3, 15)


def test_tags_differing_only_by_case_are_one_tag_spelled_as_first_created():
    investigation = InvestigationFactory()
    _log(investigation, tags=["Délais", "Ressaisie"])
    second = _log(investigation, tags=["délais", "RESSAISIE", "ressaisie", "Nouveau"])
    assert Tag.objects.count() == 3
    assert sorted(tag.name for tag in second.tags.all()) == ["Délais", "Nouveau", "Ressaisie"]


def test_tags_with_accented_capitals_fold_to_the_same_tag():
    existing = TagFactory(name="Été")
    interview = _log(InvestigationFactory(), tags=["été"])
    assert list(interview.tags.all()) == [existing]


def test_an_interview_before_the_investigation_started_is_refused():
    investigation = InvestigationFactory()
    with pytest.raises(ValidationError, match="ne peut pas précéder le début"):
        _log(investigation, date=investigation.started_on - datetime.timedelta(days=1))


def test_no_interview_can_be_added_to_a_concluded_investigation():
    investigation = InvestigationFactory(concluded=True)
    with pytest.raises(ValidationError, match="conclue"):
        _log(investigation)


def test_a_target_group_of_another_investigation_is_refused():
    investigation = InvestigationFactory()
    with pytest.raises(ValidationError, match="n'appartient pas"):
        _log(investigation, target_group=TargetGroupFactory())


def test_removing_a_quote_cited_by_an_insight_is_refused():
    quote = QuoteFactory()
    interview = quote.interview
    InsightFactory(investigation=interview.investigation).quotes.add(quote)
    with pytest.raises(ValidationError, match="cité comme preuve"):
        interview_update(interview=interview, by=None, date=interview.date, intensity=1, quotes="", consent=True)
    assert Quote.objects.filter(pk=quote.pk).exists()


# --- The fast form --------------------------------------------------------------------------------
def _form_data(investigation, **overrides):
    data = {
        "date": timezone.localdate().isoformat(),
        "interviewer": "",
        "channel": "visio",
        "interviewee": "AGENT-01",
        "consent": "oui",
        "target_group": "",
        "organisation": "Préfecture du Nord",
        "headcount": "250",
        "sector": "Administration",
        "intensity": "2",
        "notes": "Ressaisit chaque dossier.",
        "quotes": "Je tape tout deux fois.\nOn perd des dossiers.",
        "tags": "Délais, ressaisie",
        "retention_until": investigation.default_retention().isoformat(),
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_form_offers_today_the_logged_in_interviewer_and_the_default_retention(client, investigation, intrapreneur):
    InterviewFactory(investigation=investigation).tags.add(TagFactory(name="ressaisie"))
    client.force_login(intrapreneur)
    page = client.get(reverse("investigations:interview_new", kwargs={"pk": investigation.pk})).content.decode()
    assert f'name="date" value="{timezone.localdate().isoformat()}"' in page
    assert f'<option value="{intrapreneur.pk}" selected>' in page
    assert f'value="{investigation.default_retention().isoformat()}"' in page
    assert '<datalist id="etiquettes-existantes"><option value="ressaisie"></option></datalist>' in page
    assert "autofocus" in page.split('name="date"')[1].split(">")[0]
    assert "Enregistrer et saisir le suivant" in page
    assert "Pas de nom réel" in page
    assert "ses notes, verbatims et organisation ne sont pas enregistrés" in page


def test_an_overdue_investigation_offers_a_retention_date_after_today_and_saves_the_form_as_offered(
    client, investigation, intrapreneur
):
    """Found by the load test: an investigation running past its planned end offered a retention date in
    the past, so the form refused its own default."""
    today = timezone.localdate()
    investigation.started_on = today - datetime.timedelta(days=400)
    investigation.planned_end = today - datetime.timedelta(days=300)
    investigation.save()
    group = TargetGroupFactory(investigation=investigation)
    client.force_login(intrapreneur)
    url = reverse("investigations:interview_new", kwargs={"pk": investigation.pk})
    page = client.get(url).content.decode()
    offered = page.split('name="retention_until"')[1].split('value="')[1].split('"')[0]
    assert datetime.date.fromisoformat(offered) > today
    response = client.post(
        url, _form_data(investigation, interviewer=intrapreneur.pk, target_group=group.pk, retention_until=offered)
    )
    assert response.status_code == 302
    assert investigation.interviews.get().retention_until.isoformat() == offered


def test_tag_suggestions_come_only_from_investigations_the_person_may_read(client, investigation, intrapreneur):
    InterviewFactory(investigation=investigation).tags.add(TagFactory(name="ressaisie"))
    elsewhere = InvestigationFactory()  # another startup, another incubator
    InterviewFactory(investigation=elsewhere).tags.add(TagFactory(name="Mme Dupont mairie de Trifouillis"))
    client.force_login(intrapreneur)
    page = client.get(reverse("investigations:interview_new", kwargs={"pk": investigation.pk})).content.decode()
    assert '<option value="ressaisie">' in page
    assert "Dupont" not in page


def test_radio_groups_are_fieldsets_with_a_legend(client, investigation, intrapreneur):
    client.force_login(intrapreneur)
    page = client.get(reverse("investigations:interview_new", kwargs={"pk": investigation.pk})).content.decode()
    for name, legend in (
        ("intensity", "Intensité du problème"),
        ("channel", "Canal"),
        ("consent", "La personne a-t-elle donné son consentement ?"),
    ):
        assert (
            f'<legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="id_{name}_legend">{legend}' in page
        )
    assert "0 aucun" in page and "3 critique" in page


def test_an_intrapreneur_logs_an_interview_and_lands_on_it(client, investigation, intrapreneur):
    client.force_login(intrapreneur)
    response = client.post(
        reverse("investigations:interview_new", kwargs={"pk": investigation.pk}),
        _form_data(investigation, interviewer=str(intrapreneur.pk)),
    )
    interview = Interview.objects.get()
    assert response["Location"] == interview.get_absolute_url()
    assert interview.interviewer == intrapreneur
    assert interview.intensity == 2
    assert interview.quotes.count() == 2
    assert sorted(tag.name for tag in interview.tags.all()) == ["Délais", "ressaisie"]
    assert interview.history.first().history_user == intrapreneur


def test_save_and_next_opens_a_blank_form_keeping_the_date_and_the_group(client, investigation, intrapreneur):
    group = TargetGroupFactory(investigation=investigation, name="Agents")
    client.force_login(intrapreneur)
    day = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("investigations:interview_new", kwargs={"pk": investigation.pk}),
        _form_data(investigation, date=day, target_group=str(group.pk), action="next"),
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("investigations:interview_new", kwargs={"pk": investigation.pk}))
    page = client.get(response["Location"]).content.decode()
    assert "Entretien enregistré." in page
    assert f'name="date" value="{day}"' in page
    assert f'<option value="{group.pk}" selected>Agents</option>' in page
    assert "AGENT-01" not in page


def test_an_invalid_form_keeps_what_was_typed_and_summarises_errors_with_links(client, investigation, intrapreneur):
    client.force_login(intrapreneur)
    response = client.post(
        reverse("investigations:interview_new", kwargs={"pk": investigation.pk}),
        _form_data(investigation, intensity="", consent="", headcount="beaucoup"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Interview.objects.exists()
    assert 'id="resume-erreurs"' in page
    assert 'href="#id_intensity_0"' in page and 'href="#id_consent_0"' in page and 'href="#id_headcount"' in page
    assert "Ressaisit chaque dossier." in page
    assert "Je tape tout deux fois." in page
    assert 'value="AGENT-01"' in page
    assert 'value="Délais, ressaisie"' in page
    # Focus goes to the first field in error (tab order: … consent before headcount and intensity).
    assert 'id="id_consent_0" name="consent" value="oui" required autofocus' in page


def test_a_group_must_be_chosen_when_the_investigation_has_groups(client, investigation, intrapreneur):
    TargetGroupFactory(investigation=investigation)
    client.force_login(intrapreneur)
    response = client.post(
        reverse("investigations:interview_new", kwargs={"pk": investigation.pk}), _form_data(investigation)
    )
    assert response.status_code == 200
    assert "Groupe cible : Ce champ est obligatoire." in response.content.decode()


def test_a_future_date_is_refused_in_french(client, investigation, intrapreneur):
    client.force_login(intrapreneur)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("investigations:interview_new", kwargs={"pk": investigation.pk}),
        _form_data(investigation, date=tomorrow),
    )
    assert "ne peut pas être dans le futur" in response.content.decode()


def test_the_form_says_nothing_personal_is_kept_without_consent(client, investigation, intrapreneur):
    client.force_login(intrapreneur)
    client.post(
        reverse("investigations:interview_new", kwargs={"pk": investigation.pk}),
        _form_data(investigation, consent="non"),
    )
    interview = Interview.objects.get()
    assert (interview.notes, interview.organisation, interview.quotes.count()) == ("", "", 0)


def test_a_committee_member_cannot_log_interviews(client, investigation):
    from .factories import committee_member

    client.force_login(committee_member(investigation.startup))
    response = client.post(
        reverse("investigations:interview_new", kwargs={"pk": investigation.pk}), _form_data(investigation)
    )
    assert response.status_code == 403
    assert not Interview.objects.exists()


def test_a_team_member_may_log_interviews(client, investigation):
    client.force_login(member(investigation.startup, MembershipRole.TEAM_MEMBER))
    response = client.post(
        reverse("investigations:interview_new", kwargs={"pk": investigation.pk}), _form_data(investigation)
    )
    assert response.status_code == 302
    assert Interview.objects.count() == 1


# --- Hypotheses, from both sides ------------------------------------------------------------------
def test_hypothesis_status_and_evidence_are_edited_from_the_hypothesis(client, investigation, intrapreneur):
    hypothesis = HypothesisFactory(investigation=investigation)
    pro, con = InterviewFactory.create_batch(2, investigation=investigation)
    client.force_login(intrapreneur)
    client.post(
        reverse("investigations:hypothesis_edit", kwargs={"pk": hypothesis.pk}),
        {
            "statement": hypothesis.statement,
            "status": "validee",
            f"interview_{pro.pk}": "pour",
            f"interview_{con.pk}": "contre",
        },
    )
    hypothesis.refresh_from_db()
    assert hypothesis.status == "validee"
    assert list(hypothesis.supporting_interviews.all()) == [pro]
    assert list(hypothesis.contradicting_interviews.all()) == [con]


def test_the_hypothesis_form_lists_each_interview_once(client, investigation, intrapreneur):
    interview = InterviewFactory(investigation=investigation, interviewee="DRH-PME-3")
    client.force_login(intrapreneur)
    page = client.get(reverse("investigations:hypothesis_new", kwargs={"pk": investigation.pk})).content.decode()
    assert page.count("DRH-PME-3") == 1
    assert page.count(f'name="interview_{interview.pk}"') == 3  # sans lien, la confirme, la contredit


def test_one_interview_cannot_both_support_and_contradict_a_hypothesis(investigation, intrapreneur):
    interview = InterviewFactory(investigation=investigation)
    with pytest.raises(ValidationError, match="à la fois confirmer et contredire"):
        services.hypothesis_save(
            investigation=investigation,
            by=intrapreneur,
            statement="H",
            supporting_interviews=[interview],
            contradicting_interviews=[interview],
        )
    assert not investigation.hypotheses.exists()


def test_hypotheses_are_linked_from_the_interview_page(client, investigation, intrapreneur):
    supported, contradicted, unrelated = HypothesisFactory.create_batch(3, investigation=investigation)
    interview = InterviewFactory(investigation=investigation)
    client.force_login(intrapreneur)
    client.post(
        reverse("investigations:interview_hypotheses", kwargs={"pk": interview.pk}),
        {f"h{supported.pk}": "pour", f"h{contradicted.pk}": "contre", f"h{unrelated.pk}": ""},
    )
    assert list(interview.supported_hypotheses.all()) == [supported]
    assert list(interview.contradicted_hypotheses.all()) == [contradicted]
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "Confirme :" in page and "Contredit :" in page


# --- Insights -------------------------------------------------------------------------------------
def test_an_insight_counts_distinct_interviewees_through_interviews_and_quotes(client, investigation, intrapreneur):
    first = InterviewFactory(investigation=investigation, interviewee="AGENT-01")
    again = InterviewFactory(investigation=investigation, interviewee="agent-01")  # same person, second talk
    other = InterviewFactory(investigation=investigation, interviewee="")
    quote = QuoteFactory(interview=other)
    client.force_login(intrapreneur)
    response = client.post(
        reverse("investigations:insight_new", kwargs={"pk": investigation.pk}),
        {"statement": "La ressaisie coûte cher.", "interviews": [first.pk, again.pk], "quotes": [quote.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Étayé par 2 personnes interrogées distinctes" in page
    assert quote.text in page


def test_an_insight_needs_at_least_one_interview_or_quote(client, investigation, intrapreneur):
    client.force_login(intrapreneur)
    response = client.post(
        reverse("investigations:insight_new", kwargs={"pk": investigation.pk}), {"statement": "Sans preuve."}
    )
    assert "au moins un entretien ou un verbatim" in response.content.decode()


# --- Retention is bounded (issue 12, item 3) ---------------------------------------------------------------
def test_the_service_refuses_to_keep_an_interview_beyond_the_end_of_the_investigation_plus_24_months():
    investigation = InvestigationFactory()
    latest = investigation.max_retention(on=investigation.started_on)
    assert _log(investigation, retention_until=latest).retention_until == latest
    with pytest.raises(ValidationError) as error:
        _log(investigation, retention_until=latest + datetime.timedelta(days=1))
    assert "fin de l'investigation + 24 mois" in str(error.value)


def test_the_form_says_how_long_an_interview_may_be_kept_and_refuses_longer(client, investigation, intrapreneur):
    client.force_login(intrapreneur)
    url = reverse("investigations:interview_new", kwargs={"pk": investigation.pk})
    assert "au plus : fin de l'investigation + 24 mois" in html.unescape(client.get(url).content.decode())
    too_late = investigation.max_retention() + datetime.timedelta(days=1)
    response = client.post(url, _form_data(investigation, retention_until=too_late.isoformat()))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Un entretien se conserve au plus jusqu'à la fin de l'investigation + 24 mois" in page
    assert not Interview.objects.exists()


def test_a_correction_the_service_refuses_keeps_what_was_typed_and_the_page_names_the_interview_as_stored(
    client, investigation, intrapreneur
):
    interview = InterviewFactory(investigation=investigation, interviewee="AGENT-07")
    quote = QuoteFactory(interview=interview, text="Je tape tout deux fois.")
    InsightFactory(investigation=investigation).quotes.add(quote)
    client.force_login(intrapreneur)
    response = client.post(
        reverse("investigations:interview_edit", kwargs={"pk": interview.pk}),
        _form_data(investigation, date=interview.date.isoformat(), interviewee="AGENT-99", quotes=""),
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Le verbatim « Je tape tout deux fois. » est cité comme preuve : il ne peut pas être retiré." in page
    assert 'value="AGENT-99"' in page
    assert "— AGENT-07" in page  # the breadcrumb: the interview as it is stored, not as typed
    interview.refresh_from_db()
    assert interview.interviewee == "AGENT-07"
