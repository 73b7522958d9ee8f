"""Thin views: authorise (perms.py), bind a form, call one service, redirect."""

import dataclasses
import io
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, When
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from core.downloads import attach, notes_page
from core.durations import short_date
from core.forms import submitted
from core.markdown import render_markdown
from core.uploads import upload_too_large
from core.views import perform
from products.models import Startup

from . import doctrine, perms, services
from .csv_io import ImportFileError, interviews_export, max_bytes, size_error
from .enums import INTENSITY_SCALE_LABELS, Intensity, InvestigationStatus
from .forms import (
    ConcludeForm,
    EraseForm,
    HypothesisForm,
    ImportForm,
    InsightForm,
    InterviewForm,
    InterviewHypothesesForm,
    InvestigationForm,
    ResumeForm,
    RitualForm,
    SuspendForm,
)
from .models import (
    INVESTIGATION_WORKFLOW,
    Hypothesis,
    Insight,
    Interview,
    InterviewImport,
    Investigation,
    InvestigationRitual,
    PersonalDataLog,
    Quote,
)
from .synthesis import (
    insight_support,
    investigation_synthesis,
    latest_interview_dates,
    rituals_report,
    synthesis_report,
)
from .tasks import interviews_upload

INTERVIEWS_PER_PAGE = 50


# --- Helpers --------------------------------------------------------------------------------------
def _investigation(request, pk, predicate=perms.can_view_investigation) -> Investigation:
    investigation = get_object_or_404(Investigation.objects.select_related("startup__incubator"), pk=pk)
    perms.require(request.user, investigation, predicate)
    return investigation


def _crumbs(investigation: Investigation | None = None, *extra):
    crumbs = [(_("Investigations"), reverse("investigations:list"))]
    if investigation is not None:
        crumbs.append((investigation.startup.name, investigation.startup.get_absolute_url()))
        crumbs.append(
            (
                _("Investigation du %(date)s") % {"date": short_date(investigation.started_on)},
                investigation.get_absolute_url(),
            )
        )
    crumbs.extend(extra)
    label, _url = crumbs[-1]
    crumbs[-1] = (label, None)  # the current page is not a link
    return crumbs


def _context(request, investigation: Investigation, section: str, **extra) -> dict:
    user = request.user
    return {
        "investigation": investigation,
        "startup": investigation.startup,
        "section": section,
        "can_contribute": perms.can_contribute(user, investigation),
        "can_view_notes": perms.can_view_notes(user, investigation),
        **extra,
    }


def _form_page(request, investigation: Investigation, template: str, form, title: str, crumb: str = "", **extra):
    """A form about an investigation or something inside it: `title` heads the page, `crumb` (the title unless
    given) ends the breadcrumb."""
    crumbs = _crumbs(investigation, (crumb or title, None))
    return render(
        request, template, _context(request, investigation, "detail", form=form, title=title, crumbs=crumbs, **extra)
    )


# --- Investigations -------------------------------------------------------------------------------
@require_safe
def investigation_list(request):
    investigations = (
        perms.investigations_readable(request.user)
        .select_related("startup")
        .with_interview_count()
        .order_by(Case(When(status=InvestigationStatus.EN_COURS, then=0), default=1), "-started_on", "-pk")
    )
    page = Paginator(investigations, 50).get_page(request.GET.get("page"))
    last = latest_interview_dates([investigation.pk for investigation in page.object_list])
    for investigation in page.object_list:
        investigation.last_interview = last.get(investigation.pk)
    return render(
        request,
        "investigations/investigation_list.html",
        {"page": page, "crumbs": _crumbs()},
    )


def investigation_open(request, slug):
    startup = get_object_or_404(Startup, slug=slug)
    if not perms.can_open_investigation(request.user, startup):
        raise PermissionDenied
    form = InvestigationForm(request.POST if request.method == "POST" else None)
    if submitted(request, form, lambda data: services.investigation_open(startup=startup, by=request.user, **data)):
        investigation = form.outcome
        messages.success(request, _("Investigation ouverte."))
        _warn_too_many_groups(request, form)
        return redirect(investigation)
    return render(
        request,
        "investigations/investigation_form.html",
        {
            "form": form,
            "startup": startup,
            "title": _("Ouvrir une investigation"),
            "crumbs": [(startup.name, startup.get_absolute_url()), (_("Ouvrir une investigation"), None)],
        },
    )


def _warn_too_many_groups(request, form):
    if form.too_many_groups:
        messages.warning(
            request,
            _("La doctrine conseille au plus 4 groupes cibles ; cette investigation en compte %(n)s.")
            % {"n": len(form.cleaned_data["target_groups"])},
        )


@require_safe
def investigation_detail(request, pk):
    investigation = _investigation(request, pk)
    groups = list(investigation.target_groups.order_by("pk"))
    return render(
        request,
        "investigations/investigation_detail.html",
        _context(
            request,
            investigation,
            "detail",
            groups=groups,
            too_many_groups=len(groups) > doctrine.MAX_TARGET_GROUPS,
            status_note_html=render_markdown(investigation.status_note),
            interview_count=investigation.interviews.count(),
            hypotheses=investigation.hypotheses.annotate(
                supporting_count=Count("supporting_interviews", distinct=True),
                contradicting_count=Count("contradicting_interviews", distinct=True),
            ).order_by("pk"),
            insights=investigation.insights.order_by("pk"),
            resume_form=ResumeForm() if investigation.status == InvestigationStatus.SUSPENDUE else None,
            crumbs=_crumbs(investigation),
        ),
    )


def investigation_edit(request, pk):
    investigation = _investigation(request, pk, perms.can_contribute)
    form = InvestigationForm(request.POST if request.method == "POST" else None, instance=investigation)
    if submitted(
        request, form, lambda data: services.investigation_update(investigation=investigation, by=request.user, **data)
    ):
        messages.success(request, _("Investigation mise à jour."))
        _warn_too_many_groups(request, form)
        return redirect(investigation)
    return render(
        request,
        "investigations/investigation_form.html",
        _context(
            request,
            investigation,
            "detail",
            form=form,
            title=_("Modifier l'investigation"),
            crumbs=_crumbs(investigation, (_("Modifier"), None)),
        ),
    )


def _lifecycle_step(request, pk, step: str, form_class, service, done: str, title: str, crumb: str):
    """Suspend, resume or conclude an investigation: refused where INVESTIGATION_WORKFLOW does not allow `step`
    from its status, else the form (`form_class`) whose values `service` applies, then back to the investigation
    with the message `done`. One template says what each step does."""
    investigation = _investigation(request, pk, perms.can_contribute)
    if not INVESTIGATION_WORKFLOW.can(step, investigation.status):
        messages.error(request, INVESTIGATION_WORKFLOW[step].refusal_in(investigation.status))
        return redirect(investigation)
    form = form_class(request.POST if request.method == "POST" else None)
    if submitted(request, form, lambda data: service(investigation=investigation, by=request.user, **data)):
        messages.success(request, done)
        return redirect(investigation)
    return _form_page(request, investigation, "investigations/investigation_step.html", form, title, crumb, step=step)


def investigation_suspend(request, pk):
    done = _("Investigation suspendue. La note d'étape est publiée sur sa page.")
    title, crumb = _("Suspendre l'investigation"), _("Suspendre")
    return _lifecycle_step(request, pk, "suspend", SuspendForm, services.investigation_suspend, done, title, crumb)


def investigation_resume(request, pk):
    done = _("L'investigation reprend. La raison est ajoutée à sa note d'étape.")
    title, crumb = _("Reprendre l'investigation"), _("Reprendre")
    return _lifecycle_step(request, pk, "resume", ResumeForm, services.investigation_resume, done, title, crumb)


def ritual_new(request, pk):
    investigation = _investigation(request, pk, perms.can_contribute)
    rituals = rituals_report(investigation)
    form = RitualForm(request.POST if request.method == "POST" else None, missing=rituals["missing"])
    if submitted(
        request, form, lambda data: services.ritual_record(investigation=investigation, by=request.user, **data)
    ):
        messages.success(request, _("« %(ritual)s » enregistré.") % {"ritual": form.outcome.get_kind_display()})
        return redirect(reverse("investigations:synthesis", kwargs={"pk": investigation.pk}) + "#rituels")
    title = _("Enregistrer un rituel")
    return _form_page(request, investigation, "investigations/ritual_form.html", form, title, _("Rituel"))


def ritual_edit(request, pk):
    ritual = get_object_or_404(InvestigationRitual.objects.select_related("investigation__startup__incubator"), pk=pk)
    investigation = ritual.investigation
    perms.require(request.user, investigation, perms.can_contribute)
    initial = {"kind": ritual.kind, "date": ritual.date, "notes": ritual.notes}
    form = RitualForm(request.POST if request.method == "POST" else None, initial=initial)
    if submitted(request, form, lambda data: services.ritual_update(ritual=ritual, by=request.user, **data)):
        messages.success(request, _("« %(ritual)s » modifié.") % {"ritual": ritual.get_kind_display()})
        return redirect(reverse("investigations:synthesis", kwargs={"pk": investigation.pk}) + "#rituels")
    title = _("Modifier le rituel « %(ritual)s »") % {"ritual": ritual.get_kind_display()}
    return _form_page(request, investigation, "investigations/ritual_form.html", form, title, _("Rituel"))


def investigation_conclude(request, pk):
    done = _("Investigation conclue.")
    title, crumb = _("Conclure l'investigation"), _("Conclure")
    return _lifecycle_step(request, pk, "conclude", ConcludeForm, services.investigation_conclude, done, title, crumb)


# --- Synthesis ------------------------------------------------------------------------------------
@notes_page
@require_safe
def synthesis(request, pk):
    investigation = _investigation(request, pk)
    report = synthesis_report(investigation)
    context = _context(
        request, investigation, "synthesis", report=report, crumbs=_crumbs(investigation, (_("Synthèse"), None))
    )
    rituals = rituals_report(investigation)
    if context["can_contribute"] and rituals["missing"]:
        context["ritual_form"] = RitualForm(missing=rituals["missing"])
    return render(request, "investigations/synthesis.html", {**context, "rituals": rituals})


@notes_page
@require_safe
def synthesis_json(request, pk):
    investigation = _investigation(request, pk)
    response = JsonResponse(
        investigation_synthesis(investigation), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    filename = f"synthese-{investigation.startup.slug}-{investigation.started_on.isoformat()}.json"
    attach(response, filename)
    return response


# --- Interviews -----------------------------------------------------------------------------------
@notes_page
@require_safe
def interview_list(request, pk):
    investigation = _investigation(request, pk, perms.can_view_notes)
    interviews = investigation.interviews.for_list().order_by("-date", "-pk")
    groups = list(investigation.target_groups.order_by("pk"))
    group = request.GET.get("groupe", "")
    if group.isdigit():
        interviews = interviews.filter(target_group_id=int(group))
    intensity = request.GET.get("intensite", "")
    if intensity in {"0", "1", "2", "3"}:
        interviews = interviews.filter(intensity=int(intensity))
    page = Paginator(interviews, INTERVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "investigations/interview_list.html",
        _context(
            request,
            investigation,
            "interviews",
            page=page,
            groups=groups,
            selected_group=group,
            selected_intensity=intensity,
            intensities=[(level.value, INTENSITY_SCALE_LABELS[level]) for level in Intensity],
            import_form=ImportForm(),
            crumbs=_crumbs(investigation, (_("Entretiens"), None)),
        ),
    )


@notes_page
def interview_new(request, pk):
    investigation = _investigation(request, pk, perms.can_contribute)
    if not investigation.accepts_interviews:
        messages.error(request, _("Cette investigation est conclue : on ne peut plus y ajouter d'entretien."))
        return redirect(investigation)
    initial = {}
    if request.method == "GET":
        # "Enregistrer et saisir le suivant" carries the date and the interviewer over.
        for key in ("date", "interviewer", "target_group", "channel"):
            if request.GET.get(key):
                initial[key] = request.GET[key]
    form = _interview_form(request, investigation, initial=initial)
    if submitted(
        request, form, lambda data: services.interview_log(investigation=investigation, by=request.user, **data)
    ):
        interview = form.outcome
        messages.success(request, _("Entretien enregistré."))
        if request.POST.get("action") == "next":
            carry = {
                "date": interview.date.isoformat(),
                "interviewer": interview.interviewer_id or "",
                "target_group": interview.target_group_id or "",
                "channel": interview.channel,
            }
            query = urlencode({key: value for key, value in carry.items() if value})
            return redirect(reverse("investigations:interview_new", kwargs={"pk": investigation.pk}) + "?" + query)
        return redirect(interview)
    entretiens = (_("Entretiens"), reverse("investigations:interview_list", kwargs={"pk": investigation.pk}))
    return _interview_page(
        request, investigation, form, _("Nouvel entretien"), (entretiens, (_("Nouvel entretien"), None)), show_next=True
    )


def _interview(request, pk, predicate=perms.can_view_notes) -> Interview:
    interview = get_object_or_404(
        Interview.objects.select_related("investigation__startup__incubator", "target_group", "interviewer"), pk=pk
    )
    perms.require(request.user, interview.investigation, predicate)
    return interview


@notes_page
@require_safe
def interview_detail(request, pk):
    interview = _interview(request, pk)
    investigation = interview.investigation
    hypotheses = investigation.hypotheses.order_by("pk")
    return render(
        request,
        "investigations/interview_detail.html",
        _context(
            request,
            investigation,
            "interviews",
            interview=interview,
            quotes=interview.quotes.all(),
            tags=interview.tags.all(),
            supported=interview.supported_hypotheses.order_by("pk"),
            contradicted=interview.contradicted_hypotheses.order_by("pk"),
            hypotheses_form=InterviewHypothesesForm(interview=interview, hypotheses=hypotheses),
            insights=interview.insights.order_by("pk"),
            crumbs=_crumbs(
                investigation,
                (_("Entretiens"), reverse("investigations:interview_list", kwargs={"pk": investigation.pk})),
                (str(interview), None),
            ),
        ),
    )


def _interview_page(request, investigation: Investigation, form, title: str, crumbs, **extra):
    """The interview form's page, for a new interview or a stored one."""
    return render(
        request,
        "investigations/interview_form.html",
        _context(
            request,
            investigation,
            "interviews",
            form=form,
            title=title,
            crumbs=_crumbs(investigation, *crumbs),
            **extra,
        ),
    )


def _interview_form(request, investigation: Investigation, **kwargs) -> InterviewForm:
    """The interview form, bound on POST: a new interview (`initial=`) or a stored one (`instance=`)."""
    return InterviewForm(
        request.POST if request.method == "POST" else None, investigation=investigation, user=request.user, **kwargs
    )


@notes_page
def interview_edit(request, pk):
    interview = _interview(request, pk, perms.can_contribute)
    investigation = interview.investigation
    form = _interview_form(request, investigation, instance=interview)
    if submitted(request, form, lambda data: services.interview_update(interview=interview, by=request.user, **data)):
        messages.success(request, _("Entretien mis à jour."))
        return redirect(interview)
    crumbs = ((str(interview), interview.get_absolute_url()), (_("Modifier"), None))
    return _interview_page(request, investigation, form, _("Modifier l'entretien"), crumbs, interview=interview)


def interview_hypotheses(request, pk):
    interview = _interview(request, pk, perms.can_contribute)
    if request.method != "POST":
        return redirect(interview)
    hypotheses = interview.investigation.hypotheses.order_by("pk")
    form = InterviewHypothesesForm(request.POST, interview=interview, hypotheses=hypotheses)
    if form.is_valid():
        services.interview_hypotheses_set(
            interview=interview, by=request.user, supports=form.chosen("pour"), contradicts=form.chosen("contre")
        )
        messages.success(request, _("Liens avec les hypothèses enregistrés."))
    else:
        messages.error(request, _("Choix invalide pour les hypothèses : rien n'a été changé."))
    return redirect(interview)


@require_POST
def quote_publishable(request, pk):
    """The team ticks (or unticks) a quote publishable on the public results page; consent is required."""
    quote = get_object_or_404(Quote.objects.select_related("interview__investigation__startup"), pk=pk)
    interview = quote.interview
    perms.require(request.user, interview.investigation, perms.can_contribute)
    publishable = request.POST.get("publishable") == "1"
    perform(
        request,
        lambda: services.quote_set_publishable(quote=quote, publishable=publishable),
        success=_("Le verbatim est publiable.") if publishable else _("Le verbatim n'est plus publiable."),
    )
    return redirect(interview)


@notes_page
def interview_erase(request, pk):
    interview = _interview(request, pk, perms.can_contribute)
    form = EraseForm(request.POST if request.method == "POST" else None, interview=interview)
    if form.is_valid():
        services.interview_erase(interview=interview, by=request.user, **form.service_data())
        messages.success(
            request,
            _(
                "La personne interrogée a été effacée : notes, organisation et pseudonyme supprimés, "
                "verbatims anonymisés. L'opération est journalisée."
            ),
        )
        return redirect(interview)
    return render(
        request,
        "investigations/interview_erase.html",
        _context(
            request,
            interview.investigation,
            "interviews",
            interview=interview,
            form=form,
            crumbs=_crumbs(
                interview.investigation,
                (str(interview), interview.get_absolute_url()),
                (_("Effacer la personne interrogée"), None),
            ),
        ),
    )


def interview_import(request, pk):
    investigation = _investigation(request, pk, perms.can_contribute)
    if request.method != "POST":
        return redirect("investigations:interview_list", pk=investigation.pk)
    report, file_error, status = None, None, 400
    if upload_too_large(request, max_bytes()):  # refused before the body is read
        form, file_error, status = ImportForm(), size_error(), 413
    else:
        form = ImportForm(request.POST, request.FILES)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = interviews_upload(
                investigation=investigation, by=request.user, content=upload.read(), filename=upload.name
            )
        except ImportFileError as error:
            file_error = str(error)
        else:
            if isinstance(report, InterviewImport):  # too many rows for the request: the worker imports it
                return redirect("investigations:interview_import_status", pk=report.pk)
    return render(
        request,
        "investigations/interview_import.html",
        _context(
            request,
            investigation,
            "interviews",
            form=form,
            report=report,
            file_error=file_error,
            crumbs=_crumbs(
                investigation,
                (_("Entretiens"), reverse("investigations:interview_list", kwargs={"pk": investigation.pk})),
                (_("Import CSV"), None),
            ),
        ),
        status=200 if report is not None else status,
    )


@notes_page
@require_safe
def interview_import_status(request, pk):
    """Where a background import stands, then its report (the same as an import made during the upload)."""
    job = get_object_or_404(InterviewImport, pk=pk)
    investigation = _investigation(request, job.investigation_id, perms.can_contribute)
    return render(
        request,
        "investigations/interview_import_status.html",
        _context(
            request,
            investigation,
            "interviews",
            job=job,
            crumbs=_crumbs(
                investigation,
                (_("Entretiens"), reverse("investigations:interview_list", kwargs={"pk": investigation.pk})),
                (_("Import CSV"), None),
            ),
        ),
    )


@notes_page
@require_safe
def interview_export(request, pk):
    investigation = _investigation(request, pk, perms.can_view_notes)
    out = io.StringIO()
    interviews_export(investigation, out)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"entretiens-{investigation.startup.slug}-{investigation.started_on.isoformat()}.csv"
    attach(response, filename)
    return response


# --- Hypotheses and insights ----------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class StatementPage:
    """The new/edit page of a hypothesis or an insight: the same flow, its own form, service, words and way out."""

    name: str  # the template's context name and the service's keyword for the one being changed
    form_class: type
    save: Callable
    template: str
    saved: str
    title_new: str
    title_edit: str
    done: Callable  # (investigation, saved statement) -> where to go next

    def render(self, request, investigation, statement=None):
        form = self.form_class(
            request.POST if request.method == "POST" else None, investigation=investigation, instance=statement
        )
        if submitted(
            request,
            form,
            lambda data: self.save(investigation=investigation, by=request.user, **{self.name: statement}, **data),
        ):
            messages.success(request, self.saved)
            return redirect(self.done(investigation, form.outcome))
        title = self.title_edit if statement else self.title_new
        return _form_page(request, investigation, self.template, form, title, **{self.name: statement})


HYPOTHESIS_PAGE = StatementPage(
    name="hypothesis",
    form_class=HypothesisForm,
    save=services.hypothesis_save,
    template="investigations/hypothesis_form.html",
    saved=gettext_lazy("Hypothèse enregistrée."),
    title_new=gettext_lazy("Nouvelle hypothèse"),
    title_edit=gettext_lazy("Modifier l'hypothèse"),
    done=lambda investigation, _hypothesis: investigation.get_absolute_url() + "#hypotheses",
)
INSIGHT_PAGE = StatementPage(
    name="insight",
    form_class=InsightForm,
    save=services.insight_save,
    template="investigations/insight_form.html",
    saved=gettext_lazy("Apprentissage enregistré."),
    title_new=gettext_lazy("Nouvel apprentissage"),
    title_edit=gettext_lazy("Modifier l'apprentissage"),
    done=lambda _investigation, insight: reverse("investigations:insight_detail", kwargs={"pk": insight.pk}),
)


def hypothesis_new(request, pk):
    return HYPOTHESIS_PAGE.render(request, _investigation(request, pk, perms.can_contribute))


def hypothesis_edit(request, pk):
    hypothesis = get_object_or_404(Hypothesis.objects.select_related("investigation__startup__incubator"), pk=pk)
    perms.require(request.user, hypothesis.investigation, perms.can_contribute)
    return HYPOTHESIS_PAGE.render(request, hypothesis.investigation, hypothesis)


def insight_new(request, pk):
    return INSIGHT_PAGE.render(request, _investigation(request, pk, perms.can_contribute))


def _insight(request, pk, predicate=perms.can_view_investigation) -> Insight:
    insight = get_object_or_404(Insight.objects.select_related("investigation__startup__incubator"), pk=pk)
    perms.require(request.user, insight.investigation, predicate)
    return insight


def insight_edit(request, pk):
    insight = _insight(request, pk, perms.can_contribute)
    return INSIGHT_PAGE.render(request, insight.investigation, insight)


def _without_pseudonyms(interviews, user, investigation):
    return interviews if perms.can_view_notes(user, investigation) else interviews.defer("interviewee")


@notes_page
@require_safe
def insight_detail(request, pk):
    insight = _insight(request, pk)
    investigation = insight.investigation
    # Decisions of investment committees that cited this insight as evidence (committees app).
    citing_decisions = insight.citing_decisions.select_related("startup").order_by("-date", "pk")
    return render(
        request,
        "investigations/insight_detail.html",
        _context(
            request,
            investigation,
            "synthesis",
            insight=insight,
            support=insight_support([insight])[insight.pk],
            # Pseudonyms are not even read for those who may not see the notes.
            interviews=_without_pseudonyms(
                insight.interviews.select_related("target_group").order_by("date", "pk"), request.user, investigation
            ),
            quotes=insight.quotes.select_related("interview").order_by("interview__date", "pk"),
            citing_decisions=citing_decisions,
            crumbs=_crumbs(investigation, (_("Apprentissage"), None)),
        ),
    )


# --- Personal data --------------------------------------------------------------------------------
@notes_page
@require_safe
def personal_data_log(request):
    if not perms.can_view_personal_data_log(request.user):
        raise PermissionDenied
    entries = (
        PersonalDataLog.objects.filter(perms.personal_data_log_q(request.user))
        .select_related("by", "investigation__startup")
        .order_by("-at", "-pk")
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "investigations/personal_data_log.html",
        {
            "page": page,
            "crumbs": [
                (_("Investigations"), reverse("investigations:list")),
                (_("Journal des données personnelles"), None),
            ],
        },
    )
