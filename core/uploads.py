"""Uploads over the limit are refused before they are read (security review, issue 12): the declared
Content-Length is checked before Django parses the body (and before a worker spends its time on it)."""

from collections.abc import Callable

from django.conf import settings
from django.urls import Resolver404, resolve

# Room for the multipart envelope around the file (boundaries, headers, the CSRF token, other fields).
MULTIPART_ALLOWANCE = 64 * 1024


def upload_too_large(request, max_bytes: int) -> bool:
    """Whether the request declares a body larger than a file of `max_bytes` can make (or declares none that
    can be read as a number); call it before touching request.POST or request.FILES."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_bytes + MULTIPART_ALLOWANCE


def accepts_uploads_up_to(max_bytes: Callable[[], int]):
    """View decorator: this page takes files of up to `max_bytes()` (read from the settings at each request),
    more than the FILE_UPLOAD_MAX_MEMORY_SIZE every other address is held to at the door (door_limit)."""

    def decorate(view):
        view.upload_max_bytes = max_bytes
        return view

    return decorate


def door_limit(request) -> int:
    """The largest file the address of `request` takes: its view's `accepts_uploads_up_to`, else
    FILE_UPLOAD_MAX_MEMORY_SIZE (betatracker.middleware refuses a larger body before reading it)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    max_bytes = getattr(match.func, "upload_max_bytes", None)
    return max_bytes() if max_bytes is not None else settings.FILE_UPLOAD_MAX_MEMORY_SIZE
