"""Curators' review of managers' edits (proposed in `directory.proposals`).

A curator sees each waiting change as a field-by-field diff against the profile as it is when
they look; approving applies it in one transaction, recorded in the history under the curator's
name with the author as the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from common.history import history_attribute
from directory.models import (
    Actor,
    ChangeStatus,
    ContactPerson,
    Interest,
    PendingChange,
    Sector,
)
from directory.proposals import (
    CONTACT_FIELDS,
    LABELS,
    LIST_FIELDS,
    MANAGER_SOURCE,
    PROFILE_FIELDS,
    list_labels,
    profile_snapshot,
)


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    before: str
    after: str

    def marked(self) -> tuple[str, str]:
        """Both texts as HTML with the removed words in <del> and the added ones in <ins>."""
        # Words and line breaks as tokens, so a contact added on a new line is one insertion.
        old, new = re.findall(r"\S+|\n", self.before), re.findall(r"\S+|\n", self.after)
        left, right = [], []
        for op, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            a, b = escape(" ".join(old[i1:i2])), escape(" ".join(new[j1:j2]))
            if op == "equal":
                left.append(a)
                right.append(b)
            else:
                if a:
                    left.append(f"<del>{a}</del>")
                if b:
                    right.append(f"<ins>{b}</ins>")
        as_html = lambda parts: mark_safe(  # noqa: E731, S308 - every part is escaped above
            " ".join(parts).replace(" \n ", "<br>").replace("\n", "<br>")
        )
        return as_html(left), as_html(right)


def _as_text(name: str, value, *, labels: dict[str, dict[str, str]]) -> str:
    if name in LIST_FIELDS:
        return ", ".join(labels[name].get(code, code) for code in value)
    if name == "contacts":
        return "\n".join(
            " · ".join(part for part in (p["name"], p["role"], p["email"], p["phone"]) if part)
            for p in value
        )
    return value or ""


def change_diff(
    *, change: PendingChange, labels: dict[str, dict[str, str]] | None = None
) -> list[FieldDiff]:
    """Only the fields the proposal changes, against the profile as it is now.

    `labels` (from `list_labels`) lets a page of many changes load the taxonomy once.
    """
    current = profile_snapshot(actor=change.actor)
    labels = list_labels() if labels is None else labels
    return [
        FieldDiff(
            field=name,
            label=LABELS[name],
            before=_as_text(name, current[name], labels=labels),
            after=_as_text(name, change.proposed.get(name, current[name]), labels=labels),
        )
        for name in (*PROFILE_FIELDS, *LIST_FIELDS, "contacts")
        if change.proposed.get(name, current[name]) != current[name]
    ]


def profile_apply(*, actor: Actor, proposed: dict, user, reason: str) -> None:
    """Write a proposal to the profile: what approving a manager's change does.

    Live edits (directory/views.py actor_edit) save their forms instead: the contact formset
    knows each row by its id, so a renamed contact stays the same row with its legal basis and
    source, whereas a proposal has no ids and `contacts_apply` matches contacts by name and
    email.
    """
    for name in PROFILE_FIELDS:
        setattr(actor, name, proposed[name])
    history_attribute(actor, user=user, reason=reason)
    actor.full_clean(exclude=["slug"])
    actor.save()
    actor.sectors.set(Sector.objects.filter(code__in=proposed["sectors"]))
    actor.offers.set(Interest.objects.filter(code__in=proposed["offers"]))
    actor.seeks.set(Interest.objects.filter(code__in=proposed["seeks"]))
    contacts_apply(actor=actor, people=proposed["contacts"], user=user)


def contacts_apply(
    *, actor: Actor, people: list[dict], user, fields: tuple[str, ...] = CONTACT_FIELDS
) -> None:
    """Make the contacts match `people`, writing `fields` of each, keeping the rows that stay.

    With the default fields (what a manager edits) a kept row keeps its legal basis and
    source, and a new one is recorded as the manager's; a restore passes those two as well.
    """
    existing = list(actor.contacts.order_by("pk"))
    kept: set[int] = set()
    for person in people:
        match = next(
            (
                c
                for c in existing
                if c.pk not in kept
                and c.name == person["name"]
                and (c.email == person["email"] or not c.email or not person["email"])
            ),
            None,
        )
        if match is None:
            match = ContactPerson(actor=actor, source=MANAGER_SOURCE)
        changed = match.pk is None or any(getattr(match, f) != person[f] for f in fields)
        for f in fields:
            setattr(match, f, person[f])
        if changed:
            history_attribute(match, user=user)
            match.full_clean(exclude=["actor"])
            match.save()
        kept.add(match.pk)
    for contact in existing:
        if contact.pk not in kept:
            history_attribute(contact, user=user).delete()


@transaction.atomic
def change_approve(*, change: PendingChange, reviewer, message: str = "") -> None:
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PENDING:
        raise ValidationError("This change was already reviewed.", code="reviewed")
    author = change.author.get_username() if change.author else "a former user"
    proposed = {**profile_snapshot(actor=change.actor), **change.proposed}
    profile_apply(
        actor=change.actor,
        proposed=proposed,
        user=reviewer,
        reason=f"approved edit by {author}",
    )
    change.status = ChangeStatus.APPROVED
    change.reviewer, change.reviewed_at, change.message = reviewer, timezone.now(), message[:1000]
    change.save(update_fields=["status", "reviewer", "reviewed_at", "message"])


@transaction.atomic
def change_reject(*, change: PendingChange, reviewer, message: str) -> None:
    if not message.strip():
        raise ValidationError("Tell the manager why the change is rejected.", code="message")
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PENDING:
        raise ValidationError("This change was already reviewed.", code="reviewed")
    change.status = ChangeStatus.REJECTED
    change.reviewer, change.reviewed_at, change.message = reviewer, timezone.now(), message[:1000]
    change.save(update_fields=["status", "reviewer", "reviewed_at", "message"])
