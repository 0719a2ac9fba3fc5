"""The ranking index rebuilt by a job after bulk changes, and the snapshot web processes load."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Actor, Status
from jobs.models import Job, JobStatus
from jobs.runner import run_job
from matching.index import INDEX_JOB_KIND, IndexHolder, index_build, snapshot_dir
from matching.jobs import schedule_index_rebuild

LONG_DESCRIPTION = (
    "A cluster of companies, laboratories and hospitals that work together on research, "
    "training and export projects, and look for partners in Europe."
)
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def snapshots(settings, tmp_path):
    """This test's own snapshot folder."""
    settings.MATCHING_SNAPSHOT_DIR = str(tmp_path / "index")


def top_ten(index, slug: str) -> list[tuple]:
    key = Actor.objects.get(slug=slug).pk
    return [
        (m.slug, m.score, m.shared_terms, m.shared_sectors, m.peer_partners)
        for m in index.rank(key, top=10, explain=10)
    ]


def test_the_job_stores_a_snapshot_that_a_fresh_index_loads_and_ranks_the_same(
    demo_directory,
):
    job = schedule_index_rebuild(reason="a test")

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error_detail
    assert "The ranking index now covers the directory as it is" in job.result["summary"]
    assert len(list(snapshot_dir().glob("*.index"))) == 1

    web = IndexHolder()  # a web process that has not ranked anything yet
    loaded = web.get(background=False)
    assert (web.loads, web.builds) == (1, 0)
    built = index_build()
    assert loaded is not built and loaded.version == built.version
    for slug in ("lyonbiopole", "biocat"):
        assert top_ten(loaded, slug) == top_ten(built, slug)
        assert len(top_ten(loaded, slug)) == 10


def test_a_change_after_the_snapshot_is_built_not_served_from_it(world):
    schedule_index_rebuild(reason="a test")
    world.daegu.description = "Hydrogen fuel cells and electrolysers for buses."
    world.daegu.save()

    web = IndexHolder()
    index = web.get(background=False)

    assert (web.loads, web.builds) == (0, 1)
    assert "electrolysers" in index.vectorizer.vocabulary_


def test_a_damaged_snapshot_is_ignored(world):
    schedule_index_rebuild(reason="a test")
    (stored,) = snapshot_dir().glob("*.index")
    stored.write_bytes(b"not an index")

    web = IndexHolder()
    index = web.get(background=False)

    assert (web.loads, web.builds) == (0, 1)
    assert index.size == Actor.objects.count()


def test_an_unreadable_snapshot_is_ignored_and_the_index_built(world):
    schedule_index_rebuild(reason="a test")
    (stored,) = snapshot_dir().glob("*.index")
    # In its place, something that cannot be read as a file (a folder: whoever runs the
    # tests, even as root, gets an error reading it).
    stored.unlink()
    stored.mkdir()

    web = IndexHolder()
    index = web.get(background=False)

    assert (web.loads, web.builds) == (0, 1)
    assert index.size == Actor.objects.count()
    stored.rmdir()


class Planted:
    """What a hostile pickle would do on loading: leave a mark."""

    ran = False

    def __reduce__(self):
        return (setattr, (Planted, "ran", True))


def test_a_snapshot_not_signed_by_this_site_is_never_unpickled(world, settings):
    import pickle

    schedule_index_rebuild(reason="a test")
    (stored,) = snapshot_dir().glob("*.index")
    # Someone with write access to the folder (shared storage) plants a pickle of their own,
    # with or without our header: loading it would run their code.
    for planted in (pickle.dumps(Planted()), stored.read_bytes()[:7] + b"x" * 32 + b"y"):
        stored.write_bytes(planted)
        web = IndexHolder()
        web.get(background=False)
        assert (web.loads, web.builds) == (0, 1)
    assert Planted.ran is False
    # A snapshot signed with another site's key is refused as well.
    schedule_index_rebuild(reason="again")
    settings.SECRET_KEY = "another site's secret key, long enough to be a real one"
    web = IndexHolder()
    web.get(background=False)
    assert (web.loads, web.builds) == (0, 1)


@pytest.mark.django_db(transaction=True)
def test_a_stale_web_process_waits_for_the_rebuild_job_then_loads_its_snapshot(world, settings):
    settings.TASKS = DATABASE_BACKEND  # the job waits for a worker
    web = IndexHolder()
    first = web.get(background=True)  # cold start: built while waiting
    Actor.objects.filter(pk=world.daegu.pk).update(status=Status.ARCHIVED)  # a bulk change
    job = schedule_index_rebuild(reason="archiving 1 actor")

    assert web.get(background=True) is first  # the job's snapshot will come: no build here
    assert web._rebuilding is None

    run_job(job_id=job.pk)  # a worker builds it
    assert web.get(background=True) is first  # the load itself runs in the background
    web.wait()
    fresh = web.get(background=True)
    assert fresh is not first
    assert (web.loads, web.builds) == (1, 1)
    assert not fresh.published[fresh.row_of(world.daegu.pk)]


def test_a_bulk_publish_in_the_admin_queues_a_rebuild_that_curators_see(client, world):
    drafts = [world.chuncheon, world.daegu]
    Actor.objects.filter(pk__in=[a.pk for a in drafts]).update(
        status=Status.DRAFT, description=LONG_DESCRIPTION
    )
    client.force_login(world.curator)
    client.post(
        reverse("admin:directory_actor_changelist"),
        {"action": "publish", "_selected_action": [a.pk for a in drafts]},
    )

    job = Job.objects.get(kind=INDEX_JOB_KIND)
    assert job.status == JobStatus.SUCCEEDED
    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "Rebuild the ranking index after publishing 2 actor(s)" in page
    assert "The ranking index now covers the directory as it is" in page
    client.force_login(world.manager)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_a_merge_queues_a_rebuild(client, world):
    client.force_login(world.curator)
    keep, remove = world.actor, world.other_actor
    data = {"first": keep.pk, "second": remove.pk, "keep": keep.pk, "confirm": "1"}

    response = client.post(reverse("curation_merge"), data)

    assert response.status_code == 302
    job = Job.objects.get(kind=INDEX_JOB_KIND)
    assert job.title == f"Rebuild the ranking index after merging {remove.slug}"
    assert job.status == JobStatus.SUCCEEDED
    assert remove.pk not in IndexHolder().get(background=False).position


def edit_profile(actor, words: str) -> None:
    """A curator's edit of one profile: no job is queued for it."""
    actor.description = f"{actor.description} {words}"
    actor.save()


@pytest.mark.django_db(transaction=True)
def test_an_edited_profile_is_rebuilt_once_by_a_job_not_by_every_web_process(world, settings):
    settings.TASKS = DATABASE_BACKEND  # the job waits for a worker
    web, other = IndexHolder(), IndexHolder()  # two web processes
    first, first_other = web.get(background=True), other.get(background=True)
    edit_profile(world.daegu, "Electrolysers for hydrogen buses.")

    assert web.get(background=True) is first  # the previous index answers meanwhile
    web.wait()
    assert other.get(background=True) is first_other
    other.wait()
    (job,) = Job.objects.filter(kind=INDEX_JOB_KIND)  # one job for both processes
    assert job.status == JobStatus.QUEUED
    assert job.title == "Rebuild the ranking index after changes to the directory"
    assert (web.builds, other.builds) == (1, 1)  # their cold starts only

    run_job(job_id=job.pk)  # a worker builds it, once
    for process in (web, other):
        process.get(background=True)
        process.wait()
        fresh = process.get(background=True)
        assert "electrolysers" in fresh.terms.tolist()
        assert (process.loads, process.builds) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_job_no_worker_takes_is_not_waited_for(world, settings):
    settings.TASKS = DATABASE_BACKEND
    web = IndexHolder()
    first = web.get(background=True)
    edit_profile(world.daegu, "Electrolysers for hydrogen buses.")
    web.get(background=True)
    web.wait()
    # The job is still queued after the wait: the workers are stopped or busy for long.
    Job.objects.filter(kind=INDEX_JOB_KIND).update(
        created_at=timezone.now() - timedelta(seconds=settings.MATCHING_SNAPSHOT_WAIT_SECONDS + 1)
    )
    web.get(background=True)
    web.wait()
    fresh = web.get(background=True)
    assert fresh is not first and "electrolysers" in fresh.terms.tolist()
    assert web.builds == 2 and Job.objects.filter(kind=INDEX_JOB_KIND).count() == 1


@pytest.mark.django_db(transaction=True)
def test_with_waiting_switched_off_a_process_builds_its_own_and_queues_nothing(world, settings):
    settings.TASKS = DATABASE_BACKEND
    settings.MATCHING_SNAPSHOT_WAIT_SECONDS = 0
    web = IndexHolder()
    web.get(background=True)
    edit_profile(world.daegu, "Electrolysers for hydrogen buses.")
    web.get(background=True)
    web.wait()
    assert "electrolysers" in web.get(background=True).terms.tolist()
    assert web.builds == 2 and not Job.objects.filter(kind=INDEX_JOB_KIND).exists()


def test_a_korean_curator_follows_the_build_steps_in_korean(world):
    from django.utils import translation

    from matching.jobs import _rebuild

    said = []
    with translation.override("ko"):
        _rebuild(lambda done, total, message: said.append(str(message)))
    assert any("각 프로필의 단어 가중치 계산(TF-IDF)" in m for m in said), said
    assert any("분야와 관심사" in m for m in said), said
    assert not any("fitting TF-IDF" in m or "sectors and interests" in m for m in said), said
