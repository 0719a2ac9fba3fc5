"""Video addresses of meetings at online and hybrid events.

An organiser gives one pattern for the event (`Event.video_link`), with `{table}` for the table
number and `{meeting}` for a code of the meeting; a meeting's own address (`Meeting.video_url`)
overrides it. `meeting_video_url` is the one place that decides a meeting's address: the agenda
page, the agenda and schedule exports and the calendars all ask it.
"""

from __future__ import annotations

import base64
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from events.models import Event, Meeting

PLACEHOLDERS = ("{table}", "{meeting}")
CODE_LENGTH = 10
# What the placeholders stand for while a pattern is checked: a table number and a code.
_SAMPLE = {"{table}": "12", "{meeting}": "k3x9q2m7wa"}
_BRACE = re.compile(r"[{}]")
_web_address = URLValidator(schemes=["http", "https"])


def meeting_code(*, event_id: int, eu_id: int, kr_id: int) -> str:
    """A short code for the pair at this event: the same however often the schedule is
    generated again or the meeting moves, and not guessable from the pair's ids, so that
    nobody outside the meeting can work out its video room from another one's address."""
    digest = salted_hmac("events.video.meeting", f"{event_id}:{eu_id}:{kr_id}").digest()
    return base64.b32encode(digest).decode("ascii").lower()[:CODE_LENGTH]


def fill_pattern(pattern: str, *, table: int | str, code: str) -> str:
    # Plain replacement rather than str.format: a pattern saved before it was checked (or
    # with a brace the check did not foresee) still gives an address, never an error.
    return pattern.replace("{table}", str(table)).replace("{meeting}", code)


def meeting_video_url(*, meeting: Meeting, event: Event) -> str:
    """The meeting's video address, or "" when it has none (`event` is the meeting's event,
    passed in so that a list of meetings costs no query per row)."""
    if meeting.video_url:
        address = meeting.video_url
    elif event.video_link:
        code = meeting_code(event_id=event.pk, eu_id=meeting.eu_id, kr_id=meeting.kr_id)
        address = fill_pattern(event.video_link.strip(), table=meeting.table, code=code)
    else:
        return ""
    # Only web addresses become links: a pattern saved around the form's check (the admin, an
    # old row) must not put a javascript: link on an agenda.
    return address if address.lower().startswith(("https://", "http://")) else ""


def video_pattern_check(pattern: str) -> None:
    """Refuse a pattern that would not give a web address for every meeting: it must start
    with http:// or https://, and its only placeholders are {table} and {meeting}."""
    pattern = pattern.strip()
    if not pattern:
        return
    filled = pattern
    for placeholder, sample in _SAMPLE.items():
        filled = filled.replace(placeholder, sample)
    stray = _BRACE.search(filled)
    if stray:
        found = re.findall(r"\{[^{}]*\}?", pattern)
        unknown = [f for f in found if f not in PLACEHOLDERS]
        shown = f" ({', '.join(unknown[:3])})" if unknown else ""
        raise ValidationError(
            _(
                "The video address may only use {table} and {meeting} in braces%(shown)s; "
                "write each exactly like that, e.g. https://meet.example.org/table-{table}."
            ),
            code="video_placeholder",
            params={"shown": shown},
        )
    if not filled.lower().startswith(("http://", "https://")):
        raise ValidationError(
            _(
                "The video address must start with https:// (or http://), "
                "e.g. https://meet.example.org/table-{table}."
            ),
            code="video_scheme",
        )
    try:
        _web_address(filled)
    except ValidationError:
        raise ValidationError(
            _(
                "The video address is not a web address once {table} and {meeting} are filled "
                "in; check it for spaces and typing slips."
            ),
            code="video_invalid",
        ) from None
