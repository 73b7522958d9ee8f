"""The interview form completed with the keyboard alone, in Chromium (skipped when Chromium is absent)."""

import shutil

import pytest
from django.urls import reverse

from investigations.models import Interview

from .factories import InvestigationFactory, TargetGroupFactory, member

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="Chromium absent : installez-le (apt-get install chromium) pour ce test."),
]


def test_an_intrapreneur_logs_an_interview_with_the_keyboard_alone(live_server, client, monkeypatch, browser):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

    investigation = InvestigationFactory()
    TargetGroupFactory(investigation=investigation, name="Agents")
    TargetGroupFactory(investigation=investigation, name="Usagers")
    intrapreneur = member(investigation.startup)
    client.force_login(intrapreneur)
    session = client.cookies["sessionid"].value

    context = browser.new_context(locale="fr-FR")
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + reverse("investigations:interview_new", kwargs={"pk": investigation.pk}))
    assert page.evaluate("document.activeElement.id") == "id_date"  # autofocus on the first field
    keyboard = page.keyboard

    def tab_to(element_id):
        """Press Tab until the field has focus (a date input takes one Tab per day/month/year segment)."""
        for _ in range(4):
            keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == element_id:
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    tab_to("id_interviewer")  # the logged-in person already
    tab_to("id_channel_0")
    keyboard.press("Space")  # visio
    tab_to("id_interviewee")
    keyboard.type("AGENT-07")
    tab_to("id_consent_0")
    keyboard.press("Space")  # oui
    tab_to("id_target_group")
    keyboard.type("Usagers")
    tab_to("id_organisation")
    keyboard.type("Préfecture du Nord")
    tab_to("id_headcount")
    keyboard.type("250")
    tab_to("id_sector")
    keyboard.type("Administration")
    tab_to("id_intensity_0")
    keyboard.press("ArrowRight")  # 1 faible
    keyboard.press("ArrowRight")  # 2 modéré
    tab_to("id_notes")
    keyboard.type("Ressaisit chaque dossier.")
    tab_to("id_quotes")
    keyboard.type("Je tape tout deux fois.")
    tab_to("id_tags")
    keyboard.type("délais, ressaisie")
    tab_to("id_retention_until")  # kept as suggested
    for _ in range(4):
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == "Enregistrer":
            break
    assert page.evaluate("document.activeElement.textContent").strip() == "Enregistrer"
    keyboard.press("Enter")
    page.wait_for_url("**/investigations/entretiens/*/")
    assert "Entretien enregistré." in page.content()
    context.close()

    interview = Interview.objects.get()
    assert (interview.interviewee, interview.intensity, interview.channel) == ("AGENT-07", 2, "visio")
    assert interview.target_group.name == "Usagers"
    assert interview.interviewer == intrapreneur
    assert interview.consent is True
    assert [quote.text for quote in interview.quotes.all()] == ["Je tape tout deux fois."]
    assert sorted(tag.name for tag in interview.tags.all()) == ["délais", "ressaisie"]
