"""Event pages: who may open what, and what organisers and participants see."""

import csv
import io
import re

import numpy as np
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from events.models import Attendee, Event, Meeting, Participant, Wish
from events.pairs import pair_matrix
from events.schedule import meeting_add, schedule_generate, schedule_publish, schedule_unpublish
from events.wishes import exclusion_add, wishes_set
from tests.factories import ActorFactory, UserFactory


@pytest.fixture
def roles(fair):
    from django.contrib.auth.models import Group

    fair.rival_organiser = UserFactory(username="rival")
    fair.rival_organiser.groups.add(Group.objects.get(name="Organisers"))
    return fair


def as_role(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


ORGANISER_PAGES = [
    ("event_participants", []),
    ("event_pairs", []),
    ("event_schedule", []),
    ("event_outcomes", []),
    ("event_edit", []),
    ("event_export", ["schedule", "csv"]),
    ("event_export", ["tables", "xlsx"]),
    ("event_export", ["b2match", "xlsx"]),
    ("event_export", ["outcomes", "csv"]),
]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("manager", 404),
        ("other_manager", 404),
        ("curator", 404),
        ("rival_organiser", 404),
        ("organiser", 200),
    ],
)
def test_only_this_events_organisers_open_its_organiser_pages(client, roles, role, expected):
    as_role(client, roles, role)
    for name, extra in ORGANISER_PAGES:
        response = client.get(reverse(name, args=[roles.event.slug, *extra]))
        assert response.status_code == expected, name


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("manager", 200),
        ("other_manager", 404),
        ("curator", 404),
        ("rival_organiser", 404),
        ("organiser", 200),
    ],
)
def test_a_participant_page_is_for_its_managers_and_the_organisers(client, roles, role, expected):
    as_role(client, roles, role)
    response = client.get(reverse("event_participant", args=[roles.event.slug, roles.lyon.pk]))
    assert response.status_code == expected


def test_agendas_appear_to_participants_only_once_published(client, fair):
    schedule_generate(event=fair.event)
    url = reverse("event_agenda", args=[fair.event.slug, fair.lyon.pk])
    client.force_login(fair.manager)
    assert client.get(url).status_code == 404
    schedule_publish(event=fair.event)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chuncheon Bioindustry Foundation" in html
    # Times as the participant will see the clock in Seoul, not the server's time zone.
    meeting = Meeting.objects.get(eu=fair.lyon, kr=fair.chuncheon_p)
    local = meeting.slot.starts_at.astimezone(fair.event.zone).strftime("%H:%M")
    assert local in ("09:00", "09:30")
    assert f"<strong>{local}" in html
    assert "They offer market access and export, which you seek." in html
    # The Korean side reads the reason from its own point of view.
    client.force_login(fair.organiser)
    korean = client.get(reverse("event_agenda", args=[fair.event.slug, fair.chuncheon_p.pk]))
    assert "They seek market access and export, which you offer." in korean.content.decode()


def test_state_changes_need_a_csrf_token(fair):
    client = Client(enforce_csrf_checks=True)
    client.force_login(fair.organiser)
    for name, args in (
        ("event_schedule_generate", [fair.event.slug]),
        ("event_schedule_publish", [fair.event.slug]),
        ("event_participant_decide", [fair.event.slug, fair.lyon.pk]),
    ):
        assert client.post(reverse(name, args=args)).status_code == 403
    assert not fair.event.meetings.exists()


def test_an_organiser_creates_an_event_with_sessions_and_rounds(client, fair):
    client.force_login(fair.organiser)
    data = {
        "name": "Busan Marine Days", "slug": "busan-days", "place": "BEXCO, Busan",
        "timezone": "Asia/Seoul", "starts_on": "2027-03-02", "ends_on": "2027-03-03",
        "meeting_minutes": "20", "break_minutes": "10", "tables": "10", "max_meetings": "6",
        "sessions-TOTAL_FORMS": "2", "sessions-INITIAL_FORMS": "0",
        "sessions-0-name": "Day 1", "sessions-0-date": "2027-03-02",
        "sessions-0-start": "14:00", "sessions-0-end": "16:00",
        "sessions-1-name": "Day 2", "sessions-1-date": "2027-03-03",
        "sessions-1-start": "09:00", "sessions-1-end": "10:00",
    }  # fmt: skip
    response = client.post(reverse("event_create"), data)
    assert response.status_code == 302
    event = Event.objects.get(slug="busan-days")
    assert list(event.organisers.all()) == [fair.organiser]
    assert event.slots.count() == 4 + 2  # 14:00..15:30 every 30 min, then 09:00 and 09:30


def test_a_bad_session_in_the_event_form_saves_nothing(client, fair):
    client.force_login(fair.organiser)
    data = {
        "name": "Bad", "slug": "bad-event", "place": "Seoul", "timezone": "Asia/Seoul",
        "starts_on": "2027-03-02", "ends_on": "2027-03-02", "meeting_minutes": "20",
        "break_minutes": "10", "tables": "10", "max_meetings": "6",
        "sessions-TOTAL_FORMS": "1", "sessions-INITIAL_FORMS": "0",
        "sessions-0-name": "Later", "sessions-0-date": "2027-04-01",
        "sessions-0-start": "09:00", "sessions-0-end": "10:00",
    }  # fmt: skip
    response = client.post(reverse("event_create"), data)
    assert response.status_code == 200
    assert "outside the event" in response.content.decode()
    assert not Event.objects.filter(slug="bad-event").exists()


def test_managers_cannot_create_events(client, fair):
    client.force_login(fair.manager)
    assert client.get(reverse("event_create")).status_code == 403


def test_a_manager_registers_and_the_organiser_accepts(client, fair):
    newcomer = ActorFactory(slug="grenoble-nano", name="Grenoble Nano")
    newcomer.managers.add(fair.manager)
    fair.event.registration_open = True
    fair.event.save()
    client.force_login(fair.manager)
    client.post(
        reverse("event_register", args=[fair.event.slug]), {"actor": newcomer.pk, "note": "Hi"}
    )
    participant = Participant.objects.get(actor=newcomer)
    assert participant.status == "pending"
    client.force_login(fair.organiser)
    client.post(
        reverse("event_participant_decide", args=[fair.event.slug, participant.pk]),
        {"decision": "accepted"},
    )
    participant.refresh_from_db()
    assert participant.status == "accepted"


def test_a_manager_sets_wishes_availability_and_attendees(client, fair):
    client.force_login(fair.manager)
    url = reverse("event_participant", args=[fair.event.slug, fair.lyon.pk])
    page = client.get(url).content.decode()
    order = re.findall(r'class="card match counterpart" data-slug="([^"]+)"', page)
    assert order[0] == "chuncheon-bio"
    client.post(url, {"wishes": "1", f"wish-{fair.gumi.pk}": "must"})
    assert Wish.objects.get(participant=fair.lyon).target == fair.gumi
    client.post(url, {"availability": "1", "attends": []})
    assert fair.lyon.absent_from.count() == 1
    client.post(
        url,
        {
            "attendees": "1", "attendees-TOTAL_FORMS": "1", "attendees-INITIAL_FORMS": "0",
            "attendees-0-first_name": "Claire", "attendees-0-last_name": "Martin",
            "attendees-0-email": "claire@example.org",
        },
    )  # fmt: skip
    assert Attendee.objects.get(participant=fair.lyon).last_name == "Martin"


@pytest.mark.parametrize("key", ["wish-²", "wish-99999999999999999999999", "wish-٣", "wish--1"])
def test_a_wish_for_no_real_participant_is_ignored_not_a_server_error(client, fair, key):
    client.force_login(fair.manager)
    url = reverse("event_participant", args=[fair.event.slug, fair.lyon.pk])
    response = client.post(url, {"wishes": "1", key: "must"})
    assert response.status_code in (200, 302)
    assert not Wish.objects.exists()


def test_a_manager_cannot_set_wishes_for_another_organisation(client, fair):
    client.force_login(fair.other_manager)
    url = reverse("event_participant", args=[fair.event.slug, fair.lyon.pk])
    assert client.post(url, {"wishes": "1", f"wish-{fair.gumi.pk}": "must"}).status_code == 404
    assert not Wish.objects.exists()


def test_the_dashboard_names_participants_without_meetings(client, fair):
    schedule_generate(event=fair.event)
    client.force_login(fair.organiser)
    html = client.get(reverse("event_detail", args=[fair.event.slug])).content.decode()
    without = re.search(r'class="plain without-meetings">(.*?)</ul>', html, re.S).group(1)
    assert "Gumi Mobile Mini Cluster" in without
    assert "Lyon Life Sciences" not in without


def test_the_organiser_generates_moves_and_publishes_through_the_pages(client, fair):
    client.force_login(fair.organiser)
    client.post(reverse("event_schedule_generate", args=[fair.event.slug]))
    meeting = Meeting.objects.get(eu=fair.lyon, kr=fair.chuncheon_p)
    target = next(s for s in fair.slots if s.pk != meeting.slot_id)
    client.post(
        reverse("event_meeting_move", args=[fair.event.slug, meeting.pk]),
        {"slot": target.pk, "table": ""},
    )
    meeting.refresh_from_db()
    assert meeting.slot_id == target.pk and meeting.fixed
    client.post(reverse("event_schedule_publish", args=[fair.event.slug]), {"publish": "1"})
    fair.event.refresh_from_db()
    assert fair.event.published


def test_a_clashing_manual_meeting_is_refused_with_the_reason(client, fair):
    schedule_generate(event=fair.event)
    meeting = Meeting.objects.get(eu=fair.lyon, kr=fair.chuncheon_p)
    client.force_login(fair.organiser)
    response = client.post(
        reverse("event_meeting_add", args=[fair.event.slug]),
        {"eu": fair.lyon.pk, "kr": fair.gumi.pk, "slot": meeting.slot_id, "table": ""},
        follow=True,
    )
    assert "Lyon Life Sciences already has a meeting" in response.content.decode()
    assert not Meeting.objects.filter(kr=fair.gumi).exists()


# -- exports --------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_schedule_export_parses_back_to_the_meetings(client, fair):
    schedule_generate(event=fair.event)
    client.force_login(fair.organiser)
    rows = read_csv(client.get(reverse("event_export", args=[fair.event.slug, "schedule", "csv"])))
    assert rows[0][:7] == [
        "date", "start", "end", "session", "table", "european participant", "korean participant",
    ]  # fmt: skip
    exported = {(r[1], r[4], r[5], r[6]) for r in rows[1:]}
    expected = {
        (
            m.slot.starts_at.astimezone(fair.event.zone).strftime("%H:%M"), str(m.table),
            m.eu.actor.name, m.kr.actor.name,
        )
        for m in fair.event.meetings.select_related("slot", "eu__actor", "kr__actor")
    }  # fmt: skip
    assert exported == expected and len(rows) - 1 == fair.event.meetings.count()


def test_the_table_plan_puts_each_meeting_at_its_round_and_table(client, fair):
    schedule_generate(event=fair.event)
    client.force_login(fair.organiser)
    response = client.get(reverse("event_export", args=[fair.event.slug, "tables", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    grid = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert grid[0] == ["round", "table 1", "table 2"]
    for m in fair.event.meetings.select_related("slot", "eu__actor", "kr__actor"):
        row = fair.slots.index(m.slot) + 1
        assert grid[row][m.table] == f"{m.eu.actor.name} / {m.kr.actor.name}"


def test_the_agenda_calendar_has_one_event_per_meeting_at_the_right_time(client, fair):
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    client.force_login(fair.manager)
    response = client.get(
        reverse("event_agenda_export", args=[fair.event.slug, fair.lyon.pk, "ics"])
    )
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    meetings = list(Meeting.objects.filter(eu=fair.lyon).select_related("slot", "kr__actor"))
    assert len(events) == len(meetings)
    by_start = {e.decoded("dtstart"): e for e in events}
    for m in meetings:
        entry = by_start[m.slot.starts_at]
        assert str(entry["summary"]) == f"Meeting with {m.kr.actor.name}"
        assert f"table {m.table}" in str(entry["location"])
    xlsx = client.get(reverse("event_agenda_export", args=[fair.event.slug, fair.lyon.pk, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert {r[4] for r in rows[1:]} == {m.kr.actor.name for m in meetings}


def test_the_b2match_export_has_one_row_per_attendee_with_email_and_is_formula_safe(client, fair):
    Attendee.objects.create(
        participant=fair.lyon, first_name="=HYPERLINK(1)", last_name="Martin",
        email="claire@example.org", phone="+33 1 23 45 67 89",
    )  # fmt: skip
    Attendee.objects.create(participant=fair.lyon, first_name="No", last_name="Mail")
    client.force_login(fair.organiser)
    rows = read_csv(client.get(reverse("event_export", args=[fair.event.slug, "b2match", "csv"])))
    assert rows[0][:5] == [
        "Email",
        "First name",
        "Last name",
        "Job description",
        "Organization name",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Email"] == "claire@example.org"
    assert row["First name"] == "'=HYPERLINK(1)"
    # Issue 14: the phone came out as '+33 ..., the apostrophe inside the cell. A plain figure
    # calls nothing, so it is written as it is.
    assert row["Phone number"] == "+33 1 23 45 67 89"
    assert row["Organization name"] == "Lyon Life Sciences"
    assert row["Participation type"] == "European participant"
    assert row["Validated"] == "Yes"


def test_outcomes_are_recorded_and_reported(client, fair):
    schedule_generate(event=fair.event)
    meeting = Meeting.objects.get(eu=fair.lyon, kr=fair.chuncheon_p)
    client.force_login(fair.organiser)
    url = reverse("event_outcome_record", args=[fair.event.slug, meeting.pk])
    response = client.post(url, {"held": "no", "follow_up": "mou"}, follow=True)
    assert "cannot have a follow-up" in response.content.decode()
    client.post(url, {"held": "yes", "follow_up": "mou", "note": "MoU at Bio Korea"})
    meeting.refresh_from_db()
    assert (meeting.held, meeting.follow_up) == (True, "mou")
    html = client.get(reverse("event_outcomes", args=[fair.event.slug])).content.decode()
    assert "MoU at Bio Korea" in html
    rows = read_csv(client.get(reverse("event_export", args=[fair.event.slug, "outcomes", "csv"])))
    recorded = [r for r in rows[1:] if r[3] == "Lyon Life Sciences"]
    assert recorded[0][5:7] == ["yes", "MoU or agreement"]


def pair_rows(html: str) -> list[tuple[str, str]]:
    body = re.search(r'class="datatable pairs-table">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return re.findall(r"<tr[^>]*>\s*<td>([^<]+)</td><td>([^<]+)</td>", body)


def test_the_pair_table_sorts_and_the_heat_map_shows_every_pair(client, fair):
    wishes_set(participant=fair.turin, levels={fair.gumi.pk: "must"})
    client.force_login(fair.organiser)
    url = reverse("event_pairs", args=[fair.event.slug])
    by_value = pair_rows(client.get(url).content.decode())
    assert len(by_value) == 6
    assert by_value[0] == ("Turin Health Cluster", "Gumi Mobile Mini Cluster")  # the wish
    by_score = pair_rows(client.get(url + "?sort=score").content.decode())
    # By text alone (the default weights), the two water profiles share the most words.
    assert by_score[:2] == [
        ("Turin Health Cluster", "Daegu Water Cluster"),
        ("Lyon Life Sciences", "Chuncheon Bioindustry Foundation"),
    ]
    by_korean = pair_rows(client.get(url + "?sort=kr").content.decode())
    assert [kr for _, kr in by_korean][:2] == ["Chuncheon Bioindustry Foundation"] * 2
    html = client.get(url).content.decode()
    assert len(re.findall(r'<td class="heat-\d"', html)) == 6


def test_removing_a_session_that_holds_meetings_is_refused_and_saves_nothing(client, fair):
    schedule_generate(event=fair.event)
    session = fair.event.sessions.get()
    client.force_login(fair.organiser)
    data = {
        "name": "Renamed", "slug": fair.event.slug, "place": "COEX, Seoul",
        "timezone": "Asia/Seoul", "starts_on": "2026-11-24", "ends_on": "2026-11-24",
        "meeting_minutes": "25", "break_minutes": "5", "tables": "2", "max_meetings": "2",
        "organisers": [fair.organiser.pk],
        "sessions-TOTAL_FORMS": "1", "sessions-INITIAL_FORMS": "1",
        "sessions-0-id": session.pk, "sessions-0-event": fair.event.pk,
        "sessions-0-name": "Morning", "sessions-0-date": "2026-11-24",
        "sessions-0-start": "09:00", "sessions-0-end": "10:00", "sessions-0-DELETE": "on",
    }  # fmt: skip
    response = client.post(reverse("event_edit", args=[fair.event.slug]), data)
    assert response.status_code == 200
    # Issue 14: the page lists the meetings left outside and asks what to do with them.
    assert "outside the event" in response.content.decode()
    fair.event.refresh_from_db()
    assert fair.event.name == "Seoul Cluster Days"
    assert fair.event.sessions.count() == 1 and fair.event.meetings.exists()


def test_the_pair_table_sorted_by_european_lists_each_in_name_order_best_value_first(client, fair):
    wishes_set(participant=fair.turin, levels={fair.gumi.pk: "must"})
    matrix = pair_matrix(event=fair.event)
    client.force_login(fair.organiser)
    rows = pair_rows(
        client.get(reverse("event_pairs", args=[fair.event.slug]) + "?sort=eu").content.decode()
    )
    assert [eu for eu, _ in rows] == ["Lyon Life Sciences"] * 3 + ["Turin Health Cluster"] * 3
    for i, eu in enumerate(matrix.eu):
        best_first = [matrix.kr[j].actor.name for j in np.argsort(-matrix.values[i], kind="stable")]
        assert [kr for name, kr in rows if name == eu.actor.name] == best_first
    assert rows[3] == ("Turin Health Cluster", "Gumi Mobile Mini Cluster")  # the must-meet


# -- the schedule through the pages ------------------------------------------------------------


def post(client, name: str, *args, **data):
    return client.post(reverse(name, args=args), data)


def test_fixing_decides_what_a_regeneration_keeps(client, fair):
    client.force_login(fair.organiser)
    slug = fair.event.slug
    # Lyon and Gumi have nothing in common: only an organiser's fixed meeting brings them together.
    manual = meeting_add(event=fair.event, eu=fair.lyon, kr=fair.gumi, slot=fair.slots[1], table=2)
    post(client, "event_meeting_pin", slug, manual.pk, fixed="0")
    post(client, "event_meeting_pin", slug, manual.pk, fixed="1")
    post(client, "event_schedule_generate", slug)
    kept = Meeting.objects.get(eu=fair.lyon, kr=fair.gumi)
    assert (kept.slot_id, kept.table, kept.fixed) == (fair.slots[1].pk, 2, True)
    post(client, "event_meeting_pin", slug, kept.pk, fixed="0")
    post(client, "event_schedule_generate", slug)
    # Unfixed, the meeting is the generator's again, and it would not arrange this one.
    assert not Meeting.objects.filter(eu=fair.lyon, kr=fair.gumi).exists()
    assert Meeting.objects.filter(eu=fair.lyon, kr=fair.chuncheon_p).exists()


def test_removing_an_exclusion_lets_the_pair_meet_again(client, fair):
    exclusion = exclusion_add(event=fair.event, first=fair.turin, second=fair.daegu_p)
    client.force_login(fair.organiser)
    slug = fair.event.slug
    post(client, "event_schedule_generate", slug)
    assert not Meeting.objects.filter(eu=fair.turin, kr=fair.daegu_p).exists()
    post(client, "event_exclusion_remove", slug, exclusion.pk)
    post(client, "event_schedule_generate", slug)
    assert Meeting.objects.filter(eu=fair.turin, kr=fair.daegu_p).exists()


def test_withdrawing_publication_hides_the_agenda_from_managers_again(client, fair):
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    agenda = reverse("event_agenda", args=[fair.event.slug, fair.lyon.pk])
    participant_page = reverse("event_participant", args=[fair.event.slug, fair.lyon.pk])
    client.force_login(fair.manager)
    assert client.get(agenda).status_code == 200
    assert agenda in client.get(participant_page).content.decode()
    client.force_login(fair.organiser)
    response = post(client, "event_schedule_publish", fair.event.slug, publish="0", confirm="1")
    assert response.status_code == 302
    client.force_login(fair.manager)
    assert client.get(agenda).status_code == 404
    assert agenda not in client.get(participant_page).content.decode()


def page_queries(client, name: str, event) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name, args=[event.slug])).status_code == 200
    return len(queries)


def test_schedule_and_outcome_pages_cost_no_more_queries_with_more_meetings(client, liked_fair):
    event = liked_fair.event
    client.force_login(liked_fair.organiser)
    counts = {}
    for tables in (1, 2):
        event.tables = tables
        event.save()
        schedule_generate(event=event)
        event.meetings.update(held=True, follow_up="talks")  # listed as leading somewhere too
        counts[event.meetings.count()] = (
            page_queries(client, "event_schedule", event),
            page_queries(client, "event_outcomes", event),
        )
    (few, (few_schedule, few_outcomes)), (many, (many_schedule, many_outcomes)) = counts.items()
    assert (few, many) == (2, 4)
    assert many_schedule <= few_schedule and many_outcomes <= few_outcomes


def test_line_breaks_in_names_do_not_break_the_calendar_file(client, fair):
    fair.event.name = "Bio Korea\r\nMatchmaking"
    fair.event.place = "COEX\nHall C"
    fair.event.save()
    fair.chuncheon.name = "Chuncheon\nBioindustry"
    fair.chuncheon.save()
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    client.force_login(fair.manager)
    response = client.get(
        reverse("event_agenda_export", args=[fair.event.slug, fair.lyon.pk, "ics"])
    )
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]).startswith("Bio Korea Matchmaking: ")
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert "Meeting with Chuncheon Bioindustry" in summaries
    assert all("COEX Hall C" in str(e["location"]) for e in calendar.walk("VEVENT"))


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_event_date_far_out_of_range_is_refused_on_the_form(client, fair, day):
    client.force_login(fair.organiser)
    response = client.post(
        reverse("event_create"),
        {
            "name": "Far off", "slug": "far-off", "place": "Seoul", "timezone": "Asia/Seoul",
            "starts_on": day, "ends_on": day, "meeting_minutes": 25, "break_minutes": 5,
            "tables": 4,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Give a date between 2000 and 2100." in response.content.decode()


def test_a_refused_attendee_list_says_why(client, fair):
    client.force_login(fair.manager)
    url = reverse("event_participant", args=[fair.event.slug, fair.lyon.pk])
    data = {"attendees": "1", "attendees-TOTAL_FORMS": "21", "attendees-INITIAL_FORMS": "0"}
    for i in range(21):
        data |= {f"attendees-{i}-first_name": "Ann", f"attendees-{i}-last_name": f"Lee {i}"}
    html = client.post(url, data).content.decode()
    assert "Please submit at most 20 rows." in html
    forged = {"attendees": "1", "attendees-TOTAL_FORMS": "x", "attendees-INITIAL_FORMS": "0"}
    html = client.post(url, forged).content.decode()
    assert "The form arrived incomplete" in html
    assert not Attendee.objects.filter(participant=fair.lyon).exists()


def test_event_pages_give_the_score_in_words_as_the_ranking_does(client, fair):
    from matching.bands import band

    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    client.force_login(fair.manager)
    html = client.get(
        reverse("event_agenda", args=[fair.event.slug, fair.lyon.pk])
    ).content.decode()
    fits = [int(f) for f in re.findall(r"fit (\d+)/100", html)]
    assert fits and all(f'fit {f}/100 <span class="band' in html for f in fits)
    assert band(fits[0]) in html


def test_not_interested_in_a_scheduled_partner_says_the_meeting_is_still_there(client, fair):
    """Issue 14: a "not interested" added after scheduling left the meeting without a word."""
    from events.schedule import meeting_add

    meeting_add(event=fair.event, eu=fair.lyon, kr=fair.gumi, slot=fair.slots[0], table=1)
    client.force_login(fair.manager)
    url = reverse("event_participant", args=[fair.event.slug, fair.lyon.pk])
    html = client.post(url, {"wishes": "1", f"wish-{fair.gumi.pk}": "not"}, follow=True)
    text = html.content.decode()
    assert "Wishes saved" in text
    assert "already have a meeting with Gumi Mobile Mini Cluster" in text
    assert "ask the organisers to cancel it" in text
    # An organiser is offered the meeting's cancel confirmation, a manager of a published
    # schedule the agenda where the meeting can be called off.
    client.force_login(fair.organiser)
    text = client.post(url, {"wishes": "1", f"wish-{fair.gumi.pk}": "not"}, follow=True)
    meeting = fair.event.meetings.get(eu=fair.lyon, kr=fair.gumi)
    cancel = reverse("event_meeting_cancel", args=[fair.event.slug, meeting.pk])
    assert f'<a href="{cancel}">cancel the meeting</a>' in text.content.decode()
    assert client.get(cancel).status_code == 200
    from events.schedule import schedule_publish

    schedule_publish(event=fair.event)
    client.force_login(fair.manager)
    text = client.post(url, {"wishes": "1", f"wish-{fair.gumi.pk}": "not"}, follow=True)
    agenda = reverse("event_agenda", args=[fair.event.slug, fair.lyon.pk])
    assert f'<a href="{agenda}#meeting-{meeting.pk}">call it off from your agenda</a>' in (
        text.content.decode()
    )


def test_the_participants_page_says_who_the_b2match_export_leaves_out_and_why(client, fair):
    """Issue 14: the export silently left out 18 of 25 participants that had no attendee."""
    Attendee.objects.create(participant=fair.lyon, first_name="Claire", email="c@example.org")
    Attendee.objects.create(participant=fair.lyon, first_name="No", last_name="Mail")
    client.force_login(fair.organiser)
    html = client.get(reverse("event_participants", args=[fair.event.slug])).content.decode()
    others = fair.event.participants.exclude(status="declined").exclude(pk=fair.lyon.pk)
    assert "The b2match export holds 1 person from 1 organisation." in html
    assert f"Left out: {others.count()} organisations with no attendee" in html
    assert "1 attendee without an email" in html
    for participant in others:
        assert participant.actor.name in html.split("Left out:")[1].split("</p>")[0]


def test_calendar_entries_keep_their_uid_when_the_schedule_is_generated_again(client, fair):
    """Issue 14: UIDs were meeting ids, so every regeneration duplicated imported calendars."""
    from events.models import Exclusion

    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    client.force_login(fair.manager)
    url = reverse("event_agenda_export", args=[fair.event.slug, fair.lyon.pk, "ics"])

    def entries():
        events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
        return {str(e["summary"]): (str(e["uid"]), int(e["sequence"])) for e in events}

    before = entries()
    Exclusion.objects.all().delete()
    Meeting.objects.filter(event=fair.event).update(fixed=False)
    # A published schedule is updated, not regenerated (issue 14): withdraw it first.
    schedule_unpublish(event=fair.event)
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    after = entries()
    shared = before.keys() & after.keys()
    assert shared  # the same partners meet again
    for summary in shared:
        assert after[summary][0] == before[summary][0]  # same UID: the entry is updated
        assert after[summary][1] >= before[summary][1]  # SEQUENCE never goes back
    # One pair, one UID, whoever downloads it.
    meeting = Meeting.objects.filter(eu=fair.lyon).select_related("kr__actor").first()
    uid, _sequence = after[f"Meeting with {meeting.kr.actor.name}"]
    assert uid.startswith(f"meeting-{fair.event.pk}-{fair.lyon.pk}-{meeting.kr.pk}@")


def test_a_new_event_shows_its_creator_ticked_as_organiser(client, fair):
    """Issue 14: the creator is made an organiser, but the box was not ticked."""
    client.force_login(fair.organiser)
    html = client.get(reverse("event_create")).content.decode()
    box = re.search(rf'<input[^>]*name="organisers"[^>]*value="{fair.organiser.pk}"[^>]*>', html)
    assert box and "checked" in box.group(0)


def test_the_address_of_a_published_event_does_not_change(client, fair):
    """Issue 14: agendas, calendars and shared links use the event's address."""
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    client.force_login(fair.organiser)
    old = fair.event.slug
    session = fair.event.sessions.get()
    data = {
        "name": fair.event.name, "slug": "renamed-address", "place": fair.event.place,
        "timezone": fair.event.timezone, "starts_on": str(fair.event.starts_on),
        "ends_on": str(fair.event.ends_on), "meeting_minutes": str(fair.event.meeting_minutes),
        "break_minutes": str(fair.event.break_minutes), "tables": str(fair.event.tables),
        "max_meetings": str(fair.event.max_meetings), "organisers": [fair.organiser.pk],
        "sessions-TOTAL_FORMS": "1", "sessions-INITIAL_FORMS": "1",
        "sessions-0-id": session.pk, "sessions-0-event": fair.event.pk,
        "sessions-0-name": session.name, "sessions-0-date": str(session.date),
        "sessions-0-start": session.start.strftime("%H:%M"),
        "sessions-0-end": session.end.strftime("%H:%M"),
    }  # fmt: skip
    response = client.post(reverse("event_edit", args=[old]), data)
    assert response.status_code == 200
    assert "cannot change once the schedule is published" in response.content.decode()
    fair.event.refresh_from_db()
    assert fair.event.slug == old
