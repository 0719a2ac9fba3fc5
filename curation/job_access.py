"""Who sees which background job, and who may start a failed one again. The one place that
decides it: the job pages, their JSON status and the list all ask here.

Curators see every job (they hear when one fails). Organisers see the jobs meant for
organisers of the events they organise (a schedule being generated, whoever clicked: the rule
of `events.access`), organisers' jobs about no event in particular, and their own. Anyone else
sees only the jobs they started. A job someone may not see does not exist for them (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from directory.roles import is_curator, is_organiser
from events.access import organised_events
from events.models import Event
from jobs.models import Audience, Job, JobStatus

EVENT_SCOPE = "event:"


def scoped_event(job: Job) -> Event | None:
    """The event a job concerns (its `scope`), if any and still there."""
    if not job.scope.startswith(EVENT_SCOPE):
        return None
    pk = job.scope.removeprefix(EVENT_SCOPE)
    return Event.objects.filter(pk=int(pk)).first() if pk.isdigit() else None


def visible_jobs(user) -> QuerySet[Job]:
    """The jobs `user` may see: the list shows them, and any other is a 404."""
    if not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    if is_curator(user):
        return Job.objects.all()
    seen = Q(created_by=user)
    events = [f"{EVENT_SCOPE}{pk}" for pk in organised_events(user).values_list("pk", flat=True)]
    if events:
        seen |= Q(audience=Audience.ORGANISERS, scope__in=events)
    if is_organiser(user):
        # Organisers' work about no event in particular; a scope other than an event's is
        # for curators only.
        seen |= Q(audience=Audience.ORGANISERS, scope="")
    return Job.objects.filter(seen)


def job_for(user, pk: int) -> Job:
    job = visible_jobs(user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such job among the ones you may see.")
    return job


def sees_details(user) -> bool:
    """The traceback of a failed job: for curators, who pass it on to the maintainers."""
    return is_curator(user)


def can_retry(user, job: Job) -> bool:
    return is_curator(user) and job.status == JobStatus.FAILED
