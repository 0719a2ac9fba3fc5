"""Events moved from the matching app to their own: a database filled at the old layout keeps
every row, and permissions granted on the old models still hold."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from events.models import Attendee, Event, Exclusion, Meeting, Participant, TimeSlot, Wish

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate_to_old_layout():
    """Unapply the move; the state is then the last one with events in the matching app."""
    executor = MigrationExecutor(connection)
    executor.migrate([("events", None)])
    old = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in ("events", "matching")]
    return executor.loader.project_state([*old, ("matching", "0002_events")]).apps


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _fill_old_layout(apps):
    """An event at the old layout, through the historical models of the matching app."""
    Actor = apps.get_model("directory", "Actor")
    OldEvent = apps.get_model("matching", "Event")
    OldSession = apps.get_model("matching", "EventSession")
    OldSlot = apps.get_model("matching", "TimeSlot")
    OldParticipant = apps.get_model("matching", "Participant")
    OldAttendee = apps.get_model("matching", "Attendee")
    OldWish = apps.get_model("matching", "Wish")
    OldExclusion = apps.get_model("matching", "Exclusion")
    OldMeeting = apps.get_model("matching", "Meeting")
    User = apps.get_model("auth", "User")

    organiser = User.objects.create(username="organiser-before-the-move")
    actors = [
        Actor.objects.create(
            name=f"Actor {i}",
            slug=f"actor-{i}",
            side="eu" if i < 2 else "kr",
            kind="cluster",
            country="FR" if i < 2 else "KR",
            status="published",
        )
        for i in range(4)
    ]
    event = OldEvent.objects.create(
        name="Matchmaking before the move",
        slug="before-the-move",
        place="Seoul",
        starts_on=dt.date(2026, 11, 5),
        ends_on=dt.date(2026, 11, 5),
        tables=4,
    )
    event.organisers.add(organiser)
    session = OldSession.objects.create(
        event=event,
        name="Morning",
        date=dt.date(2026, 11, 5),
        start=dt.time(9),
        end=dt.time(12),
    )
    slots = [
        OldSlot.objects.create(
            event=event,
            session=session,
            starts_at=dt.datetime(2026, 11, 5, 0, 30 * i, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 11, 5, 0, 30 * i + 25, tzinfo=dt.UTC),
        )
        for i in range(2)
    ]
    eu1, eu2, kr1, kr2 = (
        OldParticipant.objects.create(event=event, actor=a, status="accepted") for a in actors
    )
    eu2.absent_from.add(session)
    OldAttendee.objects.create(participant=eu1, first_name="Ana", last_name="Moreau")
    OldWish.objects.create(participant=eu1, target=kr1, level="must")
    OldExclusion.objects.create(event=event, eu=eu2, kr=kr2)
    OldMeeting.objects.create(
        event=event,
        slot=slots[0],
        table=1,
        eu=eu1,
        kr=kr1,
        fixed=True,
        score=0.5,
        reason="Both work on water",
        held=True,
        follow_up="mou",
        outcome_note="MoU in March",
    )
    OldMeeting.objects.create(event=event, slot=slots[1], table=2, eu=eu1, kr=kr2, held=False)
    return organiser


@pytest.fixture
def old_apps():
    apps = _migrate_to_old_layout()
    yield apps
    _migrate_to_latest()  # also when the test failed half-way, for the tests that follow


def test_every_row_of_an_event_survives_the_move_to_the_events_app(old_apps):
    organiser = _fill_old_layout(old_apps)
    # A permission granted on the old model, as a deployment may have done.
    OldEvent = old_apps.get_model("matching", "Event")
    old_type = ContentType.objects.get_or_create(app_label="matching", model="event")[0]
    permission = Permission.objects.get_or_create(
        content_type=old_type, codename="change_event", defaults={"name": "Can change event"}
    )[0]
    group = Group.objects.create(name="Event helpers")
    group.permissions.add(permission)
    assert OldEvent.objects.count() == 1

    _migrate_to_latest()

    event = Event.objects.get(slug="before-the-move")
    assert list(event.organisers.values_list("username", flat=True)) == [organiser.username]
    assert event.sessions.count() == 1
    assert TimeSlot.objects.filter(event=event).count() == 2
    assert Participant.objects.filter(event=event, status="accepted").count() == 4
    assert Participant.objects.get(actor__slug="actor-1").absent_from.count() == 1
    assert Attendee.objects.get().last_name == "Moreau"
    wish = Wish.objects.get()
    assert (wish.participant.actor.slug, wish.target.actor.slug, wish.level) == (
        "actor-0",
        "actor-2",
        "must",
    )
    exclusion = Exclusion.objects.get()
    assert (exclusion.eu.actor.slug, exclusion.kr.actor.slug) == ("actor-1", "actor-3")
    held = Meeting.objects.get(table=1)
    assert (held.fixed, held.held, held.follow_up, held.outcome_note, held.reason) == (
        True,
        True,
        "mou",
        "MoU in March",
        "Both work on water",
    )
    assert Meeting.objects.get(table=2).held is False
    # The permission now belongs to the moved model, and the group still has it.
    assert ContentType.objects.get_for_model(Event).pk == old_type.pk
    assert group.permissions.filter(
        content_type__app_label="events", codename="change_event"
    ).exists()
    assert not ContentType.objects.filter(app_label="matching", model="event").exists()
