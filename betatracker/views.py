"""Health check, and the profile page where a person manages their personal API tokens and their reminders."""

import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from reminders.forms import ReminderPreferencesForm

from . import accounts, oidc
from . import home as homes
from .models import ApiToken, ProConnectIdentity
from .services import api_token_create, api_token_revoke
from .token_forms import ApiTokenForm

logger = logging.getLogger(__name__)

MAX_ACTIVE_TOKENS = 20


@require_safe
def home(request):
    """`/` and the landing after sign-in: the dashboard for coaches, incubator staff and admins; for an
    intrapreneur with neither an open investigation nor a session, their startup; else their own home."""
    today = timezone.localdate()
    if homes.lands_on_dashboard(request.user, today):
        return redirect("dashboard:home")
    mine = homes.personal_home(request.user, today)
    if not mine.investigations and mine.session is None and len(mine.startups) == 1:
        return redirect(mine.startups[0])
    if mine.is_empty:
        return redirect("dashboard:home")
    return _render_home(request, mine, today)


@require_safe
def my_home(request):
    """ "Mon accueil" from the menu: the same home, for everyone, never redirected."""
    today = timezone.localdate()
    return _render_home(request, homes.personal_home(request.user, today), today)


def _render_home(request, mine, today):
    return render(request, "betatracker/home.html", {"home": mine, "today": today})


@login_not_required
@transaction.non_atomic_requests
@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 otherwise. Public, exempt from the HTTPS redirect."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
@transaction.non_atomic_requests
@require_safe
def robots_txt(request):
    """Search engines may index the public pages (/public/, each with its own description) and nothing else;
    the other pages also say `noindex` (templates/base.html), for the engines that reach them by a link."""
    public = reverse("public:startup", args=["x"]).split("startups/")[0]
    lines = ["User-agent: *", f"Allow: {public}", "Disallow: /", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _profile_page(request, *, form=None, new_token=None):
    tokens = ApiToken.objects.filter(user=request.user).prefetch_related("startups").order_by("-created_at", "-pk")
    context = {
        "form": form or ApiTokenForm(user=request.user),
        "tokens": tokens,
        "new_token": new_token,
        "api_token_days": settings.API_TOKEN_DAYS,
        "proconnect_enabled": oidc.is_enabled(),
        "proconnect_identity": ProConnectIdentity.objects.filter(user=request.user).first(),
        "reminder_form": ReminderPreferencesForm(user=request.user),
    }
    response = render(request, "betatracker/profile.html", context)
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@require_safe
def profile(request):
    return _profile_page(request)


@require_POST
def profile_token_create(request):
    """Creates a token and shows its secret once, in this very response: it is never stored."""
    form = ApiTokenForm(request.POST, user=request.user)
    if form.is_valid():
        if ApiToken.objects.active().filter(user=request.user).count() >= MAX_ACTIVE_TOKENS:
            form.add_error(
                None,
                _("Vous avez déjà %(count)d jetons actifs : révoquez-en un avant d'en créer un autre.")
                % {"count": MAX_ACTIVE_TOKENS},
            )
        else:
            token, raw = api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                startups=form.cleaned_data["startups"],
                can_write=form.cleaned_data["can_write"],
            )
            return _profile_page(request, new_token={"token": token, "raw": raw})
    return _profile_page(request, form=form)


@require_POST
def profile_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token, by=request.user)
    messages.success(
        request, _("Le jeton « %(name)s » est révoqué : il ne donne plus accès à l'API.") % {"name": token.name}
    )
    return redirect("profile")


@login_not_required
@require_safe
def accessibility(request):
    """The accessibility statement (déclaration d'accessibilité): public, as the law requires."""
    return render(request, "accessibility.html")


def server_error(request):
    """handler500. When the database cannot be reached (a restart, a failover), say so with a 503
    and Retry-After rather than a bare 500. The page needs neither the database nor the session."""
    unavailable = isinstance(sys.exception(), OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    response = HttpResponse(loader.render_to_string("500.html", {"unavailable": unavailable}), status=status)
    if unavailable:
        response["Retry-After"] = "5"
    return response


@never_cache
@login_not_required
def admin_login(request):
    """The admin's own login page (/admin/login/), throttled like the main one and sharing its
    failure counter: otherwise it would be a way around the throttle to the most powerful accounts.
    Mirrors django.contrib.admin.AdminSite.login."""
    from django.contrib import admin
    from django.contrib.admin.forms import AdminAuthenticationForm

    redirect_url = accounts.LoginView().get_redirect_url(request) or reverse("admin:index")
    if request.method == "GET" and admin.site.has_permission(request):
        return HttpResponseRedirect(redirect_url)
    context = {
        **admin.site.each_context(request),
        "title": _("Connexion"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        REDIRECT_FIELD_NAME: redirect_url,
    }
    request.current_app = admin.site.name
    view = accounts.LoginView.as_view(
        extra_context=context, authentication_form=AdminAuthenticationForm, template_name="admin/login.html"
    )
    return view(request)
