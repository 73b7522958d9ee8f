"""Django admin for the portfolio: the network's portfolio managers fix data here.

Phases edited here bypass `phase_advance` (to correct history), so every save refreshes the
startup's cached current phase and the model validation still refuses overlaps.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.history_admin import HistoryAdmin

from .enums import Via
from .models import Event, Incubator, Membership, Organisation, Phase, Startup, Theme, User

# --- People -------------------------------------------------------------------------------------
# What an account loses when an administrator deactivates it or sets its password: functions (*, user) that
# the apps giving people credentials of their own register from their AppConfig.ready() (betatracker: the
# person's API tokens).
CREDENTIAL_REVOKERS = []


def credentials_revoke(*, user: User) -> None:
    for revoke in CREDENTIAL_REVOKERS:
        revoke(user=user)


class _EmailCleaningMixin:
    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("Un compte existe déjà avec cette adresse électronique."))
        return email


class UserCreationForm(_EmailCleaningMixin, auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(_EmailCleaningMixin, auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("full_name",)}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )
    list_display = ("email", "full_name", "is_staff", "is_superuser", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    ordering = ("full_name", "email")
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        """Deactivating an account revokes its API tokens."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            credentials_revoke(user=obj)

    def user_change_password(self, request, id, form_url=""):
        """A password set by an administrator revokes the person's API tokens."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            credentials_revoke(user=self.get_object(request, id))
        return response


# --- Sponsors and incubators --------------------------------------------------------------------
@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "slug", "type", "ministerial_domain")
    list_filter = ("type",)
    search_fields = ("name", "acronym", "slug")


@admin.register(Incubator)
class IncubatorAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "owner")
    list_select_related = ("owner",)
    search_fields = ("title", "slug")
    autocomplete_fields = ("owner",)
    filter_horizontal = ("staff",)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    search_fields = ("name",)


# --- Startups -----------------------------------------------------------------------------------
class PhaseInlineFormSet(forms.BaseInlineFormSet):
    """Phases edited together must not overlap each other (the model checks them against the database)."""

    def clean(self):
        super().clean()
        phases = [
            form.instance
            for form in self.forms
            if not self._should_delete_form(form)
            and getattr(form, "cleaned_data", {}).get("start")
            and getattr(form, "cleaned_data", {}).get("name")
        ]
        for index, phase in enumerate(phases):
            for other in phases[index + 1 :]:
                if phase.overlaps(other):
                    raise ValidationError(
                        _("Les phases « %(a)s » et « %(b)s » se chevauchent.") % {"a": phase, "b": other}
                    )


class ProvenanceAdminMixin:
    """A record changed in the administration is the app's from then on (`Provenance.take_over`): the next
    import of beta.gouv.fr keeps it and reports where the files disagree."""

    provenance_fields = ("source", "source_import", "set_by", "set_at", "set_via")

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.provenance_fields)

    def save_model(self, request, obj, form, change):
        if form.has_changed():
            obj.take_over(by=request.user, via=Via.ADMIN)
        super().save_model(request, obj, form, change)


def take_over_changed(formset, user) -> None:
    """Inline rows of records with a provenance that were added or changed: the app's from now on."""
    for form in formset.forms:
        instance = form.instance
        if hasattr(instance, "take_over") and form.has_changed() and not form.cleaned_data.get("DELETE"):
            instance.take_over(by=user, via=Via.ADMIN)


class PhaseInline(admin.TabularInline):
    model = Phase
    formset = PhaseInlineFormSet
    fields = ("name", "start", "end", "comment")
    ordering = ("start", "rank")
    extra = 0


class EventInline(admin.TabularInline):
    model = Event
    fields = ("kind", "date", "comment")
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "time_share", "start", "end")
    autocomplete_fields = ("user",)
    extra = 0


@admin.register(Startup)
class StartupAdmin(HistoryAdmin):
    list_display = ("name", "incubator", "current_phase", "current_phase_start")
    list_select_related = ("incubator",)
    list_filter = ("current_phase", "incubator")
    search_fields = ("name", "slug")
    readonly_fields = ("current_phase", "current_phase_start", "created_at", "updated_at")
    autocomplete_fields = ("incubator", "co_incubators", "sponsors", "themes")
    inlines = (PhaseInline, EventInline, MembershipInline)
    fieldsets = (
        (None, {"fields": ("slug", "name", "mission", "problem", "solution", "objectives", "strategy", "description")}),
        (_("Portage"), {"fields": ("incubator", "co_incubators", "sponsors", "contact")}),
        (_("Publics et thématiques"), {"fields": ("usertypes", "themes")}),
        (_("Liens"), {"fields": ("link", "repository", "stats_url", "budget_url", "impact_url")}),
        (
            _("Qualité et conformité"),
            {
                "fields": (
                    "accessibility_status",
                    "analyse_risques",
                    "analyse_risques_url",
                    "mon_service_securise",
                    "dashlord_url",
                    "stats",
                    "techno",
                    "fast",
                    "contact_dinum",
                    "contact_incubator",
                )
            },
        ),
        (_("Phase"), {"fields": ("current_phase", "current_phase_start", "created_at", "updated_at")}),
    )

    def save_formset(self, request, form, formset, change):
        take_over_changed(formset, request.user)
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_current_phase()


@admin.register(Phase)
class PhaseAdmin(ProvenanceAdminMixin, HistoryAdmin):
    list_display = ("startup", "name", "start", "end", "source")
    list_select_related = ("startup",)
    list_filter = ("name", "source")
    search_fields = ("startup__name", "startup__slug")
    autocomplete_fields = ("startup",)
    date_hierarchy = "start"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.startup.refresh_current_phase()

    def delete_model(self, request, obj):
        startup = obj.startup
        super().delete_model(request, obj)
        startup.refresh_current_phase()

    def delete_queryset(self, request, queryset):
        startups = list(Startup.objects.filter(phases__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for startup in startups:
            startup.refresh_current_phase()


@admin.register(Event)
class EventAdmin(ProvenanceAdminMixin, admin.ModelAdmin):
    list_display = ("startup", "kind", "date", "source")
    list_select_related = ("startup",)
    list_filter = ("kind", "source")
    search_fields = ("startup__name", "startup__slug", "comment")
    autocomplete_fields = ("startup",)
    date_hierarchy = "date"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "startup", "role", "time_share", "start", "end")
    list_select_related = ("user", "startup")
    list_filter = ("role",)
    search_fields = ("user__full_name", "user__email", "startup__name", "startup__slug")
    autocomplete_fields = ("user", "startup")
