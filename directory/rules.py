"""The rules a profile obeys, written once.

The profile form, the import, the completeness score, the demo data check and merge all ask
here, so that a description accepted in one place is never refused (or flagged) in another.
Nothing in this module touches the database: it works on plain values.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

# Translated when called: the messages reach forms and import reports in the reader's language.
from django.utils.translation import gettext, ngettext

# A manager can say what the organisation does, for whom and with what in two or three
# sentences; fewer words give the ranking too little to work with (see docs/matching.md).
DESCRIPTION_MIN_WORDS = 20
# The same amount of content in Korean, counted in Hangul syllables (hangul_count). The 27 demo
# profiles written in both languages (fixtures/demo) take 1.7-3.0 syllables per English word,
# median 1.97, so 20 English words ~ 40 syllables. Syllables rather than content words
# (common.korean): the check then needs no analyser (the admin, every import row) and never
# changes with the analyser's version.
KOREAN_DESCRIPTION_MIN_CHARS = 40
DESCRIPTION_MAX_CHARS = 10_000
KEYWORD_MAX_CHARS = 60
KEYWORD_SEPARATOR = ";"

PUBLISHED = "published"

# Letters and digits of any script; not the underscore, which \w also matches.
_WORD = re.compile(r"[^\W_]+")
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")
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
        return ngettext(
            "the description has %(words)d word; a published profile needs at least "
            "%(minimum)d, since partners are ranked on it",
            "the description has %(words)d words; a published profile needs at least "
            "%(minimum)d, since partners are ranked on it",
            words,
        ) % {"words": words, "minimum": DESCRIPTION_MIN_WORDS}
    return None


def hangul_count(text: str | None) -> int:
    """Hangul syllables: how long a Korean text is, whatever its spacing (Korean writes particles
    and endings onto the word, so its words are fewer and longer than English ones)."""
    return len(_HANGUL_SYLLABLE.findall(text or ""))


def korean_description_problem(text: str | None, *, published: bool) -> str | None:
    """Why this Korean description cannot be published, or None: the Korean counterpart of
    `description_problem`."""
    if not published:
        return None
    count = hangul_count(text)
    if count < KOREAN_DESCRIPTION_MIN_CHARS:
        return ngettext(
            "the Korean description has %(count)d Hangul character; a published profile needs "
            "at least %(minimum)d (about %(words)d English words), since partners are ranked on it",
            "the Korean description has %(count)d Hangul characters; a published profile needs "
            "at least %(minimum)d (about %(words)d English words), since partners are ranked on it",
            count,
        ) % {
            "count": count,
            "minimum": KOREAN_DESCRIPTION_MIN_CHARS,
            "words": DESCRIPTION_MIN_WORDS,
        }
    return None


def description_problems(
    *,
    description: str | None,
    description_ko: str | None,
    published: bool,
    unchanged: Collection[str] = (),
) -> dict[str, str]:
    """Field -> why it cannot be published: the one rule for a profile's two descriptions.

    A published profile needs a description in English or Korean; each one given meets its
    own minimum (20 words, or its Korean equivalent), so that neither page language shows a
    stub. Without a Korean description this is exactly the English rule, with its message.
    `unchanged` names the descriptions the publishing rule does not reach (publishing_rule_holds:
    texts of a profile published before the rule, left as they were).
    """
    if not published:
        return {}
    problems: dict[str, str] = {}
    if not (description_ko or "").strip():
        problem = description_problem(description, published=True)
        if problem and "description" not in unchanged:
            problems["description"] = problem
        return problems
    problem = korean_description_problem(description_ko, published=True)
    if problem and "description_ko" not in unchanged:
        problems["description_ko"] = problem
    words = word_count(description)
    if 0 < words < DESCRIPTION_MIN_WORDS and "description" not in unchanged:
        problems["description"] = ngettext(
            "the description has %(words)d word; write at least %(minimum)d, or leave it empty "
            "and publish with the Korean description alone",
            "the description has %(words)d words; write at least %(minimum)d, or leave it empty "
            "and publish with the Korean description alone",
            words,
        ) % {"words": words, "minimum": DESCRIPTION_MIN_WORDS}
    return problems


def name_problem(*, name: str | None, name_ko: str | None) -> str | None:
    """Why the names cannot be stored, or None. The English (or romanised) name is what the site
    sorts, links and matches by, so it is required even when a Korean name is given."""
    if (name or "").strip():
        return None
    if (name_ko or "").strip():
        return gettext(
            "the name is required: write the organisation's English or romanised name here "
            "(the Korean name goes in the Korean name field)"
        )
    return gettext("the name is required: write the organisation's English or romanised name")


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
            return gettext(
                "keyword %(start)s... is longer than %(maximum)d characters; separate keywords "
                "with '%(separator)s'"
            ) % {
                "start": repr(word[:KEYWORD_MAX_CHARS]),
                "maximum": KEYWORD_MAX_CHARS,
                "separator": KEYWORD_SEPARATOR,
            }
    return None
