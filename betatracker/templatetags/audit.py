"""`{% load audit %}{% audit_trail obj %}`: the audit trail of `obj`, shown only to those who may read it."""

from django import template

from betatracker.audit import startup_of, trail_of
from betatracker.perms import can_view_audit
from core import versions

register = template.Library()


@register.inclusion_tag("includes/audit_trail.html", takes_context=True)
def audit_trail(context, obj):
    user = context["request"].user
    if not can_view_audit(user, startup_of(obj)):
        return {"audit_entries": None}
    # Cached until any row of the startup changes (core.versions): every write leaves a history record.
    entries = versions.cached(
        f"audit-{obj._meta.label_lower}-{obj.pk}", lambda: trail_of(obj), startup=startup_of(obj).pk
    )
    return {"audit_entries": entries, "audit_id": f"audit-{obj._meta.model_name}-{obj.pk}"}
