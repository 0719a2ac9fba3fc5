"""Issue 15: generating a schedule and computing the update of a published one run as jobs.

The organiser's click returns at once and lands on the job's page, which ends with a link to
the schedule (or to the update to confirm); the result is what the synchronous path makes.
Most tests run the job inline (the test settings' immediate backend); those about a job still
waiting use Django's dummy task backend, which keeps the job queued until the test runs it
as a worker would (`run_job`).
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from directory.roles import ORGANISERS_GROUP
from events.jobs import GENERATE, UPDATE
from events.models import Meeting, ScheduleProposal, ScheduleRun
from events.participants import participant_decide
from events.schedule import schedule_generate, schedule_publish
from jobs.models import Job, JobStatus
from jobs.runner import run_job
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def generate_url(event):
    return reverse("event_schedule_generate", args=[event.slug])


def meetings_of(event):
    return sorted(
        (m.eu_id, m.kr_id, m.slot_id, m.table, round(m.score, 6), m.reason)
        for m in Meeting.objects.filter(event=event)
    )


def run_figures(run):
    return (run.meetings, run.fixed, run.value, run.bound, run.optimal, run.repair)


@pytest.fixture
def queued_only(settings):
    """Jobs wait in the queue (no worker here): the test runs them itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_generate_queues_a_job_and_lands_on_its_page_which_links_to_the_schedule(client, fair):
    client.force_login(fair.organiser)

    response = client.post(generate_url(fair.event))

    job = Job.objects.get(kind=GENERATE)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED
    assert job.created_by == fair.organiser and job.audience == "organisers"
    run = ScheduleRun.objects.get(event=fair.event)
    assert run.created_by == fair.organiser and run.meetings == Meeting.objects.count() > 0
    page = client.get(response["Location"]).content.decode()
    assert f"Generate the schedule of {fair.event.name}" in page
    assert f"Draft schedule: {run.meetings} meetings (none fixed)" in page
    assert f'href="{reverse("event_schedule", args=[fair.event.slug])}"' in page
    assert "Open the schedule" in page


def test_the_job_makes_the_same_schedule_and_run_as_the_synchronous_path(client, fair):
    client.force_login(fair.organiser)
    client.post(generate_url(fair.event))
    by_job = meetings_of(fair.event)
    job_run = ScheduleRun.objects.get(event=fair.event)

    sync_run = schedule_generate(event=fair.event, by=fair.organiser)  # what the CLI calls

    assert meetings_of(fair.event) == by_job
    assert run_figures(sync_run) == run_figures(job_run)
    assert sync_run.created_by == job_run.created_by == fair.organiser


def test_the_job_reports_its_stages(client, fair):
    client.force_login(fair.organiser)
    client.post(generate_url(fair.event))
    job = Job.objects.get(kind=GENERATE)
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.progress_label == "Writing the schedule"


def test_a_double_click_gives_one_job_and_nothing_is_written_until_a_worker_runs_it(
    client, fair, queued_only
):
    second = UserFactory(username="second-organiser")
    second.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    fair.event.organisers.add(second)
    client.force_login(fair.organiser)

    first = client.post(generate_url(fair.event))
    again = client.post(generate_url(fair.event))
    client.force_login(second)
    by_other = client.post(generate_url(fair.event))

    job = Job.objects.get(kind=GENERATE)
    assert first["Location"] == again["Location"] == by_other["Location"]
    assert first["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.QUEUED
    assert not Meeting.objects.exists() and not ScheduleRun.objects.exists()
    page = client.get(first["Location"]).content.decode()  # the other organiser sees it too
    assert "Waiting to start" in page and "refresh it" in page
    schedule = client.get(reverse("event_schedule", args=[fair.event.slug])).content.decode()
    assert "Follow its progress" in schedule

    run_job(job_id=job.pk)  # a worker picks it up

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert ScheduleRun.objects.filter(event=fair.event, created_by=fair.organiser).count() == 1
    assert Meeting.objects.filter(event=fair.event).exists()
    # Finished: the next click starts a new generation.
    assert client.post(generate_url(fair.event))["Location"] != first["Location"]


def test_an_event_without_rounds_fails_with_words_and_writes_nothing(client, fair):
    event = EventFactory(name="Busan Days", slug="busan-days")
    event.organisers.add(fair.organiser)
    client.force_login(fair.organiser)

    response = client.post(generate_url(event))

    job = Job.objects.get(kind=GENERATE)
    assert job.status == JobStatus.FAILED and job.attempts == 1  # bad input: not retried
    assert not ScheduleRun.objects.filter(event=event).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Failed" in page
    assert "The event has no meeting rounds yet: add sessions first." in page
    assert "Traceback" not in page and "ValidationError" not in page


def test_an_event_with_nobody_on_one_side_fails_with_words(client, fair):
    for participant in (fair.chuncheon_p, fair.daegu_p, fair.gumi):
        participant_decide(participant=participant, accept=False)
    client.force_login(fair.organiser)
    page = client.post(generate_url(fair.event), follow=True).content.decode()
    assert "A schedule needs accepted participants on both sides" in page
    assert not Meeting.objects.filter(event=fair.event).exists()


def test_a_manager_cannot_generate_nor_see_the_organisers_job(client, fair):
    client.force_login(fair.organiser)
    job_url = client.post(generate_url(fair.event))["Location"]
    job = Job.objects.get(kind=GENERATE)

    client.force_login(fair.manager)  # Lyon's manager, a participant of the event
    assert client.get(job_url).status_code == 404
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    assert client.post(generate_url(fair.event)).status_code == 404
    assert Job.objects.count() == 1


def test_an_organiser_of_another_event_cannot_start_its_generation(client, fair):
    other = UserFactory(username="busan-organiser")
    other.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    client.force_login(other)
    assert client.post(generate_url(fair.event)).status_code == 404
    assert not Job.objects.exists()


def test_a_published_schedule_is_not_generated_again(client, fair):
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    client.force_login(fair.organiser)
    response = client.post(generate_url(fair.event))
    assert response["Location"] == reverse("event_schedule", args=[fair.event.slug])
    assert not Job.objects.exists()


def test_the_update_of_a_published_schedule_is_a_job_that_links_to_the_proposal(
    client, published_four
):
    f = published_four
    participant_decide(participant=f.chuncheon_p, accept=False)
    before = sorted(Meeting.objects.filter(event=f.event).values_list("pk", "slot_id", "table"))
    client.force_login(f.organiser)

    response = client.post(reverse("event_schedule_update", args=[f.event.slug]))

    job = Job.objects.get(kind=UPDATE)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    proposal = ScheduleProposal.objects.get(event=f.event, created_by=f.organiser)
    assert job.result["url"] == reverse("event_schedule_proposal", args=[f.event.slug, proposal.pk])
    # Computed, not applied: the schedule is as it was until the organiser confirms.
    assert proposal.applied_at is None
    assert (
        sorted(Meeting.objects.filter(event=f.event).values_list("pk", "slot_id", "table"))
        == before
    )
    page = client.get(response["Location"]).content.decode()
    assert "Update computed: 2 kept, 0 moved, 2 added, 0 cancelled" in page
    assert "Review the update" in page
