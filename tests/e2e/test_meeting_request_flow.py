"""A European manager asks a Korean participant for a meeting with a message; the Korean
manager accepts with a reply; the organiser's request list shows it accepted."""

import datetime as dt

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import EventSession, MeetingRequest
from events.participants import participant_add
from events.setup import event_slots_sync
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, EventFactory, SectorFactory, UserFactory


def test_a_request_is_sent_accepted_and_seen_by_the_organiser(
    live_server, page, transactional_db, settings
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    lyon = ActorFactory(
        slug="lyonbiopole", name="Lyonbiopole", sectors=[bio],
        description="Lyon health cluster for vaccines, diagnostics and infectious diseases.",
    )  # fmt: skip
    chuncheon = ActorFactory(
        slug="chuncheon", name="Chuncheon Bioindustry Foundation", side="kr", country="KR",
        kind="foundation", sectors=[bio],
        description="Gangwon foundation supporting vaccines and diagnostics companies.",
    )  # fmt: skip
    daegu = ActorFactory(
        slug="daegu-water", name="Daegu Water Cluster", side="kr", country="KR",
        kind="cluster-agency", description="Daegu water technopole with membranes test beds.",
    )  # fmt: skip
    organiser = UserFactory(username="organiser")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    lyon.managers.add(UserFactory(username="lyon.manager"))
    chuncheon.managers.add(UserFactory(username="chuncheon.manager"))
    event = EventFactory(
        name="Seoul Cluster Days", slug="seoul-days", starts_on=dt.date(2027, 11, 24)
    )
    event.organisers.add(organiser)
    EventSession.objects.create(
        event=event, name="Morning", date=dt.date(2027, 11, 24), start=dt.time(9), end=dt.time(10)
    )
    event_slots_sync(event=event)
    lyon_p = participant_add(event=event, actor=lyon)
    chuncheon_p = participant_add(event=event, actor=chuncheon)
    participant_add(event=event, actor=daegu)

    # Lyon's manager asks from the "who to meet" list of the participant page.
    page.goto(f"{live_server.url}/events/seoul-days/participants/{lyon_p.pk}/")
    log_in(page, "lyon.manager")
    card = page.locator(".counterpart[data-slug='chuncheon']")
    card.get_by_role("link", name="Ask for a meeting").click()
    expect(page.locator("#id_receiver")).to_have_value(str(chuncheon_p.pk))
    page.fill("#id_message", "We would like to discuss joint vaccine trials in Gangwon.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".message")).to_contain_text(
        "Your request was sent to Chuncheon Bioindustry Foundation"
    )
    expect(page.locator(".requests-sent .request")).to_contain_text("waiting for an answer")
    screenshot(page, "meeting-request-sent")
    page.get_by_role("button", name="Log out").click()

    # Chuncheon's manager sees it on the participant page and accepts it with a reply.
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, "chuncheon.manager")
    page.goto(f"{live_server.url}/events/seoul-days/participants/{chuncheon_p.pk}/")
    panel = page.locator(".requests-panel")
    expect(panel).to_contain_text("1 waiting for your answer")
    panel.get_by_role("link", name="Answer").click()
    incoming = page.locator(".requests-incoming .request").first
    expect(incoming).to_contain_text("joint vaccine trials in Gangwon")
    screenshot(page, "meeting-request-incoming")
    incoming.locator("textarea[name=reply]").fill("Gladly: our bioindustry park is next door.")
    incoming.get_by_role("button", name="Accept").click()
    expect(page.locator(".message")).to_contain_text("You accepted Lyonbiopole's request")
    expect(page.locator(".requests-incoming .request").first).to_contain_text("accepted")
    page.get_by_role("button", name="Log out").click()
    request = MeetingRequest.objects.get()
    assert (request.status, request.reply) == (
        "accepted", "Gladly: our bioindustry park is next door.",
    )  # fmt: skip

    # The organiser's list of requests shows it accepted.
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, "organiser")
    page.goto(f"{live_server.url}/events/seoul-days/")
    page.locator("nav.tabs").get_by_role("link", name="Requests").click()
    expect(page.locator(".request-counts strong[data-status='accepted']")).to_have_text("1")
    expect(page.locator(".request-counts strong[data-status='pending']")).to_have_text("0")
    row = page.locator(f"#request-{request.pk}")
    expect(row).to_contain_text("Lyonbiopole")
    expect(row).to_contain_text("Chuncheon Bioindustry Foundation")
    expect(row).to_contain_text("accepted")
    expect(row).to_contain_text("Gladly")
    screenshot(page, "meeting-requests-organiser")


def test_the_day_and_after_in_a_browser(live_server, page, transactional_db, settings):
    """Check-in, a no-show, running late and a cancellation with its confirmation, then
    feedback from both sides shown on the organisers' outcomes."""
    from django.utils import timezone

    from events.models import Attendee, Meeting, TimeSlot
    from events.schedule import meeting_add, schedule_publish

    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    lyon = ActorFactory(slug="lyonbiopole", name="Lyonbiopole", sectors=[bio])
    korean = [
        ActorFactory(slug=slug, name=name, side="kr", country="KR", sectors=[bio])
        for slug, name in (("chuncheon", "Chuncheon Bioindustry Foundation"), ("osong", "Osong"))
    ]
    organiser = UserFactory(username="organiser")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    lyon.managers.add(UserFactory(username="lyon.manager"))
    korean[0].managers.add(UserFactory(username="chuncheon.manager"))
    today = timezone.localdate()
    event = EventFactory(
        name="Seoul Cluster Days", slug="seoul-days", starts_on=today, ends_on=today,
        timezone="UTC", tables=3,
    )  # fmt: skip
    event.organisers.add(organiser)
    EventSession.objects.create(
        event=event, name="Day", date=today, start=dt.time(0), end=dt.time(2)
    )
    event_slots_sync(event=event)
    lyon_p = participant_add(event=event, actor=lyon)
    chuncheon_p, osong_p = (participant_add(event=event, actor=a) for a in korean)
    slots = list(event.slots.order_by("starts_at"))
    held = meeting_add(event=event, eu=lyon_p, kr=chuncheon_p, slot=slots[0])
    later = meeting_add(event=event, eu=lyon_p, kr=osong_p, slot=slots[1])
    schedule_publish(event=event)
    # The first round ended an hour ago, the second begins in an hour.
    now = timezone.now()
    for slot, start in (
        (slots[0], now - dt.timedelta(minutes=85)),
        (slots[1], now + dt.timedelta(hours=1)),
    ):
        TimeSlot.objects.filter(pk=slot.pk).update(
            starts_at=start, ends_at=start + dt.timedelta(minutes=25)
        )
    Attendee.objects.create(participant=lyon_p, first_name="Claire", last_name="Martin")
    Attendee.objects.create(participant=chuncheon_p, first_name="Minho", last_name="Park")

    # The organiser checks Claire in and marks the first round's meeting as a Korean no-show.
    page.goto(f"{live_server.url}/events/seoul-days/check-in/")
    log_in(page, "organiser")
    page.fill("#q", "martin")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Check in").click()
    expect(page.locator(".message")).to_contain_text("Claire Martin (Lyonbiopole) checked in")
    page.get_by_role("link", name="Show everyone").click()
    expect(page.locator(".checked-in-count")).to_have_text("1")
    screenshot(page, "day-check-in")
    page.locator("nav.tabs").get_by_role("link", name="On the day").click()
    page.locator("#round").select_option(str(slots[0].pk))
    page.get_by_role("button", name="Show").click()
    row = page.locator(f"#meeting-{held.pk}")
    row.locator("select[name=no_show]").select_option("kr")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(".message")).to_contain_text("recorded as not held")
    screenshot(page, "day-no-shows")
    page.get_by_role("button", name="Log out").click()

    # Lyon's manager is running late for the next meeting, then cancels it after confirming.
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, "lyon.manager")
    page.goto(f"{live_server.url}/events/seoul-days/participants/{lyon_p.pk}/agenda/")
    upcoming = page.locator(f"#meeting-{later.pk}")
    upcoming.locator("select[name=minutes]").select_option("15")
    upcoming.get_by_role("button", name="Running late").click()
    expect(page.locator(".message")).to_contain_text("starts 15 minutes late")
    screenshot(page, "day-agenda")
    page.locator(f"#meeting-{later.pk}").get_by_role("button", name="Cancel this meeting…").click()
    expect(page.locator("h1")).to_have_text("Cancel the meeting with Osong?")
    screenshot(page, "day-cancel-confirm")
    page.get_by_role("button", name="Cancel this meeting").click()
    expect(page.locator(".message")).to_contain_text("is cancelled")
    assert not Meeting.objects.filter(pk=later.pk).exists()

    # The no-show was a mistake (cleared here directly); Lyon's manager rates the meeting.
    Meeting.objects.filter(pk=held.pk).update(held=None, no_show="")
    page.goto(f"{live_server.url}/events/seoul-days/participants/{lyon_p.pk}/feedback/")
    form = page.locator(f"#meeting-{held.pk} form")
    form.locator("select[name=rating]").select_option("5")
    form.locator("select[name=follow_up]").select_option("project")
    form.locator("input[name=comment]").fill("A joint call next spring.")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".message")).to_contain_text("Your feedback on the meeting with Chuncheon")
    screenshot(page, "after-feedback")
    page.get_by_role("button", name="Log out").click()

    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, "organiser")
    page.goto(f"{live_server.url}/events/seoul-days/outcomes/")
    cell = page.locator(f"#meeting-{held.pk} .feedback-cell")
    expect(cell).to_contain_text("5/5, joint project")
    expect(page.locator(f"#meeting-{held.pk} select[name=held]")).to_have_value("yes")
    screenshot(page, "after-outcomes")
