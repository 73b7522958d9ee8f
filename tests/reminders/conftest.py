import datetime
import zoneinfo

import pytest
import time_machine

from products.enums import MembershipRole
from tests.products.factories import MembershipFactory, PhaseFactory, StartupFactory, UserFactory

# A Monday: the weekly digest is about this very day.
TODAY = datetime.date(2025, 3, 3)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 3, 3, 8, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")), tick=False):
        yield


@pytest.fixture
def team():
    """A startup in construction since 100 days, its coach and intrapreneur (who receive reminders) and a
    sponsor contact and a former team member (who do not)."""
    startup = StartupFactory(name="Répit Aidants", slug="repit-aidants")
    PhaseFactory(startup=startup, name="construction", start=days(-100))
    coach = UserFactory(email="coach@example.org", full_name="Camille Coach")
    intrapreneur = UserFactory(email="intra@example.org", full_name="Inès Intra")
    MembershipFactory(startup=startup, user=coach, role=MembershipRole.COACH, time_share=20)
    MembershipFactory(startup=startup, user=intrapreneur, role=MembershipRole.INTRAPRENEUR, time_share=80)
    sponsor = UserFactory(email="sponsor@example.org")
    MembershipFactory(startup=startup, user=sponsor, role=MembershipRole.SPONSOR_CONTACT)
    MembershipFactory(startup=startup, user=UserFactory(email="former@example.org"), end=days(-10))
    return {"startup": startup, "coach": coach, "intrapreneur": intrapreneur}
