from django.urls import path

from . import views

app_name = "products"

urlpatterns = [
    path("", views.StartupListView.as_view(), name="home"),
    path("startups/", views.StartupListView.as_view(), name="startup_list"),
    # `str` stops at "/" only: identifiers keep their dots (e.g. 1000.premiers.jours.blues).
    path("startups/<str:slug>/", views.StartupDetailView.as_view(), name="startup_detail"),
]
