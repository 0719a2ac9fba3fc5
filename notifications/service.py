"""Telling people things: the one entry point every app calls."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import kinds
from notifications.models import Notification, Preference


def email_chosen(*, user, kind: str) -> bool:
    """Whether `user` chose e-mail for `kind` (or left the kind's default), address or not."""
    known = kinds.get(kind)
    default = known.email_by_default if known else True
    choice = Preference.objects.filter(user=user, kind=kind).values_list("email", flat=True)
    return choice[0] if choice else default


def wants_email(*, user, kind: str) -> bool:
    """Whether `user` gets `kind` by e-mail: an address, and e-mail not turned off for it."""
    return bool(user.email) and email_chosen(user=user, kind=kind)


def notify(
    *, recipient, kind: str, subject: str, body: str, link: str = "", dedupe_key: str = ""
) -> Notification | None:
    """Put a message in `recipient`'s inbox and, if they want it, queue it by e-mail.

    With a `dedupe_key`, a second call with the same key for the same person does nothing and
    returns None (a reminder job that runs twice reminds once). Inactive users get nothing.
    """
    if recipient is None or not recipient.is_active:
        return None
    if dedupe_key and Notification.objects.filter(
        recipient=recipient, dedupe_key=dedupe_key
    ).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                subject=subject[:200],
                body=body,
                link=link[:500],
                dedupe_key=dedupe_key[:200],
            )
    except IntegrityError:
        return None  # the same key, written by a concurrent call
    if wants_email(user=recipient, kind=kind):
        from notifications.delivery import queue_email

        queue_email(notification=notification)
    return notification


def unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, notification: Notification, read: bool = True) -> None:
    notification.read_at = timezone.now() if read else None
    notification.save(update_fields=["read_at"])


def site_url(path: str) -> str:
    """An absolute address for a path on this site, for e-mails (SITE_URL in settings)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
