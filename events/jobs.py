"""The schedule's long work, run off the web request as jobs (`jobs`): generating a draft and
computing the update of a published schedule. Each may take the solver's whole time limit on a
large event; the page that starts it returns at once and sends the organiser to the job's page,
which shows the stages and, when done, links to the schedule or to the update to confirm.

The handlers call the very functions the synchronous paths call (`schedule_generate`,
`repair_compute`, used by `load_demo_event` and the tests), so the result is the same. Bad
input (no rounds, nobody accepted on one side) is a `JobError`: the organiser reads its words
on the job page, and trying again would fail again, so it is not retried.

What a job writes for people (its title, stages, result and error) is in the language of the
organiser who started it: the title when it is queued, from their request; the rest while it
runs, which `jobs.runner` does in its author's language.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Event, ScheduleProposal, ScheduleRun
from events.repair import repair_compute
from events.report import fit_sentence
from events.schedule import GENERATION_STAGES, schedule_generate
from jobs.errors import JobError
from jobs.models import UNFINISHED, Audience, Job
from jobs.registry import Progress, register
from jobs.runner import enqueue

GENERATE = "events.schedule_generate"
UPDATE = "events.schedule_update"


def event_scope(event: Event | int) -> str:
    """What a job about `event` concerns: only the event's organisers (and curators) see it,
    and hear when it fails."""
    return f"event:{getattr(event, 'pk', event)}"


def _generate_key(event: Event) -> str:
    return f"events:generate:{event.pk}"


def _update_key(event: Event, by) -> str:
    # Per organiser: an update is a proposal of its author's (computing one drops the same
    # organiser's earlier ones), so two organisers each get their own.
    return f"events:update:{event.pk}:{getattr(by, 'pk', '')}"


def generation_enqueue(*, event: Event, by) -> Job:
    """Queue the generation of `event`'s draft; a second click while it is unfinished, by any
    organiser, gives the same job."""
    return enqueue(
        kind=GENERATE,
        title=_("Generate the schedule of %(event)s") % {"event": event.name},
        params={"event": event.pk},
        by=by,
        audience=Audience.ORGANISERS,
        link=reverse("event_schedule", args=[event.slug]),
        dedupe_key=_generate_key(event),
        scope=event_scope(event),
    )


def update_enqueue(*, event: Event, by) -> Job:
    """Queue the computation of the update of `event`'s published schedule (nothing changes
    until the organiser confirms it on the update's page)."""
    return enqueue(
        kind=UPDATE,
        title=_("Compute the update of the schedule of %(event)s") % {"event": event.name},
        params={"event": event.pk},
        by=by,
        audience=Audience.ORGANISERS,
        link=reverse("event_schedule", args=[event.slug]),
        dedupe_key=_update_key(event, by),
        scope=event_scope(event),
    )


def unfinished_schedule_job(*, event: Event, by) -> Job | None:
    """The generation or update of `event` still waiting or running that `by` would be sent
    to by clicking again, for the schedule page to point at."""
    return (
        Job.objects.filter(
            dedupe_key__in=[_generate_key(event), _update_key(event, by)], status__in=UNFINISHED
        )
        .order_by("-created_at")
        .first()
    )


def _event(params: dict[str, Any]) -> Event:
    event = Event.objects.filter(pk=params.get("event")).first()
    if event is None:
        raise JobError(_("The event was deleted before this work could be done."))
    return event


def _words(error: ValidationError) -> str:
    return " ".join(error.messages)


def _generation_result(event: Event, run: ScheduleRun) -> dict[str, str]:
    if run.fixed:
        draft = ngettext(
            "Draft schedule: %(count)d meeting (%(fixed)d fixed kept).",
            "Draft schedule: %(count)d meetings (%(fixed)d fixed kept).",
            run.meetings,
        )
    else:
        draft = ngettext(
            "Draft schedule: %(count)d meeting (none fixed).",
            "Draft schedule: %(count)d meetings (none fixed).",
            run.meetings,
        )
    return {
        "url": reverse("event_schedule", args=[event.slug]),
        "label": _("Open the schedule"),
        "summary": draft % {"count": run.meetings, "fixed": run.fixed} + " " + fit_sentence(run),
    }


def generate_handler(*, job: Job, params: dict[str, Any], progress: Progress) -> dict[str, str]:
    event = _event(params)
    if job.attempts > 1:
        # An earlier attempt may have written its run and lost its worker before the job was
        # marked done: report that run rather than generate once more.
        written = event.schedule_runs.filter(
            created_at__gte=job.created_at, created_by=job.created_by, repair=False
        ).first()
        if written is not None:
            return _generation_result(event, written)
    # Set before the generation's transaction: the stages reported inside it reach other
    # connections (the job page) only when it commits.
    progress(0, GENERATION_STAGES, _("Building the pairs, solving and writing the schedule"))
    try:
        run = schedule_generate(event=event, by=job.created_by, progress=progress)
    except ValidationError as error:
        raise JobError(_words(error)) from error
    return _generation_result(event, run)


def _update_result(event: Event, proposal: ScheduleProposal) -> dict[str, str]:
    counts = proposal.summary.get("counts", {})
    if not any(counts.get(action) for action in ("moved", "added", "removed")):
        summary = _(
            "Nothing to update: every meeting is still valid and no free place can be filled."
        )
    else:
        summary = _(
            "Update computed: %(kept)d kept, %(moved)d moved, %(added)d added, %(removed)d "
            "cancelled. Nothing changes until you confirm it."
        ) % {action: counts.get(action, 0) for action in ("kept", "moved", "added", "removed")}
    return {
        "url": reverse("event_schedule_proposal", args=[event.slug, proposal.pk]),
        "label": _("Review the update"),
        "summary": summary,
    }


def update_handler(*, job: Job, params: dict[str, Any], progress: Progress) -> dict[str, str]:
    event = _event(params)
    if job.attempts > 1 and job.created_by is not None:
        written = event.proposals.filter(
            created_at__gte=job.created_at, created_by=job.created_by, applied_at__isnull=True
        ).first()
        if written is not None:
            return _update_result(event, written)
    progress(0, GENERATION_STAGES, _("Checking every meeting and filling the freed places"))
    try:
        proposal = repair_compute(event=event, by=job.created_by, progress=progress)
    except ValidationError as error:
        raise JobError(_words(error)) from error
    return _update_result(event, proposal)


def register_jobs() -> None:
    register(GENERATE, generate_handler)
    register(UPDATE, update_handler)
