"""Request identifiers: one per request, taken from the platform router when it sends one, so that a
request's log lines can be found together (and matched with the router's access logs)."""

import re
import uuid
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from core.uploads import door_limit, upload_too_large

from .logging import request_id_var

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
# A router's id is kept only if it looks like one: no spaces or control characters, a sensible length.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:+/=-]{1,200}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(REQUEST_ID_HEADER, "")
        request_id = incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _posted_form(request) -> bool:
    return request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    )


API_PREFIX = "/api/"


class RefuseNulMiddleware:
    """413 for a body declared larger than the upload limit, before anything reads it; 404 for a path holding a
    NUL character, 400 for a query string or a submitted form value holding one:
    PostgreSQL refuses NUL in text, so such a value must never reach a query (a backstop behind the path
    converters and the forms' own NUL validator; security review, issue 12)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404  # no page has such an address (the admin's history with a NUL id included)
        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            if request.path.startswith(API_PREFIX):  # the API answers in JSON, as its description says
                from betatracker.api.auth import error_response

                return error_response(400, "bad_request", _("Un paramètre contient un caractère nul."))
            raise BadRequest("NUL character in the query string")
        door = door_limit(request)  # FILE_UPLOAD_MAX_MEMORY_SIZE, or what the address's view accepts
        if upload_too_large(request, door):
            # Refused before anything (the CSRF check included) reads the body.
            megabytes = f"{door / 1024 / 1024:g}"
            message = _("L'envoi dépasse %(size)s Mo : il est refusé sans être lu.") % {"size": megabytes}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        # Form fields validate NUL themselves, but some values are used before any form (the login throttle's
        # e-mail): refuse them at the door too.
        # The API reads JSON, never form fields (its one writing operation takes a JSON body).
        if (
            _posted_form(request)
            and not request.path.startswith(API_PREFIX)
            and any("\x00" in key or any("\x00" in value for value in values) for key, values in request.POST.lists())
        ):
            raise BadRequest("NUL character in the submitted data")
        return self.get_response(request)
