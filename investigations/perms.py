"""Who may do what on investigations, built on the role predicates of products/perms.py.

- raw notes, organisations, the interview list and pages → `can_view_notes` (the team, its coaches,
  incubator staff);
- the investigation page, synthesis, insights, hypotheses and quotes → `can_view_synthesis` (the above
  plus committee members of a session reviewing the startup and sponsor contacts);
- every write (open, edit, suspend, conclude, log, import, erase) → `can_contribute`.

Views answer 404 to someone who may not even read the synthesis (they need not know the investigation
exists) and 403 to a reader who may not do the action.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from products import perms as startup_perms

from .models import Investigation


def can_view_investigation(user, investigation: Investigation) -> bool:
    return startup_perms.can_view_synthesis(user, investigation.startup)


def can_view_notes(user, investigation: Investigation) -> bool:
    return startup_perms.can_view_notes(user, investigation.startup)


def can_contribute(user, investigation: Investigation) -> bool:
    return startup_perms.can_contribute(user, investigation.startup)


def can_open_investigation(user, startup) -> bool:
    return startup_perms.can_contribute(user, startup)


def can_view_personal_data_log(user) -> bool:
    """Django staff and superusers see every entry; incubator staff see their incubators' entries."""
    return user.is_authenticated and (user.is_staff or user.is_superuser or user.staffed_incubators.exists())


def personal_data_log_q(user) -> Q:
    if user.is_staff or user.is_superuser:
        return Q()
    startups = startup_perms.startups_visible(user, {startup_perms.STAFF})
    return Q(investigation__isnull=True) | Q(investigation__startup__in=startups.values("pk"))


def investigations_readable(user):
    """Investigations whose synthesis the person may read (for lists), without a query per row."""
    startups = startup_perms.startups_visible(user, startup_perms.SYNTHESIS_READERS)
    return Investigation.objects.filter(startup__in=startups.values("pk"))


def investigations_with_notes(user):
    """Investigations whose raw notes the person may read."""
    startups = startup_perms.startups_visible(user, startup_perms.NOTES_READERS)
    return Investigation.objects.filter(startup__in=startups.values("pk"))


def require(user, investigation: Investigation, predicate=can_view_investigation) -> None:
    """404 for someone who may not read the investigation at all, 403 if they may read it but not
    do what `predicate` guards."""
    if not can_view_investigation(user, investigation):
        raise Http404
    if predicate is not can_view_investigation and not predicate(user, investigation):
        raise PermissionDenied
