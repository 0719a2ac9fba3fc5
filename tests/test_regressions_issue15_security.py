"""Issue 15, attacked as a hostile user would. The defects found, kept as regression tests: an
organiser of one event sees, and hears about, the background work of events they do not
organise (the event pages themselves answer 404 to them).

Each test says what a user experienced while the defect was there."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from directory.roles import ORGANISERS_GROUP
from events.jobs import GENERATE
from jobs.models import Job, JobStatus
from notifications.models import Notification
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rival(fair):
    """An organiser (Organisers group) of another event, not of Seoul Cluster Days: the event
    pages answer 404 to them, "so they learn nothing"."""
    rival = UserFactory(username="rival-organiser")
    rival.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    other = EventFactory(name="Busan Rival Days", slug="busan-rival")
    other.organisers.add(rival)
    return rival


# -- jobs: an organiser of another event ----------------------------------------------------------


def test_an_organiser_of_another_event_cannot_open_its_schedule_generation_job(client, fair, rival):
    # The rival organiser cannot open Seoul Cluster Days' schedule (404), yet the jobs list
    # and the job's page show them the event's name, its schedule's size and who ran it.
    client.force_login(fair.organiser)
    client.post(reverse("event_schedule_generate", args=[fair.event.slug]))
    job = Job.objects.get(kind=GENERATE)
    assert job.status == JobStatus.SUCCEEDED

    client.force_login(rival)
    assert client.get(reverse("event_schedule", args=[fair.event.slug])).status_code == 404
    seen = {
        "list": "Seoul Cluster Days" in client.get(reverse("jobs:list")).content.decode(),
        "page": client.get(reverse("jobs:detail", args=[job.pk])).status_code != 404,
        "status": client.get(reverse("jobs:status", args=[job.pk])).status_code != 404,
    }
    assert seen == {"list": False, "page": False, "status": False}


def test_an_organiser_of_another_event_is_not_told_its_schedule_job_failed(client, fair, rival):
    # A generation that fails (no participant yet) alerts every member of the Organisers
    # group: the rival organiser reads "A job failed: Generate the schedule of Seoul Quiet
    # Days" and the reason, in their inbox and by e-mail, about an event that is none of theirs.
    quiet = EventFactory(name="Seoul Quiet Days", slug="seoul-quiet")
    quiet.organisers.add(fair.organiser)
    client.force_login(fair.organiser)
    client.post(reverse("event_schedule_generate", args=[quiet.slug]))
    job = Job.objects.get(kind=GENERATE)
    assert job.status == JobStatus.FAILED  # nothing to schedule: bad input

    told = set(
        Notification.objects.filter(kind="jobs.failed").values_list(
            "recipient__username", flat=True
        )
    )
    assert fair.organiser.username in told
    assert rival.username not in told
