"""Issue 14: every change to a published schedule is logged, with who and when."""

import datetime as dt

import pytest
from django.urls import reverse

from events.models import ChangeAction, ScheduleChange
from events.schedule import (
    meeting_add,
    meeting_cancel,
    meeting_move,
    meeting_pin,
    schedule_publish,
    schedule_unpublish,
)
from tests.factories import UserFactory


@pytest.fixture
def published(fair):
    """fair with two meetings placed by hand and the schedule published by the organiser.

    Round 1 (09:00 in Seoul): Lyon / Chuncheon at table 1. Round 2 (09:30): Turin / Daegu at
    table 2.
    """
    fair.organiser.first_name, fair.organiser.last_name = "Anna", "Kim"
    fair.organiser.save()
    fair.first = meeting_add(
        event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0], table=1
    )
    fair.second = meeting_add(
        event=fair.event, eu=fair.turin, kr=fair.daegu_p, slot=fair.slots[1], table=2
    )
    schedule_publish(event=fair.event, by=fair.organiser)
    fair.event.refresh_from_db()
    return fair


def actions(event) -> list[str]:
    return list(event.changes.order_by("made_at", "pk").values_list("action", flat=True))


def test_changes_to_a_draft_are_not_logged(fair):
    meeting = meeting_add(event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0])
    meeting_move(meeting=meeting, slot=fair.slots[1], by=fair.organiser)
    meeting_cancel(meeting=meeting, by=fair.organiser)
    assert not ScheduleChange.objects.exists()


def test_publishing_and_every_edit_after_it_are_logged_with_who_and_when(published):
    event, organiser = published.event, published.organiser
    published_row = event.changes.get()
    assert (published_row.action, published_row.made_by) == (ChangeAction.PUBLISHED, organiser)

    added = meeting_add(
        event=event, eu=published.lyon, kr=published.gumi, slot=published.slots[1], table=1,
        by=organiser,
    )  # fmt: skip
    meeting_move(meeting=published.second, slot=published.slots[0], table=2, by=organiser)
    meeting_pin(meeting=added, fixed=False, by=organiser)  # not a change participants see
    meeting_cancel(meeting=added, by=organiser)
    schedule_unpublish(event=event, by=organiser)
    assert actions(event) == [
        ChangeAction.PUBLISHED, ChangeAction.ADDED, ChangeAction.MOVED, ChangeAction.REMOVED,
        ChangeAction.UNPUBLISHED,
    ]  # fmt: skip
    moved = event.changes.get(action=ChangeAction.MOVED)
    assert moved.pair == "Turin Health Cluster / Daegu Water Cluster"
    assert (moved.old_starts_at, moved.old_table) == (published.slots[1].starts_at, 2)
    assert (moved.new_starts_at, moved.new_table) == (published.slots[0].starts_at, 2)
    assert (moved.eu, moved.kr, moved.made_by) == (published.turin, published.daegu_p, organiser)


def test_a_cancelled_meeting_keeps_its_old_times_for_the_calendars(published):
    """Helper "calendar" sends a cancelled calendar entry from these fields."""
    slot = published.slots[0]
    meeting_cancel(meeting=published.first, by=published.organiser)
    removed = published.event.changes.get(action=ChangeAction.REMOVED)
    assert (removed.old_starts_at, removed.old_ends_at, removed.old_table) == (
        slot.starts_at, slot.ends_at, 1,
    )  # fmt: skip
    assert (removed.eu, removed.kr) == (published.lyon, published.chuncheon_p)
    assert removed.new_starts_at is None and removed.new_table is None


def test_a_participant_cancelling_is_logged_under_their_name(published):
    """Helper "requests" builds a one-click cancel for managers on `meeting_cancel(by=)`."""
    meeting_cancel(meeting=published.first, by=published.manager)
    removed = published.event.changes.get(action=ChangeAction.REMOVED)
    assert removed.made_by == published.manager


def test_todays_callers_without_by_still_work_and_are_logged_as_someone(client, published):
    meeting_cancel(meeting=published.first)
    assert published.event.changes.get(action=ChangeAction.REMOVED).made_by is None
    client.force_login(published.organiser)
    html = client.get(reverse("event_schedule_changes", args=[published.event.slug])).content
    assert "Someone cancelled Lyon Life Sciences / Chuncheon Bioindustry Foundation" in (
        html.decode()
    )


def test_publishing_twice_is_logged_once(published):
    schedule_publish(event=published.event, by=published.organiser)
    assert actions(published.event) == [ChangeAction.PUBLISHED]


def test_withdrawing_a_draft_logs_nothing(fair):
    schedule_unpublish(event=fair.event, by=fair.organiser)
    assert not fair.event.changes.exists()


# -- the page ---------------------------------------------------------------------------------


def test_the_change_log_reads_as_sentences_in_the_event_time_zone(client, published):
    organiser = published.organiser
    meeting_move(meeting=published.second, slot=published.slots[0], table=2, by=organiser)
    client.force_login(organiser)
    html = client.get(reverse("event_schedule_changes", args=[published.event.slug])).content
    html = html.decode()
    made_at = published.event.changes.get(action=ChangeAction.MOVED).made_at
    when = made_at.astimezone(published.event.zone).strftime("%d %b %H:%M")
    # Rounds at 09:00 and 09:30 in Seoul, whatever the server's time zone.
    assert (
        f"{when} — Anna Kim moved Turin Health Cluster / Daegu Water Cluster from 09:30 table 2 "
        "to 09:00 table 2"
    ) in html
    assert "Anna Kim published the schedule" in html
    # Newest first.
    assert html.index("moved Turin") < html.index("published the schedule")


def test_a_multi_day_event_names_the_day_of_each_round(client, published):
    published.event.ends_on = published.event.starts_on + dt.timedelta(days=1)
    published.event.save()
    meeting_cancel(meeting=published.first, by=published.organiser)
    client.force_login(published.organiser)
    html = client.get(reverse("event_schedule_changes", args=[published.event.slug])).content
    assert "at Tue 24 Nov 09:00 table 1" in html.decode()


def test_the_change_log_is_paged(client, published):
    ScheduleChange.objects.bulk_create(
        ScheduleChange(event=published.event, action=ChangeAction.PUBLISHED, note=f"n{i}")
        for i in range(60)
    )
    client.force_login(published.organiser)
    url = reverse("event_schedule_changes", args=[published.event.slug])
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert first.count('class="change"') == 50 and second.count('class="change"') == 11
    assert "Page 1 of 2" in first
    assert client.get(url + "?page=banana").status_code == 200


def test_the_schedule_page_links_to_the_change_log(client, published):
    client.force_login(published.organiser)
    html = client.get(reverse("event_schedule", args=[published.event.slug])).content.decode()
    assert reverse("event_schedule_changes", args=[published.event.slug]) in html


def test_the_change_log_is_for_the_event_organisers_only(client, published):
    url = reverse("event_schedule_changes", args=[published.event.slug])
    other_organiser = UserFactory(username="other-organiser")
    for user in (published.manager, other_organiser):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_pages_log_under_the_organiser_who_clicked(client, published):
    client.force_login(published.organiser)
    slug = published.event.slug
    client.post(
        reverse("event_meeting_move", args=[slug, published.second.pk]),
        {"slot": published.slots[0].pk, "table": "2"},
    )
    client.post(reverse("event_meeting_cancel", args=[slug, published.first.pk]))
    client.post(
        reverse("event_meeting_add", args=[slug]),
        {"eu": published.lyon.pk, "kr": published.gumi.pk, "slot": published.slots[1].pk},
    )
    # Withdrawing asks first: the first click changes nothing.
    asked = client.post(reverse("event_schedule_publish", args=[slug]), {"publish": "0"})
    assert "Withdraw the publication?" in asked.content.decode()
    published.event.refresh_from_db()
    assert published.event.published
    client.post(reverse("event_schedule_publish", args=[slug]), {"publish": "0", "confirm": "1"})
    published.event.refresh_from_db()
    assert not published.event.published
    rows = published.event.changes.exclude(action=ChangeAction.PUBLISHED)
    assert sorted(rows.values_list("action", flat=True)) == sorted(
        [ChangeAction.MOVED, ChangeAction.REMOVED, ChangeAction.ADDED, ChangeAction.UNPUBLISHED]
    )
    assert set(rows.values_list("made_by", flat=True)) == {published.organiser.pk}
