from django.contrib import admin

from core.admin import TraceAdmin
from core.history_admin import HistoryAdmin
from products.admin import ProvenanceAdminMixin

from .models import Hypothesis, Insight, Interview, Investigation, PersonalDataLog, Quote, Tag, TargetGroup


class TargetGroupInline(admin.TabularInline):
    model = TargetGroup
    extra = 0


@admin.register(Investigation)
class InvestigationAdmin(ProvenanceAdminMixin, admin.ModelAdmin):
    list_display = ["startup", "started_on", "planned_end", "status", "source"]
    list_filter = ["status", "source"]
    search_fields = ["startup__name", "startup__slug"]
    raw_id_fields = ["startup", "phase"]
    inlines = [TargetGroupInline]


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0


@admin.register(Interview)
class InterviewAdmin(HistoryAdmin):
    list_display = ["date", "investigation", "interviewee", "target_group", "intensity", "consent", "anonymised_at"]
    list_filter = ["intensity", "consent"]
    list_select_related = ["investigation__startup", "target_group"]
    raw_id_fields = ["investigation", "interviewer", "target_group"]
    filter_horizontal = ["tags"]
    inlines = [QuoteInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Hypothesis)
class HypothesisAdmin(admin.ModelAdmin):
    list_display = ["statement", "investigation", "status"]
    list_filter = ["status"]
    raw_id_fields = ["investigation", "supporting_interviews", "contradicting_interviews"]


@admin.register(Insight)
class InsightAdmin(admin.ModelAdmin):
    list_display = ["statement", "investigation"]
    raw_id_fields = ["investigation", "interviews", "quotes"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["text", "interview", "anonymised_at"]
    raw_id_fields = ["interview"]


@admin.register(PersonalDataLog)
class PersonalDataLogAdmin(TraceAdmin):
    """Read-only: the log is a trace, nobody edits it."""

    list_display = ["at", "action", "count", "interview_id", "investigation", "by"]
    list_filter = ["action"]
