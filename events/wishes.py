"""Wishes (must meet, would like, not interested), exclusions, and recommended counterparts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from events.models import (
    Event,
    Exclusion,
    Meeting,
    Participant,
    ParticipantStatus,
    Wish,
    WishLevel,
)
from matching.pairs import pair_scorer


def _check_pair(participant: Participant, target: Participant) -> None:
    if participant.event_id != target.event_id:
        raise ValidationError(_("Both participants must be in the same event."), code="event")
    if participant.actor.side == target.actor.side:
        raise ValidationError(
            _("Meetings are between a European and a Korean participant."), code="side"
        )


@transaction.atomic
def wishes_set(*, participant: Participant, levels: Mapping[int, str]) -> int:
    """Set this participant's wishes by target participant id; '' removes a wish.

    Returns how many wishes changed.
    """
    targets = Participant.objects.select_related("actor").in_bulk(list(levels))
    existing = {w.target_id: w for w in participant.wishes.all()}
    changed = 0
    for target_id, level in levels.items():
        if level and level not in WishLevel.values:
            raise ValidationError(
                _("'%(value)s' is not a wish.") % {"value": level[:40]}, code="level"
            )
        target = targets.get(target_id)
        if target is None:
            raise ValidationError(
                _("No participant %(number)s.") % {"number": target_id}, code="missing"
            )
        _check_pair(participant, target)
        wish = existing.get(target_id)
        if not level and wish:
            wish.delete()
            changed += 1
        elif level and wish is None:
            Wish.objects.create(participant=participant, target=target, level=level)
            changed += 1
        elif level and wish.level != level:
            wish.level = level
            wish.save(update_fields=["level", "updated_at"])
            changed += 1
    return changed


def exclusion_add(*, event: Event, first: Participant, second: Participant, reason: str = ""):
    _check_pair(first, second)
    if first.event_id != event.pk:
        raise ValidationError(_("Both participants must be in this event."), code="event")
    eu, kr = (first, second) if first.actor.side == "eu" else (second, first)
    try:
        with transaction.atomic():
            return Exclusion.objects.create(event=event, eu=eu, kr=kr, reason=reason[:300])
    except IntegrityError:
        raise ValidationError(
            _("%(european)s and %(korean)s are already excluded.")
            % {"european": eu.actor.name, "korean": kr.actor.name},
            code="duplicate",
        ) from None


def unwanted_meetings(*, participant: Participant) -> list[tuple[Meeting, Participant]]:
    """The participant's meetings with someone it is "not interested" in, each with that
    other participant (a wish set after scheduling leaves the meeting for a person to cancel)."""
    unwanted = participant.wishes.filter(level=WishLevel.NOT).values_list("target_id", flat=True)
    side, other = ("eu", "kr") if participant.actor.side == "eu" else ("kr", "eu")
    meetings = participant.event.meetings.filter(
        **{side: participant, f"{other}__in": list(unwanted)}
    ).select_related(f"{other}__actor")
    return [(m, getattr(m, other)) for m in meetings]


@dataclass
class Counterpart:
    participant: Participant
    score: float  # 0..1, the ranking score from this participant's side
    sentence: str
    wish: str  # this participant's wish about it, '' if none
    their_wish: str  # its wish about this participant

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def counterparts(*, participant: Participant, top: int | None = None) -> list[Counterpart]:
    """The other side's accepted participants, best fit first, each with its explanation."""
    others = {
        p.actor_id: p
        for p in Participant.objects.filter(
            event_id=participant.event_id, status=ParticipantStatus.ACCEPTED
        )
        .exclude(actor__side=participant.actor.side)
        .select_related("actor")
    }
    if not others:
        return []
    scorer = pair_scorer(actor_ids=[participant.actor_id, *others])
    fits = scorer.ranking(participant.actor_id, among=others, top=top)
    mine = dict(participant.wishes.values_list("target_id", "level"))
    theirs = dict(Wish.objects.filter(target=participant).values_list("participant_id", "level"))
    return [
        Counterpart(
            participant=others[fit.other_id],
            score=fit.score,
            sentence=fit.reason,
            wish=mine.get(others[fit.other_id].pk, ""),
            their_wish=theirs.get(others[fit.other_id].pk, ""),
        )
        for fit in fits
        if fit.other_id in others
    ]
