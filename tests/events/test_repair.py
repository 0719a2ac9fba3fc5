"""Issue 14: a published schedule is repaired, not regenerated; regenerating a draft and
cancelling a meeting ask first."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from events.models import ChangeAction, Meeting, ParticipantStatus, ScheduleProposal
from events.participants import participant_decide
from events.repair import repair_apply, repair_compute, schedule_fingerprint
from events.schedule import meeting_add, meeting_cancel, schedule_generate, schedule_publish
from events.wishes import exclusion_add, wishes_set
from tests.factories import UserFactory


def places(event) -> dict[int, tuple]:
    """Each meeting as (pair, round, table), by id."""
    return {
        m.pk: (m.eu_id, m.kr_id, m.slot_id, m.table) for m in Meeting.objects.filter(event=event)
    }


@pytest.fixture
def published(published_four):
    return published_four


def lines(proposal, action):
    return [line for line in proposal.placements if line["action"] == action]


def test_a_declined_participant_loses_only_its_meetings_and_the_places_are_filled(published):
    """The regression the issue names: the other meetings keep their ids, rounds and tables."""
    f = published
    participant_decide(participant=f.chuncheon_p, accept=False)
    before = places(f.event)
    assert len(before) == 2  # Chuncheon's two meetings went with it

    proposal = repair_compute(event=f.event, by=f.organiser)
    assert not proposal.applied_at and places(f.event) == before  # computed, not saved
    repair_apply(proposal=proposal, by=f.organiser)

    after = places(f.event)
    assert {pk: after[pk] for pk in before} == before  # never moved, same rows
    added = {(eu, kr) for pk, (eu, kr, *_) in after.items() if pk not in before}
    # Gumi, free in both rounds, takes Chuncheon's places.
    assert added == {(f.lyon.pk, f.gumi.pk), (f.turin.pk, f.gumi.pk)}
    assert len(after) == 4
    run = f.event.schedule_runs.first()
    assert run.repair and run.meetings == 4


def test_a_meeting_that_became_invalid_is_removed_and_logged_the_rest_stays(published):
    f = published
    exclusion_add(event=f.event, first=f.lyon, second=f.daegu_p, reason="same group")
    before = places(f.event)
    proposal = repair_compute(event=f.event, by=f.organiser)
    assert proposal.summary["counts"] == {"kept": 3, "moved": 0, "added": 1, "removed": 1}
    removed = lines(proposal, "removed")[0]
    assert removed["meeting"] == f.m["lyon-daegu"].pk
    assert "excluded" in removed["why"]
    repair_apply(proposal=proposal, by=f.organiser)
    after = places(f.event)
    assert f.m["lyon-daegu"].pk not in after
    assert {pk: after[pk] for pk in before if pk != f.m["lyon-daegu"].pk} == {
        pk: place for pk, place in before.items() if pk != f.m["lyon-daegu"].pk
    }
    # Lyon's freed round goes to Gumi, the only Korean participant free then.
    assert Meeting.objects.filter(eu=f.lyon, kr=f.gumi, slot=f.slots[1]).exists()
    log = f.event.changes.exclude(action=ChangeAction.PUBLISHED)
    assert sorted(log.values_list("action", flat=True)) == [
        ChangeAction.ADDED,
        ChangeAction.REMOVED,
    ]
    gone = log.get(action=ChangeAction.REMOVED)
    assert (gone.eu, gone.kr, gone.old_table) == (f.lyon, f.daegu_p, 1)
    assert gone.old_starts_at == f.slots[1].starts_at and gone.made_by == f.organiser
    assert f.event.proposals.get().applied_at is not None


def test_not_interested_absent_and_not_accepted_make_a_meeting_invalid(published):
    f = published
    wishes_set(participant=f.daegu_p, levels={f.turin.pk: "not"})
    f.lyon.absent_rounds.add(f.slots[0])
    f.chuncheon_p.status = ParticipantStatus.PENDING
    f.chuncheon_p.save()
    proposal = repair_compute(event=f.event, by=f.organiser)
    why = {line["meeting"]: line["why"] for line in lines(proposal, "removed")}
    assert "not interested" in why[f.m["turin-daegu"].pk]
    assert "no longer accepted" in why[f.m["turin-chuncheon"].pk]
    assert f.m["lyon-chuncheon"].pk in why  # Chuncheon again (and Lyon misses round 1)
    assert [line["meeting"] for line in lines(proposal, "kept")] == [f.m["lyon-daegu"].pk]


def test_a_meeting_in_a_round_a_participant_now_misses_moves_to_another_round(liked_fair):
    f = liked_fair
    meeting = meeting_add(event=f.event, eu=f.lyon, kr=f.gumi, slot=f.slots[0], table=1)
    schedule_publish(event=f.event)
    f.event.refresh_from_db()
    f.gumi.absent_rounds.add(f.slots[0])
    proposal = repair_compute(event=f.event, by=f.organiser)
    moved = lines(proposal, "moved")
    assert [(m["meeting"], m["slot"]) for m in moved] == [(meeting.pk, f.slots[1].pk)]
    repair_apply(proposal=proposal, by=f.organiser)
    meeting.refresh_from_db()
    assert meeting.slot_id == f.slots[1].pk  # the same row: its outcome and feedback stay
    change = f.event.changes.get(action=ChangeAction.MOVED)
    assert (change.old_starts_at, change.new_starts_at) == (
        f.slots[0].starts_at, f.slots[1].starts_at,
    )  # fmt: skip


def test_a_meeting_with_a_recorded_outcome_is_always_kept(published):
    f = published
    exclusion_add(event=f.event, first=f.lyon, second=f.daegu_p)
    Meeting.objects.filter(pk=f.m["lyon-daegu"].pk).update(held=True)
    proposal = repair_compute(event=f.event, by=f.organiser)
    assert f.m["lyon-daegu"].pk in {line["meeting"] for line in lines(proposal, "kept")}
    assert not lines(proposal, "removed")


def test_a_lower_maximum_removes_the_excess_and_keeps_fixed_meetings_first(published):
    f = published
    Meeting.objects.filter(pk=f.m["lyon-daegu"].pk).update(fixed=True)
    f.event.max_meetings = 1
    f.event.save()
    proposal = repair_compute(event=f.event, by=f.organiser)
    removed = {line["meeting"] for line in lines(proposal, "removed")}
    assert f.m["lyon-chuncheon"].pk in removed and f.m["lyon-daegu"].pk not in removed
    repair_apply(proposal=proposal, by=f.organiser)
    for p in (f.lyon, f.turin, f.chuncheon_p, f.daegu_p, f.gumi):
        assert Meeting.objects.filter(event=f.event).filter(eu=p).count() <= 1
        assert Meeting.objects.filter(event=f.event).filter(kr=p).count() <= 1


def test_confirming_after_the_schedule_changed_is_refused_and_nothing_is_written(published):
    f = published
    participant_decide(participant=f.chuncheon_p, accept=False)
    proposal = repair_compute(event=f.event, by=f.organiser)
    meeting_cancel(meeting=f.m["turin-daegu"], by=f.organiser)
    before = places(f.event)
    with pytest.raises(ValidationError, match="changed since"):
        repair_apply(proposal=proposal, by=f.organiser)
    assert places(f.event) == before
    proposal.refresh_from_db()
    assert proposal.applied_at is None
    assert not f.event.schedule_runs.filter(repair=True).exists()


def test_the_fingerprint_follows_meetings_and_who_may_meet(published):
    f = published
    first = schedule_fingerprint(event=f.event)
    assert schedule_fingerprint(event=f.event) == first
    exclusion_add(event=f.event, first=f.turin, second=f.gumi)
    assert schedule_fingerprint(event=f.event) != first


def test_a_proposal_is_applied_once(published):
    f = published
    participant_decide(participant=f.chuncheon_p, accept=False)
    proposal = repair_compute(event=f.event, by=f.organiser)
    repair_apply(proposal=proposal, by=f.organiser)
    with pytest.raises(ValidationError, match="already"):
        repair_apply(proposal=proposal, by=f.organiser)


def test_a_published_schedule_is_not_regenerated(published):
    before = places(published.event)
    with pytest.raises(ValidationError, match="Update schedule"):
        schedule_generate(event=published.event)
    assert places(published.event) == before


# -- the pages ----------------------------------------------------------------------------------


def test_update_schedule_shows_the_difference_then_applies_it(client, published):
    f = published
    participant_decide(participant=f.chuncheon_p, accept=False)
    client.force_login(f.organiser)
    schedule = client.get(reverse("event_schedule", args=[f.event.slug])).content.decode()
    assert "Update schedule" in schedule and "Regenerate" not in schedule
    before = places(f.event)

    # The update is computed as a job (run at once in tests): its page links to the proposal.
    response = client.post(reverse("event_schedule_update", args=[f.event.slug]))
    proposal = ScheduleProposal.objects.get(event=f.event)
    assert response.status_code == 302
    job_page = client.get(response["Location"]).content.decode()
    proposal_url = reverse("event_schedule_proposal", args=[f.event.slug, proposal.pk])
    assert "Update computed: 2 kept, 0 moved, 2 added, 0 cancelled" in job_page
    assert f'href="{proposal_url}"' in job_page
    assert places(f.event) == before
    html = client.get(proposal_url).content.decode()
    assert "2 meetings stay where they are" in html
    assert "2 new meetings" in html
    # Per participant, only those with a change; Gumi gains two meetings.
    assert "Gumi Mobile Mini Cluster" in html
    assert "New meeting with Lyon Life Sciences at 09:00" in html
    assert "1 participant keeps its agenda unchanged" in html  # Daegu
    assert "Confirm" in html and "Discard" in html

    response = client.post(
        reverse("event_schedule_proposal_apply", args=[f.event.slug, proposal.pk]), follow=True
    )
    assert "Schedule updated" in response.content.decode()
    assert len(places(f.event)) == 4
    log = client.get(reverse("event_schedule_changes", args=[f.event.slug])).content.decode()
    assert "added Lyon Life Sciences / Gumi Mobile Mini Cluster" in log


def test_the_difference_lists_only_participants_with_a_change(client, published):
    f = published
    exclusion_add(event=f.event, first=f.lyon, second=f.daegu_p)
    proposal = repair_compute(event=f.event, by=f.organiser)
    client.force_login(f.organiser)
    html = client.get(
        reverse("event_schedule_proposal", args=[f.event.slug, proposal.pk])
    ).content.decode()
    assert "1 meeting is cancelled" in html
    # Lyon (loses Daegu, gains Gumi), Daegu (loses Lyon) and Gumi (gains Lyon) change;
    # Turin and Chuncheon keep their agendas.
    section = html[html.index("who-changes") :]
    for name in ("Lyon Life Sciences", "Daegu Water Cluster", "Gumi Mobile Mini Cluster"):
        assert name in section
    assert "Turin Health Cluster" not in section
    assert "2 participants keep their agenda unchanged" in html


def test_discarding_a_proposal_changes_nothing(client, published):
    f = published
    participant_decide(participant=f.chuncheon_p, accept=False)
    proposal = repair_compute(event=f.event, by=f.organiser)
    before = places(f.event)
    client.force_login(f.organiser)
    response = client.post(
        reverse("event_schedule_proposal_discard", args=[f.event.slug, proposal.pk]), follow=True
    )
    assert "discarded" in response.content.decode()
    assert places(f.event) == before and not ScheduleProposal.objects.exists()
    # A second click on a gone proposal is a message, not an error page.
    again = client.post(
        reverse("event_schedule_proposal_apply", args=[f.event.slug, proposal.pk]), follow=True
    )
    assert again.status_code == 200 and "no longer" in again.content.decode()


def test_a_stale_proposal_says_so_and_offers_to_compute_it_again(client, published):
    f = published
    participant_decide(participant=f.chuncheon_p, accept=False)
    proposal = repair_compute(event=f.event, by=f.organiser)
    meeting_cancel(meeting=f.m["turin-daegu"], by=f.organiser)
    client.force_login(f.organiser)
    response = client.post(
        reverse("event_schedule_proposal_apply", args=[f.event.slug, proposal.pk]), follow=True
    )
    html = response.content.decode()
    assert "changed since" in html
    assert reverse("event_schedule_update", args=[f.event.slug]) in html  # compute again


def test_outsiders_cannot_see_or_apply_a_proposal(client, published):
    f = published
    participant_decide(participant=f.chuncheon_p, accept=False)
    proposal = repair_compute(event=f.event, by=f.organiser)
    before = places(f.event)
    for user in (f.manager, UserFactory(username="other-organiser")):
        client.force_login(user)
        slug, pk = f.event.slug, proposal.pk
        assert client.get(reverse("event_schedule_proposal", args=[slug, pk])).status_code == 404
        for name in ("event_schedule_proposal_apply", "event_schedule_proposal_discard"):
            assert client.post(reverse(name, args=[slug, pk])).status_code == 404
        assert client.post(reverse("event_schedule_update", args=[slug])).status_code == 404
    assert places(f.event) == before and ScheduleProposal.objects.count() == 1


# -- confirmations and counts ---------------------------------------------------------------------


def test_regenerating_a_draft_asks_first_and_says_what_is_kept(client, liked_fair):
    f = liked_fair
    schedule_generate(event=f.event)
    kept = f.event.meetings.first()
    Meeting.objects.filter(pk=kept.pk).update(held=True)
    client.force_login(f.organiser)
    url = reverse("event_schedule_generate", args=[f.event.slug])
    schedule = client.get(reverse("event_schedule", args=[f.event.slug])).content.decode()
    assert f'href="{url}"' in schedule  # a link to the question, not a button that acts
    before = places(f.event)
    html = client.get(url).content.decode()
    assert places(f.event) == before
    assert "3 generated meetings are replaced" in html
    assert "1 meeting with a recorded outcome" in html
    assert client.post(url).status_code == 302
    assert f.event.schedule_runs.count() == 2


def test_the_first_generation_needs_no_question(client, fair):
    client.force_login(fair.organiser)
    html = client.get(reverse("event_schedule", args=[fair.event.slug])).content.decode()
    assert "Generate the schedule" in html and 'method="post"' in html


def test_cancelling_a_meeting_asks_first(client, published):
    f = published
    meeting = f.m["lyon-daegu"]
    client.force_login(f.organiser)
    url = reverse("event_meeting_cancel", args=[f.event.slug, meeting.pk])
    schedule = client.get(reverse("event_schedule", args=[f.event.slug])).content.decode()
    assert f'href="{url}"' in schedule
    html = client.get(url).content.decode()
    assert "Lyon Life Sciences" in html and "Daegu Water Cluster" in html
    assert "participants see" in html  # published: the agendas change at once
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    client.post(url)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_cancelling_a_meeting_already_gone_is_a_message_not_an_error(client, published):
    f = published
    meeting = f.m["lyon-daegu"]
    client.force_login(f.organiser)
    url = reverse("event_meeting_cancel", args=[f.event.slug, meeting.pk])
    client.post(url)
    for response in (client.post(url, follow=True), client.get(url, follow=True)):
        assert response.status_code == 200
        assert "That meeting was already cancelled." in response.content.decode()
    # Outsiders still learn nothing.
    client.force_login(f.manager)
    assert client.post(url).status_code == 404


def test_counts_are_pluralised(client, fair):
    participant_decide(participant=fair.turin, accept=False)
    fair.event.max_meetings = 1
    fair.event.save()
    client.force_login(fair.organiser)
    response = client.post(reverse("event_schedule_generate", args=[fair.event.slug]), follow=True)
    assert "Draft schedule: 1 meeting (none fixed)" in response.content.decode()  # the job page
    html = client.get(reverse("event_schedule", args=[fair.event.slug])).content.decode()
    assert "1 meeting in the schedule" in html
    # (the run summary under the bar is helper "fairness"'s paragraph)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database; SQLite serialises every write",
)
def test_two_organisers_confirming_the_same_update_apply_it_once(liked_fair):
    f = liked_fair
    r1, r2 = f.slots
    meeting_add(event=f.event, eu=f.lyon, kr=f.chuncheon_p, slot=r1, table=1)
    meeting_add(event=f.event, eu=f.turin, kr=f.daegu_p, slot=r2, table=2)
    schedule_publish(event=f.event, by=f.organiser)
    proposal = repair_compute(event=f.event, by=f.organiser)
    start = threading.Barrier(2)
    outcome: list[str] = []

    def confirm():
        try:
            start.wait(10)
            repair_apply(proposal=ScheduleProposal.objects.get(pk=proposal.pk), by=f.organiser)
            outcome.append("applied")
        except ValidationError as error:
            outcome.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcome) == ["This update was applied already.", "applied"]
    added = proposal.summary["counts"]["added"]
    assert f.event.changes.filter(action=ChangeAction.ADDED).count() == added
    assert f.event.schedule_runs.filter(repair=True).count() == 1
