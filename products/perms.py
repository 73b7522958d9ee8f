"""Who may do what on a startup. Small predicates; every app's perms.py builds on these.

Roles on a startup (see docs/permissions.md):
- admin: a superuser (the network's portfolio managers);
- staff: runs one of the startup's incubators (main or co-incubator);
- intrapreneur, coach, team_member, sponsor_contact: a current membership on the startup;
- committee: sits on a committee session that has the startup on its agenda (granted by committees, through
  `role_register`: products knows the role's name, not how it is held).

The startup sheet (public beta.gouv.fr data) is readable by every signed-in person.
"""

import dataclasses
from collections.abc import Callable

from django.db.models import Q

from core.perms import roles_per_request

from .enums import MembershipRole
from .models import Incubator, Membership, Startup

ADMIN = "admin"
STAFF = "staff"
COMMITTEE = "committee"
INTRAPRENEUR = MembershipRole.INTRAPRENEUR.value
COACH = MembershipRole.COACH.value
TEAM_MEMBER = MembershipRole.TEAM_MEMBER.value
SPONSOR_CONTACT = MembershipRole.SPONSOR_CONTACT.value

# Who reads raw interview notes and organisations: the team, its coaches, incubator staff.
NOTES_READERS = {ADMIN, STAFF, INTRAPRENEUR, COACH, TEAM_MEMBER}
# Who reads the synthesis, insights, quotes, decisions and conditions.
SYNTHESIS_READERS = NOTES_READERS | {COMMITTEE, SPONSOR_CONTACT}
# Who works on the startup: logs interviews, runs the investigation, prepares the team's request.
CONTRIBUTORS = {ADMIN, STAFF, INTRAPRENEUR, COACH, TEAM_MEMBER}


@dataclasses.dataclass(frozen=True)
class RegisteredRole:
    """A role on a startup that an app above products grants (COMMITTEE: committees)."""

    holds: Callable  # (user, startup) -> bool
    startup_ids: Callable  # (user) -> a QuerySet of the ids of the startups on which the user holds it


# Filled from the granting app's AppConfig.ready() (committees/apps.py), in the order the checks run.
REGISTERED_ROLES: dict[str, RegisteredRole] = {}


def role_register(role: str, *, holds: Callable, startup_ids: Callable) -> None:
    REGISTERED_ROLES[role] = RegisteredRole(holds=holds, startup_ids=startup_ids)


@roles_per_request
def startup_roles(user, startup: Startup) -> set[str]:
    """The roles `user` holds on `startup`."""
    roles = set()
    if user.is_superuser:
        roles.add(ADMIN)
    incubator_ids = {startup.incubator_id, *startup.co_incubators.values_list("pk", flat=True)}
    if user.staffed_incubators.filter(pk__in=incubator_ids).exists():
        roles.add(STAFF)
    roles.update(Membership.objects.current().filter(user=user, startup=startup).values_list("role", flat=True))
    roles.update(role for role, registered in REGISTERED_ROLES.items() if registered.holds(user, startup))
    return roles


def can_view_startup(user, startup) -> bool:
    return user.is_authenticated


def can_view_notes(user, startup) -> bool:
    return bool(startup_roles(user, startup) & NOTES_READERS)


def can_view_synthesis(user, startup) -> bool:
    return bool(startup_roles(user, startup) & SYNTHESIS_READERS)


def can_contribute(user, startup) -> bool:
    return bool(startup_roles(user, startup) & CONTRIBUTORS)


def can_manage_startup(user, startup) -> bool:
    """Change phases, memberships: incubator staff and admins."""
    return bool(startup_roles(user, startup) & {ADMIN, STAFF})


# Who manages the team from the startup page: add, edit and end memberships, invite people.
TEAM_MANAGERS = {ADMIN, STAFF, COACH}


def can_manage_team(user, startup) -> bool:
    return bool(startup_roles(user, startup) & TEAM_MANAGERS)


def can_leave(user, membership) -> bool:
    """A person ends their own current membership."""
    return user.is_authenticated and membership.user_id == user.pk and membership.end is None


def startups_visible(user, roles: set[str]):
    return Startup.objects.filter(startup_ids_q(user, roles))


# --- Incubator level ----------------------------------------------------------------------------
def can_manage_incubator(user, incubator) -> bool:
    """Run the incubator's committees and portfolio: its staff and admins."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cache = user.__dict__.setdefault("_staffed_incubator_ids", None)
    if cache is None:
        cache = user.__dict__["_staffed_incubator_ids"] = frozenset(
            user.staffed_incubators.values_list("pk", flat=True)
        )
    return incubator.pk in cache


def incubators_managed(user):
    """The incubators whose committees and portfolio `user` runs (every one for an admin)."""
    if not user.is_authenticated:
        return Incubator.objects.none()
    if user.is_superuser:
        return Incubator.objects.all()
    return Incubator.objects.filter(staff=user)


def startup_ids_q(user, roles: set[str], field: str = "pk") -> Q:
    """The startups on which `user` holds one of `roles`, as a Q on a startup id column (`field`: "pk" on
    Startup, "startup_id" on a model pointing to it, "investigation__startup_id"…) — for list views, without
    a query per row. Made of IN-subqueries rather than joins: no row fan-out, so PostgreSQL keeps small
    estimates (an OR over joins made it expect millions of rows on a tiny table, and pay for JIT compilation
    on every request)."""
    if not user.is_authenticated:
        return Q(**{f"{field}__in": []})
    if ADMIN in roles and user.is_superuser:
        return Q()
    subqueries = []
    if STAFF in roles:
        subqueries.append(Startup.objects.filter(incubator__staff=user).values("pk"))
        subqueries.append(Startup.co_incubators.through.objects.filter(incubator__staff=user).values("startup_id"))
    member_roles = roles & {INTRAPRENEUR, COACH, TEAM_MEMBER, SPONSOR_CONTACT}
    if member_roles:
        subqueries.append(Membership.objects.current().filter(user=user, role__in=member_roles).values("startup_id"))
    subqueries.extend(registered.startup_ids(user) for role, registered in REGISTERED_ROLES.items() if role in roles)
    q = Q(**{f"{field}__in": []})
    for subquery in subqueries:
        q |= Q(**{f"{field}__in": subquery})
    return q


# --- Impact and money ---------------------------------------------------------------------------
def can_view_impact(user, startup) -> bool:
    """Indicators and their measurements: whoever reads the startup sheet."""
    return can_view_startup(user, startup)


def can_view_money(user, startup) -> bool:
    """Budgets granted, spending and cost per unit: those who read the committees' decisions."""
    return can_view_synthesis(user, startup)


def can_record_impact(user, startup) -> bool:
    """Add indicators, measurements, targets and spending: the team, its coaches, incubator staff, admins."""
    return can_contribute(user, startup)
