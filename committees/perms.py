"""Who may do what in committees. Small predicates built on products.perms (never re-implement roles).

Roles on a session:
- admin: a superuser;
- staff: runs the session's incubator;
- member: sits on the session;
- team: holds a current membership (intrapreneur, coach, team member, sponsor contact) on a startup on
  the agenda — sees the session's agenda, and the decisions and conditions of its own startups only.

Decisions and conditions of a startup are read by those who read its synthesis
(`products.perms.can_view_synthesis`): its team, its coaches, its incubator's staff, the members of a
session that has it on the agenda, and admins.
"""

from django.db.models import Q

from core.perms import roles_per_request
from products import perms as product_perms
from products.models import Membership, Startup

from .models import CommitteeSession, Review

ADMIN = product_perms.ADMIN
STAFF = product_perms.STAFF
MEMBER = "member"
TEAM = "team"

PREPARERS = {ADMIN, STAFF, MEMBER}
# Who composes a session (its members and its agenda): seating someone or putting a startup on the agenda
# opens that startup's synthesis and decisions to the session's members, so only those who already hold
# every startup of the incubator may do it (a member could otherwise hand anyone access: issue 12).
COMPOSERS = {ADMIN, STAFF}


def sits_on_a_session_of(user, startup: Startup) -> bool:
    """Whether `user` sits on a committee session that has `startup` on its agenda: the startup's COMMITTEE
    role (registered with products.perms in CommitteesConfig.ready())."""
    return user.committee_sessions.filter(reviews__startup=startup).exists()


def startups_on_the_agenda_of(user):
    """The ids of the startups on the agenda of a session `user` sits on (COMMITTEE, for list views)."""
    return Startup.objects.filter(reviews__session__members=user).values("pk")


@roles_per_request
def session_roles(user, session: CommitteeSession) -> set[str]:
    """The roles `user` holds on `session`."""
    roles = set()
    if user.is_superuser:
        roles.add(ADMIN)
    if product_perms.can_manage_incubator(user, session.incubator):
        roles.add(STAFF)
    if session.members.filter(pk=user.pk).exists():
        roles.add(MEMBER)
    if Membership.objects.current().filter(user=user, startup__reviews__session=session).exists():
        roles.add(TEAM)
    return roles


def can_create_session(user, incubator=None) -> bool:
    """Incubator staff (for their incubator) and admins create sessions."""
    if incubator is None:
        return product_perms.incubators_managed(user).exists()
    return product_perms.can_manage_incubator(user, incubator)


def can_view_session(user, session: CommitteeSession) -> bool:
    return bool(session_roles(user, session))


def can_prepare_session(user, session: CommitteeSession) -> bool:
    """Change the date, kind and first slot, mark it held, close it."""
    return bool(session_roles(user, session) & PREPARERS)


def can_compose_session(user, session: CommitteeSession) -> bool:
    """Change the session's members and agenda: its incubator's staff and admins only."""
    return bool(session_roles(user, session) & COMPOSERS)


def can_record_decision(user, session: CommitteeSession) -> bool:
    """Only the members of the session, its incubator's staff and admins record its decisions."""
    return bool(session_roles(user, session) & PREPARERS)


def can_view_review(user, review: Review) -> bool:
    if product_perms.can_view_synthesis(user, review.startup):
        return True
    return review.session_id is not None and can_prepare_session(user, review.session)


def can_edit_request(user, review: Review) -> bool:
    """The team's request (team, budget, hypotheses, success criteria) is written by the startup's contributors."""
    return review.session_id is not None and product_perms.can_contribute(user, review.startup)


def can_manage_documents(user, review: Review) -> bool:
    """Attach documents to a review, remove them: those who prepare its session (its members, its incubator's
    staff, admins) and those who write the team's request (the startup's contributors). Imported reviews (no
    session) take none. Whether the session still allows it is the service's rule (SESSION_WORKFLOW)."""
    if review.session_id is None:
        return False
    return can_edit_request(user, review) or can_prepare_session(user, review.session)


def can_view_document(user, document) -> bool:
    """A document is read by whoever reads its review."""
    return can_view_review(user, document.review)


def can_view_decision(user, decision) -> bool:
    if product_perms.can_view_synthesis(user, decision.startup):
        return True
    session = decision.review.session
    return session is not None and can_prepare_session(user, session)


def can_edit_decision(user, decision) -> bool:
    session = decision.review.session
    return session is not None and can_record_decision(user, session)


def can_amend_decision(user, decision) -> bool:
    """Those who record a session's decisions amend them; the imported history is amended by staff and admins."""
    session = decision.review.session
    if session is not None:
        return can_record_decision(user, session)
    return product_perms.can_manage_startup(user, decision.startup)


def can_record_post_mortem(user, decision) -> bool:
    """The post-mortem of a stop: those who record or amend the decision, and the startup's contributors."""
    return can_amend_decision(user, decision) or product_perms.can_contribute(user, decision.startup)


def can_record_transfer_post_mortem(user, startup) -> bool:
    """The post-mortem of a transfer (a phase, without a decision): the startup's contributors."""
    return product_perms.can_contribute(user, startup)


def can_resolve_condition(user, condition) -> bool:
    decision = condition.decision
    return can_amend_decision(user, decision) or product_perms.can_manage_startup(user, decision.startup)


# --- Lists, without a query per row --------------------------------------------------------------
def sessions_visible_q(user) -> Q:
    """A Q on CommitteeSession selecting the sessions `user` may see (subqueries: no duplicate rows)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    memberships = Membership.objects.current().filter(user=user)
    return (
        Q(incubator__in=user.staffed_incubators.values("pk"))
        | Q(pk__in=CommitteeSession.members.through.objects.filter(user=user).values("committeesession_id"))
        | Q(pk__in=Review.objects.filter(startup__in=memberships.values("startup_id")).values("session_id"))
    )


def sessions_visible(user):
    return CommitteeSession.objects.filter(sessions_visible_q(user))


def startups_with_visible_decisions(user):
    """The startups whose decisions and conditions `user` reads, as a subquery-friendly QuerySet."""
    return Startup.objects.filter(product_perms.startup_ids_q(user, product_perms.SYNTHESIS_READERS)).values("pk")


def decisions_visible_q(user, prefix: str = "") -> Q:
    """A Q on Decision (or on a model reaching it through `prefix`, e.g. "decision__")."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(**{f"{prefix}startup__in": startups_with_visible_decisions(user)})


def visible_startup_ids_among(user, startup_ids) -> set[int]:
    """Which of `startup_ids` have decisions `user` may read — one query for a whole agenda."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(startup_ids)
    return set(
        Startup.objects.filter(pk__in=startup_ids)
        .filter(pk__in=startups_with_visible_decisions(user))
        .values_list("pk", flat=True)
    )
