"""An actor's history (who changed what, when) and restoring an earlier version.

The records come from django-simple-history: every save of an actor or a contact person, from
the site, the admin, an import or a merge, writes one; sector and interest links are versioned
with the actor.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from directory.models import Actor, ContactPerson, Interest, Sector
from directory.review import contacts_apply

LINKS = {
    "sectors": ("sector_id", Sector),
    "offers": ("interest_id", Interest),
    "seeks": ("interest_id", Interest),
}
SKIPPED = {"id", "created_at", "updated_at"}
KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class HistoryEntry:
    record: object  # a HistoricalActor
    kind: str
    who: str
    reason: str
    changes: list[tuple[str, str, str]]  # (field, before, after)


def _links(record) -> dict[str, set[int]]:
    return {
        name: {getattr(row, column) for row in getattr(record, name).all()}
        for name, (column, _) in LINKS.items()
    }


def _label(name: str, ids: set[int]) -> str:
    model = LINKS[name][1]
    return ", ".join(sorted(model.objects.filter(pk__in=ids).values_list("label", flat=True)))


def actor_history(*, actor_id: int) -> list[HistoryEntry]:
    """Newest first; each entry lists the fields it changed against the one before it."""
    records = list(
        Actor.history.filter(id=actor_id).select_related("history_user").order_by("-history_date")
    )
    fields = [f.name for f in Actor._meta.concrete_fields if f.name not in SKIPPED]
    entries = []
    for record, before in zip(records, [*records[1:], None], strict=True):
        changes = []
        for name in fields:
            old = getattr(before, name, "") if before else ""
            new = getattr(record, name)
            if before is None and new in ("", None):
                continue
            if old != new:
                changes.append(
                    (name, "" if old is None else str(old), "" if new is None else str(new))
                )
        now, then = _links(record), (_links(before) if before else {k: set() for k in LINKS})
        for name in LINKS:
            if now[name] != then[name]:
                changes.append((name, _label(name, then[name]), _label(name, now[name])))
        entries.append(
            HistoryEntry(
                record=record,
                kind=KINDS.get(record.history_type, record.history_type),
                who=record.history_user.get_username() if record.history_user else "system",
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def contact_history(*, actor_id: int):
    return (
        ContactPerson.history.filter(actor_id=actor_id)
        .select_related("history_user")
        .order_by("-history_date")
    )


@transaction.atomic
def actor_restore(*, record, user) -> Actor:
    """Bring the actor back to `record`: its fields, its links, and its contacts as they were."""
    actor = Actor.objects.filter(pk=record.id).first() or Actor(pk=record.id)
    for field in Actor._meta.concrete_fields:
        if field.name not in SKIPPED:
            setattr(actor, field.attname, getattr(record, field.attname))
    actor._history_user = user
    actor._change_reason = f"restored the version of {record.history_date:%Y-%m-%d %H:%M:%S} UTC"
    actor.save()
    links = _links(record)
    for name, (_, model) in LINKS.items():
        getattr(actor, name).set(model.objects.filter(pk__in=links[name]))
    people = [
        {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone}
        for c in ContactPerson.history.as_of(record.history_date).filter(actor_id=actor.pk)
    ]
    contacts_apply(actor=actor, people=people, user=user)
    return actor
