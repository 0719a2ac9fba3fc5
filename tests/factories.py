"""Factories for test data: each test builds exactly the directory it needs."""

import factory
from django.contrib.auth import get_user_model

from directory.models import Actor, ContactPerson, Interest, Region, Sector

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    label = factory.LazyAttribute(lambda s: s.code.replace("-", " ").capitalize())
    group = "traded"


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"interest-{n}")
    label = factory.LazyAttribute(lambda s: s.code.replace("-", " ").capitalize())


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    country = "FR"


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    side = "eu"
    country = "FR"
    city = "Lyon"
    kind = "eu-cluster"
    description = "A cluster organisation working on many things with many partners."
    status = "published"

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)

    @factory.post_generation
    def offers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.offers.set(extracted)

    @factory.post_generation
    def seeks(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.seeks.set(extracted)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    actor = factory.SubFactory(ActorFactory)
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    role = "Project manager"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = factory.Sequence(lambda n: f"+33 4 00 00 {n:04d}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Event"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Matchmaking {n}")
    slug = factory.Sequence(lambda n: f"matchmaking-{n}")
    place = "COEX, Seoul"
    timezone = "Asia/Seoul"
    starts_on = factory.LazyFunction(lambda: __import__("datetime").date(2026, 11, 24))
    ends_on = factory.LazyAttribute(lambda e: e.starts_on)
    meeting_minutes = 25
    break_minutes = 5
    tables = 2
    max_meetings = 2
