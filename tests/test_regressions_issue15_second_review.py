"""Second attack on issue 15: people who change their minds after messages went out.

Each test failed on a defect that review found and guards its fix; the comment above it says
what a user experienced.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from directory.models import Status
from directory.roles import ORGANISERS_GROUP
from directory.saved_searches import saved_search_check, saved_search_create
from events.models import Event
from events.schedule import meeting_cancel, schedule_publish, schedule_unpublish
from events.setup import event_slots_sync
from notifications.models import Notification
from tests.events.conftest import liked_fair, published_four  # noqa: F401
from tests.factories import ActorFactory, SectorFactory, UserFactory

pytestmark = pytest.mark.django_db


def told(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("pk"))


def test_a_shorter_meeting_length_after_publication_says_what_changed(
    request, django_capture_on_commit_callbacks
):
    # The organiser shortens meetings from 25 to 20 minutes (break 5 -> 10, so every round
    # still starts at the same time) after publishing. Lyon's manager gets one message whose
    # lines read "Your meeting with Chuncheon ... moved from Tue 24 Nov 09:00, table 1, to
    # Tue 24 Nov 09:00, table 1." — a move to exactly where it was: the one thing that changed
    # (it now ends at 09:20) is not said. Fault: events/setup.py _log_resized logs a MOVED row
    # with the same start and table, and events/notices.py change_line prints only starts.
    from events.notices import SCHEDULE_CHANGED

    f = request.getfixturevalue("published_four")
    was = Event.objects.get(pk=f.event.pk)
    f.event.meeting_minutes, f.event.break_minutes = 20, 10
    f.event.save()
    with django_capture_on_commit_callbacks(execute=True):
        event_slots_sync(event=f.event, by=f.organiser, was=was)
    (note,) = told(f.manager, SCHEDULE_CHANGED)  # told once, both meetings in it
    changes = note.body.split("now:")[0]
    assert "09:20" in changes or "ends" in changes, note.body  # FAILS: end time not named
    assert "table 1 to Tue 24 Nov 09:00, table 1." not in changes  # "moved" to itself


def test_an_organiser_who_manages_a_participant_hears_of_a_cancellation_made_by_another(
    request, django_capture_on_commit_callbacks
):
    # Alex organises the event and manages Daegu. Alex withdraws the schedule; a second
    # organiser cancels Daegu's meeting with Lyon meanwhile; Alex publishes again. Alex is
    # never told that Daegu's meeting with Lyon was cancelled: the republication's message
    # (which names the changes made while withdrawn) is skipped for whoever publishes, as if
    # the cancellation had been Alex's own act. Daegu's other manager is told.
    # Fault: events/notices.py _schedule_published, `_managers(participant, but=[change.made_by])`
    # leaves out the publisher even for changes someone else made.
    from events.notices import SCHEDULE_PUBLISHED

    f = request.getfixturevalue("published_four")
    alex = UserFactory(username="alex")
    alex.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    f.event.organisers.add(alex)
    f.daegu.managers.add(alex)
    dae = UserFactory(username="dae")
    f.daegu.managers.add(dae)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_unpublish(event=f.event, by=alex)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=f.m["lyon-daegu"], by=f.organiser)
    f.event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(event=f.event, by=alex)
    (other,) = told(dae, SCHEDULE_PUBLISHED)
    assert "Lyon Life Sciences" in other.body and "cancelled" in other.body
    mine = [n for n in Notification.objects.filter(recipient=alex) if "Lyon" in n.body]
    assert mine, "Alex was never told Daegu's meeting with Lyon was cancelled"  # FAILS


def test_an_actor_hidden_for_a_day_and_shown_again_is_not_announced_as_new(cast):
    # A saved search "Korean biotech" already alerted its owner about Osong. A curator hides
    # Osong's profile for a day (draft, to fix its contact) and publishes it again. The next
    # alert says "1 new actor in your saved search" naming Osong: an actor the owner has known
    # for weeks is announced as new. Fault: directory/saved_searches.py saved_search_check
    # replaces `seen` with what matches now, forgetting actors that left for a while.
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    osong = ActorFactory(slug="osong", name="Osong Medical Foundation", side="kr", country="KR")
    osong.sectors.set([bio])
    searcher = UserFactory(username="searcher")
    search = saved_search_create(
        owner=searcher, name="Korean biotech", query="side=kr&sector=biopharmaceuticals"
    )
    osong.status = Status.DRAFT
    osong.save()
    saved_search_check(search_id=search.pk)  # the daily check while it is hidden
    osong.status = Status.PUBLISHED
    osong.save()
    saved_search_check(search_id=search.pk)
    assert told(searcher, "directory.saved_search") == []  # FAILS: "1 new actor": Osong
