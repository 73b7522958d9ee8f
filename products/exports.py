"""The portfolio interchange format: `manage.py export_portfolio` writes it, the JSON API reuses
its field names, the tests compare it with the beta.gouv.fr files."""

from django.db.models import Prefetch

from .models import Incubator, Organisation, Phase, Startup


def startups_for_export():
    """Every startup with what the export needs, in a constant number of queries."""
    return (
        Startup.objects.order_by("slug")
        .select_related("incubator")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("start", "rank")),
            Prefetch("co_incubators", queryset=Incubator.objects.only("pk", "slug").order_by("slug")),
            Prefetch("sponsors", queryset=Organisation.objects.only("pk", "slug").order_by("slug")),
        )
    )


def quality_export(startup: Startup) -> dict:
    """Quality and compliance as the beta.gouv.fr file says: null when it says nothing ([] for techno)."""
    return {
        "techno": list(startup.techno or []),
        "accessibility_status": startup.accessibility_status or None,
        "analyse_risques": startup.analyse_risques,
        "mon_service_securise": startup.mon_service_securise,
        "dashlord_url": startup.dashlord_url or None,
        "stats": startup.stats,
        "fast": startup.fast or None,
    }


def startup_export(startup: Startup) -> dict:
    """One startup: phases in lifecycle order, dates as ISO strings (null for an open end). The one startup dict:
    `export_portfolio` writes it and the JSON API's startup summary is it (query with `startups_for_export`)."""
    co_incubators = sorted(i.slug for i in startup.co_incubators.all() if i.pk != startup.incubator_id)
    return {
        "slug": startup.slug,
        "name": startup.name,
        "incubator": startup.incubator.slug,
        "incubators": [startup.incubator.slug, *co_incubators],
        "sponsors": sorted(o.slug for o in startup.sponsors.all()),
        "current_phase": startup.current_phase or None,
        "phases": [
            {
                "name": phase.name,
                "start": phase.start.isoformat(),
                "end": phase.end.isoformat() if phase.end else None,
            }
            for phase in startup.phases.all()
        ],
        **quality_export(startup),
    }


def portfolio_export(startups=None) -> list[dict]:
    """The whole portfolio (or the given startups, prepared by `startups_for_export`), sorted by slug."""
    startups = startups_for_export() if startups is None else startups
    # Sorted here rather than by the database, whose collation may differ (dots, capitals).
    return sorted((startup_export(startup) for startup in startups), key=lambda row: row["slug"])
