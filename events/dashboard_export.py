"""The organisers' dashboard as a spreadsheet: the figures of `events.dashboard`, as the event
page shows them, one sheet per table in XLSX and one long table in CSV; read, never imported,
so its sheet names, headers and labels are in the reader's language."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import pgettext

from common.spreadsheet_write import csv_bytes, safe_cell, xlsx_cell
from directory.models import Side
from events.dashboard import event_dashboard
from events.models import Event

SIDE_LABELS = dict(Side.choices)


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name: at most 31 characters
    header: list[str]
    rows: list[list]


def dashboard_tables(*, event: Event) -> list[Table]:
    """The dashboard's figures, table by table, with the same counts and the same 0-100
    shares as the event page."""
    d = event_dashboard(event=event)
    participants = Table(
        pgettext("spreadsheet title", "Participants"),
        [
            pgettext("spreadsheet column", "side"),
            pgettext("spreadsheet column", "accepted"),
            pgettext("spreadsheet column", "waiting"),
            pgettext("spreadsheet column", "declined"),
            pgettext("spreadsheet column", "total"),
        ],
        [
            [str(s["side"]), s["accepted"], s["pending"], s["declined"]]
            + [s["accepted"] + s["pending"] + s["declined"]]
            for s in d["sides"]
        ],
    )
    meetings = Table(
        pgettext("spreadsheet title", "Meetings per participant"),
        [
            pgettext("spreadsheet column", "participant"),
            pgettext("spreadsheet column", "side"),
            pgettext("spreadsheet column", "meetings"),
        ],
        [
            [p.actor.name, str(SIDE_LABELS.get(p.actor.side, p.actor.side)), n]
            for p, n in d["meetings_per"]
        ],
    )
    rounds = Table(
        pgettext("spreadsheet title", "Table use per round"),
        [
            pgettext("spreadsheet column", "round"),
            pgettext("spreadsheet column", "meetings"),
            pgettext("spreadsheet column", "tables"),
            pgettext("spreadsheet column", "tables used (%)"),
        ],
        [[s.label, s.meetings, s.tables, s.percent] for s in d["slot_use"]],
    )
    wishes = Table(
        pgettext("spreadsheet title", "Wishes met"),
        [
            pgettext("spreadsheet column", "wish"),
            pgettext("spreadsheet column", "made"),
            pgettext("spreadsheet column", "met"),
            pgettext("spreadsheet column", "met (%)"),
        ],
        [[str(w.level), w.total, w.met, w.percent] for w in d["wish_shares"]],
    )
    tables = [participants, meetings, rounds, wishes]
    fairness = d.get("fairness")
    if fairness is not None and getattr(fairness, "distribution", None) is not None:
        tables.insert(
            2,
            Table(
                pgettext("spreadsheet title", "How many meetings"),
                [
                    pgettext("spreadsheet column", "meetings"),
                    pgettext("spreadsheet column", "participants"),
                    pgettext("spreadsheet column", "share (%)"),
                ],
                [[c.meetings, c.participants, c.percent] for c in fairness.distribution],
            ),
        )
    return tables


def long_header() -> list[str]:
    return [
        pgettext("spreadsheet column: which of the dashboard's tables", "table"),
        pgettext("spreadsheet column", "row"),
        pgettext("spreadsheet column", "figure"),
        pgettext("spreadsheet column", "value"),
    ]


def dashboard_csv(*, event: Event) -> bytes:
    """One long table (which table, which row, which figure, the value): a CSV file holds one
    table, and this shape sorts and filters in a spreadsheet."""
    rows = []
    for table in dashboard_tables(event=event):
        for row in table.rows:
            label, *values = row
            rows.extend(
                [table.title, label, name, value]
                for name, value in zip(table.header[1:], values, strict=True)
            )
    return csv_bytes(header=long_header(), rows=rows)


def dashboard_xlsx(*, event: Event) -> bytes:
    """One sheet per table, formula-safe as every export."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in dashboard_tables(event=event):
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append(list(table.header))
        for row in table.rows:
            sheet.append([xlsx_cell(sheet, safe_cell(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
