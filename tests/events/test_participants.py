import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from events.models import Attendee, Participant, ParticipantStatus
from events.participants import (
    participant_add,
    participant_decide,
    participant_register,
    participants_import,
)
from events.schedule import meeting_add
from tests.factories import ActorFactory


def test_an_actor_takes_part_once_and_only_when_published(fair):
    with pytest.raises(ValidationError, match="already takes part"):
        participant_add(event=fair.event, actor=fair.actor)
    draft = ActorFactory(slug="draft-one", status="draft", side="kr", country="KR")
    with pytest.raises(ValidationError, match="not a published profile"):
        participant_add(event=fair.event, actor=draft)


def test_managers_register_their_own_organisation_while_registration_is_open(fair):
    newcomer = ActorFactory(slug="grenoble-nano", name="Grenoble Nano")
    newcomer.managers.add(fair.manager)
    with pytest.raises(ValidationError, match="closed"):
        participant_register(event=fair.event, actor=newcomer, user=fair.manager)
    fair.event.registration_open = True
    fair.event.save()
    with pytest.raises(ValidationError, match="only an organisation you manage"):
        participant_register(event=fair.event, actor=newcomer, user=fair.other_manager)
    participant = participant_register(event=fair.event, actor=newcomer, user=fair.manager)
    assert participant.status == ParticipantStatus.PENDING


def test_declining_a_participant_cancels_its_meetings(fair):
    meeting_add(event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0])
    participant_decide(participant=fair.chuncheon_p, accept=False, message="Full")
    fair.chuncheon_p.refresh_from_db()
    assert fair.chuncheon_p.status == ParticipantStatus.DECLINED
    assert not fair.event.meetings.exists()


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


@pytest.fixture
def newcomers(fair):
    ActorFactory(slug="busan-marine", name="Busan Marine Cluster", side="kr", country="KR")
    ActorFactory(slug="wallonia-food", name="Wagralim", country="BE")
    return fair


def test_import_adds_participants_with_attendees_and_absences(newcomers):
    data = _csv(
        "slug,status,absent,first_name,last_name,job_title,email\n"
        "busan-marine,,Morning,Ji-won,Kim,Director,jiwon.kim@example.org\n"
        "busan-marine,,,Min-jun,Park,Engineer,\n"
        "wallonia-food,pending,,Élodie,Dupré,Project manager,elodie@example.org\n"
        "lyon-life,,,,,,\n"
    )
    report = participants_import(event=newcomers.event, data=data, filename="p.csv")
    assert report.ok, report.errors
    assert [c.name for c in report.created] == ["Busan Marine Cluster", "Wagralim"]
    assert [c.name for c in report.unchanged] == ["Lyon Life Sciences"]
    assert [(c.slug, c.where) for c in report.created] == [
        ("busan-marine", "row 2"),
        ("wallonia-food", "row 4"),
    ]
    assert (report.rows_read, report.attendees, report.written) == (4, 3, True)
    busan = Participant.objects.get(event=newcomers.event, actor__slug="busan-marine")
    assert busan.status == ParticipantStatus.ACCEPTED
    assert [s.name for s in busan.absent_from.all()] == ["Morning"]
    assert sorted(a.last_name for a in busan.attendees.all()) == ["Kim", "Park"]
    wagralim = Participant.objects.get(actor__slug="wallonia-food")
    assert wagralim.status == ParticipantStatus.PENDING
    assert wagralim.attendees.get().first_name == "Élodie"


def test_one_bad_row_means_nothing_is_written_and_every_bad_row_is_named(newcomers):
    before = (Participant.objects.count(), Attendee.objects.count())
    data = _csv(
        "slug,status,absent,first_name,last_name,email\n"
        "busan-marine,,,Ji-won,Kim,jiwon@example.org\n"
        "no-such-actor,,,,,\n"
        "wallonia-food,maybe,,,,\n"
        "wallonia-food,,Evening,Anne,Roy,not-an-email\n"
    )
    report = participants_import(event=newcomers.event, data=data, filename="p.csv")
    assert (Participant.objects.count(), Attendee.objects.count()) == before
    assert report.errors == [
        "row 3, column slug: no actor 'no-such-actor' in the directory.",
        "row 4, column status: 'maybe' is not accepted, pending or declined.",
        "row 5, column absent: no session named 'Evening'.",
        "row 5, column email: 'not-an-email' is not an email address.",
    ]
    # The same report shape as the actor import: each problem names its row and column.
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "slug"),
        (4, "status"),
        (5, "absent"),
        (5, "email"),
    ]
    assert not report.ok and not report.written


def test_a_dry_run_reports_without_writing(newcomers):
    data = _csv("slug\nbusan-marine\n")
    report = participants_import(event=newcomers.event, data=data, filename="p.csv", dry_run=True)
    assert report.ok and [c.name for c in report.created] == ["Busan Marine Cluster"]
    assert report.dry_run and not report.written
    assert not Participant.objects.filter(actor__slug="busan-marine").exists()


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_dry_run_refuses_what_the_import_would_fail_on(newcomers, dry_run):
    phone, email = "+" + "1" * 40, "a" * 290 + "@example.org"
    data = _csv(
        f"slug,first_name,last_name,email,phone\nbusan-marine,Ji-won,Park,{email},{phone}\n"
    )
    report = participants_import(
        event=newcomers.event, data=data, filename="p.csv", dry_run=dry_run
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "email"), (2, "phone")]
    assert "at most 40 characters (it has 41)" in report.errors[1]
    assert (
        not report.written and not Participant.objects.filter(actor__slug="busan-marine").exists()
    )


def test_unknown_columns_are_reported_not_ignored(newcomers):
    data = _csv("slug,first_name,last_name,mobile\nbusan-marine,Ji-won,Park,+82 10\n")
    report = participants_import(event=newcomers.event, data=data, filename="p.csv")
    assert report.errors == [
        "row 1: unknown column(s) mobile; the columns are slug, status, absent, first_name, "
        "last_name, job_title, email, phone."
    ]
    assert not Participant.objects.filter(actor__slug="busan-marine").exists()


def test_a_file_with_more_rows_than_any_event_needs_is_refused_before_reading_on(newcomers):
    from common.spreadsheet_read import MAX_ROWS

    data = _csv("slug\n" + "busan-marine\n" * MAX_ROWS)
    report = participants_import(event=newcomers.event, data=data, filename="p.csv")
    assert report.errors == [
        f"The file has more than {MAX_ROWS - 1:,} rows under its header; split it into smaller "
        "files."
    ]


def test_an_attendee_needs_both_names(newcomers):
    data = _csv("slug,first_name,last_name\nbusan-marine,Ji-won,\n")
    report = participants_import(event=newcomers.event, data=data, filename="p.csv")
    assert report.errors == ["row 2, columns first_name/last_name: an attendee needs both names."]
    assert [(p.row, p.column) for p in report.problems] == [(2, "last_name")]


def test_the_import_page_shows_the_report(client, newcomers):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(newcomers.organiser)
    url = reverse("event_participants_import", args=[newcomers.event.slug])
    data = _csv("slug,first_name,last_name\nbusan-marine,Ji-won,Kim\nlyon-life,,\n")
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", data), "dry_run": "on"})
    assert response.status_code == 200
    page = response.text
    assert "Dry run: nothing written." in page
    assert "1 participant(s) would be added with 1 attendee(s); 1 already took part" in page
    assert "<li>Busan Marine Cluster</li>" in page and "<li>Lyon Life Sciences</li>" in page

    bad = _csv("slug\nno-such-actor\n")
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", bad)})
    assert response.status_code == 400
    assert "Fix these 1 problem(s)" in response.text
    assert "row 2, column slug: no actor &#x27;no-such-actor&#x27; in the directory." in (
        response.text
    )


def test_xlsx_files_are_read_like_csv(newcomers):
    book = Workbook()
    sheet = book.active
    sheet.append(["Slug", "First_name", "Last_name"])
    sheet.append(["busan-marine", "수진", "이"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = participants_import(event=newcomers.event, data=buffer.getvalue(), filename="p.xlsx")
    assert report.ok, report.errors
    assert Attendee.objects.get(participant__actor__slug="busan-marine").first_name == "수진"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"\xff\xfe\x00bad", "p.csv", "not UTF-8"),
        (b"name\nfoo\n", "p.csv", "Missing column(s): slug"),
        (b"PK\x03\x04garbage", "p.xlsx", "not a readable XLSX"),
        (b"slug\n", "p.pdf", "neither a .csv nor an .xlsx"),
        (b"", "p.csv", "empty"),
    ],
)
def test_unreadable_files_get_a_clear_error(newcomers, data, filename, message):
    report = participants_import(event=newcomers.event, data=data, filename=filename)
    assert not report.ok
    assert message in report.errors[0]


def test_a_file_of_many_bad_rows_lists_the_first_problems_and_counts_the_rest(client, newcomers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _csv("slug\n" + "".join(f"no-such-{i}\n" for i in range(450)))
    client.force_login(newcomers.organiser)
    response = client.post(
        reverse("event_participants_import", args=[newcomers.event.slug]),
        {"file": SimpleUploadedFile("p.csv", data), "dry_run": "on"},
    )
    html = response.content.decode()
    assert html.count("no actor &#x27;no-such-") == 200
    assert "… and 250 more problem(s)" in html


def test_a_quote_never_closed_is_an_error_not_a_cell_to_the_end_of_the_file(newcomers):
    data = _csv('slug,first_name,last_name\nbusan-marine,"Ji-won,Park\nwallonia-food,Ann,Lee\n')
    report = participants_import(event=newcomers.event, data=data, filename="p.csv")
    assert report.errors and report.errors[0].startswith("The CSV cannot be read:")
    assert not Participant.objects.filter(actor__slug="busan-marine").exists()
