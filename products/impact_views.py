"""The impact page of a startup (/startups/<slug>/impact/): its indicators and their measurements, the money
granted and spent, the cost per unit of impact; and the forms with which the team fills them in."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import submitted
from core.uploads import upload_too_large

from . import services
from .forms import IndicatorForm, IndicatorTargetForm, MeasurementForm, MeasurementImportForm, SpendingForm
from .impact_csv import ImportFileError, measurements_import
from .impact_report import startup_impact
from .models import Startup
from .perms import can_record_impact, can_view_impact, can_view_money

IMPORT_MAX_BYTES = 1024 * 1024  # a year of daily measurements of ten indicators fits in a tenth of it


def _startup(request, slug, *, write=False) -> Startup:
    startup = get_object_or_404(Startup.objects.select_related("incubator"), slug=slug)
    if not can_view_impact(request.user, startup):
        raise Http404
    if write and not can_record_impact(request.user, startup):
        raise PermissionDenied
    return startup


def _page(request, startup, *, status=200, **forms):
    can_record = can_record_impact(request.user, startup)
    context = {
        "startup": startup,
        "impact": startup_impact(startup),
        "can_record": can_record,
        "can_view_money": can_view_money(request.user, startup),
        "report": forms.pop("report", None),
        "file_error": forms.pop("file_error", None),
    }
    if can_record:
        today = timezone.localdate()
        context |= {
            "indicator_form": forms.get("indicator_form") or IndicatorForm(prefix="indicator"),
            "measurement_form": forms.get("measurement_form")
            or MeasurementForm(prefix="measurement", startup=startup, initial={"date": today}),
            "target_form": forms.get("target_form") or IndicatorTargetForm(prefix="target", startup=startup),
            "spending_form": forms.get("spending_form") or SpendingForm(prefix="spending"),
            "import_form": forms.get("import_form") or MeasurementImportForm(prefix="import"),
        }
    return render(request, "products/impact.html", context, status=status)


@require_safe
def impact(request, slug):
    return _page(request, _startup(request, slug))


def _add_view(prefix: str, form_class, *, save, message, of_startup: bool = False):
    """The view that one of the page's forms posts to (`prefix`: its prefix and, with `_form`, its name in the
    page): saved with `save(startup, by, data)`, back to the page with `message(outcome)`; refused, the page
    again with the form and its errors. `of_startup`: the form chooses among the startup's indicators."""

    @require_POST
    def view(request, slug):
        startup = _startup(request, slug, write=True)
        form = form_class(request.POST, prefix=prefix, **({"startup": startup} if of_startup else {}))
        if submitted(request, form, lambda data: save(startup, request.user, data)):
            messages.success(request, message(form.outcome))
            return redirect("products:impact", slug=startup.slug)
        return _page(request, startup, status=400, **{f"{prefix}_form": form})

    return view


indicator_add = _add_view(
    "indicator",
    IndicatorForm,
    save=lambda startup, by, data: services.indicator_create(startup=startup, by=by, **data),
    message=lambda indicator: _("Indicateur « %(name)s » ajouté.") % {"name": indicator.name},
)
measurement_add = _add_view(
    "measurement",
    MeasurementForm,
    of_startup=True,
    save=lambda _startup, by, data: services.measurement_add(by=by, **data),
    message=lambda measurement: _("Mesure enregistrée pour « %(name)s ».") % {"name": measurement.indicator.name},
)
target_add = _add_view(
    "target",
    IndicatorTargetForm,
    of_startup=True,
    save=lambda _startup, by, data: services.indicator_target_add(by=by, **data),
    message=lambda target: _("Cible enregistrée pour « %(name)s ».") % {"name": target.indicator.name},
)
spending_add = _add_view(
    "spending",
    SpendingForm,
    save=lambda startup, by, data: services.spending_add(startup=startup, by=by, **data),
    message=lambda _spending: _("Dépense enregistrée."),
)


@require_POST
def measurement_import(request, slug):
    startup = _startup(request, slug, write=True)
    if upload_too_large(request, IMPORT_MAX_BYTES):  # refused before the body is read
        message = _("Le fichier dépasse %(size)s Mo.") % {"size": "1"}
        return _page(request, startup, file_error=message, status=413)
    form = MeasurementImportForm(request.POST, request.FILES, prefix="import")
    if not form.is_valid():
        return _page(request, startup, import_form=form, status=400)
    try:
        report = measurements_import(startup=startup, content=form.cleaned_data["file"].read(), by=request.user)
    except ImportFileError as error:
        return _page(request, startup, import_form=form, file_error=str(error), status=400)
    return _page(request, startup, report=report)
