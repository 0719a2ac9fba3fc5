"""A manager makes a private calendar address on the agenda page, a calendar program reads it
without logging in, and the manager revokes it; the agenda shows video links and a running-late
notice."""

from icalendar import Calendar
from playwright.sync_api import expect

from events.models import Meeting, Participant
from events.schedule import schedule_generate, schedule_publish
from tests.e2e.conftest import log_in, screenshot


def test_private_calendar_address_created_read_and_revoked(live_server, page, fair, settings):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    event = fair.event
    event.online = True
    event.video_link = "https://meet.example.org/seoul-days/{meeting}"
    event.save()
    schedule_generate(event=event)
    schedule_publish(event=event)
    late = Meeting.objects.filter(eu=fair.lyon).select_related("kr__actor").first()
    late.late_minutes = 10
    late.save()

    page.goto(f"{live_server.url}/events/{event.slug}/participants/{fair.lyon.pk}/agenda/")
    log_in(page, fair.manager.username)
    agenda = page.locator("table.agenda")
    expect(agenda).to_contain_text(late.kr.actor.name)
    expect(page.locator(f"#meeting-{late.pk} .late-notice")).to_contain_text(
        "about 10 minutes late"
    )
    links = page.locator("a.video-link")
    expect(links).to_have_count(Meeting.objects.filter(eu=fair.lyon).count())
    assert links.first.get_attribute("href").startswith("https://meet.example.org/seoul-days/")
    screenshot(page, "agenda-video-and-late")

    # Create the address: it shows, ready to copy.
    page.get_by_role("button", name="Create a private calendar address").click()
    expect(page.locator(".message")).to_contain_text("Private calendar address created")
    address = page.locator("#calendar-url").input_value()
    token = Participant.objects.get(pk=fair.lyon.pk).calendar_token
    assert address.startswith(live_server.url) and address.endswith(f"/{token}.ics")
    screenshot(page, "agenda-calendar-address")

    # A calendar program reads it (the page's request context; the feed needs no login).
    feed = page.request.get(address)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "private" in feed.headers["cache-control"]
    entries = Calendar.from_ical(feed.body()).walk("VEVENT")
    summaries = {str(e["summary"]) for e in entries}
    assert f"Meeting with {late.kr.actor.name}" in summaries
    assert all(str(e["url"]).startswith("https://meet.example.org/seoul-days/") for e in entries)

    # Revoke: a confirmation page first, then the address no longer answers.
    page.get_by_role("button", name="Revoke the address…").click()
    expect(page.locator("h1")).to_contain_text("Revoke the private calendar address?")
    screenshot(page, "agenda-calendar-revoke-confirm")
    page.get_by_role("button", name="Revoke the address").click()
    expect(page.locator(".message")).to_contain_text("Calendar address revoked")
    expect(page.get_by_role("button", name="Create a private calendar address")).to_be_visible()
    assert page.request.get(address).status == 404
    assert Participant.objects.get(pk=fair.lyon.pk).calendar_token is None
    screenshot(page, "agenda-after-revoke")
