"""The site search (the header's search field): startups, investigations, insights, interview notes and
quotes that the person may read, grouped by kind, in a fixed number of queries (two per kind: the count
and the first results).

Each app says how its rows are searched (`SearchQuerySet.matching`, core/search.py: French stemming on
PostgreSQL, every word with accents ignored elsewhere); who may read what comes from the apps' perms:
every startup sheet for a signed-in person (products.perms.can_view_startup), investigations, insights and
quotes where they may read the synthesis, notes where they may read the notes (investigations.perms, which
counts committee members through the role committees registers)."""

import dataclasses
import re

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import normalise, words
from investigations import perms as investigation_perms
from investigations.models import Insight, Interview, Quote
from products.models import Startup

RESULTS_PER_KIND = 20
EXCERPT_LENGTH = 240


@dataclasses.dataclass(frozen=True)
class Hit:
    title: str
    url: str
    context: str
    excerpt: str


@dataclasses.dataclass(frozen=True)
class Group:
    kind: str  # the section's id in the page
    label: str
    count: int
    hits: list[Hit]

    @property
    def truncated(self) -> bool:
        return self.count > len(self.hits)


def excerpt(text: str, terms: list[str], length: int = EXCERPT_LENGTH) -> str:
    """About `length` characters of `text` around the first of `terms` it contains (accents and case
    ignored), with « … » where it was cut; the start of `text` when no term appears as typed (a stemmed
    match on PostgreSQL)."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    positions, normalised = [], []
    for index, char in enumerate(text):
        folded = normalise(char)
        normalised.append(folded)
        positions.extend([index] * len(folded))
    haystack = "".join(normalised)
    found = [match.start() for term in terms if (match := re.search(re.escape(term), haystack))]
    centre = positions[min(found)] if found else 0
    start = max(0, min(centre - length // 3, len(text) - length))
    snippet = text[start : start + length]
    return ("…" if start else "") + snippet + ("…" if start + length < len(text) else "")


def _group(kind, label, queryset, hit, limit) -> Group:
    return Group(kind=kind, label=label, count=queryset.count(), hits=[hit(row) for row in queryset[:limit]])


def search(user, text: str, limit: int = RESULTS_PER_KIND) -> list[Group]:
    """The groups of results for `text`, in a fixed order (empty groups included), or [] for a text
    without any word."""
    terms = words(text)
    if not terms or not user.is_authenticated:
        return []
    readable = investigation_perms.investigations_readable(user).values("pk")
    with_notes = investigation_perms.investigations_with_notes(user)

    startups = Startup.objects.matching(text)
    investigations = investigation_perms.investigations_readable(user).matching(text).select_related("startup")
    insights = (
        Insight.objects.filter(investigation__in=readable).matching(text).select_related("investigation__startup")
    )
    notes = (
        Interview.objects.filter(investigation__in=with_notes.values("pk"))
        .matching(text)
        .select_related("investigation__startup", "target_group")
    )
    quotes = (
        Quote.objects.filter(interview__investigation__in=readable, withdrawn_at__isnull=True)
        .matching(text)
        .select_related("interview__investigation__startup")
        .annotate(notes_readable=Exists(with_notes.filter(pk=OuterRef("interview__investigation_id"))))
    )

    def quote_url(quote):
        if quote.notes_readable:
            return quote.interview.get_absolute_url()
        return reverse("investigations:synthesis", kwargs={"pk": quote.interview.investigation_id})

    return [
        _group(
            "startups",
            _("Startups"),
            startups,
            lambda startup: Hit(
                startup.name,
                startup.get_absolute_url(),
                startup.get_current_phase_display(),
                excerpt(startup.mission or startup.description or startup.problem or startup.solution, terms),
            ),
            limit,
        ),
        _group(
            "investigations",
            _("Investigations"),
            investigations,
            lambda investigation: Hit(
                str(investigation),
                investigation.get_absolute_url(),
                investigation.get_status_display(),
                excerpt(investigation.problem_statement or investigation.status_note, terms),
            ),
            limit,
        ),
        _group(
            "apprentissages",
            _("Apprentissages"),
            insights,
            lambda insight: Hit(
                excerpt(insight.statement, terms, length=120),
                reverse("investigations:insight_detail", kwargs={"pk": insight.pk}),
                insight.investigation.startup.name,
                "",
            ),
            limit,
        ),
        _group(
            "notes",
            _("Notes d'entretien"),
            notes,
            lambda interview: Hit(
                str(interview),
                interview.get_absolute_url(),
                interview.investigation.startup.name,
                excerpt(interview.notes, terms),
            ),
            limit,
        ),
        _group(
            "verbatims",
            _("Verbatims"),
            quotes,
            lambda quote: Hit(
                f"« {excerpt(quote.text, terms, length=160)} »",
                quote_url(quote),
                quote.interview.investigation.startup.name,
                "",
            ),
            limit,
        ),
    ]
