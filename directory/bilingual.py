"""Which of an English and a Korean text a reader sees first: one rule for every page, filter
choice and export that shows data held in both languages (taxonomy labels, actor names and
descriptions).

The interface language is Django's active language (the language switch, the cookie, the
browser); data in the other language is shown beside it, never instead of it, except for short
labels, where the Korean one replaces the English one on Korean pages when there is one.
"""

from __future__ import annotations

from django.utils import translation

KOREAN = "ko"


def reader_prefers_korean() -> bool:
    """Whether the page being built is in Korean."""
    return (translation.get_language() or "").split("-")[0] == KOREAN


def in_reader_language(*, english: str, korean: str) -> str:
    """The Korean text on Korean pages when there is one, otherwise the English."""
    if korean and reader_prefers_korean():
        return korean
    return english
