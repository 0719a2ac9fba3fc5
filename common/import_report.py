"""What an import of a file found and did, in one shape for every import.

The actor import (curation.transfer) and the participant import (events.participants) both
answer with an ImportReport: the rows read, what was (or, in a dry run, would be) created,
updated or left unchanged, and every problem, each naming the row and column it is about.
Imports are all or nothing: a report with problems means nothing was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_SURROGATE = re.compile("[\ud800-\udfff]")
MESSAGE_MAX = 500
PROBLEMS_SHOWN = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, said so that the person can find and fix it."""

    # The whole sentence shown, in the language of whoever ran the import (a background
    # import writes in its author's): "row 4, column kind: unknown kind 'x'".
    message: str
    row: int = 0  # the row (or JSON item) it is about; 0 for the file as a whole
    column: str = ""  # the column it is about; "" for the whole row or file


@dataclass(frozen=True)
class Change:
    """One thing the import creates, updates or leaves unchanged."""

    slug: str
    name: str
    where: str = ""  # "row 4" or "item 2": where the file names it (first)
    columns: tuple[str, ...] = ()  # for an update: the columns whose value changes

    def __str__(self) -> str:
        return self.name


def printable(text: str) -> str:
    """Text a page, a terminal and a log can show: a lone surrogate (which JSON can carry, as
    "\ud800") is written as its escape, and a long text is cut."""
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text if len(text) <= MESSAGE_MAX else text[: MESSAGE_MAX - 1] + "…"


def row_label(row: int) -> str:
    """Where a row is, as the reports say it: "row 4"."""
    return _("row %(row)s") % {"row": row}


def problem_message(reason: str, *, where: str = "", column: str = "") -> str:
    """'row 4, column kind: unknown kind ...', 'row 4: ...' or, for the whole file, the reason."""
    column = printable(column)[:80]
    if where and column:
        return printable(
            _("%(where)s, column %(column)s: %(reason)s")
            % {"where": where, "column": column, "reason": reason}
        )
    if where:
        return printable(_("%(where)s: %(reason)s") % {"where": where, "reason": reason})
    return printable(reason)


@dataclass
class ImportReport:
    filename: str = ""
    dry_run: bool = False
    rows_read: int = 0  # rows (or JSON items) holding something
    created: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False  # True once the changes are committed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[str]:
        return [problem.message for problem in self.problems]

    @property
    def problems_shown(self) -> list[Problem]:
        """The first problems, for a page: a file of 20,000 bad rows must not make one of
        20 MB. The rest are counted (`problems_not_shown`)."""
        return self.problems[:PROBLEMS_SHOWN]

    @property
    def problems_not_shown(self) -> int:
        return max(0, len(self.problems) - PROBLEMS_SHOWN)

    def add(self, reason: str, *, row: int = 0, column: str = "", where: str | None = None) -> None:
        """A problem; `where` defaults to "row N" (nothing for row 0, the file as a whole)."""
        if where is None:
            where = row_label(row) if row else ""
        message = problem_message(reason, where=where, column=column)
        self.problems.append(Problem(message=message, row=row, column=column))

    def summary(self) -> str:
        if self.problems:
            count = len(self.problems)
            return ngettext(
                "%(count)s problem found; nothing was written.",
                "%(count)s problems found; nothing was written.",
                count,
            ) % {"count": count}
        counts = {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }
        if self.dry_run:
            return (
                _(
                    "Dry run: %(created)s created, %(updated)s updated, %(unchanged)s "
                    "unchanged; nothing was written."
                )
                % counts
            )
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts
