"""The directory's actor cards (drawn by Jinja2, directory/jinja2/directory/actor_cards.html):
what each card says, in the reader's language, with every profile value escaped."""

import re

import pytest

from tests.factories import ActorFactory, RegionFactory, SectorFactory

HOSTILE = '<script>alert("x")</script>'


def card(html: str, slug: str) -> str:
    return re.search(rf'<li class="card actor-card" data-slug="{slug}">.*?</li>', html, re.S).group(
        0
    )


@pytest.fixture
def cards(db):
    chips = SectorFactory(code="semiconductors", label="Semiconductors", label_ko="반도체")
    gyeongbuk = RegionFactory(
        code="kr-gyeongbuk",
        name="Gyeongsangbuk-do",
        name_ko="경상북도",
        short_name="Gyeongbuk",
        country="KR",
    )
    return {
        "gumi": ActorFactory(
            slug="gumi-chips",
            name="Gumi Chips Mini Cluster",
            name_ko="구미 반도체 미니클러스터",
            side="kr",
            country="KR",
            region=gyeongbuk,
            city="Gumi",
            kind="mini-cluster",
            description="Wafer-level packaging firms around the Gumi complex.",
            description_ko="구미 산업단지의 웨이퍼 패키징 기업 모임.",
            sectors=[chips],
        ),
        "hostile": ActorFactory(
            slug="hostile",
            name=f"Evil {HOSTILE}",
            acronym='"><img src=x onerror=alert(1)>',
            description=f"Text {HOSTILE} " + "word " * 60,
            country="FR",
        ),
    }


def test_a_card_says_what_the_actor_is_where_and_in_which_sectors(client, cards):
    gumi = card(client.get("/actors/").content.decode(), "gumi-chips")
    assert '<a href="/actors/gumi-chips/">Gumi Chips Mini Cluster</a>' in gumi
    assert '<span class="name-alt" lang="ko">구미 반도체 미니클러스터</span>' in gumi
    assert '<span class="badge side-kr">Korea</span>' in gumi
    assert "Mini cluster" in gumi or "Mini Cluster" in gumi
    assert re.search(r"<p class=\"place\">([^<]*)</p>", gumi).group(1) == "Gumi, Gyeongbuk"
    assert '<a class="tag" href="/actors/?sector=semiconductors">Semiconductors</a>' in gumi
    assert "Wafer-level packaging" in gumi


def test_a_korean_page_shows_the_korean_name_and_description_first(client, cards):
    html = client.get("/actors/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    gumi = card(html, "gumi-chips")
    assert '<a href="/actors/gumi-chips/">구미 반도체 미니클러스터</a>' in gumi
    assert '<p class="summary" lang="ko">구미 산업단지의 웨이퍼 패키징 기업 모임.</p>' in gumi
    assert '<p class="place">구미, 경북</p>' in gumi
    assert ">반도체</a>" in gumi
    # An English description on a Korean page says which language it is in.
    assert '<p class="summary" lang="en">Text' in card(html, "hostile")


def test_every_profile_value_is_escaped_and_long_descriptions_are_cut(client, cards):
    hostile = card(client.get("/actors/").content.decode(), "hostile")
    assert "<script>" not in hostile and "<img" not in hostile
    assert "Evil &lt;script&gt;alert(" in hostile
    assert hostile.count("word") < 40 and "…" in hostile


def test_my_organisations_shows_the_managers_cards(client, cards, django_user_model):
    manager = django_user_model.objects.create_user("gumi.manager", password="x-long-password-1")
    cards["gumi"].managers.add(manager)
    cards["hostile"].managers.add(manager)  # with one organisation the page goes straight to it
    client.force_login(manager)
    html = client.get("/my/organisations/").content.decode()
    assert re.findall(r'data-slug="([^"]+)"', html) == ["hostile", "gumi-chips"]
    assert "<script>" not in card(html, "hostile")
