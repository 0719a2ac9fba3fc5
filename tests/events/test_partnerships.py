"""An organiser turns a meeting's outcome into a known partnership, once, for their own event."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from directory.models import Partnership
from directory.partnerships import partnership_record
from events.models import EventSession, Meeting
from events.outcomes import meeting_partnership_record
from events.schedule import schedule_generate
from tests.factories import EventFactory, UserFactory


@pytest.fixture
def met(fair):
    """The fair's schedule, with Lyon's meeting with Chuncheon held and leading to an MoU."""
    schedule_generate(event=fair.event)
    fair.meeting = Meeting.objects.get(eu=fair.lyon, kr=fair.chuncheon_p)
    Meeting.objects.filter(pk=fair.meeting.pk).update(held=True, follow_up="mou")
    return fair


def url(fair) -> str:
    return reverse("event_outcome_partnership", args=[fair.event.slug, fair.meeting.pk])


def outcomes(client, fair) -> str:
    return client.get(reverse("event_outcomes", args=[fair.event.slug])).content.decode()


def row_of(html: str, meeting) -> str:
    start = html.index(f'id="meeting-{meeting.pk}"')
    return html[start : html.index("</tr>", start)]


def test_an_organiser_records_an_mou_as_an_agreement_with_the_event_as_source(client, met):
    client.force_login(met.organiser)
    before = row_of(outcomes(client, met), met.meeting)
    assert "Record as a partnership" in before
    assert "as: agreement (MoU or contract)" in before
    response = client.post(url(met), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#meeting-{met.meeting.pk}")
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Lyon Life Sciences / Chuncheon Bioindustry Foundation recorded as a partnership "
        "(agreement (MoU or contract))."
    ]
    row = Partnership.objects.get()
    assert {row.first, row.second} == {met.actor, met.chuncheon}
    assert row.kind == "agreement"
    assert row.since == datetime.date(2026, 11, 24)
    assert row.source == (
        "Seoul Cluster Days: meeting of 24 November 2026, follow-up: MoU or agreement"
    )
    assert row.recorded_by == met.organiser
    after = row_of(response.content.decode(), met.meeting)
    assert "Recorded as a partnership" in after
    assert "<button" not in after.split("partnership-cell")[1]
    # And the partnership is on the actor's page for everybody.
    client.logout()
    assert row.source in client.get(met.actor.get_absolute_url()).content.decode()


def test_recording_twice_does_not_duplicate(client, met):
    client.force_login(met.organiser)
    client.post(url(met), follow=True)
    response = client.post(url(met), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Lyon Life Sciences / Chuncheon Bioindustry Foundation was already recorded as a "
        "partnership (agreement (MoU or contract)); nothing changed."
    ]
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize(
    ("follow_up", "kind"),
    [("project", "project"), ("talks", "event-meeting"), ("", "event-meeting")],
)
def test_the_kind_follows_the_outcome(client, met, follow_up, kind):
    Meeting.objects.filter(pk=met.meeting.pk).update(follow_up=follow_up)
    client.force_login(met.organiser)
    client.post(url(met))
    assert Partnership.objects.get().kind == kind


def test_a_meeting_not_held_is_not_offered_and_cannot_be_recorded(client, met):
    Meeting.objects.filter(pk=met.meeting.pk).update(held=None, follow_up="")
    client.force_login(met.organiser)
    assert "Record as a partnership" not in row_of(outcomes(client, met), met.meeting)
    response = client.post(url(met), follow=True)
    assert "Only a held meeting can be recorded as a partnership" in response.content.decode()
    assert not Partnership.objects.exists()


def test_a_meeting_in_the_future_cannot_be_recorded_yet(met):
    later = timezone.localdate() + datetime.timedelta(days=30)
    EventSession.objects.filter(event=met.event).update(date=later)
    meeting = Meeting.objects.select_related("slot__session", "event").get(pk=met.meeting.pk)
    with pytest.raises(ValidationError, match="once it has taken place"):
        meeting_partnership_record(meeting=meeting, by=met.organiser)
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("role", ["manager", "other_manager", "curator", "other_organiser"])
def test_only_the_events_organisers_can_record(client, met, role):
    user = (
        UserFactory(username="organiser-elsewhere")
        if role == "other_organiser"
        else getattr(met, role)
    )
    if role == "other_organiser":
        EventFactory(name="Busan Days", slug="busan-days").organisers.add(user)
    client.force_login(user)
    assert client.post(url(met)).status_code == 404
    assert not Partnership.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_and_a_get_is_refused(client, met):
    response = client.post(url(met))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(met.organiser)
    assert client.get(url(met)).status_code == 405
    assert not Partnership.objects.exists()


def test_a_meeting_of_another_event_is_not_found_under_this_one(client, met):
    other = EventFactory(name="Busan Days", slug="busan-days")
    other.organisers.add(met.organiser)
    client.force_login(met.organiser)
    wrong = reverse("event_outcome_partnership", args=[other.slug, met.meeting.pk])
    assert client.post(wrong).status_code == 404
    assert not Partnership.objects.exists()


def test_an_already_known_partnership_shows_as_recorded(client, met):
    partnership_record(
        actor=met.chuncheon, partner=met.actor, kind="agreement", source="Curator's record"
    )
    client.force_login(met.organiser)
    assert "Recorded as a partnership" in row_of(outcomes(client, met), met.meeting)
