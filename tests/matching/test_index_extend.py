"""An index that takes new actors without refitting (`extend_index`), so that a bulk import
shows in rankings in seconds; the rebuild job stores it first and the full build after it."""

import logging
from dataclasses import replace

import numpy as np
import pytest

from bench.synthetic import synthetic_profiles
from directory.models import Actor
from matching import index as index_module
from matching import snapshot_file
from matching.engine import Filters, build_index, extend_index
from matching.index import IndexHolder, snapshot_dir, snapshot_latest, snapshot_write
from matching.jobs import schedule_index_rebuild
from tests.factories import ActorFactory, SectorFactory

BASE = 360  # with the latent part (more profiles than its 100 dimensions)


@pytest.fixture(scope="module")
def grown():
    profiles = synthetic_profiles(BASE + 40)
    # The newcomers copy an indexed European profile's words (new keys, slugs and names), so
    # that where they belong in a ranking is known.
    model = profiles[0]
    newcomers = [
        replace(p, text=model.text, sectors=model.sectors, side="kr") for p in profiles[BASE:]
    ]
    before = build_index(profiles[:BASE], version=1)
    after = extend_index(before, [*profiles[:BASE], *newcomers], version=2)
    return before, after, newcomers


def keys(matches) -> list[int]:
    return [m.key for m in matches]


def test_the_new_actors_are_ranked_and_the_index_says_a_full_build_is_due(grown):
    before, after, newcomers = grown
    assert after is not None and after.refit_due and not before.refit_due
    assert (after.version, after.size) == (2, BASE + 40)
    assert after.latent is not None and after.latent.shape == (BASE + 40, before.latent.shape[1])
    # The European profile the newcomers copied finds them first.
    top = keys(after.rank(0, top=40))
    assert set(top[:10]) <= {p.key for p in newcomers}
    assert after.profiles[after.position[newcomers[0].key]] == newcomers[0]


def test_the_indexed_actors_keep_their_scores_and_order(grown):
    before, after, newcomers = grown
    leave_out = Filters(exclude=frozenset(p.key for p in newcomers))
    for query in (0, 3, 6, 30):
        old = before.rank(query, top=20, explain=20)
        new = after.rank(query, top=20, explain=20, filters=leave_out)
        assert keys(new) == keys(old)
        assert np.allclose([m.score for m in new], [m.score for m in old], atol=1e-6)
        # The words shown may differ: which words are too common to show is decided over the
        # whole directory, newcomers included, as a full build decides it.


def test_a_full_build_ranks_the_newcomers_first_too(grown):
    _before, after, newcomers = grown
    full = build_index([*after.profiles], version=2)
    assert not full.refit_due
    newcomer_keys = {p.key for p in newcomers}
    assert set(keys(full.rank(0, top=10))) <= newcomer_keys
    assert set(keys(after.rank(0, top=10))) <= newcomer_keys


@pytest.mark.parametrize(
    "change",
    ["text", "removed", "new sector", "published", "labels"],
)
def test_anything_but_new_actors_needs_a_full_build(grown, change):
    before, _after, _newcomers = grown
    profiles = list(before.profiles)
    labels = {}
    if change == "text":
        profiles[5] = replace(profiles[5], text=profiles[5].text + " hydrogen")
    elif change == "removed":
        del profiles[7]
    elif change == "new sector":
        profiles.append(replace(profiles[0], key=10_000, slug="n", sectors=frozenset({"new"})))
    elif change == "published":
        profiles[2] = replace(profiles[2], published=not profiles[2].published)
    else:
        labels = {"sector_labels": {"sector-1": "Something else"}}
    assert extend_index(before, profiles, version=3, **labels) is None


def test_nothing_new_keeps_the_rows_and_takes_the_new_partnerships(grown):
    before, _after, _newcomers = grown
    eu, kr = 0, 1  # actor-0 is European, actor-1 Korean
    same = extend_index(before, list(before.profiles), version=5, links=[(eu, kr)])
    assert same is not None and same.size == before.size and same.version == 5
    assert same.links[before.position[eu], before.position[kr]] == 1
    assert before.links.nnz == 0


# -- the rebuild job and the web processes -------------------------------------------------


@pytest.fixture
def snapshots(settings, tmp_path, monkeypatch):
    settings.MATCHING_SNAPSHOT_DIR = str(tmp_path / "index")
    monkeypatch.setattr(index_module, "FULL_BUILD_LOOK_SECONDS", 0)


def newcomer(n: int, sector) -> Actor:
    return ActorFactory(
        slug=f"incheon-vaccines-{n}",
        name=f"Incheon Vaccine Makers {n}",
        side="kr",
        country="KR",
        description="Vaccines, antibodies and diagnostics makers looking for European clusters.",
        sectors=[sector],
    )


def test_the_job_stores_the_extended_index_first_then_the_full_build(world, snapshots, caplog):
    schedule_index_rebuild(reason="the first import")
    bio = SectorFactory(code="biopharmaceuticals")
    for n in range(3):
        newcomer(n, bio)
    with caplog.at_level(logging.INFO, logger="matching.jobs"):
        schedule_index_rebuild(reason="the second import")
    assert any("ranking index extended" in r.getMessage() for r in caplog.records)
    # What stays is the full build's snapshot alone.
    (stored,) = snapshot_dir().glob("*.index")
    assert "partial" not in stored.name
    web = IndexHolder()
    index = web.get(background=False)
    assert web.loads == 1 and not index.refit_due
    assert "incheon-vaccines-0" in [m.slug for m in index.rank(world.actor.pk, top=5)]


def test_a_web_process_serving_the_extended_index_takes_the_full_build_when_stored(
    world, snapshots
):
    schedule_index_rebuild(reason="the first import")
    previous = snapshot_latest()
    bio = SectorFactory(code="biopharmaceuticals")
    newcomer(1, bio)
    from matching.index import index_extend, index_inputs

    extended = index_extend(previous, index_inputs())
    assert extended is not None and extended.refit_due
    snapshot_write(extended)
    web = IndexHolder()
    served = web.get(background=False)
    assert served.refit_due and "incheon-vaccines-1" in [
        m.slug for m in served.rank(world.actor.pk, top=5)
    ]
    schedule_index_rebuild(reason="the refit")  # the job's full build of the same revision
    again = web.get(background=False)
    assert not again.refit_due and again.version == served.version and web.loads == 2


def test_a_snapshot_written_by_other_code_is_never_extended(world, snapshots):
    schedule_index_rebuild(reason="the first import")
    (stored,) = snapshot_dir().glob("*.index")
    data = bytearray(stored.read_bytes())
    start = len(snapshot_file.MARK)
    data[start : start + 12] = b"0" * 12  # another code's tag
    stored.write_bytes(bytes(data))
    assert snapshot_latest() is None


@pytest.mark.django_db(transaction=True)  # the load runs in a thread of its own
def test_a_stale_web_process_waiting_for_the_job_loads_its_extended_index(
    world, snapshots, settings
):
    from jobs.models import Job
    from matching.index import INDEX_JOB_KIND, index_extend, index_inputs

    schedule_index_rebuild(reason="the first import")
    previous = snapshot_latest()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    web = IndexHolder()
    first = web.get(background=True)  # the first import's snapshot
    newcomer(2, SectorFactory(code="biopharmaceuticals"))
    schedule_index_rebuild(reason="the second import")  # queued: no worker runs it here
    assert Job.objects.filter(kind=INDEX_JOB_KIND, status="queued").exists()
    assert web.get(background=True) is first  # waits for the job's snapshot
    snapshot_write(index_extend(previous, index_inputs()))  # the job's first step
    web.get(background=True)
    web.wait()
    served = web.get(background=True)
    assert served.refit_due and "incheon-vaccines-2" in [
        m.slug for m in served.rank(world.actor.pk, top=5)
    ]


@pytest.mark.django_db(transaction=True)  # the parent's warm-up closes connections and forks
def test_a_server_starting_beside_only_an_extended_index_builds_the_full_one(world, snapshots):
    from matching.index import holder, index_extend, index_inputs, index_warm_before_fork

    schedule_index_rebuild(reason="the first import")
    previous = snapshot_latest()
    newcomer(3, SectorFactory(code="biopharmaceuticals"))
    # What a job leaves when its full build dies (out of memory) after the extended index.
    snapshot_write(index_extend(previous, index_inputs()))
    assert [p.name.endswith("-partial.index") for p in snapshot_dir().glob("*.index")] == [True]
    holder.clear()
    assert index_warm_before_fork() is True
    assert not holder.peek().refit_due
    assert any(not p.name.endswith("-partial.index") for p in snapshot_dir().glob("*.index"))


def test_a_failing_extension_still_ends_in_the_full_build(world, snapshots, monkeypatch, caplog):
    import matching.jobs

    def broken(previous, inputs):
        raise MemoryError("no room for the extended index")

    schedule_index_rebuild(reason="the first import")
    newcomer(4, SectorFactory(code="biopharmaceuticals"))
    monkeypatch.setattr(matching.jobs, "index_extend", broken)
    with caplog.at_level(logging.ERROR, logger="matching.jobs"):
        job = schedule_index_rebuild(reason="the second import")
    job.refresh_from_db()
    assert job.status == "succeeded", job.error_detail
    assert any("building it in full" in r.getMessage() for r in caplog.records)
    index = IndexHolder().get(background=False)
    assert not index.refit_due
    assert "incheon-vaccines-4" in [m.slug for m in index.rank(world.actor.pk, top=5)]
