"""On the day: organisers check attendees in and mark who did not come; participants' managers
say they are running late or cancel a meeting from their agenda."""

import datetime as dt
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Attendee, Exclusion, Meeting, TimeSlot
from events.onsite import (
    attendee_check_in,
    checkin_list,
    current_round,
    meeting_call_off,
    meeting_no_show_mark,
    meeting_running_late,
)
from events.participants import participant_decide
from events.schedule import meeting_add, schedule_publish


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def starting(world, first: dt.datetime) -> None:
    """Move the event's rounds so that the first one starts at `first` (same lengths)."""
    shift = first - world.slots[0].starts_at
    for slot in world.slots:
        TimeSlot.objects.filter(pk=slot.pk).update(
            starts_at=slot.starts_at + shift, ends_at=slot.ends_at + shift
        )
        slot.refresh_from_db()


@pytest.fixture
def day(fair):
    """`fair`, published, with Lyon / Chuncheon in round 1 and Turin / Daegu in round 2, and
    three attendees (one of a participant the organisers declined)."""
    fair.first = meeting_add(
        event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0]
    )
    fair.second = meeting_add(event=fair.event, eu=fair.turin, kr=fair.daegu_p, slot=fair.slots[1])
    schedule_publish(event=fair.event)
    fair.claire = Attendee.objects.create(
        participant=fair.lyon, first_name="Claire", last_name="Martin", email="claire@lls.example"
    )
    fair.minho = Attendee.objects.create(
        participant=fair.chuncheon_p, first_name="Minho", last_name="Park", email="mp@cbf.example"
    )
    fair.gone = Attendee.objects.create(
        participant=fair.gumi, first_name="Ji", last_name="Declined"
    )
    participant_decide(participant=fair.gumi, accept=False)
    return fair


def agenda_action(world, name, participant, meeting) -> str:
    return reverse(name, args=[world.event.slug, participant.pk, meeting.pk])


# -- check-in ---------------------------------------------------------------------------------


def test_the_check_in_list_holds_accepted_participants_people_and_searches(day):
    assert checkin_list(event=day.event) == [day.minho, day.claire]  # by organisation
    assert checkin_list(event=day.event, query="lyon") == [day.claire]
    assert checkin_list(event=day.event, query="PARK cbf") == [day.minho]
    assert checkin_list(event=day.event, query="nobody") == []


def test_an_organiser_checks_in_and_undoes_it(day):
    organiser = client_for(day.organiser)
    url = reverse("event_checkin", args=[day.event.slug])
    page = organiser.get(url + "?q=claire").content.decode()
    assert "Martin" in page and "Park" not in page and "Declined" not in page
    mark = reverse("event_checkin_mark", args=[day.event.slug])
    response = organiser.post(mark, {"attendee": day.claire.pk, "arrived": "1", "q": "claire"})
    assert response.status_code == 302 and "q=claire" in response["Location"]
    day.claire.refresh_from_db()
    arrived = day.claire.checked_in_at
    assert arrived is not None
    assert "1</strong> of 2 attendees checked in" in organiser.get(url).content.decode()
    attendee_check_in(attendee=day.claire, arrived=True)  # twice: the first time stays
    day.claire.refresh_from_db()
    assert day.claire.checked_in_at == arrived
    organiser.post(mark, {"attendee": day.claire.pk, "arrived": "0"})
    day.claire.refresh_from_db()
    assert day.claire.checked_in_at is None


def test_check_in_is_for_the_events_organisers_only(day):
    mark = reverse("event_checkin_mark", args=[day.event.slug])
    for user in (day.manager, day.other_manager, day.curator):
        client = client_for(user)
        assert client.get(reverse("event_checkin", args=[day.event.slug])).status_code == 404
        assert client.post(mark, {"attendee": day.claire.pk, "arrived": "1"}).status_code == 404
    # An attendee of a declined participant is not on the list and cannot be checked in.
    organiser = client_for(day.organiser)
    assert organiser.post(mark, {"attendee": day.gone.pk, "arrived": "1"}).status_code == 404
    assert not Attendee.objects.filter(checked_in_at__isnull=False).exists()


# -- no-shows ---------------------------------------------------------------------------------


def test_a_no_show_records_the_meeting_as_not_held_and_can_be_cleared(day):
    starting(day, timezone.now() - dt.timedelta(minutes=5))
    marked = meeting_no_show_mark(meeting=day.first, no_show="kr")
    assert (marked.no_show, marked.held) == ("kr", False)
    cleared = meeting_no_show_mark(meeting=day.first, no_show="")
    assert (cleared.no_show, cleared.held) == ("", None)


def test_no_show_is_refused_before_the_meeting_begins_or_once_it_is_recorded_held(day):
    starting(day, timezone.now() + dt.timedelta(hours=2))
    with pytest.raises(ValidationError, match="once it has begun"):
        meeting_no_show_mark(meeting=day.first, no_show="eu")
    starting(day, timezone.now() - dt.timedelta(hours=2))
    Meeting.objects.filter(pk=day.first.pk).update(held=True)
    with pytest.raises(ValidationError, match="recorded as held"):
        meeting_no_show_mark(meeting=day.first, no_show="eu")
    with pytest.raises(ValidationError, match="Choose who did not come"):
        meeting_no_show_mark(meeting=day.second, no_show="nobody")
    assert list(Meeting.objects.values_list("no_show", flat=True)) == ["", ""]


def test_the_organisers_day_page_shows_the_current_round_and_marks_no_shows(day):
    starting(day, timezone.now() - dt.timedelta(minutes=40))  # round 2 is under way
    assert current_round(event=day.event) == day.slots[1]
    organiser = client_for(day.organiser)
    url = reverse("event_on_the_day", args=[day.event.slug])
    page = organiser.get(url).content.decode()
    assert "Turin Health Cluster" in page and "Lyon Life Sciences" not in page
    assert "Lyon Life Sciences" in organiser.get(url + f"?round={day.slots[0].pk}").content.decode()
    response = organiser.post(
        reverse("event_meeting_no_show", args=[day.event.slug, day.second.pk]),
        {"no_show": "both"},
        follow=True,
    )
    assert "recorded as not held (neither came)" in response.content.decode()
    day.second.refresh_from_db()
    assert (day.second.no_show, day.second.held) == ("both", False)
    for user in (day.manager, day.other_manager):
        client = client_for(user)
        assert client.get(url).status_code == 404
        no_show = reverse("event_meeting_no_show", args=[day.event.slug, day.first.pk])
        assert client.post(no_show, {"no_show": "eu"}).status_code == 404
    day.first.refresh_from_db()
    assert day.first.no_show == ""


# -- running late and cancelling, from the agenda -----------------------------------------------


def test_a_manager_says_they_are_running_late_and_the_organisers_see_it(day):
    starting(day, timezone.now() + dt.timedelta(minutes=20))
    owner = client_for(day.manager)
    agenda = owner.get(reverse("event_agenda", args=[day.event.slug, day.lyon.pk])).content.decode()
    assert "Running late" in agenda and "Cancel this meeting" in agenda
    url = agenda_action(day, "event_meeting_late", day.lyon, day.first)
    response = owner.post(url, {"minutes": "10"}, follow=True)
    assert "see that this meeting starts 10 minutes late" in response.content.decode()
    day.first.refresh_from_db()
    assert day.first.late_minutes == 10
    day_page = client_for(day.organiser).get(reverse("event_on_the_day", args=[day.event.slug]))
    assert "starts 10 minutes late" in day_page.content.decode()
    owner.post(url, {"minutes": "7"})  # not one of the choices
    day.first.refresh_from_db()
    assert day.first.late_minutes == 10
    owner.post(url, {"minutes": "0"})
    day.first.refresh_from_db()
    assert day.first.late_minutes is None


def test_running_late_is_refused_once_the_meeting_is_over(day):
    starting(day, timezone.now() - dt.timedelta(hours=3))
    with pytest.raises(ValidationError, match="over"):
        meeting_running_late(meeting=day.first, minutes=5)
    with pytest.raises(ValidationError, match="5, 10, 15, 30"):
        meeting_running_late(meeting=day.first, minutes=45)


def test_cancelling_a_meeting_asks_for_confirmation_then_frees_the_slot(day):
    starting(day, timezone.now() + dt.timedelta(hours=1))
    owner = client_for(day.manager)  # Lyon's manager; the meeting is with Chuncheon
    url = agenda_action(day, "event_meeting_call_off", day.lyon, day.first)
    confirm = owner.post(url)
    assert confirm.status_code == 200
    assert "Cancel the meeting with Chuncheon Bioindustry Foundation?" in confirm.content.decode()
    assert Meeting.objects.filter(pk=day.first.pk).exists()
    response = owner.post(url, {"confirm": "1"}, follow=True)
    assert "the table is free for that round" in unescape(response.content.decode())
    assert not Meeting.objects.filter(pk=day.first.pk).exists()
    assert Exclusion.objects.filter(eu=day.lyon, kr=day.chuncheon_p).exists()


def test_a_meeting_that_began_or_has_an_outcome_is_not_cancelled(day):
    starting(day, timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ValidationError, match="already begun"):
        meeting_call_off(meeting=day.first)
    starting(day, timezone.now() + dt.timedelta(hours=1))
    Meeting.objects.filter(pk=day.first.pk).update(outcome_note="moved to lunch")
    day.first.refresh_from_db()
    response = client_for(day.manager).post(
        agenda_action(day, "event_meeting_call_off", day.lyon, day.first),
        {"confirm": "1"},
        follow=True,
    )
    assert "has a recorded outcome" in response.content.decode()
    assert Meeting.objects.filter(pk=day.first.pk).exists()


def test_another_managers_meeting_is_404_and_nothing_changes(day):
    starting(day, timezone.now() + dt.timedelta(hours=1))
    outsider = client_for(day.other_manager)  # manages Turin
    for name, data in (
        ("event_meeting_late", {"minutes": "5"}),
        ("event_meeting_call_off", {"confirm": "1"}),
    ):
        # Lyon's participant in the address: 404.
        assert outsider.post(agenda_action(day, name, day.lyon, day.first), data).status_code == 404
        own = outsider.post(agenda_action(day, name, day.turin, day.first), data, follow=True)
        if name == "event_meeting_late":
            assert own.status_code == 404
        else:
            # Its own agenda with Lyon's meeting: the answer a double click gets ("no longer
            # on this agenda"), which says nothing about Lyon's meeting.
            assert "no longer on this agenda" in own.content.decode()
    day.first.refresh_from_db()
    assert day.first.late_minutes is None
    assert Meeting.objects.count() == 2


def test_an_unpublished_schedule_offers_managers_nothing(day):
    starting(day, timezone.now() + dt.timedelta(hours=1))
    day.event.published_at = None
    day.event.save()
    owner = client_for(day.manager)
    url = agenda_action(day, "event_meeting_call_off", day.lyon, day.first)
    assert owner.post(url, {"confirm": "1"}).status_code == 404
    assert Meeting.objects.filter(pk=day.first.pk).exists()


def test_hostile_text_in_the_agenda_and_day_forms_is_refused_without_a_change(day):
    from tests.events.test_meeting_requests import hostile_forms_change_nothing

    starting(day, timezone.now() + dt.timedelta(minutes=20))
    owner = client_for(day.manager)
    agenda = reverse("event_agenda", args=[day.event.slug, day.lyon.pk])
    assert hostile_forms_change_nothing(owner, agenda, "/meetings/") == []
    organiser = client_for(day.organiser)
    for url, prefix in (
        (reverse("event_checkin", args=[day.event.slug]), "/check-in/mark/"),
        (reverse("event_on_the_day", args=[day.event.slug]), "/no-show/"),
    ):
        assert hostile_forms_change_nothing(organiser, url, prefix) == []
    assert Meeting.objects.count() == 2
    assert not Attendee.objects.filter(checked_in_at__isnull=False).exists()
