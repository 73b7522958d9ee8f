from django.contrib import admin

from .models import Notification, ReminderOptOut, SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The record of what was sent: read only (it is what keeps a reminder from being sent twice)."""

    list_display = ["sent_at", "kind", "startup", "recipient", "about_date"]
    list_filter = ["kind"]
    search_fields = ["startup__name", "recipient__email"]
    list_select_related = ["startup", "recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "kind"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    list_select_related = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "reminder", "read_at"]
    search_fields = ["user__email"]
    list_select_related = ["user", "reminder__startup", "reminder__recipient"]
    raw_id_fields = ["reminder", "user"]
