"""The admin: curators see messages and e-mails, read only, and send failed e-mails again."""

import pytest
from django.test import Client

from jobs.models import Job, JobStatus
from notifications.delivery import SEND_JOB
from notifications.models import EmailStatus, Notification, OutgoingEmail
from notifications.service import notify

pytestmark = pytest.mark.django_db

EMAILS = "/admin/notifications/outgoingemail/"
MESSAGES = "/admin/notifications/notification/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def failed_email(test_kinds, cast, smtp_down, queued_jobs):
    notify(recipient=cast.manager, kind="tests.notice", subject="Edit approved", body="Yes.")
    email = OutgoingEmail.objects.get()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.FAILED, last_error="Could not reach the mail server: refused"
    )
    Job.objects.filter(kind=SEND_JOB).update(status=JobStatus.FAILED)
    return email


def test_curators_see_messages_and_emails_read_only(failed_email, cast):
    client = _client(cast.curator)
    listing = client.get(EMAILS).content.decode()
    assert "owner@example.org" in listing and "could not be sent" in listing
    assert "Could not reach the mail server" in listing
    assert "Edit approved" in client.get(MESSAGES).content.decode()
    page = client.get(f"{EMAILS}{failed_email.pk}/change/")
    assert page.status_code == 200
    assert 'name="subject"' not in page.content.decode()  # shown, not editable
    assert client.get(f"{EMAILS}add/").status_code == 403
    assert client.get(f"{MESSAGES}add/").status_code == 403


def test_send_again_requeues_a_failed_email_through_the_queue(failed_email, cast, smtp_down):
    from jobs.runner import run_job

    smtp_down.start()
    response = _client(cast.curator).post(
        EMAILS, {"action": "send_again_action", "_selected_action": [failed_email.pk]}, follow=True
    )
    assert "1 e-mail queued to be sent again." in response.content.decode()
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.PENDING
    job = Job.objects.get(kind=SEND_JOB, status=JobStatus.QUEUED)
    run_job(job_id=job.pk)  # the worker's turn
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.SENT
    assert [m["To"] for m in smtp_down.received] == ["owner@example.org"]


def test_a_sent_email_is_not_sent_twice_by_the_action(test_kinds, cast, smtp_server):
    notify(recipient=cast.manager, kind="tests.notice", subject="Edit approved", body="Yes.")
    email = OutgoingEmail.objects.get(status=EmailStatus.SENT)
    response = _client(cast.curator).post(
        EMAILS, {"action": "send_again_action", "_selected_action": [email.pk]}, follow=True
    )
    assert "1 already sent: not sent twice." in response.content.decode()
    assert len(smtp_server.received) == 1


def test_managers_and_staff_without_the_curators_rights_see_nothing(failed_email, cast):
    assert _client(cast.manager).get(EMAILS).status_code == 302  # to the admin log-in
    from tests.factories import UserFactory

    staff = UserFactory(username="staff-only", is_staff=True)
    client = _client(staff)
    assert client.get(EMAILS).status_code == 403
    assert client.get(MESSAGES).status_code == 403
    send_again = {"action": "send_again_action", "_selected_action": [failed_email.pk]}
    response = client.post(EMAILS, send_again)
    assert response.status_code == 403
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.FAILED
    assert Notification.objects.count() == 1
