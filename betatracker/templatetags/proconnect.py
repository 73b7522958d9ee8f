from django import template

from betatracker import oidc

register = template.Library()


@register.inclusion_tag("betatracker/includes/proconnect_button.html", takes_context=True)
def proconnect_button(context):
    """The "S’identifier avec ProConnect" button, rendered only when ProConnect is configured."""
    return {"proconnect_enabled": oidc.is_enabled(), "next": context.get("next", "")}
