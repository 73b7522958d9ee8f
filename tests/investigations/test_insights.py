import datetime

import pytest
from django.urls import reverse

from committees.models import CommitteeSession, Decision, Review
from products.enums import MembershipRole

from .factories import InsightFactory, InterviewFactory, QuoteFactory, committee_member, member

pytestmark = pytest.mark.django_db


def test_the_insight_page_lists_the_decisions_that_cited_it(client):
    insight = InsightFactory(statement="La ressaisie coûte vingt minutes par dossier.")
    startup = insight.investigation.startup
    session = CommitteeSession.objects.create(
        date=datetime.date(2024, 6, 4), kind="investissement", incubator=startup.incubator
    )
    review = Review.objects.create(session=session, startup=startup, date=session.date)
    decision = Decision.objects.create(
        review=review, startup=startup, date=session.date, outcome="poursuite_avec_reserves", rationale="Preuves."
    )
    decision.cited_insights.add(insight)
    client.force_login(member(startup))
    page = client.get(reverse("investigations:insight_detail", kwargs={"pk": insight.pk})).content.decode()
    section = page.split('id="decisions-citant"')[1]
    assert "04/06/2024" in section
    assert "Poursuite avec réserves" in section
    assert startup.name in section


def test_an_insight_not_yet_cited_says_so(client):
    insight = InsightFactory()
    client.force_login(member(insight.investigation.startup))
    page = client.get(reverse("investigations:insight_detail", kwargs={"pk": insight.pk})).content.decode()
    assert "Aucune décision de comité ne l'a encore cité." in page


def test_a_committee_member_sees_quotes_of_an_insight_without_links_to_raw_notes(client):
    interview = InterviewFactory(interviewee="DRH-PME-3")
    insight = InsightFactory(investigation=interview.investigation)
    insight.interviews.add(interview)
    insight.quotes.add(QuoteFactory(interview=interview, text="On perd des dossiers."))
    client.force_login(committee_member(interview.investigation.startup))
    page = client.get(reverse("investigations:insight_detail", kwargs={"pk": insight.pk})).content.decode()
    assert "On perd des dossiers." in page
    assert "Étayé par 1 personne interrogée distincte" in page
    assert interview.get_absolute_url() not in page
    assert interview.notes not in page


@pytest.mark.parametrize("reader", ["committee_member", "sponsor_contact"])
def test_committee_members_and_sponsors_do_not_see_interviewee_pseudonyms_on_an_insight(client, reader):
    interview = InterviewFactory(interviewee="Jeanne-DRH-PME-3")
    insight = InsightFactory(investigation=interview.investigation)
    insight.interviews.add(interview)
    insight.quotes.add(QuoteFactory(interview=interview, text="On perd des dossiers."))
    startup = interview.investigation.startup
    if reader == "committee_member":
        user = committee_member(startup)
    else:
        user = member(startup, role=MembershipRole.SPONSOR_CONTACT)
    client.force_login(user)
    page = client.get(reverse("investigations:insight_detail", kwargs={"pk": insight.pk})).content.decode()
    assert "On perd des dossiers." in page
    assert "Jeanne-DRH-PME-3" not in page
    client.force_login(member(startup))  # the team still sees who said it
    page = client.get(reverse("investigations:insight_detail", kwargs={"pk": insight.pk})).content.decode()
    assert "Jeanne-DRH-PME-3" in page
