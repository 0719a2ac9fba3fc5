"""The Jinja2 environment, for the few templates drawn often enough per page that the Django
template language's cost per node shows: the ranking rows (docs/performance.md).

Translations: `{{ _("message") }}` with a constant message, which `makemessages` reads from
these templates as it reads `{% translate %}` from Django's. Each message is translated once
per language and process: a page of 100 rows would otherwise look up the same dozen messages
a thousand times.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language, gettext
from jinja2 import Environment, StrictUndefined

_translated: dict[tuple[str | None, str], str] = {}


def translate(message: str) -> str:
    """`gettext`, remembered per (language, message): catalogues do not change while a
    process runs."""
    key = (get_language(), message)
    found = _translated.get(key)
    if found is None:
        found = _translated[key] = gettext(message)
    return found


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def environment(**options) -> Environment:
    # Every value escaped (actors' names are anyone's text), whatever the settings say.
    options["autoescape"] = True
    # A name the template misspells, or a value the caller forgot, is an error, never an
    # empty string on a page.
    options["undefined"] = StrictUndefined
    env = Environment(**options)
    env.globals.update({"_": translate, "url": url})
    return env
