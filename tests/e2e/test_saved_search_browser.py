"""A signed-in user filters the directory, saves the search under a name, finds it on the
saved searches page, renames it and opens it again."""

import pytest
from playwright.sync_api import expect

from directory.models import SavedSearch
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, SectorFactory, UserFactory


@pytest.fixture
def korean_water(transactional_db):
    water = SectorFactory(code="environmental-services", label="Environmental services")
    ActorFactory(
        slug="daegu-water",
        name="Daegu Water Cluster",
        side="kr",
        country="KR",
        city="Daegu",
        kind="cluster-agency",
        sectors=[water],
    )
    ActorFactory(slug="pole-eau", name="Pôle Eau", country="FR", sectors=[water])
    ActorFactory(slug="gumi", name="Gumi Electronics", side="kr", country="KR")
    return UserFactory(username="searcher")


def test_save_a_search_see_it_listed_and_rename_it(live_server, page, korean_water):
    page.goto(live_server.url + "/accounts/login/?next=/actors/")
    log_in(page, "searcher")
    page.select_option("#id_side", "kr")
    page.select_option("#id_sector", "environmental-services")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#result-total")).to_have_text("1")

    # The name is suggested from the filters; the user types their own.
    name = page.locator("#save-search-name")
    expect(name).to_have_value("Korea, Environmental services")
    name.fill("Korean water")
    screenshot(page, "directory-save-search")
    page.get_by_role("button", name="Save this search").click()
    expect(page.locator(".message.success")).to_contain_text("Search saved as “Korean water”")
    expect(page.locator("#result-total")).to_have_text("1")  # still on the same search

    page.get_by_role("link", name="Your saved searches").click()
    expect(page.locator("h1")).to_have_text("Saved searches")
    card = page.locator("li.saved-search")
    expect(card).to_have_count(1)
    expect(card.locator("h3")).to_have_text("Korean water")
    expect(card).to_contain_text("Sector: Environmental services")
    expect(card).to_contain_text("alert on")

    card.get_by_label("Name").fill("Water partners in Korea")
    card.get_by_role("button", name="Rename").click()
    expect(page.locator(".message.success")).to_contain_text(
        "“Korean water” renamed to “Water partners in Korea”."
    )
    expect(page.locator("li.saved-search h3")).to_have_text("Water partners in Korea")
    screenshot(page, "saved-searches")
    assert list(SavedSearch.objects.values_list("name", "query")) == [
        ("Water partners in Korea", "side=kr&sector=environmental-services")
    ]

    page.locator("li.saved-search").get_by_role("link", name="Open").click()
    expect(page.locator("#result-total")).to_have_text("1")
    expect(page.locator(".results")).to_contain_text("Daegu Water Cluster")
