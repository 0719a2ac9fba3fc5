import datetime as dt

import pytest
from django.contrib.auth.models import Group

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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per login; the hasher is not what these tests check.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # checks passwords set outside tests
    ]


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
def _fresh_ranking_index(settings):
    """Each test has its own directory: never serve a previous test's index."""
    from matching.index import holder

    settings.MATCHING_REBUILD_IN_BACKGROUND = False
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
