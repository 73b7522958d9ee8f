from django.contrib import admin

from betatracker.history_admin import HistoryAdmin

from .models import Amendment, CommitteeSession, Condition, Decision, Review


class ReviewInline(admin.TabularInline):
    model = Review
    fields = ["position", "startup", "starts_at", "duration_minutes"]
    raw_id_fields = ["startup"]
    extra = 0


@admin.register(CommitteeSession)
class CommitteeSessionAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "incubator", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["incubator"]
    filter_horizontal = ["members"]
    inlines = [ReviewInline]
    readonly_fields = ["closed_at", "closed_by"]

    def has_change_permission(self, request, obj=None):
        # Nobody edits a closed session, not even through the admin.
        return super().has_change_permission(request, obj) and not (obj and obj.is_closed)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["startup", "date", "session"]
    list_select_related = ["startup", "session__incubator"]
    raw_id_fields = ["startup", "session", "request_updated_by"]
    search_fields = ["startup__name", "startup__slug"]


class ConditionInline(admin.TabularInline):
    model = Condition
    fields = ["text", "due_on", "owner", "status"]
    raw_id_fields = ["owner"]
    extra = 0


@admin.register(Decision)
class DecisionAdmin(HistoryAdmin):
    list_display = ["startup", "date", "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["startup"]
    search_fields = ["startup__name", "startup__slug"]
    raw_id_fields = ["review", "startup", "recorded_by", "phase", "event"]
    filter_horizontal = ["cited_insights", "cited_quotes", "cited_interviews"]
    inlines = [ConditionInline]

    def has_change_permission(self, request, obj=None):
        # A closed session's decisions (and the imported history) change only through an amendment.
        return super().has_change_permission(request, obj) and not (obj and obj.is_immutable)


@admin.register(Condition)
class ConditionAdmin(HistoryAdmin):
    list_display = ["text", "due_on", "status", "decision"]
    list_filter = ["status"]
    list_select_related = ["decision__startup"]
    raw_id_fields = ["decision", "owner", "resolved_by"]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["decision", "author", "created_at"]
    list_select_related = ["decision__startup", "author"]
    readonly_fields = ["decision", "reason", "changes", "author", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
