"""A participant's personal agenda: when, where, with whom, and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.dashboard import meetings_involving
from events.models import Meeting, Participant
from matching.pairs import pair_scorer


@dataclass
class AgendaItem:
    meeting: Meeting
    starts: dt.datetime  # in the event's time zone
    ends: dt.datetime
    counterpart: Participant
    score: float
    reason: str

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def participant_meetings(participant: Participant) -> QuerySet[Meeting]:
    return (
        meetings_involving(participant)
        .select_related("slot__session", "eu__actor", "kr__actor", "event")
        .order_by("slot__starts_at")
    )


def participant_agenda(*, participant: Participant) -> list[AgendaItem]:
    """Each meeting with the reason told from this participant's side."""
    meetings = list(participant_meetings(participant))
    zone = participant.event.zone
    others = [m.kr if m.eu_id == participant.pk else m.eu for m in meetings]
    scorer = pair_scorer(actor_ids=[participant.actor_id, *(o.actor_id for o in others)])
    items = []
    for meeting, other in zip(meetings, others, strict=True):
        fit = scorer.fit(participant.actor_id, other.actor_id)
        items.append(
            AgendaItem(
                meeting=meeting,
                starts=meeting.slot.starts_at.astimezone(zone),
                ends=meeting.slot.ends_at.astimezone(zone),
                counterpart=other,
                score=fit.score,
                reason=fit.reason,
            )
        )
    return items


SEQUENCE_EPOCH = int(dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp())


def _one_line(text: str) -> str:
    # Calendar names, titles and places are one line in every calendar program; a line break
    # typed into an event's name must not break the file (extension properties such as
    # X-WR-CALNAME are not escaped by the library).
    return " ".join(text.split())


def agenda_ical(*, participant: Participant, items: list[AgendaItem], domain: str) -> bytes:
    """An iCalendar file (RFC 5545) with one event per meeting, times in UTC."""
    event = participant.event
    calendar = Calendar()
    calendar.add("prodid", "-//Cluster Match//Matchmaking agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _one_line(f"{event.name}: {participant.actor.name}"))
    stamp = dt.datetime.now(dt.UTC)
    place = "Online" if event.online else _one_line(event.place)
    for item in items:
        entry = CalendarEvent()
        meeting = item.meeting
        # One entry per pair and event, whoever downloads it and however often the schedule
        # is generated again: calendars update it instead of adding a duplicate.
        entry.add("uid", f"meeting-{event.pk}-{meeting.eu_id}-{meeting.kr_id}@{domain}")
        # Seconds since 2020 of the meeting's last change: grows with every change, fits
        # the 32-bit integer calendar programs expect.
        entry.add("sequence", max(0, int(meeting.updated_at.timestamp()) - SEQUENCE_EPOCH))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", item.starts.astimezone(dt.UTC))
        entry.add("dtend", item.ends.astimezone(dt.UTC))
        entry.add("summary", _one_line(f"Meeting with {item.counterpart.actor.name}"))
        entry.add("location", f"{place}, table {item.meeting.table}")
        entry.add("description", item.reason)
        calendar.add_component(entry)
    return calendar.to_ical()
