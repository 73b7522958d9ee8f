from django.urls import path

from . import views

app_name = "investigations"

urlpatterns = [
    path("", views.investigation_list, name="list"),
    path("recherche/", views.search, name="search"),
    path("donnees-personnelles/", views.personal_data_log, name="personal_data_log"),
    path("startup/<str:slug>/nouvelle/", views.investigation_open, name="open"),
    path("<int:pk>/", views.investigation_detail, name="detail"),
    path("<int:pk>/modifier/", views.investigation_edit, name="edit"),
    path("<int:pk>/suspendre/", views.investigation_suspend, name="suspend"),
    path("<int:pk>/conclure/", views.investigation_conclude, name="conclude"),
    path("<int:pk>/synthese/", views.synthesis, name="synthesis"),
    path("<int:pk>/synthese.json", views.synthesis_json, name="synthesis_json"),
    path("<int:pk>/entretiens/", views.interview_list, name="interview_list"),
    path("<int:pk>/entretiens/nouveau/", views.interview_new, name="interview_new"),
    path("<int:pk>/entretiens/import/", views.interview_import, name="interview_import"),
    path("<int:pk>/entretiens/export.csv", views.interview_export, name="interview_export"),
    path("<int:pk>/hypotheses/nouvelle/", views.hypothesis_new, name="hypothesis_new"),
    path("<int:pk>/apprentissages/nouveau/", views.insight_new, name="insight_new"),
    path("entretiens/<int:pk>/", views.interview_detail, name="interview_detail"),
    path("entretiens/<int:pk>/modifier/", views.interview_edit, name="interview_edit"),
    path("entretiens/<int:pk>/hypotheses/", views.interview_hypotheses, name="interview_hypotheses"),
    path("entretiens/<int:pk>/effacer/", views.interview_erase, name="interview_erase"),
    path("hypotheses/<int:pk>/modifier/", views.hypothesis_edit, name="hypothesis_edit"),
    path("apprentissages/<int:pk>/", views.insight_detail, name="insight_detail"),
    path("apprentissages/<int:pk>/modifier/", views.insight_edit, name="insight_edit"),
]
