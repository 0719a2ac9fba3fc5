"""A visitor filters the directory and opens an actor; a manager logs in and edits their profile."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import Actor
from tests.e2e.conftest import log_in, screenshot
from tests.factories import (
    ActorFactory,
    ContactFactory,
    InterestFactory,
    RegionFactory,
    SectorFactory,
    UserFactory,
)


@pytest.fixture
def live_directory(transactional_db):
    water = SectorFactory(code="environmental-services", label="Environmental services")
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    market = InterestFactory(code="market-access", label="Market access and export")
    daegu = RegionFactory(code="kr-daegu", name="Daegu", country="KR", economic_region="Daegyeong")
    pole = ActorFactory(
        slug="pole-eau",
        name="Pôle Eau",
        country="FR",
        city="Montpellier",
        sectors=[water],
        description="French water cluster working on wastewater treatment, water reuse and "
        "irrigation, with a long-standing interest in Korean water partners.",
        offers=[market],
    )
    ActorFactory(
        slug="biocat",
        name="Biocat",
        country="ES",
        city="Barcelona",
        sectors=[bio],
        description="Catalan life-science cluster.",
    )
    daegu_water = ActorFactory(
        slug="daegu-water-cluster",
        name="Daegu Water Cluster",
        side="kr",
        country="KR",
        region=daegu,
        city="Daegu",
        kind="cluster-agency",
        sectors=[water],
        description="Korean water industry cluster with test beds for membranes and treatment.",
    )
    ActorFactory(
        slug="gumi",
        name="Gumi Electronics Complex",
        side="kr",
        country="KR",
        kind="industrial-complex",
        description="Electronics complex.",
        sectors=[bio],
    )
    ContactFactory(actor=daegu_water, name="Park Fictional", email="park.fictional@example.org")
    manager = UserFactory(username="manager.pole")
    pole.managers.add(manager)
    return {"pole": pole, "manager": manager}


def test_filter_open_login_and_edit(live_server, page, live_directory):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_contain_text("Korean partners")
    page.get_by_role("link", name="Directory", exact=True).first.click()
    expect(page.locator("#result-total")).to_have_text("4")

    page.select_option("#id_side", "kr")
    page.select_option("#id_sector", "environmental-services")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#result-total")).to_have_text("1")
    assert re.search(r"side=kr", page.url) and "sector=environmental-services" in page.url
    screenshot(page, "directory-filtered")

    page.get_by_role("link", name="Daegu Water Cluster").click()
    expect(page.locator("h1")).to_contain_text("Daegu Water Cluster")
    expect(page.locator(".contacts")).to_contain_text("shown to logged-in members only")
    expect(page.locator("body")).not_to_contain_text("park.fictional@example.org")
    screenshot(page, "actor-anonymous")

    page.get_by_role("link", name="Log in to see contacts").click()
    log_in(page, "manager.pole")
    expect(page.locator("h1")).to_contain_text("Daegu Water Cluster")
    expect(page.locator(".contacts")).to_contain_text("park.fictional@example.org")
    expect(page.get_by_role("link", name="Edit profile")).to_have_count(0)

    page.get_by_role("link", name="My organisation").click()
    expect(page.locator("h1")).to_contain_text("Pôle Eau")
    page.get_by_role("link", name="Edit profile").click()
    new_text = (
        "Pôle Eau is the French water cluster in Montpellier. It seeks Korean partners for "
        "smart water networks, desalination and water reuse projects, and joint delegation visits."
    )
    page.fill("#id_description", new_text)
    page.fill("#id_keywords", "water reuse; desalination; smart networks")
    page.check("text=Market access and export >> nth=1")  # the "seeks" list
    screenshot(page, "actor-edit")
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator(".message.success")).to_contain_text("Profile of Pôle Eau saved.")
    expect(page.locator(".description")).to_contain_text("desalination and water reuse projects")
    pole = Actor.objects.get(slug="pole-eau")
    assert pole.description == new_text
    assert pole.keywords == "water reuse; desalination; smart networks"
    assert list(pole.seeks.values_list("code", flat=True)) == ["market-access"]


def test_edit_errors_are_shown_next_to_the_field(live_server, page, live_directory):
    page.goto(live_server.url + "/accounts/login/?next=/actors/pole-eau/edit/")
    log_in(page, "manager.pole")
    page.fill("#id_description", "Too short.")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".field-description .error")).to_contain_text("at least 20 words")
    assert Actor.objects.get(slug="pole-eau").description.startswith("French water cluster")


def test_directory_is_usable_on_a_phone(live_server, phone_page, live_directory):
    phone_page.goto(live_server.url + "/actors/?side=eu")
    expect(phone_page.locator("#result-total")).to_have_text("2")
    # The menu folds behind a toggle on narrow screens.
    expect(phone_page.get_by_role("navigation", name="Main")).to_be_hidden()
    phone_page.click("label[for=nav-toggle]")
    expect(phone_page.get_by_role("navigation", name="Main")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    screenshot(phone_page, "directory-phone")


def test_a_search_keeps_its_order_when_a_filter_is_added(live_server, page, live_directory):
    page.goto(live_server.url + "/actors/")
    expect(page.locator("#id_sort")).to_have_value("")
    page.fill("#id_q", "water")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#result-total")).to_have_text("2")
    # Sent as "best match": a search is ordered by relevance, not switched to names.
    assert "sort=&" in page.url or page.url.endswith("sort=")
    expect(page.locator("#id_sort")).to_have_value("")

    page.select_option("#id_side", "kr")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#result-total")).to_have_text("1")
    assert "q=water" in page.url and "side=kr" in page.url
    expect(page.locator("#id_sort")).to_have_value("")
    page.select_option("#id_sort", "-name")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#id_sort")).to_have_value("-name")
