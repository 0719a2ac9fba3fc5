"""An organiser publishes the schedule; a participant is then declined; *Update schedule*
shows what changes, the organiser confirms, and the change log lists every change."""

import datetime as dt

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import EventSession, Meeting
from events.participants import participant_add
from events.schedule import meeting_add
from events.setup import event_slots_sync
from events.wishes import wishes_set
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, EventFactory, SectorFactory, UserFactory


def test_update_a_published_schedule_after_a_participant_leaves(
    live_server, page, transactional_db, settings
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    water = SectorFactory(code="environmental-services", label="Environmental services")
    lyon = ActorFactory(
        slug="lyonbiopole", name="Lyonbiopole", sectors=[bio],
        description="Lyon health cluster for vaccines, diagnostics and infectious diseases.",
    )  # fmt: skip
    eau = ActorFactory(
        slug="pole-eau", name="Pôle Eau", city="Montpellier", sectors=[water],
        description="Montpellier water cluster: wastewater treatment, membranes and irrigation.",
    )  # fmt: skip
    koreans = [
        ActorFactory(
            slug=slug,
            name=name,
            side="kr",
            country="KR",
            kind="cluster-agency",
            sectors=[sector],
            description=description,
        )  # fmt: skip
        for slug, name, sector, description in (
            (
                "chuncheon",
                "Chuncheon Bioindustry Foundation",
                bio,
                "Gangwon foundation supporting vaccines and diagnostics companies.",
            ),
            (
                "daegu-water",
                "Daegu Water Cluster",
                water,
                "Daegu water technopole with membranes and wastewater treatment test beds.",
            ),
            (
                "osong",
                "Osong Medical Innovation Foundation",
                bio,
                "Osong medical cluster for diagnostics, vaccines and clinical trials.",
            ),
        )  # fmt: skip
    ]
    organiser = UserFactory(username="organiser", first_name="Anna", last_name="Kim")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])

    # One morning in Seoul, two rounds, two tables; every pair would like to meet.
    event = EventFactory(name="Seoul Cluster Days", slug="seoul-days", tables=2, max_meetings=2)
    event.organisers.add(organiser)
    EventSession.objects.create(
        event=event, name="Morning", date=dt.date(2026, 11, 24), start=dt.time(9), end=dt.time(10)
    )
    first, second = event_slots_sync(event=event)
    lyon_p, eau_p = (
        participant_add(event=event, actor=lyon),
        participant_add(event=event, actor=eau),
    )
    chuncheon, daegu, osong = (participant_add(event=event, actor=a) for a in koreans)
    for european in (lyon_p, eau_p):
        wishes_set(participant=european, levels={k.pk: "like" for k in (chuncheon, daegu, osong)})
    placed = [
        meeting_add(event=event, eu=lyon_p, kr=chuncheon, slot=first, table=1),
        meeting_add(event=event, eu=eau_p, kr=daegu, slot=first, table=2),
        meeting_add(event=event, eu=lyon_p, kr=daegu, slot=second, table=1),
        meeting_add(event=event, eu=eau_p, kr=chuncheon, slot=second, table=2),
    ]
    Meeting.objects.filter(event=event).update(fixed=False)
    unchanged = {m.pk: (m.slot_id, m.table) for m in placed if m.kr_id == daegu.pk}

    # The draft: regenerating asks first, and says what it keeps.
    page.goto(f"{live_server.url}/events/seoul-days/schedule/")
    log_in(page, "organiser")
    page.get_by_role("link", name="Regenerate around fixed meetings").click()
    expect(page.locator(".regenerate-confirm")).to_contain_text("4 generated meetings are replaced")
    screenshot(page, "event-regenerate-confirmation")
    page.get_by_role("link", name="Keep the current draft").click()

    # The organiser publishes.
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".message")).to_contain_text("Schedule published")
    expect(page.get_by_role("button", name="Update schedule")).to_be_visible()
    expect(page.get_by_role("link", name="Regenerate around fixed meetings")).to_have_count(0)

    # Chuncheon is declined: its two meetings go, Lyonbiopole and Pôle Eau each have a free
    # round.
    page.get_by_role("link", name="Participants").click()
    page.locator("tr[data-slug='chuncheon']").get_by_role("button", name="Decline…").click()
    page.get_by_role("button", name="Decline Chuncheon Bioindustry Foundation").click()
    expect(page.locator(".message")).to_contain_text("declined")

    # Update schedule: the difference, before anything changes.
    page.get_by_role("link", name="Schedule").click()
    page.get_by_role("button", name="Update schedule").click()
    page.get_by_role("link", name="Review the update").click()  # from the job's page
    expect(page.locator("h1")).to_have_text("Update the schedule?")
    counts = page.locator(".proposal-counts")
    expect(counts).to_contain_text("2 meetings stay where they are")
    expect(counts).to_contain_text("2 new meetings")
    changes = page.locator(".who-changes")
    expect(changes).to_contain_text("Osong Medical Innovation Foundation")
    expect(changes).to_contain_text("New meeting with Lyonbiopole at 09:")
    expect(changes).not_to_contain_text("Daegu Water Cluster")  # its agenda does not change
    expect(page.locator(".who-changes")).to_contain_text("1 participant keeps its agenda unchanged")
    assert Meeting.objects.filter(event=event).count() == 2  # nothing written yet
    screenshot(page, "event-repair-confirmation")

    page.get_by_role("button", name="Confirm: update the schedule").click()
    expect(page.locator(".message")).to_contain_text("Schedule updated")
    assert {
        m.pk: (m.slot_id, m.table) for m in Meeting.objects.filter(event=event, kr=daegu)
    } == unchanged
    assert Meeting.objects.filter(event=event, kr=osong).count() == 2

    # The change log: newest first, in Seoul time, under the organiser's name.
    page.get_by_role("link", name="Change log").click()
    log = page.locator(".change-log")
    expect(log).to_contain_text("Anna Kim added Lyonbiopole / Osong Medical Innovation Foundation")
    expect(log).to_contain_text("Anna Kim added Pôle Eau / Osong Medical Innovation Foundation")
    expect(log).to_contain_text("cancelled Lyonbiopole / Chuncheon Bioindustry Foundation at 09:00")
    expect(log).to_contain_text("Anna Kim published the schedule")
    expect(log.locator("li").last).to_contain_text("published the schedule")
    screenshot(page, "event-change-log")

    # Cancelling a meeting asks first.
    page.get_by_role("navigation", name="Event").get_by_role("link", name="Schedule").click()
    page.locator("tr[data-kr='daegu-water']").first.get_by_role("link", name="Cancel").click()
    expect(page.locator("h1")).to_have_text("Cancel this meeting?")
    expect(page.locator(".meeting-cancel")).to_contain_text("see the cancellation")
    screenshot(page, "event-meeting-cancel-confirmation")
    page.get_by_role("link", name="Keep it").click()
    assert Meeting.objects.filter(event=event, kr=daegu).count() == 2

    # One table fewer would leave meetings outside the event: the settings page asks.
    page.get_by_role("link", name="Settings").click()
    page.fill("#id_tables", "1")
    page.get_by_role("button", name="Save").click()
    conflict = page.locator("#shape-conflict")
    expect(conflict).to_contain_text("would leave 2 meetings outside the event")
    expect(conflict).to_contain_text("table 2 no longer exists")
    screenshot(page, "event-shape-conflict")
    conflict.get_by_label("Keep the old settings (nothing is saved)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message")).to_contain_text("Nothing was saved")
    event.refresh_from_db()
    assert event.tables == 2
