from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CurationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "curation"
    verbose_name = gettext_lazy("Curation")

    def ready(self) -> None:
        from curation import join_notices, notices

        notices.register_kinds()
        join_notices.register_kinds()

        # Large imports run as jobs (curation/jobs.py).
        from curation.jobs import register_jobs

        register_jobs()

        # Who hears that a job failed (the jobs app only says it did).
        from curation import job_alerts

        job_alerts.connect()
