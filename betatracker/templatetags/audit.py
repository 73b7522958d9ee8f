"""`{% load audit %}{% audit_trail obj %}`: the audit trail of `obj`, shown only to those who may read it."""

from django import template

from betatracker.audit import audit_entries, startup_audit_entries, startup_of
from betatracker.perms import can_view_audit
from products.models import Startup

register = template.Library()


@register.inclusion_tag("includes/audit_trail.html", takes_context=True)
def audit_trail(context, obj):
    user = context["request"].user
    if not can_view_audit(user, startup_of(obj)):
        return {"audit_entries": None}
    entries = startup_audit_entries(obj) if isinstance(obj, Startup) else audit_entries(obj)
    return {"audit_entries": entries, "audit_id": f"audit-{obj._meta.model_name}-{obj.pk}"}
