"""Accounts: sign in with an email address, sign out (POST), reset or change a password.

Django's auth views, with French DSFR templates in templates/registration/. Only sign-in and
the password-reset pages are public (Django marks them `login_not_required`); everything else
sits behind LoginRequiredMiddleware.
"""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.forms.utils import ErrorDict
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.forms import DsfrFormMixin

from . import oidc, throttle
from .services import api_tokens_revoke_all


class EmailAuthenticationForm(DsfrFormMixin, AuthenticationForm):
    """Sign in with an email address, whatever the case typed (addresses are stored in lower case)."""

    username = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        error_messages={
            "invalid": _("Saisissez une adresse électronique valide, par exemple prenom.nom@exemple.gouv.fr.")
        },
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Adresse électronique ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class DsfrPasswordResetForm(DsfrFormMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocapitalize"] = "none"


class DsfrPasswordChangeForm(DsfrFormMixin, PasswordChangeForm):
    pass


class DsfrSetPasswordForm(DsfrFormMixin, SetPasswordForm):
    pass


def _wait_message(seconds: int) -> str:
    return ngettext("Réessayez dans %(seconds)s seconde.", "Réessayez dans %(seconds)s secondes.", seconds) % {
        "seconds": seconds
    }


def _throttled(view, form, message: str, seconds: int):
    """The form again with only the message (nothing was checked), HTTP 429 with Retry-After."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    form.add_error(None, f"{message} {_wait_message(seconds)}")
    response = view.render_to_response(view.get_context_data(form=form), status=429)
    response["Retry-After"] = str(seconds)
    return response


class LoginView(auth_views.LoginView):
    """Sign in with an email address; after repeated failures, each try has to wait a little longer
    (HTTP 429 "réessayez dans N secondes"; betatracker.throttle, in the database so that every web process
    shares it)."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        self.throttle_key = {"email": request.POST.get("username", ""), "ip": throttle.client_ip(request)}
        if seconds := throttle.login_wait(**self.throttle_key):
            return self.render_throttled(seconds)
        return super().post(request, *args, **kwargs)

    def render_throttled(self, seconds: int):
        # The password is not checked at all while throttled: the form carries only the message.
        message = gettext(
            "Trop de tentatives de connexion ont échoué pour cette adresse électronique. Par sécurité, la "
            "connexion est ralentie ; vous pouvez aussi utiliser « Mot de passe oublié ? »."
        )
        return _throttled(self, self.get_form(), message, seconds)

    def form_invalid(self, form):
        if throttle.normalise_email(self.throttle_key["email"]):  # a password was checked against an account
            throttle.failed_login_record(**self.throttle_key)
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.failed_login_clear(**self.throttle_key)
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Each request is counted per address typed and per client address: a flood of reset e-mails slows down."""

    form_class = DsfrPasswordResetForm

    def post(self, request, *args, **kwargs):
        key = {"email": request.POST.get("email", ""), "ip": throttle.client_ip(request)}
        if seconds := throttle.password_reset_wait(**key):
            message = gettext("Trop de demandes de réinitialisation depuis votre connexion.")
            return _throttled(self, self.get_form(), message, seconds)
        if throttle.normalise_email(key["email"]):
            throttle.failed_login_record(**key, kind=throttle.AttemptKind.PASSWORD_RESET)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Wrong current passwords are counted like failed sign-ins: a session left open does not let anyone
    guess the password at full speed. A change revokes the person's API tokens."""

    form_class = DsfrPasswordChangeForm

    def post(self, request, *args, **kwargs):
        self.throttle_key = {
            "email": request.user.email,
            "ip": throttle.client_ip(request),
            "kind": throttle.AttemptKind.PASSWORD_CHANGE,
        }
        if seconds := throttle.password_change_wait(email=request.user.email, ip=self.throttle_key["ip"]):
            message = gettext("Trop de mots de passe actuels erronés.")
            return _throttled(self, self.get_form(), message, seconds)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password"):
            throttle.failed_login_record(**self.throttle_key)
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.failed_login_clear(**self.throttle_key)
        api_tokens_revoke_all(user=form.user)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A password set through a reset link revokes the person's API tokens."""

    form_class = DsfrSetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        api_tokens_revoke_all(user=form.user)
        return response


class LogoutView(auth_views.LogoutView):
    """Ends the Betatracker session; after a ProConnect sign-in, goes on to end the ProConnect session."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(oidc.ID_TOKEN_SESSION_KEY, "")
        response = super().post(request, *args, **kwargs)
        provider_logout = oidc.provider_logout_url(request, id_token)
        return HttpResponseRedirect(provider_logout) if provider_logout else response


urlpatterns = [
    path("connexion/", LoginView.as_view(), name="login"),
    path("deconnexion/", LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("mot-de-passe-oublie/", PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reinitialisation/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reinitialisation/terminee/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
