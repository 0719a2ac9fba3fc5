"""Merge two records of one organisation into one (docs/curation-quality.md).

`merge_plan` says what a merge would do, field by field and relation by relation, without
changing anything (the confirmation page shows it); `actor_merge` does it in one transaction:
if any step fails (a participation conflict found after the children and contacts have
moved, a database error) nothing is left changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.history import history_attribute
from curation.join_review import join_requests_move
from directory.models import (
    Actor,
    ContactPerson,
    EditReview,
    JoinRequest,
    MergeRecord,
    PendingChange,
    Status,
)
from directory.partnerships import partnerships_move
from directory.rules import keywords_normalise, word_count
from directory.snapshots import CONTACT_ARCHIVE_FIELDS, actor_snapshot
from events.models import Participant
from matching.marks import marks_move
from matching.models import ShortlistEntry, ShortlistNote
from matching.shortlists import shortlist_merge_into

__all__ = ["FieldChoice", "MergePlan", "actor_merge", "merge_plan"]

SOURCE_MAX = Actor._meta.get_field("source").max_length

# Where each kept value came from.
KEPT, REMOVED, BOTH, SAME, NEITHER = "kept", "removed", "both", "same", "neither"


@dataclass(frozen=True)
class FieldChoice:
    """One field of the merged profile: both values shown, and which one wins."""

    name: str
    label: str
    kept: str
    removed: str
    result: str
    winner: str  # KEPT, REMOVED, BOTH (combined), SAME or NEITHER (both empty)


@dataclass
class MergePlan:
    keep: Actor
    remove: Actor
    values: dict[str, Any]  # attname -> value the kept actor gets
    fields: list[FieldChoice]
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def possible(self) -> bool:
        return not self.problems


# ----------------------------------------------------------------------------- field values


def _show(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, Actor):
        return value.name
    return str(value)


def _field_choices(keep: Actor, remove: Actor) -> tuple[dict[str, Any], list[FieldChoice]]:
    values: dict[str, Any] = {}
    choices: list[FieldChoice] = []

    def choose(
        name: str,
        label: str,
        result: Any,
        winner: str,
        *,
        show=_show,
        kept: Any = None,
        removed: Any = None,
    ) -> None:
        kept_value = getattr(keep, name) if kept is None else kept
        removed_value = getattr(remove, name) if removed is None else removed
        if winner not in (BOTH,) and show(kept_value) == show(removed_value):
            winner = SAME if show(kept_value) != "—" else NEITHER
        choices.append(
            FieldChoice(name, label, show(kept_value), show(removed_value), show(result), winner)
        )

    def richer(name: str, label: str, *, show=_show) -> None:
        """Non-empty beats empty; the kept actor's value wins a tie."""
        kept_value, removed_value = getattr(keep, name), getattr(remove, name)
        if kept_value in (None, "") and removed_value not in (None, ""):
            values[name] = removed_value
            choose(name, label, removed_value, REMOVED, show=show)
        else:
            choose(name, label, kept_value, KEPT, show=show)

    def labelled(name: str):
        labels = dict(Actor._meta.get_field(name).choices)
        return lambda value: _show(labels.get(value, value))

    # Identity: the record kept is the one the curator chose.
    choose("name", _("Name"), keep.name, KEPT)
    richer("name_ko", _("Korean name"))
    choose("slug", _("Address (slug)"), keep.slug, KEPT)
    choose("kind", _("Kind"), keep.kind, KEPT, show=labelled("kind"))
    choose("side", _("Side"), keep.side, KEPT, show=labelled("side"))
    choose("country", _("Country"), keep.country, KEPT, show=lambda v: _show(getattr(v, "name", v)))
    richer("acronym", _("Acronym"))

    show_status = labelled("status")
    if keep.status != Status.PUBLISHED and remove.status == Status.PUBLISHED:
        values["status"] = Status.PUBLISHED
        choose("status", _("Status"), Status.PUBLISHED, REMOVED, show=show_status)
    else:
        choose("status", _("Status"), keep.status, KEPT, show=show_status)

    # Parent: the kept one's, unless it has none or it is the removed actor itself.
    if keep.parent_id and keep.parent_id != remove.pk:
        choose("parent", _("Part of"), keep.parent, KEPT)
    elif remove.parent_id and remove.parent_id != keep.pk:
        values["parent_id"] = remove.parent_id
        choose("parent", _("Part of"), remove.parent, REMOVED)
    else:
        if keep.parent_id:
            values["parent_id"] = None
        choose("parent", _("Part of"), None, NEITHER if not keep.parent_id else REMOVED)

    # Place: taken from the removed actor only when it is in the same country.
    same_country = keep.country == remove.country
    if keep.region_id is None and remove.region_id is not None and same_country:
        values["region_id"] = remove.region_id
        choose("region", _("Region"), remove.region, REMOVED)
    else:
        choose("region", _("Region"), keep.region, KEPT)
    if not keep.city.strip() and remove.city.strip() and same_country:
        values["city"] = remove.city
        choose("city", _("City"), remove.city, REMOVED)
    else:
        choose("city", _("City"), keep.city, KEPT)
    point = lambda a: (  # noqa: E731
        f"{a.latitude}, {a.longitude}" if a.latitude is not None and a.longitude is not None else ""
    )
    if not point(keep) and point(remove) and same_country:
        values["latitude"], values["longitude"] = remove.latitude, remove.longitude
        winner, result = REMOVED, point(remove)
    else:
        winner, result = KEPT, point(keep)
    choose("coordinates", _("Coordinates"), result, winner, kept=point(keep), removed=point(remove))

    # Text: the longer description; keywords from both.
    def describe(text: str) -> str:
        if not text:
            return "—"
        words = word_count(text)
        return ngettext("%(count)d word: %(start)s", "%(count)d words: %(start)s", words) % {
            "count": words,
            "start": f"{text[:120]}{'…' if len(text) > 120 else ''}",
        }

    if len(remove.description.strip()) > len(keep.description.strip()):
        values["description"] = remove.description
        choose("description", _("Description"), remove.description, REMOVED, show=describe)
    else:
        choose("description", _("Description"), keep.description, KEPT, show=describe)
    if len(remove.description_ko.strip()) > len(keep.description_ko.strip()):
        values["description_ko"] = remove.description_ko
        choose(
            "description_ko", _("Korean description"), remove.description_ko, REMOVED, show=describe
        )
    else:
        choose("description_ko", _("Korean description"), keep.description_ko, KEPT, show=describe)
    keywords = keywords_normalise([keep.keywords, remove.keywords])
    if keywords != keywords_normalise(keep.keywords):
        values["keywords"] = keywords
        winner = BOTH if keep.keyword_list else REMOVED
    else:
        winner = KEPT
    choose("keywords", _("Keywords"), keywords, winner)

    richer("website", _("Website"))
    richer("founded", _("Founded"))
    richer("members", _("Members"))

    # Sources: both, when both exist and fit, since the merged facts come from both.
    kept_source, removed_source = keep.source.strip(), remove.source.strip()
    combined = f"{kept_source}; {removed_source}"
    if not kept_source and removed_source:
        values["source"] = removed_source
        choose("source", _("Source"), removed_source, REMOVED)
    elif (
        kept_source
        and removed_source
        and removed_source not in kept_source
        and len(combined) <= SOURCE_MAX
    ):
        values["source"] = combined
        choose("source", _("Source"), combined, BOTH)
    else:
        choose("source", _("Source"), keep.source, KEPT)

    if remove.last_verified and (
        keep.last_verified is None or remove.last_verified > keep.last_verified
    ):
        values["last_verified"] = remove.last_verified
        choose("last_verified", _("Last verified"), remove.last_verified, REMOVED)
    else:
        choose("last_verified", _("Last verified"), keep.last_verified, KEPT)

    show_review = labelled("edit_review")
    if keep.edit_review == EditReview.DEFAULT and remove.edit_review != EditReview.DEFAULT:
        values["edit_review"] = remove.edit_review
        choose("edit_review", _("Managers' edits"), remove.edit_review, REMOVED, show=show_review)
    else:
        choose("edit_review", _("Managers' edits"), keep.edit_review, KEPT, show=show_review)
    return values, choices


# ----------------------------------------------------------------------------- relations


def _parent_cycle(keep: Actor, remove: Actor, parent_id: int | None) -> str:
    """Why the merged actor would end up its own ancestor, or ''."""
    chain: list[str] = []
    seen: set[int] = set()
    current = parent_id
    while current is not None and current not in seen:
        if current in (keep.pk, remove.pk):
            path = " → ".join([keep.name, *chain, keep.name])
            return _(
                "Merging would make %(name)s part of itself (%(path)s). Change a parent first."
            ) % {"name": keep.name, "path": path}
        seen.add(current)
        row = Actor.objects.filter(pk=current).values_list("name", "parent_id").first()
        if row is None:
            break
        chain.append(row[0])
        current = row[1]
    return ""


def _same_person(contact: ContactPerson, others: list[ContactPerson]) -> ContactPerson | None:
    email = contact.email.strip().casefold()
    name = " ".join(contact.name.split()).casefold()
    for other in others:
        if email and other.email.strip().casefold() == email:
            return other
        if name and " ".join(other.name.split()).casefold() == name:
            return other
    return None


def _contact_actions(keep: Actor, remove: Actor):
    """(contacts to move, [(duplicate, the kept actor's contact it repeats)])."""
    kept = list(ContactPerson.objects.filter(actor=keep))
    moves, duplicates = [], []
    for contact in ContactPerson.objects.filter(actor=remove).order_by("pk"):
        twin = _same_person(contact, kept)
        if twin is None:
            moves.append(contact)
            kept.append(contact)  # two identical contacts on the removed actor: keep one
        else:
            duplicates.append((contact, twin))
    return moves, duplicates


def _shortlist_actions(keep: Actor, remove: Actor):
    """([(entry, new actor id, new candidate id)], [(entry, entry it duplicates or None)])."""
    entries = ShortlistEntry.objects.filter(actor=remove) | ShortlistEntry.objects.filter(
        candidate=remove
    )
    entries = list(entries.order_by("created_at", "pk"))
    if not entries:
        return [], []
    # Shortlists are the organisation's: one entry per (organisation, candidate).
    pairs = {(e.actor_id, e.candidate_id) for e in entries}
    touched = {a for a, _c in pairs} | {c for _a, c in pairs} | {keep.pk}
    existing = {
        (e.actor_id, e.candidate_id): e
        for e in ShortlistEntry.objects.filter(actor_id__in=touched, candidate_id__in=touched)
        .exclude(actor=remove)
        .exclude(candidate=remove)
    }
    moves, drops = [], []
    for entry in entries:
        actor_id = keep.pk if entry.actor_id == remove.pk else entry.actor_id
        candidate_id = keep.pk if entry.candidate_id == remove.pk else entry.candidate_id
        key = (actor_id, candidate_id)
        if actor_id == candidate_id:
            drops.append((entry, None))  # the organisation would shortlist itself
        elif key in existing:
            drops.append((entry, existing[key]))
        else:
            moves.append((entry, actor_id, candidate_id))
            existing[key] = entry
    return moves, drops


def _participation_problems(keep: Actor, remove: Actor) -> list[str]:
    theirs = list(Participant.objects.filter(actor=remove).select_related("event"))
    if not theirs:
        return []
    problems = []
    both = set(
        Participant.objects.filter(
            actor=keep, event_id__in=[p.event_id for p in theirs]
        ).values_list("event_id", flat=True)
    )
    for p in theirs:
        if p.event_id in both:
            problems.append(
                _(
                    "Both %(kept)s and %(removed)s take part in the event “%(event)s”: "
                    "remove one of them from it first (with its wishes and meetings)."
                )
                % {"kept": keep.name, "removed": remove.name, "event": p.event.name}
            )
    if keep.side != remove.side:
        names = ", ".join(f"“{p.event.name}”" for p in theirs)
        problems.append(
            _(
                "%(removed)s takes part in %(events)s on the other side from %(kept)s: "
                "its meetings cannot change side. Remove it from the event first."
            )
            % {"removed": remove.name, "events": names, "kept": keep.name}
        )
    return problems


def _sides_problem(keep: Actor, remove: Actor) -> str | None:
    """A European and a Korean profile are not merged: if one body was recorded on the wrong
    side, a curator corrects that profile's side (and country) first, deliberately."""
    if keep.side == remove.side:
        return None
    return _(
        "%(kept)s is %(kept_side)s and %(removed)s is %(removed_side)s: correct the side of "
        "the one recorded wrongly (in the admin), then merge."
    ) % {
        "kept": keep.name,
        "kept_side": keep.get_side_display(),
        "removed": remove.name,
        "removed_side": remove.get_side_display(),
    }


def merge_plan(*, keep: Actor, remove: Actor) -> MergePlan:
    """What merging `remove` into `keep` would do; changes nothing."""
    if keep.pk == remove.pk:
        return MergePlan(
            keep, remove, {}, [], problems=[_("An actor cannot be merged with itself.")]
        )
    values, fields = _field_choices(keep, remove)
    problems = []
    sides = _sides_problem(keep, remove)
    if sides:
        problems.append(sides)
    cycle = _parent_cycle(keep, remove, values.get("parent_id", keep.parent_id))
    if cycle:
        problems.append(cycle)
    problems += _participation_problems(keep, remove)
    contacts, duplicate_contacts = _contact_actions(keep, remove)
    shortlist_moves, shortlist_drops = _shortlist_actions(keep, remove)
    counts = {
        "children": Actor.objects.filter(parent=remove).exclude(pk=keep.pk).count(),
        "contacts": len(contacts),
        "duplicate_contacts": len(duplicate_contacts),
        "shortlists": len(shortlist_moves),
        "dropped_shortlists": len(shortlist_drops),
        # Notes on an entry that would shortlist the organisation itself have nowhere to go:
        # the curator is shown how many go with it before confirming.
        "deleted_shortlist_notes": ShortlistNote.objects.filter(
            entry__in=[entry for entry, twin in shortlist_drops if twin is None]
        ).count(),
        "participations": Participant.objects.filter(actor=remove).count(),
        "managers": remove.managers.exclude(pk__in=keep.managers.values("pk")).count(),
        "sectors": remove.sectors.exclude(pk__in=keep.sectors.values("pk")).count(),
        "offers": remove.offers.exclude(pk__in=keep.offers.values("pk")).count(),
        "seeks": remove.seeks.exclude(pk__in=keep.seeks.values("pk")).count(),
        "pending_changes": PendingChange.objects.filter(actor=remove).count(),
        "merge_records": MergeRecord.objects.filter(kept=remove).count(),
        "join_requests": JoinRequest.objects.filter(actor=remove).count(),
    }
    return MergePlan(keep, remove, values, fields, counts=counts, problems=problems)


# ----------------------------------------------------------------------------- the merge


def _snapshot(actor: Actor) -> dict[str, Any]:
    """The removed actor as it was, for the MergeRecord: fields, links, contacts, managers and
    the proposals waiting on it."""
    data = actor_snapshot(actor=actor, contact_fields=CONTACT_ARCHIVE_FIELDS)
    data["managers"] = sorted(actor.managers.values_list("username", flat=True))
    data["pending_changes"] = [
        {
            "id": change.pk,
            "author_id": change.author_id,
            "created_at": change.created_at.isoformat(),
            "status": change.status,
            "proposed": change.proposed,
        }
        for change in PendingChange.objects.filter(actor=actor).order_by("pk")
    ]
    return data


def actor_merge(*, keep: Actor, remove: Actor, user) -> MergeRecord:
    """Merge `remove` into `keep` and delete it; all or nothing.

    Raises ValidationError (nothing changed) for a self-merge, a parent cycle, or an event
    both take part in.
    """
    if keep.pk == remove.pk:
        raise ValidationError(_("An actor cannot be merged with itself."), code="self")
    by = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        # Lock both rows (in id order, so two merges cannot deadlock) and read them afresh.
        locked = {
            a.pk: a
            for a in Actor.objects.select_for_update()
            .filter(pk__in=[keep.pk, remove.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise ValidationError(_("One of the two actors no longer exists."), code="gone")
        keep, remove = locked[keep.pk], locked[remove.pk]
        sides = _sides_problem(keep, remove)
        if sides:
            raise ValidationError(sides, code="sides")
        values, _fields = _field_choices(keep, remove)
        cycle = _parent_cycle(keep, remove, values.get("parent_id", keep.parent_id))
        if cycle:
            raise ValidationError(cycle, code="cycle")
        snapshot = _snapshot(remove)

        # Children: the removed actor's members and units become the kept one's.
        for child in Actor.objects.filter(parent=remove).exclude(pk=keep.pk):
            child.parent = keep
            reason = f"parent {remove.slug} merged into {keep.slug}"
            history_attribute(child, user=by, reason=reason)
            child.save(update_fields=["parent", "updated_at"])

        # Contacts: moved, except repeats of a kept contact, which only fill its gaps.
        moves, duplicates = _contact_actions(keep, remove)
        for contact in moves:
            contact.actor = keep
            history_attribute(contact, user=by).save(update_fields=["actor"])
        for duplicate, twin in duplicates:
            gaps = [f for f in ("role", "email", "phone", "source") if not getattr(twin, f)]
            filled = [f for f in gaps if getattr(duplicate, f)]
            for f in filled:
                setattr(twin, f, getattr(duplicate, f))
            if filled:
                history_attribute(twin, user=by).save(update_fields=filled)

        # Shortlists: re-pointed; entries that would repeat one or shortlist itself go.
        shortlist_moves, shortlist_drops = _shortlist_actions(keep, remove)
        for entry, twin in shortlist_drops:
            if twin is not None:
                shortlist_merge_into(entry=entry, twin=twin)
            entry.delete()
        for entry, actor_id, candidate_id in shortlist_moves:
            entry.actor_id, entry.candidate_id = actor_id, candidate_id
            entry.save(update_fields=["actor", "candidate", "updated_at"])
        # Candidates set aside on Find partners: re-pointed the same way.
        marks_move(keep=keep, remove=remove)
        # Known partnerships: the kept profile's now (a tie between the two themselves goes).
        partnerships_move(remove=remove, keep=keep)
        # Requests to manage it: a waiting claim is decided on the kept profile.
        join_requests_move(keep=keep, remove=remove)

        # Event participations, with their wishes and meetings (they point at the
        # participation): refused when both take part in one event.
        problems = _participation_problems(keep, remove)
        if problems:
            raise ValidationError(problems, code="events")
        Participant.objects.filter(actor=remove).update(actor=keep)

        MergeRecord.objects.filter(kept=remove).update(kept=keep)

        # Links and fields, saved once so the history shows one "merged" change.
        keep.skip_history_when_saving = True
        try:
            keep.sectors.add(*remove.sectors.all())
            keep.offers.add(*remove.offers.all())
            keep.seeks.add(*remove.seeks.all())
            keep.managers.add(*remove.managers.all())
        finally:
            del keep.skip_history_when_saving
        for name, value in values.items():
            setattr(keep, name, value)
        history_attribute(keep, user=by, reason=f"merged {remove.slug}")
        keep.save()

        record = MergeRecord.objects.create(
            kept=keep,
            removed_slug=remove.slug,
            removed_name=remove.name,
            removed=snapshot,
            merged_by=by,
        )
        history_attribute(remove, user=by, reason=f"merged into {keep.slug}")
        remove.delete()
    return record
