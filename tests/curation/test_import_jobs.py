"""Large imports run as jobs: what the curator sees, and what ends up in the directory."""

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from curation.transfer import actor_export_rows
from curation.transfer.background import IMPORT_KIND
from curation.transfer.read import rows_in_file
from directory.models import Actor
from jobs.models import Job, JobStatus
from jobs.runner import run_job
from matching.index import INDEX_JOB_KIND
from tests.curation.test_import import (
    LONG_DESCRIPTION,
    counts,
    csv_bytes,
    upload,
    valid_row,
    xlsx_bytes,
)
from tests.factories import InterestFactory, SectorFactory

IMPORT_URL = "admin:directory_actor_import"


@pytest.fixture
def taxonomy(db):
    """The sector and interests the files below name."""
    SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    InterestFactory(code="rd-projects", label="Joint R&D projects")
    InterestFactory(code="market-access", label="Market access and export")


def big_file(rows: int = 400, **bad) -> bytes:
    """`rows` actors, varied: drafts and published ones, contacts, links, a parent named
    further down, and an update of an actor the directory already has (lyon-life)."""
    out = []
    for n in range(rows):
        row = valid_row(f"actor-{n:04d}", name=f"Actor {n:04d}")
        if n % 3 == 0:
            row |= {"status": "published", "description": LONG_DESCRIPTION}
        if n % 5 == 0:
            row["contacts"] = f"Person {n} | Coordinator | person{n}@example.org"
        if n % 7 == 0:
            row["offers"] = "rd-projects"
            row["seeks"] = "market-access"
        if n == 10:
            row["parent"] = f"actor-{rows - 1:04d}"
        out.append(row)
    out[1] = valid_row("lyon-life", name="Lyon Life Sciences", description=LONG_DESCRIPTION)
    for row_number, cells in bad.items():
        out[int(row_number.removeprefix("row")) - 2] |= cells  # row 2 is the first actor
    return csv_bytes(out)


def directory_state() -> dict:
    """Everything an import may write, as a curator could compare it: every actor in the
    import format (contacts included), who and why each history entry, and the counts."""
    actors = actor_export_rows(
        queryset=Actor.objects.order_by("slug"), include_contacts=True, with_drafts=True
    )
    history = Counter(
        (h.slug, h.history_type, h.history_user_id, h.history_change_reason)
        for h in Actor.history.all()
    )
    return {"actors": actors, "history": history, "counts": counts()}


def follow_job(client, response) -> Job:
    assert response.status_code == 302
    job = Job.objects.get(kind=IMPORT_KIND)
    assert response.url == reverse("jobs:detail", args=[job.pk])
    return job


def test_an_import_over_the_inline_limit_runs_as_a_job_and_writes_what_the_inline_import_writes(
    client, cast, taxonomy, settings
):
    client.force_login(cast.curator)
    # 120 rows over a limit of 100: what matters is the limit, not the size (the 400-row files
    # below check the row numbers of a long file).
    data = big_file(rows=120)

    # The inline import of the same file, for comparison, then undone.
    settings.IMPORT_INLINE_MAX_ROWS = 1000
    with transaction.atomic():
        page = client.post(reverse(IMPORT_URL), {"file": upload("big.csv", data)})
        assert "Imported big.csv: 119 created, 1 updated, 0 unchanged." in page.text
        inline = directory_state()
        transaction.set_rollback(True)
    assert not Actor.objects.filter(slug="actor-0000").exists()

    settings.IMPORT_INLINE_MAX_ROWS = 100
    job = follow_job(client, client.post(reverse(IMPORT_URL), {"file": upload("big.csv", data)}))
    assert directory_state() == inline

    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "Import actors from big.csv" in page
    assert "Done" in page
    assert "Imported big.csv: 119 created, 1 updated, 0 unchanged." in page
    report_url = reverse("admin:directory_actor_import_report", args=[job.pk])
    assert report_url in page
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (120, 120)
    assert job.payload is None  # the file is not kept once imported

    report = client.get(report_url).text
    assert "Created (119)" in report and "Updated (1)" in report
    assert "Actor 0119" in report and "lyon-life" in report

    # The bulk change queues one rebuild of the ranking index, seen by curators.
    rebuild = Job.objects.get(kind=INDEX_JOB_KIND)
    assert rebuild.status == JobStatus.SUCCEEDED
    assert "after the import of big.csv" in rebuild.title


def test_a_bad_row_350_fails_the_job_names_row_and_column_and_writes_nothing(
    client, cast, taxonomy
):
    before = counts()
    client.force_login(cast.curator)
    data = big_file(row350={"sectors": "biotek"})

    job = follow_job(client, client.post(reverse(IMPORT_URL), {"file": upload("big.csv", data)}))

    assert counts() == before
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == 1  # bad input is not tried again
    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "Failed" in page
    assert (
        "Nothing was written: big.csv has 1 problem (row 350, column sectors: unknown sector "
        "&#x27;biotek&#x27;). Fix the file and import it again."
    ) in page
    assert not Job.objects.filter(kind=INDEX_JOB_KIND).exists()


def test_confirming_twice_gives_one_job(client, cast, taxonomy, settings):
    # A real queue: the job waits for a worker instead of running inside the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_INLINE_MAX_ROWS = 5  # fewer rows, the same path
    client.force_login(cast.curator)
    data = big_file(rows=20)

    first = client.post(reverse(IMPORT_URL), {"file": upload("big.csv", data)})
    second = client.post(reverse(IMPORT_URL), {"file": upload("big.csv", data)})

    job = follow_job(client, first)
    assert second.url == first.url
    assert Job.objects.filter(kind=IMPORT_KIND).count() == 1
    assert not Actor.objects.filter(slug="actor-0000").exists()  # not yet: it waits
    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "Waiting to start" in page

    run_job(job_id=job.pk)  # a worker picks it up
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert Actor.objects.filter(slug__startswith="actor-").count() == 19

    # Once it is done, sending the file again is a new import, which finds nothing to change.
    third = client.post(reverse(IMPORT_URL), {"file": upload("big.csv", data)})
    again = Job.objects.filter(kind=IMPORT_KIND).exclude(pk=job.pk).get()
    assert third.url == reverse("jobs:detail", args=[again.pk])
    run_job(job_id=again.pk)
    again.refresh_from_db()
    assert again.result["summary"] == (
        "Every actor in big.csv is already as the file says: nothing was written."
    )


def test_a_manager_cannot_see_a_curators_import_job(client, cast, taxonomy, settings):
    settings.IMPORT_INLINE_MAX_ROWS = 5
    client.force_login(cast.curator)
    data = big_file(rows=20)
    job = follow_job(client, client.post(reverse(IMPORT_URL), {"file": upload("big.csv", data)}))

    client.force_login(cast.manager)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    report = client.get(reverse("admin:directory_actor_import_report", args=[job.pk]))
    assert report.status_code == 302 and "/login/" in report.url  # the admin is for staff


def test_a_large_dry_run_is_a_job_whose_result_is_the_preview(client, cast, taxonomy):
    before = counts()
    client.force_login(cast.curator)

    response = client.post(
        reverse(IMPORT_URL), {"file": upload("big.csv", big_file()), "dry_run": "on"}
    )

    job = follow_job(client, response)
    assert counts() == before
    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "Check actors from big.csv" in page
    assert "Checked big.csv: importing it would give 399 created, 1 updated, 0 unchanged." in page
    report = client.get(reverse("admin:directory_actor_import_report", args=[job.pk])).text
    assert "Dry run of big.csv: nothing was written." in report
    assert "Would be created (399)" in report and "Would be updated (1)" in report
    assert not Job.objects.filter(kind=INDEX_JOB_KIND).exists()


def test_a_large_dry_run_with_problems_lists_them_in_its_report(client, cast, taxonomy):
    client.force_login(cast.curator)
    data = big_file(row350={"sectors": "biotek"}, row400={"kind": "spaceship"})

    job = follow_job(
        client, client.post(reverse(IMPORT_URL), {"file": upload("big.csv", data), "dry_run": "on"})
    )

    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "Checked big.csv: 2 problems found, so importing it would write nothing." in page
    report = client.get(reverse("admin:directory_actor_import_report", args=[job.pk])).text
    assert "2 problems in big.csv: nothing was written." in report
    assert "row 350, column sectors: unknown sector" in report
    assert "row 400, column kind" in report


def test_small_files_still_import_at_once(client, cast, taxonomy, settings):
    settings.IMPORT_INLINE_MAX_ROWS = 5
    client.force_login(cast.curator)
    page = client.post(reverse(IMPORT_URL), {"file": upload("small.csv", big_file(rows=5))})
    assert page.status_code == 200
    assert "Imported small.csv: 4 created, 1 updated, 0 unchanged." in page.text
    assert not Job.objects.filter(kind=IMPORT_KIND).exists()


def test_the_command_line_imports_a_large_file_at_once(cast, taxonomy, tmp_path, settings):
    settings.IMPORT_INLINE_MAX_ROWS = 5
    path = tmp_path / "big.csv"
    path.write_bytes(big_file(rows=20))
    out = io.StringIO()
    call_command("import_actors", str(path), stdout=out)
    assert "19 created, 1 updated, 0 unchanged." in out.getvalue()
    # Imported at once, not queued; the one job is the ranking index's rebuild after it.
    assert list(Job.objects.values_list("kind", flat=True)) == [INDEX_JOB_KIND]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_rows_are_counted_without_reading_cells(db, fmt):
    # Cells over two lines (contacts) count once.
    contacts = "P | | p@example.org\nQ | | q@example.org"
    rows = [valid_row(f"a-{n}", contacts=contacts) for n in range(42)]
    write = {"csv": csv_bytes, "xlsx": xlsx_bytes, "json": lambda r: json.dumps(r).encode()}
    data = write[fmt](rows)
    assert rows_in_file(data=data, filename=f"a.{fmt}") == 42
    assert rows_in_file(data=data, filename=f"a.{fmt}", enough=10) > 10
    assert rows_in_file(data=b"\x00\xff not a file", filename=f"a.{fmt}") == 0
    assert rows_in_file(data=json.dumps({"actors": rows}).encode(), filename="a.json") == 42
