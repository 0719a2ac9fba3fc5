from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("done")
    FAILED = "failed", _("failed")


UNFINISHED = [JobStatus.QUEUED, JobStatus.RUNNING]


class Audience(models.TextChoices):
    """Who, besides the person who started it, sees a job and hears when it fails."""

    NOBODY = "", _("only its author")
    CURATORS = "curators", _("curators")
    ORGANISERS = "organisers", _("organisers")


class Job(models.Model):
    """One piece of long work: what people see of it while it waits, runs, ends or fails."""

    kind = models.CharField(max_length=80, help_text="The registered handler that does the work.")
    title = models.CharField(max_length=200, help_text="What the job does, in words.")
    params = models.JSONField(default=dict, blank=True)
    # An uploaded file the job reads (an import): kept in the database so that any worker,
    # on any machine, reads the same bytes, and gone with the job.
    payload = models.BinaryField(null=True, blank=True, editable=False)
    dedupe_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="At most one unfinished job per key: submitting twice gives the same job.",
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_label = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, help_text="Why it failed, in words.")
    error_detail = models.TextField(blank=True, help_text="The traceback, for curators.")
    audience = models.CharField(max_length=20, choices=Audience.choices, blank=True, default="")
    link = models.CharField(max_length=500, blank=True, help_text="The page of what it works on.")
    # What the job concerns ("event:12"), for the app that decides who may see it: organisers
    # see an organisers' job only for an event they organise. Empty: concerns nothing in
    # particular.
    scope = models.CharField(max_length=100, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    run_after = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task backend's id.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(status__in=UNFINISHED) & ~Q(dedupe_key=""),
                name="one_unfinished_job_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))


class PeriodicRun(models.Model):
    """When a periodic job (reminders, digests, alerts, recovery) is next due. Claimed with a
    compare-and-set on `next_due_at`, so that several workers start it once."""

    name = models.CharField(max_length=80, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
