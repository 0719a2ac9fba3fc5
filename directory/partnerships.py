"""Known partnerships between actors: the one place that records, lists and removes them.

A partnership is stored once per pair and kind, with the lower actor id first, so callers never
care which way round they name the two actors.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from directory.models import Actor, Partnership


def partnerships_of(*, actor: Actor) -> QuerySet[Partnership]:
    """Every partnership `actor` is part of, most recent first, with both actors loaded."""
    return Partnership.objects.filter(Q(first=actor) | Q(second=actor)).select_related(
        "first", "second"
    )


def partner_ids(*, actor_id: int) -> set[int]:
    """The ids of the actors `actor_id` has any recorded partnership with."""
    rows = Partnership.objects.filter(Q(first_id=actor_id) | Q(second_id=actor_id)).values_list(
        "first_id", "second_id"
    )
    return {b if a == actor_id else a for a, b in rows}


def partnership_record(
    *,
    actor: Actor,
    partner: Actor,
    kind: str,
    source: str,
    since: datetime.date | None = None,
    note: str = "",
    by=None,
) -> tuple[Partnership, bool]:
    """Record that `actor` and `partner` are partners. Returns (partnership, created): the same
    pair and kind recorded twice keeps the first row (its source and date are not overwritten)."""
    if actor.pk == partner.pk:
        raise ValidationError("An actor cannot be its own partner.")
    first, second = sorted((actor, partner), key=lambda a: a.pk)
    existing = Partnership.objects.filter(first=first, second=second, kind=kind).first()
    if existing:
        return existing, False
    partnership = Partnership(
        first=first, second=second, kind=kind, source=source, since=since, note=note,
        recorded_by=by,
    )  # fmt: skip
    partnership.full_clean()
    try:
        with transaction.atomic():
            partnership.save()
    except IntegrityError:
        # Recorded at the same moment by someone else: theirs stands.
        return Partnership.objects.get(first=first, second=second, kind=kind), False
    return partnership, True


def partnership_remove(*, partnership_id: int) -> bool:
    """Remove one recorded partnership; False if it was already gone."""
    deleted, _ = Partnership.objects.filter(pk=partnership_id).delete()
    return bool(deleted)
