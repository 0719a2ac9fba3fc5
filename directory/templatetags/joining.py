"""Text people typed in whichever language they write (a name, a position, a message): marked
with `lang` when it is Korean in a page that is not, or the other way round, as the directory's
own Korean data is (`bilingual`). `{% load joining %}` then `<dd{{ join.role|typed_lang }}>`."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from directory.rules import hangul_count

register = template.Library()

_LETTER = re.compile(r"[^\W\d_]")


def typed_language(text: str) -> str:
    """ "ko" for a text mostly in Hangul, "en" for one mostly in other letters, "" for none."""
    letters = len(_LETTER.findall(text or ""))
    if not letters:
        return ""
    return "ko" if hangul_count(text) * 2 >= letters else "en"


@register.filter
def typed_lang(text: str) -> SafeString:
    """` lang="xx"` when the text's language is not the page's; nothing otherwise."""
    language = typed_language(str(text or ""))
    page = (get_language() or "").split("-")[0]
    if not language or language == page:
        return mark_safe("")  # noqa: S308 (an empty string)
    return format_html(' lang="{}"', language)
