"""Everything held on one person, and erasing it (GDPR Art. 15 and 17), history included."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Trim
from django.utils.translation import gettext as _

from directory.models import (
    ContactPerson,
    EmailConfirmation,
    JoinKind,
    JoinRequest,
    MergeRecord,
    PendingChange,
)
from notifications.models import UserLanguage


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


def _accounts(*, email: str, name: str) -> QuerySet:
    """User accounts of this person: their address in any case, or their full name (first and
    last name) in any case. Spaces inside the typed name are taken as one."""
    query = Q(pk__in=[])
    if email.strip():
        query |= Q(email__iexact=email.strip())
    if name.strip():
        query |= Q(full_name__iexact=" ".join(name.split()))
    # Trimmed: an account with a first name only is found by it alone.
    full_name = Trim(Concat("first_name", Value(" "), "last_name"))
    return get_user_model().objects.annotate(full_name=full_name).filter(query).order_by("pk")


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
    # Kept as records for the page (labels in the reader's language, dates, admin links);
    # `as_json` writes them as plain data.
    accounts: list
    joins: list[JoinRequest]
    confirmations: list[EmailConfirmation]

    @property
    def found(self) -> bool:
        return bool(
            self.contacts
            or self.history
            or self.attendees
            or self.proposals
            or self.merges
            or self.accounts
        )

    def as_json(self) -> dict:
        return {
            "contact_persons": self.contacts,
            "contact_history": self.history,
            "event_attendees": self.attendees,
            "pending_profile_changes": self.proposals,
            "merge_records": self.merges,
            "user_accounts": [_account_json(user) for user in self.accounts],
            "join_requests": [_join_json(join) for join in self.joins],
            "confirmed_email_addresses": [
                {
                    "account": c.user.get_username(),
                    "email": c.email,
                    "confirmed_at": c.confirmed_at.isoformat(),
                }
                for c in self.confirmations
            ],
        }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _account_json(user) -> dict:
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "email": user.email,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        # The language chosen with the language switch; none if never chosen.
        "language": user.stored_language,
    }


def _join_json(join: JoinRequest) -> dict:
    register = join.kind == JoinKind.REGISTER
    return {
        "account": join.user.get_username(),
        "kind": join.kind,
        "actor": join.actor.slug if join.actor else None,
        "proposed_organisation": (join.proposed or {}).get("name", "") if register else None,
        # A registration's organisation as the person typed it.
        "proposed": join.proposed if register else None,
        "role": join.role,
        "message": join.message,
        "status": join.status,
        "reason": join.reason,
        "created_at": _iso(join.created_at),
        "decided_at": _iso(join.reviewed_at),
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
    users = list(
        _accounts(email=email, name=name).annotate(
            stored_language=Subquery(
                UserLanguage.objects.filter(user=OuterRef("pk")).values("language")[:1]
            )
        )
    )
    return PersonData(
        contacts=contacts,
        history=history,
        attendees=attendees,
        proposals=proposals,
        merges=merges,
        accounts=users,
        joins=list(
            JoinRequest.objects.filter(user__in=users)
            .select_related("user", "actor")
            .order_by("user_id", "created_at", "pk")
        ),
        confirmations=list(
            EmailConfirmation.objects.filter(user__in=users)
            .select_related("user")
            .order_by("user_id", "confirmed_at", "pk")
        ),
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
    """Delete the person everywhere: contacts, their history, attendee rows, pending proposals,
    and their accounts' join requests and confirmed addresses (not the accounts)."""
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
    # The accounts themselves stay: deleting one cascades into shortlists, marks and event
    # records other people rely on, so it is a separate decision in the admin. A manager role
    # an approved claim granted is on the actor and stays too.
    users = _accounts(email=email, name=name).values("pk")
    counts["join_requests"] = _deleted(JoinRequest.objects.filter(user__in=users), JoinRequest)
    counts["email_confirmations"] = _deleted(
        EmailConfirmation.objects.filter(user__in=users), EmailConfirmation
    )
    return counts


def _deleted(rows: QuerySet, model) -> int:
    """How many rows of `model` itself were deleted (not what the deletion cascaded into)."""
    return rows.delete()[1].get(model._meta.label, 0)
