from django.urls import path

from . import views

app_name = "products"

urlpatterns = [
    path("", views.StartupListView.as_view(), name="home"),
    path("startups/", views.StartupListView.as_view(), name="startup_list"),
    path("startups/<str:slug>/", views.StartupDetailView.as_view(), name="startup_detail"),
]
