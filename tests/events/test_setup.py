import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events.models import EventSession
from events.schedule import meeting_add
from events.setup import event_slots_sync


def test_rounds_are_cut_from_the_session_in_the_event_time_zone(fair):
    starts = [s.starts_at for s in fair.slots]
    # 09:00 and 09:30 in Seoul (UTC+9) are midnight and half past in UTC; a third round
    # (10:00) would end after the session.
    assert starts == [
        dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 24, 0, 30, tzinfo=dt.UTC),
    ]
    assert all(s.ends_at - s.starts_at == dt.timedelta(minutes=25) for s in fair.slots)


def test_a_longer_session_adds_rounds_and_keeps_the_booked_ones(fair):
    meeting = meeting_add(
        event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0], table=1
    )
    session = fair.event.sessions.get()
    session.end = dt.time(11)
    session.save()
    slots = event_slots_sync(event=fair.event)
    assert len(slots) == 4
    meeting.refresh_from_db()
    assert meeting.slot_id == fair.slots[0].pk


def test_dropping_a_round_that_holds_meetings_is_refused(fair):
    meeting_add(event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[1], table=1)
    session = fair.event.sessions.get()
    session.end = dt.time(9, 30)
    session.save()
    # Issue 14: the meeting is named and the organiser chooses (tests/events/test_shape_changes.py).
    with pytest.raises(ValidationError, match="leave 1 meeting outside the event"):
        event_slots_sync(event=fair.event)
    assert fair.event.slots.count() == 2


def test_sessions_outside_the_event_or_overlapping_are_refused(fair):
    EventSession.objects.create(
        event=fair.event, name="Too late", date=dt.date(2026, 12, 1), start=dt.time(9),
        end=dt.time(10),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="outside the event's dates"):
        event_slots_sync(event=fair.event)
    EventSession.objects.filter(name="Too late").delete()
    EventSession.objects.create(
        event=fair.event, name="Clash", date=dt.date(2026, 11, 24), start=dt.time(9, 45),
        end=dt.time(11),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="overlap"):
        event_slots_sync(event=fair.event)


def test_the_demo_event_has_a_published_valid_schedule(demo_directory):
    from django.core.management import call_command

    from events.demo import DEMO_EVENT_SLUG
    from events.models import Event

    call_command("load_demo_event")
    event = Event.objects.get(slug=DEMO_EVENT_SLUG)
    assert event.published and event.participants.count() == 26
    meetings = list(event.meetings.select_related("eu__actor", "kr__actor"))
    assert len(meetings) >= 60
    assert all(m.eu.actor.side == "eu" and m.kr.actor.side == "kr" for m in meetings)
    # The mutual must-meet of the demo (Pôle Eau and Daegu's water cluster) is scheduled.
    assert any(
        m.eu.actor.slug == "pole-eau" and m.kr.actor.slug == "daegu-water-cluster" for m in meetings
    )
    call_command("load_demo_event")  # a second run leaves the event alone
    assert event.meetings.count() == len(meetings)


def test_an_event_too_large_for_a_schedule_is_refused_with_its_figures(fair):
    from events.setup import MAX_MEETING_PLACES

    fair.event.tables = 1000
    fair.event.ends_on = fair.event.starts_on + dt.timedelta(days=1)
    fair.event.save()
    EventSession.objects.create(
        event=fair.event, name="All day", date=fair.event.ends_on,
        start=dt.time(0, 0), end=dt.time(23, 59),
    )  # fmt: skip
    slots_before = fair.event.slots.count()
    with pytest.raises(ValidationError) as err:
        event_slots_sync(event=fair.event)
    assert f"at most {MAX_MEETING_PLACES:,}" in " ".join(err.value.messages)
    assert fair.event.slots.count() == slots_before


def test_a_session_ending_before_it_starts_is_a_sentence_on_the_field(fair):
    session = EventSession(
        event=fair.event, name="Backwards", date=fair.event.starts_on,
        start=dt.time(14), end=dt.time(9),
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:
        session.full_clean()
    assert err.value.message_dict["end"] == ["A session must end after it starts."]


def test_reducing_tables_under_booked_meetings_is_refused_and_nothing_changes(client, fair):
    from events.schedule import schedule_generate

    schedule_generate(event=fair.event)
    used = max(fair.event.meetings.values_list("table", flat=True))
    assert used == 2
    fair.event.tables = 1
    with pytest.raises(ValidationError) as err:
        event_slots_sync(event=fair.event)
    assert "would leave 1 meeting outside the event" in " ".join(err.value.messages)
    assert [o.why for o in err.value.outside] == ["table 2 no longer exists"]
    fair.event.refresh_from_db()
    assert fair.event.tables == 2 and used == 2


def test_rounds_are_real_minutes_on_the_night_the_clocks_change(fair):
    from events.setup import session_rounds

    fair.event.timezone = "Europe/Paris"
    session = EventSession(
        event=fair.event, name="Night", date=dt.date(2027, 10, 31),
        start=dt.time(1, 30), end=dt.time(3, 30),
    )  # fmt: skip
    rounds = session_rounds(
        session=session, meeting_minutes=25, break_minutes=5, zone=fair.event.zone
    )
    assert all(end - start == dt.timedelta(minutes=25) for start, end in rounds)
    assert len({start for start, _ in rounds}) == len(rounds) == 6  # 3 real hours


def test_sessions_that_overlap_only_because_the_clocks_change_are_refused_in_words(fair):
    from events.setup import sessions_check

    fair.event.timezone = "Europe/Paris"
    fair.event.starts_on = fair.event.ends_on = dt.date(2027, 3, 28)
    fair.event.save()
    fair.event.sessions.all().delete()
    for name, start, end in (("A", dt.time(1), dt.time(2, 30)), ("B", dt.time(3), dt.time(4))):
        EventSession.objects.create(
            event=fair.event, name=name, date=dt.date(2027, 3, 28), start=start, end=end
        )
    with pytest.raises(ValidationError) as err:
        sessions_check(event=fair.event)
    assert err.value.messages == ["Sessions 'A' and 'B' overlap (the clocks change that night)."]
