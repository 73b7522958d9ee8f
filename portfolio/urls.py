from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("tableau-de-bord/", views.home, name="home"),
    path("tableau-de-bord/export.csv", views.export_csv, name="export"),
    path("reseau/", views.network, name="network"),
    path("startups/<startup_slug:slug>/chronologie/", views.timeline, name="timeline"),
]
