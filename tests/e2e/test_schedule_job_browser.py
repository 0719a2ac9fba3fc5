"""Issue 15 in a real browser: an organiser clicks Generate, lands on the job's page, sees the
work done and follows its link to the schedule. Once with the job run at once (the tests'
inline backend), once with the job waiting for a worker: the page follows it by itself (the
static job-progress.js polling the JSON status) and shows the result when the worker is done."""

from playwright.sync_api import expect

from events.jobs import GENERATE
from jobs.models import Job, JobStatus
from jobs.runner import run_job
from tests.e2e.conftest import log_in, screenshot


def test_generate_lands_on_the_job_page_which_links_to_the_schedule(live_server, page, fair):
    f = fair
    page.goto(f"{live_server.url}/events/{f.event.slug}/schedule/")
    log_in(page, f.organiser.username)

    page.get_by_role("button", name="Generate the schedule").click()

    job = Job.objects.get(kind=GENERATE)
    expect(page).to_have_url(f"{live_server.url}/jobs/{job.pk}/")
    expect(page.locator("h1")).to_have_text(f"Generate the schedule of {f.event.name}")
    expect(page.locator("[data-job=status]")).to_have_text("Done")
    expect(page.locator(".job-result")).to_contain_text("Draft schedule:")
    screenshot(page, "job-schedule-generated")

    page.get_by_role("link", name="Open the schedule").click()
    expect(page).to_have_url(f"{live_server.url}/events/{f.event.slug}/schedule/")
    expect(page.locator("tr[data-eu][data-kr]").first).to_be_visible()


def test_the_job_page_follows_a_waiting_job_until_a_worker_has_done_it(
    live_server, page, fair, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    f = fair
    page.goto(f"{live_server.url}/events/{f.event.slug}/schedule/")
    log_in(page, f.organiser.username)

    page.get_by_role("button", name="Generate the schedule").click()

    expect(page.locator("[data-job=status]")).to_have_text("Waiting to start")
    # The script runs (the CSP allows only this site's files): it replaced the refresh note.
    expect(page.locator("[data-job=refresh-note]")).to_contain_text("follows the work")
    expect(page.locator("progress")).to_be_visible()
    screenshot(page, "job-schedule-waiting")
    job = Job.objects.get(kind=GENERATE)
    assert job.status == JobStatus.QUEUED

    run_job(job_id=job.pk)  # a worker picks it up; the page is not touched

    expect(page.locator("[data-job=status]")).to_have_text("Done")
    expect(page.locator(".job-result")).to_contain_text("Draft schedule:")
    page.get_by_role("link", name="Open the schedule").click()
    expect(page.locator("tr[data-eu][data-kr]").first).to_be_visible()
