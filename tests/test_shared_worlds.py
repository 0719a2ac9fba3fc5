"""The shared test worlds (tests/worlds.py): one copy serves many tests, and nothing one test
does reaches the next."""

from pathlib import Path

from directory.models import Actor

SEEN: dict[str, object] = {}


def test_a_test_changes_its_world_and_leaves_a_snapshot(world, settings):
    world.actor.name = "Renamed by the first test"
    world.actor.save()
    Actor.objects.filter(pk=world.daegu.pk).update(status="archived")
    snapshots = Path(settings.MATCHING_SNAPSHOT_DIR)
    snapshots.mkdir(parents=True, exist_ok=True)
    (snapshots / "r1-left-behind.index").write_bytes(b"from the first test")
    SEEN["snapshots"] = snapshots
    SEEN["actor"] = world.actor


def test_the_next_test_finds_the_world_as_built(world, settings):
    assert world.actor.name == "Lyon Life Sciences"
    assert Actor.objects.get(pk=world.daegu.pk).status == "published"
    if "actor" in SEEN:  # (when run after the test above, as in the suite)
        assert world.actor is not SEEN["actor"]  # its own instances
        assert Path(settings.MATCHING_SNAPSHOT_DIR) != SEEN["snapshots"]
    assert not list(Path(settings.MATCHING_SNAPSHOT_DIR).glob("*.index"))


def test_a_cast_beside_the_demo_directory_is_built_inside_the_test(demo_directory, cast):
    assert Actor.objects.filter(slug="lyon-life").get() == cast.actor
    assert Actor.objects.count() > 100  # the demo is there too
