"""Find partners opens on ten rows; "Show more" brings the next ones with the same settings."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, SectorFactory, UserFactory


def test_show_more_keeps_the_settings_and_ends_when_all_are_shown(
    live_server, page, transactional_db, settings
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    water = SectorFactory(code="environmental-services", label="Environmental services")
    lyon = ActorFactory(
        slug="pole-eau", name="Pôle Eau", sectors=[water],
        description="Water cluster: membranes, desalination and water reuse.",
    )  # fmt: skip
    for n in range(12):
        ActorFactory(
            slug=f"kr-water-{n:02d}", name=f"Korean Water Actor {n:02d}", side="kr",
            country="KR", kind="cluster-agency" if n % 2 else "foundation", sectors=[water],
            description=f"Water reuse and membranes, desalination plant number {n}.",
        )  # fmt: skip
    manager = UserFactory(username="manager.eau")
    lyon.managers.add(manager)
    page.goto(live_server.url + "/accounts/login/?next=/partners/pole-eau/")
    log_in(page, "manager.eau")

    cards = page.locator("li.match")
    expect(cards).to_have_count(10)
    first_ten = [cards.nth(i).get_attribute("data-slug") for i in range(10)]
    more = page.get_by_role("link", name="Show more")
    expect(more).to_be_visible()
    screenshot(page, "show-more")
    more.click()
    expect(cards).to_have_count(12)
    assert [cards.nth(i).get_attribute("data-slug") for i in range(10)] == first_ten
    expect(page.locator("#id_top")).to_have_value("20")
    expect(page.get_by_role("link", name="Show more")).to_have_count(0)

    # With a filter: six foundations, fewer than ten, so nothing more to show.
    page.select_option("#id_kind", "foundation")
    page.select_option("#id_top", "10")
    page.get_by_role("button", name="Rank again").click()
    expect(cards).to_have_count(6)
    expect(page.get_by_role("link", name="Show more")).to_have_count(0)
