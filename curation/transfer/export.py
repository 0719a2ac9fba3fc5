"""Export in the import format: what export writes, import reads back unchanged.

Contacts are personal data: only with include_contacts (curators), and then under the
`contacts` key; without it the key (and the sheet column) is absent, so an import of the file
leaves contacts as they are.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from common.spreadsheet_write import CSV_TYPE, XLSX_TYPE, csv_bytes, xlsx_bytes
from curation.transfer.columns import BY_NAME, COLUMNS
from directory.models import Actor
from directory.rules import is_published

FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")
CONTENT_TYPES: dict[str, str] = {
    "csv": CSV_TYPE,
    "xlsx": XLSX_TYPE,
    "json": "application/json; charset=utf-8",
}


def export_columns(*, include_contacts: bool) -> tuple[str, ...]:
    return COLUMNS if include_contacts else COLUMNS[:-1]


def export_row(actor: Actor, *, include_contacts: bool) -> dict[str, Any]:
    """One actor in the import format (lists as lists, contacts as dicts). The actor needs its
    region and parent selected and its links (and contacts) prefetched."""
    return {
        name: BY_NAME[name].export(actor)
        for name in export_columns(include_contacts=include_contacts)
    }


def actor_export_rows(
    *, queryset: QuerySet, include_contacts: bool, with_drafts: bool = True
) -> list[dict[str, Any]]:
    """One dict per actor of the queryset, as export_row makes it.

    Without `with_drafts` (a visitor's file) a parent that is not published is left out, as on
    the profile page: its slug is curators' working material.
    """
    related = ["sectors", "offers", "seeks"] + (["contacts"] if include_contacts else [])
    actors = queryset.select_related("region", "parent").prefetch_related(*related)
    rows = []
    # Chunks keep the prefetch queries' IN lists short on big directories.
    for actor in actors.iterator(chunk_size=1000):
        row = export_row(actor, include_contacts=include_contacts)
        if not with_drafts and actor.parent_id and not is_published(actor.parent.status):
            row["parent"] = ""
        rows.append(row)
    return rows


def _sheet_rows(rows: list[dict[str, Any]], *, columns: tuple[str, ...], xlsx: bool):
    for row in rows:
        yield [BY_NAME[name].cell(row.get(name), xlsx=xlsx) for name in columns]


def actors_to_csv(*, rows: list[dict[str, Any]], include_contacts: bool) -> bytes:
    columns = export_columns(include_contacts=include_contacts)
    # Each column makes its cells safe itself (numbers stay numbers): cell=None.
    return csv_bytes(header=columns, rows=_sheet_rows(rows, columns=columns, xlsx=False), cell=None)


def actors_to_xlsx(*, rows: list[dict[str, Any]], include_contacts: bool) -> bytes:
    columns = export_columns(include_contacts=include_contacts)
    return xlsx_bytes(
        # The sheet's name is read, in the exporter's language; the column names are the format's
        # own (docs/import-format.md), the same in every language, so the file imports back.
        title=_("Actors"),
        header=columns,
        rows=_sheet_rows(rows, columns=columns, xlsx=True),
        cell=None,
    )


def actors_to_json(*, rows: list[dict[str, Any]]) -> bytes:
    def plain(value: object) -> object:
        if isinstance(value, Decimal):
            return float(value)
        raise TypeError(f"{type(value).__name__} is not JSON")

    return json.dumps(rows, ensure_ascii=False, indent=2, default=plain).encode("utf-8") + b"\n"


def actors_to_bytes(*, rows: list[dict[str, Any]], fmt: str, include_contacts: bool) -> bytes:
    """Rows from actor_export_rows written as a CSV, XLSX or JSON file."""
    if fmt == "json":
        return actors_to_json(rows=rows)
    if fmt == "xlsx":
        return actors_to_xlsx(rows=rows, include_contacts=include_contacts)
    if fmt == "csv":
        return actors_to_csv(rows=rows, include_contacts=include_contacts)
    raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
