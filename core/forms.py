import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates typed in a form stay within these years: 9999-10-01 was accepted, and "+6 months" from it then
# crashed the decision page (year 10000; security review, issue 12).
MIN_YEAR, MAX_YEAR = 2000, 2100


def date_in_bounds(value: datetime.date) -> None:
    """Validator: a date between MIN_YEAR and MAX_YEAR, with a message saying so."""
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Saisissez une date entre %(min)d et %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            code="date_out_of_bounds",
        )


def bound_dates(form: forms.BaseForm) -> None:
    """Give every date field of `form` the `date_in_bounds` validator (called by the forms' base mixins)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and date_in_bounds not in field.validators:
            field.validators = [*field.validators, date_in_bounds]


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
