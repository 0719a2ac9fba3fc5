"""Issue 16: the events in Korean. Each person reads the event's pages, exports, calendars and
messages in their own language, with days and times as Korean writes them, whoever acted; the
English pages stay as they were."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar
from openpyxl import load_workbook

from events.calendar_feed import calendar_address_create
from events.models import Meeting, ParticipantStatus
from events.notices import SCHEDULE_CHANGED, SCHEDULE_PUBLISHED
from events.participants import participant_withdraw, withdrawn_by_its_manager
from events.schedule import meeting_cancel, meeting_move, schedule_generate, schedule_publish
from jobs.models import Job
from notifications.models import Notification, UserLanguage
from tests.factories import UserFactory

KOREAN_ZONE = "시간은 행사 시간대인 Asia/Seoul (UTC+09:00) 기준입니다."


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def reads_korean(user) -> None:
    UserLanguage.objects.create(user=user, language="ko")


def korean(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"


def only(user, kind: str) -> Notification:
    found = list(Notification.objects.filter(recipient=user, kind=kind))
    assert len(found) == 1, [n.subject for n in found]
    return found[0]


@pytest.fixture
def kim(fair):
    """Chuncheon's manager, who reads Korean."""
    user = UserFactory(username="kim")
    fair.chuncheon.managers.add(user)
    reads_korean(user)
    return user


@pytest.fixture
def drafted(fair):
    """Lyon meets Chuncheon in the first round at table 1 and Daegu in the second (a draft)."""
    r1, r2 = fair.slots
    fair.first = Meeting.objects.get(
        pk=_add(fair, eu=fair.lyon, kr=fair.chuncheon_p, slot=r1, table=1).pk
    )
    _add(fair, eu=fair.lyon, kr=fair.daegu_p, slot=r2, table=1)
    return fair


def _add(fair, **place):
    from events.schedule import meeting_add

    return meeting_add(event=fair.event, **place)


@pytest.fixture
def published(fair):
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    return fair


# -- messages in the recipient's language ---------------------------------------------------------


def test_a_korean_manager_is_told_of_the_publication_and_a_move_in_korean(drafted, kim, told):
    f = drafted
    # The organiser works in English.
    with translation.override("en"), told():
        schedule_publish(event=f.event, by=f.organiser)

    note = only(kim, SCHEDULE_PUBLISHED)
    assert note.subject == (
        "Seoul Cluster Days: Chuncheon Bioindustry Foundation의 미팅 일정표가 게시되었습니다"
    )
    assert "Seoul Cluster Days 주최자가 미팅 일정표를 게시했습니다." in note.body
    assert "Chuncheon Bioindustry Foundation의 미팅:" in note.body
    assert "- 11월 24일 (화요일) 오전 9:00-오전 9:25, 테이블 1: Lyon Life Sciences" in note.body
    assert KOREAN_ZONE in note.body
    assert "The organisers" not in note.body and "Tue 24 Nov" not in note.body
    # Lyon's manager chose no language: English, as before.
    english = only(f.manager, SCHEDULE_PUBLISHED)
    assert english.subject == (
        "Seoul Cluster Days: the meeting schedule of Lyon Life Sciences is published"
    )
    assert "- Tue 24 Nov 09:00-09:25, table 1: Chuncheon Bioindustry Foundation" in english.body

    with translation.override("en"), told():
        meeting_move(meeting=f.first, slot=f.slots[0], table=2, by=f.organiser)

    moved = only(kim, SCHEDULE_CHANGED)
    assert moved.subject == (
        "Seoul Cluster Days: Chuncheon Bioindustry Foundation의 미팅에 변경 사항이 있습니다"
    )
    assert (
        "- 11월 24일 (화요일) 오전 9:00-오전 9:25의 Lyon Life Sciences와(과)의 미팅이 "
        "테이블 1에서 테이블 2(으)로 옮겨졌습니다." in moved.body
    )
    assert KOREAN_ZONE in moved.body
    assert "Your meeting" not in moved.body
    assert "moved from table 1 to table 2." in only(f.manager, SCHEDULE_CHANGED).body


def test_an_english_manager_is_told_in_english_when_a_korean_organiser_acts(drafted, told):
    f = drafted
    reads_korean(f.organiser)
    with translation.override("ko"), told():
        schedule_publish(event=f.event, by=f.organiser)
    with translation.override("ko"), told():
        meeting_cancel(meeting=f.first, by=f.organiser)

    assert only(f.manager, SCHEDULE_PUBLISHED).subject == (
        "Seoul Cluster Days: the meeting schedule of Lyon Life Sciences is published"
    )
    cancelled = only(f.manager, SCHEDULE_CHANGED)
    assert cancelled.subject == "Seoul Cluster Days: a change to the meetings of Lyon Life Sciences"
    assert (
        "Your meeting with Chuncheon Bioindustry Foundation on Tue 24 Nov 09:00-09:25, table 1, "
        "is cancelled." in cancelled.body
    )
    assert "미팅" not in cancelled.body


# -- the agenda, its exports and its calendar -----------------------------------------------------


def test_the_agenda_page_reads_in_korean_with_korean_days_and_times(client, published, kim):
    f = published
    client.force_login(kim)
    url = reverse("event_agenda", args=[f.event.slug, f.chuncheon_p.pk])
    english = client.get(url).content.decode()
    assert "Meeting with" in english and "Private calendar address" in english
    assert "Tue 24 Nov" in english

    korean(client)
    page = client.get(url).content.decode()
    for words in ("아젠다", "미팅 상대", "매칭 이유", "비공개 캘린더 주소", "시간대: Asia/Seoul"):
        assert words in page, words
    assert "11월 24일 (화요일)" in page and re.search(r"오전 9:\d\d–오전 9:\d\d", page)
    for english_words in ("Meeting with", "Private calendar address", "Tue 24 Nov", "Download:"):
        assert english_words not in page, english_words


def test_the_agenda_exports_have_korean_headers_for_a_korean_reader(client, published, kim):
    f = published
    client.force_login(kim)
    korean(client)
    url = reverse("event_agenda_export", args=[f.event.slug, f.chuncheon_p.pk, "csv"])
    header, *rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert header[:5] == ["날짜", "시작", "종료", "테이블", "미팅 상대"]
    assert rows and rows[0][0] == "2026-11-24"  # the cells stay values a spreadsheet reads
    url = reverse("event_agenda_export", args=[f.event.slug, f.chuncheon_p.pk, "xlsx"])
    book = load_workbook(io.BytesIO(client.get(url).content))
    assert book.sheetnames == ["아젠다"]
    assert [c.value for c in next(book.active.iter_rows())][:3] == ["날짜", "시작", "종료"]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("event_agenda_export", args=[f.event.slug, f.chuncheon_p.pk, "csv"])
    header = next(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert header[:5] == ["date", "start", "end", "table", "meeting with"]


def test_the_calendar_speaks_the_language_of_whoever_took_its_address(client, published, kim):
    f = published
    client.force_login(kim)
    korean(client)
    url = reverse("event_agenda_export", args=[f.event.slug, f.chuncheon_p.pk, "ics"])
    summaries = [
        str(e["summary"]) for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")
    ]
    assert summaries and all(s.endswith("와(과)의 미팅") for s in summaries), summaries

    # The private address copied from the Korean page names the language: calendar programs
    # say none of their own.
    calendar_address_create(participant=f.chuncheon_p)
    page = client.get(reverse("event_agenda", args=[f.event.slug, f.chuncheon_p.pk])).content
    token = f.chuncheon_p.calendar_token
    feed = reverse("event_calendar_feed", args=[f.chuncheon_p.pk, token])
    assert f"{feed}?lang=ko".encode() in page
    client.logout()
    client.cookies.clear()
    in_korean = Calendar.from_ical(client.get(f"{feed}?lang=ko").content).walk("VEVENT")
    in_english = Calendar.from_ical(client.get(feed).content).walk("VEVENT")
    assert all(str(e["summary"]).endswith("와(과)의 미팅") for e in in_korean)
    assert all(str(e["summary"]).startswith("Meeting with ") for e in in_english)
    assert "테이블" in str(in_korean[0]["location"]) and "table" in str(in_english[0]["location"])


# -- the organisers' pages, exports and jobs ------------------------------------------------------


def test_the_event_page_and_schedule_show_korean_dates(client, published):
    f = published
    client.force_login(f.organiser)
    korean(client)
    page = client.get(f.event.get_absolute_url()).content.decode()
    assert "2026년 11월 24일" in page
    for words in ("개요", "참가 기관", "일정표", "라운드별 테이블 사용", "미팅당 25분"):
        assert words in page, words
    assert "24 Nov 2026" not in page and "Table use per round" not in page
    schedule = client.get(reverse("event_schedule", args=[f.event.slug])).content.decode()
    assert (
        "일정표 업데이트" in schedule and "게시됨: 참가 기관이 아젠다를 볼 수 있습니다" in schedule
    )
    assert "11월 24일 (화요일) 오전 9:00" in schedule  # the rounds
    assert "Update schedule" not in schedule

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f.event.get_absolute_url()).content.decode()
    assert "24 Nov 2026" in english and "Table use per round" in english


def test_the_schedule_and_dashboard_exports_read_in_korean(client, published):
    f = published
    client.force_login(f.organiser)
    korean(client)
    url = reverse("event_export", args=[f.event.slug, "schedule", "xlsx"])
    book = load_workbook(io.BytesIO(client.get(url).content))
    assert book.sheetnames == ["일정표"]
    header = [c.value for c in next(book.active.iter_rows())]
    assert header[:7] == [
        "날짜",
        "시작",
        "종료",
        "세션",
        "테이블",
        "유럽 참가 기관",
        "한국 참가 기관",
    ]
    url = reverse("event_dashboard_export", args=[f.event.slug, "xlsx"])
    book = load_workbook(io.BytesIO(client.get(url).content))
    assert "참가 기관" in book.sheetnames and "라운드별 테이블 사용" in book.sheetnames
    sides = [row[0] for row in book["참가 기관"].iter_rows(min_row=2, values_only=True)]
    assert sides == ["유럽", "한국"]
    # The b2match file stays in English: b2match's own import reads its columns.
    url = reverse("event_export", args=[f.event.slug, "b2match", "csv"])
    header = next(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert header[:3] == ["Email", "First name", "Last name"]


def test_a_korean_organisers_generation_reports_in_korean(client, fair):
    f = fair
    reads_korean(f.organiser)
    client.force_login(f.organiser)
    korean(client)
    client.post(reverse("event_schedule_generate", args=[f.event.slug]))
    job = Job.objects.get(kind="events.schedule_generate")
    assert job.title == "Seoul Cluster Days 일정표 생성"
    assert job.result["summary"].startswith("일정표 초안: 미팅 ")
    assert job.result["label"] == "일정표 열기"


def test_a_withdrawal_in_korean_is_still_known_as_the_managers_own(client, published, kim):
    f = published
    with translation.override("ko"):
        participant_withdraw(participant=f.chuncheon_p, user=kim)
    f.chuncheon_p.refresh_from_db()
    assert f.chuncheon_p.status == ParticipantStatus.DECLINED
    assert re.fullmatch(
        r"담당자가 참가를 철회함: \d{4}년 \d{1,2}월 \d{1,2}일\.", f.chuncheon_p.decision_message
    )
    assert withdrawn_by_its_manager(participant=f.chuncheon_p)
    # An English organiser accepting it again is asked to confirm first.
    client.force_login(f.organiser)
    page = client.get(reverse("event_participants", args=[f.event.slug])).content.decode()
    assert "Accept again…" in page
