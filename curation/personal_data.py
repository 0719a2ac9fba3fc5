"""Everything held on one person, and erasing it (GDPR Art. 15 and 17), history included."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from directory.models import ContactPerson, MergeRecord, PendingChange


def _match(*, email: str, name: str) -> Q:
    query = Q(pk__in=[])
    if email.strip():
        query |= Q(email__iexact=email.strip())
    if name.strip():
        query |= Q(name__iexact=name.strip())
    return query


def _attendee_match(*, email: str, name: str) -> Q:
    query = Q(pk__in=[])
    if email.strip():
        query |= Q(email__iexact=email.strip())
    if name.strip():
        first, _, last = name.strip().partition(" ")
        query |= Q(first_name__iexact=first, last_name__iexact=last)
    return query


def _in_proposal(person: dict, *, email: str, name: str) -> bool:
    return bool(
        (email.strip() and person.get("email", "").lower() == email.strip().lower())
        or (name.strip() and person.get("name", "").lower() == name.strip().lower())
    )


@dataclass
class PersonData:
    contacts: list[dict]
    history: list[dict]
    attendees: list[dict]
    proposals: list[dict]
    merges: list[dict]

    @property
    def found(self) -> bool:
        return bool(
            self.contacts or self.history or self.attendees or self.proposals or self.merges
        )

    def as_json(self) -> dict:
        return {
            "contact_persons": self.contacts,
            "contact_history": self.history,
            "event_attendees": self.attendees,
            "pending_profile_changes": self.proposals,
            "merge_records": self.merges,
        }


def person_data(*, email: str = "", name: str = "") -> PersonData:
    """Every record naming this person (by email or exact name), as plain data."""
    from events.models import Attendee

    match = _match(email=email, name=name)
    contacts = [
        {
            "actor": c.actor.slug, "name": c.name, "role": c.role, "email": c.email,
            "phone": c.phone, "legal_basis": c.get_legal_basis_display(), "source": c.source,
        }
        for c in ContactPerson.objects.filter(match).select_related("actor")
    ]  # fmt: skip
    history = [
        {
            "actor_id": h.actor_id, "name": h.name, "role": h.role, "email": h.email,
            "phone": h.phone, "changed_at": h.history_date.isoformat(), "change": h.history_type,
        }
        for h in ContactPerson.history.filter(match).order_by("history_date")
    ]  # fmt: skip
    attendees = [
        {
            "event": a.participant.event.name, "organisation": a.participant.actor.name,
            "first_name": a.first_name, "last_name": a.last_name, "job_title": a.job_title,
            "email": a.email, "phone": a.phone,
        }
        for a in Attendee.objects.filter(_attendee_match(email=email, name=name)).select_related(
            "participant__event", "participant__actor"
        )
    ]  # fmt: skip
    proposals = [
        {"actor": change.actor.slug, "submitted": change.created_at.isoformat(), "contact": p}
        for change in PendingChange.objects.select_related("actor")
        for p in change.proposed.get("contacts", [])
        if _in_proposal(p, email=email, name=name)
    ]
    merges = [
        {"merged": record.removed_slug, "merged_at": record.merged_at.isoformat(), "contact": p}
        for record in MergeRecord.objects.all()
        for p in _merged_people(record)
        if _in_proposal(p, email=email, name=name)
    ]
    return PersonData(
        contacts=contacts,
        history=history,
        attendees=attendees,
        proposals=proposals,
        merges=merges,
    )


def _merged_people(record: MergeRecord) -> list[dict]:
    """Contacts a merge record keeps: the removed actor's, and those in its pending changes."""
    removed = record.removed or {}
    people = list(removed.get("contacts", []))
    for change in removed.get("pending_changes", []):
        people.extend(change.get("proposed", {}).get("contacts", []))
    return people


def _scrub_merge_record(record: MergeRecord, *, email: str, name: str) -> int:
    removed = dict(record.removed or {})
    before = len(_merged_people(record))
    removed["contacts"] = [
        p for p in removed.get("contacts", []) if not _in_proposal(p, email=email, name=name)
    ]
    changes = []
    for change in removed.get("pending_changes", []):
        proposed = dict(change.get("proposed", {}))
        proposed["contacts"] = [
            p for p in proposed.get("contacts", []) if not _in_proposal(p, email=email, name=name)
        ]
        changes.append({**change, "proposed": proposed})
    if "pending_changes" in removed:
        removed["pending_changes"] = changes
    record.removed = removed
    gone = before - len(_merged_people(record))
    if gone:
        record.save(update_fields=["removed"])
    return gone


@transaction.atomic
def person_erase(*, email: str = "", name: str = "") -> dict[str, int]:
    """Delete the person everywhere: contacts, their history, attendee rows, pending proposals."""
    from events.models import Attendee

    if not email.strip() and not name.strip():
        raise ValueError(_("Give an email address or a name."))
    counts = {}
    contacts = ContactPerson.objects.filter(_match(email=email, name=name))
    ids = list(contacts.values_list("pk", flat=True))
    counts["contact_persons"] = contacts.delete()[0]
    # The deletion itself wrote history rows holding the data: remove every version.
    history = ContactPerson.history.filter(_match(email=email, name=name) | Q(id__in=ids))
    counts["contact_history"] = history.delete()[0]
    counts["event_attendees"] = Attendee.objects.filter(
        _attendee_match(email=email, name=name)
    ).delete()[0]
    scrubbed = 0
    for change in PendingChange.objects.all():
        people = change.proposed.get("contacts", [])
        kept = [p for p in people if not _in_proposal(p, email=email, name=name)]
        if len(kept) != len(people):
            change.proposed = {**change.proposed, "contacts": kept}
            change.save(update_fields=["proposed"])
            scrubbed += len(people) - len(kept)
    counts["pending_profile_changes"] = scrubbed
    counts["merge_records"] = sum(
        _scrub_merge_record(record, email=email, name=name) for record in MergeRecord.objects.all()
    )
    return counts
