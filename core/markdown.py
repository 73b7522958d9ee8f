"""Markdown to safe HTML, for every text a person typed (startup descriptions, notes, rationales).

Markdown lets raw HTML through, so the rendered HTML always goes through the nh3 sanitiser: only
the tags and attributes below survive, `<script>`/`<style>` are dropped with their content, event
handlers (`onerror=`…) and `javascript:` URLs disappear, and links get `rel="noopener noreferrer"`.
"""

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_HEADING = re.compile(r"^h([1-6])$")


class _ShiftHeadings(Treeprocessor):
    """Move every heading down so that the text's highest heading sits at `top` (h6 at most)."""

    def __init__(self, md, top):
        super().__init__(md)
        self.top = top

    def run(self, root: etree.Element) -> None:
        headings = [(element, int(match.group(1))) for element in root.iter() if (match := _HEADING.match(element.tag))]
        if not headings:
            return
        shift = self.top - min(level for _element, level in headings)
        if shift <= 0:
            return
        for element, level in headings:
            element.tag = f"h{min(level + shift, 6)}"


class _ShiftHeadingsExtension(Extension):
    def __init__(self, top, **kwargs):
        self.top = top
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_ShiftHeadings(md, self.top), "betatracker_shift_headings", 5)


def render_markdown(text: str | None, *, top_heading: int | None = None) -> SafeString:
    """Render `text` (Markdown, possibly with raw HTML) to sanitised HTML, safe to put in a page.

    `top_heading` (2 to 6) demotes the text's headings so that they fit under the page's own
    headings: with `top_heading=3`, a text whose biggest heading is `#` or `##` starts at `<h3>`.
    """
    if not text:
        return mark_safe("")
    extensions = ["tables", "sane_lists", "fenced_code"]
    if top_heading:
        extensions.append(_ShiftHeadingsExtension(top_heading))
    html = markdown.markdown(text, extensions=extensions, output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # sanitised by nh3 just above
