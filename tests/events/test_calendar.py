"""Issue 14: calendars that follow changes (cancelled entries, a private calendar address),
video links and running-late notices on agendas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from events.calendar_feed import calendar_address_create
from events.forms import EventForm
from events.models import Attendee, Exclusion, Meeting, Participant, ScheduleChange
from events.onsite import meeting_call_off
from events.participants import participant_withdraw
from events.schedule import meeting_add, meeting_cancel, schedule_generate, schedule_publish
from events.video import meeting_code, meeting_video_url

# -- helpers -----------------------------------------------------------------------------------


@pytest.fixture
def published(fair):
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    fair.meeting = Meeting.objects.filter(eu=fair.lyon).select_related("slot", "kr__actor").first()
    assert fair.meeting is not None
    return fair


def entries(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


def by_uid(content: bytes) -> dict[str, object]:
    return {str(e["uid"]): e for e in entries(content)}


def ics_url(fair, participant=None) -> str:
    participant = participant or fair.lyon
    return reverse("event_agenda_export", args=[fair.event.slug, participant.pk, "ics"])


def cancel_published(meeting: Meeting) -> None:
    """Cancel a meeting as the organisers do, with its change-log row: helper "repair" makes
    meeting_cancel write it; until then the test writes it as the log would."""
    before = ScheduleChange.objects.filter(eu_id=meeting.eu_id, kr_id=meeting.kr_id).count()
    slot = meeting.slot
    meeting_cancel(meeting=meeting)
    logged = ScheduleChange.objects.filter(
        eu_id=meeting.eu_id, kr_id=meeting.kr_id, action="removed"
    )
    if logged.count() == before:
        ScheduleChange.objects.create(
            event=meeting.event, action="removed", eu_id=meeting.eu_id, kr_id=meeting.kr_id,
            pair=f"{meeting.eu.actor.name} / {meeting.kr.actor.name}",
            old_starts_at=slot.starts_at, old_ends_at=slot.ends_at, old_table=meeting.table,
        )  # fmt: skip


def feed_url(participant: Participant, token: str | None = None) -> str:
    return reverse(
        "event_calendar_feed", args=[participant.pk, token or participant.calendar_token]
    )


# -- cancelled entries --------------------------------------------------------------------------


def test_a_cancelled_meeting_comes_back_as_a_cancelled_entry_with_the_same_uid(client, published):
    fair = published
    client.force_login(fair.manager)
    before = by_uid(client.get(ics_url(fair)).content)
    meeting = fair.meeting
    uid = next(u for u, e in before.items() if meeting.kr.actor.name in str(e["summary"]))
    old = before[uid]

    cancel_published(meeting)
    after = by_uid(client.get(ics_url(fair)).content)

    cancelled = after[uid]  # the same UID: calendars update the entry they have
    assert str(cancelled["status"]) == "CANCELLED"
    assert int(cancelled["sequence"]) > int(old["sequence"])
    assert cancelled.decoded("dtstart") == old.decoded("dtstart")  # at the time it had
    assert cancelled.decoded("dtend") == old.decoded("dtend")
    assert f"table {meeting.table}" in str(cancelled["location"])
    assert meeting.kr.actor.name in str(cancelled["summary"])
    # The other side's calendar says the same.
    client.force_login(fair.organiser)
    korean = by_uid(client.get(ics_url(fair, meeting.kr)).content)
    assert str(korean[uid]["status"]) == "CANCELLED"
    # And the agenda page lists it.
    page = client.get(reverse("event_agenda", args=[fair.event.slug, fair.lyon.pk]))
    assert "Cancelled since publication" in page.content.decode()


def test_a_pair_placed_again_after_a_cancellation_outranks_the_cancelled_entry(client, published):
    fair = published
    meeting = fair.meeting
    kr, slot, table = meeting.kr, meeting.slot, meeting.table
    client.force_login(fair.manager)
    cancel_published(meeting)
    cancelled = by_uid(client.get(ics_url(fair)).content)
    uid = next(u for u, e in cancelled.items() if str(e.get("status")) == "CANCELLED")

    Exclusion.objects.filter(eu=fair.lyon, kr=kr).delete()
    meeting_add(event=fair.event, eu=fair.lyon, kr=kr, slot=slot, table=table)
    again = by_uid(client.get(ics_url(fair)).content)

    assert str(again[uid].get("status", "CONFIRMED")) != "CANCELLED"
    assert int(again[uid]["sequence"]) > int(cancelled[uid]["sequence"])
    assert len([e for e in again.values() if str(e.get("status")) == "CANCELLED"]) == 0


def test_a_moved_meeting_keeps_its_uid_and_is_not_also_cancelled(client, published):
    fair = published
    client.force_login(fair.manager)
    before = by_uid(client.get(ics_url(fair)).content)
    ScheduleChange.objects.create(
        event=fair.event, action="moved", eu=fair.lyon, kr=fair.meeting.kr,
        old_starts_at=fair.meeting.slot.starts_at, old_table=fair.meeting.table,
    )  # fmt: skip
    after = by_uid(client.get(ics_url(fair)).content)
    assert after.keys() == before.keys()
    assert not [e for e in after.values() if str(e.get("status")) == "CANCELLED"]


def test_a_cancelled_entry_says_who_cancelled_the_meeting(client, fair):
    """The side whose manager called it off (from its agenda or by withdrawing), else the
    organisers."""
    r1, r2 = fair.slots
    by_lyon = meeting_add(event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=r1, table=1)
    by_organiser = meeting_add(event=fair.event, eu=fair.lyon, kr=fair.daegu_p, slot=r2, table=1)
    meeting_add(event=fair.event, eu=fair.turin, kr=fair.gumi, slot=r1, table=2)
    schedule_publish(event=fair.event)
    meeting_call_off(
        meeting=by_lyon, by=fair.manager, note="Cancelled from the agenda of Lyon Life Sciences",
        now=by_lyon.slot.starts_at - dt.timedelta(days=1),
    )  # fmt: skip
    meeting_cancel(meeting=by_organiser, by=fair.organiser)
    participant_withdraw(participant=fair.turin, user=fair.other_manager)

    client.force_login(fair.organiser)

    def said(participant, counterpart) -> str:
        calendar = by_uid(client.get(ics_url(fair, participant)).content).values()
        entry = next(e for e in calendar if counterpart.actor.name in str(e["summary"]))
        assert str(entry["status"]) == "CANCELLED"
        return str(entry["description"])

    assert said(fair.chuncheon_p, fair.lyon) == "This meeting was cancelled by Lyon Life Sciences."
    assert said(fair.lyon, fair.chuncheon_p) == "This meeting was cancelled by Lyon Life Sciences."
    assert said(fair.daegu_p, fair.lyon) == "This meeting was cancelled by the organisers."
    assert said(fair.gumi, fair.turin) == "This meeting was cancelled by Turin Health Cluster."


# -- the private calendar address ---------------------------------------------------------------


def agenda_url(fair, participant=None) -> str:
    return reverse("event_agenda", args=[fair.event.slug, (participant or fair.lyon).pk])


def calendar_action_url(fair, participant=None) -> str:
    return reverse("event_agenda_calendar", args=[fair.event.slug, (participant or fair.lyon).pk])


def test_a_manager_creates_the_address_and_a_calendar_reads_it_without_logging_in(
    client, published
):
    fair = published
    client.force_login(fair.manager)
    assert "Create a private calendar address" in client.get(agenda_url(fair)).content.decode()
    response = client.post(calendar_action_url(fair), {"action": "create"}, follow=True)
    fair.lyon.refresh_from_db()
    token = fair.lyon.calendar_token
    assert token and len(token) >= 40
    page = response.content.decode()
    assert "Private calendar address created" in page
    assert feed_url(fair.lyon) in page  # shown, to copy
    assert "webcal://" in page

    feed = Client().get(feed_url(fair.lyon))  # a calendar program: no session
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert "private" in feed["Cache-Control"]
    summaries = {str(e["summary"]) for e in entries(feed.content)}
    assert f"Meeting with {fair.meeting.kr.actor.name}" in summaries
    assert len(summaries) == Meeting.objects.filter(eu=fair.lyon).count()
    assert Client().head(feed_url(fair.lyon)).status_code == 200


def test_the_feed_holds_no_personal_data_of_anyone(client, published):
    fair = published
    Attendee.objects.create(
        participant=fair.lyon, first_name="Claire", last_name="Ownside",
        email="claire.own@example.org", phone="+33 4 00 00 00 01",
    )  # fmt: skip
    Attendee.objects.create(
        participant=fair.meeting.kr, first_name="Jiwoo", last_name="Otherside",
        email="jiwoo.other@example.org", phone="+82 2 000 0001",
    )  # fmt: skip
    token = calendar_address_create(participant=fair.lyon)
    body = Client().get(feed_url(fair.lyon, token)).content.decode()
    for secret in ("Claire", "Ownside", "claire.own@", "Jiwoo", "Otherside", "jiwoo.other@"):
        assert secret not in body
    assert fair.meeting.kr.actor.name in body  # the other side's organisation is the agenda


def test_a_wrong_renewed_or_revoked_address_is_the_same_404(client, published):
    fair = published
    client.force_login(fair.manager)
    client.post(calendar_action_url(fair), {"action": "create"})
    fair.lyon.refresh_from_db()
    first = fair.lyon.calendar_token
    anonymous = Client()
    assert anonymous.get(feed_url(fair.lyon, first)).status_code == 200

    # Renewing asks first, then the old address stops working and the new one works.
    asked = client.post(calendar_action_url(fair), {"action": "renew"})
    assert (
        asked.status_code == 200 and "Renew the private calendar address?" in asked.content.decode()
    )
    fair.lyon.refresh_from_db()
    assert fair.lyon.calendar_token == first
    client.post(calendar_action_url(fair), {"action": "renew", "confirm": "1"})
    fair.lyon.refresh_from_db()
    second = fair.lyon.calendar_token
    assert second and second != first
    renewed_away = anonymous.get(feed_url(fair.lyon, first))
    assert renewed_away.status_code == 404
    assert anonymous.get(feed_url(fair.lyon, second)).status_code == 200

    # Revoking asks first too, then no address works.
    asked = client.post(calendar_action_url(fair), {"action": "revoke"})
    assert "Revoke the private calendar address?" in asked.content.decode()
    assert anonymous.get(feed_url(fair.lyon, second)).status_code == 200
    client.post(calendar_action_url(fair), {"action": "revoke", "confirm": "1"})
    fair.lyon.refresh_from_db()
    assert fair.lyon.calendar_token is None
    revoked = anonymous.get(feed_url(fair.lyon, second))
    made_up = anonymous.get(feed_url(fair.lyon, "x" * 43))
    unknown = anonymous.get(feed_url(fair.turin, second))
    assert revoked.status_code == made_up.status_code == unknown.status_code == 404
    assert revoked.content == made_up.content == unknown.content == renewed_away.content
    assert "Create a private calendar address" in client.get(agenda_url(fair)).content.decode()


def test_another_organisations_manager_cannot_touch_the_address(client, published):
    fair = published
    token = calendar_address_create(participant=fair.lyon)
    client.force_login(fair.other_manager)
    for action in ({"action": "create"}, {"action": "revoke", "confirm": "1"}):
        assert client.post(calendar_action_url(fair), action).status_code == 404
    fair.lyon.refresh_from_db()
    assert fair.lyon.calendar_token == token
    # The organiser may act for any participant, the Korean one included.
    client.force_login(fair.organiser)
    client.post(calendar_action_url(fair, fair.meeting.kr), {"action": "create"})
    assert Participant.objects.get(pk=fair.meeting.kr.pk).calendar_token


def test_the_feed_of_a_withdrawn_schedule_is_empty_and_a_draft_address_cannot_be_made(
    client, published
):
    from events.schedule import schedule_unpublish

    fair = published
    token = calendar_address_create(participant=fair.lyon)
    assert entries(Client().get(feed_url(fair.lyon, token)).content)
    schedule_unpublish(event=fair.event)
    response = Client().get(feed_url(fair.lyon, token))
    assert response.status_code == 200  # a calendar keeps the subscription...
    assert entries(response.content) == []  # ...and drops the entries
    client.force_login(fair.manager)  # the agenda is hidden before publication
    assert client.post(calendar_action_url(fair), {"action": "renew"}).status_code == 404


def test_an_unknown_action_changes_nothing(client, published):
    fair = published
    client.force_login(fair.manager)
    response = client.post(calendar_action_url(fair), {"action": "delete"}, follow=True)
    assert "Choose whether to create, renew or revoke" in response.content.decode()
    fair.lyon.refresh_from_db()
    assert fair.lyon.calendar_token is None


# -- video links --------------------------------------------------------------------------------


def test_the_video_link_shows_on_the_agenda_in_the_calendar_and_in_the_exports(client, published):
    fair = published
    event = fair.event
    event.online, event.video_link = True, "https://meet.example.org/seoul-{table}-{meeting}"
    event.save()
    meeting = fair.meeting
    code = meeting_code(event_id=event.pk, eu_id=fair.lyon.pk, kr_id=meeting.kr_id)
    link = f"https://meet.example.org/seoul-{meeting.table}-{code}"
    assert meeting_video_url(meeting=meeting, event=event) == link
    assert str(meeting.pk) != code and len(code) == 10

    client.force_login(fair.manager)
    page = client.get(agenda_url(fair)).content.decode()
    assert f'href="{link}"' in page and "Video: " in page

    entry = next(
        e for e in entries(client.get(ics_url(fair)).content)
        if meeting.kr.actor.name in str(e["summary"])
    )  # fmt: skip
    assert str(entry["url"]) == link
    assert str(entry["location"]) == link  # online: the room is the place
    assert link in str(entry["description"])

    xlsx = client.get(reverse("event_agenda_export", args=[event.slug, fair.lyon.pk, "xlsx"]))
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert link in [r[rows[0].index("video")] for r in rows[1:]]
    client.force_login(fair.organiser)
    schedule = client.get(reverse("event_export", args=[event.slug, "schedule", "csv"]))
    assert link in schedule.content.decode("utf-8-sig")


def test_the_video_code_stays_with_the_pair_and_a_meeting_address_overrides_it(published):
    fair = published
    event = fair.event
    event.video_link = "https://meet.example.org/{meeting}"
    event.save()
    meeting = fair.meeting
    before = meeting_video_url(meeting=meeting, event=event)
    from events.schedule import schedule_unpublish

    schedule_unpublish(event=event)  # a published schedule is repaired, not generated again
    Exclusion.objects.all().delete()
    Meeting.objects.filter(event=event).update(fixed=False)
    schedule_generate(event=event)
    again = Meeting.objects.get(eu=fair.lyon, kr=meeting.kr)
    assert again.pk != meeting.pk
    assert meeting_video_url(meeting=again, event=event) == before
    # Hybrid (not online): the place stays the location; the link is in the entry.
    again.video_url = "https://video.example.com/room-7"
    again.save()
    assert meeting_video_url(meeting=again, event=event) == "https://video.example.com/room-7"
    other = Meeting.objects.filter(event=event).exclude(pk=again.pk).first()
    assert meeting_video_url(meeting=other, event=event) != before


def test_an_in_person_event_without_a_pattern_has_no_video_link(client, published):
    fair = published
    client.force_login(fair.manager)
    assert "video-link" not in client.get(agenda_url(fair)).content.decode()
    assert all("url" not in e for e in entries(client.get(ics_url(fair)).content))


def test_a_stored_pattern_that_is_not_a_web_address_never_becomes_a_link(published):
    fair = published
    fair.event.video_link = "javascript:alert({table})"
    fair.event.save()
    assert meeting_video_url(meeting=fair.meeting, event=fair.event) == ""


def event_form(event, **changes) -> EventForm:
    data = model_to_dict(event, exclude=["organisers"]) | changes
    data = {k: ("" if v is None else v) for k, v in data.items()}
    return EventForm(data=data, instance=event)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("ftp://meet.example.org/{table}", "must start with https://"),
        ("meet.example.org/{table}", "must start with https://"),
        ("https://meet.example.org/{room}", "only use {table} and {meeting} in braces ({room})"),
        ("https://meet.example.org/{table", "only use {table} and {meeting}"),
        ("https://meet.example.org/{0}", "({0})"),
        ("https://meet example.org/{table}", "not a web address"),
    ],
)
def test_the_event_form_refuses_a_video_pattern_with_a_clear_message(fair, pattern, message):
    form = event_form(fair.event, video_link=pattern)
    assert not form.is_valid()
    assert message in " ".join(form.errors["video_link"])


@pytest.mark.parametrize(
    "pattern",
    [
        "",
        "https://meet.example.org/eu-korea-table-{table}",
        "https://zoom.example.com/j/{meeting}?table={table}",
        "http://localhost:8080/{meeting}",
    ],
)
def test_the_event_form_accepts_a_good_video_pattern(fair, pattern):
    form = event_form(fair.event, video_link=pattern)
    assert form.is_valid(), form.errors


# -- running late -------------------------------------------------------------------------------


def test_a_running_late_notice_shows_on_both_sides_agendas_and_in_the_calendar(client, published):
    fair = published
    meeting = fair.meeting
    meeting.late_minutes = 10
    meeting.save()
    client.force_login(fair.organiser)
    for participant in (fair.lyon, meeting.kr):
        page = client.get(agenda_url(fair, participant)).content.decode()
        assert "about 10 minutes late" in page
    entry = next(
        e for e in entries(client.get(ics_url(fair)).content)
        if meeting.kr.actor.name in str(e["summary"])
    )  # fmt: skip
    assert "about 10 minutes late" in str(entry["description"])
    other = Meeting.objects.filter(event=fair.event).exclude(pk=meeting.pk).first()
    other_side = other.eu if other.eu_id != fair.lyon.pk else other.kr
    assert "minutes late" not in client.get(agenda_url(fair, other_side)).content.decode()


def test_sequence_never_goes_back_when_a_meeting_changes(client, published):
    fair = published
    client.force_login(fair.manager)
    first = by_uid(client.get(ics_url(fair)).content)
    Meeting.objects.filter(pk=fair.meeting.pk).update(
        updated_at=fair.meeting.updated_at + dt.timedelta(minutes=5)
    )
    second = by_uid(client.get(ics_url(fair)).content)
    assert all(int(second[u]["sequence"]) >= int(first[u]["sequence"]) for u in first)
    assert any(int(second[u]["sequence"]) > int(first[u]["sequence"]) for u in first)


@pytest.mark.parametrize(
    "path",
    [
        "/events/calendar/99999999999999999999999/abc.ics",  # beyond any id column
        "/events/calendar/1/" + "가" * 5000 + ".ics",
        "/events/calendar/1/%ED%A0%80.ics",  # a broken encoding
    ],
)
def test_a_hostile_feed_address_is_a_plain_404(published, path):
    calendar_address_create(participant=published.lyon)
    response = Client().get(path)
    assert response.status_code == 404


def test_the_agenda_says_who_cancelled_and_when_in_the_events_time_zone(client, published):
    fair = published
    meeting = fair.meeting
    meeting_cancel(meeting=meeting, by=fair.organiser)
    change = ScheduleChange.objects.get(eu=meeting.eu, kr=meeting.kr, action="removed")
    seoul = change.made_at.astimezone(fair.event.zone)
    client.force_login(fair.manager)
    page = client.get(reverse("event_agenda", args=[fair.event.slug, fair.lyon.pk])).content
    assert f"cancelled by the organisers on {seoul:%-d %b %H:%M}" in page.decode()
