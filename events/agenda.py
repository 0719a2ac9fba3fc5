"""A participant's personal agenda: when, where, with whom, and why; and its calendar, whose
entries are written in the language of the person who downloads it or subscribed to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from directory.models import Actor
from events.dashboard import meetings_involving
from events.models import ChangeAction, Meeting, Participant, ScheduleChange
from events.video import meeting_video_url
from matching.pairs import PairFit, pair_scorer


@dataclass
class AgendaItem:
    meeting: Meeting
    starts: dt.datetime  # in the event's time zone
    ends: dt.datetime
    counterpart: Participant
    fit: PairFit
    video: str = ""  # the meeting's video address, if it has one
    late: str = ""  # a running-late notice, in words

    @property
    def score(self) -> float:
        return self.fit.score

    @property
    def reason(self) -> str:
        return self.fit.reason

    @property
    def percent(self) -> int:
        """The fit out of 100, as the pages show it."""
        return self.fit.percent


@dataclass
class CancelledItem:
    """A meeting of a published schedule that was cancelled, with the place it had."""

    counterpart: Participant
    eu_id: int
    kr_id: int
    starts: dt.datetime  # in the event's time zone
    ends: dt.datetime
    table: int | None
    cancelled_at: dt.datetime
    # Who called it off, as the participants know them: a side's organisation when one of its
    # managers did (from its agenda, or by withdrawing), "the organisers" for anyone else, ""
    # when the log does not say.
    cancelled_by: str = ""


def participant_meetings(participant: Participant) -> QuerySet[Meeting]:
    return (
        meetings_involving(participant)
        .select_related("slot__session", "eu__actor", "kr__actor", "event")
        .order_by("slot__starts_at")
    )


def late_notice(*, meeting: Meeting) -> str:
    """A running-late notice for both sides' agendas and calendars, naming who is late when a
    side said it; "" when nobody said anyone will be late."""
    minutes = meeting.late_minutes
    if not minutes:
        return ""
    late = {"eu": meeting.eu, "kr": meeting.kr}.get(meeting.late_side)
    if late is not None:
        return ngettext(
            "Running late: %(name)s will be about %(minutes)d minute late.",
            "Running late: %(name)s will be about %(minutes)d minutes late.",
            minutes,
        ) % {"name": late.actor.name, "minutes": minutes}
    return ngettext(
        "Running late: this meeting starts about %(minutes)d minute late.",
        "Running late: this meeting starts about %(minutes)d minutes late.",
        minutes,
    ) % {"minutes": minutes}


def participant_agenda(*, participant: Participant) -> list[AgendaItem]:
    """Each meeting with the reason told from this participant's side."""
    meetings = list(participant_meetings(participant))
    event = participant.event
    zone = event.zone
    others = [m.kr if m.eu_id == participant.pk else m.eu for m in meetings]
    scorer = pair_scorer(actor_ids=[participant.actor_id, *(o.actor_id for o in others)])
    return [
        AgendaItem(
            meeting=meeting,
            starts=meeting.slot.starts_at.astimezone(zone),
            ends=meeting.slot.ends_at.astimezone(zone),
            counterpart=other,
            fit=scorer.fit(participant.actor_id, other.actor_id),
            video=meeting_video_url(meeting=meeting, event=event),
            late=late_notice(meeting=meeting),
        )
        for meeting, other in zip(meetings, others, strict=True)
    ]


SEQUENCE_EPOCH = int(dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp())


def _sequence(moment: dt.datetime) -> int:
    # Seconds since 2020 of a change: grows with every change, fits the 32-bit integer
    # calendar programs expect.
    return max(0, int(moment.timestamp()) - SEQUENCE_EPOCH)


@dataclass
class _Removal:
    row: ScheduleChange  # the pair's last cancellation
    sequence: int  # the SEQUENCE of its cancelled calendar entry


def _removals(participant: Participant) -> dict[tuple[int, int], _Removal]:
    """The last cancellation of each of the participant's pairs, from the change log."""
    rows = (
        ScheduleChange.objects.filter(
            Q(eu=participant) | Q(kr=participant),
            event_id=participant.event_id,
            action=ChangeAction.REMOVED,
            eu__isnull=False,
            kr__isnull=False,
        )
        .select_related("eu__actor", "kr__actor")
        .order_by("made_at", "pk")
    )
    removals: dict[tuple[int, int], _Removal] = {}
    for row in rows:
        pair = (row.eu_id, row.kr_id)
        # Above the entry it cancels, which changed before it did (its SEQUENCE is at most the
        # second of the cancellation) or was placed again after an earlier cancellation (at
        # most that one's SEQUENCE + 1), even when all of it happened within one second.
        earlier = removals[pair].sequence + 2 if pair in removals else 0
        removals[pair] = _Removal(row=row, sequence=max(_sequence(row.made_at) + 1, earlier))
    return removals


def _canceller(row: ScheduleChange, managing: set[tuple[int, int]]) -> str:
    """Who cancelled, in the words a participant knows: the side whose manager did it (from
    its agenda, or by withdrawing), otherwise the organisers; "" if no one is recorded."""
    if row.made_by_id is None:
        return ""
    sides = [p for p in (row.eu, row.kr) if (row.made_by_id, p.actor_id) in managing]
    return sides[0].actor.name if len(sides) == 1 else _("the organisers")


def _cancelled(
    participant: Participant,
    removals: dict[tuple[int, int], _Removal],
    current: set[tuple[int, int]],
) -> list[CancelledItem]:
    zone = participant.event.zone
    shown = [
        removal.row
        for pair, removal in removals.items()
        if pair not in current and removal.row.old_starts_at and removal.row.old_ends_at
    ]
    # Which of the users who cancelled manage a side of their pair: one query in all.
    managing = set(
        Actor.managers.through.objects.filter(
            user_id__in={row.made_by_id for row in shown if row.made_by_id},
            actor_id__in={p.actor_id for row in shown for p in (row.eu, row.kr)},
        ).values_list("user_id", "actor_id")
    )
    items = []
    for row in shown:
        items.append(
            CancelledItem(
                counterpart=row.kr if row.eu_id == participant.pk else row.eu,
                eu_id=row.eu_id,
                kr_id=row.kr_id,
                starts=row.old_starts_at.astimezone(zone),
                ends=row.old_ends_at.astimezone(zone),
                table=row.old_table,
                cancelled_at=row.made_at,
                cancelled_by=_canceller(row, managing),
            )
        )
    return sorted(items, key=lambda item: item.starts)


def cancelled_meetings(*, participant: Participant) -> list[CancelledItem]:
    """The participant's meetings cancelled after publication whose pair has no meeting now,
    each at the time and table it had: calendars must learn they are off."""
    current = set(meetings_involving(participant).values_list("eu_id", "kr_id"))
    return _cancelled(participant, _removals(participant), current)


def calendar_uid(*, event_id: int, eu_id: int, kr_id: int, domain: str) -> str:
    """One entry per pair and event, whoever downloads it and however often the schedule is
    generated again: calendars update it instead of adding a duplicate."""
    return f"meeting-{event_id}-{eu_id}-{kr_id}@{domain}"


def _one_line(text: str) -> str:
    # Calendar names, titles and places are one line in every calendar program; a line break
    # typed into an event's name must not break the file (extension properties such as
    # X-WR-CALNAME are not escaped by the library).
    return " ".join(text.split())


def _table_at(place: str, table: int) -> str:
    return _("%(place)s, table %(table)s") % {"place": place, "table": table}


def agenda_ical(
    *,
    participant: Participant,
    items: list[AgendaItem],
    domain: str,
    cancellations: bool = True,
) -> bytes:
    """An iCalendar file (RFC 5545): one entry per meeting in `items`, times in UTC, and,
    with `cancellations`, one cancelled entry (same UID, higher SEQUENCE) per meeting called
    off since publication whose pair has no meeting now."""
    event = participant.event
    calendar = Calendar()
    calendar.add("prodid", "-//Cluster Match//Matchmaking agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _one_line(f"{event.name}: {participant.actor.name}"))
    stamp = dt.datetime.now(dt.UTC)
    place = _("Online") if event.online else _one_line(event.place)
    removals = _removals(participant)
    current = {(item.meeting.eu_id, item.meeting.kr_id) for item in items}
    cancelled = _cancelled(participant, removals, current) if cancellations else []
    for item in items:
        meeting = item.meeting
        pair = (meeting.eu_id, meeting.kr_id)
        entry = CalendarEvent()
        entry.add(
            "uid",
            calendar_uid(event_id=event.pk, eu_id=pair[0], kr_id=pair[1], domain=domain),
        )
        entry.add(
            "sequence",
            # A pair cancelled and placed again: the new entry outranks the cancelled one.
            max(
                _sequence(meeting.updated_at),
                removals[pair].sequence + 1 if pair in removals else 0,
            ),
        )
        entry.add("dtstamp", stamp)
        entry.add("dtstart", item.starts.astimezone(dt.UTC))
        entry.add("dtend", item.ends.astimezone(dt.UTC))
        entry.add(
            "summary",
            _one_line(_("Meeting with %(name)s") % {"name": item.counterpart.actor.name}),
        )
        description = f"{item.late}\n\n{item.reason}" if item.late else item.reason
        at_table = _table_at(place, meeting.table)
        if item.video:
            entry.add("url", item.video)
            description = _("Video: %(address)s") % {"address": item.video} + f"\n\n{description}"
            # Online, the video room is where the meeting takes place.
            entry.add("location", item.video if event.online else at_table)
        else:
            entry.add("location", at_table)
        entry.add("description", description)
        calendar.add_component(entry)
    for gone in cancelled:
        entry = CalendarEvent()
        entry.add(
            "uid",
            calendar_uid(event_id=event.pk, eu_id=gone.eu_id, kr_id=gone.kr_id, domain=domain),
        )
        entry.add("sequence", removals[(gone.eu_id, gone.kr_id)].sequence)
        entry.add("status", "CANCELLED")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", gone.starts.astimezone(dt.UTC))
        entry.add("dtend", gone.ends.astimezone(dt.UTC))
        entry.add(
            "summary",
            _one_line(
                _("Cancelled: meeting with %(name)s") % {"name": gone.counterpart.actor.name}
            ),
        )
        entry.add("location", _table_at(place, gone.table) if gone.table else place)
        entry.add(
            "description",
            _("This meeting was cancelled by %(who)s.") % {"who": gone.cancelled_by}
            if gone.cancelled_by
            else _("This meeting was cancelled."),
        )
        calendar.add_component(entry)
    return calendar.to_ical()
