from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from jobs.registry import register
        from notifications.delivery import send_email_job

        register("notifications.send_email", send_email_job, max_attempts=8)
