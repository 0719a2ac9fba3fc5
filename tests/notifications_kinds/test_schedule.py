"""Managers hear that their schedule is published and of every change to it, once per action."""

import pytest
from django.db import transaction

from events.models import ScheduleChange, ScheduleProposal
from events.notices import (
    SCHEDULE_CHANGED,
    SCHEDULE_PUBLISHED,
    TELL_CHANGES_JOB,
    schedule_changes_send,
)
from events.participants import participant_decide
from events.repair import MOVED, repair_apply, schedule_fingerprint
from events.schedule import (
    meeting_add,
    meeting_cancel,
    meeting_move,
    schedule_publish,
    schedule_unpublish,
)
from jobs.models import Job
from tests.factories import ActorFactory, EventFactory, UserFactory
from tests.notifications_kinds.conftest import emailed, inbox_only, messages, only

pytestmark = pytest.mark.django_db

ZONE = "Times are in the event's time zone, Asia/Seoul (UTC+09:00)."


def _managers(f):
    """A manager for each Korean participant (the European ones have theirs)."""
    f.kim = UserFactory(username="kim")
    f.chuncheon.managers.add(f.kim)
    f.dae = UserFactory(username="dae")
    f.daegu.managers.add(f.dae)
    f.gumi_boss = UserFactory(username="gumi-boss")
    f.korean.managers.add(f.gumi_boss)
    # A participant of another event, who must hear nothing of this one.
    elsewhere = EventFactory(name="Another fair", slug="another-fair")
    far = ActorFactory(name="Far Away Cluster", slug="far-away")
    f.far_manager = UserFactory(username="far")
    far.managers.add(f.far_manager)
    from events.participants import participant_add

    participant_add(event=elsewhere, actor=far)
    return f


@pytest.fixture
def drafted(liked_fair):
    """The four meetings of `published_four`, not published yet."""
    f = _managers(liked_fair)
    r1, r2 = f.slots
    f.m = {
        "lyon-chuncheon": meeting_add(event=f.event, eu=f.lyon, kr=f.chuncheon_p, slot=r1, table=1),
        "turin-daegu": meeting_add(event=f.event, eu=f.turin, kr=f.daegu_p, slot=r1, table=2),
        "lyon-daegu": meeting_add(event=f.event, eu=f.lyon, kr=f.daegu_p, slot=r2, table=1),
        "turin-chuncheon": meeting_add(
            event=f.event, eu=f.turin, kr=f.chuncheon_p, slot=r2, table=2
        ),
    }
    return f


@pytest.fixture
def published(published_four):
    return _managers(published_four)


def test_publishing_brings_each_participant_its_agenda(drafted, told):
    f = drafted
    with told():
        schedule_publish(event=f.event, by=f.organiser)

    note = only(f.manager, SCHEDULE_PUBLISHED)
    assert note.subject == (
        "Seoul Cluster Days: the meeting schedule of Lyon Life Sciences is published"
    )
    assert "The meetings of Lyon Life Sciences:" in note.body
    assert "- Tue 24 Nov 09:00-09:25, table 1: Chuncheon Bioindustry Foundation" in note.body
    assert "- Tue 24 Nov 09:30-09:55, table 1: Daegu Water Cluster" in note.body
    assert ZONE in note.body
    assert note.link == f"/events/seoul-days/participants/{f.lyon.pk}/agenda/"
    assert emailed(note)
    # Each its own agenda: Kim reads Chuncheon's, which does not list Daegu's meetings.
    kim = only(f.kim, SCHEDULE_PUBLISHED)
    assert "table 1: Lyon Life Sciences" in kim.body and "Daegu" not in kim.body
    assert "Gumi Mobile Mini Cluster has no meeting" in only(f.gumi_boss, SCHEDULE_PUBLISHED).body
    # Contact persons never; the organiser and other events' participants hear nothing.
    assert "Marie" not in note.body and "Kim Hidden" not in kim.body
    assert messages(f.organiser, SCHEDULE_PUBLISHED) == []
    assert messages(f.far_manager, SCHEDULE_PUBLISHED) == []
    # Written by one job, off the page that published.
    assert list(Job.objects.filter(kind=TELL_CHANGES_JOB).values_list("status", flat=True)) == [
        "succeeded"
    ]


def test_publishing_again_tells_nobody_twice_and_inbox_only_is_respected(drafted, told):
    f = drafted
    inbox_only(f.manager, SCHEDULE_PUBLISHED)
    with told():
        schedule_publish(event=f.event, by=f.organiser)
    with told():
        schedule_publish(event=f.event, by=f.organiser)  # published already: nothing logged
    assert not emailed(only(f.manager, SCHEDULE_PUBLISHED))
    # The same logged changes sent twice (a retried callback) reach nobody twice.
    schedule_changes_send(change_ids=list(ScheduleChange.objects.values_list("pk", flat=True)))
    assert len(messages(f.kim, SCHEDULE_PUBLISHED)) == 1


def test_changes_to_a_draft_tell_no_one(drafted, told):
    f = drafted
    with told():
        meeting_cancel(meeting=f.m["lyon-chuncheon"], by=f.organiser)
    for user in (f.manager, f.kim):
        assert messages(user, SCHEDULE_CHANGED) == []


def test_a_cancelled_meeting_is_told_to_both_sides_only(published, told):
    f = published
    with told():
        meeting_cancel(meeting=f.m["lyon-chuncheon"], by=f.organiser, note="room closed")

    note = only(f.manager, SCHEDULE_CHANGED)
    assert note.subject == "Seoul Cluster Days: a change to the meetings of Lyon Life Sciences"
    assert (
        "- Your meeting with Chuncheon Bioindustry Foundation on Tue 24 Nov 09:00-09:25, "
        "table 1, is cancelled." in note.body
    )
    # The agenda as it stands now, and the zone the times are in.
    assert "The meetings of Lyon Life Sciences now:" in note.body
    assert "- Tue 24 Nov 09:30-09:55, table 1: Daegu Water Cluster" in note.body
    assert ZONE in note.body
    assert note.link == f"/events/seoul-days/participants/{f.lyon.pk}/agenda/"
    assert "Your meeting with Lyon Life Sciences" in only(f.kim, SCHEDULE_CHANGED).body
    for user in (f.other_manager, f.dae, f.gumi_boss, f.far_manager, f.organiser):
        assert messages(user, SCHEDULE_CHANGED) == []


def test_a_manager_who_cancels_is_not_told_of_it_but_the_colleague_is(published, told):
    f = published
    colleague = UserFactory(username="colleague")
    f.actor.managers.add(colleague)
    with told():
        meeting_cancel(meeting=f.m["lyon-chuncheon"], by=f.manager)
    assert messages(f.manager, SCHEDULE_CHANGED) == []
    assert len(messages(colleague, SCHEDULE_CHANGED)) == 1
    assert len(messages(f.kim, SCHEDULE_CHANGED)) == 1


def test_an_update_moving_many_meetings_makes_one_message_per_participant(published, told):
    f = published
    r1, r2 = f.slots
    # The two rounds swap: every participant has two meetings moved, in one update.
    swap = {
        "lyon-chuncheon": (r2, 1), "turin-daegu": (r2, 2),
        "lyon-daegu": (r1, 1), "turin-chuncheon": (r1, 2),
    }  # fmt: skip
    lines = [
        {
            "action": MOVED, "meeting": f.m[key].pk, "eu": f.m[key].eu_id, "kr": f.m[key].kr_id,
            "slot": slot.pk, "table": table, "why": "",
        }
        for key, (slot, table) in swap.items()
    ]  # fmt: skip
    proposal = ScheduleProposal.objects.create(
        event=f.event, created_by=f.organiser, based_on=schedule_fingerprint(event=f.event),
        placements=lines, summary={},
    )  # fmt: skip
    with told():
        repair_apply(proposal=proposal, by=f.organiser)

    note = only(f.manager, SCHEDULE_CHANGED)
    assert note.subject == "Seoul Cluster Days: 2 changes to the meetings of Lyon Life Sciences"
    assert (
        "- Your meeting with Chuncheon Bioindustry Foundation moved from Tue 24 Nov "
        "09:00-09:25, table 1, to Tue 24 Nov 09:30-09:55, table 1." in note.body
    )
    assert (
        "- Your meeting with Daegu Water Cluster moved from Tue 24 Nov 09:30-09:55, table 1, "
        "to Tue 24 Nov 09:00-09:25, table 1." in note.body
    )
    for user in (f.other_manager, f.kim, f.dae):
        assert len(messages(user, SCHEDULE_CHANGED)) == 1
    assert messages(f.gumi_boss, SCHEDULE_CHANGED) == []


def test_a_participant_leaving_tells_its_counterparts_why(published, told):
    f = published
    with told():
        participant_decide(participant=f.lyon, accept=False, by=f.organiser)
    kim = only(f.kim, SCHEDULE_CHANGED)
    assert (
        "Your meeting with Lyon Life Sciences on Tue 24 Nov 09:00-09:25, table 1, is cancelled "
        "(Lyon Life Sciences no longer takes part in the event)." in kim.body
    )
    assert len(messages(f.dae, SCHEDULE_CHANGED)) == 1
    # Lyon's managers hear the decision, not a list of cancellations of an agenda they lost.
    assert messages(f.manager, SCHEDULE_CHANGED) == []


def test_changes_while_withdrawn_wait_for_the_next_publication(published, told):
    f = published
    with told():
        schedule_unpublish(event=f.event, by=f.organiser)
    with told():
        meeting_cancel(meeting=f.m["lyon-chuncheon"], by=f.organiser)
    assert messages(f.manager, SCHEDULE_CHANGED) == []
    with told():
        schedule_publish(event=f.event, by=f.organiser)
    note = only(f.manager, SCHEDULE_PUBLISHED)
    # The new agenda, and the meeting they were told of named as cancelled, not just gone.
    agenda = note.body.split("The meetings of Lyon Life Sciences now:")[1]
    assert "Chuncheon" not in agenda and "Daegu Water Cluster" in agenda
    assert (
        "What changed for Lyon Life Sciences since it was last published:\n"
        "- Your meeting with Chuncheon Bioindustry Foundation on Tue 24 Nov 09:00-09:25, "
        "table 1, is cancelled." in note.body
    )
    # Daegu's meetings did not change: its message names none.
    assert "What changed" not in only(f.dae, SCHEDULE_PUBLISHED).body


def test_a_publisher_who_manages_a_participant_is_not_told_of_their_own_acts(published, told):
    # Publishing, and a cancellation made while withdrawn, are the publisher's own acts: the
    # publisher, also a manager of Lyon, hears of neither; Lyon's other manager hears of both.
    f = published
    f.actor.managers.add(f.organiser)
    with told():
        schedule_unpublish(event=f.event, by=f.organiser)
    with told():
        meeting_cancel(meeting=f.m["lyon-chuncheon"], by=f.organiser)
    with told():
        schedule_publish(event=f.event, by=f.organiser)
    assert messages(f.organiser, SCHEDULE_PUBLISHED) == []
    assert "Chuncheon Bioindustry Foundation on Tue 24 Nov 09:00-09:25, table 1, is cancelled" in (
        only(f.manager, SCHEDULE_PUBLISHED).body
    )


def test_publishing_again_names_the_net_change_of_each_meeting(published, told):
    f = published
    r1 = f.slots[0]
    with told():
        schedule_unpublish(event=f.event, by=f.organiser)
    with told():
        # Turin / Daegu cancelled, freeing table 2 of the first round.
        meeting_cancel(meeting=f.m["turin-daegu"], by=f.organiser)
    with told():
        # Lyon / Chuncheon moves to the freed table, back, and there again.
        moved = meeting_move(meeting=f.m["lyon-chuncheon"], slot=r1, table=2, by=f.organiser)
    with told():
        meeting_move(meeting=moved, slot=r1, table=1, by=f.organiser)
    with told():
        meeting_move(meeting=moved, slot=r1, table=2, by=f.organiser)
    with told():
        schedule_publish(event=f.event, by=f.organiser)

    dae = only(f.dae, SCHEDULE_PUBLISHED).body
    assert (
        "- Your meeting with Turin Health Cluster on Tue 24 Nov 09:00-09:25, table 2, is "
        "cancelled." in dae
    )
    assert "moved" not in dae
    kim = only(f.kim, SCHEDULE_PUBLISHED).body
    assert kim.count("moved") == 1  # three moves, one change: from table 1 to table 2
    assert (
        "- Your meeting with Lyon Life Sciences on Tue 24 Nov 09:00-09:25 moved from table 1 "
        "to table 2." in kim
    )
    assert "What changed" not in only(f.gumi_boss, SCHEDULE_PUBLISHED).body


def test_an_inbox_only_manager_gets_no_email_of_changes(published, told):
    f = published
    inbox_only(f.kim, SCHEDULE_CHANGED)
    with told():
        meeting_cancel(meeting=f.m["lyon-chuncheon"], by=f.organiser)
    assert not emailed(only(f.kim, SCHEDULE_CHANGED))
    assert emailed(only(f.manager, SCHEDULE_CHANGED))


def test_a_change_rolled_back_tells_no_one(published, told):
    f = published
    with told():
        try:
            with transaction.atomic():
                meeting_cancel(meeting=f.m["lyon-chuncheon"], by=f.organiser)
                raise RuntimeError("something failed after the cancellation")
        except RuntimeError:
            pass
    assert messages(f.manager, SCHEDULE_CHANGED) == []
    assert messages(f.kim, SCHEDULE_CHANGED) == []
    # And the next change is told on its own.
    with told():
        meeting_cancel(meeting=f.m["lyon-daegu"], by=f.organiser)
    note = only(f.manager, SCHEDULE_CHANGED)
    assert "Daegu" in note.body and "Chuncheon Bioindustry Foundation on" not in note.body
