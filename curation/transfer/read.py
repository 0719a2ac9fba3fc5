"""Reading a CSV, XLSX or JSON file into records: one per actor, in the columns' terms.

Nothing here knows the directory: a record holds what the file says (text, lists of texts,
contact parts), and every problem with the file's shape is reported with its row or item.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.import_report import ImportReport, row_label
from common.spreadsheet_read import MAX_BYTES, MAX_ROWS, TableError, read_sheet
from common.spreadsheet_write import unprotect
from curation.transfer.cells import NOTHING, clean, kind_of, shown
from curation.transfer.columns import BY_NAME, COLUMNS, REQUIRED


@dataclass
class Record:
    """One actor as read from the file. Only the columns the file has are present."""

    number: int  # the row as a spreadsheet shows it, or the JSON item from 1
    where: str  # "row 4" or "item 2", in the language of whoever runs the import
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)  # columns already reported

    def problem(self, report: ImportReport, column: str, reason: str) -> None:
        report.add(reason, row=self.number, where=self.where, column=column)
        self.bad.add(column)


def read_sheet_records(*, data: bytes, filename: str, report: ImportReport) -> list[Record]:
    try:
        table = read_sheet(data=data, filename=filename)
    except TableError as exc:
        report.add(str(exc))
        return []
    seen: set[str] = set()
    for name in table.header:
        if not name:
            continue
        if name not in COLUMNS:
            report.add(_("unknown column"), row=table.header_number, column=name)
        elif name in seen:
            report.add(_("appears more than once"), row=table.header_number, column=name)
        seen.add(name)
    present = seen & set(COLUMNS)
    for name in REQUIRED:
        if name not in present and BY_NAME[name].alternative not in present:
            report.add(
                _("missing column; required columns: %(columns)s")
                % {"columns": ", ".join(REQUIRED)},
                row=table.header_number,
                column=name,
            )
    records = []
    for row in table.rows:
        record = Record(number=row.number, where=row_label(row.number), values={})
        if row.extra:
            report.add(
                ngettext(
                    "%(count)d cell under no column name (first: %(first)s); a separator inside "
                    "a cell needs quotes, and each column a name in row %(header)d",
                    "%(count)d cells under no column name (first: %(first)s); a separator "
                    "inside a cell needs quotes, and each column a name in row %(header)d",
                    len(row.extra),
                )
                % {
                    "count": len(row.extra),
                    "first": shown(row.extra[0]),
                    "header": table.header_number,
                },
                row=row.number,
            )
        for name in present:
            text = clean(unprotect(row.get(name)))
            record.values[name] = BY_NAME[name].from_cell(text)
        if any(record.values.values()):
            records.append(record)
    return records


def read_json_records(*, data: bytes, report: ImportReport) -> list[Record]:
    if len(data) > MAX_BYTES:
        report.add(_("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)})
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.add(
            _("The file is not UTF-8 text (byte %(byte)d cannot be read).")
            % {"byte": exc.start + 1}
        )
        return []
    try:
        # Decimals keep coordinates exact; RecursionError comes from absurdly deep nesting.
        document = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        report.add(_("The file is not valid JSON (%(error)s).") % {"error": str(exc)[:200]})
        return []
    if isinstance(document, dict) and "actors" in document:
        document = document["actors"]
    if not isinstance(document, list):
        report.add(_('The JSON must be a list of actors, or an object {"actors": [...]}.'))
        return []
    if len(document) > MAX_ROWS - 1:
        report.add(
            _("The file has more than %(count)s actors; split it into smaller files.")
            % {"count": number_format(MAX_ROWS - 1, force_grouping=True)}
        )
        return []
    records = []
    for index, item in enumerate(document, start=1):
        where = _("item %(item)d") % {"item": index}
        if not isinstance(item, dict):
            report.add(
                _("expected an object with the actor's columns, got %(kind)s")
                % {"kind": kind_of(item)},
                row=index,
                where=where,
            )
            continue
        record = Record(number=index, where=where, values={})
        for key, value in item.items():
            column = BY_NAME.get(key)
            if column is None:
                report.add(_("unknown column"), row=index, where=where, column=str(key))
                continue
            read = column.from_json(value, fail=partial(record.problem, report, key))
            if read is not NOTHING:
                record.values[key] = read
        for name in REQUIRED:
            if name not in item and BY_NAME[name].alternative not in item:
                record.problem(
                    report,
                    name,
                    _("missing; required columns: %(columns)s") % {"columns": ", ".join(REQUIRED)},
                )
        records.append(record)
    return records


# A row element of a worksheet's XML, with or without a namespace prefix ("<row ", "<x:row>").
_XLSX_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def rows_in_file(*, data: bytes, filename: str, enough: int | None = None) -> int:
    """About how many actors the file holds, counted without reading a cell: what decides
    between importing now and importing in the background, in a few hundredths of a second
    where reading the file takes about a second per 2,000 rows. Counting stops past `enough`.
    Never raises: a file that cannot be counted gives 0, and reading it says why, quickly."""
    name = filename.lower()
    if len(data) > MAX_BYTES:
        return 0
    try:
        if name.endswith(".json"):
            document = json.loads(data.decode("utf-8-sig"))
            if isinstance(document, dict):
                document = document.get("actors")
            return len(document) if isinstance(document, list) else 0
        if name.endswith((".csv", ".txt")):
            rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
            count = -1  # the header
            for row in rows:
                if any(cell.strip() for cell in row):
                    count += 1
                    if enough is not None and count > enough:
                        break
            return max(0, count)
        if name.endswith(".xlsx"):
            return _xlsx_rows(data, enough=enough)
    except (ValueError, RecursionError, csv.Error, zipfile.BadZipFile, OSError):
        return 0
    return 0


def _xlsx_rows(data: bytes, *, enough: int | None) -> int:
    """Rows of the longest worksheet, streamed out of the zip (never inflated whole: a small
    workbook may unpack to gigabytes)."""
    longest = 0
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for member in book.namelist():
            if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
                continue
            count, tail = 0, b""
            with book.open(member) as sheet:
                while chunk := sheet.read(1 << 20):
                    buffer = tail + chunk
                    # A row tag cut by the chunk's edge is counted once, in the next buffer.
                    count += sum(1 for m in _XLSX_ROW.finditer(buffer) if m.end() > len(tail))
                    tail = buffer[-32:]
                    if enough is not None and count - 1 > enough:
                        break
            longest = max(longest, count - 1)
    return max(0, longest)
