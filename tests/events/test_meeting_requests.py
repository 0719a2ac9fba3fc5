"""Meeting requests: a participant's manager asks another participant for a meeting; the other
side accepts or declines; organisers see every request."""

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from events.models import (
    Meeting,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
)
from events.participants import participant_add, participant_decide
from events.requests import (
    accepted_unplaced,
    meeting_request_answer,
    meeting_request_send,
    meeting_request_withdraw,
    request_counts,
    requestable,
)
from events.schedule import meeting_add, meeting_cancel, schedule_publish
from events.wishes import exclusion_add, wishes_set
from tests.factories import ActorFactory, EventFactory, UserFactory


@pytest.fixture
def asked(fair):
    """`fair` with a manager for Chuncheon (Korean side)."""
    fair.kr_manager = UserFactory(username="chuncheon.manager")
    fair.chuncheon.managers.add(fair.kr_manager)
    return fair


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def requests_url(world, participant, action="") -> str:
    name = {"": "event_requests", "answer": "event_request_answer"}.get(
        action, "event_request_withdraw"
    )
    return reverse(name, args=[world.event.slug, participant.pk])


def rows():
    return list(MeetingRequest.objects.order_by("pk").values_list())


# -- the rules --------------------------------------------------------------------------------


def test_a_request_waits_for_the_other_side_and_is_no_longer_offered(asked):
    sent = meeting_request_send(
        sender=asked.lyon,
        receiver=asked.chuncheon_p,
        message="Vaccines together?",
        by=asked.manager,
    )
    assert sent.status == RequestStatus.PENDING
    assert sent.requested_by == asked.manager and sent.event == asked.event
    assert asked.chuncheon_p not in requestable(participant=asked.lyon)
    assert asked.lyon not in requestable(participant=asked.chuncheon_p)  # nor the other way
    assert asked.daegu_p in requestable(participant=asked.lyon)


@pytest.mark.parametrize(
    ("sender", "receiver", "says"),
    [
        ("lyon", "turin", "between a European and a Korean participant"),
        ("lyon", "lyon", "between a European and a Korean participant"),
    ],
)
def test_only_the_other_side_can_be_asked(asked, sender, receiver, says):
    with pytest.raises(ValidationError, match=says):
        meeting_request_send(sender=getattr(asked, sender), receiver=getattr(asked, receiver))
    assert rows() == []


def test_both_must_be_accepted_participants_of_one_event(asked):
    waiting = participant_add(event=asked.event, actor=ActorFactory(side="kr", country="KR"))
    Participant.objects.filter(pk=waiting.pk).update(status=ParticipantStatus.PENDING)
    waiting.refresh_from_db()
    with pytest.raises(ValidationError, match="not an accepted participant of this event"):
        meeting_request_send(sender=asked.lyon, receiver=waiting)
    with pytest.raises(ValidationError, match="not an accepted participant yet"):
        meeting_request_send(sender=waiting, receiver=asked.lyon)
    elsewhere = participant_add(event=EventFactory(slug="other-fair"), actor=asked.chuncheon)
    with pytest.raises(ValidationError, match="same event"):
        meeting_request_send(sender=asked.lyon, receiver=elsewhere)
    assert rows() == []


def test_an_excluded_pair_or_a_pair_already_meeting_cannot_be_asked(asked):
    exclusion_add(event=asked.event, first=asked.lyon, second=asked.gumi, reason="same group")
    with pytest.raises(ValidationError, match="organisers have ruled out a meeting"):
        meeting_request_send(sender=asked.lyon, receiver=asked.gumi)
    meeting_add(event=asked.event, eu=asked.lyon, kr=asked.daegu_p, slot=asked.slots[0])
    with pytest.raises(ValidationError, match="already have a meeting"):
        meeting_request_send(sender=asked.daegu_p, receiver=asked.lyon)
    assert rows() == []


def test_not_interested_must_be_changed_before_asking(asked):
    wishes_set(participant=asked.lyon, levels={asked.gumi.pk: "not"})
    with pytest.raises(ValidationError, match="marked Gumi Mobile Mini Cluster as not interested"):
        meeting_request_send(sender=asked.lyon, receiver=asked.gumi)


def test_no_second_request_either_way_while_one_is_pending_or_answered(asked):
    meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    with pytest.raises(ValidationError, match="You already asked"):
        meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    with pytest.raises(ValidationError, match="already asked to meet you: accept their request"):
        meeting_request_send(sender=asked.chuncheon_p, receiver=asked.lyon)
    assert MeetingRequest.objects.count() == 1


def test_a_declined_request_cannot_be_sent_again_a_withdrawn_one_can(asked):
    first = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p, message="one")
    meeting_request_answer(meeting_request=first, accept=False, reply="Not our field.")
    with pytest.raises(ValidationError, match="declined your request; a declined request cannot"):
        meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p, message="again")
    with pytest.raises(ValidationError, match="You declined"):
        meeting_request_send(sender=asked.chuncheon_p, receiver=asked.lyon)

    second = meeting_request_send(sender=asked.lyon, receiver=asked.daegu_p, message="first try")
    meeting_request_withdraw(meeting_request=second)
    again = meeting_request_send(sender=asked.lyon, receiver=asked.daegu_p, message="second try")
    assert again.pk == second.pk  # one row per pair and direction
    assert (again.status, again.message, again.reply) == (RequestStatus.PENDING, "second try", "")


def test_a_request_is_answered_once(asked):
    sent = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    meeting_request_answer(meeting_request=sent, accept=True, reply="Gladly", by=asked.kr_manager)
    sent.refresh_from_db()
    assert (sent.status, sent.reply, sent.answered_by) == ("accepted", "Gladly", asked.kr_manager)
    with pytest.raises(ValidationError, match="already accepted; nothing changed"):
        meeting_request_answer(meeting_request=sent, accept=False)
    with pytest.raises(ValidationError, match="already accepted"):
        meeting_request_withdraw(meeting_request=sent)
    sent.refresh_from_db()
    assert sent.status == RequestStatus.ACCEPTED


def test_accepting_someone_marked_not_interested_is_refused(asked):
    sent = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    wishes_set(participant=asked.chuncheon_p, levels={asked.lyon.pk: "not"})
    with pytest.raises(ValidationError, match="change that wish on the participant page first"):
        meeting_request_answer(meeting_request=sent, accept=True)
    meeting_request_answer(meeting_request=sent, accept=False)  # declining is always possible
    sent.refresh_from_db()
    assert sent.status == RequestStatus.DECLINED


@pytest.mark.parametrize(
    ("text", "says"),
    [("kfri\x00", "NUL"), ("가" * 501, "at most 500"), ("\ud800", "broken encoding")],
)
def test_a_message_the_site_cannot_store_is_refused(asked, text, says):
    with pytest.raises(ValidationError, match=says):
        meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p, message=text)
    sent = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    with pytest.raises(ValidationError, match=says):
        meeting_request_answer(meeting_request=sent, accept=True, reply=text)
    sent.refresh_from_db()
    assert sent.status == RequestStatus.PENDING


def test_an_accepted_request_without_a_meeting_in_a_published_schedule_is_flagged(asked):
    meeting_add(event=asked.event, eu=asked.turin, kr=asked.daegu_p, slot=asked.slots[0])
    sent = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    meeting_request_answer(meeting_request=sent, accept=True)
    assert accepted_unplaced(event=asked.event) == [sent]
    meeting_add(event=asked.event, eu=asked.lyon, kr=asked.chuncheon_p, slot=asked.slots[1])
    assert accepted_unplaced(event=asked.event) == []
    assert request_counts(event=asked.event) == {
        "pending": 0, "accepted": 1, "declined": 0, "withdrawn": 0,
    }  # fmt: skip


# -- the pages --------------------------------------------------------------------------------


def test_a_manager_asks_and_the_other_side_accepts_with_a_reply(asked):
    lyon_page = requests_url(asked, asked.lyon)
    owner = client_for(asked.manager)
    page = owner.get(lyon_page + f"?to={asked.chuncheon_p.pk}")
    assert page.status_code == 200
    assert f'<option value="{asked.chuncheon_p.pk}" selected>' in page.content.decode()
    response = owner.post(
        lyon_page, {"receiver": asked.chuncheon_p.pk, "message": "Vaccine trials in Gangwon?"}
    )
    assert response.status_code == 302
    sent = MeetingRequest.objects.get()
    assert (sent.sender, sent.receiver, sent.message) == (
        asked.lyon, asked.chuncheon_p, "Vaccine trials in Gangwon?",
    )  # fmt: skip

    korean = client_for(asked.kr_manager)
    participant_page = korean.get(
        reverse("event_participant", args=[asked.event.slug, asked.chuncheon_p.pk])
    )
    assert "1 waiting for your answer" in participant_page.content.decode()
    inbox = korean.get(requests_url(asked, asked.chuncheon_p)).content.decode()
    assert "Vaccine trials in Gangwon?" in inbox and "Lyon Life Sciences" in inbox
    response = korean.post(
        requests_url(asked, asked.chuncheon_p, "answer"),
        {"request": sent.pk, "decision": "accept", "reply": "Yes, table for two."},
        follow=True,
    )
    assert "You accepted Lyon Life Sciences's request" in unescape(response.content.decode())
    sent.refresh_from_db()
    assert (sent.status, sent.reply, sent.answered_by) == (
        "accepted",
        "Yes, table for two.",
        asked.kr_manager,
    )
    assert "Yes, table for two." in owner.get(lyon_page).content.decode()


def test_declining_asks_for_confirmation_first(asked):
    sent = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p, message="Hello")
    korean = client_for(asked.kr_manager)
    url = requests_url(asked, asked.chuncheon_p, "answer")
    confirm = korean.post(url, {"request": sent.pk, "decision": "decline", "reply": "Sorry"})
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Decline the request of Lyon Life Sciences?" in body and ">Sorry</textarea>" in body
    sent.refresh_from_db()
    assert sent.status == RequestStatus.PENDING
    korean.post(url, {"request": sent.pk, "decision": "decline", "reply": "Sorry", "confirm": "1"})
    sent.refresh_from_db()
    assert (sent.status, sent.reply) == (RequestStatus.DECLINED, "Sorry")


def test_withdrawing_asks_for_confirmation_first(asked):
    sent = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    owner = client_for(asked.manager)
    url = requests_url(asked, asked.lyon, "withdraw")
    confirm = owner.post(url, {"request": sent.pk})
    assert "Withdraw your request to Chuncheon Bioindustry Foundation?" in confirm.content.decode()
    sent.refresh_from_db()
    assert sent.status == RequestStatus.PENDING
    owner.post(url, {"request": sent.pk, "confirm": "1"})
    sent.refresh_from_db()
    assert sent.status == RequestStatus.WITHDRAWN


def test_a_refused_request_says_why_and_writes_nothing(asked):
    exclusion_add(event=asked.event, first=asked.lyon, second=asked.gumi)
    owner = client_for(asked.manager)
    page = owner.get(requests_url(asked, asked.lyon) + f"?to={asked.gumi.pk}").content.decode()
    assert "The organisers have ruled out a meeting between Lyon Life Sciences and Gumi" in page
    response = owner.post(
        requests_url(asked, asked.lyon), {"receiver": asked.gumi.pk, "message": "x"}, follow=True
    )
    assert "ruled out a meeting" in response.content.decode()
    # The site refuses a NUL anywhere (400); a message too long is shown with the form.
    url = requests_url(asked, asked.lyon)
    assert (
        owner.post(url, {"receiver": asked.chuncheon_p.pk, "message": "a\x00"}).status_code == 400
    )
    response = owner.post(url, {"receiver": asked.chuncheon_p.pk, "message": "가" * 501})
    assert response.status_code == 200
    assert "at most 500 characters (it has 501)" in response.content.decode()
    assert rows() == []


def test_another_managers_participant_is_404_and_nothing_changes(asked):
    sent = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    before = rows()
    outsider = client_for(asked.other_manager)  # manages Turin
    assert outsider.get(requests_url(asked, asked.lyon)).status_code == 404
    assert outsider.get(requests_url(asked, asked.chuncheon_p)).status_code == 404
    attempts = [
        (requests_url(asked, asked.lyon), {"receiver": asked.daegu_p.pk, "message": "hi"}),
        (
            requests_url(asked, asked.chuncheon_p, "answer"),
            {"request": sent.pk, "decision": "accept"},
        ),
        (requests_url(asked, asked.lyon, "withdraw"), {"request": sent.pk, "confirm": "1"}),
        # Its own participant in the address, someone else's request in the form.
        (requests_url(asked, asked.turin, "withdraw"), {"request": sent.pk, "confirm": "1"}),
        (requests_url(asked, asked.turin, "answer"), {"request": sent.pk, "decision": "accept"}),
    ]
    for url, data in attempts:
        assert outsider.post(url, data).status_code == 404, url
    # The sender cannot answer its own request, nor the receiver withdraw it.
    owner = client_for(asked.manager)
    answer = {"request": sent.pk, "decision": "accept"}
    assert owner.post(requests_url(asked, asked.lyon, "answer"), answer).status_code == 404
    korean = client_for(asked.kr_manager)
    withdraw = {"request": sent.pk, "confirm": "1"}
    assert (
        korean.post(requests_url(asked, asked.chuncheon_p, "withdraw"), withdraw).status_code == 404
    )
    assert rows() == before


def test_every_post_needs_a_csrf_token(asked):
    sent = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    client = Client(enforce_csrf_checks=True)
    client.force_login(asked.kr_manager)
    url = requests_url(asked, asked.chuncheon_p, "answer")
    assert client.post(url, {"request": sent.pk, "decision": "accept"}).status_code == 403
    sent.refresh_from_db()
    assert sent.status == RequestStatus.PENDING


def test_organisers_see_every_request_with_counts_and_what_to_place(asked):
    a = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p, message="A")
    b = meeting_request_send(sender=asked.turin, receiver=asked.daegu_p, message="B")
    meeting_request_send(sender=asked.gumi, receiver=asked.lyon, message="C")
    meeting_request_answer(meeting_request=a, accept=True, reply="ok")
    meeting_request_answer(meeting_request=b, accept=False)
    organiser = client_for(asked.organiser)
    url = reverse("event_requests_all", args=[asked.event.slug])
    page = organiser.get(url).content.decode()
    for status, count in (("pending", 1), ("accepted", 1), ("declined", 1), ("withdrawn", 0)):
        assert f'data-status="{status}">{count}</strong>' in page
    assert "The schedule is published" not in page
    declined = organiser.get(url + "?status=declined").content.decode()
    assert "Turin Health Cluster" in declined and "Lyon Life Sciences" not in declined

    meeting_add(event=asked.event, eu=asked.turin, kr=asked.gumi, slot=asked.slots[0])
    schedule_publish(event=asked.event)
    page = organiser.get(url).content.decode()
    assert "1 accepted request has no meeting in it" in page
    assert "Lyon Life Sciences / Chuncheon Bioindustry Foundation" in page
    for user in (asked.manager, asked.kr_manager, asked.other_manager):
        assert client_for(user).get(url).status_code == 404


def test_accepted_requests_that_can_no_longer_meet_are_said_apart_with_why(asked):
    """Only pairs an update could place are listed to place; the others are named with what
    keeps them apart: a cancelled meeting, a "not interested" wish, a side declined."""
    f = asked
    placeable = meeting_request_send(sender=f.lyon, receiver=f.chuncheon_p)
    cancelled = meeting_request_send(sender=f.turin, receiver=f.chuncheon_p)
    refused = meeting_request_send(sender=f.lyon, receiver=f.gumi)
    declined = meeting_request_send(sender=f.turin, receiver=f.daegu_p)
    for sent in (placeable, cancelled, refused, declined):
        meeting_request_answer(meeting_request=sent, accept=True)
    meeting_cancel(
        meeting=meeting_add(event=f.event, eu=f.turin, kr=f.chuncheon_p, slot=f.slots[0])
    )
    wishes_set(participant=f.gumi, levels={f.lyon.pk: "not"})
    participant_decide(participant=f.daegu_p, accept=False)
    meeting_add(event=f.event, eu=f.turin, kr=f.gumi, slot=f.slots[1])
    schedule_publish(event=f.event)

    assert accepted_unplaced(event=f.event) == [placeable]
    page = unescape(
        client_for(f.organiser)
        .get(reverse("event_requests_all", args=[f.event.slug]))
        .content.decode()
    )
    to_place = page.split('class="error-box unplaced"')[1].split("</div>")[0]
    assert "1 accepted request has no meeting in it" in to_place
    assert "Lyon Life Sciences / Chuncheon Bioindustry Foundation" in to_place
    apart = page.split('class="panel unplaceable"')[1].split("</div>")[0]
    assert "3 accepted requests can no longer become a meeting" in apart
    assert "Turin Health Cluster / Chuncheon Bioindustry Foundation: ruled out by the " in apart
    assert "(Meeting cancelled on" in apart
    assert "Gumi Mobile Mini Cluster marked Lyon Life Sciences as not interested" in apart
    assert "Daegu Water Cluster is no longer an accepted participant" in apart


def test_asking_for_anyone_but_an_accepted_participant_of_the_other_side_names_no_one(asked):
    """?to= only names the other side's accepted participants: a pending or declined
    registration, a participant of one's own side or of another event reads like an unknown
    number (no name, nothing chosen)."""
    pending = Participant.objects.create(
        event=asked.event,
        actor=ActorFactory(slug="busan-new", name="Busan Newcomer", side="kr", country="KR"),
    )
    elsewhere = Participant.objects.create(
        event=EventFactory(slug="other-days"),
        actor=ActorFactory(slug="ulsan-x", name="Ulsan Elsewhere", side="kr", country="KR"),
        status=ParticipantStatus.ACCEPTED,
    )
    owner = client_for(asked.manager)
    url = requests_url(asked, asked.lyon)
    unknown = owner.get(url, {"to": 999999}).content.decode()
    for hidden, name in (
        (pending, "Busan Newcomer"),
        (elsewhere, "Ulsan Elsewhere"),
        (asked.turin, "Turin Health Cluster"),
    ):
        page = owner.get(url, {"to": hidden.pk}).content.decode()
        assert name not in page
        assert '<p class="error-box">' not in page
        assert not re.search(r'<option value="\d+" selected>', page)
    assert '<p class="error-box">' not in unknown
    # An accepted participant of the other side is still chosen for the manager.
    page = owner.get(url, {"to": asked.daegu_p.pk}).content.decode()
    assert f'<option value="{asked.daegu_p.pk}" selected>' in page


def test_accepting_after_publication_tells_the_manager_the_organisers_place_it(asked):
    meeting_add(event=asked.event, eu=asked.turin, kr=asked.gumi, slot=asked.slots[0])
    schedule_publish(event=asked.event)
    sent = meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p)
    response = client_for(asked.kr_manager).post(
        requests_url(asked, asked.chuncheon_p, "answer"),
        {"request": sent.pk, "decision": "accept"},
        follow=True,
    )
    assert "the organisers are told to place this meeting" in response.content.decode()
    assert not Meeting.objects.filter(eu=asked.lyon, kr=asked.chuncheon_p).exists()


def hostile_forms_change_nothing(client, url: str, prefix: str) -> list[str]:
    """Every form on `url` posting under `prefix`, sent back with each hostile text of
    tests/test_hostile_input.py in all its fields: never a server error, and a refusal (4xx or
    the page again) leaves the database as it was."""
    from tests.test_hostile_input import HOSTILE, fingerprint, forms_on, send

    problems = []
    forms = [f for f in forms_on(client, url) if f.method == "post" and prefix in f.action]
    assert forms, f"no form under {prefix} on {url}"
    for form in forms:
        fuzzable = [n for n in form.fields if n != "csrfmiddlewaretoken"]
        for label, value in HOSTILE.items():
            known = fingerprint()
            response = send(client, form, {**form.fields, **dict.fromkeys(fuzzable, [value])})
            status = response.status_code
            if status >= 500:
                problems.append(f"{form.action} [{label}]: {status}")
            if status in (200, 400) and fingerprint() != known:
                problems.append(f"{form.action} [{label}]: refused with {status}, but changed")
    return problems


def test_hostile_text_in_the_request_forms_is_refused_without_a_change(asked):
    meeting_request_send(sender=asked.lyon, receiver=asked.chuncheon_p, message="Hello")
    meeting_request_send(sender=asked.daegu_p, receiver=asked.lyon, message="Hi")
    owner = client_for(asked.manager)
    url = requests_url(asked, asked.lyon)
    assert hostile_forms_change_nothing(owner, url, "/requests/") == []
    assert MeetingRequest.objects.filter(status=RequestStatus.PENDING).count() == 2
