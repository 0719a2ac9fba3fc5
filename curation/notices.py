"""What curation tells people: a manager hears that a curator approved or rejected their
profile edit, with the curator's message. Sent once the review is saved
(`transaction.on_commit`), once per proposal."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import ChangeStatus, PendingChange
from directory.notices import render
from notifications.kinds import register
from notifications.language import in_language_of
from notifications.service import notify

EDIT_REVIEWED = "curation.edit_reviewed"


def register_kinds() -> None:
    register(
        EDIT_REVIEWED,
        label=gettext_lazy("Your profile edits approved or rejected"),
        audience="managers",
    )


def edit_reviewed(*, change: PendingChange) -> None:
    """After a curator approves or rejects an edit: its author is told, with the reason."""
    transaction.on_commit(lambda: _edit_reviewed(change_id=change.pk), robust=True)


def _edit_reviewed(*, change_id: int) -> None:
    change = (
        PendingChange.objects.select_related("actor", "author", "reviewer")
        .filter(pk=change_id, status__in=[ChangeStatus.APPROVED, ChangeStatus.REJECTED])
        .first()
    )
    if change is None or change.author is None or change.author_id == change.reviewer_id:
        return
    approved = change.status == ChangeStatus.APPROVED
    actor = change.actor
    context = {"actor": actor, "approved": approved, "message": change.message.strip()}
    # Written for the manager in their language, whatever the curator's.
    with in_language_of(change.author):
        if approved:
            subject = _("Your changes to the profile of %(name)s were approved")
        else:
            subject = _("Your changes to the profile of %(name)s were rejected")
        notify(
            recipient=change.author,
            kind=EDIT_REVIEWED,
            subject=subject % {"name": actor.name},
            body=render("edit_reviewed", context, app="curation"),
            link=reverse("actor_detail" if approved else "actor_edit", kwargs={"slug": actor.slug}),
            dedupe_key=f"{EDIT_REVIEWED}:{change.pk}",
        )
