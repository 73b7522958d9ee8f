"""Markdown written by people (notes d'étape, descriptions), rendered to HTML that is safe to show.

Markdown is converted first, then the HTML is cleaned by nh3 (an allow-list sanitiser): no
script, no event handler, no style, no javascript: link, whatever the text holds.
"""

import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
# A page has its own h1 and h2: headings written in the text start at h3.
_TOP_HEADINGS = re.compile(r"<(/?)h[12](?=[\s>])")


def render_markdown(text: str) -> SafeString:
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    html = _TOP_HEADINGS.sub(r"<\1h3", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 — cleaned by nh3 just above
