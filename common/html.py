"""HTML fragments built in Python where a template loop is too slow."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def select_options(choices: Iterable[tuple[object, str]], current, empty: str | None) -> SafeString:
    """<option> elements in one Python join: a template loop over 100 options is the
    slowest part of the ranking and directory pages. `empty=None` leaves out the "any" option."""
    current = str(current or "")
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == current else "", label) for value, label in choices),
    )
    if empty is None:
        return options
    return format_html('<option value="">{}</option>{}', empty, options)
