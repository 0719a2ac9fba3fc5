"""The event's days and times in templates, as `events.clock` writes them in the reader's
language. Like Django's `date` filter, a datetime is shown in the current time zone (the
event's, inside `{% timezone event.timezone %}`); an empty value shows nothing.

The filters are `events.clock`'s own functions under the same names, so that a page and a
message write a time the same way."""

from __future__ import annotations

from collections.abc import Callable

from django import template

from events import clock

register = template.Library()

FILTERS = ("clock", "day", "day_month", "full_date", "stamp", "full_stamp")


def _as_filter(writer: Callable) -> Callable[[object], str]:
    def show(value) -> str:
        return writer(value) if value else ""

    show.__name__, show.__doc__ = writer.__name__, writer.__doc__
    return show


for _name in FILTERS:
    register.filter(_name, _as_filter(getattr(clock, _name)), expects_localtime=True)
