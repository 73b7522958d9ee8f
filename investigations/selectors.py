"""Reads for pages of other apps, each in a fixed number of queries."""

from django.db.models import Count

from core import versions
from products import perms as startup_perms

from . import perms
from .models import Interview, Investigation, Tag

TAG_SUGGESTIONS_LIMIT = 300
FEW_INVESTIGATIONS = 200


def tag_suggestions(user, limit: int = TAG_SUGGESTIONS_LIMIT) -> list[str]:
    """The tags offered on the interview form: those used in investigations `user` may read, never a tag typed
    on another startup's interviews (security review, issue 12). Two queries."""
    # The readable investigations first, as a list when they are few (a team's): planned inside one statement, the
    # permission subquery made the database walk every tag's interviews (30 ms at 1,000 startups for an
    # intrapreneur on one investigation).
    readable = perms.investigations_readable(user).values_list("pk", flat=True)
    few = list(readable[: FEW_INVESTIGATIONS + 1])
    if len(few) <= FEW_INVESTIGATIONS:
        readable = few
    used = Interview.tags.through.objects.filter(interview__investigation_id__in=readable).values("tag_id")
    return list(Tag.objects.filter(pk__in=used).order_by("name").values_list("name", flat=True)[:limit])


def startup_panel(user, startup) -> dict | None:
    """The investigations panel of a startup page, or None when the person may not read them (or there is
    nothing to show them). The lead includes `panel.template` with `panel` in the context."""
    can_read = startup_perms.can_view_synthesis(user, startup)
    can_contribute = startup_perms.can_contribute(user, startup)
    if not can_read:
        return None
    investigations = versions.cached(  # until one of the startup's rows changes (core.versions)
        "investigation-panel",
        lambda: list(
            Investigation.objects.filter(startup=startup)
            .annotate(
                interview_count=Count("interviews", distinct=True),
                insight_count=Count("insights", distinct=True),
            )
            .latest_first()
        ),
        startup=startup.pk,
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
