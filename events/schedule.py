"""Generating, editing and publishing an event's meeting schedule.

`schedule_generate` hands the pair values and the constraints to `events.solver` and
replaces the draft around the organisers' fixed meetings. Manual edits are checked here with
the participants' rows locked, and the database's unique constraints catch whatever two
organisers might still race past the checks.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events import clock
from events.changelog import change_record, changes_record, meetings_removed_record
from events.models import (
    ChangeAction,
    Event,
    Exclusion,
    Meeting,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
    ScheduleRun,
    TimeSlot,
    Wish,
    WishLevel,
    outcome_recorded,
)
from events.pairs import PairMatrix, pair_matrix
from events.report import schedule_run_record
from events.solver import Placement, Problem, Schedule, schedule_check, schedule_solve
from matching.pairs import PairScorer, pair_scorer

CONFLICT = gettext_lazy(
    "Someone else changed the schedule at the same time and that place is now taken; "
    "reload the page and choose again."
)
ALREADY_CANCELLED = gettext_lazy("That meeting was already cancelled.")
GENERATION_STAGES = 3  # pairs, solving, writing


class Progress(Protocol):
    def __call__(self, done: int, total: int = 0, label: str = "") -> None: ...


def no_progress(done: int, total: int = 0, label: str = "") -> None:
    return None


def attendance_matrix(participants: list[Participant], slots: list[TimeSlot]) -> np.ndarray:
    """(participants, slots) bool: True where it attends the round (neither its session nor
    the single round is marked as missed)."""
    absent = {
        (p_id, s_id)
        for p_id, s_id in Participant.absent_from.through.objects.filter(
            participant__in=participants
        ).values_list("participant_id", "eventsession_id")
    }
    missed_rounds = set(
        Participant.absent_rounds.through.objects.filter(participant__in=participants).values_list(
            "participant_id", "timeslot_id"
        )
    )
    return np.array(
        [
            [
                (p.pk, slot.session_id) not in absent and (p.pk, slot.pk) not in missed_rounds
                for slot in slots
            ]
            for p in participants
        ],
        dtype=bool,
    ).reshape(len(participants), len(slots))


def pair_reason(*, scorer: PairScorer, eu: Participant, kr: Participant) -> str:
    return scorer.reason(eu.actor_id, kr.actor_id)


def _declined_sentence(request: MeetingRequest) -> str:
    return _("%(receiver)s declined %(sender)s's request for a meeting") % {
        "receiver": request.receiver.actor.name,
        "sender": request.sender.actor.name,
    }


def declined_requests(*, event: Event) -> dict[tuple[int, int], str]:
    """The pairs (European id, Korean id) with a declined meeting request, each with who
    declined whose ("Gumi declined Turin's request for a meeting"): never scheduled, by
    generation, update or hand."""
    declined = {}
    for request in MeetingRequest.objects.filter(
        event=event, status=RequestStatus.DECLINED
    ).select_related("sender__actor", "receiver__actor"):
        eu, kr = (
            (request.sender, request.receiver)
            if request.sender.actor.side == "eu"
            else (request.receiver, request.sender)
        )
        declined[eu.pk, kr.pk] = _declined_sentence(request)
    return declined


def solution_check(*, problem: Problem, solution: Schedule) -> None:
    # The solver's output is never trusted blindly: a broken schedule saved as the draft would
    # send participants to clashing tables. The database constraints catch only some breaks.
    problems = schedule_check(problem, solution.meetings)
    if problems:
        shown = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
        raise ValidationError(
            ngettext(
                "The generated schedule breaks %(count)d rule and was not saved; the draft is "
                "unchanged. Please report this problem: %(problems)s",
                "The generated schedule breaks %(count)d rules and was not saved; the draft is "
                "unchanged. Please report this problem: %(problems)s",
                len(problems),
            )
            % {"count": len(problems), "problems": shown},
            code="invalid_solution",
        )


def _generated_meetings(
    *, event: Event, matrix: PairMatrix, slots: list[TimeSlot], solution: Schedule
) -> list[Meeting]:
    """Unsaved rows for the solution's new meetings; the fixed ones are in the database already."""
    meetings = []
    for placement in solution.meetings:
        if placement.fixed:
            continue
        i, j = placement.eu, placement.kr
        eu, kr = matrix.eu[i], matrix.kr[j]
        meetings.append(
            Meeting(
                event=event,
                slot=slots[placement.slot],
                table=placement.table,
                eu=eu,
                kr=kr,
                score=float(matrix.scores[i, j]),
                reason=pair_reason(scorer=matrix.scorer, eu=eu, kr=kr),
            )
        )
    return meetings


def kept_meetings() -> Q:
    """The meetings a new generation keeps in place: fixed by an organiser, or with an outcome
    recorded."""
    return Q(fixed=True) | outcome_recorded()


def schedule_problem(
    *, event: Event, matrix: PairMatrix, slots: list[TimeSlot], fixed: list[Meeting]
) -> Problem:
    """The solver's problem for this event: the pair values, who attends which round, the
    event's limits, and the meetings that stay where they are (`fixed`). Pairs below the
    event's lowest fit are left out unless one side asked (`PairMatrix.proposable`), and every
    participant gets at least `Event.min_meetings` where possible."""
    eu_at, kr_at = matrix.position()
    slot_at = {slot.pk: i for i, slot in enumerate(slots)}
    n_eu, n_kr = len(matrix.eu), len(matrix.kr)
    return Problem(
        value=matrix.values,
        allowed=matrix.proposable,
        eu_available=attendance_matrix(matrix.eu, slots),
        kr_available=attendance_matrix(matrix.kr, slots),
        eu_max=np.full(n_eu, event.max_meetings, dtype=np.int64),
        kr_max=np.full(n_kr, event.max_meetings, dtype=np.int64),
        tables=event.tables,
        fixed=tuple(
            Placement(
                eu=eu_at[m.eu_id], kr=kr_at[m.kr_id], slot=slot_at[m.slot_id], table=m.table,
                fixed=True,
            )
            for m in fixed
        ),
        min_meetings=event.min_meetings,
    )  # fmt: skip


@transaction.atomic
def schedule_generate(
    *, event: Event, by=None, time_limit: float = 20.0, progress: Progress | None = None
) -> ScheduleRun:
    """Replace the draft's generated meetings with a new schedule. Fixed meetings, and every
    meeting with a recorded outcome (held or not, a follow-up, a note), stay where they are:
    nothing an organiser recorded is lost by generating again.

    A published schedule is not regenerated: participants hold it in their agendas and
    calendars. It is updated instead (`events.repair`), which keeps every valid meeting.

    `progress(done, total, label)` hears the stages (the job page shows them). It is called
    inside this transaction, so another connection sees them only if it shares it."""
    progress = progress or no_progress
    locked = Event.objects.select_for_update().get(pk=event.pk)  # one generation at a time
    if locked.published:
        raise ValidationError(
            _(
                "The schedule is published: use Update schedule, which keeps every meeting that "
                "is still valid where it is, or withdraw the publication first to generate it "
                "again."
            ),
            code="published",
        )
    slots = list(event.slots.order_by("starts_at"))
    if not slots:
        raise ValidationError(_("The event has no meeting rounds yet: add sessions first."))
    progress(1, GENERATION_STAGES, _("Building the pairs and their values"))
    matrix = pair_matrix(event=event)
    if not matrix.eu or not matrix.kr:
        raise ValidationError(
            _("A schedule needs accepted participants on both sides (European and Korean).")
        )
    eu_at, kr_at = matrix.position()
    fixed = list(event.meetings.filter(kept_meetings()).select_related("eu__actor", "kr__actor"))
    lost = [m for m in fixed if m.eu_id not in eu_at or m.kr_id not in kr_at]
    if lost:
        raise ValidationError(
            ngettext(
                "%(count)d fixed or recorded meeting involve participants who are not accepted; "
                "cancel them first.",
                "%(count)d fixed or recorded meetings involve participants who are not accepted; "
                "cancel them first.",
                len(lost),
            )
            % {"count": len(lost)}
        )
    # A fixed meeting of a pair that is now excluded (or "not interested") would be kept and
    # called optimal: the organiser decides first. A meeting with a recorded outcome took
    # place, so it stays whatever was decided since.
    breaking = [
        m for m in fixed if not matrix.allowed[eu_at[m.eu_id], kr_at[m.kr_id]] and not m.has_outcome
    ]
    if breaking:
        names = "; ".join(f"{m.eu.actor.name} / {m.kr.actor.name}" for m in breaking[:5])
        raise ValidationError(
            ngettext(
                "%(count)d fixed meeting pair participants who must not meet any more (an "
                "exclusion, a “not interested” or a declined meeting request): %(names)s. Cancel "
                "or unpin them, or remove the exclusion; nothing was generated.",
                "%(count)d fixed meetings pair participants who must not meet any more (an "
                "exclusion, a “not interested” or a declined meeting request): %(names)s. Cancel "
                "or unpin them, or remove the exclusion; nothing was generated.",
                len(breaking),
            )
            % {"count": len(breaking), "names": names},
            code="fixed_breaks_rule",
        )
    problem = schedule_problem(event=event, matrix=matrix, slots=slots, fixed=fixed)
    progress(2, GENERATION_STAGES, _("Solving: placing the meetings"))
    try:
        result = schedule_solve(problem, time_limit=time_limit)
    except ValueError as exc:  # fixed meetings that clash: the database would not allow it
        raise ValidationError(str(exc)) from None
    solution_check(problem=problem, solution=result)
    progress(3, GENERATION_STAGES, _("Writing the schedule"))
    replaced = list(
        event.meetings.exclude(kept_meetings()).select_related("slot", "eu__actor", "kr__actor")
    )
    generated = _generated_meetings(event=event, matrix=matrix, slots=slots, solution=result)
    _generation_log(event=event, replaced=replaced, generated=generated, by=by)
    Meeting.objects.filter(pk__in=[m.pk for m in replaced]).delete()
    Meeting.objects.bulk_create(generated)
    run = schedule_run_record(event=event, by=by, problem=problem, result=result, fixed=len(fixed))
    from events.notices import schedule_generated  # the notices read this module

    schedule_generated(run=run, by=by)
    return run


def _generation_log(*, event: Event, replaced: list[Meeting], generated: list[Meeting], by) -> None:
    """Once an event has been published, participants hold its agendas and calendars even
    while the publication is withdrawn: a generation then logs, per pair, the meetings it
    drops (cancelled entries in their calendars), adds, and puts somewhere else. Nothing is
    logged for an event never published (`events.changelog` decides)."""
    before = {(m.eu_id, m.kr_id): m for m in replaced}
    after = {(m.eu_id, m.kr_id): m for m in generated}
    note = _("the schedule was generated again")
    meetings_removed_record(
        event=event, meetings=[m for pair, m in before.items() if pair not in after], by=by,
        note=note,
    )  # fmt: skip
    changes = []
    for pair, new in after.items():
        old = before.get(pair)
        if old is None:
            changes.append(
                {"action": ChangeAction.ADDED, "by": by, "eu": new.eu, "kr": new.kr,
                 "new": (new.slot, new.table), "note": note}
            )  # fmt: skip
        elif (old.slot_id, old.table) != (new.slot.pk, new.table):
            changes.append(
                {"action": ChangeAction.MOVED, "by": by, "eu": new.eu, "kr": new.kr,
                 "old": (old.slot, old.table), "new": (new.slot, new.table), "note": note}
            )  # fmt: skip
    changes_record(event=event, changes=changes)


# -- manual edits ---------------------------------------------------------------------------


def _lock(*participants: Participant) -> None:
    # In primary-key order so that two edits locking the same rows cannot deadlock.
    ids = sorted({p.pk for p in participants})
    list(Participant.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def meeting_problems(
    *,
    event: Event,
    eu: Participant,
    kr: Participant,
    slot: TimeSlot,
    table: int,
    ignore: Meeting | None = None,
) -> list[str]:
    """Every rule a meeting at (slot, table) between eu and kr would break; [] if none."""
    problems = []
    if eu.event_id != event.pk or kr.event_id != event.pk or slot.event_id != event.pk:
        return [_("The participants and the round must belong to this event.")]
    if eu.actor.side != "eu" or kr.actor.side != "kr":
        return [_("A meeting is between a European and a Korean participant.")]
    for p in (eu, kr):
        name = {"name": p.actor.name}
        if p.status != ParticipantStatus.ACCEPTED:
            problems.append(_("%(name)s is not an accepted participant.") % name)
        if p.absent_from.filter(pk=slot.session_id).exists():
            problems.append(
                _("%(name)s does not attend %(session)s.") % {**name, "session": slot.session.name}
            )
        elif p.absent_rounds.filter(pk=slot.pk).exists():
            problems.append(_("%(name)s will miss the %(round)s round.") % {**name, "round": slot})
    if not 1 <= table <= event.tables:
        problems.append(
            _("Table %(table)s does not exist: the event has tables 1 to %(tables)s.")
            % {"table": table, "tables": event.tables}
        )
    others = event.meetings.exclude(pk=ignore.pk) if ignore else event.meetings.all()
    in_slot = others.filter(slot=slot)
    if in_slot.filter(table=table).exists():
        problems.append(
            _("Table %(table)s is taken in the %(round)s round.") % {"table": table, "round": slot}
        )
    for p, field in ((eu, "eu"), (kr, "kr")):
        if in_slot.filter(**{field: p}).exists():
            problems.append(
                _("%(name)s already has a meeting in the %(round)s round.")
                % {"name": p.actor.name, "round": slot}
            )
        if others.filter(**{field: p}).count() >= event.max_meetings:
            problems.append(
                ngettext(
                    "%(name)s already has the maximum of %(count)d meetings.",
                    "%(name)s already has the maximum of %(count)d meetings.",
                    event.max_meetings,
                )
                % {"name": p.actor.name, "count": event.max_meetings}
            )
    pair = {"european": eu.actor.name, "korean": kr.actor.name}
    if others.filter(eu=eu, kr=kr).exists():
        problems.append(_("%(european)s and %(korean)s already meet.") % pair)
    if Exclusion.objects.filter(eu=eu, kr=kr).exists():
        problems.append(_("The organisers excluded %(european)s / %(korean)s.") % pair)
    refusals = Wish.objects.filter(
        Q(participant=eu, target=kr) | Q(participant=kr, target=eu), level=WishLevel.NOT
    ).select_related("participant__actor")
    problems.extend(
        _("%(name)s is not interested in this meeting.") % {"name": w.participant.actor.name}
        for w in refusals
    )
    declined = MeetingRequest.objects.filter(
        Q(sender=eu, receiver=kr) | Q(sender=kr, receiver=eu), status=RequestStatus.DECLINED
    ).select_related("sender__actor", "receiver__actor")
    problems.extend(f"{_declined_sentence(request)}." for request in declined)
    return problems


def _every_table_taken(slot: TimeSlot) -> str:
    return _("Every table is taken in the %(round)s round.") % {"round": slot}


def free_table(*, event: Event, slot: TimeSlot) -> int | None:
    taken = set(slot.meetings.values_list("table", flat=True))
    return next((t for t in range(1, event.tables + 1) if t not in taken), None)


@transaction.atomic
def meeting_add(
    *,
    event: Event,
    eu: Participant,
    kr: Participant,
    slot: TimeSlot,
    table: int | None = None,
    by=None,
) -> Meeting:
    """An organiser places a meeting by hand; it is fixed (kept by later generations). Logged
    under `by` once the schedule is published."""
    _lock(eu, kr)
    if table is None:
        table = free_table(event=event, slot=slot)
        if table is None:
            raise ValidationError(_every_table_taken(slot), code="full")
    problems = meeting_problems(event=event, eu=eu, kr=kr, slot=slot, table=table)
    if problems:
        raise ValidationError(problems, code="invalid")
    fit = pair_scorer(actor_ids=[eu.actor_id, kr.actor_id]).fit(eu.actor_id, kr.actor_id)
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                event=event, slot=slot, table=table, eu=eu, kr=kr, fixed=True,
                score=fit.score, reason=fit.reason,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(CONFLICT, code="conflict") from None
    change_record(event=event, action=ChangeAction.ADDED, by=by, eu=eu, kr=kr, new=(slot, table))
    return meeting


@transaction.atomic
def meeting_move(*, meeting: Meeting, slot: TimeSlot, table: int | None = None, by=None) -> Meeting:
    """Move a meeting to another round and/or table; a moved meeting becomes fixed. Logged
    under `by` once the schedule is published."""
    _lock(meeting.eu, meeting.kr)
    event = meeting.event
    if table is None:
        table = meeting.table if slot.pk == meeting.slot_id else free_table(event=event, slot=slot)
        if table is None:
            raise ValidationError(_every_table_taken(slot), code="full")
    problems = meeting_problems(
        event=event, eu=meeting.eu, kr=meeting.kr, slot=slot, table=table, ignore=meeting
    )
    if problems:
        raise ValidationError(problems, code="invalid")
    old = (meeting.slot, meeting.table)
    if slot.pk != meeting.slot_id:
        # "Running late" was said of the old round; it says nothing about the new one.
        meeting.late_minutes, meeting.late_side = None, ""
    meeting.slot, meeting.table, meeting.fixed = slot, table, True
    try:
        with transaction.atomic():
            meeting.save(
                update_fields=["slot", "table", "fixed", "late_minutes", "late_side", "updated_at"]
            )
    except IntegrityError:
        raise ValidationError(CONFLICT, code="conflict") from None
    if old != (slot, table):
        change_record(
            event=event, action=ChangeAction.MOVED, by=by, eu=meeting.eu, kr=meeting.kr,
            old=old, new=(slot, table),
        )  # fmt: skip
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by=None, note: str = "") -> None:
    """Cancel a meeting. The pair becomes an exclusion ("Meeting cancelled on ..."), so a new
    generation does not put it back; removing that exclusion asks for the pair again. A
    meeting with a recorded outcome took place (or was recorded as missed): it is not
    cancelled, so its outcome is never lost.

    `by` is whoever cancels (an organiser, or a participant's manager); once the schedule is
    published the cancellation is logged under that name, with `note`, and the old round and
    table, which calendars turn into a cancelled entry. A meeting cancelled already (a double
    click, two people at once) is refused with code "gone"."""
    current = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "slot", "eu__actor", "kr__actor")
        .filter(pk=meeting.pk)
        .first()
    )
    if current is None:
        raise ValidationError(ALREADY_CANCELLED, code="gone")
    meeting = current
    if meeting.has_outcome:
        raise ValidationError(
            _(
                "The meeting %(european)s / %(korean)s has a recorded outcome; clear the outcome "
                "first if it really did not take place."
            )
            % {"european": meeting.eu.actor.name, "korean": meeting.kr.actor.name},
            code="has_outcome",
        )
    Exclusion.objects.get_or_create(
        event_id=meeting.event_id,
        eu_id=meeting.eu_id,
        kr_id=meeting.kr_id,
        # Stored as written, in the language of whoever cancels: the organisers read it.
        defaults={
            "reason": _("Meeting cancelled on %(date)s")
            % {"date": clock.padded_date(timezone.localdate())}
        },
    )
    change_record(
        event=meeting.event, action=ChangeAction.REMOVED, by=by, eu=meeting.eu, kr=meeting.kr,
        old=(meeting.slot, meeting.table), note=note,
    )  # fmt: skip
    meeting.delete()


def meeting_pin(*, meeting: Meeting, fixed: bool, by=None) -> None:
    """Fix or unfix a meeting: it changes what a new generation keeps, not where anyone sits,
    so it is not a change of the published schedule (`by` is accepted for symmetry)."""
    meeting.fixed = fixed
    meeting.save(update_fields=["fixed", "updated_at"])


@transaction.atomic
def schedule_publish(*, event: Event, by=None) -> None:
    """Show the agendas to the participants' managers; logged (once) under `by`."""
    if not event.meetings.exists():
        raise ValidationError(_("There is no meeting to publish: generate the schedule first."))
    locked = Event.objects.select_for_update().get(pk=event.pk)
    event.published_at = timezone.now()
    event.save(update_fields=["published_at"])
    if not locked.published:
        meetings = event.meetings.count()
        change_record(
            event=event, action=ChangeAction.PUBLISHED, by=by,
            note=ngettext("%(count)d meeting", "%(count)d meetings", meetings)
            % {"count": meetings},
        )  # fmt: skip


@transaction.atomic
def schedule_unpublish(*, event: Event, by=None) -> None:
    """Hide the agendas again; logged under `by` if the schedule was published."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    event.published_at = None
    event.save(update_fields=["published_at"])
    if locked.published:
        change_record(event=event, action=ChangeAction.UNPUBLISHED, by=by)
