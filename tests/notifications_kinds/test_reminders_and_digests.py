"""Reminders the day before (managers); unanswered requests and participants left without
meetings (organisers)."""

import datetime as dt
import zoneinfo

import pytest

from events.models import MeetingRequest
from events.notices import (
    GENERATION_UNMET,
    MEETING_REMINDER,
    REMINDERS_JOB,
    REQUESTS_DIGEST_JOB,
    REQUESTS_WAITING,
    meeting_reminders_send,
    requests_digest_send,
)
from events.requests import meeting_request_send
from events.schedule import schedule_generate
from jobs.periodic import registered
from tests.factories import EventFactory, UserFactory
from tests.notifications_kinds.conftest import emailed, inbox_only, messages, only

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def seoul(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def published(published_four):
    f = published_four
    f.kim = UserFactory(username="kim")
    f.chuncheon.managers.add(f.kim)
    f.gumi_boss = UserFactory(username="gumi-boss")
    f.korean.managers.add(f.gumi_boss)
    return f


def test_reminders_and_the_requests_summary_run_every_hour():
    entries = {p.name: p for p in registered()}
    for name in (REMINDERS_JOB, REQUESTS_DIGEST_JOB):
        assert entries[name].every == dt.timedelta(hours=1)


def test_the_day_before_the_first_meeting_each_side_gets_its_agenda(published):
    f = published
    assert meeting_reminders_send(now=seoul(23, 10)) == 3  # owner, outsider (Turin), kim

    note = only(f.manager, MEETING_REMINDER)
    assert note.subject == "Tomorrow at Seoul Cluster Days: the meetings of Lyon Life Sciences"
    assert "start tomorrow, Tuesday 24 November" in note.body
    assert "Where: COEX, Seoul" in note.body
    assert "- Tue 24 Nov 09:00-09:25, table 1: Chuncheon Bioindustry Foundation" in note.body
    assert "- Tue 24 Nov 09:30-09:55, table 1: Daegu Water Cluster" in note.body
    assert "Times are in the event's time zone, Asia/Seoul (UTC+09:00)." in note.body
    assert note.link == f"/events/seoul-days/participants/{f.lyon.pk}/agenda/"
    assert emailed(note)
    assert "Lyon Life Sciences" in only(f.kim, MEETING_REMINDER).body
    # Gumi has no meeting: nothing to remind; the organiser has no agenda.
    assert messages(f.gumi_boss, MEETING_REMINDER) == []
    assert messages(f.organiser, MEETING_REMINDER) == []


def test_the_reminder_is_sent_once_however_often_the_job_runs(published):
    f = published
    meeting_reminders_send(now=seoul(23, 10))
    assert meeting_reminders_send(now=seoul(23, 11)) == 0
    assert meeting_reminders_send(now=seoul(23, 23, 59)) == 0
    assert len(messages(f.manager, MEETING_REMINDER)) == 1


def test_no_reminder_two_days_before_at_night_or_on_the_day(published):
    f = published
    # "The day before" is in the event's zone: 23 Nov 23:30 in Brussels is already the 24th
    # in Seoul.
    brussels = dt.datetime(2026, 11, 23, 23, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
    for now in (seoul(22, 12), seoul(23, 7, 59), brussels, seoul(24, 8, 30)):
        assert meeting_reminders_send(now=now) == 0, now
    assert messages(f.manager, MEETING_REMINDER) == []


def test_an_unpublished_schedule_reminds_no_one(published):
    published.event.published_at = None
    published.event.save()
    assert meeting_reminders_send(now=seoul(23, 10)) == 0


def test_a_manager_with_reminders_by_email_off_gets_them_in_the_inbox(published):
    inbox_only(published.manager, MEETING_REMINDER)
    meeting_reminders_send(now=seoul(23, 10))
    assert not emailed(only(published.manager, MEETING_REMINDER))
    assert emailed(only(published.kim, MEETING_REMINDER))


# -- requests nobody answered ---------------------------------------------------------------------


def _waiting_request(f, *, sent: dt.datetime, sender=None, receiver=None) -> MeetingRequest:
    request = meeting_request_send(
        sender=sender or f.lyon, receiver=receiver or f.gumi, message="Hello", by=f.manager
    )
    MeetingRequest.objects.filter(pk=request.pk).update(created_at=sent)
    return request


def test_organisers_get_a_summary_of_requests_waiting_for_days(fair):
    f = fair
    rival = UserFactory(username="rival-organiser")
    EventFactory(name="Another fair", slug="another-fair").organisers.add(rival)
    _waiting_request(f, sent=seoul(17, 15))
    _waiting_request(f, sent=seoul(19, 20), sender=f.turin)  # a day old on the 20th: not yet

    assert requests_digest_send(now=seoul(20, 9)) == 1
    note = only(f.organiser, REQUESTS_WAITING)
    assert note.subject == "Seoul Cluster Days: 1 meeting request waiting for an answer"
    assert "One meeting request at Seoul Cluster Days has waited more than two days" in note.body
    assert "- Lyon Life Sciences asked Gumi Mobile Mini Cluster on Tue 17 Nov (2 days ago)" in (
        note.body
    )
    assert "Turin" not in note.body
    assert note.link == "/events/seoul-days/requests/"
    assert emailed(note)
    for user in (rival, f.manager, f.other_manager, f.curator):
        assert messages(user, REQUESTS_WAITING) == []


def test_the_summary_comes_once_a_day_and_only_with_something_new(fair):
    f = fair
    _waiting_request(f, sent=seoul(17, 15))
    _waiting_request(f, sent=seoul(19, 20), sender=f.turin)
    requests_digest_send(now=seoul(20, 9))
    assert requests_digest_send(now=seoul(20, 18)) == 0  # the same day
    # The 21st: Turin's request has now waited two days: a new summary, with both.
    assert requests_digest_send(now=seoul(21, 22)) == 1
    latest = messages(f.organiser, REQUESTS_WAITING)[-1]
    assert "2 meeting requests" in latest.subject and "Turin Health Cluster asked" in latest.body
    # The 22nd: nothing new has waited two days: no summary.
    assert requests_digest_send(now=seoul(22, 10)) == 0
    assert len(messages(f.organiser, REQUESTS_WAITING)) == 2


def test_no_summary_before_the_hour_after_the_event_or_when_answered(fair):
    f = fair
    request = _waiting_request(f, sent=seoul(17, 15))
    assert requests_digest_send(now=seoul(20, 7)) == 0
    assert requests_digest_send(now=seoul(25, 10)) == 0  # the event is over
    MeetingRequest.objects.filter(pk=request.pk).update(status="declined")
    assert requests_digest_send(now=seoul(20, 10)) == 0


def test_an_organiser_with_email_off_gets_the_summary_in_the_inbox(fair):
    inbox_only(fair.organiser, REQUESTS_WAITING)
    _waiting_request(fair, sent=seoul(17, 15))
    requests_digest_send(now=seoul(20, 9))
    assert not emailed(only(fair.organiser, REQUESTS_WAITING))


# -- participants a generation left without meetings ----------------------------------------------


def test_the_organiser_who_generated_hears_who_has_no_meeting_and_why(fair, told):
    f = fair
    other = UserFactory(username="co-organiser")
    f.event.organisers.add(other)
    with told():
        run = schedule_generate(event=f.event, by=f.organiser)
    assert run.without_meetings >= 1

    note = only(f.organiser, GENERATION_UNMET)
    assert note.subject.startswith("Seoul Cluster Days: ")
    assert "without a meeting" in note.subject
    assert "The schedule you generated for Seoul Cluster Days has" in note.body
    # Gumi (mobile phone parts) has nothing in common with the European clusters.
    assert "- Gumi Mobile Mini Cluster (Korea): " in note.body
    assert "nothing in common with 2 partners" in note.body
    assert note.link == "/events/seoul-days/"
    assert emailed(note)
    # The co-organiser did not generate it; managers never see this.
    for user in (other, f.manager, f.other_manager):
        assert messages(user, GENERATION_UNMET) == []


def test_a_generation_from_the_command_line_tells_no_one(fair, told):
    with told():
        schedule_generate(event=fair.event)
    assert messages(fair.organiser, GENERATION_UNMET) == []


def test_an_organiser_with_email_off_gets_the_generation_notice_in_the_inbox(fair, told):
    inbox_only(fair.organiser, GENERATION_UNMET)
    with told():
        schedule_generate(event=fair.event, by=fair.organiser)
    assert not emailed(only(fair.organiser, GENERATION_UNMET))
