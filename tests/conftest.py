import pytest


@pytest.fixture(autouse=True)
def _media_and_language(settings):
    """Tests run in French whatever the machine's locale."""
    settings.LANGUAGE_CODE = "fr"
