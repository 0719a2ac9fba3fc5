import pytest

from events.models import Meeting
from events.schedule import meeting_add, schedule_publish
from events.wishes import wishes_set


@pytest.fixture
def liked_fair(fair):
    """`fair` where every European participant would like to meet every Korean one: every
    pair is worth a meeting, so the tables and rounds alone decide how many there are."""
    koreans = (fair.chuncheon_p, fair.daegu_p, fair.gumi)
    for european in (fair.lyon, fair.turin):
        wishes_set(participant=european, levels={k.pk: "like" for k in koreans})
    return fair


@pytest.fixture
def published_four(liked_fair):
    """Every pair would like to meet; four meetings, generated (not fixed), published.

    Round 1: Lyon / Chuncheon at table 1, Turin / Daegu at table 2.
    Round 2: Lyon / Daegu at table 1, Turin / Chuncheon at table 2.
    Gumi has no meeting: it is free in both rounds. `f.m` holds the meetings by pair.
    """
    f = liked_fair
    r1, r2 = f.slots
    plan = {
        "lyon-chuncheon": (f.lyon, f.chuncheon_p, r1, 1),
        "turin-daegu": (f.turin, f.daegu_p, r1, 2),
        "lyon-daegu": (f.lyon, f.daegu_p, r2, 1),
        "turin-chuncheon": (f.turin, f.chuncheon_p, r2, 2),
    }
    f.m = {
        key: meeting_add(event=f.event, eu=eu, kr=kr, slot=slot, table=table)
        for key, (eu, kr, slot, table) in plan.items()
    }
    # Generated, not placed by hand: only the outcome rule or validity keeps them.
    Meeting.objects.filter(event=f.event).update(fixed=False)
    schedule_publish(event=f.event, by=f.organiser)
    f.event.refresh_from_db()
    return f
