"""A demo matchmaking event over the demo directory, so `make run` shows the whole flow."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from directory.models import Actor
from events.models import Attendee, Event, EventSession
from events.participants import participant_add
from events.requests import meeting_request_answer, meeting_request_problems, meeting_request_send
from events.schedule import schedule_generate, schedule_publish
from events.setup import event_slots_sync
from events.wishes import wishes_set
from matching.pairs import pair_scorer

DEMO_EVENT_SLUG = "eu-korea-cluster-matchmaking-2026"
EUROPEAN = [
    "lyonbiopole", "pole-eau", "biocat", "biopmed", "biom", "france-water-team",
    "catalan-water-partnership", "british-water", "packaging-cluster-catalonia", "wagralim",
    "vitagora", "nanofab",
]  # fmt: skip
KOREAN = [
    "chuncheon-bioindustry-foundation", "kfri", "keimyung-university", "daegu-water-cluster",
    "korean-packaging-cluster", "osong-bio-technopolis", "daegu-gyeongbuk-medical-cluster",
    "foodpolis", "green-technology-center", "khidi", "pangyo-technovalley", "etri",
    "kyungpook-national-university", "postech",
]  # fmt: skip
WISHES = [  # (who, whom, level): a few, as real participants would mark them
    ("pole-eau", "daegu-water-cluster", "must"),
    ("daegu-water-cluster", "pole-eau", "must"),
    ("wagralim", "kfri", "must"),
    ("lyonbiopole", "osong-bio-technopolis", "like"),
    ("biocat", "pangyo-technovalley", "not"),
]
# Meeting requests sent after publication, as participants send them once they read their
# agendas: (who, whom, message, reply or None for one still waiting). The first of each
# side's candidates that does not meet already is asked (or else the first Korean participant
# that does not).
REQUESTS = [
    (
        "british-water", ("daegu-water-cluster", "green-technology-center", "kfri"),
        "Our members would like to present their water technologies to you.", None,
    ),
    (
        "vitagora", ("foodpolis", "kfri", "khidi"),
        "Our members look for Korean partners for joint projects; could we meet?",
        "Gladly: several of our companies have asked about the French market.",
    ),
]  # fmt: skip


@transaction.atomic
def demo_event_ensure(*, organiser_username: str = "organiser") -> Event | None:
    """Create the demo event once; later runs leave it (and organisers' edits) alone."""
    if Event.objects.filter(slug=DEMO_EVENT_SLUG).exists():
        return None
    actors = Actor.objects.published().in_bulk(EUROPEAN + KOREAN, field_name="slug")
    if len(actors) < 4:
        return None  # no demo directory loaded
    event = Event.objects.create(
        name="EU-Korea Cluster Matchmaking 2026",
        slug=DEMO_EVENT_SLUG,
        description="One-to-one meetings between European cluster organisations and Korean "
        "clusters, agencies and research institutes, over two half days.",
        place="COEX, Seoul",
        timezone="Asia/Seoul",
        starts_on=dt.date(2026, 12, 8),
        ends_on=dt.date(2026, 12, 9),
        meeting_minutes=25,
        break_minutes=5,
        tables=10,
        max_meetings=6,
        registration_open=True,
    )
    organiser = get_user_model().objects.filter(username=organiser_username).first()
    if organiser:
        event.organisers.add(organiser)
    EventSession.objects.create(
        event=event, name="Day 1 afternoon", date=dt.date(2026, 12, 8), start=dt.time(14),
        end=dt.time(17),
    )  # fmt: skip
    EventSession.objects.create(
        event=event, name="Day 2 morning", date=dt.date(2026, 12, 9), start=dt.time(9, 30),
        end=dt.time(12),
    )  # fmt: skip
    event_slots_sync(event=event)
    participants = {
        slug: participant_add(event=event, actor=actors[slug])
        for slug in EUROPEAN + KOREAN
        if slug in actors
    }
    for number, participant in enumerate(participants.values(), start=1):
        Attendee.objects.create(
            participant=participant,
            first_name="Demo",
            last_name=f"Attendee {number}",
            job_title="International project manager",
            email=f"attendee{number}@example.org",
        )
    for who, whom, level in WISHES:
        if who in participants and whom in participants:
            wishes_set(participant=participants[who], levels={participants[whom].pk: level})
    schedule_generate(event=event, by=organiser, time_limit=10)
    schedule_publish(event=event, by=organiser)
    for who, whom, message, reply in REQUESTS:
        sender = participants.get(who)
        if sender is None:
            continue
        # The preferred ones first, then the rest of the other side by fit: the generated
        # schedule decides who meets already.
        others = [p for slug, p in participants.items() if slug in KOREAN and slug not in whom]
        scorer = pair_scorer(actor_ids=[sender.actor_id, *(o.actor_id for o in others)])
        others.sort(key=lambda o: -scorer.score(sender.actor_id, o.actor_id))
        receivers = [participants[slug] for slug in whom if slug in participants] + others
        free = (r for r in receivers if not meeting_request_problems(sender=sender, receiver=r))
        receiver = next(free, None)
        if receiver is None:
            continue
        sent = meeting_request_send(sender=sender, receiver=receiver, message=message)
        if reply is not None:
            meeting_request_answer(meeting_request=sent, accept=True, reply=reply)
    return event
