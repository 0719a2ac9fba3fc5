"""A failed job is never silent: its author and its audience (curators or organisers) find
"A job failed: ..." in their inbox, and by e-mail, with the error in words and the job's page
(curation/job_alerts.py; event-scoped jobs: tests/test_attack_issue15_security.py)."""

from django.contrib.auth.models import Group
from django.core import mail

from directory.roles import CURATORS_GROUP
from jobs.models import Job, JobStatus
from jobs.runner import enqueue
from jobs.signals import job_failed
from notifications.delivery import SEND_JOB
from notifications.models import Notification, Preference
from tests.factories import UserFactory
from tests.jobs.kinds import FLAKY, REFUSE

MESSAGE = "Row 12 has no country: nothing was imported."


def alerted(job):
    return set(
        Notification.objects.filter(kind="jobs.failed", link=f"/jobs/{job.pk}/").values_list(
            "recipient__username", flat=True
        )
    )


def fail(*, by=None, audience=""):
    return enqueue(
        kind=REFUSE, title="Import 40 actors", params={"message": MESSAGE}, by=by, audience=audience
    )


def test_the_author_and_the_curators_hear_of_a_curators_job_that_failed(cast):
    job = fail(by=cast.manager, audience="curators")

    assert alerted(job) == {"owner", "curator"}  # not the organiser, not another manager
    note = Notification.objects.get(recipient=cast.curator, kind="jobs.failed")
    assert note.subject == "A job failed: Import 40 actors"
    assert MESSAGE in note.body
    assert "Traceback" not in note.body
    assert note.link == f"/jobs/{job.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == ["curator@example.org", "owner@example.org"]
    assert all(m.subject.endswith("A job failed: Import 40 actors") for m in mail.outbox)


def test_the_organisers_hear_of_an_organisers_job_that_failed(cast):
    job = fail(by=cast.organiser, audience="organisers")

    assert alerted(job) == {"organiser"}


def test_a_job_for_its_author_alone_tells_only_its_author(cast):
    job = fail(by=cast.other_manager)

    assert alerted(job) == {"outsider"}


def test_a_job_nobody_started_is_the_curators_to_hear_of(cast):
    job = fail()  # periodic work: no author, no audience

    assert alerted(job) == {"curator"}


def test_superusers_count_as_curators_and_inactive_curators_are_not_told(cast):
    UserFactory(username="root", is_superuser=True)
    gone = UserFactory(username="former-curator", is_active=False)
    gone.groups.add(Group.objects.get(name=CURATORS_GROUP))

    job = fail(audience="curators")

    assert alerted(job) == {"curator", "root"}


def test_an_author_who_is_also_a_curator_is_told_once(cast):
    job = fail(by=cast.curator, audience="curators")

    assert Notification.objects.filter(recipient=cast.curator, kind="jobs.failed").count() == 1
    assert alerted(job) == {"curator"}


def test_a_job_that_succeeds_after_retries_tells_nobody(cast):
    job = enqueue(
        kind=FLAKY, title="Flaky", params={"succeed_on": 2}, by=cast.manager, audience="curators"
    )

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert not Notification.objects.filter(kind="jobs.failed").exists()


def test_failed_e_mails_alert_each_curator_once_a_day_not_once_per_e_mail(cast):
    for n in range(3):
        job = Job.objects.create(
            kind=SEND_JOB,
            title=f"Send the e-mail number {n}",
            status=JobStatus.FAILED,
            audience="curators",
            error="The mail server could not be reached.",
        )
        job_failed.send(sender=Job, job=job)

    notes = Notification.objects.filter(kind="jobs.failed")
    assert [n.recipient.username for n in notes] == ["curator"]
    assert "other e-mails may fail too" in notes.get().body


def test_the_kind_can_be_turned_off_by_e_mail_and_stays_in_the_inbox(cast):
    Preference.objects.create(user=cast.curator, kind="jobs.failed", email=False)

    job = fail(audience="curators")

    assert alerted(job) == {"curator"}
    assert mail.outbox == []


def test_an_unexpected_error_is_also_the_curators_to_hear_of(cast):
    job = enqueue(
        kind=FLAKY, title="Rebuild the index", params={"succeed_on": 0}, by=cast.other_manager
    )

    # Bad input is its author's to correct; a fault of the site is the curators' to look at.
    assert alerted(job) == {"outsider", "curator"}
    note = Notification.objects.get(recipient=cast.other_manager, kind="jobs.failed")
    assert "Traceback" not in note.body and "RuntimeError" not in note.body
