"""An organiser sets up an event, adds participants, generates, edits and publishes the
schedule; a manager then opens their personal agenda."""

from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import Event, Meeting
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, InterestFactory, SectorFactory, UserFactory


def test_event_setup_to_published_agenda(live_server, page, transactional_db, settings):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    water = SectorFactory(code="environmental-services", label="Environmental services")
    market = InterestFactory(code="market-access", label="Market access and export")
    lyon = ActorFactory(
        slug="lyonbiopole", name="Lyonbiopole", sectors=[bio], seeks=[market],
        description="Lyon health cluster for vaccines, diagnostics and infectious diseases.",
    )  # fmt: skip
    ActorFactory(
        slug="pole-eau", name="Pôle Eau", city="Montpellier", sectors=[water],
        description="Montpellier water cluster: wastewater treatment, membranes and irrigation.",
    )  # fmt: skip
    ActorFactory(
        slug="chuncheon", name="Chuncheon Bioindustry Foundation", side="kr", country="KR",
        kind="foundation", sectors=[bio], offers=[market],
        description="Gangwon foundation supporting vaccines and diagnostics companies.",
    )  # fmt: skip
    ActorFactory(
        slug="daegu-water", name="Daegu Water Cluster", side="kr", country="KR",
        kind="cluster-agency", sectors=[water],
        description="Daegu water technopole with membranes and wastewater treatment test beds.",
    )  # fmt: skip
    organiser = UserFactory(username="organiser")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    manager = UserFactory(username="lyon.manager")
    lyon.managers.add(manager)

    # The organiser creates the event with one session of two rounds.
    page.goto(f"{live_server.url}/events/new/")
    log_in(page, "organiser")
    page.fill("#id_name", "Seoul Cluster Days")
    page.fill("#id_slug", "seoul-days")
    page.fill("#id_place", "COEX, Seoul")
    page.fill("#id_starts_on", "2026-11-24")
    page.fill("#id_ends_on", "2026-11-24")
    page.fill("#id_tables", "2")
    page.fill("#id_max_meetings", "2")
    page.fill("#id_sessions-0-name", "Morning")
    page.fill("#id_sessions-0-date", "2026-11-24")
    page.fill("#id_sessions-0-start", "09:00")
    page.fill("#id_sessions-0-end", "10:00")
    page.get_by_role("button", name="Create event").click()
    expect(page.locator(".message")).to_contain_text("created with 2 rounds")

    # Participants from the directory: search, then add.
    page.get_by_role("link", name="Participants").click()
    for name in ("Lyonbiopole", "Pôle Eau", "Chuncheon", "Daegu Water"):
        page.fill("#id_q", name)
        page.get_by_role("button", name="Search").click()
        page.locator(".found-row").first.get_by_role("button", name="Add").click()
        expect(page.locator(".message")).to_contain_text("added")
    expect(page.locator(".participants-table tbody tr")).to_have_count(4)
    screenshot(page, "event-participants")

    # Generate: the obvious partners meet.
    page.get_by_role("link", name="Schedule").click()
    page.get_by_role("button", name="Generate the schedule").click()
    # The generation is a job: its page says what it made and links to the schedule.
    expect(page.locator(".job-result")).to_contain_text("Draft schedule: 2 meetings")
    page.get_by_role("link", name="Open the schedule").click()
    row = page.locator("tr[data-eu='lyonbiopole'][data-kr='chuncheon']")
    expect(row).to_have_count(1)
    expect(page.locator("tr[data-eu='pole-eau'][data-kr='daegu-water']")).to_have_count(1)

    # Move Lyon's meeting to the other round; it becomes fixed.
    event = Event.objects.get(slug="seoul-days")
    meeting = Meeting.objects.get(eu__actor__slug="lyonbiopole")
    other = event.slots.exclude(pk=meeting.slot_id).get()
    row.locator("select[name=slot]").select_option(str(other.pk))
    row.get_by_role("button", name="Move").click()
    expect(page.locator(".message")).to_contain_text("Meeting moved")
    meeting.refresh_from_db()
    assert meeting.slot_id == other.pk and meeting.fixed
    expect(page.locator(f"#cell-{meeting.pk} .fixed-mark")).to_have_count(1)

    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".message")).to_contain_text("Schedule published")
    screenshot(page, "event-schedule")
    page.get_by_role("button", name="Log out").click()

    # The manager finds the agenda from the event page.
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, "lyon.manager")
    page.get_by_role("link", name="Events").click()
    page.get_by_role("link", name="Seoul Cluster Days").click()
    page.get_by_role("link", name="your agenda").click()
    agenda = page.locator("table.agenda")
    expect(agenda).to_contain_text("Chuncheon Bioindustry Foundation")
    # The round it was moved to, in Seoul time.
    moved_to = other.starts_at.astimezone(ZoneInfo("Asia/Seoul")).strftime("%H:%M")
    assert moved_to in {"09:00", "09:30"}
    expect(agenda).to_contain_text(moved_to)
    expect(agenda).to_contain_text("vaccines")
    screenshot(page, "event-agenda")
