from django.urls import path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from . import views

app_name = "investigations"

urlpatterns = [
    path("", views.investigation_list, name="list"),
    # The old notes-and-quotes search: the site search (header) now covers them, with the same `q`.
    path(
        "recherche/",
        require_safe(RedirectView.as_view(pattern_name="dashboard:search", query_string=True, permanent=True)),
        name="search",
    ),
    path("donnees-personnelles/", views.personal_data_log, name="personal_data_log"),
    path("startup/<startup_slug:slug>/nouvelle/", views.investigation_open, name="open"),
    path("<id:pk>/", views.investigation_detail, name="detail"),
    path("<id:pk>/modifier/", views.investigation_edit, name="edit"),
    path("<id:pk>/suspendre/", views.investigation_suspend, name="suspend"),
    path("<id:pk>/reprendre/", views.investigation_resume, name="resume"),
    path("<id:pk>/conclure/", views.investigation_conclude, name="conclude"),
    path("<id:pk>/rituels/nouveau/", views.ritual_new, name="ritual_new"),
    path("rituels/<id:pk>/modifier/", views.ritual_edit, name="ritual_edit"),
    path("<id:pk>/synthese/", views.synthesis, name="synthesis"),
    path("<id:pk>/synthese.json", views.synthesis_json, name="synthesis_json"),
    path("<id:pk>/entretiens/", views.interview_list, name="interview_list"),
    path("<id:pk>/entretiens/nouveau/", views.interview_new, name="interview_new"),
    path("<id:pk>/entretiens/import/", views.interview_import, name="interview_import"),
    path("imports/<id:pk>/", views.interview_import_status, name="interview_import_status"),
    path("<id:pk>/entretiens/export.csv", views.interview_export, name="interview_export"),
    path("<id:pk>/hypotheses/nouvelle/", views.hypothesis_new, name="hypothesis_new"),
    path("<id:pk>/apprentissages/nouveau/", views.insight_new, name="insight_new"),
    path("entretiens/<id:pk>/", views.interview_detail, name="interview_detail"),
    path("entretiens/<id:pk>/modifier/", views.interview_edit, name="interview_edit"),
    path("entretiens/<id:pk>/hypotheses/", views.interview_hypotheses, name="interview_hypotheses"),
    path("entretiens/<id:pk>/effacer/", views.interview_erase, name="interview_erase"),
    path("verbatims/<id:pk>/publiable/", views.quote_publishable, name="quote_publishable"),
    path("hypotheses/<id:pk>/modifier/", views.hypothesis_edit, name="hypothesis_edit"),
    path("apprentissages/<id:pk>/", views.insight_detail, name="insight_detail"),
    path("apprentissages/<id:pk>/modifier/", views.insight_edit, name="insight_edit"),
]
