"""What the directory tells people: curators hear of a manager's edit waiting for their
review. Sent once the edit is saved (`transaction.on_commit`). A manager who edits their
waiting proposal again replaces it: the curators then hear which fields it now changes, unless
that is what they were last told of this proposal (a second tweak of the description tells no
one again)."""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import ChangeStatus, PendingChange
from directory.proposals import LABELS, profile_snapshot
from directory.roles import CURATORS_GROUP, is_curator
from notifications.kinds import register, register_audience
from notifications.language import in_language_of
from notifications.models import Notification
from notifications.service import message_body, notify

EDIT_WAITING = "directory.edit_waiting"


def register_kinds() -> None:
    register(
        EDIT_WAITING,
        label=gettext_lazy("Profile edits waiting for your review"),
        audience="curators",
    )
    # Who the settings page offers the kinds of each audience ("organisers": `events`).
    register_audience("curators", includes=is_curator)
    register_audience("managers", includes=is_manager)


def is_manager(user) -> bool:
    """Manages at least one organisation (curators edit any, but are not told as managers)."""
    return bool(user.is_authenticated and user.managed_actors.exists())


def curators(*, but=None) -> list:
    """The active curators (the Curators group, and superusers), less `but`."""
    found = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=CURATORS_GROUP))
        .distinct()
        .order_by("pk")
    )
    return [user for user in found if but is None or user.pk != but.pk]


def render(name: str, context: dict, *, app: str = "directory") -> str:
    """A message body from `<app>/notifications/<name>.txt`, with at most one blank line
    between paragraphs (the template's tags leave more)."""
    return message_body(f"{app}/notifications/{name}.txt", context)


def edit_waiting(*, change: PendingChange) -> None:
    """After a manager's edit is held for review, or their waiting proposal replaced by a new
    one: every curator is told what waits now."""
    change_id = change.pk
    transaction.on_commit(lambda: _edit_waiting(change_id=change_id), robust=True)


def _last_told(*, user, change: PendingChange) -> tuple[int, str]:
    """How many messages `user` had about this proposal, and the fields the last one named
    (as the digest in its key; "" when none)."""
    keys = list(
        Notification.objects.filter(
            recipient=user, kind=EDIT_WAITING, dedupe_key__startswith=f"{EDIT_WAITING}:{change.pk}:"
        )
        .order_by("-pk")
        .values_list("dedupe_key", flat=True)
    )
    return len(keys), (keys[0].split(":")[-2] if keys else "")


def _edit_waiting(*, change_id: int) -> None:
    change = (
        PendingChange.objects.select_related("actor", "author")
        .filter(pk=change_id, status=ChangeStatus.PENDING)
        .first()
    )
    if change is None:
        return
    current = profile_snapshot(actor=change.actor)
    # Field names only: the values may hold contact persons, which stay on the review page.
    changed = [
        name
        for name in LABELS
        if name in change.proposed and change.proposed[name] != current.get(name)
    ]
    # The message says which fields wait; a curator is told again only when that changes
    # (a second tweak of the same description is no news; a switch to the website is). The
    # digest is of the English labels whatever the curator reads, as it always was.
    with translation.override("en"):
        english = [str(LABELS[name]) for name in changed]
    digest = hashlib.sha256("\n".join(english).encode()).hexdigest()[:16]
    author = change.author
    context = {
        "actor": change.actor,
        "author": (author.get_full_name().strip() or author.get_username()) if author else "",
    }
    for user in curators(but=author):
        count, last = _last_told(user=user, change=change)
        if last == digest:
            continue
        replaced = count > 0
        # Each curator reads it in their own language, whoever made the edit.
        with in_language_of(user):
            fields = [str(LABELS[name]) for name in changed]
            if replaced:
                subject = _("The edit of %(name)s waiting for your review has changed")
            else:
                subject = _("An edit of %(name)s waits for your review")
            subject %= {"name": change.actor.name}
            body = render("edit_waiting", {**context, "fields": fields, "replaced": replaced})
            notify(
                recipient=user,
                kind=EDIT_WAITING,
                subject=subject,
                body=body,
                link=f"{reverse('curation_review')}#change-{change.pk}",
                # The count keeps a return to fields told before (A, then B, then A) news, and
                # two deliveries of the same call one message.
                dedupe_key=f"{EDIT_WAITING}:{change.pk}:{digest}:{count}",
            )
