"""Two organisers editing at once: the database, not luck, keeps the schedule clash-free."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from events.models import Meeting
from events.schedule import meeting_add


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database; SQLite serialises every write",
)
def test_two_organisers_booking_the_same_table_at_once_cannot_both_win(fair):
    first_wrote = threading.Event()
    release_first = threading.Event()
    outcome: dict[str, object] = {}
    slot = fair.slots[0]

    def first_organiser():
        try:
            # Booked, but not committed yet: the second organiser's checks cannot see it.
            with transaction.atomic():
                meeting_add(event=fair.event, eu=fair.lyon, kr=fair.chuncheon_p, slot=slot, table=1)
                first_wrote.set()
                release_first.wait(10)
            outcome["first"] = "booked"
        finally:
            connections.close_all()

    def second_organiser():
        first_wrote.wait(10)
        try:
            meeting_add(event=fair.event, eu=fair.turin, kr=fair.daegu_p, slot=slot, table=1)
            outcome["second"] = "booked"
        except ValidationError as error:
            outcome["second"] = error.messages[0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_organiser), threading.Thread(target=second_organiser)]
    for t in threads:
        t.start()
    first_wrote.wait(10)
    # Let the second writer reach the unique index, where it waits for the first to commit.
    threading.Timer(0.5, release_first.set).start()
    for t in threads:
        t.join(20)
    assert outcome["first"] == "booked"
    assert "Someone else changed the schedule" in outcome["second"]
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
