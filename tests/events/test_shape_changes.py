"""Issue 14: changing tables, sessions, meeting or break length never leaves meetings outside
the event; the organiser chooses to move them, cancel them or keep the old settings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.forms import EventForm
from events.models import ChangeAction, EventSession, Meeting
from events.schedule import meeting_add
from events.setup import CANCEL, MOVE, ShapeConflict, event_slots_sync


def form_data(event, sessions=None, **changes) -> dict:
    """The event form as the page shows it, with `changes`; `sessions`: (name, date, start,
    end, delete) per row, the existing ones first (default: as they are)."""
    form = EventForm(instance=event)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "organisers":
            data[name] = [getattr(u, "pk", u) for u in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    existing = list(event.sessions.order_by("date", "start"))
    if sessions is None:
        sessions = [(s.name, s.date, s.start, s.end, False) for s in existing]
    data |= {
        "sessions-TOTAL_FORMS": str(len(sessions)),
        "sessions-INITIAL_FORMS": str(len(existing)),
    }
    for i, (name, date, start, end, delete) in enumerate(sessions):
        if i < len(existing):
            data[f"sessions-{i}-id"] = str(existing[i].pk)
        data |= {
            f"sessions-{i}-name": name,
            f"sessions-{i}-date": str(date),
            f"sessions-{i}-start": start.strftime("%H:%M"),
            f"sessions-{i}-end": end.strftime("%H:%M"),
        }
        if delete:
            data[f"sessions-{i}-DELETE"] = "on"
    return data | {k: str(v) for k, v in changes.items()}


def places(event) -> dict[int, tuple]:
    return {
        m.pk: (m.eu_id, m.kr_id, m.slot_id, m.table) for m in Meeting.objects.filter(event=event)
    }


@pytest.fixture
def booked(published_four):
    return published_four


def edit(client, event, data, **follow):
    return client.post(reverse("event_edit", args=[event.slug]), data, **follow)


def longer_morning(event, end=dt.time(11)):
    session = event.sessions.get()
    return [(session.name, session.date, session.start, end, False)]


def test_fewer_tables_show_the_meetings_left_outside_and_save_nothing(client, booked):
    f = booked
    client.force_login(f.organiser)
    before = places(f.event)
    response = edit(client, f.event, form_data(f.event, tables=1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "would leave 2 meetings outside the event" in html
    assert "Turin Health Cluster / Daegu Water Cluster" in html
    assert "Turin Health Cluster / Chuncheon Bioindustry Foundation" in html
    assert "table 2 no longer exists" in html
    for choice in ('value="move"', 'value="cancel"', 'value="keep"'):
        assert choice in html
    f.event.refresh_from_db()
    assert f.event.tables == 2 and places(f.event) == before


def test_moving_them_puts_them_in_free_places_and_leaves_the_rest(client, booked):
    f = booked
    client.force_login(f.organiser)
    before = places(f.event)
    data = form_data(f.event, sessions=longer_morning(f.event), tables=1)
    preview = edit(client, f.event, data).content.decode()
    assert "to 10:00, table 1" in preview and "to 10:30, table 1" in preview
    response = edit(client, f.event, data | {"shape_action": MOVE}, follow=True)
    assert "Event saved" in response.content.decode()
    f.event.refresh_from_db()
    assert f.event.tables == 1 and f.event.slots.count() == 4
    after = places(f.event)
    assert set(after) == set(before)  # the same meetings, none lost
    for key in ("lyon-chuncheon", "lyon-daegu"):
        assert after[f.m[key].pk] == before[f.m[key].pk]
    late = set(f.event.slots.order_by("starts_at")[2:])
    for key in ("turin-daegu", "turin-chuncheon"):
        moved = Meeting.objects.get(pk=f.m[key].pk)
        assert moved.table == 1 and moved.slot in late
    moves = f.event.changes.filter(action=ChangeAction.MOVED)
    assert moves.count() == 2 and {c.made_by for c in moves} == {f.organiser}


def test_cancelling_them_removes_only_them_and_logs_it(client, booked):
    f = booked
    client.force_login(f.organiser)
    edit(client, f.event, form_data(f.event, tables=1, shape_action=CANCEL))
    f.event.refresh_from_db()
    assert f.event.tables == 1
    assert set(places(f.event)) == {f.m["lyon-chuncheon"].pk, f.m["lyon-daegu"].pk}
    removed = f.event.changes.filter(action=ChangeAction.REMOVED)
    assert removed.count() == 2 and all(c.old_table == 2 for c in removed)
    # Cancelled for lack of room, not because the pair should never meet.
    assert not f.event.exclusions.exists()


def test_keeping_the_old_settings_saves_nothing(client, booked):
    f = booked
    client.force_login(f.organiser)
    before = places(f.event)
    response = edit(client, f.event, form_data(f.event, tables=1, shape_action="keep"), follow=True)
    assert "Nothing was saved" in response.content.decode()
    f.event.refresh_from_db()
    assert f.event.tables == 2 and places(f.event) == before


def test_meetings_with_an_outcome_are_never_moved_nor_cancelled(client, booked):
    f = booked
    Meeting.objects.filter(pk=f.m["turin-daegu"].pk).update(held=True)
    client.force_login(f.organiser)
    before = places(f.event)
    response = edit(client, f.event, form_data(f.event, tables=1))
    html = response.content.decode()
    assert "recorded outcome (Turin Health Cluster / Daegu Water Cluster)" in html
    assert 'value="move"' not in html and 'value="cancel"' not in html
    for action in (MOVE, CANCEL):
        edit(client, f.event, form_data(f.event, tables=1, shape_action=action))
        f.event.refresh_from_db()
        assert f.event.tables == 2 and places(f.event) == before


def test_a_shorter_meeting_keeps_rounds_that_start_alike_and_moves_the_rest(client, booked):
    """20-minute meetings: rounds at 09:00 and 09:25. The 09:00 round keeps its meetings (it
    only ends earlier); the 09:30 round is gone, its meetings move to 09:25."""
    f = booked
    client.force_login(f.organiser)
    first, second = f.slots
    response = edit(client, f.event, form_data(f.event, meeting_minutes=20))
    html = response.content.decode()
    assert "would leave 2 meetings outside the event" in html
    assert "round no longer exists" in html and "to 09:25, table" in html
    edit(client, f.event, form_data(f.event, meeting_minutes=20, shape_action=MOVE))
    f.event.refresh_from_db()
    assert f.event.meeting_minutes == 20
    slots = list(f.event.slots.order_by("starts_at"))
    assert [s.pk for s in slots][0] == first.pk and second.pk not in {s.pk for s in slots}
    assert slots[0].ends_at - slots[0].starts_at == dt.timedelta(minutes=20)
    meetings = {m.pk: m for m in Meeting.objects.filter(event=f.event)}
    assert set(meetings) == {m.pk for m in f.m.values()}  # none lost
    for key in ("lyon-chuncheon", "turin-daegu"):
        assert (meetings[f.m[key].pk].slot_id, meetings[f.m[key].pk].table) == (
            first.pk, f.m[key].table,
        )  # fmt: skip
    for key in ("lyon-daegu", "turin-chuncheon"):
        assert meetings[f.m[key].pk].slot_id == slots[1].pk
    # Participants see a new end for the first round, and a new round for the others.
    shortened = f.event.changes.filter(note__contains="now ends at 09:20")
    assert shortened.count() == 2
    assert all(c.old_ends_at == first.ends_at for c in shortened)
    assert f.event.changes.filter(action=ChangeAction.MOVED).count() == 4


def test_removing_a_session_that_holds_meetings_asks_too(client, booked):
    f = booked
    afternoon = EventSession.objects.create(
        event=f.event, name="Afternoon", date=f.event.starts_on, start=dt.time(14), end=dt.time(15)
    )
    event_slots_sync(event=f.event)
    late = f.event.slots.filter(session=afternoon).order_by("starts_at").first()
    f.event.max_meetings = 3
    f.event.save()
    extra = meeting_add(event=f.event, eu=f.lyon, kr=f.gumi, slot=late, table=1)
    Meeting.objects.filter(pk=extra.pk).update(fixed=False)
    client.force_login(f.organiser)
    rows = [
        ("Morning", f.event.starts_on, dt.time(9), dt.time(11), False),
        ("Afternoon", f.event.starts_on, dt.time(14), dt.time(15), True),
    ]
    html = edit(client, f.event, form_data(f.event, sessions=rows)).content.decode()
    assert "Lyon Life Sciences / Gumi Mobile Mini Cluster" in html
    assert EventSession.objects.filter(pk=afternoon.pk).exists()
    edit(client, f.event, form_data(f.event, sessions=rows, shape_action=MOVE))
    assert not EventSession.objects.filter(pk=afternoon.pk).exists()
    extra.refresh_from_db()
    assert extra.slot.session.name == "Morning"


def test_a_draft_is_moved_without_a_log(client, liked_fair):
    f = liked_fair
    meeting_add(event=f.event, eu=f.turin, kr=f.daegu_p, slot=f.slots[0], table=2)
    client.force_login(f.organiser)
    data = form_data(f.event, sessions=longer_morning(f.event), tables=1, shape_action=MOVE)
    edit(client, f.event, data)
    assert Meeting.objects.get(eu=f.turin).table == 1
    assert not f.event.changes.exists()


def test_the_service_refuses_without_a_decision_and_names_the_meetings(booked):
    f = booked
    f.event.tables = 1
    with pytest.raises(ShapeConflict) as error:
        event_slots_sync(event=f.event)
    assert [o.pair for o in error.value.outside] == [
        "Turin Health Cluster / Daegu Water Cluster",
        "Turin Health Cluster / Chuncheon Bioindustry Foundation",
    ]
    assert isinstance(error.value, ValidationError)


def test_a_maximum_below_the_kept_meetings_names_them(client, booked):
    f = booked
    Meeting.objects.filter(pk__in=[f.m["lyon-chuncheon"].pk, f.m["lyon-daegu"].pk]).update(
        fixed=True
    )
    client.force_login(f.organiser)
    response = edit(client, f.event, form_data(f.event, max_meetings=1))
    html = response.content.decode()
    assert "Lyon Life Sciences has 2" in html and "fixed or have a recorded outcome" in html
    f.event.refresh_from_db()
    assert f.event.max_meetings == 2


@pytest.mark.parametrize(
    ("changes", "field", "sentence"),
    [
        ({"ends_on": "2026-11-20"}, "ends_on", "cannot end before it starts"),
        ({"tables": "0"}, "tables", "greater than or equal to 1"),
        ({"sessions-0-end": "08:00"}, "end", "must end after it starts"),
        ({"sessions-0-end": "09:00"}, "end", "must end after it starts"),
    ],
)
def test_every_constraint_is_a_sentence_on_the_field(client, booked, changes, field, sentence):
    client.force_login(booked.organiser)
    response = edit(client, booked.event, form_data(booked.event, **changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Constraint" not in html and "is violated" not in html
    assert sentence in html


def test_two_events_cannot_share_an_address_said_in_words(client, booked):
    from tests.factories import EventFactory

    EventFactory(slug="taken-address")
    booked.event.published_at = None
    booked.event.save()
    client.force_login(booked.organiser)
    html = edit(client, booked.event, form_data(booked.event, slug="taken-address")).content
    assert "Constraint" not in html.decode() and "already" in html.decode()
