"""Teams from the app: coaches, incubator staff and admins add, edit and end memberships and invite people."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from products.enums import MembershipRole
from products.models import Invitation, Membership, User

from .factories import MembershipFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def startup():
    return StartupFactory(slug="mon-service", name="Mon Service")


@pytest.fixture
def coach(startup):
    return MembershipFactory(startup=startup, role=MembershipRole.COACH).user


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _invite(client, email="nouvelle@example.gouv.fr", role=MembershipRole.INTRAPRENEUR, share=50):
    return client.post(
        "/startups/mon-service/equipe/inviter/",
        {"invite-email": email, "invite-role": role, "invite-time_share": share, "invite-start": ""},
    )


def _link() -> str:
    return re.search(r"http://testserver(/invitation/[\w-]+/)", mail.outbox[-1].body).group(1)


def test_a_coach_invites_an_intrapreneur_who_signs_up_and_the_time_share_alert_shows(startup, coach):
    response = _invite(_client(coach))
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nouvelle@example.gouv.fr"]
    link = _link()
    newcomer = Client()
    page = newcomer.get(link)
    assert page.status_code == 200
    assert "Rejoindre l'équipe de Mon Service" in page.content.decode()
    response = newcomer.post(
        link,
        {"full_name": "Nina Nouvelle", "password1": "un-mot-de-passe-solide", "password2": "un-mot-de-passe-solide"},
    )
    assert response.status_code == 302
    person = User.objects.get(email="nouvelle@example.gouv.fr")
    membership = Membership.objects.current().get(startup=startup, user=person)
    assert (membership.role, membership.time_share) == (MembershipRole.INTRAPRENEUR, 50)
    sheet = _client(coach).get("/startups/mon-service/").content.decode()
    assert "Nina Nouvelle" in sheet
    assert "Intrapreneur·e &lt; 60 %" in sheet or "Intrapreneur·e < 60 %" in sheet
    assert "Nina Nouvelle : 50 % de son temps" in sheet
    # Audited: the membership's creation by the newcomer, the invitation by the coach.
    assert membership.history.get().history_user == person
    assert Invitation.objects.get().history.earliest("history_date").history_user == coach


def test_an_invitation_link_serves_only_once(startup, coach):
    _invite(_client(coach))
    link = _link()
    newcomer = Client()
    newcomer.post(
        link, {"full_name": "Nina", "password1": "un-mot-de-passe-solide", "password2": "un-mot-de-passe-solide"}
    )
    again = Client().get(link)
    assert again.status_code == 410
    assert "déjà servi" in again.content.decode()


def test_an_invitation_link_expires_after_seven_days(startup, coach):
    _invite(_client(coach))
    link = _link()
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))  # seven days later
    response = Client().get(link)
    assert response.status_code == 410
    assert "a expiré" in response.content.decode()
    assert not User.objects.filter(email="nouvelle@example.gouv.fr").exists()


def test_a_resent_invitation_has_a_new_link_and_the_old_one_no_longer_works(startup, coach):
    _invite(_client(coach))
    old = _link()
    invitation = Invitation.objects.get()
    assert _client(coach).post(f"/equipe/invitations/{invitation.pk}/renvoyer/").status_code == 302
    new = _link()
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_revoked_invitation_is_refused_with_a_message(startup, coach):
    _invite(_client(coach))
    link = _link()
    invitation = Invitation.objects.get()
    _client(coach).post(f"/equipe/invitations/{invitation.pk}/revoquer/")
    response = Client().get(link)
    assert response.status_code == 410
    assert "révoquée" in response.content.decode()


def test_an_existing_account_accepts_once_signed_in_with_the_same_address(startup, coach):
    person = UserFactory(email="deja@example.gouv.fr")
    _invite(_client(coach), email="deja@example.gouv.fr", role=MembershipRole.TEAM_MEMBER, share=80)
    link = _link()
    other = _client(UserFactory(email="autre@example.gouv.fr"))
    assert "autre adresse" in other.get(link).content.decode()
    other.post(link)
    assert not Membership.objects.filter(startup=startup, user__email="autre@example.gouv.fr").exists()
    signed_in = _client(person)
    assert signed_in.post(link).status_code == 302
    assert Membership.objects.current().filter(startup=startup, user=person, time_share=80).exists()


def test_a_coach_edits_and_ends_a_membership(startup, coach):
    membership = MembershipFactory(startup=startup, role=MembershipRole.TEAM_MEMBER, time_share=100)
    client = _client(coach)
    response = client.post(
        f"/equipe/membres/{membership.pk}/modifier/",
        {"role": MembershipRole.INTRAPRENEUR, "time_share": 40, "start": "2024-01-01", "end": ""},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.time_share) == (MembershipRole.INTRAPRENEUR, 40)
    client.post(f"/equipe/membres/{membership.pk}/terminer/", {"on": "2024-06-30"})
    membership.refresh_from_db()
    assert membership.end == datetime.date(2024, 6, 30)
    assert [record.history_user for record in membership.history.order_by("history_date")][-2:] == [coach, coach]


def test_a_coach_adds_a_person_who_has_an_account(startup, coach):
    person = UserFactory(email="compte@example.gouv.fr")
    response = _client(coach).post(
        "/startups/mon-service/equipe/ajouter/",
        {"add-email": "Compte@example.gouv.fr", "add-role": MembershipRole.TEAM_MEMBER, "add-time_share": 100},
    )
    assert response.status_code == 302
    assert Membership.objects.current().filter(startup=startup, user=person).exists()


def test_adding_an_address_without_account_says_to_invite(startup, coach):
    response = _client(coach).post(
        "/startups/mon-service/equipe/ajouter/",
        {"add-email": "inconnue@example.gouv.fr", "add-role": MembershipRole.TEAM_MEMBER, "add-time_share": 100},
    )
    assert response.status_code == 400
    assert "invitez plutôt cette personne" in response.content.decode()


def test_a_team_member_may_leave(startup):
    membership = MembershipFactory(startup=startup, role=MembershipRole.TEAM_MEMBER)
    client = _client(membership.user)
    assert "Quitter l'équipe" in client.get("/startups/mon-service/").content.decode()
    assert client.post(f"/equipe/membres/{membership.pk}/quitter/").status_code == 302
    membership.refresh_from_db()
    assert membership.end == timezone.localdate()


def test_a_team_member_cannot_manage_the_team_nor_end_someone_else(startup):
    member = MembershipFactory(startup=startup, role=MembershipRole.TEAM_MEMBER).user
    other = MembershipFactory(startup=startup, role=MembershipRole.TEAM_MEMBER)
    client = _client(member)
    assert client.get("/startups/mon-service/equipe/").status_code == 403
    assert _invite(client).status_code == 403
    assert client.post(f"/equipe/membres/{other.pk}/terminer/", {"on": "2024-06-30"}).status_code == 403
    assert client.post(f"/equipe/membres/{other.pk}/quitter/").status_code == 404
    assert not Invitation.objects.exists()
    other.refresh_from_db()
    assert other.end is None


def test_a_coach_of_another_startup_cannot_manage_this_team(startup):
    elsewhere = MembershipFactory(role=MembershipRole.COACH).user
    assert _client(elsewhere).get("/startups/mon-service/equipe/").status_code == 403


def test_an_unknown_invitation_link_is_refused(db):
    response = Client().get("/invitation/nimporte-quoi/")
    assert response.status_code == 404
    assert "pas valable" in response.content.decode()
