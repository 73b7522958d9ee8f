import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from investigations.enums import PersonalDataAction
from investigations.models import Interview, PersonalDataLog, Tag
from investigations.services import (
    interview_erase,
    interview_update,
    interviews_purge,
    tags_resolve,
    text_anonymise,
)
from tests.products.factories import IncubatorFactory, UserFactory

from .factories import InterviewFactory, QuoteFactory, committee_member, incubator_staff, member

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


def _interview(retention, **kwargs):
    interview = InterviewFactory(
        retention_until=retention,
        interviewee="DRH-PME-3",
        organisation="Boulangerie Martin",
        notes="Marie Martin, 06 12 34 56 78",
        **kwargs,
    )
    QuoteFactory(
        interview=interview, text="Écrivez-moi à marie.martin@example.fr ou au 06 12 34 56 78, M. Martin le sait."
    )
    return interview


def test_text_anonymise_removes_emails_phone_numbers_and_titled_names():
    text = text_anonymise("Contact : jean.dupont@mairie.fr, +33 6 12 34 56 78, 01.23.45.67.89 — Mme Durand l'a dit.")
    assert "@" not in text and "12 34" not in text and "45.67" not in text and "Durand" not in text
    assert "[courriel retiré]" in text and "[téléphone retiré]" in text and "[nom retiré]" in text


def test_purge_anonymises_only_interviews_past_their_retention_date():
    old = _interview(TODAY - datetime.timedelta(days=1))
    kept = _interview(TODAY)
    assert interviews_purge(on=TODAY) == 1
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.notes, old.organisation, old.interviewee) == ("", "", "")
    assert old.anonymised_at is not None
    quote = old.quotes.get()
    assert quote.anonymised_at is not None
    assert "marie.martin" not in quote.text and "06 12" not in quote.text and "M. Martin" not in quote.text
    assert kept.notes.startswith("Marie Martin")


def test_purged_interviews_still_count_in_the_synthesis():
    old = _interview(TODAY - datetime.timedelta(days=1), intensity=3)
    interviews_purge(on=TODAY)
    old.refresh_from_db()
    assert (old.intensity, old.date) == (3, old.date)
    assert Interview.objects.count() == 1


def test_purge_also_scrubs_the_history_of_changes():
    old = _interview(TODAY - datetime.timedelta(days=1))
    interviews_purge(on=TODAY)
    assert not old.history.filter(notes__contains="Marie").exists()
    assert not old.history.exclude(organisation="").exists()


def test_the_purge_command_says_how_many_and_logs_it():
    _interview(datetime.date(2020, 1, 1))
    _interview(datetime.date(2020, 1, 2))
    out = io.StringIO()
    call_command("purge_interviews", stdout=out)
    assert "2 entretiens anonymisés." in out.getvalue()
    log = PersonalDataLog.objects.get()
    assert (log.action, log.count) == (PersonalDataAction.PURGE, 2)
    call_command("purge_interviews", stdout=out)
    assert PersonalDataLog.objects.order_by("-pk").first().count == 0


def test_the_scheduled_purge_task_anonymises_what_is_past_retention_and_logs_it():
    from investigations import tasks

    old = _interview(datetime.date(2020, 1, 1))
    result = tasks.purge_interviews.enqueue()  # run at once by the test settings' immediate backend
    assert result.return_value == 1
    old.refresh_from_db()
    assert (old.notes, old.interviewee) == ("", "")
    assert PersonalDataLog.objects.get().action == PersonalDataAction.PURGE


def test_erasure_on_request_from_the_interview_page_is_logged(client):
    interview = _interview(TODAY + datetime.timedelta(days=365))
    intrapreneur = member(interview.investigation.startup)
    client.force_login(intrapreneur)
    page = client.get(reverse("investigations:interview_detail", kwargs={"pk": interview.pk})).content.decode()
    assert "Effacer la personne interrogée" in page
    response = client.post(reverse("investigations:interview_erase", kwargs={"pk": interview.pk}), follow=True)
    interview.refresh_from_db()
    assert (interview.notes, interview.organisation, interview.interviewee) == ("", "", "")
    assert "marie.martin" not in interview.quotes.get().text
    assert "La personne interrogée a été effacée" in response.content.decode()
    log = PersonalDataLog.objects.get()
    assert (log.action, log.interview_id, log.by, log.count) == (
        PersonalDataAction.ERASURE,
        interview.pk,
        intrapreneur,
        1,
    )
    assert not interview.history.filter(notes__contains="Marie").exists()


def test_erasure_asks_for_confirmation_before_acting(client):
    interview = _interview(TODAY)
    client.force_login(member(interview.investigation.startup))
    client.get(reverse("investigations:interview_erase", kwargs={"pk": interview.pk}))
    interview.refresh_from_db()
    assert interview.notes
    assert not PersonalDataLog.objects.exists()


def test_the_log_is_visible_to_staff_and_not_to_others(client):
    interview = _interview(TODAY)
    interview_erase(interview=interview, by=None)
    staff = incubator_staff(interview.investigation.startup.incubator)
    client.force_login(staff)
    page = client.get(reverse("investigations:personal_data_log")).content.decode()
    assert "Effacement sur demande" in page
    assert interview.investigation.startup.name in page
    client.force_login(UserFactory(is_staff=True))
    assert "Effacement sur demande" in client.get(reverse("investigations:personal_data_log")).content.decode()
    client.force_login(member(interview.investigation.startup))
    assert client.get(reverse("investigations:personal_data_log")).status_code == 403
    client.force_login(committee_member(interview.investigation.startup))
    assert client.get(reverse("investigations:personal_data_log")).status_code == 403


def test_staff_of_another_incubator_does_not_see_erasures_elsewhere(client):
    interview = _interview(TODAY)
    interview_erase(interview=interview, by=None)
    client.force_login(incubator_staff(IncubatorFactory()))
    page = client.get(reverse("investigations:personal_data_log")).content.decode()
    assert "Effacement sur demande" not in page


def test_the_interview_page_says_it_was_anonymised(client):
    interview = _interview(timezone.localdate())
    interview_erase(interview=interview, by=None)
    client.force_login(member(interview.investigation.startup))
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "anonymisé le" in page.lower()


# --- Consent withdrawn, notes corrected: the history forgets the old text (issue 12, item 2) -------------------
def _edit(interview, **changes):
    data = {
        "date": interview.date,
        "intensity": interview.intensity,
        "interviewee": interview.interviewee,
        "organisation": interview.organisation,
        "notes": interview.notes,
        "quotes": [quote.text for quote in interview.quotes.all()],
        "consent": interview.consent,
        "retention_until": interview.retention_until,
    }
    return interview_update(interview=interview, by=None, **(data | changes))


def _withdrawable():
    interview = InterviewFactory(
        interviewee="DRH-PME-3", organisation="Boulangerie Dupont", notes="Jeanne Dupont, 06 12 34 56 78"
    )
    QuoteFactory(interview=interview, text="Jeanne dit : on ressaisit tout.")
    return interview


def test_withdrawing_consent_from_the_form_leaves_the_notes_neither_in_the_audit_trail_nor_in_the_admin(client):
    interview = _withdrawable()
    startup = interview.investigation.startup
    # Fixed names: a random one could contain the very words the page must not show.
    client.force_login(member(startup, user=UserFactory(full_name="Camille Équipe")))
    data = {
        "date": interview.date.isoformat(),
        "interviewer": "",
        "channel": "",
        "interviewee": interview.interviewee,
        "consent": "non",
        "target_group": "",
        "organisation": interview.organisation,
        "headcount": "",
        "sector": "",
        "intensity": "1",
        "notes": interview.notes,
        "quotes": "",
        "tags": "",
        "retention_until": interview.retention_until.isoformat(),
    }
    response = client.post(reverse("investigations:interview_edit", kwargs={"pk": interview.pk}), data)
    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.notes, interview.organisation, interview.consent) == ("", "", False)

    client.force_login(incubator_staff(startup.incubator, user=UserFactory(full_name="Sacha Incubateur")))
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "Historique des modifications" in page
    assert "Jeanne" not in page and "06 12 34 56 78" not in page and "Boulangerie" not in page
    assert "[texte retiré]" in page

    client.force_login(UserFactory(is_staff=True, is_superuser=True, full_name="Alex Admin"))
    history = client.get(reverse("admin:investigations_interview_history", args=[interview.pk]))
    assert history.status_code == 200
    pages = [history.content.decode()]
    for record in interview.history.all():
        url = reverse("admin:investigations_interview_simple_history", args=[interview.pk, record.history_id])
        pages.append(client.get(url).content.decode())
    assert len(pages) == 3
    assert not any("Jeanne" in page or "06 12 34 56 78" in page or "Boulangerie" in page for page in pages)


def test_correcting_the_notes_or_the_organisation_scrubs_their_former_text_from_the_history():
    interview = _withdrawable()
    _edit(interview, notes="J. D. ressaisit tout.", organisation="Une boulangerie")
    assert not interview.history.filter(notes__contains="Jeanne").exists()
    assert not interview.history.filter(organisation__contains="Dupont").exists()
    assert interview.history.first().notes == "J. D. ressaisit tout."


def test_withdrawing_consent_turns_a_quote_cited_by_a_decision_into_a_withdrawn_quote_the_decision_mentions(client):
    from tests.committees.factories import DecisionFactory, closed_review

    interview = _withdrawable()
    cited = interview.quotes.get()
    QuoteFactory(interview=interview, text="Pas cité.")
    startup = interview.investigation.startup
    decision = DecisionFactory(review=closed_review(startup))
    decision.cited_quotes.add(cited)

    _edit(interview, consent=False)

    cited.refresh_from_db()
    assert "Jeanne" not in cited.text
    assert cited.withdrawn_at is not None
    assert list(decision.cited_quotes.all()) == [cited]
    assert list(interview.quotes.all()) == [cited]
    client.force_login(incubator_staff(startup.incubator))
    page = client.get(reverse("committees:decision_detail", kwargs={"pk": decision.pk})).content.decode()
    assert "Jeanne" not in page
    withdrawn_on = date_format(timezone.localtime(cited.withdrawn_at).date(), "SHORT_DATE_FORMAT")
    assert f"1 verbatim cité a été retiré (consentement retiré le {withdrawn_on})." in page


def test_a_cited_quote_still_cannot_be_removed_while_consent_holds():
    from tests.committees.factories import DecisionFactory, closed_review

    interview = _withdrawable()
    decision = DecisionFactory(review=closed_review(interview.investigation.startup))
    decision.cited_quotes.add(interview.quotes.get())
    with pytest.raises(ValidationError):
        _edit(interview, quotes=[])


# --- Erasure removes what names the person, not only e-mails and phone numbers (issue 12, item 3) -------------
def test_erasure_removes_the_pseudonym_the_organisation_and_the_words_asked_for_from_the_quotes_and_person_tags(
    client,
):
    interview = InterviewFactory(interviewee="Jeanne Martin", organisation="Boulangerie du Port", tags=["Délais"])
    interview.tags.add(*tags_resolve(["jeanne martin", "Famille Lenoir"]))
    QuoteFactory(interview=interview, text="Chez Boulangerie du Port, JEANNE  Martin et son fils Théo ressaisissent.")
    client.force_login(member(interview.investigation.startup))
    url = reverse("investigations:interview_erase", kwargs={"pk": interview.pk})
    form = client.get(url).content.decode()
    assert "Autres mots à retirer des verbatims" in form and "Famille Lenoir" in form
    lenoir = Tag.objects.get(name="Famille Lenoir")
    client.post(url, {"extra_terms": "Théo\n", "tags": [lenoir.pk]})
    quote = interview.quotes.get()
    assert "Jeanne" not in quote.text.title() and "Port" not in quote.text and "Théo" not in quote.text
    assert quote.text == "Chez [organisation retirée], [nom retiré] et son fils [nom retiré] ressaisissent."
    assert [tag.name for tag in interview.tags.all()] == ["Délais"]
    assert not Tag.objects.filter(name__in=["jeanne martin", "Famille Lenoir"]).exists()


def test_a_tag_naming_the_person_stays_on_the_other_interviews_that_use_it():
    interview = InterviewFactory(interviewee="P-7", tags=["Mairie de Villefictive"])
    other = InterviewFactory(investigation=interview.investigation, tags=["Mairie de Villefictive"])
    interview_erase(interview=interview, by=None, tags=list(interview.tags.all()))
    assert not interview.tags.exists()
    assert [tag.name for tag in other.tags.all()] == ["Mairie de Villefictive"]


def test_the_purge_also_removes_the_pseudonym_and_organisation_from_the_quotes():
    old = _interview(TODAY - datetime.timedelta(days=1))
    QuoteFactory(interview=old, text="Chez Boulangerie Martin on m'appelle DRH-PME-3.")
    interviews_purge(on=TODAY)
    texts = [quote.text for quote in old.quotes.all()]
    assert not any("Boulangerie" in text or "DRH-PME-3" in text for text in texts)
