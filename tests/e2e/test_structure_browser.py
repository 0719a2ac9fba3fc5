"""The structure in a real browser: open a region, follow a Mini Cluster, read its place."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import ActorFactory, RegionFactory


@pytest.fixture
def korean_tree(transactional_db):
    gyeongbuk = RegionFactory(
        code="kr-gyeongbuk",
        name="Gyeongsangbuk-do (North Gyeongsang)",
        name_ko="경상북도",
        country="KR",
        economic_region="Daegyeong",
    )
    gyeongnam = RegionFactory(
        code="kr-gyeongnam",
        name="Gyeongsangnam-do (South Gyeongsang)",
        name_ko="경상남도",
        country="KR",
        economic_region="Dongnam",
    )
    korean = {"side": "kr", "country": "KR"}
    motie = ActorFactory(
        slug="motie",
        name="Ministry of Trade, Industry and Energy",
        name_ko="산업통상자원부",
        kind="government-body",
        city="Sejong",
        **korean,
    )
    kicox = ActorFactory(
        slug="kicox",
        name="Korea Industrial Complex Corporation",
        name_ko="한국산업단지공단",
        kind="cluster-agency",
        parent=motie,
        city="Daegu",
        **korean,
    )
    gumi = ActorFactory(
        slug="gumi",
        name="Gumi National Industrial Complex",
        name_ko="구미국가산업단지",
        kind="industrial-complex",
        parent=kicox,
        region=gyeongbuk,
        city="Gumi",
        **korean,
    )
    ActorFactory(
        slug="changwon",
        name="Changwon National Industrial Complex",
        name_ko="창원국가산업단지",
        kind="industrial-complex",
        parent=kicox,
        region=gyeongnam,
        city="Changwon",
        **korean,
    )
    for slug, name, name_ko in (
        ("gumi-mobile", "Gumi Mobile Mini Cluster", "구미 모바일 미니클러스터"),
        ("gumi-3d", "Gumi 3D Printing Mini Cluster", "구미 3D프린팅 미니클러스터"),
    ):
        ActorFactory(
            slug=slug,
            name=name,
            name_ko=name_ko,
            kind="mini-cluster",
            parent=gumi,
            region=gyeongbuk,
            city="Gumi",
            **korean,
        )
    eureka = ActorFactory(slug="eureka", name="EUREKA", kind="cluster-network", country="BE")
    ActorFactory(slug="itea", name="ITEA", kind="cluster-network", country="NL", parent=eureka)


def _open_gumi_mobile(page, *, region: str, complex_name: str, mini: str) -> None:
    korea = page.locator("#structure-korea ~ ul.tree").first
    mini_link = page.get_by_role("link", name=mini, exact=True)
    expect(mini_link).to_be_hidden()  # closed until the region and the complex are opened
    korea.locator("summary", has_text=region).click()
    korea.locator("summary", has_text=complex_name).click()
    expect(mini_link).to_be_visible()
    mini_link.click()


def test_a_visitor_opens_a_region_and_follows_a_mini_cluster_to_its_place(
    live_server, page, korean_tree
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="The structure at a glance").click()
    expect(page.locator("h1")).to_have_text("Structure of the directory")
    korea = page.locator("section[aria-labelledby=structure-korea]")
    expect(korea).to_contain_text("2 industrial complexes, 2 Mini Clusters")
    _open_gumi_mobile(
        page,
        region="Gyeongsangbuk-do",
        complex_name="Gumi National Industrial Complex",
        mini="Gumi Mobile Mini Cluster",
    )
    expect(page.locator("h1")).to_contain_text("Gumi Mobile Mini Cluster")
    crumbs = page.get_by_role("navigation", name="Place in the structure").locator("li")
    expect(crumbs).to_have_text(
        [
            "Ministry of Trade, Industry and Energy",
            "Korea Industrial Complex Corporation",
            "Gumi National Industrial Complex",
            "Gumi Mobile Mini Cluster",
        ]
    )
    screenshot(page, "structure-breadcrumb-en")
    page.get_by_role("link", name="Gumi National Industrial Complex", exact=True).first.click()
    expect(page.get_by_role("heading", name="Mini Clusters of this complex (2)")).to_be_visible()
    page.goto(live_server.url + "/directory/structure/")
    page.locator("summary", has_text="Belgium").click()
    expect(page.get_by_role("link", name="ITEA", exact=True)).to_be_visible()
    screenshot(page, "structure-en")


def test_the_structure_reads_in_korean(live_server, page, korean_tree):
    page.goto(live_server.url + "/directory/structure/")
    page.get_by_role("button", name="한국어").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("h1")).to_have_text("디렉터리 구조")
    _open_gumi_mobile(
        page, region="경상북도", complex_name="구미국가산업단지", mini="구미 모바일 미니클러스터"
    )
    crumbs = page.get_by_role("navigation", name="구조 속 위치").locator("li")
    expect(crumbs.first).to_have_text("산업통상자원부")
    expect(crumbs.last).to_have_text("구미 모바일 미니클러스터")
    screenshot(page, "structure-breadcrumb-ko")
    page.goto(live_server.url + "/directory/structure/")
    page.locator("#structure-korea ~ ul.tree summary", has_text="경상북도").first.click()
    screenshot(page, "structure-ko")


def test_the_structure_fits_a_phone(live_server, phone_page, korean_tree):
    phone_page.goto(live_server.url + "/directory/structure/")
    phone_page.locator("summary", has_text="Gyeongsangbuk-do").click()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone_page, "structure-phone")
