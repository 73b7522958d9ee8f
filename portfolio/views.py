from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from committees.enums import Outcome
from core import versions
from core.charts import weeks_chart
from core.csv import csv_lines
from core.downloads import attach, notes_page
from products.enums import PhaseName
from products.models import Startup
from products.perms import can_view_startup, can_view_synthesis

from . import search as site_search
from . import selectors
from .forms import DashboardFilterForm, NetworkFilterForm, SearchForm

PAGE_SIZE = 50


class KnownCountPaginator(Paginator):
    """A paginator told the row count (the phase cards already counted the rows): no COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _filters(request, today):
    scopes = selectors.person_scopes(request.user, today)
    form = DashboardFilterForm(
        request.GET, user=request.user, default_scope=scopes.default, available_scopes=scopes.available, today=today
    )
    return form, form.filters(), scopes


@require_safe
def home(request):
    today = timezone.localdate()
    form, filters, scopes = _filters(request, today)
    # Kept until any startup's rows change, or the day (core.versions).
    board = versions.cached(
        "dashboard-board",
        lambda: _board(request, filters, today),
        topics=["portfolio"],
        vary=_board_vary(request, filters, today),
    )
    return render(
        request,
        "dashboard/home.html",
        {
            "form": form,
            "filters": filters,
            "scopes": [(str(selectors.SCOPE_LABELS[s]), s == filters.scope, s) for s in scopes.available],
            "active_filters": _active_filter_count(filters),
            "board": board,
            "rules": selectors.RULES,
        },
    )


def _board_vary(request, filters, today) -> list:
    """What the board and its export depend on besides the portfolio: the day, the filters as written in the
    address, and who asks unless the scope is the whole network (metadata every signed-in person may read)."""
    return [today, request.GET.urlencode(), "" if filters.scope == selectors.SCOPE_NETWORK else request.user.pk]


def _board(request, filters, today) -> dict:
    """The watch list, the phase cards and the table's page, rendered (`top`, `table`)."""
    cards = selectors.phase_cards(user=request.user, filters=filters, today=today)
    all_count = sum(c.count for c in cards)
    total = next((c.count for c in cards if c.phase == filters.phase), 0) if filters.phase else all_count
    ordered = selectors.ordered_startups(user=request.user, filters=filters, today=today).values_list("pk", flat=True)
    page = KnownCountPaginator(ordered, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    page_ids = list(page.object_list)
    watch_total, watch_refs = selectors.watch_list(user=request.user, filters=filters, today=today)
    # The page's rows and the watch list's read together: one query for both.
    rows = {
        s.pk: s for s in selectors.dashboard_page(page_ids + [r.pk for r in watch_refs if r.pk not in page_ids], today)
    }
    page.object_list = [rows[pk] for pk in page_ids if pk in rows]
    watched = [
        {"startup": rows[r.pk], "alerts": selectors.alert_actions(rows[r.pk], r)} for r in watch_refs if r.pk in rows
    ]
    sort_key = filters.sort.lstrip("-")
    columns = []
    for key, label in selectors.SORTS.items():
        active, descending = key == sort_key, key == sort_key and filters.sort.startswith("-")
        following = f"-{key}" if active and not descending else key
        columns.append(
            {
                "label": str(label),
                "active": active,
                "descending": descending,
                "following": following,
            }
        )
    context = {
        "filters": filters,
        "cards": [c for c in cards if c.count or c.phase == filters.phase],
        "empty_phases": [c.label for c in cards if not c.count and c.phase != filters.phase],
        "watched": watched,
        "watch_total": watch_total,
        "total": total,
        "all_count": all_count,
        "page_obj": page,
        "columns": columns,
        "today": today,
    }
    return {
        "top": render_to_string("dashboard/home.html#board_top", context, request),
        "table": render_to_string("dashboard/home.html#board_table", context, request),
    }


def _active_filter_count(filters) -> int:
    """How many of the folded filters are set (the phase has its tiles, the scope its buttons)."""
    return sum(
        bool(v)
        for v in (
            filters.incubator,
            filters.coach,
            filters.sponsor,
            filters.theme,
            filters.watch,
            filters.rgaa_non_conforme,
        )
    )


@require_safe
def export_csv(request):
    """Exactly the rows of the dashboard with the same filters and order, every page at once — streamed: the
    rows are read from the database in chunks and written as they come, so that memory stays flat whatever
    the size of the portfolio."""
    today = timezone.localdate()
    _form, filters, _scopes = _filters(request, today)
    rows = selectors.dashboard_rows(user=request.user, filters=filters, today=today)
    language = translation.get_language()
    # Kept in the cache in chunks, like the board, until any startup's rows change (core.versions).
    lines = versions.cached_stream(
        "dashboard-export",
        lambda: _export_lines(rows, today, language),
        topics=["portfolio"],
        vary=_board_vary(request, filters, today),
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    return attach(response, f"tableau-de-bord-{today.isoformat()}.csv")


def _export_lines(rows, today, language):
    """The CSV's lines, written in the language of the request (the generator runs after the view returns)."""
    with translation.override(language):
        yield "\ufeff"
        header = [
            _("identifiant"),
            _("startup"),
            _("incubateur"),
            _("phase"),
            _("dans la phase depuis"),
            _("jours dans la phase"),
            _("dernier comité"),
            _("décision"),
            _("prochain comité"),
            _("conditions ouvertes"),
            _("conditions échues"),
            _("entretiens (30 jours)"),
            _("alertes"),
        ]
        yield from csv_lines([header])
        phases = {phase: str(phase.label) for phase in PhaseName}
        for startup in rows.iterator(chunk_size=2000):
            selectors.decorate_row(startup, today)
            line = [
                startup.slug,
                startup.name,
                startup.incubator.title,
                phases[startup.current_phase] if startup.current_phase else "",
                startup.current_phase_start,
                startup.days_in_phase,
                startup.last_decision_date,
                startup.last_decision_outcome_label,
                startup.next_committee_on,
                startup.open_conditions,
                startup.overdue_conditions,
                startup.recent_interviews,
                " | ".join(str(r.label) for r in startup.alerts),
            ]
            yield from csv_lines([line])


@require_safe
def network(request):
    form = NetworkFilterForm(request.GET)
    incubator = form.incubator()
    today = timezone.localdate()

    def compute():
        figures = selectors.network_figures(incubator, today)
        context = {"incubator": incubator, "outcome_choices": Outcome.choices, **figures}
        return {
            "startup_count": figures["startup_count"],
            "computed_at": figures["computed_at"],
            # The charts and tables are most of the page's cost: kept rendered.
            "figures_html": render_to_string("dashboard/network.html#figures", context, request),
        }

    # Kept until a phase, a startup, a decision, a session or a spending changes (the "network" topic of
    # core.versions), or the day ends; the page says when the figures were computed.
    page = versions.cached("network", compute, topics=["network"], vary=[incubator.pk if incubator else "", today])
    return render(request, "dashboard/network.html", {"form": form, "incubator": incubator, **page})


def _synthesis_url(investigation) -> str:
    """The investigation's synthesis page, once the investigations app provides it."""
    try:
        return reverse("investigations:synthesis", kwargs={"pk": investigation.pk})
    except NoReverseMatch:
        return ""


@require_safe
def timeline(request, slug):
    today = timezone.localdate()
    startup = get_object_or_404(Startup.objects.select_related("incubator"), slug=slug)
    if not can_view_startup(request.user, startup):
        raise Http404
    with_synthesis = can_view_synthesis(request.user, startup)
    entries = selectors.startup_timeline(startup, with_synthesis=with_synthesis, today=today)
    for entry in entries:
        if entry.kind == "investigation":
            entry.item.synthesis_url = _synthesis_url(entry.item)
            entry.item.chart_id = f"semaines-{entry.item.pk}"
            if with_synthesis:
                entry.item.week_chart = weeks_chart([(week.week, week.count) for week in entry.item.weeks])
    years = []
    for entry in entries:
        if not years or years[-1][0] != entry.date.year:
            years.append((entry.date.year, []))
        years[-1][1].append(entry)
    return render(
        request,
        "dashboard/timeline.html",
        {
            "startup": startup,
            "years": years,
            "with_synthesis": with_synthesis,
            "alerts": selectors.startup_alerts(startup, today),
            "today": today,
        },
    )


@notes_page  # the results quote notes: never kept in a shared cache
@require_safe
def search(request):
    """The site search: what the person may read, grouped by kind."""
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    groups = site_search.search(request.user, text) if text else None
    return render(
        request,
        "dashboard/search.html",
        {
            "form": form,
            "q": text,
            "groups": groups,
            "total": sum(group.count for group in groups or ()),
            "crumbs": [(_("Recherche"), None)],
        },
    )
