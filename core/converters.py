"""The path converters of every urls.py (registered in CoreConfig.ready()).

- `startup_slug`: a beta.gouv.fr identifier, as found in the names of content/_startups/*.md: letters
  (accented ones too), digits, `.`, `-`, `_` (e.g. `1000.premiers.jours.blues`, `auxAJ`), at most 200
  characters (the field's length). NUL, `/`, `"`, spaces and control characters never reach a view.
- `id`: a primary key, 1 to 18 digits: a number a 64-bit column can hold, so that a huge number in an
  address is a 404 and never an overflow in the database driver.
"""

import re

SLUG_MAX_LENGTH = 200
SLUG_PATTERN = rf"[\w.-]{{1,{SLUG_MAX_LENGTH}}}"
_SLUG = re.compile(rf"^{SLUG_PATTERN}\Z")


def is_valid_slug(value: str) -> bool:
    """Whether `value` may be a startup (incubator, organisation) identifier; `.` and `..` are not."""
    return bool(_SLUG.match(value)) and value.strip(".") != ""


class SlugConverter:
    regex = SLUG_PATTERN

    def to_python(self, value: str) -> str:
        if not is_valid_slug(value):
            raise ValueError(value)  # → the URL does not match: 404
        return value

    def to_url(self, value) -> str:
        return str(value)


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    from django.urls import register_converter
    from django.urls.converters import get_converters

    for name, converter in (("startup_slug", SlugConverter), ("id", IdConverter)):
        if name not in get_converters():
            register_converter(converter, name)
