"""Managers' edits and curators' review.

A manager's edit either goes live at once or waits as a `PendingChange`, depending on the actor's
own setting or, by default, the global one. The change holds the whole proposed profile (the
fields a manager may edit, sector and interest codes, contacts), so a curator reviews it as a
field-by-field diff against the profile as it is when they look, and approving applies it in one
transaction, recorded in the history under the curator's name with the author as the reason.
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

from directory.models import (
    Actor,
    ChangeStatus,
    ContactPerson,
    CurationSettings,
    EditReview,
    Interest,
    PendingChange,
    Sector,
)

PROFILE_FIELDS = ("description", "keywords", "website")
LIST_FIELDS = ("sectors", "offers", "seeks")
CONTACT_FIELDS = ("name", "role", "email", "phone")
MANAGER_SOURCE = "entered by the organisation's manager on Cluster Match"
# What `profile_snapshot` reads, for querysets of actors (or of changes, under "actor__").
SNAPSHOT_PREFETCH = ("sectors", "offers", "seeks", "contacts")
LABELS = {
    "description": "Description",
    "keywords": "Keywords",
    "website": "Website",
    "sectors": "Sectors",
    "offers": "Cooperation offered",
    "seeks": "Cooperation sought",
    "contacts": "Contact persons",
}


def edits_need_review(*, actor: Actor) -> bool:
    if actor.edit_review == EditReview.REVIEW:
        return True
    if actor.edit_review == EditReview.LIVE:
        return False
    return CurationSettings.current().review_manager_edits


def profile_snapshot(*, actor: Actor) -> dict:
    """The manager-editable part of a profile, in the shape of `PendingChange.proposed`.

    Reads the links and contacts through `.all()`, so an actor fetched with
    `SNAPSHOT_PREFETCH` costs no query (the review queue shows many).
    """
    return {
        **{name: getattr(actor, name) for name in PROFILE_FIELDS},
        **{name: sorted(item.code for item in getattr(actor, name).all()) for name in LIST_FIELDS},
        "contacts": [
            {f: getattr(c, f) for f in CONTACT_FIELDS}
            for c in sorted(actor.contacts.all(), key=lambda c: c.pk)
        ],
    }


def list_labels() -> dict[str, dict[str, str]]:
    """Code -> label for each list field, to show a proposal's codes as people read them."""
    sectors = dict(Sector.objects.values_list("code", "label"))
    interests = dict(Interest.objects.values_list("code", "label"))
    return {"sectors": sectors, "offers": interests, "seeks": interests}


def proposal_from_forms(*, form, contacts) -> dict:
    """What a valid profile form and contact formset would save, without saving it."""
    data = form.cleaned_data
    people = [
        {f: c.cleaned_data.get(f, "") for f in CONTACT_FIELDS}
        for c in contacts.forms
        if c.cleaned_data and not c.cleaned_data.get("DELETE") and c.cleaned_data.get("name")
    ]
    return {
        **{name: data[name] for name in PROFILE_FIELDS},
        **{name: sorted(item.code for item in data[name]) for name in LIST_FIELDS},
        "contacts": people,
    }


@transaction.atomic
def change_submit(*, actor: Actor, author, proposed: dict) -> PendingChange | None:
    """Hold the proposal for review; a newer proposal replaces the author's waiting one.

    Returns None when the proposal changes nothing.
    """
    # Compared with the stored profile: validating a model form has already copied the
    # proposed text onto the `actor` instance the edit page holds.
    if proposed == profile_snapshot(actor=Actor.objects.get(pk=actor.pk)):
        return None
    waiting = PendingChange.objects.filter(
        actor=actor, author=author, status=ChangeStatus.PENDING
    ).first()
    if waiting:
        waiting.proposed = proposed
        waiting.created_at = timezone.now()
        waiting.save(update_fields=["proposed", "created_at"])
        return waiting
    return PendingChange.objects.create(actor=actor, author=author, proposed=proposed)


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
    actor._history_user = user
    actor._change_reason = reason
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
            match._history_user = user
            match.full_clean(exclude=["actor"])
            match.save()
        kept.add(match.pk)
    for contact in existing:
        if contact.pk not in kept:
            contact._history_user = user
            contact.delete()


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
