"""The event's days and times in templates, as `events.clock` writes them in the reader's
language. Like Django's `date` filter, a datetime is shown in the current time zone (the
event's, inside `{% timezone event.timezone %}`); an empty value shows nothing."""

from __future__ import annotations

from django import template

from events import clock as formats

register = template.Library()


@register.filter(expects_localtime=True)
def clock(value) -> str:
    """ "09:20"; "오전 9:20" in Korean."""
    return formats.clock(value) if value else ""


@register.filter(expects_localtime=True)
def day(value) -> str:
    """ "Tue 24 Nov"."""
    return formats.day(value) if value else ""


@register.filter(expects_localtime=True)
def day_month(value) -> str:
    """ "24 Nov"."""
    return formats.day_month(value) if value else ""


@register.filter(expects_localtime=True)
def full_date(value) -> str:
    """ "24 Nov 2026"; "2026년 11월 24일" in Korean."""
    return formats.full_date(value) if value else ""


@register.filter(expects_localtime=True)
def stamp(value) -> str:
    """ "24 Nov 14:05"."""
    return formats.stamp(value) if value else ""


@register.filter(expects_localtime=True)
def full_stamp(value) -> str:
    """ "24 Nov 2026 14:05"."""
    return formats.full_stamp(value) if value else ""
