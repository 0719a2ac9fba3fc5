"""The import from start to end: read the file, plan every actor, write all or nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from common.import_report import Change, ImportReport
from curation.transfer.cells import shown
from curation.transfer.columns import COLUMNS
from curation.transfer.plan import plan_import
from curation.transfer.read import read_json_records, read_sheet_records
from curation.transfer.write import apply

logger = logging.getLogger(__name__)


def _problem_order(problem) -> tuple[int, int]:
    """By row, then the file's problems with a row as a whole, then by column."""
    if not problem.column:
        return problem.row, -1
    if problem.column in COLUMNS:
        return problem.row, COLUMNS.index(problem.column)
    return problem.row, len(COLUMNS)


def actor_import(
    *,
    data: bytes,
    filename: str,
    dry_run: bool,
    user: Any = None,
    after_row: Callable[[int], None] | None = None,
    before_write: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check a CSV, XLSX or JSON file of actors and, unless it is a dry run, write it: all or
    nothing. Bad input never raises; it comes back as problems in the report.

    `user` is recorded in the history; `before_write(count)` is called with the number of
    actors about to be written, and `after_row(row_number)` after each actor written, inside
    the transaction (a job counts its progress with them; the tests break an import half-way).
    """
    name = PurePath(filename.replace("\\", "/")).name or "upload"
    report = ImportReport(filename=name, dry_run=dry_run)
    try:
        if name.lower().endswith(".json"):
            records = read_json_records(data=data, report=report)
        elif name.lower().endswith((".csv", ".txt", ".xlsx")):
            records = read_sheet_records(data=data, filename=name, report=report)
        else:
            report.add(_("%(name)s is not a .csv, .xlsx or .json file.") % {"name": shown(name)})
            records = []
        report.rows_read = len(records)
        plans, pks = plan_import(records, report=report) if records else ([], {})
        if not records and not report.problems:
            report.add(_("The file holds no actors."))
    except Exception as exc:
        # A bug must not turn a bad file into a server error; it is logged and reported.
        logger.exception("Unexpected error while checking %s", name)
        report.add(
            _("Unexpected error while checking the file (%(error)s).")
            % {"error": f"{type(exc).__name__}: {exc}"}
        )
        plans, pks = [], {}
    report.problems.sort(key=_problem_order)
    if report.problems:
        return report
    for plan in plans:
        change = Change(
            slug=plan.slug, name=plan.name, where=plan.record.where, columns=tuple(plan.changed)
        )
        if plan.is_new:
            report.created.append(change)
        elif plan.changed:
            report.updated.append(change)
        else:
            report.unchanged.append(change)
    to_write = [plan for plan in plans if plan.is_new or plan.changed]
    if dry_run or not to_write:
        return report
    if before_write is not None:
        before_write(len(to_write))
    apply(
        to_write,
        pks=pks,
        user=user,
        reason=f"import of {name}",  # cut to the history column by history_attribute
        after_row=after_row,
    )
    report.written = True
    return report
