"""The ranking index rebuilt as a job after a bulk change (an import, a merge, a bulk publish).

The job builds the index once, in a worker, stores it as a snapshot that every web process
loads instead of building its own (`matching.index`), and keeps it in the worker for the jobs
that rank there (schedule generation). Curators see it in the jobs list like any other job.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Actor, directory_revision
from jobs.models import Audience, Job
from jobs.registry import register
from jobs.runner import enqueue
from matching.engine import MatchIndex
from matching.index import (
    INDEX_JOB_KIND,
    directory_fingerprint,
    holder,
    index_build,
    index_extend,
    index_inputs,
    snapshot_latest,
    snapshot_write,
)
from notifications.language import in_language_of

log = logging.getLogger(__name__)

# The engine (no Django) names its build steps in English; the job page shows them to curators
# in their language.
ENGINE_STEPS = {
    "fitting TF-IDF": gettext_lazy("weighing each profile's words (TF-IDF)"),
    "latent space": gettext_lazy("relating words that go together (latent space)"),
    "sectors and interests": gettext_lazy("sectors and interests"),
    "done": gettext_lazy("done"),
}

# A bulk change made while the job builds moves the revision on: the job builds again, a few
# times at most (a directory edited without pause is left to the web processes).
MAX_ROUNDS = 3


def register_jobs() -> None:
    register(INDEX_JOB_KIND, rebuild_index_job, max_attempts=2)


def schedule_index_rebuild(*, by: Any = None, reason: str) -> Job:
    """Queue a rebuild of the ranking index after `reason` ("import of actors.csv"). One
    rebuild waits at a time: bulk changes in a row share it."""
    return enqueue(
        kind=INDEX_JOB_KIND,
        title=(_("Rebuild the ranking index after %(reason)s") % {"reason": reason})[:200],
        params={"reason": reason},
        by=by,
        audience=Audience.CURATORS,
        dedupe_key=INDEX_JOB_KIND,
    )


def rebuild_index_job(*, job: Job, params: dict[str, Any], progress) -> dict[str, Any]:
    """Build the index of the directory as it is now and store its snapshot. Idempotent: a
    second run writes the same snapshot again. Its words are in the language of the person
    who asked for it (the job list shows them as written)."""
    with in_language_of(job.created_by):
        return _rebuild(progress)


def _rebuild(progress) -> dict[str, Any]:
    if not Actor.objects.exists():
        return {"summary": _("The directory has no actors yet: there is nothing to rank.")}
    started = time.perf_counter()
    for _round in range(MAX_ROUNDS):
        index = _build_and_store(progress)
        if directory_revision() == index.version:
            break
    seconds = time.perf_counter() - started
    return {
        "summary": _(
            "The ranking index now covers the directory as it is (%(actors)s actors, built in "
            "%(seconds)s s). Partner rankings use it from their next page."
        )
        % {
            "actors": number_format(index.size, force_grouping=True),
            "seconds": number_format(seconds, decimal_pos=1),
        },
    }


def _build_and_store(progress) -> MatchIndex:
    """Read the directory once; if the stored index only lacks actors added since, store it
    with them first (seconds: the import shows in rankings at once), then the full build."""
    fingerprint = directory_fingerprint()
    read = {"done": 0, "total": 0}

    def reading(done: int, total: int) -> None:
        read.update(done=done, total=total)
        progress(done, total, _("Reading the directory"))

    def stage(step: str) -> None:
        named = ENGINE_STEPS.get(step, step)
        progress(read["done"], read["total"], _("Building the index: %(step)s") % {"step": named})

    inputs = index_inputs(progress=reading)
    previous = holder.peek() or snapshot_latest()
    extended = None
    if previous is not None and inputs.version is not None and previous.version != inputs.version:
        stage(_("adding the new actors"))
        try:
            extended = index_extend(previous, inputs)
        except Exception:  # the full build below is what matters; this step only comes early
            log.exception("extending the ranking index failed; building it in full")
    del previous  # at 100,000 actors, a few hundred megabytes
    if extended is not None:
        # Stored for the web processes, not kept here: the full build follows at once.
        snapshot_write(extended, fingerprint=fingerprint)
        log.info("ranking index extended to revision %s in %.1f s", inputs.version,
                 extended.build_seconds)  # fmt: skip
        del extended
    index = index_build(stage=stage, inputs=inputs)
    if index.version is not None:
        snapshot_write(index, fingerprint=fingerprint)
    holder.put(index)
    return index
