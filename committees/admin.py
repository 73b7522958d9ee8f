"""The admin of committees. A closed session's minutes (its decisions and their conditions) and the imported
history are read-only here too, for superusers as well: no change, no delete (one by one, in bulk, or as a
cascade of deleting their session, review or startup), no revert from the history. Only amendments change them.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from core.admin import TraceAdmin
from core.history_admin import HistoryAdmin
from products.admin import ProvenanceAdminMixin

from . import services
from .models import Amendment, CommitteeSession, Condition, Decision, Review, ReviewDocument


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

    def has_delete_permission(self, request, obj=None):
        # Deleting it would delete its minutes.
        return super().has_delete_permission(request, obj) and not (obj and obj.is_closed)


def _is_minutes(decision: Decision | None) -> bool:
    """A decision of a closed session or of the imported history: it changes only through an amendment."""
    return decision is not None and decision.is_immutable


def _review_is_minutes(review: Review | None) -> bool:
    return review is not None and review.pk is not None and _is_minutes(Decision.objects.filter(review=review).first())


class MinutesReadOnlyMixin:
    """For a model admin whose objects belong to a decision (`decision_of(obj)`): read-only once that decision is
    immutable. The save and delete hooks refuse too, for the paths that do not ask the permissions first (the
    history's revert form)."""

    def decision_of(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and _is_minutes(self.decision_of(obj)))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and _is_minutes(self.decision_of(obj)))

    def save_model(self, request, obj, form, change):
        stored = type(obj).objects.get(pk=obj.pk) if change else None
        if _is_minutes(self.decision_of(obj)) or (stored is not None and _is_minutes(self.decision_of(stored))):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if _is_minutes(self.decision_of(obj)):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if any(_is_minutes(self.decision_of(obj)) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)


@admin.register(Review)
class ReviewAdmin(ProvenanceAdminMixin, admin.ModelAdmin):
    list_display = ["startup", "date", "session"]
    list_select_related = ["startup", "session__incubator"]
    raw_id_fields = ["startup", "session", "request_updated_by"]
    search_fields = ["startup__name", "startup__slug"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _review_is_minutes(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _review_is_minutes(obj)


class ConditionInline(admin.TabularInline):
    model = Condition
    fields = ["text", "due_on", "owner", "status"]
    raw_id_fields = ["owner"]
    extra = 0

    # `obj` is the decision the inline belongs to.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _is_minutes(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _is_minutes(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _is_minutes(obj)


@admin.register(Decision)
class DecisionAdmin(MinutesReadOnlyMixin, ProvenanceAdminMixin, HistoryAdmin):
    list_display = ["startup", "date", "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["startup"]
    search_fields = ["startup__name", "startup__slug"]
    raw_id_fields = ["review", "startup", "recorded_by", "phase", "event"]
    filter_horizontal = ["cited_insights", "cited_quotes", "cited_interviews"]
    inlines = [ConditionInline]

    def decision_of(self, obj):
        return obj


@admin.register(Condition)
class ConditionAdmin(MinutesReadOnlyMixin, HistoryAdmin):
    list_display = ["text", "due_on", "status", "decision"]
    list_filter = ["status"]
    list_select_related = ["decision__startup"]
    raw_id_fields = ["decision", "owner", "resolved_by"]

    def decision_of(self, obj):
        return obj.decision


@admin.register(Amendment)
class AmendmentAdmin(TraceAdmin):
    """An amendment is the trace of a change to the minutes."""

    list_display = ["decision", "author", "created_at"]
    list_select_related = ["decision__startup", "author"]
    readonly_fields = ["decision", "reason", "changes", "author", "created_at"]


@admin.register(ReviewDocument)
class ReviewDocumentAdmin(HistoryAdmin):
    """Documents are attached from the review pack (services.document_attach checks their size and type): shown
    here, never added or changed; deleted only while their session is open, through services.document_remove."""

    list_display = ["original_name", "title", "review", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["review__startup", "uploaded_by"]
    search_fields = ["original_name", "title", "review__startup__name"]
    readonly_fields = ["review", "file", "original_name", "title", "size", "content_type", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        session = obj.review.session if obj is not None else None
        return super().has_delete_permission(request, obj) and not (session is not None and session.is_closed)

    def delete_model(self, request, obj):
        services.document_remove(document=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_remove(document=document, by=request.user)
