"""Writes on investigations. Phase changes go through products.services.phase_advance."""

import datetime
import re
from collections.abc import Iterable
from typing import Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import versions
from core.durations import short_date
from core.history import with_history_user
from products.enums import TERMINAL_PHASES, PhaseName
from products.models import Startup, User
from products.services import phase_advance

from . import doctrine
from .enums import HypothesisStatus, PersonalDataAction
from .models import (
    INVESTIGATION_WORKFLOW,
    Hypothesis,
    Insight,
    Interview,
    Investigation,
    InvestigationRitual,
    PersonalDataLog,
    Quote,
    Tag,
    TargetGroup,
)

WITHDRAWN_QUOTE_TEXT = gettext_lazy("[verbatim retiré : consentement retiré]")
HISTORY_SCRUBBED_TEXT = gettext_lazy("[texte retiré]")


def _clean_names(names: Iterable[str]) -> list[str]:
    """Stripped, non-empty names, the first spelling of each kept, case-insensitive duplicates dropped."""
    seen, kept = set(), []
    for name in names:
        name = " ".join((name or "").split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


# --- Investigations ---------------------------------------------------------------------------------
def _target_groups_set(investigation: Investigation, names: Iterable[str]) -> None:
    """Make the investigation's target groups exactly `names`: a name differing only by case renames the
    group; a group that holds interviews cannot be removed."""
    names = _clean_names(names)
    existing = {group.name.casefold(): group for group in investigation.target_groups.all()}
    wanted = {name.casefold(): name for name in names}
    for key, group in existing.items():
        if key not in wanted:
            count = group.interviews.count()
            if count:
                raise ValidationError(
                    {
                        "target_groups": ngettext(
                            "Le groupe « %(group)s » compte %(count)s entretien : il ne peut pas être retiré.",
                            "Le groupe « %(group)s » compte %(count)s entretiens : il ne peut pas être retiré.",
                            count,
                        )
                        % {"group": group.name, "count": count}
                    }
                )
            group.delete()
        elif group.name != wanted[key]:
            group.name = wanted[key]
            group.full_clean()
            group.save()
    for key, name in wanted.items():
        if key not in existing:
            group = TargetGroup(investigation=investigation, name=name)
            group.full_clean()
            group.save()


def _investigation_save(
    investigation: Investigation, *, by: User | None, target_groups: Iterable[str] | None = None
) -> Investigation:
    """Save an investigation: `by` takes it over, then its target groups become `target_groups` (left as they are
    when None)."""
    investigation.take_over(by=by)
    investigation.full_clean()
    investigation.save()
    if target_groups is not None:
        _target_groups_set(investigation, target_groups)
    return investigation


def _investigation_move(investigation: Investigation, step: str) -> Investigation:
    """The investigation, locked, moved by INVESTIGATION_WORKFLOW's `step` (ValidationError where refused)."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    investigation.transition(step)
    return investigation


def _check_dates(started_on: datetime.date, planned_end: datetime.date) -> None:
    if planned_end < started_on:
        raise ValidationError({"planned_end": _("La fin prévue ne peut pas précéder le début de l'investigation.")})


@transaction.atomic
def investigation_open(
    *,
    startup: Startup,
    started_on: datetime.date,
    by: User | None = None,
    planned_end: datetime.date | None = None,
    problem_statement: str = "",
    interview_goal: int = doctrine.INTERVIEW_GOAL,
    target_groups: Iterable[str] = (),
) -> Investigation:
    """Open an investigation. A startup in no phase enters its `investigation` phase that day; a startup
    already in an open `investigation` phase that no investigation follows yet gets it linked."""
    startup = Startup.objects.select_for_update().get(pk=startup.pk)
    if startup.investigations.open().exists():
        raise ValidationError(_("Cette startup a déjà une investigation en cours."))
    if startup.current_phase in TERMINAL_PHASES:
        raise ValidationError(
            _("« %(startup)s » est en phase « %(phase)s » : une startup arrêtée n'ouvre plus d'investigation.")
            % {"startup": startup, "phase": startup.current_phase_label}
        )
    planned_end = planned_end or started_on + doctrine.DURATION
    _check_dates(started_on, planned_end)
    phase = None
    if not startup.phases.exists():
        phase = phase_advance(startup=startup, to=PhaseName.INVESTIGATION, on=started_on, by=by)
    else:
        phase = startup.phases.open().filter(name=PhaseName.INVESTIGATION, investigation__isnull=True).first()
    investigation = Investigation(
        startup=startup,
        phase=phase,
        started_on=started_on,
        planned_end=planned_end,
        problem_statement=problem_statement,
        interview_goal=interview_goal,
    )
    return _investigation_save(investigation, by=by, target_groups=target_groups)


@transaction.atomic
def investigation_update(
    *,
    investigation: Investigation,
    by: User | None = None,
    started_on: datetime.date,
    planned_end: datetime.date,
    problem_statement: str = "",
    interview_goal: int = doctrine.INTERVIEW_GOAL,
    target_groups: Iterable[str] = (),
) -> Investigation:
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    _check_dates(started_on, planned_end)
    first_interview = investigation.interviews.order_by("date").values_list("date", flat=True).first()
    if first_interview and first_interview < started_on:
        raise ValidationError(
            {
                "started_on": _("Un entretien date du %(date)s : le début ne peut pas être postérieur.")
                % {"date": short_date(first_interview)}
            }
        )
    investigation.started_on = started_on
    investigation.planned_end = planned_end
    investigation.problem_statement = problem_statement
    investigation.interview_goal = interview_goal
    return _investigation_save(investigation, by=by, target_groups=target_groups)


@transaction.atomic
def investigation_conclude(
    *,
    investigation: Investigation,
    conclusive: bool,
    on: datetime.date | None = None,
    by: User | None = None,
    note: str = "",
    move_phase: bool = True,
) -> Investigation:
    """Conclude an investigation. "Non concluante" moves the startup into `abandon-investigation`
    through the phase service (unless it is there already, e.g. moved by a committee decision, or the caller
    moves the startup itself: `move_phase=False`, a committee's "arrêt")."""
    investigation = _investigation_move(investigation, "conclude" if conclusive else "conclude_inconclusive")
    on = on or timezone.localdate()
    if on < investigation.started_on:
        raise ValidationError(_("La conclusion ne peut pas précéder le début de l'investigation."))
    investigation.ended_on = on
    if note:
        investigation.status_note = note
    _investigation_save(investigation, by=by)
    startup = investigation.startup
    if move_phase and not conclusive and not startup.phases.filter(name=PhaseName.ABANDON_INVESTIGATION).exists():
        phase_advance(startup=startup, to=PhaseName.ABANDON_INVESTIGATION, on=on, by=by)
    return investigation


@transaction.atomic
def investigation_conclusion_revert(*, investigation: Investigation, by: User | None = None) -> Investigation:
    """Undo `investigation_conclude` (a committee decision whose outcome was amended): the investigation
    is suspended again if it carries a note d'étape (a suspension requires one) and was not resumed since, in
    progress otherwise.
    The startup's phases are left to the caller: a conclusion's phase is undone with `phase_revert`."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if investigation.status_note.strip() and investigation.resumed_on is None:
        investigation.transition("revert_to_suspended")
    else:
        INVESTIGATION_WORKFLOW.check("revert_to_running", investigation.status)
        if Investigation.objects.open().filter(startup_id=investigation.startup_id).exists():
            raise ValidationError(
                _("Une autre investigation est en cours sur cette startup : celle-ci ne peut pas être rouverte.")
            )
        investigation.transition("revert_to_running")
        investigation.ended_on = None
    return _investigation_save(investigation, by=by)


@transaction.atomic
def investigation_suspend(
    *, investigation: Investigation, reason: str, by: User | None = None, on: datetime.date | None = None
) -> Investigation:
    """Suspend an open investigation; the reason is the markdown "note d'étape", `on` (default today)
    the day work stopped. The startup's phase is left as it is: a suspension decides nothing."""
    if not reason.strip():
        raise ValidationError({"status_note": _("Indiquez la raison de la suspension (note d'étape).")})
    investigation = _investigation_move(investigation, "suspend")
    on = on or timezone.localdate()
    if on < investigation.started_on:
        raise ValidationError({"on": _("La suspension ne peut pas précéder le début de l'investigation.")})
    investigation.status_note = reason
    investigation.ended_on = on
    investigation.resumed_on = None
    return _investigation_save(investigation, by=by)


@transaction.atomic
def investigation_resume(
    *, investigation: Investigation, reason: str, by: User | None = None, on: datetime.date | None = None
) -> Investigation:
    """Resume a suspended investigation rather than open a new one: it runs again from `on` (default today). Its
    note d'étape keeps why it was suspended and gains why it resumes; `resumed_on` says it did."""
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez la raison de la reprise.")})
    investigation = _investigation_move(investigation, "resume")
    if Investigation.objects.open().filter(startup_id=investigation.startup_id).exists():
        raise ValidationError(
            _("Une autre investigation est en cours sur cette startup : celle-ci ne peut pas reprendre.")
        )
    on = on or timezone.localdate()
    if investigation.ended_on and on < investigation.ended_on:
        raise ValidationError(
            {
                "on": _("La reprise ne peut pas précéder la suspension (%(date)s).")
                % {"date": short_date(investigation.ended_on)}
            }
        )
    heading = _("Reprise le %(date)s") % {"date": short_date(on)}
    investigation.status_note = "\n\n".join(
        part for part in (investigation.status_note.strip(), f"**{heading}** — {reason.strip()}") if part
    )
    investigation.ended_on = None
    investigation.resumed_on = on
    return _investigation_save(investigation, by=by)


# --- Rituals --------------------------------------------------------------------------------------
def _ritual_date_check(investigation: Investigation, date: datetime.date | None) -> None:
    """A ritual is recorded once held: dated, not before the investigation started nor in the future."""
    if date is None:
        raise ValidationError({"date": _("Indiquez la date du rituel.")})
    if date < investigation.started_on:
        raise ValidationError(
            {
                "date": _("Le rituel ne peut pas précéder le début de l'investigation (%(date)s).")
                % {"date": short_date(investigation.started_on)}
            }
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("Un rituel s'enregistre une fois tenu : sa date ne peut pas être future.")})


@transaction.atomic
def ritual_record(
    *, investigation: Investigation, kind: str, date: datetime.date, notes: str = "", by: User | None = None
) -> InvestigationRitual:
    """Record that a ritual of the investigation (launch workshop, mid-point, restitution) took place: at most one
    of each kind, not before the investigation started nor in the future."""
    _ritual_date_check(investigation, date)
    ritual = InvestigationRitual(investigation=investigation, kind=kind, date=date, notes=notes.strip(), recorded_by=by)
    ritual.full_clean()
    with_history_user(ritual, by).save()
    return ritual


@transaction.atomic
def ritual_update(
    *, ritual: InvestigationRitual, kind: str, date: datetime.date, notes: str = "", by: User | None = None
) -> InvestigationRitual:
    """Correct a recorded ritual (its kind, date, notes) under the same rules as `ritual_record`; the previous
    version stays in its history, with who changed it."""
    _ritual_date_check(ritual.investigation, date)
    ritual.kind, ritual.date, ritual.notes = kind, date, notes.strip()
    ritual.recorded_by = by
    ritual.full_clean()
    with_history_user(ritual, by).save()
    return ritual


# --- Tags ---------------------------------------------------------------------------------------
def tag_names_split(text: str, separator: str = ",") -> list[str]:
    return _clean_names(text.split(separator)) if text else []


def tags_resolve(names: Iterable[str], cache: dict[str, Tag] | None = None) -> list[Tag]:
    """Existing tags for `names`, matched whatever the case (accents included, on SQLite too); a name
    seen for the first time becomes a new tag spelled as typed."""
    cache = {} if cache is None else cache
    tags = []
    for name in _clean_names(names):
        key = name.casefold()
        tag = cache.get(key)
        if tag is None:
            # iregex runs Python's re on SQLite, whose LIKE/lower() only fold ASCII.
            tag = Tag.objects.filter(name__iregex=rf"^{re.escape(name)}$").order_by("pk").first()
            if tag is None:
                tag = Tag(name=name[: Tag._meta.get_field("name").max_length])
                tag.full_clean()
                tag.save()
            cache[key] = tag
        tags.append(tag)
    return tags


# --- Interviews ---------------------------------------------------------------------------------
def _quote_lines(quotes: Iterable[str] | str) -> list[str]:
    if isinstance(quotes, str):
        quotes = quotes.splitlines()
    return [" ".join(line.split()) for line in quotes if line and line.strip()]


def _check_interview(
    investigation: Investigation,
    date: datetime.date,
    target_group: TargetGroup | None,
    today: datetime.date | None = None,
) -> None:
    if not investigation.accepts_interviews:
        raise ValidationError(_("Cette investigation est conclue : on ne peut plus y ajouter d'entretien."))
    if date is None:
        raise ValidationError({"date": _("Indiquez la date de l'entretien.")})
    if date < investigation.started_on:
        raise ValidationError(
            {
                "date": _("L'entretien ne peut pas précéder le début de l'investigation (%(date)s).")
                % {"date": short_date(investigation.started_on)}
            }
        )
    if date > (today or timezone.localdate()):
        raise ValidationError({"date": _("La date de l'entretien ne peut pas être dans le futur.")})
    if target_group is not None and target_group.investigation_id != investigation.pk:
        raise ValidationError({"target_group": _("Ce groupe cible n'appartient pas à cette investigation.")})


def retention_check(investigation: Investigation, date: datetime.date, retention_until: datetime.date | None) -> None:
    """An interview is kept until the end of its investigation + 24 months at most, and not before it was held."""
    if retention_until is None or date is None:
        return
    if retention_until < date:
        raise ValidationError({"retention_until": _("La date de conservation ne peut pas précéder l'entretien.")})
    latest = investigation.max_retention(on=date)
    if retention_until > latest:
        raise ValidationError(
            {
                "retention_until": _(
                    "Un entretien se conserve au plus jusqu'à la fin de l'investigation + %(months)s mois, "
                    "soit le %(date)s."
                )
                % {"months": doctrine.RETENTION_MAX_MONTHS, "date": short_date(latest)}
            }
        )


class InterviewFields(TypedDict, total=False):
    """What a person tells about one interview, as `interview_log`, `interview_build` and `interview_update`
    take it (keyword arguments)."""

    date: Required[datetime.date]
    intensity: Required[int]
    interviewer: User | None
    interviewee: str
    target_group: TargetGroup | None
    organisation: str
    headcount: int | None
    sector: str
    channel: str
    notes: str
    quotes: Iterable[str] | str
    tags: Iterable[str] | str
    consent: bool
    retention_until: datetime.date | None


def _interview_fill(
    interview: Interview, fields: InterviewFields, today: datetime.date | None = None
) -> tuple[list[str], list[str]]:
    """Check `fields` and set them on `interview` (without consent, its notes, quotes and organisation are not
    kept): (its tag names, its quote texts). Raises ValidationError."""
    if unknown := fields.keys() - InterviewFields.__annotations__.keys():
        raise TypeError(f"Unknown interview fields: {', '.join(sorted(unknown))}")
    investigation = interview.investigation
    date, target_group, consent = fields["date"], fields.get("target_group"), fields.get("consent", False)
    retention_until = fields.get("retention_until")
    _check_interview(investigation, date, target_group, today)
    retention_check(investigation, date, retention_until)
    interview.date = date
    interview.intensity = fields["intensity"]
    interview.interviewer = fields.get("interviewer")
    interview.interviewee = fields.get("interviewee", "").strip()
    interview.target_group = target_group
    interview.organisation = fields.get("organisation", "").strip() if consent else ""
    interview.headcount = fields.get("headcount")
    interview.sector = fields.get("sector", "").strip()
    interview.channel = fields.get("channel") or ""
    interview.notes = fields.get("notes", "").strip() if consent else ""
    interview.consent = consent
    interview.retention_until = retention_until or investigation.default_retention(on=date)
    tags = fields.get("tags", ())
    tag_names = tag_names_split(tags) if isinstance(tags, str) else _clean_names(tags)
    return tag_names, _quote_lines(fields.get("quotes", ()) if consent else ())


@transaction.atomic
def interview_log(*, investigation: Investigation, by: User | None, **data: Unpack[InterviewFields]) -> Interview:
    """Log one interview. Without consent it still counts (date, group, intensity, tags…) but its notes,
    quotes and organisation are not stored. See `interview_build` for the fields."""
    return interview_create(investigation=investigation, by=by, **data)


def interview_build(
    *, investigation: Investigation, today: datetime.date | None = None, **fields: Unpack[InterviewFields]
) -> tuple[Interview, list[str], list[str]]:
    """Check one interview and build it without saving: (the unsaved interview, its tag names, its quote
    texts). Raises ValidationError. `interview_create` saves it; the CSV importer saves many at once (and
    gives `today` once for all its rows)."""
    interview = Interview(investigation=investigation)
    tag_names, quote_texts = _interview_fill(interview, fields, today)
    # The related objects were checked above, the only constraint (intensity 0–3) is the field's choices and
    # nothing but the key is unique: checking the fields alone keeps a big import fast.
    interview.clean_fields(exclude=["investigation", "target_group", "interviewer"])
    return interview, tag_names, quote_texts


def interview_create(
    *, investigation: Investigation, by: User | None, tag_cache: dict[str, Tag] | None = None, **data
) -> Interview:
    """The body of `interview_log`, for callers that already hold a transaction of their own. See
    `interview_build` for the fields."""
    interview, tag_names, quote_texts = interview_build(investigation=investigation, **data)
    with_history_user(interview, by)
    interview.save()
    Through = Interview.tags.through
    Through.objects.bulk_create(
        [Through(interview_id=interview.pk, tag_id=tag.pk) for tag in tags_resolve(tag_names, tag_cache)]
    )
    Quote.objects.bulk_create([Quote(interview=interview, text=text) for text in quote_texts])
    return interview


@transaction.atomic
def interview_update(*, interview: Interview, by: User | None, **fields: Unpack[InterviewFields]) -> Interview:
    """Correct an interview. Quotes keep their identity when their text is unchanged; a quote cited by an
    insight or a decision cannot be removed (it is evidence)."""
    interview = Interview.objects.select_for_update().select_related("investigation").get(pk=interview.pk)
    tag_names, wanted = _interview_fill(interview, fields)
    consent = interview.consent
    now = timezone.now()
    current = list(interview.quotes.filter(withdrawn_at__isnull=True))
    kept_texts = set(wanted)
    for quote in current:
        if quote.text in kept_texts:
            continue
        if quote.insights.exists() or quote.citing_decisions.exists():
            if consent:
                raise ValidationError(
                    {
                        "quotes": _("Le verbatim « %(quote)s » est cité comme preuve : il ne peut pas être retiré.")
                        % {"quote": quote.text[:60]}
                    }
                )
            # Consent withdrawn: the text goes, the citation stays as a trace that evidence was withdrawn.
            quote.text = str(WITHDRAWN_QUOTE_TEXT)
            quote.withdrawn_at = now
            quote.save(update_fields=["text", "withdrawn_at"])
            continue
        quote.delete()
    existing_texts = {quote.text for quote in current}
    Quote.objects.bulk_create([Quote(interview=interview, text=t) for t in wanted if t not in existing_texts])
    interview.full_clean()
    with_history_user(interview, by)
    interview.save()
    _history_scrub_superseded(interview)
    interview.tags.set(tags_resolve(tag_names))
    return interview


@transaction.atomic
def interview_hypotheses_set(
    *, interview: Interview, by: User | None, supports: Iterable[Hypothesis], contradicts: Iterable[Hypothesis]
) -> Interview:
    """Say, from the interview, which hypotheses of its investigation it supports or contradicts."""
    supports, contradicts = set(supports), set(contradicts)
    if supports & contradicts:
        raise ValidationError(_("Un entretien ne peut pas à la fois confirmer et contredire la même hypothèse."))
    for hypothesis in supports | contradicts:
        if hypothesis.investigation_id != interview.investigation_id:
            raise ValidationError(_("Cette hypothèse n'appartient pas à l'investigation de l'entretien."))
    before = {(h.pk, "+") for h in interview.supported_hypotheses.all()} | {
        (h.pk, "-") for h in interview.contradicted_hypotheses.all()
    }
    after = {(h.pk, "+") for h in supports} | {(h.pk, "-") for h in contradicts}
    interview.supported_hypotheses.set(supports)
    interview.contradicted_hypotheses.set(contradicts)
    # Each hypothesis whose evidence changed gets a history record naming who changed it.
    for hypothesis in Hypothesis.objects.filter(pk__in={pk for pk, _side in before ^ after}):
        with_history_user(hypothesis, by).save()
    return interview


# --- Personal data: erasure and purge -----------------------------------------------------------
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<!\w)(?:\+33\s?|0033\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\w)")
TITLED_NAME_RE = re.compile(
    r"\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Dr|Me)\s+[A-ZÀ-Ý][\w'-]+(?:\s+[A-ZÀ-Ý][\w'-]+)?"
)


def _terms_re(terms: Iterable[str]) -> re.Pattern | None:
    """One pattern for the words to remove, each matched whole, whatever the case and spacing."""
    words = sorted({" ".join(term.split()) for term in terms if term and len(term.strip()) >= 2}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def text_anonymise(text: str, names: Iterable[str] = (), organisations: Iterable[str] = ()) -> str:
    """Remove what identifies someone in a quote: email addresses, phone numbers, names after a title, and
    the `names` (the pseudonym as recorded, words the person asked to remove) and `organisations` given."""
    text = EMAIL_RE.sub(_("[courriel retiré]"), text)
    text = PHONE_RE.sub(_("[téléphone retiré]"), text)
    if pattern := _terms_re(organisations):
        text = pattern.sub(_("[organisation retirée]"), text)
    if pattern := _terms_re(names):
        text = pattern.sub(_("[nom retiré]"), text)
    return TITLED_NAME_RE.sub(_("[nom retiré]"), text)


def _quotes_anonymise(quotes, now, names: Iterable[str] = (), organisations: Iterable[str] = ()) -> None:
    quotes = list(quotes)
    for quote in quotes:
        quote.text = text_anonymise(quote.text, names, organisations)
        quote.anonymised_at = now
    # In bulk, without the model signals: the callers save the interview (its startup's cached reads renewed) or,
    # for the purge, renew every cached read (core.versions).
    Quote.objects.bulk_update(quotes, ["text", "anonymised_at"], batch_size=500)


def _person_tags_remove(interview: Interview, names: Iterable[str], tags: Iterable[Tag] = ()) -> None:
    """Tags that name the person (a tag spelled as the pseudonym or a word to remove, or ticked on the erase
    form) leave the interview; one that no other interview uses is deleted, so that it is no longer suggested."""
    folded = {" ".join(name.split()).casefold() for name in names if name and name.strip()}
    ticked = {tag.pk for tag in tags}
    removed = [tag for tag in interview.tags.all() if tag.pk in ticked or tag.name.casefold() in folded]
    if not removed:
        return
    interview.tags.remove(*removed)
    Tag.objects.filter(pk__in=[tag.pk for tag in removed], interviews__isnull=True).delete()


def _history_scrub(interview_ids) -> None:
    """The audit trail must not keep what was erased."""
    Interview.history.filter(id__in=interview_ids).update(notes="", organisation="", interviewee="")


def _history_scrub_superseded(interview: Interview) -> None:
    """After an edit (consent withdrawn, notes or organisation corrected), the audit trail and the admin
    history keep that the text changed, not what it said: every earlier version that differs from the
    current one is replaced by a marker."""
    records = Interview.history.filter(id=interview.pk)
    marker = str(HISTORY_SCRUBBED_TEXT)
    for field in ("notes", "organisation"):
        records.exclude(**{field: getattr(interview, field)}).exclude(**{field: ""}).update(**{field: marker})


@transaction.atomic
def interview_erase(
    *, interview: Interview, by: User | None, extra_terms: Iterable[str] = (), tags: Iterable[Tag] = ()
) -> Interview:
    """Erase the interviewee on request: notes, organisation and pseudonym erased, quotes anonymised (also
    of the pseudonym and organisation as recorded and of the `extra_terms` the person asked to remove), tags
    naming the person (`tags`, or spelled as the pseudonym or a term) removed, the interview still counted in
    the synthesis. Logged."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    now = timezone.now()
    names = [interview.interviewee, *extra_terms]
    _quotes_anonymise(interview.quotes.all(), now, names, [interview.organisation])
    _person_tags_remove(interview, names, tags)
    interview.notes = ""
    interview.organisation = ""
    interview.interviewee = ""
    interview.anonymised_at = now
    with_history_user(interview, by)
    interview.save()
    _history_scrub([interview.pk])
    PersonalDataLog.objects.create(
        action=PersonalDataAction.ERASURE,
        interview_id=interview.pk,
        investigation_id=interview.investigation_id,
        by=by,
        at=now,
        count=1,
        interview_ids=[interview.pk],
    )
    return interview


@transaction.atomic
def interviews_purge(*, on: datetime.date | None = None, by: User | None = None) -> int:
    """Anonymise every interview past its retention date (notes, organisation and pseudonym erased,
    quotes kept without identifying details). Returns how many; every run is logged."""
    on = on or timezone.localdate()
    now = timezone.now()
    ids = list(Interview.objects.past_retention(on).select_for_update().values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        recorded = Interview.objects.filter(pk__in=chunk).values_list("pk", "interviewee", "organisation")
        for pk, interviewee, organisation in recorded:
            if interviewee or organisation:
                _quotes_anonymise(Quote.objects.filter(interview_id=pk), now, [interviewee], [organisation])
            if interviewee:
                _person_tags_remove(Interview(pk=pk), [interviewee])
        _quotes_anonymise(Quote.objects.filter(interview_id__in=chunk, anonymised_at__isnull=True), now)
        Interview.objects.filter(pk__in=chunk).update(
            notes="", organisation="", interviewee="", anonymised_at=now, updated_at=now
        )
        _history_scrub(chunk)
    if ids:  # updated in bulk, without the model signals: every cached read is renewed (core.versions)
        versions.touch(topics=[versions.GLOBAL])
    PersonalDataLog.objects.create(
        action=PersonalDataAction.PURGE, by=by, at=now, count=len(ids), interview_ids=ids[:10000]
    )
    return len(ids)


# --- Hypotheses and insights --------------------------------------------------------------------
def _check_same_investigation(investigation: Investigation, interviews, quotes=()) -> None:
    if any(interview.investigation_id != investigation.pk for interview in interviews):
        raise ValidationError(_("Un entretien choisi n'appartient pas à cette investigation."))
    if any(quote.interview.investigation_id != investigation.pk for quote in quotes):
        raise ValidationError(_("Un verbatim choisi n'appartient pas à cette investigation."))


def _statement_save(
    item: Hypothesis | Insight,
    *,
    investigation: Investigation,
    by: User | None,
    statement: str,
    not_ours: str,
    evidence: dict[str, set],
) -> Hypothesis | Insight:
    """Save a hypothesis or an insight with its `statement` and its `evidence` (many-to-many field → the
    interviews or quotes it now cites), refusing one of another investigation (`not_ours`)."""
    if item.investigation_id != investigation.pk:
        raise ValidationError(not_ours)
    item.statement = statement.strip()
    item.full_clean()
    with_history_user(item, by).save()
    for field, items in evidence.items():
        getattr(item, field).set(items)
    return item


@transaction.atomic
def hypothesis_save(
    *,
    investigation: Investigation,
    by: User | None,
    statement: str,
    status: str = HypothesisStatus.A_TESTER,
    supporting_interviews: Iterable[Interview] = (),
    contradicting_interviews: Iterable[Interview] = (),
    hypothesis: Hypothesis | None = None,
) -> Hypothesis:
    """Create (or, given `hypothesis`, change) a hypothesis with the interviews for and against it."""
    supporting, contradicting = set(supporting_interviews), set(contradicting_interviews)
    if supporting & contradicting:
        raise ValidationError(_("Un même entretien ne peut pas à la fois confirmer et contredire l'hypothèse."))
    _check_same_investigation(investigation, supporting | contradicting)
    hypothesis = hypothesis or Hypothesis(investigation=investigation)
    hypothesis.status = status
    return _statement_save(
        hypothesis,
        investigation=investigation,
        by=by,
        statement=statement,
        not_ours=_("Cette hypothèse n'appartient pas à cette investigation."),
        evidence={"supporting_interviews": supporting, "contradicting_interviews": contradicting},
    )


@transaction.atomic
def insight_save(
    *,
    investigation: Investigation,
    by: User | None,
    statement: str,
    interviews: Iterable[Interview] = (),
    quotes: Iterable[Quote] = (),
    insight: Insight | None = None,
) -> Insight:
    """Create (or, given `insight`, change) an apprentissage backed by interviews and quotes."""
    interviews, quotes = set(interviews), set(quotes)
    _check_same_investigation(investigation, interviews, quotes)
    return _statement_save(
        insight or Insight(investigation=investigation),
        investigation=investigation,
        by=by,
        statement=statement,
        not_ours=_("Cet apprentissage n'appartient pas à cette investigation."),
        evidence={"interviews": interviews, "quotes": quotes},
    )


@transaction.atomic
def quote_set_publishable(*, quote: Quote, publishable: bool) -> Quote:
    """Tick or untick a quote as publishable on the public results page. Only a quote from an interview with
    consent, neither withdrawn nor anonymised, may be ticked."""
    quote = Quote.objects.select_for_update().select_related("interview").get(pk=quote.pk)
    if publishable and not quote.interview.consent:
        raise ValidationError(_("Sans le consentement de la personne interrogée, ce verbatim ne peut pas être publié."))
    if publishable and (quote.is_withdrawn or quote.anonymised_at or quote.interview.anonymised_at):
        raise ValidationError(_("Un verbatim retiré ou anonymisé ne peut pas être publié."))
    quote.publishable = publishable
    quote.save(update_fields=["publishable"])
    return quote
