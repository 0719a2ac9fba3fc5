"""Shortlists: the candidates a user keeps for one of their organisations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from directory.models import Actor
from directory.rules import is_published
from matching.models import ShortlistEntry


def shortlist_for(*, owner, actor: Actor) -> QuerySet[ShortlistEntry]:
    return (
        ShortlistEntry.objects.filter(owner=owner, actor=actor)
        .select_related("candidate", "candidate__region")
        .order_by("created_at")
    )


def shortlist_add(*, owner, actor: Actor, candidate: Actor, note: str = "") -> ShortlistEntry:
    if candidate.pk == actor.pk:
        raise ValidationError("An organisation cannot shortlist itself.", code="self")
    if not is_published(candidate.status):
        raise ValidationError("Only published profiles can be shortlisted.", code="unpublished")
    entry, created = ShortlistEntry.objects.get_or_create(
        owner=owner, actor=actor, candidate=candidate, defaults={"note": note}
    )
    if not created and note:
        entry.note = note
        entry.save(update_fields=["note", "updated_at"])
    return entry


def shortlist_remove(*, owner, actor: Actor, candidate: Actor) -> bool:
    deleted, _ = ShortlistEntry.objects.filter(
        owner=owner, actor=actor, candidate=candidate
    ).delete()
    return bool(deleted)


def shortlist_note_set(*, owner, actor: Actor, candidate: Actor, note: str) -> ShortlistEntry:
    entry = ShortlistEntry.objects.get(owner=owner, actor=actor, candidate=candidate)
    entry.note = note
    entry.save(update_fields=["note", "updated_at"])
    return entry
