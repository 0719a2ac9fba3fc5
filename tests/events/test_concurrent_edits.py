"""Two organisers editing at once: the database, not luck, keeps the schedule clash-free."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from events.models import Meeting
from events.schedule import meeting_add
from tests.concurrency import race


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database; SQLite serialises every write",
)
def test_two_organisers_booking_the_same_table_at_once_cannot_both_win(fair):
    slot = fair.slots[0]
    # The first booking is written but not committed when the second organiser's checks run:
    # they cannot see it, and the unique index makes the second wait for the first to commit.
    outcome = race(
        first=lambda: meeting_add(
            event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=slot, table=1
        ),
        second=lambda: meeting_add(
            event=fair.event, eu=fair.turin, kr=fair.daegu_p, slot=slot, table=1
        ),
    )
    assert not isinstance(outcome["first"], Exception), outcome["first"]
    assert isinstance(outcome["second"], ValidationError)
    assert "Someone else changed the schedule" in outcome["second"].messages[0]
    assert list(fair.event.meetings.values_list("table", "eu__actor__slug")) == [(1, "lyon-life")]


@pytest.mark.parametrize(
    ("table", "eu", "kr"),
    [(1, "turin", "daegu_p"), (2, "lyon", "daegu_p"), (2, "turin", "gumi")],
    ids=["same table", "same European", "same Korean"],
)
def test_the_database_refuses_a_double_booking_that_skips_the_checks(fair, table, eu, kr):
    slot = fair.slots[0]
    Meeting.objects.create(event=fair.event, slot=slot, table=1, eu=fair.lyon, kr=fair.gumi)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            event=fair.event, slot=slot, table=table, eu=getattr(fair, eu), kr=getattr(fair, kr)
        )
    assert fair.event.meetings.count() == 1
