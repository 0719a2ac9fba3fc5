"""Directory search in Korean, on SQLite and PostgreSQL alike: Korean words are found inside the
inflected words of names and descriptions, the best match first, and English search is as it
was."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from curation.transfer import actor_import
from directory.models import Actor
from directory.search import korean_query_words, korean_search_text
from tests.factories import ActorFactory

# Long enough to publish (40 Hangul syllables or more), written as Korean sites write.
KICOX_KO = (
    "한국산업단지공단은 전국의 국가산업단지를 관리하고 미니클러스터를 운영하며 기업과 대학, "
    "연구기관의 협력을 지원합니다."
)
GUMI_KO = (
    "구미 의료기기 미니클러스터는 한국산업단지공단이 운영하는 산학연 협의체로, 한국산업단지공단의 "
    "지원을 받아 환자 감시 장치와 초음파 센서 모듈을 만드는 기업들이 의료기기를 함께 개발합니다."
)
CHUNCHEON_KO = (
    "춘천바이오산업진흥원은 강원도 춘천에서 바이오산업을 육성하며 의료기기와 진단 시약을 개발하는 "
    "중소기업에 공동 실험실과 시제품 생산 시설을 제공합니다."
)
WATER_KO = (
    "대구 물산업 클러스터는 국가물산업클러스터를 중심으로 정수 처리와 하수 처리, 막 여과 기술을 "
    "개발하는 기업의 실증과 해외 진출을 돕습니다."
)
ENGLISH = (
    "A European cluster of medical device makers, hospitals and laboratories working together "
    "on diagnostics, implants and the certification of new products for export."
)


def slugs(client, query: str) -> list[str]:
    response = client.get(reverse("actor_list"), {"q": query})
    assert response.status_code == 200
    return re.findall(r'data-slug="([^"]+)"', response.content.decode())


@pytest.fixture
def korean_directory(db):
    def korean(slug: str, name: str, name_ko: str, description_ko: str, **extra) -> Actor:
        return ActorFactory(
            slug=slug,
            name=name,
            name_ko=name_ko,
            side="kr",
            country="KR",
            city="",
            kind=extra.pop("kind", "mini-cluster"),
            description="",
            description_ko=description_ko,
            **extra,
        )

    return {
        "kicox": korean(
            "kicox",
            "Korea Industrial Complex Corporation",
            "한국산업단지공단",
            KICOX_KO,
            acronym="KICOX",
            kind="cluster-agency",
        ),
        # Names KICOX twice in its description: it must still come after KICOX itself.
        "gumi": korean("gumi-medical", "Gumi Medical Devices Mini Cluster", "", GUMI_KO),
        "chuncheon": korean(
            "chuncheon-bio",
            "Chuncheon Bioindustry Foundation",
            "춘천바이오산업진흥원",
            CHUNCHEON_KO,
        ),
        "water": korean("daegu-water", "Daegu Water Cluster", "대구 물산업 클러스터", WATER_KO),
        "lyon": ActorFactory(slug="lyon-medtech", name="Lyon Medtech", description=ENGLISH),
    }


def test_the_korean_name_of_kicox_puts_kicox_first(client, korean_directory):
    found = slugs(client, "한국산업단지공단")
    assert found[0] == "kicox"
    assert "gumi-medical" in found  # its description names KICOX, after KICOX itself
    assert "lyon-medtech" not in found and "daegu-water" not in found


def test_a_korean_word_is_found_inside_its_inflected_forms(client, korean_directory):
    # 의료기기를 and 의료기기와 in the descriptions; the query's own ending does not matter.
    for query in ("의료기기", "의료기기를", "의료기기의"):
        assert set(slugs(client, query)) == {"gumi-medical", "chuncheon-bio"}, query
    # 바이오 inside 바이오산업을, 산업 inside a compound the analyser keeps whole.
    assert slugs(client, "바이오") == ["chuncheon-bio"]
    assert "daegu-water" in slugs(client, "물산업")


def test_a_part_of_a_korean_name_finds_the_actor(client, korean_directory):
    assert slugs(client, "바이오산업진흥원")[0] == "chuncheon-bio"
    assert slugs(client, "산업단지공단")[0] == "kicox"


def test_the_api_searches_korean_the_same_way(client, korean_directory):
    found = client.get("/api/v1/actors/", {"q": "한국산업단지공단"}).json()["results"]
    assert found[0]["slug"] == "kicox" and found[0]["name_ko"] == "한국산업단지공단"


def test_korean_and_english_terms_together_must_all_match(client, korean_directory):
    assert slugs(client, "의료기기 Gumi") == ["gumi-medical"]
    assert slugs(client, "바이오 Daegu") == []


def test_an_english_query_behaves_as_before(client, korean_directory):
    assert slugs(client, "KICOX")[0] == "kicox"
    assert slugs(client, "diagnostics") == ["lyon-medtech"]
    assert slugs(client, "Chuncheon") == ["chuncheon-bio"]
    # Korean texts never answer an English query (the Korean-only profiles stay out).
    assert slugs(client, "hospitals") == ["lyon-medtech"]


def test_the_search_text_follows_every_save(client, korean_directory):
    water = korean_directory["water"]
    water.description_ko = WATER_KO + " 반도체 공정의 초순수 기술도 개발합니다."
    water.save(update_fields=["description_ko"])  # a partial save keeps it current too
    assert slugs(client, "초순수") == ["daegu-water"]
    Actor.objects.filter(pk=water.pk).update(status="draft")
    assert slugs(client, "초순수") == []


def test_a_bulk_update_is_indexed_by_the_refresh_command(client, korean_directory):
    water = korean_directory["water"]
    Actor.objects.filter(pk=water.pk).update(description_ko=WATER_KO + " 해수담수화 기술.")
    call_command("refresh_korean_search", stdout=io.StringIO())
    assert slugs(client, "해수담수화") == ["daegu-water"]
    out = io.StringIO()
    call_command("refresh_korean_search", stdout=out)
    assert "0 actor(s) updated" in out.getvalue()  # nothing left to do


def test_an_imported_korean_profile_is_found(client, korean_directory):
    data = (
        "slug,name,name_ko,side,country,kind,description_ko,status\n"
        "pohang-hydrogen,Pohang Hydrogen Cluster,포항 수소 클러스터,kr,KR,mini-cluster,"
        '"포항 수소 클러스터는 수소연료전지를 개발하는 기업과 연구소가 모여 수소 생산과 저장, '
        '운송 기술을 함께 실증하고 해외 진출을 준비하는 협의체입니다.",published\n'
    ).encode()
    report = actor_import(data=data, filename="hydrogen.csv", dry_run=False)
    assert report.errors == []
    assert slugs(client, "수소연료전지") == ["pohang-hydrogen"]
    assert slugs(client, "연료전지")[0] == "pohang-hydrogen"


def test_kicox_comes_first_among_the_demo_directorys_korean_profiles(client, demo_directory):
    kicox = Actor.objects.get(slug="kicox")
    kicox.name_ko = "한국산업단지공단"
    kicox.save()
    assert slugs(client, "한국산업단지공단")[0] == "kicox"
    assert slugs(client, "KICOX")[0] == "kicox"


def test_the_query_goes_through_the_same_analyser():
    assert korean_query_words("의료기기를") == ["의료", "기기"]
    assert korean_query_words("바이오산업을") in (["바이오산업"], ["바이오", "산업"])
    # A lone particle has no content word: it is looked up as it is.
    assert korean_query_words("및") == ["및"]
    stored = korean_search_text(
        texts=[["포항 수소 클러스터"], [""], ["수소연료전지를 개발합니다."]]
    )
    names, keywords, descriptions = stored.split("\n")
    assert names.split() and not keywords
    assert "전지" in descriptions.split() and "개발" in descriptions.split()
    assert korean_search_text(texts=[["Lyon Medtech"], ["implants"], [ENGLISH]]) == ""
