"""Days and times of an event as a person reads them, in the language they read.

Each pattern is a translatable string (context "date format"), so that every language writes a
day and a time its own way, with the weekday and month names of Django's own translations:
English keeps the site's "Tue 24 Nov 09:00" with a 24-hour clock, Korean reads "11월 24일
(화요일) 오전 9:00", with Django's Korean TIME_FORMAT ("A g:i"). The caller gives the zone to
read an instant in (the event's): every page and message names that zone.
"""

from __future__ import annotations

import datetime as dt

from django.utils.dateformat import format as date_format
from django.utils.translation import pgettext


def _format(moment: dt.date | dt.datetime | dt.time, zone: dt.tzinfo | None, pattern: str) -> str:
    if zone is not None and isinstance(moment, dt.datetime):
        moment = moment.astimezone(zone)
    return date_format(moment, pattern)


def clock(moment: dt.datetime | dt.time, zone: dt.tzinfo | None = None) -> str:
    """A time of day: "09:20" in English, "오전 9:20" in Korean."""
    return _format(moment, zone, pgettext("date format: time of day", "H:i"))


def day(moment: dt.date | dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A day of the event with its weekday, for pages: "Tue 3 Nov"."""
    return _format(moment, zone, pgettext("date format: weekday and day", "D j M"))


def padded_day(moment: dt.date | dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A day with its weekday and a two-digit day, for messages and rounds: "Tue 03 Nov"."""
    return _format(moment, zone, pgettext("date format: weekday and two-digit day", "D d M"))


def day_clock(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A round or a meeting's start: "Tue 24 Nov 09:00"."""
    return _format(moment, zone, pgettext("date format: weekday, day and time", "D d M H:i"))


def long_day(moment: dt.date | dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A day written out: "Tuesday 24 November"."""
    return _format(moment, zone, pgettext("date format: weekday and day in full", "l d F"))


def day_month(moment: dt.date | dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A day without its year: "3 Nov"."""
    return _format(moment, zone, pgettext("date format: day and month", "j M"))


def padded_day_month(moment: dt.date | dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A day without its year, with a two-digit day: "03 Nov"."""
    return _format(moment, zone, pgettext("date format: two-digit day and month", "d M"))


def day_full_month(moment: dt.date | dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A day with its month in full: "3 November"."""
    return _format(moment, zone, pgettext("date format: day and month in full", "j F"))


def full_date(moment: dt.date | dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A date with its year: "3 Nov 2026", "2026년 11월 3일"."""
    return _format(moment, zone, pgettext("date format: day, month and year", "j M Y"))


def padded_date(moment: dt.date | dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A date with its year and a two-digit day: "03 Nov 2026"."""
    return _format(moment, zone, pgettext("date format: two-digit day, month and year", "d M Y"))


def long_date(moment: dt.date | dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A date with its month in full: "3 November 2026"."""
    return _format(moment, zone, pgettext("date format: day, month in full and year", "j F Y"))


def stamp(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """When something was done, this year: "3 Nov 14:05"."""
    return _format(moment, zone, pgettext("date format: day, month and time", "j M H:i"))


def padded_stamp(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """When something was done, with a two-digit day: "03 Nov 14:05"."""
    return _format(moment, zone, pgettext("date format: two-digit day, month and time", "d M H:i"))


def full_stamp(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """When something was done, with the year: "3 Nov 2026 14:05"."""
    return _format(moment, zone, pgettext("date format: day, month, year and time", "j M Y H:i"))
