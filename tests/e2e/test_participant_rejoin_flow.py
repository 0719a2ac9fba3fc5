"""A participant its manager withdrew, accepted again in a real browser: the organiser is asked
first, on a page that names the withdrawal, and the participant is back only once confirmed."""

import datetime as dt

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from events.models import EventSession, ParticipantStatus
from events.participants import participant_add, participant_withdraw
from events.setup import event_slots_sync
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, EventFactory, UserFactory


def test_an_organiser_confirms_before_accepting_a_withdrawn_participant_again(
    live_server, page, transactional_db, settings
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    lyon = ActorFactory(slug="lyonbiopole", name="Lyonbiopole")
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
    participant = participant_add(event=event, actor=lyon)
    participant_withdraw(participant=participant, user=manager)

    page.goto(f"{live_server.url}/events/seoul-days/participants/")
    log_in(page, "organiser")
    row = page.locator("tr[data-slug=lyonbiopole]")
    expect(row).to_contain_text("Withdrawn by its manager on")
    row.get_by_label("Message to Lyonbiopole with the decision").fill("Glad you can come after all")
    row.get_by_role("button", name="Accept again…").click()

    expect(page.get_by_role("heading", name="Accept Lyonbiopole again?")).to_be_visible()
    expect(page.locator(".rejoin-withdrawal")).to_contain_text("Withdrawn by its manager on")
    expect(page.get_by_label("Message to the participant")).to_have_value(
        "Glad you can come after all"
    )
    screenshot(page, "participant-rejoin-confirm")
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.DECLINED

    page.get_by_role("button", name="Accept Lyonbiopole again").click()
    expect(page.locator("li.message").first).to_contain_text("Lyonbiopole accepted.")
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACCEPTED
    assert participant.decision_message == "Glad you can come after all"
