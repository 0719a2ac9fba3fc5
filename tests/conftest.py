import pytest
from django.contrib.auth.models import Group

from directory.permissions import CURATORS_GROUP, ORGANISERS_GROUP
from tests.factories import ActorFactory, ContactFactory, UserFactory


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
