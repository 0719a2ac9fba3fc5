"""Models of the matching app: shortlists, and matchmaking events with their schedule."""

from matching.models.events import (
    Attendee,
    Event,
    EventSession,
    Exclusion,
    FollowUp,
    Meeting,
    Participant,
    ParticipantStatus,
    ScheduleRun,
    TimeSlot,
    Wish,
    WishLevel,
)
from matching.models.shortlists import ShortlistEntry

__all__ = [
    "Attendee",
    "Event",
    "EventSession",
    "Exclusion",
    "FollowUp",
    "Meeting",
    "Participant",
    "ParticipantStatus",
    "ScheduleRun",
    "ShortlistEntry",
    "TimeSlot",
    "Wish",
    "WishLevel",
]
