"""Admin building blocks shared by the apps (core imports no app)."""

from django.contrib import admin


class TraceAdmin(admin.ModelAdmin):
    """The admin of a trace (a log, an amendment): shown, never added, changed or deleted, by superusers neither."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
