from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("products.dashboard.urls")),
    path("", include("products.urls")),
    path("investigations/", include("investigations.urls")),
    path("comites/", include("committees.urls")),
    path("comptes/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
