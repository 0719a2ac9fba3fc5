"""What a generation or a repair of the schedule achieved, recorded and said in words."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from events.models import Event, ScheduleRun
from events.solver import Problem, Schedule


def schedule_run_record(
    *,
    event: Event,
    by: AbstractBaseUser | None,
    problem: Problem,
    result: Schedule,
    fixed: int,
    repair: bool = False,
) -> ScheduleRun:
    """Keep one run's figures, so that the schedule page can say how good the schedule is."""
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
    )
