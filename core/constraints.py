"""Database constraints written the same way by every app."""

from django.db import models
from django.db.models import Q


def stamped_iff_status(
    *, status: tuple[str, str], stamp: str, stamped: bool = True, name: str, message
) -> models.CheckConstraint:
    """A date column filled exactly when a status column holds one value (`stamped=True`: a closed session has its
    closing date) — or, with `stamped=False`, exactly when it holds any other value (an open condition has no
    resolution date, a resolved one has it)."""
    field, value = status
    return models.CheckConstraint(
        condition=Q(**{field: value, f"{stamp}__isnull": not stamped})
        | (~Q(**{field: value}) & Q(**{f"{stamp}__isnull": stamped})),
        name=name,
        violation_error_message=message,
    )
