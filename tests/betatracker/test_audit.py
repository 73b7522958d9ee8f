import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from betatracker.audit import CHANGED, CREATED, DELETED, audit_entries, startup_audit_entries, trail_of
from betatracker.perms import can_view_audit
from committees.services import condition_resolve
from products.enums import MembershipRole
from products.services import phase_advance
from tests.access import build_world
from tests.products.factories import IncubatorFactory, MembershipFactory, PhaseFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_and_startup():
    incubator = IncubatorFactory()
    staff = UserFactory(full_name="Sacha Incubateur")
    incubator.staff.add(staff)
    startup = StartupFactory(incubator=incubator, name="Démarches simplifiées")
    return staff, startup


def test_a_phase_change_made_through_the_service_names_its_author(staff_and_startup):
    staff, startup = staff_and_startup
    phase_advance(startup=startup, to="investigation", on=datetime.date(2024, 1, 8), by=staff)
    phase_advance(startup=startup, to="construction", on=datetime.date(2024, 3, 11), by=staff)

    newest, closed, *_ = startup_audit_entries(startup)

    assert newest.who == staff
    assert newest.who_label == "Sacha Incubateur"
    assert newest.action == CREATED
    assert newest.object_label == "Phase « Construction (11/03/2024) »"
    assert ("Phase", "—", "Construction") in {(c.field.capitalize(), c.old, c.new) for c in newest.changes}
    assert closed.action == CHANGED
    assert closed.who == staff
    assert [(c.field, c.old, c.new) for c in closed.changes] == [("fin", "—", "11 mars 2024")]


def test_the_trail_tells_creation_change_and_deletion_of_a_startup_and_its_phases(staff_and_startup):
    staff, startup = staff_and_startup
    phase = PhaseFactory(startup=startup, name="investigation", start=datetime.date(2024, 1, 8))
    startup.mission = "Simplifier les démarches des TPE."
    startup._history_user = staff
    startup.save()
    phase._history_user = staff
    phase.delete()

    entries = startup_audit_entries(startup)

    assert [entry.action for entry in entries] == [DELETED, CHANGED, CREATED, CREATED]
    assert entries[0].object_label.startswith("Phase")
    assert entries[0].who == staff
    mission = entries[1].changes[0]
    assert (mission.field, mission.old, mission.new) == (
        "mission",
        "Aider les usagers à faire leurs démarches.",
        "Simplifier les démarches des TPE.",
    )
    assert entries[-1].object_label == "Startup d'État « Démarches simplifiées »"
    assert entries[-1].who_label == "Système"


def test_interview_decision_and_condition_changes_are_audited_with_their_author():
    world = build_world()
    author = world.people["intrapreneur"]
    for obj, field, value in [
        (world.own.interview, "intensity", 3),
        (world.own.decision, "rationale", "Le problème est réel et majeur."),
    ]:
        setattr(obj, field, value)
        obj._history_user = author
        obj.save()
        latest = audit_entries(obj)[0]
        assert latest.action == CHANGED
        assert latest.who == author
        assert len(latest.changes) == 1
    condition_resolve(condition=world.own.condition, by=author, met=True, note="Recrutement fait.")
    latest = audit_entries(world.own.condition)[0]
    assert latest.action == CHANGED
    assert latest.who == author
    assert {change.new for change in latest.changes} >= {"Tenue", "Recrutement fait."}
    assert audit_entries(world.own.interview)[0].changes[0].new == "Critique"


def test_only_incubator_staff_and_admins_may_read_the_audit_trail():
    world = build_world()
    allowed = {role for role, user in world.people.items() if user and can_view_audit(user, world.own.startup)}
    assert allowed == {"admin", "staff"}
    assert can_view_audit(world.people["staff"], world.sibling.startup)
    assert not can_view_audit(world.people["staff"], world.foreign.startup)


def _render_trail(user, obj):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load audit %}{% audit_trail obj %}").render(Context({"request": request, "obj": obj}))


def test_the_trail_shows_on_a_page_to_staff_with_the_author(staff_and_startup):
    staff, startup = staff_and_startup
    phase_advance(startup=startup, to="investigation", on=datetime.date(2024, 1, 8), by=staff)

    html = _render_trail(staff, startup)

    assert "Historique des modifications" in html
    assert "Sacha Incubateur" in html
    assert "Investigation" in html
    assert 'class="fr-accordion__btn"' in html


def test_the_trail_is_not_shown_to_the_team(staff_and_startup):
    _staff, startup = staff_and_startup
    coach = MembershipFactory(startup=startup, role=MembershipRole.COACH).user
    assert _render_trail(coach, startup).strip() == ""


@pytest.mark.parametrize(
    ("url", "obj"),
    [
        ("products:startup_detail", "startup"),
        ("investigations:interview_detail", "interview"),
        ("committees:decision_detail", "decision"),
    ],
)
def test_the_audit_trail_shows_on_the_object_page_to_staff_only(client, url, obj):
    from django.urls import reverse

    world = build_world()
    target = getattr(world.own, obj)
    kwargs = {"slug": target.slug} if obj == "startup" else {"pk": target.pk}
    client.force_login(world.people["staff"])
    assert "Historique des modifications" in client.get(reverse(url, kwargs=kwargs)).content.decode()
    client.force_login(world.people["intrapreneur"])
    page = client.get(reverse(url, kwargs=kwargs))
    assert page.status_code == 200
    assert "Historique des modifications" not in page.content.decode()


def test_the_decision_page_tells_who_resolved_or_deleted_its_conditions(client):
    from django.urls import reverse

    world = build_world()
    decision, condition = world.own.decision, world.own.condition
    resolver = UserFactory(full_name="Camille Comité")
    condition_resolve(condition=condition, by=resolver, met=True, note="Recrutement fait.")
    removed = type(condition)(decision=decision, text="Condition retirée", due_on=condition.due_on)
    removed._history_user = resolver
    removed.save()
    removed.delete()

    entries = [e for e in trail_of(decision) if e.object_label.startswith("Condition")]
    assert [e.action for e in entries][:3] == [DELETED, CREATED, CHANGED]
    assert {e.who for e in entries[:3]} == {resolver}

    client.force_login(world.people["staff"])
    page = client.get(reverse("committees:decision_detail", kwargs={"pk": decision.pk})).content.decode()
    trail = page.split("Historique des modifications", 1)[1]
    assert "Camille Comité" in trail
    assert "Recrutement fait." in trail
    assert "Suppression" in trail
