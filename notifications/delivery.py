"""E-mail: built from the notification with a text and an HTML template, stored, and sent by a
job so that a slow or unreachable mail server never slows a page or loses a message."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jobs.runner import enqueue
from notifications import kinds
from notifications.models import EmailStatus, Notification, OutgoingEmail
from notifications.service import site_url
from notifications.tokens import unsubscribe_token


def _context(notification: Notification) -> dict:
    kind = kinds.get(notification.kind)
    token = unsubscribe_token(user_id=notification.recipient_id, kind=notification.kind)
    return {
        "notification": notification,
        "recipient": notification.recipient,
        "link": site_url(notification.link) if notification.link else "",
        "kind_label": kind.label if kind else notification.kind,
        "unsubscribe_url": site_url(reverse("notifications:unsubscribe", args=[token])),
        "preferences_url": site_url(reverse("notifications:preferences")),
    }


def queue_email(*, notification: Notification) -> OutgoingEmail:
    context = _context(notification)
    with transaction.atomic():
        email = OutgoingEmail.objects.create(
            notification=notification,
            to=notification.recipient.email,
            subject=notification.subject,
            text=render_to_string("notifications/email/message.txt", context),
            html=render_to_string("notifications/email/message.html", context),
            headers={
                "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        enqueue(
            kind="notifications.send_email",
            title=f"Send “{notification.subject}” to {email.to}",
            params={"email_id": email.pk},
            dedupe_key=f"email:{email.pk}",
        )
    return email


def send_email(*, email: OutgoingEmail) -> None:
    """Hand one stored e-mail to the mail server. Raises on a server error, so that the job is
    retried; a message already sent is not sent again."""
    if email.status == EmailStatus.SENT:
        return
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, to=[email.to], headers=email.headers
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=email.attempts + 1)
    try:
        with get_connection() as connection:
            connection.send_messages([message])
    except Exception as exc:
        OutgoingEmail.objects.filter(pk=email.pk).update(last_error=str(exc)[:500])
        raise
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), last_error=""
    )


def send_email_job(*, job, params: dict, progress) -> dict:
    email = OutgoingEmail.objects.filter(pk=params.get("email_id")).first()
    if email is None:
        return {"summary": "The e-mail was deleted before it was sent."}
    try:
        send_email(email=email)
    except Exception:
        if job.attempts >= job.max_attempts:
            OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.FAILED)
        raise
    return {"summary": f"Sent to {email.to}."}
