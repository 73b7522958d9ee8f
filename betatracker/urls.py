from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import oidc, views

urlpatterns = [
    # Each person's landing (issue 14): the dashboard, or their own home; see betatracker/home.py.
    path("", views.home, name="home"),
    path("accueil/", views.my_home, name="my_home"),
    path("", include("portfolio.urls")),
    path("", include("products.urls")),
    path("investigations/", include("investigations.urls")),
    path("comites/", include("committees.urls")),
    path("public/", include("public.urls")),
    path("comptes/", include("betatracker.accounts")),
    path("accessibilite/", views.accessibility, name="accessibility"),
    # The language switch (header): public, so that the sign-in page can switch too. Django's own
    # django.conf.urls.i18n, at the same address, wrapped so that LoginRequiredMiddleware lets it by.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The admin signs in through the same throttled page as everyone (its own login page would bypass it).
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
    # --- ecosystem: ProConnect, profile and API tokens, read API, health check
    path("", include(oidc.urlpatterns)),
    path("profil/", views.profile, name="profile"),
    path("", include("reminders.urls")),
    path("profil/jetons/", views.profile_token_create, name="profile_token_create"),
    path("profil/jetons/<id:pk>/revoquer/", views.profile_token_revoke, name="profile_token_revoke"),
    path("api/v1/", include("betatracker.api.urls")),
    path("healthz", views.healthz, name="healthz"),
]

handler500 = "betatracker.views.server_error"
