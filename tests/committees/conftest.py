import datetime

import pytest
from django.utils import timezone

from committees import services
from products.enums import MembershipRole
from tests.products.factories import IncubatorFactory, MembershipFactory, PhaseFactory, StartupFactory, UserFactory

from .factories import CommitteeSessionFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def incubator(db):
    return IncubatorFactory(title="Incubateur des territoires")


@pytest.fixture
def staff(incubator):
    user = UserFactory(full_name="Sacha Incubateur")
    incubator.staff.add(user)
    return user


@pytest.fixture
def member(db):
    return UserFactory(full_name="Claude Comité")


@pytest.fixture
def session(incubator, member, today):
    return CommitteeSessionFactory(incubator=incubator, date=today, members=[member])


@pytest.fixture
def make_startup(incubator, today):
    """A startup of the incubator in `phase` (started 100 days ago) with an intrapreneur."""

    def make(name="Startup", phase="construction", start=None, **kwargs):
        startup = StartupFactory(name=name, incubator=incubator, **kwargs)
        if phase:
            PhaseFactory(startup=startup, name=phase, start=start or today - datetime.timedelta(days=100))
        MembershipFactory(startup=startup, role=MembershipRole.INTRAPRENEUR)
        startup.refresh_from_db()
        return startup

    return make


@pytest.fixture
def on_agenda(session, member):
    """Put startups on the session's agenda and return their reviews, in order."""

    def put(*startups):
        return services.agenda_set(session=session, items=[(s, 50) for s in startups], by=member)

    return put
