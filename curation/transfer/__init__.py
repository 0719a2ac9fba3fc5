"""Bulk import and export of actors: one column format for CSV, XLSX and JSON.

The format is described for people in docs/import-format.md. The rules that shape this package:

- An import is all or nothing. Every row is checked first and every problem reported; one
  problem and nothing is written. Otherwise everything is written in a single transaction, so a
  crash or a lost connection half-way leaves the directory as it was.
- Rows are matched to the directory by slug: a new slug creates an actor, a known slug updates
  it, and an actor whose every column already holds the file's value is left alone (no save,
  no new `updated_at`, no history entry). Re-importing a file therefore changes nothing.
- Export writes exactly what import reads, so export-then-import reports every actor unchanged.
- Contacts are personal data: exports carry them only when the caller says so (curators).

The steps, one module each: columns (what each column reads, checks, writes and exports),
read (file -> records), resolve (record -> plan for one actor), plan (the whole file against
the directory), write (the transaction), export; importing runs an import from start to end.
"""

from common.import_report import Change, ImportReport, Problem
from curation.transfer.columns import COLUMNS, REQUIRED
from curation.transfer.contacts import CONTACT_PARTS
from curation.transfer.export import (
    CONTENT_TYPES,
    FORMATS,
    actor_export_rows,
    actors_to_bytes,
    actors_to_csv,
    actors_to_json,
    actors_to_xlsx,
    export_columns,
)
from curation.transfer.importing import actor_import

__all__ = [
    "COLUMNS",
    "CONTACT_PARTS",
    "CONTENT_TYPES",
    "FORMATS",
    "REQUIRED",
    "Change",
    "ImportReport",
    "Problem",
    "actor_export_rows",
    "actor_import",
    "actors_to_bytes",
    "actors_to_csv",
    "actors_to_json",
    "actors_to_xlsx",
    "export_columns",
]
