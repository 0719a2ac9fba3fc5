"""Time slots: the meeting rounds that follow from the sessions and the meeting length."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max

from events.models import Event, EventSession, TimeSlot


def session_rounds(
    *, session: EventSession, meeting_minutes: int, break_minutes: int, zone: dt.tzinfo
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The (start, end) of every meeting that fits in the session, as aware datetimes.

    Counted in UTC: on the night the clocks change, local arithmetic would make a 25-minute
    round last 85 minutes, or two rounds start at the same instant.
    """
    start = dt.datetime.combine(session.date, session.start, tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(session.date, session.end, tzinfo=zone).astimezone(dt.UTC)
    length = dt.timedelta(minutes=meeting_minutes)
    step = length + dt.timedelta(minutes=break_minutes)
    rounds = []
    while start + length <= end:
        rounds.append((start, start + length))
        start += step
    return rounds


# What one event may hold: past these, the schedule page and the solver no longer answer within
# a request (120 sessions x 1,000 tables took 57 s and 1.1 GB). The largest real EU-Korea
# matchmaking days run a few hundred tables over a few dozen rounds.
MAX_ROUNDS = 200
MAX_MEETING_PLACES = 20_000  # rounds x tables


def tables_check(*, event: Event) -> None:
    """No meeting may sit at a table the event no longer has."""
    beyond = event.meetings.filter(table__gt=event.tables).aggregate(
        count=Count("pk"), highest=Max("table")
    )
    count, highest = beyond["count"], beyond["highest"]
    if count:
        raise ValidationError(
            f"{count} meeting(s) sit at tables {event.tables + 1} to {highest}; move or cancel "
            f"them before reducing the event to {event.tables} tables. Nothing was saved."
        )


def event_shape_check(*, event: Event, rounds: int) -> None:
    """The event's rounds and tables stay within what the pages and the solver handle."""
    if rounds > MAX_ROUNDS:
        raise ValidationError(
            f"These sessions make {rounds} meeting rounds; an event can have at most "
            f"{MAX_ROUNDS}. Use fewer or shorter sessions, or longer meetings."
        )
    if rounds * event.tables > MAX_MEETING_PLACES:
        raise ValidationError(
            f"{rounds} rounds at {event.tables} tables make {rounds * event.tables:,} meeting "
            f"places; an event can have at most {MAX_MEETING_PLACES:,}. Use fewer tables or "
            "fewer rounds."
        )


def sessions_check(*, event: Event) -> None:
    """Sessions fall within the event's dates and do not overlap."""
    sessions = list(event.sessions.order_by("date", "start"))
    errors = []
    for session in sessions:
        if not event.starts_on <= session.date <= event.ends_on:
            errors.append(
                f"Session '{session.name}' is on {session.date:%d %b %Y}, outside the event's "
                f"dates ({event.starts_on:%d %b} to {event.ends_on:%d %b %Y})."
            )

    def instant(day, time):
        return dt.datetime.combine(day, time, tzinfo=event.zone).astimezone(dt.UTC)

    for before, after in zip(sessions, sessions[1:], strict=False):
        if instant(after.date, after.start) < instant(before.date, before.end):
            clocks = (
                " (the clocks change that night)"
                if after.start >= before.end and before.date == after.date
                else ""
            )
            errors.append(f"Sessions '{before.name}' and '{after.name}' overlap{clocks}.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_slots_sync(*, event: Event) -> list[TimeSlot]:
    """Make the event's time slots match its sessions; refuse to drop a slot with meetings.

    Slots that stay the same keep their meetings, so an organiser can add an afternoon session
    to a scheduled event without losing the morning.
    """
    sessions_check(event=event)
    wanted = {
        (session.pk, start, end)
        for session in event.sessions.all()
        for start, end in session_rounds(
            session=session,
            meeting_minutes=event.meeting_minutes,
            break_minutes=event.break_minutes,
            zone=event.zone,
        )
    }
    event_shape_check(event=event, rounds=len(wanted))
    tables_check(event=event)
    existing = {
        (slot.session_id, slot.starts_at, slot.ends_at): slot
        for slot in event.slots.annotate(booked=Count("meetings"))
    }
    gone = [slot for key, slot in existing.items() if key not in wanted]
    busy = [slot for slot in gone if slot.booked]
    if busy:
        raise ValidationError(
            [
                f"The {slot} round has {slot.booked} meeting(s); cancel or move them before "
                "changing the times."
                for slot in busy
            ]
        )
    TimeSlot.objects.filter(pk__in=[slot.pk for slot in gone]).delete()
    TimeSlot.objects.bulk_create(
        [
            TimeSlot(event=event, session_id=session_id, starts_at=start, ends_at=end)
            for session_id, start, end in sorted(wanted - existing.keys(), key=lambda k: k[1])
        ]
    )
    return list(event.slots.order_by("starts_at"))
