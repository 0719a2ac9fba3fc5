"""E-mail end to end against a real SMTP server (aiosmtpd on 127.0.0.1): notify() queues a job,
the job hands the message to the server; an unreachable server delays it, never loses it."""

import pytest

from jobs.models import Job, JobStatus
from jobs.runner import run_job
from notifications.delivery import SEND_JOB, send_again
from notifications.models import EmailStatus, OutgoingEmail
from notifications.service import notify
from notifications.tokens import unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(user, **extra):
    fields = {
        "subject": "Your edit was approved",
        "body": "Lyon Biopole: your description is published.",
        "link": "/actors/lyon-biopole/",
    } | extra
    return notify(recipient=user, kind="tests.notice", **fields)


def test_a_message_arrives_with_both_parts_and_the_unsubscribe_headers(
    test_kinds, alice, smtp_server, settings
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    _notify(alice)
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["alice@example.org"]
    [message] = smtp_server.received
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Your edit was approved"
    token = unsubscribe_token(user_id=alice.pk, kind="tests.notice")
    # Folded over two lines by the sender (a long header); a mail client unfolds it.
    assert message["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000/unsubscribe/{token}/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Lyon Biopole: your description is published." in text
    assert "Lyon Biopole: your description is published." in html and "<a href=" in html
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 1, "")
    assert Job.objects.get(kind=SEND_JOB).status == JobStatus.SUCCEEDED


def test_who_gets_nothing_by_mail(test_kinds, alice, smtp_server):
    from notifications.models import Preference

    Preference.objects.create(user=alice, kind="tests.notice", email=False)
    _notify(alice)  # e-mail turned off for the kind
    _notify(UserFactory(username="nomail", email=""))  # no address
    _notify(UserFactory(username="gone", email="gone@example.org", is_active=False))
    bob = UserFactory(username="bob2", email="bob2@example.org")
    _notify(bob, dedupe_key="once")
    _notify(bob, dedupe_key="once")
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["bob2@example.org"]]


def _send_job() -> Job:
    return Job.objects.get(kind=SEND_JOB)


def _wait_is_over(job: Job) -> None:
    # The retry waits (30 s, then minutes) are the worker's business, not this test's: the
    # job is made due now, as it would be once the wait has passed.
    Job.objects.filter(pk=job.pk).update(run_after=None)


def test_an_unreachable_server_delays_the_message_and_never_loses_it(
    test_kinds, alice, smtp_down, queued_jobs
):
    _notify(alice)
    email = OutgoingEmail.objects.get()
    job = _send_job()
    assert job.status == JobStatus.QUEUED  # nothing was sent inside the request

    run_job(job_id=job.pk)  # the worker tries: nothing listens on the port
    job.refresh_from_db()
    email.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 1 and job.run_after is not None
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert email.last_error.startswith("Could not reach the mail server")
    assert smtp_down.received == []

    smtp_down.start()  # the mail server is back
    _wait_is_over(job)
    run_job(job_id=job.pk)
    job.refresh_from_db()
    email.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    assert len(smtp_down.received) == 1

    # A late duplicate delivery of the same job, or running it again, sends nothing more.
    run_job(job_id=job.pk)
    assert len(smtp_down.received) == 1


def test_after_the_last_attempt_the_email_is_failed_but_kept_and_can_be_sent_again(
    test_kinds, alice, smtp_down, queued_jobs
):
    _notify(alice)
    job = _send_job()
    for _ in range(job.max_attempts):
        _wait_is_over(job)
        run_job(job_id=job.pk)
    job.refresh_from_db()
    email = OutgoingEmail.objects.get()
    assert job.status == JobStatus.FAILED and job.attempts == job.max_attempts
    assert job.audience == "curators"  # shown to curators, never silent
    assert email.status == EmailStatus.FAILED and email.attempts == job.max_attempts
    assert email.last_error.startswith("Could not reach the mail server")
    assert "Your edit was approved" in email.subject and email.text and email.html

    smtp_down.start()
    assert send_again(email=email)
    again = Job.objects.filter(kind=SEND_JOB, status=JobStatus.QUEUED).get()
    run_job(job_id=again.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert [m["Subject"] for m in smtp_down.received] == ["Your edit was approved"]
    assert not send_again(email=email)  # a sent e-mail is never sent twice this way


def test_an_address_the_server_refuses_for_good_is_not_retried(
    test_kinds, smtp_server, queued_jobs
):
    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 No such mailbox here"

    smtp_server.handle_RCPT = refuse
    carol = UserFactory(username="carol", email="carol@example.org")
    _notify(carol)
    job = _send_job()
    run_job(job_id=job.pk)
    job.refresh_from_db()
    email = OutgoingEmail.objects.get()
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert "refused the address" in job.error
    assert email.status == EmailStatus.FAILED
    assert smtp_server.received == []
