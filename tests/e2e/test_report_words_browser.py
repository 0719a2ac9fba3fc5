"""An organiser on the demo event raises the lowest fit after publication, reads the
dashboard, the Pairs page in words, and excludes a pair that still has a meeting: the page
says the meeting is still there and leads to its cancel confirmation."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from events.demo import DEMO_EVENT_SLUG
from events.models import Event, Meeting
from tests.e2e.conftest import log_in, screenshot
from tests.factories import TEST_PASSWORD


def test_the_organiser_pages_speak_of_the_schedule_as_it_stands(
    live_server, page, transactional_db
):
    call_command("load_demo")
    call_command("load_demo_event")
    organiser = get_user_model().objects.get(username="organiser")
    organiser.set_password(TEST_PASSWORD)
    organiser.save()
    event = Event.objects.get(slug=DEMO_EVENT_SLUG)
    Event.objects.filter(pk=event.pk).update(min_fit=99, min_meetings=6)

    page.goto(f"{live_server.url}/events/{DEMO_EVENT_SLUG}/")
    log_in(page, "organiser")
    expect(page.locator("table.meeting-spread")).to_be_visible()
    rows = page.locator("table.fewest-meetings tbody tr").all()
    assert rows
    for row in rows:
        has = int(row.locator("td").nth(1).inner_text())
        said = row.locator("td").nth(2).inner_text()
        for n in range(has):
            assert f"allows at most {n} meeting" not in said, said
    screenshot(page, "report-words-dashboard")

    page.goto(f"{live_server.url}/events/{DEMO_EVENT_SLUG}/pairs/")
    table = page.locator("table.pairs-table")
    expect(table).to_be_visible()
    assert "." not in "".join(table.locator("tbody td:nth-child(6)").all_inner_texts())
    expect(table).to_contain_text("not proposed: below the lowest fit")
    screenshot(page, "report-words-pairs")

    meeting = (
        Meeting.objects.filter(event=event)
        .select_related("eu__actor", "kr__actor")
        .order_by("slot__starts_at", "table")
        .first()
    )
    form = page.locator("form[action$='/exclusions/add/']")
    form.locator("select[name=eu]").select_option(str(meeting.eu_id))
    form.locator("select[name=kr]").select_option(str(meeting.kr_id))
    form.locator("input[name=reason]").fill("same group")
    form.get_by_role("button", name="Exclude this pair").click()
    expect(page.locator(".messages")).to_contain_text("still have a meeting")
    expect(page.locator(".messages")).not_to_contain_text("will never be scheduled")
    screenshot(page, "report-words-exclusion")
    page.get_by_role("link", name="cancel the meeting…").click()
    expect(page.get_by_role("heading", name="Cancel this meeting?")).to_be_visible()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
