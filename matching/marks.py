"""What an organisation's ranking leaves out or marks: the candidates it set aside ("not
relevant", "already in contact") and its known partners.

The Find partners page, its exports, the API ranking and "more like this" all ask these
functions, through `matching.ranking.actor_ranking` and `matching.similar.more_like_this`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Actor, Partnership, PartnershipKind
from directory.rules import is_published
from matching.engine import Filters
from matching.models import CandidateMark


def marks_of(*, actor: Actor) -> QuerySet[CandidateMark]:
    """The candidates `actor` set aside, latest first, with who marked them."""
    return CandidateMark.objects.filter(actor=actor).select_related(
        "candidate", "candidate__region", "marked_by"
    )


def mark_of(*, actor: Actor, candidate: Actor) -> CandidateMark | None:
    return CandidateMark.objects.filter(actor=actor, candidate=candidate).first()


def set_aside_ids(*, actor_id: int) -> set[int]:
    marks = CandidateMark.objects.filter(actor_id=actor_id)
    return set(marks.values_list("candidate_id", flat=True))


def mark_set(
    *, actor: Actor, candidate: Actor, kind: str, reason: str = "", by
) -> tuple[CandidateMark, bool]:
    """Set `candidate` aside for `actor`. Returns (mark, changed): the same kind again with no new
    reason changes nothing (not even who and when); another kind or reason replaces the mark."""
    if candidate.pk == actor.pk:
        raise ValidationError(_("An organisation cannot set itself aside."), code="self")
    if candidate.side == actor.side:
        # Rankings only ever show the other side: a mark here would hide nothing.
        raise ValidationError(
            _("Only candidates from the other side can be set aside."), code="same_side"
        )
    if not is_published(candidate.status):
        raise ValidationError(_("Only published profiles can be set aside."), code="unpublished")
    reason = reason.strip()
    with transaction.atomic():
        mark = (
            CandidateMark.objects.select_for_update()
            .filter(actor=actor, candidate=candidate)
            .first()
        )
        if mark is not None and mark.kind == kind and reason in ("", mark.reason):
            return mark, False
        mark = mark or CandidateMark(actor=actor, candidate=candidate)
        mark.kind, mark.reason, mark.marked_by, mark.marked_at = kind, reason, by, timezone.now()
        mark.full_clean()
        try:
            with transaction.atomic():
                mark.save()
        except IntegrityError:
            # Another manager marked it at the same moment: theirs stands.
            return CandidateMark.objects.get(actor=actor, candidate=candidate), False
    return mark, True


def mark_remove(*, actor: Actor, candidate: Actor) -> bool:
    """Bring `candidate` back into `actor`'s ranking; False if it was not set aside."""
    deleted, _ = CandidateMark.objects.filter(actor=actor, candidate=candidate).delete()
    return bool(deleted)


def known_partners(*, actor_id: int) -> dict[int, str]:
    """Each recorded partner of `actor_id`, with the kinds of tie in words ("joint project"),
    in the active language."""
    labels = {value: str(label) for value, label in PartnershipKind.choices}
    kinds: dict[int, set[str]] = {}
    rows = Partnership.objects.filter(Q(first_id=actor_id) | Q(second_id=actor_id)).values_list(
        "first_id", "second_id", "kind"
    )
    for first, second, kind in rows:
        kinds.setdefault(second if first == actor_id else first, set()).add(labels.get(kind, kind))
    return {partner: "; ".join(sorted(found)) for partner, found in kinds.items()}


def leaving_out(
    *, filters: Filters, actor_id: int, set_aside: bool, partners: Iterable[int] = ()
) -> Filters:
    """`filters` that also leave out what `actor_id` set aside (if `set_aside`) and `partners`."""
    exclude = set(filters.exclude) | set(partners)
    if set_aside:
        exclude |= set_aside_ids(actor_id=actor_id)
    return replace(filters, exclude=frozenset(exclude))


def marks_move(*, keep: Actor, remove: Actor) -> None:
    """Marks follow a merge: `remove`'s marks become `keep`'s, and marks on `remove` mark `keep`.
    A mark the kept side already has stands; one that would mark an actor itself goes."""
    for mark in CandidateMark.objects.filter(Q(actor=remove) | Q(candidate=remove)):
        actor_id = keep.pk if mark.actor_id == remove.pk else mark.actor_id
        candidate_id = keep.pk if mark.candidate_id == remove.pk else mark.candidate_id
        taken = CandidateMark.objects.filter(actor_id=actor_id, candidate_id=candidate_id)
        if actor_id == candidate_id or taken.exists():
            mark.delete()
        else:
            mark.actor_id, mark.candidate_id = actor_id, candidate_id
            mark.save(update_fields=["actor", "candidate"])
