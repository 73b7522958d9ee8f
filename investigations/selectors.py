"""Reads for pages of other apps and for search, each in a fixed number of queries."""

from django.db import connection
from django.db.models import Count, Q

from products import perms as startup_perms

from . import perms
from .models import Interview, Investigation, Quote, Tag

SEARCH_LIMIT = 50
TAG_SUGGESTIONS_LIMIT = 300


def tag_suggestions(user, limit: int = TAG_SUGGESTIONS_LIMIT) -> list[str]:
    """The tags offered on the interview form: those used in investigations `user` may read, never a tag typed
    on another startup's interviews (security review, issue 12). One query."""
    readable = perms.investigations_readable(user).values("pk")
    used = Interview.tags.through.objects.filter(interview__investigation__in=readable).values("tag_id")
    return list(Tag.objects.filter(pk__in=used).order_by("name").values_list("name", flat=True)[:limit])


def startup_panel(user, startup) -> dict | None:
    """The investigations panel of a startup page, or None when the person may not read them (or there is
    nothing to show them). The lead includes `panel.template` with `panel` in the context."""
    can_read = startup_perms.can_view_synthesis(user, startup)
    can_contribute = startup_perms.can_contribute(user, startup)
    if not can_read:
        return None
    investigations = list(
        Investigation.objects.filter(startup=startup)
        .annotate(
            interview_count=Count("interviews", distinct=True),
            insight_count=Count("insights", distinct=True),
        )
        .latest_first()
    )
    if not investigations and not can_contribute:
        return None
    return {
        "template": "investigations/includes/startup_panel.html",
        "startup": startup,
        "investigations": investigations,
        "can_contribute": can_contribute,
        "can_view_notes": startup_perms.can_view_notes(user, startup),
        "can_open": can_contribute and not any(investigation.is_open for investigation in investigations),
    }


def search(user, text: str, limit: int = SEARCH_LIMIT) -> dict:
    """Interviews whose notes match (investigations whose notes the person may read) and quotes that match
    (investigations whose synthesis they may read). PostgreSQL: full-text search with the French
    configuration, best first; elsewhere: a plain case-insensitive substring search, newest first."""
    text = " ".join((text or "").split())
    if not text:
        return {"interviews": [], "quotes": []}
    interviews = Interview.objects.filter(investigation__in=perms.investigations_with_notes(user)).select_related(
        "investigation__startup", "target_group"
    )
    quotes = Quote.objects.filter(interview__investigation__in=perms.investigations_readable(user)).select_related(
        "interview__investigation__startup", "interview__target_group"
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        query = SearchQuery(text, config="french", search_type="websearch")
        interviews = (
            interviews.annotate(document=SearchVector("notes", config="french"))
            .filter(document=query)
            .annotate(rank=SearchRank(SearchVector("notes", config="french"), query))
            .order_by("-rank", "-date", "-pk")
        )
        quotes = (
            quotes.annotate(document=SearchVector("text", config="french"))
            .filter(document=query)
            .annotate(rank=SearchRank(SearchVector("text", config="french"), query))
            .order_by("-rank", "-interview__date", "-pk")
        )
    else:
        interviews = interviews.filter(Q(notes__icontains=text)).order_by("-date", "-pk")
        quotes = quotes.filter(text__icontains=text).order_by("-interview__date", "-pk")
    return {"interviews": list(interviews[:limit]), "quotes": list(quotes[:limit])}
