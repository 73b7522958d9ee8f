"""The same thing said the same way on every page, in each language: a date in one order per language, a moment
without « à » in English, no French punctuation in the English catalogue, a no-consent interview without a run of
dashes."""

import datetime
import html

import pytest
from django.urls import reverse

from tests.betatracker.test_i18n import PO_FILE, _get, read_po
from tests.committees.factories import CommitteeSessionFactory, ReviewFactory
from tests.investigations.factories import InterviewFactory, QuoteFactory
from tests.products.factories import UserFactory

FRENCH_PUNCTUATION = (" :", " ?", " !", " ;", "\u00a0:", "\u00a0?", "\u00a0!", "\u202f", "«", "»")


def test_the_english_catalogue_carries_no_french_punctuation():
    problems = [
        f"{entry.msgid!r} → {msgstr!r}"
        for entry in read_po(PO_FILE)
        for msgstr in entry.msgstrs
        if any(mark in msgstr for mark in FRENCH_PUNCTUATION)
    ]
    assert problems == [], "English: no space before : ? ! ;, and “ ” rather than « »."


@pytest.fixture
def closed_session():
    session = CommitteeSessionFactory(date=datetime.date(2026, 12, 1), closed=True)
    session.closed_at = datetime.datetime(2026, 12, 1, 1, 6, tzinfo=datetime.UTC)  # 02h06 in Paris
    session.save(update_fields=["closed_at"])
    ReviewFactory(session=session)
    return session


def _pages(client, session, language):
    return [
        html.unescape(_get(client, url, language).content.decode())
        for url in (reverse("committees:session_list"), reverse("committees:session_detail", args=[session.pk]))
    ]


@pytest.mark.django_db
def test_two_english_pages_write_the_same_day_in_the_same_order(client, closed_session):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    session_list, session_detail = _pages(client, closed_session, "en")
    for page in (session_list, session_detail):
        assert "12/01/2026" in page
        assert "01/12/2026" not in page
    assert "Dec. 1, 2026" in session_detail
    assert "Dec. 1, 2026, 2:06 a.m." in session_detail  # the session was closed at 02:06, Paris time
    assert "02h06" not in session_detail
    assert " à " not in session_detail


@pytest.mark.django_db
def test_french_pages_write_the_day_first_and_the_time_the_french_way(client, closed_session):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    session_list, session_detail = _pages(client, closed_session, "fr")
    for page in (session_list, session_detail):
        assert "01/12/2026" in page
        assert "12/01/2026" not in page
    assert "Séance close le 1 décembre 2026 à 02h06" in session_detail


@pytest.mark.django_db
def test_an_interview_without_consent_shows_what_is_kept_without_a_run_of_dashes(client):
    interview = InterviewFactory(consent=False, organisation="", notes="", headcount=15, sector="Association")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = html.unescape(_get(client, interview.get_absolute_url(), "fr").content.decode())
    assert "— —" not in page
    assert "Non communiquée (sans consentement)" in page
    assert '<dt class="fr-text--bold">Effectif</dt><dd>15</dd>' in page
    assert '<dt class="fr-text--bold">Secteur</dt><dd>Association</dd>' in page
    listing = html.unescape(
        _get(client, reverse("investigations:interview_list", args=[interview.investigation_id]), "fr").content.decode()
    )
    assert "Non communiquée (sans consentement) (effectif 15)" in listing


@pytest.mark.django_db
def test_quotes_are_quoted_the_way_of_the_language(client):
    interview = InterviewFactory()
    QuoteFactory(interview=interview, text="Je tape tout deux fois.")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    french = html.unescape(_get(client, interview.get_absolute_url(), "fr").content.decode())
    english = html.unescape(_get(client, interview.get_absolute_url(), "en").content.decode())
    assert "« Je tape tout deux fois. »" in french
    assert "“Je tape tout deux fois.”" in english
    assert "«" not in english.split("<main", 1)[1]
