from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("seances/nouvelle/", views.session_create, name="session_create"),
    path("seances/<int:pk>/", views.session_detail, name="session_detail"),
    path("seances/<int:pk>/modifier/", views.session_update, name="session_update"),
    path("seances/<int:pk>/membres/", views.session_members, name="session_members"),
    path("seances/<int:pk>/ordre-du-jour/", views.session_agenda, name="session_agenda"),
    path("seances/<int:pk>/tenir/", views.session_hold, name="session_hold"),
    path("seances/<int:pk>/clore/", views.session_close, name="session_close"),
    path("seances/<int:pk>/releve/", views.session_minutes, name="session_minutes"),
    path("seances/<int:pk>/releve.csv", views.session_minutes_csv, name="session_minutes_csv"),
    path("seances/<int:pk>/releve.json", views.session_minutes_json, name="session_minutes_json"),
    path("passages/<int:pk>/", views.review_detail, name="review_detail"),
    path("passages/<int:pk>/demande/", views.review_request, name="review_request"),
    path("passages/<int:pk>/decision/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/modifier/", views.decision_update, name="decision_update"),
    path("decisions/<int:pk>/amender/", views.decision_amend, name="decision_amend"),
    path("conditions/en-retard/", views.condition_overdue_list, name="condition_overdue_list"),
    path("conditions/<int:pk>/lever/", views.condition_resolve, name="condition_resolve"),
]
