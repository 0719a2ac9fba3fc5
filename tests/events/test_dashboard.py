"""The organisers' dashboard: meetings per participant, and who has fewest and why."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from events.dashboard import meeting_fairness
from events.models import Exclusion
from events.participants import participant_availability_set
from events.schedule import schedule_generate
from events.wishes import wishes_set


def page(client, fair) -> str:
    client.force_login(fair.organiser)
    html = client.get(reverse("event_detail", args=[fair.event.slug])).content.decode()
    return re.sub(r"\s+", " ", html)


def table(html: str, css: str) -> list[list[str]]:
    body = re.search(rf'<table class="datatable {css}".*?<tbody>(.*?)</tbody>', html).group(1)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    ]


def test_the_dashboard_shows_how_many_participants_have_each_number_of_meetings(client, liked_fair):
    schedule_generate(event=liked_fair.event)
    rows = table(page(client, liked_fair), "meeting-spread")
    # Two rounds, four places: both European participants have 2, the Korean ones 2, 1, 1.
    assert [row[:2] for row in rows] == [["0", "0"], ["1", "2"], ["2", "3"]]
    assert rows[2][2].endswith("60%")


def test_the_dashboard_names_those_under_the_target_and_what_limits_them(client, liked_fair):
    fair = liked_fair
    participant_availability_set(
        participant=fair.gumi, absent_from=[], absent_rounds=fair.slots[:1]
    )
    wishes_set(participant=fair.gumi, levels={fair.turin.pk: "not"})
    Exclusion.objects.create(event=fair.event, eu=fair.lyon, kr=fair.daegu_p)
    schedule_generate(event=fair.event)
    html = page(client, fair)
    assert "Fewer than 3 meetings, and why" in html
    fewest = {row[0]: row for row in table(html, "fewest-meetings")}
    gumi = next(row for name, row in fewest.items() if name.startswith("Gumi"))
    assert gumi[1] == "1"
    assert "absent from 1 of 2 rounds" in gumi[2]
    assert "1 “not interested”" in gumi[2]
    assert "what it can attend allows at most 1 meeting" in gumi[2]
    daegu = next(row for name, row in fewest.items() if name.startswith("Daegu"))
    assert "1 exclusion" in daegu[2]


def test_partners_at_their_maximum_are_counted(liked_fair):
    fair = liked_fair
    fair.event.max_meetings = 1
    fair.event.save(update_fields=["max_meetings"])
    schedule_generate(event=fair.event)
    fewest = {f.participant.pk: f for f in meeting_fairness(event=fair.event).fewest}
    without = [f for f in fewest.values() if f.meetings == 0]
    assert len(without) == 1  # two European participants, one meeting each, three Korean ones
    assert "2 possible partners, 2 of them already at the maximum of 1 meeting" in (
        "; ".join(without[0].reasons)
    )


def test_when_everyone_reaches_the_target_the_dashboard_says_so(client, liked_fair):
    liked_fair.event.min_meetings = 1
    liked_fair.event.save(update_fields=["min_meetings"])
    schedule_generate(event=liked_fair.event)
    html = page(client, liked_fair)
    assert "Every accepted participant has at least 1 meeting." in html
    assert "Every participant has at least 1 meeting." in html  # the run's sentences
    assert 'class="datatable fewest-meetings"' not in html


@pytest.mark.parametrize("word", ["value", "bound", "optimal"])
def test_the_dashboard_speaks_without_solver_words(client, liked_fair, word):
    schedule_generate(event=liked_fair.event)
    html = page(client, liked_fair)
    meetings = re.search(r"<h2>Meetings</h2>(.*?)</section>", html).group(1)
    assert word not in re.sub(r"<[^>]+>", " ", meetings).lower()


def test_another_manager_sees_no_dashboard(client, liked_fair):
    schedule_generate(event=liked_fair.event)
    client.force_login(liked_fair.manager)
    html = client.get(reverse("event_detail", args=[liked_fair.event.slug])).content.decode()
    assert "meeting-spread" not in html and "fewest-meetings" not in html
