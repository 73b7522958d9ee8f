import html

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_text(response) -> str:
    """The page as a person reads it: HTML entities (&#x27; for ', &amp;…) decoded."""
    return html.unescape(response.content.decode())


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)
