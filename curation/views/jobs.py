"""Background jobs as people see them: one job's page (its progress, then its result or why it
failed), its status for the page's polling script, the list of jobs one may see, and a
curator's "try again" on a failed job. Who sees what: `curation.job_access`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from curation.job_access import can_retry, job_for, sees_details, visible_jobs
from jobs.models import Job, JobStatus
from jobs.runner import retry
from notifications.delivery import SEND_JOB
from notifications.service import safe_link

PAGE_SIZE = 50


def status_words(job: Job) -> str:
    """The job's state as a sentence's worth of words."""
    if job.status == JobStatus.QUEUED and job.attempts:
        return _("Waiting to try again (attempt %(attempt)d of %(attempts)d)") % {
            "attempt": job.attempts + 1,
            "attempts": job.max_attempts,
        }
    return {
        JobStatus.QUEUED: _("Waiting to start"),
        JobStatus.RUNNING: _("Running"),
        JobStatus.SUCCEEDED: _("Done"),
        JobStatus.FAILED: _("Failed"),
    }.get(job.status, job.get_status_display())


def progress_words(job: Job) -> str:
    """ "3 of 10", or "" while the job has not said how much there is."""
    if not job.progress_total:
        return ""
    return _("%(done)d of %(total)d") % {"done": job.progress_done, "total": job.progress_total}


def job_error(job: Job) -> str:
    """Why the job failed, in the reader's language when it is one of the site's own
    sentences: a job's words are written in its author's language, and those of work nobody
    started (e-mails, periodic work) in the site's default."""
    return _(job.error) if job.error else ""


def _result(job: Job) -> dict[str, str]:
    """What a finished job produced. Its link is followed only when it stays on this site."""
    result = job.result if isinstance(job.result, dict) else {}
    url = safe_link(str(result.get("url") or ""))
    return {
        "summary": str(result.get("summary") or ""),
        "url": url,
        "label": str(result.get("label") or _("Open the result")),
    }


def job_status_data(job: Job) -> dict[str, Any]:
    """The job's status for its page's script: never the traceback."""
    data: dict[str, Any] = {
        "id": job.pk,
        "status": job.status,
        "status_words": status_words(job),
        "finished": job.finished,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "count_words": progress_words(job),
        "label": job.progress_label,
        "started_at": job.started_at.isoformat() if job.started_at else None,
    }
    if job.status == JobStatus.SUCCEEDED:
        data["result"] = _result(job)
    if job.status == JobStatus.FAILED:
        data["error"] = job_error(job)
    return data


@login_required
@require_safe
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for(request.user, pk)
    return render(
        request,
        "curation/jobs_detail.html",
        {
            "job": job,
            "status_words": status_words(job),
            "error": job_error(job),
            "result": _result(job),
            "sees_details": sees_details(request.user),
            "can_retry": can_retry(request.user, job),
        },
    )


@login_required
@require_safe
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = job_for(request.user, pk)
    response = JsonResponse(job_status_data(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = visible_jobs(request.user).select_related("created_by")
    only_failed = request.GET.get("status") == "failed"
    with_sent_mail = request.GET.get("mail") == "all"
    failed_count = jobs.filter(status=JobStatus.FAILED).count()
    if only_failed:
        jobs = jobs.filter(status=JobStatus.FAILED)
    elif not with_sent_mail:
        # One job per e-mail: once sent, they would bury the work people look for here.
        jobs = jobs.exclude(kind=SEND_JOB, status=JobStatus.SUCCEEDED)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "job": job,
            "status_words": status_words(job),
            "error": job_error(job),
            "result": _result(job),
            "can_retry": can_retry(request.user, job),
        }
        for job in page
    ]
    return render(
        request,
        "curation/jobs_list.html",
        {
            "page": page,
            "rows": rows,
            "only_failed": only_failed,
            "with_sent_mail": with_sent_mail,
            "failed_count": failed_count,
            "failed_words": ngettext(
                "%(count)d job failed.", "%(count)d jobs failed.", failed_count
            )
            % {"count": failed_count},
        },
    )


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for(request.user, pk)
    if not sees_details(request.user):
        raise Http404("No such page.")
    if not can_retry(request.user, job):
        messages.info(request, _("This job has not failed: there is nothing to try again."))
        return redirect("jobs:detail", job.pk)
    queued = retry(job=job, by=request.user)
    if queued.pk != job.pk:
        messages.info(request, _("The same work was started again meanwhile: here it is."))
    else:
        messages.success(request, _("The job is back in the queue with a fresh set of attempts."))
    return redirect("jobs:detail", queued.pk)
