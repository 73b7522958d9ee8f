"""Uploads over the limit are refused before they are read (security review, issue 12): the declared
Content-Length is checked before Django parses the body (and before a worker spends its time on it)."""

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
