"""Issue 15: the pages of background jobs. Who sees which job, what its page and its JSON
status say while it runs, when it is done and when it failed, and a curator's "try again"."""

import pytest
from django.urls import reverse

from jobs.errors import JobError
from jobs.models import Job, JobStatus
from jobs.registry import register
from jobs.runner import enqueue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FLAKY = "tests.job_pages.flaky"


class Switch:
    """Whether the flaky job's input is still bad (a curator fixes it, then tries again)."""

    broken = True


def flaky_handler(*, job, params, progress):
    progress(1, 2, "Reading the file")
    if Switch.broken:
        raise JobError("The file has no header row: add one and try again.")
    return {"summary": "12 actors imported.", "url": "/actors/", "label": "Open the directory"}


def crashing_handler(*, job, params, progress):
    raise RuntimeError("disk full at /srv/secret/path")


@pytest.fixture(autouse=True)
def _kinds():
    register(FLAKY, flaky_handler, max_attempts=1)
    register("tests.job_pages.crash", crashing_handler, max_attempts=1)
    Switch.broken = True


def job(**fields):
    defaults = {"kind": FLAKY, "title": "Import actors"}
    return Job.objects.create(**(defaults | fields))


def detail(pk):
    return reverse("jobs:detail", args=[pk])


def status(pk):
    return reverse("jobs:status", args=[pk])


def test_a_running_job_shows_its_stage_progress_and_start_time(client, cast):
    from django.utils import timezone

    running = job(
        created_by=cast.manager,
        status=JobStatus.RUNNING,
        progress_done=40,
        progress_total=200,
        progress_label="Importing actors",
        started_at=timezone.now(),
    )
    client.force_login(cast.manager)
    html = client.get(detail(running.pk)).content.decode()
    assert "<h1>Import actors</h1>" in html
    assert "Running" in html and "Importing actors" in html
    assert 'max="200" value="40"' in html and "40 of 200" in html
    assert "Started</dt>" in html
    assert 'src="/static/js/job-progress.js"' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    assert f'href="{detail(running.pk)}"' in html  # refresh without JavaScript


def test_the_json_status_says_where_the_job_is_and_never_the_traceback(client, cast):
    failed = job(
        created_by=cast.manager,
        status=JobStatus.FAILED,
        error="The file has no header row.",
        error_detail="Traceback (most recent call last): secret",
    )
    client.force_login(cast.manager)
    data = client.get(status(failed.pk)).json()
    assert data["status"] == "failed" and data["finished"] is True
    assert data["status_words"] == "Failed"
    assert data["error"] == "The file has no header row."
    assert "secret" not in str(data)

    done = job(
        created_by=cast.manager,
        status=JobStatus.SUCCEEDED,
        progress_done=2,
        progress_total=2,
        result={"summary": "12 actors imported.", "url": "/actors/"},
    )
    data = client.get(status(done.pk)).json()
    assert data["finished"] is True and data["percent"] == 100
    assert data["result"] == {
        "summary": "12 actors imported.",
        "url": "/actors/",
        "label": "Open the result",
    }

    waiting = job(created_by=cast.manager)
    data = client.get(status(waiting.pk)).json()
    assert data["status_words"] == "Waiting to start" and data["finished"] is False
    assert "result" not in data and "error" not in data


def test_a_job_done_shows_its_result_and_links_to_it(client, cast):
    client.force_login(cast.manager)
    Switch.broken = False
    done = enqueue(kind=FLAKY, title="Import actors", by=cast.manager)
    html = client.get(detail(done.pk)).content.decode()
    assert "Done" in html and "12 actors imported." in html
    assert '<a class="button" href="/actors/">Open the directory</a>' in html


def test_a_result_link_off_the_site_is_not_offered(client, cast):
    done = job(
        created_by=cast.manager,
        status=JobStatus.SUCCEEDED,
        result={"summary": "Done.", "url": "https://evil.example.org/"},
    )
    client.force_login(cast.manager)
    assert "evil.example.org" not in client.get(detail(done.pk)).content.decode()


def test_a_failed_job_says_why_in_words_and_only_curators_see_the_traceback(client, cast):
    crashed = enqueue(kind="tests.job_pages.crash", title="Rebuild the index", by=cast.manager)
    crashed.refresh_from_db()
    assert crashed.status == JobStatus.FAILED and "disk full" in crashed.error_detail

    client.force_login(cast.manager)
    html = client.get(detail(crashed.pk)).content.decode()
    assert "Failed" in html and "stopped on an unexpected error" in html
    assert "Traceback" not in html and "disk full" not in html and "/srv/secret" not in html
    assert "Try again" not in html

    client.force_login(cast.curator)
    html = client.get(detail(crashed.pk)).content.decode()
    assert "<details" in html and "disk full at /srv/secret/path" in html
    assert "Try again" in html


def test_who_sees_which_job_in_the_list_and_on_its_page(client, cast):
    other_organiser = UserFactory(username="other-organiser")
    other_organiser.groups.add(cast.organiser.groups.get())
    organisers_job = job(title="Generate the schedule of Seoul Days", audience="organisers",
                         created_by=cast.organiser)  # fmt: skip
    curators_job = job(title="Rebuild the ranking index", audience="curators")
    managers_job = job(title="Import Lyon's participants", created_by=cast.manager)
    private_organiser_job = job(title="Organiser's own import", created_by=cast.organiser)
    everyone = [organisers_job, curators_job, managers_job, private_organiser_job]

    def seen(user):
        client.force_login(user)
        html = client.get(reverse("jobs:list")).content.decode()
        listed = {j.pk for j in everyone if f'data-job-id="{j.pk}"' in html}
        for j in everyone:
            code = client.get(detail(j.pk)).status_code
            assert code == (200 if j.pk in listed else 404), (user, j.title, code)
            assert client.get(status(j.pk)).status_code == code
        return listed

    assert seen(cast.curator) == {j.pk for j in everyone}
    assert seen(cast.organiser) == {organisers_job.pk, private_organiser_job.pk}
    assert seen(other_organiser) == {organisers_job.pk}
    assert seen(cast.manager) == {managers_job.pk}
    assert seen(cast.other_manager) == set()
    client.logout()
    response = client.get(detail(managers_job.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_failed_jobs_stand_out_in_the_list(client, cast):
    job(title="Import that failed", status=JobStatus.FAILED, error="No header row.")
    job(title="Import that worked", status=JobStatus.SUCCEEDED)
    client.force_login(cast.curator)
    html = client.get(reverse("jobs:list")).content.decode()
    assert "1 job failed." in html
    assert '<strong class="danger">Failed</strong>' in html and "No header row." in html
    only_failed = client.get(reverse("jobs:list") + "?status=failed").content.decode()
    assert "Import that failed" in only_failed and "Import that worked" not in only_failed


def test_a_curator_tries_a_failed_job_again_once_its_cause_is_fixed(client, cast):
    failed = enqueue(kind=FLAKY, title="Import actors", by=cast.manager)
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED
    assert "no header row" in client_html(client, cast.manager, failed)

    # The author is not a curator: no button, and the address refuses them.
    client.force_login(cast.manager)
    assert client.post(reverse("jobs:retry", args=[failed.pk])).status_code == 404
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED

    Switch.broken = False
    client.force_login(cast.curator)
    response = client.post(reverse("jobs:retry", args=[failed.pk]))
    assert response["Location"] == detail(failed.pk)
    failed.refresh_from_db()
    assert failed.status == JobStatus.SUCCEEDED and failed.error == ""
    assert failed.result["summary"] == "12 actors imported."
    html = client.get(detail(failed.pk), follow=True).content.decode()
    assert "12 actors imported." in html and "back in the queue" in html


def test_trying_again_a_job_that_did_not_fail_changes_nothing(client, cast):
    done = job(status=JobStatus.SUCCEEDED, result={"summary": "Done."})
    client.force_login(cast.curator)
    response = client.post(reverse("jobs:retry", args=[done.pk]), follow=True)
    assert "nothing to try again" in response.content.decode()
    done.refresh_from_db()
    assert done.status == JobStatus.SUCCEEDED


def test_trying_again_while_the_same_work_is_queued_gives_that_job(client, cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    failed = job(status=JobStatus.FAILED, dedupe_key="import:lyon", error="No header row.")
    waiting = job(dedupe_key="import:lyon")
    client.force_login(cast.curator)
    response = client.post(reverse("jobs:retry", args=[failed.pk]))
    assert response["Location"] == detail(waiting.pk)
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED


def client_html(client, user, j):
    client.force_login(user)
    return client.get(detail(j.pk)).content.decode()


def test_sent_emails_stay_out_of_the_list_unless_asked_for_but_failed_ones_show(client, cast):
    job(title="Generate the schedule", status=JobStatus.SUCCEEDED)
    job(kind="notifications.send_email", title="Send the e-mail “Sent”", status=JobStatus.SUCCEEDED)
    job(kind="notifications.send_email", title="Send the e-mail “Stuck”", status=JobStatus.FAILED)
    client.force_login(cast.curator)
    html = client.get(reverse("jobs:list")).content.decode()
    assert "Generate the schedule" in html
    assert "“Stuck”" in html
    assert "“Sent”" not in html
    everything = client.get(reverse("jobs:list") + "?mail=all").content.decode()
    assert "“Sent”" in everything and "Generate the schedule" in everything
