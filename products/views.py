from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView

from core import versions
from core.forms import service_error_show, submitted
from core.views import perform

from . import services
from .enums import InvitationStatus, MembershipRole
from .forms import (
    InvitationForm,
    InvitationSignUpForm,
    MembershipAddForm,
    MembershipEndForm,
    MembershipForm,
    StartupFilterForm,
)
from .models import Event, Invitation, Membership, Startup, User
from .perms import can_leave, can_manage_team, can_view_startup

ROLE_ORDER = {role: rank for rank, role in enumerate(MembershipRole.values)}


class StartupListView(ListView):
    """The portfolio: every startup with its incubator and current phase, filtered through the GET form. The
    results (count, table, pages) are the same for every signed-in person: rendered once and kept until a startup
    or a phase changes (core.versions, "network" topic: an interview logged leaves them), or the day."""

    template_name = "products/startup_list.html"
    context_object_name = "startups"
    paginate_by = 50

    def get_queryset(self):
        return self.filter_form.filter(Startup.objects.select_related("incubator").order_by("name", "pk"))

    def paginate_queryset(self, queryset, page_size):
        # A page number out of range or not a number shows the nearest page rather than an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get(self, request, *args, **kwargs):
        self.filter_form = StartupFilterForm(request.GET)
        self.filter_form.is_valid()  # the page's title and form read it, cached results or not
        results = versions.cached(
            "startup-list",
            self._results,
            topics=["network"],
            vary=[request.GET.urlencode(), timezone.localdate()],
        )
        return render(request, self.template_name, {"filter_form": self.filter_form, **results})

    def _results(self) -> dict:
        self.object_list = self.get_queryset()
        context = self.get_context_data(filter_form=self.filter_form)
        html = render_to_string(f"{self.template_name}#results", context, self.request)
        return {"results": html, "page_number": context["page_obj"].number}


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
        pk = Startup.objects.filter(slug=self.kwargs["slug"]).values_list("pk", flat=True).first()
        if pk is None:
            raise Http404
        today = timezone.localdate()

        def compute():
            startup = self.get_queryset().get(pk=pk)
            startup.phase_list = list(startup.ordered_phases().select_related("source_import", "set_by"))
            return startup

        # The sheet with its team, events and phases, the same for everyone who may read it: cached until one of
        # its rows changes (core.versions); the current team depends on the day.
        startup = versions.cached("startup-sheet", compute, startup=pk, vary=[today])
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
        user = self.request.user
        return super().get_context_data(
            phases=startup.phase_list,
            team=team,
            can_manage_team=can_manage_team(user, startup),
            my_memberships=[membership for membership in team if can_leave(user, membership)],
            panels=self.get_panels(),
            **kwargs,
        )


# --- The team: memberships and invitations ------------------------------------------------------------
def _team_startup(request, slug) -> Startup:
    startup = get_object_or_404(Startup, slug=slug)
    if not can_manage_team(request.user, startup):
        raise PermissionDenied
    return startup


def _team_page(request, startup, *, add_form=None, invite_form=None, status=200):
    memberships = (
        Membership.objects.filter(startup=startup).select_related("user").order_by("end", "role", "user__full_name")
    )
    invitations = list(Invitation.objects.filter(startup=startup).select_related("invited_by"))
    return render(
        request,
        "products/team.html",
        {
            "startup": startup,
            "current": [m for m in memberships if m.end is None or m.end >= timezone.localdate()],
            "past": [m for m in memberships if m.end is not None and m.end < timezone.localdate()],
            "invitations": invitations,
            "pending": InvitationStatus.PENDING,
            "add_form": add_form or MembershipAddForm(prefix="add"),
            "invite_form": invite_form or InvitationForm(prefix="invite"),
            "end_form": MembershipEndForm(initial={"on": timezone.localdate()}),
        },
        status=status,
    )


@require_safe
def team(request, slug):
    return _team_page(request, _team_startup(request, slug))


@require_POST
def membership_add(request, slug):
    startup = _team_startup(request, slug)
    form = MembershipAddForm(request.POST, prefix="add")
    if submitted(
        request,
        form,
        lambda data: services.membership_add(
            startup=startup,
            user=form.person,
            role=data["role"],
            time_share=data["time_share"],
            start=data["start"],
            by=request.user,
        ),
    ):
        messages.success(request, _("%(person)s a rejoint l'équipe.") % {"person": form.person})
        return redirect("products:team", slug=startup.slug)
    return _team_page(request, startup, add_form=form, status=400)


def _invitation_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("products:invitation_accept", kwargs={"token": token}))


@require_POST
def invitation_create(request, slug):
    startup = _team_startup(request, slug)
    form = InvitationForm(request.POST, prefix="invite")
    if submitted(request, form, lambda data: services.invitation_create(startup=startup, by=request.user, **data)):
        invitation, token = form.outcome
        services.invitation_mail_send(invitation=invitation, url=_invitation_url(request, token))
        messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
        return redirect("products:team", slug=startup.slug)
    return _team_page(request, startup, invite_form=form, status=400)


def _team_membership(request, pk) -> Membership:
    membership = get_object_or_404(Membership.objects.select_related("startup", "user"), pk=pk)
    if not can_manage_team(request.user, membership.startup):
        raise PermissionDenied
    return membership


def membership_edit(request, pk):
    membership = _team_membership(request, pk)
    form = MembershipForm(request.POST if request.method == "POST" else None, instance=membership)
    update = lambda data: services.membership_update(membership=membership, by=request.user, **data)  # noqa: E731
    if submitted(request, form, update):
        messages.success(request, _("Membre de l'équipe mis à jour."))
        return redirect("products:team", slug=membership.startup.slug)
    return render(
        request,
        "products/membership_form.html",
        {"form": form, "membership": membership, "startup": membership.startup},
    )


@require_POST
def membership_end(request, pk):
    membership = _team_membership(request, pk)
    form = MembershipEndForm(request.POST)
    if submitted(
        request, form, lambda data: services.membership_end(membership=membership, on=data["on"], by=request.user)
    ):
        messages.success(request, _("%(person)s ne fait plus partie de l'équipe.") % {"person": membership.user})
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect("products:team", slug=membership.startup.slug)


@require_POST
def membership_leave(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("startup"), pk=pk)
    if not can_leave(request.user, membership):
        raise Http404
    services.membership_end(membership=membership, by=request.user)
    messages.success(request, _("Vous avez quitté l'équipe de %(startup)s.") % {"startup": membership.startup})
    return redirect(membership.startup)


def _team_invitation(request, pk) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("startup"), pk=pk)
    if not can_manage_team(request.user, invitation.startup):
        raise PermissionDenied
    return invitation


@require_POST
def invitation_resend(request, pk):
    invitation = _team_invitation(request, pk)

    def resend():
        renewed, token = services.invitation_resend(invitation=invitation, by=request.user)
        services.invitation_mail_send(invitation=renewed, url=_invitation_url(request, token))

    perform(request, resend, success=_("Invitation renvoyée à %(email)s.") % {"email": invitation.email})
    return redirect("products:team", slug=invitation.startup.slug)


@require_POST
def invitation_revoke(request, pk):
    invitation = _team_invitation(request, pk)
    perform(
        request,
        lambda: services.invitation_revoke(invitation=invitation, by=request.user),
        success=_("Invitation révoquée : le lien ne fonctionne plus."),
    )
    return redirect("products:team", slug=invitation.startup.slug)


@login_not_required
def invitation_accept(request, token):
    """The link of an invitation e-mail: join the team once signed in with the invited address — by creating
    the account here (password), by signing in, or with ProConnect."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(
            request,
            "products/invitation_refused.html",
            {
                "message": _(
                    "Ce lien d'invitation n'est pas valable. Vérifiez qu'il est complet, ou demandez une nouvelle "
                    "invitation."
                )
            },
            status=404,
        )
    status = invitation.status()
    if status != InvitationStatus.PENDING:
        return render(
            request,
            "products/invitation_refused.html",
            {"message": services.INVITATION_REFUSALS[status]},
            status=410,
        )
    user = request.user
    context = {"invitation": invitation, "next": request.path}
    if user.is_authenticated:
        context["address_matches"] = user.email.lower() == invitation.email.lower()
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Bienvenue dans l'équipe de %(startup)s.") % {"startup": invitation.startup}
                )
                return redirect(invitation.startup)
        return render(request, "products/invitation_accept.html", context)
    context["account_exists"] = User.objects.filter(email__iexact=invitation.email).exists()
    form = None
    if not context["account_exists"]:
        form = InvitationSignUpForm(request.POST if request.method == "POST" else None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    person = User.objects.create_user(
                        email=invitation.email,
                        password=form.cleaned_data["password1"],
                        full_name=form.cleaned_data["full_name"],
                    )
                    services.invitation_accept(invitation=invitation, user=person)
            except ValidationError as error:
                service_error_show(form, error)
            else:
                login(request, person, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request, _("Bienvenue dans l'équipe de %(startup)s.") % {"startup": invitation.startup}
                )
                return redirect(invitation.startup)
    context["form"] = form
    return render(request, "products/invitation_accept.html", context)
