from django.urls import path

from . import views

app_name = "products"

urlpatterns = [
    path("startups/", views.StartupListView.as_view(), name="startup_list"),
    path("startups/<startup_slug:slug>/", views.StartupDetailView.as_view(), name="startup_detail"),
]
