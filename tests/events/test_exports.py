"""Issue 14: exports that import elsewhere (real date and time cells, the pages' 0-100 score,
b2match's one person per email) and the dashboard as a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from events.dashboard import event_dashboard
from events.models import Attendee, Meeting, ParticipantStatus
from events.schedule import schedule_generate, schedule_publish


@pytest.fixture
def published(fair):
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    return fair


def sheet_rows(response, title: str | None = None) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content))
    sheet = book[title] if title else book.active
    return list(sheet.iter_rows(values_only=True))


def sheet_cells(response) -> list[list]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows())


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# -- the agenda -----------------------------------------------------------------------------------


def test_the_agenda_xlsx_has_real_date_and_time_cells(client, published):
    fair = published
    client.force_login(fair.manager)
    url = reverse("event_agenda_export", args=[fair.event.slug, fair.lyon.pk, "xlsx"])
    header, *rows = sheet_cells(client.get(url))
    names = [c.value for c in header]
    assert names[:3] == ["date", "start", "end"]
    lyon_meetings = Meeting.objects.filter(eu=fair.lyon).select_related("slot", "kr__actor")
    meetings = {m.kr.actor.name: m for m in lyon_meetings}
    assert len(rows) == len(meetings) > 0
    for row in rows:
        day, start, end = row[0], row[1], row[2]
        meeting = meetings[row[names.index("meeting with")].value]
        local = meeting.slot.starts_at.astimezone(fair.event.zone)
        assert isinstance(day.value, dt.datetime) and day.is_date  # a date, not text
        assert day.value.date() == local.date()
        assert isinstance(start.value, dt.time) and start.number_format == "hh:mm"
        assert start.value == local.time().replace(tzinfo=None)
        finish = meeting.slot.ends_at.astimezone(fair.event.zone).time().replace(tzinfo=None)
        assert isinstance(end.value, dt.time) and end.value == finish


def test_the_agenda_csv_writes_times_as_people_read_them(client, published):
    fair = published
    client.force_login(fair.manager)
    url = reverse("event_agenda_export", args=[fair.event.slug, fair.lyon.pk, "csv"])
    header, *rows = csv_rows(client.get(url))
    assert rows
    for row in rows:
        assert re.fullmatch(r"2026-11-24", row[0])
        assert re.fullmatch(r"\d\d:\d\d", row[1]) and re.fullmatch(r"\d\d:\d\d", row[2])


def test_the_agenda_exports_give_the_score_the_page_shows(client, published):
    fair = published
    client.force_login(fair.manager)
    page = client.get(reverse("event_agenda", args=[fair.event.slug, fair.lyon.pk]))
    fit = r"<strong>([^<]+)</strong><br><span class=\"muted\">[^·]*· fit (\d+)/100"
    shown = dict(re.findall(fit, page.content.decode()))
    assert shown
    for fmt in ("xlsx", "csv"):
        response = client.get(
            reverse("event_agenda_export", args=[fair.event.slug, fair.lyon.pk, fmt])
        )
        header, *rows = sheet_rows(response) if fmt == "xlsx" else csv_rows(response)
        score = list(header).index("score")
        name = list(header).index("meeting with")
        exported = {r[name]: int(r[score]) for r in rows}
        assert exported == {k: int(v) for k, v in shown.items()}
        if fmt == "xlsx":
            assert all(isinstance(r[score], int) for r in rows)  # a whole number, not 0.43


# -- the organisers' exports ----------------------------------------------------------------------


def test_the_schedule_xlsx_has_dates_times_and_the_schedule_pages_score(client, published):
    fair = published
    client.force_login(fair.organiser)
    response = client.get(reverse("event_export", args=[fair.event.slug, "schedule", "xlsx"]))
    header, *rows = sheet_rows(response)
    col = {name: i for i, name in enumerate(header)}
    assert {"video", "score"} <= col.keys()
    for row in rows:
        assert isinstance(row[col["date"]], dt.datetime)
        assert isinstance(row[col["start"]], dt.time)
        meeting = Meeting.objects.get(
            eu__actor__name=row[col["european participant"]],
            kr__actor__name=row[col["korean participant"]],
        )
        # The schedule page prints a meeting's score with {% widthratio m.score 1 100 %}.
        shown = Template("{% widthratio score 1 100 %}").render(Context({"score": meeting.score}))
        assert row[col["score"]] == int(shown)
        assert isinstance(row[col["score"]], int)
    outcomes = client.get(reverse("event_export", args=[fair.event.slug, "outcomes", "xlsx"]))
    header, *rows = sheet_rows(outcomes)
    assert rows and all(isinstance(r[1], dt.time) for r in rows)
    plan = client.get(reverse("event_export", args=[fair.event.slug, "tables", "xlsx"]))
    header, *rows = sheet_rows(plan)
    assert rows and all(isinstance(r[0], dt.datetime) for r in rows)


def test_the_schedule_csv_keeps_plain_text_dates_and_times(client, published):
    fair = published
    client.force_login(fair.organiser)
    rows = csv_rows(client.get(reverse("event_export", args=[fair.event.slug, "schedule", "csv"])))
    assert all(re.fullmatch(r"\d\d:\d\d", r[1]) for r in rows[1:])
    plan = csv_rows(client.get(reverse("event_export", args=[fair.event.slug, "tables", "csv"])))
    assert all(re.fullmatch(r"2026-11-24 \d\d:\d\d", r[0]) for r in plan[1:])


# -- b2match --------------------------------------------------------------------------------------


def test_b2match_takes_each_email_once_and_the_page_says_who_was_left_out(client, fair):
    Attendee.objects.create(
        participant=fair.lyon, first_name="Claire", last_name="Martin",
        email="shared@example.org", phone="+33 1 23 45 67 89",
    )  # fmt: skip
    Attendee.objects.create(
        participant=fair.turin, first_name="Luca", last_name="Rossi", email="Shared@Example.org"
    )
    Attendee.objects.create(
        participant=fair.gumi, first_name="Minji", last_name="Park",
        email="minji@example.org",
    )  # fmt: skip
    fair.daegu_p.status = ParticipantStatus.DECLINED
    fair.daegu_p.save()
    Attendee.objects.create(participant=fair.daegu_p, first_name="De", email="de@example.org")
    client.force_login(fair.organiser)

    rows = csv_rows(client.get(reverse("event_export", args=[fair.event.slug, "b2match", "csv"])))
    emails = [r[0] for r in rows[1:]]
    assert sorted(emails) == ["minji@example.org", "shared@example.org"]  # once, none declined
    xlsx = sheet_rows(
        client.get(reverse("event_export", args=[fair.event.slug, "b2match", "xlsx"]))
    )
    phones = {r[0]: r[5] for r in xlsx[1:]}
    assert phones["shared@example.org"] == "+33 1 23 45 67 89"  # plain, no apostrophe

    html = client.get(reverse("event_participants", args=[fair.event.slug])).content.decode()
    assert "The b2match export holds 2 people from 2 organisations." in html
    assert "1 attendee whose email another attendee already has" in html
    assert "1 declined registration" in html
    assert "Chuncheon Bioindustry Foundation" in html.split("Left out:")[1]


# -- the dashboard ------------------------------------------------------------------------------


def test_the_dashboard_exports_give_the_pages_figures(client, published):
    fair = published
    client.force_login(fair.organiser)
    detail = client.get(reverse("event_detail", args=[fair.event.slug])).content.decode()
    xlsx_url = reverse("event_dashboard_export", args=[fair.event.slug, "xlsx"])
    assert xlsx_url in detail
    response = client.get(xlsx_url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    d = event_dashboard(event=fair.event)
    expected = ["Participants", "Meetings per participant", "Table use per round", "Wishes met"]
    if "fairness" in d:  # how many participants have how many meetings
        expected.insert(2, "How many meetings")
        header, *rows = sheet_rows(response, "How many meetings")
        distribution = d["fairness"].distribution
        assert rows == [(c.meetings, c.participants, c.percent) for c in distribution]
    assert book.sheetnames == expected

    header, *rows = sheet_rows(response, "Participants")
    assert header == ("side", "accepted", "waiting", "declined", "total")
    assert [r[:4] for r in rows] == [
        (s["side"], s["accepted"], s["pending"], s["declined"]) for s in d["sides"]
    ]
    header, *rows = sheet_rows(response, "Meetings per participant")
    assert {(r[0], r[2]) for r in rows} == {(p.actor.name, n) for p, n in d["meetings_per"]}
    header, *rows = sheet_rows(response, "Table use per round")
    assert rows == [(s.label, s.meetings, s.tables, s.percent) for s in d["slot_use"]]
    for s in d["slot_use"]:  # the same percentage as the page
        assert f"{s.percent}%" in detail
    header, *rows = sheet_rows(response, "Wishes met")
    assert rows == [(w.level, w.total, w.met, w.percent) for w in d["wish_shares"]]

    csv_response = client.get(reverse("event_dashboard_export", args=[fair.event.slug, "csv"]))
    long = csv_rows(csv_response)
    assert long[0] == ["table", "row", "figure", "value"]
    lyon_meetings = {p.actor.name: n for p, n in d["meetings_per"]}["Lyon Life Sciences"]
    assert [
        "Meetings per participant",
        "Lyon Life Sciences",
        "meetings",
        str(lyon_meetings),
    ] in long


def test_the_dashboard_export_is_for_the_events_organisers_only(client, published):
    fair = published
    for user in (fair.manager, fair.other_manager, fair.curator):
        client.force_login(user)
        for fmt in ("xlsx", "csv"):
            url = reverse("event_dashboard_export", args=[fair.event.slug, fmt])
            assert client.get(url).status_code == 404
    client.force_login(fair.organiser)
    assert (
        client.get(reverse("event_dashboard_export", args=[fair.event.slug, "pdf"])).status_code
        == 404
    )
