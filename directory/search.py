"""Free-text search over actor profiles.

PostgreSQL gets real full-text search (stemmed, weighted, ranked); SQLite gets a
word-by-word substring match ranked by a weighted count of where the words occur. Both
return the obvious hits for a name, an acronym, or a word of the description, best first.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import (
    Case,
    Expression,
    ExpressionWrapper,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, Length, Lower, Replace

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
        stem = _stem(term)
        text_match &= (
            Q(name__icontains=stem)
            | Q(acronym__icontains=term)
            | Q(keywords__icontains=stem)
            | Q(city__icontains=stem)
            | Q(description__icontains=stem)
        )
    return queryset.filter(text_match | name_match).annotate(rank=_sqlite_rank(terms))


# SQLite has no ranking of its own here: a weighted count of where the words occur, with the
# weights of the PostgreSQL document (name and acronym first, then keywords and city, then
# the description), so "Best match" means the same on both databases.
NAME_WEIGHT, KEYWORD_WEIGHT, DESCRIPTION_WEIGHT, ACRONYM_WEIGHT = 4, 2, 1, 8
DESCRIPTION_COUNT_MAX = 5


def _stem(term: str) -> str:
    """A plural's singular, so "semiconductors" finds "semiconductor" (substring match does
    the rest): what PostgreSQL's stemming gives for the common case."""
    lower = term.lower()
    if len(lower) > 4 and lower.endswith("ies"):
        return lower[:-3]
    if len(lower) > 3 and lower.endswith("s") and not lower.endswith("ss"):
        return lower[:-1]
    return lower


def _occurrences(column: str, term: str):
    """How many times `term` occurs in `column`, case-insensitively."""
    lowered = Lower(Coalesce(column, Value("")))
    removed = Length(Replace(lowered, Value(term), Value("")))
    return (Length(lowered) - removed) / len(term)


def _sqlite_rank(terms: list[str]):
    rank = Value(0)
    for term in terms:
        stem = _stem(term)
        rank = (
            rank
            + Case(When(acronym__iexact=term, then=Value(ACRONYM_WEIGHT)), default=Value(0))
            + NAME_WEIGHT * _occurrences("name", stem)
            + KEYWORD_WEIGHT * _occurrences("keywords", stem)
            + KEYWORD_WEIGHT * _occurrences("city", stem)
            + DESCRIPTION_WEIGHT
            * Least(_occurrences("description", stem), Value(DESCRIPTION_COUNT_MAX))
        )
    return ExpressionWrapper(rank, output_field=IntegerField())
