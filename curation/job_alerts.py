"""A job that failed for good is never silent: the people who can understand or fix it are
told, with the error in words and a link to the job's page (`curation.job_access` lets each of
them open it).

- its author;
- for an organisers' job, the organisers of the event it concerns (its scope), not every
  organiser of every event; for one about no event, the Organisers group, who all see it;
- the curators, for a curators' job, for work nobody started, and for every failure that is
  not bad input: only they see the details and may start it again. Bad input (a `JobError`)
  is its author's to correct, and trying again would fail again.

Nobody is told twice of one failure; a job that fails again after a curator's "try again" is
told again. Lives in curation because it needs both roles (directory) and events (who
organises which); the jobs app only sends `job_failed`. Connected in CurationConfig.ready().
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from curation.job_access import scoped_event
from directory.roles import CURATORS_GROUP, ORGANISERS_GROUP
from jobs.models import Audience, Job
from jobs.signals import job_failed
from notifications.delivery import SEND_JOB
from notifications.kinds import in_audience, register, register_audience
from notifications.language import in_language_of
from notifications.service import notify

JOB_FAILED = "jobs.failed"
# Curators and organisers: both may be told, so both find the kind in their settings (anyone
# who was told finds it there too, as for every kind they received).
AUDIENCE = "curators and organisers"


def connect() -> None:
    register(
        JOB_FAILED, label=gettext_lazy("A job you started or look after failed"), audience=AUDIENCE
    )
    register_audience(AUDIENCE, includes=_curator_or_organiser)
    job_failed.connect(job_failed_alert, sender=Job, dispatch_uid="clustermatch-job-failed")


def _curator_or_organiser(user) -> bool:
    return in_audience(user, "curators") or in_audience(user, "organisers")


def job_link(job: Job) -> str:
    try:
        return reverse("jobs:detail", args=[job.pk])
    except NoReverseMatch:  # the job pages are not installed: the address they will have
        return f"/jobs/{job.pk}/"


def _curators() -> Q:
    return Q(is_superuser=True) | Q(groups__name=CURATORS_GROUP)


def recipients(job: Job, *, bad_input: bool = False) -> list:
    """Who is told that `job` failed (active people, each once)."""
    who = Q(pk=job.created_by_id) if job.created_by_id else Q(pk__in=[])
    if job.audience == Audience.ORGANISERS:
        event = scoped_event(job)
        if event is not None:
            who |= Q(pk__in=event.organisers.values("pk"))
        elif not job.scope:
            who |= Q(is_superuser=True) | Q(groups__name=ORGANISERS_GROUP)
    nobodys = not job.created_by_id and not job.audience
    if not bad_input or job.audience == Audience.CURATORS or nobodys:
        who |= _curators()
    people = get_user_model().objects.filter(is_active=True).distinct().order_by("pk")
    # Told to no one otherwise (an organisers' job about an event since deleted, its author
    # gone): the curators look at it.
    return list(people.filter(who)) or list(people.filter(_curators()))


def _alert_body(job: Job) -> str:
    # The error is stored in the job author's language; one of the site's own sentences is
    # read in the recipient's.
    context = {"job": job, "error": _(job.error) if job.error else ""}
    return re.sub(
        r"\n\s*\n(\s*\n)+",
        "\n\n",
        render_to_string("curation/notifications/job_failed.txt", context),
    ).strip()


def job_failed_alert(*, job: Job, bad_input: bool = False, **kwargs) -> None:
    if job.kind == SEND_JOB:
        # An e-mail that could not be sent: while the mail server is down the alerts about it
        # cannot be mailed either, and would each fail in turn. One alert a day per person
        # breaks that chain; the inbox shows it at once.
        dedupe_key = f"{JOB_FAILED}:email:{timezone.localdate().isoformat()}"
    else:
        # The failure's time: a job that fails again after a curator's "try again" (same
        # id) is a new failure, told again; one failure is told once.
        when = job.finished_at.isoformat() if job.finished_at else ""
        dedupe_key = f"{JOB_FAILED}:{job.pk}:{when}"
    for user in recipients(job, bad_input=bad_input):
        with in_language_of(user):
            notify(
                recipient=user,
                kind=JOB_FAILED,
                subject=_("A job failed: %(title)s") % {"title": job.title},
                body=_alert_body(job) + "\n",
                link=job_link(job),
                dedupe_key=dedupe_key,
            )
