"""A job about an event (`Job.scope`, "event:<id>") belongs to that event's organisers: they
see it and hear when it fails; organisers of other events neither see it (404, as for the
event's own pages) nor hear of it. Curators see every job and hear of every failure that is
not bad input, since only they see its details and may start it again."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from directory.roles import ORGANISERS_GROUP
from events.jobs import GENERATE, event_scope
from jobs.models import Job, JobStatus
from jobs.registry import _KINDS, register
from jobs.runner import enqueue, retry
from notifications.models import Notification
from tests.events.conftest import liked_fair, published_four  # noqa: F401
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

JOB_FAILED = "jobs.failed"
CRASH = "tests.scope_crash"


def told(job) -> list[str]:
    """Who was told `job` failed, one name per message."""
    return sorted(
        Notification.objects.filter(kind=JOB_FAILED, link=f"/jobs/{job.pk}/").values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def crash_kind():
    def crash(*, job, params, progress):
        raise KeyError("slot")  # a bug of the site, not bad input

    register(CRASH, crash, max_attempts=1)
    yield CRASH
    _KINDS.pop(CRASH, None)


@pytest.fixture
def busan(cast):
    """An event without sessions (generating it is bad input), organised by cast.organiser
    and a co-organiser who is not in the Organisers group; and an organiser of another event."""
    event = EventFactory(name="Busan Cluster Week", slug="busan-week")
    co = UserFactory(username="co-organiser")
    event.organisers.add(cast.organiser, co)
    rival = UserFactory(username="rival")
    rival.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    EventFactory(name="Lisbon Days", slug="lisbon-days").organisers.add(rival)
    cast.event, cast.co, cast.rival = event, co, rival
    return cast


def generate(client, c) -> Job:
    client.force_login(c.organiser)
    client.post(reverse("event_schedule_generate", args=[c.event.slug]))
    return Job.objects.get(kind=GENERATE)


def sees(client, user, job) -> dict[str, bool]:
    client.force_login(user)
    listed = job.title in client.get(reverse("jobs:list")).content.decode()
    page = client.get(reverse("jobs:detail", args=[job.pk])).status_code
    status = client.get(reverse("jobs:status", args=[job.pk])).status_code
    assert page in (200, 404) and status in (200, 404)
    return {"list": listed, "page": page == 200, "status": status == 200}


ALL = {"list": True, "page": True, "status": True}
NONE = {"list": False, "page": False, "status": False}


def test_an_events_job_is_seen_by_its_organisers_and_curators_only(client, busan):
    job = generate(client, busan)
    assert job.scope == event_scope(busan.event)

    assert sees(client, busan.organiser, job) == ALL  # who clicked
    assert sees(client, busan.co, job) == ALL  # a co-organiser, not in the group
    assert sees(client, busan.curator, job) == ALL
    assert sees(client, busan.rival, job) == NONE  # organiser of another event
    assert sees(client, busan.manager, job) == NONE


def test_an_organisers_job_about_no_event_is_seen_by_the_group(client, busan, crash_kind):
    job = enqueue(kind=crash_kind, title="Tidy the rooms list", audience="organisers")

    assert sees(client, busan.rival, job) == ALL
    assert sees(client, busan.co, job) == NONE  # not in the group, not its author


def test_a_job_about_an_event_seen_by_the_rival_when_they_started_it(client, busan, crash_kind):
    # Their own job stays theirs whatever it concerns.
    job = enqueue(
        kind=crash_kind,
        title="Check the rooms",
        by=busan.rival,
        audience="organisers",
        scope=event_scope(busan.event),
    )
    assert sees(client, busan.rival, job) == ALL


def test_bad_input_is_told_to_the_events_organisers_not_to_curators_nor_rivals(client, busan):
    job = generate(client, busan)
    assert job.status == JobStatus.FAILED

    assert told(job) == ["co-organiser", "organiser"]


def test_a_crash_is_told_to_the_events_organisers_and_the_curators_once_each(busan, crash_kind):
    superuser = UserFactory(username="root", is_superuser=True)
    superuser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    job = enqueue(
        kind=crash_kind,
        title="Generate the schedule of Busan Cluster Week",
        by=busan.curator,  # a curator who clicked: told once
        audience="organisers",
        scope=event_scope(busan.event),
    )

    assert told(job) == ["co-organiser", "curator", "organiser", "root"]
    note = Notification.objects.get(recipient=busan.organiser, kind=JOB_FAILED)
    assert "curators can see the details" in note.body
    assert "KeyError" not in note.body


def test_a_curators_retry_that_fails_again_is_told_again_to_each(busan, crash_kind):
    job = enqueue(
        kind=crash_kind,
        title="Generate the schedule of Busan Cluster Week",
        by=busan.organiser,
        audience="organisers",
        scope=event_scope(busan.event),
    )
    assert told(job) == ["co-organiser", "curator", "organiser"]

    retry(job=job, by=busan.curator)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert told(job) == sorted(["co-organiser", "curator", "organiser"] * 2)


def test_bad_input_drops_the_uploaded_file_and_a_crash_keeps_it_for_a_retry(cast, crash_kind):
    refuse = enqueue(
        kind=GENERATE,
        title="Generate",
        params={"event": 0},  # deleted event: bad input
        payload=b"name,contact\nLyon,Marie Secret\n",
        by=cast.organiser,
        audience="organisers",
    )
    crash = enqueue(kind=crash_kind, title="Crash", payload=b"bytes", by=cast.curator)

    refuse.refresh_from_db()
    crash.refresh_from_db()
    assert (refuse.status, refuse.payload) == (JobStatus.FAILED, None)
    assert crash.status == JobStatus.FAILED and bytes(crash.payload) == b"bytes"


def test_organisers_and_curators_may_turn_the_failure_e_mails_off(client, busan):
    label = "A job you started or look after failed"
    for user, offered in (
        (busan.co, True),  # named organiser of an event
        (busan.curator, True),
        (busan.manager, False),  # never told of one yet
    ):
        client.force_login(user)
        page = client.get(reverse("notifications:preferences")).content.decode()
        assert (label in page) is offered, user.username


def test_telling_participants_of_a_change_is_a_job_of_that_event(
    client, request, django_capture_on_commit_callbacks
):
    from events.notices import TELL_CHANGES_JOB

    f = request.getfixturevalue("published_four")
    rival = UserFactory(username="rival")
    rival.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    EventFactory(name="Lisbon Days", slug="lisbon-days").organisers.add(rival)
    client.force_login(f.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("event_meeting_cancel", args=[f.event.slug, f.m["lyon-daegu"].pk])
        assert client.post(url).status_code == 302

    job = Job.objects.get(kind=TELL_CHANGES_JOB)
    assert job.scope == event_scope(f.event)
    assert sees(client, f.organiser, job)["page"]
    assert sees(client, rival, job) == NONE
