"""Managers' edits: live at once, or held as a `PendingChange` for a curator to review.

Whether an edit waits depends on the actor's own setting or, by default, the global one. A
change holds the whole proposed profile (the fields a manager may edit, sector and interest
codes, contacts), so a curator reviews it against the profile as it is when they look
(`curation.review`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.bilingual import in_reader_language
from directory.models import (
    Actor,
    ChangeStatus,
    CurationSettings,
    EditReview,
    Interest,
    PendingChange,
    Sector,
)
from directory.snapshots import CONTACT_FIELDS, LINK_FIELDS, actor_snapshot

PROFILE_FIELDS = ("name_ko", "description", "description_ko", "keywords", "website")
# Held in Korean: the review and history pages mark them lang="ko".
KOREAN_FIELDS = frozenset({"name_ko", "description_ko"})
LIST_FIELDS = LINK_FIELDS
# Stored on the contact as its source: data, kept in one language like the rest of the records.
MANAGER_SOURCE = "entered by the organisation's manager on Cluster Match"
# What `profile_snapshot` reads, for querysets of actors (or of changes, under "actor__").
SNAPSHOT_PREFETCH = ("sectors", "offers", "seeks", "contacts")
# Lazy: each reader (a curator's review page, a curator's message) sees them in their language.
LABELS = {
    "name_ko": _("Korean name"),
    "description": _("Description"),
    "description_ko": _("Korean description"),
    "keywords": _("Keywords"),
    "website": _("Website"),
    "sectors": _("Sectors"),
    "offers": _("Cooperation offered"),
    "seeks": _("Cooperation sought"),
    "contacts": _("Contact persons"),
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
    return actor_snapshot(actor=actor, fields=[*PROFILE_FIELDS, *LIST_FIELDS, "contacts"], raw=True)


def list_labels() -> dict[str, dict[str, str]]:
    """Code -> label for each list field, to show a proposal's codes as people read them (in
    the reader's language, as Sector.display_label gives it)."""
    sectors, interests = (
        {
            code: in_reader_language(english=label, korean=label_ko)
            for code, label, label_ko in model.objects.values_list("code", "label", "label_ko")
        }
        for model in (Sector, Interest)
    )
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


def waiting_change(*, actor: Actor, author) -> PendingChange | None:
    """The author's proposal for this actor that no curator has reviewed yet."""
    if not getattr(author, "is_authenticated", False):
        return None
    return PendingChange.objects.filter(
        actor=actor, author=author, status=ChangeStatus.PENDING
    ).first()


def proposal_form_initial(*, proposed: dict) -> tuple[dict, list[dict]]:
    """A proposal as initial data for the profile form and the contact forms, so that a manager
    editing again starts from what they proposed, not from the live profile."""
    taxonomy = {"sectors": Sector, "offers": Interest, "seeks": Interest}
    initial = {name: proposed[name] for name in PROFILE_FIELDS if name in proposed}
    for name, model in taxonomy.items():
        if name in proposed:
            initial[name] = list(model.objects.filter(code__in=proposed[name]))
    people = [
        {f: person.get(f, "") for f in CONTACT_FIELDS} for person in proposed.get("contacts", [])
    ]
    return initial, people


@transaction.atomic
def change_submit(*, actor: Actor, author, proposed: dict) -> PendingChange | None:
    """Hold the proposal for review; a newer proposal replaces the author's waiting one.

    Returns None when the proposal changes nothing; the author's waiting proposal, if any, is
    then withdrawn.
    """
    # Compared with the stored profile: validating a model form has already copied the
    # proposed text onto the `actor` instance the edit page holds.
    waiting = waiting_change(actor=actor, author=author)
    if proposed == profile_snapshot(actor=Actor.objects.get(pk=actor.pk)):
        # Back to the live profile: a proposal still waiting would undo that if approved.
        if waiting:
            waiting.delete()
        return None
    from directory.notices import edit_waiting  # the notices read this module

    if waiting:
        waiting.proposed = proposed
        waiting.created_at = timezone.now()
        waiting.save(update_fields=["proposed", "created_at"])
        # The curators were told of the proposal as it was: they hear what waits now.
        edit_waiting(change=waiting)
        return waiting
    change = PendingChange.objects.create(actor=actor, author=author, proposed=proposed)
    edit_waiting(change=change)
    return change
