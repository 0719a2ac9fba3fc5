"""What the organiser's pages say about the schedule: a run's total fit only while the schedule
is the one the run measured, the reasons for too few meetings never below what a participant
has, the pairs in words, and an exclusion on a pair that still has a meeting."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from events.dashboard import meeting_fairness
from events.models import Meeting
from events.participants import participant_decide
from events.requests import meeting_request_answer, meeting_request_send
from events.schedule import meeting_add, meeting_move, schedule_generate, schedule_publish
from events.wishes import exclusion_add, wishes_set
from tests.factories import UserFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", body).replace("&#x27;", "'").replace("&amp;", "&")


def pages(world) -> list[str]:
    client = client_for(world.organiser)
    return [
        page_text(client.get(reverse(name, args=[world.event.slug])))
        for name in ("event_detail", "event_schedule")
    ]


# -- the total fit of the last run --------------------------------------------------------------


def test_the_best_total_fit_is_claimed_only_for_the_schedule_the_run_made(liked_fair):
    f = liked_fair
    f.event.tables = 3  # a free table in each round
    f.event.save(update_fields=["tables"])
    run = schedule_generate(event=f.event)
    assert run.optimal
    for text in pages(f):
        assert "The schedule reaches the best possible total fit" in text
        assert "changed since" not in text

    # Moving a meeting to another table keeps every pair, so the total fit still holds.
    moved = Meeting.objects.filter(event=f.event).order_by("slot__starts_at", "table").first()
    taken = set(Meeting.objects.filter(slot=moved.slot).values_list("table", flat=True))
    meeting_move(meeting=moved, slot=moved.slot, table=min({1, 2, 3} - taken))
    for text in pages(f):
        assert "The schedule reaches the best possible total fit" in text

    # A participant declined and took its meetings with it: the run's figure no longer holds.
    participant_decide(participant=f.chuncheon_p, accept=False, by=f.organiser)
    for text in pages(f):
        assert "reaches the best possible total fit" not in text
        assert (
            "The last generation reached the best possible total fit for its fairness level; "
            "meetings have changed since, so that may no longer hold."
        ) in text


def test_a_new_target_makes_the_run_figure_one_of_the_past(liked_fair):
    f = liked_fair
    run = schedule_generate(event=f.event)
    f.event.min_meetings = run.fairness_target + 1
    f.event.save(update_fields=["min_meetings"])
    for text in pages(f):
        assert "The schedule reaches" not in text
        assert (
            "The last generation reached the best possible total fit for its fairness level; "
            "the target of meetings per participant has changed since, so that may no longer "
            "hold."
        ) in text


# -- why a participant has too few meetings ------------------------------------------------------


def reasons_of(event, participant) -> list[str]:
    fewest = {x.participant.pk: x for x in meeting_fairness(event=event).fewest}
    return fewest[participant.pk].reasons


def test_meetings_no_new_schedule_would_propose_are_named_not_a_cap_below_them(fair):
    """Gumi meets Turin and Lyon; after publication the lowest fit is raised above both pairs
    and Lyon / Gumi is excluded. A new schedule could give Gumi no meeting, yet it has two."""
    f = fair
    meeting_add(event=f.event, eu=f.turin, kr=f.gumi, slot=f.slots[0])
    meeting_add(event=f.event, eu=f.lyon, kr=f.gumi, slot=f.slots[1])
    Meeting.objects.filter(event=f.event).update(fixed=False)
    schedule_publish(event=f.event, by=f.organiser)
    exclusion_add(event=f.event, first=f.lyon, second=f.gumi)
    f.event.min_fit, f.event.min_meetings, f.event.max_meetings = 99, 3, 3
    f.event.save()
    f.event.refresh_from_db()
    said = reasons_of(f.event, f.gumi)
    assert not any("allows at most" in reason for reason in said), said
    assert (
        "1 of its 2 meetings is with a partner below the lowest fit of 99: an update keeps it, "
        "but proposes no new meeting below that fit"
    ) in said
    assert (
        "1 of its 2 meetings is with a partner ruled out since (an exclusion, “not interested” "
        "or a declined request): the next update or generation cancels it"
    ) in said


def test_in_a_draft_a_meeting_below_the_lowest_fit_is_one_a_generation_drops(fair):
    f = fair
    meeting = meeting_add(event=f.event, eu=f.turin, kr=f.gumi, slot=f.slots[0])
    Meeting.objects.filter(pk=meeting.pk).update(fixed=False)
    f.event.min_fit, f.event.min_meetings = 99, 2
    f.event.save()
    said = reasons_of(f.event, f.gumi)
    assert (
        "its meeting is with a partner below the lowest fit of 99: a new generation would not "
        "propose it again"
    ) in said
    # Fixed, a generation keeps it: then it is what Gumi's own rounds and partners allow.
    Meeting.objects.filter(pk=meeting.pk).update(fixed=True)
    said = reasons_of(f.event, f.gumi)
    assert "what it can attend allows at most 1 meeting" in said
    assert not any("below the lowest fit of 99:" in reason for reason in said)


# -- the Pairs page ------------------------------------------------------------------------------


def test_the_pairs_table_gives_wishes_and_why_a_pair_is_not_proposed_in_words(fair):
    f = fair
    wishes_set(participant=f.turin, levels={f.gumi.pk: "must", f.daegu_p.pk: "not"})
    exclusion_add(event=f.event, first=f.lyon, second=f.daegu_p)
    chuncheon_manager = UserFactory(username="chuncheon.manager")
    f.chuncheon.managers.add(chuncheon_manager)
    request = meeting_request_send(sender=f.lyon, receiver=f.chuncheon_p, by=f.manager)
    meeting_request_answer(meeting_request=request, accept=True, by=chuncheon_manager)
    f.event.min_fit = 99
    f.event.save()
    response = client_for(f.organiser).get(reverse("event_pairs", args=[f.event.slug]))
    html = response.content.decode()
    table = re.search(r'<table class="datatable pairs-table">.*?</table>', html, re.S).group(0)
    assert not re.findall(r"\d+\.\d+", table)  # no scheduler figure anywhere in the table
    rows = {
        tuple(re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells[:2]): [
            re.sub(r"<[^>]+>", "", cell).strip() for cell in cells[2:]
        ]
        for cells in (
            re.findall(r"<td>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr.*?</tr>", table, re.S)
        )
        if cells
    }
    turin_gumi = rows["Turin Health Cluster", "Gumi Mobile Mini Cluster"]
    assert turin_gumi[1:] == ["must meet", "", ""]  # asked for: proposed below the lowest fit
    assert rows["Turin Health Cluster", "Daegu Water Cluster"][1:] == [
        "not interested",
        "",
        "never: not interested",
    ]
    assert rows["Lyon Life Sciences", "Daegu Water Cluster"][3] == "never: excluded"
    assert rows["Lyon Life Sciences", "Gumi Mobile Mini Cluster"][3] == (
        "not proposed: below the lowest fit"
    )
    assert rows["Lyon Life Sciences", "Chuncheon Bioindustry Foundation"][3] == (
        "first: meeting request accepted"
    )
    assert "value for the scheduler" not in page_text(response)


# -- an exclusion on a pair that still has a meeting ------------------------------------------


def test_an_exclusion_on_a_pair_with_a_meeting_offers_its_cancellation(fair):
    f = fair
    meeting = meeting_add(event=f.event, eu=f.lyon, kr=f.daegu_p, slot=f.slots[1], table=2)
    client = client_for(f.organiser)
    response = client.post(
        reverse("event_exclusion_add", args=[f.event.slug]),
        {"eu": f.lyon.pk, "kr": f.daegu_p.pk, "reason": "same group"},
        follow=True,
    )
    text = page_text(response)
    assert (
        "Exclusion added, but Lyon Life Sciences and Daegu Water Cluster still have a meeting"
        in (text)
    )
    assert "table 2), in the draft schedule: it stays until it is cancelled." in text
    cancel = reverse("event_meeting_cancel", args=[f.event.slug, meeting.pk])
    assert f'href="{cancel}"' in response.content.decode()
    confirm = client.get(cancel)
    assert confirm.status_code == 200
    assert "Cancel this meeting?" in page_text(confirm)
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # nothing cancelled until confirmed

    # Without a meeting, nothing to cancel: the pair is simply never scheduled.
    response = client.post(
        reverse("event_exclusion_add", args=[f.event.slug]),
        {"eu": f.turin.pk, "kr": f.gumi.pk},
        follow=True,
    )
    assert "Exclusion added: the two will never be scheduled." in page_text(response)
    assert response.content.decode().count(f"/events/{f.event.slug}/meetings/") == 1


def test_the_outcomes_page_counts_one_meeting_in_the_singular(fair):
    f = fair
    meeting_add(event=f.event, eu=f.lyon, kr=f.chuncheon_p, slot=f.slots[0])
    response = client_for(f.organiser).get(reverse("event_outcomes", args=[f.event.slug]))
    assert "1 meeting: 0 held, 0 not held, 1 not recorded yet." in page_text(response)


def test_the_dashboard_gives_the_last_generation_time_in_the_events_time_zone(fair):
    import datetime as dt

    f = fair
    schedule_generate(event=f.event)
    moment = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)  # 10:00 in Seoul
    f.event.schedule_runs.update(created_at=moment)
    response = client_for(f.organiser).get(reverse("event_detail", args=[f.event.slug]))
    assert "last generated 20 Nov 10:00." in page_text(response)
