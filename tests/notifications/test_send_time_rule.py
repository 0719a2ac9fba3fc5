"""An e-mail waits in the queue (for a worker, or for a mail server that is down) before it goes
out. What the person decided meanwhile wins: no address any more, e-mail turned off for the
kind or an account deactivated means it is not sent, and says why; a changed address gets it.
Every test runs the send job as the worker does, against a real SMTP server."""

import pytest
from django.test import Client

from jobs.models import Job, JobStatus
from jobs.runner import run_job
from notifications.delivery import SEND_JOB, send_again
from notifications.models import EmailStatus, Notification, OutgoingEmail
from notifications.service import notify
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SETTINGS = "/inbox/preferences/"
EMAILS = "/admin/notifications/outgoingemail/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _notify(user, kind="tests.notice", subject="Your edit was approved"):
    return notify(recipient=user, kind=kind, subject=subject, body="Lyon Biopole: published.")


def _waiting_job(subject="Your edit was approved") -> Job:
    email = OutgoingEmail.objects.get(subject=subject)
    return Job.objects.get(kind=SEND_JOB, params={"email_id": email.pk})


def _run(job: Job) -> Job:
    Job.objects.filter(pk=job.pk).update(run_after=None)  # its retry wait is over
    run_job(job_id=job.pk)
    job.refresh_from_db()
    return job


def _assert_not_sent(reason_words: str) -> None:
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.NOT_SENT
    assert reason_words in email.why_not_sent
    job = Job.objects.get(kind=SEND_JOB)
    # A success: the person's choice is no error, and nothing is tried again.
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1
    assert "Not sent" in job.result["summary"]
    assert Notification.objects.count() == 1  # the inbox keeps the message


def test_an_address_removed_on_the_settings_page_is_not_written_to(
    test_kinds, alice, smtp_server, queued_jobs
):
    _notify(alice)
    response = _client(alice).post(
        SETTINGS, {"email": "", "password": TEST_PASSWORD, "kind_tests.notice": "on"}
    )
    assert response.status_code == 302
    _run(_waiting_job())
    assert smtp_server.received == []
    _assert_not_sent("removed their e-mail address")


def test_a_changed_address_gets_the_waiting_email(test_kinds, alice, smtp_server, queued_jobs):
    _notify(alice)
    _client(alice).post(
        SETTINGS,
        {"email": "alice.new@example.org", "password": TEST_PASSWORD, "kind_tests.notice": "on"},
    )
    job = _run(_waiting_job())
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["alice.new@example.org"]]
    assert smtp_server.received[0]["To"] == "alice.new@example.org"
    email = OutgoingEmail.objects.get()
    assert (email.status, email.to) == (EmailStatus.SENT, "alice.new@example.org")
    assert job.result["summary"] == "Sent to alice.new@example.org."


def test_turning_a_kind_off_stops_its_waiting_emails_and_only_those(
    test_kinds, alice, smtp_server, queued_jobs
):
    _notify(alice, subject="Your edit was approved")
    _notify(alice, kind="tests.other", subject="Another notice")
    # Only "Other test notices" stays ticked.
    _client(alice).post(SETTINGS, {"email": "alice@example.org", "kind_tests.other": "on"})
    _run(_waiting_job("Your edit was approved"))
    _run(_waiting_job("Another notice"))
    assert [m["Subject"] for m in smtp_server.received] == ["Another notice"]
    turned_off = OutgoingEmail.objects.get(subject="Your edit was approved")
    assert turned_off.status == EmailStatus.NOT_SENT
    assert turned_off.why_not_sent == "The person turned these e-mails off before it was sent."
    assert OutgoingEmail.objects.get(subject="Another notice").status == EmailStatus.SENT


def test_a_deactivated_account_gets_no_waiting_email(test_kinds, alice, smtp_server, queued_jobs):
    _notify(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    _run(_waiting_job())
    assert smtp_server.received == []
    _assert_not_sent("account was deactivated")


def test_an_email_waiting_for_a_server_that_is_down_is_not_retried_after_the_unsubscribe(
    test_kinds, alice, smtp_down, queued_jobs
):
    _notify(alice)
    job = _run(_waiting_job())  # the mail server is down: retried later
    assert job.status == JobStatus.QUEUED
    _client(alice).post(SETTINGS, {"email": "alice@example.org"})  # every kind off
    smtp_down.start()
    job = _run(job)
    assert smtp_down.received == []
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.NOT_SENT and email.attempts == 1
    # Running it again (a late duplicate delivery) sends nothing either.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    _run(job)
    assert smtp_down.received == []


def test_send_again_in_the_admin_follows_the_same_rule(test_kinds, cast, smtp_down, queued_jobs):
    _notify(cast.manager)
    job = _waiting_job()
    for _ in range(job.max_attempts):  # the server stays down: the e-mail fails
        _run(job)
    email = OutgoingEmail.objects.get(subject="Your edit was approved")
    assert email.status == EmailStatus.FAILED
    smtp_down.start()

    # The manager removed their address since: the curator's "send again" writes to no one.
    cast.manager.email = ""
    cast.manager.save(update_fields=["email"])
    curator = _client(cast.curator)
    action = {"action": "send_again_action", "_selected_action": [email.pk]}
    page = curator.post(EMAILS, action, follow=True).content.decode()
    assert "1 not sent: the person no longer gets these e-mails" in page
    assert not Job.objects.filter(params={"email_id": email.pk}, status=JobStatus.QUEUED).exists()
    email.refresh_from_db()
    assert email.status == EmailStatus.NOT_SENT
    listing = curator.get(EMAILS).content.decode()
    assert "not sent" in listing and "removed their e-mail address" in listing

    # They give a new address: sending again now reaches it.
    cast.manager.email = "owner.new@example.org"
    cast.manager.save(update_fields=["email"])
    assert send_again(email=email)
    _run(Job.objects.get(params={"email_id": email.pk}, status=JobStatus.QUEUED))
    assert [m["To"] for m in smtp_down.received if m["Subject"] == email.subject] == [
        "owner.new@example.org"
    ]
    email.refresh_from_db()
    assert (email.status, email.why_not_sent) == (EmailStatus.SENT, "")
