"""The statistics page in a real browser: charts drawn, no script errors, English and Korean."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import ActorFactory, RegionFactory, SectorFactory


@pytest.fixture
def directory(transactional_db):
    cache.clear()  # the figures of an earlier test's database at the same revision number
    bio = SectorFactory(
        code="biopharmaceuticals", label="Biopharmaceuticals", label_ko="바이오의약품"
    )
    water = SectorFactory(code="water", label="Environmental services")
    gangwon = RegionFactory(code="gangwon", name="Gangwon", name_ko="강원특별자치도", country="KR")
    for i in range(4):
        ActorFactory(slug=f"eu-bio-{i}", sectors=[bio] if i % 2 else [bio, water])
    for i in range(6):
        ActorFactory(
            slug=f"kr-{i}", side="kr", country="KR", kind="mini-cluster", region=gangwon,
            sectors=[bio] if i < 5 else [water],
        )  # fmt: skip
    yield
    cache.clear()


def test_the_statistics_page_draws_its_charts_in_english_and_korean(live_server, page, directory):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Statistics").click()
    expect(page.locator("h1")).to_have_text("Statistics")
    sectors = page.locator("#sectors")
    chart = sectors.get_by_role("img", name="Actors by sector")
    expect(chart).to_be_visible()
    # Two sectors, two sides: four bars, and the table beside them.
    expect(sectors.locator("svg rect.bar")).to_have_count(4)
    expect(sectors.get_by_role("row", name="Biopharmaceuticals 4 5")).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 40
    screenshot(page, "insights-en")

    page.get_by_role("button", name="한국어").click()
    expect(page.locator("h1")).to_have_text("통계")
    expect(page.locator("#sectors").get_by_role("img", name="분야별 기관")).to_be_visible()
    expect(page.locator("#sectors").get_by_role("row", name="바이오의약품 4 5")).to_be_visible()
    expect(page.locator("#regions-kr").get_by_role("row", name="강원특별자치도 6")).to_be_visible()
    screenshot(page, "insights-ko")
    assert errors == []
