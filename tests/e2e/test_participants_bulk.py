"""Participants in bulk, in a real browser: pasted rows with an ambiguous organisation are
refused with the candidates, fixed and imported; three organisations are added from the
directory at once; a manager misses a single round; a decline is confirmed first."""

import datetime as dt

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import Attendee, EventSession, Participant
from events.participants import participant_add
from events.schedule import meeting_add
from events.setup import event_slots_sync
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, EventFactory, UserFactory

PASTED = (
    "organisation,website,first_name,last_name,email\n"
    "Lyonbiopole,,Claire,Martin,claire@lyonbiopole.example\n"
    "Biocluster,,Anne,Roy,anne@biocluster.example\n"
    ",www.daegu-water.kr,Min-jun,Park,minjun@daegu.example\n"
)


def test_import_pasted_rows_then_add_three_from_the_directory(
    live_server, page, transactional_db, settings
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    lyon = ActorFactory(slug="lyonbiopole", name="Lyonbiopole")
    ActorFactory(slug="biocluster-lyon", name="Biocluster", website="https://biocluster.fr")
    ActorFactory(
        slug="biocluster-osong", name="BioCluster", side="kr", country="KR",
        website="https://osong-bio.kr",
    )  # fmt: skip
    ActorFactory(
        slug="daegu-water", name="Daegu Water Cluster", side="kr", country="KR",
        website="https://daegu-water.kr/",
    )  # fmt: skip
    for slug, name in (
        ("busan-marine", "Busan Marine Cluster"),
        ("ulsan-auto", "Ulsan Auto Cluster"),
        ("gumi-mobile", "Gumi Mobile Mini Cluster"),
        ("jeonju-carbon", "Jeonju Carbon Cluster"),
    ):
        ActorFactory(slug=slug, name=name, side="kr", country="KR", kind="mini-cluster")
    organiser = UserFactory(username="organiser")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    manager = UserFactory(username="lyon.manager")
    lyon.managers.add(manager)
    event = EventFactory(name="Seoul Cluster Days", slug="seoul-days")
    event.organisers.add(organiser)
    EventSession.objects.create(
        event=event, name="Morning", date=dt.date(2026, 11, 24), start=dt.time(9),
        end=dt.time(10),
    )  # fmt: skip
    event_slots_sync(event=event)

    page.goto(f"{live_server.url}/events/seoul-days/participants/")
    log_in(page, "organiser")
    expect(page.get_by_role("link", name="XLSX").last).to_be_visible()

    # Pasted rows, one of them ambiguous: refused, the candidates listed, nothing written.
    page.fill("#id_text", PASTED)
    page.get_by_role("button", name="Check / import").click()
    errors = page.locator(".import-errors")
    expect(errors).to_contain_text("Nothing was imported.")
    expect(errors).to_contain_text("row 3, column organisation: 'Biocluster' matches 2")
    expect(errors).to_contain_text("Biocluster (slug biocluster-lyon, biocluster.fr)")
    expect(errors).to_contain_text("BioCluster (slug biocluster-osong, osong-bio.kr)")
    screenshot(page, "participants-import-ambiguous")
    assert not Participant.objects.filter(event=event).exists()

    # Fixed in the form the page gives back, checked, then imported.
    fixed = (
        PASTED.replace("organisation,website,", "organisation,slug,website,")
        .replace("Lyonbiopole,,", "Lyonbiopole,,,")
        .replace("Biocluster,,", "Biocluster,biocluster-osong,,")
        .replace(",www.daegu", ",,www.daegu")
    )
    page.fill(".import-again textarea", fixed)
    page.get_by_role("button", name="Check / import").click()
    expect(page.locator(".import-summary")).to_contain_text("Dry run: nothing written.")
    expect(page.locator(".import-summary")).to_contain_text("3 participants would be added")
    expect(page.locator(".import-summary")).to_contain_text("Daegu Water Cluster (by website)")
    expect(page.get_by_label("Dry run: check the rows, write nothing")).not_to_be_checked()
    page.get_by_role("button", name="Check / import").click()
    expect(page.locator(".import-summary")).to_contain_text("Imported.")
    screenshot(page, "participants-import-done")
    assert Attendee.objects.get(last_name="Roy").participant.actor.slug == "biocluster-osong"
    assert Participant.objects.filter(event=event).count() == 3

    # Three from the directory at once: the Korean mini clusters, ticked, then "Add these".
    page.get_by_role("link", name="Back to the participants").click()
    page.select_option("#id_side", "kr")
    page.select_option("#id_kind", "mini-cluster")
    page.get_by_role("button", name="Search").click()
    rows = page.locator(".found-row")
    expect(rows).to_have_count(4)
    for name in ("Busan Marine Cluster", "Gumi Mobile Mini Cluster", "Ulsan Auto Cluster"):
        page.get_by_label(name, exact=True).check()
    screenshot(page, "participants-directory-ticked")
    page.get_by_role("button", name="Add these").click()
    expect(page.locator(".message").first).to_contain_text(
        "3 added: Busan Marine Cluster, Gumi Mobile Mini Cluster, Ulsan Auto Cluster."
    )
    # The search stays, without the ones now taking part.
    expect(page.locator(".found-row")).to_have_count(1)
    expect(page.locator(".participants-table tbody tr")).to_have_count(6)
    screenshot(page, "participants-added")

    # Declining asks first and says what it cancels.
    lyon_p = Participant.objects.get(event=event, actor=lyon)
    busan = Participant.objects.get(event=event, actor__slug="busan-marine")
    meeting_add(event=event, eu=lyon_p, kr=busan, slot=event.slots.first())
    page.reload()
    row = page.locator("tr[data-slug='busan-marine']")
    row.get_by_placeholder("Message to the participant (optional)").fill("Sorry, we are full.")
    row.get_by_role("button", name="Decline…").click()
    expect(page.locator(".leave-meetings")).to_contain_text("has 1 meeting in the schedule.")
    expect(page.locator("#id_message")).to_have_value("Sorry, we are full.")
    screenshot(page, "participants-decline-confirm")
    page.get_by_role("button", name="Decline Busan Marine Cluster").click()
    expect(page.locator(".message").first).to_contain_text("Busan Marine Cluster declined.")
    expect(page.locator("tr[data-slug='busan-marine'] .decision-message")).to_have_text(
        "Sorry, we are full."
    )
    page.get_by_role("button", name="Log out").click()

    # A manager misses a single round of the morning.
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, "lyon.manager")
    page.goto(f"{live_server.url}/events/seoul-days/participants/{lyon_p.pk}/")
    page.get_by_label("Round 09:30–09:55, Morning").uncheck()
    page.get_by_role("button", name="Save availability").click()
    expect(page.locator(".message").first).to_contain_text("Availability saved.")
    expect(page.get_by_label("Round 09:30–09:55, Morning")).not_to_be_checked()
    expect(page.get_by_label("Round 09:00–09:25, Morning")).to_be_checked()
    assert [str(s) for s in lyon_p.absent_rounds.all()] == ["Tue 24 Nov 09:30"]
    screenshot(page, "participant-availability-rounds")


def test_a_manager_withdraws_after_a_confirmation(live_server, page, transactional_db, settings):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    lyon = ActorFactory(slug="lyonbiopole", name="Lyonbiopole")
    manager = UserFactory(username="lyon.manager")
    lyon.managers.add(manager)
    event = EventFactory(name="Seoul Cluster Days", slug="seoul-days")
    participant = participant_add(event=event, actor=lyon)
    page.goto(f"{live_server.url}/events/seoul-days/participants/{participant.pk}/")
    log_in(page, "lyon.manager")
    page.get_by_role("button", name="Withdraw from Seoul Cluster Days…").click()
    expect(page.locator("h1")).to_have_text("Withdraw Lyonbiopole from Seoul Cluster Days?")
    screenshot(page, "participant-withdraw-confirm")
    page.get_by_role("button", name="Withdraw Lyonbiopole").click()
    expect(page.locator(".message").first).to_contain_text("Lyonbiopole no longer takes part")
    participant.refresh_from_db()
    assert participant.status == "declined"
