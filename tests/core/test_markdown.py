from django.template import Context, Template

from core.markdown import render_markdown


def test_markdown_is_rendered_to_html():
    html = render_markdown("Un **produit** et [son site](https://example.gouv.fr).")
    assert "<strong>produit</strong>" in html
    assert 'href="https://example.gouv.fr"' in html
    assert 'rel="noopener noreferrer"' in html


def test_script_tags_are_removed_with_their_content():
    html = render_markdown("Avant\n\n<script>alert('piège')</script>\n\nAprès")
    assert "<script" not in html
    assert "alert" not in html
    assert "Avant" in html
    assert "Après" in html


def test_event_handlers_are_stripped():
    html = render_markdown('<img src="x" onerror="alert(1)"> <p onclick="alert(2)">texte</p>')
    assert "onerror" not in html
    assert "onclick" not in html
    assert "alert" not in html
    assert "texte" in html


def test_javascript_links_lose_their_target():
    html = render_markdown("[cliquez](javascript:alert(1))")
    assert "javascript:" not in html
    assert "cliquez" in html


def test_style_attributes_and_iframes_are_dropped():
    html = render_markdown('<p style="color:red">rouge</p><iframe src="https://example.com"></iframe>')
    assert "style=" not in html
    assert "<iframe" not in html
    assert "rouge" in html


def test_headings_can_be_demoted_under_the_page_headings():
    html = render_markdown("## Problème\n\ntexte\n\n### Détail", top_heading=3)
    assert "<h3>Problème</h3>" in html
    assert "<h4>Détail</h4>" in html


def test_headings_never_go_below_h6():
    html = render_markdown("# Un\n\n###### Six", top_heading=4)
    assert "<h4>Un</h4>" in html
    assert "<h6>Six</h6>" in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_template_filter_renders_sanitised_markdown():
    template = Template("{% load markdown %}{{ text|markdown }}|{{ text|markdown:3 }}")
    output = template.render(Context({"text": "# Titre\n\n<script>x()</script>*ok*"}))
    assert "<h1>Titre</h1>" in output
    assert "<h3>Titre</h3>" in output
    assert "<em>ok</em>" in output
    assert "<script" not in output
