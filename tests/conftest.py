import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.utils import translation

from directory.permissions import CURATORS_GROUP, ORGANISERS_GROUP
from events.models import EventSession
from events.participants import participant_add
from events.setup import event_slots_sync
from tests.factories import (
    ActorFactory,
    ContactFactory,
    EventFactory,
    InterestFactory,
    SectorFactory,
    UserFactory,
)

FAST_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # checks passwords set outside tests
]


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
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def cast(db):
    """Owner, other manager, curator and organiser around two European actors and a Korean one."""

    class Cast:
        pass

    c = Cast()
    c.actor = ActorFactory(name="Lyon Life Sciences", slug="lyon-life", acronym="LLS")
    c.other_actor = ActorFactory(name="Turin Health Cluster", slug="turin-health", country="IT")
    c.korean = ActorFactory(
        name="Gumi Mobile Mini Cluster",
        slug="gumi-mobile",
        side="kr",
        country="KR",
        kind="mini-cluster",
        city="Gumi",
    )
    c.contact = ContactFactory(
        actor=c.actor,
        name="Marie Secret",
        email="marie.secret@example.org",
        phone="+33 4 11 22 33 44",
    )
    c.korean_contact = ContactFactory(
        actor=c.korean, name="Kim Hidden", email="kim.hidden@example.org", phone="+82 54 000 1111"
    )
    c.manager = UserFactory(username="owner")
    c.actor.managers.add(c.manager)
    c.other_manager = UserFactory(username="outsider")
    c.other_actor.managers.add(c.other_manager)
    c.curator = UserFactory(username="curator", is_staff=True)
    c.curator.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    c.organiser = UserFactory(username="organiser")
    c.organiser.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    return c


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
    # Index snapshots written by rebuild jobs stay out of the project's var/ directory.
    settings.MATCHING_SNAPSHOT_DIR = str(tmp_path_factory.getbasetemp() / "index-snapshots")
    holder.clear()
    yield
    holder.wait()  # no rebuild thread may outlive its test's database
    holder.clear()


# -- shared worlds: a small directory with obvious partners, and an event over it -----


@pytest.fixture
def world(cast):
    """cast's European actors plus a small Korean side with one obvious partner each."""
    water = SectorFactory(code="environmental-services", label="Environmental services")
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    market = InterestFactory(code="market-access", label="Market access and export")
    rnd = InterestFactory(code="rd-projects", label="Joint R&D projects")
    a = cast.actor
    a.description = "Lyon cluster for vaccines, antibodies and diagnostics companies."
    a.save()
    a.sectors.set([bio])
    a.seeks.set([market])
    a.offers.set([rnd])
    cast.other_actor.description = "Turin water cluster: wastewater treatment and membranes."
    cast.other_actor.save()
    cast.other_actor.sectors.set([water])
    cast.chuncheon = ActorFactory(
        slug="chuncheon-bio",
        name="Chuncheon Bioindustry Foundation",
        side="kr",
        country="KR",
        kind="foundation",
        description="Bioindustry foundation for vaccines, antibodies and "
        "diagnostics start-ups in Gangwon.",
        sectors=[bio],
        offers=[market],
        seeks=[rnd],
    )
    cast.daegu = ActorFactory(
        slug="daegu-water",
        name="Daegu Water Cluster",
        side="kr",
        country="KR",
        kind="cluster-agency",
        description="Water technopole with membranes and wastewater treatment test beds.",
        sectors=[water],
    )
    cast.korean.description = "Mobile phone parts makers in Gumi."
    cast.korean.save()
    return cast


@pytest.fixture
def fair(world):
    """A one-morning event in Seoul: 2 rounds of 25 minutes, 2 tables, 2 meetings each at most.

    European: Lyon Life Sciences (vaccines), Turin Health Cluster (water).
    Korean: Chuncheon Bioindustry Foundation (vaccines), Daegu Water Cluster, Gumi Mobile.
    """
    event = EventFactory(name="Seoul Cluster Days", slug="seoul-days")
    event.organisers.add(world.organiser)
    EventSession.objects.create(
        event=event, name="Morning", date=dt.date(2026, 11, 24), start=dt.time(9), end=dt.time(10)
    )
    event_slots_sync(event=event)
    world.event = event
    world.slots = list(event.slots.order_by("starts_at"))
    world.lyon = participant_add(event=event, actor=world.actor)
    world.turin = participant_add(event=event, actor=world.other_actor)
    world.chuncheon_p = participant_add(event=event, actor=world.chuncheon)
    world.daegu_p = participant_add(event=event, actor=world.daegu)
    world.gumi = participant_add(event=event, actor=world.korean)
    return world


# -- the demo directory (fixtures/demo/, `load_demo`), loaded once per session ------------------
#
# Loading it takes seconds. The tests that ask for `demo_directory` run first in the session
# (pytest_collection_modifyitems below), over one copy loaded inside a transaction that stays
# open while they run: each test's own transaction is a savepoint within it, so whatever a test
# changes is rolled back to the loaded copy. After the last of them that transaction is rolled
# back as well (pytest_runtest_teardown), so the tests that follow start from an empty database,
# as they always did. A transactional test (`transaction=True`, `transactional_db`, `live_server`)
# flushes the database and cannot run inside that transaction: it loads the demo itself.


def _is_transactional(item) -> bool:
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    names = item.fixturenames
    return "transactional_db" in names or "live_server" in names


def _uses_demo(item) -> bool:
    return "demo_directory" in getattr(item, "fixturenames", ())


class _SharedDemo:
    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.atomic = None

    def ensure_loaded(self) -> None:
        if self.atomic is not None:
            return
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test import override_settings

        with self.blocker.unblock():
            if connection.in_atomic_block:
                raise RuntimeError("the demo directory must be loaded outside any transaction")
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                # Demo users get the tests' fast hasher, as the factories' users do.
                with override_settings(PASSWORD_HASHERS=list(FAST_PASSWORD_HASHERS)):
                    call_command("load_demo", stdout=io.StringIO())
            except BaseException:
                self.discard()
                raise

    def discard(self) -> None:
        if self.atomic is None:
            return
        from django.core.cache import cache
        from django.db import transaction

        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()  # nothing computed from the demo data may outlive it


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


_shared_demo: _SharedDemo | None = None


@pytest.fixture(scope="session")
def _demo_directory_session(django_db_setup, django_db_blocker):
    global _shared_demo
    _shared_demo = _SharedDemo(django_db_blocker)
    _shared_demo.ensure_loaded()
    yield _shared_demo
    _shared_demo.discard()
    _shared_demo = None


@pytest.fixture
def demo_directory(_demo_directory_session, db):
    """The demo directory as `manage.py load_demo` writes it (and its users, with the demo
    password); loaded once per session, and whatever a test changes is rolled back."""
    assert _demo_directory_session.atomic is not None


ROOT_DIR = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session):
    # Pages are tested in Korean too: the catalogues must be compiled as the install steps do,
    # also when pytest is run by hand after a catalogue changed.
    import runpy

    compile_main = runpy.run_path(str(ROOT_DIR / "scripts" / "compile_translations.py"))["main"]
    assert compile_main() == 0, "a translation catalogue does not compile"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's ordering (database tests first): the tests over the demo directory
    # go to the very front, so that it is loaded once for all of them.
    for item in items:
        if _uses_demo(item) and _is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: demo_directory is shared inside a transaction, which a "
                "transactional test would flush; call `load_demo` in the test instead"
            )
    demo = [item for item in items if _uses_demo(item)]
    if demo:
        ids = {id(item) for item in demo}
        items[:] = demo + [item for item in items if id(item) not in ids]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Loaded again (before the test's own transaction starts) if a test without it came between.
    if _shared_demo is not None and _uses_demo(item):
        _shared_demo.ensure_loaded()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        # Rolled back after the last test that uses it, before any other test starts.
        if _shared_demo is not None and (nextitem is None or not _uses_demo(nextitem)):
            _shared_demo.discard()


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
