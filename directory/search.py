"""Free-text search over actor profiles, in English and Korean.

PostgreSQL gets real full-text search (stemmed, weighted, ranked); SQLite gets a
word-by-word substring match ranked by a weighted count of where the words occur. Both
return the obvious hits for a name, an acronym, or a word of the description, best first.

Korean writes particles and endings onto its words ("의료기기를", "바이오산업을") and runs nouns
together, so a Korean query term is first cut into its content words by the morphological
analyser (common.korean), the same one the profiles go through; each word must then occur
inside a word of the profile's Korean text. On PostgreSQL the profile side is the
`search_korean` column (`korean_search_text`, written by Actor.save(), since the database
cannot run the analyser), indexed by the stored search document with the 'simple'
configuration; on SQLite the Korean fields are searched as substrings, as English words are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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

from common.korean import content_morphemes, content_words, has_hangul

SEARCH_CONFIG = "english"
# Korean words are indexed and queried as the analyser gives them, without stemming or stop
# words: PostgreSQL has no Korean configuration, and 'simple' keeps Hangul tokens whole.
KOREAN_SEARCH_CONFIG = "simple"


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


# -- the Korean side -----------------------------------------------------------------------------

# Which fields feed each line of `search_korean`, in the weights of the search document: names
# (A), keywords and city (B), descriptions (C). A name written in Hangul in the English name
# field (a Korean actor imported as it names itself) is searched like a Korean name.
KOREAN_SOURCES: tuple[tuple[str, ...], ...] = (
    ("name", "name_ko", "acronym"),
    ("keywords", "city"),
    ("description", "description_ko"),
)
KOREAN_SOURCE_FIELDS = frozenset(name for group in KOREAN_SOURCES for name in group)
_HANGUL_ONLY = re.compile("[\uac00-\ud7a3]+")
# Suffixes shorter than two syllables would match almost anything ("원", "기").
SUFFIX_MIN_SYLLABLES = 2
# No Korean word or compound is longer ("한국산업기술진흥원" is 9); a longer run is text pasted
# without its spaces, or junk. Its suffixes would grow with the square of its length (a
# 10,000-syllable run: 50 million characters to store and read on every list page), so it is
# indexed whole; the content words the analyser finds in it keep their endings.
ENDINGS_MAX_SYLLABLES = 30


def _word_and_endings(word: str) -> list[str]:
    """The word and its suffixes of two syllables or more: indexed together, and queried as
    prefixes, they let a query word match anywhere inside a compound the analyser kept whole
    ("산업" inside "바이오산업", "테크노파크" inside "강원테크노파크")."""
    if len(word) > ENDINGS_MAX_SYLLABLES:
        return [word]
    return [word[i:] for i in range(0, len(word) - SUFFIX_MIN_SYLLABLES + 1)] or [word]


def korean_index_words(text: str) -> list[str]:
    """The Korean words of `text` as the search indexes them: each Hangul word without its
    particles and endings (its surface up to its last content morpheme: "의료기기를" gives
    "의료기기", "초순수 기술도" gives "초순수" where the analyser itself keeps only "순수"), and the
    content words the analyser finds in it ("의료", "기기"), each with its endings."""
    morphemes = content_morphemes(text)
    words = [m.form for m in morphemes if _HANGUL_ONLY.fullmatch(m.form)]
    for run in _HANGUL_ONLY.finditer(text):
        ends = [m.end for m in morphemes if run.start() <= m.start < run.end()]
        if ends:
            stem = text[run.start() : min(max(ends), run.end())]
            if stem not in words:
                words.append(stem)
    return [ending for word in words for ending in _word_and_endings(word)]


def korean_search_text(*, texts: Iterable[Iterable[str]]) -> str:
    """What `search_korean` holds for one actor: for each group of texts (KOREAN_SOURCES'
    order), one line of their Korean words (korean_index_words); "" when no text has Hangul
    (most European profiles), so that nothing is analysed for them."""
    groups = [list(group) for group in texts]
    if not any(has_hangul(text) for group in groups for text in group):
        return ""
    lines = [
        " ".join(word for text in group for word in korean_index_words(text or ""))
        for group in groups
    ]
    return "\n".join(lines)


def actor_korean_search_text(actor) -> str:
    """`korean_search_text` of an actor's fields (Actor.save() and the migration call it)."""
    return korean_search_text(
        texts=[[getattr(actor, name) or "" for name in group] for group in KOREAN_SOURCES]
    )


def korean_search_refresh(*, actors: QuerySet) -> int:
    """Rewrite `search_korean` where it differs from what the analyser gives now (after an
    upgrade of the analyser or its model, or a bulk UPDATE that bypassed save()); returns how
    many actors changed. Only the column is written: no history entry, no new `updated_at`."""
    changed = 0
    for actor in actors.order_by("pk").iterator(chunk_size=500):
        text = actor_korean_search_text(actor)
        if text != actor.search_korean:
            actors.model.objects.filter(pk=actor.pk).update(search_korean=text)
            changed += 1
    return changed


def korean_query_words(term: str) -> list[str]:
    """The words a Korean query term stands for: its content words, as the profiles are cut;
    the term itself when the analyser finds none in it (a particle, a lone syllable)."""
    words = [word for word in content_words(term) if _HANGUL_ONLY.fullmatch(word)]
    return list(dict.fromkeys(words)) or [term]


def _korean_tsquery(words: list[str]) -> SearchQuery:
    # Each word as a prefix ('바이오':* finds "바이오산업"), all of them required. Words are
    # Hangul only (korean_query_words), but quoted anyway: this text is parsed as a query.
    raw = " & ".join("'{}':*".format(word.replace("'", "''").replace("\\", "")) for word in words)
    return SearchQuery(raw, search_type="raw", config=KOREAN_SEARCH_CONFIG)


def actor_search(*, queryset: QuerySet, text: str) -> QuerySet:
    """Restrict `queryset` to actors matching `text`; on PostgreSQL annotate `rank`."""
    terms = _terms(text)
    if not terms:
        return queryset
    korean = [term for term in terms if has_hangul(term)]
    english = [term for term in terms if not has_hangul(term)]
    # Names and acronyms are matched as substrings on every database so that a
    # partial name ("Lyonbio") or an acronym ("KICOX") always finds its actor; a Korean term
    # also looks in the Korean name ("산업단지공단" finds 한국산업단지공단).
    name_match = Q()
    for term in english:
        name_match &= Q(name__icontains=term) | Q(acronym__iexact=term)
    for term in korean:
        name_match &= Q(name__icontains=term) | Q(name_ko__icontains=term)
    if connection.vendor == "postgresql":
        # The stored, GIN-indexed document of migrations 0007 and 0018 (name and acronym A,
        # keywords and city B, description C; the same weights for their Korean words), so a
        # search reads the index. An English query is the query it always was.
        query = None
        if english:
            query = SearchQuery(" ".join(english), search_type="websearch", config=SEARCH_CONFIG)
        if korean:
            words = [word for term in korean for word in korean_query_words(term)]
            korean_query = _korean_tsquery(list(dict.fromkeys(words)))
            query = korean_query if query is None else query & korean_query
        return queryset.annotate(
            search=SearchDocument(), rank=SearchRank(SearchDocument(), query)
        ).filter(Q(search=query) | name_match)
    text_match = Q()
    for term in english:
        stem = _stem(term)
        text_match &= (
            Q(name__icontains=stem)
            | Q(acronym__icontains=term)
            | Q(keywords__icontains=stem)
            | Q(city__icontains=stem)
            | Q(description__icontains=stem)
        )
    for term in korean:
        for word in korean_query_words(term):
            text_match &= (
                Q(name__icontains=word)
                | Q(name_ko__icontains=word)
                | Q(keywords__icontains=word)
                | Q(description__icontains=word)
                | Q(description_ko__icontains=word)
            )
    rank = _sqlite_rank(english) + _sqlite_korean_rank(korean)
    return queryset.filter(text_match | name_match).annotate(
        rank=ExpressionWrapper(rank, output_field=IntegerField())
    )


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
    if not terms:
        return rank
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


def _sqlite_korean_rank(terms: list[str]):
    """The same weighted count for Korean terms, word by word as the analyser cuts the query;
    the Korean name equal to the whole term counts as an exact acronym does."""
    rank = Value(0)
    for term in terms:
        rank = rank + Case(When(name_ko__iexact=term, then=Value(ACRONYM_WEIGHT)), default=Value(0))
        for word in korean_query_words(term):
            rank = (
                rank
                + NAME_WEIGHT * (_occurrences("name", word) + _occurrences("name_ko", word))
                + KEYWORD_WEIGHT * _occurrences("keywords", word)
                + DESCRIPTION_WEIGHT
                * Least(
                    _occurrences("description", word) + _occurrences("description_ko", word),
                    Value(DESCRIPTION_COUNT_MAX),
                )
            )
    return rank
