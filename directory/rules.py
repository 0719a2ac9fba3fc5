"""The rules a profile obeys, written once.

The profile form, the import, the completeness score, the demo data check and merge all ask
here, so that a description accepted in one place is never refused (or flagged) in another.
Nothing in this module touches the database: it works on plain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A manager can say what the organisation does, for whom and with what in two or three
# sentences; fewer words give the ranking too little to work with (see docs/matching.md).
DESCRIPTION_MIN_WORDS = 20
DESCRIPTION_MAX_CHARS = 10_000
KEYWORD_MAX_CHARS = 60
KEYWORD_SEPARATOR = ";"

PUBLISHED = "published"

# Letters and digits of any script; not the underscore, which \w also matches.
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
# A list pasted from a spreadsheet column arrives one keyword per line.
_KEYWORD_BREAK = re.compile(r"[;\r\n]+")


def word_count(text: str | None) -> int:
    """Words as a reader counts them: runs of letters or digits, whatever the punctuation.

    `split()` would count "-", "/" or "·" between spaces as words and "R&D/ICT" as one.
    """
    return len(_WORD.findall(text or ""))


def is_published(status: str | None) -> bool:
    """Published profiles are what anonymous visitors, rankings and public exports see; drafts
    and archived profiles are curators' working material."""
    return status == PUBLISHED


def description_problem(text: str | None, *, published: bool) -> str | None:
    """Why this description cannot be published, or None. Drafts may be short: a curator fills
    them in before publishing."""
    if not published:
        return None
    words = word_count(text)
    if words < DESCRIPTION_MIN_WORDS:
        return (
            f"the description has {words} word{'s' if words != 1 else ''}; a published profile "
            f"needs at least {DESCRIPTION_MIN_WORDS}, since partners are ranked on it"
        )
    return None


def publishing_rule_holds(*, is_new: bool, was_published: bool, description_changed: bool) -> bool:
    """Whether the description rule applies to a published profile being saved: when it is
    created, published, or its description changes. A profile published before the rule and
    left as it is passes, so that editing its website or re-importing an export never fails on
    a text nobody touched."""
    return is_new or not was_published or description_changed


def keywords_split(text: str | Iterable[str] | None) -> list[str]:
    """Keywords from a '; '-separated text (or from several such texts; line breaks separate
    too): trimmed, inner spaces collapsed, repeats dropped whatever their case (the first
    spelling wins)."""
    if text is None:
        return []
    texts = [text] if isinstance(text, str) else list(text)
    seen: set[str] = set()
    out: list[str] = []
    for chunk in texts:
        for part in _KEYWORD_BREAK.split(chunk or ""):
            word = _SPACES.sub(" ", part).strip()
            if word and word.casefold() not in seen:
                seen.add(word.casefold())
                out.append(word)
    return out


def keywords_join(keywords: Iterable[str]) -> str:
    return f"{KEYWORD_SEPARATOR} ".join(keywords)


def keywords_normalise(text: str | Iterable[str] | None) -> str:
    """The one stored form of a keyword list: 'biotech; vaccines; diagnostics'."""
    return keywords_join(keywords_split(text))


def keyword_problem(keywords: Iterable[str]) -> str | None:
    """Why these keywords cannot be stored, or None. A keyword that long is almost always a list
    separated by commas instead of semicolons."""
    for word in keywords:
        if len(word) > KEYWORD_MAX_CHARS:
            return (
                f"keyword {word[:KEYWORD_MAX_CHARS]!r}... is longer than {KEYWORD_MAX_CHARS} "
                f"characters; separate keywords with '{KEYWORD_SEPARATOR}'"
            )
    return None
