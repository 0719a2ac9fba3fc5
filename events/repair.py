"""Repairing a schedule without moving what still stands.

Once a schedule is published, participants hold agendas and calendar entries; a change they
did not ask for costs their trust. So a published schedule is never regenerated: an update
keeps every meeting that is still valid exactly where it is (same row, round and table), takes
out the meetings that are no longer valid, and lets the solver fill the places that freed up,
with the kept meetings passed to it as fixed.

An update is computed first and kept as a `ScheduleProposal` (nothing else is written), shown
to the organiser as a difference, and applied on confirmation in one transaction, unless the
schedule or who may meet whom changed in between (`schedule_fingerprint`).

The same fill moves the meetings that a change of the event's shape leaves outside it (fewer
tables, other rounds): `displaced_plan`, used by `events.setup`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.changelog import changes_record, round_label
from events.models import (
    ChangeAction,
    Event,
    Exclusion,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
    ScheduleProposal,
    ScheduleRun,
    TimeSlot,
    Wish,
    WishLevel,
    outcome_recorded,
)
from events.pairs import PairMatrix, pair_matrix
from events.report import schedule_run_record
from events.schedule import (
    CONFLICT,
    Progress,
    attendance_matrix,
    declined_requests,
    no_progress,
    pair_reason,
    schedule_problem,
    solution_check,
)
from events.solver import (
    RELATIVE_TOLERANCE,
    Placement,
    Problem,
    Schedule,
    fairness_of,
    schedule_solve,
    upper_bound_for,
)

KEPT, MOVED, ADDED, REMOVED = "kept", "moved", "added", "removed"

# A meeting pushed out of its place (its round or table is gone, or one of the two now misses
# that round) is worth more than any new pair: moving it keeps a meeting both already have in
# their agenda. Ten times the strongest wish bonus.
DISPLACED_BONUS = 1000.0

STALE = gettext_lazy(
    "The schedule changed since this update was computed (a meeting, a participant, an "
    "exclusion, a meeting request, an outcome or a participant's feedback), so it was not "
    "applied and nothing was written. Compute the update again to see what it would do now."
)
UPDATE_STAGES = 3  # pairs and checks, solving, writing
GONE = gettext_lazy("That update is no longer available: it was discarded or applied already.")


# -- what is still valid --------------------------------------------------------------------


def schedule_fingerprint(*, event: Event) -> str:
    """A digest of the meetings and of everything that decides whether a meeting is valid: who
    is accepted, exclusions, "not interested", answered meeting requests, absences, outcomes
    and feedback (a recorded meeting is never cancelled), rounds, tables and the maximum. Two
    equal fingerprints mean an update computed on one still holds on the other."""
    digest = hashlib.sha256()

    def add(label: str, rows) -> None:
        digest.update(label.encode())
        for row in rows:
            digest.update(repr(tuple(row)).encode())

    add("shape", [(event.tables, event.max_meetings)])
    add(
        "meetings",
        Meeting.objects.filter(event=event)
        .order_by("pk")
        .values_list("pk", "eu_id", "kr_id", "slot_id", "table", "held", "follow_up"),
    )
    add(
        "notes",
        Meeting.objects.filter(event=event)
        .exclude(outcome_note="")
        .order_by("pk")
        .values_list("pk"),
    )
    add(
        "feedback",
        MeetingFeedback.objects.filter(meeting__event=event)
        .order_by("meeting_id", "side")
        .values_list("meeting_id", "side"),
    )
    add(
        "requests",
        MeetingRequest.objects.filter(
            event=event, status__in=(RequestStatus.ACCEPTED, RequestStatus.DECLINED)
        )
        .order_by("pk")
        .values_list("sender_id", "receiver_id", "status"),
    )
    add("slots", TimeSlot.objects.filter(event=event).order_by("pk").values_list("pk"))
    participants = Participant.objects.filter(event=event)
    add("participants", participants.order_by("pk").values_list("pk", "status"))
    add(
        "exclusions",
        Exclusion.objects.filter(event=event)
        .order_by("eu_id", "kr_id")
        .values_list("eu_id", "kr_id"),
    )
    add(
        "refusals",
        Wish.objects.filter(participant__event=event, level=WishLevel.NOT)
        .order_by("participant_id", "target_id")
        .values_list("participant_id", "target_id"),
    )
    add(
        "absent",
        Participant.absent_from.through.objects.filter(participant__event=event)
        .order_by("participant_id", "eventsession_id")
        .values_list("participant_id", "eventsession_id"),
    )
    add(
        "missed",
        Participant.absent_rounds.through.objects.filter(participant__event=event)
        .order_by("participant_id", "timeslot_id")
        .values_list("participant_id", "timeslot_id"),
    )
    return digest.hexdigest()


@dataclass
class _Context:
    """What the checks and the fill read about the event, loaded once."""

    event: Event
    slots: list[TimeSlot]
    matrix: PairMatrix
    eu_at: dict[int, int]
    kr_at: dict[int, int]
    slot_at: dict[int, int]
    eu_available: np.ndarray
    kr_available: np.ndarray
    declined: dict[tuple[int, int], str]  # (eu id, kr id) -> who declined whose request

    @classmethod
    def load(cls, *, event: Event, slots: list[TimeSlot]) -> _Context:
        matrix = pair_matrix(event=event)
        eu_at, kr_at = matrix.position()
        return cls(
            event=event,
            slots=slots,
            matrix=matrix,
            eu_at=eu_at,
            kr_at=kr_at,
            slot_at={slot.pk: i for i, slot in enumerate(slots)},
            eu_available=attendance_matrix(matrix.eu, slots),
            kr_available=attendance_matrix(matrix.kr, slots),
            declined=declined_requests(event=event),
        )

    def indices(self, meeting: Meeting) -> tuple[int, int] | None:
        if meeting.eu_id in self.eu_at and meeting.kr_id in self.kr_at:
            return self.eu_at[meeting.eu_id], self.kr_at[meeting.kr_id]
        return None

    def forbidden(self, i: int, j: int) -> str:
        """Why the pair may not meet any more, or ''."""
        m = self.matrix
        if m.excluded[i, j]:
            return _("the organisers excluded this pair")
        if m.eu_wish[i, j] == WishLevel.NOT:
            return _("%(name)s is not interested") % {"name": m.eu[i].actor.name}
        if m.kr_wish[i, j] == WishLevel.NOT:
            return _("%(name)s is not interested") % {"name": m.kr[j].actor.name}
        if m.declined is not None and m.declined[i, j]:
            return self.declined.get(
                (m.eu[i].pk, m.kr[j].pk), _("a meeting request between them was declined")
            )
        return ""


def _not_accepted(meeting: Meeting) -> str:
    for p in (meeting.eu, meeting.kr):
        if p.status != ParticipantStatus.ACCEPTED:
            return _("%(name)s is no longer accepted") % {"name": p.actor.name}
    return ""


def _gone() -> str:
    return _("a participant no longer takes part")


def _misplaced(ctx: _Context, meeting: Meeting, i: int, j: int) -> str:
    """Why the pair may meet but not at this place, or ''."""
    if meeting.table > ctx.event.tables:
        return _("table %(table)s no longer exists") % {"table": meeting.table}
    s = ctx.slot_at.get(meeting.slot_id)
    if s is None:
        return _("its round no longer exists")
    for available, index, p in (
        (ctx.eu_available, i, ctx.matrix.eu[i]),
        (ctx.kr_available, j, ctx.matrix.kr[j]),
    ):
        if not available[index, s]:
            return _("%(name)s does not attend this round") % {"name": p.actor.name}
    return ""


@dataclass
class _Sorted:
    kept: list[Meeting]
    displaced: dict[int, str]  # meeting id -> why it cannot stay where it is (pair still fine)
    removed: dict[int, str]  # meeting id -> why it goes
    meetings: dict[int, Meeting]
    over: set[int]  # of `removed`, those that go only because of the maximum


def _sort_meetings(ctx: _Context, meetings: list[Meeting]) -> _Sorted:
    """Kept, displaced (to move) or removed, with the reason in words."""
    kept: list[Meeting] = []
    displaced: dict[int, str] = {}
    removed: dict[int, str] = {}
    candidates: list[tuple[Meeting, int, int]] = []
    for m in meetings:
        if m.has_outcome:  # it took place (or was recorded as missed): never lost
            kept.append(m)
            continue
        at = ctx.indices(m)
        if at is None:
            removed[m.pk] = _not_accepted(m) or _gone()
            continue
        i, j = at
        why = ctx.forbidden(i, j)
        if why:
            removed[m.pk] = why
            continue
        why = _misplaced(ctx, m, i, j)
        if why:
            displaced[m.pk] = why
            continue
        candidates.append((m, i, j))
    # Within the maximum: meetings with an outcome count first, then fixed ones, then the most
    # valuable, then the earliest.
    limit = ctx.event.max_meetings
    count: dict[tuple[str, int], int] = defaultdict(int)
    for m in kept:
        count["eu", m.eu_id] += 1
        count["kr", m.kr_id] += 1
    values = ctx.matrix.values
    candidates.sort(
        key=lambda c: (not c[0].fixed, -values[c[1], c[2]], c[0].slot.starts_at, c[0].table)
    )
    over_maximum: set[int] = set()
    for m, _i, _j in candidates:
        over = [p for p, side in ((m.eu, "eu"), (m.kr, "kr")) if count[side, p.pk] >= limit]
        if over:
            removed[m.pk] = ngettext(
                "%(name)s would have more than %(count)d meeting",
                "%(name)s would have more than %(count)d meetings",
                limit,
            ) % {"name": over[0].actor.name, "count": limit}
            over_maximum.add(m.pk)
            continue
        count["eu", m.eu_id] += 1
        count["kr", m.kr_id] += 1
        kept.append(m)
    return _Sorted(
        kept=kept, displaced=displaced, removed=removed, meetings={m.pk: m for m in meetings},
        over=over_maximum,
    )  # fmt: skip


# -- the fill ---------------------------------------------------------------------------------


@dataclass
class _Fill:
    lines: list[dict]
    problem: Problem | None  # the event's own problem with the kept meetings fixed
    schedule: Schedule | None  # what the lines give, measured on `problem`


def _line(action: str, *, eu: Participant, kr: Participant, **fields) -> dict:
    return {
        "action": action, "eu": eu.pk, "kr": kr.pk, "meeting": None, "slot": None, "table": None,
        "at": None, "old_slot": None, "old_table": None, "old_at": None, "score": 0.0,
        "reason": "", "why": "", **fields,
    }  # fmt: skip


def _iso(slot: TimeSlot | None) -> str | None:
    return slot.starts_at.isoformat() if slot is not None else None


def _old(meeting: Meeting) -> dict:
    return {
        "meeting": meeting.pk,
        "old_slot": meeting.slot_id,
        "old_table": meeting.table,
        "old_at": _iso(meeting.slot),
    }


def _fill(
    ctx: _Context,
    *,
    kept: list[Meeting],
    displaced: dict[int, str],
    meetings: dict[int, Meeting],
    only_displaced: bool,
    time_limit: float,
) -> _Fill:
    """Keep `kept` where they are, try to move the `displaced` meetings to free places and, unless
    `only_displaced`, fill the other free places with new pairs."""
    lines = [
        _line(KEPT, eu=m.eu, kr=m.kr, slot=m.slot_id, table=m.table, at=_iso(m.slot), **_old(m))
        for m in kept
    ]
    moving = [meetings[pk] for pk in displaced]
    if not ctx.matrix.eu or not ctx.matrix.kr or not ctx.slots:
        lines += [_line(REMOVED, eu=m.eu, kr=m.kr, why=displaced[m.pk], **_old(m)) for m in moving]
        return _Fill(lines=lines, problem=None, schedule=None)
    inside = [m for m in kept if ctx.indices(m) is not None]
    problem = schedule_problem(event=ctx.event, matrix=ctx.matrix, slots=ctx.slots, fixed=inside)
    value = problem.value.copy()
    allowed = np.zeros_like(problem.allowed) if only_displaced else problem.allowed.copy()
    eu_available, kr_available = problem.eu_available.copy(), problem.kr_available.copy()
    eu_max, kr_max = problem.eu_max.copy(), problem.kr_max.copy()
    for m in moving:
        at = ctx.indices(m)
        if at is not None and not ctx.forbidden(*at):
            allowed[at] = True
            value[at] = DISPLACED_BONUS + max(float(problem.value[at]), 0.0)
    # A kept meeting with someone no longer accepted (it has an outcome) is not in the
    # solver's arrays: its accepted side is busy then and has one meeting less to give.
    outside = [m for m in kept if ctx.indices(m) is None]
    for m in outside:
        s = ctx.slot_at.get(m.slot_id)
        for pid, at, available, cap in (
            (m.eu_id, ctx.eu_at, eu_available, eu_max),
            (m.kr_id, ctx.kr_at, kr_available, kr_max),
        ):
            if pid in at:
                if s is not None:
                    available[at[pid], s] = False
                cap[at[pid]] = max(cap[at[pid]] - 1, 0)
    tuned = dataclasses.replace(
        problem, value=value, allowed=allowed, eu_available=eu_available,
        kr_available=kr_available, eu_max=eu_max, kr_max=kr_max,
    )  # fmt: skip
    try:
        result = schedule_solve(tuned, time_limit=time_limit)
    except ValueError as exc:  # kept meetings that clash: the database would not allow it
        raise ValidationError(str(exc)) from None
    solution_check(problem=tuned, solution=result)

    # Places the solver could not see (kept meetings outside its arrays) are taken first.
    taken = {(ctx.slot_at.get(m.slot_id), m.table) for m in kept}
    by_pair = {(m.eu_id, m.kr_id): m for m in moving}
    placed: set[int] = set()
    new: list[Placement] = []
    for p in result.meetings:
        if p.fixed:
            continue
        table = p.table
        if (p.slot, table) in taken:
            free = [t for t in range(1, ctx.event.tables + 1) if (p.slot, t) not in taken]
            if not free:
                continue
            table = free[0]
        taken.add((p.slot, table))
        new.append(dataclasses.replace(p, table=table))
        eu, kr = ctx.matrix.eu[p.eu], ctx.matrix.kr[p.kr]
        slot = ctx.slots[p.slot]
        where = {"slot": slot.pk, "table": table, "at": _iso(slot)}
        old = by_pair.get((eu.pk, kr.pk))
        if old is not None:
            placed.add(old.pk)
            lines.append(_line(MOVED, eu=eu, kr=kr, why=displaced[old.pk], **_old(old), **where))
        else:
            score = float(ctx.matrix.scores[p.eu, p.kr])
            reason = pair_reason(scorer=ctx.matrix.scorer, eu=eu, kr=kr)
            lines.append(_line(ADDED, eu=eu, kr=kr, score=score, reason=reason, **where))
    for m in moving:
        if m.pk not in placed:
            at = ctx.indices(m)
            blocked = (
                (_not_accepted(m) or _gone())
                if at is None
                else (ctx.forbidden(*at) or _("there is no free place for it"))
            )
            why = _("%(why)s, and %(then)s") % {"why": displaced[m.pk], "then": blocked}
            lines.append(_line(REMOVED, eu=m.eu, kr=m.kr, why=why, **_old(m)))
    return _Fill(
        lines=lines, problem=problem, schedule=_measured(problem, inside, ctx, new, result)
    )


def _measured(
    problem: Problem, inside: list[Meeting], ctx: _Context, new: list[Placement], result: Schedule
) -> Schedule:
    """The schedule as the event values it (without the bonus that moved displaced meetings
    first), with the event's own upper bound."""
    fixed = [
        Placement(ctx.eu_at[m.eu_id], ctx.kr_at[m.kr_id], ctx.slot_at[m.slot_id], m.table, True)
        for m in inside
    ]
    meetings = sorted(fixed + new, key=lambda p: (p.slot, p.table))
    value = float(sum(problem.value[p.eu, p.kr] for p in meetings))
    # The best value for the fairness level this schedule reaches: a repair keeps meetings
    # where they are, so it may be less fair than the fairest schedule, and the fairest
    # schedule's bound would not bound it.
    bound = max(upper_bound_for(problem, meetings), value)
    return Schedule(
        meetings=tuple(meetings),
        value=value,
        bound=bound,
        optimal=value >= bound - RELATIVE_TOLERANCE * max(abs(bound), 1.0),
        seconds=result.seconds,
    )


def _event_meetings(event: Event) -> list[Meeting]:
    return list(
        Meeting.objects.filter(event=event)
        .select_related("slot", "eu__actor", "kr__actor")
        .prefetch_related("feedback")  # `has_outcome` reads it
        .order_by("slot__starts_at", "table")
    )


# -- an update of the published schedule ---------------------------------------------------------


def _counts(lines: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys((KEPT, MOVED, ADDED, REMOVED), 0)
    for line in lines:
        counts[line["action"]] += 1
    return counts


@transaction.atomic
def repair_compute(
    *,
    event: Event,
    by: AbstractBaseUser | None = None,
    time_limit: float = 20.0,
    progress: Progress | None = None,
) -> ScheduleProposal:
    """Compute, without applying it, the update of the schedule: every valid meeting stays
    where it is, the invalid ones go, and the solver fills the freed places. Kept as a proposal
    (the same user's earlier unconfirmed proposals for this event are dropped).

    `progress(done, total, label)` hears the stages, as in `schedule_generate`."""
    progress = progress or no_progress
    based_on = schedule_fingerprint(event=event)  # before reading: a change meanwhile shows
    slots = list(event.slots.order_by("starts_at"))
    progress(1, UPDATE_STAGES, _("Building the pairs and checking every meeting"))
    ctx = _Context.load(event=event, slots=slots)
    meetings = _event_meetings(event)
    sorted_ = _sort_meetings(ctx, meetings)
    progress(2, UPDATE_STAGES, _("Solving: filling the freed places"))
    fill = _fill(
        ctx, kept=sorted_.kept, displaced=sorted_.displaced, meetings=sorted_.meetings,
        only_displaced=False, time_limit=time_limit,
    )  # fmt: skip
    lines = fill.lines + [
        _line(REMOVED, eu=m.eu, kr=m.kr, why=sorted_.removed[m.pk], **_old(m))
        for m in meetings
        if m.pk in sorted_.removed
    ]
    summary = {"counts": _counts(lines), "unplaced": _unplaced_requests(ctx, lines)}
    if fill.schedule is not None:
        summary["run"] = {
            "bound": fill.schedule.bound,
            "optimal": fill.schedule.optimal,
            "seconds": fill.schedule.seconds,
        }
        # The best fairness level the run will record, measured here (a job) on the problem
        # that confirming rebuilds: confirming runs in a web process, which solves nothing.
        applied = _run_inputs(event, lines, summary["run"])
        summary["run"]["fairness_bound"] = fairness_of(
            applied["problem"], applied["result"].meetings
        )[1]
    progress(3, UPDATE_STAGES, _("Writing the proposed update"))
    if by is not None and by.is_authenticated:
        event.proposals.filter(created_by=by, applied_at__isnull=True).delete()
    return ScheduleProposal.objects.create(
        event=event,
        created_by=by if by is not None and by.is_authenticated else None,
        based_on=based_on,
        placements=lines,
        summary=summary,
    )


def _unplaced_requests(ctx: _Context, lines: list[dict]) -> list[dict]:
    """Accepted meeting requests the update leaves without a meeting, each with why, so the
    organiser is not left believing the next update will place them. A pair the organisers
    excluded (or that one side no longer wants) is not waiting to be placed: left out."""
    m = ctx.matrix
    if m.requested is None or not m.requested.any():
        return []
    meeting = [line for line in lines if line["action"] != REMOVED]
    placed = {(line["eu"], line["kr"]) for line in meeting}
    count: dict[int, int] = defaultdict(int)
    busy: dict[int, set[int]] = defaultdict(set)
    tables_used: dict[int, int] = defaultdict(int)
    for line in meeting:
        for side in ("eu", "kr"):
            count[line[side]] += 1
            busy[line[side]].add(line["slot"])
        tables_used[line["slot"]] += 1
    limit = ctx.event.max_meetings
    unplaced = []
    for i, j in zip(*np.nonzero(m.requested), strict=True):
        eu, kr = m.eu[i], m.kr[j]
        if (eu.pk, kr.pk) in placed or ctx.forbidden(i, j):
            continue
        full = [p.actor.name for p in (eu, kr) if count[p.pk] >= limit]
        both_attend = [
            slot.pk
            for s, slot in enumerate(ctx.slots)
            if ctx.eu_available[i, s] and ctx.kr_available[j, s]
        ]
        both_free = [s for s in both_attend if s not in busy[eu.pk] | busy[kr.pk]]
        if len(full) == 2:
            why = ngettext(
                "both already have the maximum of %(count)d meeting",
                "both already have the maximum of %(count)d meetings",
                limit,
            ) % {"count": limit}
        elif full:
            why = ngettext(
                "%(name)s already has the maximum of %(count)d meeting",
                "%(name)s already has the maximum of %(count)d meetings",
                limit,
            ) % {"name": full[0], "count": limit}
        elif not both_attend:
            why = _("they attend no round in common")
        elif not both_free:
            why = _("every round both attend already holds a meeting of one of them")
        elif all(tables_used[s] >= ctx.event.tables for s in both_free):
            why = _("every table is taken in the rounds both have free")
        else:
            why = _("the update found no free place for it")
        unplaced.append({"eu": eu.pk, "kr": kr.pk, "why": why})
    return unplaced


def over_maximum(*, event: Event) -> dict[int, str]:
    """The meetings an update would cancel only because a participant has more than the
    event's maximum (id -> why), chosen as the update chooses: meetings with an outcome count
    first, then fixed ones, then the most valuable, then the earliest."""
    ctx = _Context.load(event=event, slots=list(event.slots.order_by("starts_at")))
    sorted_ = _sort_meetings(ctx, _event_meetings(event))
    return {pk: why for pk, why in sorted_.removed.items() if pk in sorted_.over}


def proposal_discard(*, proposal: ScheduleProposal) -> None:
    if proposal.applied_at is not None:
        raise ValidationError(_("This update was applied already; it cannot be discarded."))
    proposal.delete()


@transaction.atomic
def repair_apply(
    *, proposal: ScheduleProposal, by: AbstractBaseUser | None = None
) -> ScheduleRun | None:
    """Apply a computed update in one transaction: refused, with nothing written, if the
    schedule changed since it was computed. Logs every change and records the run. An update
    that changes nothing records no run: it is dropped, and None returned."""
    event = Event.objects.select_for_update().get(pk=proposal.event_id)
    current = ScheduleProposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if current is None:
        raise ValidationError(GONE, code="gone")
    if current.applied_at is not None:
        raise ValidationError(_("This update was applied already."), code="applied")
    if schedule_fingerprint(event=event) != current.based_on:
        raise ValidationError(STALE, code="stale")
    lines = current.placements
    if all(line["action"] == KEPT for line in lines):
        current.delete()
        return None
    plan_write(event=event, lines=lines, by=by, note=_("schedule update"))
    run = schedule_run_record(
        event=event, by=by, repair=True, **_run_inputs(event, lines, current.summary.get("run"))
    )
    current.applied_at = timezone.now()
    current.save(update_fields=["applied_at"])
    proposal.applied_at = current.applied_at
    return run


def _run_inputs(event: Event, lines: list[dict], run: dict | None) -> dict:
    """The problem and the schedule of an applied update, for `schedule_run_record`."""
    slots = list(event.slots.order_by("starts_at"))
    matrix = pair_matrix(event=event)
    eu_at, kr_at = matrix.position()
    slot_at = {slot.pk: i for i, slot in enumerate(slots)}
    kept_ids = [line["meeting"] for line in lines if line["action"] == KEPT]
    inside = [
        m for m in Meeting.objects.filter(pk__in=kept_ids) if m.eu_id in eu_at and m.kr_id in kr_at
    ]
    fixed_ids = {m.pk for m in inside}
    meetings = []
    if matrix.eu and matrix.kr and slots:
        problem = schedule_problem(event=event, matrix=matrix, slots=slots, fixed=inside)
    else:
        problem = Problem(
            value=np.zeros((len(matrix.eu), len(matrix.kr))),
            allowed=np.zeros((len(matrix.eu), len(matrix.kr)), dtype=bool),
            eu_available=np.zeros((len(matrix.eu), len(slots)), dtype=bool),
            kr_available=np.zeros((len(matrix.kr), len(slots)), dtype=bool),
            eu_max=np.zeros(len(matrix.eu), dtype=np.int64),
            kr_max=np.zeros(len(matrix.kr), dtype=np.int64),
            tables=event.tables,
        )
    for line in lines:
        if line["action"] == REMOVED or line["eu"] not in eu_at or line["kr"] not in kr_at:
            continue
        if line["action"] == KEPT and line["meeting"] not in fixed_ids:
            continue
        if line["slot"] not in slot_at:
            continue
        meetings.append(
            Placement(
                eu_at[line["eu"]], kr_at[line["kr"]], slot_at[line["slot"]], line["table"],
                line["action"] == KEPT,
            )
        )  # fmt: skip
    meetings.sort(key=lambda p: (p.slot, p.table))
    value = float(sum(problem.value[p.eu, p.kr] for p in meetings))
    run = run or {}
    bound = max(float(run.get("bound", value)), value)
    schedule = Schedule(
        meetings=tuple(meetings),
        value=value,
        bound=bound,
        optimal=bool(run.get("optimal", True)),
        seconds=float(run.get("seconds", 0.0)),
        # None for a proposal computed before it was kept: `schedule_run_record` measures it.
        fairness_bound=run.get("fairness_bound"),
    )
    # The meetings an organiser fixed, as the schedule page marks them: the update passed every
    # kept meeting to the solver as fixed, but that does not make them the organisers'.
    fixed = Meeting.objects.filter(event=event, fixed=True).count()
    return {"problem": problem, "result": schedule, "fixed": fixed}


def plan_write(*, event: Event, lines: list[dict], by: AbstractBaseUser | None, note: str) -> None:
    """Write the moved, added and removed lines of a plan, and log them if the schedule is
    published. The caller holds a transaction and has checked that the plan still holds."""
    slots = {slot.pk: slot for slot in TimeSlot.objects.filter(event=event)}
    people = {p.pk: p for p in event.participants.select_related("actor")}
    changed = [line for line in lines if line["action"] in (MOVED, REMOVED)]
    existing = {
        m.pk: m
        for m in Meeting.objects.filter(
            event=event, pk__in=[line["meeting"] for line in changed]
        ).select_related("slot")
    }
    if len(existing) != len(changed):
        raise ValidationError(STALE, code="stale")
    removing = [line["meeting"] for line in lines if line["action"] == REMOVED]
    recorded = Meeting.objects.filter(pk__in=removing).filter(outcome_recorded())
    if recorded.exists():
        # The callers keep such meetings; this holds whatever a caller missed, since deleting
        # a meeting would take its outcome and the participants' feedback with it.
        raise ValidationError(STALE, code="stale")
    log = []
    try:
        with transaction.atomic():
            removed = [line for line in lines if line["action"] == REMOVED]
            for line in removed:
                meeting = existing[line["meeting"]]
                log.append(
                    _log(
                        ChangeAction.REMOVED,
                        line,
                        people,
                        by,
                        note,
                        old=(meeting.slot, meeting.table),
                    )
                )
            Meeting.objects.filter(pk__in=[line["meeting"] for line in removed]).delete()
            moved = [line for line in lines if line["action"] == MOVED]
            for line in moved:
                meeting = existing[line["meeting"]]
                log.append(
                    _log(ChangeAction.MOVED, line, people, by, note,
                         old=(meeting.slot, meeting.table),
                         new=(slots[line["slot"]], line["table"]))
                )  # fmt: skip
            _move(existing=existing, moved=moved, slots=slots)
            added = [line for line in lines if line["action"] == ADDED]
            Meeting.objects.bulk_create(
                Meeting(
                    event=event, slot=slots[line["slot"]], table=line["table"],
                    eu=people[line["eu"]], kr=people[line["kr"]], score=line["score"],
                    reason=line["reason"],
                )
                for line in added
            )  # fmt: skip
            for line in added:
                log.append(
                    _log(ChangeAction.ADDED, line, people, by, note,
                         new=(slots[line["slot"]], line["table"]))
                )  # fmt: skip
    except (IntegrityError, KeyError):
        raise ValidationError(CONFLICT, code="conflict") from None
    changes_record(event=event, changes=log)


# Where a meeting waits while another takes its round (see `_move`): far before any event
# (their dates start in 2000), one minute apart so that each waits in a round of its own.
PARKING = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)


def _place(meeting: Meeting, slot: TimeSlot, table: int) -> None:
    fields = {"slot": slot, "table": table, "updated_at": timezone.now()}
    if slot.pk != meeting.slot_id:
        # "Running late" was said of the old round; it says nothing about the new one.
        fields |= {"late_minutes": None, "late_side": ""}
    Meeting.objects.filter(pk=meeting.pk).update(**fields)


def _move(*, existing: dict[int, Meeting], moved: list[dict], slots: dict[int, TimeSlot]) -> None:
    """Move meetings to their new places past the unique constraints, which hold at every
    step: a meeting may take a place that another moving meeting is about to leave. Every
    meeting keeps its row, and with it its feedback, outcome and calendar entry."""
    # First every moving meeting to a table no event has, so that tables never clash.
    for n, line in enumerate(moved):
        Meeting.objects.filter(pk=line["meeting"]).update(table=32000 - n)
    where = {line["meeting"]: existing[line["meeting"]].slot_id for line in moved}
    pending = {line["meeting"]: line for line in moved}
    parked: list[tuple[Meeting, dict]] = []
    parking: list[TimeSlot] = []
    while pending:
        progress = False
        for pk, line in list(pending.items()):
            m = existing[pk]
            blocked = any(
                where[other] == line["slot"]
                and (existing[other].eu_id == m.eu_id or existing[other].kr_id == m.kr_id)
                for other in pending
                if other != pk
            )
            if blocked:
                continue
            _place(existing[pk], slots[line["slot"]], line["table"])
            where[pk] = line["slot"]
            del pending[pk]
            progress = True
        if not progress:
            # Two meetings of one participant swapping rounds: one waits in a round of its
            # own, which nobody sees (it lives only inside this transaction), until the other
            # has moved.
            pk, line = next(iter(pending.items()))
            meeting = existing[pk]
            start = PARKING + dt.timedelta(minutes=len(parking))
            parking.append(
                TimeSlot.objects.create(
                    event_id=meeting.event_id, session_id=meeting.slot.session_id,
                    starts_at=start, ends_at=start + dt.timedelta(seconds=30),
                )
            )  # fmt: skip
            Meeting.objects.filter(pk=pk).update(slot=parking[-1])
            parked.append((meeting, line))
            where[pk] = parking[-1].pk
            del pending[pk]
    for meeting, line in parked:
        _place(meeting, slots[line["slot"]], line["table"])
    TimeSlot.objects.filter(pk__in=[slot.pk for slot in parking]).delete()


def _log(action, line, people, by, note, *, old=None, new=None) -> dict:
    why = line.get("why", "")
    return {
        "action": action, "by": by, "eu": people.get(line["eu"]), "kr": people.get(line["kr"]),
        "old": old, "new": new,
        "note": _("%(note)s: %(why)s") % {"note": note, "why": why} if why else note,
    }  # fmt: skip


# -- the difference, as the confirmation page shows it -------------------------------------------


@dataclass
class ParticipantChanges:
    participant: Participant
    sentences: list[str]


@dataclass
class Difference:
    counts: dict[str, int]
    participants: list[ParticipantChanges]
    unchanged: int
    stale: bool
    unplaced: list[str] = dataclasses.field(default_factory=list)  # accepted requests, why not


def _when(iso: str | None, event: Event) -> str:
    return round_label(parse_datetime(iso) if iso else None, event=event)


def proposal_difference(*, proposal: ScheduleProposal) -> Difference:
    """What the update changes, per participant (only those with a change)."""
    event = proposal.event
    lines = proposal.placements
    unplaced = proposal.summary.get("unplaced", [])
    named = {line[side] for line in lines + unplaced for side in ("eu", "kr")}
    people = {
        p.pk: p
        for p in event.participants.filter(
            Q(pk__in=named) | Q(status=ParticipantStatus.ACCEPTED)
        ).select_related("actor")
    }
    sentences: dict[int, list[str]] = defaultdict(list)
    for line in lines:
        if line["action"] == KEPT:
            continue
        for me, other in (("eu", "kr"), ("kr", "eu")):
            other_p = people.get(line[other])
            name = other_p.actor.name if other_p else _("a participant no longer in the event")
            said = {
                "name": name,
                "when": _when(line["at"], event),
                "table": line["table"],
                "old_when": _when(line["old_at"], event),
                "old_table": line["old_table"],
                "why": line["why"],
            }
            if line["action"] == ADDED:
                text = _("New meeting with %(name)s at %(when)s, table %(table)s.") % said
            elif line["action"] == MOVED:
                text = (
                    _(
                        "Meeting with %(name)s moves from %(old_when)s, table %(old_table)s to "
                        "%(when)s, table %(table)s (%(why)s)."
                    )
                    % said
                )
            else:
                text = (
                    _(
                        "Meeting with %(name)s at %(old_when)s, table %(old_table)s is cancelled "
                        "(%(why)s)."
                    )
                    % said
                )
            sentences[line[me]].append(text)
    changed = [
        ParticipantChanges(participant=people[pk], sentences=texts)
        for pk, texts in sentences.items()
        if pk in people
    ]
    changed.sort(key=lambda c: (c.participant.actor.side != "eu", c.participant.actor.name))
    concerned = {pk for pk, p in people.items() if p.status == ParticipantStatus.ACCEPTED}
    concerned |= {line[side] for line in lines if line["action"] == KEPT for side in ("eu", "kr")}
    return Difference(
        counts=_counts(lines),
        participants=changed,
        unchanged=len(concerned - set(sentences)),
        stale=proposal.applied_at is None
        and schedule_fingerprint(event=event) != proposal.based_on,
        unplaced=[
            _("%(european)s / %(korean)s: %(why)s.")
            % {
                "european": people[u["eu"]].actor.name,
                "korean": people[u["kr"]].actor.name,
                "why": u["why"],
            }
            for u in unplaced
            if u["eu"] in people and u["kr"] in people
        ],
    )


# -- meetings a change of the event's shape leaves outside it -------------------------------------


def displaced_plan(
    *, event: Event, slots: list[TimeSlot], displaced: dict[int, str], time_limit: float = 10.0
) -> list[dict]:
    """Lines that move the `displaced` meetings (id -> why) to free places among `slots`,
    everything else staying where it is; those that find no place are removed."""
    ctx = _Context.load(event=event, slots=slots)
    meetings = _event_meetings(event)
    by_id = {m.pk: m for m in meetings}
    kept = [m for m in meetings if m.pk not in displaced]
    fill = _fill(
        ctx, kept=kept, displaced=displaced, meetings=by_id, only_displaced=True,
        time_limit=time_limit,
    )  # fmt: skip
    return [line for line in fill.lines if line["action"] != KEPT]
