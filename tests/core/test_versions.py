"""core.versions: a cached read about a startup is kept until one of its rows is written, never longer."""

import datetime

import pytest
from django.core.cache import cache

from core import versions
from investigations.csv_io import interviews_import
from tests.investigations.factories import InterviewFactory, InvestigationFactory
from tests.products.factories import IncubatorFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db


class Counter:
    """A read that says how many times it was computed."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def read(startup, counter, **kwargs):
    return versions.cached("test-read", counter, startup=startup.pk, **kwargs)


def test_a_read_is_computed_once_then_served_from_the_cache():
    startup, counter = StartupFactory(), Counter()
    assert read(startup, counter) == 1
    assert read(startup, counter) == 1
    assert counter.calls == 1


def test_a_write_to_one_of_the_startups_rows_renews_its_reads_and_not_the_others():
    investigation = InvestigationFactory()
    other = StartupFactory()
    mine, theirs = Counter(), Counter()
    read(investigation.startup, mine), read(other, theirs)

    InterviewFactory(investigation=investigation)  # a row two steps away from the startup

    assert read(investigation.startup, mine) == 2
    assert read(other, theirs) == 1


def test_deleting_a_row_renews_the_reads_too():
    interview = InterviewFactory()
    counter = Counter()
    read(interview.investigation.startup, counter)
    interview.delete()
    assert read(interview.investigation.startup, counter) == 2


def test_a_row_of_no_single_startup_renews_every_read():
    startup, counter = StartupFactory(), Counter()
    read(startup, counter)
    IncubatorFactory()
    assert read(startup, counter) == 2


def test_a_bulk_import_renews_the_reads_of_its_startup():
    investigation = InvestigationFactory(started_on=datetime.date(2026, 1, 1))
    counter = Counter()
    read(investigation.startup, counter)
    content = "date,intensity,notes\n2026-01-05,3,Un entretien importé\n".encode()
    report = interviews_import(investigation=investigation, by=UserFactory(), content=content)
    assert report.rejected == []
    assert read(investigation.startup, counter) == 2


def test_the_language_and_what_the_read_varies_on_are_part_of_the_key():
    startup, counter = StartupFactory(), Counter()
    assert read(startup, counter, vary=["2026-01-01"]) == 1
    assert read(startup, counter, vary=["2026-01-02"]) == 2
    from django.utils import translation

    with translation.override("en"):
        assert read(startup, counter, vary=["2026-01-01"]) == 3


def test_a_topic_is_renewed_by_its_models_only():
    counter = Counter()
    network = lambda: versions.cached("test-network", counter, topics=["network"])  # noqa: E731
    assert network() == 1
    startup = StartupFactory()  # a startup belongs to the "network" topic (products.apps)
    assert network() == 2
    InterviewFactory(investigation=InvestigationFactory(startup=startup))  # an interview does not
    assert network() == 2


def test_an_evicted_token_is_made_again_and_the_read_computed_afresh():
    startup, counter = StartupFactory(), Counter()
    read(startup, counter)
    cache.clear()
    assert read(startup, counter) == 2


def test_a_stream_is_kept_in_chunks_and_served_again_identical_until_a_write():
    startup = StartupFactory()
    produced = []

    def produce():
        produced.append(1)
        yield from (f"ligne {n}\n" for n in range(25))

    def stream():
        return list(versions.cached_stream("test-stream", produce, topics=[versions.PORTFOLIO], chunk=10))

    first = stream()
    assert [chunk.count("\n") for chunk in first] == [10, 10, 5]  # one chunk in memory at a time
    assert stream() == first and len(produced) == 1  # served from the cache
    startup.save()  # any startup's write renews the "portfolio" topic
    assert stream() == first and len(produced) == 2


def test_an_interrupted_stream_is_never_taken_for_a_complete_one():
    def produce():
        yield from (f"{n}\n" for n in range(30))

    started = versions.cached_stream("test-cut", produce, chunk=10)
    next(started)  # the reader went away after the first chunk
    started.close()
    assert "".join(versions.cached_stream("test-cut", produce, chunk=10)) == "".join(f"{n}\n" for n in range(30))
