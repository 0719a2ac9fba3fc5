"""After the event: was each meeting held, and what came of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Partnership, PartnershipKind
from directory.partnerships import partnership_key, partnership_record, partnerships_recorded
from events import clock
from events.models import FollowUp, Meeting


def meeting_outcome_record(
    *, meeting: Meeting, held: bool | None, follow_up: str = "", note: str = ""
) -> Meeting:
    if follow_up and follow_up not in FollowUp.values:
        raise ValidationError(
            _("'%(value)s' is not a follow-up.") % {"value": follow_up}, code="follow_up"
        )
    if held is not True and follow_up not in ("", FollowUp.NONE):
        raise ValidationError(
            _("A meeting that was not held cannot have a follow-up; mark it held first."),
            code="not_held",
        )
    meeting.held, meeting.follow_up, meeting.outcome_note = held, follow_up, note[:2000]
    meeting.save(update_fields=["held", "follow_up", "outcome_note", "updated_at"])
    return meeting


# From nothing to the most concrete; the participants' feedback gives the stronger of the two
# sides' answers (one side planning a project is worth following up).
FOLLOW_UP_STRENGTH = [FollowUp.NONE, FollowUp.TALKS, FollowUp.VISIT, FollowUp.MOU, FollowUp.PROJECT]


@dataclass(frozen=True)
class MeetingOutcome:
    """What the outcomes show for a meeting: the organisers' record, or where they recorded
    nothing, what the participants' feedback says."""

    held: bool | None
    follow_up: str
    from_feedback: bool
    feedback: dict  # side ('eu', 'kr') -> MeetingFeedback

    @property
    def follow_up_label(self) -> str:
        return FollowUp(self.follow_up).label if self.follow_up else ""


def meeting_outcome(meeting: Meeting) -> MeetingOutcome:
    """The organisers' record wins; without one, feedback from either side says the meeting
    was held, with the strongest follow-up the two sides gave."""
    given = {f.side: f for f in sorted(meeting.feedback.all(), key=lambda f: f.side)}
    if meeting.has_organiser_record or not given:
        return MeetingOutcome(meeting.held, meeting.follow_up, False, given)
    strongest = max(
        (f.follow_up for f in given.values() if f.follow_up),
        key=FOLLOW_UP_STRENGTH.index,
        default=FollowUp.NONE,
    )
    return MeetingOutcome(True, strongest, True, given)


def outcome_report(*, meetings: Sequence[Meeting]) -> dict:
    """Counts and the promising meetings among an event's meetings (as `meetings_of` gives).

    Each meeting gets its `outcome` (`meeting_outcome`), which the outcomes page shows."""
    prefetch_related_objects(list(meetings), "feedback")
    for m in meetings:
        m.outcome = meeting_outcome(m)
    held = [m for m in meetings if m.outcome.held is True]
    follow_ups = Counter(m.outcome.follow_up or FollowUp.NONE for m in held)
    return {
        "total": len(meetings),
        "held": len(held),
        "not_held": sum(m.outcome.held is False for m in meetings),
        "unknown": sum(m.outcome.held is None for m in meetings),
        "from_feedback": sum(m.outcome.from_feedback for m in meetings),
        "follow_ups": [(FollowUp(v).label, follow_ups[v]) for v in FollowUp.values],
        "promising": [m for m in held if m.outcome.follow_up not in ("", FollowUp.NONE)],
    }


# What a held meeting's follow-up says the two are now: an MoU is an agreement, a joint project
# a project; any other held meeting is a documented meeting at a matchmaking event.
_PARTNERSHIP_KINDS = {
    FollowUp.MOU: PartnershipKind.AGREEMENT,
    FollowUp.PROJECT: PartnershipKind.PROJECT,
}


@dataclass(frozen=True)
class PartnershipOffer:
    """What the outcomes page offers for one meeting: its kind, and whether it is recorded."""

    kind: str
    label: str
    recorded: bool


def meeting_partnership_kind(meeting: Meeting) -> str | None:
    """The partnership kind a meeting's outcome documents, or None for one not (yet) held."""
    if meeting.held is not True:
        return None
    return _PARTNERSHIP_KINDS.get(meeting.follow_up, PartnershipKind.EVENT_MEETING)


def meeting_partnership_source(meeting: Meeting) -> str:
    """Where the partnership is written down: this event, the meeting's day and its follow-up.
    Stored with the partnership, in the language of the organiser who records it."""
    said = {
        "event": meeting.event.name,
        "day": clock.long_date(meeting.slot.session.date),
        "follow_up": meeting.get_follow_up_display(),
    }
    if meeting.follow_up not in ("", FollowUp.NONE):
        return _("%(event)s: meeting of %(day)s, follow-up: %(follow_up)s") % said
    return _("%(event)s: meeting of %(day)s") % said


def meeting_partnership_record(*, meeting: Meeting, by=None) -> tuple[Partnership, bool]:
    """Record the meeting's two actors as partners, of the kind its outcome says, with the event
    as the source. Returns (partnership, created); doing it twice records nothing new."""
    kind = meeting_partnership_kind(meeting)
    if kind is None:
        raise ValidationError(
            _("Only a held meeting can be recorded as a partnership; record it as held first."),
            code="not_held",
        )
    day = meeting.slot.session.date
    if day > timezone.now().astimezone(meeting.event.zone).date():
        raise ValidationError(
            _("This meeting is on %(day)s: record it as a partnership once it has taken place.")
            % {"day": clock.long_date(day)},
            code="future",
        )
    return partnership_record(
        actor=meeting.eu.actor, partner=meeting.kr.actor, kind=kind,
        source=meeting_partnership_source(meeting), since=day, by=by,
    )  # fmt: skip


def partnership_offers(
    *, meetings: Sequence[Meeting]
) -> list[tuple[Meeting, PartnershipOffer | None]]:
    """Each meeting with the partnership its outcome offers to record (held meetings only)."""
    kinds = {m.pk: meeting_partnership_kind(m) for m in meetings}
    recorded = partnerships_recorded(
        pairs=[(m.eu.actor_id, m.kr.actor_id) for m in meetings if kinds[m.pk]]
    )
    labels = dict(PartnershipKind.choices)

    def offer(meeting: Meeting) -> PartnershipOffer | None:
        kind = kinds[meeting.pk]
        if kind is None:
            return None
        key = partnership_key(a_id=meeting.eu.actor_id, b_id=meeting.kr.actor_id, kind=kind)
        return PartnershipOffer(kind=kind, label=labels[kind], recorded=key in recorded)

    return [(meeting, offer(meeting)) for meeting in meetings]
