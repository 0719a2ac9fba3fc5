"""Time slots: the meeting rounds that follow from the sessions and the meeting length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events import clock
from events.changelog import changes_record, round_label
from events.models import ChangeAction, Event, EventSession, Meeting, TimeSlot, outcome_recorded
from events.repair import MOVED, REMOVED, displaced_plan, over_maximum, plan_write


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


def event_shape_check(*, event: Event, rounds: int) -> None:
    """The event's rounds and tables stay within what the pages and the solver handle."""
    if rounds > MAX_ROUNDS:
        raise ValidationError(
            _(
                "These sessions make %(rounds)d meeting rounds; an event can have at most "
                "%(most)d. Use fewer or shorter sessions, or longer meetings."
            )
            % {"rounds": rounds, "most": MAX_ROUNDS}
        )
    if rounds * event.tables > MAX_MEETING_PLACES:
        raise ValidationError(
            _(
                "%(rounds)d rounds at %(tables)d tables make %(places)s meeting places; an event "
                "can have at most %(most)s. Use fewer tables or fewer rounds."
            )
            % {
                "rounds": rounds,
                "tables": event.tables,
                "places": number_format(rounds * event.tables, force_grouping=True),
                "most": number_format(MAX_MEETING_PLACES, force_grouping=True),
            }
        )


def sessions_check(*, event: Event, dropped: Iterable[EventSession] = ()) -> None:
    """Sessions fall within the event's dates and do not overlap (`dropped`: sessions about
    to be deleted, left out)."""
    gone = {s.pk for s in dropped}
    sessions = [s for s in event.sessions.order_by("date", "start") if s.pk not in gone]
    errors = []
    for session in sessions:
        if not event.starts_on <= session.date <= event.ends_on:
            errors.append(
                _(
                    "Session '%(session)s' is on %(date)s, outside the event's dates (%(first)s "
                    "to %(last)s)."
                )
                % {
                    "session": session.name,
                    "date": clock.padded_date(session.date),
                    "first": clock.padded_day_month(event.starts_on),
                    "last": clock.padded_date(event.ends_on),
                }
            )

    def instant(day, time):
        return dt.datetime.combine(day, time, tzinfo=event.zone).astimezone(dt.UTC)

    for before, after in zip(sessions, sessions[1:], strict=False):
        if instant(after.date, after.start) < instant(before.date, before.end):
            names = {"first": before.name, "second": after.name}
            if after.start >= before.end and before.date == after.date:
                errors.append(
                    _(
                        "Sessions '%(first)s' and '%(second)s' overlap (the clocks change that "
                        "night)."
                    )
                    % names
                )
            else:
                errors.append(_("Sessions '%(first)s' and '%(second)s' overlap.") % names)
    if errors:
        raise ValidationError(errors)


# What to do with meetings a change of the event's shape leaves outside it.
MOVE, CANCEL, KEEP = "move", "cancel", "keep"


@dataclass(frozen=True)
class OutsideMeeting:
    """A meeting the new settings leave without a place, as the event form shows it."""

    meeting: Meeting
    pair: str
    round: str
    table: int
    why: str  # "table 3 no longer exists", "the 09:30 round no longer exists"
    locked: bool  # a recorded outcome: never moved nor cancelled
    destination: str = ""  # where "move" would put it ("10:00, table 1"); "" if nowhere


class ShapeConflict(ValidationError):
    """The new settings leave meetings outside the event: the organiser chooses to move them,
    cancel them or keep the old settings. Nothing is saved until then."""

    def __init__(self, *, outside: list[OutsideMeeting]) -> None:
        self.outside = outside
        self.locked = [o for o in outside if o.locked]
        n = len(outside)
        if self.locked:
            names = "; ".join(o.pair for o in self.locked)
            text = ngettext(
                "These settings would leave %(count)d meeting outside the event, and meetings "
                "with a recorded outcome (%(names)s) are never moved or cancelled: keep the old "
                "settings. Nothing was saved.",
                "These settings would leave %(count)d meetings outside the event, and meetings "
                "with a recorded outcome (%(names)s) are never moved or cancelled: keep the old "
                "settings. Nothing was saved.",
                n,
            ) % {"count": n, "names": names}
        else:
            text = ngettext(
                "These settings would leave %(count)d meeting outside the event: choose to move "
                "them to free places, to cancel them, or to keep the old settings. Nothing was "
                "saved.",
                "These settings would leave %(count)d meetings outside the event: choose to move "
                "them to free places, to cancel them, or to keep the old settings. Nothing was "
                "saved.",
                n,
            ) % {"count": n}
        super().__init__(text, code="outside")


def participants_over_maximum(*, event: Event, only: Q | None = None) -> list[tuple[str, int]]:
    """(name, meetings) of the participants with more meetings than the event's maximum,
    counting the meetings `only` selects (all by default)."""
    meetings = event.meetings.filter(only) if only is not None else event.meetings.all()
    over = []
    for side in ("eu", "kr"):
        rows = (
            meetings.values(f"{side}__actor__name")
            .annotate(n=Count("pk"))
            .filter(n__gt=event.max_meetings)
            .order_by(f"{side}__actor__name")
        )
        over += [(row[f"{side}__actor__name"], row["n"]) for row in rows]
    return over


def _who_has(over: list[tuple[str, int]]) -> str:
    names = "; ".join(
        _("%(name)s has %(count)d") % {"name": name, "count": n} for name, n in over[:5]
    )
    if len(over) <= 5:
        return names
    return _("%(names)s and %(count)d more") % {"names": names, "count": len(over) - 5}


def _meetings(n: int) -> str:
    return ngettext("%(count)d meeting", "%(count)d meetings", n) % {"count": n}


def over_maximum_sentence(*, event: Event, over: list[tuple[str, int]]) -> str:
    """The participants over the maximum in words: "2 participants have more than 1 meeting
    (Lyon Life Sciences has 2; ...)"."""
    return ngettext(
        "%(count)d participant has more than %(meetings)s (%(who)s)",
        "%(count)d participants have more than %(meetings)s (%(who)s)",
        len(over),
    ) % {"count": len(over), "meetings": _meetings(event.max_meetings), "who": _who_has(over)}


ACCEPT = "accept"  # the organiser lowers the maximum and lets Update schedule cancel the excess


class MaximumConflict(ValidationError):
    """A lower maximum leaves participants of the published schedule with more meetings than
    it: the organiser saves it anyway (Update schedule then cancels `over`, the meetings
    listed) or keeps the old settings. Nothing is saved until then."""

    def __init__(self, *, event: Event, who: list[tuple[str, int]], over: list[OutsideMeeting]):
        self.over = over
        super().__init__(
            _(
                "With at most %(meetings)s per participant, %(who)s. Participants keep those "
                "meetings in their agendas until you update the schedule: save the new maximum "
                "and let Update schedule cancel the meetings below, or keep the old settings. "
                "Nothing was saved."
            )
            % {
                "meetings": _meetings(event.max_meetings),
                "who": over_maximum_sentence(event=event, over=who),
            },
            code="over_maximum",
        )


def _round_name(instant: dt.datetime, zone: dt.tzinfo) -> str:
    """A round as `TimeSlot.__str__` names it, in `zone`."""
    return clock.day_clock(instant, zone)


def lowered_maximum_check(*, event: Event, zone: dt.tzinfo) -> None:
    """Raise `MaximumConflict` when participants of the published schedule have more meetings
    than the event's (new) maximum, listing the meetings an update would cancel for it."""
    if not event.published:
        return  # a draft: generating it again applies the maximum (`saved_message` says so)
    who = participants_over_maximum(event=event)
    if not who:
        return
    excess = over_maximum(event=event)
    meetings = (
        event.meetings.filter(pk__in=excess)
        .select_related("slot", "eu__actor", "kr__actor")
        .order_by("slot__starts_at", "table")
    )
    raise MaximumConflict(
        event=event,
        who=who,
        over=[
            OutsideMeeting(
                meeting=m, pair=f"{m.eu.actor.name} / {m.kr.actor.name}",
                round=_round_name(m.slot.starts_at, zone), table=m.table, why=excess[m.pk],
                locked=False,
            )
            for m in meetings
        ],
    )  # fmt: skip


def saved_message(*, event: Event) -> str:
    """What the settings page says once an event is saved, with who has more meetings than
    its maximum and what removes them."""
    who = participants_over_maximum(event=event)
    if not who:
        return _("Event saved.")
    over = over_maximum_sentence(event=event, over=who)
    if event.published:
        return _(
            "Event saved. %(over)s: Update schedule on the Schedule page cancels the extra "
            "meetings (you see which before anything changes)."
        ) % {"over": over}
    return _("Event saved. %(over)s: generating the schedule again applies the new maximum.") % {
        "over": over
    }


def kept_maximum_check(*, event: Event) -> None:
    """The most meetings per participant cannot go below what its kept meetings (fixed, or with
    a recorded outcome) already give it: those are never dropped by a generation."""
    over = participants_over_maximum(event=event, only=Q(fixed=True) | outcome_recorded())
    if over:
        raise ValidationError(
            {
                "max_meetings": (
                    _(
                        "Some participants already have more than %(count)d meetings that are "
                        "fixed or have a recorded outcome (%(who)s). Unfix or cancel some of "
                        "them on the Schedule page first, or keep a higher maximum."
                    )
                    % {"count": event.max_meetings, "who": _who_has(over)}
                )
            },
            code="kept_over_maximum",
        )


@transaction.atomic
def event_slots_sync(
    *,
    event: Event,
    displaced: str | None = None,
    by=None,
    dropped: Iterable[EventSession] = (),
    was: Event | None = None,
    accept_over_maximum: bool = False,
) -> list[TimeSlot]:
    """Make the event's rounds match its sessions, meeting and break length and tables.

    Rounds that stay the same keep their meetings, so an organiser can add an afternoon session
    to a scheduled event without losing the morning. Meetings the new shape leaves outside the
    event (a round gone, a table beyond the new number) are handled as `displaced` says: MOVE
    them to free places (everything else stays where it is), CANCEL them (logged if the
    schedule is published), or, when None, raise `ShapeConflict` listing them, with where
    "move" would put each. `dropped`: sessions the caller deletes afterwards.

    `was`: the event as saved before this edit. Meetings are named at the times participants
    have in their agendas, in its time zone (a corrected zone moves every round); and a
    maximum lowered below the meetings participants of a published schedule have raises
    `MaximumConflict`, unless `accept_over_maximum`.
    """
    dropped = list(dropped)
    gone_sessions = {s.pk for s in dropped}
    sessions_check(event=event, dropped=dropped)
    wanted = {
        (session.pk, start, end)
        for session in event.sessions.all()
        if session.pk not in gone_sessions
        for start, end in session_rounds(
            session=session,
            meeting_minutes=event.meeting_minutes,
            break_minutes=event.break_minutes,
            zone=event.zone,
        )
    }
    event_shape_check(event=event, rounds=len(wanted))
    kept_maximum_check(event=event)
    zone = was.zone if was is not None else event.zone
    if was is not None and event.max_meetings < was.max_meetings and not accept_over_maximum:
        lowered_maximum_check(event=event, zone=zone)
    existing = {(slot.session_id, slot.starts_at, slot.ends_at): slot for slot in event.slots.all()}
    leaving = {slot.starts_at: slot for key, slot in existing.items() if key not in wanted}
    new_keys = sorted(wanted - existing.keys(), key=lambda k: k[1])
    # A round that still starts at the same time keeps its row and its meetings, with its new
    # end (a shorter meeting) or session: nobody's agenda moves for it.
    resized, old_ends = [], {}
    for session_id, start, end in new_keys:
        slot = leaving.pop(start, None)
        if slot is not None:
            if slot.ends_at != end:
                old_ends[slot.pk] = slot.ends_at
            slot.session_id, slot.ends_at = session_id, end
            resized.append(slot)
    TimeSlot.objects.bulk_update(resized, ["session", "ends_at"])
    reused = {slot.starts_at for slot in resized}
    TimeSlot.objects.bulk_create(
        [
            TimeSlot(event=event, session_id=session_id, starts_at=start, ends_at=end)
            for session_id, start, end in new_keys
            if start not in reused
        ]
    )
    gone = list(leaving.values())
    outside = _outside(event=event, gone=gone, zone=zone)
    if outside:
        _settle(event=event, outside=outside, displaced=displaced, by=by, gone=gone, zone=zone)
    TimeSlot.objects.filter(pk__in=[slot.pk for slot in gone]).delete()
    _log_resized(event=event, old_ends=old_ends, by=by)
    return list(event.slots.order_by("starts_at"))


def _log_resized(*, event: Event, old_ends: dict[int, dt.datetime], by) -> None:
    """Meetings whose round now ends at another time (`old_ends`: round id -> its old end)
    changed for their participants: their rows are touched (calendars see a newer version)
    and, once published, logged."""
    if not old_ends:
        return
    meetings = list(
        Meeting.objects.filter(slot__in=old_ends).select_related("slot", "eu__actor", "kr__actor")
    )
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(updated_at=timezone.now())
    changes_record(
        event=event,
        changes=[
            {
                "action": ChangeAction.MOVED,
                "by": by,
                "eu": m.eu,
                "kr": m.kr,
                "old": (_Round(m.slot.starts_at, old_ends[m.slot_id]), m.table),
                "new": (m.slot, m.table),
                "note": _("the round now ends at %(time)s")
                % {"time": clock.clock(m.slot.ends_at, event.zone)},
            }
            for m in meetings
        ],
    )


@dataclass(frozen=True)
class _Round:
    """A round as it was, for the log."""

    starts_at: dt.datetime
    ends_at: dt.datetime


def _outside(
    *, event: Event, gone: list[TimeSlot], zone: dt.tzinfo
) -> dict[int, tuple[Meeting, str]]:
    """Meetings without a place in the new shape, each with why (rounds named in `zone`)."""
    gone_ids = {slot.pk for slot in gone}
    meetings = (
        event.meetings.filter(Q(slot__in=gone_ids) | Q(table__gt=event.tables))
        .select_related("slot__event", "eu__actor", "kr__actor")
        .prefetch_related("feedback")  # `has_outcome` reads it, once per meeting shown
        .order_by("slot__starts_at", "table")
    )
    return {
        m.pk: (
            m,
            _("the %(round)s round no longer exists")
            % {"round": _round_name(m.slot.starts_at, zone)}
            if m.slot_id in gone_ids
            else _("table %(table)s no longer exists") % {"table": m.table},
        )
        for m in meetings
    }


def _settle(
    *,
    event: Event,
    outside: dict[int, tuple[Meeting, str]],
    displaced: str | None,
    by,
    gone: list[TimeSlot],
    zone: dt.tzinfo,
) -> None:
    locked = any(m.has_outcome for m, _ in outside.values())
    if displaced == CANCEL and not locked:
        lines = [
            {
                "action": REMOVED, "meeting": m.pk, "eu": m.eu_id, "kr": m.kr_id, "why": why,
            }
            for m, why in outside.values()
        ]  # fmt: skip
        plan_write(event=event, lines=lines, by=by, note=_("the event's settings changed"))
        return
    gone_ids = {slot.pk for slot in gone}
    slots = [slot for slot in event.slots.order_by("starts_at") if slot.pk not in gone_ids]
    lines = (
        []
        if locked
        else displaced_plan(
            event=event, slots=slots, displaced={pk: why for pk, (_, why) in outside.items()}
        )
    )
    if displaced == MOVE and not locked:
        plan_write(event=event, lines=lines, by=by, note=_("the event's settings changed"))
        return
    # Where a meeting would go is a round of the new settings: in their time zone, named when
    # it is not the one the participants have now.
    named = f" ({event.timezone})" if str(zone) != event.timezone else ""
    where = {
        line["meeting"]: _("%(round)s%(zone)s, table %(table)s")
        % {
            "round": round_label(parse_datetime(line["at"]), event=event),
            "zone": named,
            "table": line["table"],
        }
        for line in lines
        if line["action"] == MOVED
    }
    raise ShapeConflict(
        outside=[
            OutsideMeeting(
                meeting=m,
                pair=f"{m.eu.actor.name} / {m.kr.actor.name}",
                round=_round_name(m.slot.starts_at, zone),
                table=m.table,
                why=why,
                locked=m.has_outcome,
                destination=where.get(m.pk, ""),
            )
            for m, why in outside.values()
        ]
    )
