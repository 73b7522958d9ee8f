from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("products.urls")),
    path("investigations/", include("investigations.urls")),
    path("comites/", include("committees.urls")),
    path("comptes/", include("betatracker.accounts")),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
]
