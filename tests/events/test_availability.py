"""Availability per round: a participant attends a session but misses single rounds in it."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import EventSession, Meeting
from events.participants import participant_availability_set
from events.schedule import meeting_add, meeting_move, schedule_generate
from events.setup import event_slots_sync
from events.wishes import wishes_set
from tests.events.test_schedule import assert_valid
from tests.factories import EventFactory


@pytest.fixture
def day(fair):
    """`fair` with an afternoon too: rounds at 09:00, 09:30, 14:00 and 14:30 (Seoul time)."""
    EventSession.objects.create(
        event=fair.event, name="Afternoon", date=dt.date(2026, 11, 24),
        start=dt.time(14), end=dt.time(15),
    )  # fmt: skip
    event_slots_sync(event=fair.event)
    fair.slots = list(fair.event.slots.order_by("starts_at"))
    fair.morning, fair.afternoon = fair.event.sessions.order_by("start")
    fair.url = reverse("event_participant", args=[fair.event.slug, fair.lyon.pk])
    return fair


def _post(client, day, *, sessions, rounds, follow=False):
    data = {
        "availability": "1",
        "with_rounds": "1",
        "attends": [s.pk for s in sessions],
        "rounds": [r.pk for r in rounds],
    }
    return client.post(day.url, data, follow=follow)


def test_the_page_groups_the_rounds_by_session_in_the_events_time_zone(client, day):
    client.force_login(day.manager)
    page = client.get(day.url).text
    assert "Morning, Tue 24 Nov 09:00–10:00" in page
    assert "Afternoon, Tue 24 Nov 14:00–15:00" in page
    for label in ("09:00–09:25", "09:30–09:55", "14:00–14:25", "14:30–14:55"):
        assert label in page
    assert page.index("09:30–09:55") < page.index("Afternoon, Tue") < page.index("14:00–14:25")
    assert "Times in Asia/Seoul" in page


def test_a_manager_unticks_a_single_round(client, day):
    client.force_login(day.manager)
    response = _post(
        client, day, sessions=[day.morning, day.afternoon], rounds=day.slots[:1] + day.slots[2:]
    )
    assert response.status_code == 302
    assert list(day.lyon.absent_rounds.all()) == [day.slots[1]]
    assert not day.lyon.absent_from.exists()
    page = client.get(day.url).text
    ticked = {int(pk) for pk in re.findall(r'name="rounds" value="(\d+)" checked', page)}
    assert ticked == {day.slots[0].pk, day.slots[2].pk, day.slots[3].pk}


def test_every_round_of_a_session_unticked_is_the_session_missed(client, day):
    client.force_login(day.manager)
    _post(client, day, sessions=[day.morning, day.afternoon], rounds=day.slots[:2])
    assert list(day.lyon.absent_from.all()) == [day.afternoon]
    assert not day.lyon.absent_rounds.exists()


def test_a_session_unticked_is_missed_whole_whatever_its_rounds_say(client, day):
    client.force_login(day.manager)
    _post(client, day, sessions=[day.morning], rounds=day.slots[:1] + day.slots[2:3])
    assert list(day.lyon.absent_from.all()) == [day.afternoon]
    assert list(day.lyon.absent_rounds.all()) == [day.slots[1]]


def test_a_form_without_the_rounds_leaves_them_as_they_were(client, day):
    participant_availability_set(participant=day.lyon, absent_from=[], absent_rounds=[day.slots[3]])
    client.force_login(day.manager)
    client.post(day.url, {"availability": "1", "attends": [day.morning.pk, day.afternoon.pk]})
    assert list(day.lyon.absent_rounds.all()) == [day.slots[3]]


def test_a_generated_schedule_never_uses_a_missed_round(liked_fair, day):
    day.event.max_meetings = 4
    day.event.save()
    participant_availability_set(participant=day.lyon, absent_from=[], absent_rounds=day.slots[:3])
    wishes_set(participant=day.lyon, levels={day.chuncheon_p.pk: "must", day.gumi.pk: "must"})
    schedule_generate(event=day.event)
    assert_valid(day.event)
    lyon = list(day.event.meetings.filter(eu=day.lyon).values_list("slot_id", flat=True))
    assert lyon == [day.slots[3].pk]


def test_a_manual_meeting_in_a_missed_round_is_refused_naming_the_round(day):
    participant_availability_set(participant=day.gumi, absent_from=[], absent_rounds=[day.slots[1]])
    with pytest.raises(ValidationError) as refused:
        meeting_add(event=day.event, eu=day.lyon, kr=day.gumi, slot=day.slots[1])
    assert refused.value.messages == [
        "Gumi Mobile Mini Cluster will miss the Tue 24 Nov 09:30 round."
    ]
    meeting = meeting_add(event=day.event, eu=day.lyon, kr=day.gumi, slot=day.slots[0])
    with pytest.raises(ValidationError, match="will miss the Tue 24 Nov 09:30 round"):
        meeting_move(meeting=meeting, slot=day.slots[1])
    assert Meeting.objects.get(pk=meeting.pk).slot == day.slots[0]


def test_missing_a_round_that_holds_a_meeting_keeps_it_and_says_so(client, day):
    meeting = meeting_add(
        event=day.event, eu=day.lyon, kr=day.chuncheon_p, slot=day.slots[0], table=1
    )
    client.force_login(day.manager)
    response = _post(
        client, day, sessions=[day.morning, day.afternoon], rounds=day.slots[1:], follow=True
    )
    page = response.text
    assert "Availability saved." in page
    assert (
        "Lyon Life Sciences already has a meeting with Chuncheon Bioindustry Foundation in the "
        "Tue 24 Nov 09:00 round (table 1), which it will now miss: it stays until the organisers "
        "update the schedule." in page
    )
    assert "cancel or move" not in page
    assert Meeting.objects.filter(pk=meeting.pk, slot=day.slots[0]).exists()
    assert list(day.lyon.absent_rounds.all()) == [day.slots[0]]


def test_a_manager_marking_a_whole_session_with_meetings_is_no_longer_told_to_cancel(client, day):
    """Issue 14: a manager was told to "cancel or move" meetings, which only organisers can do;
    the absence was refused."""
    meeting_add(event=day.event, eu=day.lyon, kr=day.gumi, slot=day.slots[2], table=2)
    client.force_login(day.manager)
    response = _post(client, day, sessions=[day.morning], rounds=day.slots, follow=True)
    page = response.text
    assert list(day.lyon.absent_from.all()) == [day.afternoon]
    assert "cancel or move" not in page
    assert "Gumi Mobile Mini Cluster in the Tue 24 Nov 14:00 round (table 2)" in page
    assert "it stays until the organisers update the schedule" in page


def test_the_organiser_is_told_they_can_move_it(client, day):
    meeting_add(event=day.event, eu=day.lyon, kr=day.gumi, slot=day.slots[2], table=2)
    client.force_login(day.organiser)
    response = _post(client, day, sessions=[day.morning], rounds=day.slots, follow=True)
    assert "it stays until you move or cancel it, or update the schedule (Schedule page)" in (
        response.text
    )


@pytest.fixture
def elsewhere(day):
    other = EventFactory(slug="other-days")
    EventSession.objects.create(
        event=other, name="Morning", date=dt.date(2026, 11, 24), start=dt.time(9), end=dt.time(10)
    )
    event_slots_sync(event=other)
    return other


def test_a_round_or_session_of_another_event_is_refused_and_nothing_changes(client, day, elsewhere):
    client.force_login(day.manager)
    foreign = elsewhere.slots.first()
    response = _post(
        client, day, sessions=[day.morning, day.afternoon], rounds=[*day.slots[1:], foreign]
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    response = _post(client, day, sessions=[elsewhere.sessions.get()], rounds=day.slots[1:])
    assert response.status_code == 200
    assert not day.lyon.absent_rounds.exists() and not day.lyon.absent_from.exists()
    with pytest.raises(ValidationError, match="another event"):
        participant_availability_set(participant=day.lyon, absent_from=[], absent_rounds=[foreign])


@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "-1", "kfri\x00"])
def test_hostile_round_ids_are_refused(client, day, value):
    client.force_login(day.manager)
    response = client.post(
        day.url,
        {"availability": "1", "with_rounds": "1", "attends": [day.morning.pk], "rounds": [value]},
    )
    assert response.status_code in (200, 400)  # the form again, or a NUL refused outright
    assert not day.lyon.absent_rounds.exists() and not day.lyon.absent_from.exists()


def test_another_manager_cannot_change_the_availability(client, day):
    client.force_login(day.other_manager)
    response = _post(client, day, sessions=[], rounds=[])
    assert response.status_code == 404
    assert not day.lyon.absent_from.exists()
