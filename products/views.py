from django.db.models import Prefetch
from django.http import Http404
from django.views.generic import DetailView, ListView

from .enums import MembershipRole
from .forms import StartupFilterForm
from .models import Event, Membership, Startup
from .perms import can_view_startup

ROLE_ORDER = {role: rank for rank, role in enumerate(MembershipRole.values)}


class StartupListView(ListView):
    """The portfolio: every startup with its incubator and current phase, filtered through the GET form."""

    template_name = "products/startup_list.html"
    context_object_name = "startups"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = StartupFilterForm(self.request.GET)
        return self.filter_form.filter(Startup.objects.select_related("incubator").order_by("name", "pk"))

    def paginate_queryset(self, queryset, page_size):
        # A page number out of range or not a number shows the nearest page rather than an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


# Sections that other apps add to the startup page, in order: each a function (user, startup) returning
# None (nothing to show, or not allowed) or a dict with the `template` to include. Products knows none of
# them: portfolio, which reads every app, fills the list in its AppConfig.ready() (portfolio/apps.py).
STARTUP_PANELS = []


class StartupDetailView(DetailView):
    """The startup sheet. Other apps add their sections through `panels` (see the template)."""

    template_name = "products/startup_detail.html"
    context_object_name = "startup"

    def get_queryset(self):
        return Startup.objects.select_related("incubator__owner").prefetch_related(
            "co_incubators",
            "themes",
            "sponsors",
            Prefetch("events", queryset=Event.objects.order_by("date", "pk")),
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().select_related("user"),
                to_attr="current_memberships",
            ),
        )

    def get_object(self, queryset=None):
        startup = super().get_object(queryset)
        if not can_view_startup(self.request.user, startup):
            raise Http404
        return startup

    def get_panels(self) -> list:
        """Sections other apps add to the page, in order (investigation summary, decisions, alerts…).

        Each is an object or dict with a `template` (a name, or a Template) that the page includes
        with the panel itself as `panel`. Build them without a query per row.
        """
        panels = (panel(self.request.user, self.object) for panel in STARTUP_PANELS)
        return [panel for panel in panels if panel]

    def get_context_data(self, **kwargs):
        startup = self.object
        team = sorted(startup.current_memberships, key=lambda m: (ROLE_ORDER.get(m.role, 99), str(m.user)))
        return super().get_context_data(
            phases=list(startup.ordered_phases().select_related("source_import", "set_by")),
            team=team,
            panels=self.get_panels(),
            **kwargs,
        )
