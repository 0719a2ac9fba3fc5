from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = gettext_lazy("Matching")

    def ready(self) -> None:
        # Matching plugs its panels into the directory's profile page; the directory never
        # imports matching.
        from matching.panels import register

        register()

        from matching import digest, shortlists

        digest.register()
        shortlists.register()

        # The index rebuilt as a job after bulk changes (matching/jobs.py).
        from matching.jobs import register_jobs

        register_jobs()
