"""Issue 14 under attack: defects a hostile reviewer found, each as a test of the correct
behaviour (failing until the defect is fixed), plus one guard the URL matrix does not cover
(an organiser of another event)."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.permissions import ORGANISERS_GROUP
from events import participants as participants_module
from events.models import (
    Event,
    Meeting,
    MeetingFeedback,
    Participant,
    ParticipantStatus,
    ScheduleProposal,
)
from events.onsite import meeting_running_late
from events.participants import participant_decide, participants_import
from events.requests import meeting_request_answer, meeting_request_send
from events.schedule import meeting_add, schedule_publish
from events.wishes import wishes_set
from tests.events.test_onsite import starting
from tests.factories import ActorFactory, EventFactory, UserFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def booked(liked_fair):
    """`liked_fair`, published: Lyon / Chuncheon and Turin / Daegu in round 1, Lyon / Daegu in
    round 2; Gumi has no meeting, so an update has free places to fill."""
    f = liked_fair
    r1, r2 = f.slots
    f.m = {
        "lyon-chuncheon": meeting_add(event=f.event, eu=f.lyon, kr=f.chuncheon_p, slot=r1, table=1),
        "turin-daegu": meeting_add(event=f.event, eu=f.turin, kr=f.daegu_p, slot=r1, table=2),
        "lyon-daegu": meeting_add(event=f.event, eu=f.lyon, kr=f.daegu_p, slot=r2, table=1),
    }
    Meeting.objects.filter(event=f.event).update(fixed=False)
    schedule_publish(event=f.event, by=f.organiser)
    f.event.refresh_from_db()
    return f


def _compute_update(f) -> ScheduleProposal:
    response = client_for(f.organiser).post(reverse("event_schedule_update", args=[f.event.slug]))
    assert response.status_code == 302
    return ScheduleProposal.objects.get(event=f.event, applied_at__isnull=True)


def _apply(f, proposal):
    url = reverse("event_schedule_proposal_apply", args=[f.event.slug, proposal.pk])
    return client_for(f.organiser).post(url, follow=True)


# -- a confirmed update must not undo what happened after it was computed ---------------------


def test_an_update_confirmed_after_feedback_on_a_meeting_it_cancels_keeps_meeting_and_feedback(
    booked,
):
    """HIGH. The fingerprint (events/repair.py schedule_fingerprint) ignores MeetingFeedback,
    although feedback makes a meeting 'recorded' (Meeting.has_outcome): confirming deletes the
    meeting and, by cascade, the participant's feedback."""
    f = booked
    starting(f, timezone.now() - dt.timedelta(hours=2))  # the meetings have taken place
    meeting = f.m["lyon-daegu"]
    wishes_set(participant=f.lyon, levels={f.daegu_p.pk: "not"})
    proposal = _compute_update(f)
    cancelled = [line["meeting"] for line in proposal.placements if line["action"] == "removed"]
    assert meeting.pk in cancelled  # what the organiser was shown, before the feedback
    daegu_manager = UserFactory(username="daegu.manager")
    f.daegu.managers.add(daegu_manager)
    given = client_for(daegu_manager).post(
        reverse("event_feedback", args=[f.event.slug, f.daegu_p.pk]),
        {"meeting": meeting.pk, "rating": "5", "follow_up": "mou", "comment": "We sign in May."},
    )
    assert given.status_code == 302 and MeetingFeedback.objects.filter(meeting=meeting).exists()

    page = _apply(f, proposal)

    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert MeetingFeedback.objects.filter(meeting_id=meeting.pk, comment="We sign in May.").exists()
    assert "changed since" in page.content.decode()


def test_an_update_confirmed_after_a_request_was_declined_never_schedules_that_pair(booked):
    """MEDIUM. A declined request makes a pair 'never' (events/pairs.py PairMatrix.allowed), but
    the fingerprint (events/repair.py schedule_fingerprint) ignores meeting requests: a proposal
    computed before the decline adds the pair that just said no."""
    f = booked
    proposal = _compute_update(f)
    added = [line for line in proposal.placements if line["action"] == "added"]
    assert added, "the update fills Gumi's free places"
    eu = Participant.objects.get(pk=added[0]["eu"])
    kr = Participant.objects.get(pk=added[0]["kr"])
    asked = meeting_request_send(sender=eu, receiver=kr, message="Shall we meet?")
    meeting_request_answer(meeting_request=asked, accept=False, reply="No, thank you.")

    _apply(f, proposal)

    assert not Meeting.objects.filter(eu=eu, kr=kr).exists()


# -- what other participants' managers learn --------------------------------------------------


def test_asking_for_a_participant_not_accepted_does_not_reveal_its_name(estate):
    """LOW. ?to=<id> on the requests page (events/views/request_pages.py
    participant_requests_page -> events/requests.py _pair_problems) names any participant of
    the event, so a manager can list pending and withdrawn registrations by id."""
    applicant = ActorFactory(
        slug="busan-secret", name="Busan Secret Applicant", side="kr", country="KR"
    )
    pending = Participant.objects.create(event=estate.event, actor=applicant)
    withdrawn = Participant.objects.create(
        event=estate.event,
        actor=ActorFactory(slug="ulsan-gone", name="Ulsan Withdrawn", side="kr", country="KR"),
        status=ParticipantStatus.DECLINED,
    )
    url = reverse("event_requests", args=[estate.event.slug, estate.lyon.pk])
    client = client_for(estate.manager)
    for hidden, name in ((pending, "Busan Secret Applicant"), (withdrawn, "Ulsan Withdrawn")):
        page = client.get(url, {"to": hidden.pk})
        assert page.status_code == 200
        assert name not in page.content.decode()


# -- the participant import ---------------------------------------------------------------------


def test_an_import_giving_one_organisation_two_statuses_is_refused_naming_the_row(fair):
    """LOW. events/participants.py participants_import: `plan.setdefault(...)` keeps the first
    row's status and silently drops a contradicting one (here: the organisation is imported as
    declined although a later row says accepted)."""
    busan = ActorFactory(slug="busan-bio", name="Busan Bio Cluster", side="kr", country="KR")
    data = (
        b"organisation,slug,status,first_name,last_name,email\n"
        b"Busan Bio Cluster,,declined,Ann,One,ann@busan.example\n"
        b",busan-bio,accepted,Bob,Two,bob@busan.example\n"
    )

    report = participants_import(event=fair.event, data=data, filename="rows.csv")

    assert not report.ok
    assert any(
        problem.row == 3 and (problem.column == "status" or "status" in problem.message)
        for problem in report.problems
    )
    assert not Participant.objects.filter(event=fair.event, actor=busan).exists()


def test_an_import_compares_each_attendee_with_the_others_in_bounded_time(fair):
    """LOW-MEDIUM (denial of service by an organiser's file). events/participants.py
    _plan_against compares each new attendee with every one before it
    (`any(_is_same_person(key, seen) for seen in known)`): quadratic. 20,000 rows (MAX_ROWS)
    for one organisation hold a worker for about 45 s (5,000 rows: 3 s; 10,000: 10 s)."""
    rows = 3000
    data = "organisation,first_name,last_name,email\n" + "".join(
        f"Lyon Life Sciences,Person{i},Family{i},p{i}@lls.example\n" for i in range(rows)
    )
    real, bound, calls = participants_module._is_same_person, 10 * rows, [0]

    def counted(a, b):
        calls[0] += 1
        # Stops the quadratic run early: the test fails in a second, not in a minute.
        assert calls[0] <= bound, f"more than {bound:,} comparisons for {rows:,} attendees"
        return real(a, b)

    with mock.patch.object(participants_module, "_is_same_person", counted):
        report = participants_import(
            event=fair.event, data=data.encode(), filename="rows.csv", dry_run=True
        )
    assert report.ok and report.attendees == rows


# -- declined participants and moved meetings -------------------------------------------------


def test_accepted_requests_of_a_declined_participant_are_not_listed_to_place(estate):
    """LOW. events/requests.py accepted_unplaced lists accepted requests whatever became of the
    participants: after Gumi is declined (or withdraws) the organisers are told to update the
    schedule to place a meeting no update can place."""
    asked = meeting_request_send(sender=estate.lyon, receiver=estate.gumi, message="Meet?")
    meeting_request_answer(meeting_request=asked, accept=True)
    participant_decide(participant=estate.gumi, accept=False)

    page = client_for(estate.organiser).get(reverse("event_requests_all", args=[estate.event.slug]))

    assert page.status_code == 200
    assert "error-box unplaced" not in page.content.decode()


def test_a_meeting_moved_to_another_round_drops_its_running_late_notice(fair):
    """LOW. events/schedule.py meeting_move (and repair.py _move) keep late_minutes/late_side:
    the agenda still says "will be about 15 minutes late" for the new round."""
    meeting = meeting_add(event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0])
    schedule_publish(event=fair.event, by=fair.organiser)
    starting(fair, timezone.now() + dt.timedelta(hours=2))
    meeting_running_late(meeting=meeting, minutes=15, side="eu")

    client_for(fair.organiser).post(
        reverse("event_meeting_move", args=[fair.event.slug, meeting.pk]),
        {"slot": fair.slots[1].pk},
    )

    meeting.refresh_from_db()
    assert meeting.slot_id == fair.slots[1].pk
    agenda = client_for(fair.manager).get(
        reverse("event_agenda", args=[fair.event.slug, fair.lyon.pk])
    )
    # The notice ("Running late: ... will be about 15 minutes late."), not the button that
    # says a meeting runs late, which every meeting still to come has.
    assert "Running late:" not in agenda.content.decode()


# -- guard (passes today) -------------------------------------------------------------------------


def test_an_organiser_of_another_event_gets_404_everywhere_and_changes_nothing(estate):
    """Guard: tests/test_url_permissions.py has no 'organiser of another event' role. With
    registration open, that organiser sees the event page, and nothing else."""
    from tests.test_hostile_input import fingerprint
    from tests.test_url_permissions import named_routes, url_for

    Event.objects.filter(pk=estate.event.pk).update(registration_open=True)
    rival = UserFactory(username="rival.organiser")
    rival.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    EventFactory(slug="rival-event").organisers.add(rival)
    skipped = ("event_list", "event_create", "event_calendar_feed")
    urls = {
        name: url_for(name, estate)
        for name in named_routes()
        if name.startswith("event_") and name not in skipped
    }
    client = client_for(rival)
    before = fingerprint()
    wrong = []
    for name, url in sorted(urls.items()):
        got = client.get(url).status_code
        posted = client.post(
            url, {"confirm": "1", "decision": "accept", "request": "1", "action": "revoke"}
        ).status_code
        if got not in ({200} if name == "event_detail" else {404, 405}):
            wrong.append(f"GET {name}: {got}")
        # Registering needs an organisation the user manages: refused with a message.
        if posted not in ({302} if name == "event_register" else {404, 405}):
            wrong.append(f"POST {name}: {posted}")
    assert wrong == []
    assert fingerprint() == before
