from django.urls import path

from . import impact_views, views

app_name = "products"

urlpatterns = [
    path("startups/", views.StartupListView.as_view(), name="startup_list"),
    path("startups/<startup_slug:slug>/", views.StartupDetailView.as_view(), name="startup_detail"),
    path("startups/<startup_slug:slug>/equipe/", views.team, name="team"),
    path("startups/<startup_slug:slug>/impact/", impact_views.impact, name="impact"),
    path("startups/<startup_slug:slug>/impact/indicateurs/", impact_views.indicator_add, name="indicator_add"),
    path("startups/<startup_slug:slug>/impact/mesures/", impact_views.measurement_add, name="measurement_add"),
    path(
        "startups/<startup_slug:slug>/impact/mesures/import/",
        impact_views.measurement_import,
        name="measurement_import",
    ),
    path("startups/<startup_slug:slug>/impact/cibles/", impact_views.target_add, name="target_add"),
    path("startups/<startup_slug:slug>/impact/depenses/", impact_views.spending_add, name="spending_add"),
    path("startups/<startup_slug:slug>/equipe/ajouter/", views.membership_add, name="membership_add"),
    path("startups/<startup_slug:slug>/equipe/inviter/", views.invitation_create, name="invitation_create"),
    path("equipe/membres/<id:pk>/modifier/", views.membership_edit, name="membership_edit"),
    path("equipe/membres/<id:pk>/terminer/", views.membership_end, name="membership_end"),
    path("equipe/membres/<id:pk>/quitter/", views.membership_leave, name="membership_leave"),
    path("equipe/invitations/<id:pk>/renvoyer/", views.invitation_resend, name="invitation_resend"),
    path("equipe/invitations/<id:pk>/revoquer/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
