"""DSFR rendering of Django form fields, pages and pagination.

{% load dsfr_forms %}
{% dsfr_field form.email %}               label, hint, input with DSFR classes, errors tied by aria-describedby
{% dsfr_form_errors form %}               the form's non-field errors as a DSFR alert
{% dsfr_pagination page_obj %}            DSFR pagination keeping the other GET parameters
"""

from django import forms, template
from django.contrib.auth import password_validation

register = template.Library()


def _kind(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.inclusion_tag("includes/form_field.html")
def dsfr_field(field, **attrs):
    """`attrs` go on the widget as they are (e.g. autocomplete="email")."""
    kind = _kind(field.field.widget)
    widget_id = field.id_for_label or field.auto_id
    messages_id = f"{widget_id}-messages"
    classes = {"input": "fr-input", "select": "fr-select", "checkbox": "", "choices": ""}[kind]
    if field.errors and classes:
        classes += f" {classes}--error"
    widget_attrs = {**attrs}
    if classes:
        widget_attrs["class"] = classes
    hint, hint_lines = field.help_text, []
    if isinstance(field.field.widget, forms.PasswordInput) and "<li>" in str(hint):
        # Django's password rules come as an HTML list, which cannot sit in a <label>: show them
        # as the DSFR password component does, one message per rule under the input.
        hint, hint_lines = "", password_validation.password_validators_help_texts()
    described_by = []
    if hint:
        described_by.append(f"{widget_id}-hint")
    if field.errors or hint_lines:
        described_by.append(messages_id)
    if field.errors:
        widget_attrs["aria-invalid"] = "true"
    if described_by:
        widget_attrs["aria-describedby"] = " ".join(described_by)
    return {
        "field": field,
        "kind": kind,
        "hint": hint,
        "hint_lines": hint_lines,
        "widget": field.as_widget(attrs=widget_attrs),
        "widget_id": widget_id,
        "messages_id": messages_id,
        "group_class": {"input": "fr-input-group", "select": "fr-select-group"}.get(kind, "fr-checkbox-group"),
    }


@register.inclusion_tag("includes/form_errors.html")
def dsfr_form_errors(form):
    return {"errors": form.non_field_errors()}


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def dsfr_pagination(context, page_obj):
    """`{% querystring %}` inside reads `context.request`, which the inclusion context keeps."""
    paginator = page_obj.paginator
    return {
        "page_obj": page_obj,
        "pages": list(paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)),
        "ellipsis": paginator.ELLIPSIS,
    }
