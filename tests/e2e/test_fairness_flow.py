"""An organiser opens the demo event: the dashboard shows how meetings spread over the
participants and who has fewest and why; the schedule page says it in words."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from events.demo import DEMO_EVENT_SLUG
from tests.e2e.conftest import log_in, screenshot
from tests.factories import TEST_PASSWORD


def test_the_demo_dashboard_and_schedule_speak_of_fairness(live_server, page, transactional_db):
    call_command("load_demo")
    call_command("load_demo_event")
    organiser = get_user_model().objects.get(username="organiser")
    organiser.set_password(TEST_PASSWORD)
    organiser.save()

    page.goto(f"{live_server.url}/events/{DEMO_EVENT_SLUG}/")
    log_in(page, "organiser")
    spread = page.locator("table.meeting-spread")
    expect(spread).to_be_visible()
    # Nobody is left with no meeting or fewer than the three asked for.
    expect(spread.locator("tbody tr").first).to_contain_text("0")
    expect(page.locator(".run-sentences")).to_contain_text(
        "Every participant has at least 3 meetings."
    )
    expect(page.get_by_text("Every accepted participant has at least 3 meetings.")).to_be_visible()
    screenshot(page, "fairness-dashboard")

    page.get_by_role("link", name="Schedule").first.click()
    summary = page.locator("p.run-summary")
    expect(summary).to_contain_text("Every participant has at least 3 meetings.")
    expect(summary).to_contain_text("best possible total fit for this fairness level")
    assert "bound" not in summary.inner_text() and "value" not in summary.inner_text()
    screenshot(page, "fairness-schedule")

    # Ask for six meetings each (the most anyone may have): some cannot, and the dashboard
    # says who and what limits them.
    from events.models import Event
    from events.schedule import schedule_generate, schedule_unpublish

    event = Event.objects.get(slug=DEMO_EVENT_SLUG)
    event.min_meetings = 6
    event.save(update_fields=["min_meetings"])
    schedule_unpublish(event=event)
    schedule_generate(event=event)
    page.goto(f"{live_server.url}/events/{DEMO_EVENT_SLUG}/")
    fewest = page.locator("table.fewest-meetings")
    expect(fewest).to_be_visible()
    expect(fewest).to_contain_text("possible partners")
    screenshot(page, "fairness-dashboard-fewest")
