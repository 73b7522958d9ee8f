"""Issue 11, item 4: after any sequence of the services — decisions recorded, corrected and amended, sessions
closed, investigations opened, suspended and concluded, phases advanced — `check_lifecycle` finds nothing.
A refused step (ValidationError) is part of the sequence: it must leave nothing half done."""

import contextlib
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from committees import services
from committees.enums import Outcome, SessionKind, SessionStatus
from committees.lifecycle import lifecycle_problems
from committees.models import CommitteeSession, Decision
from investigations import services as investigation_services
from investigations.models import Investigation
from products.enums import PhaseName
from products.models import Startup
from products.services import phase_advance
from tests.products.factories import IncubatorFactory, PhaseFactory, StartupFactory, UserFactory

# Outcomes a committee records without conditions ("poursuite avec réserves" needs some: covered elsewhere).
OUTCOMES = [outcome for outcome in Outcome if outcome not in (Outcome.NON_RENSEIGNE, Outcome.POURSUITE_AVEC_RESERVES)]
# phase_advance is the products primitive: it cannot see investigations (layers point down), so moving out of the
# investigation phase or into a terminal one is left to decisions and investigation services, which keep them in
# step. Here it moves a product along its later, non-terminal phases.
ADVANCES = [PhaseName.CONSTRUCTION, PhaseName.ACCELERATION, PhaseName.CONSOLIDATION]

steps = st.one_of(
    st.tuples(st.just("decide"), st.sampled_from(OUTCOMES), st.booleans()),
    st.tuples(st.just("update"), st.sampled_from(OUTCOMES), st.just(False)),
    st.tuples(st.just("amend"), st.sampled_from(OUTCOMES), st.booleans()),
    st.tuples(st.just("close"), st.just(""), st.just(False)),
    st.tuples(st.just("open"), st.just(""), st.just(False)),
    st.tuples(st.just("suspend"), st.just(""), st.just(False)),
    st.tuples(st.just("conclude"), st.just(""), st.booleans()),
    st.tuples(st.just("advance"), st.sampled_from(ADVANCES), st.just(False)),
)


class LifecycleSequenceTests(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(start=st.sampled_from(["none", "investigation", "construction"]), sequence=st.lists(steps, max_size=12))
    def test_check_lifecycle_finds_nothing_after_any_sequence_of_services(self, start, sequence):
        today = timezone.localdate()
        day = today - datetime.timedelta(days=400)
        user = UserFactory()
        incubator = IncubatorFactory()
        startup = StartupFactory(incubator=incubator)
        if start != "none":
            PhaseFactory(startup=startup, name=start, start=day)

        for action, value, flag in sequence:
            day = min(day + datetime.timedelta(days=20), today)
            with contextlib.suppress(ValidationError):
                self.run_step(action, value, flag, startup=startup, incubator=incubator, user=user, day=day)
            assert lifecycle_problems() == [], (action, value, flag)

    def run_step(self, action, value, flag, *, startup, incubator, user, day):
        startup = Startup.objects.get(pk=startup.pk)
        decisions = Decision.objects.filter(startup=startup).order_by("-date", "-pk")
        if action == "decide":
            session = services.session_create(incubator=incubator, date=day, kind=SessionKind.INVESTISSEMENT, by=user)
            (review,) = services.agenda_set(session=session, items=[(startup, 50)], by=user)
            services.decision_record(
                no_evidence_reason="Décision sans preuve (test)",
                review=review,
                outcome=value,
                by=user,
                rationale="Motif",
            )
            if flag:
                services.session_close(session=session, by=user)
        elif action == "update":
            decision = decisions.exclude(review__session__status=SessionStatus.CLOSED).first()
            if decision is not None:
                services.decision_update(decision=decision, by=user, outcome=value, rationale="Corrigé")
        elif action == "amend":
            closed = decisions.filter(review__session__status=SessionStatus.CLOSED)
            # The latest decision, or the earliest one (an amendment of an older page of the minutes).
            decision = closed.first() if flag else closed.last()
            if decision is not None:
                services.decision_amend(
                    no_evidence_reason="Décision sans preuve (test)",
                    decision=decision,
                    by=user,
                    reason="Erreur",
                    outcome=value,
                )
        elif action == "close":
            session = (
                startup.reviews.filter(session__isnull=False)
                .exclude(session__status=SessionStatus.CLOSED)
                .values_list("session", flat=True)
                .first()
            )
            if session is not None:
                services.session_close(session=CommitteeSession.objects.get(pk=session), by=user)
        elif action == "open":
            investigation_services.investigation_open(startup=startup, started_on=day, by=user)
        elif action in ("suspend", "conclude"):
            investigation = Investigation.objects.open().filter(startup=startup).first()
            if investigation is None:
                return
            if action == "suspend":
                investigation_services.investigation_suspend(investigation=investigation, reason="Pause", on=day)
            else:
                investigation_services.investigation_conclude(investigation=investigation, conclusive=flag, on=day)
        elif action == "advance":
            if startup.current_phase and startup.current_phase not in ADVANCES:
                return
            if not startup.current_phase and value != PhaseName.CONSTRUCTION:
                return
            phase_advance(startup=startup, to=value, on=day, by=user)
