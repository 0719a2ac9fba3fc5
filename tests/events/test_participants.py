import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from events.models import Attendee, Participant, ParticipantStatus
from events.participants import (
    participant_add,
    participant_decide,
    participant_register,
    participant_withdraw,
    participants_add_many,
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
        "row 3, column slug: no organisation in the directory has the slug, name or website "
        "'no-such-actor'.",
        "row 4, column status: 'maybe' is not accepted, pending or declined.",
        "row 5, column absent: no session named 'Evening' (the sessions: Morning).",
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
        "row 1: unknown column mobile; the columns are organisation, website, slug, status, "
        "absent, first_name, last_name, job_title, email, phone."
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
    assert "1 participant would be added; 1 attendee would be added in all" in page
    assert "1 already took part and would stay unchanged" in page
    assert "<li>Busan Marine Cluster</li>" in page and "<li>Lyon Life Sciences</li>" in page

    bad = _csv("slug\nno-such-actor\n")
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", bad)})
    assert response.status_code == 400
    assert "Fix this problem" in response.text
    assert "row 2, column slug: no organisation in the directory has the slug, name or " in (
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
        (b"name\nfoo\n", "p.csv", "organisation, website or slug column"),
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
    assert html.count("website &#x27;no-such-") == 200
    assert "… and 250 more problems" in html


def test_a_quote_never_closed_is_an_error_not_a_cell_to_the_end_of_the_file(newcomers):
    data = _csv('slug,first_name,last_name\nbusan-marine,"Ji-won,Park\nwallonia-food,Ann,Lee\n')
    report = participants_import(event=newcomers.event, data=data, filename="p.csv")
    assert report.errors and report.errors[0].startswith("The CSV cannot be read:")
    assert not Participant.objects.filter(actor__slug="busan-marine").exists()


# -- several from the directory at once --------------------------------------------------------


@pytest.fixture
def koreans(fair):
    fair.busan = ActorFactory(
        slug="busan-marine", name="Busan Marine Cluster", side="kr", country="KR"
    )
    fair.ulsan = ActorFactory(slug="ulsan-auto", name="Ulsan Auto Cluster", side="kr", country="KR")
    fair.osong = ActorFactory(
        slug="osong-bio", name="Osong Bio Foundation", side="kr", country="KR", kind="foundation"
    )
    fair.draft = ActorFactory(
        slug="jeju-draft", name="Jeju Draft", side="kr", country="KR", status="draft"
    )
    return fair


def test_the_directory_search_has_the_directorys_filters_and_tick_boxes(client, koreans):
    client.force_login(koreans.organiser)
    url = reverse("event_participants", args=[koreans.event.slug])
    page = client.get(url, {"side": "kr", "kind": "foundation"}).text
    for name in ("q", "side", "country", "region", "kind", "sector", "offers", "seeks"):
        assert f'name="{name}"' in page
    found = re.findall(r'name="actors" value="([^"]+)"', page)
    # Chuncheon (a foundation) takes part already: left out.
    assert found == ["osong-bio"]
    page = client.get(url, {"side": "kr"}).text
    assert re.findall(r'name="actors" value="([^"]+)"', page) == [
        "busan-marine", "osong-bio", "ulsan-auto",
    ]  # fmt: skip
    assert "Add these" in page and "3 published actors not taking part yet" in page


def test_add_these_adds_every_ticked_one_and_reports_the_rest(client, koreans):
    client.force_login(koreans.organiser)
    url = reverse("event_participant_add", args=[koreans.event.slug])
    ticked = [
        "busan-marine",
        "ulsan-auto",
        "osong-bio",
        "chuncheon-bio",
        "jeju-draft",
        "no-such",
        "../lyon",
    ]
    response = client.post(url, {"actors": ticked, "back": "side=kr"}, follow=True)
    assert response.redirect_chain[0][0].endswith("/participants/?side=kr")
    page = response.text
    assert "3 added: Busan Marine Cluster, Ulsan Auto Cluster, Osong Bio Foundation." in page
    assert "Taking part already, left as they were: Chuncheon Bioindustry Foundation." in page
    assert "Not added: Jeju Draft is not a published profile." in page
    assert "Not added: 2 organisations were not found in the directory" in page
    # A NUL is refused before any view (a 400); the service never sends one to the database.
    result = participants_add_many(event=koreans.event, slugs=["kfri\x00"])
    assert result.refused == [
        "1 organisation was not found in the directory (removed since the search?)."
    ]
    added = Participant.objects.filter(event=koreans.event, actor__slug__in=ticked[:3])
    assert added.count() == 3
    assert {p.status for p in added} == {ParticipantStatus.ACCEPTED}
    assert {p.registered_by for p in added} == {koreans.organiser}


def test_add_these_with_nothing_ticked_or_far_too_many_adds_nothing(client, koreans):
    client.force_login(koreans.organiser)
    url = reverse("event_participant_add", args=[koreans.event.slug])
    before = Participant.objects.count()
    response = client.post(url, {}, follow=True)
    assert "Tick the organisations to add first." in response.text
    many = ["busan-marine"] + [f"made-up-{i}" for i in range(300)]
    response = client.post(url, {"actors": many}, follow=True)
    assert "Add at most 200 organisations at once; 301 were ticked." in response.text
    assert Participant.objects.count() == before


def test_only_the_organisers_add_several(client, koreans):
    client.force_login(koreans.manager)
    url = reverse("event_participant_add", args=[koreans.event.slug])
    assert client.post(url, {"actors": ["busan-marine"]}).status_code == 404
    assert not Participant.objects.filter(actor=koreans.busan).exists()


def test_one_row_add_button_still_adds_just_that_one(client, koreans):
    client.force_login(koreans.organiser)
    url = reverse("event_participant_add", args=[koreans.event.slug])
    client.post(url, {"actor": "busan-marine", "actors": ["ulsan-auto"]})
    assert Participant.objects.filter(actor=koreans.busan).exists()
    assert not Participant.objects.filter(actor=koreans.ulsan).exists()
    assert client.post(url, {"actor": "kfri\x00"}).status_code in (400, 404)


# -- decisions, with a message, and declines confirmed --------------------------------------------


def _decide(client, fair, participant, **data):
    url = reverse("event_participant_decide", args=[fair.event.slug, participant.pk])
    return client.post(url, data, follow=True)


def test_the_decision_message_is_kept_and_shown_to_the_participants_managers(client, fair):
    fair.lyon.status = ParticipantStatus.PENDING
    fair.lyon.save()
    client.force_login(fair.organiser)
    page = client.get(reverse("event_participants", args=[fair.event.slug])).text
    assert 'placeholder="Message to the participant (optional)"' in page
    _decide(client, fair, fair.lyon, decision="accepted", message="Welcome, table 3 is yours.")
    fair.lyon.refresh_from_db()
    assert fair.lyon.decision_message == "Welcome, table 3 is yours."
    client.force_login(fair.manager)
    assert "Welcome, table 3 is yours." in client.get(fair.event.get_absolute_url()).text
    page = client.get(reverse("event_participant", args=[fair.event.slug, fair.lyon.pk])).text
    assert "Accepted: “Welcome, table 3 is yours.”" in page


def test_declining_asks_first_and_says_what_it_cancels(client, fair):
    meeting_add(event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0])
    meeting_add(event=fair.event, eu=fair.turin, kr=fair.chuncheon_p, slot=fair.slots[1])
    client.force_login(fair.organiser)
    response = _decide(client, fair, fair.chuncheon_p, decision="declined", message="Too late")
    page = response.text
    assert "Decline Chuncheon Bioindustry Foundation?" in page
    assert "has 2 meetings in the schedule." in page
    assert (
        "2 other participants are left with a free round" in page and "Update the schedule" in page
    )
    assert 'value="Too late"' in page
    fair.chuncheon_p.refresh_from_db()
    assert fair.chuncheon_p.status == ParticipantStatus.ACCEPTED
    assert fair.event.meetings.count() == 2
    response = _decide(
        client, fair, fair.chuncheon_p, decision="declined", message="Too late", confirm="1"
    )
    assert "Chuncheon Bioindustry Foundation declined." in response.text
    fair.chuncheon_p.refresh_from_db()
    assert (fair.chuncheon_p.status, fair.chuncheon_p.decision_message) == ("declined", "Too late")
    assert not fair.event.meetings.exists()


def test_declining_in_a_published_schedule_logs_the_cancelled_meetings(client, fair):
    from events.models import ChangeAction
    from events.schedule import schedule_publish

    meeting_add(event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0])
    schedule_publish(event=fair.event)
    client.force_login(fair.organiser)
    page = _decide(client, fair, fair.chuncheon_p, decision="declined").text
    assert "the published agendas change at once" in page
    _decide(client, fair, fair.chuncheon_p, decision="declined", confirm="1")
    change = fair.event.changes.get(action=ChangeAction.REMOVED)
    assert (change.eu, change.kr, change.made_by) == (fair.lyon, fair.chuncheon_p, fair.organiser)


def test_a_participant_with_a_recorded_outcome_cannot_be_declined(client, fair):
    from events.models import Meeting

    meeting = meeting_add(event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0])
    Meeting.objects.filter(pk=meeting.pk).update(held=True)
    client.force_login(fair.organiser)
    page = _decide(client, fair, fair.chuncheon_p, decision="declined").text
    assert "cannot be declined any more" in page
    assert 'name="confirm"' not in page  # nothing to confirm
    page = _decide(client, fair, fair.chuncheon_p, decision="declined", confirm="1").text
    assert "has 1 meeting with a recorded outcome" in page
    fair.chuncheon_p.refresh_from_db()
    assert fair.chuncheon_p.status == ParticipantStatus.ACCEPTED
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_another_events_participant_cannot_be_decided_through_this_one(client, fair):
    from tests.factories import EventFactory

    other = EventFactory(slug="other-days")
    other.organisers.add(fair.organiser)
    client.force_login(fair.organiser)
    url = reverse("event_participant_decide", args=[other.slug, fair.lyon.pk])
    assert client.post(url, {"decision": "declined", "confirm": "1"}).status_code == 404
    fair.lyon.refresh_from_db()
    assert fair.lyon.status == ParticipantStatus.ACCEPTED


# -- a manager withdraws ---------------------------------------------------------------------


def _withdraw(client, fair, participant, **data):
    url = reverse("event_participant_withdraw", args=[fair.event.slug, participant.pk])
    return client.post(url, data, follow=True)


def test_a_manager_withdraws_after_a_confirmation_and_the_organisers_see_it(client, fair):
    meeting_add(event=fair.event, eu=fair.lyon, kr=fair.gumi, slot=fair.slots[0])
    client.force_login(fair.manager)
    page = client.get(reverse("event_participant", args=[fair.event.slug, fair.lyon.pk])).text
    assert "Withdraw from Seoul Cluster Days…" in page
    page = _withdraw(client, fair, fair.lyon).text
    assert "Withdraw Lyon Life Sciences from Seoul Cluster Days?" in page
    assert "has 1 meeting in the schedule." in page
    fair.lyon.refresh_from_db()
    assert fair.lyon.status == ParticipantStatus.ACCEPTED
    response = _withdraw(client, fair, fair.lyon, confirm="1")
    assert "Lyon Life Sciences no longer takes part" in response.text
    fair.lyon.refresh_from_db()
    assert fair.lyon.status == ParticipantStatus.DECLINED
    assert fair.lyon.decision_message.startswith("Withdrawn by its manager on ")
    assert not fair.event.meetings.exists()
    again = _withdraw(client, fair, fair.lyon, confirm="1").text
    assert "no longer takes part (declined or withdrawn already)" in again
    client.force_login(fair.organiser)
    page = client.get(reverse("event_participants", args=[fair.event.slug])).text
    assert "Withdrawn by its manager on " in page


def test_accepting_again_a_participant_its_manager_withdrew_asks_first(client, fair):
    """Its own side said it no longer takes part: the organisers confirm on a page that names
    the withdrawal before it is back, and nothing changes until they do."""
    participant_withdraw(participant=fair.lyon, user=fair.manager)
    fair.lyon.refresh_from_db()
    withdrawal = fair.lyon.decision_message
    client.force_login(fair.organiser)
    listing = client.get(reverse("event_participants", args=[fair.event.slug])).text
    assert "Accept again…" in listing

    first = _decide(client, fair, fair.lyon, decision="accepted", message="Welcome back")
    assert "Accept Lyon Life Sciences again?" in first.text
    assert "Its own manager withdrew Lyon Life Sciences from Seoul Cluster Days" in first.text
    assert withdrawal in first.text
    assert 'value="Welcome back"' in first.text  # the message is carried to the confirmation
    fair.lyon.refresh_from_db()
    assert fair.lyon.status == ParticipantStatus.DECLINED
    assert fair.lyon.decision_message == withdrawal

    done = _decide(
        client, fair, fair.lyon, decision="accepted", message="Welcome back", confirm="1"
    )
    assert "Lyon Life Sciences accepted." in done.text
    fair.lyon.refresh_from_db()
    assert fair.lyon.status == ParticipantStatus.ACCEPTED
    assert fair.lyon.decision_message == "Welcome back"


def test_accepting_a_participant_the_organisers_declined_needs_no_confirmation(client, fair):
    participant_decide(participant=fair.lyon, accept=False, message="No table left")
    client.force_login(fair.organiser)
    assert (
        "Accept again…"
        not in client.get(reverse("event_participants", args=[fair.event.slug])).text
    )
    done = _decide(client, fair, fair.lyon, decision="accepted")
    assert "Lyon Life Sciences accepted." in done.text
    fair.lyon.refresh_from_db()
    assert fair.lyon.status == ParticipantStatus.ACCEPTED


@pytest.mark.parametrize("who", ["other_manager", "organiser"])
def test_only_its_own_managers_withdraw_a_participant(client, fair, who):
    client.force_login(getattr(fair, who))
    assert _withdraw(client, fair, fair.lyon, confirm="1").status_code == 404
    fair.lyon.refresh_from_db()
    assert fair.lyon.status == ParticipantStatus.ACCEPTED


def test_a_withdrawal_through_another_event_changes_nothing(client, fair):
    from tests.factories import EventFactory

    other = EventFactory(slug="other-days", registration_open=True)
    client.force_login(fair.manager)
    url = reverse("event_participant_withdraw", args=[other.slug, fair.lyon.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 404
    fair.lyon.refresh_from_db()
    assert fair.lyon.status == ParticipantStatus.ACCEPTED
