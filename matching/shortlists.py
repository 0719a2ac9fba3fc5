"""Shortlists: the candidates an organisation keeps, shared by all its managers, each with a
status (to contact, contacted, met, partner) and the team's notes."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Actor
from directory.rules import is_published
from matching.models import STATUS_ORDER, ShortlistEntry, ShortlistNote, ShortlistStatus

STATUS_KIND = "matching.shortlist"


def person_name(user) -> str:
    """How a teammate is named on the shortlist and in messages."""
    if user is None:
        return _("a former user")
    return user.get_full_name() or user.get_username()


def shortlist_for(*, actor: Actor) -> QuerySet[ShortlistEntry]:
    return (
        ShortlistEntry.objects.filter(actor=actor)
        .select_related("candidate", "candidate__region", "added_by", "status_changed_by")
        .prefetch_related(
            Prefetch("notes", queryset=ShortlistNote.objects.select_related("author"))
        )
        .order_by("created_at", "pk")
    )


def shortlisted_ids(*, actor: Actor) -> set[int]:
    return set(ShortlistEntry.objects.filter(actor=actor).values_list("candidate_id", flat=True))


def entry_of(*, actor: Actor, candidate_slug: str) -> ShortlistEntry | None:
    return (
        ShortlistEntry.objects.select_related("candidate", "actor")
        .filter(actor=actor, candidate__slug=candidate_slug)
        .first()
    )


def shortlist_add(
    *, actor: Actor, candidate: Actor, by, note: str = ""
) -> tuple[ShortlistEntry, bool]:
    """Put `candidate` on `actor`'s shortlist (once), with `note` as a first note by `by`.
    Returns the entry and whether it is new."""
    if candidate.pk == actor.pk:
        raise ValidationError(_("An organisation cannot shortlist itself."), code="self")
    if not is_published(candidate.status):
        raise ValidationError(_("Only published profiles can be shortlisted."), code="unpublished")
    with transaction.atomic():
        entry, created = ShortlistEntry.objects.get_or_create(
            actor=actor, candidate=candidate, defaults={"added_by": by}
        )
        if note.strip():
            shortlist_note_add(entry=entry, author=by, text=note)
    return entry, created


def notes_of_others(*, entry: ShortlistEntry, user) -> list[ShortlistNote]:
    """The notes on `entry` that someone other than `user` wrote (or a former user): what
    `user` removing the entry would delete of their colleagues' words."""
    return list(
        ShortlistNote.objects.filter(entry_id=entry.pk)
        .exclude(author_id=user.pk)
        .select_related("author")
        .order_by("written_at", "pk")
    )


def shortlist_remove(*, actor: Actor, candidate: Actor, by, confirmed: Iterable[int] = ()) -> bool:
    """Take `candidate` off `actor`'s shortlist, with its notes. Returns False when it was not
    on the list (removed already).

    Nothing a colleague wrote goes unseen: when the entry holds notes by others, the removal
    needs `confirmed`, the ids of the notes `by` was shown; a note missing from it (written
    since) refuses the removal with a ValidationError of code "confirm"."""
    with transaction.atomic():
        entry = (
            ShortlistEntry.objects.select_for_update()
            .filter(actor=actor, candidate=candidate)
            .first()
        )
        if entry is None:
            return False
        seen = set(confirmed)
        unseen = [note for note in notes_of_others(entry=entry, user=by) if note.pk not in seen]
        if unseen:
            raise ValidationError(
                _("Notes by other people would be deleted with this entry: confirm first."),
                code="confirm",
            )
        entry.delete()
    return True


def shortlist_note_add(*, entry: ShortlistEntry, author, text: str) -> ShortlistNote:
    text = text.strip()
    if not text:
        raise ValidationError(_("Write something in the note first."), code="empty")
    note = ShortlistNote(entry=entry, author=author, text=text)
    note.full_clean(exclude=["entry", "author"])
    note.save()
    ShortlistEntry.objects.filter(pk=entry.pk).update(updated_at=timezone.now())
    return note


def shortlist_note_delete(*, note: ShortlistNote, by) -> None:
    """A note goes only at its author's hand: it is their words."""
    if note.author_id != by.pk:
        raise ValidationError(_("Only the person who wrote a note can delete it."), code="author")
    note.delete()


def status_later(first: str, second: str) -> str:
    """The status further along of two (when two entries merge into one)."""
    return max(first, second, key=STATUS_ORDER.index)


def shortlist_status_set(
    *, entry: ShortlistEntry, status: str, by, tell_others: bool = True
) -> bool:
    """Set where things stand with the candidate. With `tell_others`, the organisation's other
    managers are told (never the person who made the change). Returns whether it changed."""
    if status not in STATUS_ORDER:
        raise ValidationError(_("Choose one of the statuses offered."), code="invalid")
    with transaction.atomic():
        entry = (
            ShortlistEntry.objects.select_for_update()
            .select_related("actor", "candidate")
            .get(pk=entry.pk)
        )
        if entry.status == status:
            return False
        old = entry.status
        entry.status = status
        entry.status_changed_by = by
        entry.status_changed_at = timezone.now()
        entry.save(update_fields=["status", "status_changed_by", "status_changed_at", "updated_at"])
        if tell_others:
            _tell_other_managers(entry=entry, old=old, by=by)
    return True


def _tell_other_managers(*, entry: ShortlistEntry, old: str, by) -> None:
    """`old` is the status's code before the change."""
    from notifications.language import in_language_of
    from notifications.service import notify, site_url

    link = reverse("shortlist", args=[entry.actor.slug])
    recipients = (
        entry.actor.managers.filter(is_active=True)
        .exclude(pk=by.pk)
        .select_related("language_choice")
    )
    statuses = dict(ShortlistStatus.choices)
    for recipient in recipients:
        # Written in the recipient's language, whoever changed the status.
        with in_language_of(recipient):
            subject = _("%(candidate)s is now “%(status)s” on the shortlist of %(actor)s") % {
                "candidate": entry.candidate.name,
                "status": entry.get_status_display(),
                "actor": entry.actor.name,
            }
            body = render_to_string(
                "matching/notifications/shortlist.txt",
                {
                    "recipient": recipient,
                    "entry": entry,
                    "old": str(statuses.get(old, old)),
                    "new": entry.get_status_display(),
                    "by": person_name(by),
                    "link": site_url(link),
                },
            ).strip()
        notify(
            recipient=recipient,
            kind=STATUS_KIND,
            subject=subject,
            body=body,
            link=link,
            dedupe_key=f"shortlist:{entry.pk}:{entry.status_changed_at.isoformat()}",
        )


def shortlist_merge_into(*, entry: ShortlistEntry, twin: ShortlistEntry) -> None:
    """Fold `entry` into `twin`, the same pair's entry (two profiles merged): its notes move
    over, the status further along stays (with who set it and when), the earlier entry gives
    the date and who added it.
    The caller deletes `entry`."""
    ShortlistNote.objects.filter(entry=entry).update(entry=twin)
    later = status_later(twin.status, entry.status)
    if later != twin.status:
        # Who set the status that stays, and when, goes with it: the page names them.
        twin.status = later
        twin.status_changed_by_id = entry.status_changed_by_id
        twin.status_changed_at = entry.status_changed_at
    if entry.created_at < twin.created_at:
        twin.created_at, twin.added_by_id = entry.created_at, entry.added_by_id
    twin.save(
        update_fields=[
            "status",
            "status_changed_by",
            "status_changed_at",
            "created_at",
            "added_by",
            "updated_at",
        ]
    )


STATUS_CHOICES = ShortlistStatus.choices


def register() -> None:
    """The status change's kind of message (from `AppConfig.ready`)."""
    from notifications import kinds

    kinds.register(
        STATUS_KIND,
        label=gettext_lazy("A status change on your organisation's shortlist"),
        audience="managers",
    )
