"""Issue 16: the curators' pages, the import and its report, the export and the background jobs
in Korean, for a curator who reads the site in Korean, while English stays the default."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from curation.job_alerts import JOB_FAILED
from directory.models import Actor, PendingChange
from directory.proposals import change_submit, profile_snapshot
from jobs.models import Job, JobStatus
from notifications.models import Notification, UserLanguage
from tests.curation.test_curation_pages import twins  # noqa: F401 - fixture
from tests.curation.test_import import LONG_DESCRIPTION, csv_bytes, taxonomy, upload, valid_row
from tests.factories import ActorFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:directory_actor_import"

__all__ = ["taxonomy"]  # a fixture of the import tests, used here too


def in_korean(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    return client


# -- the import page and its report --------------------------------------------------------------


def test_the_import_page_speaks_korean_and_stays_english_by_default(client, cast):
    client.force_login(cast.curator)
    english = client.get(reverse(IMPORT_URL)).text
    assert "Dry run: check the file and show what would change" in english

    page = in_korean(client).get(reverse(IMPORT_URL)).text
    assert "시험 실행: 아무것도 저장하지 않고 파일을 검사하여 바뀔 내용을 표시" in page
    assert "기관 가져오기" in page  # the page's title
    assert "Dry run: check the file" not in page
    assert "docs/import-format.md" in page  # a file's name is not translated


def test_an_import_report_in_korean_names_row_and_column_and_writes_nothing(client, cast, taxonomy):
    client.force_login(cast.curator)
    count = Actor.objects.count()
    bad = csv_bytes(
        [
            valid_row("new-one"),
            valid_row("new-two", sectors="biotek"),
            valid_row("new-three", country="Atlantis", founded="around 1990"),
        ]
    )
    page = in_korean(client).post(reverse(IMPORT_URL), {"file": upload("bad.csv", bad)}).text

    assert "알 수 없는 분야 &#x27;biotek&#x27;" in page
    assert "알 수 없는 국가 &#x27;Atlantis&#x27;" in page
    assert "&#x27;around 1990&#x27;은(는) 정수가 아닙니다" in page
    assert "3행" in page and "4행" in page  # the rows, as the spreadsheet numbers them
    assert "unknown sector" not in page and "is not a whole number" not in page
    assert Actor.objects.count() == count


def test_a_korean_curator_may_write_labels_in_korean_or_english(client, cast, taxonomy):
    """The side and kind as the Korean page shows them (한국, 유럽), or in English, or as codes:
    the same file imports whichever language the curator reads the site in."""
    client.force_login(cast.curator)
    rows = [
        valid_row("daegu-water", side="한국", country="KR", kind="대학", status="draft"),
        valid_row("porto-water", side="Europe", country="Portugal", status="draft"),
    ]
    in_korean(client).post(reverse(IMPORT_URL), {"file": upload("labels.csv", csv_bytes(rows))})

    assert Actor.objects.get(slug="daegu-water").side == "kr"
    assert Actor.objects.get(slug="daegu-water").kind == "university"
    assert Actor.objects.get(slug="porto-water").country.code == "PT"


def _export(client, fmt: str) -> bytes:
    return client.get(reverse("admin:directory_actor_export", args=[fmt])).content


def test_a_korean_curators_export_imports_back_unchanged(client, cast, taxonomy):
    """The export keeps the format's column names (the same in every language); only what a
    person reads, the spreadsheet's sheet name, is in Korean. Re-imported while reading the
    site in Korean, every actor is reported unchanged and nothing is written."""
    ActorFactory(slug="gumi-mobile-2", name="구미 모바일 미니클러스터", side="kr", country="KR")
    client.force_login(cast.curator)
    english_header = next(csv.reader(io.StringIO(_export(client, "csv").decode("utf-8-sig"))))

    in_korean(client)
    data = _export(client, "csv")
    korean_header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert korean_header == english_header
    assert {"slug", "name", "side", "country", "contacts"} <= set(korean_header)
    book = load_workbook(io.BytesIO(_export(client, "xlsx")))
    assert book.sheetnames == ["기관"]

    history = Actor.history.count()
    page = client.post(reverse(IMPORT_URL), {"file": upload("actors.csv", data)}).text
    actors = Actor.objects.count()
    assert "가져오기" in page and "problem" not in page
    assert Actor.history.count() == history  # nothing written
    assert Actor.objects.count() == actors


def test_a_large_import_runs_as_a_job_in_the_language_of_the_curator_who_sent_it(
    client, cast, taxonomy, settings
):
    settings.IMPORT_INLINE_MAX_ROWS = 2
    rows = [valid_row(f"actor-{n}", description=LONG_DESCRIPTION) for n in range(3)]
    client.force_login(cast.curator)
    response = in_korean(client).post(
        reverse(IMPORT_URL), {"file": upload("big.csv", csv_bytes(rows))}
    )
    job = Job.objects.get(kind="curation.actor_import")
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED
    assert job.title == "big.csv에서 기관 가져오기"
    assert job.result["summary"] == ("big.csv 가져오기 완료: 생성 3건, 수정 0건, 변경 없음 0건.")

    page = client.get(response.url).text
    assert "상태:" in page and "완료" in page and "가져오기 보고서 보기" in page
    assert "Status:" not in page

    # Another curator reading in English: the page speaks English around what the job wrote.
    other = UserFactory(username="second-curator", is_staff=True)
    other.groups.add(*cast.curator.groups.all())
    english = client.__class__()
    english.force_login(other)
    listing = english.get(reverse("jobs:list")).text
    assert "Background work" in listing and "big.csv에서 기관 가져오기" in listing


def test_a_failed_import_tells_each_person_in_their_own_language(client, cast, taxonomy, settings):
    """The author reads English, a second curator Korean: each alert is written for its
    reader, whoever's action made the job fail."""
    settings.IMPORT_INLINE_MAX_ROWS = 2
    korean_curator = UserFactory(username="kim-curator", is_staff=True)
    korean_curator.groups.add(*cast.curator.groups.all())
    UserLanguage.objects.create(user=korean_curator, language="ko")
    rows = [valid_row(f"actor-{n}") for n in range(3)] + [valid_row("bad", sectors="biotek")]
    client.force_login(cast.curator)
    client.post(reverse(IMPORT_URL), {"file": upload("big.csv", csv_bytes(rows)), "dry_run": ""})

    job = Job.objects.get(kind="curation.actor_import")
    assert job.status == JobStatus.FAILED
    assert "unknown sector 'biotek'" in job.error  # written in its English author's words
    mine = Notification.objects.get(recipient=cast.curator, kind=JOB_FAILED)
    assert mine.subject == "A job failed: Import actors from big.csv"
    theirs = Notification.objects.get(recipient=korean_curator, kind=JOB_FAILED)
    assert theirs.subject == "작업 실패: Import actors from big.csv"
    assert "작업 “Import actors from big.csv”이(가) 실패했습니다." in theirs.body
    assert "자세한 내용은 작업 페이지에서 확인해 주세요." in theirs.body
    assert "The job's page" not in theirs.body


# -- the curators' pages ---------------------------------------------------------------------------


def test_the_review_queue_in_korean_with_korean_dates(client, cast):
    proposed = {**profile_snapshot(actor=cast.actor), "website": "https://lyon.example.org/"}
    change = change_submit(actor=cast.actor, author=cast.manager, proposed=proposed)
    PendingChange.objects.filter(pk=change.pk).update(
        created_at=datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)
    )
    client.force_login(cast.curator)
    english = client.get(reverse("curation_review")).text
    assert "Managers' changes waiting for review" in english
    assert "Proposed by owner on 7 Dec 2026, 10:30" in english

    page = in_korean(client).get(reverse("curation_review")).text
    assert "검토를 기다리는 담당자 수정 사항" in page
    assert "owner 님이 2026년 12월 7일" in page
    assert "승인" in page and "거절" in page
    assert "Approve" not in page and "waiting for review" not in page


def test_a_curators_decision_is_confirmed_in_korean(client, cast):
    proposed = {**profile_snapshot(actor=cast.actor), "website": "https://lyon.example.org/"}
    change = change_submit(actor=cast.actor, author=cast.manager, proposed=proposed)
    client.force_login(cast.curator)
    response = in_korean(client).post(
        reverse("curation_review_decide", args=[change.pk]), {"decision": "reject"}, follow=True
    )
    assert "변경 사항을 거절하는 이유를 담당자에게 알려 주세요." in response.text


def test_likely_duplicates_in_korean(client, twins):  # noqa: F811 - the fixture
    client.force_login(twins.curator)
    english = client.get(reverse("curation_duplicates")).text
    assert "names 100% alike: &#x27;Lyon Biopôle&#x27; / &#x27;Lyonbiopole&#x27;" in english

    page = in_korean(client).get(reverse("curation_duplicates")).text
    assert "중복 의심" in page
    assert "이름 유사도 100%: &#x27;Lyon Biopôle&#x27; / &#x27;Lyonbiopole&#x27;" in page
    assert "같은 기관일 가능성 매우 높음" in page
    assert "names 100% alike" not in page and "Likely duplicates" not in page
    # English again afterwards: the pairs' reasons are kept per language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "names 100% alike" in client.get(reverse("curation_duplicates")).text


def test_the_merge_page_in_korean(client, twins):  # noqa: F811 - the fixture
    client.force_login(twins.curator)
    data = {"first": twins.sparse.pk, "second": twins.rich.pk, "keep": twins.rich.pk}
    page = in_korean(client).post(reverse("curation_merge"), data).text
    assert "Lyon Biopôle을(를) Lyonbiopole(으)로 병합하시겠습니까?" in page
    assert "주소(슬러그)" in page and "항목별 비교" in page
    assert "병합하고 lyon-biopole 삭제" in page
    assert "Field by field" not in page


def test_completeness_and_stale_profiles_in_korean(client, cast):
    ActorFactory(slug="old-check", name="Old Check", status="published", last_verified="2024-03-05")
    client.force_login(cast.curator)
    page = in_korean(client).get(reverse("curation_quality")).text
    assert "프로필 완성도" in page and "빠진 항목과 그 중요성" in page
    assert "연락 담당자 없음" in page or "웹사이트 없음" in page
    assert "Profile completeness" not in page

    stale = client.get(reverse("curation_quality") + "?show=stale").text
    assert "12개월간 확인하지 않은 프로필" in stale
    assert "2024년 3월 5일" in stale
    english = client.__class__()
    english.force_login(cast.curator)
    assert "5 Mar 2024" in english.get(reverse("curation_quality") + "?show=stale").text


def test_an_actors_history_in_korean(client, cast):
    cast.actor.city = "Villeurbanne"
    cast.actor.save()
    client.force_login(cast.curator)
    page = in_korean(client).get(reverse("curation_history", args=[cast.actor.slug])).text
    assert "Lyon Life Sciences 변경 이력" in page
    assert "이 버전 복원" in page and "년" in page
    assert "Restore this version" not in page


def test_personal_data_and_jobs_pages_in_korean(client, cast):
    client.force_login(cast.curator)
    in_korean(client)
    person = client.get(reverse("curation_person") + "?email=marie.secret@example.org").text
    assert "개인정보 요청" in person and "<code>erase</code>" in person
    assert "Marie Secret" in person
    jobs = client.get(reverse("jobs:list")).text
    assert "백그라운드 작업" in jobs and "표시할 백그라운드 작업이 없습니다." in jobs
