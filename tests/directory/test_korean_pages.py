"""The directory in Korean: pages, messages, dates, and what is written to a person who reads
Korean, whoever triggered it. English stays the default and reads as before."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from directory.accounts import GuessablePasswordValidator
from directory.notices import EDIT_WAITING
from directory.partnerships import partnership_record
from directory.permissions import CURATORS_GROUP
from directory.proposals import change_submit, profile_snapshot
from directory.rules import description_problem
from directory.saved_searches import saved_search_check, saved_search_create
from notifications.models import Notification, UserLanguage
from tests.factories import ActorFactory, RegionFactory, SectorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    # A request in Korean leaves Korean active in this thread; the next test starts in English.
    yield
    translation.deactivate()


@pytest.fixture
def korean_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def gumi(db):
    region = RegionFactory(
        code="kr-gyeongbuk",
        name="Gyeongsangbuk-do",
        name_ko="경상북도",
        country="KR",
        economic_region="Daegyeong",
    )
    chips = SectorFactory(code="semiconductors", label="Semiconductors")
    return ActorFactory(
        slug="gumi",
        name="Gumi National Industrial Complex",
        side="kr",
        country="KR",
        kind="industrial-complex",
        region=region,
        city="Gumi",
        sectors=[chips],
        last_verified=dt.date(2026, 12, 7),
    )


def test_home_in_korean(korean_client, gumi):
    ActorFactory(slug="lyon", name="Lyon Cluster")
    html = _page(korean_client, reverse("home"))
    assert "우리 클러스터가 만나야 할 한국 파트너 찾기" in html
    assert "<strong>2</strong><span>게시된 프로필</span>" in html
    assert "<strong>1</strong><span>한국 기관</span>" in html
    assert 'href="/actors/?kind=industrial-complex">산업단지</a>' in html
    assert "유럽 0 · 한국 1" in html
    for english in ("published profiles", "Where to start", "Leading sectors", "By kind"):
        assert english not in html


def test_directory_list_in_korean_with_filters_in_words(korean_client, gumi):
    html = _page(korean_client, reverse("actor_list") + "?side=kr&kind=industrial-complex")
    assert '기관 <strong id="result-total">1</strong>곳' in html
    assert '<span class="chip">구분: 한국</span>' in html
    assert '<span class="chip">유형: 산업단지</span>' in html
    assert ">모든 분야<" in html and ">관련도순<" in html
    assert 'placeholder="이름, 약칭, 기술, 도시…"' in html
    for english in ("Any sector", "Both sides", "Apply", "Sort by", "No actor matches"):
        assert english not in html
    empty = _page(korean_client, reverse("actor_list") + "?q=zzzznothing")
    assert "이 조건에 맞는 기관이 없습니다." in empty


def test_actor_page_in_korean_with_korean_dates(korean_client, gumi):
    other = ActorFactory(slug="lyon", name="Lyon Cluster")
    partnership_record(
        actor=gumi, partner=other, kind="agreement", source="MoU", since=dt.date(2023, 5, 17)
    )
    html = _page(korean_client, gumi.get_absolute_url())
    assert '<span class="badge kind">산업단지</span>' in html
    # The province and its economic region as Koreans name them ("대경권", not "Daegyeong 권역").
    assert 'region=kr-gyeongbuk">경상북도</a> (대경권)' in html and "권역" not in html
    assert '<p class="place">구미, <a' in html
    assert "<dt>최종 확인일</dt><dd>2026년 12월 7일</dd>" in html
    assert "2023년 5월 17일" in html
    assert "협약 (양해각서(MoU) 또는 계약)" in html
    assert "연락 담당자는 로그인한 회원에게만 표시됩니다." in html
    assert "로그인하고 연락처 보기" in html
    for english in ("Last verified", "Contact persons", "Known partnerships", "Log in to see"):
        assert english not in html


def test_actor_page_in_english_is_unchanged(client, gumi):
    html = _page(client, gumi.get_absolute_url())
    assert "<dt>Last verified</dt><dd>7 Dec 2026</dd>" in html
    assert "(Daegyeong region)" in html and '<p class="place">Gumi, <a' in html
    assert '<span class="badge kind">Industrial complex</span>' in html
    assert "최종 확인일" not in html


def test_edit_page_and_its_errors_in_korean(korean_client, cast, sectors):
    cast.actor.sectors.set(sectors[:1])
    korean_client.force_login(cast.manager)
    url = reverse("actor_edit", args=[cast.actor.slug])
    html = _page(korean_client, url)
    assert "Lyon Life Sciences 프로필 수정" in html
    assert ">제공하는 협력</label>" in html and ">프로필 저장</button>" in html
    assert 'placeholder="예: 바이오; 백신; 진단"' in html
    response = korean_client.post(
        url,
        {
            "description": "너무 짧은 설명",
            "keywords": "",
            "website": "",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "기관을 20단어 이상으로 설명해 주세요(지금은 3단어)" in html
    assert "분야를 하나 이상 선택해 주세요." in html
    cast.actor.refresh_from_db()
    assert cast.actor.description != "너무 짧은 설명"


def test_saved_searches_page_and_messages_in_korean(korean_client, cast):
    korean_client.force_login(cast.manager)
    response = korean_client.post(
        reverse("saved_search_save"), {"name": "한국 검색", "query": "side=kr"}, follow=True
    )
    html = response.content.decode()
    assert "검색을 “한국 검색”(으)로 저장했습니다." in html
    html = _page(korean_client, reverse("saved_searches"))
    assert "<h1>저장된 검색</h1>" in html
    assert '<span class="chip">구분: 한국</span>' in html
    assert ">알림 끄기</button>" in html and "알림 켜짐" in html
    response = korean_client.post(
        reverse("saved_search_save"), {"name": "한국 검색", "query": "side=kr"}, follow=True
    )
    assert "“한국 검색”(이)라는 저장된 검색이 이미 있습니다." in response.content.decode()


def _korean_reader(user) -> None:
    UserLanguage.objects.create(user=user, language="ko")


def test_a_saved_search_alert_is_written_in_its_owners_language(cast):
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    korean_owner = UserFactory(username="kim")
    _korean_reader(korean_owner)
    english_owner = UserFactory(username="anna")
    query = "side=kr&sector=biopharmaceuticals"
    # The check runs in a worker (English) for one and in a Korean request for the other.
    ko_search = saved_search_create(owner=korean_owner, name="바이오", query=query)
    en_search = saved_search_create(owner=english_owner, name="Bio", query=query)
    new = ActorFactory(slug="osong", name="Osong Medical", side="kr", country="KR", city="Osong")
    new.sectors.set([bio])
    saved_search_check(search_id=ko_search.pk)
    with translation.override("ko"):
        saved_search_check(search_id=en_search.pk)

    korean = Notification.objects.get(recipient=korean_owner)
    assert korean.subject == "저장된 검색 “바이오”에 새 기관 1곳"
    filters = "(구분: 한국; 분야: Biopharmaceuticals)"
    assert f"저장된 검색 “바이오”{filters}에 새로 일치하는 기관이 1곳 있습니다:" in korean.body
    assert "- Osong Medical (EU 클러스터 조직, Osong, " in korean.body
    assert "알림이 켜져 있어" in korean.body
    english = Notification.objects.get(recipient=english_owner)
    assert english.subject == "1 new actor in your saved search “Bio”"
    assert "1 new actor now matches your saved search “Bio” (Side: Korea; " in english.body
    assert "저장된" not in english.body


def test_a_korean_curator_hears_of_an_edit_in_korean_an_english_one_in_english(
    cast, django_capture_on_commit_callbacks
):
    _korean_reader(cast.curator)
    english_curator = UserFactory(username="second-curator")
    english_curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    cast.actor.edit_review = "review"
    cast.actor.save()
    proposed = {**profile_snapshot(actor=cast.actor), "website": "https://lls.example.org"}
    # The manager browses in Korean: what each curator reads follows the curator.
    with translation.override("ko"), django_capture_on_commit_callbacks(execute=True):
        change_submit(actor=cast.actor, author=cast.manager, proposed=proposed)

    korean = Notification.objects.get(recipient=cast.curator, kind=EDIT_WAITING)
    assert korean.subject == "Lyon Life Sciences의 수정 제안이 검토를 기다립니다"
    proposed_by = "Lyon Life Sciences의 담당자 owner 님이 프로필 변경을 제안했습니다"
    assert f"{proposed_by}: 웹사이트." in korean.body
    assert "큐레이터가 승인할 때까지" in korean.body
    english = Notification.objects.get(recipient=english_curator, kind=EDIT_WAITING)
    assert english.subject == "An edit of Lyon Life Sciences waits for your review"
    assert "owner, a manager of Lyon Life Sciences, proposed changes to its profile: Website." in (
        english.body
    )


def test_rule_and_password_messages_follow_the_reader(db):
    nineteen = " ".join(["word"] * 19)
    english = description_problem(nineteen, published=True)
    assert english.startswith("the description has 19 words; a published profile needs")
    with translation.override("ko"):
        assert description_problem(nineteen, published=True).startswith("설명이 19단어입니다.")
        with pytest.raises(ValidationError) as error:
            GuessablePasswordValidator().validate("abcabcabcabc")
        assert "반복됩니다" in error.value.messages[0]
