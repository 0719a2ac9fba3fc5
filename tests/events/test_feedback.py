"""After the event: each side rates its meetings and says what follows; the answers fill the
outcomes organisers see until an organiser records the outcome."""

import datetime as dt
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.dashboard import meetings_of
from events.feedback import feedback_give, feedback_items
from events.models import Meeting, MeetingFeedback
from events.outcomes import meeting_outcome_record, outcome_report
from events.schedule import meeting_add, schedule_publish
from tests.events.test_onsite import starting
from tests.factories import UserFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def after(fair):
    """`fair`, published and over: Lyon met Chuncheon, Turin met Daegu."""
    fair.kr_manager = UserFactory(username="chuncheon.manager")
    fair.chuncheon.managers.add(fair.kr_manager)
    fair.first = meeting_add(
        event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=fair.slots[0]
    )
    fair.second = meeting_add(event=fair.event, eu=fair.turin, kr=fair.daegu_p, slot=fair.slots[1])
    schedule_publish(event=fair.event)
    starting(fair, timezone.now() - dt.timedelta(days=1))
    fair.first.refresh_from_db()
    return fair


def feedback_url(world, participant) -> str:
    return reverse("event_feedback", args=[world.event.slug, participant.pk])


def report(world) -> dict:
    return outcome_report(meetings=list(meetings_of(world.event)))


def test_each_side_rates_a_meeting_once_and_can_change_it(after):
    feedback_give(meeting=after.first, participant=after.lyon, rating=4, follow_up="talks")
    feedback_give(
        meeting=after.first, participant=after.lyon, rating=5, follow_up="mou", comment="Signing"
    )
    feedback_give(meeting=after.first, participant=after.chuncheon_p, rating=3, follow_up="none")
    answers = dict(MeetingFeedback.objects.values_list("side", "rating"))
    assert answers == {"eu": 5, "kr": 3}


@pytest.mark.parametrize(
    ("rating", "follow_up", "comment", "says"),
    [
        (0, "talks", "", "rating from 1"),
        (6, "talks", "", "rating from 1"),
        (3, "lunch", "", "what follows"),
        (3, "talks", "x" * 1001, "at most 1,000"),
        (3, "talks", "a\x00", "NUL"),
    ],
)
def test_bad_feedback_is_refused_with_a_reason(after, rating, follow_up, comment, says):
    with pytest.raises(ValidationError, match=says):
        feedback_give(
            meeting=after.first, participant=after.lyon, rating=rating, follow_up=follow_up,
            comment=comment,
        )  # fmt: skip
    assert not MeetingFeedback.objects.exists()


def test_feedback_waits_for_the_meeting_and_skips_meetings_not_held(after):
    starting(after, timezone.now() + dt.timedelta(hours=3))
    after.first.refresh_from_db()
    with pytest.raises(ValidationError, match="once it has taken place"):
        feedback_give(meeting=after.first, participant=after.lyon, rating=4, follow_up="talks")
    assert [item.open for item in feedback_items(participant=after.lyon)] == [False]
    starting(after, timezone.now() - dt.timedelta(hours=3))
    Meeting.objects.filter(pk=after.first.pk).update(held=False, no_show="kr")
    after.first.refresh_from_db()
    with pytest.raises(ValidationError, match="recorded as not held"):
        feedback_give(meeting=after.first, participant=after.lyon, rating=4, follow_up="talks")
    with pytest.raises(ValidationError, match="not one of this participant's"):
        feedback_give(meeting=after.second, participant=after.lyon, rating=4, follow_up="talks")
    assert not MeetingFeedback.objects.exists()


def test_feedback_fills_the_outcome_until_an_organiser_records_one(after):
    assert report(after)["unknown"] == 2
    feedback_give(meeting=after.first, participant=after.lyon, rating=5, follow_up="talks")
    feedback_give(meeting=after.first, participant=after.chuncheon_p, rating=4, follow_up="mou")
    figures = report(after)
    assert (figures["held"], figures["unknown"], figures["from_feedback"]) == (1, 1, 1)
    assert dict(figures["follow_ups"])["MoU or agreement"] == 1  # the stronger of the two
    assert [m.pk for m in figures["promising"]] == [after.first.pk]
    # The organisers' record wins, whatever the participants said.
    meeting_outcome_record(meeting=after.first, held=False, note="Only Lyon came")
    figures = report(after)
    assert (figures["held"], figures["not_held"], figures["from_feedback"]) == (0, 1, 0)
    assert figures["promising"] == []


def test_a_manager_gives_feedback_on_the_page_and_organisers_see_both_sides(after):
    owner = client_for(after.manager)
    page = owner.get(feedback_url(after, after.lyon)).content.decode()
    assert "Chuncheon Bioindustry Foundation" in page and "Turin" not in page
    response = owner.post(
        feedback_url(after, after.lyon),
        {"meeting": after.first.pk, "rating": "5", "follow_up": "project", "comment": "Joint call"},
        follow=True,
    )
    assert "Your feedback on the meeting with Chuncheon" in response.content.decode()
    client_for(after.kr_manager).post(
        feedback_url(after, after.chuncheon_p),
        {"meeting": after.first.pk, "rating": "4", "follow_up": "talks", "comment": ""},
    )
    outcomes = client_for(after.organiser).get(reverse("event_outcomes", args=[after.event.slug]))
    body = unescape(outcomes.content.decode())
    assert "5/5, joint project — “Joint call”" in body
    assert "4/5, further talks" in body
    assert "From the participants' feedback; Save to record it as yours." in body
    assert "1 of them only from the participants' feedback" in body


def test_feedback_form_errors_are_told_and_nothing_is_written(after):
    owner = client_for(after.manager)
    url = feedback_url(after, after.lyon)
    response = owner.post(
        url, {"meeting": after.first.pk, "rating": "", "follow_up": "talks"}, follow=True
    )
    assert "Give a rating from 1 (not useful) to 5 (very useful)." in response.content.decode()
    assert not MeetingFeedback.objects.exists()


def test_another_managers_participant_or_meeting_is_404_and_nothing_changes(after):
    outsider = client_for(after.other_manager)  # manages Turin
    data = {"meeting": after.first.pk, "rating": "1", "follow_up": "none"}
    assert outsider.get(feedback_url(after, after.lyon)).status_code == 404
    assert outsider.post(feedback_url(after, after.lyon), data).status_code == 404
    # Its own participant in the address, a meeting of others in the form.
    assert outsider.post(feedback_url(after, after.turin), data).status_code == 404
    assert not MeetingFeedback.objects.exists()
