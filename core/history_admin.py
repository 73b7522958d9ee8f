"""django-simple-history's admin, refusing malformed addresses with a 404 (not a 500).

Its history views put the address's object id and version id straight into a query: text where a number
is expected raised ValueError (500), and a NUL reached PostgreSQL (security review, issue 12). Every
admin with a history uses `HistoryAdmin` instead of `SimpleHistoryAdmin`.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

MAX_ID_DIGITS = 18


class HistoryAdmin(SimpleHistoryAdmin):
    def _checked_object_id(self, object_id: str) -> str:
        raw = unquote(object_id)
        try:
            self.model._meta.pk.to_python(raw)
        except (ValidationError, ValueError, TypeError, OverflowError):
            raise Http404 from None
        if "\x00" in raw or len(raw) > 255:
            raise Http404
        return object_id

    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, self._checked_object_id(object_id), extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (version_id.isascii() and version_id.isdigit() and len(version_id) <= MAX_ID_DIGITS):
            raise Http404
        return super().history_form_view(request, self._checked_object_id(object_id), version_id, extra_context)
