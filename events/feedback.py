"""After the event: each side rates its meetings and says what follows.

The organisers' outcomes read these answers (`events.outcomes.meeting_outcome`) wherever they
have not recorded an outcome themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import field_problem
from events import clock
from events.agenda import participant_meetings
from events.models import FollowUp, Meeting, MeetingFeedback, Participant

COMMENT_MAX = 1000
RATINGS = (1, 2, 3, 4, 5)


def side_of(*, meeting: Meeting, participant: Participant) -> str:
    if meeting.eu_id == participant.pk:
        return "eu"
    if meeting.kr_id == participant.pk:
        return "kr"
    raise ValidationError(_("This meeting is not one of this participant's."), code="foreign")


def _check_open(meeting: Meeting, now: dt.datetime) -> None:
    if meeting.slot.starts_at > now:
        zone = meeting.event.zone
        raise ValidationError(
            _(
                "This meeting starts at %(time)s on %(day)s; give your feedback once it has "
                "taken place."
            )
            % {
                "time": clock.clock(meeting.slot.starts_at, zone),
                "day": clock.day_full_month(meeting.slot.starts_at, zone),
            },
            code="future",
        )
    if meeting.held is False:
        raise ValidationError(
            _(
                "This meeting is recorded as not held, so there is nothing to rate; tell the "
                "organisers if it did take place."
            ),
            code="not_held",
        )


@transaction.atomic
def feedback_give(
    *,
    meeting: Meeting,
    participant: Participant,
    rating: int,
    follow_up: str,
    comment: str = "",
    by=None,
    now: dt.datetime | None = None,
) -> MeetingFeedback:
    """Record (or change) `participant`'s side's word on the meeting."""
    side = side_of(meeting=meeting, participant=participant)
    if rating not in RATINGS:
        raise ValidationError(
            _("Give a rating from 1 (not useful) to 5 (very useful)."), code="rating"
        )
    if follow_up not in FollowUp.values:
        raise ValidationError(_("Choose what follows from the list."), code="follow_up")
    problem = field_problem(_("The comment"), comment, max_length=COMMENT_MAX)
    if problem:
        raise ValidationError(problem, code="comment")
    _check_open(meeting, now or timezone.now())
    values = {"rating": rating, "follow_up": follow_up, "comment": comment.strip(), "given_by": by}
    try:
        with transaction.atomic():
            feedback, _created = MeetingFeedback.objects.update_or_create(
                meeting=meeting, side=side, defaults=values
            )
    except IntegrityError:
        # Two managers of one side saving at once: the second one's answer wins.
        feedback = MeetingFeedback.objects.get(meeting=meeting, side=side)
        for name, value in values.items():
            setattr(feedback, name, value)
        feedback.save()
    return feedback


@dataclass
class FeedbackItem:
    meeting: Meeting
    counterpart: Participant
    mine: MeetingFeedback | None
    open: bool  # feedback can be given now


def feedback_items(
    *, participant: Participant, now: dt.datetime | None = None
) -> list[FeedbackItem]:
    """The participant's meetings with its side's feedback; those begun and not recorded as
    not held are open for feedback."""
    now = now or timezone.now()
    meetings = list(participant_meetings(participant).prefetch_related("feedback"))
    items = []
    for meeting in meetings:
        side = side_of(meeting=meeting, participant=participant)
        mine = next((f for f in meeting.feedback.all() if f.side == side), None)
        items.append(
            FeedbackItem(
                meeting=meeting,
                counterpart=meeting.kr if side == "eu" else meeting.eu,
                mine=mine,
                open=meeting.slot.starts_at <= now and meeting.held is not False,
            )
        )
    return items
