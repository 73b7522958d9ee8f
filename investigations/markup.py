"""Markdown for notes d'étape, rendered then sanitised (nh3) so that no script or handler survives.

Kept local to this app on purpose: the lead swaps it for the project-wide `render_markdown` filter
once it lands.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe


def render_markdown(text: str) -> SafeString:
    return mark_safe(nh3.clean(markdown.markdown(text or "", extensions=["sane_lists"])))  # noqa: S308
