"""The statistics' numbers, counted by the database (one grouped query per figure, whatever
the directory's size), as plain data: codes, English and Korean labels and counts.

Who may see what (docs/users.md, Statistics): the counts of published actors are public, and
never name a person; the event figures are for organisers (the events they organise) and
curators (every event), since a small event's counts say much about its few participants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce, TruncMonth

from directory.models import Actor, Region, Sector, Side, Status
from directory.revision_cache import directory_cached
from directory.roles import is_curator
from events.access import organised_events
from events.models import ORGANISER_RECORD, Event, FollowUp, Meeting, MeetingFeedback
from events.models import outcome_recorded as outcome_recorded_q
from events.outcomes import FOLLOW_UP_STRENGTH

SIDE_CODES = (Side.EU.value, Side.KR.value)
PUBLISHED = Q(actors__status=Status.PUBLISHED)


@dataclass(frozen=True)
class Tally:
    """One row of a figure: what is counted (a code, an English and a Korean label), and the
    count per side (or per series)."""

    code: str
    label: str
    label_ko: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


def other_side(side: str) -> str:
    return Side.KR if side == Side.EU else Side.EU


def actors_by_kind() -> list[Tally]:
    """Published actors per kind, European and Korean, the most numerous kinds first."""
    rows = Actor.objects.published().values_list("kind", "side").annotate(n=Count("id")).order_by()
    return _per_side(rows)


def actors_by_region(*, side: str) -> list[Tally]:
    """Published actors of one side per region; those without a region under the code ''."""
    counts = dict(
        Actor.objects.published()
        .filter(side=side)
        .values_list("region")
        .annotate(n=Count("id"))
        .order_by()
    )
    names = {
        pk: (code, name, name_ko)
        for pk, code, name, name_ko in Region.objects.filter(
            pk__in=[k for k in counts if k]
        ).values_list("pk", "code", "name", "name_ko")
    }
    rows = [Tally(*names[pk], (n,)) for pk, n in counts.items() if pk in names]
    rows.sort(key=lambda r: (-r.total, r.label))
    if counts.get(None):
        rows.append(Tally("", "", "", (counts[None],)))
    return rows


def sector_counts() -> list[Tally]:
    """For each sector carried by a published actor: how many European and how many Korean
    published actors carry it, the most carried first."""
    sectors = (
        Sector.objects.annotate(
            eu=Count("actors", filter=PUBLISHED & Q(actors__side=Side.EU)),
            kr=Count("actors", filter=PUBLISHED & Q(actors__side=Side.KR)),
        )
        .filter(Q(eu__gt=0) | Q(kr__gt=0))
        .values_list("code", "label", "label_ko", "eu", "kr")
    )
    rows = [Tally(code, label, label_ko, (eu, kr)) for code, label, label_ko, eu, kr in sectors]
    rows.sort(key=lambda r: (-r.total, r.label))
    return rows


def sector_overlap(*, sectors: list[Tally]) -> list[Tally]:
    """Where the two sides meet: the sectors both sides carry, by the smaller side's count
    (a sector with 40 European and 2 Korean actors offers two meetings, not forty)."""
    both = [r for r in sectors if min(r.counts) > 0]
    return sorted(both, key=lambda r: (-min(r.counts), -r.total, r.label))


def sector_candidates(*, actor: Actor) -> list[Tally]:
    """The actor's sectors with the number of its candidates carrying each: the published
    actors of the other side, as Find partners ranks them. The most candidates first."""
    other = other_side(actor.side)
    rows = (
        # Not `actor.sectors.annotate(...)`: the join that picks the actor's sectors would then
        # be the one counted, and every count would be 1.
        Sector.objects.filter(pk__in=actor.sectors.values("pk"))
        .annotate(n=Count("actors", filter=PUBLISHED & Q(actors__side=other)))
        .values_list("code", "label", "label_ko", "n")
    )
    found = [Tally(code, label, label_ko, (n,)) for code, label, label_ko, n in rows]
    found.sort(key=lambda r: (-r.total, r.label))
    return found


def public_figures() -> dict[str, list[Tally]]:
    """The figures everyone sees, computed once per directory revision."""
    return directory_cached("insights-public", _public_figures_compute)


def _public_figures_compute() -> dict[str, list[Tally]]:
    sectors = sector_counts()
    return {
        "kinds": actors_by_kind(),
        "sectors": sectors,
        "overlap": sector_overlap(sectors=sectors),
        "regions_eu": actors_by_region(side=Side.EU),
        "regions_kr": actors_by_region(side=Side.KR),
    }


def event_scope(user) -> QuerySet[Event] | None:
    """The events whose figures `user` may see, or None: curators every event, organisers the
    ones they organise (`events.access.organised_events`), nobody else any."""
    if is_curator(user):
        return Event.objects.all()
    events = organised_events(user)
    if not events.exists():
        return None
    return events


# Meetings held, as `events.outcomes.meeting_outcome` reads them: the organisers' record, or
# where they recorded nothing, any feedback (a side that gives feedback met the other).
_FEEDBACK = Exists(MeetingFeedback.objects.filter(meeting=OuterRef("pk")))
_HELD = Q(held=True) | (~ORGANISER_RECORD & _FEEDBACK)


def _strongest_feedback_follow_up() -> Subquery:
    # The position in FOLLOW_UP_STRENGTH, so that ordering by it picks the strongest.
    rank = Case(
        *[When(follow_up=v.value, then=V(i)) for i, v in enumerate(FOLLOW_UP_STRENGTH)],
        default=V(-1),
        output_field=IntegerField(),
    )
    return Subquery(
        MeetingFeedback.objects.filter(meeting=OuterRef("pk"))
        .exclude(follow_up="")
        .annotate(rank=rank)
        .order_by("-rank")
        .values("follow_up")[:1]
    )


MEETING_SERIES = ("meetings", "recorded", "held", "follow_up")


def meetings_by_month(*, events: QuerySet[Event], months: int = 36) -> list[tuple[dt.date, tuple]]:
    """Per month of the meetings' days (the last `months` months that have meetings, gaps
    filled with zeros): meetings scheduled, with an outcome recorded, held, and held with a
    follow-up beyond "none"."""
    follow_up = (Q(follow_up__in=FOLLOW_UP_STRENGTH[1:]) & ORGANISER_RECORD) | (
        ~ORGANISER_RECORD & Q(feedback_follow_up__in=FOLLOW_UP_STRENGTH[1:])
    )
    rows = (
        Meeting.objects.filter(event__in=events)
        .annotate(
            month=TruncMonth("slot__session__date"),
            feedback_follow_up=Coalesce(_strongest_feedback_follow_up(), V("")),
        )
        .values("month")
        .annotate(
            # Prefixed: "held" and "follow_up" are the meeting's own fields.
            n_meetings=Count("pk"),
            n_recorded=Count("pk", filter=outcome_recorded_q()),
            n_held=Count("pk", filter=_HELD),
            n_follow_up=Count("pk", filter=_HELD & follow_up),
        )
        .order_by("month")
    )
    found = {_month(r["month"]): tuple(r[f"n_{name}"] for name in MEETING_SERIES) for r in rows}
    if not found:
        return []
    series = []
    month, last = min(found), max(found)
    while month <= last:
        series.append((month, found.get(month, (0,) * len(MEETING_SERIES))))
        month = _next_month(month)
    return series[-months:]


def follow_ups_by_kind(*, events: QuerySet[Event]) -> list[tuple[str, int]]:
    """Held meetings per follow-up ("further talks", "MoU"...), by the same rule as the
    outcomes page: the organisers' record, else the stronger of the two sides' feedback."""
    effective = Case(
        When(ORGANISER_RECORD, then=Coalesce("follow_up", V(""))),
        default=Coalesce(_strongest_feedback_follow_up(), V("")),
    )
    rows = dict(
        Meeting.objects.filter(event__in=events)
        .filter(_HELD)
        .annotate(effective=effective)
        .values_list("effective")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows[FollowUp.NONE] = rows.get(FollowUp.NONE, 0) + rows.pop("", 0)
    return [(value, rows.get(value, 0)) for value in FOLLOW_UP_STRENGTH]


def _month(value) -> dt.date:
    value = value.date() if isinstance(value, dt.datetime) else value
    return value.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _per_side(rows) -> list[Tally]:
    """(code, side, n) rows as one Tally per code with (Europe, Korea) counts."""
    table: dict[str, list[int]] = {}
    for code, side, n in rows:
        table.setdefault(code, [0, 0])[SIDE_CODES.index(side)] += n
    found = [Tally(code, "", "", tuple(counts)) for code, counts in table.items()]
    found.sort(key=lambda r: (-r.total, r.code))
    return found
