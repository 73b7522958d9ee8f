"""Project-wide pages: the throttled login, the accessibility statement, the server error page."""

import sys

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import throttle


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class LoginView(auth_views.LoginView):
    """Django's login, refused with HTTP 429 after repeated failures for one email from one address."""

    def post(self, request, *args, **kwargs):
        self.throttle_key = {"email": request.POST.get("username", ""), "ip": client_ip(request)}
        if throttle.login_throttled(**self.throttle_key):
            return self.render_throttled()
        return super().post(request, *args, **kwargs)

    def render_throttled(self):
        # The password is not checked at all while throttled: the form carries only the message.
        form = self.get_form()
        form._errors = ErrorDict()
        form.cleaned_data = {}
        form.add_error(
            None,
            _(
                "Trop de tentatives de connexion ont échoué pour cette adresse électronique. "
                "Par sécurité, la connexion est bloquée pendant %(minutes)d minutes : réessayez plus tard "
                "ou utilisez « Mot de passe oublié ? »."
            )
            % {"minutes": int(throttle.WINDOW.total_seconds() // 60)},
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)

    def form_invalid(self, form):
        if throttle.normalise_email(self.throttle_key["email"]):  # a password was checked against an account
            throttle.failed_login_record(**self.throttle_key)
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.failed_login_clear(**self.throttle_key)
        return super().form_valid(form)


@login_not_required
@require_safe
def accessibility_statement(request):
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
