"""The post-mortem of a startup's ending: for a stop decision, or for a transfer (a phase, no decision); all four
parts required, by those who record the decision or the startup's contributors; shown on the decision page, in the
minutes (stops) and on the startup page (issue 15, item 8)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.enums import Outcome, PostMortemKind
from committees.models import PostMortem
from committees.services import post_mortem_record, post_mortem_transfer_record
from products.enums import MembershipRole, PhaseName
from tests.products.factories import MembershipFactory, PhaseFactory, StartupFactory, UserFactory

from .factories import DecisionFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "why": "Le problème n'est pas assez important pour les usagers.",
    "learnt": "Les agents ont déjà un outil qui leur convient.",
    "reused": "Le formulaire de contact est repris par l'équipe voisine.",
    "code_and_data": "Dépôt archivé sur GitHub ; données supprimées.",
}


@pytest.fixture
def stop():
    return DecisionFactory(outcome=Outcome.ARRET)


def _member(startup, role=MembershipRole.INTRAPRENEUR):
    return MembershipFactory(startup=startup, role=role, user=UserFactory()).user


def test_a_stop_decision_gets_its_post_mortem_with_its_author(stop):
    author = UserFactory()
    post_mortem = post_mortem_record(decision=stop, by=author, **TEXTS)
    assert post_mortem.recorded_by == author and post_mortem.why == TEXTS["why"]
    assert post_mortem.history.get().history_user == author


def test_recording_again_corrects_the_one_post_mortem(stop):
    post_mortem_record(decision=stop, **TEXTS)
    post_mortem_record(decision=stop, **{**TEXTS, "learnt": "Autre chose."})
    assert PostMortem.objects.get().learnt == "Autre chose."


def test_a_post_mortem_is_refused_for_a_decision_that_does_not_stop_the_startup():
    decision = DecisionFactory(outcome=Outcome.POURSUITE)
    with pytest.raises(
        ValidationError, match="Un bilan de fin s'enregistre pour un arrêt, pas pour une décision « Poursuite »"
    ):
        post_mortem_record(decision=decision, **TEXTS)
    assert not PostMortem.objects.exists()


@pytest.mark.parametrize("field", list(TEXTS))
def test_each_part_of_the_post_mortem_is_required(stop, field):
    with pytest.raises(ValidationError):
        post_mortem_record(decision=stop, **{**TEXTS, field: "  "})
    assert not PostMortem.objects.exists()


def test_the_team_records_the_post_mortem_from_the_decision_page(client, stop):
    client.force_login(_member(stop.startup))
    detail = client.get(reverse("committees:decision_detail", kwargs={"pk": stop.pk})).content.decode()
    assert "Aucun bilan de fin enregistré." in detail and "Enregistrer le bilan de fin" in detail
    response = client.post(reverse("committees:post_mortem", kwargs={"pk": stop.pk}), TEXTS, follow=True)
    page = response.content.decode()
    assert "Bilan de fin enregistré." in page and "Dépôt archivé sur GitHub" in page


@pytest.mark.parametrize("who", ["outsider", "other_startup"])
def test_an_outsider_or_a_member_of_another_startup_cannot_record_it(client, stop, who):
    user = UserFactory() if who == "outsider" else _member(StartupFactory())
    client.force_login(user)
    response = client.post(reverse("committees:post_mortem", kwargs={"pk": stop.pk}), TEXTS)
    assert response.status_code in (403, 404)
    assert not PostMortem.objects.exists()


def test_a_sponsor_contact_reads_it_but_cannot_record_it(client, stop):
    post_mortem_record(decision=stop, **TEXTS)
    client.force_login(_member(stop.startup, MembershipRole.SPONSOR_CONTACT))
    page = client.get(reverse("committees:decision_detail", kwargs={"pk": stop.pk})).content.decode()
    assert TEXTS["reused"].replace("'", "&#x27;") in page and "Modifier le bilan de fin" not in page
    assert client.post(reverse("committees:post_mortem", kwargs={"pk": stop.pk}), TEXTS).status_code == 403


def test_the_minutes_carry_the_post_mortem(client, stop):
    post_mortem_record(decision=stop, **TEXTS)
    client.force_login(_member(stop.startup))
    page = client.get(reverse("committees:session_minutes", kwargs={"pk": stop.review.session.pk})).content.decode()
    assert f"Bilan de fin — {stop.startup.name}" in page and "Dépôt archivé sur GitHub" in page


def test_the_startup_page_shows_the_post_mortem_panel_to_its_readers_only(client, stop):
    post_mortem_record(decision=stop, **TEXTS)
    url = stop.startup.get_absolute_url()
    client.force_login(_member(stop.startup))
    page = client.get(url).content.decode()
    assert 'id="bilan-de-fin-titre"' in page and "Dépôt archivé sur GitHub" in page
    client.force_login(UserFactory())
    page = client.get(url).content.decode()
    assert "Dépôt archivé sur GitHub" not in page


def test_the_minutes_make_the_same_queries_with_one_and_several_post_mortems(client):
    counts = []
    for n in (1, 4):
        first = DecisionFactory(outcome=Outcome.ARRET)
        session = first.review.session
        decisions = [first] + [DecisionFactory(outcome=Outcome.ARRET, review__session=session) for _ in range(n - 1)]
        for decision in decisions:
            post_mortem_record(decision=decision, **TEXTS)
        client.force_login(UserFactory(is_superuser=True))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("committees:session_minutes", kwargs={"pk": session.pk}))
        assert response.content.decode().count("Bilan de fin —") == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- The post-mortem of a transfer (a phase, no decision) ---------------------------------------
@pytest.fixture
def transferred():
    return PhaseFactory(name=PhaseName.TRANSFERE, start=datetime.date(2026, 3, 2)).startup


def test_a_transferred_startup_gets_its_post_mortem_without_a_decision(transferred):
    author = UserFactory()
    post_mortem = post_mortem_transfer_record(startup=transferred, by=author, **TEXTS)
    assert post_mortem.startup == transferred and post_mortem.decision is None
    assert post_mortem.kind == PostMortemKind.TRANSFERT and post_mortem.recorded_by == author
    assert post_mortem.history.get().history_user == author


def test_recording_a_transfer_post_mortem_again_corrects_it(transferred):
    post_mortem_transfer_record(startup=transferred, **TEXTS)
    post_mortem_transfer_record(startup=transferred, **{**TEXTS, "reused": "Rien."})
    assert PostMortem.objects.get().reused == "Rien."


def test_a_transfer_post_mortem_is_refused_for_a_startup_that_is_not_transferred():
    startup = PhaseFactory(name=PhaseName.CONSTRUCTION).startup
    with pytest.raises(ValidationError, match="Un bilan de transfert s'enregistre pour une startup transférée"):
        post_mortem_transfer_record(startup=startup, **TEXTS)
    assert not PostMortem.objects.exists()


def test_the_database_refuses_a_transfer_post_mortem_with_a_decision_or_a_stop_without_one(transferred, stop):
    with pytest.raises(IntegrityError), transaction.atomic():
        PostMortem.objects.create(startup=stop.startup, decision=stop, kind=PostMortemKind.TRANSFERT, **TEXTS)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostMortem.objects.create(startup=transferred, kind=PostMortemKind.ARRET, **TEXTS)
    PostMortem.objects.create(startup=transferred, kind=PostMortemKind.TRANSFERT, **TEXTS)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostMortem.objects.create(startup=transferred, kind=PostMortemKind.TRANSFERT, **TEXTS)


def test_the_team_writes_the_transfer_post_mortem_from_the_startup_page(client, transferred):
    client.force_login(_member(transferred))
    page = client.get(transferred.get_absolute_url()).content.decode()
    assert "Aucun bilan de fin enregistré." in page and "Rédiger le bilan de fin" in page
    assert "Transférée le 02/03/2026" in page
    url = reverse("committees:transfer_post_mortem", kwargs={"slug": transferred.slug})
    form = client.get(url).content.decode()
    assert "Pourquoi la startup est transférée" in form
    response = client.post(url, TEXTS, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == transferred.get_absolute_url()
    assert "Bilan de fin enregistré." in page and "Dépôt archivé sur GitHub" in page
    assert "Modifier le bilan de fin" in page and "Rédiger le bilan de fin" not in page
    assert "Pourquoi la startup est transférée" in page


def test_the_transfer_post_mortem_form_is_prefilled_to_be_corrected(client, transferred):
    post_mortem_transfer_record(startup=transferred, **TEXTS)
    client.force_login(_member(transferred, MembershipRole.COACH))
    page = client.get(reverse("committees:transfer_post_mortem", kwargs={"slug": transferred.slug})).content.decode()
    assert "Dépôt archivé sur GitHub" in page


def test_a_startup_that_is_not_transferred_offers_no_transfer_post_mortem(client):
    startup = PhaseFactory(name=PhaseName.CONSTRUCTION).startup
    client.force_login(_member(startup))
    assert 'id="bilan-de-fin-titre"' not in client.get(startup.get_absolute_url()).content.decode()
    url = reverse("committees:transfer_post_mortem", kwargs={"slug": startup.slug})
    page = client.post(url, TEXTS).content.decode()
    assert "est en phase « Construction »" in page
    assert not PostMortem.objects.exists()


def test_a_sponsor_contact_reads_the_transfer_post_mortem_but_cannot_write_it(client, transferred):
    post_mortem_transfer_record(startup=transferred, **TEXTS)
    client.force_login(_member(transferred, MembershipRole.SPONSOR_CONTACT))
    page = client.get(transferred.get_absolute_url()).content.decode()
    assert "Dépôt archivé sur GitHub" in page and "Modifier le bilan de fin" not in page
    url = reverse("committees:transfer_post_mortem", kwargs={"slug": transferred.slug})
    assert client.post(url, {**TEXTS, "why": "Autre."}).status_code == 403
    assert PostMortem.objects.get().why == TEXTS["why"]


def test_an_outsider_sees_no_transfer_post_mortem_panel(client, transferred):
    post_mortem_transfer_record(startup=transferred, **TEXTS)
    client.force_login(UserFactory())
    page = client.get(transferred.get_absolute_url()).content.decode()
    assert 'id="bilan-de-fin-titre"' not in page and "Dépôt archivé sur GitHub" not in page
