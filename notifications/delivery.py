"""E-mail: built from the notification with a text and an HTML template, stored, and sent by a
job so that a slow or unreachable mail server never slows a page or loses a message.

Delivery is at least once: the row is marked sent right after the mail server accepted the
message, so a worker killed between the two may send it again on the retry; it is never lost.

The person is asked again when the e-mail goes out, not only when it was queued: an address
removed or changed, e-mail turned off for the kind or an account deactivated in between is
respected (the mail may wait minutes, or an hour for a mail server that is down).
"""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jobs.errors import JobError
from jobs.runner import enqueue
from notifications import kinds
from notifications.language import in_language_of
from notifications.models import EmailStatus, Notification, OutgoingEmail
from notifications.service import email_chosen, safe_link, site_url
from notifications.tokens import unsubscribe_token

SEND_JOB = "notifications.send_email"


def _context(notification: Notification, *, language: str) -> dict:
    kind = kinds.get(notification.kind)
    token = unsubscribe_token(user_id=notification.recipient_id, kind=notification.kind)
    link = safe_link(notification.link)
    return {
        "notification": notification,
        "recipient": notification.recipient,
        "link": site_url(link) if link else "",
        "kind_label": kind.label if kind else notification.kind,
        "unsubscribe_url": site_url(reverse("notifications:unsubscribe", args=[token])),
        "preferences_url": site_url(reverse("notifications:preferences")),
        "inbox_url": site_url(reverse("notifications:inbox")),
        "language": language,
    }


def _enqueue_send(email: OutgoingEmail) -> None:
    enqueue(
        kind=SEND_JOB,
        title=(_("Send the e-mail “%(subject)s”") % {"subject": email.subject})[:200],
        params={"email_id": email.pk},
        audience="curators",  # a message that cannot be sent is theirs to look at
        link=reverse("admin:notifications_outgoingemail_change", args=[email.pk]),
        dedupe_key=f"email:{email.pk}",
    )


def queue_email(*, notification: Notification) -> OutgoingEmail:
    """Write the e-mail for `notification` and queue its sending, in one transaction."""
    # The words around the message (button, footer, unsubscribe) in the language the message
    # itself was written in for this person, whoever's request or worker sends it.
    with in_language_of(notification.recipient) as language:
        context = _context(notification, language=language)
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    with transaction.atomic():
        email = OutgoingEmail.objects.create(
            notification=notification,
            to=notification.recipient.email,
            subject=notification.subject,
            text=text,
            html=html,
            headers={
                # RFC 2369 and RFC 8058: mail clients show an "Unsubscribe" button that
                # POSTs to the address without a login.
                "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                # RFC 3834: no out-of-office replies to a robot.
                "Auto-Submitted": "auto-generated",
            },
        )
        _enqueue_send(email)
    return email


# Marks an account e-mail: written for an address that is nobody's account yet (a sign-up
# link) or for confirming one, not a message from someone's inbox. Its value says which.
ACCOUNT_MAIL_HEADER = "X-Cluster-Match-Account-Mail"


def queue_account_email(*, to: str, subject: str, text: str, purpose: str) -> OutgoingEmail:
    """Store an e-mail to an address and queue its sending, as every other e-mail: a page
    never waits for the mail server, and one that is down delays the link, never loses it.
    Written in the language active now (the page's, for a visitor who has no account)."""
    with transaction.atomic():
        email = OutgoingEmail.objects.create(
            to=to,
            subject=" ".join(subject.split())[:200],
            text=text,
            headers={ACCOUNT_MAIL_HEADER: purpose, "Auto-Submitted": "auto-generated"},
        )
        _enqueue_send(email)
    return email


def send_again(*, email: OutgoingEmail) -> bool:
    """Queue an e-mail that was not sent once more (a curator's "send again"). Returns False
    for one already sent (it is never sent twice this way) and for one its person no longer
    wants, which is then marked "not sent" with the reason. The rule is checked again when
    the job sends it."""
    email.refresh_from_db()
    if email.status != EmailStatus.SENT and _not_sent_because(email):
        return False
    with transaction.atomic():
        updated = OutgoingEmail.objects.filter(
            pk=email.pk,
            status__in=[EmailStatus.FAILED, EmailStatus.PENDING, EmailStatus.NOT_SENT],
        ).update(status=EmailStatus.PENDING, why_not_sent="")
        if not updated:
            return False
        _enqueue_send(email)
    return True


# Why an e-mail was not sent: stored in English as written here, and shown to curators in
# their own language by the admin (`OutgoingEmailAdmin.why_not_sent_shown`).
NOT_SENT_DELETED = gettext_noop(
    "The message was deleted, or the person's account, before it was sent."
)
NOT_SENT_DEACTIVATED = gettext_noop("The person's account was deactivated before it was sent.")
NOT_SENT_NO_ADDRESS = gettext_noop("The person removed their e-mail address before it was sent.")
NOT_SENT_TURNED_OFF = gettext_noop("The person turned these e-mails off before it was sent.")


def _recipient_now(email: OutgoingEmail) -> tuple[str, str]:
    """Where `email` goes now: (the person's current address, "") or ("", why it must not
    be sent), the reason in words for the curators who see it in the admin."""
    if email.notification_id is None and ACCOUNT_MAIL_HEADER in (email.headers or {}):
        # An account e-mail goes to the address it was written for: there is no person's
        # choice to ask (a sign-up link precedes the account).
        return email.to, ""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=email.notification_id).first()
    )
    if notification is None:
        return "", NOT_SENT_DELETED
    person = notification.recipient
    if not person.is_active:
        return "", NOT_SENT_DEACTIVATED
    if not person.email:
        return "", NOT_SENT_NO_ADDRESS
    if not email_chosen(user=person, kind=notification.kind):
        return "", NOT_SENT_TURNED_OFF
    return person.email, ""


def _not_sent_because(email: OutgoingEmail) -> str:
    """Mark `email` "not sent" when its person no longer wants it; returns the reason, or ""
    when it may go. An address changed meanwhile becomes the one it is sent to."""
    address, reason = _recipient_now(email)
    if reason:
        OutgoingEmail.objects.filter(pk=email.pk).exclude(status=EmailStatus.SENT).update(
            status=EmailStatus.NOT_SENT, why_not_sent=reason
        )
        email.status, email.why_not_sent = EmailStatus.NOT_SENT, reason
    elif address != email.to:
        OutgoingEmail.objects.filter(pk=email.pk).update(to=address)
        email.to = address
    return reason


def _build(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, to=[email.to], headers=email.headers
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def _refused_for_good(exc: Exception) -> bool:
    """The server answered that this address will never take the message (5xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _in_words(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _("The mail server refused the address: %(answer)s") % {"answer": exc.recipients}
    if isinstance(exc, OSError | smtplib.SMTPServerDisconnected):
        return _("Could not reach the mail server: %(error)s") % {"error": exc}
    return _("The mail server answered with an error: %(error)s") % {"error": exc}


def send_email(*, email: OutgoingEmail) -> str:
    """Hand one stored e-mail to the mail server, at the person's current address. Raises on
    a server error, so that the job is retried (JobError when the server refused the address
    for good); a message already sent is not sent again. Returns "" when it was sent (now or
    before), or why it was not: its person no longer wants it (a success, not retried)."""
    email.refresh_from_db()
    if email.status == EmailStatus.SENT:
        return ""
    if email.status == EmailStatus.NOT_SENT:
        return email.why_not_sent
    reason = _not_sent_because(email)
    if reason:
        return reason
    message = _build(email)
    # Each update stands on its own, outside any transaction: the attempt and its error must
    # stay recorded when this raises for the job to be retried.
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=F("attempts") + 1)
    try:
        with get_connection() as connection:
            connection.send_messages([message])
    except Exception as exc:
        error = _in_words(exc)[:500]
        OutgoingEmail.objects.filter(pk=email.pk).update(last_error=error)
        if _refused_for_good(exc):
            raise JobError(error) from exc
        raise
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return ""


def send_email_job(*, job, params: dict, progress) -> dict:
    email = OutgoingEmail.objects.filter(pk=params.get("email_id")).first()
    if email is None:
        return {"summary": _("The e-mail was deleted before it was sent.")}
    # A failure is recorded on the e-mail by `email_job_failed`, once the job has given up.
    not_sent = send_email(email=email)
    if not_sent:
        return {"summary": _("Not sent: %(reason)s") % {"reason": _(not_sent)}}
    return {"summary": _("Sent to %(address)s.") % {"address": email.to}}


def email_job_failed(sender, *, job, **kwargs) -> None:
    """The send job gave up (attempts used, a permanent refusal, or its worker lost on the last
    attempt): the e-mail says "could not be sent", kept with its last error, so that a curator
    sees it and can send it again from the admin, instead of "waiting" for ever."""
    if job.kind == SEND_JOB:
        OutgoingEmail.objects.filter(
            pk=job.params.get("email_id"), status=EmailStatus.PENDING
        ).update(status=EmailStatus.FAILED)
