"""What every app's views do the same way: fetch an object the person may read (404 otherwise, so that its
existence is not revealed), and run a service for a POST button, its refusal shown as an error message."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404


def readable_or_404(queryset, user, can_view: Callable, **lookup):
    """The object of `queryset` matching `lookup`, if `can_view(user, obj)`; a 404 otherwise — an object the
    person may not read looks the same as one that does not exist."""
    obj = get_object_or_404(queryset, **lookup)
    if not can_view(user, obj):
        raise Http404
    return obj


def perform(request, action: Callable[[], object], *, success: str = "") -> bool:
    """Run `action` (a service call) for a POST button. A refusal (ValidationError) becomes an error message and
    False; otherwise `success` is shown and True returned. The caller redirects either way."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    if success:
        messages.success(request, success)
    return True
