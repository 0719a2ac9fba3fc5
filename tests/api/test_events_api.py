"""Events through the API: for their organisers only."""

import datetime as dt

import pytest

from events.models import EventSession
from events.participants import attendees_set, participant_availability_set
from events.schedule import schedule_unpublish
from tests.factories import EventFactory, UserFactory

EVENT_PATHS = ["", "participants/", "schedule/"]


def test_an_organiser_lists_the_events_they_organise(as_user, scheduled):
    other = EventFactory(slug="busan-days", name="Busan Days")
    other.organisers.add(UserFactory(username="someone-else"))
    body = as_user(scheduled.organiser).get("/api/v1/events/").json()
    assert [e["slug"] for e in body["results"]] == ["seoul-days"]
    event = body["results"][0]
    assert event["timezone"] == "Asia/Seoul" and event["published"] is True
    assert event["participant_count"] == 5 and event["meeting_count"] == 2
    assert event["sessions"] == [
        {"name": "Morning", "date": "2026-11-24", "start": "09:00", "end": "10:00"}
    ]
    assert event["url"] == "http://testserver/api/v1/events/seoul-days/"
    assert as_user(scheduled.organiser).get(event["url"]).json() == event
    # Anyone else logged in organises nothing.
    assert as_user(scheduled.manager).get("/api/v1/events/").json()["count"] == 0


def test_participants_with_their_actor_meetings_absences_and_attendees(as_user, scheduled):
    afternoon = EventSession.objects.create(
        event=scheduled.event, name="Afternoon", date=dt.date(2026, 11, 24),
        start=dt.time(14), end=dt.time(15),
    )  # fmt: skip
    participant_availability_set(participant=scheduled.gumi, absent_from=[afternoon])
    attendees_set(
        participant=scheduled.lyon,
        people=[{"first_name": "Marie", "last_name": "Secret", "email": "marie@example.org"}],
    )
    body = as_user(scheduled.organiser).get("/api/v1/events/seoul-days/participants/").json()
    assert body["count"] == 5
    by_slug = {p["actor"]["slug"]: p for p in body["results"]}
    assert [p["actor"]["side"] for p in body["results"]] == ["eu", "eu", "kr", "kr", "kr"]
    lyon = by_slug["lyon-life"]
    assert lyon["status"] == "accepted" and lyon["meetings"] >= 1
    assert lyon["attendees"][0]["email"] == "marie@example.org"
    assert by_slug["gumi-mobile"]["absent_from"] == ["Afternoon"]


def test_the_schedule_in_the_events_time_zone(as_user, scheduled):
    body = as_user(scheduled.organiser).get("/api/v1/events/seoul-days/schedule/").json()
    assert body["event"] == "seoul-days" and body["published"] is True
    assert body["timezone"] == "Asia/Seoul"
    meetings = body["meetings"]
    assert len(meetings) == 2
    pairs = {(m["eu"]["slug"], m["kr"]["slug"]) for m in meetings}
    assert ("lyon-life", "chuncheon-bio") in pairs
    first = meetings[0]
    starts = dt.datetime.fromisoformat(first["start"])
    ends = dt.datetime.fromisoformat(first["end"])
    assert first["start"].endswith("+09:00") and starts.hour == 9
    assert ends - starts == dt.timedelta(minutes=25)
    assert first["session"] == "Morning" and 1 <= first["table"] <= 2
    assert 0 <= first["score"] <= 100 and isinstance(first["score"], int)
    assert isinstance(first["fixed"], bool)
    lyon = next(m for m in meetings if m["eu"]["slug"] == "lyon-life")
    assert lyon["eu"]["name"] == "Lyon Life Sciences" and "vaccines" in lyon["reason"]


def test_organisers_see_an_unpublished_schedule_marked_so(as_user, scheduled):
    schedule_unpublish(event=scheduled.event)
    body = as_user(scheduled.organiser).get("/api/v1/events/seoul-days/schedule/").json()
    assert body["published"] is False and body["published_at"] is None
    assert len(body["meetings"]) == 2


@pytest.mark.parametrize("path", EVENT_PATHS)
@pytest.mark.parametrize("who", ["other_organiser", "manager", "curator"])
def test_anyone_but_its_organisers_gets_the_same_404_as_for_no_event(as_user, scheduled, path, who):
    if who == "other_organiser":
        user = UserFactory(username="other-organiser")
        user.groups.add(*scheduled.organiser.groups.all())
        EventFactory(slug="their-own").organisers.add(user)
    else:
        user = getattr(scheduled, who)
    client = as_user(user)
    refused = client.get(f"/api/v1/events/seoul-days/{path}")
    unknown = client.get(f"/api/v1/events/no-such-event/{path}")
    assert refused.status_code == unknown.status_code == 404
    assert refused.json() == unknown.json()


@pytest.mark.parametrize("path", ["", *(f"seoul-days/{p}" for p in EVENT_PATHS)])
def test_anonymous_requests_get_401(api, scheduled, path):
    response = api.get(f"/api/v1/events/{path}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("path", EVENT_PATHS)
def test_organisers_of_this_event_get_200(as_user, scheduled, path):
    assert as_user(scheduled.organiser).get(f"/api/v1/events/seoul-days/{path}").status_code == 200
