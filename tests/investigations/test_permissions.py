import pytest
from django.urls import reverse

from investigations.perms import can_contribute, can_view_investigation, can_view_notes
from products.enums import MembershipRole
from tests.products.factories import IncubatorFactory, StartupFactory, UserFactory

from .factories import (
    HypothesisFactory,
    InsightFactory,
    InterviewFactory,
    InvestigationFactory,
    committee_member,
    incubator_staff,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview():
    return InterviewFactory(notes="Notes confidentielles sur la Préfecture.", organisation="Préfecture du Nord")


def _notes_urls(interview):
    pk = interview.investigation_id
    return [
        reverse("investigations:interview_list", kwargs={"pk": pk}),
        reverse("investigations:interview_export", kwargs={"pk": pk}),
        reverse("investigations:interview_detail", kwargs={"pk": interview.pk}),
    ]


def _synthesis_urls(interview):
    pk = interview.investigation_id
    insight = InsightFactory(investigation=interview.investigation)
    return [
        reverse("investigations:detail", kwargs={"pk": pk}),
        reverse("investigations:synthesis", kwargs={"pk": pk}),
        reverse("investigations:synthesis_json", kwargs={"pk": pk}),
        reverse("investigations:insight_detail", kwargs={"pk": insight.pk}),
    ]


def test_a_coach_of_another_incubator_gets_404_on_notes_and_synthesis(client, interview):
    elsewhere = StartupFactory(incubator=IncubatorFactory())
    coach = member(elsewhere, MembershipRole.COACH)
    client.force_login(coach)
    for url in _notes_urls(interview) + _synthesis_urls(interview):
        assert client.get(url).status_code == 404, url


def test_staff_of_another_incubator_gets_404(client, interview):
    client.force_login(incubator_staff(IncubatorFactory()))
    for url in _notes_urls(interview):
        assert client.get(url).status_code == 404, url


def test_a_committee_member_reads_synthesis_insights_and_quotes_but_not_notes(client, interview):
    client.force_login(committee_member(interview.investigation.startup))
    for url in _synthesis_urls(interview):
        assert client.get(url).status_code == 200, url
    for url in _notes_urls(interview):
        assert client.get(url).status_code == 403, url
    synthesis = client.get(reverse("investigations:synthesis", kwargs={"pk": interview.investigation_id}))
    page = synthesis.content.decode()
    assert "Notes confidentielles" not in page
    assert "Préfecture du Nord" not in page


def test_a_committee_member_cannot_write(client, interview):
    client.force_login(committee_member(interview.investigation.startup))
    pk = interview.investigation_id
    for url in [
        reverse("investigations:edit", kwargs={"pk": pk}),
        reverse("investigations:suspend", kwargs={"pk": pk}),
        reverse("investigations:interview_new", kwargs={"pk": pk}),
        reverse("investigations:insight_new", kwargs={"pk": pk}),
        reverse("investigations:hypothesis_new", kwargs={"pk": pk}),
        reverse(
            "investigations:hypothesis_edit", kwargs={"pk": HypothesisFactory(investigation=interview.investigation).pk}
        ),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("investigations:interview_erase", kwargs={"pk": interview.pk})).status_code == 403


@pytest.mark.parametrize("role", [MembershipRole.INTRAPRENEUR, MembershipRole.COACH, MembershipRole.TEAM_MEMBER])
def test_the_team_and_its_coaches_read_notes(client, interview, role):
    client.force_login(member(interview.investigation.startup, role))
    response = client.get(reverse("investigations:interview_detail", kwargs={"pk": interview.pk}))
    assert response.status_code == 200
    assert "Notes confidentielles" in response.content.decode()


def test_incubator_staff_read_notes(client, interview):
    client.force_login(incubator_staff(interview.investigation.startup.incubator))
    assert client.get(reverse("investigations:interview_detail", kwargs={"pk": interview.pk})).status_code == 200


def test_a_sponsor_contact_reads_the_synthesis_but_not_notes(interview):
    sponsor = member(interview.investigation.startup, MembershipRole.SPONSOR_CONTACT)
    assert can_view_investigation(sponsor, interview.investigation)
    assert not can_view_notes(sponsor, interview.investigation)
    assert not can_contribute(sponsor, interview.investigation)


def test_a_former_member_no_longer_reads_notes(interview):
    import datetime

    from tests.products.factories import MembershipFactory

    former = MembershipFactory(
        startup=interview.investigation.startup,
        role=MembershipRole.INTRAPRENEUR,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
    ).user
    assert not can_view_notes(former, interview.investigation)


def test_the_investigation_list_shows_only_readable_investigations(client):
    mine, theirs = InvestigationFactory(), InvestigationFactory()
    client.force_login(member(mine.startup))
    page = client.get(reverse("investigations:list")).content.decode()
    assert mine.startup.name in page
    assert theirs.startup.name not in page


def test_anonymous_visitors_are_sent_to_the_login_page(client, interview):
    response = client.get(reverse("investigations:synthesis", kwargs={"pk": interview.investigation_id}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_superuser_reads_everything(client, interview):
    client.force_login(UserFactory(is_superuser=True))
    for url in _notes_urls(interview):
        assert client.get(url).status_code == 200, url
