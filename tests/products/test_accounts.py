import re
import uuid

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from .factories import StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-de-test"
PUBLIC_PAGES = [
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "accessibility",
]
SAMPLE_VALUES = {
    "int": "1",
    "id": "1",
    "str": "exemple",
    "slug": "exemple",
    "startup_slug": "exemple",
    "path": "exemple",
    "uuid": str(uuid.uuid4()),
}


def _routes(patterns, prefix=""):
    """Every (path, view) of the project written with path(), parameters filled with sample values."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "exemple"), route)
            yield "/" + path, pattern.callback


def _private_routes():
    return [
        (path, view)
        for path, view in _routes(get_resolver().url_patterns)
        if not path.startswith("/admin/") and getattr(view, "login_required", True)
    ]


def test_anonymous_visitor_is_sent_to_login_from_every_private_page(client):
    routes = _private_routes()
    assert "/startups/" in [path for path, _view in routes]
    login = reverse("login")
    for path, _view in routes:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{login}?next="), path


def test_the_startup_pages_and_the_account_pages_are_not_public(client):
    startup = StartupFactory(slug="demo.point")
    for path in [
        reverse("dashboard:home"),
        reverse("products:startup_list"),
        startup.get_absolute_url(),
        reverse("password_change"),
        reverse("password_change_done"),
        reverse("logout"),
    ]:
        assert getattr(resolve(path).func, "login_required", True), path
        assert client.get(path).status_code == 302, path


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_sign_in_reset_and_accessibility_pages_are_public(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


def test_the_admin_sends_anonymous_visitors_to_its_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_person_signs_in_with_their_email_address(client):
    UserFactory(email="camille@example.gouv.fr")
    response = client.post(reverse("login"), {"username": "camille@example.gouv.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(reverse("products:startup_list")).status_code == 200


def test_email_address_is_accepted_whatever_the_case_typed(client):
    UserFactory(email="camille@example.gouv.fr")
    response = client.post(reverse("login"), {"username": " Camille@Example.GOUV.fr", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_goes_back_to_the_page_asked_for(client):
    UserFactory(email="camille@example.gouv.fr")
    next_url = reverse("products:startup_list") + "?phase=construction"
    response = client.post(
        reverse("login"), {"username": "camille@example.gouv.fr", "password": PASSWORD, "next": next_url}
    )
    assert response["Location"] == next_url


def test_wrong_password_is_refused_with_a_french_message_and_the_email_kept(client):
    UserFactory(email="camille@example.gouv.fr")
    response = client.post(reverse("login"), {"username": "camille@example.gouv.fr", "password": "faux"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Adresse électronique ou mot de passe incorrect." in page
    assert 'value="camille@example.gouv.fr"' in page
    assert "_auth_user_id" not in client.session


def test_malformed_email_is_named_in_the_error(client):
    response = client.post(reverse("login"), {"username": "pas-une-adresse", "password": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "adresse électronique valide" in page
    assert 'aria-invalid="true"' in page


def test_inactive_account_cannot_sign_in(client):
    UserFactory(email="parti@example.gouv.fr", is_active=False)
    client.post(reverse("login"), {"username": "parti@example.gouv.fr", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_login_page_sends_a_signed_in_person_home(client):
    client.force_login(UserFactory())
    response = client.get(reverse("login"))
    assert response.status_code == 302


def test_sign_out_is_a_post_that_ends_the_session(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("products:startup_list")).status_code == 302


def _reset_link(body: str) -> str:
    match = re.search(r"https?://testserver(/\S+)", body)
    assert match, body
    return match.group(1)


def test_password_reset_sends_a_french_mail_whose_link_sets_a_new_password(client):
    user = UserFactory(email="oubli@example.gouv.fr")
    response = client.post(reverse("password_reset"), {"email": "oubli@example.gouv.fr"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["oubli@example.gouv.fr"]
    assert "mot de passe" in message.subject
    assert "Bonjour" in message.body
    assert "Si vous n'avez rien demandé" in message.body

    # The link redirects once to a URL without the token, then shows the form.
    response = client.get(_reset_link(message.body), follow=True)
    assert response.status_code == 200
    assert "Choisir un nouveau mot de passe" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Nouveau-secret-2024", "new_password2": "Nouveau-secret-2024"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")

    user.refresh_from_db()
    assert user.check_password("Nouveau-secret-2024")
    response = client.post(reverse("login"), {"username": "oubli@example.gouv.fr", "password": "Nouveau-secret-2024"})
    assert response.status_code == 302


def test_used_reset_link_is_refused_clearly(client):
    UserFactory(email="oubli@example.gouv.fr")
    client.post(reverse("password_reset"), {"email": "oubli@example.gouv.fr"})
    link = _reset_link(mail.outbox[0].body)
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0], {"new_password1": "Nouveau-secret-2024", "new_password2": "Nouveau-secret-2024"}
    )
    response = client.get(link, follow=True)
    assert "Ce lien n'est plus valable" in response.content.decode()


def test_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.gouv.fr"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_rejects_weak_passwords_in_french(client):
    UserFactory(email="oubli@example.gouv.fr")
    client.post(reverse("password_reset"), {"email": "oubli@example.gouv.fr"})
    response = client.get(_reset_link(mail.outbox[0].body), follow=True)
    response = client.post(response.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()


def test_signed_in_person_changes_their_password(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert user.email in page
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Encore-un-secret-42", "new_password2": "Encore-un-secret-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Encore-un-secret-42")
    # The session survives the change.
    assert client.get(reverse("password_change_done")).status_code == 200


def test_password_change_with_a_wrong_current_password_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": "Encore-un-secret-42", "new_password2": "Encore-un-secret-42"},
    )
    assert response.status_code == 200
    assert "ancien mot de passe est incorrect" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- Throttling slows down, never locks out (issue 12, item 7) --------------------------------------------------
PROXY = "10.0.0.1"


def _login(client, email, password, ip=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_failures_of_one_person_behind_the_trusted_proxy_do_not_keep_out_the_others_behind_it(client, settings):
    import django.test

    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="agent@example.gouv.fr", password=PASSWORD)
    for _ in range(8):
        _login(client, "agent@example.gouv.fr", "mauvais", forwarded="203.0.113.66")
    assert _login(client, "agent@example.gouv.fr", PASSWORD, forwarded="203.0.113.66").status_code == 429
    owner = django.test.Client()
    assert _login(owner, "agent@example.gouv.fr", PASSWORD, forwarded="198.51.100.1, 203.0.113.5").status_code == 302


def test_a_forwarded_header_is_not_trusted_unless_the_settings_say_so(client):
    UserFactory(email="agent@example.gouv.fr", password=PASSWORD)
    for n in range(5):
        _login(client, "agent@example.gouv.fr", "mauvais", forwarded=f"203.0.113.{n}")
    assert _login(client, "agent@example.gouv.fr", PASSWORD, forwarded="203.0.113.99").status_code == 429


def test_after_five_failures_each_try_waits_a_little_then_the_right_password_works(client):
    import time_machine
    from django.utils import timezone

    UserFactory(email="agent@example.gouv.fr", password=PASSWORD)
    for _ in range(5):
        assert _login(client, "agent@example.gouv.fr", "mauvais").status_code == 200
    response = _login(client, "agent@example.gouv.fr", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "15"
    assert "Réessayez dans 15 secondes." in response.content.decode()
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=16)):
        assert _login(client, "agent@example.gouv.fr", PASSWORD).status_code == 302


def test_failures_from_many_addresses_slow_the_account_down_for_a_minute_at_most(client):
    import time_machine
    from django.utils import timezone

    UserFactory(email="agent@example.gouv.fr", password=PASSWORD)
    for n in range(30):
        _login(client, "agent@example.gouv.fr", "mauvais", ip=f"203.0.113.{n}")
    response = _login(client, "agent@example.gouv.fr", PASSWORD, ip="198.51.100.1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        assert _login(client, "agent@example.gouv.fr", PASSWORD, ip="198.51.100.1").status_code == 302


def test_password_reset_requests_are_slowed_down(client):
    UserFactory(email="agent@example.gouv.fr")
    for _ in range(3):
        response = client.post(reverse("password_reset"), {"email": "agent@example.gouv.fr"}, REMOTE_ADDR=PROXY)
        assert response.status_code == 302
    response = client.post(reverse("password_reset"), {"email": "agent@example.gouv.fr"}, REMOTE_ADDR=PROXY)
    assert response.status_code == 429
    assert "Trop de demandes de réinitialisation" in response.content.decode()
    assert len(mail.outbox) == 3


def test_the_password_change_form_slows_down_wrong_current_passwords(client):
    user = UserFactory(email="agent@example.gouv.fr", password=PASSWORD)
    client.force_login(user)
    data = {
        "old_password": "mauvais",
        "new_password1": "Nouveau-mot-de-passe-42",
        "new_password2": "Nouveau-mot-de-passe-42",
    }
    for _ in range(5):
        assert client.post(reverse("password_change"), data, REMOTE_ADDR=PROXY).status_code == 200
    response = client.post(reverse("password_change"), data | {"old_password": PASSWORD}, REMOTE_ADDR=PROXY)
    assert response.status_code == 429
    assert "Trop de mots de passe actuels erronés." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
