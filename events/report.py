"""What a generation or a repair of the schedule achieved, recorded and said in words.

Organisers read sentences, not solver figures: how many meetings each participant has against
the event's "at least k meetings each where possible", and how close the total fit comes to
the best any schedule as fair could reach (the solver's value against its bound, see
`events.solver`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from common.text import counted
from events.models import Event, ScheduleRun
from events.solver import Problem, Schedule, fairness_of, meeting_counts


def schedule_run_record(
    *,
    event: Event,
    by: AbstractBaseUser | None,
    problem: Problem,
    result: Schedule,
    fixed: int,
    repair: bool = False,
) -> ScheduleRun:
    """Keep one run's figures, so that the schedule page can say how good the schedule is.

    Fairness is counted over the problem's participants (the accepted ones): the event's
    target k, the best level any schedule could reach (every participant at least min(level,
    what it can have on its own), see `events.solver`), the fewest meetings anyone has and how
    many have none.
    """
    eu, kr = meeting_counts(problem, result.meetings)
    counts = [*eu.tolist(), *kr.tolist()]
    if result.fairness_bound is None:  # a schedule made elsewhere (a repair): measured here
        _, best_level = fairness_of(problem, result.meetings)
    else:
        best_level = result.fairness_bound
    return ScheduleRun.objects.create(
        event=event,
        created_by=by,
        meetings=len(result.meetings),
        fixed=fixed,
        value=result.value,
        bound=result.bound,
        seconds=result.seconds,
        optimal=result.optimal,
        repair=repair,
        fairness_target=problem.min_meetings,
        fairness_bound=best_level,
        fewest=min(counts, default=0),
        without_meetings=sum(n == 0 for n in counts),
    )


@dataclass(frozen=True)
class Spread:
    """Meetings per accepted participant as the schedule stands now, against the target k.

    `short_own` are the participants under k whose own rounds, partners and maximum allow no
    more (`events.solver.own_caps`); `short_other` the others under k. `meetings` and `value`
    are the meetings between accepted participants and their total fit in the scheduler's
    terms (`PairMatrix.values`), to tell whether the schedule is still the one a run measured.
    """

    target: int
    counts: tuple[int, ...]
    short_own: int
    short_other: int
    meetings: int | None = None
    value: float | None = None

    @property
    def without(self) -> int:
        return sum(n == 0 for n in self.counts)

    def changed_since(self, run: ScheduleRun) -> str:
        """What changed since `run` that its total fit depends on, as the subject of "...
        changed since" ('' for nothing): meetings added, cancelled or given to other pairs (or
        their fit changed), or the target k. A meeting moved to another round or table keeps
        the fit and is no change here. The lowest fit and the wishes of pairs without a
        meeting are not recorded with a run, so a change there goes unnoticed."""
        meetings = (
            self.meetings is not None
            and self.value is not None
            and (
                self.meetings != run.meetings
                or not math.isclose(self.value, run.value, rel_tol=1e-9, abs_tol=1e-6)
            )
        )
        target = self.target != run.fairness_target
        if meetings and target:
            return "meetings and the target of meetings per participant have"
        if meetings:
            return "meetings have"
        if target:
            return "the target of meetings per participant has"
        return ""


def _participants(n: int) -> str:
    return f"{n} participant has" if n == 1 else f"{n} participants have"


def fit_sentence(run: ScheduleRun, *, changed: str = "") -> str:
    """How close the run's total fit comes to the best possible one, in words. The figure is
    rounded down: the true best lies between the schedule and the bound, so "at least".
    `changed` (`Spread.changed_since`): what changed since the run, so that the sentence says
    what the run reached, not what the schedule as it stands reaches."""
    if run.fairness_target:
        level = " for its fairness level" if changed else " for this fairness level"
    else:
        level = ""
    if run.optimal:
        reached = f"the best possible total fit{level}"
    else:
        percent = math.floor(run.ratio * 1000) / 10
        reached = f"at least {percent:.1f}% of the best possible total fit{level}"
    if changed:
        last = "update" if run.repair else "generation"
        return (
            f"The last {last} reached {reached}; {changed} changed since, so that may no "
            "longer hold."
        )
    return f"The schedule reaches {reached}."


def run_sentences(run: ScheduleRun, *, spread: Spread | None = None) -> list[str]:
    """The run in plain sentences: meetings per participant against the target, then the total
    fit. With `spread` (the schedule as it stands now, `events.dashboard.meeting_fairness`) the
    first sentences count who has fewer than k and say whether their own availability is the
    reason, and the total fit is said as the run's if meetings changed since; without it, they
    use the figures recorded with the run."""
    k = spread.target if spread is not None else run.fairness_target
    sentences = []
    if spread is not None and not spread.counts:
        sentences.append("There is no accepted participant yet.")
    elif k == 0:
        without = spread.without if spread is not None else run.without_meetings
        sentences.append(
            "No minimum number of meetings per participant is set: the best pairs come first."
        )
        if without:
            sentences.append(f"{_participants(without)} no meeting (see the dashboard).")
    elif spread is None:
        if run.fewest >= k:
            sentences.append(f"Every participant has at least {counted(k, 'meeting')}.")
        else:
            sentences.append(
                f"Not every participant has {counted(k, 'meeting')}: the fewest is {run.fewest} "
                "(the dashboard shows who and why)."
            )
    elif not spread.short_own and not spread.short_other:
        sentences.append(f"Every participant has at least {counted(k, 'meeting')}.")
    else:
        if spread.short_own:
            they = "it" if spread.short_own == 1 else "they"
            sentences.append(
                f"{_participants(spread.short_own)} fewer than {counted(k, 'meeting')}: what "
                f"{they} can attend allows no more (see the dashboard)."
            )
        if spread.short_other:
            they = "it" if spread.short_other == 1 else "they"
            sentences.append(
                f"{_participants(spread.short_other)} fewer than {counted(k, 'meeting')} although "
                f"what {they} can attend allows more: their possible partners or the tables "
                "are taken (see the dashboard)."
            )
    sentences.append(fit_sentence(run, changed=spread.changed_since(run) if spread else ""))
    return sentences
