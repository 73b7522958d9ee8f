from django.contrib import admin
from django.urls import include, path

from . import oidc, views

urlpatterns = [
    path("", include("products.urls")),
    path("investigations/", include("investigations.urls")),
    path("comites/", include("committees.urls")),
    path("comptes/", include("betatracker.accounts")),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
    # --- ecosystem: ProConnect, profile and API tokens, read API, health check
    path("", include(oidc.urlpatterns)),
    path("profil/", views.profile, name="profile"),
    path("profil/jetons/", views.profile_token_create, name="profile_token_create"),
    path("profil/jetons/<int:pk>/revoquer/", views.profile_token_revoke, name="profile_token_revoke"),
    path("api/v1/", include("betatracker.api.urls")),
    path("healthz", views.healthz, name="healthz"),
]
