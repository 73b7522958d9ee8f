"""Public pages (no sign-in, cached, indexable) and the team's screen that publishes an investigation's results.

The public pages show no one as signed in and hold no form, so that a shared cache may keep them: the language
is chosen by `?lang=` links (each language has its own address), else by the browser as everywhere else."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from investigations.enums import INTENSITY_SCALE_LABELS, HypothesisStatus, Intensity
from investigations.models import Investigation
from investigations.synthesis import intensity_chart
from products.models import Startup

from . import services
from .models import ResultsPublication
from .perms import require_publisher
from .results import MIN_GROUP_SIZE, OTHERS, WITHOUT_GROUP, public_results, published_results

PUBLIC_MAX_AGE = 5 * 60  # seconds a browser or a shared cache may keep a public page


def _public_language(request) -> bool:
    """Switch to the language of `?lang=` when it names one; whether it did."""
    code = request.GET.get("lang", "")
    if code not in dict(settings.LANGUAGES):
        return False
    translation.activate(code)
    request.LANGUAGE_CODE = code
    return True


def _alternates(request) -> list[dict]:
    base = request.build_absolute_uri(request.path)
    return [
        {"code": code, "name": name, "url": f"{base}?{urlencode({'lang': code})}"} for code, name in settings.LANGUAGES
    ]


def _public(response, *, explicit_language: bool):
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if not explicit_language:  # chosen from the language cookie or the browser
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _render_public(request, template: str, context: dict):
    explicit = _public_language(request)
    # Nobody is shown as signed in and no message is read: the page is the same for everyone.
    context = {**context, "user": AnonymousUser(), "messages": (), "alternates": _alternates(request)}
    return _public(render(request, template, context), explicit_language=explicit)


def _display_groups(groups: list[dict]) -> list[dict]:
    labels = {OTHERS: _("Autres"), WITHOUT_GROUP: _("Sans groupe cible")}
    return [
        {
            **group,
            "name": labels.get(group["name"], group["name"]),
            "cells": [group["by_intensity"][str(level.value)] for level in Intensity],
        }
        for group in groups
    ]


def _results_context(investigation: Investigation, results: dict) -> dict:
    groups = _display_groups(results["groups"])
    return {
        "investigation": investigation,
        "startup": investigation.startup,
        "results": results,
        "groups": groups,
        "chart": intensity_chart(groups),
        "intensity_labels": [INTENSITY_SCALE_LABELS[level] for level in Intensity],
        "intensity_totals": [results["by_intensity"][str(level.value)] for level in Intensity],
        "no_problem_percent": round(results["no_problem_share"] * 100, 1),
        "hypotheses": [
            {"label": status.label, "items": results["hypotheses"][status.value]} for status in HypothesisStatus
        ],
        "sheet_is_public": not investigation.startup.is_private,
        "min_group_size": MIN_GROUP_SIZE,
    }


# --- Public pages ---------------------------------------------------------------------------------
@login_not_required
@require_safe
def startup_page(request, slug):
    startup = get_object_or_404(
        Startup.objects.public()
        .select_related("incubator__owner")
        .prefetch_related("co_incubators", "themes", "sponsors"),
        slug=slug,
    )
    publications = (
        ResultsPublication.objects.published()
        .filter(investigation__startup=startup)
        .select_related("investigation")
        .order_by("-investigation__started_on")
    )
    return _render_public(
        request,
        "public/startup.html",
        {"startup": startup, "phases": list(startup.ordered_phases()), "publications": publications},
    )


@login_not_required
@require_safe
def investigation_results(request, pk, as_json=False):
    publication = get_object_or_404(
        ResultsPublication.objects.published().select_related("investigation__startup"), investigation_id=pk
    )
    results = published_results(publication)
    if as_json or request.GET.get("format") == "json":
        response = JsonResponse(results, json_dumps_params={"ensure_ascii": False, "indent": 2})
        return _public(response, explicit_language=True)  # the same in every language
    return _render_public(
        request, "public/investigation_results.html", _results_context(publication.investigation, results)
    )


# --- The team's screen: preview, publish, unpublish ------------------------------------------------
def _investigation(request, pk) -> Investigation:
    investigation = get_object_or_404(Investigation.objects.select_related("startup__incubator"), pk=pk)
    require_publisher(request.user, investigation)
    return investigation


@require_safe
def investigation_preview(request, pk):
    investigation = _investigation(request, pk)
    publication = ResultsPublication.objects.filter(investigation=investigation).first()
    context = _results_context(investigation, public_results(investigation))
    context["publication"] = publication
    return render(request, "public/investigation_preview.html", context)


def _publication_change(request, pk, service, done: str):
    """Publish or unpublish an investigation's results (`service`), then show the preview."""
    investigation = _investigation(request, pk)
    service(investigation=investigation, by=request.user)
    messages.success(request, done)
    return redirect("public:investigation_preview", pk=investigation.pk)


@require_POST
def investigation_publish(request, pk):
    return _publication_change(request, pk, services.results_publish, _("Les résultats sont publiés."))


@require_POST
def investigation_unpublish(request, pk):
    return _publication_change(request, pk, services.results_unpublish, _("Les résultats ne sont plus publiés."))
