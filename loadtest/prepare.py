"""Prepare the load test: people, their memberships and signed-in sessions, and the plan the
locust process reads (plan.json). Must run with the same SECRET_KEY as the server (the session
hash depends on it).

- COACHES coaches (staff of every load incubator, so that the dashboard shows a full portfolio);
- INTRAPRENEURS intrapreneurs, each on a startup in investigation with an open investigation;
- the paths they visit, found by URL name so that pages added later join in:
  the dashboard (a URL name containing "dashboard", else products:home), the portfolio list,
  startup pages, and the interview form (the `investigations:` URL named like interview_log/create/new/add).

Usage: python loadtest/prepare.py OUTPUT.json [COACHES] [INTRAPRENEURS]
"""

import json
import os
import re
import secrets
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "betatracker.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402

from investigations.models import Investigation  # noqa: E402
from products.enums import MembershipRole  # noqa: E402
from products.models import Incubator, Membership, Startup, User  # noqa: E402

INTERVIEW_FORM = re.compile(r"^investigations:.*interview_(log|create|new|add)$")


def url_names():
    def walk(resolver, namespaces, inherited):
        for pattern in resolver.url_patterns:
            groups = tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                ns = namespaces + ([pattern.namespace] if pattern.namespace else [])
                yield from walk(pattern, ns, inherited + groups)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield ":".join([*namespaces, pattern.name]), inherited + groups

    yield from walk(get_resolver(), [], ())


def fill(kwarg_names, startup):
    investigation = startup.investigations.open().first()
    values = {"slug": startup.slug, "startup_slug": startup.slug, "startup_pk": startup.pk}
    if investigation:
        values.update(investigation_pk=investigation.pk, investigation_id=investigation.pk, pk=investigation.pk)
    if all(name in values for name in kwarg_names):
        return {name: values[name] for name in kwarg_names}
    return None


def session_for(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def main(output, coaches=10, intrapreneurs=10):
    names = dict(url_names())
    dashboard = next((n for n, k in names.items() if "dashboard" in n and not k), "dashboard:home")
    interview_form = next((n for n in names if INTERVIEW_FORM.match(n)), None)
    if interview_form is None:
        raise SystemExit("no interview form among the URL names: the intrapreneurs would have nothing to log")
    startups = list(Startup.objects.order_by("slug").values_list("slug", flat=True))
    investigating = list(
        Startup.objects.filter(investigations__in=Investigation.objects.open())
        .distinct()
        .order_by("slug")[:intrapreneurs]
    )
    incubators = list(Incubator.objects.all())
    people = []
    for i in range(coaches):
        user, _ = User.objects.get_or_create(
            email=f"charge-coach-{i}@example.gouv.fr", defaults={"full_name": f"Coach {i}"}
        )
        for incubator in incubators:
            incubator.staff.add(user)
        people.append({"role": "coach", "session": session_for(user)})
    for i, startup in enumerate(investigating):
        user, _ = User.objects.get_or_create(
            email=f"charge-intra-{i}@example.gouv.fr", defaults={"full_name": f"Intrapreneur {i}"}
        )
        Membership.objects.get_or_create(user=user, startup=startup, role=MembershipRole.INTRAPRENEUR)
        kwargs = fill(names[interview_form], startup)
        if kwargs is None:
            raise SystemExit(f"cannot fill the arguments of {interview_form}: {names[interview_form]}")
        form_path = reverse(interview_form, kwargs=kwargs)
        people.append(
            {
                "role": "intrapreneur",
                "session": session_for(user),
                "startup_path": reverse("products:startup_detail", kwargs={"slug": startup.slug}),
                "interview_form": form_path,
            }
        )
    # One person signs in through the real login page (loadtest/instances.py): on one instance, then used on another.
    signin_password = secrets.token_urlsafe(18)
    signer, _ = User.objects.get_or_create(
        email="charge-connexion@example.gouv.fr", defaults={"full_name": "Personne Multi-Instances"}
    )
    signer.set_password(signin_password)
    signer.save()
    for incubator in incubators:
        incubator.staff.add(signer)
    plan = {
        "signin": {"username": signer.email, "password": signin_password},
        "login": reverse("login"),
        "logout": reverse("logout"),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_secret": secrets.token_hex(16),  # 32 characters: accepted as cookie and as form token
        "dashboard": reverse(dashboard),
        "portfolio": reverse("products:startup_list"),
        "startup_paths": [reverse("products:startup_detail", kwargs={"slug": slug}) for slug in startups],
        "interview_form_name": interview_form,
        "people": people,
    }
    with open(output, "w", encoding="utf-8") as f:
        json.dump(plan, f, indent=1)
    print(
        f"plan: {coaches} coaches, {len(investigating)} intrapreneurs, {len(startups)} startups, "
        f"dashboard {plan['dashboard']}, interview form: {interview_form}"
    )


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
