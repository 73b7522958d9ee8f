import pytest

from .factories import InvestigationFactory, member


@pytest.fixture
def investigation(db):
    return InvestigationFactory()


@pytest.fixture
def intrapreneur(investigation):
    return member(investigation.startup)
