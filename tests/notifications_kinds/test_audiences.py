"""The settings page offers each person the kinds of their audiences."""

import pytest

from notifications.kinds import in_audience
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_curators_managers_and_organisers_are_known_by_their_roles(cast):
    assert in_audience(cast.curator, "curators")
    assert not in_audience(cast.manager, "curators")
    assert in_audience(cast.manager, "managers")
    assert not in_audience(cast.organiser, "managers")
    assert in_audience(cast.organiser, "organisers")
    assert not in_audience(cast.manager, "organisers")
    # Named an organiser of an event without being in the group: an organiser too.
    helper = UserFactory(username="helper")
    EventFactory(slug="helped").organisers.add(helper)
    assert in_audience(helper, "organisers")
