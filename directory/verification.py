"""When a profile was last checked against its sources, and marking it checked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from common.history import history_attribute
from directory.models import Actor


@dataclass(frozen=True)
class Verification:
    date: datetime.date | None
    # Checked more than a year ago: the facts may have changed since.
    stale: bool


def year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def verification_of(*, last_verified: datetime.date | None, today: datetime.date | None = None):
    today = today or timezone.localdate()
    if last_verified is None:
        return Verification(date=None, stale=False)
    return Verification(date=last_verified, stale=last_verified < year_before(today))


def actor_mark_verified(*, actor: Actor, user) -> Actor:
    """A curator checked the profile today; the history records who."""
    with transaction.atomic():
        actor = Actor.objects.select_for_update().get(pk=actor.pk)
        actor.last_verified = timezone.localdate()
        history_attribute(actor, user=user, reason="marked as verified on the profile page")
        actor.save(update_fields=["last_verified", "updated_at"])
    return actor


__all__ = ["Verification", "actor_mark_verified", "verification_of", "year_before"]
