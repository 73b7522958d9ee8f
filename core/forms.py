import copy
import datetime

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

# Dates typed in a form stay within these years: 9999-10-01 was accepted, and "+6 months" from it then
# crashed the decision page (year 10000; security review, issue 12).
MIN_YEAR, MAX_YEAR = 2000, 2100
# Machine formats: the value an <input type="date"> / <input type="time"> holds is HTML's, whatever the language.
HTML_DATE_FORMAT = "%Y-%m-%d"
HTML_TIME_FORMAT = "%H:%M"


def date_input(**attrs) -> forms.DateInput:
    """A native date picker (the browser shows it in the reader's language; the value stays ISO)."""
    return forms.DateInput(attrs={"type": "date", **attrs}, format=HTML_DATE_FORMAT)


def time_input(**attrs) -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time", **attrs}, format=HTML_TIME_FORMAT)


def date_in_bounds(value: datetime.date) -> None:
    """Validator: a date between MIN_YEAR and MAX_YEAR, with a message saying so."""
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Saisissez une date entre %(min)d et %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            code="date_out_of_bounds",
        )


def bound_dates(form: forms.BaseForm) -> None:
    """Give every date field of `form` the `date_in_bounds` validator (called by `DsfrFormMixin`)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and date_in_bounds not in field.validators:
            field.validators = [*field.validators, date_in_bounds]


# --- One form stack: DSFR markup in templates/forms/, chosen by FORM_RENDERER --------------------------
class DsfrFormRenderer(TemplatesSetting):
    """Every form rendered with `{{ form }}` or `{{ form.field.as_field_group }}` gets the DSFR markup of
    templates/forms/form.html (error summary, then each field) and templates/forms/field.html."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class DsfrBoundField(forms.BoundField):
    """A field as templates/forms/field.html renders it: the DSFR class on its widget, autofocus when the
    form asks for it (radio groups get it in the template, on their first option). Django links the widget
    to `<auto_id>_helptext` and `<auto_id>_error` through aria-describedby and sets aria-invalid."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if "class" not in attrs and "class" not in widget.attrs and (css := self.widget_class):
            attrs["class"] = css
        if self.autofocus and not isinstance(widget, CHOICE_WIDGETS):
            attrs["autofocus"] = True
        return attrs

    @property
    def widget_class(self) -> str:
        widget = self.field.widget
        if isinstance(widget, (*CHOICE_WIDGETS, forms.CheckboxInput)):
            return ""
        if isinstance(widget, forms.Select):
            return "fr-select"
        if isinstance(widget, forms.FileInput):
            return "fr-upload"
        return "fr-input"

    @property
    def group_class(self) -> str:
        """The DSFR group around a label and its widget (radio and checkbox groups are fieldsets)."""
        return {"fr-select": "fr-select-group", "fr-upload": "fr-upload-group"}.get(self.widget_class, "fr-input-group")

    @property
    def autofocus(self) -> bool:
        return getattr(self.form, "autofocus_field", None) == self.name

    @property
    def password_rules(self) -> list[str]:
        """Django's password rules come as an HTML list, which cannot sit in a <label>: the template shows
        them as the DSFR password component does, one message per rule under the input."""
        if isinstance(self.field.widget, forms.PasswordInput) and "<li>" in str(self.help_text):
            return password_validation.password_validators_help_texts()
        return []


class DsfrFormMixin:
    """The one base of every form: DSFR rendering (`DsfrBoundField`, templates/forms/), dates within bounds,
    and focus on the first field in error after a failed submission (the error summary links to each).

    `field_marks`: "required" puts an asterisk after required labels, "optional" says "(facultatif)"
    after optional ones, "" marks neither. `autofocus_on_load`: focus the first field on a blank form."""

    bound_field_class = DsfrBoundField
    field_marks = ""
    autofocus_on_load = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates(self)
        self.autofocus_field = next(iter(self.fields), None) if self.autofocus_on_load else None

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self._focus_first_error()

    def _focus_first_error(self) -> None:
        first = next((name for name in self.fields if name in self._errors), None)
        if first:
            self.autofocus_field = first

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names, else at the top; focus the first."""
        service_error_show(self, error)
        self._focus_first_error()


class Form(DsfrFormMixin, forms.Form):
    pass


class ModelForm(DsfrFormMixin, forms.ModelForm):
    pass


class ServiceModelFormMixin:
    """For a ModelForm whose data a service saves (the view calls the service with `cleaned_data`): the form
    takes its fields, labels and rules from the model and runs the model's validation on the fields it shows,
    but it works on a copy of `instance`, so the object the view holds stays as stored until the service has
    written it, and it has no `save()`."""

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance) if instance is not None else None, **kwargs)

    def save(self, commit=True):
        raise NotImplementedError(f"{type(self).__name__}: a service saves this form's data, not the form.")


def service_error_show(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the fields of `form` it names, else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def submitted(request, form, action) -> bool:
    """True once `form`, POSTed and valid, has gone through `action(form.cleaned_data)` — a service call,
    whose result is then `form.outcome`. A GET, an invalid form or a ValidationError from the service (shown
    on the form: its own `add_service_error` if it has one, else `service_error_show`) give False: the view
    renders the form again.

        if submitted(request, form, lambda data: services.investigation_update(investigation=…, **data)):
            messages.success(…)
            return redirect(…)
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        form.outcome = action(form.cleaned_data)
    except ValidationError as error:
        if hasattr(form, "add_service_error"):
            form.add_service_error(error)
        else:
            service_error_show(form, error)
        return False
    return True
