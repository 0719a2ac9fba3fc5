"""Meeting requests and their answers (managers); registrations (organisers, then managers)."""

import pytest
from django.core.exceptions import ValidationError

from events.models import Participant
from events.notices import (
    REGISTRATION_DECIDED,
    REGISTRATION_WAITING,
    REQUEST_ANSWERED,
    REQUEST_RECEIVED,
)
from events.participants import participant_decide, participant_register
from events.requests import meeting_request_answer, meeting_request_send, meeting_request_withdraw
from tests.factories import ActorFactory, EventFactory, UserFactory
from tests.notifications_kinds.conftest import emailed, inbox_only, messages, only

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean_managers(fair):
    fair.kim = UserFactory(username="kim")
    fair.park = UserFactory(username="park")
    fair.chuncheon.managers.add(fair.kim, fair.park)
    return fair


def _ask(f, told, message="We make vaccine adjuvants."):
    with told():
        return meeting_request_send(
            sender=f.lyon, receiver=f.chuncheon_p, message=message, by=f.manager
        )


def test_every_manager_of_the_receiver_hears_of_a_request(korean_managers, told):
    f = korean_managers
    colleague = UserFactory(username="colleague")
    f.actor.managers.add(colleague)
    _ask(f, told)

    for user in (f.kim, f.park):
        note = only(user, REQUEST_RECEIVED)
        assert note.subject == (
            "Lyon Life Sciences asks to meet Chuncheon Bioindustry Foundation at Seoul Cluster Days"
        )
        assert "“We make vaccine adjuvants.”" in note.body
        assert "accept or decline" in note.body
        assert note.link == f"/events/seoul-days/participants/{f.chuncheon_p.pk}/requests/"
        assert emailed(note)
        # The sender's contact persons are never in it.
        assert "Marie" not in note.body and "marie.secret" not in note.body
    # The sender, their colleagues, other participants and the organisers are not told.
    for user in (f.manager, colleague, f.other_manager, f.organiser):
        assert messages(user, REQUEST_RECEIVED) == []


def test_a_request_sent_again_after_withdrawal_is_told_again(korean_managers, told):
    f = korean_managers
    request = _ask(f, told)
    with told():
        meeting_request_withdraw(meeting_request=request, by=f.manager)
    _ask(f, told, message="Second thoughts: still keen.")
    found = messages(f.kim, REQUEST_RECEIVED)
    assert len(found) == 2 and "Second thoughts" in found[1].body


def test_the_senders_managers_hear_the_answer_with_the_reply(korean_managers, told):
    f = korean_managers
    colleague = UserFactory(username="colleague")
    f.actor.managers.add(colleague)
    request = _ask(f, told)
    with told():
        meeting_request_answer(
            meeting_request=request, accept=True, reply="Gladly, see you in Seoul.", by=f.kim
        )

    for user in (f.manager, colleague):
        note = only(user, REQUEST_ANSWERED)
        assert "Chuncheon Bioindustry Foundation accepted" in note.subject
        assert "“Gladly, see you in Seoul.”" in note.body
        assert note.link == f"/events/seoul-days/participants/{f.lyon.pk}/requests/"
    # Kim answered: not told of their own answer; Park (receiving side) is not told either.
    assert messages(f.kim, REQUEST_ANSWERED) == []
    assert messages(f.park, REQUEST_ANSWERED) == []
    assert messages(f.other_manager, REQUEST_ANSWERED) == []


def test_a_declined_request_says_so_and_an_inbox_only_manager_gets_no_email(korean_managers, told):
    f = korean_managers
    inbox_only(f.manager, REQUEST_ANSWERED)
    request = _ask(f, told)
    with told():
        meeting_request_answer(meeting_request=request, accept=False, reply="Not our field.")
    note = only(f.manager, REQUEST_ANSWERED)
    assert "declined" in note.subject
    assert "will not be scheduled together" in note.body
    assert not emailed(note)
    # Answered already: refused, and still one message.
    with pytest.raises(ValidationError), told():
        meeting_request_answer(meeting_request=request, accept=True)
    assert len(messages(f.manager, REQUEST_ANSWERED)) == 1


def test_a_refused_request_tells_no_one(korean_managers, told):
    f = korean_managers
    _ask(f, told)
    with pytest.raises(ValidationError), told():
        _ask(f, told)  # asked already
    assert len(messages(f.kim, REQUEST_RECEIVED)) == 1


@pytest.fixture
def open_event(fair):
    event = EventFactory(name="Busan Bio Week", slug="busan-bio", registration_open=True)
    event.organisers.add(fair.organiser)
    fair.busan = event
    fair.rival_organiser = UserFactory(username="rival-organiser")
    EventFactory(name="Another fair", slug="another-fair").organisers.add(fair.rival_organiser)
    return fair


def test_the_organisers_hear_of_a_registration_waiting(open_event, told):
    f = open_event
    second = UserFactory(username="second-organiser")
    f.busan.organisers.add(second)
    with told():
        participant = participant_register(
            event=f.busan, actor=f.actor, user=f.manager, note="We bring two vaccine start-ups."
        )

    for user in (f.organiser, second):
        note = only(user, REGISTRATION_WAITING)
        assert note.subject == "Lyon Life Sciences registered for Busan Bio Week: your decision"
        assert "Lyon Life Sciences (Europe, France) registered for Busan Bio Week" in note.body
        assert "“We bring two vaccine start-ups.”" in note.body
        assert note.link == f"/events/busan-bio/participants/{participant.pk}/"
        assert emailed(note)
    # Organisers of other events, the manager who registered, curators: not told.
    for user in (f.rival_organiser, f.manager, f.curator):
        assert messages(user, REGISTRATION_WAITING) == []


def test_an_organiser_with_email_off_gets_registrations_in_the_inbox_only(open_event, told):
    f = open_event
    inbox_only(f.organiser, REGISTRATION_WAITING)
    with told():
        participant_register(event=f.busan, actor=f.actor, user=f.manager)
    assert not emailed(only(f.organiser, REGISTRATION_WAITING))


def test_the_managers_hear_the_organisers_decision_once(open_event, told):
    f = open_event
    colleague = UserFactory(username="colleague")
    f.actor.managers.add(colleague)
    with told():
        participant = participant_register(event=f.busan, actor=f.actor, user=f.manager)
    with told():
        participant_decide(
            participant=participant, accept=True, message="Welcome aboard!", by=f.organiser
        )
    for user in (f.manager, colleague):
        note = only(user, REGISTRATION_DECIDED)
        assert note.subject == "Busan Bio Week: the organisers accepted Lyon Life Sciences"
        assert "“Welcome aboard!”" in note.body
    assert messages(f.organiser, REGISTRATION_DECIDED) == []
    # Accepting an accepted participant again changes nothing and tells nothing.
    participant = Participant.objects.get(pk=participant.pk)
    with told():
        participant_decide(participant=participant, accept=True, by=f.organiser)
    assert len(messages(f.manager, REGISTRATION_DECIDED)) == 1


def test_a_declined_registration_is_told(open_event, told):
    f = open_event
    korean = ActorFactory(name="Pohang Steel Cluster", slug="pohang", side="kr", country="KR")
    boss = UserFactory(username="boss")
    korean.managers.add(boss)
    with told():
        participant = participant_register(event=f.busan, actor=korean, user=boss)
    with told():
        participant_decide(participant=participant, accept=False, message="Full, sorry.")
    note = only(boss, REGISTRATION_DECIDED)
    assert "declined" in note.subject and "“Full, sorry.”" in note.body
