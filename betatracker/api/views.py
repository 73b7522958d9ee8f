"""Read API, JSON, version 1, on django-ninja. Thin views: parameters typed and checked by ninja, a selection
of what the caller may see, dicts from `serializers` validated against `schemas` on the way out. The OpenAPI
description is generated from these signatures and schemas."""

import datetime
import re
from typing import Annotated
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Query, Status
from ninja.errors import HttpError, ValidationError
from pydantic import BeforeValidator

from committees.selectors import startup_post_mortem
from investigations.models import Investigation
from investigations.synthesis import investigations_synthesis
from products import services as product_services
from products.enums import MeasurementVia, PhaseName
from products.exports import startup_export, startups_for_export
from products.models import Incubator, Indicator, Startup
from products.perms import SYNTHESIS_READERS, can_record_impact, can_view_impact, can_view_synthesis, startup_ids_q

from . import docs, schemas
from .auth import ApiError, PersonalToken, error_response, require_write, scoped
from .serializers import decision_dict, decisions_for_api, investigation_dict, post_mortem_dict, startup_detail

api = NinjaAPI(
    title="Betatracker — API de lecture",
    version="1.0.0",
    description=(
        "Le portefeuille des Startups d'État, leurs phases, événements, synthèses d'investigation "
        "et décisions de comité. Authentification par jeton personnel, créé sur la page « Mon profil » : "
        "`Authorization: Bearer <jeton>`. Un jeton voit exactement ce que voit son utilisateur. "
        "Les paramètres inconnus sont refusés (400)."
    ),
    urls_namespace="api",
    auth=PersonalToken(),
    docs_url=None,  # no Swagger page: it loads its scripts from a CDN, which the CSP refuses
    openapi_url=None,  # served by `openapi` below, public and under the name it always had
)


# --- Query parameters ---------------------------------------------------------------------------
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _ascii_digits(value):
    """Only 0-9: no sign, space, underscore or other script's digits, which int() would take."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("not a positive integer")
    return value


def _iso_date(value):
    """Only AAAA-MM-JJ: pydantic would also take a timestamp."""
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("not an AAAA-MM-JJ date")
    return value


PositiveInt = Annotated[int, BeforeValidator(_ascii_digits)]
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]
PHASE = Query(None, description="Seulement les startups dont la phase actuelle est celle-ci.")
INCUBATOR = Query(
    None,
    description=(
        "Identifiant d'incubateur : ses startups, principales ou co-incubées. "
        "Un incubateur inconnu donne une liste vide."
    ),
)
SINCE = Query(None, description="Seulement les décisions prises ce jour-là ou après (AAAA-MM-JJ).")
PAGE = Query(1, ge=1, description="Numéro de page, à partir de 1. Une page au-delà de la dernière répond 404.")
PAGE_SIZE = Query(
    settings.API_PAGE_SIZE,
    ge=1,
    le=settings.API_MAX_PAGE_SIZE,
    description=f"Résultats par page : {settings.API_PAGE_SIZE} par défaut, {settings.API_MAX_PAGE_SIZE} au plus.",
)


def _bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def _invalid_parameter_message(name: str, value: str) -> str:
    if name == "phase":
        return _("Phase inconnue : « %(phase)s ». Valeurs possibles : %(values)s.") % {
            "phase": value,
            "values": ", ".join(PhaseName.values),
        }
    if name == "since":
        return _("Le paramètre « since » doit être une date AAAA-MM-JJ (reçu : « %(value)s »).") % {"value": value}
    if name == "page_size":
        bounds = _("un entier entre 1 et %(max)d") % {"max": settings.API_MAX_PAGE_SIZE}
    else:
        bounds = _("un entier supérieur ou égal à 1")
    return _("Le paramètre « %(name)s » doit être %(bounds)s.") % {"name": name, "bounds": bounds}


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error_response(exc.status, exc.code, exc.message)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    """ninja's own refusals (a body it cannot parse) in the API's JSON shape."""
    if exc.status_code == 400:
        return error_response(400, "bad_request", _("Le corps de la requête n'est pas un objet JSON lisible."))
    return error_response(exc.status_code, "error", str(exc))


@api.exception_handler(ValidationError)
def _invalid_parameter(request, exc: ValidationError):
    """A parameter ninja could not read (the first one): 400, in the API's words, naming it."""
    name = str(exc.errors[0]["loc"][-1])
    if exc.errors[0]["loc"][0] == "body":
        return error_response(
            400, "bad_request", _("Le champ « %(name)s » du corps JSON manque ou n'est pas valable.") % {"name": name}
        )
    return error_response(400, "bad_request", _invalid_parameter_message(name, request.GET.get(name, "")))


def _check_query(request, allowed: set[str]) -> None:
    """Unknown parameters and parameters given twice are refused: ninja would ignore the first and keep only
    the last of the second."""
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise _bad_request(
            _("Paramètre inconnu : %(names)s. Paramètres acceptés : %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )
    for name in sorted(request.GET):
        if len(request.GET.getlist(name)) > 1:
            raise _bad_request(_("Le paramètre « %(name)s » ne peut être donné qu'une fois.") % {"name": name})


def _paginate(request, queryset, serialise, number: int, page_size: int) -> dict:
    paginator = Paginator(queryset, page_size)
    try:
        page = paginator.page(number)
    except EmptyPage as exc:
        raise ApiError(
            404,
            "not_found",
            ngettext(
                "La page %(page)d n'existe pas : il y a %(pages)d page.",
                "La page %(page)d n'existe pas : il y a %(pages)d pages.",
                paginator.num_pages,
            )
            % {"page": number, "pages": paginator.num_pages},
        ) from exc

    def link(to: int | None) -> str | None:
        if to is None:
            return None
        query = request.GET.copy()
        query["page"] = str(to)
        return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")

    return {
        "count": paginator.count,
        "next": link(page.next_page_number() if page.has_next() else None),
        "previous": link(page.previous_page_number() if page.has_previous() else None),
        "results": [serialise(item) for item in page.object_list],
    }


def _without_nul(value: str) -> bool:
    return "\x00" not in value


def _startup_or_404(request, startups, slug: str, readable=lambda _user, _startup: True) -> Startup:
    """The startup `slug` among `startups`, within the token's scope and if `readable(user, startup)`; the API's
    JSON 404 otherwise (an unreadable startup looks the same as a missing one)."""
    startup = scoped(request, startups).filter(slug=slug).first() if _without_nul(slug) else None
    if startup is None or not readable(request.user, startup):
        raise ApiError(404, "not_found", _("Aucune startup d'identifiant « %(slug)s ».") % {"slug": slug})
    return startup


ERRORS = {400: schemas.Error, 401: schemas.Error, 404: schemas.Error}


# --- Endpoints ----------------------------------------------------------------------------------
@api.get(
    "/startups",
    response={200: schemas.StartupPage, **ERRORS},
    url_name="startup_list",
    operation_id="listStartups",
    summary="Les startups, triées par identifiant",
)
def startup_list(
    request,
    phase: schemas.one_of(PhaseName) | None = PHASE,
    incubator: str | None = INCUBATOR,
    page: PositiveInt = PAGE,
    page_size: PositiveInt = PAGE_SIZE,
):
    _check_query(request, {"phase", "incubator", "page", "page_size"})
    startups = scoped(request, startups_for_export())
    if phase is not None:
        startups = startups.in_phase(phase)
    if incubator is not None:
        # An unknown incubator has no startup: the list is empty, as for any other filter.
        found = Incubator.objects.filter(slug=incubator).first() if _without_nul(incubator) else None
        startups = startups.of_incubator(found) if found else startups.none()
    return _paginate(request, startups, startup_export, page, page_size)


@api.get(
    # startup_slug: a slug the converter refuses (NUL, newline, quote…) falls to not_found, the API's JSON 404.
    "/startups/{startup_slug:slug}",
    response={200: schemas.StartupDetail, **ERRORS},
    exclude_unset=True,  # investigations and decisions are left out when the caller may not read them
    by_alias=True,
    url_name="startup_detail",
    operation_id="getStartup",
    summary="Une startup, ses phases et événements ; synthèses et décisions si autorisé",
)
def startup_retrieve(request, slug: str):
    _check_query(request, set())
    startup = _startup_or_404(request, startups_for_export(), slug)
    data = startup_detail(startup)
    if can_view_synthesis(request.user, startup):
        investigations = list(Investigation.objects.filter(startup=startup).order_by("-started_on", "-pk"))
        syntheses = investigations_synthesis(i.pk for i in investigations)
        data["investigations"] = [investigation_dict(i, syntheses[i.pk]) for i in investigations]
        data["decisions"] = [decision_dict(d) for d in decisions_for_api().filter(startup=startup)]
        data["post_mortem"] = post_mortem_dict(startup_post_mortem(startup))
    return data


@api.get(
    "/decisions",
    response={200: schemas.DecisionPage, **ERRORS},
    url_name="decision_list",
    operation_id="listDecisions",
    summary="Les décisions de comité que l'utilisateur peut lire, par date",
)
def decision_list(
    request,
    since: IsoDate | None = SINCE,
    page: PositiveInt = PAGE,
    page_size: PositiveInt = PAGE_SIZE,
):
    _check_query(request, {"since", "page", "page_size"})
    decisions = decisions_for_api().filter(startup_ids_q(request.user, SYNTHESIS_READERS, field="startup_id"))
    decisions = scoped(request, decisions, field="startup_id")
    if since is not None:
        decisions = decisions.filter(date__gte=since)
    return _paginate(request, decisions, decision_dict, page, page_size)


@api.post(
    "/startups/{startup_slug:slug}/impact/measurements",
    response={201: schemas.Measurement, 403: schemas.Error, **ERRORS},
    url_name="measurement_create",
    operation_id="createMeasurement",
    summary="Enregistrer une mesure d'un indicateur d'impact (jeton avec l'écriture des mesures)",
)
def measurement_create(request, slug: str, payload: schemas.MeasurementIn):
    require_write(request)
    startup = _startup_or_404(request, Startup.objects.all(), slug, can_view_impact)
    if not can_record_impact(request.user, startup):
        raise ApiError(
            403, "forbidden", _("Seuls l'équipe de la startup, ses coachs et l'incubateur saisissent ses mesures.")
        )
    name = " ".join(payload.indicator.split()).casefold()
    indicator = next(
        (i for i in Indicator.objects.filter(startup=startup) if " ".join(i.name.split()).casefold() == name), None
    )
    if indicator is None:
        raise _bad_request(_("Indicateur « %(name)s » inconnu de cette startup.") % {"name": payload.indicator[:60]})
    try:
        measurement = product_services.measurement_add(
            indicator=indicator, date=payload.date, value=payload.value, by=request.user, via=MeasurementVia.API
        )
    except DjangoValidationError as error:
        raise _bad_request(" ".join(error.messages)) from error
    return Status(
        201,
        {
            "startup": startup.slug,
            "indicator": indicator.name,
            "unit": indicator.unit,
            "date": measurement.date,
            "value": measurement.value,
        },
    )


# --- Outside ninja's operations -----------------------------------------------------------------
def _document() -> dict:
    """The OpenAPI description, its paths under the API's mount point (/api/v1/)."""
    return api.get_openapi_schema(path_prefix=reverse("api:index"))


@login_not_required
@require_safe
def openapi(request):
    return JsonResponse(_document(), json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_safe
def index(request):
    """/api/v1/: what the API offers, with links: its documentation, its OpenAPI description, its endpoints."""
    document = _document()
    return JsonResponse(
        {
            "title": document["info"]["title"],
            "version": document["info"]["version"],
            "documentation": request.build_absolute_uri(reverse("api:docs")),
            "openapi": request.build_absolute_uri(reverse("api:openapi")),
            "authentication": _("En-tête « Authorization: Bearer <jeton> », le jeton créé sur %(url)s.")
            % {"url": request.build_absolute_uri(reverse("profile"))},
            "endpoints": [
                {
                    "method": operation.method,
                    "path": operation.path,
                    "url": request.build_absolute_uri(operation.path),
                    "summary": operation.summary,
                    "documentation": request.build_absolute_uri(f"{reverse('api:docs')}#{operation.anchor}"),
                }
                for operation in docs.operations(document)
            ],
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@login_not_required
@require_safe
def documentation(request):
    """The API's documentation, rendered on the server from its OpenAPI description (no script, no CDN)."""
    document = _document()
    return render(
        request,
        "betatracker/api_docs.html",
        {
            "info": document["info"],
            "operations": docs.operations(document),
            "schemas": docs.schemas(document),
            "base_url": request.build_absolute_uri(reverse("api:index")),
            "crumbs": [(_("Documentation de l'API"), None)],
        },
    )


@login_not_required
@csrf_exempt  # a POST to an unknown address gets the API's JSON 404, not the CSRF page
def not_found(request, rest=""):
    return error_response(404, "not_found", _("Aucune ressource à cette adresse de l'API."))
