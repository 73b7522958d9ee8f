from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("seances/nouvelle/", views.session_create, name="session_create"),
    path("seances/<id:pk>/", views.session_detail, name="session_detail"),
    path("seances/<id:pk>/modifier/", views.session_update, name="session_update"),
    path("seances/<id:pk>/membres/", views.session_members, name="session_members"),
    path("seances/<id:pk>/ordre-du-jour/", views.session_agenda, name="session_agenda"),
    path("seances/<id:pk>/tenir/", views.session_hold, name="session_hold"),
    path("seances/<id:pk>/clore/", views.session_close, name="session_close"),
    path("seances/<id:pk>/releve/", views.session_minutes, name="session_minutes"),
    path("seances/<id:pk>/releve.csv", views.session_minutes_csv, name="session_minutes_csv"),
    path("seances/<id:pk>/releve.json", views.session_minutes_json, name="session_minutes_json"),
    path("passages/<id:pk>/", views.review_detail, name="review_detail"),
    path("passages/<id:pk>/demande/", views.review_request, name="review_request"),
    path("passages/<id:pk>/documents/", views.review_documents, name="review_documents"),
    path("documents/<id:pk>/", views.document_download, name="document_download"),
    path("documents/<id:pk>/retirer/", views.document_remove, name="document_remove"),
    path("passages/<id:pk>/decision/", views.decision_create, name="decision_create"),
    path("decisions/<id:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<id:pk>/modifier/", views.decision_update, name="decision_update"),
    path("decisions/<id:pk>/grille/", views.decision_checklist, name="decision_checklist"),
    path("decisions/<id:pk>/amender/", views.decision_amend, name="decision_amend"),
    path("decisions/<id:pk>/bilan-de-fin/", views.post_mortem_record, name="post_mortem"),
    path("startups/<startup_slug:slug>/bilan-de-fin/", views.transfer_post_mortem_record, name="transfer_post_mortem"),
    path("conditions/en-retard/", views.condition_overdue_list, name="condition_overdue_list"),
    path("conditions/<id:pk>/lever/", views.condition_resolve, name="condition_resolve"),
]
