from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = gettext_lazy("Matchmaking events")

    def ready(self) -> None:
        from events.jobs import register_jobs

        register_jobs()

        from events import notices

        notices.register_kinds()
        notices.register_jobs()
