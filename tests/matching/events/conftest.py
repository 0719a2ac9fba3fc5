import datetime as dt

import pytest

from matching.events.participants import participant_add
from matching.events.setup import event_slots_sync
from matching.models import EventSession
from tests.factories import EventFactory


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
