"""The schedule's run summary in words, for pages whose views only pass the run."""

from __future__ import annotations

from django import template

from events.dashboard import meeting_fairness
from events.models import Event, ScheduleRun
from events.report import run_sentences

register = template.Library()


@register.simple_tag
def schedule_sentences(run: ScheduleRun, event: Event) -> list[str]:
    """`events.report.run_sentences` for the run, counted on the schedule as it stands now."""
    return run_sentences(run, spread=meeting_fairness(event=event, reasons=False).spread)
