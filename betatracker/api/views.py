"""Read API, JSON, version 1. Thin views: parse the query, select what the caller may see, serialise."""

import datetime
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from investigations.models import Investigation
from investigations.synthesis import investigations_synthesis
from products.enums import PhaseName
from products.models import Incubator
from products.perms import SYNTHESIS_READERS, can_view_synthesis, startup_ids_q

from .auth import ApiError, api_view, error_response, scoped
from .openapi import openapi_schema
from .serializers import (
    decision_dict,
    decisions_for_api,
    investigation_dict,
    startup_detail,
    startup_summary,
    startups_for_api,
)

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


# --- Query parameters ---------------------------------------------------------------------------
def _bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def _reject_unknown(request, allowed: set[str]) -> None:
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise _bad_request(
            _("Paramètre inconnu : %(names)s. Paramètres acceptés : %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )


def _single(request, name: str) -> str | None:
    values = request.GET.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise _bad_request(_("Le paramètre « %(name)s » ne peut être donné qu'une fois.") % {"name": name})
    return values[0]


def _positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = _single(request, name)
    if raw is None:
        return default
    bounds = _("un entier entre 1 et %(max)d") % {"max": maximum} if maximum else _("un entier supérieur ou égal à 1")
    if not raw.isascii() or not raw.isdigit():
        raise _bad_request(_("Le paramètre « %(name)s » doit être %(bounds)s.") % {"name": name, "bounds": bounds})
    value = int(raw)
    if value < 1 or (maximum is not None and value > maximum):
        raise _bad_request(_("Le paramètre « %(name)s » doit être %(bounds)s.") % {"name": name, "bounds": bounds})
    return value


def _paginate(request, queryset, serialise) -> JsonResponse:
    page_size = _positive_int(request, "page_size", settings.API_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
    number = _positive_int(request, "page", 1)
    paginator = Paginator(queryset, page_size)
    try:
        page = paginator.page(number)
    except EmptyPage as exc:
        raise ApiError(
            404,
            "not_found",
            _("La page %(page)d n'existe pas : il y a %(pages)d page(s).")
            % {"page": number, "pages": paginator.num_pages},
        ) from exc

    def link(to: int | None) -> str | None:
        if to is None:
            return None
        query = request.GET.copy()
        query["page"] = str(to)
        return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")

    return JsonResponse(
        {
            "count": paginator.count,
            "next": link(page.next_page_number() if page.has_next() else None),
            "previous": link(page.previous_page_number() if page.has_previous() else None),
            "results": [serialise(item) for item in page.object_list],
        }
    )


def _without_nul(value: str) -> bool:
    return "\x00" not in value


# --- Endpoints ----------------------------------------------------------------------------------
@api_view
def startup_list(request):
    _reject_unknown(request, {"phase", "incubator", "page", "page_size"})
    startups = scoped(request, startups_for_api())
    phase = _single(request, "phase")
    if phase is not None:
        if phase not in PhaseName.values:
            raise _bad_request(
                _("Phase inconnue : « %(phase)s ». Valeurs possibles : %(values)s.")
                % {"phase": phase, "values": ", ".join(PhaseName.values)}
            )
        startups = startups.in_phase(phase)
    incubator_slug = _single(request, "incubator")
    if incubator_slug is not None:
        # An unknown incubator has no startup: the list is empty, as for any other filter.
        incubator = Incubator.objects.filter(slug=incubator_slug).first() if _without_nul(incubator_slug) else None
        startups = startups.of_incubator(incubator) if incubator else startups.none()
    return _paginate(request, startups, startup_summary)


@api_view
def startup_retrieve(request, slug):
    _reject_unknown(request, set())
    startup = scoped(request, startups_for_api()).filter(slug=slug).first() if _without_nul(slug) else None
    if startup is None:
        raise ApiError(404, "not_found", _("Aucune startup d'identifiant « %(slug)s ».") % {"slug": slug})
    data = startup_detail(startup)
    if can_view_synthesis(request.user, startup):
        investigations = list(Investigation.objects.filter(startup=startup).order_by("-started_on", "-pk"))
        syntheses = investigations_synthesis(i.pk for i in investigations)
        data["investigations"] = [investigation_dict(i, syntheses[i.pk]) for i in investigations]
        data["decisions"] = [decision_dict(d) for d in decisions_for_api().filter(startup=startup)]
    return JsonResponse(data)


@api_view
def decision_list(request):
    _reject_unknown(request, {"since", "page", "page_size"})
    decisions = decisions_for_api().filter(startup_ids_q(request.user, SYNTHESIS_READERS, field="startup_id"))
    decisions = scoped(request, decisions, field="startup_id")
    since = _single(request, "since")
    if since is not None:
        try:
            since_date = datetime.date.fromisoformat(since) if ISO_DATE.match(since) else None
        except ValueError:
            since_date = None
        if since_date is None:
            raise _bad_request(
                _("Le paramètre « since » doit être une date AAAA-MM-JJ (reçu : « %(value)s »).") % {"value": since}
            )
        decisions = decisions.filter(date__gte=since_date)
    return _paginate(request, decisions, decision_dict)


@login_not_required
@require_safe
def openapi(request):
    return JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False})


@login_not_required
def not_found(request, rest=""):
    return error_response(404, "not_found", _("Aucune ressource à cette adresse de l'API."))
