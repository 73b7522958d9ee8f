"""The dashboard's filters, read from the URL (GET) so that a view can be shared."""

from html import escape

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core import versions
from core.search import MAX_QUERY_LENGTH
from products.enums import MembershipRole, PhaseName
from products.models import Incubator, Membership, Organisation, Startup, Theme, User, with_acronym

from .selectors import (
    NO_PHASE,
    SCOPE_LABELS,
    SCOPE_NETWORK,
    SORTS,
    DashboardFilters,
    in_incubators,
    startups_in_scope,
)

EMPTY = [("", _("Tous"))]


class ListChoiceField(forms.Field):
    """A choice among a list read from the database, checked against a set. Django's ChoiceField
    normalises its choices on every assignment: too slow for a list of a thousand coaches."""

    default_error_messages = forms.ChoiceField.default_error_messages

    def __init__(self, *, choices=(), **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = [(str(k), str(v)) for k, v in value]
        self._values = {k for k, _v in self._choices}

    def to_python(self, value):
        return "" if value in self.empty_values else str(value)

    def validate(self, value):
        super().validate(value)
        if value and value not in self._values:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )


def options_html(bound_field) -> str:
    """The <option> tags of a select, built in one pass."""
    current = str(bound_field.value() or "")
    return mark_safe(
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == current else ""}>{escape(label)}</option>'
            for value, label in bound_field.field.choices
        )
    )


def sort_choices():
    choices = []
    for key, label in SORTS.items():
        choices.append((key, _("%(column)s, croissant") % {"column": label}))
        choices.append((f"-{key}", _("%(column)s, décroissant") % {"column": label}))
    return choices


def _choice_lists():
    """Incubators, sponsors and themes: shared by every person, kept in the cache until one of them (or anything
    that belongs to no single startup) changes (core.versions)."""
    return (
        list(Incubator.objects.order_by("title").values_list("pk", "slug", "title")),
        list(Organisation.objects.order_by("name").values_list("pk", "slug", "name", "acronym")),
        list(Theme.objects.order_by("name").values_list("pk", "name")),
    )


class DashboardFilterForm(forms.Form):
    """Every choice list is read in one query; incubators and sponsors go by slug in the URL."""

    vue = forms.ChoiceField(label=_("Périmètre"), choices=list(SCOPE_LABELS.items()), required=False)
    incubateur = ListChoiceField(label=_("Incubateur"), required=False)
    phase = ListChoiceField(label=_("Phase actuelle"), required=False)
    coach = ListChoiceField(label=_("Coach"), required=False)
    sponsor = ListChoiceField(label=_("Sponsor"), required=False)
    thematique = ListChoiceField(label=_("Thématique"), required=False)
    surveiller = forms.BooleanField(label=_("À surveiller uniquement"), required=False)
    non_conforme_rgaa = forms.BooleanField(label=_("Non conformes RGAA uniquement"), required=False)
    tri = forms.ChoiceField(label=_("Trier par"), required=False)

    def __init__(self, data, *, user, default_scope: str, available_scopes: list[str], today):
        super().__init__(data)
        self.default_scope = default_scope
        scope = data.get("vue") if data.get("vue") in available_scopes else default_scope
        self.fields["vue"].choices = [(s, SCOPE_LABELS[s]) for s in available_scopes]
        incubators, sponsors, themes = versions.cached("dashboard-choices", _choice_lists)
        self.incubator_ids = {slug: pk for pk, slug, _title in incubators}
        self.fields["incubateur"].choices = EMPTY + [(slug, title) for _pk, slug, title in incubators]
        self.fields["phase"].choices = EMPTY + list(PhaseName.choices) + [(NO_PHASE, _("Sans phase"))]
        self.fields["coach"].choices = EMPTY + self._coaches(data, user=user, scope=scope, today=today)
        self.sponsor_ids = {slug: pk for pk, slug, _name, _acronym in sponsors}
        self.fields["sponsor"].choices = EMPTY + [
            (slug, with_acronym(name, acronym)) for _pk, slug, name, acronym in sponsors
        ]
        self.fields["thematique"].choices = EMPTY + [(str(pk), name) for pk, name in themes]
        self.fields["tri"].choices = sort_choices()

    def _coaches(self, data, *, user, scope, today) -> list[tuple[str, str]]:
        """The coaches of the startups of the scope and of the chosen incubator. Across the whole
        network that is hundreds of names, too many for a list: an incubator is asked for first
        (a coach given in the URL is still understood)."""
        incubator = self.incubator_ids.get(data.get("incubateur") or "")
        self.coaches_need_incubator = scope == SCOPE_NETWORK and not incubator
        wanted = (data.get("coach") or "") if scope == SCOPE_NETWORK and not incubator else ""
        # Kept until a team or a startup's incubators change ("teams": memberships and startups), or the day.
        return versions.cached(
            "dashboard-coaches",
            lambda: self._read_coaches(user=user, scope=scope, incubator=incubator, wanted=wanted, today=today),
            topics=["teams"],
            vary=[scope, incubator or "", wanted, "" if scope == SCOPE_NETWORK else user.pk, today],
        )

    @staticmethod
    def _read_coaches(*, user, scope, incubator, wanted, today) -> list[tuple[str, str]]:
        coaches = Membership.objects.current(today).with_role(MembershipRole.COACH)
        if incubator:
            coaches = coaches.filter(startup__in=Startup.objects.filter(in_incubators([incubator])).values("pk"))
        if scope != SCOPE_NETWORK:
            coaches = coaches.filter(startup__in=startups_in_scope(user, scope, today).values("pk"))
        elif not incubator:
            coaches = coaches.filter(user_id=int(wanted)) if wanted.isdigit() else coaches.none()
        people = User.objects.filter(pk__in=coaches.values("user_id")).order_by("full_name", "email")
        return [(str(pk), name or email) for pk, name, email in people.values_list("pk", "full_name", "email")]

    SELECTS = ("incubateur", "phase", "coach", "sponsor", "thematique")

    def selects(self):
        """(bound field, its options, a hint) for each select of the filter bar."""
        hints = {"coach": _("Choisissez d'abord un incubateur.") if self.coaches_need_incubator else ""}
        return [(self[name], options_html(self[name]), hints.get(name, "")) for name in self.SELECTS]

    def filters(self) -> DashboardFilters:
        """The filters that were understood; a wrong value is reported by `errors` and left out."""
        self.is_valid()
        data = self.cleaned_data
        return DashboardFilters(
            scope=data.get("vue") or self.default_scope,
            incubator=self.incubator_ids.get(data.get("incubateur") or ""),
            phase=data.get("phase") or None,
            coach=int(data["coach"]) if data.get("coach") else None,
            sponsor=self.sponsor_ids.get(data.get("sponsor") or ""),
            theme=int(data["thematique"]) if data.get("thematique") else None,
            watch=bool(data.get("surveiller")),
            rgaa_non_conforme=bool(data.get("non_conforme_rgaa")),
            sort=data.get("tri") or "startup",
        )


class NetworkFilterForm(forms.Form):
    incubateur = ListChoiceField(label=_("Incubateur"), required=False)

    def __init__(self, data):
        super().__init__(data)
        self.incubators = {
            slug: (pk, title) for pk, slug, title in Incubator.objects.values_list("pk", "slug", "title")
        }
        self.fields["incubateur"].choices = [("", _("Tout le réseau"))] + sorted(
            ((slug, title) for slug, (_pk, title) in self.incubators.items()), key=lambda c: c[1]
        )

    def incubator(self) -> Incubator | None:
        self.is_valid()
        slug = self.cleaned_data.get("incubateur")
        if not slug:
            return None
        pk, title = self.incubators[slug]
        return Incubator(pk=pk, slug=slug, title=title)


class SearchForm(forms.Form):
    """The site search's text (the header's field and the search page)."""

    q = forms.CharField(
        label=_("Rechercher"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "La recherche est trop longue : %(limit_value)d caractères au plus (vous en avez saisi %(show_value)d)."
            )
        },
    )
