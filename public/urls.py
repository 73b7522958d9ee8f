from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("startups/<startup_slug:slug>/", views.startup_page, name="startup"),
    path("investigations/<id:pk>/", views.investigation_results, name="investigation_results"),
    path(
        "investigations/<id:pk>.json",
        views.investigation_results,
        {"as_json": True},
        name="investigation_results_json",
    ),
    path("investigations/<id:pk>/apercu/", views.investigation_preview, name="investigation_preview"),
    path("investigations/<id:pk>/publier/", views.investigation_publish, name="investigation_publish"),
    path("investigations/<id:pk>/depublier/", views.investigation_unpublish, name="investigation_unpublish"),
]
