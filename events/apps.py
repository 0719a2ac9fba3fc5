from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Matchmaking events"

    def ready(self) -> None:
        from events.jobs import register_jobs

        register_jobs()

        from events import notices

        notices.register_kinds()
        notices.register_jobs()
