"""Known partnerships between actors: the one place that records, lists and removes them.

A partnership is stored once per pair and kind, with the lower actor id first, so callers never
care which way round they name the two actors.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Actor, Partnership, Status
from directory.roles import is_curator
from directory.search import actor_search

# Older ties than this are typing slips (a year 0201 for 2021), not history the directory holds.
SINCE_EARLIEST = datetime.date(1950, 1, 1)
# How many actors the partner list offers at once; a search narrows it.
PARTNER_CHOICES_MAX = 300


@dataclass(frozen=True)
class KnownPartner:
    """One line of an actor's "Known partnerships": the tie and the actor on the other end."""

    partnership: Partnership
    partner: Actor


def partnerships_of(*, actor: Actor) -> QuerySet[Partnership]:
    """Every partnership `actor` is part of, most recent first (undated ones last, on every
    database), with both actors loaded."""
    return (
        Partnership.objects.filter(Q(first=actor) | Q(second=actor))
        .select_related("first", "second")
        .order_by(F("since").desc(nulls_last=True), "-recorded_at", "pk")
    )


def partnerships_shown(*, actor: Actor, user) -> list[KnownPartner]:
    """What `user` sees of `actor`'s partnerships: curators every one; everybody else only those
    whose partner is published, so a draft or withdrawn profile's name never leaks."""
    rows = partnerships_of(actor=actor)
    if not is_curator(user):
        rows = rows.filter(
            Q(first=actor, second__status=Status.PUBLISHED)
            | Q(second=actor, first__status=Status.PUBLISHED)
        )
    return [KnownPartner(partnership=row, partner=row.other(actor.pk)) for row in rows]


def can_see_partnership_notes(user) -> bool:
    # A note may say who negotiated what: members' reading, like contact persons.
    return bool(user.is_authenticated and user.is_active)


def partner_ids(*, actor_id: int) -> set[int]:
    """The ids of the actors `actor_id` has any recorded partnership with."""
    rows = Partnership.objects.filter(Q(first_id=actor_id) | Q(second_id=actor_id)).values_list(
        "first_id", "second_id"
    )
    return {b if a == actor_id else a for a, b in rows}


def partnership_key(*, a_id: int, b_id: int, kind: str) -> tuple[int, int, str]:
    """How a pair and kind is stored (lower id first), to look one up in `partnerships_recorded`."""
    return (min(a_id, b_id), max(a_id, b_id), kind)


def partnerships_recorded(*, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int, str]]:
    """Of the actor id pairs given (either way round), the (first, second, kind) keys already
    recorded: one query for a whole event's meetings."""
    wanted = {(min(a, b), max(a, b)) for a, b in pairs}
    if not wanted:
        return set()
    ids = {i for pair in wanted for i in pair}
    rows = Partnership.objects.filter(first_id__in=ids, second_id__in=ids).values_list(
        "first_id", "second_id", "kind"
    )
    return {row for row in rows if (row[0], row[1]) in wanted}


def partnership_check(*, actor: Actor | None, partner: Actor | None, since) -> None:
    """The rules of a partnership beyond each field's own: never an actor with itself, and a
    start date that is neither a typing slip in the distant past nor in the future."""
    errors: dict[str, str] = {}
    if actor is not None and partner is not None and actor.pk == partner.pk:
        errors["partner"] = _("An actor cannot be its own partner.")
    if since is not None:
        # Tomorrow here may already be today where it was signed (Seoul is 8 hours ahead).
        latest = timezone.localdate() + datetime.timedelta(days=1)
        if since < SINCE_EARLIEST:
            errors["since"] = _(
                "A date before %(year)s is most likely a typing slip; "
                "leave the date empty if it is not known."
            ) % {"year": SINCE_EARLIEST.year}
        elif since > latest:
            errors["since"] = _(
                "The date is in the future; record the partnership once it has started or been "
                "signed."
            )
    if errors:
        raise ValidationError(errors)


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
    pair and kind recorded twice keeps the first row (its source and date are not overwritten).
    Raises ValidationError, keyed by field where there is one, for anything unstorable."""
    partnership_check(actor=actor, partner=partner, since=since)
    first, second = sorted((actor, partner), key=lambda a: a.pk)
    partnership = Partnership(
        first=first, second=second, kind=kind, source=(source or "").strip(), since=since,
        note=(note or "").strip(), recorded_by=by,
    )  # fmt: skip
    # The text is checked before "already recorded": hostile text always gets its message.
    partnership.full_clean(validate_unique=False, validate_constraints=False)
    existing = Partnership.objects.filter(first=first, second=second, kind=kind).first()
    if existing:
        return existing, False
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


def partnership_as_initial(partnership: Partnership) -> dict:
    """A removed partnership as plain values (for the session), from which the recording form
    can be filled again: removing is undone by recording it anew."""
    return {
        "first": partnership.first_id,
        "second": partnership.second_id,
        "kind": partnership.kind,
        "since": partnership.since.isoformat() if partnership.since else "",
        "source": partnership.source,
        "note": partnership.note,
    }


def partnerships_move(*, remove: Actor, keep: Actor) -> tuple[int, int]:
    """Before `remove` is merged into `keep` (and deleted): its partnerships become `keep`'s.
    A tie with `keep` itself, or one `keep` already has, is dropped. Returns (moved, dropped).
    Call inside the merge's transaction."""
    moved = dropped = 0
    for row in partnerships_of(actor=remove).select_for_update(of=("self",)):
        other = row.other(remove.pk)
        if other.pk == keep.pk:
            row.delete()
            dropped += 1
            continue
        first_id, second_id, _ = partnership_key(a_id=keep.pk, b_id=other.pk, kind=row.kind)
        twin = Partnership.objects.filter(first_id=first_id, second_id=second_id, kind=row.kind)
        if twin.exists():
            row.delete()
            dropped += 1
            continue
        Partnership.objects.filter(pk=row.pk).update(first_id=first_id, second_id=second_id)
        moved += 1
    return moved, dropped


def partner_choices(*, actor: Actor, text: str = "") -> QuerySet[Actor]:
    """The actors offered as `actor`'s partner: those matching `text` (either side, best match
    first), or without a search those of the other side by name, since most ties the
    directory records are European-Korean. At most PARTNER_CHOICES_MAX."""
    others = Actor.objects.exclude(pk=actor.pk)
    found = actor_search(queryset=others, text=text)
    if "rank" in found.query.annotations:  # a search was made (not blank, not only ';')
        return found.order_by("-rank", "name")[:PARTNER_CHOICES_MAX]
    return others.exclude(side=actor.side).order_by("name")[:PARTNER_CHOICES_MAX]


__all__ = [
    "KnownPartner",
    "can_see_partnership_notes",
    "partner_choices",
    "partner_ids",
    "partnership_as_initial",
    "partnership_check",
    "partnership_key",
    "partnership_record",
    "partnership_remove",
    "partnerships_move",
    "partnerships_of",
    "partnerships_recorded",
    "partnerships_shown",
]
