"""A manager removes a shortlisted candidate on which a colleague wrote a note: the browser
shows the note, its author and date before anything is deleted."""

import datetime as dt

from playwright.sync_api import expect

from matching.models import ShortlistEntry, ShortlistNote
from matching.shortlists import shortlist_add
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, UserFactory


def test_removing_a_colleagues_note_is_confirmed_first(live_server, page, transactional_db):
    lyon = ActorFactory(slug="lyonbiopole", name="Lyonbiopole", city="Lyon")
    chuncheon = ActorFactory(
        slug="chuncheon",
        name="Chuncheon Bioindustry Foundation",
        side="kr",
        country="KR",
        kind="foundation",
    )
    osong = ActorFactory(slug="osong", name="Osong Bio Park", side="kr", country="KR")
    anna = UserFactory(username="anna", first_name="Anna", last_name="Meyer")
    bob = UserFactory(username="bob", first_name="Bob", last_name="Lenoir")
    lyon.managers.add(anna, bob)
    shortlist_add(actor=lyon, candidate=chuncheon, by=anna, note="Met their director in Seoul")
    ShortlistNote.objects.update(written_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC))
    shortlist_add(actor=lyon, candidate=osong, by=bob, note="My own idea")

    page.goto(live_server.url + "/accounts/login/?next=/partners/lyonbiopole/shortlist/")
    log_in(page, "bob")
    # Bob's own entry goes in one click.
    page.locator('[data-slug="osong"]').get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Osong Bio Park removed from the shortlist")).to_be_visible()

    # Anna's note: a page says what would be lost, and nothing is gone yet.
    page.locator('[data-slug="chuncheon"]').get_by_role("button", name="Remove").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Remove Chuncheon Bioindustry Foundation from the shortlist?"
    )
    expect(page.locator(".lost-notes")).to_contain_text(
        "Anna Meyer, 2 Mar 2026: Met their director in Seoul"
    )
    screenshot(page, "shortlist-remove-confirm")
    assert ShortlistEntry.objects.filter(candidate=chuncheon).exists()

    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shortlist for Lyonbiopole")
    page.locator('[data-slug="chuncheon"]').get_by_role("button", name="Remove").click()
    page.get_by_role("button", name="Remove it, with these notes").click()
    expect(page.get_by_text("Chuncheon Bioindustry Foundation removed")).to_be_visible()
    assert not ShortlistEntry.objects.exists() and not ShortlistNote.objects.exists()
