"""Places read as places: "Gumi, Gyeongbuk" / "구미, 경북", never raw coordinates."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings

from directory.places import city_name, korean_short_name, place_label
from tests.factories import ActorFactory, RegionFactory


def region(name, *, name_ko="", short_name=""):
    return SimpleNamespace(name=name, name_ko=name_ko, short_name=short_name)


GYEONGBUK = region(
    "Gyeongsangbuk-do (North Gyeongsang)", name_ko="경상북도", short_name="Gyeongbuk"
)
GYEONGGI = region("Gyeonggi-do", name_ko="경기도")
JEONNAM = region("Jeollanam-do (South Jeolla)")
BUSAN = region("Busan", name_ko="부산광역시", short_name="Busan")
SEOUL = region("Seoul", name_ko="서울특별시")
CATALONIA = region("Catalonia", name_ko="카탈루냐")


def at(city="", country="KR", where=None):
    return SimpleNamespace(city=city, country=country, region=where)


@pytest.mark.parametrize(
    ("actor", "english", "korean"),
    [
        (at("Gumi", where=GYEONGBUK), "Gumi, Gyeongbuk", "구미, 경북"),
        # The city is the metropolitan city: said once.
        (at("Seoul", where=SEOUL), "Seoul", "서울"),
        (at("Busan (Gijang County)", where=BUSAN), "Busan (Gijang County)", "부산(기장군)"),
        (at("Ansan/Siheung", where=GYEONGGI), "Ansan/Siheung, Gyeonggi-do", "안산/시흥, 경기"),
        (
            at("Ansan and Siheung", where=GYEONGGI),
            "Ansan and Siheung, Gyeonggi-do",
            "안산·시흥, 경기",
        ),
        # A city the glossary does not know stays as written; a region without a Korean name too.
        (at("Mokpo", where=JEONNAM), "Mokpo, Jeollanam-do", "Mokpo, Jeollanam-do"),
        # No city: the region's full name; no region either: the country.
        (at("", where=GYEONGBUK), "Gyeongsangbuk-do (North Gyeongsang)", "경상북도"),
        (at(""), "South Korea", "대한민국"),
        # Outside Korea the country, which a European region alone does not say.
        (at("Lyon", "FR", region("Auvergne-Rhône-Alpes")), "Lyon, France", "리옹, 프랑스"),
        (at("", "ES", CATALONIA), "Catalonia, Spain", "카탈루냐, 스페인"),
        (at("Luxembourg", "LU"), "Luxembourg", "Luxembourg, 룩셈부르크"),
    ],  # fmt: skip
)
def test_place_label_in_english_and_korean(actor, english, korean):
    assert place_label(actor, language="en") == english
    assert place_label(actor, language="ko") == korean


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("경상북도", "경북"),
        ("전라남도", "전남"),
        ("충청북도", "충북"),
        ("경기도", "경기"),
        ("부산광역시", "부산"),
        ("서울특별시", "서울"),
        ("세종특별자치시", "세종"),
        ("제주특별자치도", "제주"),
        ("강원특별자치도", "강원"),
        ("경북", "경북"),
    ],
)
def test_korean_short_names_are_the_usual_abbreviations(name, short):
    assert korean_short_name(name) == short


def test_a_city_name_is_translated_only_when_every_part_is_known():
    assert city_name("Cheongju (Osong)", language="ko") == "청주(오송)"
    assert city_name("Cheongju (Somewhere New)", language="ko") == "Cheongju (Somewhere New)"
    assert city_name("Gumi", language="en") == "Gumi"


@pytest.mark.django_db
def test_the_actor_page_names_the_place_instead_of_coordinates(client):
    gyeongbuk = RegionFactory(
        code="kr-gyeongbuk",
        name="Gyeongsangbuk-do (North Gyeongsang)",
        name_ko="경상북도",
        short_name="Gyeongbuk",
        country="KR",
    )
    ActorFactory(
        slug="gumi-complex",
        name="Gumi National Industrial Complex",
        side="kr",
        country="KR",
        region=gyeongbuk,
        city="Gumi",
        kind="industrial-complex",
        latitude=Decimal("36.11953"),
        longitude=Decimal("128.34450"),
    )
    page = client.get("/actors/gumi-complex/").content.decode()
    assert '<dd class="place-label">Gumi, Gyeongbuk</dd>' in page
    assert "36.120, 128.344" not in page  # what the Location fact used to say
    # The map's data carries the point, not the text a person reads.
    assert 'data-lat="36.11953"' in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = client.get("/actors/gumi-complex/").content.decode()
    assert '<dd class="place-label">구미, 경북</dd>' in page


@pytest.mark.django_db
def test_cards_in_the_directory_name_the_place(client):
    busan = RegionFactory(code="kr-busan", name="Busan", name_ko="부산광역시", country="KR")
    ActorFactory(slug="busan-bio", name="Busan Bio", side="kr", country="KR", region=busan,
                 city="Busan (Gijang County)", kind="foundation")  # fmt: skip
    ActorFactory(slug="lyon-bio", name="Lyon Bio", country="FR", city="Lyon")
    page = client.get("/actors/").content.decode()
    assert '<p class="place">Busan (Gijang County)</p>' in page
    assert '<p class="place">Lyon, France</p>' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = client.get("/actors/").content.decode()
    assert '<p class="place">부산(기장군)</p>' in page
    assert '<p class="place">리옹, 프랑스</p>' in page
