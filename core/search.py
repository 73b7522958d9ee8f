"""Text search for the apps' QuerySets (`SearchQuerySet.matching`), the same rules on both databases:

- PostgreSQL: full-text search with the `french_unaccent` configuration (French stemming, accents
  ignored; created by products/migrations/0009_search_configuration.py), best match first;
- elsewhere (SQLite in development and tests): every word typed must appear, in any order, case and
  accents ignored — each column compared through `BT_NORMALISE`, a Python function registered on every
  SQLite connection (`register_sqlite_functions`, connected in CoreConfig.ready()).
"""

import re
import unicodedata

from django.db import connection, models
from django.db.models import Q

SEARCH_CONFIG = "french_unaccent"
MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"\w+")


def normalise(text: str | None) -> str:
    """`text` lower-cased (casefold) and without accents: « École » → « ecole »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str | None) -> list[str]:
    """The words of `text`, normalised, in order, without repeats."""
    return list(dict.fromkeys(_WORD.findall(normalise(text))))


class Normalised(models.Func):
    """normalise(column) inside SQLite (registered function); never compiled on PostgreSQL."""

    function = "BT_NORMALISE"
    output_field = models.TextField()


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("BT_NORMALISE", 1, normalise, deterministic=True)


class SearchQuerySet(models.QuerySet):
    """A QuerySet whose rows can be searched in `search_fields` (model columns or lookups through
    foreign keys)."""

    search_fields: tuple[str, ...] = ()

    def matching(self, text: str | None):
        """The rows matching `text`, best first on PostgreSQL, newest first elsewhere; none for an empty text."""
        terms = words(text)
        if not terms:
            return self.none()
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = SearchVector(*self.search_fields, config=SEARCH_CONFIG)
            query = SearchQuery(" ".join(terms), config=SEARCH_CONFIG, search_type="plain")
            return (
                self.annotate(search_document=vector)
                .filter(search_document=query)
                .annotate(search_rank=SearchRank(vector, query))
                .order_by("-search_rank", "-pk")
            )
        columns = {f"search_{index}": Normalised(field) for index, field in enumerate(self.search_fields)}
        condition = Q()
        for term in terms:
            condition &= Q.create([(f"{column}__contains", term) for column in columns], connector=Q.OR)
        return self.annotate(**columns).filter(condition).order_by("-pk")
