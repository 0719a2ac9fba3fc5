"""The kinds of job curation runs in the background (registered from CurationConfig.ready)."""

from jobs.registry import register


def register_jobs() -> None:
    from curation.transfer.background import IMPORT_KIND, import_job

    # Attempts beyond the first are for a lost worker or connection; bad input fails at once.
    register(IMPORT_KIND, import_job, max_attempts=3)
