"""Permission primitives every app's perms module builds on."""

import functools
from collections.abc import Callable, Iterable


def roles_per_request(compute: Callable[..., Iterable[str]]) -> Callable[..., frozenset[str]]:
    """Decorate `compute(user, obj) -> roles`: an anonymous visitor holds none, and the roles of a signed-in person
    on an object are computed once per request (cached on the user object, which lives as long as the request)."""
    cache_name = f"_{compute.__name__}_cache"

    @functools.wraps(compute)
    def roles(user, obj) -> frozenset[str]:
        if not user.is_authenticated:
            return frozenset()
        cache = user.__dict__.setdefault(cache_name, {})
        if obj.pk not in cache:
            cache[obj.pk] = frozenset(compute(user, obj))
        return cache[obj.pk]

    return roles
