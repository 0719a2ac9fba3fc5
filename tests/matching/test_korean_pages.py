"""Find partners, its exports, shortlists and the messages of matching, read in Korean.

A Korean manager reads the page, the reasons, the band words and the export headers in Korean;
taxonomy labels in the reasons are the taxonomy's own Korean labels, the profiles' words stay as
written. Messages go out in each recipient's language, whoever triggered them.
"""

import csv
import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from directory.models import Interest, Sector
from matching.digest import weekly_digest
from matching.models import CandidateMark
from matching.shortlists import shortlist_add, shortlist_status_set
from notifications.models import Notification, UserLanguage
from tests.factories import ActorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean_labels(world):
    """The taxonomy's Korean labels, as the taxonomy loader fills them."""
    Sector.objects.filter(code="biopharmaceuticals").update(label_ko="바이오의약품")
    Sector.objects.filter(code="environmental-services").update(label_ko="환경 서비스")
    Interest.objects.filter(code="market-access").update(label_ko="시장 진출 및 수출")
    Interest.objects.filter(code="rd-projects").update(label_ko="공동 R&D 프로젝트")
    return world


def in_korean(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    return client


def card(html: str, slug: str) -> str:
    start = html.index(f'data-slug="{slug}"')
    end = html.find('class="match card"', start)
    return html[start : end if end != -1 else len(html)]


def test_a_korean_manager_reads_find_partners_with_korean_bands_and_reasons(client, korean_labels):
    world = korean_labels
    client.force_login(world.manager)
    html = in_korean(client).get(reverse("partners", args=[world.actor.slug])).content.decode()

    assert "Lyon Life Sciences의 파트너" in html
    assert "범위 좁히기" in html and "다시 순위 매기기" in html and "알려진 파트너 숨기기" in html
    # The legend, band by band, in Korean.
    assert "점수의 의미" in html
    assert "27점 이상: 문서로 확인된 협력 관계 중 상위 절반과 같은 수준" in html
    assert "그 미만: 문서로 확인된 거의 모든 협력 관계보다 낮음" in html
    # The reasons: whole Korean sentences, the profiles' words in the glossary's Korean where
    # it has them (vaccines -> 백신), the taxonomy's labels in Korean.
    chuncheon = card(html, "chuncheon-bio")
    assert re.search(
        r"두 기관 모두 [^.]*백신[^.]* 관련 활동을 하며, 공통 분야는 바이오의약품입니다\.",
        chuncheon,
    )
    assert not re.search(r"두 기관 모두 [^.]*vaccines", chuncheon)
    assert "상대 기관은 귀 기관이 희망하는 협력(시장 진출 및 수출)을 제공합니다." in chuncheon
    assert "상대 기관은 귀 기관이 제공하는 협력(공동 R&amp;D 프로젝트)을 희망합니다." in chuncheon
    # The band in words is Korean; its CSS class keeps the code.
    band = re.search(r'<span class="band band-([a-z-]+)">([^<]+)</span>', chuncheon)
    assert band.group(1) in {"strong", "good", "possible", "long-shot"}
    assert band.group(2) in {"매우 적합", "적합", "검토 가능", "가능성 낮음"}
    assert "100점 중" in chuncheon and "세부 수치" in chuncheon
    for english in ("What the scores mean", "Both work on", "They offer", "Narrow down",
                    "Rank again", "Add to shortlist", "More like this"):  # fmt: skip
        assert english not in html, english


def test_the_english_page_is_unchanged(client, korean_labels):
    world = korean_labels
    client.force_login(world.manager)
    html = client.get(reverse("partners", args=[world.actor.slug])).content.decode()
    assert "What the scores mean" in html
    assert "They offer market access and export, which you seek." in html
    assert "you share biopharmaceuticals." in html
    assert "바이오의약품" not in html and "점수의 의미" not in html


def test_the_ranking_export_has_korean_headers_and_words(client, korean_labels):
    world = korean_labels
    client.force_login(world.manager)
    url = reverse("partners_export", args=[world.actor.slug, "csv"])
    response = in_korean(client).get(url)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "순위", "이름", "슬러그", "유형", "국가", "지역", "도시", "점수", "적합도",
        "텍스트 유사도", "공통 분야 점수", "협력 관심사 상호 보완성", "유사 기관의 파트너",
        "매칭 이유", "공통 용어", "공통 분야", "알려진 파트너", "프로필",
    ]  # fmt: skip
    chuncheon = next(row for row in rows[1:] if row[2] == "chuncheon-bio")
    assert chuncheon[8] in {"매우 적합", "적합", "검토 가능", "가능성 낮음"}
    assert "공통 분야는 바이오의약품입니다." in chuncheon[13]
    assert chuncheon[15] == "바이오의약품"

    xlsx = in_korean(client).get(reverse("partners_export", args=[world.actor.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "파트너"
    assert [cell.value for cell in sheet[1]][:3] == ["순위", "이름", "슬러그"]


def test_the_shortlist_page_and_export_in_korean_with_korean_dates(client, korean_labels):
    world = korean_labels
    entry, _ = shortlist_add(
        actor=world.actor, candidate=world.chuncheon, by=world.manager, note="Met at BIO Korea"
    )
    entry.notes.update(written_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC))
    client.force_login(world.manager)
    in_korean(client)
    page = client.get(reverse("shortlist", args=[world.actor.slug])).content.decode()
    assert "Lyon Life Sciences의 관심 목록" in page
    assert "owner, 2026년 3월 2일:" in page and "Met at BIO Korea" in page
    assert "연락 예정" in page and "내 메모 삭제" in page
    assert "Delete my note" not in page and "to contact" not in page

    response = client.get(reverse("shortlist_export", args=[world.actor.slug, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "이름", "슬러그", "유형", "국가", "지역", "도시", "상태", "메모", "추가일", "추가한 사람",
        "프로필",
    ]  # fmt: skip
    assert rows[1][6] == "연락 예정"


def test_set_aside_in_korean_flash_page_and_date(client, korean_labels):
    world = korean_labels
    client.force_login(world.manager)
    in_korean(client)
    response = client.post(
        reverse("set_aside_add", args=[world.actor.slug]),
        {"candidate": "daegu-water", "kind": "in-contact"},
        follow=True,
    )
    assert "Daegu Water Cluster을(를) “이미 연락 중”(으)로 제외했습니다." in (
        response.content.decode()
    )
    CandidateMark.objects.update(marked_at=dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC))
    page = client.get(reverse("set_aside", args=[world.actor.slug])).content.decode()
    assert "Lyon Life Sciences의 제외 목록" in page
    assert '<span class="mark-by">owner</span> 님이 2026년 12월 7일에 제외함' in page
    assert "되돌리기" in page and "(사유 없음)" in page
    assert "Set aside by" not in page


def test_a_korean_manager_is_told_of_a_status_change_in_korean(korean_labels):
    world = korean_labels
    korean = UserFactory(username="minji")
    UserLanguage.objects.create(user=korean, language="ko")
    world.actor.managers.add(korean)
    entry, _ = shortlist_add(actor=world.actor, candidate=world.chuncheon, by=world.manager)

    # The English manager changes the status; each colleague reads it in their own language.
    shortlist_status_set(entry=entry, status="contacted", by=world.manager)
    told = Notification.objects.get(recipient=korean, kind="matching.shortlist")
    assert told.subject == (
        "Lyon Life Sciences의 관심 목록에서 Chuncheon Bioindustry Foundation의 상태가 이제 "
        "“연락함”입니다"
    )
    assert "owner 님이" in told.body and "“연락 예정”에서 “연락함”(으)로 변경했습니다" in told.body
    assert "Lyon Life Sciences의 담당자이기 때문에" in told.body

    # The Korean manager changes it back: the English manager reads English.
    shortlist_status_set(entry=entry, status="met", by=korean)
    english = Notification.objects.filter(recipient=world.manager, kind="matching.shortlist")
    assert english.get().subject == (
        "Chuncheon Bioindustry Foundation is now “met” on the shortlist of Lyon Life Sciences"
    )
    assert "from “contacted” to “met”" in english.get().body


def test_the_weekly_digest_reaches_a_korean_manager_in_korean(korean_labels):
    world = korean_labels
    korean = UserFactory(username="minji")
    UserLanguage.objects.create(user=korean, language="ko")
    world.actor.managers.add(korean)
    weekly_digest()
    ActorFactory(
        slug="wonju-vax",
        name="Wonju Vaccine Cluster",
        side="kr",
        country="KR",
        kind="cluster-agency",
        description="Vaccines, antibodies and diagnostics makers of Wonju.",
        sectors=[world.actor.sectors.get()],
    )
    weekly_digest()

    digest = Notification.objects.get(recipient=korean, kind="matching.digest")
    assert digest.subject == "Lyon Life Sciences의 상위 10개 매칭에 새 후보 1곳"
    assert re.search(
        r"\d{4}년 \d{1,2}월 \d{1,2}일 이후 Lyon Life Sciences의 상위 10개", digest.body
    )
    assert "Wonju Vaccine Cluster" in digest.body
    assert "공통 분야는 바이오의약품입니다." in digest.body
    assert "Both work on" not in digest.body

    english = Notification.objects.get(recipient=world.manager, kind="matching.digest")
    assert english.subject == "1 new candidate in the top 10 for Lyon Life Sciences"
    assert "you share biopharmaceuticals." in english.body
