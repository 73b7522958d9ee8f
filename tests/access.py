"""The access rules of every page, the fixture world they are checked against, and the checker.

This is the ONE place to extend when a page is added: give its URL name a `Rule` in `RULES`
(or a namespace a rule with the key "namespace:*"). `tests/test_permission_matrix.py` fails,
listing the names, when a named URL has no rule; the header, bad-input and accessibility tests
reuse the same world, people and rules to visit every page as every person allowed to see it.

The expected outcome of each cell comes from this table alone (mirroring docs/permissions.md),
never from the code under test: a view that forgets its check is caught.

The fixture world: two incubators; the person of each role holds it on startup A only.
- `own`: startup A (incubator 1) — every role holder has their role here;
- `sibling`: startup A2, same incubator 1 — only incubator staff (and admin) hold a role;
- `foreign`: startup B in incubator 2 — only admin holds a role.
Each slice carries one object of every kind (phase, investigation, interview, decision…), so
that URL kwargs can be filled for any page, whatever object it addresses.
"""

import dataclasses
import datetime
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from betatracker.services import api_token_create
from committees.demo import minimal_pdf
from committees.models import CommitteeSession, Condition, Decision, Review, ReviewDocument
from investigations.models import (
    Hypothesis,
    Insight,
    Interview,
    InterviewImport,
    InvestigationRitual,
    Quote,
    Tag,
    TargetGroup,
)
from products.enums import MembershipRole
from reminders.enums import ReminderKind
from reminders.models import Notification, ReminderOptOut, SentReminder
from tests.committees.factories import AmendmentFactory
from tests.investigations.factories import InvestigationFactory
from tests.products.factories import (
    EventFactory,
    IncubatorFactory,
    MembershipFactory,
    OrganisationFactory,
    StartupFactory,
    UserFactory,
)

# --- People ---------------------------------------------------------------------------------------
ANONYMOUS = "anonymous"
OUTSIDER = "outsider"  # signed in, no role anywhere
ADMIN = "admin"  # superuser
STAFF = "staff"  # runs incubator 1
COACH = "coach"
INTRAPRENEUR = "intrapreneur"
TEAM_MEMBER = "team_member"
COMMITTEE = "committee"  # sits on a session of incubator 1 with startup A on its agenda
SPONSOR_CONTACT = "sponsor_contact"  # contact of startup A's sponsor: read-only on A

ROLES = [ANONYMOUS, OUTSIDER, ADMIN, STAFF, COACH, INTRAPRENEUR, TEAM_MEMBER, COMMITTEE, SPONSOR_CONTACT]

# Who holds a role on which slice of the world (the expectation, independent of products.perms).
HELD = {
    "own": {ADMIN: {ADMIN}, STAFF: {STAFF}, COACH: {COACH}, INTRAPRENEUR: {INTRAPRENEUR}, TEAM_MEMBER: {TEAM_MEMBER},
            COMMITTEE: {COMMITTEE}, SPONSOR_CONTACT: {SPONSOR_CONTACT}},
    "sibling": {ADMIN: {ADMIN}, STAFF: {STAFF}},
    "foreign": {ADMIN: {ADMIN}},
}  # fmt: skip
SLICES = ["own", "sibling", "foreign"]

# --- Access levels (docs/permissions.md) ----------------------------------------------------------
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in person
ADMIN_SITE = "admin_site"  # Django admin: people with is_staff (admins); others sent to the admin login
NOT_ALLOWED = None  # the method is not accepted: 405

MANAGERS = frozenset({ADMIN, STAFF})
NOTES_READERS = frozenset({ADMIN, STAFF, INTRAPRENEUR, COACH, TEAM_MEMBER})
SYNTHESIS_READERS = NOTES_READERS | {COMMITTEE, SPONSOR_CONTACT}
CONTRIBUTORS = frozenset({ADMIN, STAFF, INTRAPRENEUR, COACH, TEAM_MEMBER})
# Prepare a session and record its decisions: its members, its incubator's staff, admins.
SESSION_MEMBERS = frozenset({ADMIN, STAFF, COMMITTEE})
# See a session and its minutes: the above and the teams of the startups on its agenda.
SESSION_VIEWERS = SESSION_MEMBERS | {INTRAPRENEUR, COACH, TEAM_MEMBER, SPONSOR_CONTACT}
# Manage a startup's team (memberships, invitations): its coaches, its incubator's staff, admins.
TEAM_MANAGERS = frozenset({ADMIN, STAFF, COACH})
# Attach and remove a review's documents: the startup's contributors and those who prepare the session.
DOCUMENT_MANAGERS = CONTRIBUTORS | SESSION_MEMBERS
NOBODY = frozenset()  # no role opens it (a per-person object: see the rule's overrides)
ANSWERS_404 = "answers_404"  # a catch-all that answers 404 to everyone, by design

Access = str | frozenset | None


@dataclasses.dataclass(frozen=True)
class Rule:
    """Who may GET and who may POST one URL.

    get/post: PUBLIC, SIGNED_IN, ADMIN_SITE, NOT_ALLOWED or a frozenset of roles held on the
    startup the URL addresses.
    obj: the world object the URL addresses (an attribute of `Slice`), used to fill `pk`/`slug`.
    kwargs: a function (world, slice) -> URL kwargs, when the names alone are not enough.
    scoped: check the URL on the three slices (own, sibling, foreign); defaults to "has kwargs".
    fuzz: the bad-input test posts arbitrary data to the forms of this page.
    """

    get: Access = SIGNED_IN
    post: Access = NOT_ALLOWED
    obj: str | None = None
    kwargs: Callable[["World", "Slice"], dict] | None = None
    scoped: bool | None = None
    fuzz: bool = True
    overrides: dict = dataclasses.field(default_factory=dict)  # {(method, role): outcome} exceptions
    note: str = ""

    @property
    def public(self) -> bool:
        return PUBLIC in (self.get, self.post) or ANSWERS_404 in (self.get, self.post)


def _token_kwargs(world, slice_):
    return {"pk": world.token.pk}


def _notification_kwargs(world, slice_):
    return {"pk": world.notification.pk}


def _api_not_found_kwargs(world, slice_):
    return {"rest": "nulle-part"}


WORLD_INVITATION_TOKEN = "jeton-du-monde"


def _invitation(slice_):
    """A pending invitation to the slice's startup, its link's secret WORLD_INVITATION_TOKEN + the slice kind."""
    from django.utils import timezone

    from products.models import Invitation, token_hash

    invitation, _created = Invitation.objects.get_or_create(
        startup=slice_.startup,
        email=f"invitee-{slice_.kind}@monde.example.gouv.fr",
        defaults={
            "role": MembershipRole.TEAM_MEMBER,
            "token_hash": token_hash(f"{WORLD_INVITATION_TOKEN}-{slice_.kind}"),
            "expires_at": timezone.now() + datetime.timedelta(days=7),
        },
    )
    return invitation


def _invitation_kwargs(world, slice_):
    return {"pk": _invitation(slice_).pk}


def _invitation_token_kwargs(world, slice_):
    _invitation(slice_)
    return {"token": f"{WORLD_INVITATION_TOKEN}-{slice_.kind}"}


def _published_kwargs(world, slice_):
    """The slice's investigation, its results published."""
    from public.models import ResultsPublication

    ResultsPublication.objects.update_or_create(
        investigation=slice_.investigation, defaults={"published_at": datetime.datetime.now(datetime.UTC)}
    )
    return {"pk": slice_.investigation.pk}


def _reset_kwargs(world, slice_):
    user = world.forgetful  # never signs in: a sign-in would change last_login and void the token
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


# The rule table: URL name (or "namespace:*") -> Rule. Extend it when a page is added.
RULES: dict[str, Rule] = {
    # Sign-in pages (django.contrib.auth.urls)
    "login": Rule(get=PUBLIC, post=PUBLIC),
    "logout": Rule(get=NOT_ALLOWED, post=SIGNED_IN),
    "password_change": Rule(get=SIGNED_IN, post=SIGNED_IN),
    "password_change_done": Rule(get=SIGNED_IN),
    "password_reset": Rule(get=PUBLIC, post=PUBLIC),
    "password_reset_done": Rule(get=PUBLIC),
    "password_reset_confirm": Rule(get=PUBLIC, post=PUBLIC, kwargs=_reset_kwargs, scoped=False),
    "password_reset_complete": Rule(get=PUBLIC),
    "accessibility": Rule(get=PUBLIC),
    # Portfolio (products)
    "products:startup_list": Rule(get=SIGNED_IN),
    "products:startup_detail": Rule(get=SIGNED_IN, obj="startup", note="the sheet is public beta.gouv.fr data"),
    # Impact and money (issue 15): read with the sheet (money: by the synthesis readers, on the page); written by
    # the contributors.
    "products:impact": Rule(get=SIGNED_IN, obj="startup"),
    "products:indicator_add": Rule(get=NOT_ALLOWED, post=CONTRIBUTORS, obj="startup"),
    "products:measurement_add": Rule(get=NOT_ALLOWED, post=CONTRIBUTORS, obj="startup"),
    "products:measurement_import": Rule(get=NOT_ALLOWED, post=CONTRIBUTORS, obj="startup"),
    "products:target_add": Rule(get=NOT_ALLOWED, post=CONTRIBUTORS, obj="startup"),
    "products:spending_add": Rule(get=NOT_ALLOWED, post=CONTRIBUTORS, obj="startup"),
    # The team, managed from the app (issue 16): coaches, incubator staff, admins; a member leaves alone.
    "products:team": Rule(get=TEAM_MANAGERS, obj="startup"),
    "products:membership_add": Rule(get=NOT_ALLOWED, post=TEAM_MANAGERS, obj="startup"),
    "products:invitation_create": Rule(get=NOT_ALLOWED, post=TEAM_MANAGERS, obj="startup"),
    "products:membership_edit": Rule(get=TEAM_MANAGERS, post=TEAM_MANAGERS, obj="membership"),
    "products:membership_end": Rule(get=NOT_ALLOWED, post=TEAM_MANAGERS, obj="membership"),
    "products:membership_leave": Rule(
        get=NOT_ALLOWED,
        post=NOBODY,
        obj="membership",
        scoped=False,
        overrides={("POST", INTRAPRENEUR): "allowed"},
        note="the own slice's membership is the intrapreneur's",
    ),
    "products:invitation_resend": Rule(get=NOT_ALLOWED, post=TEAM_MANAGERS, kwargs=_invitation_kwargs),
    "products:invitation_revoke": Rule(get=NOT_ALLOWED, post=TEAM_MANAGERS, kwargs=_invitation_kwargs),
    "products:invitation_accept": Rule(
        get=PUBLIC, post=PUBLIC, kwargs=_invitation_token_kwargs, scoped=False, note="the one-time link is the key"
    ),
    # Public pages (issue 16): no sign-in; an investigation's results once published. The team publishes.
    "public:startup": Rule(get=PUBLIC, obj="startup", fuzz=False),
    "public:investigation_results": Rule(get=PUBLIC, kwargs=_published_kwargs, fuzz=False),
    "public:investigation_results_json": Rule(get=PUBLIC, kwargs=_published_kwargs, fuzz=False),
    "public:investigation_preview": Rule(get=CONTRIBUTORS, obj="investigation"),
    "public:investigation_publish": Rule(get=NOT_ALLOWED, post=CONTRIBUTORS, obj="investigation"),
    "public:investigation_unpublish": Rule(get=NOT_ALLOWED, post=CONTRIBUTORS, obj="investigation"),
    # Home dashboard, network view and timeline (portfolio): lists filtered by role.
    "home": Rule(get=SIGNED_IN, note="redirects to the dashboard or to the person's own home"),
    "my_home": Rule(get=SIGNED_IN, note="only the person's own investigations and sessions"),
    "dashboard:home": Rule(get=SIGNED_IN),
    "dashboard:export": Rule(get=SIGNED_IN),
    "dashboard:network": Rule(get=SIGNED_IN),
    "dashboard:search": Rule(get=SIGNED_IN, note="results: only what the person may read"),
    "dashboard:timeline": Rule(get=SIGNED_IN, obj="startup", note="synthesis links only for its readers"),
    # Investigations: the synthesis side is read by committee members and sponsor contacts too,
    # the raw notes only by the team, coaches and staff; writing is for contributors.
    "investigations:list": Rule(get=SIGNED_IN),
    "investigations:search": Rule(get=SIGNED_IN),
    "investigations:personal_data_log": Rule(get=MANAGERS, scoped=False),
    "investigations:open": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="startup"),
    "investigations:detail": Rule(get=SYNTHESIS_READERS, obj="investigation"),
    "investigations:edit": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="investigation"),
    "investigations:suspend": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="investigation"),
    "investigations:conclude": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="investigation"),
    "investigations:resume": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="investigation"),
    "investigations:ritual_new": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="investigation"),
    "investigations:ritual_edit": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="ritual"),
    "investigations:synthesis": Rule(get=SYNTHESIS_READERS, obj="investigation"),
    "investigations:synthesis_json": Rule(get=SYNTHESIS_READERS, obj="investigation"),
    "investigations:interview_list": Rule(get=NOTES_READERS, obj="investigation"),
    "investigations:interview_new": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="investigation"),
    "investigations:interview_export": Rule(get=NOTES_READERS, obj="investigation"),
    "investigations:interview_import": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="investigation"),
    "investigations:interview_import_status": Rule(get=CONTRIBUTORS, obj="interview_import"),
    "investigations:hypothesis_new": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="investigation"),
    "investigations:insight_new": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="investigation"),
    "investigations:interview_detail": Rule(get=NOTES_READERS, obj="interview"),
    "investigations:interview_edit": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="interview"),
    "investigations:interview_hypotheses": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="interview"),
    "investigations:interview_erase": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="interview"),
    "investigations:hypothesis_edit": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="hypothesis"),
    "investigations:insight_detail": Rule(get=SYNTHESIS_READERS, obj="insight"),
    "investigations:insight_edit": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="insight"),
    "investigations:quote_publishable": Rule(get=NOT_ALLOWED, post=CONTRIBUTORS, obj="quote"),
    # Committees: sessions are created and composed by incubator staff and admins, prepared and decided by
    # their members and staff; decisions and conditions are read like the synthesis.
    "committees:session_list": Rule(get=SIGNED_IN),
    "committees:session_create": Rule(get=MANAGERS, post=MANAGERS, scoped=False),
    "committees:session_detail": Rule(get=SESSION_VIEWERS, obj="session"),
    "committees:session_update": Rule(get=SESSION_MEMBERS, post=SESSION_MEMBERS, obj="session"),
    # Members and agenda open startups' syntheses to the session: composed by staff and admins only (issue 12).
    "committees:session_members": Rule(get=MANAGERS, post=MANAGERS, obj="session"),
    "committees:session_agenda": Rule(get=MANAGERS, post=MANAGERS, obj="session"),
    "committees:session_hold": Rule(get=NOT_ALLOWED, post=SESSION_MEMBERS, obj="session"),
    "committees:session_close": Rule(get=NOT_ALLOWED, post=SESSION_MEMBERS, obj="session"),
    "committees:session_minutes": Rule(get=SESSION_VIEWERS, obj="session"),
    "committees:session_minutes_csv": Rule(get=SESSION_VIEWERS, obj="session"),
    "committees:session_minutes_json": Rule(get=SESSION_VIEWERS, obj="session"),
    "committees:review_detail": Rule(get=SYNTHESIS_READERS, obj="review"),
    "committees:review_request": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="review"),
    # Documents of a review (issue 15): read like the review; attached and removed by the team and those who prepare
    # the session.
    "committees:review_documents": Rule(get=DOCUMENT_MANAGERS, post=DOCUMENT_MANAGERS, obj="review"),
    "committees:document_download": Rule(get=SYNTHESIS_READERS, obj="document"),
    "committees:document_remove": Rule(get=NOT_ALLOWED, post=DOCUMENT_MANAGERS, obj="document"),
    "committees:decision_create": Rule(get=SESSION_MEMBERS, post=SESSION_MEMBERS, obj="review"),
    "committees:decision_detail": Rule(get=SYNTHESIS_READERS, obj="decision"),
    "committees:decision_update": Rule(get=SESSION_MEMBERS, post=SESSION_MEMBERS, obj="decision"),
    "committees:decision_amend": Rule(get=SESSION_MEMBERS, post=SESSION_MEMBERS, obj="decision"),
    "committees:post_mortem": Rule(
        get=SESSION_MEMBERS | CONTRIBUTORS, post=SESSION_MEMBERS | CONTRIBUTORS, obj="decision"
    ),
    "committees:transfer_post_mortem": Rule(get=CONTRIBUTORS, post=CONTRIBUTORS, obj="startup"),
    "committees:decision_checklist": Rule(get=SESSION_MEMBERS, post=SESSION_MEMBERS, obj="decision"),
    "committees:condition_overdue_list": Rule(get=SIGNED_IN),
    "committees:condition_resolve": Rule(get=SESSION_MEMBERS, post=SESSION_MEMBERS, obj="condition"),
    # Read API (betatracker.api): a token or a session; 401 JSON without; read-only (405 to any POST).
    "api:openapi": Rule(get=PUBLIC, fuzz=False),
    "api:index": Rule(get=PUBLIC, fuzz=False),
    "api:docs": Rule(get=PUBLIC, fuzz=False),
    "api:startup_list": Rule(get=SIGNED_IN, fuzz=False, overrides={("POST", ANONYMOUS): "405"}),
    "api:startup_detail": Rule(get=SIGNED_IN, obj="startup", fuzz=False, overrides={("POST", ANONYMOUS): "405"}),
    "api:decision_list": Rule(get=SIGNED_IN, fuzz=False, overrides={("POST", ANONYMOUS): "405"}),
    # Writing through the API answers a bearer token with the write scope only (tests/betatracker/test_api_impact.py):
    # a browser session is told to use a token (401), a GET is refused (405) — to everyone, signed in or not.
    "api:measurement_create": Rule(
        get=NOT_ALLOWED,
        post=NOT_ALLOWED,
        obj="startup",
        fuzz=False,
        overrides={("GET", ANONYMOUS): "405", **{("POST", role): "login" for role in ROLES}},
    ),
    "api:not_found": Rule(get=ANSWERS_404, post=ANSWERS_404, kwargs=_api_not_found_kwargs, scoped=False, fuzz=False),
    # Profile and personal API tokens: one's own only (another's token is a 404).
    "profile": Rule(get=SIGNED_IN),
    "profile_token_create": Rule(get=NOT_ALLOWED, post=SIGNED_IN),
    "profile_token_revoke": Rule(
        get=NOT_ALLOWED,
        post=NOBODY,
        kwargs=_token_kwargs,
        scoped=False,
        overrides={("POST", OUTSIDER): "allowed"},
        note="the world's token belongs to the outsider",
    ),  # fmt: skip
    # Reminders: one's own notifications and preferences only (another's notification is a 404).
    "reminders:notifications": Rule(get=SIGNED_IN),
    "reminders:notification_read_all": Rule(get=NOT_ALLOWED, post=SIGNED_IN),
    "reminders:preferences": Rule(get=NOT_ALLOWED, post=SIGNED_IN),
    "reminders:notification_read": Rule(
        get=NOT_ALLOWED,
        post=NOBODY,
        kwargs=_notification_kwargs,
        scoped=False,
        overrides={("POST", OUTSIDER): "allowed"},
        note="the world's notification belongs to the outsider",
    ),  # fmt: skip
    # Ecosystem: health check, ProConnect sign-in, language switch.
    "healthz": Rule(get=PUBLIC, fuzz=False),
    "robots_txt": Rule(get=PUBLIC, fuzz=False),
    # ProConnect answers 404 while it is not configured (as in the tests): no half-working sign-in.
    "oidc_authentication_init": Rule(get=ANSWERS_404, fuzz=False),
    "oidc_authentication_callback": Rule(get=ANSWERS_404, fuzz=False),
    "set_language": Rule(get=PUBLIC, post=PUBLIC, fuzz=False),
    # Django admin, as a block: staff-only (is_staff); its login page is public.
    "admin:*": Rule(get=ADMIN_SITE, post=ADMIN_SITE, scoped=False, fuzz=False, note="Django's own forms"),
    "admin:login": Rule(get=PUBLIC, post=PUBLIC, fuzz=False),
    "admin:logout": Rule(get=ADMIN_SITE, post=ADMIN_SITE, fuzz=False, overrides={("GET", "admin"): "405"}),
}


def rule_for(name: str, rules: dict[str, Rule] | None = None) -> Rule | None:
    rules = RULES if rules is None else rules
    if name in rules:
        return rules[name]
    namespace = name.rpartition(":")[0]
    while namespace:
        if f"{namespace}:*" in rules:
            return rules[f"{namespace}:*"]
        namespace = namespace.rpartition(":")[0]
    return None


# --- URL discovery ----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class NamedURL:
    name: str  # with its namespaces, as given to reverse()
    route: str  # the pattern, for messages
    kwarg_names: tuple[str, ...]
    choices: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)


def _pattern_kwargs(pattern) -> tuple[tuple[str, ...], dict]:
    regex = pattern.regex
    names = tuple(regex.groupindex)
    choices = {}
    for name in names:  # e.g. the admin's app_list: (?P<app_label>auth|products)
        found = re.search(rf"\(\?P<{name}>([\w|]+)\)", regex.pattern)
        if found and "|" in found.group(1):
            choices[name] = found.group(1).split("|")
    return names, choices


def named_urls(urlconf=None) -> list[NamedURL]:
    """Every named URL of the project, namespaces included (walked recursively)."""
    found: dict[str, NamedURL] = {}

    def walk(resolver, namespaces, prefix, inherited):
        for pattern in resolver.url_patterns:
            names, choices = _pattern_kwargs(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = namespaces + ([pattern.namespace] if pattern.namespace else [])
                walk(pattern, ns, prefix + str(pattern.pattern), inherited + names)
            elif isinstance(pattern, URLPattern) and pattern.name:
                full = ":".join([*namespaces, pattern.name])
                found.setdefault(full, NamedURL(full, prefix + str(pattern.pattern), inherited + names, choices))

    walk(get_resolver(urlconf), [], "/", ())
    return sorted(found.values(), key=lambda u: u.name)


# --- The world --------------------------------------------------------------------------------------
@dataclasses.dataclass
class Slice:
    kind: str
    incubator: Any
    startup: Any
    organisation: Any
    phase: Any
    event: Any
    membership: Any
    investigation: Any
    target_group: Any
    tag: Any
    interview: Any
    quote: Any
    hypothesis: Any
    insight: Any
    session: Any
    review: Any
    decision: Any
    condition: Any
    amendment: Any
    interview_import: Any
    document: Any = None
    ritual: Any = None


@dataclasses.dataclass
class World:
    people: dict[str, Any]  # role -> User (None for anonymous)
    own: Slice
    sibling: Slice
    foreign: Slice
    forgetful: Any  # a person who asked for a new password (and never signs in)
    token: Any = None  # the outsider's personal API token
    notification: Any = None  # the outsider's notification (a reminder about startup A)

    def slice(self, kind: str) -> Slice:
        return getattr(self, kind)


def _slice(kind, incubator, author, members=()) -> Slice:
    today = datetime.date.today()
    organisation = OrganisationFactory()
    startup = StartupFactory(incubator=incubator, name=f"Startup {kind}", slug=f"startup-{kind}")
    startup.sponsors.add(organisation)
    investigation = InvestigationFactory(startup=startup, open=True, started_on=today - datetime.timedelta(days=60))
    phase = investigation.phase
    event = EventFactory(startup=startup)
    membership = MembershipFactory(user=author, startup=startup, role=MembershipRole.INTRAPRENEUR)
    target_group = TargetGroup.objects.create(investigation=investigation, name="TPE")
    tag, _ = Tag.objects.get_or_create(name="Démarches")
    interview = Interview.objects.create(
        investigation=investigation,
        date=today - datetime.timedelta(days=10),
        interviewer=author,
        interviewee=f"Personne {kind}",
        target_group=target_group,
        organisation="Boulangerie Martin",
        intensity=2,
        notes=f"Notes confidentielles {kind}",
        consent=True,
        retention_until=today + datetime.timedelta(days=200),
    )
    interview.tags.add(tag)
    quote = Quote.objects.create(interview=interview, text="« Je remplis trois fois le même formulaire. »")
    hypothesis = Hypothesis.objects.create(investigation=investigation, statement="Les TPE perdent du temps.")
    hypothesis.supporting_interviews.add(interview)
    insight = Insight.objects.create(investigation=investigation, statement="Les TPE ressaisissent leurs données.")
    insight.interviews.add(interview)
    insight.quotes.add(quote)
    session = CommitteeSession.objects.create(
        date=today + datetime.timedelta(days=7), kind="suivi", incubator=incubator
    )
    session.members.add(*members)
    review = Review.objects.create(session=session, startup=startup, date=session.date)
    decision = Decision.objects.create(
        review=review, startup=startup, date=today - datetime.timedelta(days=5), outcome="poursuite",
        rationale="Le problème est réel.", recorded_by=author,
    )  # fmt: skip
    condition = Condition.objects.create(decision=decision, text="Trente entretiens", due_on=today, owner=author)
    amendment = AmendmentFactory(decision=decision, author=author)
    interview_import = InterviewImport.objects.create(investigation=investigation, created_by=author, filename="a.csv")
    document = ReviewDocument(
        review=review, original_name=f"support-{kind}.pdf", size=1, content_type="application/pdf", uploaded_by=author
    )
    document.file.save(f"support-{kind}.pdf", ContentFile(minimal_pdf([f"Support {kind}"])), save=False)
    document.size = document.file.size
    document.save()
    ritual = InvestigationRitual.objects.create(
        investigation=investigation, kind="lancement", date=investigation.started_on, notes=f"Atelier {kind}"
    )
    return Slice(
        kind, incubator, startup, organisation, phase, event, membership, investigation, target_group, tag, interview,
        quote, hypothesis, insight, session, review, decision, condition, amendment, interview_import, document, ritual,
    )  # fmt: skip


def build_world() -> World:
    """Two incubators, three startups, one person per role on startup A only."""
    people = {ANONYMOUS: None}
    for role in ROLES[1:]:
        email = f"{role.replace('_', '-')}@monde.example.gouv.fr"
        people[role] = UserFactory(email=email, full_name=f"Personne {role}")
    people[ADMIN].is_superuser = people[ADMIN].is_staff = True
    people[ADMIN].save()
    incubator_1, incubator_2 = IncubatorFactory(title="Incubateur un"), IncubatorFactory(title="Incubateur deux")
    incubator_1.staff.add(people[STAFF])
    own = _slice("own", incubator_1, people[INTRAPRENEUR], members=[people[COMMITTEE]])
    for role in (COACH, TEAM_MEMBER, SPONSOR_CONTACT):
        MembershipFactory(user=people[role], startup=own.startup, role=role)
    sibling = _slice("sibling", incubator_1, UserFactory(full_name="Auteur voisin"))
    foreign = _slice("foreign", incubator_2, UserFactory(full_name="Auteur étranger"))
    forgetful = UserFactory(email="oublieux@monde.example.gouv.fr", full_name="Personne oublieuse")
    token, _ = api_token_create(user=people[OUTSIDER], name="Jeton du monde")
    reminder = SentReminder.objects.create(
        kind=ReminderKind.STALE, startup=own.startup, recipient=people[OUTSIDER], about_date=datetime.date.today()
    )
    notification = Notification.objects.create(reminder=reminder, user=people[OUTSIDER])
    ReminderOptOut.objects.create(user=people[OUTSIDER], kind=ReminderKind.DIGEST)
    return World(people, own, sibling, foreign, forgetful, token, notification)


# --- Filling URL kwargs -----------------------------------------------------------------------------
class UnfillableURL(Exception):
    pass


def _admin_object(url: NamedURL, world: World, slice_: Slice):
    """The object an admin URL `admin:<app>_<model>_<action>` addresses: the slice's own if it has one."""
    from django.apps import apps
    from django.contrib import admin

    if "_user_" in url.name:
        return world.people[OUTSIDER]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if url.name.startswith(prefix):
            for field in dataclasses.fields(Slice):
                value = getattr(slice_, field.name)
                if isinstance(value, model):
                    return value
            if model is apps.get_model("products", "User"):
                return world.people[OUTSIDER]
            return model._default_manager.order_by("pk").first()
    return None


def url_kwargs(url: NamedURL, rule: Rule, world: World, slice_: Slice) -> dict | list:
    """The URL's keyword arguments; a list of positional ones for django-simple-history's admin
    pages, whose pattern has unnamed groups (object id, history id)."""
    if url.name.startswith("admin:") and url.name.endswith("_simple_history"):
        target = _admin_object(url, world, slice_) or slice_.startup
        return [target.pk, target.history.order_by("history_id").first().history_id]
    if rule.kwargs is not None:
        return rule.kwargs(world, slice_)
    kwargs = {}
    obj = getattr(slice_, rule.obj) if rule.obj else None
    for name in url.kwarg_names:
        if name in url.choices:
            kwargs[name] = "products" if "products" in url.choices[name] else url.choices[name][0]
        elif name in ("pk", "id", "slug") and obj is not None:
            kwargs[name] = getattr(obj, name if name != "id" else "pk")
        elif name == "slug" and obj is None:
            kwargs[name] = slice_.startup.slug
        elif name in ("object_id", "history_id", "id") and url.name.startswith("admin:"):
            target = _admin_object(url, world, slice_) or slice_.startup
            if name in ("object_id", "id"):
                kwargs[name] = target.pk
            else:
                record = target.history.order_by("history_id").first()
                kwargs[name] = record.history_id if record else 0
        elif name == "content_type_id":
            kwargs[name] = ContentType.objects.get_for_model(slice_.startup).pk
        else:
            base, _, attr = name.rpartition("_")
            target = getattr(slice_, base, None) if attr in ("pk", "id", "slug") else None
            if target is None:
                raise UnfillableURL(f"{url.name} ({url.route}): cannot fill «{name}» — give its rule obj= or kwargs=")
            kwargs[name] = getattr(target, "pk" if attr == "id" else attr)
    return kwargs


def reverse_url(url: NamedURL, rule: Rule, world: World, slice_: Slice) -> str:
    params = url_kwargs(url, rule, world, slice_)
    if isinstance(params, list):
        return reverse(url.name, args=params)
    return reverse(url.name, kwargs=params or None)


# --- Checking the cells -----------------------------------------------------------------------------
ALLOWED, LOGIN, DENIED, NOT_ALLOWED_405, NOT_FOUND_404 = "allowed", "login", "denied", "405", "404"
ADMIN_ALLOWED, ADMIN_LOGIN = "admin allowed", "sent away from the admin"


def expected_outcome(rule: Rule, method: str, role: str, slice_kind: str, path: str) -> str:
    if (method, role) in rule.overrides:
        return rule.overrides[(method, role)]
    access = rule.get if method == "GET" else rule.post
    if access == ANSWERS_404:
        return NOT_FOUND_404
    if access == PUBLIC:
        return ALLOWED
    if role == ANONYMOUS:
        if access is NOT_ALLOWED and rule.public:
            return NOT_ALLOWED_405
        return LOGIN
    if access is NOT_ALLOWED:
        return NOT_ALLOWED_405
    if access == SIGNED_IN:
        return ALLOWED
    if access == ADMIN_SITE:
        return ADMIN_ALLOWED if role == ADMIN else ADMIN_LOGIN
    return ALLOWED if HELD[slice_kind].get(role, set()) & access else DENIED


def _redirects_to(response, url_name, to_sign_in=False) -> bool:
    """Whether the response redirects to `url_name`; with to_sign_in, as a sign-in demand (`?next=`),
    which tells "sign in first" from a view sending someone to the login page on purpose (logout)."""
    if response.status_code not in (301, 302, 303):
        return False
    try:
        target = reverse(url_name)
    except NoReverseMatch:
        return False
    location = response["Location"]
    return location.startswith(target) and (not to_sign_in or "next=" in location)


def _sign_in_demanded(response) -> bool:
    return _redirects_to(response, "login", to_sign_in=True) or _redirects_to(response, "admin:login", to_sign_in=True)


def outcome_matches(expected: str, response, path: str) -> bool:
    status = response.status_code
    if expected == LOGIN:
        if path.startswith("/api/"):
            return status == 401
        return _sign_in_demanded(response)
    if expected == ADMIN_LOGIN:
        return _sign_in_demanded(response) or _redirects_to(response, "admin:index") or status in (403, 404)
    if expected == ADMIN_ALLOWED:  # Django's own admin views: whatever they answer a staff member, but no refusal
        return status < 500 and not _sign_in_demanded(response)
    if expected == DENIED:
        return status in (403, 404)
    if expected == NOT_ALLOWED_405:
        return status == 405
    if expected == NOT_FOUND_404:
        return status == 404
    # Allowed: the page or the action answers (a form with errors, a redirect), never a refusal.
    return status < 500 and status not in (401, 403, 404, 405) and not _sign_in_demanded(response)


class _Rollback(Exception):
    pass


def client_for(world: World, role: str) -> Client:
    client = Client()
    if world.people[role] is not None:
        client.force_login(world.people[role])
    return client


def request_cell(client: Client, method: str, path: str):
    """GET, or POST with no data inside a rolled-back transaction (a POST may change the world)."""
    if method == "GET":
        return client.get(path)
    response = None
    try:
        with transaction.atomic():
            response = client.post(path)
            raise _Rollback
    except _Rollback:
        pass
    return response


@dataclasses.dataclass
class Cell:
    name: str
    method: str
    role: str
    slice_kind: str
    path: str
    expected: str
    status: int | None = None
    location: str = ""

    def __str__(self):
        got = f"{self.status}" + (f" → {self.location}" if self.location else "")
        cell = f"{self.name:40} {self.method:4} {self.role:16} {self.slice_kind:8} {self.path}"
        return f"{cell}: expected {self.expected}, got {got}"


def slices_for(url: NamedURL, rule: Rule) -> list[str]:
    scoped = rule.scoped if rule.scoped is not None else bool(url.kwarg_names)
    return SLICES if scoped else ["own"]


def check_url(url: NamedURL, rule: Rule, world: World, roles=ROLES, methods=("GET", "POST")) -> list[Cell]:
    """Request every cell of one URL; return the cells whose outcome is not the expected one."""
    failures = []
    for slice_kind in slices_for(url, rule):
        path = reverse_url(url, rule, world, world.slice(slice_kind))
        for role in roles:
            for method in methods:
                expected = expected_outcome(rule, method, role, slice_kind, path)
                response = request_cell(client_for(world, role), method, path)
                if not outcome_matches(expected, response, path):
                    failures.append(
                        Cell(url.name, method, role, slice_kind, path, expected, response.status_code,
                             response.get("Location", ""))
                    )  # fmt: skip
    return failures


def readable_pages(world: World, urlconf=None, roles=ROLES):
    """(url, rule, role, path) of every page a role may GET on the own slice: what the header,
    bad-input and accessibility tests visit."""
    for url in named_urls(urlconf):
        rule = rule_for(url.name)
        if rule is None:
            continue
        path = reverse_url(url, rule, world, world.own)
        for role in roles:
            if expected_outcome(rule, "GET", role, "own", path) == ALLOWED:
                yield url, rule, role, path
