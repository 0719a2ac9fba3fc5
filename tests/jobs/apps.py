from django.apps import AppConfig


class TestJobKindsConfig(AppConfig):
    """Installed in worker processes started by tests/jobs only (worker_settings.py)."""

    name = "tests.jobs"
    label = "tests_jobs"
    verbose_name = "Job kinds for tests"

    def ready(self) -> None:
        from tests.jobs.kinds import register_kinds

        register_kinds()
