"""Each role's landing (issue 14): `/` and the page after sign-in. Coaches, incubator staff and admins land on the
dashboard; an intrapreneur on their open investigation ("Nouvel entretien" first, the synthesis so far) or, with
none, on their startup; a committee member on their next session, its agenda and packs. "Mon accueil" is in the
menu for everyone, and shows only the person's own investigations and sessions."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.enums import SessionStatus
from products.enums import MembershipRole
from tests.committees.factories import CommitteeSessionFactory, ReviewFactory
from tests.investigations.factories import (
    HypothesisFactory,
    InterviewFactory,
    InvestigationFactory,
    TargetGroupFactory,
    incubator_staff,
    member,
)
from tests.products.factories import IncubatorFactory, MembershipFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
MY_HOME = reverse("my_home")
DASHBOARD = reverse("dashboard:home")
PASSWORD = "motdepasse-de-test"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def links(page: str) -> list[str]:
    """The links of the page's main content, in order."""
    main = page[page.index('<main id="contenu"') :]
    return re.findall(r'<a [^>]*href="([^"]+)"', main)


def test_home_is_the_root_address_and_the_dashboard_has_its_own():
    assert HOME == "/"
    assert DASHBOARD == "/tableau-de-bord/"


def test_the_sign_in_leads_to_the_home(client):
    person = UserFactory(email="camille@example.gouv.fr")
    person.set_password(PASSWORD)
    person.save()
    response = client.post(reverse("login"), {"username": "camille@example.gouv.fr", "password": PASSWORD})
    assert response["Location"] == HOME


@pytest.mark.parametrize("role", ["admin", "staff", "coach"])
def test_admins_incubator_staff_and_coaches_land_on_the_dashboard(client, role):
    person = UserFactory(is_superuser=role == "admin")
    startup = StartupFactory()
    if role == "staff":
        incubator_staff(startup.incubator, person)
    if role == "coach":
        member(startup, MembershipRole.COACH, person)
    client.force_login(person)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


def test_a_former_coach_no_longer_lands_on_the_dashboard_for_it(client):
    person = UserFactory()
    MembershipFactory(user=person, role=MembershipRole.COACH, start=days(-400), end=days(-10))
    mine = StartupFactory()
    member(mine, MembershipRole.INTRAPRENEUR, person)
    client.force_login(person)
    assert client.get(HOME)["Location"] == mine.get_absolute_url()


def test_an_intrapreneur_lands_on_their_open_investigation_new_interview_first_then_the_synthesis(client):
    person = UserFactory()
    startup = StartupFactory(name="Répit Aidants")
    member(startup, MembershipRole.INTRAPRENEUR, person)
    investigation = InvestigationFactory(startup=startup, open=True, interview_goal=30)
    group = TargetGroupFactory(investigation=investigation, name="Aidants")
    InterviewFactory(investigation=investigation, target_group=group, tags=["Répit"])
    InterviewFactory(investigation=investigation, target_group=group, tags=["Répit"])
    HypothesisFactory(investigation=investigation)
    client.force_login(person)
    response = client.get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Mon accueil</h1>" in page
    assert "Mon investigation en cours" in page
    first = links(page)[0]
    assert first == reverse("investigations:interview_new", kwargs={"pk": investigation.pk})
    assert "Nouvel entretien" in page[: page.index("Voir la synthèse")]
    assert reverse("investigations:synthesis", kwargs={"pk": investigation.pk}) in page
    assert "La synthèse jusqu&#x27;ici" in page or "La synthèse jusqu'ici" in page
    assert "2 entretiens sur un objectif de 30" in page
    assert "Aidants : 2" in page
    assert "Répit : 2" in page
    assert "À tester : 1" in page


def test_an_intrapreneur_with_several_open_investigations_sees_them_as_a_list(client):
    person = UserFactory()
    first, second = StartupFactory(name="Alpha"), StartupFactory(name="Bêta")
    for startup in (first, second):
        member(startup, MembershipRole.INTRAPRENEUR, person)
    one = InvestigationFactory(startup=first, open=True)
    two = InvestigationFactory(startup=second, open=True)
    client.force_login(person)
    page = client.get(HOME).content.decode()
    assert "Mes investigations en cours (2)" in page
    new_interview_links = [link for link in links(page) if link.endswith("/entretiens/nouveau/")]
    assert new_interview_links == [
        reverse("investigations:interview_new", kwargs={"pk": one.pk}),
        reverse("investigations:interview_new", kwargs={"pk": two.pk}),
    ]


def test_an_intrapreneur_without_an_open_investigation_lands_on_their_startup(client):
    person = UserFactory()
    startup = StartupFactory()
    member(startup, MembershipRole.INTRAPRENEUR, person)
    InvestigationFactory(startup=startup, concluded=True)
    client.force_login(person)
    assert client.get(HOME)["Location"] == startup.get_absolute_url()


def test_a_committee_member_lands_on_their_next_session_its_agenda_and_packs(client):
    person = UserFactory()
    incubator = IncubatorFactory(title="Fabrique numérique")
    CommitteeSessionFactory(incubator=incubator, date=days(-20), members=[person], closed=True)
    later = CommitteeSessionFactory(incubator=incubator, date=days(40), members=[person])
    session = CommitteeSessionFactory(incubator=incubator, date=days(7), members=[person])
    first = ReviewFactory(session=session, startup=StartupFactory(name="Cantine Claire", incubator=incubator))
    second = ReviewFactory(session=session, startup=StartupFactory(name="Répit Aidants", incubator=incubator))
    client.force_login(person)
    response = client.get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ma prochaine séance de comité" in page
    assert "Fabrique numérique" in page
    assert links(page)[0] == reverse("committees:session_detail", args=[session.pk])
    assert reverse("committees:session_detail", args=[later.pk]) not in page
    assert "Vous siégez aussi à 1 autre séance à venir." in page
    packs = [reverse("committees:review_detail", args=[review.pk]) for review in (first, second)]
    assert [link for link in links(page) if link in packs] == packs
    assert "Dossier de Cantine Claire" in page


def test_todays_session_is_the_one_shown_until_it_is_closed(client):
    person = UserFactory()
    today = CommitteeSessionFactory(date=days(0), members=[person], status=SessionStatus.HELD)
    CommitteeSessionFactory(date=days(10), members=[person])
    client.force_login(person)
    page = client.get(HOME).content.decode()
    assert "Ma séance de comité aujourd&#x27;hui" in page or "Ma séance de comité aujourd'hui" in page
    assert links(page)[0] == reverse("committees:session_detail", args=[today.pk])


def test_a_person_with_no_role_lands_on_the_dashboard(client):
    client.force_login(UserFactory())
    assert client.get(HOME)["Location"] == DASHBOARD


def test_no_one_sees_the_investigations_or_sessions_of_others_on_their_home(client):
    person = UserFactory()
    mine = StartupFactory(name="Ma startup")
    member(mine, MembershipRole.INTRAPRENEUR, person)
    InvestigationFactory(startup=mine, open=True)
    # Someone else's investigation, a startup where the person only sponsors, and a session they do not sit on.
    InvestigationFactory(startup=StartupFactory(name="Startup voisine"), open=True)
    sponsored = StartupFactory(name="Startup sponsorisée")
    member(sponsored, MembershipRole.SPONSOR_CONTACT, person)
    InvestigationFactory(startup=sponsored, open=True)
    other = CommitteeSessionFactory(date=days(3), members=[UserFactory()])
    ReviewFactory(session=other, startup=StartupFactory(name="Startup d'un autre comité"))
    client.force_login(person)
    for address in (HOME, MY_HOME):
        page = client.get(address).content.decode()
        assert "Ma startup" in page
        assert "Startup voisine" not in page
        assert "Startup sponsorisée" not in page
        assert "Startup d&#x27;un autre comité" not in page
        assert "séance de comité" not in page.split("Ailleurs dans Betatracker")[0]


def test_my_home_is_reachable_by_everyone_from_the_menu_and_never_redirects(client):
    coach = UserFactory()
    member(StartupFactory(), MembershipRole.COACH, coach)
    session = CommitteeSessionFactory(date=days(5), members=[coach])
    client.force_login(coach)
    dashboard = client.get(DASHBOARD).content.decode()
    nav = dashboard[dashboard.index('id="navigation"') :]
    assert f'href="{MY_HOME}"' in nav and "Mon accueil" in nav
    assert f'href="{DASHBOARD}"' in nav and f'href="{reverse("committees:session_list")}"' in nav
    response = client.get(MY_HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("committees:session_detail", args=[session.pk]) in page
    assert 'aria-current="page">Mon accueil</a>' in page


def test_an_empty_home_says_so_and_points_to_the_dashboard(client):
    client.force_login(UserFactory())
    page = client.get(MY_HOME).content.decode()
    assert "Aucune investigation en cours ni séance de comité à votre nom." in page
    assert f'href="{DASHBOARD}"' in page


def test_the_home_makes_its_pinned_queries_for_one_investigation_or_several(client, snapshot_queries):
    person = UserFactory()
    session = CommitteeSessionFactory(date=days(5), members=[person])

    def add_investigation():
        startup = StartupFactory(incubator=session.incubator)
        member(startup, MembershipRole.INTRAPRENEUR, person)
        investigation = InvestigationFactory(startup=startup, open=True)
        InterviewFactory(investigation=investigation, tags=["Démarches"])
        HypothesisFactory(investigation=investigation)
        ReviewFactory(session=session, startup=startup)

    add_investigation()
    client.force_login(person)
    assert snapshot_queries(lambda: client.get(MY_HOME)).status_code == 200
    for _ in range(4):
        add_investigation()
    response = snapshot_queries(lambda: client.get(MY_HOME))
    assert response.status_code == 200
    assert response.content.decode().count("/entretiens/nouveau/") == 5
