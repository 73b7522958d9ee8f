"""{% breadcrumb label url label url … current_label %}: the DSFR breadcrumb of a page (after "Accueil"),
in templates/includes/breadcrumb.html, the same one views fill with a `crumbs` context variable."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/breadcrumb.html")
def breadcrumb(*trail):
    *pairs, current = trail
    return {"crumbs": [*zip(pairs[::2], pairs[1::2], strict=True), (current, None)]}
