"""Accounts: sign in with an email address, sign out (POST), reset or change a password.

Django's auth views, with French DSFR templates in templates/registration/. Only sign-in and
the password-reset pages are public (Django marks them `login_not_required`); everything else
sits behind LoginRequiredMiddleware.
"""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import path
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
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


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


urlpatterns = [
    path("connexion/", LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("mot-de-passe-oublie/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reinitialisation/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reinitialisation/terminee/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
