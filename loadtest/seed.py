"""Fallback portfolio for the load test when `manage.py generate_portfolio` does not exist:
STARTUPS startups (default 1000) over 10 incubators, with phases, events, memberships and, for
those in investigation, an investigation with interviews. Bulk inserts: a few seconds.

Run from the project root: python loadtest/seed.py [STARTUPS]
"""

import datetime
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "betatracker.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from investigations.models import Interview, Investigation, TargetGroup  # noqa: E402
from products.enums import LIFECYCLE_RANK  # noqa: E402
from products.models import Event, Incubator, Organisation, Phase, Startup  # noqa: E402

PATHS = [
    ["investigation"],
    ["investigation", "construction"],
    ["investigation", "construction", "acceleration"],
    ["investigation", "construction", "acceleration", "consolidation"],
    ["investigation", "abandon-investigation"],
    ["investigation", "construction", "abandon"],
]


@transaction.atomic
def seed(count: int) -> None:
    if Startup.objects.filter(slug__startswith="charge-").exists():
        print("load portfolio already there")
        return
    rng = random.Random(7)
    today = datetime.date.today()
    organisations = Organisation.objects.bulk_create(
        Organisation(slug=f"charge-org-{i}", name=f"Direction de charge {i}", acronym=f"DC{i}") for i in range(20)
    )
    incubators = Incubator.objects.bulk_create(
        Incubator(slug=f"charge-incubateur-{i}", title=f"Incubateur de charge {i}", owner=organisations[i])
        for i in range(10)
    )
    startups = Startup.objects.bulk_create(
        Startup(
            slug=f"charge-{i:05d}",
            name=f"Startup de charge {i}",
            mission="Simplifier une démarche administrative pour ses usagers.",
            incubator=incubators[i % len(incubators)],
        )
        for i in range(count)
    )
    phases, events = [], []
    for startup in startups:
        start = today - datetime.timedelta(days=rng.randint(30, 2000))
        path = rng.choice(PATHS)
        for index, name in enumerate(path):
            last = index == len(path) - 1
            end = None if last else start + datetime.timedelta(days=rng.randint(60, 300))
            if end and end > today:
                end = today
            phases.append(Phase(startup=startup, name=name, rank=LIFECYCLE_RANK[name], start=start, end=end))
            start = end or start
        events.append(Event(startup=startup, kind="committee", date=start))
        startup.current_phase, startup.current_phase_start = path[-1], start
    Phase.objects.bulk_create(phases)
    Event.objects.bulk_create(events)
    Startup.objects.bulk_update(startups, ["current_phase", "current_phase_start"])
    for startup in startups[: count // 10]:
        startup.sponsors.add(organisations[rng.randrange(len(organisations))])
    investigations = Investigation.objects.bulk_create(
        Investigation(
            startup=startup,
            started_on=startup.current_phase_start,
            planned_end=startup.current_phase_start + datetime.timedelta(weeks=9),
        )
        for startup in startups
        if startup.current_phase == "investigation"
    )
    groups = TargetGroup.objects.bulk_create(TargetGroup(investigation=inv, name="TPE") for inv in investigations)
    Interview.objects.bulk_create(
        Interview(
            investigation=group.investigation,
            date=today - datetime.timedelta(days=rng.randint(0, 60)),
            interviewee=f"Personne {n}",
            target_group=group,
            intensity=rng.randint(0, 3),
            notes="Notes d'entretien.",
            consent=True,
            retention_until=today + datetime.timedelta(days=200),
        )
        for group in groups
        for n in range(10)
    )
    print(f"seeded {count} startups, {len(phases)} phases, {len(investigations)} investigations")


if __name__ == "__main__":
    seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
