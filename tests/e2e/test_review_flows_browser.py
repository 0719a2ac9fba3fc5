"""Issue 14 reviewed in a real browser: what an organiser's back button does to a form that
takes several organisations at once."""

import datetime as dt

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import EventSession, Participant
from events.setup import event_slots_sync
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, EventFactory, UserFactory

KOREAN = [
    ("busan-marine", "Busan Marine Cluster"),
    ("busan-bio", "Busan Bio Cluster"),
    ("busan-film", "Busan Film Cluster"),
    ("busan-port", "Busan Port Cluster"),
    ("busan-steel", "Busan Steel Cluster"),
    ("busan-fashion", "Busan Fashion Cluster"),
]


def test_back_button_after_add_these_does_not_tick_other_organisations(
    live_server, page, transactional_db, settings
):
    """Tick two organisations, *Add these*, then the back button: the browser restores the
    ticks by position onto a list that no longer holds the two (they take part now), so other
    organisations show ticked, and *Add these* again adds them, accepted at once, although
    nobody chose them. Seen on the demo: "6 added: City of Montpellier, Songdo, ..." after
    "6 added: Daegu water cluster, British Water, ..."."""
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    for slug, name in KOREAN:
        ActorFactory(slug=slug, name=name, side="kr", country="KR", kind="mini-cluster")
    organiser = UserFactory(username="organiser")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    event = EventFactory(name="Busan Cluster Days", slug="busan-days")
    event.organisers.add(organiser)
    EventSession.objects.create(
        event=event, name="Morning", date=dt.date(2026, 11, 24), start=dt.time(9),
        end=dt.time(10),
    )  # fmt: skip
    event_slots_sync(event=event)

    page.goto(f"{live_server.url}/events/busan-days/participants/?q=busan")
    log_in(page, "organiser")
    rows = page.locator("tr.found-row")
    expect(rows).to_have_count(len(KOREAN))
    chosen = [rows.nth(i).get_attribute("data-slug") for i in range(2)]
    for i in range(2):
        rows.nth(i).locator("input[type=checkbox]").check()
    page.get_by_role("button", name="Add these").click()
    expect(page.locator("li.message").first).to_contain_text("2 added")

    page.go_back()
    page.wait_for_load_state()
    ticked = [
        rows.nth(i).get_attribute("data-slug")
        for i in range(rows.count())
        if rows.nth(i).locator("input[type=checkbox]").is_checked()
    ]
    screenshot(page, "attack-bulk-add-after-back")
    # Resubmitting what the page shows must not add anyone the organiser did not choose.
    if ticked:
        page.get_by_role("button", name="Add these").click()
        page.wait_for_load_state()
    added = set(Participant.objects.filter(event=event).values_list("actor__slug", flat=True))
    assert added == set(chosen), f"also added, never chosen: {sorted(added - set(chosen))}"
