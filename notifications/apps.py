from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = gettext_lazy("Notifications")

    def ready(self) -> None:
        from jobs.registry import register, set_language_of
        from jobs.signals import job_failed
        from notifications.delivery import SEND_JOB, email_job_failed, send_email_job
        from notifications.language import language_of

        register(SEND_JOB, send_email_job, max_attempts=8)
        # Jobs write their words in their author's language (jobs sits below this app).
        set_language_of(language_of)
        job_failed.connect(email_job_failed, dispatch_uid="notifications-email-job-failed")
        # The language a person chose follows them to every browser they sign in from.
        from django.contrib.auth.signals import user_logged_in

        from notifications.language import language_at_sign_in

        user_logged_in.connect(language_at_sign_in, dispatch_uid="notifications-sign-in-language")
