"""The directory on a map in a real browser: markers from the vendored files, a filter changes
them, a popup names the actor and links to it; an actor page shows its own small map."""

from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import ActorFactory, RegionFactory, SectorFactory

SEOUL = (Decimal("37.56650"), Decimal("126.97800"))


@pytest.fixture
def mapped_directory(transactional_db):
    water = SectorFactory(code="environmental-services", label="Environmental services")
    chips = SectorFactory(code="semiconductors", label="Semiconductors", group="korea")
    daegu = RegionFactory(code="kr-daegu", name="Daegu", name_ko="대구광역시", country="KR")
    gyeongbuk = RegionFactory(
        code="kr-gyeongbuk", name="Gyeongsangbuk-do (North Gyeongsang)", name_ko="경상북도",
        short_name="Gyeongbuk", country="KR",
    )  # fmt: skip
    seoul = RegionFactory(code="kr-seoul", name="Seoul", name_ko="서울특별시", country="KR")
    ActorFactory(
        slug="pole-eau", name="Pôle Eau", country="FR", city="Montpellier", sectors=[water],
        latitude=Decimal("43.61090"), longitude=Decimal("3.87720"),
    )  # fmt: skip
    ActorFactory(
        slug="biocat", name="Biocat", country="ES", city="Barcelona",
        latitude=Decimal("41.38740"), longitude=Decimal("2.16860"),
    )  # fmt: skip
    ActorFactory(
        slug="daegu-water", name="Daegu Water Cluster", name_ko="대구 물산업 클러스터",
        side="kr", country="KR", region=daegu, city="Daegu", kind="cluster-agency",
        sectors=[water], latitude=Decimal("35.87140"), longitude=Decimal("128.60140"),
    )  # fmt: skip
    ActorFactory(
        slug="gumi", name="Gumi National Industrial Complex", side="kr", country="KR",
        region=gyeongbuk, city="Gumi", kind="industrial-complex", sectors=[chips],
        latitude=Decimal("36.11953"), longitude=Decimal("128.34450"),
    )  # fmt: skip
    # A parent far enough away to be seen apart at an actor page's zoom.
    ministry = ActorFactory(
        slug="ministry", name="Ministry of Test Industry", side="kr", country="KR",
        city="Sejong", kind="government-body",
        latitude=Decimal("36.48000"), longitude=Decimal("127.29000"),
    )  # fmt: skip
    ActorFactory(
        slug="gumi-mobile", name="Gumi Mobile Mini Cluster", side="kr", country="KR",
        region=gyeongbuk, city="Gumi", kind="mini-cluster", sectors=[chips], parent=ministry,
        latitude=Decimal("36.10000"), longitude=Decimal("128.38000"),
    )  # fmt: skip
    # A dozen Seoul actors at one point: drawn as one cluster.
    for n in range(12):
        ActorFactory(
            slug=f"seoul-{n}", name=f"Seoul Digital Actor {n}", side="kr", country="KR",
            region=seoul, city="Seoul", kind="company", sectors=[chips],
            latitude=SEOUL[0], longitude=SEOUL[1],
        )  # fmt: skip
    ActorFactory(slug="nowhere", name="Unplaced Cluster", side="kr", country="KR", kind="company")
    ActorFactory(
        slug="hidden-draft", name="Hidden Draft", status="draft", side="kr", country="KR",
        latitude=Decimal("37.0"), longitude=Decimal("127.0"),
    )  # fmt: skip


def watch(page) -> dict[str, list[str]]:
    """Collect what would mean a broken map: failed requests and console errors."""
    seen: dict[str, list[str]] = {"failed": [], "errors": []}
    page.on(
        "response",
        lambda r: seen["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )

    def failed(request) -> None:
        # The browser cancels the favicon's request when the page moves on (a filter submitted
        # before it arrived): that is no part of the map.
        if request.url.endswith("/favicon.svg") and "ERR_ABORTED" in (request.failure or ""):
            return
        seen["failed"].append(f"failed {request.url} ({request.failure})")

    page.on("requestfailed", failed)
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    return seen


def map_ready(page, selector: str) -> None:
    expect(page.locator(f"{selector}[data-state=ready]")).to_have_count(1)
    expect(page.locator(f"{selector}[data-boundaries=drawn]")).to_have_count(1)


def test_the_directory_map_draws_the_filtered_actors(live_server, page, mapped_directory):
    seen = watch(page)
    page.goto(f"{live_server.url}/actors/?side=kr")
    page.click("#show-map")
    assert page.url.endswith("/map/?side=kr")
    map_ready(page, "#directory-map")
    directory_map = page.locator("#directory-map")
    # 16 located Korean actors (the draft and the unplaced one are not drawn): the Seoul dozen
    # as one cluster icon, the rest as markers or small clusters.
    expect(directory_map).to_have_attribute("data-markers", "16")
    expect(page.locator("#map-unlocated")).to_contain_text("1 organisation has no location")
    clusters = directory_map.locator(".marker-cluster")
    assert clusters.count() >= 1
    assert any(clusters.nth(i).inner_text() == "12" for i in range(clusters.count()))
    screenshot(page, "map-directory-kr")

    # Applying a filter in the form changes the markers.
    page.select_option("#id_sector", "environmental-services")
    page.get_by_role("button", name="Apply").click()
    map_ready(page, "#directory-map")
    expect(directory_map).to_have_attribute("data-markers", "1")
    assert "side=kr" in page.url and "sector=environmental-services" in page.url

    # Its one marker opens a popup with the name, the Korean name, the kind and the place.
    directory_map.locator("img.leaflet-marker-icon[alt='Daegu Water Cluster']").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Daegu Water Cluster")
    expect(popup).to_contain_text("대구 물산업 클러스터")
    expect(popup).to_contain_text("Cluster agency")
    expect(popup.locator("a")).to_have_attribute("href", "/actors/daegu-water/")
    screenshot(page, "map-directory-popup")
    popup.locator("a").click()
    expect(page.locator("h1")).to_contain_text("Daegu Water Cluster")

    # Both sides: every located published actor.
    page.goto(f"{live_server.url}/map/")
    map_ready(page, "#directory-map")
    expect(directory_map).to_have_attribute("data-markers", "18")
    screenshot(page, "map-directory-all")
    assert seen == {"failed": [], "errors": []}


def test_an_actor_page_shows_its_map_and_its_parent(live_server, page, mapped_directory):
    seen = watch(page)
    page.goto(f"{live_server.url}/actors/gumi-mobile/")
    map_ready(page, "#actor-map")
    expect(page.locator(".place-label")).to_have_text("Gumi, Gyeongbuk")
    actor_map = page.locator("#actor-map")
    expect(actor_map.locator("img.leaflet-marker-icon")).to_have_attribute(
        "alt", "Gumi Mobile Mini Cluster"
    )
    # The parent is a circle on the map; its popup links to it.
    actor_map.locator("path.leaflet-interactive").click()
    expect(page.locator(".leaflet-popup-content a")).to_have_attribute("href", "/actors/ministry/")
    # The boundaries are drawn on a canvas of a real size (the sea is the container).
    box = actor_map.locator("canvas").bounding_box()
    assert box["width"] > 200 and box["height"] > 150
    screenshot(page, "map-actor")
    assert seen == {"failed": [], "errors": []}


def test_the_map_in_korean(live_server, page, mapped_directory):
    seen = watch(page)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ko", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/map/?side=kr")
    map_ready(page, "#directory-map")
    expect(page.locator("h1")).to_have_text("디렉터리 지도")
    screenshot(page, "map-directory-kr-ko")
    page.goto(f"{live_server.url}/map/?sector=environmental-services")
    map_ready(page, "#directory-map")
    # Leaflet's own controls take the page's words.
    zoom_in = page.locator(".leaflet-control-zoom-in")
    assert zoom_in.get_attribute("title") not in ("Zoom in", "", None)
    page.locator("img.leaflet-marker-icon[alt='Daegu Water Cluster']").click()
    popup = page.locator(".leaflet-popup-content")
    # In Korean the Korean name leads, and the place is Korean.
    expect(popup.locator("a")).to_have_text("대구 물산업 클러스터")
    expect(popup).to_contain_text("대구")
    screenshot(page, "map-directory-popup-ko")
    page.goto(f"{live_server.url}/actors/gumi/")
    map_ready(page, "#actor-map")
    expect(page.locator(".place-label")).to_have_text("구미, 경북")
    screenshot(page, "map-actor-ko")
    assert seen == {"failed": [], "errors": []}
