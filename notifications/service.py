"""Telling people things: the one entry point every app calls, and the inbox's rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from notifications import kinds
from notifications.language import in_language_of
from notifications.models import Notification, Preference

# Control characters (tab and line breaks aside) cannot be stored in PostgreSQL (NUL) nor
# sent in a mail header; a line break in a subject would make every send attempt fail.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _one_line(text: str, *, limit: int) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())[:limit]


def safe_link(link: str) -> str:
    """`link` as a path on this site, or "" when it points anywhere else. A notification's
    link is followed on a click in the inbox and in e-mails: it must never send someone to
    another site (an open redirect dressed in our name)."""
    link = (link or "").strip()
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        # An absolute address of this very site is kept as its path.
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return ""
        link = parts.path + (f"?{parts.query}" if parts.query else "")
        link += f"#{parts.fragment}" if parts.fragment else ""
    if not link.startswith("/") or link.startswith(("//", "/\\")) or _CONTROL.search(link):
        return ""
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=set()):
        return ""
    return link[:500]


def kinds_for(*, user) -> list[kinds.Kind]:
    """The kinds of message `user` may choose about: those of their audiences, and any kind
    they have already received (a curator who stopped being one can still turn it off)."""
    received = set(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True).distinct()
    )
    return [
        kind
        for kind in kinds.all_kinds()
        if kind.key in received or kinds.in_audience(user, kind.audience)
    ]


def email_chosen(*, user, kind: str) -> bool:
    """Whether `user` chose e-mail for `kind` (or left the kind's default), address or not."""
    known = kinds.get(kind)
    default = known.email_by_default if known else True
    choice = Preference.objects.filter(user=user, kind=kind).values_list("email", flat=True)
    return choice[0] if choice else default


def wants_email(*, user, kind: str) -> bool:
    """Whether `user` gets `kind` by e-mail: an address, and e-mail not turned off for it."""
    return bool(user.email) and email_chosen(user=user, kind=kind)


def notify_each(
    *,
    recipients: Iterable,
    kind: str,
    subject: Callable[[], str],
    body: Callable[[], str],
    link: str = "",
    dedupe_key: str = "",
) -> int:
    """`notify` for each of `recipients`, the subject and body written in that person's language
    (`subject` and `body` are called inside it). Returns how many were told."""
    told = 0
    for user in recipients:
        with in_language_of(user):
            message = notify(
                recipient=user,
                kind=kind,
                subject=subject(),
                body=body(),
                link=link,
                dedupe_key=dedupe_key,
            )
        told += message is not None
    return told


def notify(
    *, recipient, kind: str, subject: str, body: str, link: str = "", dedupe_key: str = ""
) -> Notification | None:
    """Put a message in `recipient`'s inbox and, if they want it, queue it by e-mail.

    With a `dedupe_key`, a second call with the same key for the same person does nothing and
    returns None (a reminder job that runs twice reminds once). Inactive users get nothing.
    `link` is a path on this site (anything else is dropped). Raises LookupError for a kind
    nobody registered, so that a misspelt kind fails in the sender's tests, not in silence.
    """
    if kinds.get(kind) is None:
        raise LookupError(f"No kind of message named {kind!r} is registered")
    if recipient is None or not recipient.is_active:
        return None
    dedupe_key = (dedupe_key or "")[:200]
    if (
        dedupe_key
        and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists()
    ):
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                subject=_one_line(subject, limit=200),
                body=_CONTROL.sub("", body or ""),
                link=safe_link(link),
                dedupe_key=dedupe_key,
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
    if read and notification.read_at is not None:
        return  # keep when it was first read
    notification.read_at = timezone.now() if read else None
    notification.save(update_fields=["read_at"])


def mark_all_read(*, user) -> int:
    """Mark every unread message of `user` as read; returns how many there were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def set_email_preference(*, user, kind: str, email: bool) -> None:
    Preference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})


def site_url(path: str) -> str:
    """An absolute address for a path on this site, for e-mails (SITE_URL in settings)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def message_body(template: str, context: dict) -> str:
    """A message body rendered from a plain-text template, with at most one blank line between
    paragraphs (a template's tags leave more behind)."""
    text = render_to_string(template, context)
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip() + "\n"
