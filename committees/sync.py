"""The past committee reviews derived from the beta.gouv.fr files, kept in step at each import.

`import_betagouv` (products) calls `sync_reviews` for each startup once its events follow the file
(registered in CommitteesConfig.ready). Each `committee` event of the files is a past review without a
session, with a decision "non renseigné" whose rationale is the event's comment. Those follow the file;
the app's decisions (recorded in a session, or amended since: `Provenance.take_over`) stay as they are. A
committee event of the file on the day of one of the app's decisions is that decision, written back by
`export_betagouv`: no second review is made for it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from products.enums import EventKind
from products.importers.betagouv import StartupSync, validate
from products.importers.betagouv_export import ExportedEvent

from .enums import Outcome
from .models import Decision, Review

KIND = "reviews"
# Kept in the database as the rationale of a committee decision whose event has no comment.
EMPTY_COMMITTEE_RATIONALE = "Aucun commentaire dans beta.gouv.fr"


def committee_rationale(comment: str) -> str:
    return comment or EMPTY_COMMITTEE_RATIONALE


def sync_reviews(sync: StartupSync) -> None:
    startup = sync.startup
    decisions = [] if sync.is_new else list(Decision.objects.filter(startup=startup).select_related("review"))
    # The file's reviews whose committee event is gone from the file (the event was deleted) go too.
    for decision in list(decisions):
        if decision.is_from_file and decision.review.session_id is None and decision.event_id is None:
            decision.review.delete()
            decisions.remove(decision)
            sync.count(KIND, "deleted")
    by_event = {decision.event_id: decision for decision in decisions if decision.event_id is not None}
    app_dates = {decision.date for decision in decisions if decision.is_from_app or decision.review.session_id}
    for event in sync.events:
        if event.kind != EventKind.COMMITTEE:
            continue
        rationale = committee_rationale(event.comment)
        decision = by_event.get(event.pk)
        if decision is None:
            if event.date in app_dates:
                sync.count(KIND, "unchanged")  # the app's own decision of that committee
                continue
            review = Review(session=None, startup=startup, date=event.date)
            review.mark_imported(sync.run)
            review.save()
            decision = Decision(
                review=review,
                startup=startup,
                date=event.date,
                outcome=Outcome.NON_RENSEIGNE,
                rationale=rationale,
                event=event,
            )
            decision.mark_imported(sync.run)
            validate(decision, exclude=["review", "startup", "event", "phase", "recorded_by"])
            decision.save()
            sync.count(KIND, "created")
            continue
        review = decision.review
        if decision.is_from_app or review.session_id is not None:
            sync.count(KIND, "unchanged")  # the app's: its event is the app's too, compared by products
            continue
        if (review.date, decision.date, decision.rationale) == (event.date, event.date, rationale):
            sync.count(KIND, "unchanged")
            continue
        review.date = decision.date = event.date
        decision.rationale = rationale
        review.mark_imported(sync.run)
        decision.mark_imported(sync.run)
        review.save()
        decision.save()
        sync.count(KIND, "updated")


def committee_events_for_export(startup_ids) -> dict[int, list[ExportedEvent]]:
    """The committees of the app as beta.gouv.fr events (for `export_betagouv`): each decision recorded in a
    session or amended, its outcome and rationale as the comment; it replaces the event it came from, if any.
    The file's own reviews keep their event as it was."""
    events: dict[int, list[ExportedEvent]] = {}
    decisions = Decision.objects.filter(startup_id__in=list(startup_ids)).select_related("review").order_by("date")
    for decision in decisions:
        if decision.is_from_file and decision.review.session_id is None:
            continue
        comment = _("%(outcome)s : %(rationale)s") % {
            "outcome": decision.get_outcome_display(),
            "rationale": " ".join(decision.rationale.split()),
        }
        events.setdefault(decision.startup_id, []).append(
            ExportedEvent(date=decision.date, comment=comment, replaces=decision.event_id)
        )
    return events
