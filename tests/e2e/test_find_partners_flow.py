"""A manager logs in, ranks partners, sets one aside and restores it, looks for more like the
best one, shortlists two with a note and downloads the shortlist."""

import csv
import io
import re

from playwright.sync_api import expect

from matching.models import ShortlistEntry
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, InterestFactory, SectorFactory, UserFactory


def test_find_partners_to_shortlist_export(live_server, page, transactional_db, settings):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    water = SectorFactory(code="environmental-services", label="Environmental services")
    market = InterestFactory(code="market-access", label="Market access and export")
    lyon = ActorFactory(
        slug="lyonbiopole",
        name="Lyonbiopole",
        city="Lyon",
        sectors=[bio],
        seeks=[market],
        description="Lyon health cluster for vaccines, diagnostics and infectious diseases.",
    )
    ActorFactory(
        slug="chuncheon",
        name="Chuncheon Bioindustry Foundation",
        side="kr",
        country="KR",
        kind="foundation",
        sectors=[bio],
        offers=[market],
        description="Gangwon foundation supporting vaccines and diagnostics companies.",
    )
    ActorFactory(
        slug="osong",
        name="Osong Bio Park",
        side="kr",
        country="KR",
        kind="industrial-complex",
        sectors=[bio],
        description="Bio-health science park with vaccine plants.",
    )
    ActorFactory(
        slug="daegu-water",
        name="Daegu Water Cluster",
        side="kr",
        country="KR",
        kind="cluster-agency",
        sectors=[water],
        description="Water technopole and membranes.",
    )
    manager = UserFactory(username="manager.lyon")
    lyon.managers.add(manager)

    page.goto(live_server.url + "/accounts/login/?next=/partners/")
    log_in(page, "manager.lyon")

    expect(page.locator("h1")).to_have_text("Partners for Lyonbiopole")
    cards = page.locator("li.match")
    expect(cards.first).to_have_attribute("data-slug", "chuncheon")
    expect(cards.first.locator(".why")).to_contain_text(
        "They offer market access and export, which you seek."
    )
    expect(cards.first.locator(".why")).to_contain_text("vaccines")
    cards.first.locator(".figures summary").click()
    expect(cards.first.locator(".figures-table")).to_be_visible()
    expect(cards.first.locator(".figures-table")).to_contain_text("of 100")
    # Each score has its band, and the legend says what the bands mean.
    expect(cards.first.locator(".score .band")).to_have_text(
        re.compile(r"^(strong|good|possible|long shot)$")
    )
    legend = page.locator("details.band-legend")
    expect(legend.locator("li")).to_have_count(4)
    expect(legend.locator("li").first).not_to_be_visible()
    legend.locator("summary").click()
    expect(legend).to_contain_text(
        "27 or more: as high as the better half of documented partnerships"
    )
    screenshot(page, "find-partners")

    page.select_option("#id_kind", "industrial-complex")
    page.get_by_role("button", name="Rank again").click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_attribute("data-slug", "osong")
    page.get_by_role("link", name="Reset").click()
    expect(cards).to_have_count(3)
    order = [cards.nth(i).get_attribute("data-slug") for i in range(3)]

    # Set one aside: it leaves the ranking until someone restores it from the Set aside page.
    osong = page.locator('li.match[data-slug="osong"]')
    expect(osong.locator("form.mark-form")).not_to_be_visible()
    osong.locator("summary", has_text="Set aside").click()
    osong.get_by_label("Already in contact").check()
    osong.get_by_label("Reason").fill("Visited their vaccine plant in March")
    osong.locator("form.mark-form").get_by_role("button", name="Set aside").click()
    expect(page.locator(".message.success")).to_contain_text(
        "Osong Bio Park set aside as already in contact"
    )
    expect(cards).to_have_count(2)
    expect(page.locator('li.match[data-slug="osong"]')).to_have_count(0)
    page.get_by_role("link", name="Set aside (1)").click()
    entry = page.locator('li.set-aside-entry[data-slug="osong"]')
    expect(entry).to_contain_text("already in contact")
    expect(entry).to_contain_text("manager.lyon")
    expect(entry).to_contain_text("Visited their vaccine plant in March")
    screenshot(page, "set-aside")
    entry.get_by_role("button", name="Restore").click()
    expect(page.locator(".message.success")).to_contain_text(
        "Osong Bio Park is back in the ranking."
    )
    expect(page.locator("li.set-aside-entry")).to_have_count(0)
    page.locator("nav.crumbs").get_by_role("link", name="Find partners").click()
    expect(cards).to_have_count(3)
    assert [cards.nth(i).get_attribute("data-slug") for i in range(3)] == order

    # More like the best one: the other vaccine actor comes first, with its own score.
    cards.first.get_by_role("link", name="More like this").click()
    expect(page.locator("h1")).to_have_text("More like Chuncheon Bioindustry Foundation")
    expect(cards.first).to_have_attribute("data-slug", "osong")
    expect(cards.first.locator(".why")).to_contain_text("Close to Chuncheon Bioindustry Foundation")
    expect(cards.first.locator(".score .band")).to_have_text(
        re.compile(r"^(strong|good|possible|long shot)$")
    )
    screenshot(page, "more-like-this")
    page.locator("nav.crumbs").get_by_role("link", name="Find partners").click()
    expect(cards).to_have_count(3)

    cards.first.get_by_role("button", name="Add to shortlist").click()
    expect(page.locator(".message.success")).to_contain_text("is on your shortlist")
    expect(page.locator("li.match").first.locator(".on-shortlist")).to_be_visible()
    page.locator('li.match[data-slug="osong"]').get_by_role(
        "button", name="Add to shortlist"
    ).click()

    page.get_by_role("link", name="Your shortlist").click()
    entry = page.locator('li.shortlist-entry[data-slug="chuncheon"]')
    entry.locator("textarea").fill("Met at BIO Korea; propose a visit in May")
    entry.get_by_role("button", name="Add note").click()
    expect(page.locator(".message.success")).to_contain_text("Note on Chuncheon")
    expect(entry.locator(".shortlist-note")).to_contain_text("propose a visit in May")
    entry.get_by_label("Status").select_option("contacted")
    entry.get_by_role("button", name="Set status").click()
    expect(page.locator(".message.success")).to_contain_text("now “contacted”")
    expect(entry.locator(".shortlist-status")).to_have_text("contacted")
    page.locator('li.shortlist-entry[data-slug="osong"]').get_by_role(
        "button", name="Remove"
    ).click()
    expect(page.locator("li.shortlist-entry")).to_have_count(1)
    screenshot(page, "shortlist")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    path = download_info.value.path()
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(io.StringIO(fh.read())))
    assert rows[0][:2] == ["name", "slug"]
    assert [(r[1], r[6]) for r in rows[1:]] == [("chuncheon", "contacted")]
    assert rows[1][7].endswith(": Met at BIO Korea; propose a visit in May")
    assert ShortlistEntry.objects.get().candidate.slug == "chuncheon"
