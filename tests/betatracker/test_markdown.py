from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from betatracker.markdown import ALLOWED_TAGS, render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[clic](javascript:alert(1))",
    '<a href="javascript:alert(1)">clic</a>',
    '<p style="position:fixed">x</p>',
    '<iframe src="https://example.org"></iframe>',
    "<svg onload=alert(1)>",
    '"><b onmouseover=alert(1)>x</b>',
    "<style>body{display:none}</style>",
    "[x](  JaVaScRiPt:alert(1))",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)


def dangers(html: str) -> list[str]:
    collect = _Collect()
    collect.feed(html)
    found = [f"<{tag}>" for tag in collect.tags if tag not in ALLOWED_TAGS]
    for tag, name, value in collect.attrs:
        if name.startswith("on") or name == "style":
            found.append(f"{tag} {name}=")
        if name == "href" and not value.lower().startswith(("http:", "https:", "mailto:", "#", "/")):
            found.append(f"{tag} href={value}")
    return found


def test_markdown_is_rendered():
    html = render_markdown("**Gras**, *italique* et [un lien](https://beta.gouv.fr).\n\n- un\n- deux")
    assert "<strong>Gras</strong>" in html
    assert "<em>italique</em>" in html
    assert '<a href="https://beta.gouv.fr" rel="noopener noreferrer nofollow">un lien</a>' in html
    assert "<li>un</li>" in html


def test_headings_in_the_text_never_compete_with_the_page_title():
    html = render_markdown("# Titre\n\n## Sous-titre\n\n### Détail")
    assert "<h1" not in html and "<h2" not in html
    assert html.count("<h3>") == 3


def test_every_known_payload_is_neutralised():
    for payload in PAYLOADS:
        html = render_markdown(f"Avant {payload} après")
        assert dangers(html) == [], (payload, html)
        assert "<script" not in html.lower()


def test_text_that_looks_like_html_is_kept_as_text():
    assert "1 &lt; 2" in render_markdown("1 < 2")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=40), st.sampled_from(["<", ">", '"', "'", "`", "\n\n"])),
        max_size=8,
    )
)
def test_no_text_whatsoever_brings_a_script_a_handler_or_a_style_through(parts):
    html = render_markdown("".join(parts))
    assert dangers(html) == []
