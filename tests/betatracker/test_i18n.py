"""The English locale: a complete, up-to-date catalogue, a language switch, and every page in both languages.

After new pages are merged, run `make messages`, translate what it reports, run it again and commit
locale/en/LC_MESSAGES/django.po and django.mo. Then this module tells, page by page, what is still French
in English. A page whose URL needs parameters this module cannot fill goes in PAGE_KWARGS (preferred:
add the objects it needs to `build_world`) or, with the reason, in SKIPPED_PAGES.
"""

import ast
import datetime
import gettext
import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from betatracker.models import AllowedDomain, ProConnectIdentity
from betatracker.services import api_token_create
from committees.enums import Outcome, SessionKind
from committees.models import Amendment, CommitteeSession, Condition, Decision, Review, ReviewDocument
from investigations.enums import PersonalDataAction
from investigations.models import (
    Hypothesis,
    Insight,
    Interview,
    InterviewImport,
    Investigation,
    PersonalDataLog,
    Quote,
    Tag,
    TargetGroup,
)
from products.enums import EventKind, MembershipRole
from products.models import Incubator, Invitation, Membership, Phase, Startup, User, token_hash
from public.models import ResultsPublication
from reminders.enums import ReminderKind
from reminders.models import Notification, ReminderOptOut, SentReminder
from tests.products.factories import (
    EventFactory,
    IncubatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    StartupFactory,
    ThemeFactory,
)

BASE_DIR = Path(settings.BASE_DIR)
PO_FILE = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
UPDATE_SCRIPT = BASE_DIR / "scripts" / "i18n_update.sh"
GETTEXT_TOOLS = ("xgettext", "msgmerge", "msgfmt", "msgattrib")

# A French fragment shorter than this is not looked for in English pages ("Total", "Dates"…).
MIN_FRAGMENT_LENGTH = 12


# --- The catalogue ------------------------------------------------------------------------------
@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    msgstrs: list[str]
    flags: set[str]

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def sources(self) -> list[str]:
        return [self.msgid] + ([self.msgid_plural] if self.msgid_plural else [])


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (header and obsolete "#~" entries left out)."""
    entries, fields, flags, key = [], {}, set(), None

    def flush():
        if "msgid" in fields and fields["msgid"] != "":
            msgstrs = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr"))]
            entries.append(Entry(fields["msgid"], fields.get("msgid_plural"), fields.get("msgctxt"), msgstrs, flags))

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            flush()
            fields, flags, key = {}, set(), None
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line):
            key = match.group(1)
            fields[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            fields[key] += ast.literal_eval(line)
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
# Real HTML elements only: "Bearer <jeton>" in an API message is a placeholder for the reader, not markup.
HTML_ELEMENTS = "a|abbr|b|br|code|em|i|kbd|li|ol|p|span|strong|sup|ul"
HTML_TAG = re.compile(rf"</?(?:{HTML_ELEMENTS})\b[^>]*>")


def french_fragments(entries: list[Entry]) -> dict[str, str]:
    """The pieces of French text that must not appear on an English page, each with its msgid.

    A msgid is cut at its placeholders, HTML tags and line breaks; pieces that are short, or that the
    English translations contain themselves (names, addresses), are left out.
    """
    english = " ".join(s for entry in entries for s in entry.msgstrs).casefold()
    fragments = {}
    for entry in entries:
        if all(msgstr == source for msgstr, source in zip(entry.msgstrs, entry.sources, strict=False)):
            continue
        for source in entry.sources:
            for piece in re.split(rf"{PLACEHOLDER.pattern}|{HTML_TAG.pattern}|\n", source):
                piece = " ".join(piece.split())
                if len(piece) >= MIN_FRAGMENT_LENGTH and piece.casefold() not in english:
                    fragments.setdefault(piece, entry.msgid)
    return fragments


def test_the_english_catalogue_translates_every_string():
    entries = read_po(PO_FILE)
    assert len(entries) > 300
    untranslated = [entry.msgid for entry in entries if not all(s.strip() for s in entry.msgstrs)]
    assert untranslated == [], "Translate these in locale/en/LC_MESSAGES/django.po, then run `make messages`."
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert fuzzy == [], "Check these translations and remove their '#, fuzzy' line, then run `make messages`."


def test_translations_keep_the_placeholders_and_the_html_of_the_french():
    problems = []
    for entry in read_po(PO_FILE):
        for index, msgstr in enumerate(entry.msgstrs):
            source = entry.sources[min(index, len(entry.sources) - 1)]
            if sorted(set(PLACEHOLDER.findall(msgstr))) != sorted(set(PLACEHOLDER.findall(source))):
                problems.append(f"placeholders differ: {entry.msgid!r} → {msgstr!r}")
            if sorted(HTML_TAG.findall(msgstr)) != sorted(HTML_TAG.findall(source)):
                problems.append(f"HTML differs: {entry.msgid!r} → {msgstr!r}")
    assert problems == []


def test_the_compiled_catalogue_matches_the_po_file():
    """django.mo is what the app reads (a fresh machine cannot compile it): it must say what django.po says."""
    with MO_FILE.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    expected = {}
    for entry in read_po(PO_FILE):
        if "fuzzy" in entry.flags or not all(entry.msgstrs):
            continue  # msgfmt leaves them out: the French shows (test_the_english_catalogue_translates_every_string)
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            expected.update({(msgid, index): msgstr for index, msgstr in enumerate(entry.msgstrs)})
        else:
            expected[msgid] = entry.msgstrs[0]
    compiled = {key: value for key, value in compiled.items() if key != ""}
    assert compiled == expected, "django.mo is out of date: run `make messages` and commit django.mo."


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in GETTEXT_TOOLS) or not shutil.which("bash"),
    reason="GNU gettext (xgettext, msgmerge, msgfmt, msgattrib) is not installed: apt-get install gettext",
)
def test_the_catalogue_holds_every_string_marked_in_the_code_and_no_other(tmp_path):
    """Runs scripts/i18n_update.sh on a copy of the project and compares its catalogue with the committed one."""
    copy = tmp_path / "project"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            *(".git", ".venv", "tests", "staticfiles", "media", "node_modules"),
            *("__pycache__", ".*_cache", ".hypothesis", "*.sqlite3"),
        ),
    )
    result = subprocess.run(
        ["bash", str(copy / UPDATE_SCRIPT.relative_to(BASE_DIR))],
        cwd=copy,
        env={**_subprocess_env(), "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 2), result.stderr  # 2: strings left to translate, reported below
    from_code = {entry.key for entry in read_po(copy / PO_FILE.relative_to(BASE_DIR))}
    committed = {entry.key for entry in read_po(PO_FILE)}
    missing = sorted(msgid for _ctx, msgid, _plural in from_code - committed)
    stale = sorted(msgid for _ctx, msgid, _plural in committed - from_code)
    assert missing == [], "Strings of the code missing from the catalogue: run `make messages` and translate them."
    assert stale == [], "Strings of the catalogue no longer in the code: run `make messages`."


def _subprocess_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}


# --- Every page in both languages ---------------------------------------------------------------
@dataclass
class World:
    """One of everything a page may need, with data that holds no catalogue string."""

    superuser: User
    incubator: Incubator
    startup: Startup
    phase: Phase
    investigation: Investigation
    interview: Interview
    session: CommitteeSession
    review: Review
    decision: Decision
    hypothesis: Hypothesis
    insight: Insight
    condition: Condition
    token: object


def build_world() -> World:
    superuser = User.objects.create_superuser(
        email="alex.admin@example.gouv.fr", password="a-long-test-password", full_name="Alex Admin"
    )
    owner = OrganisationFactory(name="Sample Agency", acronym="SA", type="operateur")
    incubator = IncubatorFactory(title="Sample Incubator", owner=owner)
    incubator.staff.add(superuser)
    startup = StartupFactory(
        slug="sample.service",
        name="Sample Service",
        mission="Help people with their paperwork.",
        problem="People *wait*.",
        solution="A form.",
        description="## About\n\nA sample.",
        link="https://sample.example.gouv.fr",
        repository="https://github.com/example/sample",
        stats_url="https://sample.example.gouv.fr/stats",
        contact="team@sample.example.gouv.fr",
        usertypes=["particulier", "entreprise"],
        incubator=incubator,
    )
    startup.co_incubators.add(IncubatorFactory(title="Other Incubator"))
    startup.sponsors.add(owner)
    startup.themes.add(ThemeFactory(name="Health"))
    PhaseFactory(startup=startup, name="investigation", start=datetime.date(2024, 1, 8), end=datetime.date(2024, 3, 4))
    phase = PhaseFactory(startup=startup, name="construction", start=datetime.date(2024, 3, 4))
    EventFactory(startup=startup, kind=EventKind.COMMITTEE, date=datetime.date(2024, 3, 1), comment="Go")
    EventFactory(startup=startup, kind=EventKind.PRODUCT_LAUNCH, date=datetime.date(2024, 6, 15))
    MembershipFactory(startup=startup, user=superuser, role=MembershipRole.COACH, start=datetime.date(2024, 1, 8))
    Group.objects.create(name="Reviewers")

    investigation = Investigation.objects.create(
        startup=startup,
        phase=startup.phases.get(name="investigation"),
        started_on=datetime.date(2024, 1, 8),
        planned_end=datetime.date(2024, 3, 11),
        problem_statement="Do people wait?",
    )
    group = TargetGroup.objects.create(investigation=investigation, name="Small firms")
    interview = Interview.objects.create(
        investigation=investigation,
        date=datetime.date(2024, 1, 15),
        interviewer=superuser,
        interviewee="P1",
        target_group=group,
        intensity=2,
        consent=True,
        notes="Waits a lot.",
        retention_until=datetime.date(2024, 9, 10),
    )
    interview.tags.add(Tag.objects.create(name="delays"))
    quote = Quote.objects.create(interview=interview, text="I wait every week.")
    hypothesis = Hypothesis.objects.create(investigation=investigation, statement="People wait.")
    hypothesis.supporting_interviews.add(interview)
    insight = Insight.objects.create(investigation=investigation, statement="Waiting is common.")
    insight.quotes.add(quote)
    PersonalDataLog.objects.create(
        action=PersonalDataAction.ERASURE, interview_id=interview.pk, investigation=investigation, by=superuser, count=1
    )

    session = CommitteeSession.objects.create(
        date=datetime.date(2024, 3, 1), kind=SessionKind.FIN_INVESTIGATION, incubator=incubator
    )
    session.members.add(superuser)
    review = Review.objects.create(session=session, startup=startup, date=session.date, requested_budget_eur=150000)
    decision = Decision.objects.create(
        review=review,
        startup=startup,
        date=session.date,
        outcome=Outcome.PASSAGE_EN_CONSTRUCTION,
        rationale="Clear need.",
        budget_eur=150000,
        recorded_by=superuser,
    )
    condition = Condition.objects.create(decision=decision, text="Hire a designer.", due_on=datetime.date(2024, 6, 1))
    document = ReviewDocument(
        review=review, original_name="slides.pdf", title="Slides", size=10, content_type="application/pdf"
    )
    document.file.save("slides.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    Amendment.objects.create(
        decision=decision,
        reason="Typo.",
        changes={"rationale": {"from": "Clear ned.", "to": "Clear need."}},
        author=superuser,
    )

    AllowedDomain.objects.create(domain="example.gouv.fr", note="Sample agency", created_by=superuser)
    ProConnectIdentity.objects.create(user=superuser, sub="sample-sub-1", email=superuser.email)
    token, _raw = api_token_create(user=superuser, name="Dashboard")
    reminder = SentReminder.objects.create(
        kind=ReminderKind.CONDITION_OVERDUE,
        startup=startup,
        recipient=superuser,
        object_id=condition.pk,
        about_date=condition.due_on,
        params={"date": "2024-06-01", "text": condition.text},
        path=reverse("committees:decision_detail", args=[decision.pk]),
    )
    Notification.objects.create(reminder=reminder, user=superuser)
    ReminderOptOut.objects.create(user=superuser, kind=ReminderKind.DIGEST)
    return World(
        *(superuser, incubator, startup, phase, investigation, interview, session, review, decision),
        *(hypothesis, insight, condition, token),
    )


# URL parameters filled from the world, by parameter name (any page) …
PARAM_VALUES: dict[str, Callable[[World], object]] = {
    "slug": lambda world: world.startup.slug,
    "startup_slug": lambda world: world.startup.slug,
}
# … or for one page (the lead adds the pages of the other branches here).
PAGE_KWARGS: dict[str, Callable[[World], dict]] = {
    "password_reset_confirm": lambda world: {
        "uidb64": urlsafe_base64_encode(force_bytes(world.superuser.pk)),
        "token": default_token_generator.make_token(world.superuser),
    },
    "admin:app_list": lambda world: {"app_label": "products"},
    "products:membership_edit": lambda world: {"pk": Membership.objects.filter(startup=world.startup).first().pk},
    "products:invitation_accept": lambda world: {"token": _pending_invitation_token(world)},
    "public:investigation_results": lambda world: {"pk": _published(world).pk},
    "public:investigation_results_json": lambda world: {"pk": _published(world).pk},
}


def _pending_invitation_token(world) -> str:
    Invitation.objects.create(
        startup=world.startup,
        email="invited@example.gouv.fr",
        role=MembershipRole.TEAM_MEMBER,
        token_hash=token_hash("i18n-invitation"),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return "i18n-invitation"


def _published(world):
    ResultsPublication.objects.create(investigation=world.investigation, published_at=timezone.now())
    return world.investigation


# Pages whose only parameter is `pk`, by the object of the world that `pk` names.
PK_OBJECT: dict[str, Callable[[World], object]] = {
    **{
        f"committees:{name}": lambda world: world.session
        for name in (
            *("session_detail", "session_update", "session_agenda", "session_members", "session_hold", "session_close"),
            *("session_minutes", "session_minutes_csv", "session_minutes_json"),
        )
    },
    **{
        f"committees:{name}": lambda world: world.review
        for name in ("review_detail", "review_request", "review_documents", "decision_create")
    },
    **{
        f"committees:{name}": lambda world: world.decision
        for name in ("decision_detail", "decision_update", "decision_amend", "post_mortem", "decision_checklist")
    },
    "committees:condition_resolve": lambda world: world.condition,
    **{
        f"committees:{name}": lambda world: ReviewDocument.objects.get(review=world.review)
        for name in ("document_download", "document_remove")
    },
    "investigations:interview_import_status": lambda world: InterviewImport.objects.create(
        investigation=world.investigation, created_by=world.superuser, filename="sample.csv", status="done", imported=3
    ),
    **{
        f"investigations:{name}": lambda world: world.investigation
        for name in (
            *("detail", "edit", "suspend", "resume", "conclude", "ritual_new", "synthesis", "synthesis_json"),
            *("interview_list",),
            *("interview_new", "interview_import", "interview_export", "hypothesis_new", "insight_new"),
        )
    },
    **{
        f"investigations:{name}": lambda world: world.interview
        for name in ("interview_detail", "interview_edit", "interview_hypotheses", "interview_erase")
    },
    "investigations:ritual_edit": lambda world: world.investigation.rituals.create(
        kind="lancement", date=world.investigation.started_on, notes="Atelier."
    ),
    "investigations:hypothesis_edit": lambda world: world.hypothesis,
    "investigations:insight_detail": lambda world: world.insight,
    "investigations:insight_edit": lambda world: world.insight,
    "profile_token_revoke": lambda world: world.token,
    "public:investigation_preview": lambda world: world.investigation,
}
# Named URLs that are not pages to check, with the reason. Extend it, never to hide a French string.
SKIPPED_PAGES: dict[str, str] = {
    "set_language": "the language switch itself: a POST action",
    "logout": "sign-out: a POST action",
    "admin:logout": "sign-out: a POST action",
    "admin:jsi18n": "JavaScript catalogue, not a page",
    "admin:autocomplete": "JSON for the admin's autocomplete widgets",
    "admin:view_on_site": "redirects to the object's page, checked on its own",
    "admin:auth_user_password_change": (
        "Django's own help text there is translated once, at import (AdminPasswordChangeForm in "
        "django/contrib/auth/forms.py adds a str to a lazy string): French whatever the language"
    ),
    "oidc_authentication_init": "redirects to ProConnect (404 while ProConnect is not configured): not a page",
    "oidc_authentication_callback": "ProConnect's return address: an action, not a page",
    "admin:betatracker_apitoken_add": "no add form (403): a token is created by its owner on the profile page",
    "admin:committees_amendment_add": "no add form (403): an amendment is recorded on the decision's page",
    "admin:committees_reviewdocument_add": "no add form (403): a document is attached on the review's page",
    "admin:investigations_personaldatalog_add": "no add form (403): the log is written by erasures and purges",
    **dict.fromkeys(
        (
            *("investigations:quote_publishable", "products:membership_add", "products:invitation_create"),
            *("products:membership_end", "products:membership_leave", "products:invitation_resend"),
            *("products:invitation_revoke", "public:investigation_publish", "public:investigation_unpublish"),
            *("products:indicator_add", "products:measurement_add", "products:measurement_import"),
            *("products:target_add", "products:spending_add"),
        ),
        "a POST action (its messages are checked on the page it returns to)",
    ),
    "admin:reminders_sentreminder_add": "no add form (403): a reminder is recorded when it is sent",
    "reminders:notification_read": "marks a notification read: a POST action",
    "reminders:notification_read_all": "marks the notifications read: a POST action",
    "reminders:preferences": "saves the profile's reminder settings: a POST action",
}
# Families of URLs left out, by pattern on the name, with the reason.
SKIPPED_PATTERNS: dict[str, str] = {
    r"^admin:dsfr_": "django-dsfr's own settings model, not our strings",
    r"^admin:django_tasks_database_": "django-tasks-db's own task results, not our strings",
    r"^admin:\w+_(delete|history|simple_history)$": "admin confirmations and histories: Django's own strings",
    r"^api:(?!openapi$)": "the read API: JSON for programs, signed in by a personal token (401 for a session)",
}
# Actions (POST only: GET answers 405) and downloads (not HTML): no page to read. Checked to be so below.
ACTIONS = {
    "profile_token_create",
    "profile_token_revoke",
    "committees:session_hold",
    "committees:session_close",
    "committees:document_remove",
}
DOWNLOADS = {
    "api:openapi",
    "healthz",
    "robots_txt",
    "dashboard:export",
    "investigations:synthesis_json",
    "investigations:interview_export",
    "committees:session_minutes_csv",
    "committees:session_minutes_json",
    "committees:document_download",
    "public:investigation_results_json",
}


def _named_urls(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _skip_reason(name: str) -> str | None:
    if name in SKIPPED_PAGES:
        return SKIPPED_PAGES[name]
    return next((reason for rule, reason in SKIPPED_PATTERNS.items() if re.search(rule, name)), None)


NAMED_URLS = sorted(dict(_named_urls(get_resolver().url_patterns)).items())
# The pages checked below: every named URL but those left out above, each for its stated reason.
PAGES = [(name, pattern) for name, pattern in NAMED_URLS if not _skip_reason(name) and name not in ACTIONS | DOWNLOADS]


def _admin_object_kwargs(name: str, parameters: list[str]) -> dict | None:
    """`admin:<app>_<model>_change` and the like: the first object of that model in the world."""
    for model in admin.site._registry:
        if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            instance = model._default_manager.order_by("pk").first()
            assert instance is not None, f"{name}: the world holds no {model.__name__}; add one to build_world()."
            return dict.fromkeys(parameters, instance.pk)
    return None


def _url(name: str, pattern: URLPattern, world: World) -> str:
    parameters = list(pattern.pattern.regex.groupindex)
    if name in PAGE_KWARGS:
        return reverse(name, kwargs=PAGE_KWARGS[name](world))
    if name in PK_OBJECT:
        return reverse(name, kwargs={"pk": PK_OBJECT[name](world).pk})
    if not parameters:
        return reverse(name)
    if set(parameters) <= {"object_id", "id"} and (kwargs := _admin_object_kwargs(name, parameters)):
        return reverse(name, kwargs=kwargs)
    unknown = [parameter for parameter in parameters if parameter not in PARAM_VALUES]
    assert not unknown, (
        f"{name} needs {unknown}: fill them in PAGE_KWARGS or PARAM_VALUES (or list the page in SKIPPED_PAGES)."
    )
    return reverse(name, kwargs={parameter: PARAM_VALUES[parameter](world) for parameter in parameters})


def _get(client, url: str, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    try:
        return client.get(url, follow=True)
    finally:
        translation.activate(settings.LANGUAGE_CODE)


# Parts of pages that show data rather than interface text, cut out before looking for French.
DATA_IN_PAGES = [
    # Permission names are stored in the database, in French, when the migrations run (Django does so).
    re.compile(r'<select[^>]*name="(?:user_)?permissions(?:_old)?"[^>]*>.*?</select>', re.DOTALL),
    # Addresses (links, forms, the language switch's return address) and element ids (#apprentissages) are
    # French by design: not interface text.
    re.compile(r'\b(?:href|action|src|id)="[^"]*"|name="next" value="[^"]*"'),
]


def _french_left(body: str, fragments: dict[str, str]) -> list[str]:
    for data in DATA_IN_PAGES:
        body = data.sub(" ", body)
    text = " ".join(html.unescape(body).split()).casefold()
    return sorted({msgid for fragment, msgid in fragments.items() if fragment.casefold() in text})


@pytest.fixture(scope="module")
def fragments():
    return french_fragments(read_po(PO_FILE))


def test_english_pages_are_checked_against_the_french_of_the_catalogue(fragments):
    assert "Portefeuille des Startups d'État" in fragments
    assert "Betatracker" not in fragments  # the same in both languages


def test_every_url_left_out_is_still_in_the_urlconf():
    """A renamed or removed URL leaves no stale exclusion behind (it would hide the page that takes its name)."""
    names = {name for name, _pattern in NAMED_URLS}
    assert sorted((set(SKIPPED_PAGES) | ACTIONS | DOWNLOADS) - names) == []
    assert [rule for rule in SKIPPED_PATTERNS if not any(re.search(rule, name) for name in names)] == []
    assert len(PAGES) > 100


@pytest.mark.django_db
def test_the_urls_left_out_as_actions_or_downloads_are_so(client):
    world = build_world()
    client.force_login(world.superuser)
    named = dict(NAMED_URLS)
    answers = {}
    for name in sorted(ACTIONS | DOWNLOADS):
        response = client.get(_url(name, named[name], world))
        answers[name] = (response.status_code, response.get("Content-Type", "").split(";")[0])
    assert {name: status for name, (status, _type) in answers.items() if name in ACTIONS} == dict.fromkeys(ACTIONS, 405)
    assert {name: answer for name, answer in answers.items() if name in DOWNLOADS} == {
        "api:openapi": (200, "application/json"),
        "healthz": (200, "application/json"),
        "robots_txt": (200, "text/plain"),
        "dashboard:export": (200, "text/csv"),
        "investigations:synthesis_json": (200, "application/json"),
        "investigations:interview_export": (200, "text/csv"),
        "committees:session_minutes_csv": (200, "text/csv"),
        "committees:session_minutes_json": (200, "application/json"),
        "committees:document_download": (200, "application/pdf"),
        "public:investigation_results_json": (200, "application/json"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), PAGES, ids=[name for name, _pattern in PAGES])
def test_page_speaks_the_language_chosen_and_no_french_is_left_in_english(client, name, pattern, fragments):
    world = build_world()
    url = _url(name, pattern, world)
    if getattr(pattern.callback, "login_required", True):
        client.force_login(world.superuser)  # public pages are checked as an anonymous visitor sees them

    french = _get(client, url, "fr")
    assert french.status_code == 200, f"{name}: GET {url} gave {french.status_code}"
    assert french["Content-Type"].startswith("text/html"), f"{name}: {url} is not HTML: list it in DOWNLOADS"
    document = "<html" in french.content.decode()  # else a fragment (htmx partial): no <html> to look at
    if document:
        assert re.search(r'<html[^>]*\blang="fr"', french.content.decode()), f'{name}: no <html lang="fr">'

    english = _get(client, url, "en")
    assert english.status_code == 200, f"{name}: GET {url} in English gave {english.status_code}"
    body = english.content.decode()
    if document:
        assert re.search(r'<html[^>]*\blang="en"', body), f'{name}: no <html lang="en">'
    left = _french_left(body, fragments)
    assert not left, f"{name} ({url}) shows in English these French strings of the catalogue:\n" + "\n".join(left)


# --- The language switch ------------------------------------------------------------------------
@pytest.mark.django_db
def test_sign_in_page_offers_both_languages_without_javascript(client):
    page = client.get(reverse("login")).content.decode()
    assert f'<form method="post" action="{reverse("set_language")}">' in page
    assert 'name="language" value="fr"' in page
    assert 'name="language" value="en"' in page
    assert re.search(r'value="fr"[^>]*aria-current="true"[^>]*>FR - Français<', page)
    assert 'name="next" value="/comptes/connexion/"' in page


@pytest.mark.django_db
def test_anonymous_visitor_switches_the_sign_in_page_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en"' in page
    assert "Sign in to Betatracker" in page
    assert "Connexion à Betatracker" not in page
    assert re.search(r'value="en"[^>]*aria-current="true"[^>]*>EN - English<', page)


@pytest.mark.django_db
def test_signed_in_person_switches_to_english_and_back_to_french(client):
    user = User.objects.create_user(email="kim@example.gouv.fr", password="a-long-test-password", full_name="Kim")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("products:startup_list")})
    assert "State Startups portfolio" in client.get(reverse("products:startup_list")).content.decode()
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("products:startup_list")})
    page = html.unescape(client.get(reverse("products:startup_list")).content.decode())
    assert "Portefeuille des Startups d'État" in page


@pytest.mark.django_db
def test_unknown_language_or_foreign_return_address_changes_nothing_and_breaks_nothing(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="fr"' in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_browser_asking_for_english_gets_english_until_a_language_is_chosen(client):
    page = client.get(reverse("login"), headers={"accept-language": "en-GB,en;q=0.8"}).content.decode()
    assert '<html lang="en"' in page
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    page = client.get(reverse("login"), headers={"accept-language": "en-GB,en;q=0.8"}).content.decode()
    assert '<html lang="fr"' in page


@pytest.mark.django_db
def test_password_reset_mail_is_written_in_the_language_of_the_request(client):
    User.objects.create_user(email="kim@example.gouv.fr", password="a-long-test-password", full_name="Kim")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("password_reset"), {"email": "kim@example.gouv.fr"})
    translation.activate(settings.LANGUAGE_CODE)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Betatracker: choose a new password"
    assert "Someone (you, most likely) asked to choose a new password" in mail.outbox[0].body


# --- Dates and numbers --------------------------------------------------------------------------
@pytest.mark.django_db
def test_dates_and_time_shares_on_a_startup_page_follow_the_language(client):
    world = build_world()
    client.force_login(world.superuser)
    french = html.unescape(_get(client, world.startup.get_absolute_url(), "fr").content.decode())
    english = html.unescape(_get(client, world.startup.get_absolute_url(), "en").content.decode())
    assert "15 juin 2024" in french
    assert "Du 8 janvier 2024 au 4 mars 2024" in french
    assert "June 15, 2024" in english
    assert "From Jan. 8, 2024 to March 4, 2024" in english
    assert "juin" not in english
    assert "<td>100 %</td>" in french
    assert "<td>100%</td>" in english


@pytest.mark.django_db
def test_counts_carry_the_thousands_separator_of_the_language(client):
    incubator = IncubatorFactory()
    Startup.objects.bulk_create(
        Startup(slug=f"service-{n:04d}", name=f"Service {n:04d}", incubator=incubator) for n in range(1000)
    )
    client.force_login(User.objects.create_user(email="kim@example.gouv.fr", password="x-long-password-1"))
    french = html.unescape(_get(client, reverse("products:startup_list"), "fr").content.decode())
    english = html.unescape(_get(client, reverse("products:startup_list"), "en").content.decode())
    assert "1\xa0000 startups d'État" in french
    assert "1,000 State Startups" in english


@pytest.mark.django_db
def test_short_dates_in_names_and_messages_follow_the_language():
    phase = PhaseFactory(name="construction", start=datetime.date(2024, 3, 14))
    with translation.override("fr"):
        assert str(phase) == "Construction (14/03/2024)"
    with translation.override("en"):
        assert str(phase) == "Construction (03/14/2024)"


def _template_files():
    folders = [BASE_DIR / "templates", *(path / "templates" for path in BASE_DIR.iterdir() if path.is_dir())]
    return [path for folder in folders if folder.is_dir() for path in folder.rglob("*.*")]


def test_templates_never_print_an_identifier_that_the_thousands_separator_would_break():
    """With USE_THOUSAND_SEPARATOR, {{ interview.pk }} prints "1 234" (a broken link or form value): use
    {% url %}, |unlocalize or |stringformat:"s" instead."""
    raw_ids = re.compile(r"\{\{\s*[\w.]+\.(?:pk|id|(?!auto_id\b)\w+_id)\s*\}\}")  # a form field's auto_id is a str
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0)}"
        for path in _template_files()
        for match in raw_ids.finditer(path.read_text(encoding="utf-8"))
    ]
    assert len(_template_files()) > 10
    assert offenders == []
