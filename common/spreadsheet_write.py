"""CSV and XLSX files (and downloads of them) that a spreadsheet opens safely."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The most a spreadsheet cell holds (openpyxl cuts longer text).
CELL_MAX = 32767

# A cell protected with an apostrophe: one or more apostrophes, then a character a spreadsheet
# would start a formula with. `protect` adds one apostrophe to text that already looks like
# this and `unprotect` removes exactly one, so a round trip through a file stays exact.
_PROTECTED = re.compile("'+[" + re.escape("".join(FORMULA_PREFIXES)) + "]")
# XML (so XLSX) cannot hold these characters.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

Cell = Callable[[object], object]


# A phone number or a signed figure ("+33 1 23 45 67 89", "-12.5"): digits and arithmetic
# only, no letter, so no function or link a formula could call; written as it is, without
# an apostrophe an importer would keep.
_PLAIN_FIGURE = re.compile(r"[+\-]?[0-9][0-9 ().+\-/]*")


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice),
    except a plain figure, which cannot call anything."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not _PLAIN_FIGURE.fullmatch(value)
    ):
        return "'" + value
    return value


def protect(text: str) -> object:
    """safe_cell, made exactly reversible by `unprotect`: text that already starts with
    apostrophes before a formula character gets one more."""
    return "'" + text if _PROTECTED.match(text) else safe_cell(text)


def unprotect(text: str) -> str:
    """A cell as it was before `protect` (or safe_cell) wrote it."""
    return text[1:] if _PROTECTED.match(text) else text


def xlsx_text(text: str) -> str:
    """Text as an XLSX cell can hold it: without control characters, at most CELL_MAX long."""
    return _XML_ILLEGAL.sub("", text)[:CELL_MAX]


# How dates and times show in an XLSX file: real date and time cells (a spreadsheet sorts and
# adds them), in the forms people read; in a CSV file, the same as text.
TIME_FORMAT, DATETIME_FORMAT = "hh:mm", "yyyy-mm-dd hh:mm"


def csv_text(value: object) -> object:
    """A time of day as 09:30 and a date and time as 2026-11-24 09:30 in a CSV file (Python
    would add seconds); any other value as it is."""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return value


def xlsx_cell(sheet, value: object) -> object:
    """A value for a write-only sheet's row: text an XLSX file can hold, and times (naive, in
    the time zone the file speaks of) as time cells shown in hours and minutes."""
    if isinstance(value, str):
        return xlsx_text(value)
    if isinstance(value, dt.datetime | dt.time):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, dt.datetime) else TIME_FORMAT
        return cell
    return value


def csv_bytes(
    *, header: Sequence[str], rows: Iterable[Sequence], cell: Cell | None = safe_cell
) -> bytes:
    """A UTF-8 CSV file; `cell` makes each value safe (None: the rows are safe already)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_text(cell(v) if cell else v) for v in row])
    # A BOM lets spreadsheet programs read the UTF-8 (accents, Hangul) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# A sheet's name may not hold these (openpyxl raises ValueError, Excel refuses the file).
_SHEET_TITLE_ILLEGAL = re.compile(r"[\\/*?:\[\]]")


def sheet_title(title: str) -> str:
    """`title` as a sheet's name: at most 31 characters, without those a name may not hold (a
    title that carries an actor's name, "Lyon / Grenoble", in Korean before the words)."""
    return _SHEET_TITLE_ILLEGAL.sub(" ", xlsx_text(title))[:31].strip(" '") or "Sheet"


def xlsx_bytes(
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    cell: Cell | None = safe_cell,
) -> bytes:
    """An XLSX workbook of one sheet; `cell` as in csv_bytes."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.append(list(header))
    for row in rows:
        values = [cell(v) for v in row] if cell else list(row)
        # Whatever the rows hold (text stored before today's rules, say), the file is written:
        # characters XML cannot hold are dropped rather than failing the download.
        sheet.append([xlsx_cell(sheet, v) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _download(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # RFC 6266: an ASCII name as before, a Korean one (a translated file name, an event's
    # Korean name) as filename*=utf-8''..., which browsers save under its own letters.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    return _download(
        csv_bytes(header=header, rows=rows), content_type=CSV_TYPE, filename=f"{filename}.csv"
    )


def xlsx_response(
    *, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    return _download(
        xlsx_bytes(title=title, header=header, rows=rows),
        content_type=XLSX_TYPE,
        filename=f"{filename}.xlsx",
    )


def table_response(
    *, fmt: str, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    if fmt == "xlsx":
        return xlsx_response(filename=filename, title=title, header=header, rows=rows)
    return csv_response(filename=filename, header=header, rows=rows)
