"""The organiser's view of an event: who takes part, who meets whom, how full the rooms are."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from directory.models import Actor, Kind, Side
from events.models import Event, Meeting, Participant, ParticipantStatus, Wish, WishLevel


@dataclass
class SlotUse:
    label: str
    meetings: int
    tables: int

    @property
    def percent(self) -> int:
        return round(100 * self.meetings / self.tables) if self.tables else 0


@dataclass
class WishShare:
    level: str
    total: int
    met: int

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0


def event_dashboard(*, event: Event) -> dict:
    participants = list(
        event.participants.select_related("actor")
        .annotate(
            eu_count=Count("eu_meetings", distinct=True),
            kr_count=Count("kr_meetings", distinct=True),
        )
        .order_by("actor__name")
    )
    accepted = [p for p in participants if p.status == ParticipantStatus.ACCEPTED]
    status_by_side = Counter((p.actor.side, p.status) for p in participants)
    sides = [
        {
            "side": label,
            "accepted": status_by_side[(value, ParticipantStatus.ACCEPTED)],
            "pending": status_by_side[(value, ParticipantStatus.PENDING)],
            "declined": status_by_side[(value, ParticipantStatus.DECLINED)],
        }
        for value, label in Side.choices
    ]
    kinds = Counter(Kind(p.actor.kind).label for p in accepted)
    sectors = Counter(
        label
        for label in Actor.sectors.through.objects.filter(
            actor__in=[p.actor_id for p in accepted]
        ).values_list("sector__label", flat=True)
    )
    meetings_per = sorted(
        ((p, p.eu_count + p.kr_count) for p in accepted), key=lambda pc: (pc[1], pc[0].actor.name)
    )
    met_pairs = set(event.meetings.values_list("eu_id", "kr_id"))
    shares = []
    for level in (WishLevel.MUST, WishLevel.LIKE):
        wishes = Wish.objects.filter(
            participant__event=event,
            level=level,
            participant__status=ParticipantStatus.ACCEPTED,
            target__status=ParticipantStatus.ACCEPTED,
        ).values_list("participant_id", "target_id", "participant__actor__side")
        pairs = [(a, b) if side == "eu" else (b, a) for a, b, side in wishes]
        shares.append(
            WishShare(
                level=WishLevel(level).label,
                total=len(pairs),
                met=sum(pair in met_pairs for pair in pairs),
            )
        )
    slot_use = [
        SlotUse(label=str(slot), meetings=slot.booked, tables=event.tables)
        for slot in event.slots.select_related("event").annotate(booked=Count("meetings"))
    ]
    return {
        "sides": sides,
        "kinds": kinds.most_common(),
        "sectors": sectors.most_common(12),
        "meetings_per": meetings_per,
        "without_meetings": [p for p, count in meetings_per if count == 0],
        "wish_shares": shares,
        "slot_use": slot_use,
        "meeting_count": event.meetings.count(),
        "pending": [p for p in participants if p.status == ParticipantStatus.PENDING],
    }


def participants_with_counts(event: Event):
    return (
        Participant.objects.filter(event=event)
        .select_related("actor", "actor__region")
        .annotate(
            meetings=Count("eu_meetings", distinct=True) + Count("kr_meetings", distinct=True),
            attendee_count=Count("attendees", distinct=True),
        )
        .order_by("actor__side", "actor__name")
    )


def meetings_of(event: Event) -> QuerySet[Meeting]:
    # slot__event: a round prints itself in the event's time zone, one query per row otherwise.
    return (
        Meeting.objects.filter(event=event)
        .select_related("slot__session", "slot__event", "eu__actor", "kr__actor")
        .order_by("slot__starts_at", "table")
    )


def meetings_involving(participant: Participant) -> QuerySet[Meeting]:
    """Its meetings on either side of the table."""
    return Meeting.objects.filter(Q(eu=participant) | Q(kr=participant))
