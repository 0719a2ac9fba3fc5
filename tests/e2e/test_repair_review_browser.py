"""Issue 14 after review, in a real browser: an organiser lowers the meetings per participant
of a published schedule, is told who is over it and which meetings an update would cancel,
saves anyway, and the update page names the accepted request it cannot place."""

from playwright.sync_api import expect

from events.models import Meeting
from events.requests import meeting_request_answer, meeting_request_send
from events.schedule import meeting_add, schedule_publish
from events.wishes import wishes_set
from tests.e2e.conftest import log_in, screenshot


def test_a_lower_maximum_asks_first_and_the_update_names_what_it_cannot_place(
    live_server, page, fair, settings
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    f = fair
    koreans = (f.chuncheon_p, f.daegu_p, f.gumi)
    for european in (f.lyon, f.turin):
        wishes_set(participant=european, levels={k.pk: "like" for k in koreans})
    r1, r2 = f.slots
    for eu, kr, slot, table in (
        (f.lyon, f.chuncheon_p, r1, 1),
        (f.turin, f.daegu_p, r1, 2),
        (f.lyon, f.daegu_p, r2, 1),
        (f.turin, f.chuncheon_p, r2, 2),
    ):
        meeting_add(event=f.event, eu=eu, kr=kr, slot=slot, table=table)
    Meeting.objects.filter(event=f.event).update(fixed=False)
    schedule_publish(event=f.event, by=f.organiser)
    asked = meeting_request_send(sender=f.gumi, receiver=f.turin, message="Shall we meet?")
    meeting_request_answer(meeting_request=asked, accept=True)

    page.goto(f"{live_server.url}/events/{f.event.slug}/edit/")
    log_in(page, f.organiser.username)
    page.fill("#id_max_meetings", "1")
    page.get_by_role("button", name="Save").click()
    conflict = page.locator("#over-maximum")
    expect(conflict).to_contain_text("4 participants have more than 1 meeting")
    expect(conflict.locator("tbody tr")).to_have_count(2)
    screenshot(page, "repair-review-lower-maximum")

    conflict.get_by_label("Save it", exact=False).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("li.message").first).to_contain_text(
        "Event saved. 4 participants have more than 1 meeting"
    )

    page.goto(f"{live_server.url}/events/{f.event.slug}/schedule/")
    page.get_by_role("button", name="Update schedule").click()
    page.get_by_role("link", name="Review the update").click()  # from the job's page
    unplaced = page.locator(".unplaced-requests")
    expect(unplaced).to_contain_text(
        "Turin Health Cluster / Gumi Mobile Mini Cluster: Turin Health Cluster already has the "
        "maximum of 1 meeting."
    )
    screenshot(page, "repair-review-unplaced-request")
