from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/tout-lire/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<id:pk>/lue/", views.notification_read, name="notification_read"),
    path("profil/rappels/", views.preferences_update, name="preferences"),
]
