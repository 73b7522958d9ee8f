"""The author of a change in django-simple-history: a service's `by=` becomes the history record's user."""


def with_history_user(instance, by):
    """`instance`, whose next save is recorded as made by `by` (outside a request, or on its behalf)."""
    if by is not None:
        instance._history_user = by
    return instance
