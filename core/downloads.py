"""Downloads: one way to name the file a response carries (RFC 6266), for every export.

A startup identifier with a carriage return or a `"` used to be pasted into the header as is, breaking
it (security review, issue 12). `content_disposition` quotes the name as RFC 6266 says: a plain ASCII
`filename="…"` (quotes and backslashes escaped, control characters dropped) and, for any other name,
`filename*=utf-8''…` percent-encoded.
"""

from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache


def safe_filename(name: str) -> str:
    """`name` without control characters, path separators or leading dots (never an empty name)."""
    cleaned = "".join(char for char in name if char.isprintable() and char not in "/\\")
    return cleaned.lstrip(".").strip() or "export"


def content_disposition(filename: str, *, as_attachment: bool = True) -> str:
    """The Content-Disposition header for a download named `filename`."""
    return content_disposition_header(as_attachment, safe_filename(filename))


def attach(response, filename: str):
    """Mark `response` as a download named `filename`; returns it."""
    response["Content-Disposition"] = content_disposition(filename)
    return response


# Pages and exports that carry interview notes, pseudonyms, quotes or the personal data log: never kept
# by a browser or a proxy (Cache-Control: no-store, private…; security review, issue 12).
notes_page = never_cache
