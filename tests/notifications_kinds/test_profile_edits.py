"""Curators hear of edits waiting for review; managers hear the review of theirs."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from curation.notices import EDIT_REVIEWED
from curation.review import change_approve, change_reject
from directory.notices import EDIT_WAITING
from directory.permissions import CURATORS_GROUP
from directory.proposals import change_submit, profile_snapshot
from tests.factories import UserFactory
from tests.notifications_kinds.conftest import emailed, inbox_only, messages, only

pytestmark = pytest.mark.django_db

LONGER = (
    "Lyon Life Sciences gathers vaccine, antibody and diagnostics companies, hospitals and "
    "laboratories of the Lyon region, and helps them find partners for joint research in Korea."
)


def _propose(cast, told, **fields):
    proposed = {**profile_snapshot(actor=cast.actor), **fields}
    with told():
        return change_submit(actor=cast.actor, author=cast.manager, proposed=proposed)


def test_every_curator_hears_of_an_edit_waiting_but_nobody_else(cast, told):
    second = UserFactory(username="second-curator")
    second.groups.add(Group.objects.get(name=CURATORS_GROUP))
    change = _propose(cast, told, description="New words about vaccines.")

    for curator in (cast.curator, second):
        note = only(curator, EDIT_WAITING)
        assert "Lyon Life Sciences" in note.subject
        assert "owner, a manager of Lyon Life Sciences, proposed changes" in note.body
        assert "Description" in note.body
        assert note.link == f"/curation/review/#change-{change.pk}"
        assert emailed(note)
    for outsider in (cast.manager, cast.other_manager, cast.organiser):
        assert messages(outsider, EDIT_WAITING) == []


def test_the_curators_message_names_fields_never_contact_persons(cast, told):
    people = [{"name": "Marie Secret", "role": "", "email": "new.secret@example.org", "phone": ""}]
    _propose(cast, told, contacts=people)

    note = only(cast.curator, EDIT_WAITING)
    assert "Contact persons" in note.body
    assert "Marie" not in note.body and "secret@example.org" not in note.body


def test_editing_a_waiting_proposal_again_tells_the_curators_once(cast, told):
    _propose(cast, told, description="First try.")
    _propose(cast, told, description="Second try.")
    assert len(messages(cast.curator, EDIT_WAITING)) == 1


def test_a_replaced_proposal_tells_the_curators_what_waits_now(cast, told):
    _propose(cast, told, description="First try.")
    _propose(cast, told, website="https://lyon-life.example.org/")
    _propose(cast, told, website="https://lyon-life.example.org/")  # the same again: no news
    _propose(cast, told, description="Back to words.")  # a field told before, news again

    notes = messages(cast.curator, EDIT_WAITING)
    assert [("Website" in n.body, "Description" in n.body) for n in notes] == [
        (False, True),
        (True, False),
        (False, True),
    ]
    assert notes[1].subject == "The edit of Lyon Life Sciences waiting for your review has changed"
    assert "replaced their earlier proposal" in notes[1].body
    assert len({n.link for n in notes}) == 1  # the same proposal, reviewed once


def test_a_curator_with_email_off_for_edits_gets_the_inbox_only(cast, told):
    inbox_only(cast.curator, EDIT_WAITING)
    _propose(cast, told, description=LONGER)
    assert not emailed(only(cast.curator, EDIT_WAITING))


def test_the_author_hears_that_the_edit_was_approved(cast, told):
    change = _propose(cast, told, description=LONGER)
    colleague = UserFactory(username="colleague")
    cast.actor.managers.add(colleague)
    with told():
        change_approve(change=change, reviewer=cast.curator, message="Thanks, clearer now.")

    note = only(cast.manager, EDIT_REVIEWED)
    assert note.subject == "Your changes to the profile of Lyon Life Sciences were approved"
    assert "now live" in note.body
    assert "“Thanks, clearer now.”" in note.body
    assert note.link == "/actors/lyon-life/"
    assert emailed(note)
    # The reviewer knows what they did; the other managers made no proposal.
    assert messages(cast.curator, EDIT_REVIEWED) == []
    assert messages(colleague, EDIT_REVIEWED) == []


def test_the_author_reads_why_the_edit_was_rejected(cast, told):
    change = _propose(cast, told, description="Best cluster in the world!!!")
    with told():
        change_reject(change=change, reviewer=cast.curator, message="Please keep it factual.")

    note = only(cast.manager, EDIT_REVIEWED)
    assert "rejected" in note.subject
    assert "The curator's reason: “Please keep it factual.”" in note.body
    assert note.link == "/actors/lyon-life/edit/"
    # Reviewed twice is refused: still one message.
    with pytest.raises(ValidationError), told():
        change_reject(change=change, reviewer=cast.curator, message="Again.")
    assert len(messages(cast.manager, EDIT_REVIEWED)) == 1


def test_a_manager_with_email_off_for_reviews_gets_the_inbox_only(cast, told):
    inbox_only(cast.manager, EDIT_REVIEWED)
    change = _propose(cast, told, description=LONGER)
    with told():
        change_approve(change=change, reviewer=cast.curator)
    assert not emailed(only(cast.manager, EDIT_REVIEWED))


def test_a_review_rolled_back_tells_no_one(cast, told):
    change = _propose(cast, told, description=LONGER)
    with told():
        try:
            with transaction.atomic():
                change_approve(change=change, reviewer=cast.curator)
                raise RuntimeError("the page failed after the review")
        except RuntimeError:
            pass
    assert messages(cast.manager, EDIT_REVIEWED) == []
