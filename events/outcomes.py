"""After the event: was each meeting held, and what came of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.core.exceptions import ValidationError

from events.models import FollowUp, Meeting


def meeting_outcome_record(
    *, meeting: Meeting, held: bool | None, follow_up: str = "", note: str = ""
) -> Meeting:
    if follow_up and follow_up not in FollowUp.values:
        raise ValidationError(f"'{follow_up}' is not a follow-up.", code="follow_up")
    if held is not True and follow_up not in ("", FollowUp.NONE):
        raise ValidationError(
            "A meeting that was not held cannot have a follow-up; mark it held first.",
            code="not_held",
        )
    meeting.held, meeting.follow_up, meeting.outcome_note = held, follow_up, note[:2000]
    meeting.save(update_fields=["held", "follow_up", "outcome_note", "updated_at"])
    return meeting


def outcome_report(*, meetings: Sequence[Meeting]) -> dict:
    """Counts and the promising meetings among an event's meetings (as `meetings_of` gives)."""
    held = [m for m in meetings if m.held is True]
    follow_ups = Counter(m.follow_up or FollowUp.NONE for m in held)
    return {
        "total": len(meetings),
        "held": len(held),
        "not_held": sum(m.held is False for m in meetings),
        "unknown": sum(m.held is None for m in meetings),
        "follow_ups": [(FollowUp(v).label, follow_ups[v]) for v in FollowUp.values],
        "promising": [m for m in held if m.follow_up not in ("", FollowUp.NONE)],
    }
