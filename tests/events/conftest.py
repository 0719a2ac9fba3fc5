import pytest

from events.wishes import wishes_set


@pytest.fixture
def liked_fair(fair):
    """`fair` where every European participant would like to meet every Korean one: every
    pair is worth a meeting, so the tables and rounds alone decide how many there are."""
    koreans = (fair.chuncheon_p, fair.daegu_p, fair.gumi)
    for european in (fair.lyon, fair.turin):
        wishes_set(participant=european, levels={k.pk: "like" for k in koreans})
    return fair
