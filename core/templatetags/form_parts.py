"""The parts of a page around forms and lists that need a little Python (fields themselves are rendered by
FORM_RENDERER, see core/forms.py).

{% load form_parts %}
{% error_summary form %}                  one DSFR error summary at the top of a form, linking to each field
{% error_summary form formset %}          … and to the fields of a formset's rows
{% pagination page_obj %}                 DSFR pagination keeping the other GET parameters ({% querystring %})
{% table_head _("Date") _("Auteur") %}    the head row of a DSFR table, one column header a label
{% table caption _("Date") _("Auteur") %}<tr>…</tr>{% endtable %}
                                          a whole DSFR table: caption, head row, the rows written inside;
                                          `css="fr-table--no-caption"` adds classes, `scroll=True` the wrapper
                                          that scrolls a wide table, `id="…"` names the <table>;
                                          `empty=_("…")`: the sentence shown instead when no row renders
{% list empty=_("Aucun…") %}<li>…</li>{% endlist %}
                                          a list of the items written inside (`ordered=True`: numbered,
                                          `css="…"` its classes), or the sentence `empty` when no item renders
{% form_buttons _("Enregistrer") url _("Annuler") %}
                                          a form's submit button and, beside it, the link that leaves the form;
                                          `css="fr-mt-3w"` adds classes to the group
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.inclusion_tag("forms/error_summary.html")
def error_summary(form=None, formset=None):
    top = list(form.non_field_errors()) if form else []
    top += formset.non_form_errors() if formset else []
    fields = []
    for each in ([form] if form else []) + (list(formset.forms) if formset else []):
        top += each.non_field_errors() if each is not form else []
        fields += [(field, error) for field in each for error in field.errors]
    return {"top": top, "fields": fields, "count": len(top) + len(fields)}


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page_obj, on_each_side=1):
    """`{% querystring %}` inside reads `context.request`, which the inclusion context keeps."""
    paginator = page_obj.paginator
    return {
        "page_obj": page_obj,
        "pages": list(paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=1)),
        "ellipsis": paginator.ELLIPSIS,
    }


@register.inclusion_tag("includes/table_head.html")
def table_head(*labels):
    return {"labels": labels}


@register.simple_block_tag
def table(content, caption, *labels, css="", scroll=False, id="", empty=""):
    if empty and not content.strip():
        return format_html("<p>{}</p>", empty)
    context = {"rows": content, "caption": caption, "labels": labels, "css": css, "scroll": scroll, "id": id}
    return render_to_string("includes/table.html", context)


@register.simple_block_tag(name="list", end_name="endlist")
def item_list(content, *, ordered=False, css="", empty=""):
    if not content.strip():
        return format_html("<p>{}</p>", empty) if empty else ""
    tag = "ol" if ordered else "ul"
    return format_html("<{}{}>{}</{}>", tag, format_html(' class="{}"', css) if css else "", content, tag)


@register.inclusion_tag("forms/buttons.html")
def form_buttons(submit, back_url, back, css=""):
    return {"submit": submit, "back_url": back_url, "back": back, "css": css}


@register.inclusion_tag("forms/post_button.html", takes_context=True)
def post_button(context, url_name, *args, label, css="", aria_label="", form_css=""):
    """A one-button form that POSTs to the URL `url_name` (with `args`): the CSRF token,
    a submit button with DSFR classes (`css`: "fr-btn--secondary fr-btn--sm"…), and an accessible name when the
    visible label alone is ambiguous in a list (`aria_label`)."""
    return {
        "csrf_token": context.get("csrf_token"),
        "action": reverse(url_name, args=args),
        "label": label,
        "css": css,
        "aria_label": aria_label,
        "form_css": form_css,
    }
