from itertools import chain
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from tests.worlds import (
    FAST_PASSWORD_HASHERS,
    INLINE_TASKS,
    ORDER,
    SharedWorlds,
    cast_build,
    fair_build,
    is_transactional,
    shared_key,
    world_build,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per login; the hasher is not what these tests check.
    settings.PASSWORD_HASHERS = list(FAST_PASSWORD_HASHERS)


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware activates each request's language in this thread and nothing turns it
    # off: after a page fetched in Korean, code a test calls directly would speak Korean.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings):
    # Jobs run at once, inside the test's transaction, so that a view that queues work shows
    # its result; tests/jobs run real workers against the database and Redis backends.
    settings.TASKS = INLINE_TASKS


@pytest.fixture(autouse=True)
def _empty_cache():
    # Values kept per directory revision (directory/revision_cache.py): a test's rolled-back
    # transaction takes its revision numbers back, so the next test reuses them for other rows.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def sectors(db):
    from tests.factories import SectorFactory

    return [
        SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals"),
        SectorFactory(code="medical-devices", label="Medical devices"),
    ]


@pytest.fixture(autouse=True)
def _fresh_ranking_index(settings, tmp_path_factory):
    """Each test has its own directory: never serve a previous test's index."""
    from matching.index import holder

    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    # Index snapshots written by rebuild jobs stay out of the project's var/ directory, in a
    # folder of each test's own: tests over a shared world start from the same rows and the
    # same revision, so one test's snapshot could pass for the next one's.
    settings.MATCHING_SNAPSHOT_DIR = str(tmp_path_factory.mktemp("index-snapshots"))
    holder.clear()
    yield
    holder.wait()  # no rebuild thread may outlive its test's database
    holder.clear()


# -- shared worlds: a small directory with obvious partners, an event over it, the demo ----------
# (tests/worlds.py: how one copy of each serves every test that asks for it)

_worlds: SharedWorlds | None = None
_current_item = None


@pytest.fixture(scope="session")
def _shared_worlds(django_db_setup, django_db_blocker):
    global _worlds
    _worlds = SharedWorlds(django_db_blocker)
    try:
        _worlds.enter(shared_key(_current_item))  # the first test that asks for one
    except Exception as exc:
        # Not raised here: a session fixture's error would come back for every later test.
        # This test builds its own world (and meets the error itself); the next one retries.
        _worlds.failure = exc
    yield _worlds
    _worlds.close()
    _worlds = None


def _shared_copy(worlds: SharedWorlds, request):
    """A fresh copy of the shared cast/world/fair this test runs over, or None (it builds its
    own: a transactional test, or one over the demo directory that also asks for a cast)."""
    key = shared_key(request.node)
    if key is None or key != worlds.key or worlds.snapshot is None:
        return None
    return worlds.fresh()


@pytest.fixture
def cast(_shared_worlds, db, request):
    """Owner, other manager, curator and organiser around two European actors and a Korean one
    (tests/worlds.py, cast_build)."""
    return _shared_copy(_shared_worlds, request) or cast_build()


@pytest.fixture
def world(cast):
    """cast's European actors plus a small Korean side with one obvious partner each
    (tests/worlds.py, world_build)."""
    return cast if "world" in cast.levels else world_build(cast)


@pytest.fixture
def fair(world):
    """A one-morning event in Seoul over world (tests/worlds.py, fair_build)."""
    return world if "fair" in world.levels else fair_build(world)


@pytest.fixture
def demo_directory(_shared_worlds, db):
    """The demo directory as `manage.py load_demo` writes it (and its users, with the demo
    password); loaded once for all the tests that ask for it, and whatever a test changes is
    rolled back."""
    if _shared_worlds.key != "demo_directory":
        raise RuntimeError("the demo directory could not be loaded") from _shared_worlds.failure


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """The test database on PostgreSQL commits without waiting for the disk: durability
    across a power cut means nothing for data thrown away at the end, and the browser, job
    and concurrency tests commit thousands of times (about 3 ms each with the wait and 0.4 ms
    without, measured on a two-core test machine)."""
    from django.db import connections

    for alias in connections:
        options = connections[alias].settings_dict.setdefault("OPTIONS", {})
        if connections[alias].vendor == "postgresql":
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


ROOT_DIR = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session):
    # Pages are tested in Korean too: the catalogues must be compiled as the install steps do,
    # also when pytest is run by hand after a catalogue changed.
    import runpy

    compile_main = runpy.run_path(str(ROOT_DIR / "scripts" / "compile_translations.py"))["main"]
    assert compile_main() == 0, "a translation catalogue does not compile"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's ordering (database tests first): the tests over each shared world
    # go to the front, one group after the other, so that each world is built once.
    for item in items:
        if "demo_directory" in item.fixturenames and is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: demo_directory is shared inside a transaction, which a "
                "transactional test would flush; call `load_demo` in the test instead"
            )
    groups: dict[str | None, list] = {key: [] for key in (*ORDER, None)}
    for item in items:
        groups[shared_key(item)].append(item)
    items[:] = list(chain.from_iterable(groups.values()))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    global _current_item
    _current_item = item
    # Built again (before the test's own transaction starts) if a test without it came between.
    if _worlds is not None:
        _worlds.enter(shared_key(item))
    if shared_key(item) is not None:
        from django.core.cache import cache

        cache.clear()  # the same rows in every test: nothing an earlier test cached may show


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        # Rolled back after the last test over it, before any other test starts.
        if _worlds is not None and (nextitem is None or shared_key(nextitem) != _worlds.key):
            _worlds.discard()


@pytest.fixture
def estate(fair):
    """Something behind every URL: a published schedule, a shortlist, an exclusion..."""
    from django.utils import timezone

    from directory.models import PendingChange
    from directory.partnerships import partnership_record
    from events.models import Attendee, Meeting
    from events.schedule import schedule_generate, schedule_publish
    from events.wishes import exclusion_add
    from matching.models import CandidateMark, ShortlistEntry
    from notifications.models import Notification

    fair.event.organisers.set([fair.organiser])
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    fair.meeting = Meeting.objects.filter(eu=fair.lyon).first()
    # Held, so that its outcome offers "Record as a partnership"; and one known partnership
    # (between two European actors: no ranking changes) for the actor pages' remove forms.
    Meeting.objects.filter(pk=fair.meeting.pk).update(held=True)
    fair.partnership, _ = partnership_record(
        actor=fair.actor, partner=fair.other_actor, kind="project", source="Alpine health project"
    )
    fair.exclusion = exclusion_add(event=fair.event, first=fair.turin, second=fair.gumi)
    ShortlistEntry.objects.create(added_by=fair.manager, actor=fair.actor, candidate=fair.chuncheon)
    # A candidate set aside, so that the Set aside page has a Restore form.
    CandidateMark.objects.create(
        actor=fair.actor, candidate=fair.daegu, kind="not-relevant", marked_at=timezone.now()
    )
    fair.change = PendingChange.objects.create(actor=fair.actor, author=fair.manager, proposed={})
    # A message in the owner's inbox: everyone else's opening it is a 404.
    fair.notification = Notification.objects.create(
        recipient=fair.manager, kind="estate", subject="For the owner", body="Only theirs."
    )
    Attendee.objects.create(
        participant=fair.lyon, first_name="Claire", last_name="Attendee",
        email="claire.attendee@example.org", phone="+33 4 99 88 77 66",
    )  # fmt: skip
    fair.users = {
        "owner": fair.manager, "outsider": fair.other_manager,
        "organiser": fair.organiser, "curator": fair.curator,
    }  # fmt: skip
    return fair


def pytest_collection_finish(session):
    # The suite keeps a large heap alive (Django, the analyser's caches, the demo directory):
    # with the default thresholds the garbage collector walks it again and again during the
    # allocation-heavy tests (index builds, imports). What is alive after collection is frozen
    # out of the walks, and young objects are collected in larger batches (tests/events alone:
    # 13% less CPU).
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
