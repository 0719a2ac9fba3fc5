import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from events.models import Meeting
from events.pairs import pair_matrix
from events.participants import participant_availability_set, participant_decide
from events.schedule import (
    meeting_add,
    meeting_cancel,
    meeting_move,
    schedule_generate,
    schedule_publish,
)
from events.solver import Placement, Schedule
from events.wishes import exclusion_add, wishes_set


def pairs(event) -> set[tuple[str, str]]:
    return {
        (m.eu.actor.slug, m.kr.actor.slug)
        for m in event.meetings.select_related("eu__actor", "kr__actor")
    }


def assert_valid(event) -> None:
    meetings = list(event.meetings.select_related("slot"))
    for field in ("eu_id", "kr_id"):
        per_slot = [(getattr(m, field), m.slot_id) for m in meetings]
        assert len(per_slot) == len(set(per_slot)), "a participant is double-booked"
        counts = {}
        for m in meetings:
            counts[getattr(m, field)] = counts.get(getattr(m, field), 0) + 1
        assert max(counts.values(), default=0) <= event.max_meetings
    tables = [(m.slot_id, m.table) for m in meetings]
    assert len(tables) == len(set(tables))
    assert all(1 <= m.table <= event.tables for m in meetings)


def test_the_generated_schedule_meets_the_obvious_partners_and_breaks_no_rule(fair):
    run = schedule_generate(event=fair.event)
    assert_valid(fair.event)
    assert {("lyon-life", "chuncheon-bio"), ("turin-health", "daegu-water")} <= pairs(fair.event)
    assert run.meetings == fair.event.meetings.count()
    assert run.value <= run.bound + 1e-6
    assert run.ratio >= 0.95
    meeting = fair.event.meetings.get(eu=fair.lyon, kr=fair.chuncheon_p)
    assert "vaccines" in meeting.reason and meeting.score > 0.3


def test_must_meet_wishes_win_tables_and_not_interested_never_meet(fair):
    fair.event.max_meetings = 1
    fair.event.save()
    # Lyon's obvious partner refuses; Lyon must meet Gumi instead.
    wishes_set(participant=fair.chuncheon_p, levels={fair.lyon.pk: "not"})
    wishes_set(participant=fair.lyon, levels={fair.gumi.pk: "must"})
    schedule_generate(event=fair.event)
    assert ("lyon-life", "chuncheon-bio") not in pairs(fair.event)
    assert ("lyon-life", "gumi-mobile") in pairs(fair.event)


def test_exclusions_are_never_scheduled(fair):
    exclusion_add(event=fair.event, first=fair.turin, second=fair.daegu_p)
    schedule_generate(event=fair.event)
    assert ("turin-health", "daegu-water") not in pairs(fair.event)


def test_absent_participants_meet_only_in_the_sessions_they_attend(fair):
    fair.event.max_meetings = 3
    fair.event.save()
    participant_availability_set(participant=fair.lyon, absent_from=fair.event.sessions.all())
    schedule_generate(event=fair.event)
    assert not fair.event.meetings.filter(eu=fair.lyon).exists()
    assert_valid(fair.event)


def test_regenerating_keeps_fixed_meetings_where_the_organiser_put_them(fair):
    fixed = meeting_add(event=fair.event, eu=fair.lyon, kr=fair.gumi, slot=fair.slots[1], table=2)
    schedule_generate(event=fair.event)
    schedule_generate(event=fair.event)
    fixed.refresh_from_db()
    assert (fixed.slot_id, fixed.table, fixed.fixed) == (fair.slots[1].pk, 2, True)
    assert_valid(fair.event)
    assert fair.event.schedule_runs.first().fixed == 1


def test_a_schedule_needs_rounds(fair):
    fair.event.slots.all().delete()
    with pytest.raises(ValidationError, match="no meeting rounds"):
        schedule_generate(event=fair.event)


def test_a_schedule_needs_accepted_participants_on_both_sides(fair):
    for korean in (fair.chuncheon_p, fair.daegu_p, fair.gumi):
        participant_decide(participant=korean, accept=False)
    with pytest.raises(ValidationError, match="accepted participants on both sides"):
        schedule_generate(event=fair.event)
    assert not fair.event.meetings.exists() and not fair.event.schedule_runs.exists()


def test_a_solver_answer_that_breaks_a_rule_is_refused_and_the_draft_kept(fair, monkeypatch):
    schedule_generate(event=fair.event)
    draft = pairs(fair.event)

    def clashing(problem, **options):
        # Both European participants at table 1 of the first round.
        meetings = (Placement(0, 0, 0, 1), Placement(1, 1, 0, 1))
        return Schedule(meetings=meetings, value=1.0, bound=1.0, optimal=True, seconds=0.0)

    monkeypatch.setattr("events.schedule.schedule_solve", clashing)
    with pytest.raises(ValidationError, match="table 1 has 2 meetings in slot 0"):
        schedule_generate(event=fair.event)
    assert pairs(fair.event) == draft
    assert fair.event.schedule_runs.count() == 1


def generation(event, *, tables: int) -> tuple[int, int]:
    """(queries, meetings) of one generation from an empty draft with `tables` tables."""
    event.tables = tables
    event.save()
    event.meetings.all().delete()
    with CaptureQueriesContext(connection) as queries:
        schedule_generate(event=event)
    return len(queries), event.meetings.count()


def test_generating_more_meetings_costs_no_more_queries(liked_fair):
    event = liked_fair.event
    pair_matrix(event=event)  # the ranking index is built once per directory change
    few_queries, few = generation(event, tables=1)
    many_queries, many = generation(event, tables=2)
    assert (few, many) == (2, 4)
    assert many_queries <= few_queries
    # Each generated meeting still carries its score and the reason in words.
    meeting = event.meetings.get(eu=liked_fair.lyon, kr=liked_fair.chuncheon_p)
    assert "vaccines" in meeting.reason and meeting.score > 0.3


@pytest.fixture
def booked(fair):
    fair.meeting = meeting_add(
        event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0], table=1
    )
    return fair


@pytest.mark.parametrize(
    ("eu", "kr", "slot", "table", "message"),
    [
        ("turin", "daegu_p", 0, 1, "Table 1 is taken"),
        ("lyon", "daegu_p", 0, 2, "Lyon Life Sciences already has a meeting"),
        ("turin", "chuncheon_p", 0, 2, "Chuncheon Bioindustry Foundation already has a meeting"),
        ("lyon", "chuncheon_p", 1, 1, "already meet"),
        ("turin", "daegu_p", 0, 3, "Table 3 does not exist"),
    ],
)
def test_manual_meetings_that_break_a_rule_are_refused(booked, eu, kr, slot, table, message):
    with pytest.raises(ValidationError, match=message):
        meeting_add(
            event=booked.event,
            eu=getattr(booked, eu),
            kr=getattr(booked, kr),
            slot=booked.slots[slot],
            table=table,
        )
    assert booked.event.meetings.count() == 1


def test_manual_meetings_respect_the_maximum_availability_and_exclusions(booked):
    booked.event.max_meetings = 1
    booked.event.save()
    with pytest.raises(ValidationError, match="maximum of 1 meetings"):
        meeting_add(event=booked.event, eu=booked.lyon, kr=booked.gumi, slot=booked.slots[1])
    participant_availability_set(
        participant=booked.daegu_p, absent_from=booked.event.sessions.all()
    )
    with pytest.raises(ValidationError, match="does not attend Morning"):
        meeting_add(event=booked.event, eu=booked.turin, kr=booked.daegu_p, slot=booked.slots[1])
    exclusion_add(event=booked.event, first=booked.turin, second=booked.gumi)
    with pytest.raises(ValidationError, match="excluded"):
        meeting_add(event=booked.event, eu=booked.turin, kr=booked.gumi, slot=booked.slots[1])


def test_a_meeting_moves_to_a_free_place_and_becomes_fixed(booked):
    other = meeting_add(
        event=booked.event, eu=booked.turin, kr=booked.daegu_p, slot=booked.slots[1]
    )
    with pytest.raises(ValidationError, match="Table 1 is taken"):
        meeting_move(meeting=booked.meeting, slot=booked.slots[1], table=other.table)
    moved = meeting_move(meeting=booked.meeting, slot=booked.slots[1])
    assert (moved.slot_id, moved.table) == (booked.slots[1].pk, 2)
    Meeting.objects.filter(pk=other.pk).update(fixed=False)
    meeting_cancel(meeting=other)
    assert list(booked.event.meetings.values_list("pk", flat=True)) == [booked.meeting.pk]


def test_publishing_needs_meetings(fair):
    with pytest.raises(ValidationError, match="nothing|no meeting"):
        schedule_publish(event=fair.event)
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    fair.event.refresh_from_db()
    assert fair.event.published


def test_tables_per_round_are_never_exceeded(fair):
    fair.event.tables = 1
    fair.event.max_meetings = 5
    fair.event.save()
    schedule_generate(event=fair.event)
    per_slot = fair.event.meetings.values("slot").annotate(n=Count("pk"))
    assert [row["n"] for row in per_slot] == [1, 1]
    # The single table goes to the two best pairs.
    assert pairs(fair.event) == {("lyon-life", "chuncheon-bio"), ("turin-health", "daegu-water")}


def test_regenerating_never_loses_a_recorded_outcome(fair):
    """Issue 14: *Regenerate* turned "3 held, 1 not held" into "60 not recorded"."""
    schedule_generate(event=fair.event)
    meeting = fair.event.meetings.filter(fixed=False).first()
    place = (meeting.eu_id, meeting.kr_id, meeting.slot_id, meeting.table)
    meeting.held, meeting.follow_up, meeting.outcome_note = True, "mou", "MoU drafted"
    meeting.save()
    not_held = fair.event.meetings.filter(fixed=False).exclude(pk=meeting.pk).first()
    not_held.held = False
    not_held.save()
    schedule_generate(event=fair.event)
    kept = fair.event.meetings.get(eu_id=place[0], kr_id=place[1])
    assert (kept.eu_id, kept.kr_id, kept.slot_id, kept.table) == place
    assert (kept.held, kept.follow_up, kept.outcome_note) == (True, "mou", "MoU drafted")
    assert fair.event.meetings.get(pk=not_held.pk).held is False
    assert_valid(fair.event)
    assert fair.event.schedule_runs.first().fixed == 2


def test_a_cancelled_meeting_does_not_come_back_until_the_organiser_allows_it(fair):
    """Issue 14: a cancelled meeting came back at the next regeneration, same round and table."""
    schedule_generate(event=fair.event)
    meeting = fair.event.meetings.filter(fixed=False).first()
    pair = (meeting.eu_id, meeting.kr_id)
    meeting_cancel(meeting=meeting)
    schedule_generate(event=fair.event)
    assert not fair.event.meetings.filter(eu_id=pair[0], kr_id=pair[1]).exists()
    exclusion = fair.event.exclusions.get(eu_id=pair[0], kr_id=pair[1])
    assert exclusion.reason.startswith("Meeting cancelled")
    # Removing the exclusion is how the organiser asks for the pair again.
    exclusion.delete()
    schedule_generate(event=fair.event)
    assert fair.event.meetings.filter(eu_id=pair[0], kr_id=pair[1]).exists()


def test_a_meeting_with_a_recorded_outcome_is_not_cancelled(fair):
    schedule_generate(event=fair.event)
    meeting = fair.event.meetings.first()
    meeting.held = True
    meeting.save()
    with pytest.raises(ValidationError, match="recorded outcome"):
        meeting_cancel(meeting=meeting)
    assert fair.event.meetings.filter(pk=meeting.pk).exists()


def test_the_cancel_button_says_the_pair_will_not_come_back(client, fair):
    schedule_generate(event=fair.event)
    meeting = fair.event.meetings.first()
    client.force_login(fair.organiser)
    response = client.post(f"/events/{fair.event.slug}/meetings/{meeting.pk}/cancel/", follow=True)
    assert "will not be proposed again" in response.content.decode()
    assert not fair.event.meetings.filter(pk=meeting.pk).exists()


def test_a_fixed_meeting_of_an_excluded_pair_is_reported_not_counted_optimal(fair):
    """Issue 14: regeneration kept an excluded pair's fixed meeting and said "100%, optimal"."""
    meeting_add(event=fair.event, eu=fair.lyon, kr=fair.gumi, slot=fair.slots[1], table=2)
    exclusion_add(event=fair.event, first=fair.lyon, second=fair.gumi, reason="conflict")
    runs = fair.event.schedule_runs.count()
    with pytest.raises(ValidationError, match="Lyon Life Sciences / Gumi Mobile Mini Cluster"):
        schedule_generate(event=fair.event)
    assert fair.event.schedule_runs.count() == runs  # nothing generated, nothing reported


def test_an_exclusion_on_a_scheduled_pair_says_the_meeting_is_still_there(client, fair):
    meeting_add(event=fair.event, eu=fair.lyon, kr=fair.gumi, slot=fair.slots[1], table=2)
    client.force_login(fair.organiser)
    response = client.post(
        f"/events/{fair.event.slug}/exclusions/add/",
        {"eu": fair.lyon.pk, "kr": fair.gumi.pk, "reason": "conflict"},
        follow=True,
    )
    html = response.content.decode()
    assert "still have a meeting" in html and "Cancel it under Exclusions below" in html
