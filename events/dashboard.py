"""The organiser's view of an event: who takes part, who meets whom, how full the rooms are,
and whether every participant gets its share of meetings (and if not, why)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.bilingual import in_reader_language
from directory.models import Actor, Kind, Side
from events.models import Event, Meeting, Participant, ParticipantStatus, Wish, WishLevel
from events.pairs import PairMatrix, pair_matrix
from events.report import Spread, run_sentences
from events.schedule import kept_meetings, schedule_problem
from events.solver import Problem, own_caps

FEWEST_SHOWN = 20


@dataclass
class SlotUse:
    label: str
    meetings: int
    tables: int

    @property
    def percent(self) -> int:
        return round(100 * self.meetings / self.tables) if self.tables else 0


@dataclass
class WishShare:
    level: str
    total: int
    met: int

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0


@dataclass
class CountShare:
    """How many accepted participants have exactly `meetings` meetings."""

    meetings: int
    participants: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.participants / self.total) if self.total else 0


@dataclass
class Fewest:
    """A participant among those with the fewest meetings, and the facts that limit it."""

    participant: Participant
    meetings: int
    reasons: list[str] = field(default_factory=list)


@dataclass
class MeetingFairness:
    spread: Spread
    distribution: list[CountShare]
    fewest: list[Fewest]
    more: int  # participants under the target not listed in `fewest`


@dataclass
class _Limits:
    """The pair masks behind the reasons, computed once for every listed participant."""

    refused: np.ndarray  # "not interested" from either side
    excluded: np.ndarray
    declined: np.ndarray
    ruled_out: np.ndarray  # any of the three above: never scheduled
    low: np.ndarray  # below the lowest fit and not asked for
    unrelated: np.ndarray  # proposable but worth nothing: nothing in common
    possible: np.ndarray  # proposable and worth a meeting

    @classmethod
    def of(cls, matrix: PairMatrix) -> _Limits:
        values, proposable = matrix.values, matrix.proposable
        none = np.zeros_like(matrix.excluded)
        return cls(
            refused=(matrix.eu_wish == WishLevel.NOT) | (matrix.kr_wish == WishLevel.NOT),
            excluded=matrix.excluded,
            declined=none if matrix.declined is None else matrix.declined,
            ruled_out=~matrix.allowed,
            low=matrix.allowed & matrix.below_fit & ~matrix.asked if matrix.min_fit else none,
            unrelated=proposable & (values <= 0),
            possible=proposable & (values > 0),
        )


def _reasons(
    *,
    event: Event,
    matrix: PairMatrix,
    limits: _Limits,
    problem: Problem | None,
    side: str,
    index: int,
    own_cap: int,
    counts: Counter[int],
    unkept: list[tuple[int, int]],
) -> list[str]:
    """The facts that limit one participant's meetings, in words: its absences, the pairs
    ruled out (and by what), and how many possible partners are already fully booked.

    `own_cap` counts the meetings a new schedule keeps (fixed, or with an outcome) and the
    partners it may propose; `unkept` are the participant's other meetings (matrix indices).
    When it has more meetings than `own_cap`, some of them are with partners no new schedule
    would propose: those are named instead of a cap it already exceeds."""

    def row(mask: np.ndarray) -> np.ndarray:
        return mask[index] if side == "eu" else mask[:, index]

    reasons = []
    if problem is not None:
        available = (problem.eu_available if side == "eu" else problem.kr_available)[index]
        absent = int((~available).sum())
        if absent:
            reasons.append(
                ngettext(
                    "absent from %(absent)d of %(count)d round",
                    "absent from %(absent)d of %(count)d rounds",
                    available.size,
                )
                % {"absent": absent, "count": available.size}
            )
    for mask, say in (
        (
            limits.refused,
            lambda n: ngettext("%(count)d “not interested”", "%(count)d “not interested”", n),
        ),
        (limits.excluded, lambda n: ngettext("%(count)d exclusion", "%(count)d exclusions", n)),
        (
            limits.declined,
            lambda n: ngettext(
                "%(count)d declined meeting request", "%(count)d declined meeting requests", n
            ),
        ),
        (
            limits.low,
            lambda n: ngettext(
                "%(count)d partner below the lowest fit of %(fit)d",
                "%(count)d partners below the lowest fit of %(fit)d",
                n,
            ),
        ),
        (
            limits.unrelated,
            lambda n: ngettext(
                "nothing in common with %(count)d partner",
                "nothing in common with %(count)d partners",
                n,
            ),
        ),
    ):
        n = int(row(mask).sum())
        if n:
            reasons.append(say(n) % {"count": n, "fit": matrix.min_fit})
    partners = np.flatnonzero(row(limits.possible))
    others = matrix.kr if side == "eu" else matrix.eu
    full = sum(counts[others[j].pk] >= event.max_meetings for j in partners.tolist())
    if full:
        possible = ngettext(
            "%(count)d possible partner, %(full)d of them already at the maximum of %(maximum)s",
            "%(count)d possible partners, %(full)d of them already at the maximum of %(maximum)s",
            partners.size,
        ) % {"count": partners.size, "full": full, "maximum": _meetings(event.max_meetings)}
    else:
        possible = ngettext(
            "%(count)d possible partner", "%(count)d possible partners", partners.size
        ) % {"count": partners.size}
    reasons.append(possible)
    if problem is None:
        return reasons
    have = counts[(matrix.eu if side == "eu" else matrix.kr)[index].pk]
    if have > own_cap:
        reasons += _meetings_not_proposed(
            limits=limits,
            min_fit=matrix.min_fit,
            unkept=unkept,
            have=have,
            published=event.published,
        )
    elif own_cap < max(event.min_meetings, 1):
        reasons.append(
            ngettext(
                "what it can attend allows at most %(count)d meeting",
                "what it can attend allows at most %(count)d meetings",
                own_cap,
            )
            % {"count": own_cap}
        )
    return reasons


def _meetings(n: int) -> str:
    return ngettext("%(count)d meeting", "%(count)d meetings", n) % {"count": n}


def _meetings_not_proposed(
    *, limits: _Limits, min_fit: int, unkept: list[tuple[int, int]], have: int, published: bool
) -> list[str]:
    """Why a participant has more meetings than a new schedule could give it: some are with
    partners below the lowest fit (an update of the published schedule keeps them, a new
    generation of the draft does not) or ruled out since (either cancels them)."""
    said = []
    low = _LOW_FIT_KEPT if published else _LOW_FIT_DROPPED
    for mask, sentences in ((limits.low, low), (limits.ruled_out, _RULED_OUT)):
        n = sum(bool(mask[i, j]) for i, j in unkept)
        if not n:
            continue
        one, every, some = sentences
        if have == 1:
            text = one()
        elif n == have:
            text = every()
        else:
            text = some(n)
        said.append(text % {"count": n, "have": have, "fit": min_fit})
    return said


# Why some of a participant's meetings are with partners no new schedule would propose, whole
# sentences for: its only meeting, all of its meetings, some of them.
_LOW_FIT_KEPT = (
    lambda: _(
        "its meeting is with a partner below the lowest fit of %(fit)d: an update keeps it, but "
        "proposes no new meeting below that fit"
    ),
    lambda: _(
        "its %(have)d meetings are with partners below the lowest fit of %(fit)d: an update "
        "keeps them, but proposes no new meeting below that fit"
    ),
    lambda n: ngettext(
        "%(count)d of its %(have)d meetings is with a partner below the lowest fit of %(fit)d: "
        "an update keeps it, but proposes no new meeting below that fit",
        "%(count)d of its %(have)d meetings are with partners below the lowest fit of %(fit)d: "
        "an update keeps them, but proposes no new meeting below that fit",
        n,
    ),
)
_LOW_FIT_DROPPED = (
    lambda: _(
        "its meeting is with a partner below the lowest fit of %(fit)d: a new generation would "
        "not propose it again"
    ),
    lambda: _(
        "its %(have)d meetings are with partners below the lowest fit of %(fit)d: a new "
        "generation would not propose them again"
    ),
    lambda n: ngettext(
        "%(count)d of its %(have)d meetings is with a partner below the lowest fit of %(fit)d: "
        "a new generation would not propose it again",
        "%(count)d of its %(have)d meetings are with partners below the lowest fit of %(fit)d: "
        "a new generation would not propose them again",
        n,
    ),
)
_RULED_OUT = (
    lambda: _(
        "its meeting is with a partner ruled out since (an exclusion, “not interested” or a "
        "declined request): the next update or generation cancels it"
    ),
    lambda: _(
        "its %(have)d meetings are with partners ruled out since (an exclusion, “not "
        "interested” or a declined request): the next update or generation cancels them"
    ),
    lambda n: ngettext(
        "%(count)d of its %(have)d meetings is with a partner ruled out since (an exclusion, "
        "“not interested” or a declined request): the next update or generation cancels it",
        "%(count)d of its %(have)d meetings are with partners ruled out since (an exclusion, "
        "“not interested” or a declined request): the next update or generation cancels them",
        n,
    ),
)


def meeting_fairness(*, event: Event, reasons: bool = True) -> MeetingFairness:
    """Meetings per accepted participant as the schedule stands now: how they spread, and the
    participants with the fewest, with what limits them. Whether a participant under the
    event's target could have more on its own comes from the solver's own caps, over the same
    problem a generation would solve (kept meetings in place). `reasons=False` leaves the
    reasons out (the schedule page needs the counts only)."""
    matrix = pair_matrix(event=event)
    values = matrix.values
    eu_at, kr_at = matrix.position()
    k = event.min_meetings
    counts: Counter[int] = Counter()
    # Per participant, its meetings a new schedule would not keep (matrix indices).
    unkept: dict[int, list[tuple[int, int]]] = {}
    inside, value = 0, 0.0
    kept_ids = set(event.meetings.filter(kept_meetings()).values_list("pk", flat=True))
    for pk, eu_id, kr_id in event.meetings.values_list("pk", "eu_id", "kr_id"):
        counts[eu_id] += 1
        counts[kr_id] += 1
        if eu_id in eu_at and kr_id in kr_at:
            i, j = eu_at[eu_id], kr_at[kr_id]
            inside += 1
            value += float(values[i, j])
            if pk not in kept_ids:
                unkept.setdefault(eu_id, []).append((i, j))
                unkept.setdefault(kr_id, []).append((i, j))
    everyone = [("eu", i, p) for i, p in enumerate(matrix.eu)] + [
        ("kr", j, p) for j, p in enumerate(matrix.kr)
    ]
    have = [counts[p.pk] for _, _, p in everyone]
    # Under the target; with no target, those without any meeting.
    listed = [entry for entry, n in zip(everyone, have, strict=True) if n < max(k, 1)]
    listed.sort(key=lambda e: (counts[e[2].pk], e[2].actor.name))
    slots = list(event.slots.order_by("starts_at"))
    problem = None
    caps = {"eu": np.zeros(len(matrix.eu), np.int64), "kr": np.zeros(len(matrix.kr), np.int64)}
    if listed and slots and matrix.eu and matrix.kr:
        kept = [
            m
            for m in event.meetings.filter(pk__in=kept_ids)
            if m.eu_id in eu_at and m.kr_id in kr_at
        ]
        try:
            problem = schedule_problem(event=event, matrix=matrix, slots=slots, fixed=kept)
        except ValueError:  # kept meetings that clash: nothing sound to say about caps
            problem = None
        else:
            caps["eu"], caps["kr"] = own_caps(problem, upto=max(k, 1))
    short_own = sum(
        1 for side, i, p in listed if problem is not None and counts[p.pk] >= caps[side][i]
    )
    short = len(listed) if k > 0 else 0
    limits = _Limits.of(matrix) if listed and reasons else None
    fewest = [
        Fewest(
            participant=p,
            meetings=counts[p.pk],
            reasons=_reasons(
                event=event,
                matrix=matrix,
                limits=limits,
                problem=problem,
                side=side,
                index=i,
                own_cap=int(caps[side][i]),
                counts=counts,
                unkept=unkept.get(p.pk, []),
            ),
        )
        for side, i, p in (listed[:FEWEST_SHOWN] if limits is not None else [])
    ]
    spread = Spread(
        target=k,
        counts=tuple(have),
        short_own=short_own if k > 0 else 0,
        short_other=short - short_own if k > 0 else 0,
        meetings=inside,
        value=value,
    )
    tally = Counter(have)
    distribution = [
        CountShare(meetings=n, participants=tally[n], total=len(have))
        for n in range(max(have, default=-1) + 1)
    ]
    return MeetingFairness(
        spread=spread,
        distribution=distribution,
        fewest=fewest,
        more=max(len(listed) - FEWEST_SHOWN, 0),
    )


def event_dashboard(*, event: Event) -> dict:
    participants = list(
        event.participants.select_related("actor")
        .annotate(
            eu_count=Count("eu_meetings", distinct=True),
            kr_count=Count("kr_meetings", distinct=True),
        )
        .order_by("actor__name")
    )
    accepted = [p for p in participants if p.status == ParticipantStatus.ACCEPTED]
    status_by_side = Counter((p.actor.side, p.status) for p in participants)
    sides = [
        {
            "side": label,
            "accepted": status_by_side[(value, ParticipantStatus.ACCEPTED)],
            "pending": status_by_side[(value, ParticipantStatus.PENDING)],
            "declined": status_by_side[(value, ParticipantStatus.DECLINED)],
        }
        for value, label in Side.choices
    ]
    kinds = Counter(Kind(p.actor.kind).label for p in accepted)
    sectors = Counter(
        in_reader_language(english=label, korean=label_ko)
        for label, label_ko in Actor.sectors.through.objects.filter(
            actor__in=[p.actor_id for p in accepted]
        ).values_list("sector__label", "sector__label_ko")
    )
    meetings_per = sorted(
        ((p, p.eu_count + p.kr_count) for p in accepted), key=lambda pc: (pc[1], pc[0].actor.name)
    )
    met_pairs = set(event.meetings.values_list("eu_id", "kr_id"))
    shares = []
    for level in (WishLevel.MUST, WishLevel.LIKE):
        wishes = Wish.objects.filter(
            participant__event=event,
            level=level,
            participant__status=ParticipantStatus.ACCEPTED,
            target__status=ParticipantStatus.ACCEPTED,
        ).values_list("participant_id", "target_id", "participant__actor__side")
        pairs = [(a, b) if side == "eu" else (b, a) for a, b, side in wishes]
        shares.append(
            WishShare(
                level=WishLevel(level).label,
                total=len(pairs),
                met=sum(pair in met_pairs for pair in pairs),
            )
        )
    slot_use = [
        SlotUse(label=str(slot), meetings=slot.booked, tables=event.tables)
        for slot in event.slots.select_related("event").annotate(booked=Count("meetings"))
    ]
    fairness = meeting_fairness(event=event)
    latest_run = event.schedule_runs.first()
    return {
        "fairness": fairness,
        "sentences": run_sentences(latest_run, spread=fairness.spread) if latest_run else [],
        "sides": sides,
        "kinds": kinds.most_common(),
        "sectors": sectors.most_common(12),
        "meetings_per": meetings_per,
        "without_meetings": [p for p, count in meetings_per if count == 0],
        "wish_shares": shares,
        "slot_use": slot_use,
        "meeting_count": event.meetings.count(),
        "pending": [p for p in participants if p.status == ParticipantStatus.PENDING],
    }


def participants_with_counts(event: Event):
    return (
        Participant.objects.filter(event=event)
        .select_related("actor", "actor__region")
        .annotate(
            meetings=Count("eu_meetings", distinct=True) + Count("kr_meetings", distinct=True),
            attendee_count=Count("attendees", distinct=True),
        )
        .order_by("actor__side", "actor__name")
    )


def meetings_of(event: Event) -> QuerySet[Meeting]:
    # slot__event: a round prints itself in the event's time zone, one query per row otherwise.
    return (
        Meeting.objects.filter(event=event)
        .select_related("slot__session", "slot__event", "eu__actor", "kr__actor")
        .order_by("slot__starts_at", "table")
    )


def meetings_involving(participant: Participant) -> QuerySet[Meeting]:
    """Its meetings on either side of the table."""
    return Meeting.objects.filter(Q(eu=participant) | Q(kr=participant))
