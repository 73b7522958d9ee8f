"""Publishing an investigation's results page: only the team does it, and may take it down at any time."""

from django.db import transaction
from django.utils import timezone

from core.history import with_history_user
from investigations.models import Investigation
from products.models import User

from .models import ResultsPublication


def _locked(investigation: Investigation) -> ResultsPublication:
    """The investigation's publication (unsaved if it never had one), its investigation row locked so that two
    concurrent requests cannot both create it."""
    Investigation.objects.select_for_update().only("pk").get(pk=investigation.pk)
    publication = ResultsPublication.objects.filter(investigation=investigation).first()
    return publication or ResultsPublication(investigation=investigation)


def _save(publication: ResultsPublication, by: User) -> ResultsPublication:
    with_history_user(publication, by).full_clean()
    publication.save()
    return publication


@transaction.atomic
def results_publish(*, investigation: Investigation, by: User) -> ResultsPublication:
    """Make the results page public now (a page already public keeps its first publication)."""
    publication = _locked(investigation)
    if publication.is_published:
        return publication
    publication.published_at = timezone.now()
    publication.published_by = by
    return _save(publication, by)


@transaction.atomic
def results_unpublish(*, investigation: Investigation, by: User) -> ResultsPublication:
    """Take the results page down now: it answers 404 from this request on."""
    publication = _locked(investigation)
    if not publication.is_published:
        return publication
    publication.published_at = None
    publication.published_by = None
    publication.unpublished_at = timezone.now()
    publication.unpublished_by = by
    return _save(publication, by)
