"""On the day of the event: attendees checking in, participants who did not come, and a
participant running late or calling a meeting off."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events import clock, schedule
from events.models import (
    Attendee,
    Event,
    Meeting,
    NoShow,
    ParticipantStatus,
    TimeSlot,
)

LATE_CHOICES = (5, 10, 15, 30)
SEARCH_MAX = 100


# -- check-in ---------------------------------------------------------------------------------


def checkin_list(*, event: Event, query: str = "") -> list[Attendee]:
    """Attendees of the accepted participants, by organisation then name; `query` matches a
    first or last name, the organisation's name or acronym, or an e-mail."""
    people = Attendee.objects.filter(
        participant__event=event, participant__status=ParticipantStatus.ACCEPTED
    ).select_related("participant__actor")
    for word in query.split()[:5]:
        word = word[:SEARCH_MAX]
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(participant__actor__name__icontains=word)
            | Q(participant__actor__acronym__icontains=word)
        )
    return list(people.order_by("participant__actor__name", "last_name", "first_name"))


@transaction.atomic
def attendee_check_in(*, attendee: Attendee, arrived: bool) -> Attendee:
    """Record that the person arrived, or undo it (a wrong click). Checking in twice keeps
    the first arrival time."""
    current = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if arrived and current.checked_in_at is None:
        current.checked_in_at = timezone.now()
    elif not arrived:
        current.checked_in_at = None
    current.save(update_fields=["checked_in_at"])
    return current


# -- the current round ------------------------------------------------------------------------


def current_round(*, event: Event, now: dt.datetime | None = None) -> TimeSlot | None:
    """The round under way, else the next one, else the last one (after the event)."""
    now = now or timezone.now()
    slots = event.slots.select_related("session", "event")
    return (
        slots.filter(starts_at__lte=now, ends_at__gt=now).first()
        or slots.filter(starts_at__gt=now).order_by("starts_at").first()
        or slots.order_by("-starts_at").first()
    )


@transaction.atomic
def meeting_no_show_mark(
    *, meeting: Meeting, no_show: str, now: dt.datetime | None = None
) -> Meeting:
    """Who did not come ('eu', 'kr' or 'both'): the meeting is recorded as not held. '' says
    everyone came after all: the meeting goes back to "not recorded"."""
    if no_show and no_show not in NoShow.values:
        raise ValidationError(
            _("Choose who did not come: the European side, the Korean side, or both."),
            code="choice",
        )
    current = Meeting.objects.select_for_update().select_related("slot", "event").get(pk=meeting.pk)
    now = now or timezone.now()
    if no_show and current.slot.starts_at > now:
        zone = current.event.zone
        raise ValidationError(
            _(
                "This meeting starts at %(time)s on %(day)s; mark who did not come once it has "
                "begun."
            )
            % {
                "time": clock.clock(current.slot.starts_at, zone),
                "day": clock.day_month(current.slot.starts_at, zone),
            },
            code="future",
        )
    if no_show and current.held is True:
        raise ValidationError(
            _("This meeting is recorded as held; change its outcome on the Outcomes page first."),
            code="held",
        )
    current.no_show = no_show
    if no_show:
        current.held = False
    elif current.held is False:
        current.held = None
    current.save(update_fields=["no_show", "held", "updated_at"])
    return current


# -- what a participant says on the day -------------------------------------------------------


@transaction.atomic
def meeting_running_late(
    *,
    meeting: Meeting,
    minutes: int | None,
    side: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """The participant on `side` ("eu" or "kr"; "" when an organiser says it for the meeting)
    will be `minutes` late (None: on time after all). The other side and the organisers see
    it on their pages."""
    if minutes is not None and minutes not in LATE_CHOICES:
        choices = ", ".join(str(m) for m in LATE_CHOICES)
        raise ValidationError(
            _("Choose how late: %(choices)s minutes.") % {"choices": choices}, code="choice"
        )
    current = Meeting.objects.select_for_update().select_related("slot", "event").get(pk=meeting.pk)
    if current.slot.ends_at <= (now or timezone.now()):
        raise ValidationError(_("This meeting is over."), code="over")
    current.late_minutes = minutes
    current.late_side = side if minutes and side in ("eu", "kr") else ""
    current.save(update_fields=["late_minutes", "late_side", "updated_at"])
    return current


def meeting_call_off(
    *, meeting: Meeting, by=None, note: str = "", now: dt.datetime | None = None
) -> None:
    """A participant cancels a meeting before it begins, which frees both sides and the table
    for that round. The schedule's own rules apply (`events.schedule.meeting_cancel`: a
    meeting with a recorded outcome is not cancelled; the pair is not scheduled again)."""
    now = now or timezone.now()
    if meeting.slot.starts_at <= now:
        raise ValidationError(
            _(
                "This meeting has already begun, so it can no longer be cancelled; if the other "
                "side did not come, tell the organisers."
            ),
            code="started",
        )
    schedule.meeting_cancel(meeting=meeting, by=by, note=note)
