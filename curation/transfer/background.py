"""Large imports run as jobs: the page answers at once and shows progress, then the report.

A file of more than IMPORT_INLINE_MAX_ROWS actors (300 unless set) is checked or imported by a
worker; a smaller one at once, in the request, as before. Either way the work is the same call
(`actor_import`), with the same file, user and reason, so both write the same actors; the job
keeps the file's bytes as its payload and its report as its result, shown on the import page
(`report_from_result`). Bad input fails the job with every problem's row and column, and
nothing is written (the write is one transaction). The command line imports at once, always.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.import_report import Change, ImportReport, Problem
from curation.transfer.importing import actor_import
from curation.transfer.read import rows_in_file
from jobs.errors import JobError
from jobs.models import Audience, Job
from jobs.runner import enqueue

IMPORT_KIND = "curation.actor_import"
# Problems named in a failed job's message; the import page's dry run lists them all.
PROBLEMS_IN_ERROR = 10


def inline_max_rows() -> int:
    return int(getattr(settings, "IMPORT_INLINE_MAX_ROWS", 300))


def start_actor_import(
    *, data: bytes, filename: str, dry_run: bool, user: Any, link: str = ""
) -> ImportReport | Job:
    """Check (`dry_run`) or import the file now if it is small, else queue it: the report, or
    the job whose page follows it. Sending the same file twice while its job is unfinished
    gives that job again."""
    limit = inline_max_rows()
    if rows_in_file(data=data, filename=filename, enough=limit) <= limit:
        report = actor_import(data=data, filename=filename, dry_run=dry_run, user=user)
        if report.written:
            index_rebuild_after(report, user=user)
        return report
    # The same file under the same name, sent twice (a second click on Import): one job.
    digest = hashlib.sha256(filename.encode("utf-8", "replace") + b"\0" + data).hexdigest()
    step = "check" if dry_run else "import"
    shown_name = PurePath(filename.replace("\\", "/")).name or "upload"
    # In the language of the curator who sends it, as everything the job then writes.
    if dry_run:
        title = _("Check actors from %(name)s") % {"name": shown_name}
    else:
        title = _("Import actors from %(name)s") % {"name": shown_name}
    return enqueue(
        kind=IMPORT_KIND,
        title=title,
        params={"filename": filename, "dry_run": dry_run},
        payload=data,
        by=user,
        audience=Audience.CURATORS,
        link=link,
        dedupe_key=f"{IMPORT_KIND}:{step}:{digest}",
        # Bad input is not retried (JobError); a lost worker or connection is.
        max_attempts=3,
    )


def import_job(*, job: Job, params: dict[str, Any], progress) -> dict[str, Any]:
    """The job: the same import as the page's, all or nothing. Idempotent: a second run of a
    file already written finds every actor unchanged and writes nothing."""
    if job.payload is None:
        raise JobError(_("The uploaded file is no longer stored: upload it again."))
    data = bytes(job.payload)
    filename = str(params.get("filename") or "upload")
    dry_run = bool(params.get("dry_run"))
    progress(0, 0, _("Reading and checking %(name)s") % {"name": filename})
    tracker = _RowsWritten(progress)
    report = actor_import(
        data=data,
        filename=filename,
        dry_run=dry_run,
        user=job.created_by,
        after_row=tracker.row_written,
        before_write=tracker.writing,
    )
    if report.problems and not dry_run:
        raise JobError(_problems_in_words(report))
    if report.written:
        progress(tracker.total, tracker.total, _("Written"))
        index_rebuild_after(report, user=job.created_by)
    return {
        "summary": _summary(report),
        "url": reverse("admin:directory_actor_import_report", args=[job.pk]),
        "label": _("See the import report") if not dry_run else _("See what the import would do"),
        "report": report_to_result(report),
    }


def index_rebuild_after(report: ImportReport, *, user: Any) -> Any:
    """Queue one rebuild of the ranking index for a written import (a job worker builds it and
    stores a snapshot that every web process loads, rather than each building its own)."""
    from matching.jobs import schedule_index_rebuild

    reason = _("the import of %(name)s") % {"name": report.filename}
    return schedule_index_rebuild(by=user, reason=reason)


def _summary(report: ImportReport) -> str:
    name = report.filename
    if report.problems:
        count = len(report.problems)
        return ngettext(
            "Checked %(name)s: %(count)d problem found, so importing it would write nothing. "
            "The report names the row and column of each.",
            "Checked %(name)s: %(count)d problems found, so importing it would write nothing. "
            "The report names the row and column of each.",
            count,
        ) % {"name": name, "count": count}
    counts = {
        "name": name,
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
    }
    if report.dry_run:
        return (
            _(
                "Checked %(name)s: importing it would give %(created)d created, %(updated)d "
                "updated, %(unchanged)d unchanged. Nothing was written."
            )
            % counts
        )
    if not report.written:
        return _("Every actor in %(name)s is already as the file says: nothing was written.") % {
            "name": name
        }
    return (
        _("Imported %(name)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        % counts
    )


def _problems_in_words(report: ImportReport) -> str:
    shown = "; ".join(problem.message for problem in report.problems[:PROBLEMS_IN_ERROR])
    more = len(report.problems) - PROBLEMS_IN_ERROR
    count = len(report.problems)
    if more > 0:
        listed = ngettext(
            "%(problems)s; and %(count)d more problem: check the file with a dry run to see them "
            "all",
            "%(problems)s; and %(count)d more problems: check the file with a dry run to see "
            "them all",
            more,
        ) % {"problems": shown, "count": more}
    else:
        listed = shown
    return ngettext(
        "Nothing was written: %(name)s has %(count)d problem (%(problems)s). Fix the file and "
        "import it again.",
        "Nothing was written: %(name)s has %(count)d problems (%(problems)s). Fix the file and "
        "import it again.",
        count,
    ) % {"name": report.filename, "count": count, "problems": listed}


# -- the report kept as the job's result -------------------------------------------------------


@dataclass
class StoredReport(ImportReport):
    """A report read back from a job's result, which keeps the first problems only."""

    problems_left_out: int = 0

    @property
    def problems_not_shown(self) -> int:
        return super().problems_not_shown + self.problems_left_out


def report_to_result(report: ImportReport) -> dict[str, Any]:
    def changes(items: list[Change]) -> list[list]:
        return [[c.slug, c.name, c.where, list(c.columns)] for c in items]

    kept = report.problems_shown
    return {
        "filename": report.filename,
        "dry_run": report.dry_run,
        "rows_read": report.rows_read,
        "written": report.written,
        "created": changes(report.created),
        "updated": changes(report.updated),
        "unchanged": changes(report.unchanged),
        "problems": [[p.message, p.row, p.column] for p in kept],
        "problems_left_out": len(report.problems) - len(kept),
    }


def report_from_result(result: dict[str, Any]) -> StoredReport | None:
    """The report a finished import job kept, or None if it kept none."""
    stored = result.get("report") if isinstance(result, dict) else None
    if not isinstance(stored, dict):
        return None

    def changes(key: str) -> list[Change]:
        return [
            Change(slug=slug, name=name, where=where, columns=tuple(columns))
            for slug, name, where, columns in stored.get(key, [])
        ]

    return StoredReport(
        filename=stored.get("filename", ""),
        dry_run=bool(stored.get("dry_run")),
        rows_read=int(stored.get("rows_read", 0)),
        written=bool(stored.get("written")),
        created=changes("created"),
        updated=changes("updated"),
        unchanged=changes("unchanged"),
        problems=[
            Problem(message=message, row=row, column=column)
            for message, row, column in stored.get("problems", [])
        ],
        problems_left_out=int(stored.get("problems_left_out", 0)),
    )


# -- progress from inside the transaction ------------------------------------------------------


class _RowsWritten:
    """Rows written, reported while the import's transaction is still open: about 50 times
    in all, not once per row. The job's progress reaches its page meanwhile on PostgreSQL
    (`jobs.runner`, through a connection of its own); on SQLite, which has one writer at a
    time, it moves from 0 to all when the import commits."""

    def __init__(self, progress) -> None:
        self.progress = progress
        self.total = 0
        self.done = 0

    def writing(self, count: int) -> None:
        self.total = count
        self.progress(
            0,
            count,
            ngettext(
                "Writing %(count)d actor (all or nothing)",
                "Writing %(count)d actors (all or nothing)",
                count,
            )
            % {"count": count},
        )

    def row_written(self, _row_number: int) -> None:
        self.done += 1
        step = max(1, self.total // 50)
        if self.done % step == 0 or self.done == self.total:
            self.progress(self.done, self.total)
