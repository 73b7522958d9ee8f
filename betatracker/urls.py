from django.contrib import admin
from django.urls import include, path

from betatracker import views as betatracker_views

urlpatterns = [
    path("", include("products.urls")),
    path("investigations/", include("investigations.urls")),
    path("comites/", include("committees.urls")),
    path("comptes/login/", betatracker_views.LoginView.as_view(), name="login"),  # throttled; before auth.urls
    path("comptes/", include("django.contrib.auth.urls")),
    path("accessibilite/", betatracker_views.accessibility_statement, name="accessibility"),
    path("admin/", admin.site.urls),
]

handler500 = "betatracker.views.server_error"
