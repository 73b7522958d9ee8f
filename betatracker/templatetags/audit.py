"""`{% load audit %}{% audit_trail obj %}`: the audit trail of `obj`, shown only to those who may read it."""

from django import template

from betatracker.audit import startup_of, trail_of
from betatracker.perms import can_view_audit

register = template.Library()


@register.inclusion_tag("includes/audit_trail.html", takes_context=True)
def audit_trail(context, obj):
    user = context["request"].user
    if not can_view_audit(user, startup_of(obj)):
        return {"audit_entries": None}
    return {"audit_entries": trail_of(obj), "audit_id": f"audit-{obj._meta.model_name}-{obj.pk}"}
