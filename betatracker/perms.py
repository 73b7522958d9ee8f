"""Project-wide permission predicates, built on products.perms (never re-implementing roles)."""

from products.perms import ADMIN, STAFF, startup_roles

AUDIT_READERS = {ADMIN, STAFF}


def can_view_audit(user, startup) -> bool:
    """The audit trail of a startup's objects: its incubator staff and admins."""
    return bool(startup_roles(user, startup) & AUDIT_READERS)
