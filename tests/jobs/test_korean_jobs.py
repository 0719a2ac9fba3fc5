"""Issue 16: a job's words (its error, its status) in the language of the person who reads
them. A job writes in its author's language; the site's own sentences about work nobody
started are read in each reader's; the pages and the status JSON speak the reader's."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from directory.roles import CURATORS_GROUP
from jobs.models import Job, JobStatus
from jobs.runner import enqueue, run_job
from notifications.models import UserLanguage
from tests.factories import UserFactory
from tests.jobs.kinds import FLAKY

pytestmark = pytest.mark.django_db

UNEXPECTED_EN = "The job stopped on an unexpected error."
UNEXPECTED_KO = "예기치 않은 오류로 작업이 중단되었습니다."


def _curator(username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    return user


def _failing(by) -> Job:
    return enqueue(kind=FLAKY, title="Rebuild", params={"succeed_on": 0}, by=by, max_attempts=1)


def test_a_job_writes_its_error_in_the_language_its_author_reads():
    """The language of the request that queued it (the reader's switch or browser); for a job
    that kept none, the language its author chose."""
    anna = _curator("anna")
    with translation.override("ko"):
        korean = _failing(anna)
    with translation.override("en"):
        english = _failing(anna)
    for job, expected in ((korean, UNEXPECTED_KO), (english, UNEXPECTED_EN)):
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert job.error.startswith(expected)

    kim = _curator("kim")
    UserLanguage.objects.create(user=kim, language="ko")
    older = Job.objects.create(
        kind=FLAKY, title="Rebuild", params={"succeed_on": 0}, created_by=kim, max_attempts=1
    )
    run_job(job_id=older.pk)
    older.refresh_from_db()
    assert older.error.startswith(UNEXPECTED_KO)


def test_the_sites_own_sentences_are_read_in_the_readers_language(client):
    """Work nobody started writes in English; a Korean curator reads its failure in Korean."""
    job = _failing(None)
    job.refresh_from_db()
    assert job.error.startswith(UNEXPECTED_EN)

    client.force_login(_curator("kim"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    assert UNEXPECTED_KO in page and UNEXPECTED_EN not in page
    assert "다시 시도" in page and "사이트 관리자를 위한 기술 정보" in page
    data = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert data["status_words"] == "실패" and data["error"].startswith(UNEXPECTED_KO)


def test_a_running_jobs_status_in_korean(client):
    curator = _curator("kim")
    job = Job.objects.create(
        kind=FLAKY,
        title="Rebuild",
        created_by=curator,
        status=JobStatus.RUNNING,
        attempts=1,
        progress_done=3,
        progress_total=10,
    )
    client.force_login(curator)
    english = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (english["status_words"], english["count_words"]) == ("Running", "3 of 10")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    data = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (data["status_words"], data["count_words"]) == ("실행 중", "10 중 3")
    page = client.get(reverse("jobs:detail", args=[job.pk])).text
    # The page's script gets its words from the page (scripts carry none of their own).
    assert 'data-following="이 페이지는 작업 진행 상황을 따라가며' in page
    with translation.override("ko"):
        assert job.get_status_display() == "실행 중"
