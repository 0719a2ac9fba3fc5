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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
        _fairness, best_level = fairness_of(problem, result.meetings)
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
        """What changed since `run` that its total fit depends on ('' for nothing): MEETINGS
        added, cancelled or given to other pairs (or their fit changed), the TARGET k, or BOTH.
        A meeting moved to another round or table keeps the fit and is no change here. The
        lowest fit and the wishes of pairs without a meeting are not recorded with a run, so a
        change there goes unnoticed."""
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
            return BOTH
        if meetings:
            return MEETINGS
        if target:
            return TARGET
        return ""


# What changed since a run (`Spread.changed_since`).
MEETINGS, TARGET, BOTH = "meetings", "target", "both"


def _reached(run: ScheduleRun, *, changed: bool) -> str:
    """How close the run's total fit comes to the best possible one, as a noun phrase."""
    percent = f"{math.floor(run.ratio * 1000) / 10:.1f}"
    if not run.fairness_target:
        if run.optimal:
            return _("the best possible total fit")
        return _("at least %(percent)s%% of the best possible total fit") % {"percent": percent}
    if changed:
        if run.optimal:
            return _("the best possible total fit for its fairness level")
        return _("at least %(percent)s%% of the best possible total fit for its fairness level") % {
            "percent": percent
        }
    if run.optimal:
        return _("the best possible total fit for this fairness level")
    return _("at least %(percent)s%% of the best possible total fit for this fairness level") % {
        "percent": percent
    }


def _changed_sentence(run: ScheduleRun, changed: str) -> str:
    if run.repair:
        return {
            MEETINGS: _(
                "The last update reached %(reached)s; meetings have changed since, so that may "
                "no longer hold."
            ),
            TARGET: _(
                "The last update reached %(reached)s; the target of meetings per participant "
                "has changed since, so that may no longer hold."
            ),
            BOTH: _(
                "The last update reached %(reached)s; meetings and the target of meetings per "
                "participant have changed since, so that may no longer hold."
            ),
        }[changed]
    return {
        MEETINGS: _(
            "The last generation reached %(reached)s; meetings have changed since, so that may "
            "no longer hold."
        ),
        TARGET: _(
            "The last generation reached %(reached)s; the target of meetings per participant "
            "has changed since, so that may no longer hold."
        ),
        BOTH: _(
            "The last generation reached %(reached)s; meetings and the target of meetings per "
            "participant have changed since, so that may no longer hold."
        ),
    }[changed]


def fit_sentence(run: ScheduleRun, *, changed: str = "") -> str:
    """How close the run's total fit comes to the best possible one, in words. The figure is
    rounded down: the true best lies between the schedule and the bound, so "at least".
    `changed` (`Spread.changed_since`): what changed since the run, so that the sentence says
    what the run reached, not what the schedule as it stands reaches."""
    reached = _reached(run, changed=bool(changed))
    if changed:
        return _changed_sentence(run, changed) % {"reached": reached}
    return _("The schedule reaches %(reached)s.") % {"reached": reached}


def _meetings(n: int) -> str:
    return ngettext("%(count)d meeting", "%(count)d meetings", n) % {"count": n}


def run_sentences(run: ScheduleRun, *, spread: Spread | None = None) -> list[str]:
    """The run in plain sentences: meetings per participant against the target, then the total
    fit. With `spread` (the schedule as it stands now, `events.dashboard.meeting_fairness`) the
    first sentences count who has fewer than k and say whether their own availability is the
    reason, and the total fit is said as the run's if meetings changed since; without it, they
    use the figures recorded with the run."""
    k = spread.target if spread is not None else run.fairness_target
    sentences = []
    if spread is not None and not spread.counts:
        sentences.append(_("There is no accepted participant yet."))
    elif k == 0:
        without = spread.without if spread is not None else run.without_meetings
        sentences.append(
            _("No minimum number of meetings per participant is set: the best pairs come first.")
        )
        if without:
            sentences.append(
                ngettext(
                    "%(count)d participant has no meeting (see the dashboard).",
                    "%(count)d participants have no meeting (see the dashboard).",
                    without,
                )
                % {"count": without}
            )
    elif spread is None:
        if run.fewest >= k:
            sentences.append(_every_participant_has(k))
        else:
            sentences.append(
                ngettext(
                    "Not every participant has %(count)d meeting: the fewest is %(fewest)d (the "
                    "dashboard shows who and why).",
                    "Not every participant has %(count)d meetings: the fewest is %(fewest)d (the "
                    "dashboard shows who and why).",
                    k,
                )
                % {"count": k, "fewest": run.fewest}
            )
    elif not spread.short_own and not spread.short_other:
        sentences.append(_every_participant_has(k))
    else:
        if spread.short_own:
            sentences.append(
                ngettext(
                    "%(count)d participant has fewer than %(meetings)s: what it can attend "
                    "allows no more (see the dashboard).",
                    "%(count)d participants have fewer than %(meetings)s: what they can attend "
                    "allows no more (see the dashboard).",
                    spread.short_own,
                )
                % {"count": spread.short_own, "meetings": _meetings(k)}
            )
        if spread.short_other:
            sentences.append(
                ngettext(
                    "%(count)d participant has fewer than %(meetings)s although what it can "
                    "attend allows more: their possible partners or the tables are taken (see "
                    "the dashboard).",
                    "%(count)d participants have fewer than %(meetings)s although what they can "
                    "attend allows more: their possible partners or the tables are taken (see "
                    "the dashboard).",
                    spread.short_other,
                )
                % {"count": spread.short_other, "meetings": _meetings(k)}
            )
    sentences.append(fit_sentence(run, changed=spread.changed_since(run) if spread else ""))
    return sentences


def _every_participant_has(k: int) -> str:
    return ngettext(
        "Every participant has at least %(count)d meeting.",
        "Every participant has at least %(count)d meetings.",
        k,
    ) % {"count": k}
