"""Model fields shared by the apps (core imports no app)."""

from django.conf import settings
from django.db import models


def actor_field(verbose_name, related_name: str = "+") -> models.ForeignKey:
    """Who did something to a row (closed it, published it, filled it in…): a trace kept when the person's
    account goes (SET_NULL), with no reverse accessor on the user unless `related_name` names one."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )
