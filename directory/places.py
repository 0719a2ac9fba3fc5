"""Where an actor is, in words a person reads as a place: "Gumi, Gyeongbuk" or "구미, 경북".

One function for every page that names a place (actor page, cards, map popups): the city, then
the Korean province or metropolitan city by its short name for an actor in Korea, or the country
for one elsewhere (a European region alone does not say which country a town is in). Korean forms
when the language is Korean and they exist: the region's Korean name, and the city through a small
glossary of the cities the directory holds (a city it does not know stays as written).
"""

from __future__ import annotations

import re
from typing import Protocol

from django.utils import translation
from django.utils.translation import pgettext_lazy
from django_countries import countries

KOREA = "KR"

# Korean names of the cities the directory holds (the demo's, Korean ones first). A city written
# as "Busan (Gijang County)", "Ansan/Siheung" or "Ansan and Siheung" is translated part by part.
CITY_NAMES_KO = {
    # Korea
    "Andong": "안동",
    "Ansan": "안산",
    "Asan": "아산",
    "Busan": "부산",
    "Changwon": "창원",
    "Cheonan": "천안",
    "Cheongju": "청주",
    "Chuncheon": "춘천",
    "Daegu": "대구",
    "Daejeon": "대전",
    "Dalseong County": "달성군",
    "Dangjin": "당진",
    "Donghae": "동해",
    "Gangneung": "강릉",
    "Gijang County": "기장군",
    "Gimhae": "김해",
    "Goheung": "고흥",
    "Gumi": "구미",
    "Gunsan": "군산",
    "Guro": "구로",
    "Gwangju": "광주",
    "Gwangyang": "광양",
    "Gyeongju": "경주",
    "Gyeongsan": "경산",
    "Hadong": "하동",
    "Hongseong": "홍성",
    "Icheon": "이천",
    "Iksan": "익산",
    "Incheon": "인천",
    "Jangseong": "장성",
    "Jeju": "제주",
    "Jeonju": "전주",
    "Jinju": "진주",
    "Naju": "나주",
    "Ochang": "오창",
    "Osong": "오송",
    "Paju": "파주",
    "Pohang": "포항",
    "Pyeongtaek": "평택",
    "Sacheon": "사천",
    "Sejong": "세종",
    "Seongnam": "성남",
    "Seoul": "서울",
    "Siheung": "시흥",
    "Suwon": "수원",
    "Tongyeong": "통영",
    "Ulju County": "울주군",
    "Uljin": "울진",
    "Ulsan": "울산",
    "Wanju": "완주",
    "Wonju": "원주",
    "Yeongam": "영암",
    "Yeosu": "여수",
    "Yongin": "용인",
    # Europe
    "Aachen": "아헨",
    "Banja Luka": "바냐루카",
    "Barcelona": "바르셀로나",
    "Bonn": "본",
    "Brussels": "브뤼셀",
    "Bucharest": "부쿠레슈티",
    "Budapest": "부다페스트",
    "Cerdanyola del Vallès": "세르다뇰라델바예스",
    "Chartres": "샤르트르",
    "Colleretto Giacosa": "콜레레토자코사",
    "Dijon": "디종",
    "Dortmund": "도르트문트",
    "Dresden": "드레스덴",
    "Düsseldorf": "뒤셀도르프",
    "Ede": "에더",
    "Eindhoven": "에인트호번",
    "Gosselies": "고슬리",
    "Heidelberg": "하이델베르크",
    "Leipzig": "라이프치히",
    "Korçë": "코르처",
    "Linz": "린츠",
    "London": "런던",
    "Lyon": "리옹",
    "Martinsried": "마르틴스리트",
    "Montpellier": "몽펠리에",
    "Munich": "뮌헨",
    "Niš": "니시",
    "Novo Mesto": "노보메스토",
    "Paris": "파리",
    "Prague": "프라하",
    "Saarbrücken": "자르브뤼켄",
    "Sabadell": "사바델",
    "Skopje": "스코페",
    "Sofia": "소피아",
    "Sophia Antipolis": "소피아앙티폴리스",
    "Trieste": "트리에스테",
    "Venice": "베네치아",
    "Vienna": "빈",
    "Zagreb": "자그레브",
}

_PARENTHESIS = re.compile(r"^(?P<base>[^()]+?)\s*\((?P<inner>[^()]+)\)$")
# Korean administrative suffixes dropped in the short form people use after a city name.
_KO_CITY_SUFFIXES = ("특별자치시", "특별자치도", "특별시", "광역시")


class _Region(Protocol):
    name: str
    name_ko: str
    short_name: str


class _Placed(Protocol):
    city: str
    region: _Region | None


def city_name(city: str, *, language: str) -> str:
    """The city in `language`: Korean through the glossary when every part of it is known."""
    city = " ".join(city.split())
    if not city or not language.startswith("ko"):
        return city
    if city in CITY_NAMES_KO:
        return CITY_NAMES_KO[city]
    match = _PARENTHESIS.match(city)
    if match:
        base = city_name(match["base"], language=language)
        inner = city_name(match["inner"], language=language)
        if base != match["base"] and inner != match["inner"]:
            return f"{base}({inner})"
        return city
    for separator, joiner in (("/", "/"), (" and ", "·")):
        if separator in city:
            parts = [part.strip() for part in city.split(separator)]
            named = [CITY_NAMES_KO.get(part) for part in parts]
            if all(named):
                return joiner.join(named)
            return city
    return city


def region_short_name(region: _Region, *, language: str) -> str:
    """How people name a region after a city: "Gyeongbuk", "경북", "Seoul", "서울"."""
    if language.startswith("ko") and region.name_ko:
        return korean_short_name(region.name_ko)
    if region.short_name:
        return region.short_name
    # "Gyeongsangbuk-do (North Gyeongsang)": the gloss in brackets is for readers of a list.
    return region.name.split(" (")[0].strip()


def region_name(region: _Region, *, language: str) -> str:
    if language.startswith("ko") and region.name_ko:
        return region.name_ko
    return region.name


def korean_short_name(name_ko: str) -> str:
    """경상북도 -> 경북, 경기도 -> 경기, 부산광역시 -> 부산, 제주특별자치도 -> 제주 (the usual
    abbreviations); a name already short, or of another form, is kept."""
    name = name_ko.strip()
    for suffix in _KO_CITY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    if name.endswith("도"):
        if len(name) == 4:  # 경상북도, 충청남도, 전라북도: first syllable and direction
            return name[0] + name[2]
        if len(name) == 3:  # 경기도, 강원도
            return name[:2]
    return name


# Korea's "5+2" economic regions as Koreans name them: 수도권 is "the capital region" already, so
# each name is translated whole rather than as "<name> region".
ECONOMIC_REGIONS = {
    "Capital (Sudogwon)": pgettext_lazy("Korean economic region", "Capital (Sudogwon) region"),
    "Chungcheong": pgettext_lazy("Korean economic region", "Chungcheong region"),
    "Honam": pgettext_lazy("Korean economic region", "Honam region"),
    "Daegyeong": pgettext_lazy("Korean economic region", "Daegyeong region"),
    "Dongnam": pgettext_lazy("Korean economic region", "Dongnam region"),
    "Gangwon": pgettext_lazy("Korean economic region", "Gangwon region"),
    "Jeju": pgettext_lazy("Korean economic region", "Jeju region"),
}


def economic_region_label(name: str) -> str:
    """ "Daegyeong region" / "대경권"; a name the list does not know reads "<name> region"."""
    if not name:
        return ""
    known = ECONOMIC_REGIONS.get(name)
    if known is not None:
        return str(known)
    return translation.gettext("%(name)s region") % {"name": name}


def country_name(code: str, *, language: str) -> str:
    with translation.override(language):
        return str(countries.name(code))


def place_label(actor: _Placed, *, language: str | None = None) -> str:
    """ "Gumi, Gyeongbuk" / "구미, 경북" for an actor in Korea, "Lyon, France" / "리옹, 프랑스"
    elsewhere; without a city, the region's full name (and the country outside Korea); without
    either, the country. `language` defaults to the active one."""
    language = language or translation.get_language() or "en"
    code = str(getattr(actor.country, "code", actor.country) or "")
    region = actor.region
    city = city_name(actor.city or "", language=language)
    in_korea = code == KOREA
    if city:
        if in_korea and region is not None:
            second = region_short_name(region, language=language)
        elif in_korea:
            second = ""
        else:
            second = country_name(code, language=language) if code else ""
        parts = [city, second]
    elif region is not None:
        parts = [region_name(region, language=language)]
        if not in_korea and code:
            parts.append(country_name(code, language=language))
    else:
        parts = [country_name(code, language=language) if code else ""]
    return _join(parts)


def _join(parts: list[str]) -> str:
    shown: list[str] = []
    for part in parts:
        if not part:
            continue
        # "Seoul, Seoul" and "Busan (Gijang County), Busan" say the second part already.
        if shown and _base(part) == _base(shown[0]):
            continue
        shown.append(part)
    return ", ".join(shown)


def _base(name: str) -> str:
    return name.split("(")[0].strip().casefold()


__all__ = [
    "CITY_NAMES_KO",
    "city_name",
    "country_name",
    "korean_short_name",
    "place_label",
    "region_name",
    "region_short_name",
]
