"""Committee pages. Thin views: authorise (404 for what the person may not know of, 403 for an action
they may not take), bind a form, call one service, redirect."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.downloads import attach, content_disposition
from core.forms import service_error_show, submitted
from core.uploads import accepts_uploads_up_to, upload_too_large
from core.views import perform, readable_or_404
from products import perms as product_perms
from products.enums import PhaseName
from products.models import Startup

from . import checklist, documents, perms, selectors, services
from .commitments import request_targets
from .enums import TERMINAL_OUTCOMES, PostMortemKind, SessionStatus
from .exports import decision_export, decision_export_csv
from .forms import (
    AgendaFormSet,
    AmendmentConditionFormSet,
    AmendmentForm,
    ConditionFormSet,
    ConditionResolveForm,
    DecisionChecklistForm,
    DecisionForm,
    DocumentForm,
    PostMortemForm,
    ReviewRequestForm,
    SessionForm,
    SessionMembersForm,
)
from .models import (
    DECISION_WORKFLOW,
    SESSION_WORKFLOW,
    CommitteeSession,
    Condition,
    Decision,
    PostMortem,
    Review,
    ReviewDocument,
)


def _formset_errors(formset, errors) -> None:
    formset.non_form_errors().extend(errors)


def _add_errors(form, error: ValidationError, formset) -> None:
    """Show a service's ValidationError where it belongs: above the conditions when it names them, else on
    the form (the field it names, or the top)."""
    if hasattr(error, "error_dict") and "conditions" in error.error_dict:
        _formset_errors(formset, error.message_dict["conditions"])
        error = ValidationError({k: v for k, v in error.error_dict.items() if k != "conditions"})
        if not error.error_dict:
            return
    service_error_show(form, error)


def _decision_saved(request, form, formset, save, *, success: str):
    """Run `save(conditions)`, a decision service given the formset's conditions that returns the decision:
    then the decision's page with the `success` message; refused, None with the refusal shown where it belongs."""
    try:
        decision = save(formset.conditions())
    except ValidationError as error:
        _add_errors(form, error, formset)
        return None
    messages.success(request, success)
    return redirect("committees:decision_detail", pk=decision.pk)


def _decision_form_saved(request, form, formset, service, *, success: str, **target):
    """`_decision_saved` for the decision form: `service` (decision_record or decision_update) given `target` (the
    review, or the decision), the form's values and the conditions."""
    return _decision_saved(
        request,
        form,
        formset,
        lambda conditions: service(by=request.user, conditions=conditions, **target, **form.service_kwargs()),
        success=success,
    )


EVIDENCE_FILTER = "preuves"
FILTER_BUTTON = "_filtrer_preuves"


def _decision_form(request, *, review: Review, startup: Startup, on, **kwargs):
    """The decision form and its conditions, bound on POST. `filtering`: the member used "Filtrer les preuves"
    (a submit button of the same form, so that the values entered stay): the form is shown again, narrowed,
    without being validated or saved. Without a POST, `?preuves=` narrows a blank form."""
    conditions_initial = kwargs.pop("conditions_initial", None)
    data = request.POST if request.method == "POST" else None
    filtering = data is not None and FILTER_BUTTON in data
    source = data if data is not None else request.GET
    form = DecisionForm(
        data,
        startup=startup,
        on=on,
        open_conditions=selectors.open_conditions_of(startup, excluding_review=review),
        evidence_filter=source.get(EVIDENCE_FILTER, ""),
        **kwargs,
    )
    formset = ConditionFormSet(data, prefix="conditions", form_kwargs={"startup": startup}, initial=conditions_initial)
    if filtering:
        form.silence()
        for condition_form in formset.forms:
            condition_form._errors = ErrorDict()
        formset._errors, formset._non_form_errors = [], formset.error_class()
    return form, formset, filtering


def _decision_form_context(form, **context) -> dict:
    return {**context, "form": form, "evidence_filter_name": EVIDENCE_FILTER, "filter_button": FILTER_BUTTON}


def _refused(request, message, *, links=(), status=403):
    return render(request, "committees/refused.html", {"message": message, "links": links}, status=status)


# --- Sessions ------------------------------------------------------------------------------------
@require_safe
def session_list(request):
    sessions = (
        perms.sessions_visible(request.user).select_related("incubator").with_agenda_counts().order_by("-date", "pk")
    )
    page = Paginator(sessions, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/session_list.html",
        {"page_obj": page, "sessions": page.object_list, "can_create": perms.can_create_session(request.user)},
    )


def session_create(request):
    if not perms.can_create_session(request.user):
        raise PermissionDenied(_("Seules l'équipe d'un incubateur et les administrateurs créent des séances."))
    incubators = product_perms.incubators_managed(request.user).order_by("title")
    form = SessionForm(request.POST if request.method == "POST" else None, incubators=incubators)

    def create(data):
        return services.session_create(
            incubator=data["incubator"],
            date=data["date"],
            kind=data["kind"],
            first_slot_at=data["first_slot_at"],
            members=data["members"],
            by=request.user,
        )

    if submitted(request, form, create):
        messages.success(request, _("Séance créée. Composez maintenant son ordre du jour."))
        return redirect("committees:session_agenda", pk=form.outcome.pk)
    return render(request, "committees/session_form.html", {"form": form, "session": None})


def _session_or_404(request, pk) -> CommitteeSession:
    sessions = CommitteeSession.objects.select_related("incubator", "closed_by")
    return readable_or_404(sessions, request.user, perms.can_view_session, pk=pk)


def _refuse_closed_session(request, session):
    return _refused(
        request,
        _("Cette séance est close : elle ne peut plus être modifiée."),
        links=[(reverse("committees:session_detail", args=[session.pk]), _("Retour à la séance"))],
    )


@require_safe
def session_detail(request, pk):
    session = _session_or_404(request, pk)
    agenda = selectors.session_agenda(session, request.user)
    can_prepare = perms.can_prepare_session(request.user, session)
    return render(
        request,
        "committees/session_detail.html",
        {
            "session": session,
            "agenda": agenda,
            "members": list(session.members.order_by("full_name")),
            "can_prepare": can_prepare,
            "can_compose": perms.can_compose_session(request.user, session),
            "can_record": perms.can_record_decision(request.user, session),
            "missing": [review for review in agenda if not review.decided],
            "today": timezone.localdate(),
        },
    )


def session_update(request, pk):
    session = _session_to_prepare(request, pk)
    if session.is_closed:
        return _refuse_closed_session(request, session)
    form = SessionForm(request.POST if request.method == "POST" else None, instance=session)

    def update(data):
        return services.session_update(
            session=session,
            by=request.user,
            date=data["date"],
            kind=data["kind"],
            first_slot_at=data["first_slot_at"],
        )

    if submitted(request, form, update):
        messages.success(request, _("Séance mise à jour."))
        return redirect("committees:session_detail", pk=session.pk)
    return render(request, "committees/session_form.html", {"form": form, "session": session})


def _session_to_prepare(request, pk) -> CommitteeSession:
    """The session the person prepares, holds or closes (perms.can_prepare_session)."""
    session = _session_or_404(request, pk)
    if not perms.can_prepare_session(request.user, session):
        raise PermissionDenied
    return session


def _session_to_compose(request, pk, refusal: str) -> CommitteeSession:
    """The session whose members or agenda the person changes: incubator staff and admins only."""
    session = _session_or_404(request, pk)
    if not perms.can_compose_session(request.user, session):
        raise PermissionDenied(refusal)
    return session


def session_members(request, pk):
    session = _session_to_compose(
        request, pk, _("Seules l'équipe de l'incubateur et les administrateurs choisissent les membres.")
    )
    if session.is_closed:
        return _refuse_closed_session(request, session)
    form = SessionMembersForm(request.POST if request.method == "POST" else None, instance=session)

    def seat(data):
        return services.session_members_set(session=session, members=data["members"], by=request.user)

    if submitted(request, form, seat):
        messages.success(request, _("Membres de la séance enregistrés."))
        return redirect("committees:session_detail", pk=session.pk)
    return render(request, "committees/session_members.html", {"form": form, "session": session})


def session_agenda(request, pk):
    session = _session_to_compose(
        request, pk, _("Seules l'équipe de l'incubateur et les administrateurs composent l'ordre du jour.")
    )
    if session.is_closed:
        return _refuse_closed_session(request, session)
    startups = Startup.objects.of_incubator(session.incubator).order_by("name")
    reviews = list(session.reviews.select_related("startup").order_by("position", "pk"))
    initial = [
        {"startup": review.startup, "duration_minutes": review.duration_minutes, "ORDER": index}
        for index, review in enumerate(reviews, start=1)
    ]
    formset = AgendaFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        prefix="agenda",
        form_kwargs={"startups": startups},
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.agenda_set(session=session, items=formset.items(), by=request.user)
        except ValidationError as error:
            _formset_errors(formset, error.messages)
        else:
            messages.success(request, _("Ordre du jour enregistré : les horaires de passage sont recalculés."))
            return redirect("committees:session_detail", pk=session.pk)
    return render(request, "committees/session_agenda.html", {"session": session, "formset": formset})


@require_POST
def session_hold(request, pk):
    session = _session_to_prepare(request, pk)
    perform(
        request,
        lambda: services.session_hold(session=session, by=request.user),
        success=_("La séance est marquée comme tenue : les demandes des équipes sont figées."),
    )
    return redirect("committees:session_detail", pk=session.pk)


@require_POST
def session_close(request, pk):
    session = _session_to_prepare(request, pk)
    if not perform(
        request,
        lambda: services.session_close(session=session, by=request.user),
        success=_("Séance close : voici le relevé de décisions."),
    ):
        return redirect("committees:session_detail", pk=session.pk)
    return redirect("committees:session_minutes", pk=session.pk)


@require_safe
def session_minutes(request, pk):
    session = _session_or_404(request, pk)
    decisions = selectors.session_minutes(session, request.user)
    return render(
        request,
        "committees/session_minutes.html",
        {"session": session, "decisions": decisions, "today": timezone.localdate()},
    )


def _minutes_filename(session, extension):
    return f"releve-{session.incubator.slug}-{session.date.isoformat()}.{extension}"


@require_safe
def session_minutes_csv(request, pk):
    session = _session_or_404(request, pk)
    rows = decision_export(selectors.session_decisions(session, request.user))
    response = HttpResponse(decision_export_csv(rows), content_type="text/csv; charset=utf-8")
    attach(response, _minutes_filename(session, "csv"))
    return response


@require_safe
def session_minutes_json(request, pk):
    session = _session_or_404(request, pk)
    rows = decision_export(selectors.session_decisions(session, request.user))
    response = HttpResponse(json.dumps(rows, ensure_ascii=False, indent=2), content_type="application/json")
    attach(response, _minutes_filename(session, "json"))
    return response


# --- Review pack and the team's request ----------------------------------------------------------
def _review_or_404(request, pk) -> Review:
    reviews = Review.objects.select_related("session__incubator", "startup")
    return readable_or_404(reviews, request.user, perms.can_view_review, pk=pk)


@require_safe
def review_detail(request, pk):
    review = _review_or_404(request, pk)
    session = review.session
    decision = Decision.objects.filter(review=review).select_related("recorded_by").first()
    context = {
        "review": review,
        "session": session,
        "decision": decision,
        "can_record": session is not None and perms.can_record_decision(request.user, session),
        "can_edit_request": perms.can_edit_request(request.user, review),
        "documents": list(review.documents.listed()),
        "can_manage_documents": perms.can_manage_documents(request.user, review),
        **selectors.review_pack(review),
    }
    return render(request, "committees/review_detail.html", context)


def review_request(request, pk):
    review = _review_or_404(request, pk)
    if not perms.can_edit_request(request.user, review):
        raise PermissionDenied(_("Seule l'équipe de la startup renseigne sa demande."))
    if review.session.status != SessionStatus.PLANNED:
        return _refused(
            request,
            _("La séance s'est tenue : la demande de l'équipe ne peut plus être modifiée."),
            links=[(reverse("committees:review_detail", args=[review.pk]), _("Retour au dossier"))],
        )
    indicators, targets = request_targets(review)
    form = ReviewRequestForm(
        request.POST if request.method == "POST" else None, instance=review, indicators=indicators, targets=targets
    )
    if submitted(
        request,
        form,
        lambda data: services.review_request_update(review=review, by=request.user, **form.service_kwargs()),
    ):
        messages.success(request, _("Demande de l'équipe enregistrée."))
        return redirect("committees:review_detail", pk=review.pk)
    return render(request, "committees/review_request.html", {"review": review, "form": form})


# --- Documents of a review ------------------------------------------------------------------------
def _review_documents_url(review) -> str:
    return reverse("committees:review_detail", args=[review.pk]) + "#documents"


@accepts_uploads_up_to(documents.max_bytes)
def review_documents(request, pk):
    """The review's documents with a form to attach one and a button to remove each (while the session is open)."""
    review = _review_or_404(request, pk)
    if not perms.can_manage_documents(request.user, review):
        raise PermissionDenied(
            _("Seuls l'équipe de la startup et ceux qui préparent la séance joignent des documents.")
        )
    if review.session.is_closed:
        return _refused(
            request,
            SESSION_WORKFLOW["documents"].refusal_in(review.session.status),
            links=[(_review_documents_url(review), _("Retour au dossier"))],
        )
    status = 200
    if request.method == "POST" and upload_too_large(request, documents.max_bytes()):  # before the body is read
        form, status = DocumentForm(), 413
        form.add_error(None, documents.size_error())
    else:
        posted = request.method == "POST"
        form = DocumentForm(request.POST if posted else None, request.FILES if posted else None)

        def attach_document(data):
            return services.document_attach(review=review, file=data["file"], title=data["title"], by=request.user)

        if submitted(request, form, attach_document):
            messages.success(request, _("Document joint au dossier : « %(name)s ».") % {"name": form.outcome.label})
            return redirect(_review_documents_url(review))
        if posted:
            status = 400
    context = {"review": review, "form": form, "documents": list(review.documents.listed())}
    return render(request, "committees/review_documents.html", context, status=status)


def _document_or_404(request, pk) -> ReviewDocument:
    documents_ = ReviewDocument.objects.select_related("review__session__incubator", "review__startup")
    return readable_or_404(documents_, request.user, perms.can_view_document, pk=pk)


@require_safe
@never_cache
def document_download(request, pk):
    """The file, to whoever reads its review: downloaded (never shown inline), under its original name."""
    document = _document_or_404(request, pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=document.content_type, as_attachment=True)
    response["Content-Disposition"] = content_disposition(document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def document_remove(request, pk):
    document = _document_or_404(request, pk)
    if not perms.can_manage_documents(request.user, document.review):
        raise PermissionDenied
    perform(
        request,
        lambda: services.document_remove(document=document, by=request.user),
        success=_("Document retiré du dossier : « %(name)s ».") % {"name": document.label},
    )
    return redirect("committees:review_documents", pk=document.review_id)


# --- Decisions -----------------------------------------------------------------------------------
def decision_create(request, pk):
    review = _review_or_404(request, pk)
    session = review.session
    if session is None or not perms.can_record_decision(request.user, session):
        raise PermissionDenied(
            _("Seuls les membres de la séance et l'équipe de l'incubateur enregistrent ses décisions.")
        )
    if session.is_closed:
        return _refuse_closed_session(request, session)
    # On POST, a decision recorded meanwhile (two members clicking at once) is caught by the service.
    existing = Decision.objects.filter(review=review).first() if request.method != "POST" else None
    if existing is not None:
        messages.info(request, _("La décision de ce passage est déjà enregistrée."))
        return redirect("committees:decision_detail", pk=existing.pk)
    startup = review.startup
    initial = DecisionForm.initial_for(outcome=request.GET.get("outcome"), on=review.date)
    form, formset, filtering = _decision_form(request, review=review, startup=startup, on=review.date, initial=initial)
    if request.method == "POST" and not filtering and form.is_valid() and formset.is_valid():
        try:
            saved = _decision_form_saved(
                request, form, formset, services.decision_record, review=review, success=_("Décision enregistrée.")
            )
        except services.DecisionAlreadyRecorded as already:
            recorder = already.decision.recorded_by
            messages.warning(
                request,
                _("%(who)s a enregistré la décision de ce passage juste avant vous : la voici.")
                % {"who": recorder or _("Un autre membre")},
            )
            return redirect("committees:decision_detail", pk=already.decision.pk)
        if saved:
            return saved
    return render(
        request,
        "committees/decision_form.html",
        _decision_form_context(form, review=review, session=session, formset=formset, decision=None),
    )


def decision_checklist(request, pk):
    decision = _decision_or_404(request, pk)
    if not perms.can_edit_decision(request.user, decision):
        raise PermissionDenied(_("Seuls les membres de la séance et l'équipe de l'incubateur remplissent la grille."))
    if decision.is_immutable:
        return _refused(
            request,
            _("Cette séance est close : la grille go / stop de la décision ne peut plus être modifiée."),
            links=[(reverse("committees:decision_detail", args=[decision.pk]), _("Retour à la décision"))],
        )
    lines = checklist.review_checklist(decision.review)
    form = DecisionChecklistForm(
        request.POST if request.method == "POST" else None, lines=lines, stored=decision.checklist
    )
    if submitted(
        request,
        form,
        lambda data: services.decision_checklist_set(decision=decision, by=request.user, answers=form.answers()),
    ):
        messages.success(request, _("Grille go / stop enregistrée."))
        return redirect("committees:decision_detail", pk=decision.pk)
    context = {"decision": decision, "form": form, "lines": lines, "title": _("Grille go / stop")}
    return render(request, "committees/decision_checklist.html", context)


def _decision_or_404(request, pk) -> Decision:
    decisions = Decision.objects.select_related(
        "startup", "review__session__incubator", "recorded_by", "phase", "event", "review__startup"
    )
    return readable_or_404(decisions, request.user, perms.can_view_decision, pk=pk)


@require_safe
def decision_detail(request, pk):
    decision = _decision_or_404(request, pk)
    conditions = list(decision.conditions.select_related("owner", "resolved_by").order_by("due_on", "pk"))
    can_resolve = perms.can_resolve_condition(request.user, conditions[0]) if conditions else False
    return render(
        request,
        "committees/decision_detail.html",
        {
            "decision": decision,
            "session": decision.review.session,
            "conditions": conditions,
            "can_resolve": can_resolve,
            "resolve_form": ConditionResolveForm(prefix="resolve"),
            "can_edit": not decision.is_immutable and perms.can_edit_decision(request.user, decision),
            "can_amend": decision.is_immutable and perms.can_amend_decision(request.user, decision),
            "ends_startup": decision.outcome in TERMINAL_OUTCOMES,
            "post_mortem": PostMortem.objects.filter(decision=decision).first(),
            "can_record_post_mortem": perms.can_record_post_mortem(request.user, decision),
            "history": selectors.decision_history(decision),
            "today": timezone.localdate(),
            **selectors.decision_evidence(decision),
        },
    )


def decision_update(request, pk):
    decision = _decision_or_404(request, pk)
    session = decision.review.session
    if decision.is_immutable:
        if not perms.can_amend_decision(request.user, decision):
            raise PermissionDenied
        return _refused(
            request,
            DECISION_WORKFLOW["update"].refusal_in(decision.state),
            links=[
                (reverse("committees:decision_amend", args=[decision.pk]), _("Enregistrer un amendement")),
                (reverse("committees:decision_detail", args=[decision.pk]), _("Retour à la décision")),
            ],
        )
    if not perms.can_edit_decision(request.user, decision):
        raise PermissionDenied
    startup = decision.startup
    conditions_initial = [
        {"text": c.text, "due_on": c.due_on, "owner": c.owner_id} for c in decision.conditions.order_by("due_on", "pk")
    ]
    form, formset, filtering = _decision_form(
        request,
        review=decision.review,
        startup=startup,
        on=decision.date,
        instance=decision,
        conditions_initial=conditions_initial,
    )
    if request.method == "POST" and not filtering and form.is_valid() and formset.is_valid():
        saved = _decision_form_saved(
            request, form, formset, services.decision_update, decision=decision, success=_("Décision modifiée.")
        )
        if saved:
            return saved
    return render(
        request,
        "committees/decision_form.html",
        _decision_form_context(form, review=decision.review, session=session, formset=formset, decision=decision),
    )


def decision_amend(request, pk):
    decision = _decision_or_404(request, pk)
    if not perms.can_amend_decision(request.user, decision):
        raise PermissionDenied
    if not decision.is_immutable:
        messages.info(request, _("La séance n'est pas close : modifiez directement la décision."))
        return redirect("committees:decision_update", pk=decision.pk)
    form = AmendmentForm(request.POST if request.method == "POST" else None, instance=decision)
    formset = AmendmentConditionFormSet(
        request.POST or None, prefix="conditions", form_kwargs={"startup": decision.startup}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = _decision_saved(
            request,
            form,
            formset,
            lambda conditions: (
                services.decision_amend(
                    decision=decision,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    conditions=conditions,
                    **form.changes(),
                ).decision
            ),
            success=_("Amendement enregistré : l'historique de la décision le montre."),
        )
        if saved:
            return saved
    title, crumb = _("Amender la décision"), _("Amendement")
    context = {"decision": decision, "form": form, "formset": formset, "title": title, "crumb": crumb}
    return render(request, "committees/decision_amend.html", context)


# --- Conditions ----------------------------------------------------------------------------------
def condition_resolve(request, pk):
    condition = get_object_or_404(
        Condition.objects.select_related("decision__startup", "decision__review__session__incubator", "owner"), pk=pk
    )
    if not perms.can_view_decision(request.user, condition.decision):
        raise Http404
    if not perms.can_resolve_condition(request.user, condition):
        raise PermissionDenied
    form = ConditionResolveForm(request.POST if request.method == "POST" else None, prefix="resolve")

    def resolve(data):
        return services.condition_resolve(
            condition=condition, by=request.user, met=data["result"] == ConditionResolveForm.MET, note=data["note"]
        )

    if submitted(request, form, resolve):
        messages.success(request, _("Condition levée."))
        return redirect("committees:decision_detail", pk=condition.decision_id)
    return render(request, "committees/condition_resolve.html", {"condition": condition, "form": form})


def post_mortem_record(request, pk):
    decision = _decision_or_404(request, pk)
    if not perms.can_record_post_mortem(request.user, decision):
        raise PermissionDenied
    existing = PostMortem.objects.filter(decision=decision).first()
    initial = {field: getattr(existing, field) for field in PostMortemForm.base_fields} if existing else None
    form = PostMortemForm(request.POST if request.method == "POST" else None, initial=initial)
    if submitted(request, form, lambda data: services.post_mortem_record(decision=decision, by=request.user, **data)):
        messages.success(request, _("Bilan de fin enregistré."))
        return redirect("committees:decision_detail", pk=decision.pk)
    return render(
        request, "committees/post_mortem_form.html", {"decision": decision, "form": form, "title": _("Bilan de fin")}
    )


def transfer_post_mortem_record(request, slug):
    """The post-mortem of a transfer, written from the startup page (no decision: a transfer is a phase)."""
    startup = get_object_or_404(Startup, slug=slug)
    if not perms.can_record_transfer_post_mortem(request.user, startup):
        raise PermissionDenied
    existing = PostMortem.objects.filter(startup=startup, kind=PostMortemKind.TRANSFERT).first()
    initial = {field: getattr(existing, field) for field in PostMortemForm.base_fields} if existing else None
    form = PostMortemForm(request.POST if request.method == "POST" else None, initial=initial, transfer=True)

    def record(data):
        return services.post_mortem_transfer_record(startup=startup, by=request.user, **data)

    if submitted(request, form, record):
        messages.success(request, _("Bilan de fin enregistré."))
        return redirect(startup)
    transferred = startup.current_phase == PhaseName.TRANSFERE
    context = {"startup": startup, "form": form, "existing": existing, "transferred": transferred}
    return render(request, "committees/transfer_post_mortem_form.html", context)


@require_safe
def condition_overdue_list(request):
    today = timezone.localdate()
    page = Paginator(selectors.overdue_conditions(request.user, on=today), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/condition_overdue_list.html",
        {"page_obj": page, "conditions": page.object_list, "today": today},
    )
