"""The small worlds most tests stand on, and how one copy of each is shared by many tests.

`cast`, `world` and `fair` (tests/conftest.py) build a few actors, users and an event: over a
thousand tests ask for them, and building them costs a few hundred queries each time. A test
that does not flush the database gets them from one copy instead: the tests that ask for the
same world run one after the other (pytest_collection_modifyitems), over a copy built inside a
transaction that stays open while they run. Each test's own transaction is a savepoint within
it, so whatever a test changes is rolled back to the copy, and each test gets fresh instances
read back from it: a test may change its objects in memory as it likes, and they are separate
instances (`fair.lyon.actor` is read from the database, not the very object `fair.actor`).
After the last of those tests that transaction is rolled back too, so the tests that follow
start from an empty database, as they always did. The demo directory (`demo_directory`,
`load_demo`) is shared the same way.

A test that flushes the database (`transaction=True`, `transactional_db`, `live_server`) cannot
run inside that transaction: it builds its world itself.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.models import Group
from django.db import models

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

# Jobs run at once, inside the caller's transaction (tests/conftest.py: _jobs_run_inline).
INLINE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FAST_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # checks passwords set outside tests
]


class Cast:
    """The people and actors of a test world, as attributes (`levels`: which worlds it holds)."""

    levels: frozenset[str] = frozenset()


def cast_build() -> Cast:
    """Owner, other manager, curator and organiser around two European actors and a Korean one."""
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
    c.levels = frozenset({"cast"})
    return c


def world_build(cast: Cast) -> Cast:
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
    cast.levels = cast.levels | {"world"}
    return cast


def fair_build(world: Cast) -> Cast:
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
    world.levels = world.levels | {"fair"}
    return world


def demo_build() -> None:
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


# Each shared world, by the deepest fixture a test asks for (fair holds world holds cast).
BUILDERS: dict[str, Callable[[], Cast | None]] = {
    "demo_directory": demo_build,
    "cast": cast_build,
    "world": lambda: world_build(cast_build()),
    "fair": lambda: fair_build(world_build(cast_build())),
}
ORDER = tuple(BUILDERS)  # the order the groups run in, before every other test


def is_transactional(item) -> bool:
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    names = item.fixturenames
    return "transactional_db" in names or "live_server" in names


def shared_key(item) -> str | None:
    """Which shared world `item` runs over, or None if it builds its own (or needs none)."""
    names = getattr(item, "fixturenames", ())
    if "demo_directory" in names:
        return "demo_directory"  # a cast or world it also asks for is built inside the test
    if is_transactional(item):
        return None
    for key in reversed(ORDER):
        if key in names:
            return key
    return None


def _fresh(snapshot: Cast) -> Cast:
    """A copy of `snapshot` whose model instances are read again from the database."""
    wanted: dict[type, set] = defaultdict(set)

    def each(value):
        return value if isinstance(value, list) else [value]

    for value in vars(snapshot).values():
        for v in each(value):
            if isinstance(v, models.Model):
                wanted[type(v)].add(v.pk)
    read = {model: model._base_manager.in_bulk(pks) for model, pks in wanted.items()}

    def again(v):
        return read[type(v)][v.pk] if isinstance(v, models.Model) else v

    copy = Cast()
    for name, value in vars(snapshot).items():
        if isinstance(value, dict | set | tuple):
            # Handed as one object to every test of the group: a test's change would leak.
            raise TypeError(f"a shared world holds {name} as a {type(value).__name__}: use a list")
        setattr(copy, name, [again(v) for v in value] if isinstance(value, list) else again(value))
    return copy


class SharedWorlds:
    """The one shared world open at a time, inside its own transaction."""

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.atomic = None
        self.key: str | None = None
        self.snapshot: Cast | None = None
        self.failure: Exception | None = None  # why the first build failed, if it did
        self.snapshot_dir = tempfile.mkdtemp(prefix="shared-world-index-")

    def enter(self, key: str | None) -> None:
        """Make `key`'s world the one in the database (None: an empty database)."""
        if key == self.key:
            return
        self.discard()
        if key is None:
            return
        from django.conf import settings
        from django.db import connection, transaction
        from django.test import override_settings
        from django.utils import translation

        with self.blocker.unblock():
            if connection.in_atomic_block:
                raise RuntimeError("a shared world must be built outside any transaction")
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                # Built under the settings every test runs with (tests/conftest.py's autouse
                # fixtures are not active yet): fast hashing, jobs run at once, no index thread.
                with (
                    override_settings(
                        PASSWORD_HASHERS=list(FAST_PASSWORD_HASHERS),
                        TASKS=INLINE_TASKS,
                        MATCHING_REBUILD_IN_BACKGROUND=False,
                        MATCHING_SNAPSHOT_DIR=self.snapshot_dir,
                    ),
                    translation.override(settings.LANGUAGE_CODE),
                ):
                    self.snapshot = BUILDERS[key]()
                # A callback waiting for a commit that never comes would stay queued for the
                # whole group (and join, e.g., a later test's batch of schedule notices).
                if connection.run_on_commit:
                    raise RuntimeError(f"building {key} queued work for after a commit")
            except BaseException:
                self.discard()
                raise
            self.key, self.failure = key, None

    def fresh(self) -> Cast:
        assert self.snapshot is not None
        return _fresh(self.snapshot)

    def discard(self) -> None:
        if self.atomic is None:
            return
        from django.core.cache import cache
        from django.db import transaction

        atomic, self.atomic, self.key, self.snapshot = self.atomic, None, None, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()  # nothing computed from the shared world may outlive it

    def close(self) -> None:
        self.discard()
        shutil.rmtree(self.snapshot_dir, ignore_errors=True)
