"""Who publishes an investigation's results: whoever works on the startup (investigations.perms.can_contribute)."""

from investigations import perms as investigation_perms


def can_publish_results(user, investigation) -> bool:
    return investigation_perms.can_contribute(user, investigation)


def require_publisher(user, investigation) -> None:
    """404 for someone who may not read the investigation, 403 for a reader who may not publish it."""
    investigation_perms.require(user, investigation, can_publish_results)
