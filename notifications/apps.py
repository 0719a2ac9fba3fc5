from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from jobs.registry import register
        from jobs.signals import job_failed
        from notifications.delivery import SEND_JOB, email_job_failed, send_email_job

        register(SEND_JOB, send_email_job, max_attempts=8)
        job_failed.connect(email_job_failed, dispatch_uid="notifications-email-job-failed")
