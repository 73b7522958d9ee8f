"""The list and form-buttons tags of core/templatetags/form_parts.py, as a page shows them."""

from django.template import Context, Template

LIST = (
    '{% load form_parts %}{% list ordered=ordered css=css empty="Aucune phase." %}'
    "{% for item in items %}<li>{{ item }}</li>{% endfor %}{% endlist %}"
)


def render(source, **context):
    return Template(source).render(Context(context))


def test_list_shows_its_items_in_a_bulleted_list_with_its_classes():
    html = render(LIST, items=["Construction", "<b>Accélération</b>"], ordered=False, css="fr-raw-list")
    assert html == ('<ul class="fr-raw-list"><li>Construction</li><li>&lt;b&gt;Accélération&lt;/b&gt;</li></ul>')


def test_ordered_list_without_classes_is_numbered():
    assert render(LIST, items=["Investigation"], ordered=True, css="") == "<ol><li>Investigation</li></ol>"


def test_list_without_items_shows_the_empty_sentence_instead():
    assert render(LIST, items=[], ordered=False, css="fr-raw-list") == "<p>Aucune phase.</p>"


def test_form_buttons_submit_and_link_back():
    html = render(
        '{% load form_parts %}{% form_buttons "Recevoir le lien" "/comptes/connexion/" "Retour" css="fr-mt-3w" %}'
    )
    assert '<ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">' in html
    assert '<button type="submit" class="fr-btn">Recevoir le lien</button>' in html
    assert '<a class="fr-btn fr-btn--secondary" href="/comptes/connexion/">Retour</a>' in html
