"""Free-text search over actor profiles.

PostgreSQL gets real full-text search (stemmed, weighted, ranked); SQLite gets a
word-by-word substring match. Both return the obvious hits for a name, an acronym,
or a word of the description.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, Q, QuerySet

SEARCH_CONFIG = "english"


class SearchDocument(Expression):
    """The actor table's stored search_document column (PostgreSQL only, migration 0007).

    The model does not declare it, since Django must never write a generated column; this
    expression names it with the table's alias in the query, so self-joins stay unambiguous.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_document", []


# No real search needs more; SQLite refuses a LIKE pattern over 50,000 bytes, and a long term
# costs every database a scan.
SEARCH_TERMS_MAX = 12
SEARCH_TERM_MAX_CHARS = 60


def _terms(text: str) -> list[str]:
    terms = [t for t in text.replace(";", " ").split() if t.strip()][:SEARCH_TERMS_MAX]
    return [t[:SEARCH_TERM_MAX_CHARS] for t in terms]


def actor_search(*, queryset: QuerySet, text: str) -> QuerySet:
    """Restrict `queryset` to actors matching `text`; on PostgreSQL annotate `rank`."""
    terms = _terms(text)
    if not terms:
        return queryset
    # Names and acronyms are matched as substrings on every database so that a
    # partial name ("Lyonbio") or an acronym ("KICOX") always finds its actor.
    name_match = Q()
    for term in terms:
        name_match &= Q(name__icontains=term) | Q(acronym__iexact=term)
    if connection.vendor == "postgresql":
        # The stored, GIN-indexed document of migration 0007 (same weights as before: name and
        # acronym A, keywords and city B, description C), so a search reads the index.
        query = SearchQuery(" ".join(terms), search_type="websearch", config=SEARCH_CONFIG)
        return queryset.annotate(
            search=SearchDocument(), rank=SearchRank(SearchDocument(), query)
        ).filter(Q(search=query) | name_match)
    text_match = Q()
    for term in terms:
        text_match &= (
            Q(name__icontains=term)
            | Q(acronym__icontains=term)
            | Q(keywords__icontains=term)
            | Q(city__icontains=term)
            | Q(description__icontains=term)
        )
    return queryset.filter(text_match | name_match)
