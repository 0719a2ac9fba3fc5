"""Job kinds that exist only for the tests of the job queue.

Registered in the test process by tests/jobs/conftest.py, and in real worker processes by
tests/jobs/apps.py, an app that only tests/jobs/worker_settings.py installs: nothing of this
is on the production import path (config.settings never names it).
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction

from jobs.errors import JobError
from jobs.registry import register

FLAKY = "tests.flaky"
REFUSE = "tests.refuse"
COUNT = "tests.count"
WRITE_ROWS = "tests.write_rows"
TICK = "tests.tick"


def flaky(*, job, params, progress):
    """Fails until attempt `succeed_on` (never, when it is 0)."""
    succeed_on = params.get("succeed_on", 0)
    if not succeed_on or job.attempts < succeed_on:
        raise RuntimeError(f"flaky on attempt {job.attempts}")
    return {"summary": f"done on attempt {job.attempts}"}


def refuse(*, job, params, progress):
    raise JobError(params["message"])


def count(*, job, params, progress):
    """Leaves one row per run (not idempotent on purpose: it shows how often it ran)."""
    with transaction.atomic():
        Group.objects.create(name=f"{params['prefix']}-{uuid.uuid4().hex[:12]}")
    return {"summary": "counted"}


def write_rows(*, job, params, progress):
    """Writes `rows` rows in one transaction, idempotently. On attempt `hang_on_attempt` it
    leaves a `marker` file once they are written (not yet committed) and waits there: to be
    killed, or until a `release` file appears."""
    prefix, rows = params["prefix"], params["rows"]
    progress(0, rows, "writing rows")
    with transaction.atomic():
        if not Group.objects.filter(name__startswith=f"{prefix}-").exists():
            Group.objects.bulk_create(Group(name=f"{prefix}-{i}") for i in range(rows))
        if job.attempts == params.get("hang_on_attempt"):
            Path(params["marker"]).write_text(str(job.attempts))
            release = Path(params["release"]) if params.get("release") else None
            deadline = time.monotonic() + 120
            while not (release and release.exists()):
                if time.monotonic() > deadline:
                    raise RuntimeError("was neither killed nor released in time")
                time.sleep(0.05)
    return {"summary": f"{rows} rows"}


def tick(*, job, params, progress):
    return {"summary": f"ticked for {params.get('due', '')}"}


def register_kinds() -> None:
    register(FLAKY, flaky)
    register(REFUSE, refuse)
    register(COUNT, count)
    register(WRITE_ROWS, write_rows)
    register(TICK, tick, max_attempts=1)
