"""{% load markdown %}{{ text|markdown }} — or {{ text|markdown:3 }} to start its headings at <h3>."""

from django import template

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text, top_heading=None):
    return render_markdown(text, top_heading=int(top_heading) if top_heading else None)
