"""Names in two languages, and text in a language other than the page's, marked with `lang`.

Screen readers pick their voice from `lang`, browsers their font and line breaking: Korean
words in an English page without `lang="ko"` are read out letter by letter or not at all
(docs/i18n.md, "Korean data in an English page"). `{% load bilingual %}`, then:

`{% bilingual_name actor %}`
    The name to read first, then the other one in `<span class="name-alt" lang="...">`. In an
    English page: `KICOX name <span class="name-alt" lang="ko">한국산업단지공단</span>`; in a Korean
    page the Korean name first and the English one after it, marked `lang="en"`. Any object with
    `name` and `name_ko` (an Actor, a Region). Without a Korean name (or the same text twice):
    the name alone, as before. Style `.name-alt` where it is used (a block under a heading,
    muted after a link).

`{{ actor|name_first }}` and `{% name_other actor %}`
    The two halves, for a link around the first name only:
    `<a href="{{ actor.get_absolute_url }}">{{ actor|name_first }}</a> {% name_other actor %}`.

`{{ "ko"|lang_attr }}`
    ` lang="ko"` when the page is in another language, nothing when it is in that language:
    `<p{{ "ko"|lang_attr }}>{{ actor.description_ko }}</p>`,
    `<p{{ "en"|lang_attr }}>{{ actor.description }}</p>`. An English page stays byte for
    byte as it was; a Korean page marks the English text it shows.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from directory.places import city_name, economic_region_label

register = template.Library()

KOREAN = "ko"
ENGLISH = "en"


def _korean_page() -> bool:
    return (get_language() or "").split("-")[0] == KOREAN


def _names(item) -> tuple[str, str, str]:
    """(first name, other name, language of the other name); the other may be ""."""
    name = str(getattr(item, "name", "") or "")
    name_ko = str(getattr(item, "name_ko", "") or "")
    if not name_ko or name_ko == name:
        return (name or name_ko, "", "")
    if not name:
        return (name_ko, "", "")
    if _korean_page():
        return (name_ko, name, ENGLISH)
    return (name, name_ko, KOREAN)


@register.filter
def name_first(item) -> str:
    """The name a reader of the page's language reads first (escaped by the template)."""
    return _names(item)[0]


@register.simple_tag
def name_other(item) -> SafeString:
    """The other name in its own language, or nothing."""
    _first, other, language = _names(item)
    if not other:
        return mark_safe("")  # noqa: S308 (an empty string)
    return format_html('<span class="name-alt" lang="{}">{}</span>', language, other)


@register.simple_tag
def bilingual_name(item) -> SafeString:
    """Both names, the one of the page's language first, the other marked with its `lang`."""
    first, other, language = _names(item)
    if not other:
        return format_html("{}", first)
    return format_html('{} <span class="name-alt" lang="{}">{}</span>', first, language, other)


@register.filter
def lang_attr(language: str) -> SafeString:
    """` lang="xx"` for text in `language` when the page is in another language."""
    code = str(language or "").strip()
    current = (get_language() or "").split("-")[0]
    if not code or code.split("-")[0] == current:
        return mark_safe("")  # noqa: S308 (an empty string)
    return format_html(' lang="{}"', code)


@register.filter
def economic_region(name: str) -> str:
    """A Korean economic region by name, as its readers call it: "Daegyeong region", "대경권"."""
    return economic_region_label(name)


@register.filter
def city(name: str) -> str:
    """A city as the reader names it: "Gumi" in English, "구미" in Korean where the directory's
    list of cities knows it (directory/places.py)."""
    return city_name(name or "", language=get_language() or "en")
